//! "Contactos": search within what the department may see; reveal a sensitive value on
//! demand (audited); pick contacts to export.

use crate::api::contacts::{reveal_field, search_contacts};
use crate::components::async_view::AsyncView;
use crate::components::data_table::DataTable;
use crate::components::error::ErrorNotice;
use crate::components::filter_form::{FilterForm, filter_from_query, filter_to_query};
use crate::components::labels;
use crate::components::live::use_live;
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::types::{ContactPage, ContactRow, Field};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use std::collections::BTreeSet;

#[component]
pub fn ContactsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let results = Resource::new(
        move || {
            let q = query.get();
            let page = q
                .get("page")
                .and_then(|p| p.parse::<i64>().ok())
                .unwrap_or(1);
            (filter_from_query(&q), page)
        },
        |(filter, page)| search_contacts(filter, page),
    );
    view! {
        <PageTitle text=|l| td_string!(l, contacts.title).to_owned() />
        <h1>{t!(i18n, contacts.title)}</h1>
        <p class="muted">{t!(i18n, contacts.intro)}</p>
        <AsyncView resource=results transition=true let:page>
            <Results page />
        </AsyncView>
    }
}

#[component]
fn Results(page: ContactPage) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let selected = RwSignal::new(BTreeSet::<i64>::new());
    let filter_query = filter_to_query(&filter_from_query(&query.get_untracked()));
    let pages = ((page.total + page.per_page - 1) / page.per_page).max(1);
    let page_link = {
        let filter_query = filter_query.clone();
        move |n: i64| {
            filter_query
                .clone()
                .with("page", &n.to_string())
                .href("/contactos")
        }
    };
    let columns = page.columns.clone();
    let headings = {
        let columns = columns.clone();
        move |l: Locale| columns.iter().map(|f| labels::field(l, *f)).collect()
    };
    let body = page
        .rows
        .into_iter()
        .map(|row| view! { <Row row columns=columns.clone() selected /> })
        .collect_view();
    let total = page.total;
    let export_selected = move || {
        let ids: Vec<String> = selected.get().iter().map(i64::to_string).collect();
        format!("/exportar?ids={}", ids.join(","))
    };
    view! {
        <FilterForm action="/contactos" cities=page.cities destinations=page.destinations />
        <div class="toolbar">
            <strong data-testid="contacts-total">{move || crate::plural!(i18n.get_locale(), total, contacts.total_1 | contacts.total_n, total = total)}</strong>
            <div class="toolbar-actions">
                <a class="button button-secondary" href=filter_query.href("/exportar")>{t!(i18n, contacts.export_filter)}</a>
                <Show when=move || !selected.get().is_empty()>
                    <a class="button" href=export_selected>
                        {move || td_string!(i18n.get_locale(), contacts.export_selected, count = selected.get().len()).to_string()}
                    </a>
                </Show>
            </div>
        </div>
        {if total == 0 {
            view! { <p class="card muted">{t!(i18n, contacts.empty)}</p> }.into_any()
        } else {
            view! {
                <DataTable testid="contacts-table" select_column=true columns=headings>
                    {body}
                </DataTable>
            }.into_any()
        }}
        <nav class="pager" aria-label="pages">
            {(page.page > 1).then(|| view! { <a href=page_link(page.page - 1)>{t!(i18n, contacts.previous)}</a> })}
            <span>{move || td_string!(i18n.get_locale(), contacts.page, page = page.page, pages = pages).to_string()}</span>
            {(page.page < pages).then(|| view! { <a href=page_link(page.page + 1)>{t!(i18n, contacts.next)}</a> })}
        </nav>
    }
}

#[component]
fn Row(row: ContactRow, columns: Vec<Field>, selected: RwSignal<BTreeSet<i64>>) -> impl IntoView {
    let i18n = use_i18n();
    let id = row.id;
    let cells = columns
        .into_iter()
        .zip(row.values)
        .map(|(field, value)| {
            if row.revealable.contains(&field) {
                view! { <td><Reveal contact_id=id field /></td> }.into_any()
            } else {
                let text = value.clone().unwrap_or_default();
                view! { <td>{move || labels::value(i18n.get_locale(), field, &text)}</td> }
                    .into_any()
            }
        })
        .collect_view();
    view! {
        <tr>
            <td class="narrow">
                <input type="checkbox" aria-label=move || t_string!(i18n, contacts.select)
                    prop:checked=move || selected.get().contains(&id)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        selected.update(|s| { if on { s.insert(id); } else { s.remove(&id); } });
                    } />
            </td>
            {cells}
        </tr>
    }
}

/// A masked sensitive value with a "Ver" button; the server records every reveal.
#[component]
fn Reveal(contact_id: i64, field: Field) -> impl IntoView {
    let i18n = use_i18n();
    let reveal = Action::new(move |_: &()| reveal_field(contact_id, field));
    let live = use_live();
    view! {
        {move || match reveal.value().get() {
            Some(Ok(value)) => view! { <span class="revealed">{value}</span> }.into_any(),
            Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
            None => view! {
                <span class="masked">"••••••"</span>
                " "
                <button type="button" class="button-link" disabled=move || !live.get()
                    on:click=move |_| { reveal.dispatch(()); }>
                    {t!(i18n, contacts.reveal)}
                </button>
            }.into_any(),
        }}
    }
}
