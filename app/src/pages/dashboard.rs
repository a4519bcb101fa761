//! "Panel de seguridad" (administrators' landing page): the overall state in large with its
//! reason, what needs them now (open alerts by state, severity and kind), the recent
//! figures, the charts (each with its summary and its data as a table), the users with the
//! most alerts, the latest critical and high alerts, and the log's latest events — each
//! item a link to its alert, its user's alerts or its event.

use crate::api::dashboard::dashboard;
use crate::components::alert_labels::{SeverityBadge, StateBadge, alerts_href};
use crate::components::async_view::AsyncView;
use crate::components::chart::{ChartData, ChartFigure, chart_table};
use crate::components::labels;
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::pages::not_found::Forbidden;
use crate::types::SessionUser;
use crate::types::alert::{AlertFilter, AlertKind, AlertSeverity, AlertState};
use crate::types::dashboard::Dashboard;
use crate::types::time::format_lima;
use leptos::prelude::*;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let user = expect_context::<SessionUser>();
    if !user.is_admin() {
        return view! { <Forbidden /> }.into_any();
    }
    let i18n = use_i18n();
    let refresh = crate::components::live::use_alert_changes();
    let summary = Resource::new(move || refresh.get(), |_| dashboard());
    view! {
        <PageTitle text=|l| td_string!(l, dashboard.title).to_owned() />
        <h1>{t!(i18n, dashboard.title)}</h1>
        <AsyncView resource=summary transition=true let:d>
            <Summary d />
        </AsyncView>
    }
    .into_any()
}

fn filter(f: impl FnOnce(&mut AlertFilter)) -> String {
    let mut filter = AlertFilter::default();
    f(&mut filter);
    alerts_href(&filter)
}

