//! What administrators do from an alert to its subject's account (each with a reason, in
//! the alert's history), who may do it, and the alert pages themselves (for
//! administrators only, with what users typed escaped).

use crate::detection::admin;
use crate::helpers::{PASSWORD, spawn_app};
use crate::triage_support::*;
use serde_json::json;

#[tokio::test]
async fn account_actions_from_an_alert_need_a_reason_and_join_its_history() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    assistants(&app, &["ventas.asistente"]).await;
    let victim = app.client();
    app.login(&victim, "ventas.asistente").await;
    let ids = brute_force_alerts(&app, &admin, &["ventas.asistente"]).await;
    let id = ids[0].0;
    // The five failures locked the account; the administrator ends that first, from the
    // alert, with a reason.
    let d = detail(&app, &admin, id).await;
    assert_eq!(d["subject"]["status"], "locked", "{d}");
    let unlock = json!({ "username": "ventas.asistente", "action": "unlock", "reason": "Olvidó su clave, verificado por teléfono.", "alert_id": id });
    let (status, body) = app.post_json(&admin, "/api/user_action", &unlock).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app.post_json(&admin, "/api/user_action", &unlock).await;
    assert_eq!(
        (status, body["notice"]["key"].as_str()),
        (409, Some("not_locked"))
    );
    let act = |action: &'static str, reason: &'static str| json!({ "username": "ventas.asistente", "action": action, "reason": reason, "alert_id": id });
    let reason = "Cinco intentos fallidos y una sesión abierta.";

    let (status, body) = app
        .post_json(&admin, "/api/user_action", &act("block", "porque"))
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("reason")),
        "{body}"
    );
    assert!(app.whoami(&victim).await.is_some(), "nothing changed");
    let (status, body) = app
        .post_json(
            &admin,
            "/api/user_action",
            &json!({ "username": "admin", "action": "block", "reason": reason }),
        )
        .await;
    assert_eq!(
        (status, body["notice"]["key"].as_str()),
        (400, Some("own_account")),
        "{body}"
    );
    let (status, _) = app
        .post_json(
            &admin,
            "/api/user_action",
            &json!({ "username": "nadie", "action": "block", "reason": reason }),
        )
        .await;
    assert_eq!(status, 404);

    // Ending the sessions signs the user out; they may come back.
    let (status, body) = app
        .post_json(&admin, "/api/user_action", &act("end_sessions", reason))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(app.whoami(&victim).await, None, "signed out");
    let (status, body) = app
        .post_json(&admin, "/api/user_action", &act("end_sessions", reason))
        .await;
    assert_eq!(
        (status, body["notice"]["key"].as_str()),
        (409, Some("no_open_sessions"))
    );
    app.login(&victim, "ventas.asistente").await;

    // Blocking ends the sessions and keeps them out.
    let (status, _) = app
        .post_json(&admin, "/api/user_action", &act("block", reason))
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.whoami(&victim).await, None);
    let res = app
        .post_login(&app.client(), "ventas.asistente", PASSWORD)
        .await;
    assert_ne!(res.status(), 200, "a blocked user cannot sign in");
    let d = detail(&app, &admin, id).await;
    assert_eq!(d["subject"]["status"], "blocked");
    assert!(
        d["subject"]["sessions"]
            .as_array()
            .expect("sessions")
            .is_empty()
    );
    let (status, body) = app
        .post_json(&admin, "/api/user_action", &act("block", reason))
        .await;
    assert_eq!(
        (status, body["notice"]["key"].as_str()),
        (409, Some("already_blocked"))
    );

    let (status, _) = app
        .post_json(&admin, "/api/user_action", &act("unblock", reason))
        .await;
    assert_eq!(status, 200);
    let res = app
        .post_login(&app.client(), "ventas.asistente", PASSWORD)
        .await;
    assert_eq!(res.status(), 200, "unblocked");
    let (status, body) = app
        .post_json(&admin, "/api/user_action", &act("lift_suspension", reason))
        .await;
    assert_eq!(
        (status, body["notice"]["key"].as_str()),
        (409, Some("not_suspended"))
    );

    // Each action is one audit event with before/after, and the alert's history shows it.
    let blocked = app.audit("user_blocked").await;
    assert_eq!(blocked.len(), 1);
    assert_eq!(blocked[0].actor_username.as_deref(), Some("admin"));
    assert!(
        blocked[0]
            .before_json
            .as_deref()
            .unwrap_or_default()
            .contains("active")
    );
    assert!(
        blocked[0]
            .after_json
            .as_deref()
            .unwrap_or_default()
            .contains("blocked")
    );
    let d = detail(&app, &admin, id).await;
    let actions = history_actions(&d);
    for expected in [
        "account_unlocked",
        "session_revoked",
        "user_blocked",
        "user_unblocked",
    ] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected} in {actions:?}"
        );
    }
    assert!(
        d["history"]
            .as_array()
            .expect("history")
            .iter()
            .any(|h| h["action"] == "user_blocked" && h["note"] == reason),
        "the reason is on the history: {d}"
    );
}

