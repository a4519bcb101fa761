//! The browser entry point: hydrates the server-rendered page.
#![recursion_limit = "256"]

/// Fetches the code of the page the visit starts on (when it is not in the main file, see
/// `app::routes`), then hydrates: the router finds that page's code already there. If that
/// code cannot be fetched, the page stays as the server drew it, readable, its links
/// loading whole pages, with a message and a link to load it again, rather than hydrating
/// into a panic.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let path = leptos::prelude::window()
        .location()
        .pathname()
        .unwrap_or_default();
    wasm_bindgen_futures::spawn_local(async move {
        if let Some(area) = app::routes::Area::of_path(&path)
            && area.preload().await.is_err()
        {
            leptos::logging::error!("Centinela: this page's code could not be fetched");
            app::pages::not_found::announce_unavailable();
            return;
        }
        leptos::mount::hydrate_body(app::App);
    });
}
