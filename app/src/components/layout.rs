//! The frame of every signed-in page: header with navigation, the user and sign-out.
//! Visitors without a session are sent to the sign-in page (a 302 on the server).

use super::bell::NotificationBell;
use super::error::ErrorNotice;
use super::labels;
use super::lang::LanguageSwitch;
use super::nav::MainNav;
use crate::api::auth::{Logout, me};
use crate::error::AppError;
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

#[component]
pub fn SignedInLayout() -> impl IntoView {
    let user = Resource::new_blocking(|| (), |_| me());
    view! {
        <Suspense fallback=|| view! { <div class="loading" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(user)) => {
                        provide_context(user.clone());
                        view! {
                            <Header user=user />
                            <main class="page"><Outlet /></main>
                        }
                            .into_any()
                    }
                    Ok(None) | Err(AppError::Unauthorized) => {
                        view! { <Redirect path="/login" /> }.into_any()
                    }
                    Err(error) => view! { <main class="page"><ErrorNotice error /></main> }.into_any(),
                }
            })}
        </Suspense>
    }
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
