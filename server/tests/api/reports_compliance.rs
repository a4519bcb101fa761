//! The compliance report: each category's operations, successes and failures against what
//! the test does, the log's verifications, recommendations from the figures, the range's
//! checks, the page's background run with its progress, and the CSV and PDF downloads.

use crate::approval_support::person;
use crate::helpers::spawn_app;
use crate::reports::pdf_text;
use app::server::service::audit::checkpoint::{self, Reason};
use app::server::service::reports::compliance;
use serde_json::Value;
use std::time::Duration;

const DAY: i64 = 86_400_000;

/// Polls a background run, as the page does, until it has its report.
async fn finished(app: &crate::helpers::TestApp, admin: &reqwest::Client, id: &str) -> Value {
    let mut last = Value::Null;
    for _ in 0..200 {
        let (status, body) = app
            .post_form(admin, "/api/compliance_status", &[("id", id)])
            .await;
        assert_eq!(status, 200, "{body}");
        assert!(body["done"].as_u64() <= body["total"].as_u64(), "{body}");
        if !body["report"].is_null() {
            return body;
        }
        last = body;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("compliance run {id} did not finish: {last}");
}

#[tokio::test]
async fn the_compliance_report_counts_each_category_and_recommends_from_the_figures() {
    let app = spawn_app().await;
    let (_, admin) = person(&app, "sec.admin", "direccion", "admin", None).await;
    let (_, other_admin) = person(&app, "sec.otra", "direccion", "admin", None).await;
    app.create_user("v.ejecutivo", "ventas", "executive").await;
    for _ in 0..3 {
        let res = app
            .post_login(&app.client(), "v.ejecutivo", "not the password")
            .await;
        assert_eq!(res.status(), 401);
    }
    let employee = app.client();
    app.login(&employee, "v.ejecutivo").await;
    let today = app::types::time::format_lima_date(app.clock.now_ms());

    let report = compliance::compute(&app.state, &today, &today, |_, _| {})
        .await
        .expect("report");
    let auth = report
        .categories
        .iter()
        .find(|c| c.category.map(|c| c.code()) == Some("authentication"))
        .expect("authentication")
        .clone();
    // Three sign-ins (two administrators and the employee) and three refused.
    assert_eq!((auth.operations, auth.succeeded, auth.failed), (6, 3, 3));
    assert_eq!(auth.success_permille(), Some(500));
    assert_eq!(report.integrity.checks, 0);
    assert_eq!(report.integrity.last_check_at, None);
    let keys: Vec<String> = report
        .recommendations
        .iter()
        .map(|r| {
            serde_json::to_value(r).expect("json")["key"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert!(keys.contains(&"low_success_rate".to_owned()), "{keys:?}");
    assert!(keys.contains(&"verify_log".to_owned()), "{keys:?}");
    assert!(report.total.operations >= 6);

    // A verification in the period shows, and the log is no longer "unverified"; the
    // checkpoint signed first shows too.
    checkpoint::write(&app.state, Reason::Manual)
        .await
        .expect("checkpoint");
    let (status, id) = app.post_form(&admin, "/api/verify_audit", &[]).await;
    assert_eq!(status, 200, "{id}");
    let id = id.as_u64().expect("id").to_string();
    for _ in 0..200 {
        let (_, run) = app
            .post_form(&admin, "/api/verify_status", &[("id", &id)])
            .await;
        if !run["report"].is_null() {
            assert_eq!(run["report"]["damage"], Value::Null, "{run}");
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let report = compliance::compute(&app.state, &today, &today, |_, _| {})
        .await
        .expect("report");
    assert_eq!(report.integrity.checks, 1);
    assert!(report.integrity.checkpoints >= 1);
    assert_eq!(report.integrity.last_check_passed, Some(true));
    assert!(
        !serde_json::to_string(&report.recommendations)
            .expect("json")
            .contains("verify_log")
    );

    // The page's run: a year in twelve parts, its progress, then the report; only the
    // administrator who started it reads it; employees are refused.
    let year_ago = app::types::time::format_lima_date(app.clock.now_ms() - 365 * DAY);
    assert_eq!(
        app.post_form(
            &employee,
            "/api/start_compliance",
            &[("from", &year_ago), ("to", &today)]
        )
        .await
        .0,
        403
    );
    let (status, body) = app
        .post_form(
            &admin,
            "/api/start_compliance",
            &[("from", &year_ago), ("to", &today)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let id = body.as_u64().expect("id").to_string();
    let run = finished(&app, &admin, &id).await;
    assert_eq!(
        (run["done"].as_u64(), run["total"].as_u64()),
        (Some(12), Some(12))
    );
    assert_eq!(run["report"]["from_day"], year_ago.as_str());
    assert_eq!(
        app.post_form(&other_admin, "/api/compliance_status", &[("id", &id)])
            .await
            .0,
        404
    );
    let generated = app.audit("report_generated").await;
    assert_eq!(
        generated[0].target_id.as_deref(),
        Some(format!("compliance:{year_ago}..{today}").as_str())
    );

    // Ranges: backwards, over a year, not a date — a clear message, nothing computed.
    for (from, to) in [
        (today.as_str(), year_ago.as_str()),
        ("2024-01-01", today.as_str()),
        ("ayer", today.as_str()),
    ] {
        let (status, body) = app
            .post_form(
                &admin,
                "/api/start_compliance",
                &[("from", from), ("to", to)],
            )
            .await;
        assert_eq!(status, 422, "{from}..{to}: {body}");
        assert!(
            !body["message"].as_str().unwrap_or_default().is_empty(),
            "{body}"
        );
    }

    // The files: CSV with sections, PDF with the figures; administrators only.
    let query = format!("from={today}&to={today}");
    let res = employee
        .get(app.url(&format!("/reports/compliance/report.csv?{query}")))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 403);
    let res = admin
        .get(app.url(&format!("/reports/compliance/report.csv?{query}")))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 200);
    let csv = res.text().await.expect("csv");
    for line in [
        "# categories",
        "authentication,6,3,3,50.0,",
        "# integrity",
        "# recommendations",
        "low_success_rate,authentication 50.0",
    ] {
        assert!(csv.contains(line), "{line} in:\n{csv}");
    }
    let res = admin
        .get(app.url(&format!("/reports/compliance/report.pdf?{query}")))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 200);
    let text = pdf_text(&res.bytes().await.expect("pdf"));
    for expected in [
        "Reporte de cumplimiento",
        "Cumplimiento por categoría",
        "Autenticación 6 3 3 50.0 %",
        "Integridad del registro de auditoría",
        "Autenticación: solo el 50.0 % de las operaciones tuvo éxito",
        // Its charts: alerts per day and per hour over the range.
        "Alertas por día y severidad",
        "Alertas por hora del día (Lima)",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    let bad = admin
        .get(app.url("/reports/compliance/report.pdf?from=2026-02-01&to=2026-01-01"))
        .send()
        .await
        .expect("get");
    assert_eq!(bad.status(), 422);
}
