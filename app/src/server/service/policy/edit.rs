//! Policies edited by administrators ("Políticas"): each role's limits and each department's
//! rule, validated on the server — whole positive numbers or no limit, daily ≤ weekly ≤
//! monthly where both are set, known fields only, what is exported or sensitive must be
//! visible, and a department left with no visible field only when the change says so.
//! Policies are read afresh for every request, so a change holds from the next one. Each
//! change needs a reason and is one audit event (`policy_changed`) with before and after,
//! in its transaction; the page's history reads those events back.

use crate::error::AppError;
use crate::notice::Notice;
use crate::server::AppState;
use crate::server::context::{AuthSession, RequestMeta};
use crate::server::repo::audit as audit_repo;
use crate::server::repo::policies::{self as repo, DepartmentRuleRow, RoleLimitRow};
use crate::server::service::access::accounts::reason;
use crate::server::service::audit::{self, NewEvent};
use crate::types::audit::{AuditAction, Outcome, Severity};
use crate::types::field::{Field, parse_field_list};
use crate::types::policy::{
    DepartmentRuleView, Policies, PolicyChange, RoleLimitView, VISIBILITIES,
};
use crate::types::{Department, Role};
use serde_json::{Value, json};

/// The largest limit a window or threshold may have.
pub const MAX_LIMIT: i64 = 1_000_000;
/// How many changes the history shows.
const HISTORY: i64 = 50;

/// The four numbers of a policy row as typed: empty means "no limit".
#[derive(Debug, Clone, Default)]
pub struct LimitsInput {
    pub daily: Option<String>,
    pub weekly: Option<String>,
    pub monthly: Option<String>,
    pub approval_threshold: Option<String>,
}

type Limits = (Option<i64>, Option<i64>, Option<i64>, Option<i64>);

fn number(field: &str, value: Option<&str>) -> Result<Option<i64>, AppError> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    match text.parse::<i64>() {
        Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(Some(n)),
        _ => Err(AppError::validation(
            field,
            Notice::OutOfRange {
                min: 1,
                max: MAX_LIMIT,
            },
        )),
    }
}

/// Parses and checks the limits: positive whole numbers, daily ≤ weekly ≤ monthly.
pub fn limits(input: &LimitsInput) -> Result<Limits, AppError> {
    let daily = number("daily", input.daily.as_deref())?;
    let weekly = number("weekly", input.weekly.as_deref())?;
    let monthly = number("monthly", input.monthly.as_deref())?;
    let threshold = number("approval_threshold", input.approval_threshold.as_deref())?;
    let out_of_order = |field: &str| {
        Err(AppError::validation(
            field,
            Notice::LimitOrder {
                field: field.to_owned(),
            },
        ))
    };
    if let (Some(d), Some(w)) = (daily, weekly)
        && d > w
    {
        return out_of_order("weekly");
    }
    if let (Some(w), Some(m)) = (weekly, monthly)
        && w > m
    {
        return out_of_order("monthly");
    }
    if let (Some(d), Some(m)) = (daily, monthly)
        && d > m
    {
        return out_of_order("monthly");
    }
    Ok((daily, weekly, monthly, threshold))
}

fn limits_json(l: Limits) -> Value {
    json!({ "daily": l.0, "weekly": l.1, "monthly": l.2, "approval_threshold": l.3 })
}

async fn record(
    tx: &mut sqlx::AnyConnection,
    admin: &AuthSession,
    meta: &RequestMeta,
    now: i64,
    target: (&str, &str),
    change: (Value, Value),
    why: String,
) -> Result<(), AppError> {
    let event = NewEvent::new(AuditAction::PolicyChanged, Outcome::Success)
        .actor(Some(admin.user_id), &admin.username)
        .target(target.0, target.1)
        .meta(meta)
        .severity(Severity::Medium)
        .change(change.0, change.1)
        .details(json!({ "reason": why }));
    audit::append(tx, now, event).await?;
    Ok(())
}

