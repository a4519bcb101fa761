//! The monthly report mailed to the security administrators: due from the first day of
//! the next month (Lima), whatever month the tests run in, once however many runs or instances, a PDF in each reader's
//! language attached, received over real SMTP and read back.

use crate::helpers::spawn_app_with;
use crate::reports::pdf_text;
use app::server::jobs::{Runner, mail::MailSender, reports::MonthlyReportMail};
use app::server::service::reports::{delivery, monthly};
use std::time::Duration;

#[tokio::test]
async fn the_months_report_is_mailed_once_on_the_first_with_its_pdf_in_each_language() {
    let smtp = crate::smtp::SmtpReceiver::start().await;
    let url = smtp.url();
    let app = spawn_app_with(move |config| {
        config.smtp_url = Some(secrecy::SecretString::from(url));
        config.mail_from = Some("Centinela <centinela@example.pe>".into());
    })
    .await;
    for (name, email, locale) in [
        ("seg.uno", "uno@example.pe", "es-PE"),
        ("seg.dos", "two@example.pe", "en"),
    ] {
        app.create_user(name, "direccion", "admin").await;
        sqlx::query("update app_user set email = $1, locale = $2 where username = $3")
            .bind(email)
            .bind(locale)
            .bind(name)
            .execute(app.state.db.pool())
            .await
            .expect("admin");
    }
    // A blocked administrator and one without an address get nothing.
    let blocked = app.create_user("seg.bloqueado", "direccion", "admin").await;
    sqlx::query("update app_user set email = 'tres@example.pe', status = 'blocked' where id = $1")
        .bind(blocked)
        .execute(app.state.db.pool())
        .await
        .expect("blocked");
    let intern = app.create_user("v.practicante", "ventas", "intern").await;
    // This month (whatever today is): two exports, and the log's first event (a refused
    // sign-in).
    let now = app.clock.now_ms();
    let month = app::types::time::format_lima_date(now)[..7].to_owned();
    let (_, next_month) = monthly::bounds(&month).expect("month");
    crate::reports::export(&app, intern, 432, now).await;
    crate::reports::export(&app, intern, 111, now + 1).await;
    let res = app
        .post_login(&app.client(), "v.practicante", "not the password")
        .await;
    assert_eq!(res.status(), 401);

    // The month's last minute: only the previous month is due, and it ended before the log
    // began (a new installation reports nothing).
    app.clock.advance_to(next_month - 60_000);
    assert_eq!(delivery::deliver_due(&app.state).await.expect("run"), None);
    // From the next month's first minute (Lima), this month is due: two instances at once.
    app.clock.advance_to(next_month + 30_000);
    let a = Runner::with_instance(app.state.clone(), "instance-a".into());
    let b = Runner::with_instance(app.state.clone(), "instance-b".into());
    let (ran_a, ran_b) = tokio::join!(a.tick(&MonthlyReportMail), b.tick(&MonthlyReportMail));
    assert!(ran_a.expect("a") || ran_b.expect("b"));
    app.clock.advance(Duration::from_secs(20 * 60));
    a.tick(&MonthlyReportMail).await.expect("again");
    assert_eq!(delivery::deliver_due(&app.state).await.expect("run"), None);
    assert_eq!(
        app.scalar("select cast(count(*) as bigint) from report_delivery")
            .await,
        1
    );
    let generated = app.audit("report_generated").await;
    assert_eq!(generated.len(), 1, "one audit event");
    assert_eq!(
        generated[0].target_id.as_deref(),
        Some(format!("monthly:{month}").as_str())
    );
    assert_eq!(generated[0].actor_username.as_deref(), Some("system"));

    Runner::new(app.state.clone())
        .tick(&MailSender)
        .await
        .expect("send");
    let received = smtp.wait_for(2, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let received = smtp.messages().into_iter().chain(received).fold(
        Vec::new(),
        |mut all: Vec<crate::smtp::Received>, m| {
            if !all.iter().any(|o| o.data == m.data) {
                all.push(m);
            }
            all
        },
    );
    assert_eq!(received.len(), 2, "{received:?}");
    for (address, subject, title, figure) in [
        (
            "uno@example.pe",
            format!("[Centinela] Reporte mensual de auditoría {month}"),
            format!("Reporte mensual de auditoría — {month}"),
            "Personal junior sobre 500 contactos en el mes",
        ),
        (
            "two@example.pe",
            format!("[Centinela] Monthly audit report {month}"),
            format!("Monthly audit report — {month}"),
            "Junior staff over 500 contacts in the month",
        ),
    ] {
        let mail = received
            .iter()
            .find(|m| m.to.iter().any(|t| t.contains(address)))
            .unwrap_or_else(|| panic!("no mail to {address}"));
        assert_eq!(mail.subject(), subject);
        assert!(
            mail.data
                .contains(&format!("centinela-reporte-{month}.pdf"))
        );
        let pdf = mail.attachment("application/pdf").expect("a PDF attached");
        let text = pdf_text(&pdf);
        for expected in [title.as_str(), figure, "v.practicante", "543", "432"] {
            assert!(text.contains(expected), "{expected:?} in:\n{text}");
        }
    }
}
