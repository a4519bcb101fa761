//! Export approvals: routing, decisions, the life cycle and who may do what.

use crate::approval_support::*;
use crate::helpers::spawn_app;
use serde_json::json;

#[tokio::test]
async fn a_request_over_the_limit_waits_for_the_supervisor_who_approves_it() {
    let app = spawn_app().await;
    app.seed_contacts(200).await;
    let (boss, boss_client) = person(&app, "v.supervisor", "ventas", "supervisor", None).await;
    let (me, client) = person(&app, "v.ejecutivo", "ventas", "executive", Some(boss)).await;

    // 60 > the executive's 50 a day: pending, and the requester sees who must approve.
    let (status, body) = ask(&app, &client, 60).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["outcome"], "needs_approval");
    assert_eq!(body["reason_code"], "quota_exceeded");
    assert_eq!(body["route"]["first"], "v.supervisor");
    assert!(body["route"]["second"].is_null());
    let id = body["request_id"].as_i64().expect("id");
    assert_eq!(app.daily_quota(&client).await.0, 0, "nothing debited yet");
    assert!(
        notices_of(&app, boss)
            .await
            .contains(&"approval_asked".to_owned())
    );

    // The supervisor's inbox has it, with what the fixed surface promises.
    let (status, list) = inbox(&app, &boss_client, None).await;
    assert_eq!(status, 200, "{list}");
    let item = &list["items"][0];
    assert_eq!(item["request_id"], id);
    assert_eq!(item["requester"], "v.ejecutivo");
    assert_eq!(item["count"], 60);
    assert_eq!(item["fields"], json!(["full_name"]));
    assert_eq!(item["justification"], WHY);
    assert_eq!(item["state"], "pending");
    assert_eq!(
        (
            item["approvals_needed"].as_i64(),
            item["approvals_given"].as_i64()
        ),
        (Some(1), Some(0))
    );
    assert_eq!(item["may_decide"], true);

    // The requester has no inbox and cannot decide their own request.
    assert_eq!(inbox(&app, &client, None).await.0, 403);
    let (status, body) = decide(&app, &client, id, "approve", None).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("own_request")));

    let (status, body) = decide(&app, &boss_client, id, "approve", Some("Conforme")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["state"], "approved");
    assert_eq!(body["approvals_given"], 1);
    let (status, body) = decide(&app, &boss_client, id, "approve", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("already_decided"))
    );
    let (status, _) = decide(&app, &boss_client, id, "reject", Some("Lo pensé mejor")).await;
    assert_eq!(status, 409, "no rejection after the approval");

    let mine = my_request(&app, &client, id).await;
    assert_eq!(mine["state"], "approved");
    assert_eq!(mine["download_url"], format!("/requests/{id}/download"));
    assert!(
        notices_of(&app, me)
            .await
            .contains(&"request_granted".to_owned())
    );
    // And by mail, through the outbox, in the same transaction as the decision.
    let mailed = app
        .scalar(&format!(
            "select cast(count(*) as bigint) from mail_outbox where user_id = {me} \
             and params like '%request_granted%'"
        ))
        .await;
    assert_eq!(mailed, 1);
    let approved = app.audit("export_approved").await;
    assert_eq!(
        approved[0].target_id.as_deref(),
        Some(id.to_string().as_str())
    );
    // The decided tab keeps it.
    let (_, decided) = inbox(&app, &boss_client, Some("decided")).await;
    assert_eq!(decided["items"][0]["state"], "approved");
    let (status, body) = inbox(&app, &boss_client, Some("whatever")).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("invalid")),
        "{body}"
    );
}

