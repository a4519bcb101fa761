//! Waiting for the server: the loading bar while data comes, the error notice if it fails,
//! the content once it is there. Every page that loads data shows it through this.

use super::error::ErrorNotice;
use crate::error::AppError;
use leptos::prelude::*;
use std::sync::Arc;

/// What `resource` loads, drawn by the children (`let:value`), or its error in the reader's
/// language.
///
/// ```ignore
/// <AsyncView resource=page transition=true let:page>
///     <Events page />
/// </AsyncView>
/// ```
///
/// A `<Suspense>` unless `transition` is set: then a `<Transition>`, which keeps the old
/// content on screen while the resource reloads (new filter, next page, after an action).
/// `quiet` shows nothing while loading instead of the loading bar (secondary panels).
#[component]
pub fn AsyncView<T, V, F>(
    resource: Resource<Result<T, AppError>>,
    children: F,
    #[prop(optional)] transition: bool,
    #[prop(optional)] quiet: bool,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
{
    let children = Arc::new(children);
    let content = move || {
        let children = Arc::clone(&children);
        Suspend::new(async move {
            match resource.await {
                Ok(value) => children(value).into_any(),
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
            }
        })
    };
    let fallback = if quiet {
        ViewFnOnce::default()
    } else {
        ViewFnOnce::from(|| view! { <div class="loading" aria-busy="true"></div> })
    };
    if transition {
        view! { <Transition fallback>{content}</Transition> }.into_any()
    } else {
        view! { <Suspense fallback>{content}</Suspense> }.into_any()
    }
}
