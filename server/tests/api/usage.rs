use crate::helpers::spawn_app;
use serde_json::json;

#[tokio::test]
async fn my_usage_lists_exports_requests_sign_ins_and_sessions() {
    let app = spawn_app().await;
    app.seed_contacts(80).await;
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let laptop = app.client();
    app.post_login(&laptop, "ventas.ejecutivo", "wrong-password")
        .await;
    app.login(&laptop, "ventas.ejecutivo").await;
    let phone = app.client();
    app.login(&phone, "ventas.ejecutivo").await;
    let body = json!({
        "selection": { "filter": { "limit": 10 } },
        "fields": ["full_name", "email"], "format": "xlsx",
        "justification": "Seguimiento de clientes del tour Cusco",
    });
    assert_eq!(app.request_export(&laptop, body.clone()).await.0, 200);
    let mut big = body.clone();
    big["selection"] = json!({ "filter": { "limit": 45 } });
    assert_eq!(
        app.request_export(&laptop, big).await.1["outcome"],
        "needs_approval"
    );

    let (status, usage) = app.post_form(&laptop, "/api/my_usage", &[]).await;
    assert_eq!(status, 200, "{usage}");
    assert_eq!(usage["quota"]["windows"][0]["used"], 10);
    let exports = usage["exports"].as_array().expect("exports");
    assert_eq!(exports.len(), 1);
    assert_eq!(exports[0]["count"], 10);
    assert_eq!(exports[0]["format"], "xlsx");
    assert!(exports[0]["download_url"].is_string(), "still downloadable");
    assert_eq!(exports[0]["sha256"].as_str().map(str::len), Some(64));
    assert_eq!(usage["requests"][0]["status"], "pending");
    assert_eq!(usage["requests"][0]["count"], 45);
    let sign_ins = usage["sign_ins"].as_array().expect("sign-ins");
    assert_eq!(sign_ins.len(), 3);
    assert_eq!(
        sign_ins.iter().filter(|s| s["success"] == false).count(),
        1,
        "the failed attempt shows"
    );
    assert_eq!(sign_ins[0]["ip"], "127.0.0.1");
    let sessions = usage["sessions"].as_array().expect("sessions");
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
}

#[tokio::test]
async fn ending_another_session_signs_that_device_out() {
    let app = spawn_app().await;
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let laptop = app.client();
    app.login(&laptop, "ventas.ejecutivo").await;
    let forgotten = app.client();
    app.login(&forgotten, "ventas.ejecutivo").await;
    let (_, usage) = app.post_form(&laptop, "/api/my_usage", &[]).await;
    let sessions = usage["sessions"].as_array().expect("sessions");
    let other = sessions
        .iter()
        .find(|s| s["current"] == false)
        .expect("the other session");
    let mine = sessions
        .iter()
        .find(|s| s["current"] == true)
        .expect("this session");

    let (status, body) = app
        .post_form(
            &laptop,
            "/api/end_session",
            &[("session_id", mine["id"].as_str().expect("id"))],
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("validation")),
        "the current one ends with sign-out"
    );
    let (status, _) = app
        .post_form(
            &laptop,
            "/api/end_session",
            &[("session_id", other["id"].as_str().expect("id"))],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.whoami(&forgotten).await, None);
    assert_eq!(
        app.whoami(&laptop).await.as_deref(),
        Some("ventas.ejecutivo")
    );
    assert_eq!(app.audit("session_revoked").await.len(), 1);

    // Nobody can end someone else's session.
    app.create_user("ventas.asistente", "ventas", "assistant")
        .await;
    let intruder = app.client();
    app.login(&intruder, "ventas.asistente").await;
    let (status, _) = app
        .post_form(
            &intruder,
            "/api/end_session",
            &[("session_id", mine["id"].as_str().expect("id"))],
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(
        app.whoami(&laptop).await.as_deref(),
        Some("ventas.ejecutivo")
    );
}
