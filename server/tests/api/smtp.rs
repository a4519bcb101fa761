//! A real SMTP receiver on localhost for the tests: it speaks the part of SMTP a client
//! needs to deliver (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and keeps every message
//! it accepted, so tests assert on what actually went over the wire.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One accepted message.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// The message as sent (headers and body).
    pub data: String,
}

impl Received {
    /// The value of the `Subject` header, with RFC 2047 encoded words decoded.
    pub fn subject(&self) -> String {
        let raw = self
            .data
            .lines()
            .find_map(|l| l.strip_prefix("Subject: "))
            .unwrap_or_default();
        raw.split(' ')
            .map(decode_word)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl Received {
    /// The decoded body of the first attached file of `content_type`, if there is one.
    pub fn attachment(&self, content_type: &str) -> Option<Vec<u8>> {
        use base64::Engine;
        let start = self.data.find(&format!("Content-Type: {content_type}"))?;
        let part = &self.data[start..];
        let body_start = part.find("\n\n")? + 2;
        let encoded: String = part[body_start..]
            .lines()
            .take_while(|l| !l.starts_with("--") && !l.is_empty())
            .collect();
        base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .ok()
    }
}

pub struct SmtpReceiver {
    pub port: u16,
    messages: Arc<Mutex<Vec<Received>>>,
}

impl SmtpReceiver {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("smtp port");
        let port = listener.local_addr().expect("addr").port();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let store = messages.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move {
                    let _ = session(socket, store).await;
                });
            }
        });
        Self { port, messages }
    }

    /// The URL for `CENTINELA_SMTP_URL` (plain SMTP on loopback).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn messages(&self) -> Vec<Received> {
        self.messages.lock().expect("messages").clone()
    }

    /// Waits until at least `n` messages arrived (at most `timeout`).
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let started = std::time::Instant::now();
        while self.messages().len() < n && started.elapsed() < timeout {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.messages()
    }
}

async fn session(
    socket: tokio::net::TcpStream,
    store: Arc<Mutex<Vec<Received>>>,
) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 localhost test SMTP\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    while let Some(line) = lines.next_line().await? {
        let upper = line.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            b"250-localhost\r\n250 8BITMIME\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            from = line[10..].trim().to_owned();
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            to.push(line[8..].trim().to_owned());
            b"250 OK\r\n"
        } else if upper == "DATA" {
            write
                .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                .await?;
            let mut data = String::new();
            while let Some(l) = lines.next_line().await? {
                if l == "." {
                    break;
                }
                data.push_str(l.strip_prefix('.').unwrap_or(&l));
                data.push('\n');
            }
            store.lock().expect("messages").push(Received {
                from: std::mem::take(&mut from),
                to: std::mem::take(&mut to),
                data,
            });
            b"250 OK queued\r\n"
        } else if upper == "QUIT" {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            b"250 OK\r\n"
        };
        write.write_all(reply).await?;
    }
    Ok(())
}

/// Decodes one `=?utf-8?b?...?=` word (base64); anything else is returned as it is.
fn decode_word(word: &str) -> String {
    use base64::Engine;
    let lower = word.to_ascii_lowercase();
    match (lower.starts_with("=?utf-8?b?"), word.strip_suffix("?=")) {
        (true, Some(rest)) => base64::engine::general_purpose::STANDARD
            .decode(&rest[10..])
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .unwrap_or_else(|| word.to_owned()),
        _ => word.to_owned(),
    }
}
