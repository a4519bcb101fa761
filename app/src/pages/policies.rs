//! "Políticas" (administrators): each role's limits and each department's rule as editable
//! tables — a reason for every change, checked again on the server — and the history of
//! each policy (who changed what, when and why), read back from the audit log.

use crate::api::policies::{UpdateDepartmentRule, UpdateRoleLimit, policies};
use crate::components::async_view::AsyncView;
use crate::components::error::ErrorNotice;
use crate::components::labels;
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::pages::not_found::Forbidden;
use crate::types::policy::{DepartmentRuleView, PolicyChange, RoleLimitView, VISIBILITIES};
use crate::types::time::format_lima;
use crate::types::{Field, Role, SessionUser};
use leptos::prelude::*;

fn limit(v: Option<i64>) -> String {
    v.map(|n| n.to_string()).unwrap_or_default()
}

#[component]
pub fn PoliciesPage() -> impl IntoView {
    let i18n = use_i18n();
    if !expect_context::<SessionUser>().is_admin() {
        return view! { <Forbidden /> }.into_any();
    }
    let role_save = ServerAction::<UpdateRoleLimit>::new();
    let rule_save = ServerAction::<UpdateDepartmentRule>::new();
    let data = Resource::new(
        move || (role_save.version().get(), rule_save.version().get()),
        |_| policies(),
    );
    let outcome = move || {
        let last = match (role_save.value().get(), rule_save.value().get()) {
            (Some(r), _) if role_save.version().get() >= rule_save.version().get() => Some(r),
            (_, Some(r)) => Some(r),
            (Some(r), None) => Some(r),
            (None, None) => None,
        };
        last.map(|r| match r {
            Ok(()) => view! { <p class="notice notice-ok" role="status" data-testid="policy-saved">{t!(i18n, policies.saved)}</p> }.into_any(),
            Err(error) => view! { <div data-testid="policy-error"><ErrorNotice error /></div> }.into_any(),
        })
    };
    view! {
        <PageTitle text=|l| td_string!(l, policies.title).to_owned() />
        <h1>{t!(i18n, policies.title)}</h1>
        <p class="muted">{t!(i18n, policies.intro)}</p>
        {outcome}
        <AsyncView resource=data transition=true let:p>
            <h2>{t!(i18n, policies.roles)}</h2>
            <RoleTable roles=p.roles.clone() save=role_save />
            <History changes=p.history.iter().filter(|c| c.target_type == "role_limit").cloned().collect() />
            <h2>{t!(i18n, policies.departments)}</h2>
            {p.departments.clone().into_iter().map(|rule| {
                let history: Vec<PolicyChange> = p.history.iter()
                    .filter(|c| c.target_type == "department_rule" && c.target == rule.department.code())
                    .cloned().collect();
                view! { <RuleCard rule history save=rule_save /> }
            }).collect_view()}
        </AsyncView>
    }
    .into_any()
}

