//! Leases of periodic jobs (`job_lease`): which instance runs a job this period.

use sqlx::AnyConnection;

/// Takes (or renews) the lease on `name` for `holder` until `expires_at`: true when
/// `holder` has it now — nobody held it, the last lease expired, or it was already theirs.
/// One statement, so two instances asking at once cannot both win.
pub async fn take_lease(
    conn: &mut AnyConnection,
    name: &str,
    holder: &str,
    now: i64,
    expires_at: i64,
) -> Result<bool, sqlx::Error> {
    let taken = sqlx::query(
        "insert into job_lease (name, holder, expires_at, created_at) values ($1, $2, $3, $4) \
         on conflict (name) do update set holder = excluded.holder, \
         expires_at = excluded.expires_at \
         where job_lease.expires_at <= excluded.created_at or job_lease.holder = excluded.holder",
    )
    .bind(name)
    .bind(holder)
    .bind(expires_at)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(taken == 1)
}
