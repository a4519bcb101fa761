//! Each detection rule fires exactly at its threshold and not one below, within its window.

use crate::detection::{count_alerts, detect, events_by, export, fail_sign_in, occurrences};
use crate::helpers::{PASSWORD, set_rule_enabled, spawn_app};
use serde_json::json;
use std::time::Duration;

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
    set_rule_enabled(&app.state, "OFF_HOURS_ACCESS", true).await;
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
async fn an_administrator_chooses_a_rules_responses_and_sign_in_protection_follows() {
    let app = spawn_app().await;
    let admin = crate::detection::admin(&app).await;
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let change = |actions: &[&'static str]| {
        let mut fields = vec![
            ("kind", "BRUTE_FORCE"),
            ("threshold", "5"),
            ("window_secs", "900"),
            ("severity", "HIGH"),
            ("enabled", "on"),
            ("actions[]", ""),
        ];
        fields.extend(actions.iter().map(|a| ("actions[]", *a)));
        fields
    };
    let (status, body) = app
        .post_form(
            &admin,
            "/api/update_detection_rule",
            &change(&["notify_security", "launch_missiles"]),
        )
        .await;
    assert_eq!((status, body["field"].as_str()), (422, Some("actions")));
    assert!(app.audit("policy_changed").await.is_empty());

    // Keep brute force to a notice for security: no more account lock.
    let (status, body) = app
        .post_form(
            &admin,
            "/api/update_detection_rule",
            &change(&["notify_security"]),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let changed = app.audit("policy_changed").await;
    let before: serde_json::Value =
        serde_json::from_str(changed[0].before_json.as_deref().expect("before")).expect("json");
    let after: serde_json::Value =
        serde_json::from_str(changed[0].after_json.as_deref().expect("after")).expect("json");
    assert_eq!(
        before["actions"],
        json!(["lock_account", "notify_owner", "notify_security"])
    );
    assert_eq!(after["actions"], json!(["notify_security"]));
    let (_, rules) = app.post_form(&admin, "/api/detection_rules", &[]).await;
    let brute = rules
        .as_array()
        .and_then(|r| r.iter().find(|r| r["kind"] == "BRUTE_FORCE"))
        .cloned()
        .expect("rule");
    assert_eq!(brute["actions"], json!(["notify_security"]));

    for _ in 0..5 {
        fail_sign_in(&app, "ventas.ejecutivo").await;
    }
    let res = app
        .post_login(&app.client(), "ventas.ejecutivo", PASSWORD)
        .await;
    assert_eq!(res.status(), 200, "not locked: the rule no longer locks");
    assert!(app.audit("account_locked").await.is_empty());
    detect(&app).await;
    assert_eq!(count_alerts(&app, "BRUTE_FORCE").await, 1, "still detected");

    // The same responses in another order change nothing.
    let (status, _) = app
        .post_form(
            &admin,
            "/api/update_detection_rule",
            &change(&["notify_security", "notify_security"]),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.audit("policy_changed").await.len(), 1);
}

#[tokio::test]
async fn without_smtp_mail_waits_in_the_outbox_and_administrators_see_it_unsent() {
    let app = spawn_app().await;
    let admin = crate::detection::admin(&app).await;
    app.create_user("ventas.asistente", "ventas", "assistant")
        .await;
    for _ in 0..5 {
        fail_sign_in(&app, "ventas.asistente").await;
    }
    detect(&app).await;
    let (status, outbox) = app.post_form(&admin, "/api/mail_outbox", &[]).await;
    assert_eq!(status, 200, "{outbox}");
    assert_eq!(outbox["configured"], false);
    let items = outbox["items"].as_array().cloned().unwrap_or_default();
    assert!(!items.is_empty(), "{outbox}");
    assert!(
        items
            .iter()
            .all(|m| m["status"] == "queued" && m["kind"] == "BRUTE_FORCE"),
        "{outbox}"
    );
    let html = app
        .get_page(&admin, "/reglas")
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("mail-unconfigured") && html.contains("En cola (sin enviar)"));
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let employee = app.client();
    app.login(&employee, "ventas.ejecutivo").await;
    let (status, _) = app.post_form(&employee, "/api/mail_outbox", &[]).await;
    assert_eq!(status, 403);
}
