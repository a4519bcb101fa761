//! Detection: rules fire exactly at their thresholds within their windows, repeats raise
//! the open alert's counter, every event is evaluated once, and the automatic responses
//! act (exports suspended, a user blocked with their sessions ended, a snapshot kept).

use crate::helpers::{PASSWORD, TestApp, spawn_app};
use app::server::service::alerts::detect;
use serde_json::{Value, json};
use std::time::Duration;

/// Evaluates what is pending now (the background evaluator may have done part of it: an
/// event is evaluated once either way).
async fn detect(app: &TestApp) {
    detect::catch_up(&app.state).await.expect("detection runs");
}

async fn alerts(app: &TestApp, admin: &reqwest::Client, filter: Value) -> Vec<Value> {
    let (status, body) = app.post_json(admin, "/api/alerts", &filter).await;
    assert_eq!(status, 200, "{body}");
    body["items"].as_array().cloned().unwrap_or_default()
}

async fn fail_sign_in(app: &TestApp, username: &str) {
    let res = app
        .post_login(&app.client(), username, "not-the-password")
        .await;
    assert_eq!(res.status(), 401);
}

async fn admin(app: &TestApp) -> reqwest::Client {
    app.create_user("admin", "direccion", "admin").await;
    let client = app.client();
    app.login(&client, "admin").await;
    client
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
    assert_eq!(app.audit("alert_repeated").await.len(), 2);
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

async fn export(app: &TestApp, client: &reqwest::Client, ids: Vec<i64>) -> (u16, Value) {
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

#[tokio::test]
async fn a_mass_export_suspends_the_exporters_exports_and_tells_security() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    app.seed_contacts(40).await;
    let exporter = app
        .create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let boss = app
        .create_user("ventas.supervisor", "ventas", "supervisor")
        .await;
    app.set_supervisor(exporter, boss).await;
    let client = app.client();
    app.login(&client, "ventas.ejecutivo").await;
    for i in 0..9 {
        assert_eq!(export(&app, &client, vec![i + 1]).await.0, 200);
    }
    detect(&app).await;
    assert!(
        alerts(&app, &admin, json!({ "kind": "MASS_EXPORT" }))
            .await
            .is_empty()
    );
    assert_eq!(export(&app, &client, vec![10]).await.0, 200);
    detect(&app).await;
    let found = alerts(&app, &admin, json!({ "kind": "MASS_EXPORT" })).await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["severity"], "HIGH");

    let (status, body) = export(&app, &client, vec![11]).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("exports_suspended")),
        "{body}"
    );
    assert_eq!(app.audit("exports_suspended").await.len(), 1);
    // The supervisor and the administrator were notified.
    let (_, notes) = app
        .post_json(&admin, "/api/notifications", &json!({}))
        .await;
    assert_eq!(notes[0]["kind"], "MASS_EXPORT", "{notes}");
    let supervisor = app.client();
    app.login(&supervisor, "ventas.supervisor").await;
    let (_, notes) = app
        .post_json(&supervisor, "/api/notifications", &json!({}))
        .await;
    assert_eq!(notes.as_array().map(Vec::len), Some(1), "{notes}");
}

