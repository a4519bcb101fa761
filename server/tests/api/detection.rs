//! Detection: rules fire exactly at their thresholds within their windows, repeats raise
//! the open alert's counter, every event is evaluated once, and what administrators and users see
//! of it (the alert lists, notifications, the rules page). The helpers here serve the
//! other detection test files too.

use crate::helpers::{TestApp, spawn_app};
use app::server::service::alerts::detect;
use serde_json::{Value, json};
use std::time::Duration;

/// Evaluates what is pending now (the background evaluator may have done part of it: an
/// event is evaluated once either way).
pub(crate) async fn detect(app: &TestApp) {
    detect::catch_up(&app.state).await.expect("detection runs");
}

pub(crate) async fn alerts(app: &TestApp, admin: &reqwest::Client, filter: Value) -> Vec<Value> {
    let (status, body) = app.post_json(admin, "/api/alerts", &filter).await;
    assert_eq!(status, 200, "{body}");
    body["items"].as_array().cloned().unwrap_or_default()
}

pub(crate) async fn fail_sign_in(app: &TestApp, username: &str) {
    let res = app
        .post_login(&app.client(), username, "not-the-password")
        .await;
    assert_eq!(res.status(), 401);
}

pub(crate) async fn admin(app: &TestApp) -> reqwest::Client {
    app.create_user("admin", "direccion", "admin").await;
    let client = app.client();
    app.login(&client, "admin").await;
    client
}

pub(crate) async fn export(app: &TestApp, client: &reqwest::Client, ids: Vec<i64>) -> (u16, Value) {
    app.request_export(
        client,
        json!({
            "selection": { "ids": ids },
            "fields": ["full_name", "email"],
            "format": "csv",
            "justification": "Seguimiento de clientes para el reporte mensual",
        }),
    )
    .await
}

/// Appends `n` events of `action` by `actor` (what the coming admin screens will write).
pub(crate) async fn events_by(
    app: &TestApp,
    actor: i64,
    username: &str,
    action: app::types::audit::AuditAction,
    n: usize,
) {
    use app::server::service::audit::{self, NewEvent};
    let mut tx = app.state.db.begin_write().await.expect("tx");
    for i in 0..n {
        let event = NewEvent::new(action, app::types::audit::Outcome::Success)
            .actor(Some(actor), username)
            .target("user", i);
        audit::append(&mut tx, app.clock.now_ms(), event)
            .await
            .expect("append");
    }
    tx.commit().await.expect("commit");
}

pub(crate) async fn count_alerts(app: &TestApp, kind: &str) -> i64 {
    sqlx::query_scalar::<_, i64>("select cast(count(*) as bigint) from alert where kind = $1")
        .bind(kind)
        .fetch_one(app.state.db.pool())
        .await
        .expect("count")
}

pub(crate) async fn occurrences(app: &TestApp, kind: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(
        "select cast(coalesce(max(occurrences), 0) as bigint) from alert where kind = $1",
    )
    .bind(kind)
    .fetch_one(app.state.db.pool())
    .await
    .expect("occurrences")
}

