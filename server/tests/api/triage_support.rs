//! What the triage tests share: alerts to work on, the alert as the page reads it, and
//! the same refusal asked of everyone who is not an administrator.

use crate::detection::{alerts, detect, fail_sign_in};
use crate::helpers::{PASSWORD, TestApp};
use serde_json::{Value, json};

/// Ventas assistants.
pub(crate) async fn assistants(app: &TestApp, users: &[&str]) {
    for user in users {
        app.create_user(user, "ventas", "assistant").await;
    }
}

/// One open BRUTE_FORCE alert per user in `users` (five wrong passwords each, which also
/// locks the account for a while); returns (id, version) of each, in the order of `users`.
pub(crate) async fn brute_force_alerts(
    app: &TestApp,
    admin: &reqwest::Client,
    users: &[&str],
) -> Vec<(i64, i64)> {
    for user in users {
        for _ in 0..5 {
            fail_sign_in(app, user).await;
        }
    }
    detect(app).await;
    let found = alerts(app, admin, json!({ "kind": "BRUTE_FORCE" })).await;
    users
        .iter()
        .map(|user| {
            let a = found
                .iter()
                .find(|a| a["username"] == *user)
                .unwrap_or_else(|| panic!("an alert about {user}: {found:?}"));
            (
                a["id"].as_i64().expect("id"),
                a["version"].as_i64().expect("version"),
            )
        })
        .collect()
}

pub(crate) async fn detail(app: &TestApp, admin: &reqwest::Client, id: i64) -> Value {
    let (status, body) = app
        .post_json(admin, "/api/alert", &json!({ "id": id }))
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

pub(crate) fn history_actions(detail: &Value) -> Vec<String> {
    detail["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|h| h["action"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// An app that takes the client's address from `X-Forwarded-For` (as behind a proxy), so
/// a test can sign in "from" several addresses.
/// Two sessions from two addresses are also a CONCURRENT_SESSION (HIGH, which suspends
/// exports by itself): that rule is off here, so what the answer does is seen alone.
pub(crate) async fn behind_proxy() -> TestApp {
    let app = crate::helpers::spawn_app_with(|config| {
        config.trusted_proxies = vec!["127.0.0.1/32".parse().expect("net")];
    })
    .await;
    crate::helpers::set_rule_enabled(&app.state, "CONCURRENT_SESSION", false).await;
    app
}

/// An employee with an UNUSUAL_LOCATION alert about their own sign-in (MEDIUM); returns
/// their client and the alert's id.
pub(crate) async fn unusual_location(app: &TestApp, username: &str) -> (reqwest::Client, i64) {
    app.create_user(username, "ventas", "executive").await;
    let sign_in_from = |ip: &'static str| {
        let client = app.client();
        let url = app.url("/api/login");
        let username = username.to_owned();
        async move {
            let res = client
                .post(url)
                .header("x-forwarded-for", ip)
                .form(&[("username", username.as_str()), ("password", PASSWORD)])
                .send()
                .await
                .expect("request");
            assert_eq!(res.status(), 200);
            client
        }
    };
    let _first = sign_in_from("198.51.100.7").await;
    let client = sign_in_from("203.0.113.80").await;
    detect(app).await;
    let (status, mine) = app.post_json(&client, "/api/my_alerts", &json!({})).await;
    assert_eq!(status, 200, "{mine}");
    let alert = mine
        .as_array()
        .expect("alerts")
        .iter()
        .find(|a| a["kind"] == "UNUSUAL_LOCATION")
        .cloned()
        .expect("an unusual-location alert");
    assert_eq!(alert["severity"], "MEDIUM");
    assert_eq!(alert["answer"], Value::Null);
    (client, alert["id"].as_i64().expect("id"))
}

/// Each call is refused to the signed-out (401) and to the employee and supervisor (403).
pub(crate) async fn refused_to_non_administrators(
    app: &TestApp,
    calls: &[(&str, Value)],
    anonymous: &reqwest::Client,
    employee: &reqwest::Client,
    supervisor: &reqwest::Client,
) {
    for (path, body) in calls {
        for (who, client, expected) in [
            ("anonymous", anonymous, 401),
            ("employee", employee, 403),
            ("supervisor", supervisor, 403),
        ] {
            let (status, _) = app.post_json(client, path, body).await;
            assert_eq!(status, expected, "{who} {path}");
        }
    }
}
