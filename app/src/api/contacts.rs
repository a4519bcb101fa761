//! Searching contacts and revealing a sensitive field.

use crate::error::AppError;
use crate::types::{ContactFilter, ContactPage, Field};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// A page of the contacts the caller's department may see.
#[server(prefix = "/api", endpoint = "search_contacts", input = Json)]
pub async fn search_contacts(filter: ContactFilter, page: i64) -> Result<ContactPage, AppError> {
    use crate::server::{context, service::contacts};
    let caller = context::require_user()?;
    contacts::search(&context::state()?, &caller, &filter, page).await
}

/// One sensitive value (audited as "sensitive data viewed").
#[server(prefix = "/api", endpoint = "reveal_field")]
pub async fn reveal_field(contact_id: i64, field: Field) -> Result<String, AppError> {
    use crate::server::{context, service::contacts};
    let caller = context::require_user()?;
    let meta = context::request_meta()?;
    contacts::reveal(&context::state()?, &caller, &meta, contact_id, field).await
}
