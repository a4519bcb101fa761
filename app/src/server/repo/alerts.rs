//! Alerts, detection rules, the detection cursor, notifications, and the queries the rules
//! ask of the audit stream (each an index seek over a bounded window, never a scan of the
//! whole history).

use crate::server::repo::audit::AuditRow;
use sqlx::AnyConnection;

/// A detection rule as stored (`detection_rule`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RuleRow {
    pub kind: String,
    pub threshold: i64,
    pub window_secs: i64,
    pub severity: String,
    pub enabled: i64,
    pub actions: String,
    pub params: String,
}

pub async fn rules(conn: &mut AnyConnection) -> Result<Vec<RuleRow>, sqlx::Error> {
    sqlx::query_as(
        "select kind, threshold, window_secs, severity, enabled, actions, params \
         from detection_rule order by kind",
    )
    .fetch_all(conn)
    .await
}

/// The last event detection has evaluated.
pub async fn cursor(conn: &mut AnyConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("select last_seq from detection_cursor where id = 1")
        .fetch_one(conn)
        .await
}

/// Moves the cursor from `from` to `to`; false if it is no longer at `from` (another
/// evaluator moved it first, so these events were evaluated already).
pub async fn advance_cursor(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "update detection_cursor set last_seq = $1, updated_at = $2 where id = 1 and last_seq = $3",
    )
    .bind(to)
    .bind(now)
    .bind(from)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// The events after `after`, in order, at most `limit`.
pub async fn events_after(
    conn: &mut AnyConnection,
    after: i64,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    sqlx::query_as("select * from audit_event where seq > $1 order by seq limit $2")
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

/// An alert as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AlertRow {
    pub id: i64,
    pub kind: String,
    pub severity: String,
    pub state: String,
    pub subject_user_id: Option<i64>,
    pub subject_ip: Option<String>,
    pub subject_key: String,
    pub params: String,
    pub details: String,
    pub first_seen: i64,
    pub last_seen: i64,
    pub occurrences: i64,
    pub trigger_seqs: String,
    pub snapshot: Option<String>,
    pub version: i64,
    pub created_at: i64,
    /// The subject's username (joined).
    pub username: Option<String>,
}

const ALERT_COLUMNS: &str = "a.id, a.kind, a.severity, a.state, a.subject_user_id, \
    a.subject_ip, a.subject_key, a.params, a.details, a.first_seen, a.last_seen, \
    a.occurrences, a.trigger_seqs, a.snapshot, a.version, a.created_at, u.username";

/// The open alert of `kind` about `subject_key`, if there is one.
pub async fn find_open(
    conn: &mut AnyConnection,
    kind: &str,
    subject_key: &str,
) -> Result<Option<AlertRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {ALERT_COLUMNS} from alert a left join app_user u on u.id = a.subject_user_id \
         where a.kind = $1 and a.subject_key = $2 and a.state in ('NUEVA', 'EN_REVISION')"
    ))
    .bind(kind)
    .bind(subject_key)
    .fetch_optional(conn)
    .await
}

/// A new alert.
#[derive(Debug, Clone)]
pub struct NewAlert<'a> {
    pub kind: &'a str,
    pub severity: &'a str,
    pub subject_user_id: Option<i64>,
    pub subject_ip: Option<&'a str>,
    pub subject_key: &'a str,
    pub params: &'a str,
    pub details: &'a str,
    pub seen_at: i64,
    pub trigger_seqs: &'a str,
}

pub async fn insert_alert(conn: &mut AnyConnection, a: &NewAlert<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "insert into alert (kind, severity, state, subject_user_id, subject_ip, subject_key, \
         params, details, first_seen, last_seen, occurrences, trigger_seqs, version, created_at) \
         values ($1, $2, 'NUEVA', $3, $4, $5, $6, $7, $8, $8, 1, $9, 1, $8) returning id",
    )
    .bind(a.kind)
    .bind(a.severity)
    .bind(a.subject_user_id)
    .bind(a.subject_ip)
    .bind(a.subject_key)
    .bind(a.params)
    .bind(a.details)
    .bind(a.seen_at)
    .bind(a.trigger_seqs)
    .fetch_one(conn)
    .await
}

