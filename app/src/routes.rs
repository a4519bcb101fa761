//! The one route table. Every page is a lazy route: in the browser its code is a separate
//! WebAssembly file (`scripts/site.sh` splits the build), fetched when the page is first
//! shown (and preloaded by the server for the page a visit starts on), so a visit downloads
//! the shell and the pages it uses, not every page of the app.

use crate::components::layout::SignedInLayout;
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
    not_found::{NotFound, PageUnavailable},
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
use leptos::wasm_split::{SplitLoaderError, wasm_split};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute, SsrMode, path};

/// The parts of the front end fetched on demand. The shell (layout, navigation, the
/// landing page and the security dashboard) is in the main file; each area's pages are
/// fetched the first time one of them is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    /// Sign-in, public certificates, setting a password.
    Public,
    /// Every signed-in user's pages: usage, contacts, export, notifications, training.
    Employee,
    /// The administrators' pages.
    Admin,
}

/// First path segments of the administrators' pages.
const ADMIN_SEGMENTS: [&str; 8] = [
    "reglas",
    "politicas",
    "reportes",
    "alertas",
    "aprobaciones",
    "campanas",
    "usuarios",
    "auditoria",
];
/// First path segments of the public pages.
const PUBLIC_SEGMENTS: [&str; 3] = ["login", "certificates", "clave"];
/// First path segments of every signed-in user's pages.
const EMPLOYEE_SEGMENTS: [&str; 5] = [
    "mi-uso",
    "notificaciones",
    "contactos",
    "exportar",
    "capacitacion",
];

impl Area {
    /// The area whose code the page at `path` needs, if any: the browser fetches it before
    /// hydrating. The shell's own pages (the landing page, the dashboard, "not found") need
    /// none.
    pub fn of_path(path: &str) -> Option<Area> {
        let first = path
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or_default();
        if ADMIN_SEGMENTS.contains(&first) {
            Some(Area::Admin)
        } else if PUBLIC_SEGMENTS.contains(&first) {
            Some(Area::Public)
        } else if EMPLOYEE_SEGMENTS.contains(&first) {
            Some(Area::Employee)
        } else {
            None
        }
    }

    /// Fetches the area's code (once; later calls return at once). A failed fetch is not
    /// remembered: the next call tries again.
    pub async fn preload(self) -> Result<(), SplitLoaderError> {
        match self {
            Area::Public => preload_public_page().await,
            Area::Employee => preload_employee_page().await,
            Area::Admin => preload_admin_page().await,
        }
    }
}

/// The pages fetched on demand, each in its area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Page {
    Login,
    PublicCertificate,
    SetPassword,
    Usage,
    Notifications,
    Contacts,
    Export,
    Training,
    Agreement,
    Quiz,
    MyCertificate,
    TrainingStatus,
    Rules,
    Policies,
    Reports,
    Alerts,
    Alert,
    Approvals,
    Campaigns,
    Users,
    User,
    AuditLog,
    AuditEvent,
}

impl Page {
    /// Every page, in declaration order (`Page::X as usize` indexes it).
    const ALL: [Page; 23] = [
        Page::Login,
        Page::PublicCertificate,
        Page::SetPassword,
        Page::Usage,
        Page::Notifications,
        Page::Contacts,
        Page::Export,
        Page::Training,
        Page::Agreement,
        Page::Quiz,
        Page::MyCertificate,
        Page::TrainingStatus,
        Page::Rules,
        Page::Policies,
        Page::Reports,
        Page::Alerts,
        Page::Alert,
        Page::Approvals,
        Page::Campaigns,
        Page::Users,
        Page::User,
        Page::AuditLog,
        Page::AuditEvent,
    ];

    pub fn area(self) -> Area {
        use Page::*;
        match self {
            Login | PublicCertificate | SetPassword => Area::Public,
            Usage | Notifications | Contacts | Export | Training | Agreement | Quiz
            | MyCertificate | TrainingStatus => Area::Employee,
            Rules | Policies | Reports | Alerts | Alert | Approvals | Campaigns | Users | User
            | AuditLog | AuditEvent => Area::Admin,
        }
    }