#[component]
fn Summary(d: Dashboard) -> impl IntoView {
    let i18n = use_i18n();
    let overall = d.overall;
    let tile = |label: &'static str, value: String, href: Option<String>, testid: &'static str| {
        let value = match href {
            Some(href) => {
                view! { <a href=href class="tile-value" data-testid=testid>{value}</a> }.into_any()
            }
            None => view! { <span class="tile-value" data-testid=testid>{value}</span> }.into_any(),
        };
        view! { <div class="tile card">{value}<span class="tile-label">{label}</span></div> }
    };
    let l = i18n.get_locale_untracked();
    let count = |s: AlertState| d.by_state.get(&s).copied().unwrap_or(0);
    let open = count(AlertState::Nueva) + count(AlertState::EnRevision);
    let state_tiles = [AlertState::Nueva, AlertState::EnRevision]
        .into_iter()
        .map(|s| {
            tile(
                s.name(l),
                count(s).to_string(),
                Some(filter(|f| f.state = Some(s.code().into()))),
                match s {
                    AlertState::Nueva => "count-nueva",
                    _ => "count-en-revision",
                },
            )
        })
        .collect_view();
    let rate = format!("{:.0} %", d.resolution_rate * 100.0);
    let median = d
        .median_resolution_ms
        .map(|ms| duration(l, ms))
        .unwrap_or_else(|| "—".into());
    let severities = AlertSeverity::ALL
        .iter()
        .rev()
        .map(|s| {
            let n = d.by_severity.get(s).copied().unwrap_or(0);
            let href = filter(|f| f.severity = Some(s.code().into()));
            view! {
                <li><a href=href><SeverityBadge severity=*s /></a>" "<strong data-testid=format!("open-{}", s.code().to_lowercase())>{n}</strong></li>
            }
        })
        .collect_view();
    let kinds = d
        .by_kind
        .iter()
        .filter(|(_, n)| **n > 0)
        .filter_map(|(code, n)| AlertKind::from_code(code).map(|k| (k, *n)))
        .map(|(kind, n)| {
            let href = filter(|f| f.kind = Some(kind.code().into()));
            view! { <li><a href=href>{move || kind.name(i18n.get_locale())}</a>" "<strong>{n}</strong></li> }
        })
        .collect_view();
    let charts = d
        .charts
        .iter()
        .cloned()
        .map(|chart| {
            let table = chart_table(
                &chart.key,
                ChartData {
                    trend: &d.trend_7d,
                    hours: &d.by_hour,
                    exports: &d.exports_30d,
                },
                l,
            );
            view! { <ChartFigure chart table /> }
        })
        .collect_view();
    let top = d
        .top_users
        .iter()
        .map(|u| {
            let href = filter(|f| f.username = Some(u.username.clone()));
            view! { <li><a href=href>{u.username.clone()}</a>" "<strong>{u.alerts}</strong></li> }
        })
        .collect_view();
    let severe = d
        .recent_severe
        .iter()
        .map(|a| {
            let kind = a.kind;
            view! {
                <li data-testid="recent-severe">
                    <SeverityBadge severity=a.severity />" "<StateBadge state=a.state />" "
                    <a href=format!("/alertas/{}", a.id)>{move || kind.name(i18n.get_locale())}" #"{a.id}</a>
                    <span class="muted small">" · "{format_lima(a.last_seen)}</span>
                    <p class="small">{a.description.clone()}</p>
                </li>
            }
        })
        .collect_view();
    let activity = d
        .recent_activity
        .iter()
        .map(|e| {
            let action = e.action.clone();
            view! {
                <li>
                    <time class="muted small">{format_lima(e.at)}</time>" "
                    <a href=format!("/auditoria/{}", e.seq)>{move || labels::action(i18n.get_locale(), &action)}</a>
                    " "<span class="small">{e.actor.clone().unwrap_or_default()}</span>
                </li>
            }
        })
        .collect_view();
    let reason = d.reason.clone();
    view! {
        <section class=format!("overall card overall-{}", overall.code().to_lowercase()) data-testid="overall" data-overall=overall.code()>
            <p class="overall-label">{t!(i18n, dashboard.overall_label)}</p>
            <p class="overall-state">{move || overall.name(i18n.get_locale())}</p>
            <p class="overall-reason" data-testid="overall-reason">{reason}</p>
            <p class="muted small">{t!(i18n, dashboard.updated)}" "{format_lima(d.at)}</p>
        </section>
        <section aria-labelledby="now-heading">
            <h2 id="now-heading">{t!(i18n, dashboard.now)}</h2>
            <div class="tiles">
                {tile(td_string!(l, dashboard.open), open.to_string(), Some(alerts_href(&AlertFilter::default())), "count-open")}
                {state_tiles}
                {tile(td_string!(l, dashboard.last_24h), d.last_24h.to_string(), None, "last-24h")}
                {tile(td_string!(l, dashboard.last_7d), d.last_7d.to_string(), None, "last-7d")}
                {tile(td_string!(l, dashboard.resolution_rate), rate, None, "resolution-rate")}
                {tile(td_string!(l, dashboard.median_resolution), median, None, "median-resolution")}
                {tile(td_string!(l, dashboard.active_sessions), d.active_sessions.to_string(), None, "active-sessions")}
                {tile(td_string!(l, dashboard.multi_ip_users), d.multi_ip_users.to_string(), None, "multi-ip-users")}
                {tile(td_string!(l, dashboard.failed_sign_ins), d.failed_sign_ins_24h.to_string(), None, "failed-sign-ins")}
                {tile(td_string!(l, dashboard.exports_today), td_string!(l, dashboard.exports_contacts, exports = d.exports_today, contacts = d.contacts_today).to_string(), None, "exports-today")}
                {tile(td_string!(l, dashboard.exports_7d), td_string!(l, dashboard.exports_contacts, exports = d.exports_7d, contacts = d.contacts_7d).to_string(), None, "exports-7d")}
                {tile(td_string!(l, dashboard.pending_approvals), d.pending_approvals.to_string(), None, "pending-approvals")}
            </div>
        </section>
        <div class="grid-2">
            <section class="card">
                <h2>{t!(i18n, dashboard.by_severity)}</h2>
                <ul class="plain">{severities}</ul>
            </section>
            <section class="card">
                <h2>{t!(i18n, dashboard.by_kind)}</h2>
                {if d.by_kind.values().all(|n| *n == 0) {
                    view! { <p class="muted">{t!(i18n, dashboard.nothing_open)}</p> }.into_any()
                } else {
                    view! { <ul class="plain">{kinds}</ul> }.into_any()
                }}
            </section>
        </div>
        <section aria-labelledby="charts-heading">
            <h2 id="charts-heading">{t!(i18n, dashboard.trends)}</h2>
            <div class="charts">{charts}</div>
        </section>
        <div class="grid-2">
            <section class="card">
                <h2>{t!(i18n, dashboard.recent_severe)}</h2>
                <ul class="plain" data-testid="recent-severe-list">{severe}</ul>
            </section>
            <section class="card">
                <h2>{t!(i18n, dashboard.top_users)}</h2>
                <ul class="plain">{top}</ul>
                <h2>{t!(i18n, dashboard.activity)}</h2>
                <ul class="plain small">{activity}</ul>
            </section>
        </div>
    }
}

/// A duration in words: minutes, hours or days.
fn duration(l: Locale, ms: i64) -> String {
    let minutes = ms / 60_000;
    if minutes < 120 {
        td_string!(l, dashboard.minutes, n = minutes.max(1)).to_string()
    } else if minutes < 48 * 60 {
        td_string!(l, dashboard.hours, n = minutes / 60).to_string()
    } else {
        let days = minutes / (24 * 60);
        crate::plural!(l, days, dashboard.days_1 | dashboard.days_n, n = days)
    }
}
