//! Second approvals (seed 000): Contabilidad above 50 contacts needs the CFO's approval,
//! Dirección above 1,000 a second authorization by a different person.

use crate::approval_support::*;
use crate::helpers::spawn_app;

#[tokio::test]
async fn the_cfo_who_is_also_the_supervisor_releases_a_contabilidad_request_at_once() {
    let app = spawn_app().await;
    app.seed_contacts(400).await;
    let (director, _) = person(&app, "d.director", "direccion", "director", None).await;
    let (cfo, cfo_client) =
        person(&app, "c.gerente", "contabilidad", "manager", Some(director)).await;
    let (_, client) = person(&app, "c.ejecutivo", "contabilidad", "executive", Some(cfo)).await;

    let (status, body) = ask(&app, &client, 60).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["route"]["first"], "c.gerente");
    assert_eq!(body["route"]["second"]["role"], "manager");
    assert_eq!(body["route"]["second"]["distinct"], false);
    assert_eq!(
        body["route"]["second"]["candidates"],
        serde_json::json!(["c.gerente"])
    );
    let id = body["request_id"].as_i64().expect("id");
    let (_, list) = inbox(&app, &cfo_client, None).await;
    assert_eq!(list["items"][0]["approvals_needed"], 2);
    let (status, body) = decide(&app, &cfo_client, id, "approve", None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["state"].as_str(), body["approvals_given"].as_i64()),
        (Some("approved"), Some(2))
    );

    // 50 contacts or fewer need no CFO (within the day's 30 they need nobody at all).
    let (status, body) = ask(&app, &client, 20).await;
    assert_eq!(
        (status, body["outcome"].as_str()),
        (200, Some("allowed")),
        "{body}"
    );
    let (status, body) = ask(&app, &client, 40).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["route"]["second"].is_null(), "{body}");
}

#[tokio::test]
async fn the_cfo_approves_even_when_not_the_supervisor_and_the_supervisor_alone_is_not_enough() {
    let app = spawn_app().await;
    app.seed_contacts(400).await;
    let (cfo, cfo_client) = person(&app, "c.gerente", "contabilidad", "manager", None).await;
    let (boss, boss_client) = person(
        &app,
        "c.supervisor",
        "contabilidad",
        "supervisor",
        Some(cfo),
    )
    .await;
    let (_, client) = person(&app, "c.ejecutivo", "contabilidad", "executive", Some(boss)).await;
    let id = pending_request(&app, &client, 60).await;
    let (status, body) = decide(&app, &boss_client, id, "approve", None).await;
    assert_eq!(
        (status, body["state"].as_str()),
        (200, Some("pending")),
        "{body}"
    );
    assert_eq!(my_request(&app, &client, id).await["approvals_given"], 1);
    let (status, body) = decide(&app, &cfo_client, id, "approve", None).await;
    assert_eq!(
        (status, body["state"].as_str()),
        (200, Some("approved")),
        "{body}"
    );
}

#[tokio::test]
async fn direccion_over_1000_needs_two_different_people_in_either_order() {
    let app = spawn_app().await;
    app.seed_contacts(1300).await;
    let (_, director) = person(&app, "d.director", "direccion", "director", None).await;
    let (_, second) = person(&app, "d.subdirector", "direccion", "director", None).await;
    let (_, admin) = person(&app, "sec.admin", "direccion", "admin", None).await;

    // The administrator first, then the other director.
    let (status, body) = ask(&app, &director, 1200).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body["route"]["first"].is_null(),
        "a director has nobody above: {body}"
    );
    assert_eq!(body["route"]["second"]["distinct"], true);
    assert_eq!(
        body["route"]["second"]["candidates"],
        serde_json::json!(["d.subdirector"])
    );
    let id = body["request_id"].as_i64().expect("id");
    let (status, body) = decide(&app, &admin, id, "approve", None).await;
    assert_eq!(
        (status, body["state"].as_str()),
        (200, Some("pending")),
        "{body}"
    );
    let (status, body) = decide(&app, &admin, id, "approve", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("already_approved")),
        "one person counts once"
    );
    let (status, body) = decide(&app, &second, id, "approve", None).await;
    assert_eq!(
        (status, body["state"].as_str()),
        (200, Some("approved")),
        "{body}"
    );

    // The other order: the second director, then the administrator.
    app.clock.advance(std::time::Duration::from_secs(1));
    let (status, body) = ask(&app, &director, 1100).await;
    assert_eq!(status, 200, "{body}");
    let id = body["request_id"].as_i64().expect("id");
    let (status, body) = decide(&app, &second, id, "approve", None).await;
    assert_eq!(
        (status, body["state"].as_str()),
        (200, Some("pending")),
        "{body}"
    );
    let (status, _) = decide(&app, &second, id, "approve", None).await;
    assert_eq!(status, 409);
    let (status, body) = decide(&app, &admin, id, "approve", None).await;
    assert_eq!(
        (status, body["state"].as_str()),
        (200, Some("approved")),
        "{body}"
    );
    let mine = my_request(&app, &director, id).await;
    let approvers: Vec<&str> = mine["decisions"]
        .as_array()
        .expect("decisions")
        .iter()
        .filter_map(|d| d["approver"].as_str())
        .collect();
    assert_eq!(approvers, ["d.subdirector", "sec.admin"]);
}
