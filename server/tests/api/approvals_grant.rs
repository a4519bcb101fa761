//! The single-use grant of an approved request: once, by its requester, within 24 hours,
//! the approved contacts and fields only.

use crate::approval_support::*;
use crate::helpers::spawn_app;
use serde_json::json;

#[tokio::test]
async fn an_approved_request_downloads_once_by_its_requester_with_only_what_was_approved() {
    let app = spawn_app().await;
    app.seed_contacts(200).await;
    let (boss, boss_client) = person(&app, "v.supervisor", "ventas", "supervisor", None).await;
    let (_, client) = person(&app, "v.ejecutivo", "ventas", "executive", Some(boss)).await;
    let ids: Vec<i64> = sqlx::query_scalar("select id from contact order by id desc limit 70")
        .fetch_all(app.state.db.pool())
        .await
        .expect("ids");
    let (status, body) = app
        .request_export(
            &client,
            json!({
                "selection": { "ids": ids },
                "fields": ["full_name", "email", "city"],
                "format": "csv",
                "justification": WHY,
            }),
        )
        .await;
    assert_eq!(
        (status, body["outcome"].as_str()),
        (200, Some("needs_approval")),
        "{body}"
    );
    let id = body["request_id"].as_i64().expect("id");
    let (status, _) = decide(&app, &boss_client, id, "approve", Some("Autorizado")).await;
    assert_eq!(status, 200);
    let url = app.url(&format!("/requests/{id}/download"));

    // Not the approver, nor anyone else.
    assert_eq!(
        boss_client.get(&url).send().await.expect("get").status(),
        404
    );
    // A page on another site sending the requester's browser here spends nothing: the
    // browser lands on "Mi uso", where the download still waits.
    for site in ["cross-site", "same-site"] {
        let res = client
            .get(&url)
            .header("sec-fetch-site", site)
            .send()
            .await
            .expect("get");
        assert_eq!(res.status(), 303, "{site}");
        assert_eq!(res.headers()["location"], "/mi-uso");
    }
    assert!(my_request(&app, &client, id).await["download_url"].is_string());
    let res = client
        .get(&url)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 200);
    let sha = res.headers()["x-content-sha256"]
        .to_str()
        .expect("sha")
        .to_owned();
    let text = res.text().await.expect("body");
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    let header = lines.next().expect("header");
    assert_eq!(
        header.split(',').count(),
        3,
        "only the approved fields: {header}"
    );
    assert_eq!(lines.count(), 70, "only the approved contacts");
    // Once.
    let again = client.get(&url).send().await.expect("get");
    assert_eq!(again.status(), 410);

    // Recorded like any export, with the request and its approver; counted in the windows
    // even over the limit (70 of 50).
    let allowed = app.audit("export_allowed").await;
    let details: serde_json::Value =
        serde_json::from_str(allowed[0].details_json.as_deref().expect("details")).expect("json");
    assert_eq!(details["request_id"], id);
    assert_eq!(details["approvers"], json!(["v.supervisor"]));
    assert_eq!(details["sha256"], sha);
    assert_eq!(details["left_out"], 0);
    assert_eq!(app.daily_quota(&client).await.0, 70);
    let mine = my_request(&app, &client, id).await;
    assert!(mine["download_url"].is_null());
    assert!(
        mine["receipt"]
            .as_str()
            .is_some_and(|r| r.starts_with("R-")),
        "{mine}"
    );
    let linked = app
        .scalar(&format!(
            "select cast(count(*) as bigint) from export where request_id = {id}"
        ))
        .await;
    assert_eq!(linked, 1);
}

#[tokio::test]
async fn a_grant_runs_out_after_24_hours_and_leaves_out_contacts_no_longer_visible() {
    let app = spawn_app().await;
    app.seed_contacts(300).await;
    crate::approval_support::approved_campaign(&app, "Verano 2027").await;
    let (boss, boss_client) = person(&app, "m.supervisor", "marketing", "supervisor", None).await;
    let (_, client) = person(&app, "m.ejecutivo", "marketing", "executive", Some(boss)).await;
    let ask_campaign = |limit: i64| {
        json!({
            "selection": { "filter": { "text": "", "limit": limit } },
            "fields": ["full_name", "email"],
            "format": "csv",
            "justification": "Campaña de verano para clientes frecuentes",
            "campaign": "Verano 2027",
        })
    };
    let (status, body) = app.request_export(&client, ask_campaign(60)).await;
    assert_eq!(
        (status, body["outcome"].as_str()),
        (200, Some("needs_approval")),
        "{body}"
    );
    let late = body["request_id"].as_i64().expect("id");
    let (status, body) = app.request_export(&client, ask_campaign(61)).await;
    assert_eq!(status, 200, "{body}");
    let kept = body["request_id"].as_i64().expect("id");
    for id in [late, kept] {
        assert_eq!(decide(&app, &boss_client, id, "approve", None).await.0, 200);
    }

    // Two of the approved contacts withdraw their consent: Marketing no longer sees them.
    let stored: String = sqlx::query_scalar("select contact_ids from export_request where id = $1")
        .bind(kept)
        .fetch_one(app.state.db.pool())
        .await
        .expect("ids");
    let approved: Vec<i64> = serde_json::from_str(&stored).expect("ids");
    for id in &approved[..2] {
        sqlx::query("update contact set marketing_consent = 0 where id = $1")
            .bind(*id)
            .execute(app.state.db.pool())
            .await
            .expect("consent");
    }
    let res = client
        .get(app.url(&format!("/requests/{kept}/download")))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 200);
    let rows = res.text().await.expect("body").lines().count() - 1;
    assert_eq!(rows, 59);
    let allowed = app.audit("export_allowed").await;
    let details: serde_json::Value =
        serde_json::from_str(allowed[0].details_json.as_deref().expect("details")).expect("json");
    assert_eq!(
        (details["count"].as_i64(), details["left_out"].as_i64()),
        (Some(59), Some(2))
    );
    // The requester's receipt says so too.
    assert_eq!(my_request(&app, &client, kept).await["left_out"], 2);

    app.clock.advance(std::time::Duration::from_secs(24 * 3600));
    app.login(&client, "m.ejecutivo").await;
    let res = client
        .get(app.url(&format!("/requests/{late}/download")))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 410);
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(body["code"], "grant_expired");
    assert!(my_request(&app, &client, late).await["download_url"].is_null());
}
