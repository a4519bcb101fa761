//! Users and their place in the organisation.

use sqlx::AnyConnection;

/// What sign-in needs to know about an account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Credentials {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub status: String,
    pub locked_until: Option<i64>,
    /// How many locks in a row (sign-in protection).
    pub lock_level: i64,
}

impl Credentials {
    /// Temporarily locked at `now_ms` (sign-in protection), as opposed to blocked.
    pub fn locked_at(&self, now_ms: i64) -> bool {
        self.status == "locked" && self.locked_until.is_some_and(|until| until > now_ms)
    }

    /// Active, or locked with the lock already over.
    pub fn may_sign_in(&self, now_ms: i64) -> bool {
        match self.status.as_str() {
            "active" => true,
            "locked" => self.locked_until.is_some_and(|until| until <= now_ms),
            _ => false,
        }
    }
}

/// A user with their supervisor's username and how many people report to them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRecord {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub department: String,
    pub role: String,
    pub supervisor: Option<String>,
    pub reports: i64,
    pub status: String,
    /// The language the user reads (`es-PE`, `en`).
    pub locale: String,
}

const USER_RECORD: &str = "select u.id, u.username, u.full_name, u.department, u.role, \
     s.username as supervisor, \
     cast((select count(*) from app_user r where r.supervisor_id = u.id) as bigint) as reports, \
     u.status, u.locale from app_user u left join app_user s on s.id = u.supervisor_id";

pub async fn find_credentials(
    conn: &mut AnyConnection,
    username: &str,
) -> Result<Option<Credentials>, sqlx::Error> {
    sqlx::query_as(
        "select id, username, password_hash, status, locked_until, lock_level from app_user \
         where username = $1",
    )
    .bind(username)
    .fetch_optional(conn)
    .await
}

