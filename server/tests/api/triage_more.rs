//! Triage beyond one alert: bulk actions (each alert at its own version, the stale ones
//! skipped and reported), the list's filters and state counts, the actions on the
//! subject's account from the alert page, "was this you?" from "Mi uso", and the pages
//! themselves (who may open them, and user text escaped where it is shown).

use crate::detection::{admin, alerts, detect, fail_sign_in};
use crate::helpers::{PASSWORD, TestApp, spawn_app};
use serde_json::{Value, json};

/// Ventas assistants.
async fn assistants(app: &TestApp, users: &[&str]) {
    for user in users {
        app.create_user(user, "ventas", "assistant").await;
    }
}

/// One open BRUTE_FORCE alert per user in `users` (five wrong passwords each, which also
/// locks the account for a while); returns (id, version) of each, in the order of `users`.
async fn brute_force_alerts(
    app: &TestApp,
    admin: &reqwest::Client,
    users: &[&str],
) -> Vec<(i64, i64)> {
    for user in users {
        for _ in 0..5 {
            fail_sign_in(app, user).await;
        }
    }
    detect(app).await;
    let found = alerts(app, admin, json!({ "kind": "BRUTE_FORCE" })).await;
    users
        .iter()
        .map(|user| {
            let a = found
                .iter()
                .find(|a| a["username"] == *user)
                .unwrap_or_else(|| panic!("an alert about {user}: {found:?}"));
            (
                a["id"].as_i64().expect("id"),
                a["version"].as_i64().expect("version"),
            )
        })
        .collect()
}

async fn detail(app: &TestApp, admin: &reqwest::Client, id: i64) -> Value {
    let (status, body) = app
        .post_json(admin, "/api/alert", &json!({ "id": id }))
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

fn history_actions(detail: &Value) -> Vec<String> {
    detail["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|h| h["action"].as_str().unwrap_or_default().to_owned())
        .collect()
}

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

/// An app that takes the client's address from `X-Forwarded-For` (as behind a proxy), so
/// a test can sign in "from" several addresses.
/// Two sessions from two addresses are also a CONCURRENT_SESSION (HIGH, which suspends
/// exports by itself): that rule is off here, so what the answer does is seen alone.
async fn behind_proxy() -> TestApp {
    let app = crate::helpers::spawn_app_with(|config| {
        config.trusted_proxies = vec!["127.0.0.1/32".parse().expect("net")];
    })
    .await;
    crate::helpers::set_rule_enabled(&app.state, "CONCURRENT_SESSION", false).await;
    app
}

/// An employee with an UNUSUAL_LOCATION alert about their own sign-in (MEDIUM); returns
/// their client and the alert's id.
async fn unusual_location(app: &TestApp, username: &str) -> (reqwest::Client, i64) {
    app.create_user(username, "ventas", "executive").await;
    let sign_in_from = |ip: &'static str| {
        let client = app.client();
        let url = app.url("/api/login");
        let username = username.to_owned();
        async move {
            let res = client
                .post(url)
                .header("x-forwarded-for", ip)
                .form(&[("username", username.as_str()), ("password", PASSWORD)])
                .send()
                .await
                .expect("request");
            assert_eq!(res.status(), 200);
            client
        }
    };
    let _first = sign_in_from("198.51.100.7").await;
    let client = sign_in_from("203.0.113.80").await;
    detect(app).await;
    let (status, mine) = app.post_json(&client, "/api/my_alerts", &json!({})).await;
    assert_eq!(status, 200, "{mine}");
    let alert = mine
        .as_array()
        .expect("alerts")
        .iter()
        .find(|a| a["kind"] == "UNUSUAL_LOCATION")
        .cloned()
        .expect("an unusual-location alert");
    assert_eq!(alert["severity"], "MEDIUM");
    assert_eq!(alert["answer"], Value::Null);
    (client, alert["id"].as_i64().expect("id"))
}

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
    for (path, body) in &calls {
        for (who, client, expected) in [
            ("anonymous", &anonymous, 401),
            ("employee", &employee, 403),
            ("supervisor", &supervisor, 403),
        ] {
            let (status, _) = app.post_json(client, path, body).await;
            assert_eq!(status, expected, "{who} {path}");
        }
    }
    assert!(app.audit("user_blocked").await.is_empty());
    assert!(app.audit("alert_state_changed").await.is_empty());
}