#[component]
fn RoleTable(roles: Vec<RoleLimitView>, save: ServerAction<UpdateRoleLimit>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = roles
        .into_iter()
        .map(|r| {
            let form = format!("role-{}", r.role.code());
            let role = r.role;
            let number = |name: &'static str, value: Option<i64>| {
                let form = form.clone();
                view! { <input form=form type="number" name=name min="1" value=limit(value) class="narrow-input"
                    aria-label=move || format!("{} · {}", labels::role(i18n.get_locale(), role), name) /> }
            };
            view! {
                <tr data-testid=form.clone()>
                    <th scope="row">{move || labels::role(i18n.get_locale(), role)}
                        <ActionForm action=save attr:id=form.clone()>
                            <input type="hidden" name="role" value=role.code() />
                        </ActionForm>
                    </th>
                    <td>{number("daily", r.daily)}</td>
                    <td>{number("weekly", r.weekly)}</td>
                    <td>{number("monthly", r.monthly)}</td>
                    <td>{number("approval_threshold", r.approval_threshold)}</td>
                    <td><input form=form.clone() name="reason" required=true minlength="10"
                        aria-label=move || t_string!(i18n, policies.reason) /></td>
                    <td><button form=form.clone() type="submit" class="button button-small">{t!(i18n, policies.save)}</button></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap card">
            <table class="table">
                <thead><tr>
                    <th scope="col">{t!(i18n, users.role)}</th>
                    <th scope="col">{t!(i18n, policies.daily)}</th>
                    <th scope="col">{t!(i18n, policies.weekly)}</th>
                    <th scope="col">{t!(i18n, policies.monthly)}</th>
                    <th scope="col">{t!(i18n, policies.threshold)}</th>
                    <th scope="col">{t!(i18n, policies.reason)}</th>
                    <th scope="col"></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p class="muted small">{t!(i18n, policies.empty_means)}</p>
    }
}

#[component]
fn RuleCard(
    rule: DepartmentRuleView,
    history: Vec<PolicyChange>,
    save: ServerAction<UpdateDepartmentRule>,
) -> impl IntoView {
    let i18n = use_i18n();
    let d = rule.department;
    let form = format!("rule-{}", d.code());
    let number = |name: &'static str, label: &'static str, value: Option<i64>| {
        view! { <label><span>{label}</span><input type="number" name=name min="1" value=limit(value) class="narrow-input" /></label> }
    };
    let l0 = i18n.get_locale_untracked();
    let visibility = VISIBILITIES
        .iter()
        .map(|v| view! { <option value=*v selected=*v == rule.visibility>{*v}</option> })
        .collect_view();
    let fields = Field::ALL
        .iter()
        .map(|f| {
            let f = *f;
            let check = |name: &'static str, on: bool| view! { <input type="checkbox" name=name value=f.code() checked=on /> };
            view! {
                <tr>
                    <th scope="row">{move || labels::field(i18n.get_locale(), f)}</th>
                    <td>{check("viewable[]", rule.viewable.contains(&f))}</td>
                    <td>{check("exportable[]", rule.exportable.contains(&f))}</td>
                    <td>{check("sensitive[]", rule.sensitive.contains(&f))}</td>
                </tr>
            }
        })
        .collect_view();
    let roles = Role::ALL
        .iter()
        .map(|r| view! { <option value=r.code() selected=Some(*r) == rule.second_approval_role>{labels::role(l0, *r)}</option> })
        .collect_view();
    let purpose = rule.required_purpose.clone().unwrap_or_default();
    view! {
        <section class="card policy" data-testid=form.clone()>
            <h3>{move || labels::department(i18n.get_locale(), d)}</h3>
            <ActionForm action=save attr:class="stack">
                <input type="hidden" name="department" value=d.code() />
                <input type="hidden" name="viewable[]" value="" />
                <input type="hidden" name="exportable[]" value="" />
                <input type="hidden" name="sensitive[]" value="" />
                <div class="row">
                    {number("daily", td_string!(l0, policies.daily), rule.daily)}
                    {number("weekly", td_string!(l0, policies.weekly), rule.weekly)}
                    {number("monthly", td_string!(l0, policies.monthly), rule.monthly)}
                    {number("approval_threshold", td_string!(l0, policies.threshold), rule.approval_threshold)}
                    <label><span>{t!(i18n, policies.visibility)}</span><select name="visibility">{visibility}</select></label>
                </div>
                <details>
                    <summary>{t!(i18n, policies.fields)}</summary>
                    <div class="table-wrap">
                        <table class="table">
                            <thead><tr>
                                <th scope="col"></th>
                                <th scope="col">{t!(i18n, policies.viewable)}</th>
                                <th scope="col">{t!(i18n, policies.exportable)}</th>
                                <th scope="col">{t!(i18n, policies.sensitive)}</th>
                            </tr></thead>
                            <tbody>{fields}</tbody>
                        </table>
                    </div>
                </details>
                <div class="row">
                    <label><span>{t!(i18n, policies.purpose)}</span>
                        <select name="required_purpose">
                            <option value="" selected=purpose.is_empty()>"—"</option>
                            <option value="campaign" selected=purpose == "campaign">{t!(i18n, policies.purpose_campaign)}</option>
                            <option value="manifest" selected=purpose == "manifest">{t!(i18n, policies.purpose_manifest)}</option>
                        </select></label>
                    <label><span>{t!(i18n, policies.second_role)}</span>
                        <select name="second_approval_role"><option value="">"—"</option>{roles}</select></label>
                    <label><span>{t!(i18n, policies.second_above)}</span>
                        <input type="number" name="second_approval_above" min="1" value=limit(rule.second_approval_above) class="narrow-input" /></label>
                    <label><span>{t!(i18n, policies.second_mode)}</span>
                        <select name="second_approval_mode">
                            <option value="role" selected=rule.second_approval_mode == "role">{t!(i18n, policies.mode_role)}</option>
                            <option value="second_person" selected=rule.second_approval_mode == "second_person">{t!(i18n, policies.mode_second_person)}</option>
                        </select></label>
                </div>
                <label class="check"><input type="checkbox" name="confirm_nothing_visible" value="on" />
                    <span>{t!(i18n, policies.confirm_nothing_visible)}</span></label>
                <label><span>{t!(i18n, policies.reason)}</span><input name="reason" required=true minlength="10" /></label>
                <button type="submit" class="button">{t!(i18n, policies.save)}</button>
            </ActionForm>
            <History changes=history />
        </section>
    }
}

/// Who changed a policy, when, what and why.
#[component]
fn History(changes: Vec<PolicyChange>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = changes
        .into_iter()
        .map(|c| {
            view! {
                <tr data-testid="policy-change">
                    <td><a href=format!("/auditoria/{}", c.seq)>{format_lima(c.at)}</a></td>
                    <td>{c.actor.clone()}</td>
                    <td><code>{c.target.clone()}</code></td>
                    <td class="small"><code>{diff(&c.before, &c.after)}</code></td>
                    <td>{c.reason.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <details class="policy-history" data-testid="policy-history">
            <summary>{t!(i18n, policies.history)}</summary>
            <div class="table-wrap">
                <table class="table">
                    <thead><tr>
                        <th scope="col">{t!(i18n, usage.when)}</th>
                        <th scope="col">{t!(i18n, users.by)}</th>
                        <th scope="col">{t!(i18n, policies.policy)}</th>
                        <th scope="col">{t!(i18n, policies.change)}</th>
                        <th scope="col">{t!(i18n, policies.reason)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </details>
    }
}

/// What changed between two versions of a policy: `key: before → after` for each setting
/// that differs.
fn diff(before: &serde_json::Value, after: &serde_json::Value) -> String {
    let (Some(b), Some(a)) = (before.as_object(), after.as_object()) else {
        return String::new();
    };
    a.iter()
        .filter(|(k, v)| b.get(*k) != Some(*v))
        .map(|(k, v)| format!("{k}: {} → {v}", b.get(k).cloned().unwrap_or_default()))
        .collect::<Vec<_>>()
        .join("; ")
}
