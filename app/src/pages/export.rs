//! "Exportar": pick contacts (a filter or a selection), fields, format, and a justification;
//! the server decides. Allowed exports come with a one-time download link.

use crate::api::contacts::search_contacts;
use crate::api::export::{get_export_options, request_export};
use crate::api::usage::get_my_quota;
use crate::components::approval_route::RouteView;
use crate::components::async_view::AsyncView;
use crate::components::error::ErrorNotice;
use crate::components::filter_form::{FilterForm, filter_from_query};
use crate::components::labels;
use crate::components::live::use_live;
use crate::components::quota::QuotaBars;
use crate::components::title::PageTitle;
use crate::error::AppError;
use crate::i18n::*;
use crate::types::export::ExportOptions;
use crate::types::time::format_lima;
use crate::types::{ContactPage, ExportOutcome, ExportRequest, Field, Selection};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use std::collections::BTreeSet;

/// `?ids=1,2,3` from the contacts page, if present.
fn selected_ids(raw: Option<String>) -> Option<Vec<i64>> {
    let ids: Vec<i64> = raw?
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    (!ids.is_empty()).then_some(ids)
}

/// The first page of the contacts a filter matches (`None` when exporting a selection).
type Preview = Resource<Result<Option<ContactPage>, AppError>>;

#[component]
pub fn ExportPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    // Both resources live at the top of the page so that hydration finds them in order.
    let options = Resource::new(|| (), |_| get_export_options());
    let preview: Preview = Resource::new(
        move || {
            let q = query.get();
            selected_ids(q.get("ids"))
                .is_none()
                .then(|| filter_from_query(&q))
        },
        |filter| async move {
            match filter {
                Some(f) => search_contacts(f, 1).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <PageTitle text=|l| td_string!(l, export.title).to_owned() />
        <h1>{t!(i18n, export.title)}</h1>
        <p class="muted">{t!(i18n, export.intro)}</p>
        <AsyncView resource=options let:options>
            <ExportForm options preview />
        </AsyncView>
    }
}

#[component]
fn WhichContacts(preview: Preview) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let which = move |preview: Option<ContactPage>| {
        let q = query.get_untracked();
        match preview {
            Some(page) => {
                let limit = filter_from_query(&q).limit.unwrap_or(10);
                view! {
                    <p class="muted small">{t!(i18n, export.by_filter)}</p>
                    <FilterForm action="/exportar" cities=page.cities destinations=page.destinations show_limit=true />
                    <p class="selection-summary" data-testid="export-matching">
                        {move || td_string!(i18n.get_locale(), export.matching, total = page.total, limit = limit).to_string()}
                    </p>
                }.into_any()
            }
            None => {
                let count = selected_ids(q.get("ids")).map_or(0, |ids| ids.len());
                view! {
                    <p class="selection-summary" data-testid="export-selection">
                        {move || td_string!(i18n.get_locale(), export.by_selection, count = count).to_string()}
                    </p>
                }.into_any()
            }
        }
    };
    view! {
        <AsyncView resource=preview transition=true quiet=true let:preview>
            {which(preview)}
        </AsyncView>
    }
}

