//! Alerts as the pages name them: a severity or a state as a badge (colour and words, never
//! colour alone), and the alert list's filter as a query string, so every page links to a
//! filtered list the same way and the list reads it back.

use crate::components::query::QueryString;
use crate::i18n::*;
use crate::types::alert::{AlertFilter, AlertSeverity, AlertState};
use leptos::prelude::*;
use leptos_router::params::ParamsMap;

/// The alert list's filter in a query string (`state`, `severity`, `kind`, `username`,
/// `assignee`, `from`, `to`, `cursor`).
pub fn filter_from(q: &ParamsMap) -> AlertFilter {
    let get = |k: &str| q.get(k).filter(|v| !v.trim().is_empty());
    AlertFilter {
        state: get("state"),
        severity: get("severity"),
        kind: get("kind"),
        username: get("username"),
        assignee: get("assignee"),
        from: get("from"),
        to: get("to"),
        cursor: get("cursor"),
        limit: None,
    }
}

fn filter_pairs(f: &AlertFilter) -> [(&'static str, String); 7] {
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    [
        ("state", v(&f.state)),
        ("severity", v(&f.severity)),
        ("kind", v(&f.kind)),
        ("username", v(&f.username)),
        ("assignee", v(&f.assignee)),
        ("from", v(&f.from)),
        ("to", v(&f.to)),
    ]
}

/// The alerts page showing `f` (its cursor too, if it has one).
pub fn alerts_href(f: &AlertFilter) -> String {
    let query = QueryString::from_pairs(filter_pairs(f));
    let query = match &f.cursor {
        Some(cursor) => query.with("cursor", cursor),
        None => query,
    };
    query.href("/alertas")
}

/// A severity in colour and in words (never colour alone).
#[component]
pub fn SeverityBadge(severity: AlertSeverity) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("badge badge-severity-{}", severity.code().to_lowercase()) data-severity=severity.code()>
            {move || severity.name(i18n.get_locale())}
        </span>
    }
}

#[component]
pub fn StateBadge(state: AlertState) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("badge badge-state-{}", state.code().to_lowercase()) data-state=state.code()>
            {move || state.name(i18n.get_locale())}
        </span>
    }
}
