//! The bell in the header: how many notifications the signed-in user has not read, linking
//! to the notifications page.

use crate::api::alerts::notifications;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn NotificationBell() -> impl IntoView {
    let i18n = use_i18n();
    let notes = Resource::new(|| (), |_| notifications());
    let unread = move || {
        notes
            .get()
            .and_then(Result::ok)
            .map_or(0, |n| n.iter().filter(|n| !n.read).count())
    };
    view! {
        <a
            class="bell"
            href="/notificaciones"
            data-testid="bell"
            aria-label=move || t_string!(i18n, notifications.unread, count = unread()).to_string()
        >
            <span aria-hidden="true">"🔔"</span>
            <Transition fallback=|| ()>
                {move || {
                    let n = unread();
                    (n > 0).then(|| view! { <span class="bell-count" data-testid="bell-count">{n}</span> })
                }}
            </Transition>
        </a>
    }
}
