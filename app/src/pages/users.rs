//! The user directory (administrators only; everyone else gets the 403 page).

use crate::api::users::list_users;
use crate::components::async_view::AsyncView;
use crate::components::data_table::DataTable;
use crate::components::labels;
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::pages::not_found::Forbidden;
use crate::types::{SessionUser, UserRow};
use leptos::prelude::*;

#[component]
pub fn UsersPage() -> impl IntoView {
    let user = expect_context::<SessionUser>();
    if !user.is_admin() {
        return view! { <Forbidden /> }.into_any();
    }
    let i18n = use_i18n();
    let rows = Resource::new_blocking(|| (), |_| list_users());
    view! {
        <PageTitle text=|l| td_string!(l, users.title).to_owned() />
        <h1>{t!(i18n, users.title)}</h1>
        <p class="muted">{t!(i18n, users.intro)}</p>
        <AsyncView resource=rows let:rows>
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
                    <td><code>{r.username}</code></td>
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
