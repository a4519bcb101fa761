//! What the rules ask of the audit stream and the exports: counts over a rule's window,
//! each an index seek (and capped by the caller), and a subject's recent past.

use crate::server::repo::audit::AuditRow;
use sqlx::AnyConnection;

/// The events after `after`, in order, at most `limit`.
pub async fn events_after(
    conn: &mut AnyConnection,
    after: i64,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    // Only what the rules read: the user agent, the before/after documents and the
    // chain's hashes stay on disk (they are most of a row's bytes, decoded for nothing).
    sqlx::query_as(
        "select seq, created_at, actor_id, actor_username, action, module, target_type, \
         target_id, outcome, severity, ip, cast(null as text) as user_agent, \
         cast(null as text) as ua_browser, cast(null as text) as ua_os, \
         cast(null as text) as ua_device, cast(null as text) as session_id, \
         cast(null as text) as before_json, cast(null as text) as after_json, details_json, \
         '' as prev_hash, '' as hash from audit_event where seq > $1 order by seq limit $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// The first event written at or after `t` (the start of a window, as a seq).
pub async fn first_seq_since(conn: &mut AnyConnection, t: i64) -> Result<i64, sqlx::Error> {
    let seq: Option<i64> = sqlx::query_scalar(
        "select cast(min(seq) as bigint) from audit_event where created_at >= $1",
    )
    .bind(t)
    .fetch_one(conn)
    .await?;
    Ok(seq.unwrap_or(i64::MAX))
}

/// Events of `action` naming `username`, with seq in `[from, to]`, counted up to `cap`
/// (the newest first: the work per event stays bounded however busy the window).
pub async fn count_action_for_username(
    conn: &mut AnyConnection,
    action: &str,
    username: &str,
    from: i64,
    to: i64,
    cap: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "select cast(count(*) as bigint) from (select 1 as one from audit_event \
         where actor_username = $1 and seq >= $2 and seq <= $3 and action = $4 \
         order by seq desc limit $5) t",
    )
    .bind(username)
    .bind(from)
    .bind(to)
    .bind(action)
    .bind(cap)
    .fetch_one(conn)
    .await
}

/// Distinct usernames in events of `action` from `ip`, with seq in `[from, to]`.
pub async fn distinct_usernames_from_ip(
    conn: &mut AnyConnection,
    action: &str,
    ip: &str,
    from: i64,
    to: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "select cast(count(distinct actor_username) as bigint) from audit_event \
         where ip = $1 and seq >= $2 and seq <= $3 and action = $4",
    )
    .bind(ip)
    .bind(from)
    .bind(to)
    .bind(action)
    .fetch_one(conn)
    .await
}

/// Events by `actor_id` with seq in `[from, to]`, of one of `actions` (all if empty),
/// counted up to `cap` (the newest first).
pub async fn count_for_actor(
    conn: &mut AnyConnection,
    actor_id: i64,
    actions: &[&str],
    from: i64,
    to: i64,
    cap: i64,
) -> Result<i64, sqlx::Error> {
    let mut filter = String::new();
    if !actions.is_empty() {
        let list: Vec<String> = (0..actions.len()).map(|i| format!("${}", i + 5)).collect();
        filter = format!(" and action in ({})", list.join(", "));
    }
    let sql = format!(
        "select cast(count(*) as bigint) from (select 1 as one from audit_event \
         where actor_id = $1 and seq >= $2 and seq <= $3{filter} order by seq desc limit $4) t"
    );
    let mut query = sqlx::query_scalar(&sql)
        .bind(actor_id)
        .bind(from)
        .bind(to)
        .bind(cap);
    for action in actions {
        query = query.bind(*action);
    }
    query.fetch_one(conn).await
}

/// The user's allowed exports with `from < created_at <= to`, counted up to `cap`.
pub async fn count_exports_between(
    conn: &mut AnyConnection,
    user_id: i64,
    from: i64,
    to: i64,
    cap: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "select cast(count(*) as bigint) from (select 1 as one from export \
         where user_id = $1 and created_at > $2 and created_at <= $3 \
         order by created_at desc limit $4) t",
    )
    .bind(user_id)
    .bind(from)
    .bind(to)
    .bind(cap)
    .fetch_one(conn)
    .await
}

/// Sign-ins of `actor_id` with seq in `[from, to]`, from `ip` if given.
pub async fn count_sign_ins(
    conn: &mut AnyConnection,
    actor_id: i64,
    ip: Option<&str>,
    from: i64,
    to: i64,
) -> Result<i64, sqlx::Error> {
    let sql = match ip {
        Some(_) => {
            "select cast(count(*) as bigint) from audit_event where actor_id = $1 \
             and seq >= $2 and seq <= $3 and action = 'sign_in' and ip = $4"
        }
        None => {
            "select cast(count(*) as bigint) from audit_event where actor_id = $1 \
             and seq >= $2 and seq <= $3 and action = 'sign_in'"
        }
    };
    let mut query = sqlx::query_scalar(sql).bind(actor_id).bind(from).bind(to);
    if let Some(ip) = ip {
        query = query.bind(ip);
    }
    query.fetch_one(conn).await
}

/// How many distinct addresses the user's open sessions come from.
pub async fn open_session_ips(conn: &mut AnyConnection, user_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "select cast(count(distinct ip) as bigint) from user_session \
         where user_id = $1 and ended_at is null",
    )
    .bind(user_id)
    .fetch_one(conn)
    .await
}

/// The user's allowed exports with `from < created_at <= to`: (how many, contacts).
pub async fn exports_between(
    conn: &mut AnyConnection,
    user_id: i64,
    from: i64,
    to: i64,
) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "select cast(count(*) as bigint), cast(coalesce(sum(count), 0) as bigint) from export \
         where user_id = $1 and created_at > $2 and created_at <= $3",
    )
    .bind(user_id)
    .bind(from)
    .bind(to)
    .fetch_one(conn)
    .await
}

/// The user's latest events: (seq, created_at, action, ip, target_id), newest first.
pub async fn recent_events_of(
    conn: &mut AnyConnection,
    user_id: i64,
    limit: i64,
) -> Result<Vec<(i64, i64, String, Option<String>, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "select seq, created_at, action, ip, target_id from audit_event where actor_id = $1 \
         order by seq desc limit $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// The user's latest exports: (receipt, created_at, count, ip), newest first.
pub async fn recent_exports_of(
    conn: &mut AnyConnection,
    user_id: i64,
    limit: i64,
) -> Result<Vec<(String, i64, i64, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "select receipt, created_at, count, ip from export where user_id = $1 \
         order by created_at desc limit $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}
