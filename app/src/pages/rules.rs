//! "Reglas de detección" (administrators): every rule with its threshold, window, severity,
//! whether it is enabled and its automatic responses, each editable in place (the server
//! validates and audits); below, the mail outbox, so an administrator sees what was not sent.

use crate::api::alerts::{UpdateDetectionRule, detection_rules, mail_outbox};
use crate::components::async_view::AsyncView;
use crate::components::data_table::DataTable;
use crate::components::error::ErrorNotice;
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::pages::not_found::Forbidden;
use crate::types::SessionUser;
use crate::types::alert::{AlertResponse, AlertSeverity, Outbox, RuleView};
use crate::types::time::format_lima;
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
    let outbox = Resource::new(|| (), |_| mail_outbox());
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
        <section>
            <h2>{t!(i18n, rules.outbox)}</h2>
            <p class="muted">{t!(i18n, rules.outbox_intro)}</p>
            <AsyncView resource=outbox let:outbox>
                <OutboxTable outbox />
            </AsyncView>
        </section>
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
                    <td class="small rule-responses">
                        <fieldset class="checks">
                            <legend class="visually-hidden">{t!(i18n, rules.actions)}</legend>
                            <input form=form.clone() type="hidden" name="actions[]" value="" />
                            {responses(&form, &rule.actions)}
                        </fieldset>
                    </td>
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

/// One checkbox per automatic response, ticked where the rule runs it.
fn responses(form: &str, chosen: &[AlertResponse]) -> impl IntoView + use<> {
    let i18n = use_i18n();
    AlertResponse::ALL
        .iter()
        .map(|response| {
            let checked = chosen.contains(response);
            view! {
                <label class="check">
                    <input form=form.to_owned() type="checkbox" name="actions[]" value=response.code() checked=checked />
                    {move || response.name(i18n.get_locale())}
                </label>
            }
        })
        .collect_view()
}

/// The latest messages in the outbox, and whether mail can go out at all.
#[component]
fn OutboxTable(outbox: Outbox) -> impl IntoView {
    let i18n = use_i18n();
    let warning = (!outbox.configured).then(|| {
        view! { <p class="notice notice-error" role="status" data-testid="mail-unconfigured">{t!(i18n, rules.outbox_unconfigured)}</p> }
    });
    if outbox.items.is_empty() {
        return view! { {warning} <p class="card muted">{t!(i18n, rules.outbox_empty)}</p> }
            .into_any();
    }
    let rows = outbox
        .items
        .into_iter()
        .map(|m| {
            let (status, shown) = (m.status.clone(), m.status.clone());
            view! {
                <tr>
                    <td>{format_lima(m.created_at)}</td>
                    <td>{m.to_address.clone()}</td>
                    <td>{move || m.kind.map(|k| k.name(i18n.get_locale())).unwrap_or("—")}</td>
                    <td>{move || m.severity.map(|s| s.name(i18n.get_locale())).unwrap_or("—")}</td>
                    <td data-status=status>{move || mail_state(i18n.get_locale(), &shown)}</td>
                    <td>{m.attempts}</td>
                    <td>{m.sent_at.map(format_lima).unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    let columns = |l: Locale| {
        vec![
            td_string!(l, rules.queued_at),
            td_string!(l, rules.to),
            td_string!(l, rules.about),
            td_string!(l, rules.severity),
            td_string!(l, rules.mail_status),
            td_string!(l, rules.attempts),
            td_string!(l, rules.sent_at),
        ]
    };
    view! { {warning} <DataTable testid="mail-outbox" columns>{rows}</DataTable> }.into_any()
}

fn mail_state(l: Locale, status: &str) -> &'static str {
    match status {
        "sent" => td_string!(l, rules.mail_state.sent),
        "sending" => td_string!(l, rules.mail_state.sending),
        "failed" => td_string!(l, rules.mail_state.failed),
        _ => td_string!(l, rules.mail_state.queued),
    }
}
