//! Who approves an export request: every routing rule of approvals lives here.
//!
//! - **First approval**: the requester's supervisor; when there is none (or they are
//!   blocked, or the chain loops back), the next one up; at the top of the chain, any
//!   security administrator.
//! - **Second approval**, where the requester's department rule asks for it above a number
//!   of contacts (`department_rule.second_approval_*`): someone holding the rule's role in
//!   the requester's department. In `role` mode (Contabilidad's CFO) the first approver's
//!   decision gives it too when they hold the role; in `second_person` mode (Dirección's
//!   second authorization) a security administrator may also give it, and it must come
//!   from a different person than the first approval. When nobody but the requester holds
//!   the role, security administrators give it.
//! - **Nobody approves their own request**, and one person never counts twice where two
//!   people are needed.

use crate::error::AppError;
use crate::server::repo::approvals::{self as repo, ApprovalRow, Person};
use crate::server::service::policy::SecondApprovalRule;
use crate::types::Role;
use crate::types::approval::{ApprovalRoute, SecondApproval};
use sqlx::AnyConnection;

const ADMIN: &str = "admin";

/// Where a new request goes: its first approver (`None`: any security administrator) and,
/// if the policy asks for one, the second approval's role and mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub first: Option<i64>,
    pub second: Option<(String, &'static str)>,
}

/// The first approver of `requester`: the nearest supervisor up the chain who is not
/// blocked and is not the requester; `None` when the chain ends (security administrators).
pub async fn first_approver(
    conn: &mut AnyConnection,
    requester: &Person,
) -> Result<Option<i64>, AppError> {
    let mut seen = vec![requester.id];
    let mut next = requester.supervisor_id;
    while let Some(id) = next {
        if seen.contains(&id) {
            break;
        }
        seen.push(id);
        let Some(boss) = repo::person(conn, id).await? else {
            break;
        };
        if boss.status != "blocked" {
            return Ok(Some(id));
        }
        next = boss.supervisor_id;
    }
    Ok(None)
}

/// The route of a request of `count` contacts by `requester` under `second`.
pub async fn route(
    conn: &mut AnyConnection,
    requester: &Person,
    count: i64,
    second: Option<SecondApprovalRule>,
) -> Result<Route, AppError> {
    let first = first_approver(conn, requester).await?;
    let second = match second {
        Some(rule) if count > rule.above => {
            let mode = if rule.distinct {
                "second_person"
            } else {
                "role"
            };
            let holders = repo::holders(conn, &requester.department, rule.role.code()).await?;
            if holders.iter().any(|p| p.id != requester.id) {
                Some((rule.role.code().to_owned(), mode))
            } else {
                Some((ADMIN.to_owned(), mode))
            }
        }
        _ => None,
    };
    Ok(Route { first, second })
}

/// The route stored with a request.
pub fn of_row(r: &ApprovalRow) -> Route {
    Route {
        first: r.approver_id,
        second: r.second_role.clone().map(|role| {
            let mode = if r.second_mode.as_deref() == Some("second_person") {
                "second_person"
            } else {
                "role"
            };
            (role, mode)
        }),
    }
}

/// `route` as people read it: usernames, and who may give the second approval now (never
/// the requester). `above` is the second approval's threshold, when it is not yet known
/// whether the request will exceed it (before submitting).
pub async fn describe(
    conn: &mut AnyConnection,
    requester: i64,
    department: &str,
    route: &Route,
    above: Option<i64>,
) -> Result<ApprovalRoute, AppError> {
    let first = match route.first {
        Some(id) => repo::person(conn, id).await?.map(|p| p.username),
        None => None,
    };
    let second = match &route.second {
        Some((role, mode)) => {
            let holders = if role == ADMIN {
                repo::admins(conn).await?
            } else {
                repo::holders(conn, department, role).await?
            };
            Some(SecondApproval {
                above,
                role: role.parse().unwrap_or(Role::Admin),
                distinct: *mode == "second_person",
                candidates: holders
                    .into_iter()
                    .filter(|p| p.id != requester)
                    .map(|p| p.username)
                    .collect(),
            })
        }
        None => None,
    };
    Ok(ApprovalRoute { first, second })
}

