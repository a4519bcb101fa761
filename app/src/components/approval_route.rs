//! "Who approves": the route of an export request in words (first approver, second
//! approval), shown on the export form before submitting, after submitting, in "Mi uso" and
//! in the approvers' inbox.

use crate::components::labels::role as role_name;
use crate::i18n::*;
use crate::types::approval::ApprovalRoute;
use leptos::prelude::*;

#[component]
pub fn RouteView(route: ApprovalRoute) -> impl IntoView {
    let i18n = use_i18n();
    let first = route.first.clone();
    let second = route.second.clone();
    view! {
        <div class="approval-route" data-testid="approval-route">
            <p>{move || {
                let l = i18n.get_locale();
                let who = first
                    .clone()
                    .unwrap_or_else(|| td_string!(l, approvals.route_security).to_owned());
                td_string!(l, approvals.route_first, who = who).to_string()
            }}</p>
            {second.map(|s| view! {
                <p>{move || {
                    let l = i18n.get_locale();
                    let who = if s.candidates.is_empty() {
                        td_string!(l, approvals.nobody).to_owned()
                    } else {
                        s.candidates.join(", ")
                    };
                    let role = role_name(l, s.role);
                    match (s.above, s.distinct) {
                        (Some(above), true) => td_string!(l, approvals.route_second_person, above = above, role = role, who = who).to_string(),
                        (Some(above), false) => td_string!(l, approvals.route_second_role, above = above, role = role, who = who).to_string(),
                        (None, true) => td_string!(l, approvals.route_second_person_now, role = role, who = who).to_string(),
                        (None, false) => td_string!(l, approvals.route_second_role_now, role = role, who = who).to_string(),
                    }
                }}</p>
            })}
        </div>
    }
}
