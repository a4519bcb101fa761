//! Helpers of the approval tests: people with supervisors, requests over a limit, decisions.

use crate::helpers::TestApp;
use serde_json::{Value, json};

pub const WHY: &str = "Seguimiento de clientes del tour a Cusco para la gerencia";

/// A signed-in user of `department` and `role`, reporting to `boss`.
pub async fn person(
    app: &TestApp,
    username: &str,
    department: &str,
    role: &str,
    boss: Option<i64>,
) -> (i64, reqwest::Client) {
    let id = app.create_user(username, department, role).await;
    if let Some(boss) = boss {
        app.set_supervisor(id, boss).await;
    }
    let client = app.client();
    app.login(&client, username).await;
    (id, client)
}

/// Asks to export the first `count` visible contacts (full name), CSV.
pub async fn ask(app: &TestApp, client: &reqwest::Client, count: i64) -> (u16, Value) {
    app.request_export(
        client,
        json!({
            "selection": { "filter": { "text": "", "limit": count } },
            "fields": ["full_name"],
            "format": "csv",
            "justification": WHY,
            "campaign": null
        }),
    )
    .await
}

/// Asks for `count` contacts and returns the pending request's id (asserting it is one).
pub async fn pending_request(app: &TestApp, client: &reqwest::Client, count: i64) -> i64 {
    let (status, body) = ask(app, client, count).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["outcome"], "needs_approval", "{body}");
    body["request_id"].as_i64().expect("request id")
}

pub async fn decide(
    app: &TestApp,
    client: &reqwest::Client,
    id: i64,
    decision: &str,
    comment: Option<&str>,
) -> (u16, Value) {
    app.post_json(
        client,
        "/api/decide_approval",
        &json!({ "request_id": id, "decision": decision, "comment": comment }),
    )
    .await
}

/// `POST /api/approvals` with `state`.
pub async fn inbox(app: &TestApp, client: &reqwest::Client, state: Option<&str>) -> (u16, Value) {
    app.post_json(client, "/api/approvals", &json!({ "state": state }))
        .await
}

/// The caller's request `id` from `POST /api/my_requests`.
pub async fn my_request(app: &TestApp, client: &reqwest::Client, id: i64) -> Value {
    let (status, body) = app.post_json(client, "/api/my_requests", &json!({})).await;
    assert_eq!(status, 200, "{body}");
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|r| r["request_id"] == id)
        .cloned()
        .expect("the request is listed")
}

/// The notices `user_id` was given, by code.
pub async fn notices_of(app: &TestApp, user_id: i64) -> Vec<String> {
    let rows: Vec<String> = sqlx::query_scalar(
        "select params from notification where user_id = $1 and alert_id is null order by id",
    )
    .bind(user_id)
    .fetch_all(app.state.db.pool())
    .await
    .expect("notifications");
    rows.iter()
        .filter_map(|p| serde_json::from_str::<Value>(p).ok())
        .filter_map(|v| v["notice"]["key"].as_str().map(str::to_owned))
        .collect()
}

/// An approved Marketing campaign called `name`, running from yesterday for 30 days
/// (written behind the API: the campaign tests go through it).
pub async fn approved_campaign(app: &TestApp, name: &str) {
    use app::types::time::format_lima_date;
    let now = app.clock.now_ms();
    let proposer = match app::server::repo::users::id_by_username(
        &mut app.state.db.conn().await.expect("conn"),
        "campaign.owner",
    )
    .await
    .expect("lookup")
    {
        Some(id) => id,
        None => {
            app.create_user("campaign.owner", "marketing", "supervisor")
                .await
        }
    };
    sqlx::query(
        "insert into campaign (name, name_key, purpose, starts_on, ends_on, status, \
         proposed_by, decided_by, decided_at, created_at) \
         values ($1, $2, 'Campaña de prueba', $3, $4, 'approved', $5, $5, $6, $6)",
    )
    .bind(name)
    .bind(app::server::text::fold(name))
    .bind(format_lima_date(now - 86_400_000))
    .bind(format_lima_date(now + 30 * 86_400_000))
    .bind(proposer)
    .bind(now)
    .execute(app.state.db.pool())
    .await
    .expect("campaign");
}
