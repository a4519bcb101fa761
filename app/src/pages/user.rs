//! One person, for administrators (`/usuarios/:username`): profile, supervisor, status and
//! suspension, open sessions, quota, training, recent sign-ins and exports, every change
//! made to the account; and the actions — block, unblock, end a lock, end all sessions,
//! lift a suspension, change role, department or supervisor — each with a reason.

use crate::api::users::{ResetPassword, UserChange as ChangeAction, user_action, user_detail};
use crate::components::async_view::AsyncView;
use crate::components::data_table::DataTable;
use crate::components::dialog::{Dialog, ReasonForm};
use crate::components::error::ErrorNotice;
use crate::components::labels;
use crate::components::quota::QuotaBars;
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::pages::not_found::Forbidden;
use crate::pages::users::LinkReady;
use crate::types::session::{AccountAction, UserDetail};
use crate::types::time::format_lima;
use crate::types::{Department, Role, SessionUser, UserStatus};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn UserPage() -> impl IntoView {
    let i18n = use_i18n();
    if !expect_context::<SessionUser>().is_admin() {
        return view! { <Forbidden /> }.into_any();
    }
    let params = use_params_map();
    let username = move || params.read().get("username").unwrap_or_default();
    let act = Action::new(
        |(username, (action, session), reason): &(String, Chosen, String)| {
            user_action(
                username.clone(),
                action.code().to_owned(),
                reason.clone(),
                None,
                session.clone(),
            )
        },
    );
    let change = ServerAction::<ChangeAction>::new();
    let reset = ServerAction::<ResetPassword>::new();
    let resetting = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(_)) = reset.value().get() {
            resetting.set(false);
        }
    });
    let detail = Resource::new(
        move || (username(), act.version().get(), change.version().get()),
        |(username, _, _)| user_detail(username),
    );
    let open = RwSignal::new(None::<Chosen>);
    Effect::new(move |_| {
        if let Some(Ok(())) = act.value().get() {
            open.set(None);
        }
    });
    view! {
        <PageTitle text=|l| td_string!(l, users.title).to_owned() />
        <p><a href="/usuarios">{t!(i18n, users.back)}</a></p>
        {move || reset.value().get().and_then(Result::ok).map(|link| view! { <LinkReady link /> })}
        <AsyncView resource=detail transition=true let:detail>
            <Profile detail open change resetting />
        </AsyncView>
        {move || resetting.get().then(|| {
            let name = username();
            let explain = Signal::derive(move || {
                td_string!(i18n.get_locale(), users.reset_explain, username = username()).to_string()
            });
            let error = Signal::derive(move || reset.value().get().and_then(Result::err));
            view! {
                <Dialog title=Signal::derive(move || t_string!(i18n, users.reset).to_owned())
                    on_close=move || resetting.set(false)>
                    <ReasonForm explain error pending=reset.pending()
                        on_submit=move |reason: String| { reset.dispatch(ResetPassword { username: name.clone(), reason }); } />
                </Dialog>
            }
        })}
        {move || open.get().map(|chosen| {
            let name = username();
            let action = chosen.0;
            let one = chosen.1.is_some();
            let explain = Signal::derive(move || {
                let l = i18n.get_locale();
                if one {
                    td_string!(l, users.explain_end_session, username = username()).to_string()
                } else {
                    labels::explain_account_action(l, action, &username())
                }
            });
            let error = Signal::derive(move || act.value().get().and_then(Result::err));
            view! {
                <Dialog title=Signal::derive(move || labels::account_action(i18n.get_locale(), action).to_owned())
                    on_close=move || open.set(None)>
                    <ReasonForm explain error pending=act.pending()
                        on_submit=move |reason: String| { act.dispatch((name.clone(), chosen.clone(), reason)); } />
                </Dialog>
            }
        })}
    }
    .into_any()
}

/// An action on the account, and the one session it is about (ending one session).
type Chosen = (AccountAction, Option<String>);

