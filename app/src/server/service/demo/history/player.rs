//! Plays the script's steps through the services, keeping each user's open session.

use super::{ADMIN, Act, Subject};
use crate::error::AppError;
use crate::server::AppState;
use crate::server::context::{AuthSession, RequestMeta};
use crate::server::repo::alerts as alert_repo;
use crate::server::repo::campaigns as campaign_repo;
use crate::server::repo::users;
use crate::server::service::access::{accounts, sign_in};
use crate::server::service::alerts::{answer, detect, rules, triage};
use crate::server::service::approvals::campaigns;
use crate::server::service::audit::checkpoint::{self, Reason};
use crate::server::service::contacts;
use crate::server::service::export::{self, Decision};
use crate::server::service::training::{bank, certificates, quiz};
use crate::server::text::fold;
use crate::types::alert::AlertKind;
use crate::types::contact::{ContactFilter, Selection};
use crate::types::export::ExportRequest;
use crate::types::field::Field;
use crate::types::time::format_lima_date;
use crate::types::training::QuizAnswers;
use std::collections::HashMap;

/// Plays steps, keeping each user's open session.
pub(super) struct Player {
    pub(super) state: AppState,
    pub(super) open: HashMap<&'static str, (AuthSession, RequestMeta)>,
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

    pub(super) async fn play(&mut self, act: &Act) -> Result<(), AppError> {
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
                    session: None,
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
            Act::Train { user, pass } => {
                let (caller, meta) = self.session(user)?;
                certificates::accept_agreement(state, &caller, &meta).await?;
                let drawn = quiz::start(state, &caller, &meta, crate::i18n::Locale::es_PE).await?;
                let bank = bank::active(&mut *state.db.conn().await?).await?;
                // The demo knows the key; three wrong answers fail an attempt (7 of 10).
                let answers = drawn
                    .questions
                    .iter()
                    .enumerate()
                    .filter_map(|(i, q)| {
                        let right = &bank.iter().find(|b| b.id == q.id)?.correct;
                        let pick = if *pass || i >= 3 {
                            right.clone()
                        } else {
                            q.options.iter().find(|o| &o.id != right)?.id.clone()
                        };
                        Some((q.id.clone(), pick))
                    })
                    .collect();
                let submitted = QuizAnswers {
                    attempt_id: drawn.attempt_id,
                    answers,
                };
                quiz::submit(
                    state,
                    &caller,
                    &meta,
                    &submitted,
                    crate::i18n::Locale::es_PE,
                )
                .await?;
            }
            Act::ProposeCampaign {
                user,
                name,
                purpose,
            } => {
                let (caller, meta) = self.session(user)?;
                let now = state.clock.now_ms();
                let proposal = campaigns::Proposal {
                    name: (*name).into(),
                    purpose: (*purpose).into(),
                    starts_on: format_lima_date(now),
                    ends_on: format_lima_date(now + 364 * 86_400_000),
                };
                campaigns::propose(state, &caller, &meta, proposal).await?;
            }
            Act::ApproveCampaign { user, name } => {
                let (caller, meta) = self.session(user)?;
                let id = campaign_repo::id_named(&mut *state.db.conn().await?, &fold(name))
                    .await?
                    .ok_or_else(|| script_error("no such campaign"))?;
                campaigns::decide(state, &caller, &meta, id, true, None).await?;
            }
            Act::Checkpoint => {
                crate::server::service::approvals::expire_overdue(state).await?;
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
