//! Ninety days of the demo organisation's past, so a newcomer's first dashboard is alive:
//! office sign-ins and exports on working days, refusals, and a handful of incidents that
//! raised alerts in every state and severity, some triaged with notes.
//!
//! Nothing here writes a table: every step goes through the service a user's request
//! would (sign-in, export, download, reveal, detection, triage, account actions, rule
//! changes), on a clock of its own that starts 90 days ago and only moves forward. So the
//! audit chain, the alerts, "Mi uso", the dashboard and the explorer agree with each other
//! exactly as they would after ninety real days. The script is `script.rs` (with
//! `routine.rs` and `incidents.rs`); this file plays it.

mod calendar;
mod incidents;
mod routine;
mod script;

use crate::error::AppError;
use crate::server::AppState;
use crate::server::clock::Clock;
use crate::server::context::{AuthSession, RequestMeta};
use crate::server::repo::alerts as alert_repo;
use crate::server::repo::users;
use crate::server::service::access::{accounts, sign_in};
use crate::server::service::alerts::{answer, detect, rules, triage};
use crate::server::service::audit::checkpoint::{self, Reason};
use crate::server::service::contacts;
use crate::server::service::export::{self, Decision};
use crate::types::alert::{AlertKind, AlertSeverity, AlertState};
use crate::types::contact::{ContactFilter, Selection};
use crate::types::export::ExportRequest;
use crate::types::field::Field;
use crate::types::triage::ActionTaken;
pub use calendar::{Calendar, DAYS};
use std::collections::HashMap;

/// Whom an alert is about, as the script names it.
#[derive(Debug, Clone, Copy)]
pub enum Subject {
    User(&'static str),
    Ip(&'static str),
}

/// One export as the script asks for it.
#[derive(Debug, Clone)]
pub struct Ask {
    pub count: i64,
    pub city: Option<&'static str>,
    pub fields: &'static [&'static str],
    pub justification: &'static str,
    pub campaign: Option<&'static str>,
    /// Fetch the file right after (most people do).
    pub download: bool,
}

/// One thing someone does.
#[derive(Debug, Clone)]
pub enum Act {
    SignIn {
        user: &'static str,
        ip: &'static str,
        agent: &'static str,
    },
    /// A wrong password typed for `username` (which may not exist).
    FailSignIn {
        username: &'static str,
        ip: &'static str,
        agent: &'static str,
    },
    SignOut {
        user: &'static str,
    },
    /// Someone else signs in with `username`'s password; their session stays open until
    /// the administrator ends it.
    Intrude {
        username: &'static str,
        ip: &'static str,
        agent: &'static str,
    },
    Export {
        user: &'static str,
        ask: Ask,
    },
    /// Reveals the passport of `count` visible contacts, one after another.
    Reveal {
        user: &'static str,
        count: usize,
    },
    /// Runs detection over everything written so far.
    Detect,
    /// The subject's "was this you?" answer about their open alert of `kind`.
    Answer {
        user: &'static str,
        kind: AlertKind,
        yes: bool,
    },
    /// The administrator moves the open alert of `kind` about `subject`.
    Move {
        kind: AlertKind,
        subject: Subject,
        to: AlertState,
        note: Option<&'static str>,
        action: Option<ActionTaken>,
    },
    Assign {
        kind: AlertKind,
        subject: Subject,
        to: &'static str,
    },
    Comment {
        kind: AlertKind,
        subject: Subject,
        note: &'static str,
    },
    /// An account action by the administrator (`unblock`, `lift_suspension`, ...).
    Account {
        username: &'static str,
        action: &'static str,
        reason: &'static str,
    },
    /// The administrator changes a rule's severity on "Reglas de detección".
    RuleSeverity {
        kind: AlertKind,
        severity: AlertSeverity,
    },
    /// The day's signed checkpoint.
    Checkpoint,
}

/// `act` at `at` (unix ms).
#[derive(Debug, Clone)]
pub struct Step {
    pub at: i64,
    pub act: Act,
}

/// What writing the history did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct HistoryReport {
    pub steps: usize,
    pub alerts: usize,
}

/// The administrator the script triages as.
const ADMIN: &str = "admin";

