//! Whether this part of the page is interactive yet, and live updates.
//!
//! Server-rendered HTML arrives before the WASM: buttons that need it stay disabled until
//! then, so an early click cannot fall through to a plain form submission.
//!
//! Administrators' pages follow `GET /api/live` (server-sent events) through one
//! `EventSource` per page load: each `alerts` event bumps a counter that the dashboard,
//! the alerts list and the bell use as their resources' source, so they reload when an
//! alert is raised or changes. The browser reconnects by itself, sending `Last-Event-ID`;
//! an `end` event (signed out, session over) closes the stream for good.

use leptos::prelude::*;

/// `false` on the server and until this component has hydrated, then `true`.
pub fn use_live() -> ReadSignal<bool> {
    let (live, set_live) = signal(false);
    Effect::new(move |_| set_live.set(true));
    live
}

/// How many alert changes this page has been told about.
#[derive(Debug, Clone, Copy)]
struct AlertChanges(ReadSignal<u32>);

/// Opens the live stream for this page (administrators only; others get none).
pub fn provide_alert_changes(enabled: bool) {
    let (changes, set_changes) = signal(0_u32);
    provide_context(AlertChanges(changes));
    #[cfg(feature = "hydrate")]
    if enabled {
        Effect::new(move |_| follow(set_changes));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (enabled, set_changes);
}

/// The counter of alert changes (0 on the server and where there is no stream).
pub fn use_alert_changes() -> ReadSignal<u32> {
    use_context::<AlertChanges>().map_or_else(|| signal(0).0, |c| c.0)
}

#[cfg(feature = "hydrate")]
fn follow(set_changes: WriteSignal<u32>) {
    use leptos::wasm_bindgen::JsCast;
    use leptos::wasm_bindgen::closure::Closure;
    let Ok(source) = web_sys::EventSource::new("/api/live") else {
        return;
    };
    let on_alerts = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| {
        set_changes.update(|n| *n += 1);
    });
    let closing = source.clone();
    let on_end = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| closing.close());
    let _ = source.add_event_listener_with_callback("alerts", on_alerts.as_ref().unchecked_ref());
    let _ = source.add_event_listener_with_callback("end", on_end.as_ref().unchecked_ref());
    // The stream and its listeners live as long as the page (the signed-in frame opens it
    // once per page load; moving between pages keeps it).
    on_alerts.forget();
    on_end.forget();
}
