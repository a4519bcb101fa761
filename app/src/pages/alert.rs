//! One alert (administrators): what happened in plain words, its facts, triage (move it,
//! assign it, comment), the subject's account and sessions with the actions an
//! investigation needs (each confirmed in a dialog with a reason), the timeline of the
//! events that triggered it and the subject's activity around them (each a link into the
//! audit explorer), the forensic snapshot, and the history nobody can rewrite.

use crate::api::alerts::{alert, alert_assign, alert_comment, alert_transition};
use crate::api::users::user_action;
use crate::components::async_view::AsyncView;
use crate::components::data_table::DataTable;
use crate::components::dialog::{CloseForm, Dialog, ReasonForm, action_name};
use crate::components::error::ErrorNotice;
use crate::components::labels;
use crate::components::title::PageTitle;
use crate::error::AppError;
use crate::i18n::*;
use crate::pages::alerts::{SeverityBadge, StateBadge};
use crate::pages::audit::explorer_href;
use crate::pages::not_found::Forbidden;
use crate::types::SessionUser;
use crate::types::alert::{
    ActionTaken, AlertDetail, AlertState, HistoryEntry, OwnerAnswer, SubjectView, TimelineEvent,
};
use crate::types::audit::AuditFilter;
use crate::types::session::AccountAction;
use crate::types::time::format_lima;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// Something the page sends to the server about the alert; each answers with the alert.
#[derive(Clone)]
enum Step {
    Move {
        to: AlertState,
        note: Option<String>,
        action_taken: Option<String>,
    },
    Assign(Option<String>),
    Comment(String),
    Account {
        username: String,
        action: AccountAction,
        reason: String,
    },
}

/// The open dialog, if any.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    Move(AlertState),
    Account(AccountAction),
}