#[component]
fn ExportForm(options: ExportOptions, preview: Preview) -> impl IntoView {
    let i18n = use_i18n();
    if !options.certified {
        // Said before anything is filled in; the server refuses with `not_certified` anyway.
        return view! {
            <section class="card notice-warn" data-testid="export-not-certified">
                <p><strong>{t!(i18n, training.not_certified)}</strong></p>
                <p>{t!(i18n, training.not_certified_body)}</p>
                <a class="button" href="/capacitacion">{t!(i18n, training.go)}</a>
            </section>
        }
        .into_any();
    }
    let query = use_query_map();
    let default_fields: BTreeSet<Field> = options
        .exportable
        .iter()
        .copied()
        .filter(|f| *f == Field::FullName)
        .collect();
    let fields = RwSignal::new(default_fields);
    let format = RwSignal::new("csv".to_owned());
    let justification = RwSignal::new(String::new());
    let campaign = RwSignal::new(String::new());
    let quota = RwSignal::new(options.quota.clone());
    let needs_campaign = options.required_purpose.as_deref() == Some("campaign");
    let needs_manifest = options.required_purpose.as_deref() == Some("manifest");

    let submit = Action::new(|request: &ExportRequest| {
        let r = request.clone();
        async move { request_export(r.selection, r.fields, r.format, r.justification, r.campaign).await }
    });
    let pending = submit.pending();
    let live = use_live();
    Effect::new(move |_| {
        if submit.value().get().is_some() {
            leptos::task::spawn_local(async move {
                if let Ok(fresh) = get_my_quota().await {
                    quota.set(fresh);
                }
            });
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = query.get_untracked();
        let selection = match selected_ids(q.get("ids")) {
            Some(ids) => Selection::Ids(ids),
            None => {
                let mut filter = filter_from_query(&q);
                filter.limit = Some(filter.limit.unwrap_or(10));
                Selection::Filter(filter)
            }
        };
        let campaign = campaign.get_untracked();
        submit.dispatch(ExportRequest {
            selection,
            fields: fields
                .get_untracked()
                .iter()
                .map(|f| f.code().to_owned())
                .collect(),
            format: format.get_untracked(),
            justification: justification.get_untracked(),
            campaign: (!campaign.trim().is_empty()).then_some(campaign),
        });
    };
    let field_boxes = options
        .exportable
        .iter()
        .map(|f| {
            let f = *f;
            view! {
                <label class="check">
                    <input type="checkbox" name="fields" value=f.code()
                        prop:checked=move || fields.get().contains(&f)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            fields.update(|s| { if on { s.insert(f); } else { s.remove(&f); } });
                        } />
                    <span>{move || labels::field(i18n.get_locale(), f)}</span>
                </label>
            }
        })
        .collect_view();
    let format_radio = move |value: &'static str, text: &'static str| {
        view! {
            <label class="check">
                <input type="radio" name="format" value=value
                    prop:checked=move || format.get() == value
                    on:change=move |_| format.set(value.to_owned()) />
                <span>{text}</span>
            </label>
        }
    };
    view! {
        <div class="export-layout">
            <div>
                <section class="card">
                    <h2>{t!(i18n, export.which)}</h2>
                    <WhichContacts preview />
                </section>
                <form class="card form" on:submit=on_submit>
                    <fieldset>
                        <legend>{t!(i18n, export.fields)}</legend>
                        <p class="muted small">{t!(i18n, export.fields_hint)}</p>
                        <div class="checks">{field_boxes}</div>
                    </fieldset>
                    <fieldset>
                        <legend>{t!(i18n, export.format)}</legend>
                        <div class="checks">{format_radio("csv", "CSV")}{format_radio("xlsx", "XLSX (Excel)")}</div>
                    </fieldset>
                    {needs_campaign.then(|| {
                        let running = options
                            .campaigns
                            .iter()
                            .map(|name| view! { <option value=name.clone()>{name.clone()}</option> })
                            .collect_view();
                        view! {
                            <label>
                                <span>{t!(i18n, export.campaign)}</span>
                                <input name="campaign" required list="running-campaigns" prop:value=campaign
                                    on:input=move |ev| campaign.set(event_target_value(&ev)) />
                                <datalist id="running-campaigns">{running}</datalist>
                                <small class="muted"><a href="/campanas">{t!(i18n, campaigns.title)}</a></small>
                            </label>
                        }
                    })}
                    <label>
                        <span>{t!(i18n, export.justification)}</span>
                        <textarea name="justification" rows="3" required minlength="20" maxlength="500"
                            prop:value=justification
                            on:input=move |ev| justification.set(event_target_value(&ev))></textarea>
                        <small class="muted">{t!(i18n, export.justification_hint)}</small>
                        {needs_manifest.then(|| view! { <small class="muted">{t!(i18n, export.manifest_hint)}</small> })}
                    </label>
                    <button type="submit" class="button" disabled=move || pending.get() || !live.get()>
                        {move || if pending.get() { t_string!(i18n, export.submitting) } else { t_string!(i18n, export.submit) }}
                    </button>
                </form>
                {move || submit.value().get().map(|outcome| view! { <Outcome outcome /> })}
            </div>
            <aside class="card">
                <h2>{t!(i18n, export.quota_now)}</h2>
                {move || view! { <QuotaBars quota=quota.get() /> }}
                <h2>{t!(i18n, approvals.route_title)}</h2>
                <RouteView route=options.approval_route.clone() />
            </aside>
        </div>
    }
    .into_any()
}

#[component]
fn Outcome(outcome: Result<ExportOutcome, AppError>) -> impl IntoView {
    let i18n = use_i18n();
    match outcome {
        Ok(ExportOutcome::Allowed { receipt, sha256, count, download_url, expires_at, .. }) => view! {
            <section class="card outcome outcome-ok" data-testid="export-allowed" role="status">
                <h2>{t!(i18n, export.allowed_title)}</h2>
                <p>{move || crate::plural!(i18n.get_locale(), count, export.allowed_body_1 | export.allowed_body_n, count = count, at = format_lima(expires_at))}</p>
                <dl class="facts">
                    <dt>{t!(i18n, export.receipt)}</dt><dd data-testid="receipt">{receipt}</dd>
                    <dt>{t!(i18n, export.sha256)}</dt><dd><code class="hash">{sha256}</code></dd>
                </dl>
                <a class="button" href=download_url download="" rel="external">{t!(i18n, export.download)}</a>
            </section>
        }
        .into_any(),
        Ok(ExportOutcome::NeedsApproval { request_id, reason, route, .. }) => view! {
            <section class="card outcome outcome-warn" data-testid="export-needs-approval" role="status">
                <h2>{t!(i18n, export.approval_title)}</h2>
                <p>{reason}</p>
                <RouteView route />
                <p class="muted">{move || td_string!(i18n.get_locale(), export.request_number, id = request_id).to_string()}</p>
            </section>
        }
        .into_any(),
        Err(error) => view! { <div data-testid="export-refused"><ErrorNotice error /></div> }.into_any(),
    }
}
