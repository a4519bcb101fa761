//! The demo organisation's 90 days of history, as a newcomer's first `make run` shows it:
//! written through the services, so the chain verifies and every screen agrees.

use crate::audit_chain::verify;
use crate::helpers::{PASSWORD, TestApp, spawn_app_with};
use app::server::service::demo;
use serde_json::{Value, json};
use std::time::Instant;

const DAY_MS: i64 = 86_400_000;

async fn demo_app() -> TestApp {
    let started = Instant::now();
    let app = spawn_app_with(|c| {
        c.demo = true;
        c.demo_password = PASSWORD.into();
    })
    .await;
    eprintln!(
        "demo organisation with its history seeded in {:?}",
        started.elapsed()
    );
    app
}

async fn count(app: &TestApp, sql: &str, bind: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .bind(bind)
        .fetch_one(app.state.db.pool())
        .await
        .expect("count")
}

#[tokio::test]
async fn the_demo_has_ninety_days_of_history_that_verifies_and_gets_in_nobodys_way() {
    let app = demo_app().await;
    let now = app.clock.now_ms();

    // Founded (and trained) about six months ago, working days for the last ninety, up to
    // now, and nothing dated in the future.
    let first = app
        .scalar("select min(created_at) from audit_event where seq > 0")
        .await;
    let last = app.scalar("select max(created_at) from audit_event").await;
    assert!(
        now - first > 185 * DAY_MS && now - first <= 192 * DAY_MS,
        "starts {} days ago",
        (now - first) / DAY_MS
    );
    assert!(last <= now);
    let exports_before = app
        .scalar(&format!(
            "select cast(count(*) as bigint) from export where created_at < {}",
            now - 90 * DAY_MS
        ))
        .await;
    assert_eq!(exports_before, 0, "the working history is the last 90 days");

    // Everyone is certified but the intern, who failed once (7 of 10).
    let uncertified: Vec<String> = sqlx::query_scalar(
        "select username from app_user u where not exists (select 1 from certificate c \
         where c.user_id = u.id and c.revoked_at is null and c.valid_until > $1) order by username",
    )
    .bind(now)
    .fetch_all(app.state.db.pool())
    .await
    .expect("uncertified");
    assert_eq!(uncertified, ["ventas.practicante"]);
    let failed = count(&app, "select cast(count(*) as bigint) from quiz_attempt a join app_user u on u.id = a.user_id where u.username = $1 and a.outcome = 'failed' and a.score = 7", "ventas.practicante").await;
    assert_eq!(failed, 1);
    let sign_ins = app
        .scalar("select cast(count(*) as bigint) from audit_event where action = 'sign_in'")
        .await;
    let exports = app
        .scalar("select cast(count(*) as bigint) from export")
        .await;
    let refusals = app
        .scalar("select cast(count(*) as bigint) from audit_event where action = 'export_refused'")
        .await;
    assert!(
        sign_ins > 300 && exports > 50 && refusals >= 10,
        "{sign_ins} sign-ins, {exports} exports, {refusals} refusals"
    );
    let addresses = app
        .scalar(
            "select cast(count(distinct ip) as bigint) from audit_event where action = 'sign_in'",
        )
        .await;
    let devices = app.scalar("select cast(count(distinct user_agent) as bigint) from audit_event where action = 'sign_in'").await;
    assert!(
        addresses >= 4 && devices >= 4,
        "{addresses} addresses, {devices} devices"
    );

    // The chain verifies, every event signed.
    let report = verify(&app).await;
    assert_eq!(report.damage, None);
    assert_eq!(report.unsigned_from, None);

    // Alerts in every state and every severity, some triaged with notes.
    for state in ["NUEVA", "EN_REVISION", "RESUELTA", "FALSO_POSITIVO"] {
        let n = count(
            &app,
            "select cast(count(*) as bigint) from alert where state = $1",
            state,
        )
        .await;
        assert!(n > 0, "no {state} alert");
    }
    for severity in ["LOW", "MEDIUM", "HIGH", "CRITICAL"] {
        let n = count(
            &app,
            "select cast(count(*) as bigint) from alert where severity = $1",
            severity,
        )
        .await;
        assert!(n > 0, "no {severity} alert");
    }
    let notes = app
        .scalar("select cast(count(*) as bigint) from audit_event where action = 'alert_state_changed' and details_json like '%note%'")
        .await;
    assert!(notes >= 5, "{notes} closing notes");
    // The rules the story changed for a while are back to their defaults.
    let changed = app
        .scalar("select cast(count(*) as bigint) from detection_rule where (kind = 'UNUSUAL_ACTIVITY' and severity <> 'MEDIUM') or (kind = 'CREDENTIAL_STUFFING' and severity <> 'HIGH')")
        .await;
    assert_eq!(changed, 0);

    // Nobody starts blocked, locked or with exports suspended.
    let held = app
        .scalar("select cast(count(*) as bigint) from app_user where status <> 'active' or exports_suspended_at is not null")
        .await;
    assert_eq!(held, 0);

    // Seeding again changes nothing.
    let events = app
        .scalar("select cast(count(*) as bigint) from audit_event")
        .await;
    let again = demo::seed(&app.state, PASSWORD).await.expect("seed again");
    assert_eq!(again, demo::SeedReport::default());
    assert_eq!(
        app.scalar("select cast(count(*) as bigint) from audit_event")
            .await,
        events
    );

    // A first export of 10 contacts as ventas.ejecutivo is allowed, with room to spare.
    let seller = app.client();
    app.login(&seller, "ventas.ejecutivo").await;
    let (status, quota) = app.post_form(&seller, "/api/my_quota", &[]).await;
    assert_eq!(status, 200, "{quota}");
    for window in quota["windows"].as_array().expect("windows") {
        let (used, limit) = (
            window["used"].as_i64().unwrap_or(0),
            window["limit"].as_i64().unwrap_or(i64::MAX),
        );
        assert!(used * 2 <= limit, "{window}: most of the quota is left");
    }
    assert_eq!(
        quota["windows"][0]["used"], 0,
        "nothing exported today: {quota}"
    );
    let (status, body) = app
        .request_export(
            &seller,
            json!({
                "selection": { "filter": { "text": "", "limit": 10 } },
                "fields": ["full_name", "email", "phone"],
                "format": "csv",
                "justification": "Seguimiento de clientes del tour a Cusco",
            }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["outcome"], "allowed", "{body}");
}

#[tokio::test]
async fn the_dashboard_mi_uso_and_the_explorer_agree_with_the_history() {
    let app = demo_app().await;
    let now = app.clock.now_ms();
    let admin = app.client();
    app.login(&admin, "admin").await;
    let (status, dash) = app.post_json(&admin, "/api/dashboard", &json!({})).await;
    assert_eq!(status, 200, "{dash}");

    // Alerts by state, as stored.
    for state in ["NUEVA", "EN_REVISION", "RESUELTA", "FALSO_POSITIVO"] {
        let stored = count(
            &app,
            "select cast(count(*) as bigint) from alert where state = $1",
            state,
        )
        .await;
        assert_eq!(
            dash["by_state"][state].as_i64().unwrap_or(0),
            stored,
            "{state}"
        );
    }
    let since = |days: i64| (now - days * DAY_MS).to_string();
    let week = count(
        &app,
        "select cast(count(*) as bigint) from alert where first_seen >= cast($1 as bigint)",
        &since(7),
    )
    .await;
    assert_eq!(dash["last_7d"], week);
    assert!(
        dash["last_7d"].as_i64().unwrap_or(0) > 0,
        "alerts this week: {dash}"
    );
    assert!(dash["resolution_rate"].as_f64().unwrap_or(0.0) > 0.0);
    assert!(dash["median_resolution_ms"].as_i64().unwrap_or(0) > 0);
    assert!(!dash["top_users"].as_array().expect("top users").is_empty());
    // "This week" on the dashboard: the last seven days of the calendar in Lima (UTC-5).
    let lima = now - 5 * 3_600_000;
    let week_start = lima - lima.rem_euclid(DAY_MS) + 5 * 3_600_000 - 6 * DAY_MS;
    let exports_7d = count(
        &app,
        "select cast(count(*) as bigint) from export where created_at >= cast($1 as bigint)",
        &week_start.to_string(),
    )
    .await;
    assert_eq!(dash["exports_7d"], exports_7d);
    assert!(exports_7d > 0, "exports this week");
    let per_day: i64 = dash["exports_30d"]
        .as_array()
        .expect("exports per day")
        .iter()
        .map(|d| d["exports"].as_i64().unwrap_or(0))
        .sum();
    assert!(per_day > 20, "{per_day} exports drawn over 30 days");
    // NORMAL: three new alerts, none critical open; the overall rule reads them right.
    let new = dash["by_state"]["NUEVA"].as_i64().unwrap_or(0);
    let critical_open = app
        .scalar("select cast(count(*) as bigint) from alert where severity = 'CRITICAL' and state in ('NUEVA', 'EN_REVISION')")
        .await;
    assert_eq!(critical_open, 0);
    assert_eq!(
        dash["overall"],
        if new > 10 {
            "ALERTA"
        } else if new > 5 {
            "PRECAUCION"
        } else {
            "NORMAL"
        }
    );

    // "Mi uso" counts the same exports the table holds.
    let ops = app.client();
    app.login(&ops, "operaciones.ejecutivo").await;
    let (_, quota) = app.post_form(&ops, "/api/my_quota", &[]).await;
    let week_used = count(
        &app,
        "select cast(coalesce(sum(e.count), 0) as bigint) from export e join app_user u on u.id = e.user_id \
         where u.username = 'operaciones.ejecutivo' and e.created_at > cast($1 as bigint)",
        &since(7),
    )
    .await;
    let listed: Vec<&Value> = quota["windows"]
        .as_array()
        .expect("windows")
        .iter()
        .collect();
    assert_eq!(listed[1]["window"], "week");
    assert_eq!(listed[1]["used"], week_used, "{quota}");

    // The explorer's newest events are the history's last ones, and it reaches back.
    let (_, page) = app
        .post_json(
            &admin,
            "/api/audit_search",
            &json!({ "filter": { "user": "ventas.supervisor", "action": "sign_in" } }),
        )
        .await;
    let seen = page["events"].as_array().expect("events").len() as i64;
    let stored = count(
        &app,
        "select cast(count(*) as bigint) from audit_event where actor_username = $1 and action = 'sign_in'",
        "ventas.supervisor",
    )
    .await;
    assert_eq!(seen, stored.min(50));
    assert!(stored > 20, "{stored} sign-ins of ventas.supervisor");
}
