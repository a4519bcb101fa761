//! Accounts created by an administrator and passwords they reset: the owner sets the
//! password through a one-time link; the administrator never knows it. And one session of
//! an account ended, the others left open.

use crate::approval_support::person;
use crate::helpers::{PASSWORD, spawn_app};

fn token_of(body: &serde_json::Value) -> String {
    body["link"]
        .as_str()
        .and_then(|l| l.strip_prefix("/clave/"))
        .expect("a /clave/ link")
        .to_owned()
}

#[tokio::test]
async fn a_new_account_waits_for_its_owner_to_set_a_password_through_a_one_time_link() {
    let app = spawn_app().await;
    let (_, admin) = person(&app, "sec.admin", "direccion", "admin", None).await;
    let (_, employee) = person(&app, "v.supervisor", "ventas", "supervisor", None).await;
    let form = |username: &'static str, role: &'static str| {
        vec![
            ("username", username),
            ("full_name", "Nadia Nueva Torres"),
            ("email", "nadia@example.pe"),
            ("department", "ventas"),
            ("role", role),
            ("supervisor", "v.supervisor"),
        ]
    };
    assert_eq!(
        app.post_form(&employee, "/api/create_user", &form("n.nueva", "executive"))
            .await
            .0,
        403
    );
    let (status, body) = app
        .post_form(&admin, "/api/create_user", &form("N ueva!", "executive"))
        .await;
    assert_eq!(
        (status, body["notice"]["key"].as_str()),
        (422, Some("username_invalid"))
    );
    let (status, body) = app
        .post_form(&admin, "/api/create_user", &form("n.nueva", "jefa"))
        .await;
    assert_eq!(
        (status, body["notice"]["key"].as_str()),
        (422, Some("unknown_value"))
    );
    let (status, body) = app
        .post_form(
            &admin,
            "/api/create_user",
            &form("v.supervisor", "executive"),
        )
        .await;
    assert_eq!(
        (status, body["notice"]["key"].as_str()),
        (422, Some("user_exists"))
    );

    let (status, body) = app
        .post_form(&admin, "/api/create_user", &form("N.Nueva", "executive"))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["username"], "n.nueva");
    let token = token_of(&body);
    let created = app.audit("user_created").await;
    assert!(
        created[0]
            .after_json
            .as_deref()
            .is_some_and(|a| a.contains("v.supervisor"))
    );
    // Nobody knows a password for it yet.
    let newcomer = app.client();
    assert_eq!(
        app.post_login(&newcomer, "n.nueva", PASSWORD)
            .await
            .status(),
        401
    );

    let set = |token: String, password: &'static str| {
        let client = app.client();
        let app = &app;
        async move {
            app.post_form(
                &client,
                "/api/set_password",
                &[("token", &token), ("password", password)],
            )
            .await
        }
    };
    let (status, body) = set(token.clone(), "corta").await;
    assert_eq!(
        (status, body["notice"]["key"].as_str()),
        (422, Some("password_too_short"))
    );
    let (status, body) = set("0".repeat(64), "una frase larga y secreta").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (410, Some("password_link_invalid"))
    );
    assert_eq!(set(token.clone(), "una frase larga y secreta").await.0, 200);
    assert_eq!(
        set(token, "otra frase larga y secreta").await.0,
        410,
        "once"
    );
    assert_eq!(
        app.post_login(&newcomer, "n.nueva", "una frase larga y secreta")
            .await
            .status(),
        200
    );
    assert_eq!(app.audit("password_set").await.len(), 1);
    // The page that opens the link needs no sign-in.
    let page = app.get_page(&app.client(), "/clave/abc").await;
    assert_eq!(page.status(), 200);
}