#[tokio::test]
async fn a_rejection_needs_its_reason_and_ends_the_request() {
    let app = spawn_app().await;
    app.seed_contacts(100).await;
    let (boss, boss_client) = person(&app, "v.supervisor", "ventas", "supervisor", None).await;
    let (me, client) = person(&app, "v.ejecutivo", "ventas", "executive", Some(boss)).await;
    let id = pending_request(&app, &client, 60).await;

    let (status, body) = decide(&app, &boss_client, id, "reject", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("invalid")),
        "{body}"
    );
    let (status, _) = decide(&app, &boss_client, id, "reject", Some("corto")).await;
    assert_eq!(status, 400);
    let (status, _) = decide(&app, &boss_client, id, "maybe", None).await;
    assert_eq!(status, 400);
    assert_eq!(
        my_request(&app, &client, id).await["state"],
        "pending",
        "nothing changed"
    );

    let reason = "Sin campaña aprobada para este volumen";
    let (status, body) = decide(&app, &boss_client, id, "reject", Some(reason)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["state"], "rejected");
    let (status, body) = decide(&app, &boss_client, id, "approve", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("already_decided"))
    );

    let mine = my_request(&app, &client, id).await;
    assert_eq!(mine["state"], "rejected");
    assert!(mine["download_url"].is_null());
    assert_eq!(mine["decisions"][0]["comment"], reason);
    assert!(
        notices_of(&app, me)
            .await
            .contains(&"request_rejected".to_owned())
    );
    let rejected = app.audit("export_rejected").await;
    assert_eq!(rejected[0].actor_username.as_deref(), Some("v.supervisor"));
    // Nobody downloads a rejected request.
    let res = client
        .get(app.url(&format!("/requests/{id}/download")))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn nobody_approves_their_own_request_even_without_anyone_above() {
    let app = spawn_app().await;
    app.seed_contacts(120).await;
    // The only supervisor of Ventas, with nobody above: the request goes to the security
    // administrators, and its author cannot approve it.
    let (_, alone) = person(&app, "m.supervisor", "ventas", "supervisor", None).await;
    let (_, admin) = person(&app, "sec.admin", "direccion", "admin", None).await;
    let (_, director) = person(&app, "d.director", "direccion", "director", None).await;
    let (status, body) = ask(&app, &alone, 101).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["route"]["first"].is_null(), "{body}");
    let id = body["request_id"].as_i64().expect("id");
    let (status, body) = decide(&app, &alone, id, "approve", None).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("own_request")));
    let (status, body) = decide(&app, &director, id, "approve", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("not_an_approver")),
        "{body}"
    );
    let (status, list) = inbox(&app, &admin, None).await;
    assert_eq!(status, 200);
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1), "{list}");
    let (status, body) = decide(&app, &admin, id, "approve", None).await;
    assert_eq!(
        (status, body["state"].as_str()),
        (200, Some("approved")),
        "{body}"
    );
}

#[tokio::test]
async fn requests_expire_after_72_hours_without_a_decision() {
    let app = spawn_app().await;
    app.seed_contacts(100).await;
    let (boss, boss_client) = person(&app, "v.supervisor", "ventas", "supervisor", None).await;
    let (me, client) = person(&app, "v.ejecutivo", "ventas", "executive", Some(boss)).await;
    let id = pending_request(&app, &client, 60).await;

    app.clock
        .advance(std::time::Duration::from_secs(72 * 3600 - 60));
    let expired = app::server::service::approvals::expire_overdue(&app.state)
        .await
        .expect("job");
    assert_eq!(expired, 0, "not yet");
    app.clock.advance(std::time::Duration::from_secs(61));
    // Three days later both sign in again.
    app.login(&boss_client, "v.supervisor").await;
    app.login(&client, "v.ejecutivo").await;
    // Deciding after the deadline is refused even before the job marks it.
    let (status, body) = decide(&app, &boss_client, id, "approve", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("request_expired"))
    );
    let expired = app::server::service::approvals::expire_overdue(&app.state)
        .await
        .expect("job");
    assert_eq!(expired, 1);
    assert_eq!(my_request(&app, &client, id).await["state"], "expired");
    let (status, body) = decide(&app, &boss_client, id, "approve", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("already_decided"))
    );
    assert!(
        notices_of(&app, me)
            .await
            .contains(&"request_lapsed".to_owned())
    );
    assert!(
        notices_of(&app, boss)
            .await
            .contains(&"request_lapsed".to_owned())
    );
    assert_eq!(app.audit("export_request_expired").await.len(), 1);
    // The job is idempotent.
    let again = app::server::service::approvals::expire_overdue(&app.state)
        .await
        .expect("job");
    assert_eq!(again, 0);
}

