//! Marketing campaigns (seed 000: Marketing exports only for an approved campaign). Anyone
//! in Marketing (or a security administrator) proposes one with its purpose and dates; a
//! Marketing supervisor or above, or a security administrator, approves or rejects it —
//! never the person who proposed it. A Marketing export must name an approved campaign
//! whose dates (Lima, both included) contain the day of the export. Proposals and
//! decisions are audit events in the same transaction.

use crate::error::AppError;
use crate::notice::Notice;
use crate::server::AppState;
use crate::server::context::{AuthSession, RequestMeta};
use crate::server::repo::approvals::{self as people, Person};
use crate::server::repo::campaigns::{self as repo, CampaignRow, NewCampaign};
use crate::server::service::audit::{self, NewEvent};
use crate::server::text::fold;
use crate::types::approval::{CampaignStatus, CampaignView, Campaigns};
use crate::types::audit::{AuditAction, Outcome};
use crate::types::time::format_lima_date;
use crate::types::{Department, Role};
use chrono::NaiveDate;
use serde_json::json;
use sqlx::AnyConnection;

/// The longest a campaign may run, in days.
pub const MAX_DAYS: i64 = 366;
const MAX_NAME: usize = 80;
const MAX_PURPOSE: usize = 500;
/// A purpose says what the campaign is for in at least this many characters.
const MIN_PURPOSE: usize = 10;

/// Whether `name` is an approved campaign running on the Lima day of `now`.
pub async fn is_running(conn: &mut AnyConnection, name: &str, now: i64) -> Result<bool, AppError> {
    Ok(repo::active_named(conn, &fold(name.trim()), &format_lima_date(now)).await?)
}

/// The names of the approved campaigns running on the Lima day of `now`.
pub async fn running(conn: &mut AnyConnection, now: i64) -> Result<Vec<String>, AppError> {
    Ok(repo::running(conn, &format_lima_date(now)).await?)
}

fn in_marketing(p: &Person) -> bool {
    p.department == Department::Marketing.code()
}

fn is_admin(p: &Person) -> bool {
    p.role == Role::Admin.code()
}

/// Marketing staff and security administrators propose.
fn may_propose(p: &Person) -> bool {
    in_marketing(p) || is_admin(p)
}

/// A Marketing supervisor or above, or a security administrator, decides — not the proposer.
fn may_decide(p: &Person, c: &CampaignRow) -> bool {
    let senior = p.role.parse::<Role>().is_ok_and(|r| r >= Role::Supervisor);
    c.status == CampaignStatus::Proposed.code()
        && c.proposed_by_id != p.id
        && ((in_marketing(p) && senior) || is_admin(p))
}

async fn me(conn: &mut AnyConnection, caller: &AuthSession) -> Result<Person, AppError> {
    people::person(conn, caller.user_id)
        .await?
        .ok_or(AppError::Unauthorized)
}

/// The campaigns page: current and coming campaigns, and proposals.
pub async fn list(state: &AppState, caller: &AuthSession) -> Result<Campaigns, AppError> {
    let mut conn = state.db.conn().await?;
    let me = me(&mut conn, caller).await?;
    let today = format_lima_date(state.clock.now_ms());
    let items = repo::list(&mut conn, &today)
        .await?
        .into_iter()
        .map(|c| CampaignView {
            active: c.status == CampaignStatus::Approved.code()
                && c.starts_on <= today
                && today <= c.ends_on,
            may_decide: may_decide(&me, &c),
            id: c.id,
            status: CampaignStatus::from_code(&c.status).unwrap_or(CampaignStatus::Proposed),
            name: c.name,
            purpose: c.purpose,
            starts_on: c.starts_on,
            ends_on: c.ends_on,
            proposed_by: c.proposed_by,
            decided_by: c.decided_by,
            decided_at: c.decided_at,
            comment: c.decision_comment,
        })
        .collect();
    Ok(Campaigns {
        items,
        may_propose: may_propose(&me),
    })
}

fn date(field: &str, value: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::validation(field, Notice::DateFormat))
}

/// A new campaign, as proposed (422 for each wrong field; nothing is stored then).
pub struct Proposal {
    pub name: String,
    pub purpose: String,
    pub starts_on: String,
    pub ends_on: String,
}

