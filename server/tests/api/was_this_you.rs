//! "Was this you?": the subject answers from "Mi uso"; "No" raises the alert to HIGH and
//! runs the HIGH response, "Yes" joins its history; nobody else may answer.

use crate::detection::{admin, alerts, detect, fail_sign_in};
use crate::triage_support::*;
use serde_json::json;

#[tokio::test]
async fn no_it_was_not_me_raises_the_alert_to_high_and_runs_the_high_response() {
    let app = behind_proxy().await;
    let admin = admin(&app).await;
    app.seed_contacts(5).await;
    let (employee, id) = unusual_location(&app, "ventas.ejecutivo").await;
    app.create_user("ventas.otro", "ventas", "executive").await;
    let other = app.client();
    app.login(&other, "ventas.otro").await;

    // Nobody else answers for them: another employee, an administrator, anonymous.
    let answer = |id: i64, answer: &'static str| json!({ "id": id, "answer": answer });
    let (status, _) = app
        .post_json(&other, "/api/alert_answer", &answer(id, "no"))
        .await;
    assert_eq!(status, 404);
    let (status, _) = app
        .post_json(&admin, "/api/alert_answer", &answer(id, "no"))
        .await;
    assert_eq!(status, 404);
    let (status, _) = app
        .post_json(&app.client(), "/api/alert_answer", &answer(id, "no"))
        .await;
    assert_eq!(status, 401);
    let (status, body) = app
        .post_json(&employee, "/api/alert_answer", &answer(id, "maybe"))
        .await;
    assert_eq!((status, body["field"].as_str()), (400, Some("answer")));
    assert!(app.audit("alert_answered").await.is_empty());

    let (status, body) = app
        .post_json(&employee, "/api/alert_answer", &answer(id, "no"))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["severity"].as_str(), body["answer"].as_str()),
        (Some("HIGH"), Some("no"))
    );
    let (status, body) = app
        .post_json(&employee, "/api/alert_answer", &answer(id, "yes"))
        .await;
    assert_eq!(
        (status, body["notice"]["key"].as_str()),
        (409, Some("already_answered"))
    );

    // The HIGH response: security told, exports suspended.
    let (_, notes) = app
        .post_json(&admin, "/api/notifications", &json!({}))
        .await;
    assert!(
        notes
            .as_array()
            .expect("notes")
            .iter()
            .any(|n| n["alert_id"] == id),
        "security was told: {notes}"
    );
    let ids: Vec<i64> = sqlx::query_scalar("select id from contact order by id limit 2")
        .fetch_all(app.state.db.pool())
        .await
        .expect("ids");
    let (status, body) = crate::detection::export(&app, &employee, ids).await;
    assert_eq!(
        body["notice"]["key"], "exports_suspended",
        "{status} {body}"
    );

    // The administrator sees the answer on the alert and in its history.
    let d = detail(&app, &admin, id).await;
    assert_eq!(
        (d["severity"].as_str(), d["answer"].as_str()),
        (Some("HIGH"), Some("no"))
    );
    let answered = d["history"]
        .as_array()
        .expect("history")
        .iter()
        .find(|h| h["action"] == "alert_answered")
        .cloned()
        .expect("the answer is in the history");
    assert_eq!(answered["who"], "ventas.ejecutivo");
    assert_eq!(
        (
            answered["severity_from"].as_str(),
            answered["severity_to"].as_str()
        ),
        (Some("MEDIUM"), Some("HIGH"))
    );
    assert!(history_actions(&d).iter().any(|a| a == "exports_suspended"));
}

#[tokio::test]
async fn yes_it_was_me_joins_the_history_and_only_own_sign_in_alerts_ask() {
    let app = behind_proxy().await;
    let admin = admin(&app).await;
    let (employee, id) = unusual_location(&app, "ventas.ejecutivo").await;
    let (status, body) = app
        .post_json(
            &employee,
            "/api/alert_answer",
            &json!({ "id": id, "answer": "yes" }),
        )
        .await;
    assert_eq!(
        (status, body["severity"].as_str()),
        (200, Some("MEDIUM")),
        "{body}"
    );
    let d = detail(&app, &admin, id).await;
    assert_eq!(d["answer"], "yes");
    assert!(history_actions(&d).iter().any(|a| a == "alert_answered"));
    assert!(
        app.audit("exports_suspended").await.is_empty(),
        "no response for a yes"
    );

    // An alert about an attack on the account is not theirs to answer.
    for _ in 0..5 {
        fail_sign_in(&app, "ventas.ejecutivo").await;
    }
    detect(&app).await;
    let brute = alerts(&app, &admin, json!({ "kind": "BRUTE_FORCE" })).await;
    let brute_id = brute[0]["id"].as_i64().expect("id");
    let (status, _) = app
        .post_json(
            &employee,
            "/api/alert_answer",
            &json!({ "id": brute_id, "answer": "no" }),
        )
        .await;
    assert_eq!(status, 404);
}
