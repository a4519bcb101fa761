//! "Notificaciones": what Centinela told the signed-in user (alerts about their team, their
//! account, or — for administrators — security), unread first, each markable as read.

use crate::api::alerts::{MarkNotificationRead, notifications};
use crate::components::async_view::AsyncView;
use crate::components::error::ErrorNotice;
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::types::alert::NotificationItem;
use crate::types::time::format_lima;
use leptos::prelude::*;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let mark = ServerAction::<MarkNotificationRead>::new();
    let notes = Resource::new(move || mark.version().get(), |_| notifications());
    view! {
        <PageTitle text=|l| td_string!(l, notifications.title).to_owned() />
        <h1>{t!(i18n, notifications.title)}</h1>
        {move || mark.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
        <AsyncView resource=notes transition=true let:notes>
            <Notes notes mark />
        </AsyncView>
    }
}

#[component]
fn Notes(notes: Vec<NotificationItem>, mark: ServerAction<MarkNotificationRead>) -> impl IntoView {
    let i18n = use_i18n();
    let admin = expect_context::<crate::types::SessionUser>().is_admin();
    if notes.is_empty() {
        return view! { <p class="card muted">{t!(i18n, notifications.empty)}</p> }.into_any();
    }
    let items = notes
        .into_iter()
        .map(|n| {
            let severity = n.severity.map(|s| s.code().to_lowercase()).unwrap_or_default();
            view! {
                <li class="card notification" class:unread=!n.read data-testid="notification">
                    <span class=format!("badge badge-{severity}")>
                        {n.severity.map(|s| s.code()).unwrap_or_default()}
                    </span>
                    " "
                    <strong>{move || n.kind.map(|k| k.name(i18n.get_locale())).unwrap_or_default()}</strong>
                    <p>{n.text.clone()}</p>
                    <p class="muted small">{format_lima(n.created_at)}
                        {n.alert_id.filter(|_| admin).map(|id| view! {
                            " · " <a href=format!("/alertas/{id}")>{t!(i18n, notifications.open_alert)}</a>
                        })}
                    </p>
                    {(!n.read).then(|| view! {
                        <ActionForm action=mark>
                            <input type="hidden" name="id" value=n.id />
                            <button type="submit" class="button-quiet">{t!(i18n, notifications.mark_read)}</button>
                        </ActionForm>
                    })}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="notifications">{items}</ul> }.into_any()
}
