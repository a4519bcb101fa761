//! Triage of many alerts: bulk actions (each alert at its own version, the stale ones
//! skipped and reported) and the list's filters and state counts.

use crate::detection::{admin, alerts};
use crate::helpers::spawn_app;
use crate::triage_support::*;
use serde_json::{Value, json};

#[tokio::test]
async fn a_bulk_action_changes_each_alert_at_its_version_and_reports_the_stale_one() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    assistants(&app, &["ventas.uno", "ventas.dos", "ventas.tres"]).await;
    let ids = brute_force_alerts(&app, &admin, &["ventas.uno", "ventas.dos", "ventas.tres"]).await;
    // Someone else moves the second alert after the list was loaded.
    let (status, _) = app
        .post_json(
            &admin,
            "/api/alert_transition",
            &json!({ "id": ids[1].0, "to": "EN_REVISION", "note": null, "action_taken": null, "version": ids[1].1 }),
        )
        .await;
    assert_eq!(status, 200);
    let items: Vec<Value> = ids
        .iter()
        .map(|(id, version)| json!({ "id": id, "version": version }))
        .collect();

    // Closing needs the note and the action for all: refused before anything changes.
    let (status, body) = app
        .post_json(
            &admin,
            "/api/alert_bulk",
            &json!({ "op": "resolve", "items": items, "note": "corto", "action_taken": "none" }),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("note")),
        "{body}"
    );
    let (status, body) = app
        .post_json(
            &admin,
            "/api/alert_bulk",
            &json!({ "op": "shrug", "items": items }),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("op")),
        "{body}"
    );
    assert_eq!(
        app.audit("alert_state_changed").await.len(),
        1,
        "nothing more changed"
    );

    let (status, report) = app
        .post_json(
            &admin,
            "/api/alert_bulk",
            &json!({ "op": "review", "items": items }),
        )
        .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["applied"], json!([ids[0].0, ids[2].0]));
    let skipped = report["skipped"].as_array().expect("skipped");
    assert_eq!(skipped.len(), 1, "{report}");
    assert_eq!(skipped[0]["id"], ids[1].0);
    assert_eq!(skipped[0]["notice"]["key"], "alert_changed");
    assert_eq!(skipped[0]["notice"]["by"], "admin");

    // Assign to me, then close all three with one note, each at its current version.
    let current: Vec<Value> = alerts(&app, &admin, json!({ "kind": "BRUTE_FORCE" }))
        .await
        .iter()
        .map(|a| json!({ "id": a["id"], "version": a["version"] }))
        .collect();
    let (status, report) = app
        .post_json(
            &admin,
            "/api/alert_bulk",
            &json!({ "op": "assign_me", "items": current }),
        )
        .await;
    assert_eq!(
        (status, report["applied"].as_array().map(Vec::len)),
        (200, Some(3)),
        "{report}"
    );
    let current: Vec<Value> = alerts(&app, &admin, json!({ "assignee": "admin" }))
        .await
        .iter()
        .map(|a| json!({ "id": a["id"], "version": a["version"] }))
        .collect();
    assert_eq!(current.len(), 3, "the list filters by assignee");
    let note = "Bloqueo por contraseña olvidada; nada más.";
    let (status, report) = app
        .post_json(
            &admin,
            "/api/alert_bulk",
            &json!({ "op": "false_positive", "items": current, "note": note, "action_taken": "contacted_user" }),
        )
        .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        report["applied"].as_array().map(Vec::len),
        Some(3),
        "{report}"
    );
    for (id, _) in &ids {
        let d = detail(&app, &admin, *id).await;
        assert_eq!(d["state"], "FALSO_POSITIVO");
        assert_eq!(d["assignee"], "admin");
        let last = d["history"]
            .as_array()
            .and_then(|h| h.last())
            .cloned()
            .expect("history");
        assert_eq!(
            (last["note"].as_str(), last["action_taken"].as_str()),
            (Some(note), Some("contacted_user"))
        );
    }
    // A closed alert cannot be closed again: skipped, with the state machine's reason.
    let current: Vec<Value> = alerts(&app, &admin, json!({ "kind": "BRUTE_FORCE" }))
        .await
        .iter()
        .map(|a| json!({ "id": a["id"], "version": a["version"] }))
        .collect();
    let (_, report) = app
        .post_json(
            &admin,
            "/api/alert_bulk",
            &json!({ "op": "resolve", "items": current, "note": note, "action_taken": "none" }),
        )
        .await;
    assert_eq!(report["applied"], json!([]));
    assert!(
        report["skipped"]
            .as_array()
            .expect("skipped")
            .iter()
            .all(|s| s["notice"]["key"] == "transition_not_allowed"),
        "{report}"
    );
    app::server::service::audit::checkpoint::write(
        &app.state,
        app::server::service::audit::checkpoint::Reason::Manual,
    )
    .await
    .expect("checkpoint");
    assert!(crate::audit_chain::verify(&app).await.damage.is_none());
}

#[tokio::test]
async fn the_list_counts_each_state_and_filters_by_days() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    assistants(&app, &["ventas.uno", "ventas.dos"]).await;
    let ids = brute_force_alerts(&app, &admin, &["ventas.uno", "ventas.dos"]).await;
    app.post_json(
        &admin,
        "/api/alert_transition",
        &json!({ "id": ids[0].0, "to": "EN_REVISION", "note": null, "action_taken": null, "version": ids[0].1 }),
    )
    .await;
    let (status, page) = app
        .post_json(&admin, "/api/alerts", &json!({ "state": "NUEVA" }))
        .await;
    assert_eq!(status, 200, "{page}");
    // The counts ignore the state filter (they are the tabs above the table).
    assert_eq!(page["counts"]["nueva"], 1);
    assert_eq!(page["counts"]["en_revision"], 1);
    assert_eq!(page["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(page["items"][0]["id"], ids[1].0);

    let today = app::types::time::format_lima(app.clock.now_ms())[..10].to_owned();
    let on = |from: &str, to: &str| json!({ "kind": "BRUTE_FORCE", "from": from, "to": to });
    assert_eq!(alerts(&app, &admin, on(&today, &today)).await.len(), 2);
    assert_eq!(
        alerts(&app, &admin, on("2000-01-01", "2000-01-31"))
            .await
            .len(),
        0
    );
    assert_eq!(alerts(&app, &admin, on("2999-01-01", "")).await.len(), 0);
    let (status, body) = app
        .post_json(&admin, "/api/alerts", &json!({ "from": "31/12/2026" }))
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (422, Some("from")),
        "{body}"
    );
}