/// Changes one role's limits.
pub async fn update_role_limit(
    state: &AppState,
    admin: &AuthSession,
    meta: &RequestMeta,
    role: &str,
    input: &LimitsInput,
    why: &str,
) -> Result<(), AppError> {
    let why = reason(why)?;
    let role: Role = role.trim().parse().map_err(|_| unknown("role", role))?;
    let new = limits(input)?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let old = repo::role_limit(&mut tx, role.code())
        .await?
        .ok_or(AppError::NotFound)?;
    let before = (old.daily, old.weekly, old.monthly, old.approval_threshold);
    if before == new {
        return Err(AppError::validation("daily", Notice::NothingChanged));
    }
    let row = RoleLimitRow {
        role: role.code().to_owned(),
        daily: new.0,
        weekly: new.1,
        monthly: new.2,
        approval_threshold: new.3,
    };
    repo::update_role_limit(&mut tx, &row, now).await?;
    let change = (limits_json(before), limits_json(new));
    record(
        &mut tx,
        admin,
        meta,
        now,
        ("role_limit", role.code()),
        change,
        why,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn unknown(field: &str, value: &str) -> AppError {
    AppError::validation(
        field,
        Notice::UnknownValue {
            value: value.chars().filter(|c| !c.is_control()).take(40).collect(),
        },
    )
}

fn fields(field: &str, names: &[String]) -> Result<Vec<Field>, AppError> {
    let mut out: Vec<Field> = Vec::new();
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        let f = Field::from_code(name).ok_or_else(|| unknown(field, name))?;
        if !out.contains(&f) {
            out.push(f);
        }
    }
    out.sort();
    Ok(out)
}

fn field_list(list: &[Field]) -> String {
    serde_json::to_string(&list.iter().map(|f| f.code()).collect::<Vec<_>>()).unwrap_or_default()
}

/// A department's rule as typed on the page.
#[derive(Debug, Clone, Default)]
pub struct RuleInput {
    pub limits: LimitsInput,
    pub visibility: String,
    pub viewable: Vec<String>,
    pub exportable: Vec<String>,
    pub sensitive: Vec<String>,
    pub required_purpose: Option<String>,
    pub second_approval_role: Option<String>,
    pub second_approval_above: Option<String>,
    pub second_approval_mode: Option<String>,
    /// Leaving the department no visible field at all must be said explicitly.
    pub confirm_nothing_visible: bool,
}

fn rule_json(r: &DepartmentRuleRow) -> Value {
    json!({
        "daily": r.daily, "weekly": r.weekly, "monthly": r.monthly,
        "approval_threshold": r.approval_threshold, "visibility": r.visibility,
        "viewable_fields": serde_json::from_str::<Value>(&r.viewable_fields).unwrap_or(Value::Null),
        "exportable_fields": serde_json::from_str::<Value>(&r.exportable_fields).unwrap_or(Value::Null),
        "sensitive_fields": serde_json::from_str::<Value>(&r.sensitive_fields).unwrap_or(Value::Null),
        "required_purpose": r.required_purpose,
        "second_approval_role": r.second_approval_role,
        "second_approval_above": r.second_approval_above,
        "second_approval_mode": r.second_approval_mode,
    })
}

/// Parses and checks a department's rule.
pub fn rule(department: Department, input: &RuleInput) -> Result<DepartmentRuleRow, AppError> {
    let (daily, weekly, monthly, threshold) = limits(&input.limits)?;
    let visibility = input.visibility.trim();
    if !VISIBILITIES.contains(&visibility) {
        return Err(unknown("visibility", visibility));
    }
    let viewable = fields("viewable", &input.viewable)?;
    let exportable = fields("exportable", &input.exportable)?;
    let sensitive = fields("sensitive", &input.sensitive)?;
    if viewable.is_empty() && !input.confirm_nothing_visible {
        return Err(AppError::validation("viewable", Notice::NothingVisible));
    }
    for (field, list) in [("exportable", &exportable), ("sensitive", &sensitive)] {
        if let Some(hidden) = list.iter().find(|f| !viewable.contains(f)) {
            return Err(AppError::validation(
                field,
                Notice::FieldNotVisible { field: *hidden },
            ));
        }
    }
    let purpose = input
        .required_purpose
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    if let Some(p) = purpose
        && !matches!(p, "campaign" | "manifest")
    {
        return Err(unknown("required_purpose", p));
    }
    let second_role = match input
        .second_approval_role
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        Some(r) => Some(
            r.parse::<Role>()
                .map_err(|_| unknown("second_approval_role", r))?,
        ),
        None => None,
    };
    let above = number(
        "second_approval_above",
        input.second_approval_above.as_deref(),
    )?;
    if second_role.is_some() != above.is_some() {
        return Err(AppError::validation(
            "second_approval_above",
            Notice::SecondApprovalIncomplete,
        ));
    }
    let mode = match input.second_approval_mode.as_deref().map(str::trim) {
        None | Some("") | Some("role") => "role",
        Some("second_person") => "second_person",
        Some(other) => return Err(unknown("second_approval_mode", other)),
    };
    Ok(DepartmentRuleRow {
        department: department.code().to_owned(),
        daily,
        weekly,
        monthly,
        approval_threshold: threshold,
        visibility: visibility.to_owned(),
        viewable_fields: field_list(&viewable),
        exportable_fields: field_list(&exportable),
        sensitive_fields: field_list(&sensitive),
        required_purpose: purpose.map(str::to_owned),
        second_approval_role: second_role.map(|r| r.code().to_owned()),
        second_approval_above: above,
        second_approval_mode: mode.to_owned(),
    })
}