#[component]
fn Profile(
    detail: UserDetail,
    open: RwSignal<Option<Chosen>>,
    change: ServerAction<ChangeAction>,
    resetting: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let me = expect_context::<SessionUser>().username;
    let a = detail.account.clone();
    let own = a.username == me;
    let (department, role, status) = (a.department, a.role, a.status);
    let button = move |action: AccountAction, testid: &'static str| {
        view! {
            <button type="button" class="button button-secondary" data-testid=testid
                on:click=move |_| open.set(Some((action, None)))>
                {move || labels::account_action(i18n.get_locale(), action)}
            </button>
        }
    };
    let actions = (!own).then(|| {
        view! {
            <div class="actions">
                {(status != UserStatus::Blocked).then(|| button(AccountAction::Block, "block"))}
                {(status == UserStatus::Blocked).then(|| button(AccountAction::Unblock, "unblock"))}
                {(status == UserStatus::Locked).then(|| button(AccountAction::Unlock, "unlock"))}
                {(!a.sessions.is_empty()).then(|| button(AccountAction::EndSessions, "end-sessions"))}
                {a.exports_suspended_at.is_some().then(|| button(AccountAction::LiftSuspension, "lift-suspension"))}
                <button type="button" class="button button-secondary" data-testid="reset-password"
                    on:click=move |_| resetting.set(true)>{t!(i18n, users.reset)}</button>
            </div>
        }
    });
    let sessions = a
        .sessions
        .iter()
        .map(|s| {
            let handle = s.handle.clone();
            view! {
                <tr data-testid="user-session">
                    <td>{format_lima(s.started_at)}</td>
                    <td>{format_lima(s.last_seen_at)}</td>
                    <td>{s.ip.clone()}</td>
                    <td>{s.browser.clone()} " · " {s.os.clone()}</td>
                    <td>
                        <button type="button" class="button button-secondary button-small" data-testid="end-session"
                            on:click=move |_| open.set(Some((AccountAction::EndSessions, Some(handle.clone()))))>
                            {t!(i18n, users.end_session)}
                        </button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let sign_ins = detail
        .sign_ins
        .iter()
        .map(|s| {
            view! {
                <tr class:failed=!s.success>
                    <td>{format_lima(s.at)}</td>
                    <td>{if s.success { "✓" } else { "✗" }}</td>
                    <td>{s.ip.clone().unwrap_or_default()}</td>
                    <td>{s.browser.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    let exports = detail
        .exports
        .iter()
        .map(|e| {
            view! {
                <tr>
                    <td><code>{e.receipt.clone()}</code></td>
                    <td>{format_lima(e.created_at)}</td>
                    <td class="num">{e.count}</td>
                    <td>{e.format.to_uppercase()}</td>
                </tr>
            }
        })
        .collect_view();
    let changes = detail
        .changes
        .iter()
        .map(|c| {
            let action = c.action.clone();
            view! {
                <tr data-testid="user-change">
                    <td><a href=format!("/auditoria/{}", c.seq)>{format_lima(c.at)}</a></td>
                    <td>{c.actor.clone()}</td>
                    <td>{move || labels::action(i18n.get_locale(), &action)}</td>
                    <td><code class="small">{shown(&c.before)}</code></td>
                    <td><code class="small">{shown(&c.after)}</code></td>
                    <td>{c.reason.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h1>{a.full_name.clone()} " " <code>{a.username.clone()}</code></h1>
        <div class="grid-2">
            <section class="card" data-testid="user-profile">
                <dl class="facts">
                    <dt>{t!(i18n, users.department)}</dt><dd>{move || labels::department(i18n.get_locale(), department)}</dd>
                    <dt>{t!(i18n, users.role)}</dt><dd data-testid="user-role">{move || labels::role(i18n.get_locale(), role)}</dd>
                    <dt>{t!(i18n, users.supervisor)}</dt><dd>{detail.supervisor.clone().unwrap_or_default()}</dd>
                    <dt>{t!(i18n, users.email)}</dt><dd>{detail.email.clone()}</dd>
                    <dt>{t!(i18n, users.status)}</dt>
                    <dd><span class=format!("badge badge-{}", status.code()) data-testid="user-status">{move || labels::status(i18n.get_locale(), status)}</span>
                        {a.blocked_reason.clone().map(|r| view! { " " <q>{r}</q> })}</dd>
                    <dt>{t!(i18n, users.training)}</dt>
                    <dd>{detail.certified_until.map(format_lima).unwrap_or_else(|| "—".into())}</dd>
                </dl>
                {actions}
            </section>
            <section class="card">
                <h2>{t!(i18n, users.quota)}</h2>
                <QuotaBars quota=detail.quota.clone() />
            </section>
        </div>
        {(!own).then(|| view! { <AssignmentForm username=a.username.clone() department role supervisor=detail.supervisor.clone() change /> })}
        <section>
            <h2>{t!(i18n, users.sessions)}</h2>
            {if a.sessions.is_empty() {
                view! { <p class="card muted">{t!(i18n, users.no_sessions)}</p> }.into_any()
            } else {
                view! {
                    <DataTable columns=|l: Locale| vec![td_string!(l, usage.started), td_string!(l, usage.last_seen), td_string!(l, usage.ip), td_string!(l, usage.browser), td_string!(l, users.session_action)]>
                        {sessions}
                    </DataTable>
                }.into_any()
            }}
        </section>
        <section>
            <h2>{t!(i18n, users.changes)}</h2>
            <DataTable testid="user-changes" columns=|l: Locale| vec![td_string!(l, usage.when), td_string!(l, users.by), td_string!(l, users.what), td_string!(l, users.before), td_string!(l, users.after), td_string!(l, users.reason)]>
                {changes}
            </DataTable>
        </section>
        <div class="grid-2">
            <section>
                <h2>{t!(i18n, users.sign_ins)}</h2>
                <DataTable columns=|l: Locale| vec![td_string!(l, usage.when), td_string!(l, usage.result), td_string!(l, usage.ip), td_string!(l, usage.browser)]>
                    {sign_ins}
                </DataTable>
            </section>
            <section>
                <h2>{t!(i18n, users.exports)}</h2>
                <DataTable columns=|l: Locale| vec![td_string!(l, export.receipt), td_string!(l, usage.when), td_string!(l, usage.count), td_string!(l, export.format)]>
                    {exports}
                </DataTable>
            </section>
        </div>
        <p><a href=format!("/alertas?username={}", a.username)>{t!(i18n, users.their_alerts)}</a>
            " · " <a href=format!("/auditoria?username={}", a.username)>{t!(i18n, users.their_events)}</a></p>
    }
}

/// A before or after document as the table shows it ("—" when there is none).
fn shown(v: &serde_json::Value) -> String {
    if v.is_null() {
        "—".to_owned()
    } else {
        v.to_string()
    }
}

/// Role, department and supervisor, changed with a reason.
#[component]
fn AssignmentForm(
    username: String,
    department: Department,
    role: Role,
    supervisor: Option<String>,
    change: ServerAction<ChangeAction>,
) -> impl IntoView {
    let i18n = use_i18n();
    let roles = move || {
        let l = i18n.get_locale();
        Role::ALL
            .iter()
            .map(|r| view! { <option value=r.code() selected=*r == role>{labels::role(l, *r)}</option> })
            .collect_view()
    };
    let departments = move || {
        let l = i18n.get_locale();
        Department::ALL
            .iter()
            .map(|d| view! { <option value=d.code() selected=*d == department>{labels::department(l, *d)}</option> })
            .collect_view()
    };
    view! {
        <ActionForm action=change attr:class="card stack" attr:data-testid="assignment-form">
            <h2>{t!(i18n, users.assignment)}</h2>
            <input type="hidden" name="username" value=username />
            <div class="row">
                <label><span>{t!(i18n, users.role)}</span><select name="role">{roles}</select></label>
                <label><span>{t!(i18n, users.department)}</span><select name="department">{departments}</select></label>
                <label><span>{t!(i18n, users.supervisor)}</span><input name="supervisor" value=supervisor.unwrap_or_default() placeholder=move || t_string!(i18n, users.supervisor_hint) /></label>
            </div>
            <label><span>{t!(i18n, triage.reason)}</span><textarea name="reason" rows="2" required=true minlength="10"></textarea></label>
            {move || match change.value().get() {
                Some(Ok(())) => Some(view! { <p class="notice notice-ok" role="status" data-testid="assignment-saved">{t!(i18n, users.saved)}</p> }.into_any()),
                Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
                None => None,
            }}
            <button type="submit" class="button" disabled=move || change.pending().get()>{t!(i18n, users.save)}</button>
        </ActionForm>
    }
}
