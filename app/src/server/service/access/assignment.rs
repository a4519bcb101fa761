//! Where someone sits in the organisation — role, department, supervisor — as a security
//! administrator changes it (the user's page). The change is checked on the server: known
//! codes only, a supervisor who exists and is not the user, no supervisor cycles, never an
//! administrator's own account, never the last active administrator demoted. It takes
//! effect on the user's next request (every request reads the role afresh) and is one
//! audit event with before and after, and the reason, in the change's transaction.

use super::accounts::reason;
use crate::error::AppError;
use crate::notice::Notice;
use crate::server::AppState;
use crate::server::context::{AuthSession, RequestMeta};
use crate::server::repo::users;
use crate::server::service::audit::{self, NewEvent};
use crate::types::audit::{AuditAction, Outcome, Severity};
use crate::types::{Department, Role};
use serde_json::json;
use sqlx::AnyConnection;

/// What changes (`None` or empty: stays as it is). `supervisor: Some("-")` removes the
/// supervisor.
#[derive(Debug, Clone, Default)]
pub struct Change {
    pub username: String,
    pub role: Option<String>,
    pub department: Option<String>,
    pub supervisor: Option<String>,
    pub reason: String,
}

fn code<T: std::str::FromStr>(field: &str, value: &str) -> Result<T, AppError> {
    value.trim().parse::<T>().map_err(|_| {
        AppError::validation(
            field,
            Notice::UnknownValue {
                value: value.chars().filter(|c| !c.is_control()).take(40).collect(),
            },
        )
    })
}

/// Whether making `boss` the supervisor of `user` would close a loop (`boss` reports,
/// directly or not, to `user`).
async fn would_loop(conn: &mut AnyConnection, user: i64, boss: i64) -> Result<bool, AppError> {
    let mut seen = Vec::new();
    let mut next = Some(boss);
    while let Some(id) = next {
        if id == user {
            return Ok(true);
        }
        if seen.contains(&id) {
            break;
        }
        seen.push(id);
        next = users::supervisor_of(conn, id).await?;
    }
    Ok(false)
}

/// Applies `change` (`POST /api/user_change`).
pub async fn change(
    state: &AppState,
    admin: &AuthSession,
    meta: &RequestMeta,
    change: Change,
) -> Result<(), AppError> {
    let why = reason(&change.reason)?;
    let role: Option<Role> = change
        .role
        .as_deref()
        .map(|r| code("role", r))
        .transpose()?;
    let department: Option<Department> = change
        .department
        .as_deref()
        .map(|d| code("department", d))
        .transpose()?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let username = change.username.trim().to_lowercase();
    let account = users::account_by_username(&mut tx, &username)
        .await?
        .ok_or(AppError::NotFound)?;
    if account.id == admin.user_id {
        return Err(AppError::Conflict(Notice::OwnAccount));
    }
    let record = users::find_user(&mut tx, account.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let supervisor: Option<Option<i64>> = match change.supervisor.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("-") => Some(None),
        Some(name) => {
            let boss = users::id_by_username(&mut tx, &name.to_lowercase())
                .await?
                .ok_or_else(|| {
                    AppError::validation(
                        "supervisor",
                        Notice::UnknownValue {
                            value: name.chars().take(64).collect(),
                        },
                    )
                })?;
            if would_loop(&mut tx, account.id, boss).await? {
                return Err(AppError::validation("supervisor", Notice::SupervisorCycle));
            }
            Some(Some(boss))
        }
    };
    let new_role = role.map_or_else(|| record.role.clone(), |r| r.code().to_owned());
    let new_department =
        department.map_or_else(|| record.department.clone(), |d| d.code().to_owned());
    let demoted = record.role == Role::Admin.code() && new_role != Role::Admin.code();
    if demoted && account.status == "active" && users::active_admins(&mut tx).await? <= 1 {
        return Err(AppError::Conflict(Notice::LastAdministrator));
    }
    let new_supervisor = match supervisor {
        Some(boss) => boss,
        None => users::supervisor_of(&mut tx, account.id).await?,
    };
    let new_supervisor_name = match new_supervisor {
        Some(id) => users::find_user(&mut tx, id).await?.map(|u| u.username),
        None => None,
    };
    let before = json!({
        "role": record.role,
        "department": record.department,
        "supervisor": record.supervisor,
    });
    let after = json!({
        "role": new_role,
        "department": new_department,
        "supervisor": new_supervisor_name,
    });
    if before == after {
        return Err(AppError::validation("role", Notice::NothingChanged));
    }
    users::set_assignment(
        &mut tx,
        account.id,
        &new_role,
        &new_department,
        new_supervisor,
        now,
    )
    .await?;
    let action = if before["role"] != after["role"] {
        AuditAction::RoleChanged
    } else {
        AuditAction::PermissionChanged
    };
    let event = NewEvent::new(action, Outcome::Success)
        .actor(Some(admin.user_id), &admin.username)
        .target("user", account.id)
        .meta(meta)
        .severity(if demoted || new_role == Role::Admin.code() {
            Severity::High
        } else {
            Severity::Medium
        })
        .change(before, after)
        .details(json!({ "username": account.username, "reason": why }));
    audit::append(&mut tx, now, event).await?;
    tx.commit().await?;
    Ok(())
}
