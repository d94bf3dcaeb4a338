//! Turning an outbox row into a real message and handing it to a transport: an SMTP relay
//! (`smtp://host:port` plain, `smtp://host:port?tls=required` STARTTLS, `smtps://host:port`
//! implicit TLS, with `user:password@` credentials if needed), a directory of `.eml` files (the
//! demo's default, so nothing leaves the machine), or nothing (mail stays queued).

use std::path::PathBuf;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};
use thutuc_store::outbox::OutboxMail;

/// Mail settings (`[mail]` in `thutuc.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MailConfig {
    /// `smtp://…`, `smtps://…`, `file:DIR`, or empty to keep mail queued.
    pub transport: String,
    /// The sender (`Tên <dia-chi@example.vn>`).
    pub from: String,
    /// Seconds an SMTP conversation may take.
    pub timeout_secs: u64,
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            transport: String::new(),
            from: "Hệ thống thutuc <no-reply@thutuc.invalid>".into(),
            timeout_secs: 20,
        }
    }
}

/// Why a delivery failed.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// Worth retrying (connection refused, timeout, 4xx).
    #[error("lỗi tạm thời / transient: {0}")]
    Transient(String),
    /// Retrying will not help (bad address, 5xx, message cannot be built).
    #[error("lỗi vĩnh viễn / permanent: {0}")]
    Permanent(String),
    /// Configuration is wrong.
    #[error("cấu hình thư sai / bad mail configuration: {0}")]
    Config(String),
}

/// A configured transport.
#[derive(Clone)]
pub enum Mailer {
    /// An SMTP relay.
    Smtp {
        /// The transport (pooled connections).
        transport: AsyncSmtpTransport<Tokio1Executor>,
        /// The sender.
        from: Mailbox,
    },
    /// `.eml` files in a directory.
    Files {
        /// The transport.
        transport: AsyncFileTransport<Tokio1Executor>,
        /// The directory.
        dir: PathBuf,
        /// The sender.
        from: Mailbox,
    },
    /// No transport: the worker leaves mail queued.
    Disabled,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Smtp { .. } => "Mailer::Smtp",
            Self::Files { .. } => "Mailer::Files",
            Self::Disabled => "Mailer::Disabled",
        })
    }
}

impl Mailer {
    /// Builds the transport named in the configuration.
    pub fn from_config(cfg: &MailConfig) -> Result<Self, MailError> {
        let t = cfg.transport.trim();
        if t.is_empty() {
            return Ok(Self::Disabled);
        }
        let from: Mailbox = cfg
            .from
            .parse()
            .map_err(|e| MailError::Config(format!("mail.from `{}`: {e}", cfg.from)))?;
        if let Some(dir) = t.strip_prefix("file:") {
            let dir = PathBuf::from(dir);
            std::fs::create_dir_all(&dir)
                .map_err(|e| MailError::Config(format!("{}: {e}", dir.display())))?;
            return Ok(Self::Files {
                transport: AsyncFileTransport::new(&dir),
                dir,
                from,
            });
        }
        if t.starts_with("smtp://") || t.starts_with("smtps://") {
            let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(t)
                .map_err(|e| MailError::Config(format!("mail.transport `{t}`: {e}")))?
                .timeout(Some(std::time::Duration::from_secs(
                    cfg.timeout_secs.max(1),
                )))
                .build();
            return Ok(Self::Smtp { transport, from });
        }
        Err(MailError::Config(format!(
            "mail.transport `{t}`: dùng smtp://, smtps:// hoặc file:THU_MUC / use smtp://, smtps:// or file:DIR"
        )))
    }

    /// Whether mail can leave at all.
    pub fn is_enabled(&self) -> bool {
        !matches!(self, Self::Disabled)
    }

    /// Sends one outbox mail.
    pub async fn send(&self, m: &OutboxMail) -> Result<(), MailError> {
        match self {
            Self::Disabled => Err(MailError::Transient(
                "chưa cấu hình máy chủ thư / no mail transport".into(),
            )),
            Self::Smtp { transport, from } => {
                let msg = build(m, from)?;
                transport.send(msg).await.map(|_| ()).map_err(|e| {
                    if e.is_permanent() {
                        MailError::Permanent(e.to_string())
                    } else {
                        MailError::Transient(e.to_string())
                    }
                })
            }
            Self::Files {
                transport,
                dir,
                from,
            } => {
                let msg = build(m, from)?;
                transport
                    .send(msg)
                    .await
                    .map(|_| ())
                    .map_err(|e| MailError::Transient(format!("{}: {e}", dir.display())))
            }
        }
    }
}

/// Builds the MIME message: UTF-8 plain text, an optional attachment, the stable Message-ID.
pub fn build(m: &OutboxMail, from: &Mailbox) -> Result<Message, MailError> {
    let to: Mailbox = m.to.parse().map_err(|e| {
        MailError::Permanent(format!(
            "địa chỉ nhận `{}` không hợp lệ / bad recipient: {e}",
            m.to
        ))
    })?;
    let builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(m.subject.clone())
        .message_id(Some(format!("<{}>", m.message_id)));
    let text = SinglePart::builder()
        .header(ContentType::TEXT_PLAIN)
        .body(m.body_text.clone());
    let msg = match &m.attachment {
        None => builder.singlepart(text),
        Some(a) => {
            let ctype = ContentType::parse(&a.content_type).unwrap_or_else(|_| {
                ContentType::parse("application/octet-stream").unwrap_or(ContentType::TEXT_PLAIN)
            });
            builder.multipart(
                MultiPart::mixed()
                    .singlepart(text)
                    .singlepart(Attachment::new(a.filename.clone()).body(a.bytes.clone(), ctype)),
            )
        }
    };
    msg.map_err(|e| {
        MailError::Permanent(format!("không dựng được thư / cannot build message: {e}"))
    })
}
