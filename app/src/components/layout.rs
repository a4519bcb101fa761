//! The frame of every signed-in page: header with navigation, the user and sign-out.
//! Visitors without a session are sent to the sign-in page (a 302 on the server).

use super::bell::NotificationBell;
use super::labels;
use super::lang::LanguageSwitch;
use super::nav::MainNav;
use crate::api::auth::Logout;
use crate::i18n::*;
use crate::types::SessionUser;
use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect};

/// Full page load to `path`: after signing in or out nothing of the old state survives.
pub fn reload_to(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().set_href(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// The signed-in frame. Who is signed in is known before anything renders: the server's
/// session check puts the user in the request (`context::page_user`), and the same value
/// travels to the browser inside the page for hydration. No resource wraps the pages, so
/// each page's own resources are created once, at its top level, never inside another
/// boundary's async child (where the server re-runs and disposes them while it renders).
#[component]
pub fn SignedInLayout() -> impl IntoView {
    let user = SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        {
            crate::server::context::page_user()
        }
        #[cfg(not(feature = "ssr"))]
        {
            None::<SessionUser>
        }
    })
    .into_inner();
    match user {
        Some(user) => {
            provide_context(user.clone());
            super::live::provide_alert_changes(user.is_admin());
            view! {
                <Header user=user />
                <main class="page"><Outlet /></main>
            }
            .into_any()
        }
        // Signed out (the server answers 302), or a browser that came here from a page
        // outside this frame: a full load lets the server decide.
        None if cfg!(feature = "ssr") => view! { <Redirect path="/login" /> }.into_any(),
        None => {
            if let Some(path) = current_path() {
                reload_to(&path);
            }
            ().into_any()
        }
    }
}

/// Where the browser is (path and query).
fn current_path() -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        let location = window().location();
        Some(format!(
            "{}{}",
            location.pathname().ok()?,
            location.search().ok()?
        ))
    }
    #[cfg(not(feature = "hydrate"))]
    None
}

#[component]
fn Header(user: SessionUser) -> impl IntoView {
    let i18n = use_i18n();
    let logout = ServerAction::<Logout>::new();
    Effect::new(move |_| {
        if logout.value().get().is_some() {
            reload_to("/login");
        }
    });
    let (department, role) = (user.department, user.role);
    let who = move || {
        let locale = i18n.get_locale();
        format!(
            "{} · {}",
            labels::department(locale, department),
            labels::role(locale, role)
        )
    };
    view! {
        <header class="topbar">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"◆"</span>
                "Centinela"
            </a>
            <MainNav user=user.clone() />
            <div class="topbar-end">
                <div class="whoami">
                    <span class="whoami-name" data-testid="whoami">{user.username.clone()}</span>
                    <span class="whoami-role">{who}</span>
                </div>
                <NotificationBell />
                <LanguageSwitch />
                <ActionForm action=logout attr:class="logout-form">
                    <button type="submit" class="button-quiet">{t!(i18n, nav.sign_out)}</button>
                </ActionForm>
            </div>
        </header>
    }
}
