//! What an export request must satisfy before quotas are even looked at: fields the
//! department may export, a known format, a real selection, a justification with a purpose
//! (and a campaign or manifest where the department requires one), and inert file cells.

use crate::export::{by_filter, ventas_ejecutivo};
use crate::helpers::spawn_app;
use serde_json::json;

#[tokio::test]
async fn a_field_the_department_may_not_export_is_refused_even_in_a_hand_made_request() {
    let app = spawn_app().await;
    app.seed_contacts(20).await;
    let client = ventas_ejecutivo(&app).await;
    for field in [
        "passport_number",
        "internal_notes",
        "payment_history",
        "bank_account",
        "medical_conditions",
    ] {
        let (status, body) = app
            .request_export(&client, by_filter(5, &["full_name", field]))
            .await;
        assert_eq!(status, 403, "{field}: {body}");
        assert_eq!(body["code"], "field_not_allowed");
        assert!(body["message"].as_str().expect("message").contains(field));
    }
    assert_eq!(app.daily_quota(&client).await, (0, Some(50)));
    assert_eq!(app.audit("export_refused").await.len(), 5);
    assert_eq!(
        app.scalar("select cast(count(*) as bigint) from export")
            .await,
        0
    );
}

#[tokio::test]
async fn unknown_fields_formats_and_empty_selections_are_refused_clearly() {
    let app = spawn_app().await;
    app.seed_contacts(20).await;
    let client = ventas_ejecutivo(&app).await;
    let (status, body) = app
        .request_export(&client, by_filter(5, &["full_name", "salario"]))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("unknown_field"))
    );
    let mut bad_format = by_filter(5, &["full_name"]);
    bad_format["format"] = json!("pdf");
    let (status, body) = app.request_export(&client, bad_format).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("invalid_format"))
    );
    let (status, body) = app.request_export(&client, by_filter(5, &[])).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("no_fields")));
    let mut nobody = by_filter(5, &["full_name"]);
    nobody["selection"] = json!({ "filter": { "text": "no existe nadie así" } });
    let (status, body) = app.request_export(&client, nobody).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("no_contacts")));
    let mut huge = by_filter(5, &["full_name"]);
    huge["selection"] = json!({ "filter": { "limit": 10_001 } });
    let (status, body) = app.request_export(&client, huge).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("too_many_contacts"))
    );
    let (status, _) = app
        .request_export(&client, json!({ "fields": ["full_name"] }))
        .await;
    assert_eq!(status, 400, "a body that is not an export request");
}

#[tokio::test]
async fn justifications_must_state_a_purpose_and_departments_their_own() {
    let app = spawn_app().await;
    app.seed_contacts(200).await;
    let client = ventas_ejecutivo(&app).await;
    for (text, code) in [
        ("para mi", "invalid_justification"),
        (
            "Lo necesito para revisar en mi casa",
            "invalid_justification",
        ),
    ] {
        let mut body = by_filter(5, &["full_name"]);
        body["justification"] = json!(text);
        let (status, answer) = app.request_export(&client, body).await;
        assert_eq!(
            (status, answer["code"].as_str()),
            (422, Some(code)),
            "{text}"
        );
    }
    // Accents and case do not matter.
    let mut body = by_filter(5, &["full_name"]);
    body["justification"] = json!("AUDITORIA interna de cartera de clientes");
    assert_eq!(app.request_export(&client, body).await.0, 200);

    app.create_user("marketing.ejecutivo", "marketing", "executive")
        .await;
    let marketing = app.client();
    app.login(&marketing, "marketing.ejecutivo").await;
    let (status, answer) = app
        .request_export(&marketing, by_filter(5, &["full_name", "email"]))
        .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (422, Some("campaign_required"))
    );
    let mut with_campaign = by_filter(5, &["full_name", "email"]);
    with_campaign["campaign"] = json!("Black Friday 2026");
    // A name alone is not enough: the campaign must be approved and running.
    let (status, answer) = app.request_export(&marketing, with_campaign.clone()).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (422, Some("campaign_not_approved"))
    );
    crate::approval_support::approved_campaign(&app, "Black Friday 2026").await;
    assert_eq!(app.request_export(&marketing, with_campaign).await.0, 200);

    app.create_user("operaciones.ejecutivo", "operaciones", "executive")
        .await;
    let operaciones = app.client();
    app.login(&operaciones, "operaciones.ejecutivo").await;
    let (status, answer) = app
        .request_export(&operaciones, by_filter(5, &["full_name"]))
        .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (422, Some("manifest_required"))
    );
    let mut manifest = by_filter(5, &["full_name", "passport_number"]);
    manifest["justification"] = json!("Manifiesto de pasajeros del vuelo LA2045 a Cusco");
    let (status, answer) = app.request_export(&operaciones, manifest).await;
    assert_eq!(status, 200, "{answer}");
}

#[tokio::test]
async fn csv_cells_that_look_like_formulas_are_neutralised() {
    let app = spawn_app().await;
    let client = ventas_ejecutivo(&app).await;
    let mut contacts =
        app::server::service::demo::generate_contacts(&app.state, 1).expect("contact");
    contacts[0].full_name = "=HYPERLINK(\"http://evil.example\",\"click\")".into();
    contacts[0].email = "@SUM(1+1)".into();
    contacts[0].phone = "+51 999 888 777".into();
    contacts[0].city = "-2+3".into();
    let mut tx = app.state.db.begin_write().await.expect("tx");
    app::server::repo::contacts::insert_contacts_if_absent(&mut tx, &contacts, app.clock.now_ms())
        .await
        .expect("insert");
    tx.commit().await.expect("commit");
    let (status, body) = app
        .request_export(
            &client,
            by_filter(1, &["full_name", "email", "phone", "city"]),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let text = client
        .get(app.url(body["download_url"].as_str().expect("link")))
        .send()
        .await
        .expect("download")
        .text()
        .await
        .expect("text");
    let row = text.lines().nth(1).expect("data row");
    assert_eq!(
        row,
        "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",'@SUM(1+1),'+51 999 888 777,'-2+3"
    );
}
