//! The audit explorer's query: filters over indexed columns, newest first, keyset pages on
//! `seq` (a page never re-reads what earlier pages covered).

use super::events::AuditRow;
use sqlx::AnyConnection;

/// Parsed filters: exact matches, a `seq` window (from the date range) and the cursor.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub equals: Vec<(&'static str, String)>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub before: Option<i64>,
    pub limit: i64,
}

/// The first event at or after `t` (by time), and the last one before `t`.
async fn seq_at_or_after(conn: &mut AnyConnection, t: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "select seq from audit_event where created_at >= $1 order by created_at, seq limit 1",
    )
    .bind(t)
    .fetch_optional(conn)
    .await
}

async fn seq_before(conn: &mut AnyConnection, t: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("select seq from audit_event where created_at < $1 order by created_at desc, seq desc limit 1")
        .bind(t)
        .fetch_optional(conn)
        .await
}

/// One page, newest first. Column names come from the caller's fixed list, never input.
pub async fn search(conn: &mut AnyConnection, s: &Search) -> Result<Vec<AuditRow>, sqlx::Error> {
    let mut clauses: Vec<String> = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    let mut ints: Vec<(usize, i64)> = Vec::new();
    for (column, value) in &s.equals {
        texts.push(value.clone());
        clauses.push(format!("{column} = ${}", texts.len()));
    }
    let mut bind_int = |clause: &str, v: i64, clauses: &mut Vec<String>| {
        let n = texts.len() + ints.len() + 1;
        ints.push((n, v));
        clauses.push(format!("{clause} ${n}"));
    };
    if let Some(from) = s.from_ms {
        match seq_at_or_after(conn, from).await? {
            Some(seq) => bind_int("seq >=", seq, &mut clauses),
            None => return Ok(Vec::new()),
        }
    }
    if let Some(to) = s.to_ms {
        match seq_before(conn, to).await? {
            Some(seq) => bind_int("seq <=", seq, &mut clauses),
            None => return Ok(Vec::new()),
        }
    }
    if let Some(before) = s.before {
        bind_int("seq <", before, &mut clauses);
    }
    let condition = if clauses.is_empty() {
        "1 = 1".to_owned()
    } else {
        clauses.join(" and ")
    };
    let n = texts.len() + ints.len() + 1;
    let sql = format!("select * from audit_event where {condition} order by seq desc limit ${n}");
    let mut query = sqlx::query_as::<_, AuditRow>(&sql);
    for t in texts {
        query = query.bind(t);
    }
    for (_, v) in ints {
        query = query.bind(v);
    }
    query.bind(s.limit).fetch_all(conn).await
}
