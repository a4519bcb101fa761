//! The user directory (administrators only; everyone else gets the 403 page), filtered in
//! the address by a search, department, role and status; each name opens the user's page.

use crate::api::users::{CreateUser as CreateUserAction, list_users};
use crate::components::async_view::AsyncView;
use crate::components::data_table::DataTable;
use crate::components::error::ErrorNotice;
use crate::components::labels;
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::pages::not_found::Forbidden;
use crate::types::{Department, Role, SessionUser, UserRow, UserStatus};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn UsersPage() -> impl IntoView {
    let user = expect_context::<SessionUser>();
    if !user.is_admin() {
        return view! { <Forbidden /> }.into_any();
    }
    let i18n = use_i18n();
    let query = use_query_map();
    let get = move |key: &str| query.read().get(key).filter(|v| !v.is_empty());
    let rows = Resource::new(
        move || (get("q"), get("department"), get("role"), get("status")),
        |(q, department, role, status)| list_users(q, department, role, status),
    );
    let chosen = move |key: &'static str| move || query.read().get(key).unwrap_or_default();
    let departments = move || {
        let l = i18n.get_locale();
        let now = chosen("department")();
        Department::ALL
            .iter()
            .map(|d| view! { <option value=d.code() selected=now == d.code()>{labels::department(l, *d)}</option> })
            .collect_view()
    };
    let roles = move || {
        let l = i18n.get_locale();
        let now = chosen("role")();
        Role::ALL
            .iter()
            .map(|r| view! { <option value=r.code() selected=now == r.code()>{labels::role(l, *r)}</option> })
            .collect_view()
    };
    let statuses = move || {
        let l = i18n.get_locale();
        let now = chosen("status")();
        UserStatus::ALL
            .iter()
            .map(|s| view! { <option value=s.code() selected=now == s.code()>{labels::status(l, *s)}</option> })
            .collect_view()
    };
    view! {
        <PageTitle text=|l| td_string!(l, users.title).to_owned() />
        <h1>{t!(i18n, users.title)}</h1>
        <p class="muted">{t!(i18n, users.intro)}</p>
        <CreateUser />
        <form method="get" class="card filters" data-testid="user-filters">
            <label>{t!(i18n, users.search)}<input name="q" prop:value=chosen("q") /></label>
            <label>{t!(i18n, users.department)}
                <select name="department"><option value="">{t!(i18n, users.any)}</option>{departments}</select></label>
            <label>{t!(i18n, users.role)}
                <select name="role"><option value="">{t!(i18n, users.any)}</option>{roles}</select></label>
            <label>{t!(i18n, users.status)}
                <select name="status"><option value="">{t!(i18n, users.any)}</option>{statuses}</select></label>
            <button type="submit" class="button">{t!(i18n, users.filter)}</button>
        </form>
        <AsyncView resource=rows transition=true let:rows>
            <UserTable rows />
        </AsyncView>
    }
    .into_any()
}

#[component]
fn UserTable(rows: Vec<UserRow>) -> impl IntoView {
    let i18n = use_i18n();
    let body = rows
        .into_iter()
        .map(|r| {
            let (department, role, status) = (r.department, r.role, r.status);
            view! {
                <tr>
                    <td><a href=format!("/usuarios/{}", r.username)><code>{r.username.clone()}</code></a></td>
                    <td>{r.full_name}</td>
                    <td>{move || labels::department(i18n.get_locale(), department)}</td>
                    <td>{move || labels::role(i18n.get_locale(), role)}</td>
                    <td>{r.supervisor.unwrap_or_default()}</td>
                    <td><span class=format!("badge badge-{}", status.code())>
                        {move || labels::status(i18n.get_locale(), status)}
                    </span></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <DataTable columns=|l: Locale| {
            vec![
                td_string!(l, users.username),
                td_string!(l, users.name),
                td_string!(l, users.department),
                td_string!(l, users.role),
                td_string!(l, users.supervisor),
                td_string!(l, users.status),
            ]
        }>
            {body}
        </DataTable>
    }
}

/// "Crear usuario": the account and, once created, the one-time link to hand over.
#[component]
fn CreateUser() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateUserAction>::new();
    let departments = move || {
        let l = i18n.get_locale();
        Department::ALL
            .iter()
            .map(|d| view! { <option value=d.code()>{labels::department(l, *d)}</option> })
            .collect_view()
    };
    let roles = move || {
        let l = i18n.get_locale();
        Role::ALL
            .iter()
            .map(|r| view! { <option value=r.code()>{labels::role(l, *r)}</option> })
            .collect_view()
    };
    view! {
        <details class="card">
            <summary>{t!(i18n, users.create)}</summary>
            <ActionForm action=create attr:class="stack" attr:data-testid="create-user">
                <div class="row">
                    <label><span>{t!(i18n, users.username)}</span><input name="username" required=true /></label>
                    <label><span>{t!(i18n, users.full_name)}</span><input name="full_name" required=true /></label>
                    <label><span>{t!(i18n, users.email)}</span><input type="email" name="email" required=true /></label>
                </div>
                <div class="row">
                    <label><span>{t!(i18n, users.department)}</span><select name="department">{departments}</select></label>
                    <label><span>{t!(i18n, users.role)}</span><select name="role">{roles}</select></label>
                    <label><span>{t!(i18n, users.supervisor)}</span><input name="supervisor" /></label>
                </div>
                {move || match create.value().get() {
                    Some(Ok(made)) => Some(view! { <LinkReady link=made /> }.into_any()),
                    Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
                    None => None,
                }}
                <button type="submit" class="button" disabled=move || create.pending().get()>{t!(i18n, users.create)}</button>
            </ActionForm>
        </details>
    }
}

/// The one-time set-password link, shown once to the administrator who made it.
#[component]
pub fn LinkReady(link: crate::types::session::PasswordLink) -> impl IntoView {
    let i18n = use_i18n();
    // Shown only after the browser made the account: the address it is talking to.
    #[cfg(feature = "hydrate")]
    let origin = window().location().origin().unwrap_or_default();
    #[cfg(not(feature = "hydrate"))]
    let origin = String::new();
    let username = link.username.clone();
    view! {
        <div class="notice notice-ok" role="status" data-testid="password-link">
            <p>{move || td_string!(i18n.get_locale(), users.link_ready, username = username.clone()).to_string()}</p>
            <p><code>{format!("{origin}{}", link.link)}</code></p>
        </div>
    }
}
