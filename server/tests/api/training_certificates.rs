//! Certificates and what hangs on them (SPEC "Training"): the public check, expiry, the
//! export gate, "training assigned" after an incident, expiry notices, the status list.

use crate::detection::{admin, detect, fail_sign_in};
use crate::helpers::spawn_app;
use crate::training::{pass_quiz, trainee};
use app::server::service::training::certificates;
use serde_json::json;
use std::time::Duration;

const YEAR: Duration = Duration::from_secs(366 * 86_400);

#[tokio::test]
async fn anyone_checks_a_certificate_by_its_code_and_learns_nothing_else() {
    let app = spawn_app().await;
    let ana = trainee(&app, "ana.ventas").await;
    let code = pass_quiz(&app, &ana, 10).await.expect("a certificate");
    assert_eq!(code.len(), 24, "{code}");

    let stranger = app.client();
    let page = app
        .get_page(&stranger, &format!("/certificates/{code}"))
        .await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(
        html.contains("Test User") && html.contains("Vigente") && html.contains("Spirit Tours"),
        "{html}"
    );
    for private in ["ana.ventas", "test@example.pe", "ventas"] {
        assert!(!html.contains(private), "the public page shows {private}");
    }
    // Typed in lower case without dashes, it is the same certificate.
    let (status, body) = app
        .post_form(
            &stranger,
            "/api/check_certificate",
            &[("code", &code.to_lowercase().replace('-', ""))],
        )
        .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("valid")),
        "{body}"
    );
    // A code nobody holds: 404.
    let page = app
        .get_page(&stranger, "/certificates/0000-0000-0000-0000-0000")
        .await;
    assert_eq!(page.status(), 404);

    // A year later it has expired, and says so.
    app.clock.advance(YEAR);
    let page = app
        .get_page(&stranger, &format!("/certificates/{code}"))
        .await;
    assert!(page.text().await.expect("html").contains("Vencido"));
    app.login(&ana, "ana.ventas").await;
    let (_, mine) = app.post_form(&ana, "/api/my_training", &[]).await;
    assert_eq!(mine["certified"], false, "{mine}");
}

#[tokio::test]
async fn exports_need_a_current_certificate() {
    let app = spawn_app().await;
    app.seed_contacts(20).await;
    let ana = trainee(&app, "ana.ventas").await;
    let request = json!({
        "selection": { "filter": { "text": "", "limit": 5 } },
        "fields": ["full_name", "email"],
        "format": "csv",
        "justification": "Seguimiento de clientes del tour a Cusco",
    });
    let (status, body) = app.request_export(&ana, request.clone()).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("not_certified")),
        "{body}"
    );
    assert!(
        body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("/capacitacion"),
        "{body}"
    );
    assert_eq!(app.audit("export_refused").await.len(), 1);
    assert_eq!(
        app.scalar("select cast(count(*) as bigint) from export")
            .await,
        0
    );
    // The export page says so before anything is filled in.
    let html = app
        .get_page(&ana, "/exportar")
        .await
        .text()
        .await
        .expect("html");
    assert!(
        html.contains("export-not-certified") && html.contains("href=\"/capacitacion\""),
        "{html}"
    );

    pass_quiz(&app, &ana, 10).await.expect("a certificate");
    let (status, body) = app.request_export(&ana, request.clone()).await;
    assert_eq!(
        (status, body["outcome"].as_str()),
        (200, Some("allowed")),
        "{body}"
    );

    // Expired certificates do not count.
    app.clock.advance(YEAR);
    app.login(&ana, "ana.ventas").await;
    let (status, body) = app.request_export(&ana, request).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("not_certified")),
        "{body}"
    );
}

#[tokio::test]
async fn training_assigned_revokes_the_certificate_and_halves_the_limits_until_a_pass() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let ana = trainee(&app, "ana.ventas").await;
    let code = pass_quiz(&app, &ana, 10).await.expect("a certificate");
    assert_eq!(app.daily_quota(&ana).await.1, Some(50));

    for _ in 0..5 {
        fail_sign_in(&app, "ana.ventas").await;
    }
    detect(&app).await;
    let alert = &crate::detection::alerts(&app, &admin, json!({ "kind": "BRUTE_FORCE" })).await[0];
    let (status, body) = app
        .post_json(&admin, "/api/alert_transition", &json!({
            "id": alert["id"], "to": "RESUELTA", "version": alert["version"],
            "note": "Compartió su contraseña con un compañero", "action_taken": "training_assigned",
        }))
        .await;
    assert_eq!(status, 200, "{body}");

    // The certificate is revoked, publicly; the limits are halved; she is told why.
    let (_, check) = app
        .post_form(&app.client(), "/api/check_certificate", &[("code", &code)])
        .await;
    assert_eq!(check["status"], "revoked", "{check}");
    let html = app
        .get_page(&app.client(), &format!("/certificates/{code}"))
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("Revocado"));
    assert_eq!(app.daily_quota(&ana).await.1, Some(25));
    let (_, mine) = app.post_form(&ana, "/api/my_training", &[]).await;
    assert_eq!(
        (mine["certified"].as_bool(), mine["limits_halved"].as_bool()),
        (Some(false), Some(true)),
        "{mine}"
    );
    let (_, notes) = app.post_json(&ana, "/api/notifications", &json!({})).await;
    assert!(
        notes
            .to_string()
            .contains("límites de exportación quedan a la mitad"),
        "{notes}"
    );
    assert_eq!(app.audit("certificate_revoked").await.len(), 1);
    assert_eq!(app.audit("training_assigned").await.len(), 1);

    // A new period: the agreement again, then a pass restores everything.
    let (status, body) = app.post_json(&ana, "/api/quiz_start", &json!({})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("agreement_required")),
        "{body}"
    );
    app.post_form(&ana, "/api/accept_agreement", &[]).await;
    pass_quiz(&app, &ana, 9).await.expect("passed again");
    assert_eq!(app.daily_quota(&ana).await.1, Some(50));
}

