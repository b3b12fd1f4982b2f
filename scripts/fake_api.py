#!/usr/bin/env python3
"""A tiny stand-in for the Asteroid Agents API, for packaging smoke tests.

Standard library only. Listens on 127.0.0.1 (port 0 = any free port) and implements:
  GET  /agents/v2/context              -> {"userId":"u","email":"e","organizations":[{"id":ORG,"name":"Test"}]}
  POST /agents/v2/temp-files/<org>     -> {"tempFiles":[{"id":"<uuid4>","name":"<filename>"}, ...]}
Every request must carry the header X-Asteroid-Agents-Api-Key (and, with --key, that value).
Writes the chosen port to --port-file (if given) once it listens, then serves until killed.
With --ledger FILE, every file part it accepts is recorded there, so a test can check that the
right bytes arrived: a JSON list of {"name", "size", "sha256"} in arrival order, rewritten
atomically (temporary file, then rename) after each request.

    python3 scripts/fake_api.py --port 0 --port-file /tmp/port --key testkey [--ledger /tmp/ledger.json]
"""

import argparse
import email.parser
import email.policy
import hashlib
import json
import os
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ORG_ID = "11111111-2222-3333-4444-555555555555"
PREFIX = "/agents/v2"


class Ledger:
    """The files received, written to a JSON file after each request (None: not kept)."""

    def __init__(self, path):
        self.path = path
        self.entries = []
        self.lock = threading.Lock()
        if path:
            self._write()

    def add(self, entries):
        if not self.path:
            return
        with self.lock:
            self.entries.extend(entries)
            self._write()

    def _write(self):
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.entries, f, indent=1)
        os.replace(tmp, self.path)


def make_handler(expected_key, ledger, read_rate=0):
    class Handler(BaseHTTPRequestHandler):
        server_version = "fake-asteroid-api/1"

        def log_message(self, fmt, *args):  # to stderr, one line per request
            sys.stderr.write("fake_api: " + (fmt % args) + "\n")

        def send_text(self, status, text, ctype="text/plain"):
            body = text.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def send_json(self, status, obj):
            self.send_text(status, json.dumps(obj, separators=(",", ":")), "application/json")

        def authorised(self):
            key = self.headers.get("X-Asteroid-Agents-Api-Key")
            if not key or (expected_key is not None and key != expected_key):
                self.send_text(401, "Unauthorized.")
                return False
            return True

        def read_body(self):
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                out = bytearray()
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass
                        return bytes(out)
                    out += self.rfile.read(size)
                    self.rfile.readline()
            length = int(self.headers.get("Content-Length", "0"))
            if not read_rate:
                return self.rfile.read(length)
            # A slow link: read a little at a time (for screenshots of uploads in progress).
            out = b""
            while len(out) < length:
                piece = self.rfile.read(min(16384, length - len(out)))
                if not piece:
                    break
                out += piece
                time.sleep(len(piece) / read_rate)
            return out

        def do_GET(self):
            if self.path.split("?")[0] != PREFIX + "/context":
                return self.send_text(404, "Not found.")
            if not self.authorised():
                return
            self.send_json(200, {"userId": "u", "email": "e",
                                 "organizations": [{"id": ORG_ID, "name": "Test"}]})

        def do_POST(self):
            path = self.path.split("?")[0]
            if not path.startswith(PREFIX + "/temp-files/"):
                return self.send_text(404, "Not found.")
            if not self.authorised():
                return
            org = path[len(PREFIX + "/temp-files/"):]
            body = self.read_body()
            if org != ORG_ID:
                return self.send_text(403, "User is not a member of the organization.")
            ctype = self.headers.get("Content-Type", "")
            if not ctype.lower().startswith("multipart/form-data"):
                return self.send_text(400, "Invalid file upload request.")
            head = b"Content-Type: " + ctype.encode("latin-1") + b"\r\nMIME-Version: 1.0\r\n\r\n"
            msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
            files = []
            received = []
            if msg.is_multipart():
                for part in msg.iter_parts():
                    disp = part.get("Content-Disposition", "")
                    name = part.get_param("name", header="content-disposition")
                    filename = part.get_filename()
                    if name == "files" and filename is not None and "form-data" in disp:
                        files.append({"id": str(uuid.uuid4()), "name": filename})
                        data = part.get_payload(decode=True) or b""
                        received.append({"name": filename, "size": len(data),
                                         "sha256": hashlib.sha256(data).hexdigest()})
            if not files:
                return self.send_text(400, "Invalid file upload request.")
            ledger.add(received)
            self.send_json(200, {"tempFiles": files})

    return Handler


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--key", help="the only key accepted (default: any non-empty key)")
    ap.add_argument("--ledger", help="record each received file (name, size, sha256) in this JSON file")
    ap.add_argument("--read-rate", type=int, default=0, help="read request bodies at about this many bytes per second")
    args = ap.parse_args()
    handler = make_handler(args.key, Ledger(args.ledger), args.read_rate)
    httpd = ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    port = httpd.server_address[1]
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write(str(port))
        os.replace(args.port_file + ".tmp", args.port_file)
    print(f"fake_api: listening on http://127.0.0.1:{port}{PREFIX}", file=sys.stderr, flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