#[tokio::test]
async fn a_critical_alert_blocks_the_user_ends_their_sessions_and_keeps_a_snapshot() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    app.seed_contacts(20).await;
    app.create_user("direccion.director", "direccion", "director")
        .await;
    // Rules are data: this organisation calls an export of more than 3 contacts critical.
    sqlx::query(
        "update detection_rule set params = '{\"single_export\":2,\"critical_export\":3}' \
         where kind = 'MASS_EXPORT'",
    )
    .execute(app.state.db.pool())
    .await
    .expect("rule");
    let client = app.client();
    app.login(&client, "direccion.director").await;
    assert_eq!(export(&app, &client, vec![1, 2, 3, 4]).await.0, 200);
    detect(&app).await;
    let found = alerts(&app, &admin, json!({ "severity": "CRITICAL" })).await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        app.whoami(&client).await.is_none(),
        "the old cookie no longer works"
    );
    let res = app
        .post_login(&app.client(), "direccion.director", PASSWORD)
        .await;
    assert_eq!(res.status(), 403, "blocked");
    let snapshot: Option<String> = sqlx::query_scalar("select snapshot from alert where id = $1")
        .bind(found[0]["id"].as_i64().expect("id"))
        .fetch_one(app.state.db.pool())
        .await
        .expect("alert");
    let snapshot: Value = serde_json::from_str(&snapshot.expect("a snapshot")).expect("json");
    assert!(!snapshot["events"].as_array().expect("events").is_empty());
    assert_eq!(snapshot["exports"].as_array().map(Vec::len), Some(1));
    assert_eq!(app.audit("user_blocked").await.len(), 1);
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
async fn five_failures_lock_the_account_and_the_right_password_gets_the_same_answer() {
    let app = spawn_app().await;
    app.create_user("ventas.asistente", "ventas", "assistant")
        .await;
    let wrong = app
        .post_login(&app.client(), "ventas.asistente", "nope-nope-nope")
        .await;
    let (wrong_status, wrong_body) = (wrong.status(), wrong.text().await.expect("body"));
    for _ in 0..4 {
        fail_sign_in(&app, "ventas.asistente").await;
    }
    assert_eq!(
        app.audit("account_locked").await.len(),
        1,
        "locked at the fifth failure"
    );
    let right = app
        .post_login(&app.client(), "ventas.asistente", PASSWORD)
        .await;
    assert_eq!(right.status(), wrong_status);
    assert_eq!(
        right.text().await.expect("body"),
        wrong_body,
        "no enumeration"
    );

    // Five minutes later the lock is over; a success forgets the escalation.
    app.clock.advance(Duration::from_secs(5 * 60 + 1));
    let client = app.client();
    app.login(&client, "ventas.asistente").await;
    let level = app
        .scalar("select lock_level from app_user where username = 'ventas.asistente'")
        .await;
    assert_eq!(level, 0);
}