#[tokio::test]
async fn the_alert_pages_are_for_administrators_and_escape_what_users_typed() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    assistants(&app, &["ventas.asistente"]).await;
    let employee = app.client();
    app.login(&employee, "ventas.asistente").await;
    let ids = brute_force_alerts(&app, &admin, &["ventas.asistente"]).await;
    let id = ids[0].0;
    let typed = "<script>alert('x')</script> & <b>negrita</b>";
    let (status, _) = app
        .post_json(
            &admin,
            "/api/alert_comment",
            &json!({ "id": id, "note": typed }),
        )
        .await;
    assert_eq!(status, 200);

    let res = app.get_page(&admin, &format!("/alertas/{id}")).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("html");
    assert!(
        html.contains("data-testid=\"history\""),
        "the history is on the page"
    );
    assert!(
        html.contains("&lt;script&gt;alert("),
        "the comment is shown, escaped"
    );
    assert!(!html.contains("<script>alert("), "never as markup");
    assert!(!html.contains("<b>negrita</b>"));
    assert!(html.contains("data-testid=\"timeline\""));

    let res = app.get_page(&admin, "/alertas?kind=BRUTE_FORCE").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("html");
    assert!(html.contains("data-testid=\"alerts-table\""));
    assert!(html.contains(&format!("href=\"/alertas/{id}\"")));

    for path in ["/alertas".to_owned(), format!("/alertas/{id}")] {
        let res = app.get_page(&employee, &path).await;
        assert_eq!(res.status(), 403, "{path}");
        let html = res.text().await.expect("html");
        assert!(
            !html.contains(typed) && !html.contains("&lt;script&gt;"),
            "{path} leaked"
        );
    }
}

#[tokio::test]
async fn only_administrators_run_bulk_and_account_actions() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    assistants(&app, &["ventas.asistente"]).await;
    let employee = app.client();
    app.login(&employee, "ventas.asistente").await;
    let ids = brute_force_alerts(&app, &admin, &["ventas.asistente"]).await;
    app.create_user("ventas.supervisor", "ventas", "supervisor")
        .await;
    let supervisor = app.client();
    app.login(&supervisor, "ventas.supervisor").await;
    let anonymous = app.client();
    let calls = [
        (
            "/api/alert_bulk",
            json!({ "op": "review", "items": [{ "id": ids[0].0, "version": ids[0].1 }] }),
        ),
        (
            "/api/user_action",
            json!({ "username": "ventas.asistente", "action": "block", "reason": "una razón suficiente" }),
        ),
        ("/api/alerts", json!({})),
    ];
    refused_to_non_administrators(&app, &calls, &anonymous, &employee, &supervisor).await;
    assert!(app.audit("user_blocked").await.is_empty());
    assert!(app.audit("alert_state_changed").await.is_empty());
}