/// `state` on a clock of its own, at the first day of a history that ends at `end` (unix
/// ms): the demo organisation is created on it, then [`write`] plays the history on it.
pub fn in_the_past(state: &AppState, end: i64) -> AppState {
    let mut past = state.clone();
    past.clock = Clock::starting_at(Calendar::ending_at(end).start());
    past
}

/// Writes the history ending at `end` through the services of `past` (see [`in_the_past`]).
pub async fn write(past: &AppState, end: i64) -> Result<HistoryReport, AppError> {
    let calendar = Calendar::ending_at(end);
    let mut steps = script::steps(&calendar);
    steps.retain(|s| s.at < end);
    steps.sort_by_key(|s| s.at);
    let mut player = Player {
        state: past.clone(),
        open: HashMap::new(),
    };
    for step in &steps {
        player.state.clock.advance_to(step.at);
        player.play(&step.act).await?;
    }
    player.state.clock.advance_to(end);
    detect::catch_up(&player.state).await?;
    checkpoint::write(&player.state, Reason::Periodic).await?;
    let by_state =
        alert_repo::count_by_state(&mut *past.db.conn().await?, &Default::default()).await?;
    let alerts = by_state.iter().map(|(_, n)| n).sum::<i64>();
    Ok(HistoryReport {
        steps: steps.len(),
        alerts: usize::try_from(alerts).unwrap_or_default(),
    })
}

/// Plays steps, keeping each user's open session.
struct Player {
    state: AppState,
    open: HashMap<&'static str, (AuthSession, RequestMeta)>,
}

fn script_error(what: &str) -> AppError {
    tracing::error!(what, "the demo history's script is inconsistent");
    AppError::Internal
}

/// Outcomes a user's request may meet that the script expects (a refusal is part of the
/// story); anything else is a real failure.
fn expected(result: Result<(), AppError>) -> Result<(), AppError> {
    match result {
        Ok(())
        | Err(
            AppError::InvalidCredentials
            | AppError::AccountBlocked
            | AppError::Refused(_)
            | AppError::Validation { .. }
            | AppError::Forbidden,
        ) => Ok(()),
        Err(other) => Err(other),
    }
}

impl Player {
    fn session(&self, user: &str) -> Result<(AuthSession, RequestMeta), AppError> {
        self.open
            .get(user)
            .cloned()
            .ok_or_else(|| script_error("a step acts without a session"))
    }

    async fn alert(&self, kind: AlertKind, subject: Subject) -> Result<(i64, i64), AppError> {
        let mut conn = self.state.db.conn().await?;
        let key = match subject {
            Subject::User(name) => {
                let id = users::id_by_username(&mut conn, name).await?;
                format!(
                    "user:{}",
                    id.ok_or_else(|| script_error("unknown subject"))?
                )
            }
            Subject::Ip(ip) => format!("ip:{ip}"),
        };
        let row = alert_repo::find_open(&mut conn, kind.code(), &key).await?;
        row.map(|a| (a.id, a.version))
            .ok_or_else(|| script_error("no open alert to triage"))
    }

