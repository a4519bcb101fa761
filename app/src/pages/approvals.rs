//! "Aprobaciones": the export requests waiting for the caller's decision, each with what an
//! approver needs to decide (who asks, what, why, over which limit, their usage and their
//! earlier requests), approved or rejected through a dialog; and the requests they decided.

use crate::api::approvals::{DecideApproval, approvals};
use crate::components::approval_route::RouteView;
use crate::components::async_view::AsyncView;
use crate::components::dialog::{Dialog, ReasonForm};
use crate::components::labels::{department, field, role};
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::notice::approvals::state_name;
use crate::types::approval::{ApprovalItem, DecisionView, RequestState, Verdict};
use crate::types::time::format_lima;
use crate::types::{Role, SessionUser};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The decision being confirmed: (request, verdict, requester, count).
type Asked = Option<(i64, Verdict, String, i64)>;

#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = expect_context::<SessionUser>();
    if user.role < Role::Supervisor && !user.has_reports {
        return view! { <crate::pages::not_found::Forbidden /> }.into_any();
    }
    let query = use_query_map();
    let decided_tab = move || query.read().get("estado").as_deref() == Some("decided");
    let decide = ServerAction::<DecideApproval>::new();
    let list = Resource::new(
        move || (decided_tab(), decide.version().get()),
        |(decided, _)| approvals(Some(if decided { "decided" } else { "pending" }.to_owned())),
    );
    let asked = RwSignal::new(Asked::None);
    let done = RwSignal::new(None::<RequestState>);
    Effect::new(move |_| {
        if let Some(Ok(decided)) = decide.value().get() {
            asked.set(None);
            done.set(Some(decided.state));
        }
    });
    let error = Signal::derive(move || decide.value().get().and_then(Result::err));
    let pending = decide.pending();
    let send = move |(id, verdict, comment): (i64, Verdict, Option<String>)| {
        decide.dispatch(DecideApproval {
            request_id: id,
            decision: verdict.code().to_owned(),
            comment,
        });
    };
    view! {
        <PageTitle text=|l| td_string!(l, approvals.title).to_owned() />
        <h1>{t!(i18n, approvals.title)}</h1>
        <p class="muted">{t!(i18n, approvals.intro)}</p>
        <nav class="tabs" aria-label=move || t_string!(i18n, approvals.title)>
            <a href="/aprobaciones" aria-current=move || (!decided_tab()).then_some("page")>{t!(i18n, approvals.pending_tab)}</a>
            <a href="/aprobaciones?estado=decided" aria-current=move || decided_tab().then_some("page")>{t!(i18n, approvals.history_tab)}</a>
        </nav>
        {move || done.get().map(|state| view! {
            <p class="notice notice-ok" role="status" data-testid="decided">
                {move || td_string!(i18n.get_locale(), approvals.decided, state = state_name(i18n.get_locale(), state)).to_string()}
            </p>
        })}
        <AsyncView resource=list transition=true let:list>
            {if list.items.is_empty() {
                view! {
                    <p class="card muted">{move || if decided_tab() {
                        t_string!(i18n, approvals.none_decided)
                    } else {
                        t_string!(i18n, approvals.none_pending)
                    }}</p>
                }.into_any()
            } else {
                list.items.into_iter().map(|item| view! { <RequestCard item asked /> }).collect_view().into_any()
            }}
        </AsyncView>
        {move || asked.get().map(|(id, verdict, requester, count)| {
            let close = Callback::new(move |_| asked.set(None));
            let title = Signal::derive(move || {
                let l = i18n.get_locale();
                match verdict {
                    Verdict::Approve => td_string!(l, approvals.approve_title, id = id).to_string(),
                    Verdict::Reject => td_string!(l, approvals.reject_title, id = id).to_string(),
                }
            });
            let form = match verdict {
                Verdict::Approve => view! {
                    <ApproveForm requester count error pending
                        on_submit=Callback::new(move |comment| send((id, verdict, comment))) />
                }.into_any(),
                Verdict::Reject => view! {
                    <ReasonForm explain=Signal::derive(move || t_string!(i18n, approvals.reject_reason).to_owned())
                        error pending on_submit=Callback::new(move |reason| send((id, verdict, Some(reason)))) />
                }.into_any(),
            };
            view! { <Dialog title on_close=close>{form}</Dialog> }
        })}
    }
    .into_any()
}

/// Approving: what the approval lets the requester do, and an optional comment.
#[component]
fn ApproveForm(
    requester: String,
    count: i64,
    #[prop(into)] error: Signal<Option<crate::error::AppError>>,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] on_submit: Callback<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let comment = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = comment.get_untracked().trim().to_owned();
        on_submit.run((!text.is_empty()).then_some(text));
    };
    let requester = StoredValue::new(requester);
    view! {
        <form class="stack" on:submit=submit data-testid="approve-form">
            <p>{move || td_string!(i18n.get_locale(), approvals.approve_body, requester = requester.get_value(), count = count).to_string()}</p>
            <label>
                <span>{t!(i18n, approvals.comment)}</span>
                <textarea name="comment" rows="3" autofocus=true
                    on:input=move |ev| comment.set(event_target_value(&ev))
                    prop:value=move || comment.get()></textarea>
            </label>
            {move || error.get().map(|e| view! { <p class="notice notice-error" role="alert">{e.message_in(i18n.get_locale())}</p> })}
            <div class="dialog-actions">
                <button type="submit" class="button" disabled=move || pending.get()>{t!(i18n, approvals.approve)}</button>
            </div>
        </form>
    }
}