pub async fn find_user(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<UserRecord>, sqlx::Error> {
    sqlx::query_as(&format!("{USER_RECORD} where u.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn list_users(conn: &mut AnyConnection) -> Result<Vec<UserRecord>, sqlx::Error> {
    sqlx::query_as(&format!("{USER_RECORD} order by u.department, u.username"))
        .fetch_all(conn)
        .await
}

pub async fn id_by_username(
    conn: &mut AnyConnection,
    username: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("select id from app_user where username = $1")
        .bind(username)
        .fetch_optional(conn)
        .await
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub full_name: &'a str,
    pub email: &'a str,
    pub department: &'a str,
    pub role: &'a str,
    pub password_hash: &'a str,
}

/// Inserts the user unless the username exists; returns the new id, if any.
pub async fn insert_user_if_absent(
    conn: &mut AnyConnection,
    user: &NewUser<'_>,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "insert into app_user (username, full_name, email, department, role, password_hash, \
         status, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, 'active', $7, $7) \
         on conflict (username) do nothing returning id",
    )
    .bind(user.username)
    .bind(user.full_name)
    .bind(user.email)
    .bind(user.department)
    .bind(user.role)
    .bind(user.password_hash)
    .bind(now)
    .fetch_optional(conn)
    .await
}

pub async fn set_supervisor(
    conn: &mut AnyConnection,
    user_id: i64,
    supervisor_id: Option<i64>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("update app_user set supervisor_id = $1, updated_at = $2 where id = $3")
        .bind(supervisor_id)
        .bind(now)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Stores the language `user_id` reads (the ES/EN switch, or the choice made at sign-in).
pub async fn set_locale(
    conn: &mut AnyConnection,
    user_id: i64,
    locale: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("update app_user set locale = $1, updated_at = $2 where id = $3")
        .bind(locale)
        .bind(now)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The language `user_id` reads, if the user exists.
pub async fn locale_of(
    conn: &mut AnyConnection,
    user_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("select locale from app_user where id = $1")
        .bind(user_id)
        .fetch_optional(conn)
        .await
}

/// Locks an active account until `until` at `level` (sign-in protection); false if it is
/// not active (already locked, or blocked).
pub async fn lock(
    conn: &mut AnyConnection,
    id: i64,
    until: i64,
    level: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "update app_user set status = 'locked', locked_until = $1, lock_level = $2, \
         updated_at = $3 where id = $4 and (status = 'active' or (status = 'locked' \
         and locked_until <= $3))",
    )
    .bind(until)
    .bind(level)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Ends a lock (an administrator's unlock, or a successful sign-in after it ran out);
/// `reset` also forgets the escalation. False if the account was not locked.
pub async fn unlock(
    conn: &mut AnyConnection,
    id: i64,
    reset: bool,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let sql = if reset {
        "update app_user set status = 'active', locked_until = null, lock_level = 0, \
         updated_at = $1 where id = $2 and status = 'locked'"
    } else {
        "update app_user set status = 'active', locked_until = null, updated_at = $1 \
         where id = $2 and status = 'locked'"
    };
    Ok(sqlx::query(sql)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?
        .rows_affected()
        == 1)
}

/// Forgets the lock escalation after a successful sign-in.
pub async fn reset_lock_level(conn: &mut AnyConnection, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("update app_user set lock_level = 0 where id = $1 and lock_level <> 0")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The user's supervisor, if any.
pub async fn supervisor_of(conn: &mut AnyConnection, id: i64) -> Result<Option<i64>, sqlx::Error> {
    Ok(
        sqlx::query_scalar::<_, Option<i64>>("select supervisor_id from app_user where id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?
            .flatten(),
    )
}

pub async fn email_of(conn: &mut AnyConnection, id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("select email from app_user where id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Where the user sits: role, department and supervisor.
pub async fn set_assignment(
    conn: &mut AnyConnection,
    id: i64,
    role: &str,
    department: &str,
    supervisor_id: Option<i64>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update app_user set role = $1, department = $2, supervisor_id = $3, updated_at = $4 \
         where id = $5",
    )
    .bind(role)
    .bind(department)
    .bind(supervisor_id)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// What an administrator's action on an account needs to know about it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountState {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub department: String,
    pub role: String,
    pub status: String,
    pub blocked_reason: Option<String>,
    pub exports_suspended_at: Option<i64>,
    pub exports_suspended_by_alert: Option<i64>,
}

const ACCOUNT_STATE: &str = "select id, username, full_name, department, role, status, \
    blocked_reason, exports_suspended_at, exports_suspended_by_alert from app_user";

pub async fn account_by_username(
    conn: &mut AnyConnection,
    username: &str,
) -> Result<Option<AccountState>, sqlx::Error> {
    sqlx::query_as(&format!("{ACCOUNT_STATE} where username = $1"))
        .bind(username)
        .fetch_optional(conn)
        .await
}

pub async fn account_by_id(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<AccountState>, sqlx::Error> {
    sqlx::query_as(&format!("{ACCOUNT_STATE} where id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// How many security administrators are active.
pub async fn active_admins(conn: &mut AnyConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "select cast(count(*) as bigint) from app_user where role = 'admin' and status = 'active'",
    )
    .fetch_one(conn)
    .await
}

/// The usernames of the active security administrators.
pub async fn admin_usernames(conn: &mut AnyConnection) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "select username from app_user where role = 'admin' and status = 'active' \
         order by username",
    )
    .fetch_all(conn)
    .await
}

/// Ends a block; false if the account was not blocked.
pub async fn unblock(conn: &mut AnyConnection, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "update app_user set status = 'active', blocked_reason = null, updated_at = $1 \
         where id = $2 and status = 'blocked'",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Lifts an export suspension; false if there was none.
pub async fn lift_export_suspension(
    conn: &mut AnyConnection,
    id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "update app_user set exports_suspended_at = null, exports_suspended_by_alert = null, \
         updated_at = $1 where id = $2 and exports_suspended_at is not null",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Replaces the user's password hash.
pub async fn set_password_hash(
    conn: &mut AnyConnection,
    id: i64,
    hash: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("update app_user set password_hash = $1, updated_at = $2 where id = $3")
        .bind(hash)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