    async fn view(self) -> Result<AnyView, SplitLoaderError> {
        match self.area() {
            Area::Public => public_page(self).await,
            Area::Employee => employee_page(self).await,
            Area::Admin => admin_page(self).await,
        }
    }
}

/// One area's pages, in a WebAssembly part of its own that `preload` fetches. This is what
/// `#[leptos::lazy]` does, with `wasm_split`'s `fallible` option: a part that cannot be
/// fetched (the network dropped, the build was replaced) is an `Err` the route shows as a
/// message, where the `lazy` macro would abort the whole module and leave the tab dead.
/// The server notes the part a page used, to ask the browser to preload it.
macro_rules! area_part {
    ($name:ident, $preload:ident, |$page:ident| $body:expr) => {
        #[wasm_split($name, wasm_split_path = ::leptos::wasm_split, preload($preload), fallible)]
        fn $name($page: Page) -> Result<AnyView, SplitLoaderError> {
            #[cfg(feature = "ssr")]
            leptos::prefetch_lazy_fn_on_server(stringify!($name));
            Ok($body)
        }
    };
}

area_part!(public_page, preload_public_page, |page| match page {
    Page::Login => view! { <LoginPage /> }.into_any(),
    Page::PublicCertificate => view! { <PublicCertificatePage /> }.into_any(),
    Page::SetPassword => view! { <SetPasswordPage /> }.into_any(),
    _ => view! { <NotFound /> }.into_any(),
});

area_part!(employee_page, preload_employee_page, |page| match page {
    Page::Usage => view! { <UsagePage /> }.into_any(),
    Page::Notifications => view! { <NotificationsPage /> }.into_any(),
    Page::Contacts => view! { <ContactsPage /> }.into_any(),
    Page::Export => view! { <ExportPage /> }.into_any(),
    Page::Training => view! { <TrainingPage /> }.into_any(),
    Page::Agreement => view! { <AgreementPage /> }.into_any(),
    Page::Quiz => view! { <QuizPage /> }.into_any(),
    Page::MyCertificate => view! { <MyCertificatePage /> }.into_any(),
    Page::TrainingStatus => view! { <TrainingStatusPage /> }.into_any(),
    _ => view! { <NotFound /> }.into_any(),
});

area_part!(admin_page, preload_admin_page, |page| match page {
    Page::Rules => view! { <RulesPage /> }.into_any(),
    Page::Policies => view! { <PoliciesPage /> }.into_any(),
    Page::Reports => view! { <ReportsPage /> }.into_any(),
    Page::Alerts => view! { <AlertsPage /> }.into_any(),
    Page::Alert => view! { <AlertPage /> }.into_any(),
    Page::Approvals => view! { <ApprovalsPage /> }.into_any(),
    Page::Campaigns => view! { <CampaignsPage /> }.into_any(),
    Page::Users => view! { <UsersPage /> }.into_any(),
    Page::User => view! { <UserPage /> }.into_any(),
    Page::AuditLog => view! { <AuditLogPage /> }.into_any(),
    Page::AuditEvent => view! { <AuditEventPage /> }.into_any(),
    _ => view! { <NotFound /> }.into_any(),
});

/// The lazy route of a page: `page!(Usage)`.
macro_rules! page {
    ($page:ident) => {
        Lazy::<On<{ Page::$page as u8 }>>::new()
    };
}

/// The route of page `P` (a `Page` as `u8`): shown through its area.
pub struct On<const P: u8>;

impl<const P: u8> On<P> {
    const PAGE: Page = Page::ALL[P as usize];
}

impl<const P: u8> LazyRoute for On<P> {
    fn data() -> Self {
        On
    }

    async fn view(_this: Self) -> AnyView {
        match Self::PAGE.view().await {
            Ok(view) => view,
            Err(_) => view! { <PageUnavailable /> }.into_any(),
        }
    }

