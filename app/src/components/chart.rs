//! A chart drawn on the server (`server/charts.rs`) as the pages show it: the SVG, its title
//! and summary as the caption, and its data as a table one click away (the dashboard's and
//! the reports').

use crate::i18n::*;
use crate::types::alert::AlertSeverity;
use crate::types::dashboard::{Chart, ExportDay, TrendDay};
use leptos::prelude::*;

/// The figures behind the three charts.
#[derive(Clone, Copy)]
pub struct ChartData<'a> {
    /// Alerts per day, by severity (`trend`).
    pub trend: &'a [TrendDay],
    /// Alerts per hour of day (`hours`).
    pub hours: &'a [i64],
    /// Exports and contacts per day (`exports`).
    pub exports: &'a [ExportDay],
}

/// A chart with its caption and, one click away, its data as a table.
#[component]
pub fn ChartFigure(chart: Chart, table: AnyView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <figure class="chart card" data-testid=format!("chart-{}", chart.key)>
            <div class="chart-svg" inner_html=chart.svg.clone()></div>
            <figcaption>
                <strong>{chart.title.clone()}</strong>
                <p class="small">{chart.summary.clone()}</p>
            </figcaption>
            <details>
                <summary>{t!(i18n, dashboard.chart.data)}</summary>
                {table}
            </details>
        </figure>
    }
}

/// The data behind chart `key` (`trend`, `hours`, `exports`, or one of them after a
/// prefix), as a table.
pub fn chart_table(key: &str, d: ChartData<'_>, l: Locale) -> AnyView {
    let head = |cells: Vec<String>| {
        cells
            .into_iter()
            .map(|c| view! { <th scope="col">{c}</th> })
            .collect_view()
    };
    // A page showing two charts of one kind keys them `…-trend`, `…-hours`.
    match key.rsplit('-').next().unwrap_or(key) {
        "trend" => {
            let rows = d
                .trend
                .iter()
                .map(|day| {
                    let cells = AlertSeverity::ALL
                        .iter()
                        .map(|s| view! { <td class="num">{day.of(*s)}</td> })
                        .collect_view();
                    view! { <tr><th scope="row">{day.day.clone()}</th>{cells}</tr> }
                })
                .collect_view();
            let mut cols = vec![td_string!(l, dashboard.chart.day).to_owned()];
            cols.extend(AlertSeverity::ALL.iter().map(|s| s.name(l).to_owned()));
            view! { <table class="table small"><thead><tr>{head(cols)}</tr></thead><tbody>{rows}</tbody></table> }.into_any()
        }
        "hours" => {
            let rows = d
                .hours
                .iter()
                .enumerate()
                .map(|(h, n)| view! { <tr><th scope="row">{format!("{h:02}:00")}</th><td class="num">{*n}</td></tr> })
                .collect_view();
            let cols = vec![
                td_string!(l, dashboard.chart.hour).to_owned(),
                td_string!(l, dashboard.chart.alerts).to_owned(),
            ];
            view! { <table class="table small"><thead><tr>{head(cols)}</tr></thead><tbody>{rows}</tbody></table> }.into_any()
        }
        _ => {
            let rows = d
                .exports
                .iter()
                .map(|day| view! { <tr><th scope="row">{day.day.clone()}</th><td class="num">{day.exports}</td><td class="num">{day.contacts}</td></tr> })
                .collect_view();
            let cols = vec![
                td_string!(l, dashboard.chart.day).to_owned(),
                td_string!(l, dashboard.chart.exports).to_owned(),
                td_string!(l, dashboard.chart.contacts).to_owned(),
            ];
            view! { <table class="table small"><thead><tr>{head(cols)}</tr></thead><tbody>{rows}</tbody></table> }.into_any()
        }
    }
}
