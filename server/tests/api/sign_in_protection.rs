//! Sign-in protection: accounts locked after the brute-force threshold (with the same
//! answer as a wrong password, doubling, unlocked by an administrator) and addresses past
//! the credential-stuffing threshold answered 429.

use crate::detection::{admin, fail_sign_in};
use crate::helpers::{PASSWORD, spawn_app};
use std::time::Duration;

#[tokio::test]
async fn five_failures_lock_the_account_and_the_right_password_gets_the_same_answer() {
    let app = spawn_app().await;
    app.create_user("ventas.asistente", "ventas", "assistant")
        .await;
    let wrong = app
        .post_login(&app.client(), "ventas.asistente", "nope-nope-nope")
        .await;
    let (wrong_status, wrong_body) = (wrong.status(), wrong.text().await.expect("body"));
    for _ in 0..4 {
        fail_sign_in(&app, "ventas.asistente").await;
    }
    assert_eq!(
        app.audit("account_locked").await.len(),
        1,
        "locked at the fifth failure"
    );
    let right = app
        .post_login(&app.client(), "ventas.asistente", PASSWORD)
        .await;
    assert_eq!(right.status(), wrong_status);
    assert_eq!(
        right.text().await.expect("body"),
        wrong_body,
        "no enumeration"
    );

    // Five minutes later the lock is over; a success forgets the escalation.
    app.clock.advance(Duration::from_secs(5 * 60 + 1));
    let client = app.client();
    app.login(&client, "ventas.asistente").await;
    let level = app
        .scalar("select lock_level from app_user where username = 'ventas.asistente'")
        .await;
    assert_eq!(level, 0);
}

#[tokio::test]
async fn locks_double_on_each_repeat_and_an_administrator_can_end_one() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    app.create_user("ventas.asistente", "ventas", "assistant")
        .await;
    for _ in 0..5 {
        fail_sign_in(&app, "ventas.asistente").await;
    }
    app.clock.advance(Duration::from_secs(5 * 60 + 1));
    // Still within the 15-minute window: the next failure locks again, for 10 minutes.
    fail_sign_in(&app, "ventas.asistente").await;
    assert_eq!(app.audit("account_locked").await.len(), 2);
    app.clock.advance(Duration::from_secs(5 * 60 + 1));
    let res = app
        .post_login(&app.client(), "ventas.asistente", PASSWORD)
        .await;
    assert_eq!(res.status(), 401, "the second lock lasts ten minutes");

    let (status, _) = app
        .post_form(
            &app.client(),
            "/api/unlock_user",
            &[("username", "ventas.asistente")],
        )
        .await;
    assert_eq!(status, 401, "not signed in");
    let (status, body) = app
        .post_form(
            &admin,
            "/api/unlock_user",
            &[("username", "ventas.asistente")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(app.audit("account_unlocked").await.len(), 1);
    let client = app.client();
    app.login(&client, "ventas.asistente").await;
}

#[tokio::test]
async fn an_address_failing_against_ten_accounts_gets_429_and_others_do_not() {
    let app = crate::helpers::spawn_app_with(|config| {
        config.trusted_proxies = vec!["127.0.0.1/32".parse().expect("net")];
    })
    .await;
    app.create_user("ventas.asistente", "ventas", "assistant")
        .await;
    let app = &app;
    let attacker = move |username: &str| {
        app.client()
            .post(app.url("/api/login"))
            .header("x-forwarded-for", "203.0.113.66")
            .form(&[("username", username), ("password", "wrong-wrong-wrong")])
            .send()
    };
    for i in 0..10 {
        let res = attacker(&format!("usuario{i}")).await.expect("request");
        assert_eq!(res.status(), 401);
    }
    let res = attacker("ventas.asistente").await.expect("request");
    assert_eq!(res.status(), 429);
    let wait: i64 = res.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!(wait > 0);
    // Another address, even for the same account, is unaffected.
    let res = app
        .client()
        .post(app.url("/api/login"))
        .header("x-forwarded-for", "198.51.100.7")
        .form(&[("username", "ventas.asistente"), ("password", PASSWORD)])
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
}
