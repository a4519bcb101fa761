use crate::helpers::{TestApp, spawn_app};
use serde_json::{Value, json};

async fn signed_in(app: &TestApp, username: &str, department: &str) -> reqwest::Client {
    app.create_user(username, department, "executive").await;
    let client = app.client();
    app.login(&client, username).await;
    client
}

async fn search(app: &TestApp, client: &reqwest::Client, filter: Value, page: i64) -> Value {
    let (status, body) = app
        .post_json(
            client,
            "/api/search_contacts",
            &json!({ "filter": filter, "page": page }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

fn column(page: &Value, name: &str) -> Option<usize> {
    page["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .position(|c| c == name)
}

#[tokio::test]
async fn marketing_only_ever_sees_contacts_with_consent() {
    let app = spawn_app().await;
    app.seed_contacts(300).await;
    crate::approval_support::approved_campaign(&app, "Verano 2027").await;
    let client = signed_in(&app, "marketing.ejecutivo", "marketing").await;
    let with_consent = app
        .scalar("select cast(count(*) as bigint) from contact where marketing_consent = 1")
        .await;
    let page = search(&app, &client, json!({}), 1).await;
    assert_eq!(page["total"].as_i64(), Some(with_consent));
    let consent = column(&page, "marketing_consent").expect("consent column");
    for p in 1..=(with_consent + 24) / 25 {
        let page = search(&app, &client, json!({}), p).await;
        for row in page["rows"].as_array().expect("rows") {
            assert_eq!(row["values"][consent], "true");
        }
    }
    // Asking for the others finds nothing, and naming one by id is refused.
    let none = search(&app, &client, json!({ "consent": false }), 1).await;
    assert_eq!(none["total"], 0);
    let hidden: i64 = app
        .scalar("select id from contact where marketing_consent = 0 order by id limit 1")
        .await;
    let (status, body) = app
        .request_export(
            &client,
            json!({
                "selection": { "ids": [hidden] },
                "fields": ["full_name"],
                "format": "csv",
                "justification": "Campaña de verano para clientes frecuentes",
                "campaign": "Verano 2027"
            }),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("contact_not_visible"))
    );
    let (status, _) = app.request_export(&client, json!({
        "selection": { "ids": [999_999] },
        "fields": ["full_name"], "format": "csv",
        "justification": "Campaña de verano para clientes frecuentes", "campaign": "Verano 2027"
    })).await;
    assert_eq!(
        status, 403,
        "a missing contact looks the same as a hidden one"
    );
}

#[tokio::test]
async fn each_department_sees_only_its_fields() {
    let app = spawn_app().await;
    app.seed_contacts(50).await;
    let ventas = signed_in(&app, "ventas.ejecutivo", "ventas").await;
    let page = search(&app, &ventas, json!({}), 1).await;
    for hidden in [
        "passport_number",
        "medical_conditions",
        "bank_account",
        "dietary_restrictions",
    ] {
        assert_eq!(column(&page, hidden), None, "Ventas must not see {hidden}");
    }
    assert!(column(&page, "email").is_some());
    let contabilidad = signed_in(&app, "contabilidad.ejecutivo", "contabilidad").await;
    let page = search(&app, &contabilidad, json!({}), 1).await;
    assert!(column(&page, "payment_history").is_some());
    assert_eq!(column(&page, "tour_destinations"), None);
    let with_transactions = app
        .scalar("select cast(count(*) as bigint) from contact where has_transactions = 1")
        .await;
    assert_eq!(page["total"].as_i64(), Some(with_transactions));
}

#[tokio::test]
async fn search_ignores_accents_and_case_and_filters_combine() {
    let app = spawn_app().await;
    app.seed_contacts(400).await;
    let client = signed_in(&app, "ventas.ejecutivo", "ventas").await;
    let name: String = sqlx::query_scalar("select full_name from contact where full_name like '%ñ%' or full_name like '%á%' order by id limit 1")
        .fetch_one(app.state.db.pool())
        .await
        .expect("a name with an accent");
    let folded = deunicode::deunicode(&name).to_uppercase();
    let page = search(&app, &client, json!({ "text": folded }), 1).await;
    let full_name = column(&page, "full_name").expect("name column");
    assert!(
        page["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .any(|r| r["values"][full_name] == name.as_str())
    );

    let cusco = app.scalar("select cast(count(*) as bigint) from contact where city = 'Cusco' and active_reservation = 1").await;
    let page = search(
        &app,
        &client,
        json!({ "city": "Cusco", "reservation": true }),
        1,
    )
    .await;
    assert_eq!(page["total"].as_i64(), Some(cusco));
    let tricky = search(&app, &client, json!({ "text": "%_'\\" }), 1).await;
    assert_eq!(tricky["total"], 0, "wildcards are literal");
}

#[tokio::test]
async fn revealing_a_passport_is_an_explicit_audited_action() {
    let app = spawn_app().await;
    app.seed_contacts(200).await;
    let operaciones = signed_in(&app, "operaciones.ejecutivo", "operaciones").await;
    let page = search(&app, &operaciones, json!({}), 1).await;
    let passport = column(&page, "passport_number").expect("Operaciones sees the passport column");
    let row = page["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| {
            r["revealable"]
                .as_array()
                .is_some_and(|f| f.contains(&json!("passport_number")))
        })
        .expect("a contact with a passport")
        .clone();
    assert_eq!(row["values"][passport], Value::Null, "masked in the list");
    let id = row["id"].as_i64().expect("id");
    assert!(app.audit("sensitive_data_viewed").await.is_empty());
    let (status, shown) = app
        .post_form(
            &operaciones,
            "/api/reveal_field",
            &[
                ("contact_id", &id.to_string()),
                ("field", "passport_number"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{shown}");
    assert!(shown.as_str().is_some_and(|p| p.len() >= 8));
    let viewed = app.audit("sensitive_data_viewed").await;
    assert_eq!(viewed.len(), 1);
    assert_eq!(
        viewed[0].target_id.as_deref(),
        Some(id.to_string().as_str())
    );
    assert!(
        viewed[0]
            .details_json
            .as_deref()
            .unwrap_or_default()
            .contains("passport_number")
    );

    let ventas = signed_in(&app, "ventas.ejecutivo", "ventas").await;
    let (status, body) = app
        .post_form(
            &ventas,
            "/api/reveal_field",
            &[
                ("contact_id", &id.to_string()),
                ("field", "passport_number"),
            ],
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("field_not_revealable"))
    );
    assert_eq!(app.audit("sensitive_data_viewed").await.len(), 1);
}