#[tokio::test]
async fn owners_hear_of_expiry_once_and_administrators_see_everyone() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let ana = trainee(&app, "ana.ventas").await;
    pass_quiz(&app, &ana, 10).await.expect("a certificate");
    let luis = trainee(&app, "luis.ventas").await;
    assert_eq!(pass_quiz(&app, &luis, 3).await, None);

    // 340 days on, ana's certificate ends within 30 days: told once.
    app.clock.advance(Duration::from_secs(340 * 86_400));
    app.login(&ana, "ana.ventas").await;
    app.login(&admin, "admin").await;
    // (The administrator's certificate, given with the account, ends then too.)
    assert_eq!(
        certificates::notify_expiring(&app.state)
            .await
            .expect("job"),
        2
    );
    assert_eq!(
        certificates::notify_expiring(&app.state)
            .await
            .expect("job"),
        0
    );
    let (_, notes) = app.post_json(&ana, "/api/notifications", &json!({})).await;
    assert!(notes.to_string().contains("vence el"), "{notes}");

    let (status, rows) = app
        .post_json(&admin, "/api/training_status", &json!({ "filter": {} }))
        .await;
    assert_eq!(status, 200, "{rows}");
    let row = |name: &str| {
        rows.as_array()
            .expect("rows")
            .iter()
            .find(|r| r["username"] == name)
            .cloned()
            .expect("row")
    };
    assert_eq!(row("ana.ventas")["standing"], "expiring");
    assert_eq!(row("luis.ventas")["standing"], "never");
    let (_, failed) = app
        .post_json(
            &admin,
            "/api/training_status",
            &json!({ "filter": { "standing": "never" } }),
        )
        .await;
    assert!(
        failed
            .as_array()
            .expect("rows")
            .iter()
            .all(|r| r["standing"] == "never")
    );

    let csv = admin
        .get(app.url("/capacitacion/estado.csv"))
        .send()
        .await
        .expect("csv");
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.expect("text");
    assert!(
        text.starts_with("username,full_name,department,role,standing")
            && text.contains("ana.ventas,"),
        "{text}"
    );
    // Employees get 403, strangers 401.
    assert_eq!(
        ana.get(app.url("/capacitacion/estado.csv"))
            .send()
            .await
            .expect("csv")
            .status(),
        403
    );
    assert_eq!(
        app.client()
            .get(app.url("/capacitacion/estado.csv"))
            .send()
            .await
            .expect("csv")
            .status(),
        401
    );
    let (status, _) = app
        .post_json(&ana, "/api/training_status", &json!({ "filter": {} }))
        .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn six_months_certified_without_a_resolved_incident_is_a_data_guardian() {
    let app = spawn_app().await;
    let ana = trainee(&app, "ana.ventas").await;
    pass_quiz(&app, &ana, 10).await.expect("a certificate");
    let (_, mine) = app.post_form(&ana, "/api/my_training", &[]).await;
    assert_eq!(mine["guardian"], false, "not yet: {mine}");
    app.clock.advance(Duration::from_secs(181 * 86_400));
    app.login(&ana, "ana.ventas").await;
    let (_, mine) = app.post_form(&ana, "/api/my_training", &[]).await;
    assert_eq!(mine["guardian"], true, "{mine}");
    let html = app
        .get_page(&ana, "/mi-uso")
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("Guardián de Datos"));

    // An incident about her resolved within the six months: no longer.
    let admin = admin(&app).await;
    for _ in 0..5 {
        fail_sign_in(&app, "ana.ventas").await;
    }
    detect(&app).await;
    let alert = &crate::detection::alerts(&app, &admin, json!({ "kind": "BRUTE_FORCE" })).await[0];
    app.post_json(
        &admin,
        "/api/alert_transition",
        &json!({
            "id": alert["id"], "to": "RESUELTA", "version": alert["version"],
            "note": "Se le pidió cambiar la contraseña", "action_taken": "password_reset",
        }),
    )
    .await;
    let (_, mine) = app.post_form(&ana, "/api/my_training", &[]).await;
    assert_eq!(mine["guardian"], false, "{mine}");
}
