use crate::helpers::{PASSWORD, spawn_app_with};
use app::server::service::demo;

#[tokio::test]
async fn the_demo_organisation_is_seeded_once_with_realistic_people() {
    let app = spawn_app_with(|c| {
        c.demo = true;
        c.demo_password = PASSWORD.into();
    })
    .await;
    let second = demo::seed(&app.state, PASSWORD).await.expect("seed again");
    assert_eq!(second, demo::SeedReport::default());

    let pool = app.state.db.pool();
    let users: i64 = sqlx::query_scalar("select cast(count(*) as bigint) from app_user")
        .fetch_one(pool)
        .await
        .expect("count");
    assert_eq!(users as usize, demo::DEMO_USERS.len());
    let contacts: i64 = sqlx::query_scalar("select cast(count(*) as bigint) from contact")
        .fetch_one(pool)
        .await
        .expect("count");
    assert_eq!(contacts as usize, demo::DEMO_CONTACTS);

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
