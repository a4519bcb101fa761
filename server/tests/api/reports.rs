//! The monthly audit report: every figure against exports the test writes, the boundaries
//! of each anomaly and of the month (Lima), and who may download it.

use crate::approval_support::person;
use crate::helpers::{TestApp, spawn_app};
use app::server::service::reports::monthly;

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// Writes an export of `count` contacts by `user` at `at` (behind the API: the report reads
/// what is stored).
pub async fn export(app: &TestApp, user: i64, count: i64, at: i64) -> String {
    let id = format!("{:032x}", rand::random::<u128>());
    let receipt = format!("R-{}", &id[..10].to_uppercase());
    sqlx::query(
        "insert into export (id, receipt, user_id, request_id, count, cumulative, fields, format, \
         justification, campaign, contacts_digest, sha256, size_bytes, expires_at, downloaded_at, \
         created_at) values ($1, $2, $3, null, $4, 0, '[\"full_name\"]', 'csv', \
         'Seguimiento de clientes', null, 'd', 's', 1, $5, $5, $5)",
    )
    .bind(&id)
    .bind(&receipt)
    .bind(user)
    .bind(count)
    .bind(at)
    .execute(app.state.db.pool())
    .await
    .expect("export");
    receipt
}

#[tokio::test]
async fn the_monthly_report_counts_what_was_written_and_flags_each_anomaly_at_its_boundary() {
    let app = spawn_app().await;
    let (from, to) = monthly::bounds("2026-11").expect("month");
    let monday = from + DAY; // 2026-11-02, 00:00 Lima
    let (_, admin) = person(&app, "sec.admin", "direccion", "admin", None).await;
    let (_, employee) = person(&app, "v.ejecutivo", "ventas", "executive", None).await;
    let intern = app.create_user("v.practicante", "ventas", "intern").await;
    let assistant = app.create_user("v.asistente", "ventas", "assistant").await;
    let executive = app
        .scalar("select id from app_user where username = 'v.ejecutivo'")
        .await;
    let accountant = app
        .create_user("c.ejecutivo", "contabilidad", "executive")
        .await;
    let busy = app
        .create_user("o.ejecutivo", "operaciones", "executive")
        .await;
    let calm = app
        .create_user("m.ejecutivo", "marketing", "executive")
        .await;
    let at = |day: i64, hour: i64, minute: i64| monday + day * DAY + hour * HOUR + minute * 60_000;

    // Juniors: 501 in the month is one too many, 500 is not; an executive's 600 is not.
    export(&app, intern, 300, at(0, 10, 0)).await;
    export(&app, intern, 201, at(1, 10, 0)).await;
    export(&app, assistant, 500, at(1, 11, 0)).await;
    export(&app, executive, 600, at(2, 10, 0)).await;
    // A single export over 1,000 (not exactly 1,000).
    let massive = export(&app, executive, 1_001, at(2, 11, 0)).await;
    export(&app, executive, 1_000, at(2, 12, 0)).await;
    // More than 10 exports in one Lima day (11), but not 10; a day ends at midnight Lima.
    for i in 0..11 {
        export(&app, busy, 1, at(3, 8, i)).await;
    }
    for i in 0..10 {
        export(&app, calm, 1, at(3, 9, i)).await;
    }
    export(&app, calm, 1, at(4, 0, 30) + 7 * HOUR).await; // the next day, 07:30
    // Working hours, 07:00 to 19:00 on weekdays.
    let early = export(&app, accountant, 2, at(0, 6, 59)).await;
    export(&app, accountant, 3, at(0, 7, 0)).await;
    export(&app, accountant, 4, at(0, 18, 59)).await;
    let late = export(&app, accountant, 5, at(0, 19, 0)).await;
    let saturday = export(&app, accountant, 6, at(5, 12, 0)).await;
    // The month's edges: its first minute counts, the next month's does not.
    export(&app, accountant, 7, from + 9 * HOUR).await; // Sunday 2026-11-01: after hours too
    export(&app, accountant, 100, from - 60_000).await;
    export(&app, accountant, 100, to).await;

    let report = monthly::compute(&app.state, "2026-11")
        .await
        .expect("report");
    let user = |name: &str| {
        report
            .users
            .iter()
            .find(|u| u.username == name)
            .cloned()
            .expect(name)
    };
    let e = user("v.ejecutivo");
    assert_eq!(
        (e.exports, e.contacts, e.largest, e.average),
        (3, 2_601, 1_001, 867)
    );
    assert_eq!(
        (user("v.practicante").contacts, user("v.asistente").contacts),
        (501, 500)
    );
    let c = user("c.ejecutivo");
    assert_eq!((c.exports, c.contacts), (6, 27), "the month's bounds");
    assert_eq!(
        report.users[0].username, "v.ejecutivo",
        "most contacts first"
    );

    let flagged = |kind: &str| -> Vec<(String, i64)> {
        report
            .anomalies
            .iter()
            .filter(|a| a.kind.code() == kind)
            .map(|a| (a.username.clone(), a.value))
            .collect()
    };
    assert_eq!(
        flagged("HIGH_EXPORT_JUNIOR"),
        [("v.practicante".to_owned(), 501)]
    );
    assert_eq!(
        flagged("MASSIVE_SINGLE_EXPORT"),
        [("v.ejecutivo".to_owned(), 1_001)]
    );
    assert_eq!(flagged("BUSY_DAY"), [("o.ejecutivo".to_owned(), 11)]);
    let after: Vec<String> = report
        .anomalies
        .iter()
        .filter(|a| a.kind.code() == "AFTER_HOURS")
        .filter_map(|a| a.receipt.clone())
        .collect();
    assert_eq!(after.len(), 4, "{after:?}");
    for receipt in [&early, &late, &saturday] {
        assert!(after.contains(receipt), "{receipt}");
    }
    assert!(
        report
            .anomalies
            .iter()
            .any(|a| a.receipt.as_deref() == Some(massive.as_str()))
    );
    // Every Contabilidad export of the month, and recommendations from the figures.
    assert_eq!(report.accounting.len(), 6);
    let codes: Vec<String> = report
        .recommendations
        .iter()
        .map(|r| {
            serde_json::to_value(r).expect("json")["key"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    for code in [
        "review_juniors",
        "review_massive_exports",
        "review_busy_days",
        "review_after_hours",
        "review_accounting",
    ] {
        assert!(codes.contains(&code.to_owned()), "{code}: {codes:?}");
    }
    // An empty month has nothing to review.
    let quiet = monthly::compute(&app.state, "2026-09")
        .await
        .expect("report");
    assert_eq!(quiet.users.len(), 0);
    assert_eq!(
        serde_json::to_value(&quiet.recommendations).expect("json")[0]["key"],
        "nothing_to_review"
    );

    // The CSV: administrators only, one file with sections, audited.
    let res = employee
        .get(app.url("/reports/monthly/2026-11.csv"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 403);
    let res = app
        .client()
        .get(app.url("/reports/monthly/2026-11.csv"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 401);
    let res = admin
        .get(app.url("/reports/monthly/2026-13.csv"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 422);
    let res = admin
        .get(app.url("/reports/monthly/2026-11.csv"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .expect("header")
            .contains("2026-11")
    );
    let csv = res.text().await.expect("csv");
    for line in [
        "# exports_per_user",
        "# anomalies",
        "HIGH_EXPORT_JUNIOR,v.practicante,,501,",
        "# contabilidad_exports",
        "# recommendations",
    ] {
        assert!(csv.contains(line), "{line} in:\n{csv}");
    }
    assert!(csv.contains(&format!("audit_head,{}:", report.head_seq)));
    let generated = app.audit("report_generated").await;
    assert_eq!(generated[0].target_id.as_deref(), Some("monthly:2026-11"));
}

/// The text of a PDF, as a reader's tool extracts it (whitespace collapsed).
pub fn pdf_text(bytes: &[u8]) -> String {
    assert!(
        bytes.starts_with(b"%PDF-"),
        "not a PDF: {}",
        String::from_utf8_lossy(&bytes[..bytes.len().min(300)])
    );
    let text = pdf_extract::extract_text_from_mem(bytes).expect("the PDF parses");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn the_monthly_report_pdf_holds_the_figures_and_charts_in_the_readers_language() {
    let app = spawn_app().await;
    let (from, _) = monthly::bounds("2026-11").expect("month");
    let monday = from + DAY;
    let (_, admin) = person(&app, "sec.admin", "direccion", "admin", None).await;
    let (_, employee) = person(&app, "v.ejecutivo", "ventas", "executive", None).await;
    let intern = app.create_user("v.practicante", "ventas", "intern").await;
    let accountant = app
        .create_user("c.ejecutivo", "contabilidad", "executive")
        .await;
    export(&app, intern, 321, monday + 10 * HOUR).await;
    export(&app, intern, 222, monday + DAY + 10 * HOUR).await;
    let receipt = export(&app, accountant, 17, monday + 20 * HOUR).await;

    assert_eq!(
        employee
            .get(app.url("/reports/monthly/2026-11.pdf"))
            .send()
            .await
            .expect("get")
            .status(),
        403
    );
    let res = admin
        .get(app.url("/reports/monthly/2026-11.pdf"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .expect("header")
            .contains("centinela-reporte-2026-11.pdf")
    );
    let text = pdf_text(&res.bytes().await.expect("pdf"));
    let generated = app.audit("report_generated").await;
    assert_eq!(generated.len(), 1);
    let details: serde_json::Value =
        serde_json::from_str(generated[0].details_json.as_deref().expect("details")).expect("json");
    assert_eq!(details["format"], "pdf");
    let head_seq = details["head_seq"].as_i64().expect("seq");
    let head_hash = details["head_hash"].as_str().expect("hash").to_owned();
    for expected in [
        "Reporte mensual de auditoría — 2026-11",
        "2026-11-01 00:00 — 2026-12-01 00:00",
        &format!("#{head_seq}"),
        &head_hash[..16],
        // Exports per user: the intern's 2 exports, 543 contacts, average 271, largest 321.
        "v.practicante",
        "543",
        "271",
        "321",
        "Personal junior sobre 500 contactos en el mes",
        // Every Contabilidad export, with its receipt.
        &receipt,
        "Revise las 1 exportaciones de Contabilidad",
        // The charts, with their titles, their axes' text and their summaries.
        "Exportaciones y contactos por día",
        "Alertas por hora del día (Lima)",
        "3 exportaciones y 560 contactos en 30 días",
        // Every page footed with the report and the log's sequence number.
        &format!("registro n.º {head_seq}"),
        "1 / ",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }

    // In English for a reader who chose English (signing in brings their language).
    sqlx::query("update app_user set locale = 'en' where username = 'sec.admin'")
        .execute(app.state.db.pool())
        .await
        .expect("locale");
    let english = app.client();
    app.login(&english, "sec.admin").await;
    let res = english
        .get(app.url("/reports/monthly/2026-11.pdf"))
        .send()
        .await
        .expect("get");
    let text = pdf_text(&res.bytes().await.expect("pdf"));
    for expected in [
        "Monthly audit report — 2026-11",
        "Junior staff over 500 contacts in the month",
        "Exports and contacts per day",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
}
