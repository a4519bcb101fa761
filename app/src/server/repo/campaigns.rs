//! Marketing campaigns (`campaign`).

use sqlx::AnyConnection;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CampaignRow {
    pub id: i64,
    pub name: String,
    pub purpose: String,
    pub starts_on: String,
    pub ends_on: String,
    pub status: String,
    pub proposed_by_id: i64,
    pub proposed_by: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub decision_comment: Option<String>,
}

const CAMPAIGN_ROW: &str = "select c.id, c.name, c.purpose, c.starts_on, c.ends_on, c.status, \
     c.proposed_by as proposed_by_id, p.username as proposed_by, d.username as decided_by, \
     c.decided_at, c.decision_comment from campaign c join app_user p on p.id = c.proposed_by \
     left join app_user d on d.id = c.decided_by";

/// Campaigns still worth listing (not ended before `since`, or undecided), newest first.
pub async fn list(conn: &mut AnyConnection, since: &str) -> Result<Vec<CampaignRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{CAMPAIGN_ROW} where c.ends_on >= $1 or c.status = 'proposed' \
         order by c.starts_on desc, c.id desc limit 200"
    ))
    .bind(since)
    .fetch_all(conn)
    .await
}

pub async fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<CampaignRow>, sqlx::Error> {
    sqlx::query_as(&format!("{CAMPAIGN_ROW} where c.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The approved campaign called `name_key` (folded) running on `day` (`YYYY-MM-DD`).
pub async fn active_named(
    conn: &mut AnyConnection,
    name_key: &str,
    day: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "select id from campaign where name_key = $1 and status = 'approved' \
         and starts_on <= $2 and ends_on >= $2",
    )
    .bind(name_key)
    .bind(day)
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// The names of the approved campaigns running on `day`.
pub async fn running(conn: &mut AnyConnection, day: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "select name from campaign where status = 'approved' and starts_on <= $1 \
         and ends_on >= $1 order by name",
    )
    .bind(day)
    .fetch_all(conn)
    .await
}

/// The campaign called `name_key` (folded), if any.
pub async fn id_named(
    conn: &mut AnyConnection,
    name_key: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("select id from campaign where name_key = $1")
        .bind(name_key)
        .fetch_optional(conn)
        .await
}

pub struct NewCampaign<'a> {
    pub name: &'a str,
    pub name_key: &'a str,
    pub purpose: &'a str,
    pub starts_on: &'a str,
    pub ends_on: &'a str,
    pub proposed_by: i64,
}

pub async fn insert(
    conn: &mut AnyConnection,
    c: &NewCampaign<'_>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "insert into campaign (name, name_key, purpose, starts_on, ends_on, status, proposed_by, \
         created_at) values ($1, $2, $3, $4, $5, 'proposed', $6, $7) returning id",
    )
    .bind(c.name)
    .bind(c.name_key)
    .bind(c.purpose)
    .bind(c.starts_on)
    .bind(c.ends_on)
    .bind(c.proposed_by)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// Decides a proposed campaign; false if it was decided already.
pub async fn decide(
    conn: &mut AnyConnection,
    id: i64,
    status: &str,
    by: i64,
    comment: Option<&str>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "update campaign set status = $1, decided_by = $2, decided_at = $3, decision_comment = $4 \
         where id = $5 and status = 'proposed'",
    )
    .bind(status)
    .bind(by)
    .bind(now)
    .bind(comment)
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}
