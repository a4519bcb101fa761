//! Policies as stored: role limits and department rules, joined for one user.

use super::contacts::{CONTACT_COLUMNS, ContactRecord, visible_by_rule};
use crate::server::Backend;
use sqlx::AnyConnection;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PolicyRow {
    pub user_id: i64,
    pub username: String,
    pub department: String,
    pub role: String,
    pub supervisor_id: Option<i64>,
    pub supervisor: Option<String>,
    pub role_daily: Option<i64>,
    pub role_weekly: Option<i64>,
    pub role_monthly: Option<i64>,
    pub role_threshold: Option<i64>,
    pub dept_daily: Option<i64>,
    pub dept_weekly: Option<i64>,
    pub dept_monthly: Option<i64>,
    pub dept_threshold: Option<i64>,
    pub visibility: String,
    pub viewable_fields: String,
    pub exportable_fields: String,
    pub sensitive_fields: String,
    pub required_purpose: Option<String>,
    pub exports_suspended_at: Option<i64>,
    /// Training: until when the user's latest unrevoked certificate runs, and whether an
    /// incident halved their limits until they pass again.
    pub certified_until: Option<i64>,
    pub training_required_at: Option<i64>,
    pub second_approval_role: Option<String>,
    pub second_approval_above: Option<i64>,
    pub second_approval_mode: String,
}

const POLICY_SQL: &str = "select 'policy' as kind, u.id as user_id, u.username, u.department, \
     u.role, u.supervisor_id, s.username as supervisor, \
     r.daily as role_daily, r.weekly as role_weekly, r.monthly as role_monthly, \
     r.approval_threshold as role_threshold, \
     d.daily as dept_daily, d.weekly as dept_weekly, d.monthly as dept_monthly, \
     d.approval_threshold as dept_threshold, d.visibility, d.viewable_fields, \
     d.exportable_fields, d.sensitive_fields, d.required_purpose, u.exports_suspended_at, \
     (select max(c.valid_until) from certificate c where c.user_id = u.id and c.revoked_at is null) \
     as certified_until, u.training_required_at, d.second_approval_role, \
     d.second_approval_above, d.second_approval_mode \
     from app_user u \
     join role_limit r on r.role = u.role \
     join department_rule d on d.department = u.department \
     left join app_user s on s.id = u.supervisor_id \
     where u.id = $1";

pub async fn find_policy(
    conn: &mut AnyConnection,
    user_id: i64,
) -> Result<Option<PolicyRow>, sqlx::Error> {
    sqlx::query_as(POLICY_SQL)
        .bind(user_id)
        .fetch_optional(conn)
        .await
}

/// The caller's policy and, among `ids`, the contacts their department may see, in one
/// round trip on SQLite (two queries on PostgreSQL, which takes no parameters in
/// multi-statement queries). Visibility is decided in SQL from the department's rule.
pub async fn policy_and_contacts(
    conn: &mut AnyConnection,
    user_id: i64,
    ids: &[i64],
) -> Result<(Option<PolicyRow>, Vec<ContactRecord>), sqlx::Error> {
    use futures::TryStreamExt;
    use sqlx::{FromRow, Row};
    let placeholders: Vec<String> = (2..ids.len() + 2).map(|i| format!("${i}")).collect();
    let contacts_sql = format!(
        "select 'contact' as kind, {CONTACT_COLUMNS} from contact c \
         join app_user u on u.id = $1 join department_rule d on d.department = u.department \
         where c.id in ({}) and {} order by c.id",
        placeholders.join(", "),
        visible_by_rule("d.visibility", "c")
    );
    fn bind_all<'q>(
        sql: &'q str,
        user_id: i64,
        ids: &[i64],
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        let mut q = sqlx::query(sql).bind(user_id);
        for id in ids {
            q = q.bind(*id);
        }
        q
    }
    let mut policy = None;
    let mut contacts = Vec::with_capacity(ids.len());
    match Backend::of(conn) {
        Backend::Sqlite => {
            let sql = format!("{POLICY_SQL};\n{contacts_sql}");
            let query = bind_all(&sql, user_id, ids);
            let mut rows = query.fetch(&mut *conn);
            while let Some(row) = rows.try_next().await? {
                match row.try_get::<String, _>("kind")?.as_str() {
                    "policy" => policy = Some(PolicyRow::from_row(&row)?),
                    _ => contacts.push(ContactRecord::from_row(&row)?),
                }
            }
        }
        Backend::Postgres => {
            policy = find_policy(&mut *conn, user_id).await?;
            let query = bind_all(&contacts_sql, user_id, ids);
            let mut rows = query.fetch(&mut *conn);
            while let Some(row) = rows.try_next().await? {
                contacts.push(ContactRecord::from_row(&row)?);
            }
        }
    }
    Ok((policy, contacts))
}

