//! Charts, drawn on the server as SVG with `plotters` in the site's colours: the
//! dashboard's three, and the reports' later. Each chart comes with its title and a text
//! summary (the figure's caption and the SVG's `<title>`), and the page shows its data as
//! a table too, so a screen reader has all of it. The only text inside the SVG is ours
//! (dates, hours, numbers, the names of severities): nothing typed by a user.

use crate::i18n::{Locale, td_string};
use crate::types::alert::AlertSeverity;
use crate::types::dashboard::{Chart, ExportDay, TrendDay};
use plotters::prelude::*;

const WIDTH: u32 = 640;
const HEIGHT: u32 = 260;
// The palette of `style/main.css`.
const INK: RGBColor = RGBColor(0x17, 0x21, 0x2b);
const MUTED: RGBColor = RGBColor(0x5b, 0x6b, 0x7a);
const LINE: RGBColor = RGBColor(0xdb, 0xe3, 0xea);
const BRAND: RGBColor = RGBColor(0x1f, 0x6f, 0x9f);
const ACCENT: RGBColor = RGBColor(0xf4, 0xb9, 0x42);
const OK: RGBColor = RGBColor(0x1e, 0x7d, 0x4f);
const WARN: RGBColor = RGBColor(0xb8, 0x6e, 0x00);
const BAD: RGBColor = RGBColor(0xb3, 0x26, 0x1e);
const FONT: &str = "sans-serif";

fn severity_colour(s: AlertSeverity) -> RGBColor {
    match s {
        AlertSeverity::Low => OK,
        AlertSeverity::Medium => WARN,
        AlertSeverity::High => BAD,
        AlertSeverity::Critical => INK,
    }
}

/// Puts the chart's title inside the SVG (`role="img"`, `<title>`), so it is announced.
fn titled(svg: String, key: &str, title: &str) -> String {
    let escaped = title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    match svg
        .find("<svg")
        .and_then(|start| svg[start..].find('>').map(|end| start + end))
    {
        Some(end) => format!(
            "{} role=\"img\" aria-labelledby=\"chart-{key}-title\"><title id=\"chart-{key}-title\">{escaped}</title>{}",
            &svg[..end],
            &svg[end + 1..]
        ),
        None => svg,
    }
}

type Drawn = Result<(), Box<dyn std::error::Error>>;

fn short_day(day: &str) -> String {
    // `YYYY-MM-DD` → `DD/MM`.
    match (day.get(8..10), day.get(5..7)) {
        (Some(d), Some(m)) => format!("{d}/{m}"),
        _ => day.to_owned(),
    }
}

/// Alerts raised on each of the last 7 days, one line per severity.
/// `title` names another period than the dashboard's (a report's); its summary then does
/// not say a number of days.
pub fn alert_trend(days: &[TrendDay], title: Option<String>, l: Locale) -> Chart {
    let period = title.is_some();
    let title = title.unwrap_or_else(|| td_string!(l, dashboard.chart.trend_title).to_owned());
    let total: i64 = days
        .iter()
        .map(|d| AlertSeverity::ALL.iter().map(|s| d.of(*s)).sum::<i64>())
        .sum();
    let worst = days
        .iter()
        .max_by_key(|d| AlertSeverity::ALL.iter().map(|s| d.of(*s)).sum::<i64>())
        .filter(|_| total > 0)
        .map(|d| d.day.clone())
        .unwrap_or_default();
    let summary = if period {
        td_string!(
            l,
            dashboard.chart.trend_summary_period,
            total = total,
            day = worst
        )
        .to_string()
    } else {
        td_string!(l, dashboard.chart.trend_summary, total = total, day = worst).to_string()
    };
    let mut svg = String::new();
    let drawn: Drawn = (|| {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        let max = days
            .iter()
            .flat_map(|d| AlertSeverity::ALL.iter().map(|s| d.of(*s)))
            .max()
            .unwrap_or(0)
            .max(1);
        let n = days.len().max(1) as i32;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(36)
            .build_cartesian_2d(0..n - 1, 0..max + max / 5 + 1)?;
        chart
            .configure_mesh()
            .light_line_style(LINE)
            .bold_line_style(LINE)
            .axis_style(MUTED)
            .label_style((FONT, 12).into_font().color(&MUTED))
            .x_labels(days.len().min(10))
            .x_label_formatter(&|i| {
                days.get(usize::try_from(*i).unwrap_or(0))
                    .map(|d| short_day(&d.day))
                    .unwrap_or_default()
            })
            .draw()?;
        for severity in AlertSeverity::ALL.iter().rev() {
            let colour = severity_colour(*severity);
            let points = days
                .iter()
                .enumerate()
                .map(|(i, d)| (i32::try_from(i).unwrap_or(0), d.of(*severity)));
            chart
                .draw_series(LineSeries::new(points, colour.stroke_width(2)))?
                .label(severity.name(l))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 16, y)], colour.stroke_width(2))
                });
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.9))
            .border_style(LINE)
            .label_font((FONT, 12).into_font().color(&INK))
            .position(SeriesLabelPosition::UpperLeft)
            .draw()?;
        root.present()?;
        Ok(())
    })();
    finish("trend", title, summary, svg, drawn)
}

