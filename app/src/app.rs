//! The HTML shell and the one route table.

use crate::components::layout::SignedInLayout;
use crate::i18n::*;
use crate::pages::{
    alert::AlertPage,
    alerts::AlertsPage,
    approvals::ApprovalsPage,
    audit::AuditLogPage,
    audit_event::AuditEventPage,
    campaigns::CampaignsPage,
    contacts::ContactsPage,
    dashboard::DashboardPage,
    export::ExportPage,
    home::HomePage,
    login::LoginPage,
    not_found::NotFound,
    notifications::NotificationsPage,
    policies::PoliciesPage,
    reports::ReportsPage,
    rules::RulesPage,
    set_password::SetPasswordPage,
    training::{
        TrainingPage,
        certificate::{MyCertificatePage, PublicCertificatePage},
        quiz::{AgreementPage, QuizPage},
        status::TrainingStatusPage,
    },
    usage::UsagePage,
    user::UserPage,
    users::UsersPage,
};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// Where the stylesheet is (content-hashed in a built site).
fn stylesheet_href() -> String {
    #[cfg(feature = "ssr")]
    {
        crate::server::assets::stylesheet_href()
    }
    #[cfg(not(feature = "ssr"))]
    {
        "/pkg/centinela.css".into()
    }
}

/// The document around the app (server-rendered once per page load).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <link rel="stylesheet" href=stylesheet_href() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Effects run only in the browser, once the page is interactive: tests wait for this.
    Effect::new(|| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <I18nContextProvider
            cookie_name=crate::locale::LOCALE_COOKIE
            cookie_options=crate::components::lang::cookie_options()
            ssr_lang_header_getter=crate::components::lang::ignore_accept_language()
        >
            <Title formatter=|page: String| {
                if page.is_empty() { "Centinela".to_owned() } else { format!("{page} · Centinela") }
            } />
            <Router>
                <AppRoutes />
            </Router>
        </I18nContextProvider>
    }
}

/// The one route table.
#[component]
fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=NotFound>
            <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
            <Route path=path!("/certificates/:code") view=PublicCertificatePage ssr=SsrMode::Async />
            <Route path=path!("/clave/:token") view=SetPasswordPage ssr=SsrMode::Async />
            <ParentRoute path=path!("") view=SignedInLayout ssr=SsrMode::Async>
                <Route path=path!("") view=HomePage />
                <Route path=path!("panel") view=DashboardPage />
                <Route path=path!("mi-uso") view=UsagePage />
                <Route path=path!("notificaciones") view=NotificationsPage />
                <Route path=path!("reglas") view=RulesPage />
                <Route path=path!("politicas") view=PoliciesPage />
                <Route path=path!("reportes") view=ReportsPage />
                <Route path=path!("alertas") view=AlertsPage />
                <Route path=path!("alertas/:id") view=AlertPage />
                <Route path=path!("contactos") view=ContactsPage />
                <Route path=path!("exportar") view=ExportPage />
                <Route path=path!("aprobaciones") view=ApprovalsPage />
                <Route path=path!("campanas") view=CampaignsPage />
                <Route path=path!("usuarios") view=UsersPage />
                <Route path=path!("usuarios/:username") view=UserPage />
                <Route path=path!("auditoria") view=AuditLogPage />
                <Route path=path!("auditoria/:seq") view=AuditEventPage />
                <Route path=path!("capacitacion") view=TrainingPage />
                <Route path=path!("capacitacion/acuerdo") view=AgreementPage />
                <Route path=path!("capacitacion/evaluacion") view=QuizPage />
                <Route path=path!("capacitacion/certificado") view=MyCertificatePage />
                <Route path=path!("capacitacion/estado") view=TrainingStatusPage />
            </ParentRoute>
        </Routes>
    }
}

/// The routes alone, for the server to learn its paths. (Rendering the whole `App` for
/// that would start the language provider's effects in a scope that is thrown away.)
#[component]
pub fn RouteTable() -> impl IntoView {
    view! {
        <Router>
            <AppRoutes />
        </Router>
    }
}