/// A role's limits as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RoleLimitRow {
    pub role: String,
    pub daily: Option<i64>,
    pub weekly: Option<i64>,
    pub monthly: Option<i64>,
    pub approval_threshold: Option<i64>,
}

const ROLE_LIMIT: &str = "select role, daily, weekly, monthly, approval_threshold from role_limit";

pub async fn role_limits(conn: &mut AnyConnection) -> Result<Vec<RoleLimitRow>, sqlx::Error> {
    sqlx::query_as(ROLE_LIMIT).fetch_all(conn).await
}

pub async fn role_limit(
    conn: &mut AnyConnection,
    role: &str,
) -> Result<Option<RoleLimitRow>, sqlx::Error> {
    sqlx::query_as(&format!("{ROLE_LIMIT} where role = $1"))
        .bind(role)
        .fetch_optional(conn)
        .await
}

pub async fn update_role_limit(
    conn: &mut AnyConnection,
    r: &RoleLimitRow,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update role_limit set daily = $1, weekly = $2, monthly = $3, approval_threshold = $4, \
         updated_at = $5 where role = $6",
    )
    .bind(r.daily)
    .bind(r.weekly)
    .bind(r.monthly)
    .bind(r.approval_threshold)
    .bind(now)
    .bind(&r.role)
    .execute(conn)
    .await?;
    Ok(())
}

/// A department's rule as stored (field lists are JSON arrays of catalogue names).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DepartmentRuleRow {
    pub department: String,
    pub daily: Option<i64>,
    pub weekly: Option<i64>,
    pub monthly: Option<i64>,
    pub approval_threshold: Option<i64>,
    pub visibility: String,
    pub viewable_fields: String,
    pub exportable_fields: String,
    pub sensitive_fields: String,
    pub required_purpose: Option<String>,
    pub second_approval_role: Option<String>,
    pub second_approval_above: Option<i64>,
    pub second_approval_mode: String,
}

const DEPARTMENT_RULE: &str = "select department, daily, weekly, monthly, approval_threshold, \
     visibility, viewable_fields, exportable_fields, sensitive_fields, required_purpose, \
     second_approval_role, second_approval_above, second_approval_mode from department_rule";

pub async fn department_rules(
    conn: &mut AnyConnection,
) -> Result<Vec<DepartmentRuleRow>, sqlx::Error> {
    sqlx::query_as(DEPARTMENT_RULE).fetch_all(conn).await
}

pub async fn department_rule(
    conn: &mut AnyConnection,
    department: &str,
) -> Result<Option<DepartmentRuleRow>, sqlx::Error> {
    sqlx::query_as(&format!("{DEPARTMENT_RULE} where department = $1"))
        .bind(department)
        .fetch_optional(conn)
        .await
}

pub async fn update_department_rule(
    conn: &mut AnyConnection,
    r: &DepartmentRuleRow,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update department_rule set daily = $1, weekly = $2, monthly = $3, \
         approval_threshold = $4, visibility = $5, viewable_fields = $6, exportable_fields = $7, \
         sensitive_fields = $8, required_purpose = $9, second_approval_role = $10, \
         second_approval_above = $11, second_approval_mode = $12, updated_at = $13 \
         where department = $14",
    )
    .bind(r.daily)
    .bind(r.weekly)
    .bind(r.monthly)
    .bind(r.approval_threshold)
    .bind(&r.visibility)
    .bind(&r.viewable_fields)
    .bind(&r.exportable_fields)
    .bind(&r.sensitive_fields)
    .bind(&r.required_purpose)
    .bind(&r.second_approval_role)
    .bind(r.second_approval_above)
    .bind(&r.second_approval_mode)
    .bind(now)
    .bind(&r.department)
    .execute(conn)
    .await?;
    Ok(())
}