    async fn preload() {
        // Hovering a link fetches ahead; a failure here is retried when the page is shown.
        let _ = Self::PAGE.area().preload().await;
    }
}

/// The one route table.
#[component]
pub fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=NotFound>
            <Route path=path!("/login") view={page!(Login)} ssr=SsrMode::Async />
            <Route
                path=path!("/certificates/:code")
                view={page!(PublicCertificate)}
                ssr=SsrMode::Async
            />
            <Route path=path!("/clave/:token") view={page!(SetPassword)} ssr=SsrMode::Async />
            <ParentRoute path=path!("") view=SignedInLayout ssr=SsrMode::Async>
                <Route path=path!("") view=HomePage />
                <Route path=path!("panel") view=DashboardPage />
                <Route path=path!("mi-uso") view={page!(Usage)} />
                <Route path=path!("notificaciones") view={page!(Notifications)} />
                <Route path=path!("reglas") view={page!(Rules)} />
                <Route path=path!("politicas") view={page!(Policies)} />
                <Route path=path!("reportes") view={page!(Reports)} />
                <Route path=path!("alertas") view={page!(Alerts)} />
                <Route path=path!("alertas/:id") view={page!(Alert)} />
                <Route path=path!("contactos") view={page!(Contacts)} />
                <Route path=path!("exportar") view={page!(Export)} />
                <Route path=path!("aprobaciones") view={page!(Approvals)} />
                <Route path=path!("campanas") view={page!(Campaigns)} />
                <Route path=path!("usuarios") view={page!(Users)} />
                <Route path=path!("usuarios/:username") view={page!(User)} />
                <Route path=path!("auditoria") view={page!(AuditLog)} />
                <Route path=path!("auditoria/:seq") view={page!(AuditEvent)} />
                <Route path=path!("capacitacion") view={page!(Training)} />
                <Route path=path!("capacitacion/acuerdo") view={page!(Agreement)} />
                <Route path=path!("capacitacion/evaluacion") view={page!(Quiz)} />
                <Route path=path!("capacitacion/certificado") view={page!(MyCertificate)} />
                <Route path=path!("capacitacion/estado") view={page!(TrainingStatus)} />
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_is_in_the_table_of_pages_at_its_own_index() {
        for (i, page) in Page::ALL.iter().enumerate() {
            assert_eq!(*page as usize, i, "{page:?}");
        }
    }

    /// The browser fetches a starting page's area by its path: each page's path must lead
    /// to the area its code is in.
    #[test]
    fn each_path_leads_to_the_area_of_its_page() {
        let pages = [
            ("/login", Page::Login),
            ("/certificates/ABC", Page::PublicCertificate),
            ("/clave/token", Page::SetPassword),
            ("/mi-uso", Page::Usage),
            ("/notificaciones", Page::Notifications),
            ("/contactos", Page::Contacts),
            ("/exportar", Page::Export),
            ("/capacitacion", Page::Training),
            ("/capacitacion/acuerdo", Page::Agreement),
            ("/capacitacion/evaluacion", Page::Quiz),
            ("/capacitacion/certificado", Page::MyCertificate),
            ("/capacitacion/estado", Page::TrainingStatus),
            ("/reglas", Page::Rules),
            ("/politicas", Page::Policies),
            ("/reportes", Page::Reports),
            ("/alertas", Page::Alerts),
            ("/alertas/7", Page::Alert),
            ("/aprobaciones", Page::Approvals),
            ("/campanas", Page::Campaigns),
            ("/usuarios", Page::Users),
            ("/usuarios/ana", Page::User),
            ("/auditoria", Page::AuditLog),
            ("/auditoria/12", Page::AuditEvent),
        ];
        assert_eq!(pages.len(), Page::ALL.len());
        for (path, page) in pages {
            assert_eq!(Area::of_path(path), Some(page.area()), "{path}");
        }
        // The shell draws these itself, a 404 included: nothing to fetch first.
        for shell in ["/", "/panel", "/no-such-page", "/panelx/1"] {
            assert_eq!(Area::of_path(shell), None, "{shell}");
        }
    }
}