/// The decisions taken on a request so far.
pub fn decisions_view(decisions: Vec<DecisionView>) -> impl IntoView {
    let i18n = use_i18n();
    (!decisions.is_empty()).then(|| {
        let lines = decisions
            .into_iter()
            .map(|d| {
                view! {
                    <li>
                        {move || {
                            let l = i18n.get_locale();
                            let what = match d.decision {
                                Verdict::Approve => td_string!(l, approvals.verdict.approve),
                                Verdict::Reject => td_string!(l, approvals.verdict.reject),
                            };
                            td_string!(l, approvals.decision_line, who = d.approver.clone(), what = what, at = format_lima(d.at)).to_string()
                        }}
                        {d.comment.clone().map(|c| view! { <q>{c}</q> })}
                    </li>
                }
            })
            .collect_view();
        view! {
            <div>
                <h3>{t!(i18n, approvals.decisions)}</h3>
                <ul class="decisions">{lines}</ul>
            </div>
        }
    })
}

#[component]
fn RequestCard(item: ApprovalItem, asked: RwSignal<Asked>) -> impl IntoView {
    let i18n = use_i18n();
    let id = item.request_id;
    let sensitive = item.sensitive_fields.clone();
    let fields = item
        .fields
        .iter()
        .map(|f| {
            let f = *f;
            let marked = sensitive.contains(&f);
            view! {
                <li class:sensitive=marked>{move || field(i18n.get_locale(), f)}
                    {marked.then(|| view! { " " <mark>{t!(i18n, approvals.sensitive)}</mark> })}
                </li>
            }
        })
        .collect_view();
    let (dept, r) = (item.department, item.role);
    let requester = item.requester.clone();
    let count = item.count;
    let (given, needed) = (item.approvals_given, item.approvals_needed);
    let (used, previous, previous_approved) = (
        item.used_this_month,
        item.previous_requests,
        item.previous_approved,
    );
    let (created, expires) = (item.created_at, item.expires_at);
    let state = item.state;
    view! {
        <article class="card approval" data-testid="approval" data-request=id>
            <h2>
                {move || td_string!(i18n.get_locale(), approvals.request, id = id).to_string()}
                " " <span class=format!("badge badge-{}", state.code())>{move || state_name(i18n.get_locale(), state)}</span>
            </h2>
            <dl class="facts">
                <dt>{t!(i18n, approvals.requester)}</dt>
                <dd>{item.requester_name.clone()} " (" <code>{item.requester.clone()}</code> ") · "
                    {move || department(i18n.get_locale(), dept)} " · " {move || role(i18n.get_locale(), r)}</dd>
                <dt>{t!(i18n, approvals.count)}</dt><dd data-testid="approval-count">{count}</dd>
                <dt>{t!(i18n, approvals.fields)}</dt><dd><ul class="inline-list">{fields}</ul></dd>
                <dt>{t!(i18n, approvals.format)}</dt><dd>{item.format.to_uppercase()}</dd>
                <dt>{t!(i18n, approvals.justification)}</dt><dd>{item.justification.clone()}</dd>
                {item.campaign.clone().map(|c| view! { <dt>{t!(i18n, approvals.campaign)}</dt><dd>{c}</dd> })}
                <dt>{t!(i18n, approvals.reason)}</dt><dd>{item.reason.clone()}</dd>
                <dt>{t!(i18n, approvals.state_label)}</dt>
                <dd>{move || td_string!(i18n.get_locale(), approvals.progress, given = given, needed = needed).to_string()}</dd>
            </dl>
            <p class="muted small">
                {move || td_string!(i18n.get_locale(), approvals.usage_month, count = used).to_string()} " "
                {move || td_string!(i18n.get_locale(), approvals.previous, count = previous, approved = previous_approved).to_string()} " "
                {move || td_string!(i18n.get_locale(), approvals.asked_at, at = format_lima(created), until = format_lima(expires)).to_string()}
            </p>
            <RouteView route=item.route.clone() />
            {decisions_view(item.decisions.clone())}
            {item.may_decide.then(|| {
                let (a, b) = (requester.clone(), requester.clone());
                view! {
                    <div class="actions">
                        <button type="button" class="button" data-testid="approve"
                            on:click=move |_| asked.set(Some((id, Verdict::Approve, a.clone(), count)))>
                            {t!(i18n, approvals.approve)}</button>
                        <button type="button" class="button button-secondary" data-testid="reject"
                            on:click=move |_| asked.set(Some((id, Verdict::Reject, b.clone(), count)))>
                            {t!(i18n, approvals.reject)}</button>
                    </div>
                }
            })}
        </article>
    }
}
