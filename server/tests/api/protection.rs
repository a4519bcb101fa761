use crate::helpers::{PASSWORD, spawn_app, spawn_app_with};

#[tokio::test]
async fn a_cross_site_post_is_refused_with_403_and_changes_nothing() {
    let app = spawn_app().await;
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let client = app.client();
    for (name, value) in [
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://evil.example"),
    ] {
        let res = client
            .post(app.url("/api/login"))
            .header(name, value)
            .form(&[("username", "ventas.ejecutivo"), ("password", PASSWORD)])
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 403, "{name}: {value}");
        let body: serde_json::Value = res.json().await.expect("json");
        assert_eq!(body["code"], "cross_site");
    }
    assert_eq!(app.whoami(&client).await, None);
    assert!(app.audit("sign_in").await.is_empty());
}

#[tokio::test]
async fn a_same_origin_post_is_accepted() {
    let app = spawn_app().await;
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let client = app.client();
    let host = app.base.trim_start_matches("http://").to_owned();
    let res = client
        .post(app.url("/api/login"))
        .header("origin", &app.base)
        .header("host", host)
        .header("sec-fetch-site", "same-origin")
        .form(&[("username", "ventas.ejecutivo"), ("password", PASSWORD)])
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn security_headers_are_on_every_response() {
    let app = spawn_app().await;
    let client = app.client();
    let evil = client
        .post(app.url("/api/login"))
        .header("origin", "https://evil.example")
        .send();
    let responses = vec![
        (
            "login page",
            client.get(app.url("/login")).send().await.expect("page"),
        ),
        (
            "404 page",
            client
                .get(app.url("/no/such/page"))
                .send()
                .await
                .expect("404"),
        ),
        (
            "health",
            client
                .get(app.url("/healthz"))
                .send()
                .await
                .expect("health"),
        ),
        (
            "api error",
            client
                .post(app.url("/api/me"))
                .body("garbage=%%%")
                .send()
                .await
                .expect("api"),
        ),
        ("csrf refusal", evil.await.expect("csrf")),
    ];
    for (what, res) in responses {
        let h = res.headers();
        let csp = h
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
        assert!(csp.contains("'nonce-"), "{what}: {csp}");
        assert!(csp.contains("'wasm-unsafe-eval'"), "{what}: {csp}");
        assert_eq!(
            h.get("x-content-type-options").map(|v| v.as_bytes()),
            Some(&b"nosniff"[..]),
            "{what}"
        );
        assert!(h.get("referrer-policy").is_some(), "{what}");
        assert_eq!(
            h.get("cache-control").map(|v| v.as_bytes()),
            Some(&b"no-store"[..]),
            "{what}"
        );
    }
}

#[tokio::test]
async fn the_page_scripts_carry_the_nonce_of_the_csp_header() {
    let app = spawn_app().await;
    let res = app
        .client()
        .get(app.url("/login"))
        .send()
        .await
        .expect("page");
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_owned();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("nonce in csp")
        .to_owned();
    let html = res.text().await.expect("html");
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "no script with the nonce"
    );
    // Every inline script with code must carry it, or the browser would block it (an empty
    // one is never executed, so CSP does not apply to it).
    for script in html.split("<script").skip(1) {
        let (tag, rest) = script.split_once('>').unwrap_or_default();
        let empty = rest.starts_with("</script>");
        assert!(
            empty || tag.contains("src=") || tag.contains(&nonce),
            "script without nonce: <script{tag}>"
        );
    }
}

#[tokio::test]
async fn x_forwarded_for_from_an_untrusted_peer_is_ignored() {
    let app = spawn_app().await;
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let client = app.client();
    client
        .post(app.url("/api/login"))
        .header("x-forwarded-for", "203.0.113.50")
        .header("forwarded", "for=203.0.113.51")
        .form(&[("username", "ventas.ejecutivo"), ("password", PASSWORD)])
        .send()
        .await
        .expect("request");
    assert_eq!(
        app.audit("sign_in").await[0].ip.as_deref(),
        Some("127.0.0.1")
    );
}

#[tokio::test]
async fn x_forwarded_for_from_a_trusted_proxy_is_used() {
    let app =
        spawn_app_with(|c| c.trusted_proxies = vec!["127.0.0.1/32".parse().expect("cidr")]).await;
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let client = app.client();
    client
        .post(app.url("/api/login"))
        .header("x-forwarded-for", "6.6.6.6, 203.0.113.50")
        .form(&[("username", "ventas.ejecutivo"), ("password", PASSWORD)])
        .send()
        .await
        .expect("request");
    // The rightmost address the trusted proxy saw, not the one the client made up.
    assert_eq!(
        app.audit("sign_in").await[0].ip.as_deref(),
        Some("203.0.113.50")
    );
}

#[tokio::test]
async fn malformed_input_gets_a_plain_400_without_internals() {
    let app = spawn_app().await;
    let res = app
        .client()
        .post(app.url("/api/login"))
        .form(&[("username", "someone")])
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 400);
    let body = res.text().await.expect("body");
    let parsed: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(parsed["code"], "bad_request");
    assert!(
        !body.contains("missing") && !body.contains("field"),
        "leaked: {body}"
    );
}

#[tokio::test]
async fn server_functions_refuse_callers_without_the_role() {
    let app = spawn_app().await;
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    app.create_user("admin", "direccion", "admin").await;
    let anonymous = app.client();
    let res = anonymous
        .post(app.url("/api/users"))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 401);
    let employee = app.client();
    app.login(&employee, "ventas.ejecutivo").await;
    let res = employee
        .post(app.url("/api/users"))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 403);
    let admin = app.client();
    app.login(&admin, "admin").await;
    let res = admin
        .post(app.url("/api/users"))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
    let users: serde_json::Value = res.json().await.expect("json");
    assert_eq!(users.as_array().map(Vec::len), Some(2));
}
