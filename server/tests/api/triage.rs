//! Alert triage: the state machine, notes and actions required to close, reopening,
//! optimistic versions (a stale or concurrent change gets 409 naming who changed it),
//! assignment, comments, the history read back from the audit log, and who may do it.

use crate::detection::{admin, alerts, detect, fail_sign_in};
use crate::helpers::{TestApp, spawn_app};
use crate::triage_support::refused_to_non_administrators;
use serde_json::{Value, json};

/// One open BRUTE_FORCE alert about `ventas.asistente`; returns its id and version.
async fn an_alert(app: &TestApp, admin: &reqwest::Client) -> (i64, i64) {
    app.create_user("ventas.asistente", "ventas", "assistant")
        .await;
    for _ in 0..5 {
        fail_sign_in(app, "ventas.asistente").await;
    }
    detect(app).await;
    let found = alerts(app, admin, json!({ "kind": "BRUTE_FORCE" })).await;
    (
        found[0]["id"].as_i64().expect("id"),
        found[0]["version"].as_i64().expect("version"),
    )
}

async fn move_to(
    app: &TestApp,
    client: &reqwest::Client,
    id: i64,
    version: i64,
    to: &str,
    note: Option<&str>,
    action: Option<&str>,
) -> (u16, Value) {
    app.post_json(
        client,
        "/api/alert_transition",
        &json!({ "id": id, "to": to, "note": note, "action_taken": action, "version": version }),
    )
    .await
}