/// Alerts of the last 30 days by hour of day (Lima), as bars.
pub fn alerts_by_hour(hours: &[i64], title: Option<String>, l: Locale) -> Chart {
    let period = title.is_some();
    let title = title.unwrap_or_else(|| td_string!(l, dashboard.chart.hours_title).to_owned());
    let busiest = hours
        .iter()
        .enumerate()
        .max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i)))
        .filter(|(_, n)| **n > 0)
        .map(|(i, _)| i);
    let total: i64 = hours.iter().sum();
    let summary = match (busiest, period) {
        (Some(hour), false) => {
            td_string!(l, dashboard.chart.hours_summary, total = total, hour = hour).to_string()
        }
        (Some(hour), true) => td_string!(
            l,
            dashboard.chart.hours_summary_period,
            total = total,
            hour = hour
        )
        .to_string(),
        (None, false) => td_string!(l, dashboard.chart.hours_none).to_owned(),
        (None, true) => td_string!(l, dashboard.chart.hours_none_period).to_owned(),
    };
    let mut svg = String::new();
    let drawn: Drawn = (|| {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        let max = hours.iter().copied().max().unwrap_or(0).max(1);
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(36)
            .build_cartesian_2d((0i32..23).into_segmented(), 0..max + max / 5 + 1)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(LINE)
            .bold_line_style(LINE)
            .axis_style(MUTED)
            .label_style((FONT, 12).into_font().color(&MUTED))
            .x_labels(12)
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(h) | SegmentValue::Exact(h) => format!("{h:02}"),
                SegmentValue::Last => String::new(),
            })
            .draw()?;
        chart.draw_series(
            Histogram::vertical(&chart)
                .style(BRAND.filled())
                .margin(3)
                .data(
                    hours
                        .iter()
                        .enumerate()
                        .map(|(h, n)| (i32::try_from(h).unwrap_or(0), *n)),
                ),
        )?;
        root.present()?;
        Ok(())
    })();
    finish("hours", title, summary, svg, drawn)
}

