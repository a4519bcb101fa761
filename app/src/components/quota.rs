//! The quota per rolling window as bars (a `<meter>`, so no inline style is needed).

use super::labels;
use crate::i18n::*;
use crate::types::MyQuota;
use crate::types::time::format_lima;
use leptos::prelude::*;

#[component]
pub fn QuotaBars(quota: MyQuota) -> impl IntoView {
    let i18n = use_i18n();
    let threshold = quota.approval_threshold;
    let windows = quota
        .windows
        .into_iter()
        .map(|w| {
            let window = w.window;
            let used_text = move || match w.limit {
                Some(limit) => td_string!(i18n.get_locale(), usage.used_of, used = w.used, limit = limit).to_string(),
                None => td_string!(i18n.get_locale(), usage.used_unlimited, used = w.used).to_string(),
            };
            let remaining = w.remaining.map(|r| {
                move || td_string!(i18n.get_locale(), usage.remaining, remaining = r).to_string()
            });
            let frees = w.frees_at.map(|at| {
                move || td_string!(i18n.get_locale(), usage.frees_at, at = format_lima(at)).to_string()
            });
            let full = w.remaining == Some(0);
            view! {
                <div class="quota-window" data-window=window.code()>
                    <div class="quota-head">
                        <strong>{move || labels::window(i18n.get_locale(), window)}</strong>
                        <span class="quota-used">{used_text}</span>
                    </div>
                    {w.limit.map(|limit| view! {
                        <meter class:full=full min="0" max=limit.to_string() low=(limit * 7 / 10).to_string()
                            high=(limit * 9 / 10).to_string() optimum="0" value=w.used.to_string()></meter>
                    })}
                    <div class="quota-foot muted small">
                        {remaining.map(|r| view! { <span class="quota-remaining">{r}</span> })}
                        {frees.map(|f| view! { <span>{f}</span> })}
                    </div>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="quota">
            {windows}
            <p class="muted small">
                {move || match threshold {
                    Some(t) => td_string!(i18n.get_locale(), usage.threshold, threshold = t).to_string(),
                    None => td_string!(i18n.get_locale(), usage.no_threshold).to_string(),
                }}
            </p>
        </div>
    }
}
