//! Who approves each demo user's requests, as the export form shows it before anything is
//! asked (the route of seed 000: supervisor, next one up, security administrators; the
//! CFO above 50 in Contabilidad; a second, different director or administrator above 1,000
//! in Dirección).

use crate::helpers::{PASSWORD, spawn_app_with};
use app::server::service::demo;
use serde_json::{Value, json};

#[tokio::test]
async fn every_demo_user_sees_who_approves_their_requests() {
    let app = spawn_app_with(|c| {
        c.demo = true;
        c.demo_password = PASSWORD.into();
    })
    .await;
    // (user, first approver (None: security administrators), second: (role, distinct, above,
    // candidates))
    type Second = Option<(&'static str, bool, i64, &'static [&'static str])>;
    let table: &[(&str, Option<&str>, Second)] = &[
        (
            "direccion.director",
            None,
            Some(("director", true, 1000, &["direccion.subdirector"])),
        ),
        (
            "direccion.subdirector",
            Some("direccion.director"),
            Some(("director", true, 1000, &["direccion.director"])),
        ),
        (
            "admin",
            Some("direccion.director"),
            Some((
                "director",
                true,
                1000,
                &["direccion.director", "direccion.subdirector"],
            )),
        ),
        ("ventas.gerente", Some("direccion.director"), None),
        ("ventas.supervisor", Some("ventas.gerente"), None),
        ("ventas.ejecutivo", Some("ventas.supervisor"), None),
        ("ventas.asistente", Some("ventas.supervisor"), None),
        ("ventas.practicante", Some("ventas.supervisor"), None),
        ("marketing.supervisor", Some("direccion.director"), None),
        ("marketing.ejecutivo", Some("marketing.supervisor"), None),
        ("operaciones.supervisor", Some("direccion.director"), None),
        (
            "operaciones.ejecutivo",
            Some("operaciones.supervisor"),
            None,
        ),
        // The CFO's own requests: nobody else holds the role, so administrators sign.
        (
            "contabilidad.gerente",
            Some("direccion.director"),
            Some(("admin", false, 50, &["admin"])),
        ),
        (
            "contabilidad.ejecutivo",
            Some("contabilidad.gerente"),
            Some(("manager", false, 50, &["contabilidad.gerente"])),
        ),
    ];
    assert_eq!(
        table.len(),
        demo::DEMO_USERS.len(),
        "every demo user is in the table"
    );
    for (user, first, second) in table {
        let client = app.client();
        app.login(&client, user).await;
        let (status, options) = app.post_form(&client, "/api/export_options", &[]).await;
        assert_eq!(status, 200, "{user}: {options}");
        let route = &options["approval_route"];
        assert_eq!(route["first"].as_str(), *first, "{user}: {route}");
        match second {
            None => assert!(route["second"].is_null(), "{user}: {route}"),
            Some((role, distinct, above, candidates)) => {
                let s = &route["second"];
                assert_eq!(s["role"], *role, "{user}: {route}");
                assert_eq!(s["distinct"], *distinct, "{user}");
                assert_eq!(s["above"], *above, "{user}");
                assert_eq!(s["candidates"], json!(candidates), "{user}");
            }
        }
    }
    // The demo's Marketing campaign is approved and running, and offered on the form.
    let client = app.client();
    app.login(&client, "marketing.ejecutivo").await;
    let (_, options) = app.post_form(&client, "/api/export_options", &[]).await;
    assert_eq!(options["campaigns"], json!(["Verano 2027"]), "{options}");
    let (_, list): (u16, Value) = app.post_form(&client, "/api/campaigns", &[]).await;
    assert_eq!(list["items"][0]["proposed_by"], "marketing.ejecutivo");
    assert_eq!(list["items"][0]["decided_by"], "marketing.supervisor");
}
