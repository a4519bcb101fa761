//! The security dashboard: the overall state at each of seed 002's boundaries, every figure
//! against data the test writes, the charts, who may read it.

use crate::detection::{admin, detect, fail_sign_in};
use crate::helpers::{PASSWORD, TestApp, spawn_app};
use app::server::repo::alerts::{self as repo, NewAlert};
use serde_json::{Value, json};

/// Writes an alert as detection would (the tally's triggers see it like any other).
async fn alert(app: &TestApp, kind: &str, severity: &str, subject: &str) -> i64 {
    let mut tx = app.state.db.begin_write().await.expect("tx");
    let id = repo::insert_alert(
        &mut tx,
        &NewAlert {
            kind,
            severity,
            subject_user_id: None,
            subject_ip: Some("203.0.113.9"),
            subject_key: subject,
            params: "{}",
            details: "{}",
            seen_at: app.clock.now_ms(),
            trigger_seqs: "[]",
        },
    )
    .await
    .expect("alert");
    tx.commit().await.expect("commit");
    id
}

async fn summary(app: &TestApp, admin: &reqwest::Client) -> Value {
    let (status, body) = app.post_json(admin, "/api/dashboard", &json!({})).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn the_overall_state_changes_at_each_of_seed_002s_boundaries() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    assert_eq!(summary(&app, &admin).await["overall"], "NORMAL");
    for i in 0..5 {
        alert(
            &app,
            "UNUSUAL_ACTIVITY",
            "MEDIUM",
            &format!("ip:10.0.0.{i}"),
        )
        .await;
    }
    let d = summary(&app, &admin).await;
    assert_eq!(
        (d["overall"].as_str(), d["by_state"]["NUEVA"].as_i64()),
        (Some("NORMAL"), Some(5))
    );
    alert(&app, "UNUSUAL_ACTIVITY", "MEDIUM", "ip:10.0.0.5").await;
    let d = summary(&app, &admin).await;
    assert_eq!(d["overall"], "PRECAUCION", "6 new: {d}");
    assert!(
        d["reason"].as_str().unwrap_or_default().contains('6'),
        "{}",
        d["reason"]
    );
    for i in 6..10 {
        alert(
            &app,
            "UNUSUAL_ACTIVITY",
            "MEDIUM",
            &format!("ip:10.0.0.{i}"),
        )
        .await;
    }
    assert_eq!(
        summary(&app, &admin).await["overall"],
        "PRECAUCION",
        "10 new"
    );
    let eleventh = alert(&app, "UNUSUAL_ACTIVITY", "MEDIUM", "ip:10.0.0.10").await;
    assert_eq!(summary(&app, &admin).await["overall"], "ALERTA", "11 new");
    // Reviewing one brings it back under: the tally follows every state change.
    sqlx::query("update alert set state = 'EN_REVISION', version = version + 1 where id = $1")
        .bind(eleventh)
        .execute(app.state.db.pool())
        .await
        .expect("move");
    let d = summary(&app, &admin).await;
    assert_eq!(d["overall"], "PRECAUCION");
    assert_eq!(
        (
            d["by_state"]["NUEVA"].as_i64(),
            d["by_state"]["EN_REVISION"].as_i64()
        ),
        (Some(10), Some(1))
    );
    let critical = alert(&app, "TAMPERED_LOG", "CRITICAL", "log").await;
    let d = summary(&app, &admin).await;
    assert_eq!(d["overall"], "CRITICO", "one critical open");
    assert_eq!(
        d["reason"],
        "Hay 1 alerta crítica abierta: atiéndala primero."
    );
    assert_eq!(d["by_severity"]["CRITICAL"], 1);
    assert_eq!(d["by_kind"]["TAMPERED_LOG"], 1);
    assert_eq!(d["by_kind"]["UNUSUAL_ACTIVITY"], 11);
    sqlx::query("update alert set state = 'RESUELTA', closed_at = $1 where id = $2")
        .bind(app.clock.now_ms())
        .bind(critical)
        .execute(app.state.db.pool())
        .await
        .expect("close");
    let d = summary(&app, &admin).await;
    assert_eq!(
        d["overall"], "PRECAUCION",
        "a closed critical no longer counts"
    );
    assert_eq!(d["by_severity"]["CRITICAL"], 0);
    assert_eq!(d["by_state"]["RESUELTA"], 1);
}

