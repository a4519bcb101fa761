//! The alert page's account panel: the subject's status, export suspension and open
//! sessions, and the actions on the account, each confirmed in a dialog with a reason.

use super::{Open, Step};
use crate::components::data_table::DataTable;
use crate::components::dialog::{Dialog, ReasonForm};
use crate::components::labels;
use crate::error::AppError;
use crate::i18n::*;
use crate::pages::audit::explorer_href;
use crate::types::SessionUser;
use crate::types::alert::SubjectView;
use crate::types::audit::AuditFilter;
use crate::types::session::AccountAction;
use crate::types::time::format_lima;
use leptos::prelude::*;

/// The subject's account: status, suspension, open sessions, and the actions on it.
#[component]
pub(super) fn Subject(subject: SubjectView, open: RwSignal<Option<Open>>) -> impl IntoView {
    let i18n = use_i18n();
    let me = expect_context::<SessionUser>().username;
    let own = subject.username == me;
    let blocked = subject.status == crate::types::UserStatus::Blocked;
    let locked = subject.status == crate::types::UserStatus::Locked;
    let status = subject.status;
    let button = move |action: AccountAction, text: &'static str, testid: &'static str| {
        view! {
            <button type="button" class="button button-secondary" data-testid=testid disabled=own
                on:click=move |_| open.set(Some(Open::Account(action)))>{text}</button>
        }
    };
    let locale = i18n.get_locale_untracked();
    let sessions = if subject.sessions.is_empty() {
        view! { <p class="muted">{t!(i18n, triage.no_sessions)}</p> }.into_any()
    } else {
        let rows = subject
            .sessions
            .iter()
            .map(|s| {
                view! {
                    <tr>
                        <td>{format_lima(s.started_at)}</td>
                        <td>{format_lima(s.last_seen_at)}</td>
                        <td>{s.ip.clone()}</td>
                        <td>{format!("{} · {} · {}", s.browser, s.os, s.device)}</td>
                    </tr>
                }
            })
            .collect_view();
        let columns = |l: Locale| {
            vec![
                td_string!(l, usage.started),
                td_string!(l, usage.last_seen),
                td_string!(l, usage.ip),
                td_string!(l, usage.device),
            ]
        };
        view! { <DataTable testid="subject-sessions" columns>{rows}</DataTable> }.into_any()
    };
    view! {
        <section class="card stack" data-testid="subject">
            <h2>{t!(i18n, triage.subject)}</h2>
            <dl class="facts">
                <dt>{t!(i18n, triage.user)}</dt>
                <dd><a href=explorer_href(&AuditFilter { user: subject.username.clone(), ..AuditFilter::default() })>{subject.username.clone()}</a>" · "{subject.full_name.clone()}</dd>
                <dt>{t!(i18n, triage.department_role)}</dt>
                <dd>{move || format!("{} · {}", labels::department(i18n.get_locale(), subject.department), labels::role(i18n.get_locale(), subject.role))}</dd>
                <dt>{t!(i18n, triage.status)}</dt>
                <dd><span class=format!("badge badge-{}", status.code()) data-testid="subject-status">{move || labels::status(i18n.get_locale(), status)}</span>
                    {subject.blocked_reason.clone().map(|r| view! { " " <span class="muted small">{r}</span> })}</dd>
                <dt>{t!(i18n, triage.exports)}</dt>
                <dd data-testid="subject-exports">{match subject.exports_suspended_at {
                    Some(at) => td_string!(locale, triage.suspended_since, at = format_lima(at)).to_string(),
                    None => td_string!(locale, triage.exports_allowed).to_owned(),
                }}</dd>
            </dl>
            <h3>{t!(i18n, triage.sessions)}</h3>
            {sessions}
            <div class="actions">
                {(!subject.sessions.is_empty()).then(|| button(AccountAction::EndSessions, td_string!(locale, triage.end_sessions), "end-sessions"))}
                {if blocked {
                    button(AccountAction::Unblock, td_string!(locale, triage.unblock), "unblock").into_any()
                } else {
                    button(AccountAction::Block, td_string!(locale, triage.block), "block").into_any()
                }}
                {locked.then(|| button(AccountAction::Unlock, td_string!(locale, triage.unlock), "unlock"))}
                {subject.exports_suspended_at.is_some().then(|| button(AccountAction::LiftSuspension, td_string!(locale, triage.lift_suspension), "lift-suspension"))}
            </div>
            {own.then(|| view! { <p class="muted small">{t!(i18n, triage.own_account)}</p> })}
        </section>
    }
}

/// The confirmation of an action on the subject's account, with its reason.
#[component]
pub(super) fn AccountDialog(
    action: AccountAction,
    username: String,
    step: Action<Step, Result<(), AppError>>,
    open: RwSignal<Option<Open>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = username.clone();
    let explain =
        Signal::derive(move || labels::explain_account_action(i18n.get_locale(), action, &name));
    let title =
        Signal::derive(move || labels::account_action(i18n.get_locale(), action).to_owned());
    let error = Signal::derive(move || step.value().get().and_then(Result::err));
    view! {
        <Dialog title on_close=move || open.set(None)>
            <ReasonForm explain error pending=step.pending()
                on_submit=move |reason: String| {
                    step.dispatch(Step::Account { username: username.clone(), action, reason });
                } />
        </Dialog>
    }
}
