//! The question bank, attempts and certificates as stored.

use sqlx::AnyConnection;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QuestionRow {
    pub id: String,
    pub body: String,
}

/// Adds a question of the bank unless one with its id exists (seeding is idempotent; an
/// administrator's later edits are never overwritten).
pub async fn insert_question_if_absent(
    conn: &mut AnyConnection,
    id: &str,
    topic: &str,
    body: &str,
    version: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "insert into quiz_question (id, topic, body, active, bank_version, created_at) \
         values ($1, $2, $3, 1, $4, $5) on conflict (id) do nothing",
    )
    .bind(id)
    .bind(topic)
    .bind(body)
    .bind(version)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn active_questions(conn: &mut AnyConnection) -> Result<Vec<QuestionRow>, sqlx::Error> {
    sqlx::query_as("select id, body from quiz_question where active = 1 order by id")
        .fetch_all(conn)
        .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttemptRow {
    pub id: String,
    pub user_id: i64,
    pub started_at: i64,
    pub expires_at: i64,
    pub drawn: String,
    pub submitted_at: Option<i64>,
    pub score: Option<i64>,
    pub total: i64,
    pub outcome: Option<String>,
}

const ATTEMPT_COLUMNS: &str =
    "id, user_id, started_at, expires_at, drawn, submitted_at, score, total, outcome";

pub async fn insert_attempt(conn: &mut AnyConnection, a: &AttemptRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into quiz_attempt (id, user_id, started_at, expires_at, drawn, total, created_at) \
         values ($1, $2, $3, $4, $5, $6, $3)",
    )
    .bind(&a.id)
    .bind(a.user_id)
    .bind(a.started_at)
    .bind(a.expires_at)
    .bind(&a.drawn)
    .bind(a.total)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn attempt(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<AttemptRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {ATTEMPT_COLUMNS} from quiz_attempt where id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Grades an attempt once: false when it was already submitted (a replay).
pub async fn grade_attempt(
    conn: &mut AnyConnection,
    id: &str,
    answers: &str,
    score: i64,
    outcome: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update quiz_attempt set submitted_at = $1, answers = $2, score = $3, outcome = $4 \
         where id = $5 and submitted_at is null",
    )
    .bind(now)
    .bind(answers)
    .bind(score)
    .bind(outcome)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The user's attempts started at or after `since`, newest first.
pub async fn attempts_since(
    conn: &mut AnyConnection,
    user_id: i64,
    since: i64,
) -> Result<Vec<AttemptRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {ATTEMPT_COLUMNS} from quiz_attempt where user_id = $1 and started_at >= $2 \
         order by started_at desc"
    ))
    .bind(user_id)
    .bind(since)
    .fetch_all(conn)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CertificateRow {
    pub code: String,
    pub user_id: i64,
    pub issued_at: i64,
    pub valid_until: i64,
    pub revoked_at: Option<i64>,
}

const CERTIFICATE_COLUMNS: &str = "code, user_id, issued_at, valid_until, revoked_at";

pub async fn insert_certificate(
    conn: &mut AnyConnection,
    c: &CertificateRow,
    attempt_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into certificate (code, user_id, attempt_id, issued_at, valid_until, created_at) \
         values ($1, $2, $3, $4, $5, $4)",
    )
    .bind(&c.code)
    .bind(c.user_id)
    .bind(attempt_id)
    .bind(c.issued_at)
    .bind(c.valid_until)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn certificate(
    conn: &mut AnyConnection,
    code: &str,
) -> Result<Option<CertificateRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {CERTIFICATE_COLUMNS} from certificate where code = $1"
    ))
    .bind(code)
    .fetch_optional(conn)
    .await
}

/// Every certificate of the user, newest first.
pub async fn certificates_of(
    conn: &mut AnyConnection,
    user_id: i64,
) -> Result<Vec<CertificateRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {CERTIFICATE_COLUMNS} from certificate where user_id = $1 order by issued_at desc"
    ))
    .bind(user_id)
    .fetch_all(conn)
    .await
}

/// Every certificate, newest first (the administrators' list folds them per user).
pub async fn all_certificates(
    conn: &mut AnyConnection,
) -> Result<Vec<CertificateRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {CERTIFICATE_COLUMNS} from certificate order by issued_at desc"
    ))
    .fetch_all(conn)
    .await
}

