//! Delivers the mail outbox over SMTP, every second: each due message is claimed first (so
//! two senders never send one twice), written in the recipient's language (the edge for
//! background work: the outbox holds the message as data), sent, then marked sent; a failure is retried with a
//! doubling delay (2 s, 4 s, ... up to an hour), and after 10 attempts the message stays
//! `failed` for an administrator to see. Without SMTP settings mail stays queued. A crash
//! between the SMTP server accepting a message and the mark is the one window in which a
//! claimed message is neither resent nor marked sent (it stays `sending`).

use super::Job;
use crate::server::AppState;
use crate::server::repo::mail as outbox;
use crate::server::service::access::language;
use crate::types::alert::AlertNote;
use std::time::Duration;

/// Messages sent per tick.
const BATCH: i64 = 50;
/// Attempts before a message is given up.
pub const MAX_ATTEMPTS: i64 = 10;

/// The delay before attempt `attempts + 1`.
pub fn backoff_ms(attempts: i64) -> i64 {
    let doublings = u32::try_from(attempts.clamp(1, 12)).unwrap_or(12);
    (1000_i64 << doublings).min(3_600_000)
}

pub struct MailSender;

#[async_trait::async_trait]
impl Job for MailSender {
    fn name(&self) -> &'static str {
        "mail_sender"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(1)
    }

    async fn run(&self, state: &AppState) -> anyhow::Result<()> {
        let Some(mailer) = state.mail.clone() else {
            return Ok(());
        };
        let now = state.clock.now_ms();
        let due = outbox::due(&mut *state.db.conn().await?, now, BATCH).await?;
        for mail in due {
            if !outbox::claim(&mut *state.db.conn().await?, mail.id).await? {
                continue;
            }
            // Written now, in the language the recipient reads now.
            let locale = match mail.user_id {
                Some(user) => language::of(state, user).await?,
                None => Default::default(),
            };
            let note: AlertNote = serde_json::from_str(&mail.params).unwrap_or_default();
            let (subject, body) = note.mail(locale);
            let file = match mail.attachment_id {
                Some(id) => outbox::attachment(&mut *state.db.conn().await?, id).await?,
                None => None,
            };
            let sent = mailer
                .send(&mail.to_address, &subject, &body, file.as_ref())
                .await;
            let mut conn = state.db.conn().await?;
            match sent {
                Ok(()) => outbox::mark_sent(&mut conn, mail.id, state.clock.now_ms()).await?,
                Err(error) => {
                    tracing::warn!(id = mail.id, %error, "mail not delivered");
                    let attempts = mail.attempts + 1;
                    let next = (attempts < MAX_ATTEMPTS)
                        .then(|| state.clock.now_ms() + backoff_ms(attempts));
                    outbox::retry_or_fail(&mut conn, mail.id, next, &error).await?;
                }
            }
        }
        Ok(())
    }
}
