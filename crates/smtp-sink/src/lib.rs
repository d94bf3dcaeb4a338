//! A real SMTP server on loopback that accepts every message and keeps it in memory.
//!
//! Tests deliver mail to it over TCP exactly as production delivers to a relay, then read what
//! arrived; `stop` and `restart` simulate a mail server that is down. It speaks the subset of
//! RFC 5321 that submission clients use: `EHLO`/`HELO`, `MAIL`, `RCPT`, `DATA` (with dot
//! unstuffing), `RSET`, `NOOP`, `QUIT`. No TLS, no AUTH: it binds to 127.0.0.1 only.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// One received message.
#[derive(Debug, Clone)]
pub struct Received {
    /// Envelope sender.
    pub from: String,
    /// Envelope recipients.
    pub to: Vec<String>,
    /// The raw message (headers and body) as received, dot-unstuffed.
    pub raw: Vec<u8>,
}

impl Received {
    /// A header's decoded value (RFC 2047 words decoded), if present.
    pub fn header(&self, name: &str) -> Option<String> {
        let parsed = mailparse::parse_mail(&self.raw).ok()?;
        parsed
            .headers
            .iter()
            .find(|h| h.get_key_ref().eq_ignore_ascii_case(name))
            .map(|h| h.get_value())
    }

    /// The decoded subject.
    pub fn subject(&self) -> String {
        self.header("Subject").unwrap_or_default()
    }

    /// The `Message-ID` without angle brackets.
    pub fn message_id(&self) -> String {
        self.header("Message-ID")
            .unwrap_or_default()
            .trim()
            .trim_start_matches('<')
            .trim_end_matches('>')
            .to_string()
    }

    /// The decoded text of the first `text/plain` part.
    pub fn text(&self) -> String {
        let Ok(parsed) = mailparse::parse_mail(&self.raw) else {
            return String::new();
        };
        fn find(p: &mailparse::ParsedMail<'_>) -> Option<String> {
            if p.subparts.is_empty() {
                if p.ctype.mimetype.eq_ignore_ascii_case("text/plain") {
                    return p.get_body().ok();
                }
                return None;
            }
            p.subparts.iter().find_map(find)
        }
        find(&parsed).unwrap_or_default()
    }

    /// File names and decoded sizes of attachments.
    pub fn attachments(&self) -> Vec<(String, Vec<u8>)> {
        let Ok(parsed) = mailparse::parse_mail(&self.raw) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for p in &parsed.subparts {
            let disp = p.get_content_disposition();
            if let Some(name) = disp.params.get("filename") {
                out.push((name.clone(), p.get_body_raw().unwrap_or_default()));
            }
        }
        out
    }
}

/// The running sink.
#[derive(Debug)]
pub struct SmtpSink {
    addr: SocketAddr,
    messages: Arc<Mutex<Vec<Received>>>,
    task: Option<JoinHandle<()>>,
}

impl SmtpSink {
    /// Starts on a free loopback port.
    pub async fn start() -> std::io::Result<Self> {
        Self::start_on(0).await
    }

    /// Starts on the given loopback port (0 for any).
    pub async fn start_on(port: u16) -> std::io::Result<Self> {
        let messages = Arc::new(Mutex::new(Vec::new()));
        let (addr, task) = spawn(port, messages.clone()).await?;
        Ok(Self {
            addr,
            messages,
            task: Some(task),
        })
    }

