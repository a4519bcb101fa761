//! Policies edited by administrators: validated on the server, audited with before, after
//! and the reason, effective from the next request.

use crate::approval_support::{WHY, person};
use crate::helpers::spawn_app;
use serde_json::Value;

fn role_form<'a>(role: &'a str, limits: [&'a str; 4], reason: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("role", role),
        ("daily", limits[0]),
        ("weekly", limits[1]),
        ("monthly", limits[2]),
        ("approval_threshold", limits[3]),
        ("reason", reason),
    ]
}

#[tokio::test]
async fn role_limits_are_validated_and_a_lowered_limit_refuses_what_it_allowed_before() {
    let app = spawn_app().await;
    app.seed_contacts(100).await;
    let (_, admin) = person(&app, "sec.admin", "direccion", "admin", None).await;
    let (_, employee) = person(&app, "v.ejecutivo", "ventas", "executive", None).await;
    let why = "Menos exportaciones tras la auditoría";
    // (limits, the field the refusal names)
    let refused: &[([&str; 4], &str)] = &[
        (["0", "200", "500", "50"], "daily"),
        (["-5", "200", "500", "50"], "daily"),
        (["diez", "200", "500", "50"], "daily"),
        (["50", "200", "500", "2000000"], "approval_threshold"),
        (["300", "200", "500", "50"], "weekly"),
        (["50", "600", "500", "50"], "monthly"),
        (["50", "", "20", "50"], "monthly"),
    ];
    for (limits, field) in refused {
        let (status, body) = app
            .post_form(
                &admin,
                "/api/update_role_limit",
                &role_form("executive", *limits, why),
            )
            .await;
        assert_eq!(
            (status, body["field"].as_str()),
            (422, Some(*field)),
            "{limits:?}: {body}"
        );
    }
    let (status, _) = app
        .post_form(
            &admin,
            "/api/update_role_limit",
            &role_form("executive", ["20", "200", "500", "50"], "corto"),
        )
        .await;
    assert_eq!(status, 400, "a reason is required");
    let (status, _) = app
        .post_form(
            &employee,
            "/api/update_role_limit",
            &role_form("executive", ["20", "200", "500", "50"], why),
        )
        .await;
    assert_eq!(status, 403);
    let (status, body) = app
        .post_form(
            &admin,
            "/api/update_role_limit",
            &role_form("jefe", ["20", "200", "500", "50"], why),
        )
        .await;
    assert_eq!(
        (status, body["notice"]["key"].as_str()),
        (422, Some("unknown_value"))
    );
    assert_eq!(
        app.audit("policy_changed").await.len(),
        0,
        "nothing was changed"
    );

    // 30 contacts fit the executive's 50 a day...
    let ask = |n: i64| {
        serde_json::json!({
            "selection": { "filter": { "text": "", "limit": n } },
            "fields": ["full_name"], "format": "csv", "justification": WHY,
        })
    };
    let (status, body) = app.request_export(&employee, ask(30)).await;
    assert_eq!(
        (status, body["outcome"].as_str()),
        (200, Some("allowed")),
        "{body}"
    );
    // ...until the limit is lowered to 40: the next 30 no longer fit, at once.
    let (status, body) = app
        .post_form(
            &admin,
            "/api/update_role_limit",
            &role_form("executive", ["40", "200", "500", "50"], why),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app.request_export(&employee, ask(30)).await;
    assert_eq!(
        (
            status,
            body["outcome"].as_str(),
            body["reason_code"].as_str()
        ),
        (200, Some("needs_approval"), Some("quota_exceeded")),
        "{body}"
    );
    let day = app.my_quota(&employee).await["windows"][0].clone();
    assert_eq!(day["limit"], 40);

    let changed = app.audit("policy_changed").await;
    assert_eq!(changed.len(), 1);
    assert_eq!(
        (
            changed[0].target_type.as_deref(),
            changed[0].target_id.as_deref()
        ),
        (Some("role_limit"), Some("executive"))
    );
    let before: Value =
        serde_json::from_str(changed[0].before_json.as_deref().expect("before")).expect("json");
    let after: Value =
        serde_json::from_str(changed[0].after_json.as_deref().expect("after")).expect("json");
    assert_eq!(
        (before["daily"].as_i64(), after["daily"].as_i64()),
        (Some(50), Some(40))
    );
    // The page's history says who, when and why; an empty field means no limit.
    let (_, page) = app.post_form(&admin, "/api/policies", &[]).await;
    assert_eq!(page["history"][0]["reason"], why);
    assert_eq!(page["history"][0]["actor"], "sec.admin");
    let (status, _) = app
        .post_form(
            &admin,
            "/api/update_role_limit",
            &role_form("executive", ["40", "", "500", ""], why),
        )
        .await;
    assert_eq!(status, 200);
    let (_, page) = app.post_form(&admin, "/api/policies", &[]).await;
    let executive = page["roles"]
        .as_array()
        .expect("roles")
        .iter()
        .find(|r| r["role"] == "executive")
        .cloned()
        .expect("row");
    assert!(
        executive["weekly"].is_null() && executive["approval_threshold"].is_null(),
        "{executive}"
    );
}

#[tokio::test]
async fn department_rules_keep_what_is_exported_visible_and_ask_before_hiding_everything() {
    let app = spawn_app().await;
    let (_, admin) = person(&app, "sec.admin", "direccion", "admin", None).await;
    let why = "Marketing deja de exportar teléfonos";
    let base = |exportable: &'static [&'static str], viewable: &'static [&'static str]| {
        let mut form: Vec<(&str, &str)> = vec![
            ("department", "marketing"),
            ("daily", "100"),
            ("weekly", "500"),
            ("monthly", "1000"),
            ("approval_threshold", "200"),
            ("visibility", "marketing_consent"),
            ("required_purpose", "campaign"),
            ("reason", why),
            ("viewable[]", ""),
            ("exportable[]", ""),
            ("sensitive[]", ""),
        ];
        form.extend(viewable.iter().map(|f| ("viewable[]", *f)));
        form.extend(exportable.iter().map(|f| ("exportable[]", *f)));
        form
    };
    let viewable: &[&str] = &["full_name", "email", "phone", "city"];
    let cases: &[(Vec<(&str, &str)>, &str)] = &[
        (
            base(&["full_name", "bank_account"], viewable),
            "field_not_visible",
        ),
        (base(&["full_name", "salario"], viewable), "unknown_value"),
        (base(&[], &[]), "nothing_visible"),
        (
            {
                let mut f = base(&["full_name"], viewable);
                f.push(("second_approval_role", "manager"));
                f
            },
            "second_approval_incomplete",
        ),
        (
            {
                let mut f = base(&["full_name"], viewable);
                f[5] = ("visibility", "everyone");
                f
            },
            "unknown_value",
        ),
    ];
    for (form, key) in cases {
        let (status, body) = app
            .post_form(&admin, "/api/update_department_rule", form)
            .await;
        assert_eq!(
            (status, body["notice"]["key"].as_str()),
            (422, Some(*key)),
            "{body}"
        );
    }
    // Hiding every field is possible, when the change says so.
    let mut confirmed = base(&[], &[]);
    confirmed.push(("confirm_nothing_visible", "on"));
    assert_eq!(
        app.post_form(&admin, "/api/update_department_rule", &confirmed)
            .await
            .0,
        200
    );
    let (status, body) = app
        .post_form(
            &admin,
            "/api/update_department_rule",
            &base(&["full_name", "email"], viewable),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, page) = app.post_form(&admin, "/api/policies", &[]).await;
    let marketing = page["departments"]
        .as_array()
        .expect("rules")
        .iter()
        .find(|d| d["department"] == "marketing")
        .cloned()
        .expect("rule");
    assert_eq!(
        marketing["exportable"],
        serde_json::json!(["full_name", "email"])
    );
    assert_eq!(
        marketing["viewable"],
        serde_json::json!(["full_name", "email", "phone", "city"])
    );
    let changed = app.audit("policy_changed").await;
    assert_eq!(changed[0].target_id.as_deref(), Some("marketing"));
}
