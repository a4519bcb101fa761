//! One alert (administrators): what happened in plain words, its facts, triage (move it,
//! assign it, comment), the subject's account and sessions with the actions an
//! investigation needs (each confirmed in a dialog with a reason), the timeline of the
//! events that triggered it and the subject's activity around them (each a link into the
//! audit explorer), the forensic snapshot, and the history nobody can rewrite.

use crate::api::alerts::{alert, alert_assign, alert_comment, alert_transition};
use crate::api::users::user_action;
use crate::components::alert_labels::{SeverityBadge, StateBadge};
use crate::components::async_view::AsyncView;
use crate::components::dialog::{CloseForm, Dialog};
use crate::components::error::ErrorNotice;
use crate::components::title::PageTitle;
use crate::error::AppError;
use crate::i18n::*;
use crate::pages::not_found::Forbidden;
use crate::types::SessionUser;
use crate::types::alert::{AlertDetail, AlertState, OwnerAnswer};
use crate::types::session::AccountAction;
use crate::types::time::format_lima;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

mod account;
mod record;

use account::{AccountDialog, Subject};
use record::{History, Snapshot, Timeline};

/// Something the page sends to the server about the alert; each answers with the alert.
#[derive(Clone)]
pub(super) enum Step {
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
pub(super) enum Open {
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
                } => user_action(username, action.code().to_owned(), reason, Some(id), None).await,
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
