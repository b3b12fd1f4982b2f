//! One window per user and data folder. "Open with" and "Send to" start the program again
//! with the chosen files; when a window is already open, that second process hands its
//! paths to the open window over a local socket and exits, and the open window stages them.
//!
//! The rendezvous is keyed by the user and a hash of the data folder (two data folders,
//! two windows). On Unix it is a socket in a folder only the user can enter (mode 0700,
//! owned by the user, checked; `$XDG_RUNTIME_DIR` when set, else the temporary folder, as
//! under root in CI), beside a lock file that the window holds while it runs: a socket left
//! by a crashed window has no lock holder and is removed. On Windows it is a named pipe
//! with the user's name and the hash in its name (a pipe vanishes with its process), and
//! the lock file is in the data folder. The core knows nothing of the window: paths arrive
//! through a callback that the window turns into its "add files" command.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use interprocess::local_socket::prelude::*;
use interprocess::local_socket::{ListenerOptions, Name};

/// What a launch does.
pub enum Launch {
    /// No window runs for this user and data folder: this process opens it. Paths from
    /// later launches arrive through [`WindowClaim::listen`].
    OpenWindow(WindowClaim),
    /// A window was running and took the paths: this process is done.
    HandedOver,
}

/// Why the hand-over could not be set up; the window opens anyway, without it.
#[derive(Debug, thiserror::Error)]
pub enum SingleWindowError {
    /// The private folder for the socket is not safe to use.
    #[error(
        "{0} belongs to another user or is open to others, so files from a second launch cannot be handed over safely"
    )]
    UnsafeFolder(PathBuf),
    /// A system call failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The system's error.
        source: io::Error,
    },
    /// A window holds the lock but did not take the paths.
    #[error("another Asteroid Stager window is open but did not answer ({0})")]
    NoAnswer(String),
}

fn io_error(what: impl Into<String>) -> impl FnOnce(io::Error) -> SingleWindowError {
    let what = what.into();
    move |source| SingleWindowError::Io { what, source }
}

/// The first line of every hand-over: tells a window it is spoken to by this program,
/// in this version of the exchange.
const GREETING: &[u8] = b"asteroid-stager hand-over 1\n";

/// The most paths one hand-over carries, and the longest path, so that a confused or
/// hostile peer cannot make the window allocate without bound.
const MAX_PATHS: u32 = 100_000;
const MAX_PATH_BYTES: u32 = 64 * 1024;

/// How long a second launch waits for the open window to take its paths. The window's
/// listener answers from its own thread, whatever the window is doing.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(10);

/// Where the window listens, and the lock that says a window runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendezvous {
    /// The socket (Unix) or the pipe's name (Windows).
    pub socket: PathBuf,
    /// Held by the running window.
    pub lock: PathBuf,
}

