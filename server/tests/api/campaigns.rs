//! Marketing campaigns: proposed by Marketing, approved by a Marketing supervisor or above
//! (never the proposer); Marketing exports name one that is approved and running.

use crate::approval_support::person;
use crate::helpers::spawn_app;
use app::types::time::format_lima_date;
use serde_json::json;

fn export_for(campaign: &str) -> serde_json::Value {
    json!({
        "selection": { "filter": { "text": "", "limit": 5 } },
        "fields": ["full_name", "email"],
        "format": "csv",
        "justification": "Campaña de fiestas patrias para clientes frecuentes",
        "campaign": campaign,
    })
}

#[tokio::test]
async fn marketing_exports_only_for_an_approved_running_campaign() {
    let app = spawn_app().await;
    app.seed_contacts(100).await;
    let (boss, boss_client) = person(&app, "m.supervisor", "marketing", "supervisor", None).await;
    let (_, client) = person(&app, "m.ejecutivo", "marketing", "executive", Some(boss)).await;
    let (_, sales) = person(&app, "v.supervisor", "ventas", "supervisor", None).await;
    let day = 86_400_000;
    let now = app.clock.now_ms();
    let dates = |from: i64, to: i64| {
        (
            format_lima_date(now + from * day),
            format_lima_date(now + to * day),
        )
    };

    // Any name used to pass; now it must be an approved campaign.
    let (status, body) = app
        .request_export(&client, export_for("Fiestas Patrias"))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("campaign_not_approved")),
        "{body}"
    );

    // Proposing: bad dates and non-Marketing staff are refused, nothing stored.
    let (start, end) = dates(0, 10);
    let proposal = |name: &'static str, start: String, end: String| {
        vec![
            ("name", name.to_owned()),
            ("purpose", "Clientes frecuentes en julio".to_owned()),
            ("starts_on", start),
            ("ends_on", end),
        ]
    };
    let post = async |client: &reqwest::Client, p: Vec<(&'static str, String)>| {
        let fields: Vec<(&str, &str)> = p.iter().map(|(k, v)| (*k, v.as_str())).collect();
        app.post_form(client, "/api/propose_campaign", &fields)
            .await
    };
    let (status, body) = post(
        &client,
        proposal("Fiestas Patrias", end.clone(), start.clone()),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("validation")),
        "{body}"
    );
    assert_eq!(body["notice"]["key"], "campaign_dates");
    let (status, _) = post(
        &sales,
        proposal("Fiestas Patrias", start.clone(), end.clone()),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        app.scalar("select cast(count(*) as bigint) from campaign")
            .await,
        0
    );

    let (status, body) = post(
        &client,
        proposal("Fiestas Patrias", start.clone(), end.clone()),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let id = body.as_i64().expect("id").to_string();
    let (status, _) = post(
        &boss_client,
        proposal("fiestas patrias", start.clone(), end.clone()),
    )
    .await;
    assert_eq!(status, 422, "the same name twice (case and accents aside)");
    // Proposed is not approved.
    let (status, _) = app
        .request_export(&client, export_for("Fiestas Patrias"))
        .await;
    assert_eq!(status, 422);
    // The proposer cannot approve it; a supervisor of another department neither.
    let decide = [("id", id.as_str()), ("decision", "approve")];
    assert_eq!(
        app.post_form(&client, "/api/decide_campaign", &decide)
            .await
            .0,
        403
    );
    assert_eq!(
        app.post_form(&sales, "/api/decide_campaign", &decide)
            .await
            .0,
        403
    );
    let (status, body) = app
        .post_form(&boss_client, "/api/decide_campaign", &decide)
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        app.post_form(&boss_client, "/api/decide_campaign", &decide)
            .await
            .0,
        409
    );
    let decided = app.audit("campaign_decided").await;
    assert_eq!(decided[0].actor_username.as_deref(), Some("m.supervisor"));

    // Any spelling of the name works while it runs.
    let (status, body) = app
        .request_export(&client, export_for("  fiestas PATRIAS "))
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, list) = app.post_form(&client, "/api/campaigns", &[]).await;
    assert_eq!(list["items"][0]["active"], true, "{list}");

    // After its last day it no longer covers exports.
    app.clock
        .advance(std::time::Duration::from_secs(12 * 86_400));
    app.login(&client, "m.ejecutivo").await;
    let (status, body) = app
        .request_export(&client, export_for("Fiestas Patrias"))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("campaign_not_approved")),
        "{body}"
    );
}
