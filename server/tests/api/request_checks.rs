//! What the export endpoint refuses before deciding anything: bodies in another encoding
//! than the one a server function takes (415), and field lists with repeats.

use crate::helpers::{TestApp, spawn_app};
use serde_json::{Value, json};

async fn debited(app: &TestApp, client: &reqwest::Client) -> i64 {
    app.daily_quota(client).await.0
}

#[tokio::test]
async fn json_endpoints_take_only_json_and_forms_only_forms() {
    let app = spawn_app().await;
    app.seed_contacts(20).await;
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let client = app.client();
    app.login(&client, "ventas.ejecutivo").await;
    let body = json!({
        "selection": { "ids": [1, 2] },
        "fields": ["full_name", "email"],
        "format": "csv",
        "justification": "Seguimiento de clientes para la campaña de diciembre",
        "campaign": null
    })
    .to_string();
    let (status, _) = app
        .request_export(&client, serde_json::from_str(&body).expect("json"))
        .await;
    assert_eq!(status, 200, "the JSON request itself works");
    let used = debited(&app, &client).await;
    assert_eq!(used, 2);

    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        None,
    ] {
        let mut request = client
            .post(app.url("/api/request_export"))
            .body(body.clone());
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let res = request.send().await.expect("request");
        assert_eq!(res.status(), 415, "{content_type:?}");
        let answer: Value = res.json().await.expect("json");
        assert_eq!(answer["code"], "unsupported_media_type");
        assert!(
            answer["message"]
                .as_str()
                .is_some_and(|m| m.contains("application/json")),
            "{answer}"
        );
    }
    assert_eq!(debited(&app, &client).await, used, "nothing was debited");

    // A form endpoint refuses JSON and plain text the same way.
    let stranger = app.client();
    for (content_type, payload) in [
        (
            "application/json",
            r#"{"username":"ventas.ejecutivo","password":"x"}"#,
        ),
        ("text/plain", "username=ventas.ejecutivo&password=x"),
    ] {
        let res = stranger
            .post(app.url("/api/login"))
            .header("content-type", content_type)
            .body(payload)
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 415, "{content_type}");
    }
    assert!(
        app.audit("sign_in_failed").await.is_empty(),
        "the refused requests never reached sign-in"
    );
}

#[tokio::test]
async fn field_lists_are_sets_repeats_are_refused_and_nothing_is_debited() {
    let app = spawn_app().await;
    app.seed_contacts(20).await;
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let client = app.client();
    app.login(&client, "ventas.ejecutivo").await;
    let ask = |fields: Value| {
        json!({
            "selection": { "ids": [1, 2, 3] },
            "fields": fields,
            "format": "csv",
            "justification": "Seguimiento de clientes para la campaña de diciembre",
        })
    };
    let (status, body) = app
        .request_export(&client, ask(json!(["full_name", "email", "email"])))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("duplicate_field")),
        "{body}"
    );
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("email")),
        "{body}"
    );

    let many: Vec<&str> = std::iter::repeat_n("email", 10_000).collect();
    let (status, body) = app.request_export(&client, ask(json!(many))).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("duplicate_field"))
    );

    let mut every: Vec<String> = app::types::Field::ALL
        .iter()
        .map(|f| f.code().to_owned())
        .collect();
    every.push("full_name ".into());
    let (status, body) = app.request_export(&client, ask(json!(every))).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("duplicate_field"))
    );

    assert_eq!(debited(&app, &client).await, 0);
}