#[tokio::test]
async fn every_figure_matches_what_happened() {
    let app = crate::helpers::spawn_app_with(|config| {
        config.trusted_proxies = vec!["127.0.0.1/32".parse().expect("net")];
    })
    .await;
    let admin = admin(&app).await;
    app.seed_contacts(5).await;
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    app.create_user("ventas.asistente", "ventas", "assistant")
        .await;
    // Two sessions of one user from two addresses; the administrator's own is a third.
    for ip in ["198.51.100.7", "203.0.113.80"] {
        let res = app
            .client()
            .post(app.url("/api/login"))
            .header("x-forwarded-for", ip)
            .form(&[("username", "ventas.ejecutivo"), ("password", PASSWORD)])
            .send()
            .await
            .expect("login");
        assert_eq!(res.status(), 200);
    }
    let employee = app.client();
    app.login(&employee, "ventas.asistente").await;
    let ids: Vec<i64> = sqlx::query_scalar("select id from contact order by id limit 3")
        .fetch_all(app.state.db.pool())
        .await
        .expect("ids");
    let (status, body) = crate::detection::export(&app, &employee, ids).await;
    assert_eq!(status, 200, "{body}");
    // Four for an account that does not exist (under the brute-force threshold), six for one
    // that does.
    for _ in 0..4 {
        fail_sign_in(&app, "ventas.nadie").await;
    }
    for _ in 0..6 {
        fail_sign_in(&app, "ventas.asistente").await;
    }
    detect(&app).await;

    let d = summary(&app, &admin).await;
    assert_eq!(d["failed_sign_ins_24h"], 10, "{d}");
    assert_eq!(
        d["active_sessions"], 4,
        "admin, asistente and two of ejecutivo: {d}"
    );
    assert_eq!(d["multi_ip_users"], 1);
    assert_eq!(
        (d["exports_today"].as_i64(), d["contacts_today"].as_i64()),
        (Some(1), Some(3))
    );
    assert_eq!(
        (d["exports_7d"].as_i64(), d["contacts_7d"].as_i64()),
        (Some(1), Some(3))
    );
    let raised = d["last_24h"].as_i64().expect("last_24h");
    assert!(
        raised >= 3,
        "brute force, unusual location, concurrent session: {d}"
    );
    assert_eq!(d["last_7d"].as_i64(), Some(raised));
    assert_eq!(d["by_kind"]["BRUTE_FORCE"], 1);
    assert_eq!(d["by_kind"]["CONCURRENT_SESSION"], 1);
    assert_eq!(d["resolution_rate"], 0.0);
    assert_eq!(d["median_resolution_ms"], Value::Null);
    assert_eq!(d["trend_7d"].as_array().map(Vec::len), Some(7));
    let today: i64 = AlertSeverities::sum(&d["trend_7d"][6]);
    assert_eq!(today, raised, "today's point holds today's alerts");
    assert_eq!(
        d["by_hour"]
            .as_array()
            .map(|h| h.iter().filter_map(Value::as_i64).sum::<i64>()),
        Some(raised)
    );
    let exports_30d = d["exports_30d"].as_array().expect("days");
    assert_eq!(exports_30d.len(), 30);
    assert_eq!(exports_30d[29]["contacts"], 3);
    let top: Vec<&str> = d["top_users"]
        .as_array()
        .expect("top")
        .iter()
        .filter_map(|u| u["username"].as_str())
        .collect();
    assert!(
        top.contains(&"ventas.ejecutivo") && top.contains(&"ventas.asistente"),
        "{top:?}"
    );
    assert!(!d["recent_severe"].as_array().expect("severe").is_empty());
    let feed: Vec<i64> = d["recent_activity"]
        .as_array()
        .expect("feed")
        .iter()
        .filter_map(|e| e["seq"].as_i64())
        .collect();
    assert!(
        !feed.is_empty() && feed.windows(2).all(|w| w[0] > w[1]),
        "newest first: {feed:?}"
    );

    // Closing one of the alerts moves the rate and gives a median.
    let brute = crate::detection::alerts(&app, &admin, json!({ "kind": "BRUTE_FORCE" })).await;
    let (status, _) = app
        .post_json(
            &admin,
            "/api/alert_transition",
            &json!({ "id": brute[0]["id"], "to": "RESUELTA", "note": "La asistente olvidó su clave.", "action_taken": "contacted_user", "version": brute[0]["version"] }),
        )
        .await;
    assert_eq!(status, 200);
    let d = summary(&app, &admin).await;
    let rate = d["resolution_rate"].as_f64().expect("rate");
    assert!(
        (rate - 1.0 / raised as f64).abs() < 1e-9,
        "{rate} of {raised}"
    );
    assert!(d["median_resolution_ms"].as_i64().is_some());
    assert_eq!(d["by_kind"]["BRUTE_FORCE"], Value::Null, "no longer open");

    // The charts: SVG with a title, a summary in words.
    let charts = d["charts"].as_array().expect("charts");
    assert_eq!(charts.len(), 3);
    for chart in charts {
        let svg = chart["svg"].as_str().unwrap_or_default();
        assert!(
            svg.starts_with("<svg") && svg.contains("role=\"img\"") && svg.contains("<title"),
            "{}",
            chart["key"]
        );
        assert!(!chart["summary"].as_str().unwrap_or_default().is_empty());
    }
}

/// The sum of one trend day's severities.
struct AlertSeverities;

impl AlertSeverities {
    fn sum(day: &Value) -> i64 {
        ["low", "medium", "high", "critical"]
            .iter()
            .filter_map(|k| day[k].as_i64())
            .sum()
    }
}

#[tokio::test]
async fn only_administrators_read_the_dashboard_and_its_page() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    app.create_user("ventas.supervisor", "ventas", "supervisor")
        .await;
    let supervisor = app.client();
    app.login(&supervisor, "ventas.supervisor").await;
    let (status, _) = app
        .post_json(&supervisor, "/api/dashboard", &json!({}))
        .await;
    assert_eq!(status, 403);
    let (status, _) = app
        .post_json(&app.client(), "/api/dashboard", &json!({}))
        .await;
    assert_eq!(status, 401);
    let res = app.get_page(&supervisor, "/panel").await;
    assert_eq!(res.status(), 403);
    let res = app.get_page(&supervisor, "/").await;
    let html = res.text().await.expect("html");
    assert!(
        !html.contains("data-testid=\"overall\""),
        "the supervisor's home is their profile"
    );
    // The administrator lands on it, charts included.
    let html = app.get_page(&admin, "/").await.text().await.expect("html");
    assert!(html.contains("data-testid=\"overall\"") && html.contains("data-overall=\"NORMAL\""));
    assert!(html.contains("<svg") && html.contains("role=\"img\""));
}
