//! Whether this part of the page is interactive yet. Server-rendered HTML arrives before
//! the WASM: buttons that need it stay disabled until then, so an early click cannot fall
//! through to a plain form submission.

use leptos::prelude::*;

/// `false` on the server and until this component has hydrated, then `true`.
pub fn use_live() -> ReadSignal<bool> {
    let (live, set_live) = signal(false);
    Effect::new(move |_| set_live.set(true));
    live
}
