use crate::helpers::{PASSWORD, session_cookie, spawn_app};
use std::time::{Duration, Instant};

#[tokio::test]
async fn signing_in_opens_a_session_that_knows_the_user() {
    let app = spawn_app().await;
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let client = app.client();
    assert_eq!(app.whoami(&client).await, None);
    let res = app.post_login(&client, "ventas.ejecutivo", PASSWORD).await;
    assert_eq!(res.status(), 200);
    let cookie = session_cookie(res.headers()).expect("a session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert_eq!(
        app.whoami(&client).await.as_deref(),
        Some("ventas.ejecutivo")
    );
}

#[tokio::test]
async fn the_session_id_changes_at_login() {
    let app = spawn_app().await;
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let client = app.client();
    let first = session_cookie(
        app.post_login(&client, "ventas.ejecutivo", PASSWORD)
            .await
            .headers(),
    )
    .expect("first cookie");
    // Signing in again while holding a session must not keep (or reuse) its id.
    let second = session_cookie(
        app.post_login(&client, "ventas.ejecutivo", PASSWORD)
            .await
            .headers(),
    )
    .expect("second cookie");
    let id = |c: &str| c.split(';').next().unwrap_or_default().to_owned();
    assert_ne!(id(&first), id(&second));
    // The old id no longer authenticates anybody.
    let replay = app.client();
    let res = replay
        .post(app.url("/api/me"))
        .header("cookie", id(&first))
        .send()
        .await
        .expect("request");
    assert_eq!(
        res.json::<serde_json::Value>().await.expect("json"),
        serde_json::Value::Null
    );
}

#[tokio::test]
async fn a_planted_session_cookie_is_not_adopted_at_login() {
    let app = spawn_app().await;
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let client = app.client();
    let res = client
        .post(app.url("/api/login"))
        .header("cookie", "centinela=attacker-chosen-id")
        .form(&[("username", "ventas.ejecutivo"), ("password", PASSWORD)])
        .send()
        .await
        .expect("request");
    let cookie = session_cookie(res.headers()).expect("cookie");
    assert!(!cookie.contains("attacker-chosen-id"));
}

#[tokio::test]
async fn a_cookie_replayed_after_logout_is_unauthenticated() {
    let app = spawn_app().await;
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let client = app.client();
    let res = app.post_login(&client, "ventas.ejecutivo", PASSWORD).await;
    let cookie = session_cookie(res.headers()).expect("cookie");
    let pair = cookie.split(';').next().expect("pair").to_owned();
    let res = client
        .post(app.url("/api/logout"))
        .send()
        .await
        .expect("logout");
    assert_eq!(res.status(), 200);
    // An attacker who copied the cookie before logout replays it.
    let attacker = app.client();
    let res = attacker
        .post(app.url("/api/me"))
        .header("cookie", &pair)
        .send()
        .await
        .expect("request");
    assert_eq!(
        res.json::<serde_json::Value>().await.expect("json"),
        serde_json::Value::Null
    );
    let ended = app.audit("sign_out").await;
    assert_eq!(ended.len(), 1);
}

#[tokio::test]
async fn unknown_user_and_wrong_password_get_identical_answers() {
    let app = spawn_app().await;
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let client = app.client();
    // Warm up (first hash allocations, connections).
    app.post_login(&client, "ventas.ejecutivo", "nope").await;
    let mut wrong_times = Vec::new();
    let mut unknown_times = Vec::new();
    let mut answers = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let wrong = app
            .post_login(&client, "ventas.ejecutivo", "not-the-password")
            .await;
        wrong_times.push(t.elapsed());
        let t = Instant::now();
        let unknown = app
            .post_login(&client, "nadie.existe", "not-the-password")
            .await;
        unknown_times.push(t.elapsed());
        answers.push((
            wrong.status(),
            wrong.text().await.expect("body"),
            unknown.status(),
            unknown.text().await.expect("body"),
        ));
    }
    for (ws, wb, us, ub) in &answers {
        assert_eq!(ws, us);
        assert_eq!(*ws, 401);
        assert_eq!(wb, ub);
        assert!(wb.contains("invalid_credentials"), "{wb}");
    }
    // Both paths run a full argon2 check: the unknown user is not answered early.
    wrong_times.sort();
    unknown_times.sort();
    let (w, u) = (wrong_times[2], unknown_times[2]);
    assert!(
        u * 3 > w && w * 3 > u,
        "medians differ too much: wrong {w:?}, unknown {u:?}"
    );
    let failures = app.audit("sign_in_failed").await;
    assert_eq!(failures.len(), 11);
}

