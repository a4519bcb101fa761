//! The browser entry point: hydrates the server-rendered page.
#![recursion_limit = "256"]

/// Fetches the code of the page the visit starts on (when it is not in the main file, see
/// `app::routes`), then hydrates: the router finds that page's code already there.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let path = leptos::prelude::window()
        .location()
        .pathname()
        .unwrap_or_default();
    wasm_bindgen_futures::spawn_local(async move {
        if let Some(area) = app::routes::Area::of_path(&path) {
            area.preload().await;
        }
        leptos::mount::hydrate_body(app::App);
    });
}
