//! The administrators' view of people: the directory, filtered by department, role, status
//! and a search, and one person's page — profile, supervisor, status, open sessions, recent
//! sign-ins and exports, training, and every change made to their account.

use super::{accounts, usage};
use crate::error::AppError;
use crate::server::AppState;
use crate::server::repo::{audit as audit_repo, training, users};
use crate::server::service::policy;
use crate::types::session::{UserChange, UserDetail, UserFilter};
use crate::types::{Department, Role, UserRow, UserStatus};

/// How many sign-ins, exports and changes the page shows.
const LISTED: i64 = 15;

fn bad(e: crate::types::org::UnknownCode) -> AppError {
    tracing::error!(error = %e, "stored organisation code");
    AppError::Internal
}

fn row(r: users::UserRecord) -> Result<UserRow, AppError> {
    Ok(UserRow {
        id: r.id,
        username: r.username,
        full_name: r.full_name,
        department: r.department.parse::<Department>().map_err(bad)?,
        role: r.role.parse::<Role>().map_err(bad)?,
        supervisor: r.supervisor,
        status: r.status.parse::<UserStatus>().map_err(bad)?,
    })
}

/// The directory, filtered (`None` or empty: any).
pub async fn list(state: &AppState, filter: &UserFilter) -> Result<Vec<UserRow>, AppError> {
    let records = users::list_users(&mut *state.db.conn().await?).await?;
    let wanted = |value: &Option<String>, actual: &str| {
        value
            .as_deref()
            .map(str::trim)
            .is_none_or(|v| v.is_empty() || v == actual)
    };
    let text = filter
        .q
        .as_deref()
        .map(|q| crate::server::text::fold(q.trim()))
        .unwrap_or_default();
    records
        .into_iter()
        .filter(|r| {
            wanted(&filter.department, &r.department)
                && wanted(&filter.role, &r.role)
                && wanted(&filter.status, &r.status)
                && (text.is_empty()
                    || crate::server::text::fold(&r.username).contains(&text)
                    || crate::server::text::fold(&r.full_name).contains(&text))
        })
        .map(row)
        .collect()
}

/// One user's row, by username.
pub async fn one(state: &AppState, username: &str) -> Result<UserRow, AppError> {
    let mut conn = state.db.conn().await?;
    let id = users::id_by_username(&mut conn, &username.trim().to_lowercase())
        .await?
        .ok_or(AppError::NotFound)?;
    row(users::find_user(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?)
}

/// Everything the user's page shows.
pub async fn detail(state: &AppState, username: &str) -> Result<UserDetail, AppError> {
    let mut conn = state.db.conn().await?;
    let id = users::id_by_username(&mut conn, &username.trim().to_lowercase())
        .await?
        .ok_or(AppError::NotFound)?;
    let record = users::find_user(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let account = accounts::view(state, &mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = state.clock.now_ms();
    let policy = policy::load(&mut conn, id).await?;
    let changes = audit_repo::about_target(&mut conn, "user", &id.to_string(), LISTED)
        .await?
        .into_iter()
        .map(|e| {
            let parse = |v: Option<String>| {
                v.and_then(|v| serde_json::from_str(&v).ok())
                    .unwrap_or(serde_json::Value::Null)
            };
            let details = parse(e.details_json.clone());
            UserChange {
                seq: e.seq,
                at: e.created_at,
                actor: e.actor_username.clone().unwrap_or_default(),
                action: e.action.clone(),
                before: parse(e.before_json.clone()),
                after: parse(e.after_json.clone()),
                reason: details["reason"].as_str().map(str::to_owned),
            }
        })
        .collect();
    Ok(UserDetail {
        account,
        email: users::email_of(&mut conn, id).await?.unwrap_or_default(),
        supervisor: record.supervisor,
        reports: record.reports,
        quota: usage::quota_of(&mut conn, &policy, id, now).await?,
        certified_until: training::certified_until(&mut conn, id)
            .await?
            .filter(|until| *until > now),
        sign_ins: usage::sign_ins_of(&mut conn, id, LISTED).await?,
        exports: usage::exports_of(&mut conn, id, LISTED, None).await?,
        changes,
    })
}