#[tokio::test]
async fn an_idle_session_expires_after_thirty_minutes() {
    let app = spawn_app().await;
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let client = app.client();
    app.login(&client, "ventas.ejecutivo").await;
    app.clock.advance(Duration::from_secs(29 * 60));
    assert_eq!(
        app.whoami(&client).await.as_deref(),
        Some("ventas.ejecutivo")
    );
    app.clock.advance(Duration::from_secs(31 * 60));
    assert_eq!(app.whoami(&client).await, None);
    let expired = app.audit("session_expired").await;
    assert_eq!(expired.len(), 1);
    assert!(
        expired[0]
            .details_json
            .as_deref()
            .unwrap_or_default()
            .contains("idle_timeout")
    );
}

#[tokio::test]
async fn no_session_outlives_twelve_hours_however_active() {
    let app = spawn_app().await;
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let client = app.client();
    app.login(&client, "ventas.ejecutivo").await;
    for _ in 0..28 {
        app.clock.advance(Duration::from_secs(25 * 60));
        assert_eq!(
            app.whoami(&client).await.as_deref(),
            Some("ventas.ejecutivo")
        );
    }
    app.clock.advance(Duration::from_secs(25 * 60)); // 12 h 5 min after sign-in
    assert_eq!(app.whoami(&client).await, None);
    let expired = app.audit("session_expired").await;
    assert!(
        expired[0]
            .details_json
            .as_deref()
            .unwrap_or_default()
            .contains("absolute_timeout")
    );
}

#[tokio::test]
async fn sign_in_success_failure_and_sign_out_are_audited_with_ip_and_user_agent() {
    let app = spawn_app().await;
    let id = app
        .create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .user_agent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36")
        .build()
        .expect("client");
    app.post_login(&client, "ventas.ejecutivo", "wrong").await;
    app.login(&client, "ventas.ejecutivo").await;
    client
        .post(app.url("/api/logout"))
        .send()
        .await
        .expect("logout");
    for action in ["sign_in_failed", "sign_in", "sign_out"] {
        let events = app.audit(action).await;
        assert_eq!(events.len(), 1, "{action}");
        let e = &events[0];
        assert_eq!(e.ip.as_deref(), Some("127.0.0.1"), "{action}");
        assert_eq!(e.ua_os.as_deref(), Some("Linux"), "{action}");
        assert_eq!(e.ua_device.as_deref(), Some("desktop"), "{action}");
        assert!(
            e.ua_browser
                .as_deref()
                .unwrap_or_default()
                .starts_with("Chrome"),
            "{action}"
        );
        assert_eq!(e.actor_username.as_deref(), Some("ventas.ejecutivo"));
    }
    assert_eq!(app.audit("sign_in").await[0].actor_id, Some(id));
    assert!(app.audit("sign_in").await[0].session_id.is_some());
}

#[tokio::test]
async fn a_blocked_account_cannot_sign_in_even_with_the_right_password() {
    let app = spawn_app().await;
    let id = app
        .create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    sqlx::query("update app_user set status = 'blocked', blocked_reason = 'test' where id = $1")
        .bind(id)
        .execute(app.state.db.pool())
        .await
        .expect("block");
    let client = app.client();
    let res = app.post_login(&client, "ventas.ejecutivo", PASSWORD).await;
    assert_eq!(res.status(), 403);
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(body["code"], "account_blocked");
    assert_eq!(app.whoami(&client).await, None);
}

#[tokio::test]
async fn blocking_a_user_ends_their_open_session() {
    let app = spawn_app().await;
    let id = app
        .create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let client = app.client();
    app.login(&client, "ventas.ejecutivo").await;
    sqlx::query("update app_user set status = 'blocked' where id = $1")
        .bind(id)
        .execute(app.state.db.pool())
        .await
        .expect("block");
    assert_eq!(app.whoami(&client).await, None);
}
