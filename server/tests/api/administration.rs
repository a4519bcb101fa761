//! The administrators' tools for people: the directory, a user's page, status, and role,
//! department and supervisor changes — each checked on the server and audited with before
//! and after.

use crate::approval_support::person;
use crate::helpers::spawn_app;
use serde_json::{Value, json};

async fn status(
    app: &crate::helpers::TestApp,
    client: &reqwest::Client,
    username: &str,
    status: &str,
    reason: Option<&str>,
) -> (u16, Value) {
    app.post_json(
        client,
        "/api/user_status",
        &json!({ "username": username, "status": status, "reason": reason }),
    )
    .await
}

#[tokio::test]
async fn user_status_blocks_and_unblocks_with_a_reason_and_ends_sessions() {
    let app = spawn_app().await;
    let (_, admin) = person(&app, "sec.admin", "direccion", "admin", None).await;
    let (victim, victim_client) = person(&app, "m.ejecutivo", "marketing", "executive", None).await;

    // Employees may not; a reason is required; oneself never.
    assert_eq!(
        status(
            &app,
            &victim_client,
            "sec.admin",
            "blocked",
            Some("Prueba de permisos")
        )
        .await
        .0,
        403
    );
    let (code, body) = status(&app, &admin, "m.ejecutivo", "blocked", None).await;
    assert_eq!(
        (code, body["code"].as_str()),
        (400, Some("invalid")),
        "{body}"
    );
    let (code, body) = status(
        &app,
        &admin,
        "sec.admin",
        "blocked",
        Some("Me bloqueo a mí mismo"),
    )
    .await;
    assert_eq!(
        (code, body["code"].as_str()),
        (409, Some("own_account")),
        "{body}"
    );
    let (code, _) = status(
        &app,
        &admin,
        "m.ejecutivo",
        "paused",
        Some("Estado inventado aquí"),
    )
    .await;
    assert_eq!(code, 400);
    assert!(
        app.whoami(&victim_client).await.is_some(),
        "nothing changed so far"
    );

    let reason = "Exportaciones fuera de horario sin justificar";
    let (code, body) = status(&app, &admin, "m.ejecutivo", "blocked", Some(reason)).await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(
        (body["username"].as_str(), body["status"].as_str()),
        (Some("m.ejecutivo"), Some("blocked"))
    );
    assert_eq!(
        app.whoami(&victim_client).await,
        None,
        "the open session ended"
    );
    let blocked = app.audit("user_blocked").await;
    assert_eq!(
        blocked[0].target_id.as_deref(),
        Some(victim.to_string().as_str())
    );
    assert!(
        blocked[0]
            .before_json
            .as_deref()
            .is_some_and(|b| b.contains("active"))
    );
    assert!(
        blocked[0]
            .after_json
            .as_deref()
            .is_some_and(|a| a.contains(reason))
    );
    assert_eq!(
        status(&app, &admin, "m.ejecutivo", "blocked", Some(reason))
            .await
            .0,
        409
    );

    let (code, body) = status(
        &app,
        &admin,
        "m.ejecutivo",
        "active",
        Some("Aclarado con su supervisor"),
    )
    .await;
    assert_eq!(
        (code, body["status"].as_str()),
        (200, Some("active")),
        "{body}"
    );
    assert_eq!(
        status(
            &app,
            &admin,
            "m.ejecutivo",
            "active",
            Some("Aclarado con su supervisor")
        )
        .await
        .0,
        409
    );
    app.login(&victim_client, "m.ejecutivo").await;
    assert_eq!(
        status(&app, &admin, "nadie.aqui", "blocked", Some(reason))
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn a_role_change_takes_effect_on_the_next_request_of_a_signed_in_user() {
    let app = spawn_app().await;
    let (_, admin) = person(&app, "sec.admin", "direccion", "admin", None).await;
    let (boss, _) = person(&app, "v.gerente", "ventas", "manager", None).await;
    let (user, client) = person(&app, "v.ejecutivo", "ventas", "executive", Some(boss)).await;
    let change = |role: &str, department: &str, supervisor: &str, reason: &str| {
        vec![
            ("username", "v.ejecutivo".to_owned()),
            ("role", role.to_owned()),
            ("department", department.to_owned()),
            ("supervisor", supervisor.to_owned()),
            ("reason", reason.to_owned()),
        ]
    };
    let post = async |client: &reqwest::Client, fields: Vec<(&str, String)>| {
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        app.post_form(client, "/api/user_change", &pairs).await
    };
    // An executive has no approvals inbox.
    assert_eq!(
        app.post_json(&client, "/api/approvals", &json!({})).await.0,
        403
    );
    assert_eq!(
        post(
            &client,
            change("supervisor", "ventas", "v.gerente", "Ascenso a supervisora")
        )
        .await
        .0,
        403
    );
    let (code, body) = post(
        &admin,
        change("jefe", "ventas", "v.gerente", "Ascenso a supervisora"),
    )
    .await;
    assert_eq!(
        (code, body["notice"]["key"].as_str()),
        (422, Some("unknown_value")),
        "{body}"
    );
    let (code, body) = post(
        &admin,
        change(
            "executive",
            "ventas",
            "v.gerente",
            "Nada cambia en realidad",
        ),
    )
    .await;
    assert_eq!(
        (code, body["notice"]["key"].as_str()),
        (422, Some("nothing_changed")),
        "{body}"
    );
    let (code, _) = post(&admin, change("supervisor", "ventas", "v.gerente", "corto")).await;
    assert_eq!(code, 400);

    let (code, body) = post(
        &admin,
        change(
            "supervisor",
            "ventas",
            "v.gerente",
            "Ascenso a supervisora de ventas",
        ),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    // The same session, the next request: the new role counts.
    assert_eq!(
        app.post_json(&client, "/api/approvals", &json!({})).await.0,
        200
    );
    let changed = app.audit("role_changed").await;
    assert_eq!(
        changed[0].target_id.as_deref(),
        Some(user.to_string().as_str())
    );
    let before: Value =
        serde_json::from_str(changed[0].before_json.as_deref().expect("before")).expect("json");
    let after: Value =
        serde_json::from_str(changed[0].after_json.as_deref().expect("after")).expect("json");
    assert_eq!(
        (before["role"].as_str(), after["role"].as_str()),
        (Some("executive"), Some("supervisor"))
    );
    let details: Value =
        serde_json::from_str(changed[0].details_json.as_deref().expect("details")).expect("json");
    assert_eq!(details["reason"], "Ascenso a supervisora de ventas");

    // No supervisor cycles: the manager cannot report to someone who reports to them.
    let manager = vec![
        ("username", "v.gerente".to_owned()),
        ("role", "manager".to_owned()),
        ("department", "ventas".to_owned()),
        ("supervisor", "v.ejecutivo".to_owned()),
        ("reason", "Reorganización del área".to_owned()),
    ];
    let (code, body) = post(&admin, manager).await;
    assert_eq!(
        (code, body["notice"]["key"].as_str()),
        (422, Some("supervisor_cycle")),
        "{body}"
    );
    let (code, body) = post(
        &admin,
        change(
            "supervisor",
            "ventas",
            "v.ejecutivo",
            "Su propia supervisora",
        ),
    )
    .await;
    assert_eq!(
        (code, body["notice"]["key"].as_str()),
        (422, Some("supervisor_cycle")),
        "{body}"
    );
    // Nor on one's own account.
    let own = vec![
        ("username", "sec.admin".to_owned()),
        ("role", "director".to_owned()),
        ("reason", "Me quito el rol de administrador".to_owned()),
    ];
    let (code, body) = post(&admin, own).await;
    assert_eq!(
        (code, body["code"].as_str()),
        (409, Some("own_account")),
        "{body}"
    );
    // The department and the supervisor change too (a permission change, audited).
    let (code, body) = post(
        &admin,
        change(
            "supervisor",
            "marketing",
            "-",
            "Traslado a marketing sin jefe",
        ),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let moved = app.audit("permission_changed").await;
    let after: Value =
        serde_json::from_str(moved[0].after_json.as_deref().expect("after")).expect("json");
    assert_eq!(
        (after["department"].as_str(), after["supervisor"].as_str()),
        (Some("marketing"), None)
    );
}

#[tokio::test]
async fn the_directory_filters_and_a_user_page_shows_their_account_and_its_changes() {
    let app = spawn_app().await;
    let (_, admin) = person(&app, "sec.admin", "direccion", "admin", None).await;
    let (_, employee) = person(&app, "v.ejecutivo", "ventas", "executive", None).await;
    person(&app, "m.ejecutivo", "marketing", "executive", None).await;
    let (_, body) = status(
        &app,
        &admin,
        "m.ejecutivo",
        "blocked",
        Some("Cuenta compartida con un tercero"),
    )
    .await;
    assert_eq!(body["status"], "blocked");

    let list = |fields: &'static [(&'static str, &'static str)]| {
        let admin = admin.clone();
        let app = &app;
        async move { app.post_form(&admin, "/api/users", fields).await }
    };
    let names = |body: &Value| -> Vec<String> {
        body.as_array()
            .expect("rows")
            .iter()
            .filter_map(|r| r["username"].as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(
        names(&list(&[("department", "marketing")]).await.1),
        ["m.ejecutivo"]
    );
    assert_eq!(
        names(&list(&[("status", "blocked")]).await.1),
        ["m.ejecutivo"]
    );
    assert_eq!(names(&list(&[("role", "admin")]).await.1), ["sec.admin"]);
    assert_eq!(
        names(
            &list(&[("q", "EJECUTIVO"), ("department", "ventas")])
                .await
                .1
        ),
        ["v.ejecutivo"]
    );
    assert_eq!(app.post_form(&employee, "/api/users", &[]).await.0, 403);

    let (code, detail) = app
        .post_form(&admin, "/api/user_detail", &[("username", "m.ejecutivo")])
        .await;
    assert_eq!(code, 200, "{detail}");
    assert_eq!(detail["account"]["status"], "blocked");
    assert_eq!(
        detail["account"]["blocked_reason"],
        "Cuenta compartida con un tercero"
    );
    assert_eq!(detail["changes"][0]["action"], "user_blocked");
    assert_eq!(detail["changes"][0]["actor"], "sec.admin");
    assert_eq!(
        detail["changes"][0]["reason"],
        "Cuenta compartida con un tercero"
    );
    assert!(detail["sign_ins"].as_array().is_some_and(|s| !s.is_empty()));
    assert_eq!(
        app.post_form(
            &employee,
            "/api/user_detail",
            &[("username", "m.ejecutivo")]
        )
        .await
        .0,
        403
    );
    assert_eq!(
        app.post_form(&admin, "/api/user_detail", &[("username", "nadie")])
            .await
            .0,
        404
    );
    // The page itself: administrators only.
    assert_eq!(
        app.get_page(&admin, "/usuarios/m.ejecutivo").await.status(),
        200
    );
    let page = app.get_page(&employee, "/usuarios/m.ejecutivo").await;
    assert!(page.text().await.expect("page").contains("403"));
}
