//! The request body: its exact bytes, names that cannot break out of their header, files
//! that change or go while they are sent.

use super::*;

#[test]
fn filenames_cannot_break_out_of_their_header() {
    assert_eq!(encode_filename("a \"b\".pdf"), "a %22b%22.pdf");
    assert_eq!(
        encode_filename("x\r\nContent-Type: evil"),
        "x%0D%0AContent-Type: evil"
    );
    assert_eq!(encode_filename("back\\slash"), "back\\slash");
    assert_eq!(encode_filename("résumé; v2.txt"), "résumé; v2.txt");
}

#[test]
fn content_types_are_guessed_from_names() {
    assert_eq!(guess_content_type("a.pdf"), "application/pdf");
    assert_eq!(guess_content_type("data.csv"), "text/csv");
    assert_eq!(guess_content_type("noext"), "application/octet-stream");
}

#[tokio::test]
async fn files_are_read_whole_through_recycled_buffers() {
    use futures_util::StreamExt;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("f.bin");
    // Two full chunks and a short one, so the last read reuses a returned buffer.
    let bytes: Vec<u8> = (0..2 * CHUNK_SIZE + 100).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &bytes).expect("writing the file");
    let read = |expected: u64| {
        let path = path.clone();
        async move {
            let file = std::fs::File::open(&path).expect("opening the file");
            let mut chunks = FileChunks::new(ToRead::Opened(file), expected, None);
            let mut got = Vec::new();
            while let Some(chunk) = chunks.next().await {
                // Each chunk is dropped here, so its buffer goes back to the reader.
                got.extend_from_slice(&chunk.expect("a chunk"));
            }
            got
        }
    };
    assert_eq!(read(bytes.len() as u64).await, bytes);
    // Read to the real end, past a declared length that is too short.
    assert_eq!(read(10).await, bytes);
}

#[tokio::test]
async fn the_body_is_handed_out_in_small_slices_with_every_byte() {
    use futures_util::StreamExt;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("f.bin");
    let bytes: Vec<u8> = (0..CHUNK_SIZE + 5).map(|i| (i % 13) as u8).collect();
    std::fs::write(&path, &bytes).expect("writing the file");
    let file = LocalFile::inspect(&path).expect("inspect");
    let watch = Arc::new(RequestWatch::new(1));
    let mut body = FileBody {
        inner: FileChunks::new(
            ToRead::Opened(std::fs::File::open(&path).expect("open")),
            file.size,
            file.modified,
        ),
        pending: Bytes::new(),
        file,
        index: 0,
        sent: 0,
        finished: false,
        watch: watch.clone(),
        progress: Arc::new(|_, _| {}),
        last_report: Arc::new(Mutex::new(Instant::now())),
    };
    let mut got = Vec::new();
    let mut largest = 0;
    while let Some(slice) = body.next().await {
        let slice = slice.expect("a slice");
        largest = largest.max(slice.len());
        got.extend_from_slice(&slice);
    }
    assert_eq!(got, bytes);
    assert!(largest <= SLICE_SIZE, "{largest}");
    assert!(watch.fault().is_none());
}

#[tokio::test]
async fn the_form_is_the_multipart_body_reqwest_wrote_with_its_exact_length() {
    use futures_util::StreamExt;
    let dir = tempfile::tempdir().expect("a temporary directory");
    // Small files around one read on its own (larger than a run reads).
    let big: Vec<u8> = (0..SMALL_READ as usize + 10)
        .map(|i| (i % 7) as u8)
        .collect();
    let contents: [(&str, Vec<u8>); 3] = [
        ("a\\b \"q\".txt", b"first".to_vec()),
        ("big.bin", big),
        ("c.pdf", b"third".to_vec()),
    ];
    let mut files = Vec::new();
    for (i, (name, bytes)) in contents.iter().enumerate() {
        let path = dir.path().join(format!("f{i}"));
        std::fs::write(&path, bytes).expect("writing a file");
        let mut file = LocalFile::inspect(&path).expect("inspect");
        file.name = (*name).to_owned();
        files.push(file);
    }
    let (form, watch) = build_form(&files, Arc::new(|_, _| {}))
        .await
        .expect("the form");
    let boundary = form
        .content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("a boundary")
        .to_owned();
    let mut stream = form.stream;
    let mut got = Vec::new();
    while let Some(piece) = stream.next().await {
        got.extend_from_slice(&piece.expect("a piece"));
    }
    let mut expected = Vec::new();
    for ((name, bytes), type_) in
        contents
            .iter()
            .zip(["text/plain", "application/octet-stream", "application/pdf"])
    {
        let shown = name.replace('\\', "\\\\").replace('"', "%22");
        expected.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; \
                 filename=\"{shown}\"\r\nContent-Type: {type_}\r\n\r\n"
            )
            .as_bytes(),
        );
        expected.extend_from_slice(bytes);
        expected.extend_from_slice(b"\r\n");
    }
    expected.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    assert_eq!(got.len() as u64, form.length);
    assert_eq!(got, expected);
    assert!(watch.fault().is_none());
}

