//! "Reglas de detección" (administrators): every rule with its threshold, window, severity
//! and whether it is enabled, each editable in place; the server validates and audits.

use crate::api::alerts::{UpdateDetectionRule, detection_rules};
use crate::components::async_view::AsyncView;
use crate::components::data_table::DataTable;
use crate::components::error::ErrorNotice;
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::pages::not_found::Forbidden;
use crate::types::SessionUser;
use crate::types::alert::{AlertSeverity, RuleView};
use leptos::prelude::*;

#[component]
pub fn RulesPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = expect_context::<SessionUser>();
    if !user.is_admin() {
        return view! { <Forbidden /> }.into_any();
    }
    let save = ServerAction::<UpdateDetectionRule>::new();
    let rules = Resource::new(move || save.version().get(), |_| detection_rules());
    view! {
        <PageTitle text=|l| td_string!(l, rules.title).to_owned() />
        <h1>{t!(i18n, rules.title)}</h1>
        <p class="muted">{t!(i18n, rules.intro)}</p>
        {move || match save.value().get() {
            Some(Ok(())) => Some(view! { <p class="notice" role="status">{t!(i18n, rules.saved)}</p> }.into_any()),
            Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
            None => None,
        }}
        <AsyncView resource=rules transition=true let:rules>
            <Rules rules save />
        </AsyncView>
    }
    .into_any()
}

#[component]
fn Rules(rules: Vec<RuleView>, save: ServerAction<UpdateDetectionRule>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = rules
        .into_iter()
        .map(|rule| {
            let form = format!("rule-{}", rule.kind.code());
            let severities = AlertSeverity::ALL
                .iter()
                .map(|s| {
                    let code = s.code();
                    let selected = *s == rule.severity;
                    view! { <option value=code selected=selected>{move || s.name(i18n.get_locale())}</option> }
                })
                .collect_view();
            view! {
                <tr data-testid=form.clone()>
                    <td>
                        <strong>{move || rule.kind.name(i18n.get_locale())}</strong>
                        <br /><code class="small">{rule.kind.code()}</code>
                    </td>
                    <td>
                        <ActionForm action=save attr:id=form.clone()>
                            <input type="hidden" name="kind" value=rule.kind.code() />
                        </ActionForm>
                        <input form=form.clone() type="number" name="threshold" min="1" value=rule.threshold
                            aria-label=move || t_string!(i18n, rules.threshold) />
                    </td>
                    <td>
                        {if rule.windowed {
                            view! {
                                <input form=form.clone() type="number" name="window_secs" min="60" value=rule.window_secs
                                    aria-label=move || t_string!(i18n, rules.window) />
                            }.into_any()
                        } else {
                            view! {
                                <input form=form.clone() type="hidden" name="window_secs" value=rule.window_secs />
                                <span class="muted">{t!(i18n, rules.no_window)}</span>
                            }.into_any()
                        }}
                    </td>
                    <td>
                        <select form=form.clone() name="severity" aria-label=move || t_string!(i18n, rules.severity)>
                            {severities}
                        </select>
                    </td>
                    <td>
                        <input form=form.clone() type="checkbox" name="enabled" checked=rule.enabled
                            aria-label=move || t_string!(i18n, rules.enabled) />
                    </td>
                    <td class="small">{rule.actions.join(", ")}</td>
                    <td>
                        <button form=form.clone() type="submit" class="button">{t!(i18n, rules.save)}</button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let columns = |l: Locale| {
        vec![
            td_string!(l, rules.kind),
            td_string!(l, rules.threshold),
            td_string!(l, rules.window),
            td_string!(l, rules.severity),
            td_string!(l, rules.enabled),
            td_string!(l, rules.actions),
            "",
        ]
    };
    view! { <DataTable testid="detection-rules" columns>{rows}</DataTable> }
}
