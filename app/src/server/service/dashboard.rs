//! The security dashboard's summary (SPEC "Security dashboard"; seed 002 section 3.4): the
//! overall state and its reason, open alerts by state, severity and kind (from the tally
//! the triggers keep), and figures over the last day, week and month (index ranges over
//! that window only), so it costs the same whether the log holds a thousand events or a
//! million.

use crate::error::AppError;
use crate::server::AppState;
use crate::server::charts;
use crate::server::repo::dashboard as repo;
use crate::server::service::alerts::listing;
use crate::types::alert::{AlertKind, AlertSeverity, AlertState};
use crate::types::dashboard::{ActivityItem, Dashboard, ExportDay, Overall, TopUser, TrendDay};
use crate::types::time::format_lima;
use std::collections::BTreeMap;

const HOUR_MS: i64 = 3600 * 1000;
const DAY_MS: i64 = 24 * HOUR_MS;
/// Lima is UTC-5 all year.
const LIMA_OFFSET_MS: i64 = -5 * HOUR_MS;
const TOP_USERS: usize = 5;
const RECENT_SEVERE: i64 = 8;
const RECENT_ACTIVITY: i64 = 12;

/// Midnight (Lima) of the day `t` falls in, in unix milliseconds.
fn lima_day_start(t: i64) -> i64 {
    (t + LIMA_OFFSET_MS).div_euclid(DAY_MS) * DAY_MS - LIMA_OFFSET_MS
}

fn lima_hour(t: i64) -> usize {
    usize::try_from((t + LIMA_OFFSET_MS).rem_euclid(DAY_MS) / HOUR_MS).unwrap_or(0)
}

fn day_name(t: i64) -> String {
    format_lima(t).chars().take(10).collect()
}