pub async fn propose(
    state: &AppState,
    caller: &AuthSession,
    meta: &RequestMeta,
    proposal: Proposal,
) -> Result<i64, AppError> {
    let name = proposal.name.trim();
    let purpose = proposal.purpose.trim();
    if name.is_empty() {
        return Err(AppError::validation("name", Notice::CampaignNameRequired));
    }
    if name.chars().count() > MAX_NAME {
        return Err(AppError::validation(
            "name",
            Notice::TooLong { max: MAX_NAME },
        ));
    }
    if purpose.chars().count() < MIN_PURPOSE {
        return Err(AppError::validation(
            "purpose",
            Notice::ReasonRequired { min: MIN_PURPOSE },
        ));
    }
    if purpose.chars().count() > MAX_PURPOSE {
        return Err(AppError::validation(
            "purpose",
            Notice::TooLong { max: MAX_PURPOSE },
        ));
    }
    let (starts, ends) = (
        date("starts_on", &proposal.starts_on)?,
        date("ends_on", &proposal.ends_on)?,
    );
    if ends < starts || (ends - starts).num_days() >= MAX_DAYS {
        return Err(AppError::validation("ends_on", Notice::CampaignDates));
    }
    let mut tx = state.db.begin_write().await?;
    let now = state.clock.now_ms();
    let me = me(&mut tx, caller).await?;
    if !may_propose(&me) {
        return Err(AppError::Forbidden);
    }
    let key = fold(name);
    if repo::id_named(&mut tx, &key).await?.is_some() {
        return Err(AppError::validation(
            "name",
            Notice::CampaignExists { name: name.into() },
        ));
    }
    let (starts_on, ends_on) = (starts.to_string(), ends.to_string());
    let new = NewCampaign {
        name,
        name_key: &key,
        purpose,
        starts_on: &starts_on,
        ends_on: &ends_on,
        proposed_by: me.id,
    };
    let id = repo::insert(&mut tx, &new, now).await?;
    let event = NewEvent::new(AuditAction::CampaignProposed, Outcome::Success)
        .actor(Some(me.id), &me.username)
        .target("campaign", id)
        .meta(meta)
        .details(json!({
            "name": name,
            "purpose": purpose,
            "starts_on": starts_on,
            "ends_on": ends_on,
        }));
    audit::append(&mut tx, now, event).await?;
    tx.commit().await?;
    Ok(id)
}

/// Approves or rejects a proposed campaign (403 for anyone who may not, the proposer
/// included; 409 when it was decided already).
pub async fn decide(
    state: &AppState,
    caller: &AuthSession,
    meta: &RequestMeta,
    id: i64,
    approve: bool,
    comment: Option<String>,
) -> Result<(), AppError> {
    let comment = comment
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    if comment
        .as_ref()
        .is_some_and(|c| c.chars().count() > MAX_PURPOSE)
    {
        return Err(AppError::validation(
            "comment",
            Notice::TooLong { max: MAX_PURPOSE },
        ));
    }
    let mut tx = state.db.begin_write().await?;
    let now = state.clock.now_ms();
    let me = me(&mut tx, caller).await?;
    let c = repo::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if c.status != CampaignStatus::Proposed.code() {
        return Err(AppError::Conflict(Notice::CampaignDecided));
    }
    if !may_decide(&me, &c) {
        return Err(AppError::Forbidden);
    }
    let status = if approve {
        CampaignStatus::Approved
    } else {
        CampaignStatus::Rejected
    };
    if !repo::decide(&mut tx, id, status.code(), me.id, comment.as_deref(), now).await? {
        return Err(AppError::Conflict(Notice::CampaignDecided));
    }
    let event = NewEvent::new(AuditAction::CampaignDecided, Outcome::Success)
        .actor(Some(me.id), &me.username)
        .target("campaign", id)
        .meta(meta)
        .details(json!({
            "name": c.name,
            "before": c.status,
            "after": status.code(),
            "comment": comment,
        }));
    audit::append(&mut tx, now, event).await?;
    tx.commit().await?;
    Ok(())
}