impl Rendezvous {
    /// The rendezvous for `data_dir`. `runtime_dir` is `$XDG_RUNTIME_DIR` when set (Unix;
    /// ignored on Windows); without it the system's temporary folder is used. Creates the
    /// private folder and checks it.
    pub fn for_data_dir(
        data_dir: &Path,
        runtime_dir: Option<&Path>,
    ) -> Result<Self, SingleWindowError> {
        let key = folder_key(data_dir);
        #[cfg(unix)]
        {
            let base = runtime_dir
                .filter(|d| d.is_absolute() && d.is_dir())
                .map_or_else(std::env::temp_dir, Path::to_path_buf);
            let folder = base.join(format!("asteroid-stager-{}", current_uid()));
            private_folder(&folder, current_uid())?;
            Ok(Self {
                socket: folder.join(format!("{key}.sock")),
                lock: folder.join(format!("{key}.lock")),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = runtime_dir;
            let user = std::env::var("USERNAME").unwrap_or_default();
            let user: String = user
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect();
            std::fs::create_dir_all(data_dir)
                .map_err(io_error(format!("could not create {}", data_dir.display())))?;
            Ok(Self {
                socket: PathBuf::from(format!("asteroid-stager-{user}-{key}")),
                lock: data_dir.join("window.lock"),
            })
        }
    }

    fn name(&self) -> io::Result<Name<'_>> {
        #[cfg(unix)]
        {
            use interprocess::local_socket::GenericFilePath;
            self.socket.as_path().to_fs_name::<GenericFilePath>()
        }
        #[cfg(not(unix))]
        {
            use interprocess::local_socket::GenericNamespaced;
            self.socket.as_os_str().to_ns_name::<GenericNamespaced>()
        }
    }

    /// Opens the window here, or hands `paths` to the window that runs. Relative paths
    /// are made absolute first: the window does not share this process's folder.
    pub fn launch(&self, paths: &[PathBuf]) -> Result<Launch, SingleWindowError> {
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&self.lock)
            .map_err(io_error(format!("could not open {}", self.lock.display())))?;
        match lock.try_lock() {
            Ok(()) => self.claim(lock).map(Launch::OpenWindow),
            Err(std::fs::TryLockError::WouldBlock) => {
                let absolute: Vec<PathBuf> = paths
                    .iter()
                    .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone()))
                    .collect();
                self.hand_over(&absolute)?;
                Ok(Launch::HandedOver)
            }
            Err(std::fs::TryLockError::Error(e)) => Err(io_error(format!(
                "could not lock {}",
                self.lock.display()
            ))(e)),
        }
    }

    /// This process holds the lock: whatever is at the socket's place was left by a
    /// window that is gone. Listen there.
    fn claim(&self, lock: File) -> Result<WindowClaim, SingleWindowError> {
        #[cfg(unix)]
        match std::fs::remove_file(&self.socket) {
            Ok(()) => tracing::info!("removed a socket left by an earlier window"),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(io_error(format!(
                    "could not remove {}",
                    self.socket.display()
                ))(e));
            }
        }
        let name = self.name().map_err(io_error("invalid socket name"))?;
        let listener = ListenerOptions::new()
            .name(name)
            .create_sync()
            .map_err(io_error(format!(
                "could not listen at {}",
                self.socket.display()
            )))?;
        Ok(WindowClaim {
            listener,
            _lock: lock,
            socket: self.socket.clone(),
        })
    }

    /// Sends `paths` to the window that holds the lock and waits until it took them. The
    /// window may be between taking the lock and listening: connecting is tried again for
    /// a few seconds.
    fn hand_over(&self, paths: &[PathBuf]) -> Result<(), SingleWindowError> {
        let mut last = String::new();
        for wait_ms in [0u64, 50, 100, 200, 400, 800, 1600, 2000] {
            std::thread::sleep(Duration::from_millis(wait_ms));
            let name = self.name().map_err(io_error("invalid socket name"))?;
            match LocalSocketStream::connect(name) {
                Ok(stream) => return send_paths(stream, paths),
                Err(e) => last = e.to_string(),
            }
        }
        Err(SingleWindowError::NoAnswer(last))
    }
}

/// This process's window: listening for later launches, holding the lock while it lives.
pub struct WindowClaim {
    listener: LocalSocketListener,
    _lock: File,
    socket: PathBuf,
}

