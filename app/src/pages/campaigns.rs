//! "Campañas": Marketing's campaigns — proposed by Marketing staff, approved or rejected by a
//! Marketing supervisor or above (never the proposer). Marketing exports name one that is
//! approved and running.

use crate::api::approvals::{DecideCampaign, ProposeCampaign, campaigns};
use crate::components::async_view::AsyncView;
use crate::components::error::ErrorNotice;
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::types::approval::{CampaignStatus, CampaignView};
use leptos::prelude::*;

fn status_name(l: Locale, s: CampaignStatus) -> &'static str {
    match s {
        CampaignStatus::Proposed => td_string!(l, campaigns.state.proposed),
        CampaignStatus::Approved => td_string!(l, campaigns.state.approved),
        CampaignStatus::Rejected => td_string!(l, campaigns.state.rejected),
    }
}

#[component]
pub fn CampaignsPage() -> impl IntoView {
    let i18n = use_i18n();
    let propose = ServerAction::<ProposeCampaign>::new();
    let decide = ServerAction::<DecideCampaign>::new();
    let list = Resource::new(
        move || (propose.version().get(), decide.version().get()),
        |_| campaigns(),
    );
    view! {
        <PageTitle text=|l| td_string!(l, campaigns.title).to_owned() />
        <h1>{t!(i18n, campaigns.title)}</h1>
        <p class="muted">{t!(i18n, campaigns.intro)}</p>
        {move || decide.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
        <AsyncView resource=list transition=true let:list>
            {list.may_propose.then(|| view! { <ProposeForm propose /> })}
            <Table items=list.items decide />
        </AsyncView>
    }
}

#[component]
fn ProposeForm(propose: ServerAction<ProposeCampaign>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ActionForm action=propose attr:class="card stack" attr:data-testid="propose-campaign">
            <h2>{t!(i18n, campaigns.propose)}</h2>
            <label><span>{t!(i18n, campaigns.name)}</span><input name="name" required=true maxlength="80" /></label>
            <label><span>{t!(i18n, campaigns.purpose)}</span><textarea name="purpose" rows="2" required=true></textarea></label>
            <div class="row">
                <label><span>{t!(i18n, campaigns.starts_on)}</span><input type="date" name="starts_on" required=true /></label>
                <label><span>{t!(i18n, campaigns.ends_on)}</span><input type="date" name="ends_on" required=true /></label>
            </div>
            {move || match propose.value().get() {
                Some(Ok(_)) => Some(view! { <p class="notice notice-ok" role="status">{t!(i18n, campaigns.proposed)}</p> }.into_any()),
                Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
                None => None,
            }}
            <button type="submit" class="button" disabled=move || propose.pending().get()>{t!(i18n, campaigns.propose)}</button>
        </ActionForm>
    }
}

#[component]
fn Table(items: Vec<CampaignView>, decide: ServerAction<DecideCampaign>) -> impl IntoView {
    let i18n = use_i18n();
    if items.is_empty() {
        return view! { <p class="card muted">{t!(i18n, campaigns.none)}</p> }.into_any();
    }
    let rows = items
        .into_iter()
        .map(|c| {
            let status = c.status;
            let id = c.id;
            view! {
                <tr data-testid="campaign">
                    <td><strong>{c.name.clone()}</strong>
                        {c.active.then(|| view! { " " <span class="badge badge-approved">{t!(i18n, campaigns.active)}</span> })}
                    </td>
                    <td>{c.purpose.clone()}</td>
                    <td>{c.starts_on.clone()} " – " {c.ends_on.clone()}</td>
                    <td><span class=format!("badge badge-{}", status.code())>{move || status_name(i18n.get_locale(), status)}</span></td>
                    <td>{c.proposed_by.clone()}</td>
                    <td>{c.decided_by.clone().unwrap_or_default()}</td>
                    <td>{c.may_decide.then(|| view! {
                        <div class="actions">
                            <button type="button" class="button" data-testid="approve-campaign"
                                on:click=move |_| { decide.dispatch(DecideCampaign { id, decision: "approve".into(), comment: None }); }>
                                {t!(i18n, campaigns.approve)}</button>
                            <button type="button" class="button button-secondary"
                                on:click=move |_| { decide.dispatch(DecideCampaign { id, decision: "reject".into(), comment: None }); }>
                                {t!(i18n, campaigns.reject)}</button>
                        </div>
                    })}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap card">
            <table>
                <thead><tr>
                    <th>{t!(i18n, campaigns.name)}</th>
                    <th>{t!(i18n, campaigns.purpose)}</th>
                    <th>{t!(i18n, campaigns.starts_on)} " – " {t!(i18n, campaigns.ends_on)}</th>
                    <th>{t!(i18n, campaigns.status)}</th>
                    <th>{t!(i18n, campaigns.proposed_by)}</th>
                    <th>{t!(i18n, campaigns.decided_by)}</th>
                    <th></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
