//! The document title, in the reader's language.

use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

/// `<title>` for a page: `text` written in the reader's language.
///
/// On the server the title is written once, when the page is created: leptos_meta writes
/// the `<head>` after the body has rendered, and by then the reactive values a closure
/// would read may already be gone (reading them panics). In the browser it follows the
/// language switch.
#[component]
pub fn PageTitle<F>(text: F) -> impl IntoView
where
    F: Fn(Locale) -> String + Send + Sync + 'static,
{
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    let title = {
        let written = text(i18n.get_locale_untracked());
        view! { <Title text=written /> }
    };
    #[cfg(not(feature = "ssr"))]
    let title = view! { <Title text=move || text(i18n.get_locale()) /> };
    title
}