#[tokio::test]
async fn a_reset_ends_the_sessions_and_only_the_new_link_sets_a_password() {
    let app = spawn_app().await;
    let (_, admin) = person(&app, "sec.admin", "direccion", "admin", None).await;
    let (_, employee) = person(&app, "v.ejecutivo", "ventas", "executive", None).await;
    let reset = |client: &reqwest::Client, username: &'static str, reason: &'static str| {
        let client = client.clone();
        let app = &app;
        async move {
            app.post_form(
                &client,
                "/api/reset_password",
                &[("username", username), ("reason", reason)],
            )
            .await
        }
    };
    assert_eq!(
        reset(&employee, "sec.admin", "Olvidó la contraseña otra vez")
            .await
            .0,
        403
    );
    assert_eq!(reset(&admin, "v.ejecutivo", "corto").await.0, 400);
    let (status, body) = reset(&admin, "sec.admin", "Mi propia contraseña no").await;
    assert_eq!((status, body["code"].as_str()), (409, Some("own_account")));

    let (status, first) = reset(
        &admin,
        "v.ejecutivo",
        "Olvidó la contraseña tras las vacaciones",
    )
    .await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(app.whoami(&employee).await, None, "the open session ended");
    assert_eq!(
        app.post_login(&app.client(), "v.ejecutivo", PASSWORD)
            .await
            .status(),
        401
    );
    // A second reset voids the first link.
    let (_, second) = reset(
        &admin,
        "v.ejecutivo",
        "El primer enlace se perdió en el correo",
    )
    .await;
    let set = async |token: String| {
        app.post_form(
            &app.client(),
            "/api/set_password",
            &[("token", &token), ("password", "nueva frase segura")],
        )
        .await
        .0
    };
    assert_eq!(set(token_of(&first)).await, 410);
    assert_eq!(set(token_of(&second)).await, 200);
    assert_eq!(
        app.post_login(&app.client(), "v.ejecutivo", "nueva frase segura")
            .await
            .status(),
        200
    );
    let resets = app.audit("password_reset").await;
    assert_eq!(resets.len(), 2);
    assert!(
        resets[1]
            .details_json
            .as_deref()
            .is_some_and(|d| d.contains("sessions_ended"))
    );
}

#[tokio::test]
async fn an_administrator_ends_one_session_of_a_user_and_the_others_stay_open() {
    use serde_json::{Value, json};
    let app = spawn_app().await;
    let (_, admin) = person(&app, "sec.admin", "direccion", "admin", None).await;
    let (_, laptop) = person(&app, "v.ejecutivo", "ventas", "executive", None).await;
    let phone = app.client();
    app.login(&phone, "v.ejecutivo").await;
    let (code, detail) = app
        .post_form(&admin, "/api/user_detail", &[("username", "v.ejecutivo")])
        .await;
    assert_eq!(code, 200, "{detail}");
    let sessions = detail["account"]["sessions"]
        .as_array()
        .expect("sessions")
        .clone();
    assert_eq!(sessions.len(), 2);
    // The handle names a session without giving away its secret id.
    let handle = sessions[0]["handle"].as_str().expect("handle").to_owned();
    assert_eq!(handle.len(), 16);
    assert!(
        !detail.to_string().contains("\"id\":\""),
        "no session id: {detail}"
    );

    let act = |session: &str| {
        json!({
            "username": "v.ejecutivo",
            "action": "end_sessions",
            "reason": "Sesión abierta en un equipo compartido",
            "alert_id": null,
            "session": session,
        })
    };
    let (code, body) = app
        .post_json(&admin, "/api/user_action", &act("0000000000000000"))
        .await;
    assert_eq!(code, 404, "an unknown session: {body}");
    let (code, body) = app
        .post_json(&admin, "/api/user_action", &act(&handle))
        .await;
    assert_eq!(code, 200, "{body}");
    let still_in = [
        app.whoami(&laptop).await.is_some(),
        app.whoami(&phone).await.is_some(),
    ];
    assert_eq!(
        still_in.iter().filter(|open| **open).count(),
        1,
        "one of the two sessions ended: {still_in:?}"
    );
    let revoked = app.audit("session_revoked").await;
    assert_eq!(revoked.len(), 1);
    let before: Value =
        serde_json::from_str(revoked[0].before_json.as_deref().expect("before")).expect("json");
    let after: Value =
        serde_json::from_str(revoked[0].after_json.as_deref().expect("after")).expect("json");
    assert_eq!(
        (
            before["open_sessions"].as_i64(),
            after["open_sessions"].as_i64()
        ),
        (Some(2), Some(1))
    );
}