/// Who would approve a request by `requester`, shown on the export form before anything is
/// asked (the second approval applies only above its threshold).
pub async fn preview(
    conn: &mut AnyConnection,
    requester_id: i64,
    second: Option<SecondApprovalRule>,
) -> Result<ApprovalRoute, AppError> {
    let requester = repo::person(conn, requester_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let planned = route(conn, &requester, i64::MAX, second).await?;
    describe(
        conn,
        requester.id,
        &requester.department,
        &planned,
        second.map(|rule| rule.above),
    )
    .await
}

/// The approvals still open on `r` that `caller` may give now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Slots {
    pub first: bool,
    pub second: bool,
}

fn distinct(r: &ApprovalRow) -> bool {
    r.second_mode.as_deref() == Some("second_person")
}

/// Whether `caller` may give the second approval of `r` (open or not).
fn may_give_second(r: &ApprovalRow, caller: &Person) -> bool {
    let Some(role) = r.second_role.as_deref() else {
        return false;
    };
    let holds = caller.role == role && (role == ADMIN || caller.department == r.department);
    holds || (distinct(r) && caller.role == ADMIN)
}

/// Whether `caller` is among the people who may ever decide `r`.
pub fn is_approver(r: &ApprovalRow, caller: &Person) -> bool {
    if caller.id == r.user_id {
        return false;
    }
    let first = match r.approver_id {
        Some(id) => id == caller.id,
        None => caller.role == ADMIN,
    };
    first || may_give_second(r, caller)
}

/// The approvals of `r` still open to `caller`.
pub fn open_slots(r: &ApprovalRow, caller: &Person) -> Slots {
    if caller.id == r.user_id || caller.status == "blocked" || r.status != "pending" {
        return Slots::default();
    }
    let mut slots = Slots {
        first: r.first_by.is_none()
            && match r.approver_id {
                Some(id) => id == caller.id,
                None => caller.role == ADMIN,
            },
        second: r.second_by.is_none() && may_give_second(r, caller),
    };
    if distinct(r) {
        // One person counts once.
        slots.first &= r.second_by != Some(caller.id);
        slots.second &= r.first_by != Some(caller.id);
    }
    slots
}

/// An approval by `caller`: who gave each approval afterwards, and which it filled
/// (`first`, `second` or `both`). Refused when `caller` has nothing open to approve.
pub fn approve(
    r: &ApprovalRow,
    caller: &Person,
) -> Result<(Option<i64>, Option<i64>, &'static str), crate::notice::Notice> {
    use crate::notice::Notice;
    let slots = open_slots(r, caller);
    let me = Some(caller.id);
    match (slots.first, slots.second) {
        (false, false) if r.first_by == me || r.second_by == me => Err(Notice::AlreadyApproved),
        (false, false) if caller.id == r.user_id => Err(Notice::OwnRequest),
        (false, false) => Err(Notice::NotAnApprover),
        (true, true) if !distinct(r) => Ok((me, me, "both")),
        (true, _) => Ok((me, r.second_by, "first")),
        (false, true) => Ok((r.first_by, me, "second")),
    }
}

/// (needed, given) approvals of `r`.
pub fn progress(r: &ApprovalRow) -> (i64, i64) {
    let needed = 1 + i64::from(r.second_role.is_some());
    let given = i64::from(r.first_by.is_some()) + i64::from(r.second_by.is_some());
    (needed, given)
}