#[test]
fn a_run_of_small_files_tells_what_changed_in_each() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = |name: &str| dir.path().join(name);
    std::fs::write(path("same"), b"12345").expect("write");
    std::fs::write(path("grew"), b"123456789").expect("write");
    let then = std::fs::metadata(path("same"))
        .and_then(|m| m.modified())
        .ok();
    let earlier = then.map(|t| t - Duration::from_secs(10));
    let got = read_small(vec![
        (path("same"), 5, then),
        (path("grew"), 5, None),
        (path("gone"), 5, None),
        (path("same"), 5, earlier),
    ]);
    let describe = |items: &Vec<std::io::Result<Bytes>>| -> Vec<String> {
        items
            .iter()
            .map(|item| match item {
                Ok(bytes) => format!("{} bytes", bytes.len()),
                Err(e) if e.get_ref().is_some_and(|i| i.is::<Gone>()) => "gone".into(),
                Err(e) if e.get_ref().is_some_and(|i| i.is::<Rewritten>()) => "rewritten".into(),
                Err(e) => e.to_string(),
            })
            .collect()
    };
    let got: Vec<Vec<String>> = got.iter().map(describe).collect();
    assert_eq!(
        got,
        [
            vec!["5 bytes"],
            // One byte past the declared length: enough to see it grew.
            vec!["6 bytes"],
            vec!["gone"],
            vec!["5 bytes", "rewritten"],
        ]
    );
}

/// Found by mutation testing: the look before a request opens anything. A file that went,
/// that is no longer a regular file (a pipe there would block the open), or whose size
/// changed is named with what happened, before a byte of the request is sent.
#[test]
fn the_look_before_sending_names_a_file_that_went_or_changed() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("scan.pdf");
    std::fs::write(&path, b"12345").expect("writing the file");
    let file = LocalFile::inspect(&path).expect("a file");
    assert!(check_all(std::slice::from_ref(&file)).is_ok());

    std::fs::write(&path, b"123456789").expect("rewriting the file");
    let changed = check_all(std::slice::from_ref(&file)).expect_err("its size changed");
    assert!(
        changed.to_string().contains("its size is now 9 bytes"),
        "{changed}"
    );

    std::fs::remove_file(&path).expect("removing the file");
    let gone = check_all(std::slice::from_ref(&file)).expect_err("it went");
    assert!(matches!(gone, ApiError::FileChanged { .. }), "{gone:?}");
    assert!(gone.to_string().contains("deleted or moved"), "{gone}");

    std::fs::create_dir(&path).expect("a folder in its place");
    let folder = check_all(std::slice::from_ref(&file)).expect_err("not a file now");
    assert!(
        folder.to_string().contains("not a regular file"),
        "{folder}"
    );
}

/// Found by mutation testing (`read += filled` made `read *= filled` survived): a file too
/// large to be read in a run of small files, rewritten in place at the same size while it
/// is read. Its length never changes, so only its modification time tells; the bytes read
/// are a mix of the old and the new, and the read must end with [`Rewritten`] so the file
/// fails instead of being staged as something it never was.
#[tokio::test]
async fn a_large_file_rewritten_at_the_same_size_while_read_ends_in_rewritten() {
    use futures_util::StreamExt;
    use std::io::{Seek, Write};
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("scan.tif");
    let size = 16 * CHUNK_SIZE;
    assert!(size as u64 > SMALL_READ);
    std::fs::write(&path, vec![b'a'; size]).expect("writing the file");
    let file = LocalFile::inspect(&path).expect("inspect");
    let mut chunks = FileChunks::new(ToRead::Path(path.clone()), file.size, file.modified);

    // The reader is at most a few chunks ahead (its channel is bounded and nothing is
    // taken from it meanwhile), so what it reads after this point is the new content.
    let first = chunks.next().await.expect("a first chunk").expect("bytes");
    let mut rewrite = std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .expect("opening the file to rewrite it");
    rewrite.seek(std::io::SeekFrom::Start(0)).expect("seek");
    rewrite
        .write_all(&vec![b'b'; size])
        .expect("rewriting the file");
    let later = file.modified.expect("a modification time") + Duration::from_secs(10);
    rewrite.set_modified(later).expect("setting its time");
    drop(rewrite);

    let mut got = first.to_vec();
    let mut end = None;
    while let Some(item) = chunks.next().await {
        match item {
            Ok(bytes) => got.extend_from_slice(&bytes),
            Err(e) => {
                end = Some(e);
                break;
            }
        }
    }
    assert_eq!(got.len(), size, "the same length, read to its end");
    assert!(
        got.contains(&b'a') && got.contains(&b'b'),
        "the read saw the old and the new content"
    );
    let end = end.expect("the read ends with an error, not with the mixed bytes alone");
    assert!(
        end.get_ref().is_some_and(|inner| inner.is::<Rewritten>()),
        "{end:?}"
    );
}
