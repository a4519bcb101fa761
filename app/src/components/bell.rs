//! The bell in the header: how many notifications the signed-in user has not read, linking
//! to the notifications page.
//!
//! The resource is awaited inside one `Suspend` and read nowhere else: a resource read with
//! `.get()` in the child closures of a suspense boundary subscribes that boundary's effect
//! to it, and under a multi-threaded server two such subscriptions can take reactive locks
//! in opposite orders and hang both worker threads (seen with the bell read both in the
//! link's label and in its count).

use crate::api::alerts::notifications;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn NotificationBell() -> impl IntoView {
    let i18n = use_i18n();
    // Reloads when an alert is raised or changes (administrators' live stream).
    let changes = crate::components::live::use_alert_changes();
    let notes = Resource::new(move || changes.get(), |_| notifications());
    let bell = move |unread: usize| {
        view! {
            <a
                class="bell"
                href="/notificaciones"
                data-testid="bell"
                aria-label=move || crate::plural!(i18n.get_locale(), unread, notifications.unread_1 | notifications.unread_n, count = unread)
            >
                <span aria-hidden="true">"🔔"</span>
                {(unread > 0).then(|| view! { <span class="bell-count" data-testid="bell-count">{unread}</span> })}
            </a>
        }
    };
    view! {
        <Transition fallback=move || bell(0)>
            {move || Suspend::new(async move {
                let unread = notes.await.map_or(0, |n| n.iter().filter(|n| !n.read).count());
                bell(unread)
            })}
        </Transition>
    }
}