/// Everyone who may still approve `r` (to be told about it), never the requester.
pub async fn pending_approvers(
    conn: &mut AnyConnection,
    r: &ApprovalRow,
) -> Result<Vec<Person>, AppError> {
    let mut people: Vec<Person> = Vec::new();
    let add = |p: Person, people: &mut Vec<Person>| {
        if p.id != r.user_id && !people.iter().any(|q| q.id == p.id) {
            people.push(p);
        }
    };
    if r.first_by.is_none() {
        match r.approver_id {
            Some(id) => {
                if let Some(p) = repo::person(conn, id).await? {
                    add(p, &mut people);
                }
            }
            None => {
                for p in repo::admins(conn).await? {
                    add(p, &mut people);
                }
            }
        }
    }
    if r.second_by.is_none()
        && let Some(role) = r.second_role.as_deref()
    {
        let mut candidates = if role == ADMIN {
            repo::admins(conn).await?
        } else {
            repo::holders(conn, &r.department, role).await?
        };
        if distinct(r) && role != ADMIN {
            candidates.extend(repo::admins(conn).await?);
        }
        for p in candidates {
            if r.first_by != Some(p.id) || !distinct(r) {
                add(p, &mut people);
            }
        }
    }
    Ok(people)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: i64, department: &str, role: &str) -> Person {
        Person {
            id,
            username: format!("u{id}"),
            department: department.into(),
            role: role.into(),
            status: "active".into(),
            supervisor_id: None,
        }
    }

    fn request(user: i64, department: &str, approver: Option<i64>) -> ApprovalRow {
        ApprovalRow {
            id: 1,
            user_id: user,
            requester: format!("u{user}"),
            requester_name: String::new(),
            department: department.into(),
            role: "executive".into(),
            approver_id: approver,
            status: "pending".into(),
            reason_code: "quota_exceeded".into(),
            reason: String::new(),
            count: 60,
            fields: "[]".into(),
            format: "csv".into(),
            justification: String::new(),
            campaign: None,
            contact_ids: "[]".into(),
            contacts_digest: String::new(),
            created_at: 0,
            expires_at: 1,
            second_role: None,
            second_mode: None,
            first_by: None,
            second_by: None,
            granted_at: None,
            grant_expires_at: None,
            export_id: None,
            version: 0,
        }
    }

    #[test]
    fn the_cfo_who_is_also_the_supervisor_approves_both_at_once() {
        let cfo = person(2, "contabilidad", "manager");
        let mut r = request(1, "contabilidad", Some(2));
        r.second_role = Some("manager".into());
        r.second_mode = Some("role".into());
        assert_eq!(approve(&r, &cfo), Ok((Some(2), Some(2), "both")));
    }

    #[test]
    fn a_second_authorization_takes_two_different_people_in_either_order() {
        let admin = person(9, "direccion", "admin");
        let subdirector = person(3, "direccion", "director");
        let mut r = request(1, "direccion", None);
        r.second_role = Some("director".into());
        r.second_mode = Some("second_person".into());
        // The administrator first: it fills the first approval only.
        assert_eq!(approve(&r, &admin), Ok((Some(9), None, "first")));
        r.first_by = Some(9);
        assert_eq!(
            approve(&r, &admin),
            Err(crate::notice::Notice::AlreadyApproved)
        );
        assert_eq!(approve(&r, &subdirector), Ok((Some(9), Some(3), "second")));
        // The other order.
        let mut r = request(1, "direccion", None);
        r.second_role = Some("director".into());
        r.second_mode = Some("second_person".into());
        assert_eq!(approve(&r, &subdirector), Ok((None, Some(3), "second")));
        r.second_by = Some(3);
        assert_eq!(
            approve(&r, &subdirector),
            Err(crate::notice::Notice::AlreadyApproved)
        );
        assert_eq!(approve(&r, &admin), Ok((Some(9), Some(3), "first")));
    }

    #[test]
    fn nobody_approves_their_own_request() {
        let admin = person(9, "direccion", "admin");
        let r = request(9, "direccion", None);
        assert_eq!(approve(&r, &admin), Err(crate::notice::Notice::OwnRequest));
        assert!(!is_approver(&r, &admin));
        let stranger = person(4, "ventas", "supervisor");
        let r = request(1, "ventas", Some(5));
        assert_eq!(
            approve(&r, &stranger),
            Err(crate::notice::Notice::NotAnApprover)
        );
    }

    #[test]
    fn progress_counts_the_approvals_given() {
        let mut r = request(1, "ventas", Some(2));
        assert_eq!(progress(&r), (1, 0));
        r.second_role = Some("manager".into());
        r.first_by = Some(2);
        assert_eq!(progress(&r), (2, 1));
    }
}