#[tokio::test]
async fn locks_double_on_each_repeat_and_an_administrator_can_end_one() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    app.create_user("ventas.asistente", "ventas", "assistant")
        .await;
    for _ in 0..5 {
        fail_sign_in(&app, "ventas.asistente").await;
    }
    app.clock.advance(Duration::from_secs(5 * 60 + 1));
    // Still within the 15-minute window: the next failure locks again, for 10 minutes.
    fail_sign_in(&app, "ventas.asistente").await;
    assert_eq!(app.audit("account_locked").await.len(), 2);
    app.clock.advance(Duration::from_secs(5 * 60 + 1));
    let res = app
        .post_login(&app.client(), "ventas.asistente", PASSWORD)
        .await;
    assert_eq!(res.status(), 401, "the second lock lasts ten minutes");

    let (status, _) = app
        .post_form(
            &app.client(),
            "/api/unlock_user",
            &[("username", "ventas.asistente")],
        )
        .await;
    assert_eq!(status, 401, "not signed in");
    let (status, body) = app
        .post_form(
            &admin,
            "/api/unlock_user",
            &[("username", "ventas.asistente")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(app.audit("account_unlocked").await.len(), 1);
    let client = app.client();
    app.login(&client, "ventas.asistente").await;
}

#[tokio::test]
async fn an_address_failing_against_ten_accounts_gets_429_and_others_do_not() {
    let app = crate::helpers::spawn_app_with(|config| {
        config.trusted_proxies = vec!["127.0.0.1/32".parse().expect("net")];
    })
    .await;
    app.create_user("ventas.asistente", "ventas", "assistant")
        .await;
    let app = &app;
    let attacker = move |username: &str| {
        app.client()
            .post(app.url("/api/login"))
            .header("x-forwarded-for", "203.0.113.66")
            .form(&[("username", username), ("password", "wrong-wrong-wrong")])
            .send()
    };
    for i in 0..10 {
        let res = attacker(&format!("usuario{i}")).await.expect("request");
        assert_eq!(res.status(), 401);
    }
    let res = attacker("ventas.asistente").await.expect("request");
    assert_eq!(res.status(), 429);
    let wait: i64 = res.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!(wait > 0);
    // Another address, even for the same account, is unaffected.
    let res = app
        .client()
        .post(app.url("/api/login"))
        .header("x-forwarded-for", "198.51.100.7")
        .form(&[("username", "ventas.asistente"), ("password", PASSWORD)])
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
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
async fn alert_mail_reaches_the_supervisor_and_security_in_their_languages_once() {
    use app::server::jobs::{Runner, mail::MailSender};
    let smtp = crate::smtp::SmtpReceiver::start().await;
    let url = smtp.url();
    let app = crate::helpers::spawn_app_with(move |config| {
        config.smtp_url = Some(secrecy::SecretString::from(url));
        config.mail_from = Some("Centinela <centinela@example.pe>".into());
    })
    .await;
    let admin = admin(&app).await;
    app.seed_contacts(20).await;
    let exporter = app
        .create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let boss = app
        .create_user("ventas.supervisor", "ventas", "supervisor")
        .await;
    app.set_supervisor(exporter, boss).await;
    for (user, email, locale) in [
        ("ventas.supervisor", "jefa@example.pe", "en"),
        ("admin", "seguridad@example.pe", "es-PE"),
    ] {
        sqlx::query("update app_user set email = $1, locale = $2 where username = $3")
            .bind(email)
            .bind(locale)
            .bind(user)
            .execute(app.state.db.pool())
            .await
            .expect("user");
    }
    let client = app.client();
    app.login(&client, "ventas.ejecutivo").await;
    for i in 0..10 {
        assert_eq!(export(&app, &client, vec![i + 1]).await.0, 200);
    }
    detect(&app).await;
    assert_eq!(
        alerts(&app, &admin, json!({ "kind": "MASS_EXPORT" }))
            .await
            .len(),
        1
    );

    // The sender running twice at once (and the server's own, every second) sends each
    // message once.
    let runner = Runner::new(app.state.clone());
    let (a, b) = tokio::join!(runner.tick(&MailSender), runner.tick(&MailSender));
    let _ = (a.expect("a"), b.expect("b"));
    let received = smtp.wait_for(2, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let received = if smtp.messages().len() > received.len() {
        smtp.messages()
    } else {
        received
    };
    assert_eq!(received.len(), 2, "{received:?}");
    let to = |address: &str| {
        received
            .iter()
            .find(|m| m.to.iter().any(|t| t.contains(address)))
            .unwrap_or_else(|| panic!("no mail to {address}: {received:?}"))
            .clone()
    };
    assert_eq!(
        to("jefa@example.pe").subject(),
        "[Centinela] Mass export (High severity)"
    );
    assert_eq!(
        to("seguridad@example.pe").subject(),
        "[Centinela] Exportación masiva (severidad Alta)"
    );
    assert!(
        to("seguridad@example.pe")
            .from
            .contains("centinela@example.pe")
    );
    let sent = app
        .scalar("select cast(count(*) as bigint) from mail_outbox where status = 'sent'")
        .await;
    assert_eq!(sent, 2);
}

#[tokio::test]
async fn without_smtp_settings_mail_waits_in_the_outbox() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let _ = admin;
    app.create_user("ventas.asistente", "ventas", "assistant")
        .await;
    for _ in 0..5 {
        fail_sign_in(&app, "ventas.asistente").await;
    }
    detect(&app).await;
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let queued = app
        .scalar("select cast(count(*) as bigint) from mail_outbox where status = 'queued'")
        .await;
    assert!(
        queued >= 1,
        "the owner and security are told by mail once SMTP is set"
    );
}

/// Appends `n` events of `action` by `actor` (what the coming admin screens will write).
async fn events_by(
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

async fn count_alerts(app: &TestApp, kind: &str) -> i64 {
    sqlx::query_scalar::<_, i64>("select cast(count(*) as bigint) from alert where kind = $1")
        .bind(kind)
        .fetch_one(app.state.db.pool())
        .await
        .expect("count")
}

async fn occurrences(app: &TestApp, kind: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(
        "select cast(coalesce(max(occurrences), 0) as bigint) from alert where kind = $1",
    )
    .bind(kind)
    .fetch_one(app.state.db.pool())
    .await
    .expect("occurrences")
}

#[tokio::test]
async fn actor_rules_fire_exactly_at_their_thresholds() {
    use app::types::audit::AuditAction;
    let app = spawn_app().await;
    let actor = app
        .create_user("direccion.director", "direccion", "director")
        .await;
    // PERMISSION_CHANGE: 5 changes by one actor in 30 minutes.
    events_by(
        &app,
        actor,
        "direccion.director",
        AuditAction::RoleChanged,
        4,
    )
    .await;
    detect(&app).await;
    assert_eq!(count_alerts(&app, "PERMISSION_CHANGE").await, 0);
    events_by(
        &app,
        actor,
        "direccion.director",
        AuditAction::PolicyChanged,
        1,
    )
    .await;
    detect(&app).await;
    assert_eq!(count_alerts(&app, "PERMISSION_CHANGE").await, 1);

    // UNUSUAL_ACTIVITY: 50 actions by one user in 10 minutes (the 5 above count).
    events_by(
        &app,
        actor,
        "direccion.director",
        AuditAction::SensitiveDataViewed,
        44,
    )
    .await;
    detect(&app).await;
    assert_eq!(
        count_alerts(&app, "UNUSUAL_ACTIVITY").await,
        0,
        "49 actions"
    );
    events_by(
        &app,
        actor,
        "direccion.director",
        AuditAction::SensitiveDataViewed,
        2,
    )
    .await;
    detect(&app).await;
    assert_eq!(
        occurrences(&app, "UNUSUAL_ACTIVITY").await,
        2,
        "the 50th and the 51st"
    );

    // Ten minutes later the window has moved on.
    app.clock.advance(Duration::from_secs(10 * 60 + 1));
    events_by(
        &app,
        actor,
        "direccion.director",
        AuditAction::SensitiveDataViewed,
        1,
    )
    .await;
    detect(&app).await;
    assert_eq!(occurrences(&app, "UNUSUAL_ACTIVITY").await, 2);
}

#[tokio::test]
async fn ten_refused_exports_in_an_hour_are_a_denied_burst() {
    let app = spawn_app().await;
    app.seed_contacts(5).await;
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let client = app.client();
    app.login(&client, "ventas.ejecutivo").await;
    let refused = || {
        app.request_export(
            &client,
            json!({
                "selection": { "ids": [1] },
                "fields": ["no_such_field"],
                "format": "csv",
                "justification": "Seguimiento de clientes para el reporte mensual",
            }),
        )
    };
    for _ in 0..9 {
        assert_eq!(refused().await.0, 422);
    }
    detect(&app).await;
    assert_eq!(count_alerts(&app, "DENIED_BURST").await, 0);
    assert_eq!(refused().await.0, 422);
    detect(&app).await;
    assert_eq!(count_alerts(&app, "DENIED_BURST").await, 1);
}

#[tokio::test]
async fn an_address_failing_against_ten_accounts_is_credential_stuffing_about_the_address() {
    let app = spawn_app().await;
    for i in 0..9 {
        fail_sign_in(&app, &format!("usuario{i}")).await;
    }
    detect(&app).await;
    assert_eq!(count_alerts(&app, "CREDENTIAL_STUFFING").await, 0);
    fail_sign_in(&app, "usuario9").await;
    detect(&app).await;
    let subject: String =
        sqlx::query_scalar("select subject_key from alert where kind = 'CREDENTIAL_STUFFING'")
            .fetch_one(app.state.db.pool())
            .await
            .expect("alert");
    assert_eq!(subject, "ip:127.0.0.1");
}

#[tokio::test]
async fn sign_ins_from_a_new_address_and_from_two_at_once_are_noticed() {
    let app = crate::helpers::spawn_app_with(|config| {
        config.trusted_proxies = vec!["127.0.0.1/32".parse().expect("net")];
    })
    .await;
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let sign_in_from = |ip: &'static str| {
        let client = app.client();
        let url = app.url("/api/login");
        async move {
            let res = client
                .post(url)
                .header("x-forwarded-for", ip)
                .form(&[("username", "ventas.ejecutivo"), ("password", PASSWORD)])
                .send()
                .await
                .expect("request");
            assert_eq!(res.status(), 200);
            client
        }
    };
    // The first sign-in ever is from nowhere unusual; the same address again neither.
    let first = sign_in_from("198.51.100.7").await;
    let _again = sign_in_from("198.51.100.7").await;
    detect(&app).await;
    assert_eq!(count_alerts(&app, "UNUSUAL_LOCATION").await, 0);
    assert_eq!(count_alerts(&app, "CONCURRENT_SESSION").await, 0);
    // A new address while the first session is open: both rules.
    let _other = sign_in_from("203.0.113.80").await;
    detect(&app).await;
    assert_eq!(count_alerts(&app, "UNUSUAL_LOCATION").await, 1);
    assert_eq!(count_alerts(&app, "CONCURRENT_SESSION").await, 1);
    drop(first);
}

#[tokio::test]
async fn a_junior_past_the_30_day_total_and_a_tampered_log_raise_alerts() {
    let app = spawn_app().await;
    app.seed_contacts(10).await;
    app.create_user("ventas.practicante", "ventas", "intern")
        .await;
    // Rules are data: this organisation watches juniors past 5 contacts a month.
    sqlx::query("update detection_rule set threshold = 5 where kind = 'HIGH_EXPORT_JUNIOR'")
        .execute(app.state.db.pool())
        .await
        .expect("rule");
    let client = app.client();
    app.login(&client, "ventas.practicante").await;
    assert_eq!(export(&app, &client, vec![1, 2, 3, 4, 5]).await.0, 200);
    detect(&app).await;
    assert_eq!(
        count_alerts(&app, "HIGH_EXPORT_JUNIOR").await,
        0,
        "5 is not past 5"
    );
    assert_eq!(export(&app, &client, vec![6]).await.0, 200);
    detect(&app).await;
    assert_eq!(count_alerts(&app, "HIGH_EXPORT_JUNIOR").await, 1);

    sqlx::query(
        "insert into security_signal (kind, severity, details, created_at) \
         values ('TAMPERED_LOG', 'critical', '{}', $1)",
    )
    .bind(app.clock.now_ms())
    .execute(app.state.db.pool())
    .await
    .expect("signal");
    detect(&app).await;
    let severity: String =
        sqlx::query_scalar("select severity from alert where kind = 'TAMPERED_LOG'")
            .fetch_one(app.state.db.pool())
            .await
            .expect("alert");
    assert_eq!(severity, "CRITICAL");
}

#[tokio::test]
async fn signing_in_after_hours_in_lima_is_noticed_and_during_them_is_not() {
    use chrono::{Datelike, Duration as Days, FixedOffset, TimeZone, Weekday};
    let app = spawn_app().await;
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let lima = FixedOffset::west_opt(5 * 3600).expect("offset");
    let now = lima
        .timestamp_millis_opt(app.clock.now_ms())
        .single()
        .expect("now");
    let mut day = now.date_naive() + Days::days(1);
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        day += Days::days(1);
    }
    let at = |hour: u32| {
        lima.from_local_datetime(&day.and_hms_opt(hour, 0, 0).expect("time"))
            .single()
            .expect("instant")
            .timestamp_millis()
    };
    let advance_to = |target: i64| {
        let by = target - app.clock.now_ms();
        app.clock
            .advance(Duration::from_millis(u64::try_from(by).expect("forward")));
    };
    advance_to(at(10));
    app.login(&app.client(), "ventas.ejecutivo").await;
    detect(&app).await;
    assert_eq!(
        count_alerts(&app, "OFF_HOURS_ACCESS").await,
        0,
        "10:00 on a weekday"
    );
    advance_to(at(19));
    app.login(&app.client(), "ventas.ejecutivo").await;
    detect(&app).await;
    assert_eq!(
        count_alerts(&app, "OFF_HOURS_ACCESS").await,
        1,
        "19:00 is after hours"
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
