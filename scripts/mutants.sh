#!/usr/bin/env bash
# Mutation testing (cargo-mutants) of the modules where a silent mistake costs an operator
# their IDs: reading the server's answer, building the request body, the queue's planner,
# the history. Each mutant (a `<` made `<=`, a `true` made `false`, a function body
# replaced…) must make a test fail; one that does not is a hole in the suite.
#
# Run it by hand, outside `.ci/run` (it takes hours, see the README's "Mutation testing"),
# in a checkout with a warm `target/`: mutants are built in place (`--in-place`: the source
# file is changed and restored, so leave the checkout alone while it runs), one file at a
# time: first with the library's tests alone, then what they missed again with the one
# integration test that covers the file as well.
#
#   scripts/mutants.sh                      every file below
#   scripts/mutants.sh src/api/body/mod.rs      only these files
#   scripts/mutants.sh --list               count the mutants, run nothing
#   scripts/mutants.sh src/api/body/mod.rs -- --shard 1/20   options after -- go to cargo mutants
#
# Results: target/mutants/<file>/mutants.out/ (caught.txt, missed.txt, timeout.txt,
# unviable.txt, outcomes.json, logs) and a summary in target/mutants/summary.md.
set -uo pipefail
cd "$(dirname "$0")/.."

list=false
files=()
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --list) list=true ;;
    --) shift; extra=("$@"); break ;;
    *) files+=("$1") ;;
  esac
  shift
done

if [ ${#files[@]} -eq 0 ]; then
  files=(src/api/answer.rs src/api/body/mod.rs src/api/body/disk.rs src/upload_queue/planner.rs)
  for f in src/history/*.rs; do files+=("$f"); done
fi

# The integration test binary (tests/<subject>/main.rs) that covers each file, beside the
# library's tests.
covering_test() {
  case "$1" in
    src/api/answer.rs) echo matching ;;     # renamed, reordered and busboy answers
    src/api/body/*) echo retries ;;        # hostile names, files changed while sent
    src/upload_queue/planner.rs) echo staging ;; # shared requests split, retries, refusals
    src/history/*) echo retries ;;          # killed mid-write, a damaged history
    *) echo "" ;;
  esac
}

if ! command -v cargo-mutants >/dev/null; then
  echo "cargo-mutants is missing; installing it (a few minutes)."
  cargo install cargo-mutants --locked || exit 1
fi

mkdir -p target/mutants
summary=target/mutants/summary.md
$list || printf '| file | mutants | caught | missed | timed out (caught) | unviable | score |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n' > "$summary"
status=0
for file in "${files[@]}"; do
  if [ ! -f "$file" ]; then
    echo "Skipped $file: no such file here."
    continue
  fi
  test=$(covering_test "$file")
  if [ -z "$test" ] || [ ! -f "tests/$test/main.rs" ]; then
    echo "Skipped $file: no integration test named for it (tests/$test/main.rs)."
    continue
  fi
  if $list; then
    echo "$file: $(cargo mutants --list --file "$file" | wc -l) mutants (tested with --lib --test $test)"
    continue
  fi
  out="target/mutants/${file#src/}"
  rm -rf "$out/mutants.out" "$out/pass1"
  mkdir -p "$out"
  echo "== $file: library tests, then tests/$test/ for what they miss; results in $out/mutants.out"
  started=$(date +%s)
  count() { [ -f "$1/$2.txt" ] && wc -l < "$1/$2.txt" || echo 0; }
  # Pass 1: the library's tests alone (a mutant takes about 10 s to build and test).
  # `--cargo-arg` narrows the build as well as the run: built with every test target, a
  # mutant took three times as long, most of it linking.
  cargo mutants --in-place --no-shuffle --test-tool=cargo --file "$file" --output "$out" \
    --cargo-arg=--lib "${extra[@]}"
  code=$?
  # 0: every mutant caught; 2: some missed; 3: some made a test hang (caught: the suite
  # did not pass); anything else: it did not run.
  case $code in 0|2|3) ;; *) status=1; continue ;; esac
  cp -r "$out/mutants.out" "$out/pass1"
  c1=$(count "$out/pass1" caught); t1=$(count "$out/pass1" timeout); u1=$(count "$out/pass1" unviable)
  c2=0; t2=0; u2=0; missed=$(count "$out/pass1" missed)
  if [ "$missed" -gt 0 ]; then
    # Pass 2: only what pass 1 missed (`--iterate` skips what is listed as caught, and a
    # mutant that made the tests hang is caught too: listed so, it is not run for minutes
    # again), with the integration test that covers the file as well (tests/retries/ alone
    # runs for most of a minute: a hang is cut at 150 s).
    cat "$out/mutants.out/timeout.txt" >> "$out/mutants.out/caught.txt" 2>/dev/null
    cargo mutants --in-place --no-shuffle --test-tool=cargo --file "$file" --output "$out" \
      --iterate --timeout 150 --cargo-arg=--lib --cargo-arg=--test --cargo-arg="$test" \
      "${extra[@]}"
    code=$?
    case $code in 0|2|3) ;; *) status=1; continue ;; esac
    c2=$(count "$out/mutants.out" caught); t2=$(count "$out/mutants.out" timeout)
    u2=$(count "$out/mutants.out" unviable); missed=$(count "$out/mutants.out" missed)
  fi
  [ "$missed" -gt 0 ] && status=2
  took=$(( $(date +%s) - started ))
  caught=$(( c1 + c2 )); timeout=$(( t1 + t2 )); unviable=$(( u1 + u2 ))
  total=$(( caught + missed + timeout + unviable ))
  viable=$(( caught + missed + timeout ))
  score="n/a"; [ "$viable" -gt 0 ] && score="$(( 100 * (caught + timeout) / viable ))%"
  echo "| \`$file\` | $total | $caught | $missed | $timeout | $unviable | $score |" >> "$summary"
  echo "$file: $caught caught, $missed missed ($out/mutants.out/missed.txt), $timeout timed out, $unviable unviable, in ${took}s"
done
$list || { echo; cat "$summary"; }
exit $status
