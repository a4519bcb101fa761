//! What the alert page shows of the record: the timeline of the triggering events and the
//! subject's activity around them, the forensic snapshot, and the history.

use crate::components::dialog::action_name;
use crate::components::labels;
use crate::i18n::*;
use crate::pages::audit::explorer_href;
use crate::types::alert::{ActionTaken, AlertState, HistoryEntry, OwnerAnswer, TimelineEvent};
use crate::types::audit::AuditFilter;
use crate::types::time::format_lima;
use leptos::prelude::*;

/// The triggering events and the subject's activity around them, oldest first.
#[component]
pub(super) fn Timeline(id: i64, events: Vec<TimelineEvent>) -> impl IntoView {
    let i18n = use_i18n();
    let all = explorer_href(&AuditFilter {
        target_type: "alert".into(),
        target_id: id.to_string(),
        ..AuditFilter::default()
    });
    let items = events
        .into_iter()
        .map(|e| {
            let action = e.action.clone();
            let outcome = e.outcome.clone();
            view! {
                <li class="timeline-item" class:trigger=e.trigger data-testid="timeline-event" data-action=e.action.clone()>
                    <time>{format_lima(e.at)}</time>
                    <a href=format!("/auditoria/{}", e.seq)>{move || labels::action(i18n.get_locale(), &action)}" #"{e.seq}</a>
                    <span class=format!("badge badge-outcome-{}", e.outcome)>{move || labels::outcome(i18n.get_locale(), &outcome)}</span>
                    {e.actor.clone().map(|a| view! { <span>{a}</span> })}
                    {e.ip.clone().map(|ip| view! { <span class="muted">{ip}</span> })}
                    {e.trigger.then(|| view! { <strong class="small">{t!(i18n, triage.trigger)}</strong> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section>
            <h2>{t!(i18n, triage.timeline)}</h2>
            <p class="muted small">{t!(i18n, triage.timeline_intro)}" "<a href=all>{t!(i18n, triage.in_explorer)}</a></p>
            <ol class="timeline card" data-testid="timeline">{items}</ol>
        </section>
    }
}

/// The forensic snapshot kept with a CRITICAL alert: the subject's recent events, exports,
/// sessions and addresses when it was raised.
#[component]
pub(super) fn Snapshot(snapshot: serde_json::Value) -> impl IntoView {
    let i18n = use_i18n();
    let taken = snapshot["taken_at"]
        .as_i64()
        .map(format_lima)
        .unwrap_or_default();
    let ips = snapshot["ips"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    let events = snapshot["events"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|e| {
            let action = e["action"].as_str().unwrap_or_default().to_owned();
            let seq = e["seq"].as_i64().unwrap_or_default();
            view! {
                <li>
                    {e["at"].as_i64().map(format_lima)}" "
                    <a href=format!("/auditoria/{seq}")>{move || labels::action(i18n.get_locale(), &action)}" #"{seq}</a>
                    " "{e["ip"].as_str().map(str::to_owned)}
                </li>
            }
        })
        .collect_view();
    let exports = snapshot["exports"].as_array().map_or(0, Vec::len);
    view! {
        <section class="card" data-testid="snapshot">
            <h2>{t!(i18n, triage.snapshot)}</h2>
            <p class="muted small">{move || td_string!(i18n.get_locale(), triage.snapshot_taken, at = taken.clone(), exports = exports).to_string()}</p>
            <p><strong>{t!(i18n, triage.addresses)}</strong>" "{ips}</p>
            <ol class="small">{events}</ol>
        </section>
    }
}

/// Every change to the alert, oldest first, read from the audit log.
#[component]
pub(super) fn History(history: Vec<HistoryEntry>) -> impl IntoView {
    let i18n = use_i18n();
    let items = history
        .into_iter()
        .map(|h| {
            let action = h.action.clone();
            let state = |code: &Option<String>| code.as_deref().and_then(AlertState::from_code);
            let (from, to) = (state(&h.from), state(&h.to));
            let taken = h.action_taken.as_deref().and_then(ActionTaken::from_code);
            let change = move || {
                let l = i18n.get_locale();
                let mut parts = Vec::new();
                if let (Some(f), Some(t)) = (from, to) {
                    parts.push(format!("{} → {}", f.name(l), t.name(l)));
                }
                if let Some(a) = taken {
                    parts.push(format!("{}: {}", td_string!(l, triage.action_taken), action_name(l, a)));
                }
                parts.join(" · ")
            };
            let severity = match (&h.severity_from, &h.severity_to) {
                (Some(f), Some(t)) if f != t => Some(format!("{f} → {t}")),
                _ => None,
            };
            let answer = h.answer.map(|a| {
                view! {
                    <span class="badge">{move || match a {
                        OwnerAnswer::Yes => td_string!(i18n.get_locale(), triage.answered_yes),
                        OwnerAnswer::No => td_string!(i18n.get_locale(), triage.answered_no),
                    }}</span>
                }
            });
            view! {
                <li class="history-item" data-testid="history-entry" data-action=h.action.clone()>
                    <div>
                        <time>{format_lima(h.at)}</time>" · "
                        <strong>{h.who.clone().unwrap_or_else(|| "centinela".into())}</strong>" · "
                        <a href=format!("/auditoria/{}", h.seq)>{move || labels::action(i18n.get_locale(), &action)}</a>
                        " "<span>{change}</span>
                        {h.assignee.clone().map(|who| view! { " → " <span>{who}</span> })}
                        {severity.map(|s| view! { " " <span class="small">{s}</span> })}
                        " "{answer}
                    </div>
                    {h.note.clone().map(|note| view! { <blockquote class="note">{note}</blockquote> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section>
            <h2>{t!(i18n, triage.history)}</h2>
            <p class="muted small">{t!(i18n, triage.history_intro)}</p>
            <ol class="history card" data-testid="history">{items}</ol>
        </section>
    }
}
