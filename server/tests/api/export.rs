use crate::helpers::{TestApp, spawn_app};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::time::Duration;

pub const JUSTIFICATION: &str =
    "Campaña de email marketing Q4: seguimiento de clientes del tour Cusco";

pub async fn ventas_ejecutivo(app: &TestApp) -> reqwest::Client {
    let supervisor = app
        .create_user("ventas.supervisor", "ventas", "supervisor")
        .await;
    let me = app
        .create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    app.set_supervisor(me, supervisor).await;
    let client = app.client();
    app.login(&client, "ventas.ejecutivo").await;
    client
}

pub fn by_filter(limit: i64, fields: &[&str]) -> Value {
    json!({
        "selection": { "filter": { "text": "", "limit": limit } },
        "fields": fields,
        "format": "csv",
        "justification": JUSTIFICATION,
        "campaign": null
    })
}

#[tokio::test]
async fn an_export_within_quota_is_debited_stored_and_downloaded_once() {
    let app = spawn_app().await;
    app.seed_contacts(60).await;
    let client = ventas_ejecutivo(&app).await;

    let (status, body) = app
        .request_export(&client, by_filter(10, &["full_name", "email", "phone"]))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["outcome"], "allowed");
    assert_eq!(body["count"], 10);
    let url = body["download_url"].as_str().expect("link").to_owned();
    assert!(body["receipt"].as_str().expect("receipt").starts_with("R-"));
    assert_eq!(app.daily_quota(&client).await, (10, Some(40)));

    // Another site cannot spend the link by sending the browser to it.
    let res = client
        .get(app.url(&url))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .expect("download");
    assert_eq!(res.status(), 303);
    assert_eq!(app.audit("export_downloaded").await.len(), 0);
    let res = client.get(app.url(&url)).send().await.expect("download");
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .expect("header")
            .contains("attachment")
    );
    let declared = res.headers()["x-content-sha256"]
        .to_str()
        .expect("sha")
        .to_owned();
    let bytes = res.bytes().await.expect("file");
    assert_eq!(hex::encode(Sha256::digest(&bytes)), declared);
    assert_eq!(declared, body["sha256"].as_str().expect("sha256"));
    let text = String::from_utf8(bytes.to_vec()).expect("utf-8");
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    assert_eq!(lines.next(), Some("full_name,email,phone"));
    assert_eq!(lines.count(), 10);

    // Usable once.
    let again = client.get(app.url(&url)).send().await.expect("again");
    assert_eq!(again.status(), 410);
    let body: Value = again.json().await.expect("json");
    assert_eq!(body["code"], "link_used");

    assert_eq!(app.audit("export_allowed").await.len(), 1);
    assert_eq!(app.audit("export_downloaded").await.len(), 1);
    assert_eq!(
        app.scalar("select cast(count(*) as bigint) from export_file")
            .await,
        0
    );
}

#[tokio::test]
async fn another_users_download_link_gives_404() {
    let app = spawn_app().await;
    app.seed_contacts(20).await;
    let owner = ventas_ejecutivo(&app).await;
    let (_, body) = app
        .request_export(&owner, by_filter(3, &["full_name"]))
        .await;
    let url = body["download_url"].as_str().expect("link").to_owned();

    app.create_user("ventas.asistente", "ventas", "assistant")
        .await;
    let other = app.client();
    app.login(&other, "ventas.asistente").await;
    let res = other.get(app.url(&url)).send().await.expect("request");
    assert_eq!(res.status(), 404);
    let res = app
        .client()
        .get(app.url(&url))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 401);
    // The owner can still use it: the failed attempts consumed nothing.
    assert_eq!(
        owner.get(app.url(&url)).send().await.expect("own").status(),
        200
    );
}

#[tokio::test]
async fn a_link_expires_after_fifteen_minutes() {
    let app = spawn_app().await;
    app.seed_contacts(20).await;
    let client = ventas_ejecutivo(&app).await;
    let (_, body) = app
        .request_export(&client, by_filter(3, &["full_name"]))
        .await;
    app.clock.advance(Duration::from_secs(15 * 60 + 1));
    let res = client
        .get(app.url(body["download_url"].as_str().expect("link")))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 410);
    assert_eq!(
        res.json::<Value>().await.expect("json")["code"],
        "link_expired"
    );
}