/// Changes one department's rule.
pub async fn update_department_rule(
    state: &AppState,
    admin: &AuthSession,
    meta: &RequestMeta,
    department: &str,
    input: &RuleInput,
    why: &str,
) -> Result<(), AppError> {
    let why = reason(why)?;
    let department: Department = department
        .trim()
        .parse()
        .map_err(|_| unknown("department", department))?;
    let new = rule(department, input)?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let old = repo::department_rule(&mut tx, department.code())
        .await?
        .ok_or(AppError::NotFound)?;
    let (before, after) = (rule_json(&old), rule_json(&new));
    if before == after {
        return Err(AppError::validation("daily", Notice::NothingChanged));
    }
    repo::update_department_rule(&mut tx, &new, now).await?;
    let target = ("department_rule", department.code());
    record(&mut tx, admin, meta, now, target, (before, after), why).await?;
    tx.commit().await?;
    Ok(())
}

fn bad(what: &str) -> AppError {
    tracing::error!("stored policy: {what}");
    AppError::Internal
}

/// The policies page: every role's limits, every department's rule, the latest changes.
pub async fn policies(state: &AppState) -> Result<Policies, AppError> {
    let mut conn = state.db.conn().await?;
    let mut roles = Vec::new();
    for r in repo::role_limits(&mut conn).await? {
        roles.push(RoleLimitView {
            role: r.role.parse().map_err(|_| bad("role"))?,
            daily: r.daily,
            weekly: r.weekly,
            monthly: r.monthly,
            approval_threshold: r.approval_threshold,
        });
    }
    roles.sort_by_key(|r| r.role);
    let mut departments = Vec::new();
    for d in repo::department_rules(&mut conn).await? {
        let list = |json: &str| parse_field_list(json).map_err(|_| bad("fields"));
        departments.push(DepartmentRuleView {
            department: d.department.parse().map_err(|_| bad("department"))?,
            daily: d.daily,
            weekly: d.weekly,
            monthly: d.monthly,
            approval_threshold: d.approval_threshold,
            viewable: list(&d.viewable_fields)?,
            exportable: list(&d.exportable_fields)?,
            sensitive: list(&d.sensitive_fields)?,
            visibility: d.visibility,
            required_purpose: d.required_purpose,
            second_approval_role: match d.second_approval_role {
                Some(r) => Some(r.parse().map_err(|_| bad("second role"))?),
                None => None,
            },
            second_approval_above: d.second_approval_above,
            second_approval_mode: d.second_approval_mode,
        });
    }
    departments.sort_by_key(|d| Department::ALL.iter().position(|x| *x == d.department));
    let history =
        audit_repo::latest_by_action(&mut conn, AuditAction::PolicyChanged.code(), HISTORY)
            .await?
            .into_iter()
            .map(|e| {
                let parse = |v: Option<String>| {
                    v.and_then(|v| serde_json::from_str(&v).ok())
                        .unwrap_or(Value::Null)
                };
                let details = parse(e.details_json.clone());
                PolicyChange {
                    seq: e.seq,
                    at: e.created_at,
                    actor: e.actor_username.clone().unwrap_or_default(),
                    target_type: e.target_type.clone().unwrap_or_default(),
                    target: e.target_id.clone().unwrap_or_default(),
                    before: parse(e.before_json.clone()),
                    after: parse(e.after_json.clone()),
                    reason: details["reason"].as_str().map(str::to_owned),
                }
            })
            .collect();
    Ok(Policies {
        roles,
        departments,
        history,
    })
}