#[tokio::test]
async fn a_concurrent_approve_and_reject_end_in_exactly_one_state() {
    let app = spawn_app().await;
    app.seed_contacts(100).await;
    let (boss, boss_client) = person(&app, "v.supervisor", "ventas", "supervisor", None).await;
    let (_, client) = person(&app, "v.ejecutivo", "ventas", "executive", Some(boss)).await;
    for _ in 0..3 {
        app.clock.advance(std::time::Duration::from_secs(1));
        let id = pending_request(&app, &client, 51 + (app.clock.now_ms() % 40)).await;
        let (a, r) = tokio::join!(
            decide(&app, &boss_client, id, "approve", None),
            decide(
                &app,
                &boss_client,
                id,
                "reject",
                Some("Rechazada por volumen excesivo")
            ),
        );
        let statuses = [a.0, r.0];
        assert!(
            statuses.contains(&200) && statuses.contains(&409),
            "{a:?} {r:?}"
        );
        let winner = if a.0 == 200 { a.1 } else { r.1 };
        assert_eq!(
            my_request(&app, &client, id).await["state"],
            winner["state"]
        );
        let decisions = app
            .scalar(&format!(
                "select cast(count(*) as bigint) from export_decision where request_id = {id}"
            ))
            .await;
        assert_eq!(decisions, 1);
    }
}

#[tokio::test]
async fn the_requester_may_withdraw_a_pending_request() {
    let app = spawn_app().await;
    app.seed_contacts(100).await;
    let (boss, boss_client) = person(&app, "v.supervisor", "ventas", "supervisor", None).await;
    let (_, client) = person(&app, "v.ejecutivo", "ventas", "executive", Some(boss)).await;
    let id = pending_request(&app, &client, 60).await;
    let id_text = id.to_string();
    let (status, _) = app
        .post_form(
            &boss_client,
            "/api/cancel_request",
            &[("request_id", &id_text)],
        )
        .await;
    assert_eq!(status, 404, "only the requester withdraws");
    let (status, body) = app
        .post_form(&client, "/api/cancel_request", &[("request_id", &id_text)])
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(my_request(&app, &client, id).await["state"], "cancelled");
    let (status, body) = decide(&app, &boss_client, id, "approve", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("already_decided"))
    );
    assert!(
        notices_of(&app, boss)
            .await
            .contains(&"request_withdrawn".to_owned())
    );
    let (status, _) = app
        .post_form(&client, "/api/cancel_request", &[("request_id", &id_text)])
        .await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn approval_functions_refuse_anyone_signed_out() {
    let app = spawn_app().await;
    let anonymous = app.client();
    for path in ["/api/approvals", "/api/my_requests"] {
        assert_eq!(
            app.post_json(&anonymous, path, &json!({})).await.0,
            401,
            "{path}"
        );
    }
    assert_eq!(decide(&app, &anonymous, 1, "approve", None).await.0, 401);
    let (status, _) = app
        .post_form(&anonymous, "/api/cancel_request", &[("request_id", "1")])
        .await;
    assert_eq!(status, 401);
    let forms: [(&str, &[(&str, &str)]); 3] = [
        ("/api/campaigns", &[]),
        (
            "/api/propose_campaign",
            &[
                ("name", "X"),
                ("purpose", "Prueba sin sesión"),
                ("starts_on", "2026-01-01"),
                ("ends_on", "2026-01-02"),
            ],
        ),
        (
            "/api/decide_campaign",
            &[("id", "1"), ("decision", "approve")],
        ),
    ];
    for (path, fields) in forms {
        assert_eq!(
            app.post_form(&anonymous, path, fields).await.0,
            401,
            "{path}"
        );
    }
    let res = anonymous
        .get(app.url("/requests/1/download"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 401);
    // Signed in: an unknown request is 404 to decide, and the form encoding is refused.
    let (_, boss) = person(&app, "v.supervisor", "ventas", "supervisor", None).await;
    assert_eq!(decide(&app, &boss, 999_999, "approve", None).await.0, 404);
    let (status, _) = app
        .post_form(
            &boss,
            "/api/decide_approval",
            &[("request_id", "1"), ("decision", "approve")],
        )
        .await;
    assert_eq!(status, 415);
}