    async fn play(&mut self, act: &Act) -> Result<(), AppError> {
        let state = &self.state;
        match act {
            Act::SignIn { user, ip, agent } => {
                let meta = meta(ip, agent);
                let signed = sign_in::sign_in_typed(state, user, true, &meta).await?;
                let caller = AuthSession {
                    user_id: signed.user.id,
                    username: signed.user.username.clone(),
                    role: signed.user.role,
                    session_id: signed.session_id.clone(),
                };
                let meta = RequestMeta {
                    session_id: Some(signed.session_id),
                    ..meta
                };
                self.open.insert(user, (caller, meta));
            }
            Act::FailSignIn {
                username,
                ip,
                agent,
            } => {
                let meta = meta(ip, agent);
                let result = sign_in::sign_in_typed(state, username, false, &meta).await;
                expected(result.map(|_| ()))?;
            }
            Act::Intrude {
                username,
                ip,
                agent,
            } => {
                sign_in::sign_in_typed(state, username, true, &meta(ip, agent)).await?;
            }
            Act::SignOut { user } => {
                if let Some((caller, meta)) = self.open.remove(user) {
                    sign_in::sign_out(state, &caller, &meta).await?;
                }
            }
            Act::Export { user, ask } => {
                let (caller, meta) = self.session(user)?;
                let request = ExportRequest {
                    selection: Selection::Filter(ContactFilter {
                        city: ask.city.map(str::to_owned),
                        limit: Some(ask.count),
                        ..ContactFilter::default()
                    }),
                    fields: ask.fields.iter().map(|f| (*f).to_owned()).collect(),
                    format: "csv".into(),
                    justification: ask.justification.into(),
                    campaign: ask.campaign.map(str::to_owned),
                };
                match export::request_export(state, &caller, &meta, request).await {
                    Ok(Decision::Allowed { export_id, .. }) if ask.download => {
                        export::download(state, &caller, &meta, &export_id).await?;
                    }
                    other => expected(other.map(|_| ()))?,
                }
            }
            Act::Reveal { user, count } => {
                let (caller, meta) = self.session(user)?;
                let mut shown = 0;
                for page in 1..=10 {
                    let found =
                        contacts::search(state, &caller, &ContactFilter::default(), page).await?;
                    for row in found
                        .rows
                        .iter()
                        .filter(|r| r.revealable.contains(&Field::PassportNumber))
                    {
                        if shown == *count {
                            return Ok(());
                        }
                        contacts::reveal(state, &caller, &meta, row.id, Field::PassportNumber)
                            .await?;
                        shown += 1;
                    }
                }
            }
            Act::Detect => {
                detect::catch_up(state).await?;
            }
            Act::Answer { user, kind, yes } => {
                detect::catch_up(state).await?;
                let (caller, meta) = self.session(user)?;
                let (id, _) = self.alert(*kind, Subject::User(user)).await?;
                let said = if *yes { "yes" } else { "no" };
                answer::answer(state, &caller, &meta, id, said).await?;
            }
            Act::Move {
                kind,
                subject,
                to,
                note,
                action,
            } => {
                detect::catch_up(state).await?;
                let (admin, meta) = self.session(ADMIN)?;
                let (id, version) = self.alert(*kind, *subject).await?;
                let t = triage::Transition {
                    id,
                    to: to.code().into(),
                    note: note.map(str::to_owned),
                    action_taken: action.map(|a| a.code().to_owned()),
                    version,
                };
                triage::transition(state, &admin, &meta, t).await?;
            }
            Act::Assign { kind, subject, to } => {
                let (admin, meta) = self.session(ADMIN)?;
                let (id, version) = self.alert(*kind, *subject).await?;
                triage::assign(state, &admin, &meta, id, Some(to), version).await?;
            }
            Act::Comment {
                kind,
                subject,
                note,
            } => {
                let (admin, meta) = self.session(ADMIN)?;
                let (id, _) = self.alert(*kind, *subject).await?;
                triage::comment(state, &admin, &meta, id, note).await?;
            }
            Act::Account {
                username,
                action,
                reason,
            } => {
                let (admin, meta) = self.session(ADMIN)?;
                let request = accounts::Request {
                    username: (*username).into(),
                    action: (*action).into(),
                    reason: (*reason).into(),
                    alert_id: None,
                };
                accounts::act(state, &admin, &meta, request).await?;
            }
            Act::RuleSeverity { kind, severity } => {
                let (admin, meta) = self.session(ADMIN)?;
                let rule = rules::list(state)
                    .await?
                    .into_iter()
                    .find(|r| r.kind == *kind)
                    .ok_or_else(|| script_error("unknown rule"))?;
                let change = rules::Change {
                    kind: kind.code().into(),
                    threshold: rule.threshold,
                    window_secs: rule.window_secs,
                    severity: severity.code().into(),
                    enabled: rule.enabled,
                    actions: None,
                };
                rules::update(state, &admin, &meta, change).await?;
            }
            Act::Checkpoint => {
                detect::catch_up(state).await?;
                checkpoint::write(state, Reason::Periodic).await?;
            }
        }
        Ok(())
    }
}

fn meta(ip: &str, agent: &str) -> RequestMeta {
    RequestMeta {
        ip: ip.into(),
        user_agent: agent.into(),
        session_id: None,
    }
}
