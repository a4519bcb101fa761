use crate::helpers::spawn_app;
use app::server::service::demo;

#[tokio::test]
async fn seeding_the_demo_twice_creates_everything_once() {
    let app = spawn_app().await;
    let first = demo::seed(&app.state, "centinela-demo-2026")
        .await
        .expect("seed");
    assert_eq!(first.users_created, demo::DEMO_USERS.len());
    assert!(first.contacts_created >= 5_000);
    let second = demo::seed(&app.state, "centinela-demo-2026")
        .await
        .expect("seed again");
    assert_eq!(second, demo::SeedReport::default());

    let pool = app.state.db.pool();
    let contacts: i64 = sqlx::query_scalar("select cast(count(*) as bigint) from contact")
        .fetch_one(pool)
        .await
        .expect("count");
    assert_eq!(contacts as u64, first.contacts_created);

    // Supervisors are linked as the organisation chart says.
    let boss: Option<String> = sqlx::query_scalar(
        "select s.username from app_user u join app_user s on s.id = u.supervisor_id where u.username = $1",
    )
    .bind("ventas.ejecutivo")
    .fetch_optional(pool)
    .await
    .expect("query");
    assert_eq!(boss.as_deref(), Some("ventas.supervisor"));

    // Documents are well-formed and passports are not stored in the clear.
    let rucs: Vec<String> =
        sqlx::query_scalar("select document_number from contact where document_type = 'RUC'")
            .fetch_all(pool)
            .await
            .expect("rucs");
    assert!(rucs.len() > 100);
    assert!(
        rucs.iter().all(|r| demo::ruc_is_valid(r)),
        "an invalid RUC was generated"
    );
    let dnis: Vec<String> =
        sqlx::query_scalar("select document_number from contact where document_type = 'DNI'")
            .fetch_all(pool)
            .await
            .expect("dnis");
    assert!(
        dnis.iter()
            .all(|d| d.len() == 8 && d.chars().all(|c| c.is_ascii_digit()))
    );
    let sealed: Vec<Vec<u8>> = sqlx::query_scalar(
        "select passport_number_enc from contact where passport_number_enc is not null limit 20",
    )
    .fetch_all(pool)
    .await
    .expect("passports");
    for s in sealed {
        let plain = app
            .state
            .cipher
            .decrypt(&s)
            .expect("opens with the data key");
        assert!(!String::from_utf8_lossy(&s).contains(&plain));
    }

    // Every department sees a meaningful share of the contacts.
    for column in [
        "marketing_consent",
        "active_reservation",
        "has_transactions",
    ] {
        let n: i64 = sqlx::query_scalar(&format!(
            "select cast(count(*) as bigint) from contact where {column} = 1"
        ))
        .fetch_one(pool)
        .await
        .expect("count");
        assert!(n > 1_000, "{column}: only {n}");
    }
}

#[tokio::test]
async fn demo_users_sign_in_with_the_demo_password() {
    let app = spawn_app().await;
    demo::seed(&app.state, "centinela-demo-2026")
        .await
        .expect("seed");
    let client = app.client();
    let res = app
        .post_login(&client, "admin", "centinela-demo-2026")
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.whoami(&client).await.as_deref(), Some("admin"));
}
