//! An HTTP CONNECT proxy on 127.0.0.1, as offices run them: it may demand a user name and
//! password (407 otherwise), and tunnels every CONNECT to one local port whatever host was
//! asked for, so a client can be pointed at a name that does not exist here.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub struct ConnectProxy {
    pub port: u16,
    connects: Arc<AtomicUsize>,
}

impl ConnectProxy {
    /// A proxy that wants `credentials` (`user`, `password`; none: lets anyone through)
    /// and tunnels to `127.0.0.1:target_port`.
    pub async fn start(credentials: Option<(&str, &str)>, target_port: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let connects = Arc::new(AtomicUsize::new(0));
        let expected = credentials.map(|(user, password)| {
            format!("basic {}", base64(format!("{user}:{password}").as_bytes()))
        });
        let counter = connects.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let expected = expected.clone();
                let counter = counter.clone();
                tokio::spawn(async move {
                    let _ = serve(client, expected, counter, target_port).await;
                });
            }
        });
        Self { port, connects }
    }

    /// `http://127.0.0.1:port`, for `HTTPS_PROXY`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// `http://user:password@127.0.0.1:port`.
    pub fn url_with(&self, user: &str, password: &str) -> String {
        format!("http://{user}:{password}@127.0.0.1:{}", self.port)
    }

    /// CONNECT requests received, granted or not.
    pub fn connects(&self) -> usize {
        self.connects.load(Ordering::SeqCst)
    }
}

async fn serve(
    mut client: TcpStream,
    expected: Option<String>,
    counter: Arc<AtomicUsize>,
    target_port: u16,
) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if client.read(&mut byte).await? == 0 || head.len() > 16 * 1024 {
            return Ok(());
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    if !head.starts_with("CONNECT ") {
        client
            .write_all(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            .await?;
        return Ok(());
    }
    counter.fetch_add(1, Ordering::SeqCst);
    let authorization = head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("proxy-authorization")
            .then(|| value.trim().to_ascii_lowercase())
    });
    if let Some(expected) = expected
        && authorization.as_deref() != Some(expected.to_ascii_lowercase().as_str())
    {
        client
            .write_all(
                b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"office\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            )
            .await?;
        return client.shutdown().await;
    }
    let mut upstream = TcpStream::connect(("127.0.0.1", target_port)).await?;
    client
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .await?;
    tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
    Ok(())
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
