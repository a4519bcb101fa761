//! Sign-in.

use crate::api::auth::Login;
use crate::components::error::ErrorNotice;
use crate::components::lang::LanguageSwitch;
use crate::components::layout::reload_to;
use crate::components::title::PageTitle;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let login = ServerAction::<Login>::new();
    let pending = login.pending();
    Effect::new(move |_| {
        if let Some(Ok(_)) = login.value().get() {
            reload_to("/");
        }
    });
    let failure = move || login.value().get().and_then(Result::err);
    view! {
        <PageTitle text=|l| td_string!(l, login.title).to_owned() />
        <main class="login">
            <section class="card login-card">
                <div class="login-head">
                    <span class="brand-mark" aria-hidden="true">"◆"</span>
                    <h1>{t!(i18n, app_name)}</h1>
                    <p class="muted">{t!(i18n, tagline)}</p>
                </div>
                <h2>{t!(i18n, login.title)}</h2>
                <ActionForm action=login attr:class="form">
                    <label>
                        <span>{t!(i18n, login.username)}</span>
                        <input name="username" autocomplete="username" required autofocus />
                    </label>
                    <label>
                        <span>{t!(i18n, login.password)}</span>
                        <input type="password" name="password" autocomplete="current-password" required />
                    </label>
                    {move || failure().map(|error| view! { <ErrorNotice error /> })}
                    <button type="submit" class="button" disabled=pending>
                        {move || if pending.get() {
                            t_string!(i18n, login.submitting)
                        } else {
                            t_string!(i18n, login.submit)
                        }}
                    </button>
                </ActionForm>
                <p class="muted small">{t!(i18n, login.hint)}</p>
                <LanguageSwitch />
            </section>
        </main>
    }
}
