//! The data tables of the pages (contacts, exports, sign-ins, users, the audit log): one
//! frame, one heading row, so every table scrolls, reads and is announced the same way.

use crate::i18n::*;
use leptos::prelude::*;

/// A table of records: a horizontally scrolling frame, a row of column headings
/// (`scope="col"`), and the rows given as children (`<tr>` elements).
///
/// ```ignore
/// <DataTable testid="my-requests" columns=|l| vec!["#", td_string!(l, usage.when)]>
///     {rows}
/// </DataTable>
/// ```
#[component]
pub fn DataTable<H>(
    /// The column headings in a language; run again when the reader switches language.
    columns: H,
    /// The rows.
    children: Children,
    /// The table's `data-testid`.
    #[prop(optional)]
    testid: Option<&'static str>,
    /// Classes added to `table`.
    #[prop(optional)]
    class: Option<&'static str>,
    /// A first, narrow column without a heading, for the row-selection checkboxes.
    #[prop(optional)]
    select_column: bool,
) -> impl IntoView
where
    H: Fn(Locale) -> Vec<&'static str> + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let class = class.map_or_else(|| "table".to_owned(), |extra| format!("table {extra}"));
    let headings = move || {
        columns(i18n.get_locale())
            .into_iter()
            .map(|heading| view! { <th scope="col">{heading}</th> })
            .collect_view()
    };
    view! {
        <div class="table-wrap">
            <table class=class data-testid=testid>
                <thead>
                    <tr>
                        {select_column.then(|| view! { <th scope="col" class="narrow"></th> })}
                        {headings}
                    </tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