#[tokio::test]
async fn over_the_daily_window_needs_approval_says_what_remains_and_debits_nothing() {
    let app = spawn_app().await;
    app.seed_contacts(80).await;
    let client = ventas_ejecutivo(&app).await;
    let (status, _) = app
        .request_export(&client, by_filter(10, &["full_name"]))
        .await;
    assert_eq!(status, 200);

    let (status, body) = app
        .request_export(&client, by_filter(45, &["full_name"]))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["outcome"], "needs_approval");
    assert_eq!(body["reason_code"], "quota_exceeded");
    let reason = body["reason"].as_str().expect("reason");
    assert!(
        reason.contains("40") && reason.contains("50") && reason.contains("diario"),
        "{reason}"
    );
    assert!(reason.contains("ventas.supervisor"), "{reason}");
    assert_eq!(body["approver"], "ventas.supervisor");
    assert_eq!(app.daily_quota(&client).await, (10, Some(40)));
    assert_eq!(
        app.scalar("select cast(count(*) as bigint) from export_request where status = 'pending'")
            .await,
        1
    );
    assert_eq!(app.audit("export_requested").await.len(), 1);

    // Asking again for the same thing does not pile up requests.
    let (_, again) = app
        .request_export(&client, by_filter(45, &["full_name"]))
        .await;
    assert_eq!(again["request_id"], body["request_id"]);
}

#[tokio::test]
async fn more_than_the_approval_threshold_needs_approval_and_policies_are_data() {
    let app = spawn_app().await;
    app.seed_contacts(80).await;
    app.create_user("ventas.supervisor", "ventas", "supervisor")
        .await;
    let client = app.client();
    app.login(&client, "ventas.supervisor").await;
    // A Ventas supervisor: the department's 50 a day is stricter than the role's 100.
    assert_eq!(
        app.request_export(&client, by_filter(40, &["full_name"]))
            .await
            .1["outcome"],
        "allowed"
    );
    // An administrator lowers the role's threshold: the next decision follows the data.
    sqlx::query("update role_limit set approval_threshold = 30 where role = 'supervisor'")
        .execute(app.state.db.pool())
        .await
        .expect("policy");
    let (_, body) = app.request_export(&client, by_filter(35, &["email"])).await;
    assert_eq!(
        body["reason_code"], "quota_exceeded",
        "the windows are checked first: {body}"
    );
    app.clock.advance(Duration::from_secs(24 * 3600));
    app.login(&client, "ventas.supervisor").await;
    let (_, body) = app.request_export(&client, by_filter(35, &["email"])).await;
    assert_eq!(body["outcome"], "needs_approval");
    assert_eq!(body["reason_code"], "approval_threshold");
    assert!(body["reason"].as_str().expect("reason").contains("30"));
    assert_eq!(
        body["approver"],
        Value::Null,
        "this supervisor has no supervisor"
    );
    assert_eq!(
        app.request_export(&client, by_filter(30, &["email"]))
            .await
            .1["outcome"],
        "allowed"
    );
}

#[tokio::test]
async fn two_hundred_simultaneous_requests_export_exactly_what_remains() {
    let app = spawn_app().await;
    app.seed_contacts(200).await;
    // This is about the quota under concurrency: detection would (rightly) suspend a user
    // who exports ten times an hour, so this organisation turns that rule off.
    sqlx::query("update detection_rule set enabled = 0 where kind = 'MASS_EXPORT'")
        .execute(app.state.db.pool())
        .await
        .expect("rule");
    let client = ventas_ejecutivo(&app).await;
    let ids: Vec<i64> = sqlx::query_scalar("select id from contact order by id")
        .fetch_all(app.state.db.pool())
        .await
        .expect("ids");
    let requests = ids.iter().map(|id| {
        let body = json!({
            "selection": { "ids": [id] },
            "fields": ["full_name"],
            "format": "csv",
            "justification": JUSTIFICATION,
        });
        let client = client.clone();
        let url = app.url("/api/request_export");
        tokio::spawn(async move {
            let res = client.post(url).json(&body).send().await.expect("request");
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.expect("json"))
        })
    });
    let answers = futures::future::join_all(requests).await;
    let mut allowed = 0;
    for answer in answers {
        let (status, body) = answer.expect("task");
        assert_eq!(status, 200, "{body}");
        if body["outcome"] == "allowed" {
            allowed += 1;
        } else {
            assert_eq!(body["reason_code"], "quota_exceeded", "{body}");
        }
    }
    assert_eq!(allowed, 50);
    assert_eq!(
        app.scalar("select cast(count(*) as bigint) from export")
            .await,
        50
    );
    assert_eq!(
        app.scalar("select cast(coalesce(sum(count), 0) as bigint) from export")
            .await,
        50
    );
    assert_eq!(app.scalar("select total from quota_account").await, 50);
    assert_eq!(
        app.scalar("select cast(max(cumulative) as bigint) from export")
            .await,
        50
    );
    assert_eq!(app.audit("export_allowed").await.len(), 50);
    assert_eq!(app.daily_quota(&client).await, (50, Some(0)));
}