impl WindowClaim {
    /// Takes hand-overs on a thread of their own for as long as the process lives; each
    /// one's paths go to `on_paths` (an empty list: a plain second launch, the window only
    /// comes to the front). A peer that is not this user (Unix) or does not speak the
    /// exchange is dropped.
    pub fn listen(self, on_paths: impl Fn(Vec<PathBuf>) + Send + 'static) {
        let spawned = std::thread::Builder::new()
            .name("single-window".into())
            .spawn(move || {
                let _keep = &self;
                for stream in self.listener.incoming() {
                    match stream {
                        Ok(stream) => match receive_paths(stream) {
                            Ok(paths) => on_paths(paths),
                            Err(e) => tracing::warn!("a hand-over from another launch failed: {e}"),
                        },
                        Err(e) => tracing::warn!("could not accept a hand-over: {e}"),
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::warn!("could not start listening for other launches: {e}");
        }
    }
}

impl Drop for WindowClaim {
    /// A Unix socket file outlives its listener: remove it (a named pipe goes by itself).
    fn drop(&mut self) {
        if cfg!(unix) {
            let _ = std::fs::remove_file(&self.socket);
        }
    }
}

/// A short, stable key for a data folder (FNV-1a over its absolute path's bytes: stable
/// across versions of Rust and of this program, unlike std's hasher).
fn folder_key(data_dir: &Path) -> String {
    let absolute = std::path::absolute(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in path_bytes(&absolute) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

fn send_paths(mut stream: LocalSocketStream, paths: &[PathBuf]) -> Result<(), SingleWindowError> {
    let failed = |e: io::Error| SingleWindowError::NoAnswer(e.to_string());
    stream
        .set_recv_timeout(Some(ANSWER_TIMEOUT))
        .map_err(failed)?;
    stream
        .set_send_timeout(Some(ANSWER_TIMEOUT))
        .map_err(failed)?;
    let mut message = GREETING.to_vec();
    let count = u32::try_from(paths.len())
        .unwrap_or(u32::MAX)
        .min(MAX_PATHS);
    message.extend_from_slice(&count.to_le_bytes());
    for path in paths.iter().take(count as usize) {
        let bytes = path_bytes(path);
        let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
        message.extend_from_slice(&len.to_le_bytes());
        message.extend_from_slice(&bytes);
    }
    stream.write_all(&message).map_err(failed)?;
    stream.flush().map_err(failed)?;
    let mut answer = [0u8; 1];
    stream.read_exact(&mut answer).map_err(failed)?;
    if answer[0] == b'1' {
        Ok(())
    } else {
        Err(SingleWindowError::NoAnswer("it refused the files".into()))
    }
}

fn receive_paths(mut stream: LocalSocketStream) -> io::Result<Vec<PathBuf>> {
    #[cfg(unix)]
    {
        let peer = stream.peer_creds()?.euid();
        if peer != Some(current_uid()) {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                "a process of another user tried to hand files over",
            ));
        }
    }
    stream.set_recv_timeout(Some(ANSWER_TIMEOUT))?;
    stream.set_send_timeout(Some(ANSWER_TIMEOUT))?;
    let mut greeting = vec![0u8; GREETING.len()];
    stream.read_exact(&mut greeting)?;
    if greeting != GREETING {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "not a hand-over from this program",
        ));
    }
    let count = read_u32(&mut stream)?;
    if count > MAX_PATHS {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "too many paths"));
    }
    let mut paths = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let len = read_u32(&mut stream)?;
        if len > MAX_PATH_BYTES {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "path too long"));
        }
        let mut bytes = vec![0u8; len as usize];
        stream.read_exact(&mut bytes)?;
        paths.push(path_from_bytes(bytes)?);
    }
    stream.write_all(b"1")?;
    stream.flush()?;
    Ok(paths)
}

fn read_u32(stream: &mut impl Read) -> io::Result<u32> {
    let mut bytes = [0u8; 4];
    stream.read_exact(&mut bytes)?;
    Ok(u32::from_le_bytes(bytes))
}

/// A path's exact bytes: on Unix any bytes (not only UTF-8), on Windows UTF-16 units.
fn path_bytes(path: &Path) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    }
    #[cfg(windows)]
    {
        use std::os::windows::ffi::OsStrExt;
        path.as_os_str()
            .encode_wide()
            .flat_map(u16::to_le_bytes)
            .collect()
    }
}

fn path_from_bytes(bytes: Vec<u8>) -> io::Result<PathBuf> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Ok(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
    }
    #[cfg(windows)]
    {
        use std::os::windows::ffi::OsStringExt;
        if bytes.len() % 2 != 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "odd path length",
            ));
        }
        let wide: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
            .collect();
        Ok(PathBuf::from(std::ffi::OsString::from_wide(&wide)))
    }
}

