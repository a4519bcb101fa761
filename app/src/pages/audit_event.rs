//! One audit event: who, when, from where, on what; the before/after change field by
//! field; and its place in the hash chain.

use crate::api::audit::audit_event;
use crate::components::async_view::AsyncView;
use crate::components::data_table::DataTable;
use crate::components::labels;
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::pages::audit::explorer_href;
use crate::pages::not_found::Forbidden;
use crate::types::SessionUser;
use crate::types::audit::{AuditEventView, AuditFilter};
use crate::types::time::format_lima;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use std::collections::BTreeSet;

/// One row of the before/after table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

fn show(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Field-by-field difference of two JSON documents (objects compare key by key; anything
/// else is one "value" row). Unchanged fields are left out.
pub fn changes(before: Option<&str>, after: Option<&str>) -> Vec<Change> {
    let parse = |s: Option<&str>| s.and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok());
    let (b, a) = (parse(before), parse(after));
    let as_map = |v: &Option<serde_json::Value>| v.as_ref().and_then(|v| v.as_object().cloned());
    match (as_map(&b), as_map(&a)) {
        (bm, am) if bm.is_some() || am.is_some() => {
            let (bm, am) = (bm.unwrap_or_default(), am.unwrap_or_default());
            let keys: BTreeSet<&String> = bm.keys().chain(am.keys()).collect();
            keys.into_iter()
                .filter(|k| bm.get(*k) != am.get(*k))
                .map(|k| Change {
                    field: k.clone(),
                    before: bm.get(k).map(show),
                    after: am.get(k).map(show),
                })
                .collect()
        }
        _ if b != a => vec![Change {
            field: "value".into(),
            before: b.as_ref().map(show),
            after: a.as_ref().map(show),
        }],
        _ => Vec::new(),
    }
}

#[component]
pub fn AuditEventPage() -> impl IntoView {
    let user = expect_context::<SessionUser>();
    if !user.is_admin() {
        return view! { <Forbidden /> }.into_any();
    }
    let params = use_params_map();
    let event = Resource::new(
        move || {
            params
                .get()
                .get("seq")
                .and_then(|s| s.parse::<i64>().ok())
                .unwrap_or(0)
        },
        audit_event,
    );
    view! {
        <AsyncView resource=event let:event>
            <Event event />
        </AsyncView>
    }
    .into_any()
}

#[component]
fn Event(event: AuditEventView) -> impl IntoView {
    let i18n = use_i18n();
    let seq = event.seq;
    let action = event.action.clone();
    let diff = changes(event.before_json.as_deref(), event.after_json.as_deref());
    let diff_view = if diff.is_empty() {
        view! { <p class="muted">{t!(i18n, audit.no_changes)}</p> }.into_any()
    } else {
        let rows = diff
            .into_iter()
            .map(|c| view! {
                <tr><th scope="row">{c.field}</th><td class="before">{c.before.unwrap_or_default()}</td><td class="after">{c.after.unwrap_or_default()}</td></tr>
            })
            .collect_view();
        let columns = |l: Locale| {
            vec![
                td_string!(l, audit.field),
                td_string!(l, audit.before),
                td_string!(l, audit.after),
            ]
        };
        view! {
            <DataTable testid="audit-diff" class="diff" columns>{rows}</DataTable>
        }
        .into_any()
    };
    let who = event.actor_username.clone().unwrap_or_default();
    let user_link = explorer_href(&AuditFilter {
        user: who.clone(),
        ..AuditFilter::default()
    });
    let (module, outcome, severity) = (
        event.module.clone(),
        event.outcome.clone(),
        event.severity.clone(),
    );
    let agent = {
        let (browser, os) = (event.browser.clone(), event.os.clone());
        let device = event.device.clone();
        move || {
            let locale = i18n.get_locale();
            let part = |p: &Option<String>| {
                p.as_deref()
                    .map(|p| labels::agent_part(locale, p))
                    .unwrap_or_default()
            };
            let device = device
                .as_deref()
                .map(|d| labels::device(locale, d))
                .unwrap_or_default();
            format!("{} · {} · {device}", part(&browser), part(&os))
        }
    };
    view! {
        <PageTitle text=move |l| td_string!(l, audit.event_title, seq = seq).to_string() />
        <p><a href="/auditoria">"← "{t!(i18n, audit.back)}</a></p>
        <h1>{move || td_string!(i18n.get_locale(), audit.event_title, seq = seq).to_string()}" · "{move || labels::action(i18n.get_locale(), &action)}</h1>
        <div class="grid-2">
            <section class="card">
                <dl class="facts">
                    <dt>{t!(i18n, audit.when)}</dt><dd>{format_lima(event.created_at)}</dd>
                    <dt>{t!(i18n, audit.user)}</dt><dd><a href=user_link>{who.clone()}</a></dd>
                    <dt>{t!(i18n, audit.module)}</dt><dd>{move || labels::module(i18n.get_locale(), &module)}</dd>
                    <dt>{t!(i18n, audit.target)}</dt><dd>{event.target_type.clone().unwrap_or_default()}" "{event.target_id.clone().unwrap_or_default()}</dd>
                    <dt>{t!(i18n, audit.outcome)}</dt><dd>{move || labels::outcome(i18n.get_locale(), &outcome)}</dd>
                    <dt>{t!(i18n, audit.severity)}</dt><dd>{move || labels::severity(i18n.get_locale(), &severity)}</dd>
                </dl>
            </section>
            <section class="card">
                <dl class="facts">
                    <dt>{t!(i18n, audit.ip)}</dt><dd>{event.ip.clone().unwrap_or_default()}</dd>
                    <dt>{t!(i18n, audit.device)}</dt>
                    <dd>{agent}</dd>
                    <dt>{t!(i18n, audit.user_agent)}</dt><dd class="small">{event.user_agent.clone().unwrap_or_default()}</dd>
                    <dt>{t!(i18n, audit.session)}</dt><dd><code>{event.session_id.clone().unwrap_or_default()}</code></dd>
                </dl>
            </section>
        </div>
        <section>
            <h2>{t!(i18n, audit.changes)}</h2>
            {diff_view}
        </section>
        {event.details_json.clone().map(|details| {
            let pretty = serde_json::from_str::<serde_json::Value>(&details)
                .and_then(|v| serde_json::to_string_pretty(&v))
                .unwrap_or(details);
            view! {
                <section>
                    <h2>{t!(i18n, audit.details)}</h2>
                    <pre class="card details" data-testid="audit-details">{pretty}</pre>
                </section>
            }
        })}
        <section class="card">
            <h2>{t!(i18n, audit.chain)}</h2>
            <dl class="facts">
                <dt>{t!(i18n, audit.prev_hash)}</dt><dd><code class="hash">{event.prev_hash.clone()}</code></dd>
                <dt>{t!(i18n, audit.hash)}</dt><dd><code class="hash">{event.hash.clone()}</code></dd>
            </dl>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_compare_field_by_field() {
        let d = changes(
            Some(r#"{"role":"executive","status":"active"}"#),
            Some(r#"{"role":"manager","status":"active"}"#),
        );
        assert_eq!(
            d,
            vec![Change {
                field: "role".into(),
                before: Some("executive".into()),
                after: Some("manager".into())
            }]
        );
        let created = changes(None, Some(r#"{"username":"x"}"#));
        assert_eq!(created[0].before, None);
        assert!(changes(Some("1"), Some("1")).is_empty());
    }
}
