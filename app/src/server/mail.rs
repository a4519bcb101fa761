//! Mail over SMTP (lettre): the transport built once from `CENTINELA_SMTP_URL` and
//! `CENTINELA_MAIL_FROM`. Messages are queued in the outbox by whoever has something to
//! say (in the same transaction) and delivered by the mail job (`jobs/mail.rs`).

use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// A file a message carries (`mail_attachment`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MailFile {
    pub file_name: String,
    pub content_type: String,
    pub body: Vec<u8>,
}

/// Sends plain-text mail, with a file when it has one, from one address.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password: only the sender shows.
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .finish()
    }
}

impl Mailer {
    /// `url` as lettre reads it: `smtp://host:port` (plain), `smtp://host?tls=required`
    /// (STARTTLS), `smtps://user:pass@host` (TLS).
    pub fn new(url: &str, from: &str) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| anyhow::anyhow!("CENTINELA_SMTP_URL is not a valid SMTP URL: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from = from
            .parse()
            .map_err(|e| anyhow::anyhow!("CENTINELA_MAIL_FROM is not a valid address: {e}"))?;
        Ok(Self { transport, from })
    }

    /// Delivers one message, with its file if it has one; the error is for the outbox and
    /// the server log only.
    pub async fn send(
        &self,
        to: &str,
        subject: &str,
        body: &str,
        file: Option<&MailFile>,
    ) -> Result<(), String> {
        let to: Mailbox = to.parse().map_err(|e| format!("recipient: {e}"))?;
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject);
        let message = match file {
            None => builder
                .header(ContentType::TEXT_PLAIN)
                .body(body.to_owned()),
            Some(file) => {
                let kind = ContentType::parse(&file.content_type)
                    .map_err(|e| format!("attachment type: {e}"))?;
                builder.multipart(
                    MultiPart::mixed()
                        .singlepart(SinglePart::plain(body.to_owned()))
                        .singlepart(
                            Attachment::new(file.file_name.clone()).body(file.body.clone(), kind),
                        ),
                )
            }
        }
        .map_err(|e| format!("message: {e}"))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("smtp: {e}"))
    }
}
