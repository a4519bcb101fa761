//! "Mi uso" → my approval requests: where each stands, who must approve it and who did,
//! the one-time download of an approved one, and "Retirar" for a pending one.

use crate::api::approvals::{CancelRequest, my_requests};
use crate::components::approval_route::RouteView;
use crate::components::async_view::AsyncView;
use crate::components::error::ErrorNotice;
use crate::i18n::*;
use crate::notice::approvals::state_name;
use crate::pages::approvals::decisions_view;
use crate::types::approval::{MyRequest, RequestState};
use crate::types::time::format_lima;
use leptos::prelude::*;

#[component]
pub fn MyRequestsSection() -> impl IntoView {
    let i18n = use_i18n();
    let cancel = ServerAction::<CancelRequest>::new();
    let requests = Resource::new(move || cancel.version().get(), |_| my_requests());
    view! {
        <section data-testid="my-requests">
            <h2>{t!(i18n, approvals.mine_title)}</h2>
            {move || cancel.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
            <AsyncView resource=requests quiet=true transition=true let:requests>
                {if requests.items.is_empty() {
                    view! { <p class="card muted">{t!(i18n, usage.no_requests)}</p> }.into_any()
                } else {
                    requests.items.into_iter().map(|r| view! { <RequestRow r cancel /> }).collect_view().into_any()
                }}
            </AsyncView>
        </section>
    }
}

#[component]
fn RequestRow(r: MyRequest, cancel: ServerAction<CancelRequest>) -> impl IntoView {
    let i18n = use_i18n();
    let (id, state, count) = (r.request_id, r.state, r.count);
    let (given, needed) = (r.approvals_given, r.approvals_needed);
    let created = r.created_at;
    let grant_until = r.grant_expires_at;
    let left_out = r.left_out.filter(|n| *n > 0);
    let action = match (state, r.download_url.clone(), r.receipt.clone()) {
        (RequestState::Approved, Some(url), _) => view! {
            <p>
                <a class="button" href=url download="" rel="external" data-testid="grant-download">{t!(i18n, approvals.download)}</a>
                " " {move || grant_until.map(|at| td_string!(i18n.get_locale(), approvals.download_until, at = format_lima(at)).to_string())}
            </p>
        }.into_any(),
        (RequestState::Approved, None, Some(receipt)) => view! {
            <p class="muted" data-testid="grant-used">{move || td_string!(i18n.get_locale(), approvals.downloaded, receipt = receipt.clone()).to_string()}
                {left_out.map(|n| view! { " " {move || td_string!(i18n.get_locale(), approvals.left_out, count = n).to_string()} })}</p>
        }.into_any(),
        (RequestState::Approved, None, None) => view! {
            <p class="muted">{t!(i18n, approvals.grant_lapsed)}</p>
        }.into_any(),
        (RequestState::Pending, _, _) => view! {
            <ActionForm action=cancel>
                <input type="hidden" name="request_id" value=id />
                <button type="submit" class="button button-secondary button-small" data-testid="withdraw">{t!(i18n, approvals.withdraw)}</button>
            </ActionForm>
        }.into_any(),
        _ => ().into_any(),
    };
    view! {
        <article class="card approval" data-testid="my-request" data-request=id data-state=state.code()>
            <h3>
                {move || td_string!(i18n.get_locale(), approvals.request, id = id).to_string()}
                " " <span class=format!("badge badge-{}", state.code())>{move || state_name(i18n.get_locale(), state)}</span>
            </h3>
            <p>
                {format_lima(created)} " · " {move || td_string!(i18n.get_locale(), usage.count).to_string()} ": " {count}
                " · " {move || td_string!(i18n.get_locale(), approvals.progress, given = given, needed = needed).to_string()}
            </p>
            <p class="reason">{r.reason.clone()}</p>
            <RouteView route=r.route.clone() />
            {decisions_view(r.decisions.clone())}
            {action}
        </article>
    }
}
