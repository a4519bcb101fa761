//! Policies as stored: role limits and department rules, joined for one user.

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
}

pub async fn find_policy(
    conn: &mut AnyConnection,
    user_id: i64,
) -> Result<Option<PolicyRow>, sqlx::Error> {
    sqlx::query_as(
        "select u.id as user_id, u.username, u.department, u.role, u.supervisor_id, \
         s.username as supervisor, \
         r.daily as role_daily, r.weekly as role_weekly, r.monthly as role_monthly, \
         r.approval_threshold as role_threshold, \
         d.daily as dept_daily, d.weekly as dept_weekly, d.monthly as dept_monthly, \
         d.approval_threshold as dept_threshold, d.visibility, d.viewable_fields, \
         d.exportable_fields, d.sensitive_fields, d.required_purpose \
         from app_user u \
         join role_limit r on r.role = u.role \
         join department_rule d on d.department = u.department \
         left join app_user s on s.id = u.supervisor_id \
         where u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(conn)
    .await
}
