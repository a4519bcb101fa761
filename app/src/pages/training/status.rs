//! Administrators: everyone's training — certified until when, expiring, overdue or never
//! trained, who failed recently, attempts and scores — filtered in the address, and as CSV.

use crate::api::training::training_status;
use crate::components::async_view::AsyncView;
use crate::components::data_table::DataTable;
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::types::time::{format_lima, format_lima_date};
use crate::types::training::{TrainingFilter, TrainingRow, TrainingStanding};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn standing_name(l: Locale, s: TrainingStanding) -> &'static str {
    match s {
        TrainingStanding::Certified => td_string!(l, training.standing_certified),
        TrainingStanding::Expiring => td_string!(l, training.standing_expiring),
        TrainingStanding::Overdue => td_string!(l, training.standing_overdue),
        TrainingStanding::Never => td_string!(l, training.standing_never),
    }
}

#[component]
pub fn TrainingStatusPage() -> impl IntoView {
    let i18n = use_i18n();
    if !expect_context::<crate::types::SessionUser>().is_admin() {
        return view! { <crate::pages::not_found::Forbidden /> }.into_any();
    }
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        TrainingFilter {
            standing: q.get("standing").filter(|s| !s.is_empty()),
            department: q.get("department").filter(|s| !s.is_empty()),
            failed: q.get("failed").filter(|s| s == "1").map(|_| true),
        }
    };
    let rows = Resource::new(filter, training_status);
    let csv = move || {
        let f = filter();
        let mut pairs = Vec::new();
        if let Some(s) = f.standing {
            pairs.push(format!("standing={s}"));
        }
        if let Some(d) = f.department {
            pairs.push(format!("department={d}"));
        }
        if f.failed == Some(true) {
            pairs.push("failed=true".to_owned());
        }
        format!("/capacitacion/estado.csv?{}", pairs.join("&"))
    };
    let standings = move || {
        let l = i18n.get_locale();
        let chosen = query.read().get("standing").unwrap_or_default();
        TrainingStanding::ALL
            .iter()
            .map(|s| view! { <option value=s.code() selected=chosen == s.code()>{standing_name(l, *s)}</option> })
            .collect_view()
    };
    let departments = move || {
        let l = i18n.get_locale();
        let chosen = query.read().get("department").unwrap_or_default();
        crate::types::Department::ALL
            .iter()
            .map(|d| view! { <option value=d.code() selected=chosen == d.code()>{crate::components::labels::department(l, *d)}</option> })
            .collect_view()
    };
    view! {
        <PageTitle text=|l| td_string!(l, training.everyone).to_owned() />
        <h1>{t!(i18n, training.everyone)}</h1>
        <form method="get" class="card filters">
            <label>{t!(i18n, training.standing)}
                <select name="standing"><option value="">{t!(i18n, training.any)}</option>{standings}</select>
            </label>
            <label>{t!(i18n, training.department)}
                <select name="department"><option value="">{t!(i18n, training.any)}</option>{departments}</select>
            </label>
            <label class="inline"><input type="checkbox" name="failed" value="1"
                checked=move || query.read().get("failed").as_deref() == Some("1") /> {t!(i18n, training.failed_recently)}</label>
            <button type="submit" class="button">{t!(i18n, training.filter)}</button>
            <a class="button-quiet" href=csv data-testid="training-csv">{t!(i18n, training.csv)}</a>
        </form>
        <AsyncView resource=rows transition=true let:rows>
            <Rows rows />
        </AsyncView>
    }
    .into_any()
}

#[component]
fn Rows(rows: Vec<TrainingRow>) -> impl IntoView {
    let i18n = use_i18n();
    let columns = |l: Locale| {
        vec![
            td_string!(l, training.col_user),
            td_string!(l, training.standing),
            td_string!(l, training.valid_until_label),
            td_string!(l, training.col_attempts),
            td_string!(l, training.col_last),
            td_string!(l, training.col_flags),
        ]
    };
    let body = rows
        .into_iter()
        .map(|r| {
            let standing = r.standing;
            let last = r.last_attempt_at.map(|at| {
                format!("{} · {}/{}", format_lima(at), r.last_score.unwrap_or(0), r.last_total.unwrap_or(0))
            });
            view! {
                <tr data-testid="training-row" data-username=r.username.clone() data-standing=standing.code()>
                    <td><strong>{r.username.clone()}</strong><br /><span class="muted small">{r.full_name.clone()}</span></td>
                    <td><span class=format!("badge badge-standing-{}", standing.code())>{move || standing_name(i18n.get_locale(), standing)}</span></td>
                    <td>{r.valid_until.map(format_lima_date).unwrap_or_default()}</td>
                    <td>{r.attempts_30d}</td>
                    <td>{last.unwrap_or_default()}</td>
                    <td>
                        {r.failed_recently.then(|| view! { <span class="badge badge-severity-high">{t!(i18n, training.failed_recently)}</span> " " })}
                        {r.guardian.then(|| view! { <span class="badge badge-guardian">{t!(i18n, training.guardian)}</span> " " })}
                        {r.limits_halved.then(|| view! { <span class="badge badge-severity-medium">{t!(i18n, training.halved_short)}</span> })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! { <DataTable testid="training-table" columns>{body}</DataTable> }
}