/// Contacts exported per day over the last 30 days (bars), with the number of exports as a
/// line on the right-hand axis.
pub fn exports_per_day(days: &[ExportDay], title: Option<String>, l: Locale) -> Chart {
    let title = title.unwrap_or_else(|| td_string!(l, dashboard.chart.exports_title).to_owned());
    let exports: i64 = days.iter().map(|d| d.exports).sum();
    let contacts: i64 = days.iter().map(|d| d.contacts).sum();
    let summary = td_string!(
        l,
        dashboard.chart.exports_summary,
        exports = exports,
        contacts = contacts,
        days = days.len()
    )
    .to_string();
    let mut svg = String::new();
    let drawn: Drawn = (|| {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        let n = i32::try_from(days.len()).unwrap_or(30).max(1);
        let max_contacts = days.iter().map(|d| d.contacts).max().unwrap_or(0).max(1);
        let max_exports = days.iter().map(|d| d.exports).max().unwrap_or(0).max(1);
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(44)
            .right_y_label_area_size(36)
            .build_cartesian_2d(
                (0..n - 1).into_segmented(),
                0..max_contacts + max_contacts / 5 + 1,
            )?
            .set_secondary_coord(0..n - 1, 0..max_exports + max_exports / 5 + 1);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(LINE)
            .bold_line_style(LINE)
            .axis_style(MUTED)
            .label_style((FONT, 12).into_font().color(&MUTED))
            .x_labels(10)
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => days
                    .get(usize::try_from(*i).unwrap_or(0))
                    .map(|d| short_day(&d.day))
                    .unwrap_or_default(),
                SegmentValue::Last => String::new(),
            })
            .draw()?;
        chart
            .configure_secondary_axes()
            .axis_style(MUTED)
            .label_style((FONT, 12).into_font().color(&MUTED))
            .draw()?;
        let bars = Histogram::vertical(&chart)
            .style(BRAND.filled())
            .margin(2)
            .data(
                days.iter()
                    .enumerate()
                    .map(|(i, d)| (i32::try_from(i).unwrap_or(0), d.contacts)),
            );
        chart
            .draw_series(bars)?
            .label(td_string!(l, dashboard.chart.contacts))
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], BRAND.filled()));
        chart
            .draw_secondary_series(LineSeries::new(
                days.iter()
                    .enumerate()
                    .map(|(i, d)| (i32::try_from(i).unwrap_or(0), d.exports)),
                ACCENT.stroke_width(3),
            ))?
            .label(td_string!(l, dashboard.chart.exports))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], ACCENT.stroke_width(3)));
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.9))
            .border_style(LINE)
            .label_font((FONT, 12).into_font().color(&INK))
            .position(SeriesLabelPosition::UpperLeft)
            .draw()?;
        root.present()?;
        Ok(())
    })();
    finish("exports", title, summary, svg, drawn)
}

/// The same chart under another key (its SVG's title id follows), for a page that shows
/// two charts of one kind.
pub fn rekey(mut chart: Chart, key: &str) -> Chart {
    chart.svg = chart.svg.replace(
        &format!("chart-{}-title", chart.key),
        &format!("chart-{key}-title"),
    );
    chart.key = key.to_owned();
    chart
}

fn finish(key: &str, title: String, summary: String, svg: String, drawn: Drawn) -> Chart {
    let svg = match drawn {
        Ok(()) => titled(svg, key, &title),
        Err(error) => {
            tracing::error!(%error, chart = key, "chart not drawn");
            String::new()
        }
    };
    Chart {
        key: key.to_owned(),
        title,
        summary,
        svg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_an_svg_with_its_title_and_a_summary() {
        let hours: Vec<i64> = (0..24).map(|h| if h == 14 { 9 } else { h % 3 }).collect();
        let chart = alerts_by_hour(&hours, None, Locale::es_PE);
        assert!(
            chart.svg.starts_with("<svg"),
            "{}",
            &chart.svg[..60.min(chart.svg.len())]
        );
        assert!(chart.svg.contains("role=\"img\""));
        assert!(chart.svg.contains(&format!(
            "<title id=\"chart-hours-title\">{}</title>",
            chart.title
        )));
        assert!(chart.svg.contains("<rect"), "bars are drawn");
        assert!(chart.summary.contains("14"), "{}", chart.summary);
        let days: Vec<TrendDay> = (1..=7)
            .map(|d| TrendDay {
                day: format!("2026-11-{d:02}"),
                low: d,
                medium: 1,
                high: 0,
                critical: 0,
            })
            .collect();
        let trend = alert_trend(&days, None, Locale::en);
        assert!(
            trend.svg.contains("<polyline") || trend.svg.contains("<path"),
            "lines are drawn"
        );
        assert!(trend.svg.contains("07/11"), "days are labelled");
        let exports: Vec<ExportDay> = (1..=30)
            .map(|d| ExportDay {
                day: format!("2026-11-{d:02}"),
                exports: d % 4,
                contacts: d * 10,
            })
            .collect();
        let chart = exports_per_day(&exports, None, Locale::es_PE);
        assert!(chart.svg.contains("<rect"));
        assert!(chart.summary.contains("4650"), "{}", chart.summary);
    }
}