/// The summary at this moment, with the reason in `l`.
pub async fn summary(state: &AppState, l: crate::i18n::Locale) -> Result<Dashboard, AppError> {
    let now = state.clock.now_ms();
    let mut conn = state.db.conn().await?;

    let mut by_state: BTreeMap<AlertState, i64> = AlertState::ALL.iter().map(|s| (*s, 0)).collect();
    let mut by_severity: BTreeMap<AlertSeverity, i64> =
        AlertSeverity::ALL.iter().map(|s| (*s, 0)).collect();
    let mut by_kind: BTreeMap<String, i64> = BTreeMap::new();
    let mut open_critical = 0;
    for (state_code, severity_code, kind, n) in repo::tally(&mut conn).await? {
        let (Some(s), Some(sev)) = (
            AlertState::from_code(&state_code),
            AlertSeverity::from_code(&severity_code),
        ) else {
            continue;
        };
        *by_state.entry(s).or_default() += n;
        if s.is_open() {
            *by_severity.entry(sev).or_default() += n;
            if AlertKind::from_code(&kind).is_some() {
                *by_kind.entry(kind).or_default() += n;
            }
            if sev == AlertSeverity::Critical {
                open_critical += n;
            }
        }
    }
    let nueva = by_state.get(&AlertState::Nueva).copied().unwrap_or(0);
    let overall = Overall::of(open_critical, nueva);

    // The last 30 days of alerts: the windows, the rate, the charts and the top users.
    let month_start = lima_day_start(now) - 29 * DAY_MS;
    let raised = repo::raised_since(&mut conn, month_start.min(now - 30 * DAY_MS)).await?;
    let in_30d: Vec<_> = raised.iter().filter(|r| r.0 >= now - 30 * DAY_MS).collect();
    let last_24h = raised.iter().filter(|r| r.0 >= now - DAY_MS).count() as i64;
    let last_7d = raised.iter().filter(|r| r.0 >= now - 7 * DAY_MS).count() as i64;
    let closed_30d = in_30d
        .iter()
        .filter(|r| AlertState::from_code(&r.3).is_some_and(|s| !s.is_open()))
        .count();
    let resolution_rate = if in_30d.is_empty() {
        0.0
    } else {
        closed_30d as f64 / in_30d.len() as f64
    };
    let times = repo::resolution_times(&mut conn, now - 30 * DAY_MS).await?;
    let median_resolution_ms = (!times.is_empty()).then(|| times[times.len() / 2]);

    let week_start = lima_day_start(now) - 6 * DAY_MS;
    let mut trend_7d: Vec<TrendDay> = (0..7)
        .map(|i| TrendDay {
            day: day_name(week_start + i * DAY_MS),
            low: 0,
            medium: 0,
            high: 0,
            critical: 0,
        })
        .collect();
    let mut by_hour = vec![0_i64; 24];
    let mut per_user: BTreeMap<i64, i64> = BTreeMap::new();
    for (at, severity, user, _) in &in_30d {
        by_hour[lima_hour(*at)] += 1;
        if let Some(user) = user {
            *per_user.entry(*user).or_default() += 1;
        }
        if *at >= week_start
            && let Some(day) =
                trend_7d.get_mut(usize::try_from((at - week_start) / DAY_MS).unwrap_or(usize::MAX))
        {
            match AlertSeverity::from_code(severity) {
                Some(AlertSeverity::Low) => day.low += 1,
                Some(AlertSeverity::Medium) => day.medium += 1,
                Some(AlertSeverity::High) => day.high += 1,
                Some(AlertSeverity::Critical) => day.critical += 1,
                None => {}
            }
        }
    }
    let mut ranked: Vec<(i64, i64)> = per_user.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(TOP_USERS);
    let ids: Vec<i64> = ranked.iter().map(|r| r.0).collect();
    let names: BTreeMap<i64, String> = repo::usernames(&mut conn, &ids)
        .await?
        .into_iter()
        .collect();
    let top_users = ranked
        .iter()
        .filter_map(|(id, n)| {
            names.get(id).map(|name| TopUser {
                username: name.clone(),
                alerts: *n,
            })
        })
        .collect();

    let mut severe = repo::latest_of_severity(&mut conn, "CRITICAL", RECENT_SEVERE).await?;
    severe.extend(repo::latest_of_severity(&mut conn, "HIGH", RECENT_SEVERE).await?);
    severe.sort_by(|a, b| b.last_seen.cmp(&a.last_seen).then(b.id.cmp(&a.id)));
    severe.truncate(RECENT_SEVERE as usize);
    let recent_severe = severe
        .into_iter()
        .filter_map(listing::item)
        .map(|a| a.rendered(l))
        .collect();

    let idle = i64::try_from(state.sessions.idle_timeout.as_millis()).unwrap_or(i64::MAX);
    let (active_sessions, multi_ip_users) = repo::sessions(&mut conn, now - idle).await?;
    let failed_sign_ins_24h =
        repo::count_action_since(&mut conn, "sign_in_failed", now - DAY_MS).await?;

    let today = lima_day_start(now);
    let exports = repo::exports_since(&mut conn, month_start).await?;
    let mut exports_30d: Vec<ExportDay> = (0..30)
        .map(|i| ExportDay {
            day: day_name(month_start + i * DAY_MS),
            exports: 0,
            contacts: 0,
        })
        .collect();
    for (at, count) in &exports {
        if let Some(day) =
            exports_30d.get_mut(usize::try_from((at - month_start) / DAY_MS).unwrap_or(usize::MAX))
        {
            day.exports += 1;
            day.contacts += count;
        }
    }
    let window = |from: i64| {
        exports
            .iter()
            .filter(|(at, _)| *at >= from)
            .fold((0, 0), |(n, c), (_, count)| (n + 1, c + count))
    };
    let (exports_today, contacts_today) = window(today);
    let (exports_7d, contacts_7d) = window(week_start);
    let pending_approvals = repo::pending_requests(&mut conn).await?;
    let recent_activity = repo::latest_events(&mut conn, RECENT_ACTIVITY)
        .await?
        .into_iter()
        .map(|e| ActivityItem {
            seq: e.seq,
            at: e.created_at,
            actor: e.actor_username,
            action: e.action,
            outcome: e.outcome,
            severity: e.severity,
        })
        .collect();

    Ok(Dashboard {
        overall,
        reason: overall.reason(open_critical, nueva, l),
        by_state,
        by_severity,
        by_kind,
        last_24h,
        last_7d,
        resolution_rate,
        median_resolution_ms,
        active_sessions,
        multi_ip_users,
        failed_sign_ins_24h,
        exports_today,
        contacts_today,
        exports_7d,
        contacts_7d,
        pending_approvals,
        top_users,
        recent_severe,
        recent_activity,
        trend_7d,
        by_hour,
        exports_30d,
        charts: Vec::new(),
        at: now,
    })
    .map(|mut d: Dashboard| {
        d.charts = vec![
            charts::alert_trend(&d.trend_7d, None, l),
            charts::alerts_by_hour(&d.by_hour, None, l),
            charts::exports_per_day(&d.exports_30d, None, l),
        ];
        d
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_hours_are_lima_time() {
        // 2026-11-22 00:00 in Lima is 05:00 UTC.
        let midnight = 1_795_323_600_000;
        assert_eq!(lima_day_start(midnight), midnight);
        assert_eq!(lima_day_start(midnight + DAY_MS - 1), midnight);
        assert_eq!(lima_day_start(midnight - 1), midnight - DAY_MS);
        assert_eq!(lima_hour(midnight), 0);
        assert_eq!(lima_hour(midnight + 13 * HOUR_MS + 59 * 60_000), 13);
        assert_eq!(day_name(midnight), "2026-11-22");
    }
}