#[cfg(unix)]
fn current_uid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// Makes `folder` (mode 0700) or checks the one there: it must be a real folder (not a
/// link) owned by `uid`; a folder of ours that others may enter is closed to them.
#[cfg(unix)]
fn private_folder(folder: &Path, uid: u32) -> Result<(), SingleWindowError> {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
    match std::fs::DirBuilder::new().mode(0o700).create(folder) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => {
            return Err(io_error(format!("could not create {}", folder.display()))(
                e,
            ));
        }
    }
    let meta = std::fs::symlink_metadata(folder)
        .map_err(io_error(format!("could not read {}", folder.display())))?;
    if !meta.is_dir() || meta.uid() != uid {
        return Err(SingleWindowError::UnsafeFolder(folder.to_path_buf()));
    }
    if meta.mode() & 0o077 != 0 {
        std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700))
            .map_err(|_| SingleWindowError::UnsafeFolder(folder.to_path_buf()))?;
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::sync::mpsc;

    use super::*;

    fn rendezvous(dir: &Path, data: &str) -> Rendezvous {
        Rendezvous::for_data_dir(&dir.join(data), Some(&dir.join("runtime"))).expect("rendezvous")
    }

    fn runtime(dir: &Path) {
        std::fs::create_dir_all(dir.join("runtime")).expect("runtime dir");
    }

    #[test]
    fn a_second_launch_hands_its_paths_to_the_first() {
        let dir = tempfile::tempdir().expect("dir");
        runtime(dir.path());
        let first = rendezvous(dir.path(), "data");
        let Launch::OpenWindow(claim) = first.launch(&[]).expect("first launch") else {
            panic!("the first launch opens the window");
        };
        let (tx, rx) = mpsc::channel();
        claim.listen(move |paths| {
            let _ = tx.send(paths);
        });
        // Names a line-based exchange would break, and bytes that are not UTF-8.
        use std::os::unix::ffi::OsStringExt;
        let odd = PathBuf::from(std::ffi::OsString::from_vec(b"/x/caf\xe9.pdf".to_vec()));
        let given = vec![
            PathBuf::from("/a/line\nbreak.pdf"),
            odd,
            PathBuf::from("rel.txt"),
        ];
        let second = rendezvous(dir.path(), "data");
        assert!(matches!(
            second.launch(&given).expect("second launch"),
            Launch::HandedOver
        ));
        let got = rx.recv_timeout(ANSWER_TIMEOUT).expect("paths arrived");
        assert_eq!(got[..2], given[..2]);
        // A relative path is made absolute in the launching process.
        assert_eq!(
            got[2],
            std::env::current_dir().expect("cwd").join("rel.txt")
        );
        // Another data folder is another window.
        let other = rendezvous(dir.path(), "other-data");
        assert_ne!(other.socket, first.socket);
        assert!(matches!(other.launch(&[]), Ok(Launch::OpenWindow(_))));
    }

    /// A window that crashed left its socket file: the next launch opens a window.
    #[test]
    fn a_socket_left_by_a_crashed_window_does_not_block_a_new_one() {
        let dir = tempfile::tempdir().expect("dir");
        runtime(dir.path());
        let place = rendezvous(dir.path(), "data");
        drop(std::os::unix::net::UnixListener::bind(&place.socket).expect("bind"));
        assert!(place.socket.exists(), "the stale socket is there");
        let Launch::OpenWindow(claim) = place.launch(&[]).expect("launch") else {
            panic!("a stale socket must not pass for a window");
        };
        let (tx, rx) = mpsc::channel();
        claim.listen(move |paths| {
            let _ = tx.send(paths);
        });
        assert!(matches!(
            place.launch(&[PathBuf::from("/f")]),
            Ok(Launch::HandedOver)
        ));
        assert_eq!(
            rx.recv_timeout(ANSWER_TIMEOUT).expect("paths"),
            [PathBuf::from("/f")]
        );
    }

    #[test]
    fn the_socket_folder_is_private_and_must_be_ours() {
        let dir = tempfile::tempdir().expect("dir");
        let folder = dir.path().join("asteroid-stager-x");
        std::fs::create_dir(&folder).expect("folder");
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o777)).expect("chmod");
        private_folder(&folder, current_uid()).expect("our folder");
        let mode = std::fs::metadata(&folder).expect("meta").mode() & 0o777;
        assert_eq!(mode, 0o700);
        // Another user's folder (as one planted in /tmp would be) is refused.
        assert!(matches!(
            private_folder(&folder, current_uid() + 1),
            Err(SingleWindowError::UnsafeFolder(_))
        ));
        // So is a link in its place.
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&folder, &link).expect("link");
        assert!(matches!(
            private_folder(&link, current_uid()),
            Err(SingleWindowError::UnsafeFolder(_))
        ));
        // Without a runtime folder, the temporary folder holds it.
        let place = Rendezvous::for_data_dir(&dir.path().join("d"), None).expect("fallback");
        assert!(place.socket.starts_with(std::env::temp_dir()));
    }
}