/// A repeat on an open alert: one more occurrence, the latest facts, a higher severity if
/// this one is worse.
pub async fn repeat_alert(
    conn: &mut AnyConnection,
    id: i64,
    severity: &str,
    params: &str,
    seen_at: i64,
    trigger_seqs: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update alert set occurrences = occurrences + 1, last_seen = $1, severity = $2, \
         params = $3, trigger_seqs = $4, version = version + 1 where id = $5",
    )
    .bind(seen_at)
    .bind(severity)
    .bind(params)
    .bind(trigger_seqs)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_snapshot(
    conn: &mut AnyConnection,
    id: i64,
    snapshot: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("update alert set snapshot = $1 where id = $2")
        .bind(snapshot)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Alerts for a list: filters (all optional), most severe then newest first, keyset-paged
/// after `(rank, last_seen, id)`.
#[derive(Debug, Clone, Default)]
pub struct AlertQuery {
    pub state: Option<String>,
    pub severity: Option<String>,
    pub kind: Option<String>,
    pub username: Option<String>,
    pub subject_user_id: Option<i64>,
    pub after: Option<(i64, i64, i64)>,
    pub limit: i64,
}

/// Severity as a number for ordering (CRITICAL first).
const RANK: &str = "(case a.severity when 'CRITICAL' then 4 when 'HIGH' then 3 \
    when 'MEDIUM' then 2 else 1 end)";

pub async fn list_alerts(
    conn: &mut AnyConnection,
    q: &AlertQuery,
) -> Result<Vec<AlertRow>, sqlx::Error> {
    let mut clauses: Vec<String> = vec!["1 = 1".into()];
    let mut texts: Vec<String> = Vec::new();
    let mut bind_text = |clauses: &mut Vec<String>, clause: &str, value: &str| {
        texts.push(value.to_owned());
        clauses.push(clause.replace('?', &format!("${}", texts.len())));
    };
    if let Some(v) = &q.state {
        bind_text(&mut clauses, "a.state = ?", v);
    }
    if let Some(v) = &q.severity {
        bind_text(&mut clauses, "a.severity = ?", v);
    }
    if let Some(v) = &q.kind {
        bind_text(&mut clauses, "a.kind = ?", v);
    }
    if let Some(v) = &q.username {
        bind_text(&mut clauses, "u.username = ?", v);
    }
    let n = texts.len();
    let mut ints: Vec<i64> = Vec::new();
    if let Some(user) = q.subject_user_id {
        ints.push(user);
        clauses.push(format!("a.subject_user_id = ${}", n + ints.len()));
    }
    if let Some((rank, last_seen, id)) = q.after {
        let (r, l, i) = (n + ints.len() + 1, n + ints.len() + 2, n + ints.len() + 3);
        ints.extend([rank, last_seen, id]);
        clauses.push(format!(
            "({RANK} < ${r} or ({RANK} = ${r} and (a.last_seen < ${l} \
             or (a.last_seen = ${l} and a.id < ${i}))))"
        ));
    }
    let sql = format!(
        "select {ALERT_COLUMNS} from alert a left join app_user u on u.id = a.subject_user_id \
         where {} order by {RANK} desc, a.last_seen desc, a.id desc limit ${}",
        clauses.join(" and "),
        n + ints.len() + 1
    );
    let mut query = sqlx::query_as(&sql);
    for t in texts {
        query = query.bind(t);
    }
    for i in ints {
        query = query.bind(i);
    }
    query.bind(q.limit).fetch_all(conn).await
}

/// An unconsumed signal (today: TAMPERED_LOG from the verifier and the append guard).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SignalRow {
    pub id: i64,
    pub kind: String,
    pub details: String,
    pub created_at: i64,
}

pub async fn unconsumed_signals(conn: &mut AnyConnection) -> Result<Vec<SignalRow>, sqlx::Error> {
    sqlx::query_as(
        "select id, kind, details, created_at from security_signal \
         where consumed_at is null order by id limit 100",
    )
    .fetch_all(conn)
    .await
}

