use crate::helpers::spawn_app;

#[tokio::test]
async fn the_login_page_speaks_spanish_even_to_an_english_browser() {
    let app = spawn_app().await;
    let res = app
        .client()
        .get(app.url("/login"))
        .header("accept-language", "en-US,en;q=0.9")
        .send()
        .await
        .expect("page");
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("html");
    assert!(html.contains("Iniciar sesión"), "not Spanish");
    assert!(html.contains("lang=\"es-PE\""), "html lang not set");
}

#[tokio::test]
async fn the_language_cookie_switches_the_page_to_english() {
    let app = spawn_app().await;
    let html = app
        .client()
        .get(app.url("/login"))
        .header("cookie", "i18n_pref_locale=en")
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("Sign in") && !html.contains("Iniciar sesión"));
}

#[tokio::test]
async fn a_visitor_without_a_session_is_sent_to_sign_in() {
    let app = spawn_app().await;
    let res = app.get_page(&app.client(), "/").await;
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/login");
}

#[tokio::test]
async fn an_unknown_page_is_a_404_page() {
    let app = spawn_app().await;
    let res = app
        .client()
        .get(app.url("/esto/no/existe"))
        .send()
        .await
        .expect("page");
    assert_eq!(res.status(), 404);
    assert!(
        res.text()
            .await
            .expect("html")
            .contains("Página no encontrada")
    );
}

#[tokio::test]
async fn the_user_directory_is_403_for_employees_and_open_to_administrators() {
    let app = spawn_app().await;
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    app.create_user("admin", "direccion", "admin").await;
    let employee = app.client();
    app.login(&employee, "ventas.ejecutivo").await;
    let res = app.get_page(&employee, "/usuarios").await;
    assert_eq!(res.status(), 403);
    let html = res.text().await.expect("html");
    assert!(html.contains("Acceso denegado"));
    assert!(
        !html.contains("ventas.ejecutivo</code>"),
        "the directory leaked into the 403 page"
    );

    let admin = app.client();
    app.login(&admin, "admin").await;
    let res = app.get_page(&admin, "/usuarios").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("html");
    assert!(html.contains("<code>ventas.ejecutivo</code>"));
}

#[tokio::test]
async fn the_navigation_shows_each_role_only_what_it_may_use() {
    let app = spawn_app().await;
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    app.create_user("admin", "direccion", "admin").await;
    let employee = app.client();
    app.login(&employee, "ventas.ejecutivo").await;
    let html = app
        .get_page(&employee, "/")
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("Inicio"));
    assert!(!html.contains("href=\"/usuarios\""));
    let admin = app.client();
    app.login(&admin, "admin").await;
    let html = app.get_page(&admin, "/").await.text().await.expect("html");
    assert!(html.contains("href=\"/usuarios\""));
}

#[tokio::test]
async fn a_page_fetched_by_a_script_without_a_session_is_redirected_too() {
    let app = spawn_app().await;
    // What `curl http://127.0.0.1:3000/mi-uso` sends: no `Accept: text/html`.
    let res = app
        .client()
        .get(app.url("/mi-uso"))
        .send()
        .await
        .expect("page");
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/login");
}

#[tokio::test]
async fn the_language_a_user_chose_follows_them_to_a_new_browser() {
    let app = spawn_app().await;
    let id = app
        .create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let laptop = app.client();
    app.login(&laptop, "ventas.ejecutivo").await;
    let (status, _) = app
        .post_form(&laptop, "/api/set_language", &[("locale", "en")])
        .await;
    assert_eq!(status, 200);
    // Mail and background jobs write to this user in English from now on.
    let locale = app::server::service::access::language::of(&app.state, id)
        .await
        .expect("locale");
    assert_eq!(
        app::Notice::LinkUsed.render(locale),
        "This link was already used: each export downloads only once."
    );

    // A new browser (no language cookie) signs in and is switched to English.
    let phone = app.client();
    let res = app
        .post_login(&phone, "ventas.ejecutivo", crate::helpers::PASSWORD)
        .await;
    assert_eq!(res.status(), 200);
    let cookies: Vec<_> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(
        cookies.iter().any(|c| c.starts_with("i18n_pref_locale=en")),
        "{cookies:?}"
    );
    let html = app.get_page(&phone, "/").await.text().await.expect("html");
    assert!(html.contains("lang=\"en\""), "the page is not in English");
}

#[tokio::test]
async fn a_language_picked_before_signing_in_becomes_the_users_and_others_are_refused() {
    let app = spawn_app().await;
    let id = app
        .create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let browser = app.client();
    let res = browser
        .post(app.url("/api/login"))
        .header("cookie", "i18n_pref_locale=en")
        .form(&[
            ("username", "ventas.ejecutivo"),
            ("password", crate::helpers::PASSWORD),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), 200);
    let locale = app::server::service::access::language::of(&app.state, id)
        .await
        .expect("locale");
    assert_eq!(locale, app::i18n::Locale::en);

    let (status, body) = app
        .post_form(&browser, "/api/set_language", &[("locale", "klingon")])
        .await;
    assert_eq!(status, 422, "{body}");
    let still = app::server::service::access::language::of(&app.state, id)
        .await
        .expect("locale");
    assert_eq!(still, app::i18n::Locale::en);

    let stranger = app.client();
    let (status, _) = app
        .post_form(&stranger, "/api/set_language", &[("locale", "en")])
        .await;
    assert_eq!(status, 401);
}

/// Pages load whole under concurrent load on a multi-threaded server, as in production: a
/// resource read from two suspense boundaries, or page resources made inside another
/// boundary's async child, once hung a fifth of these requests (and, with both worker
/// threads caught in one deadlock, the whole server: 150 of 160 arrived).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_in_pages_load_completely_under_concurrent_requests() {
    let app = spawn_app().await;
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    let client = app.client();
    app.login(&client, "ventas.ejecutivo").await;
    let pages = ["/mi-uso", "/contactos", "/", "/notificaciones"];
    let load = |i: usize| {
        let client = client.clone();
        let url = app.url(pages[i % pages.len()]);
        async move {
            let res = client
                .get(url)
                .header("accept", "text/html")
                .timeout(std::time::Duration::from_secs(20))
                .send()
                .await?;
            let status = res.status();
            let html = res.text().await?;
            // The last thing a streamed page writes, once every boundary has resolved.
            Ok::<_, reqwest::Error>((status, html.contains("__INCOMPLETE_CHUNKS=[];")))
        }
    };
    let mut results = Vec::new();
    for round in 0..8 {
        results.extend(futures::future::join_all((0..20).map(|i| load(round * 20 + i))).await);
    }
    let failures: Vec<String> = results
        .iter()
        .filter(|r| !matches!(r, Ok((status, true)) if status.as_u16() == 200))
        .map(|r| match r {
            Ok((status, whole)) => format!("{status} whole={whole}"),
            Err(error) => format!("{error:?}"),
        })
        .collect();
    // Known problem (README, "Pages under load"): one load in a few hundred still stalls
    // now and then. The deadlock this test was written for lost ten of these loads and
    // then the whole server; allow three stalls, no more, and the server must still answer.
    assert!(failures.len() <= 3, "pages arrive whole: {failures:?}");
    let res = client
        .get(app.url("/mi-uso"))
        .header("accept", "text/html")
        .timeout(std::time::Duration::from_secs(20))
        .send()
        .await
        .expect("the server still answers");
    assert_eq!(res.status(), 200);
}
