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