#[component]
pub fn AlertPage() -> impl IntoView {
    let user = expect_context::<SessionUser>();
    if !user.is_admin() {
        return view! { <Forbidden /> }.into_any();
    }
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    // The version the page shows: every step is sent at it.
    let refresh = RwSignal::new(0_u32);
    let detail = Resource::new(
        move || (id(), refresh.get()),
        |(id, _)| async move {
            match id {
                Some(id) => alert(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <PageTitle text=|l| td_string!(l, triage.alert_title).to_owned() />
        <p><a href="/alertas">{t!(i18n, triage.back)}</a></p>
        <AsyncView resource=detail transition=true let:detail>
            <Detail detail refresh />
        </AsyncView>
    }
    .into_any()
}

#[component]
fn Detail(detail: AlertDetail, refresh: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let a = detail.alert.clone();
    let (id, version) = (a.id, a.version);
    let open = RwSignal::new(None::<Open>);
    let step = Action::new(move |step: &Step| {
        let step = step.clone();
        async move {
            match step {
                Step::Move {
                    to,
                    note,
                    action_taken,
                } => alert_transition(id, to.code().to_owned(), note, action_taken, version)
                    .await
                    .map(|_| ()),
                Step::Assign(who) => alert_assign(id, who, version).await.map(|_| ()),
                Step::Comment(note) => alert_comment(id, note).await.map(|_| ()),
                Step::Account {
                    username,
                    action,
                    reason,
                } => user_action(username, action.code().to_owned(), reason, Some(id)).await,
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = step.value().get() {
            open.set(None);
            refresh.update(|n| *n += 1);
        }
    });
    let error = Signal::derive(move || step.value().get().and_then(Result::err));
    let pending: Signal<bool> = step.pending().into();
    let kind = a.kind;
    let state = a.state;
    let answer = a.answer.map(|answer| {
        view! {
            <p class=if answer == OwnerAnswer::No { "notice notice-error" } else { "notice notice-ok" } data-testid="owner-answer">
                {move || match answer {
                    OwnerAnswer::Yes => td_string!(i18n.get_locale(), triage.answered_yes),
                    OwnerAnswer::No => td_string!(i18n.get_locale(), triage.answered_no),
                }}
            </p>
        }
    });
    let subject_name = detail
        .subject
        .as_ref()
        .map(|s| s.username.clone())
        .unwrap_or_default();
    let dialog = move || {
        let username = subject_name.clone();
        open.get().map(|which| {
            match which {
                Open::Move(to) => view! {
                    <Dialog title=Signal::derive(move || td_string!(i18n.get_locale(), triage.move_to, state = to.name(i18n.get_locale())).to_string())
                        on_close=move || open.set(None)>
                        <CloseForm to error pending
                            on_submit=move |(note, action): (String, String)| {
                                step.dispatch(Step::Move {
                                    to,
                                    note: Some(note),
                                    action_taken: (!action.is_empty()).then_some(action),
                                });
                            } />
                    </Dialog>
                }
                .into_any(),
                Open::Account(action) => view! { <AccountDialog action username step open /> }.into_any(),
            }
        })
    };
    view! {
        <header class="alert-head">
            <h1>{move || kind.name(i18n.get_locale())}" "<span class="muted">"#"{id}</span></h1>
            <p class="badges"><SeverityBadge severity=a.severity />" "<StateBadge state /></p>
        </header>
        <p class="lead" data-testid="alert-description">{a.description.clone()}</p>
        {answer}
        {move || error.get().map(|error| view! { <ErrorNotice error /> })}
        <div class="grid-2">
            <section class="card">
                <h2>{t!(i18n, triage.facts)}</h2>
                <dl class="facts">
                    <dt>{t!(i18n, triage.user)}</dt><dd>{a.username.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>{t!(i18n, triage.ip)}</dt><dd>{a.ip.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>{t!(i18n, triage.occurrences)}</dt><dd data-testid="occurrences">{a.occurrences}</dd>
                    <dt>{t!(i18n, triage.first_seen)}</dt><dd>{format_lima(a.first_seen)}</dd>
                    <dt>{t!(i18n, triage.last_seen)}</dt><dd>{format_lima(a.last_seen)}</dd>
                    <dt>{t!(i18n, triage.assignee)}</dt><dd data-testid="assignee">{a.assignee.clone().unwrap_or_else(|| "—".into())}</dd>
                    {detail.closed_at.map(|at| view! { <dt>{t!(i18n, triage.closed_at)}</dt><dd>{format_lima(at)}</dd> })}
                </dl>
            </section>
            <Triage state administrators=detail.administrators.clone() assignee=a.assignee.clone() open step />
        </div>
        {detail.subject.clone().map(|subject| view! { <Subject subject open /> })}
        <Timeline id events=detail.events.clone() />
        {detail.snapshot.clone().map(|snapshot| view! { <Snapshot snapshot /> })}
        <section>
            <h2>{t!(i18n, triage.rule_settings)}</h2>
            <pre class="card small json">{serde_json::to_string_pretty(&detail.details).unwrap_or_default()}</pre>
        </section>
        <History history=detail.history.clone() />
        <Comment step />
        {dialog}
    }
}

/// Moving the alert and assigning it.
#[component]
fn Triage(
    state: AlertState,
    administrators: Vec<String>,
    assignee: Option<String>,
    open: RwSignal<Option<Open>>,
    step: Action<Step, Result<(), AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let me = expect_context::<SessionUser>().username;
    let pending = move || step.pending().get();
    let review = (state == AlertState::Nueva).then(|| {
        view! {
            <button type="button" class="button" disabled=pending data-testid="to-review"
                on:click=move |_| { step.dispatch(Step::Move { to: AlertState::EnRevision, note: None, action_taken: None }); }>
                {t!(i18n, triage.to_review)}
            </button>
        }
    });
    let close = state.is_open().then(|| {
        view! {
            <button type="button" class="button" disabled=pending data-testid="resolve"
                on:click=move |_| open.set(Some(Open::Move(AlertState::Resuelta)))>
                {t!(i18n, triage.resolve)}
            </button>
            <button type="button" class="button button-secondary" disabled=pending data-testid="false-positive"
                on:click=move |_| open.set(Some(Open::Move(AlertState::FalsoPositivo)))>
                {t!(i18n, triage.false_positive)}
            </button>
        }
    });
    let reopen = (!state.is_open()).then(|| {
        view! {
            <button type="button" class="button button-secondary" disabled=pending data-testid="reopen"
                on:click=move |_| open.set(Some(Open::Move(AlertState::EnRevision)))>
                {t!(i18n, triage.reopen)}
            </button>
        }
    });
    let chosen = RwSignal::new(String::new());
    let others = administrators
        .into_iter()
        .map(|name| {
            let selected = Some(&name) == assignee.as_ref();
            view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
        })
        .collect_view();
    let mine = assignee.as_deref() == Some(me.as_str());
    view! {
        <section class="card stack" data-testid="triage">
            <h2>{t!(i18n, triage.triage)}</h2>
            <div class="actions">{review}{close}{reopen}</div>
            <div class="actions">
                {(!mine).then(|| view! {
                    <button type="button" class="button button-secondary" disabled=pending data-testid="assign-me"
                        on:click=move |_| { step.dispatch(Step::Assign(None)); }>
                        {t!(i18n, triage.assign_me)}
                    </button>
                })}
                <label class="inline">
                    <span>{t!(i18n, triage.assign_to)}</span>
                    <select on:change=move |ev| chosen.set(event_target_value(&ev)) data-testid="assign-select">
                        <option value="">{t!(i18n, triage.choose)}</option>
                        {others}
                    </select>
                </label>
                <button type="button" class="button button-secondary"
                    disabled=move || pending() || chosen.with(String::is_empty)
                    on:click=move |_| { step.dispatch(Step::Assign(Some(chosen.get_untracked()))); }>
                    {t!(i18n, triage.assign)}
                </button>
            </div>
        </section>
    }
}

/// The subject's account: status, suspension, open sessions, and the actions on it.
#[component]
fn Subject(subject: SubjectView, open: RwSignal<Option<Open>>) -> impl IntoView {
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
fn AccountDialog(
    action: AccountAction,
    username: String,
    step: Action<Step, Result<(), AppError>>,
    open: RwSignal<Option<Open>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = username.clone();
    let explain = Signal::derive(move || {
        let l = i18n.get_locale();
        let u = name.as_str();
        match action {
            AccountAction::Block => td_string!(l, triage.explain_block, username = u).to_string(),
            AccountAction::Unblock => {
                td_string!(l, triage.explain_unblock, username = u).to_string()
            }
            AccountAction::Unlock => td_string!(l, triage.explain_unlock, username = u).to_string(),
            AccountAction::EndSessions => {
                td_string!(l, triage.explain_end_sessions, username = u).to_string()
            }
            AccountAction::LiftSuspension => {
                td_string!(l, triage.explain_lift, username = u).to_string()
            }
        }
    });
    let title = Signal::derive(move || {
        let l = i18n.get_locale();
        match action {
            AccountAction::Block => td_string!(l, triage.block),
            AccountAction::Unblock => td_string!(l, triage.unblock),
            AccountAction::Unlock => td_string!(l, triage.unlock),
            AccountAction::EndSessions => td_string!(l, triage.end_sessions),
            AccountAction::LiftSuspension => td_string!(l, triage.lift_suspension),
        }
        .to_owned()
    });
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

/// The triggering events and the subject's activity around them, oldest first.
#[component]
fn Timeline(id: i64, events: Vec<TimelineEvent>) -> impl IntoView {
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
fn Snapshot(snapshot: serde_json::Value) -> impl IntoView {
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
fn History(history: Vec<HistoryEntry>) -> impl IntoView {
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

/// A comment on the alert, in any state.
#[component]
fn Comment(step: Action<Step, Result<(), AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let note = text.get_untracked().trim().to_owned();
        if !note.is_empty() {
            step.dispatch(Step::Comment(note));
        }
    };
    view! {
        <form class="card stack" on:submit=submit data-testid="comment-form">
            <label>
                <span>{t!(i18n, triage.comment)}</span>
                <textarea name="note" rows="3" on:input=move |ev| text.set(event_target_value(&ev))
                    prop:value=move || text.get()></textarea>
            </label>
            <div><button type="submit" class="button" disabled=move || step.pending().get() || text.with(|t| t.trim().is_empty())>
                {t!(i18n, triage.add_comment)}
            </button></div>
        </form>
    }
}