    /// The URL a client uses (`smtp://127.0.0.1:PORT`).
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Everything received so far.
    pub fn messages(&self) -> Vec<Received> {
        self.messages.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// Stops listening (clients now get "connection refused"); received messages are kept.
    pub fn stop(&mut self) {
        if let Some(t) = self.task.take() {
            t.abort();
        }
    }

    /// Listens again on the same port.
    pub async fn restart(&mut self) -> std::io::Result<()> {
        self.stop();
        // The aborted accept loop releases the socket on its next poll; retry briefly.
        let mut last = None;
        for _ in 0..50 {
            match spawn(self.addr.port(), self.messages.clone()).await {
                Ok((_, task)) => {
                    self.task = Some(task);
                    return Ok(());
                }
                Err(e) => {
                    last = Some(e);
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                }
            }
        }
        Err(last.unwrap_or_else(|| std::io::Error::other("restart failed")))
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn spawn(
    port: u16,
    messages: Arc<Mutex<Vec<Received>>>,
) -> std::io::Result<(SocketAddr, JoinHandle<()>)> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move {
        let mut sessions = tokio::task::JoinSet::new();
        while let Ok((sock, _)) = listener.accept().await {
            let m = messages.clone();
            sessions.spawn(async move {
                let _ = session(sock, m).await;
            });
        }
    });
    Ok((addr, task))
}

async fn session(sock: TcpStream, messages: Arc<Mutex<Vec<Received>>>) -> std::io::Result<()> {
    let (r, mut w) = sock.into_split();
    let mut r = BufReader::new(r);
    w.write_all(b"220 thutuc-sink ESMTP ready\r\n").await?;
    let mut from = String::new();
    let mut to = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if r.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line).trim_end().to_string();
        let upper = text.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-thutuc-sink\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 104857600\r\n"
        } else if upper.starts_with("HELO") {
            b"250 thutuc-sink\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            from = address(&text[10..]);
            to.clear();
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            to.push(address(&text[8..]));
            b"250 OK\r\n"
        } else if upper == "DATA" {
            if to.is_empty() {
                b"503 need RCPT\r\n"
            } else {
                w.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                let raw = read_data(&mut r).await?;
                if let Ok(mut m) = messages.lock() {
                    m.push(Received {
                        from: from.clone(),
                        to: std::mem::take(&mut to),
                        raw,
                    });
                }
                b"250 OK queued\r\n"
            }
        } else if upper == "RSET" {
            from.clear();
            to.clear();
            b"250 OK\r\n"
        } else if upper == "NOOP" {
            b"250 OK\r\n"
        } else if upper == "QUIT" {
            w.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            b"502 command not implemented\r\n"
        };
        w.write_all(reply).await?;
    }
}

fn address(s: &str) -> String {
    let s = s.trim();
    let s = s.split_whitespace().next().unwrap_or_default();
    s.trim_start_matches('<').trim_end_matches('>').to_string()
}

async fn read_data<R: tokio::io::AsyncBufRead + Unpin>(r: &mut R) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if r.read_until(b'\n', &mut line).await? == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "connection closed during DATA",
            ));
        }
        if line == b".\r\n" || line == b".\n" {
            return Ok(out);
        }
        let body: &[u8] = if line.starts_with(b"..") {
            &line[1..]
        } else {
            &line
        };
        out.extend_from_slice(body);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;

    #[tokio::test]
    async fn a_message_sent_over_tcp_is_received_with_its_envelope() {
        let sink = SmtpSink::start().await.expect("start");
        let mut s = TcpStream::connect(sink.addr()).await.expect("connect");
        let script = "EHLO t\r\nMAIL FROM:<a@x.vn>\r\nRCPT TO:<b@y.vn>\r\nDATA\r\nSubject: hi\r\n\r\n..dot\r\nline\r\n.\r\nQUIT\r\n";
        s.write_all(script.as_bytes()).await.expect("write");
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).await.expect("read");
        let got = sink.messages();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].from, "a@x.vn");
        assert_eq!(got[0].to, vec!["b@y.vn".to_string()]);
        assert_eq!(got[0].subject(), "hi");
        assert!(
            got[0].text().starts_with(".dot"),
            "dot unstuffed: {:?}",
            got[0].text()
        );
    }

    #[tokio::test]
    async fn a_stopped_sink_refuses_connections_and_a_restarted_one_accepts_them() {
        let mut sink = SmtpSink::start().await.expect("start");
        sink.stop();
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert!(TcpStream::connect(sink.addr()).await.is_err());
        sink.restart().await.expect("restart");
        assert!(TcpStream::connect(sink.addr()).await.is_ok());
    }
}