#[tokio::test]
async fn the_state_machine_allows_only_its_transitions_and_closing_needs_a_note_and_an_action() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let (id, v) = an_alert(&app, &admin).await;
    let note = "Llamé al usuario: fue él, olvidó su clave.";

    let (status, body) = move_to(&app, &admin, id, v, "ABIERTA", None, None).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("to")),
        "{body}"
    );
    let (status, body) = move_to(&app, &admin, id, v, "NUEVA", None, None).await;
    assert_eq!(
        (status, body["notice"]["key"].as_str()),
        (409, Some("transition_not_allowed")),
        "{body}"
    );
    // Closing straight from NUEVA needs a note of ten characters and an action taken.
    let (status, body) = move_to(&app, &admin, id, v, "RESUELTA", None, Some("none")).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("note")),
        "{body}"
    );
    let (status, _) = move_to(
        &app,
        &admin,
        id,
        v,
        "RESUELTA",
        Some("123456789"),
        Some("none"),
    )
    .await;
    assert_eq!(status, 400, "nine characters are not a note");
    let (status, body) = move_to(&app, &admin, id, v, "RESUELTA", Some(note), None).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("action_taken"))
    );
    let (status, body) = move_to(&app, &admin, id, v, "RESUELTA", Some(note), Some("shrug")).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("action_taken"))
    );
    assert!(
        app.audit("alert_state_changed").await.is_empty(),
        "nothing changed"
    );

    let (status, body) = move_to(&app, &admin, id, v, "EN_REVISION", None, None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["state"], "EN_REVISION");
    let v = body["version"].as_i64().expect("version");
    let (status, body) = move_to(
        &app,
        &admin,
        id,
        v,
        "FALSO_POSITIVO",
        Some(note),
        Some("contacted_user"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let v = body["version"].as_i64().expect("version");
    assert!(body["closed_at"].as_i64().is_some());
    // A closed alert only reopens, and only with a note.
    let (status, _) = move_to(&app, &admin, id, v, "RESUELTA", Some(note), Some("none")).await;
    assert_eq!(status, 409);
    let (status, _) = move_to(&app, &admin, id, v, "EN_REVISION", None, None).await;
    assert_eq!(status, 400);
    let (status, body) = move_to(
        &app,
        &admin,
        id,
        v,
        "EN_REVISION",
        Some("Se repitió desde otra IP."),
        None,
    )
    .await;
    assert_eq!(
        (status, body["state"].as_str()),
        (200, Some("EN_REVISION")),
        "{body}"
    );

    // The history: raised, then each move with who, from, to, note and action.
    let (status, detail) = app
        .post_json(&admin, "/api/alert", &json!({ "id": id }))
        .await;
    assert_eq!(status, 200);
    let moves: Vec<&Value> = detail["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter(|h| h["action"] == "alert_state_changed")
        .collect();
    assert_eq!(moves.len(), 3, "{detail}");
    assert_eq!(
        (
            moves[1]["from"].as_str(),
            moves[1]["to"].as_str(),
            moves[1]["action_taken"].as_str()
        ),
        (
            Some("EN_REVISION"),
            Some("FALSO_POSITIVO"),
            Some("contacted_user")
        )
    );
    assert_eq!(moves[1]["note"], note);
    assert_eq!(moves[1]["who"], "admin");
    assert_eq!(detail["history"][0]["action"], "alert_raised");
    // The failed sign-ins that triggered it are on the timeline.
    let triggers = detail["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["trigger"] == true && e["action"] == "sign_in_failed")
        .count();
    assert_eq!(triggers, 1, "{detail}");
    let failures = detail["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["action"] == "sign_in_failed")
        .count();
    assert_eq!(
        failures, 5,
        "the subject's failures around the alert: {detail}"
    );
    app::server::service::audit::checkpoint::write(
        &app.state,
        app::server::service::audit::checkpoint::Reason::Manual,
    )
    .await
    .expect("checkpoint");
    let report = crate::audit_chain::verify(&app).await;
    assert!(
        report.damage.is_none(),
        "the chain still verifies: {:?}",
        report.damage
    );
}

#[tokio::test]
async fn a_stale_version_is_refused_with_who_changed_it_and_concurrent_moves_have_one_winner() {
    let app = spawn_app().await;
    let first = admin(&app).await;
    app.create_user("admin.dos", "direccion", "admin").await;
    let second = app.client();
    app.login(&second, "admin.dos").await;
    let (id, v) = an_alert(&app, &first).await;

    let (a, b) = tokio::join!(
        move_to(&app, &first, id, v, "EN_REVISION", None, None),
        move_to(&app, &second, id, v, "EN_REVISION", None, None),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{a:?} {b:?}");
    assert_eq!(app.audit("alert_state_changed").await.len(), 1);

    // The loser's next try with its old version is told who changed it.
    let (status, body) = move_to(
        &app,
        &second,
        id,
        v,
        "RESUELTA",
        Some("Revisado con el equipo de ventas."),
        Some("none"),
    )
    .await;
    assert_eq!(status, 409);
    let winner = if a.0 == 200 { "admin" } else { "admin.dos" };
    assert!(
        body["message"].as_str().is_some_and(|m| m.contains(winner)),
        "{body}"
    );
}

#[tokio::test]
async fn alerts_are_assigned_to_administrators_and_comments_join_the_history() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let (id, v) = an_alert(&app, &admin).await;
    let (status, body) = app
        .post_json(
            &admin,
            "/api/alert_assign",
            &json!({ "id": id, "assignee": "ventas.asistente", "version": v }),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("assignee")),
        "{body}"
    );
    let (status, body) = app
        .post_json(
            &admin,
            "/api/alert_assign",
            &json!({ "id": id, "version": v }),
        )
        .await;
    assert_eq!(
        (status, body["assignee"].as_str()),
        (200, Some("admin")),
        "{body}"
    );
    let (status, _) = app
        .post_json(
            &admin,
            "/api/alert_assign",
            &json!({ "id": id, "version": v }),
        )
        .await;
    assert_eq!(status, 409, "the version moved on");

    let comment = "<script>alert(1)</script> revisar con RR. HH.";
    let (status, body) = app
        .post_json(
            &admin,
            "/api/alert_comment",
            &json!({ "id": id, "note": comment }),
        )
        .await;
    assert_eq!(
        (status, body["comments"].as_i64()),
        (200, Some(1)),
        "{body}"
    );
    let (status, _) = app
        .post_json(
            &admin,
            "/api/alert_comment",
            &json!({ "id": id, "note": "  " }),
        )
        .await;
    assert_eq!(status, 400);
    let history = body["history"].as_array().cloned().unwrap_or_default();
    let actions: Vec<&str> = history
        .iter()
        .filter_map(|h| h["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        ["alert_raised", "alert_assigned", "alert_commented"]
    );
    assert_eq!(history[1]["assignee"], "admin");
    assert_eq!(
        history[2]["note"], comment,
        "stored as typed (escaped when shown)"
    );
    let (status, _) = app
        .post_json(&admin, "/api/alert", &json!({ "id": 999_999 }))
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn only_administrators_triage_alerts() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let (id, v) = an_alert(&app, &admin).await;
    app.create_user("ventas.supervisor", "ventas", "supervisor")
        .await;
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let supervisor = app.client();
    app.login(&supervisor, "ventas.supervisor").await;
    let employee = app.client();
    app.login(&employee, "ventas.ejecutivo").await;
    let anonymous = app.client();
    let calls = [
        ("/api/alert", json!({ "id": id })),
        (
            "/api/alert_transition",
            json!({ "id": id, "to": "EN_REVISION", "note": null, "action_taken": null, "version": v }),
        ),
        ("/api/alert_assign", json!({ "id": id, "version": v })),
        (
            "/api/alert_comment",
            json!({ "id": id, "note": "hola mundo" }),
        ),
    ];
    refused_to_non_administrators(&app, &calls, &anonymous, &employee, &supervisor).await;
    assert!(app.audit("alert_state_changed").await.is_empty());
    assert!(app.audit("alert_commented").await.is_empty());
}
