//! The contact filter, kept in the page's query string so a filter can be bookmarked,
//! shared with the export page, and works without JavaScript.

use super::query::QueryString;
use crate::i18n::*;
use crate::types::ContactFilter;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

fn flag(v: Option<String>) -> Option<bool> {
    match v.as_deref() {
        Some("1" | "true" | "si") => Some(true),
        Some("0" | "false" | "no") => Some(false),
        _ => None,
    }
}

/// The filter in a query string (`text`, `city`, `destination`, `consent`, `reservation`).
pub fn filter_from_query(q: &ParamsMap) -> ContactFilter {
    let nonempty = |k: &str| q.get(k).filter(|v| !v.trim().is_empty());
    ContactFilter {
        text: q.get("text").unwrap_or_default(),
        city: nonempty("city"),
        destination: nonempty("destination"),
        consent: flag(q.get("consent")),
        reservation: flag(q.get("reservation")),
        limit: nonempty("limit").and_then(|l| l.parse().ok()),
    }
}

/// The same filter as a query string, for links to the contacts and export pages (`limit`
/// stays behind: each export sets its own).
pub fn filter_to_query(f: &ContactFilter) -> QueryString {
    let yes_no = |v: Option<bool>| v.map_or("", |on| if on { "1" } else { "0" });
    QueryString::new()
        .with("text", &f.text)
        .with("city", f.city.as_deref().unwrap_or_default())
        .with("destination", f.destination.as_deref().unwrap_or_default())
        .with("consent", yes_no(f.consent))
        .with("reservation", yes_no(f.reservation))
}

/// A yes / no / any select bound to a query parameter.
#[component]
fn TriState(name: &'static str, label: Signal<String>, value: Option<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label>
            <span>{label}</span>
            <select name=name>
                <option value="" selected=value.is_none()>{t!(i18n, contacts.any)}</option>
                <option value="1" selected=value == Some(true)>{t!(i18n, contacts.yes)}</option>
                <option value="0" selected=value == Some(false)>{t!(i18n, contacts.no)}</option>
            </select>
        </label>
    }
}

/// The filter form: a GET form that navigates to `action` with the filter as the query.
#[component]
pub fn FilterForm(
    action: &'static str,
    cities: Vec<String>,
    destinations: Vec<String>,
    #[prop(optional)] show_limit: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let f = filter_from_query(&query.get_untracked());
    let city = f.city.clone().unwrap_or_default();
    let destination = f.destination.clone().unwrap_or_default();
    let options = |items: Vec<String>, chosen: String| {
        items
            .into_iter()
            .map(|c| {
                let selected = c == chosen;
                view! { <option value=c.clone() selected=selected>{c.clone()}</option> }
            })
            .collect_view()
    };
    view! {
        <leptos_router::components::Form method="GET" action=action attr:class="filters card">
            <label class="filter-text">
                <span>{t!(i18n, contacts.search)}</span>
                <input type="search" name="text" value=f.text.clone()
                    placeholder=move || t_string!(i18n, contacts.search_placeholder) />
            </label>
            <label>
                <span>{t!(i18n, contacts.city)}</span>
                <select name="city">
                    <option value="">{t!(i18n, contacts.any)}</option>
                    {options(cities, city)}
                </select>
            </label>
            <label>
                <span>{t!(i18n, contacts.destination)}</span>
                <select name="destination">
                    <option value="">{t!(i18n, contacts.any)}</option>
                    {options(destinations, destination)}
                </select>
            </label>
            <TriState name="consent" label=Signal::derive(move || t_string!(i18n, contacts.consent).to_owned()) value=f.consent />
            <TriState name="reservation" label=Signal::derive(move || t_string!(i18n, contacts.reservation).to_owned()) value=f.reservation />
            {show_limit.then(|| view! {
                <label>
                    <span>{t!(i18n, export.limit)}</span>
                    <input type="number" name="limit" min="1" max="10000"
                        value=f.limit.unwrap_or(10).to_string() />
                </label>
            })}
            <div class="filter-actions">
                <button type="submit" class="button">{t!(i18n, contacts.apply)}</button>
                <a class="button button-secondary" href=action>{t!(i18n, contacts.clear)}</a>
            </div>
        </leptos_router::components::Form>
    }
}
