//! A real SMTP listener on loopback for the tests: it records every raw message, and can be
//! stopped (connections refused) and started again on the same port.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// One received message, as it came over the wire.
#[derive(Debug, Clone)]
pub struct RawEmail {
    /// The envelope recipients.
    pub rcpt_to: Vec<String>,
    /// The whole RFC 5322 message.
    pub data: String,
}

impl RawEmail {
    /// A header's value (first occurrence, unfolded).
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next()?;
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        unfolded.lines().find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }

    /// The decoded body of the first part with this content type.
    pub fn part(&self, content_type: &str) -> Option<String> {
        let marker = format!("Content-Type: {content_type}");
        let start = self.data.find(&marker)?;
        let rest = &self.data[start..];
        let (headers, body) = rest.split_once("\r\n\r\n")?;
        let body = body.split("\r\n--").next()?;
        let encoding = headers
            .lines()
            .find_map(|l| l.strip_prefix("Content-Transfer-Encoding: "))
            .unwrap_or("7bit")
            .trim()
            .to_ascii_lowercase();
        Some(match encoding.as_str() {
            "quoted-printable" => decode_quoted_printable(body),
            "base64" => {
                let joined: String = body.split_whitespace().collect();
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(joined)
                    .ok()?;
                String::from_utf8(bytes).ok()?
            }
            _ => body.to_owned(),
        })
    }

    /// The first link to this site in the plain-text body.
    pub fn link(&self) -> String {
        let text = self.part("text/plain").expect("a text/plain part");
        text.lines()
            .map(str::trim)
            .find(|l| l.starts_with("http://") || l.starts_with("https://"))
            .unwrap_or_else(|| panic!("no link in:\n{text}"))
            .to_owned()
    }
}

fn decode_quoted_printable(body: &str) -> String {
    let joined = body.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[derive(Default)]
struct Inbox {
    messages: Mutex<Vec<RawEmail>>,
    arrived: Notify,
}

/// The listener.
pub struct TestSmtp {
    /// The port it listens on (kept across stop and start).
    pub port: u16,
    inbox: Arc<Inbox>,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl TestSmtp {
    /// Starts listening on a free loopback port.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind SMTP");
        let port = listener.local_addr().unwrap().port();
        let inbox = Arc::new(Inbox::default());
        let task = tokio::spawn(serve(listener, inbox.clone()));
        Self {
            port,
            inbox,
            task: Mutex::new(Some(task)),
        }
    }

    /// `smtp://127.0.0.1:PORT` (plain SMTP on loopback).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Stops listening: connections are refused until `resume`.
    pub fn stop(&self) {
        if let Some(task) = self.task.lock().unwrap().take() {
            task.abort();
        }
    }

    /// Listens again on the same port.
    pub async fn resume(&self) {
        let mut tries = 0;
        let listener = loop {
            match TcpListener::bind(("127.0.0.1", self.port)).await {
                Ok(l) => break l,
                Err(e) if tries < 50 => {
                    tries += 1;
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("cannot listen again on {}: {e}", self.port),
            }
        };
        *self.task.lock().unwrap() = Some(tokio::spawn(serve(listener, self.inbox.clone())));
    }

    /// Every message received so far.
    pub fn messages(&self) -> Vec<RawEmail> {
        self.inbox.messages.lock().unwrap().clone()
    }

    /// Waits (at most 10 s) for the `n`-th message (1-based) to arrive, and returns it.
    pub async fn wait_for(&self, n: usize) -> RawEmail {
        self.wait_for_within(n, Duration::from_secs(10)).await
    }

    /// `wait_for` with another time limit.
    pub async fn wait_for_within(&self, n: usize, limit: Duration) -> RawEmail {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let notified = self.inbox.arrived.notified();
            if let Some(m) = self.messages().get(n - 1) {
                return m.clone();
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                panic!(
                    "no message number {n} within {limit:?}; have {}",
                    self.messages().len()
                );
            }
        }
    }
}

impl Drop for TestSmtp {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn serve(listener: TcpListener, inbox: Arc<Inbox>) {
    while let Ok((stream, _)) = listener.accept().await {
        let inbox = inbox.clone();
        tokio::spawn(async move {
            let _ = session(stream, inbox).await;
        });
    }
}

async fn session(stream: tokio::net::TcpStream, inbox: Arc<Inbox>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 latchkey-test ESMTP\r\n").await?;
    let mut rcpt_to = Vec::new();
    while let Some(line) = lines.next_line().await? {
        let upper = line.to_ascii_uppercase();
        if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            write
                .write_all(b"250-latchkey-test\r\n250 8BITMIME\r\n")
                .await?;
        } else if upper.starts_with("MAIL FROM") {
            rcpt_to.clear();
            write.write_all(b"250 OK\r\n").await?;
        } else if upper.starts_with("RCPT TO") {
            rcpt_to.push(line[8..].trim().trim_matches(['<', '>']).to_owned());
            write.write_all(b"250 OK\r\n").await?;
        } else if upper == "DATA" {
            write.write_all(b"354 end with .\r\n").await?;
            let mut data = String::new();
            while let Some(l) = lines.next_line().await? {
                if l == "." {
                    break;
                }
                data.push_str(l.strip_prefix('.').unwrap_or(&l));
                data.push_str("\r\n");
            }
            inbox.messages.lock().unwrap().push(RawEmail {
                rcpt_to: rcpt_to.clone(),
                data,
            });
            inbox.arrived.notify_waiters();
            write.write_all(b"250 queued\r\n").await?;
        } else if upper == "QUIT" {
            write.write_all(b"221 bye\r\n").await?;
            break;
        } else if upper == "RSET" || upper == "NOOP" {
            write.write_all(b"250 OK\r\n").await?;
        } else {
            write.write_all(b"502 not implemented\r\n").await?;
        }
    }
    Ok(())
}
