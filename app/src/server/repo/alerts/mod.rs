//! Alerts (`alert`), and, one file each, what detection keeps beside them: its rules and
//! cursor, the queries the rules ask of the audit stream (each an index seek over a bounded
//! window, never a scan of the whole history), signals, subjects and notifications.

mod notifications;
mod rules;
mod stream;
mod subjects;
mod triage;

pub use notifications::*;
pub use rules::*;
pub use stream::*;
pub use subjects::*;
pub use triage::*;

use sqlx::AnyConnection;

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
    pub closed_at: Option<i64>,
    pub comments: i64,
    /// The subject's username (joined).
    pub username: Option<String>,
    /// The assigned administrator's username (joined).
    pub assignee: Option<String>,
    /// The subject's answer to "was this you?" (`yes` / `no`), once given.
    pub owner_answer: Option<String>,
    pub answered_at: Option<i64>,
}

pub(crate) const ALERT_COLUMNS: &str = "a.id, a.kind, a.severity, a.state, a.subject_user_id, \
    a.subject_ip, a.subject_key, a.params, a.details, a.first_seen, a.last_seen, \
    a.occurrences, a.trigger_seqs, a.snapshot, a.version, a.created_at, a.closed_at, \
    a.comments, u.username, v.username as assignee, a.owner_answer, a.answered_at";

/// The alert with its subject's and assignee's names.
pub(crate) const ALERT_FROM: &str = "alert a left join app_user u on u.id = a.subject_user_id \
    left join app_user v on v.id = a.assignee_id";

/// The open alert of `kind` about `subject_key`, if there is one.
pub async fn find_open(
    conn: &mut AnyConnection,
    kind: &str,
    subject_key: &str,
) -> Result<Option<AlertRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {ALERT_COLUMNS} from {ALERT_FROM} \
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

/// Repeats on an open alert: `count` more occurrences, the latest facts, a higher severity
/// if a repeat was worse.
pub async fn repeat_alert(
    conn: &mut AnyConnection,
    id: i64,
    count: i64,
    severity: &str,
    params: &str,
    seen_at: i64,
    trigger_seqs: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update alert set occurrences = occurrences + $1, last_seen = $2, severity = $3, \
         params = $4, trigger_seqs = $5, version = version + 1 where id = $6",
    )
    .bind(count)
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
    pub assignee: Option<String>,
    pub subject_user_id: Option<i64>,
    /// Active in `[since, until)`: last seen at or after `since`, first seen before `until`
    /// (unix milliseconds).
    pub since: Option<i64>,
    pub until: Option<i64>,
    pub after: Option<(i64, i64, i64)>,
    pub limit: i64,
}

/// Severity as a number for ordering (CRITICAL first).
const RANK: &str = "(case a.severity when 'CRITICAL' then 4 when 'HIGH' then 3 \
    when 'MEDIUM' then 2 else 1 end)";

/// A where clause with numbered placeholders and the values to bind, texts first.
#[derive(Default)]
struct Where {
    clauses: Vec<String>,
    texts: Vec<String>,
    ints: Vec<i64>,
}

impl Where {
    fn text(&mut self, clause: &str, value: &str) {
        debug_assert!(self.ints.is_empty(), "texts are bound first");
        self.texts.push(value.to_owned());
        self.clauses
            .push(clause.replace('?', &format!("${}", self.texts.len())));
    }

    fn int(&mut self, clause: &str, value: i64) {
        self.ints.push(value);
        let n = self.texts.len() + self.ints.len();
        self.clauses.push(clause.replace('?', &format!("${n}")));
    }

    fn next(&self) -> usize {
        self.texts.len() + self.ints.len() + 1
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() {
            "1 = 1".into()
        } else {
            self.clauses.join(" and ")
        }
    }

    /// The filters of `q` but its cursor (and its state unless `with_state`).
    fn of(q: &AlertQuery, with_state: bool) -> Self {
        let mut w = Self::default();
        if let Some(v) = q.state.as_ref().filter(|_| with_state) {
            w.text("a.state = ?", v);
        }
        if let Some(v) = &q.severity {
            w.text("a.severity = ?", v);
        }
        if let Some(v) = &q.kind {
            w.text("a.kind = ?", v);
        }
        if let Some(v) = &q.username {
            w.text("u.username = ?", v);
        }
        if let Some(v) = &q.assignee {
            w.text("v.username = ?", v);
        }
        if let Some(user) = q.subject_user_id {
            w.int("a.subject_user_id = ?", user);
        }
        if let Some(since) = q.since {
            w.int("a.last_seen >= ?", since);
        }
        if let Some(until) = q.until {
            w.int("a.first_seen < ?", until);
        }
        w
    }
}

pub async fn list_alerts(
    conn: &mut AnyConnection,
    q: &AlertQuery,
) -> Result<Vec<AlertRow>, sqlx::Error> {
    let mut w = Where::of(q, true);
    if let Some((rank, last_seen, id)) = q.after {
        let (r, l, i) = (w.next(), w.next() + 1, w.next() + 2);
        w.ints.extend([rank, last_seen, id]);
        w.clauses.push(format!(
            "({RANK} < ${r} or ({RANK} = ${r} and (a.last_seen < ${l} \
             or (a.last_seen = ${l} and a.id < ${i}))))"
        ));
    }
    let sql = format!(
        "select {ALERT_COLUMNS} from {ALERT_FROM} \
         where {} order by {RANK} desc, a.last_seen desc, a.id desc limit ${}",
        w.sql(),
        w.next()
    );
    let mut query = sqlx::query_as(&sql);
    for t in w.texts {
        query = query.bind(t);
    }
    for i in w.ints {
        query = query.bind(i);
    }
    query.bind(q.limit).fetch_all(conn).await
}

/// How many alerts each state holds under `q`'s filters (its state and cursor aside).
pub async fn count_by_state(
    conn: &mut AnyConnection,
    q: &AlertQuery,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let w = Where::of(q, false);
    let sql = format!(
        "select a.state, cast(count(*) as bigint) from {ALERT_FROM} where {} group by a.state",
        w.sql()
    );
    let mut query = sqlx::query_as(&sql);
    for t in w.texts {
        query = query.bind(t);
    }
    for i in w.ints {
        query = query.bind(i);
    }
    query.fetch_all(conn).await
}