/// Marks a signal consumed; false if another evaluator consumed it first.
pub async fn consume_signal(
    conn: &mut AnyConnection,
    id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "update security_signal set consumed_at = $1 where id = $2 and consumed_at is null",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Active security administrators (they receive security notifications).
pub async fn security_admins(conn: &mut AnyConnection) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "select id from app_user where role = 'admin' and status = 'active' order by id",
    )
    .fetch_all(conn)
    .await
}

/// The user's role and supervisor.
pub async fn role_and_supervisor(
    conn: &mut AnyConnection,
    user_id: i64,
) -> Result<Option<(String, Option<i64>)>, sqlx::Error> {
    sqlx::query_as("select role, supervisor_id from app_user where id = $1")
        .bind(user_id)
        .fetch_optional(conn)
        .await
}

pub async fn insert_notification(
    conn: &mut AnyConnection,
    user_id: i64,
    alert_id: i64,
    params: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into notification (user_id, alert_id, params, created_at) values ($1, $2, $3, $4)",
    )
    .bind(user_id)
    .bind(alert_id)
    .bind(params)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A notification with its alert.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub alert_id: Option<i64>,
    pub params: String,
    pub read_at: Option<i64>,
    pub created_at: i64,
}

/// The user's notifications, unread first, newest first.
pub async fn notifications(
    conn: &mut AnyConnection,
    user_id: i64,
    limit: i64,
) -> Result<Vec<NotificationRow>, sqlx::Error> {
    sqlx::query_as(
        "select id, alert_id, params, read_at, created_at from notification where user_id = $1 \
         order by (case when read_at is null then 0 else 1 end), created_at desc, id desc limit $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Suspends the user's exports (until an administrator lifts it); false if already so.
pub async fn suspend_exports(
    conn: &mut AnyConnection,
    user_id: i64,
    alert_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "update app_user set exports_suspended_at = $1, exports_suspended_by_alert = $2 \
         where id = $3 and exports_suspended_at is null",
    )
    .bind(now)
    .bind(alert_id)
    .bind(user_id)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Whether the user's exports are suspended.
pub async fn exports_suspended(
    conn: &mut AnyConnection,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    let at: Option<Option<i64>> =
        sqlx::query_scalar("select exports_suspended_at from app_user where id = $1")
            .bind(user_id)
            .fetch_optional(conn)
            .await?;
    Ok(at.flatten().is_some())
}

/// Blocks the user (with the reason shown to administrators); false if already blocked.
pub async fn block_user(
    conn: &mut AnyConnection,
    user_id: i64,
    reason: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "update app_user set status = 'blocked', blocked_reason = $1, updated_at = $2 \
         where id = $3 and status <> 'blocked'",
    )
    .bind(reason)
    .bind(now)
    .bind(user_id)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
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

/// Marks the user's notification `id` read; false if it is not theirs (or does not exist).
pub async fn mark_notification_read(
    conn: &mut AnyConnection,
    user_id: i64,
    id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "update notification set read_at = coalesce(read_at, $1) where id = $2 and user_id = $3",
    )
    .bind(now)
    .bind(id)
    .bind(user_id)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

pub async fn rule(conn: &mut AnyConnection, kind: &str) -> Result<Option<RuleRow>, sqlx::Error> {
    sqlx::query_as(
        "select kind, threshold, window_secs, severity, enabled, actions, params \
         from detection_rule where kind = $1",
    )
    .bind(kind)
    .fetch_optional(conn)
    .await
}

/// Changes a rule's threshold, window, severity and whether it is enabled.
pub async fn update_rule(
    conn: &mut AnyConnection,
    row: &RuleRow,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update detection_rule set threshold = $1, window_secs = $2, severity = $3, enabled = $4, \
         updated_at = $5 where kind = $6",
    )
    .bind(row.threshold)
    .bind(row.window_secs)
    .bind(&row.severity)
    .bind(row.enabled)
    .bind(now)
    .bind(&row.kind)
    .execute(conn)
    .await?;
    Ok(())
}