#[tokio::test]
async fn brute_force_fires_at_the_fifth_failure_and_repeats_count_on_the_open_alert() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    app.create_user("ventas.asistente", "ventas", "assistant")
        .await;
    for _ in 0..4 {
        fail_sign_in(&app, "ventas.asistente").await;
    }
    detect(&app).await;
    let filter = json!({ "kind": "BRUTE_FORCE" });
    assert!(
        alerts(&app, &admin, filter.clone()).await.is_empty(),
        "4 is below the threshold"
    );

    fail_sign_in(&app, "ventas.asistente").await;
    detect(&app).await;
    let found = alerts(&app, &admin, filter.clone()).await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["severity"], "HIGH");
    assert_eq!(found[0]["state"], "NUEVA");
    assert_eq!(found[0]["username"], "ventas.asistente");
    assert_eq!(found[0]["occurrences"], 1);
    assert!(
        found[0]["description"]
            .as_str()
            .is_some_and(|d| d.contains("5") && d.contains("ventas.asistente")),
        "{}",
        found[0]
    );

    fail_sign_in(&app, "ventas.asistente").await;
    fail_sign_in(&app, "ventas.asistente").await;
    detect(&app).await;
    detect(&app).await;
    let found = alerts(&app, &admin, filter).await;
    assert_eq!(found.len(), 1, "one open alert");
    assert_eq!(
        found[0]["occurrences"], 3,
        "seven failures: three occurrences"
    );
    assert_eq!(app.audit("alert_raised").await.len(), 1);
    // Repeats evaluated in one batch are one update and one audit event that counts them.
    let repeats: i64 = app
        .audit("alert_repeated")
        .await
        .iter()
        .filter_map(|e| e.details_json.as_deref())
        .filter_map(|d| serde_json::from_str::<Value>(d).ok())
        .filter_map(|d| d["repeats"].as_i64())
        .sum();
    assert_eq!(repeats, 2, "two repeats recorded");
}

#[tokio::test]
async fn failures_outside_the_window_do_not_add_up() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    app.create_user("ventas.asistente", "ventas", "assistant")
        .await;
    for _ in 0..4 {
        fail_sign_in(&app, "ventas.asistente").await;
    }
    detect(&app).await;
    app.clock.advance(Duration::from_secs(15 * 60 + 1));
    fail_sign_in(&app, "ventas.asistente").await;
    detect(&app).await;
    assert!(
        alerts(&app, &admin, json!({ "kind": "BRUTE_FORCE" }))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn the_alert_lists_are_for_administrators_and_each_user_sees_their_own() {
    let app = spawn_app().await;
    let _admin = admin(&app).await;
    app.create_user("ventas.asistente", "ventas", "assistant")
        .await;
    for _ in 0..5 {
        fail_sign_in(&app, "ventas.asistente").await;
    }
    detect(&app).await;
    // The failures locked the account for five minutes.
    app.clock.advance(Duration::from_secs(5 * 60 + 1));
    let employee = app.client();
    app.login(&employee, "ventas.asistente").await;
    let (status, _) = app.post_json(&employee, "/api/alerts", &json!({})).await;
    assert_eq!(status, 403);
    let (status, mine) = app.post_json(&employee, "/api/my_alerts", &json!({})).await;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(mine[0]["kind"], "BRUTE_FORCE");
    let stranger = app.client();
    let (status, _) = app.post_json(&stranger, "/api/my_alerts", &json!({})).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn every_event_is_evaluated_once_whoever_gets_there_first() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    app.create_user("ventas.asistente", "ventas", "assistant")
        .await;
    for _ in 0..6 {
        fail_sign_in(&app, "ventas.asistente").await;
    }
    // The sweep, the evaluator and a second instance all catching up at once.
    let (a, b, c) = tokio::join!(
        detect::catch_up(&app.state),
        detect::catch_up(&app.state),
        detect::catch_up(&app.state)
    );
    let _ = (a.expect("a"), b.expect("b"), c.expect("c"));
    detect(&app).await;
    let found = alerts(&app, &admin, json!({ "kind": "BRUTE_FORCE" })).await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["occurrences"], 2);
}

