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
mod player;
mod routine;
mod script;

use crate::error::AppError;
use crate::server::AppState;
use crate::server::clock::Clock;
use crate::server::repo::alerts as alert_repo;
use crate::server::service::alerts::detect;
use crate::server::service::audit::checkpoint::{self, Reason};
use crate::types::alert::{AlertKind, AlertSeverity, AlertState};
use crate::types::triage::ActionTaken;
pub use calendar::{Calendar, DAYS, FOUNDED};
use player::Player;
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
    /// Accepts the agreement and takes the quiz, answering right (or failing with 7 of 10).
    Train {
        user: &'static str,
        pass: bool,
    },
    /// Proposes a Marketing campaign running for a year from today.
    ProposeCampaign {
        user: &'static str,
        name: &'static str,
        purpose: &'static str,
    },
    /// Approves the proposed campaign `name`.
    ApproveCampaign {
        user: &'static str,
        name: &'static str,
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
