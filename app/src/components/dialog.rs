//! Dialogs that confirm an action: a modal box over the page (Escape, "Cancelar" and the
//! close button dismiss it), and the forms the triage pages put in one — closing an alert
//! (notes and the action taken) and an action that needs a reason. The forms check what
//! they can before sending; the server checks everything again.

use crate::error::AppError;
use crate::i18n::*;
use crate::types::alert::{ActionTaken, AlertState};
use crate::types::triage::MIN_NOTE_CHARS;
use leptos::prelude::*;

/// A modal dialog titled `title`; `on_close` runs when the reader dismisses it.
#[component]
pub fn Dialog(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    provide_context(DialogClose(on_close));
    let keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            on_close.run(());
        }
    };
    view! {
        <div class="dialog-backdrop">
            <div class="dialog card" role="dialog" aria-modal="true" aria-labelledby="dialog-title"
                on:keydown=keydown>
                <div class="dialog-head">
                    <h2 id="dialog-title">{title}</h2>
                    <button type="button" class="button-quiet" on:click=move |_| on_close.run(())
                        aria-label=move || t_string!(i18n, triage.dialog_close)>"×"</button>
                </div>
                {children()}
            </div>
        </div>
    }
}

/// How the forms inside a [`Dialog`] dismiss it.
#[derive(Clone, Copy)]
struct DialogClose(Callback<()>);

fn cancel_button() -> impl IntoView {
    let i18n = use_i18n();
    let close = use_context::<DialogClose>();
    view! {
        <button type="button" class="button button-secondary"
            on:click=move |_| if let Some(DialogClose(close)) = close { close.run(()) }>
            {t!(i18n, triage.cancel)}
        </button>
    }
}

/// The message under a form that did not pass its own check.
fn local_error(message: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        message
            .get()
            .map(|m| view! { <p class="notice notice-error" role="alert" data-testid="dialog-error">{m}</p> })
    }
}

/// The form that closes (or reopens) an alert: notes of at least ten characters and, to
/// close, the action taken from the closed list. `on_submit` gets (note, action code).
#[component]
pub fn CloseForm(
    /// Where the alert goes: RESUELTA or FALSO_POSITIVO ask for the action taken;
    /// EN_REVISION (reopening) only for the note.
    to: AlertState,
    /// The server's answer to the last attempt, if it failed.
    #[prop(into)]
    error: Signal<Option<AppError>>,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] on_submit: Callback<(String, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let note = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let closing = !to.is_open();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = i18n.get_locale_untracked();
        let text = note.get_untracked().trim().to_owned();
        if text.chars().count() < MIN_NOTE_CHARS {
            problem.set(Some(
                crate::notice::Notice::NoteRequired {
                    min: MIN_NOTE_CHARS,
                }
                .render(l),
            ));
            return;
        }
        let chosen = action.get_untracked();
        if closing && chosen.is_empty() {
            problem.set(Some(crate::notice::Notice::ActionTakenRequired.render(l)));
            return;
        }
        problem.set(None);
        on_submit.run((text, chosen));
    };
    let options = ActionTaken::ALL
        .iter()
        .map(|a| {
            let a = *a;
            view! { <option value=a.code()>{move || action_name(i18n.get_locale(), a)}</option> }
        })
        .collect_view();
    view! {
        <form class="stack" on:submit=submit data-testid="close-form">
            {closing.then(|| view! {
                <label>
                    <span>{t!(i18n, triage.action_taken)}</span>
                    <select name="action_taken" required=true
                        on:change=move |ev| action.set(event_target_value(&ev))>
                        <option value="">{t!(i18n, triage.choose)}</option>
                        {options}
                    </select>
                </label>
            })}
            <label>
                <span>{t!(i18n, triage.note)}</span>
                <textarea name="note" rows="4" autofocus=true
                    placeholder=move || t_string!(i18n, triage.note_hint)
                    on:input=move |ev| note.set(event_target_value(&ev))
                    prop:value=move || note.get()></textarea>
            </label>
            {local_error(problem)}
            {move || error.get().map(|e| view! { <p class="notice notice-error" role="alert">{e.message_in(i18n.get_locale())}</p> })}
            <div class="dialog-actions">
                {cancel_button()}
                <button type="submit" class="button" disabled=move || pending.get()>{t!(i18n, triage.confirm)}</button>
            </div>
        </form>
    }
}

/// A form that asks for the reason of an action (block, unblock, end sessions, lift a
/// suspension) and confirms it.
#[component]
pub fn ReasonForm(
    /// What will happen, in words.
    #[prop(into)]
    explain: Signal<String>,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] on_submit: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reason = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = reason.get_untracked().trim().to_owned();
        if text.chars().count() < MIN_NOTE_CHARS {
            problem.set(Some(
                crate::notice::Notice::ReasonRequired {
                    min: MIN_NOTE_CHARS,
                }
                .render(i18n.get_locale_untracked()),
            ));
            return;
        }
        problem.set(None);
        on_submit.run(text);
    };
    view! {
        <form class="stack" on:submit=submit data-testid="reason-form">
            <p>{explain}</p>
            <label>
                <span>{t!(i18n, triage.reason)}</span>
                <textarea name="reason" rows="3" autofocus=true
                    on:input=move |ev| reason.set(event_target_value(&ev))
                    prop:value=move || reason.get()></textarea>
            </label>
            {local_error(problem)}
            {move || error.get().map(|e| view! { <p class="notice notice-error" role="alert">{e.message_in(i18n.get_locale())}</p> })}
            <div class="dialog-actions">
                {cancel_button()}
                <button type="submit" class="button" disabled=move || pending.get()>{t!(i18n, triage.confirm)}</button>
            </div>
        </form>
    }
}

/// The action taken, in `l`.
pub fn action_name(l: Locale, a: ActionTaken) -> &'static str {
    match a {
        ActionTaken::Nothing => td_string!(l, triage.action.none),
        ActionTaken::ContactedUser => td_string!(l, triage.action.contacted_user),
        ActionTaken::PasswordReset => td_string!(l, triage.action.password_reset),
        ActionTaken::SessionsEnded => td_string!(l, triage.action.sessions_ended),
        ActionTaken::UserBlocked => td_string!(l, triage.action.user_blocked),
        ActionTaken::ExportsSuspended => td_string!(l, triage.action.exports_suspended),
        ActionTaken::TrainingAssigned => td_string!(l, triage.action.training_assigned),
        ActionTaken::Other => td_string!(l, triage.action.other),
    }
}
