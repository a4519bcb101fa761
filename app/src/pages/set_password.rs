//! `/clave/{token}`: the owner of a new account (or of a reset password) sets their
//! password through the one-time link an administrator handed them. No sign-in needed.

use crate::api::users::SetPassword;
use crate::components::error::ErrorNotice;
use crate::components::title::PageTitle;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let set = ServerAction::<SetPassword>::new();
    view! {
        <PageTitle text=|l| td_string!(l, password.title).to_owned() />
        <main class="login">
            <section class="card stack">
                <h1>{t!(i18n, password.title)}</h1>
                {move || match set.value().get() {
                    Some(Ok(())) => view! {
                        <p class="notice notice-ok" role="status" data-testid="password-set">{t!(i18n, password.done)}</p>
                        <a class="button" href="/login">{t!(i18n, password.sign_in)}</a>
                    }.into_any(),
                    other => view! {
                        <p class="muted">{t!(i18n, password.intro)}</p>
                        {other.and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
                        <ActionForm action=set attr:class="stack">
                            <input type="hidden" name="token" value=token />
                            <label><span>{t!(i18n, password.new_password)}</span>
                                <input type="password" name="password" required=true minlength="12" autocomplete="new-password" /></label>
                            <button type="submit" class="button" disabled=move || set.pending().get()>{t!(i18n, password.save)}</button>
                        </ActionForm>
                    }.into_any(),
                }}
            </section>
        </main>
    }
}