#[tokio::test]
async fn notifications_are_read_by_their_owner_and_mi_uso_shows_my_alerts() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    app.create_user("ventas.asistente", "ventas", "assistant")
        .await;
    for _ in 0..5 {
        fail_sign_in(&app, "ventas.asistente").await;
    }
    detect(&app).await;
    // The administrator is told (security), and the account's owner too.
    let (_, notes) = app
        .post_json(&admin, "/api/notifications", &json!({}))
        .await;
    let note = notes[0].clone();
    assert_eq!(
        (note["kind"].as_str(), note["read"].as_bool()),
        (Some("BRUTE_FORCE"), Some(false))
    );
    let html = app
        .get_page(&admin, "/notificaciones")
        .await
        .text()
        .await
        .expect("html");
    assert!(
        html.contains("Fuerza bruta") && html.contains("bell-count"),
        "the page and the bell"
    );

    app.clock.advance(Duration::from_secs(5 * 60 + 1));
    let owner = app.client();
    app.login(&owner, "ventas.asistente").await;
    let id = note["id"].as_i64().expect("id").to_string();
    let (status, _) = app
        .post_form(
            &owner,
            "/api/mark_notification_read",
            &[("id", id.as_str())],
        )
        .await;
    assert_eq!(status, 404, "someone else's notification");
    let (status, _) = app
        .post_form(
            &admin,
            "/api/mark_notification_read",
            &[("id", id.as_str())],
        )
        .await;
    assert_eq!(status, 200);
    let (_, notes) = app
        .post_json(&admin, "/api/notifications", &json!({}))
        .await;
    assert_eq!(notes[0]["read"], true);

    let html = app
        .get_page(&owner, "/mi-uso")
        .await
        .text()
        .await
        .expect("html");
    assert!(
        html.contains("Mis alertas") && html.contains("Fuerza bruta"),
        "Mi uso lists my alert"
    );
}

#[tokio::test]
async fn administrators_change_rules_validated_and_audited_and_detection_follows() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    app.create_user("ventas.asistente", "ventas", "assistant")
        .await;
    let employee = app.client();
    app.login(&employee, "ventas.asistente").await;
    let (status, rules) = app.post_form(&admin, "/api/detection_rules", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(rules.as_array().map(Vec::len), Some(11));
    let change = |threshold: &'static str, window: &'static str, severity: &'static str| {
        vec![
            ("kind", "BRUTE_FORCE"),
            ("threshold", threshold),
            ("window_secs", window),
            ("severity", severity),
            ("enabled", "on"),
        ]
    };
    for (fields, field) in [
        (change("0", "900", "HIGH"), "threshold"),
        (change("3", "10", "HIGH"), "window_secs"),
        (change("3", "900", "HUGE"), "severity"),
    ] {
        let (status, body) = app
            .post_form(&admin, "/api/update_detection_rule", &fields)
            .await;
        assert_eq!(
            (status, body["field"].as_str()),
            (422, Some(field)),
            "{body}"
        );
    }
    let (status, _) = app
        .post_form(
            &employee,
            "/api/update_detection_rule",
            &change("3", "900", "HIGH"),
        )
        .await;
    assert_eq!(status, 403);
    assert!(
        app.audit("policy_changed").await.is_empty(),
        "nothing changed"
    );

    let (status, body) = app
        .post_form(
            &admin,
            "/api/update_detection_rule",
            &change("3", "600", "CRITICAL"),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let changed = app.audit("policy_changed").await;
    assert_eq!(changed.len(), 1);
    let before: Value =
        serde_json::from_str(changed[0].before_json.as_deref().expect("before")).expect("json");
    let after: Value =
        serde_json::from_str(changed[0].after_json.as_deref().expect("after")).expect("json");
    assert_eq!(
        (before["threshold"].as_i64(), after["threshold"].as_i64()),
        (Some(5), Some(3))
    );
    assert_eq!(after["severity"], "CRITICAL");

    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    for _ in 0..3 {
        fail_sign_in(&app, "ventas.ejecutivo").await;
    }
    detect(&app).await;
    let found = alerts(&app, &admin, json!({ "kind": "BRUTE_FORCE" })).await;
    assert_eq!(
        (found.len(), found[0]["severity"].as_str()),
        (1, Some("CRITICAL"))
    );

    let html = app
        .get_page(&admin, "/reglas")
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("Reglas de detección") && html.contains("rule-BRUTE_FORCE"));
    let res = app.get_page(&employee, "/reglas").await;
    assert_eq!(res.status(), 403);
}
