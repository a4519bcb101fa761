use crate::helpers::spawn_app;

#[tokio::test]
async fn healthz_reports_the_database() {
    let app = spawn_app().await;
    let res = reqwest::get(app.url("/healthz")).await.expect("request");
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"]["status"], "ok");
    let backend = body["database"]["backend"].as_str().expect("backend");
    assert!(backend == "sqlite" || backend == "postgresql");
}

#[tokio::test]
async fn healthz_is_503_when_the_database_is_unreachable() {
    let app = spawn_app().await;
    app.state.db.close().await;
    let res = reqwest::get(app.url("/healthz")).await.expect("request");
    assert_eq!(res.status(), 503);
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(body["database"]["status"], "unreachable");
    let text = body.to_string().to_lowercase();
    assert!(
        !text.contains("pool") && !text.contains("sqlx"),
        "internal text leaked: {text}"
    );
}