#[tokio::test]
async fn a_failure_after_the_debit_leaves_no_debit_no_record_and_no_audit_event() {
    let app = spawn_app().await;
    app.seed_contacts(20).await;
    let client = ventas_ejecutivo(&app).await;
    let events_before = app
        .scalar("select cast(count(*) as bigint) from audit_event")
        .await;
    app.state
        .failpoints
        .arm(app::server::service::export::FAIL_AFTER_DEBIT);
    let (status, body) = app
        .request_export(&client, by_filter(5, &["full_name"]))
        .await;
    assert_eq!(status, 500);
    assert_eq!(body["code"], "internal");
    assert_eq!(app.daily_quota(&client).await, (0, Some(50)));
    assert_eq!(
        app.scalar("select cast(count(*) as bigint) from export")
            .await,
        0
    );
    assert_eq!(
        app.scalar("select cast(count(*) as bigint) from export_file")
            .await,
        0
    );
    assert_eq!(
        app.scalar("select cast(count(*) as bigint) from quota_account where total > 0")
            .await,
        0
    );
    assert_eq!(
        app.scalar("select cast(count(*) as bigint) from audit_event")
            .await,
        events_before
    );
    app.state
        .failpoints
        .disarm(app::server::service::export::FAIL_AFTER_DEBIT);
    let (status, _) = app
        .request_export(&client, by_filter(5, &["full_name"]))
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.daily_quota(&client).await, (5, Some(45)));
}

#[tokio::test]
async fn quota_windows_roll_and_say_when_room_frees_up() {
    let app = spawn_app().await;
    app.seed_contacts(80).await;
    let client = ventas_ejecutivo(&app).await;
    let first_at = app.clock.now_ms();
    assert_eq!(
        app.request_export(&client, by_filter(30, &["full_name"]))
            .await
            .0,
        200
    );
    app.clock.advance(Duration::from_secs(3600));
    app.login(&client, "ventas.ejecutivo").await; // an hour idle ends a session
    assert_eq!(
        app.request_export(&client, by_filter(15, &["full_name"]))
            .await
            .0,
        200
    );
    let quota = app.my_quota(&client).await;
    let day = &quota["windows"][0];
    assert_eq!(
        (day["used"].as_i64(), day["remaining"].as_i64()),
        (Some(45), Some(5))
    );
    let frees_at = day["frees_at"].as_i64().expect("frees_at");
    assert!(
        (frees_at - (first_at + 86_400_000)).abs() < 2_000,
        "{frees_at} vs {first_at}"
    );
    assert_eq!(quota["windows"][1]["used"], 45);
    assert_eq!(quota["approval_threshold"], 50);

    // 20 more do not fit today; room for them comes when the first export leaves.
    let (_, body) = app
        .request_export(&client, by_filter(20, &["full_name"]))
        .await;
    assert_eq!(body["reason_code"], "quota_exceeded");
    // Exactly one day after the first export, it no longer counts.
    app.clock
        .advance(Duration::from_secs(23 * 3600) + Duration::from_millis(2_000));
    app.login(&client, "ventas.ejecutivo").await;
    assert_eq!(app.daily_quota(&client).await, (15, Some(35)));
    let quota = app.my_quota(&client).await;
    assert_eq!(
        quota["windows"][1]["used"], 45,
        "still inside the 7-day window"
    );
}
