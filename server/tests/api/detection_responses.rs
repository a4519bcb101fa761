//! Automatic responses: exports suspended, a user blocked with their sessions ended and a
//! snapshot kept, and mail to the people told, in their languages, once.

use crate::detection::{admin, alerts, detect, export, fail_sign_in};
use crate::helpers::{PASSWORD, spawn_app};
use serde_json::{Value, json};
use std::time::Duration;

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
