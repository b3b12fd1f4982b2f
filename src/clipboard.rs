//! What Ctrl+V (or the Paste button) hands over to stage: an image (a screenshot), which is
//! written as a PNG named for when it was pasted, or files copied in a file manager, which
//! arrive as a list of paths or `file://` addresses.

use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// What the system clipboard holds, as far as staging cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClipboardContent {
    /// Files copied in a file manager.
    Files(Vec<PathBuf>),
    /// An image, as unpremultiplied RGBA rows.
    Image {
        /// Width in pixels.
        width: usize,
        /// Height in pixels.
        height: usize,
        /// `width * height * 4` bytes.
        rgba: Vec<u8>,
    },
    /// Text that names no file.
    Text,
    /// Nothing, or nothing readable.
    Empty,
}

/// Reads the system clipboard: files first (a file manager also puts their names as
/// text), then an image, then text. Blocking: call it off the UI thread.
pub fn read_system_clipboard() -> ClipboardContent {
    let Ok(mut clipboard) = arboard::Clipboard::new() else {
        return ClipboardContent::Empty;
    };
    if let Ok(files) = clipboard.get().file_list()
        && !files.is_empty()
    {
        return ClipboardContent::Files(files);
    }
    if let Ok(image) = clipboard.get_image() {
        return ClipboardContent::Image {
            width: image.width,
            height: image.height,
            rgba: image.bytes.into_owned(),
        };
    }
    match clipboard.get_text() {
        Ok(text) => match paths_in_text(&text) {
            Some(paths) => ClipboardContent::Files(paths),
            None => ClipboardContent::Text,
        },
        Err(_) => ClipboardContent::Empty,
    }
}

/// The files a pasted text names, when every line names one: a path or a `file://`
/// address (what file managers put on the clipboard as text). `None` for any other text.
pub fn paths_in_text(text: &str) -> Option<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        // GNOME Files' own format starts with "x-special/nautilus-clipboard" and "copy".
        if line == "x-special/nautilus-clipboard" || line == "copy" || line == "cut" {
            continue;
        }
        let path = if line.starts_with("file://") {
            url::Url::parse(line).ok()?.to_file_path().ok()?
        } else {
            let path = PathBuf::from(line);
            if !path.is_absolute() {
                return None;
            }
            path
        };
        paths.push(path);
    }
    (!paths.is_empty()).then_some(paths)
}

/// "Pasted image 2026-11-29 10.42.07.png": the name a pasted image is staged under, in
/// local time (no colons: they are not allowed in Windows file names).
pub fn pasted_image_name(at: SystemTime) -> String {
    let local: chrono::DateTime<chrono::Local> = at.into();
    format!("Pasted image {}.png", local.format("%Y-%m-%d %H.%M.%S"))
}

/// Writes a pasted image as a PNG in `dir` (kept, so that it can be staged again after
/// it expires) and returns its path. A second paste in the same second gets " 2" and so on.
/// A screenshot may show anything on the screen: on Unix the folder is made (or narrowed
/// to) 0700 and the file 0600, readable by this user only.
pub fn save_pasted_image(
    dir: &Path,
    at: SystemTime,
    width: usize,
    height: usize,
    rgba: Vec<u8>,
) -> io::Result<PathBuf> {
    let (w, h) = (
        u32::try_from(width).map_err(io::Error::other)?,
        u32::try_from(height).map_err(io::Error::other)?,
    );
    let image = image::RgbaImage::from_raw(w, h, rgba)
        .ok_or_else(|| io::Error::other(crate::t!("clipboard-image-size-mismatch")))?;
    let mut png = Vec::new();
    image
        .write_to(&mut io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(io::Error::other)?;
    private_folder(dir)?;
    let name = pasted_image_name(at);
    let stem = name.trim_end_matches(".png").to_owned();
    for n in 1.. {
        let file = if n == 1 {
            name.clone()
        } else {
            format!("{stem} {n}.png")
        };
        let path = dir.join(file);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&path) {
            Ok(mut out) => {
                use std::io::Write;
                out.write_all(&png)?;
                out.sync_all()?;
                return Ok(path);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other(crate::t!("clipboard-no-free-name")))
}

/// Makes `dir` (and what is missing above it) and leaves it readable by this user only:
/// a folder an earlier version made with the usual 0755 is narrowed too.
fn private_folder(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        let mode = std::fs::metadata(dir)?.permissions().mode() & 0o777;
        if mode != 0o700 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_manager_text_names_files_and_other_text_does_not() {
        let text = "x-special/nautilus-clipboard\ncopy\nfile:///home/op/Scans/a%20b.pdf\nfile:///tmp/c.txt\n";
        assert_eq!(
            paths_in_text(text),
            Some(vec![
                PathBuf::from("/home/op/Scans/a b.pdf"),
                PathBuf::from("/tmp/c.txt")
            ])
        );
        assert_eq!(
            paths_in_text("/tmp/one.pdf"),
            Some(vec![PathBuf::from("/tmp/one.pdf")])
        );
        assert_eq!(paths_in_text("hello world"), None);
        assert_eq!(paths_in_text("relative/path.txt"), None);
        assert_eq!(paths_in_text("  \n"), None);
    }

    #[test]
    fn a_pasted_image_becomes_a_png_that_never_overwrites_another() {
        let dir = tempfile::tempdir().unwrap();
        let at = SystemTime::now();
        let pixels = vec![255u8, 0, 0, 255, 0, 255, 0, 255];
        let first = save_pasted_image(dir.path(), at, 2, 1, pixels.clone()).unwrap();
        let second = save_pasted_image(dir.path(), at, 2, 1, pixels).unwrap();
        assert_ne!(first, second);
        let name = first.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with("Pasted image ") && name.ends_with(".png"),
            "{name}"
        );
        assert!(!name.contains(':'));
        let decoded = image::open(&first).unwrap().to_rgba8();
        assert_eq!(decoded.dimensions(), (2, 1));
        assert_eq!(decoded.get_pixel(1, 0).0, [0, 255, 0, 255]);
        assert!(save_pasted_image(dir.path(), at, 3, 3, vec![0; 4]).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_pasted_image_is_readable_by_this_user_only() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let home = tempfile::tempdir().unwrap();
        let pixels = vec![255u8, 0, 0, 255];
        // A new folder, and one an earlier version made open to all.
        let new = home.path().join("data/pasted");
        let old = home.path().join("old-pasted");
        std::fs::create_dir(&old).unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o755)).unwrap();
        for dir in [new, old] {
            let file = save_pasted_image(&dir, SystemTime::now(), 1, 1, pixels.clone()).unwrap();
            assert_eq!(mode(&dir), 0o700, "{}", dir.display());
            assert_eq!(mode(&file), 0o600, "{}", file.display());
        }
    }
}