/// Revokes the user's unrevoked certificates that are still valid; returns their codes.
pub async fn revoke_current(
    conn: &mut AnyConnection,
    user_id: i64,
    reason: &str,
    now: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let codes: Vec<String> = sqlx::query_scalar(
        "select code from certificate where user_id = $1 and revoked_at is null and valid_until > $2",
    )
    .bind(user_id)
    .bind(now)
    .fetch_all(&mut *conn)
    .await?;
    sqlx::query(
        "update certificate set revoked_at = $1, revoked_reason = $2 \
         where user_id = $3 and revoked_at is null and valid_until > $1",
    )
    .bind(now)
    .bind(reason)
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(codes)
}

/// Current certificates expiring before `until` whose owner was not told yet.
pub async fn expiring_unnotified(
    conn: &mut AnyConnection,
    now: i64,
    until: i64,
) -> Result<Vec<CertificateRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {CERTIFICATE_COLUMNS} from certificate where revoked_at is null \
         and valid_until > $1 and valid_until <= $2 and expiry_notified_at is null"
    ))
    .bind(now)
    .bind(until)
    .fetch_all(conn)
    .await
}

/// Marks the expiry notice sent; false when another instance got there first.
pub async fn mark_expiry_notified(
    conn: &mut AnyConnection,
    code: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update certificate set expiry_notified_at = $1 where code = $2 and expiry_notified_at is null",
    )
    .bind(now)
    .bind(code)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The user's training flags: (agreement accepted at, training required since).
pub async fn flags(
    conn: &mut AnyConnection,
    user_id: i64,
) -> Result<Option<(Option<i64>, Option<i64>)>, sqlx::Error> {
    sqlx::query_as("select agreement_accepted_at, training_required_at from app_user where id = $1")
        .bind(user_id)
        .fetch_optional(conn)
        .await
}

pub async fn set_agreement_accepted(
    conn: &mut AnyConnection,
    user_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("update app_user set agreement_accepted_at = $1 where id = $2")
        .bind(now)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Sets (or, with `None`, clears) "training required": export limits halved meanwhile.
pub async fn set_training_required(
    conn: &mut AnyConnection,
    user_id: i64,
    since: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update app_user set training_required_at = $1 where id = $2 \
         and (training_required_at is null) <> ($1 is null)",
    )
    .bind(since)
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Alerts about the user closed as RESUELTA since `since` (for "Guardián de Datos").
pub async fn resolved_alerts_about(
    conn: &mut AnyConnection,
    user_id: i64,
    since: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "select cast(count(*) as bigint) from alert where subject_user_id = $1 \
         and state = 'RESUELTA' and closed_at >= $2",
    )
    .bind(user_id)
    .bind(since)
    .fetch_one(conn)
    .await
}

/// Holds the user's row until the transaction ends (PostgreSQL; SQLite's write gate
/// already serialises writers), so two starts at once cannot both pass the daily limit.
pub async fn lock_user(conn: &mut AnyConnection, user_id: i64) -> Result<(), sqlx::Error> {
    if crate::server::Backend::of(conn) == crate::server::Backend::Sqlite {
        return Ok(());
    }
    sqlx::query("select id from app_user where id = $1 for update")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The user's name and username (for certificates and notices).
pub async fn names(
    conn: &mut AnyConnection,
    user_id: i64,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as("select username, full_name from app_user where id = $1")
        .bind(user_id)
        .fetch_optional(conn)
        .await
}

/// Everyone's attempts started at or after `since`, newest first.
pub async fn all_attempts_since(
    conn: &mut AnyConnection,
    since: i64,
) -> Result<Vec<AttemptRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {ATTEMPT_COLUMNS} from quiz_attempt where started_at >= $1 order by started_at desc"
    ))
    .bind(since)
    .fetch_all(conn)
    .await
}

/// Users whose limits are halved until they pass again.
pub async fn training_required_users(conn: &mut AnyConnection) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("select id from app_user where training_required_at is not null")
        .fetch_all(conn)
        .await
}

/// Until when the user's latest unrevoked certificate runs, if they have one.
pub async fn certified_until(
    conn: &mut AnyConnection,
    user_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "select max(valid_until) from certificate where user_id = $1 and revoked_at is null",
    )
    .bind(user_id)
    .fetch_one(conn)
    .await
}
