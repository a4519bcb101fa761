//! The signed-in landing page: who you are in the organisation and your session.

use crate::components::labels;
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::types::SessionUser;
use crate::types::time::format_lima;
use leptos::prelude::*;

/// The landing page: the security dashboard for administrators, the profile for others.
#[component]
pub fn HomePage() -> impl IntoView {
    let user = expect_context::<SessionUser>();
    if user.is_admin() {
        return view! { <crate::pages::dashboard::DashboardPage /> }.into_any();
    }
    view! { <Profile user /> }.into_any()
}

#[component]
fn Profile(user: SessionUser) -> impl IntoView {
    let i18n = use_i18n();
    let first_name = user
        .full_name
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_owned();
    let (department, role) = (user.department, user.role);
    let supervisor = user.supervisor.clone();
    view! {
        <PageTitle text=|l| td_string!(l, home.title).to_owned() />
        <h1>{t!(i18n, home.welcome, name = first_name.clone())}</h1>
        <div class="grid-2">
            <section class="card">
                <h2>{t!(i18n, home.profile)}</h2>
                <dl class="facts">
                    <dt>{t!(i18n, home.department)}</dt>
                    <dd>{move || labels::department(i18n.get_locale(), department)}</dd>
                    <dt>{t!(i18n, home.role)}</dt>
                    <dd>{move || labels::role(i18n.get_locale(), role)}</dd>
                    <dt>{t!(i18n, home.supervisor)}</dt>
                    <dd>{move || supervisor.clone().unwrap_or_else(|| t_string!(i18n, home.no_supervisor).to_owned())}</dd>
                </dl>
            </section>
            <section class="card">
                <h2>{t!(i18n, home.session)}</h2>
                <dl class="facts">
                    <dt>{t!(i18n, home.session_started)}</dt>
                    <dd>{format_lima(user.session_started_at)}</dd>
                    <dt>{t!(i18n, home.session_ip)}</dt>
                    <dd>{user.session_ip.clone()}</dd>
                </dl>
                <p class="muted small">{t!(i18n, home.session_idle)}</p>
            </section>
        </div>
    }
}
