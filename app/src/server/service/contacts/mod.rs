//! Seeing contacts: search within what the department may see, showing only the fields it
//! may view; sensitive fields stay masked until an explicit reveal, which is audited.

use crate::error::AppError;
use crate::notice::Notice;
use crate::server::AppState;
use crate::server::context::{AuthSession, RequestMeta};
use crate::server::crypto::FieldCipher;
use crate::server::repo::contacts::{self, ContactRecord};
use crate::server::service::audit::{self, NewEvent};
use crate::server::service::policy::{self, Policy};
use crate::server::text::fold;
use crate::types::audit::{AuditAction, Outcome, Severity};
use crate::types::contact::TOUR_DESTINATIONS;
use crate::types::{ContactFilter, ContactPage, ContactRow, Field};
use serde_json::json;

pub const PER_PAGE: i64 = 25;

/// What `search_text` holds for a contact: its searchable fields, folded.
pub fn search_text(full_name: &str, email: &str, phone: &str, document_number: &str) -> String {
    fold(&format!("{full_name} {email} {phone} {document_number}"))
}

fn flag(v: i64) -> Option<String> {
    Some(if v != 0 { "true" } else { "false" }.to_owned())
}

/// The value of `field`; the passport number is decrypted only when `cipher` is given.
pub fn value(
    c: &ContactRecord,
    field: Field,
    cipher: Option<&FieldCipher>,
) -> Result<Option<String>, AppError> {
    Ok(match field {
        Field::FullName => Some(c.full_name.clone()),
        Field::Email => c.email.clone(),
        Field::Phone => c.phone.clone(),
        Field::City => c.city.clone(),
        Field::Country => c.country.clone(),
        Field::CommunicationPreferences => c.communication_preferences.clone(),
        Field::MarketingConsent => flag(c.marketing_consent),
        Field::TourDestinations => c.tour_destinations.clone().filter(|d| !d.is_empty()),
        Field::ActiveReservation => flag(c.active_reservation),
        Field::DietaryRestrictions => c.dietary_restrictions.clone(),
        Field::DocumentType => c.document_type.clone(),
        Field::DocumentNumber => c.document_number.clone(),
        Field::BillingAddress => c.billing_address.clone(),
        Field::PaymentHistory => c.payment_history.clone(),
        Field::PassportNumber => match (&c.passport_number_enc, cipher) {
            (Some(sealed), Some(cipher)) => Some(cipher.decrypt(sealed)?),
            _ => None,
        },
        Field::MedicalConditions => c.medical_conditions.clone(),
        Field::BankAccount => c.bank_account.clone(),
        Field::InternalNotes => c.internal_notes.clone(),
    })
}

fn has_value(c: &ContactRecord, field: Field) -> bool {
    match field {
        Field::PassportNumber => c.passport_number_enc.is_some(),
        other => value(c, other, None).ok().flatten().is_some(),
    }
}

/// One row as the caller may see it: sensitive values masked, marked revealable.
fn row(policy: &Policy, c: &ContactRecord) -> Result<ContactRow, AppError> {
    let mut values = Vec::with_capacity(policy.viewable.len());
    let mut revealable = Vec::new();
    for field in &policy.viewable {
        if policy.sensitive.contains(field) {
            if has_value(c, *field) {
                revealable.push(*field);
            }
            values.push(None);
        } else {
            values.push(value(c, *field, None)?);
        }
    }
    Ok(ContactRow {
        id: c.id,
        values,
        revealable,
    })
}

/// A page of the contacts the caller may see that match `filter`.
pub async fn search(
    state: &AppState,
    caller: &AuthSession,
    filter: &ContactFilter,
    page: i64,
) -> Result<ContactPage, AppError> {
    let mut conn = state.db.conn().await?;
    let policy = policy::load(&mut conn, caller.user_id).await?;
    let text = fold(filter.text.trim());
    let page = page.max(1);
    let records = contacts::search(
        &mut conn,
        policy.visibility,
        filter,
        &text,
        (page - 1) * PER_PAGE,
        PER_PAGE,
    )
    .await?;
    let total = contacts::count(&mut conn, policy.visibility, filter, &text).await?;
    let cities = contacts::cities(&mut conn, policy.visibility).await?;
    let rows = records
        .iter()
        .map(|c| row(&policy, c))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ContactPage {
        columns: policy.listed(),
        rows,
        total,
        page,
        per_page: PER_PAGE,
        cities,
        destinations: TOUR_DESTINATIONS.iter().map(|d| (*d).to_owned()).collect(),
    })
}

/// Shows one sensitive value to a caller whose department may view it, and records that
/// they saw it (in the same transaction as the decision).
pub async fn reveal(
    state: &AppState,
    caller: &AuthSession,
    meta: &RequestMeta,
    contact_id: i64,
    field: Field,
) -> Result<String, AppError> {
    let mut conn = state.db.conn().await?;
    let policy = policy::load(&mut conn, caller.user_id).await?;
    if !(policy.viewable.contains(&field) && policy.sensitive.contains(&field)) {
        return Err(AppError::Refused(Notice::FieldNotRevealable));
    }
    let record = contacts::visible_by_ids(&mut conn, policy.visibility, &[contact_id])
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let shown = value(&record, field, Some(&state.cipher))?.ok_or(AppError::NotFound)?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let event = NewEvent::new(AuditAction::SensitiveDataViewed, Outcome::Success)
        .actor(Some(caller.user_id), &caller.username)
        .target("contact", contact_id)
        .meta(meta)
        .severity(Severity::Low)
        .details(json!({ "field": field.code(), "class": field.class() }));
    audit::append(&mut tx, now, event).await?;
    tx.commit().await?;
    Ok(shown)
}

/// Computes `search_text` for contacts that lack it (rows imported from elsewhere).
pub async fn backfill_search_text(state: &AppState) -> Result<usize, AppError> {
    let mut done = 0;
    loop {
        let batch = contacts::missing_search_text(&mut *state.db.conn().await?, 500).await?;
        if batch.is_empty() {
            return Ok(done);
        }
        let mut tx = state.db.begin_write().await?;
        for c in &batch {
            let text = search_text(
                &c.full_name,
                c.email.as_deref().unwrap_or(""),
                c.phone.as_deref().unwrap_or(""),
                c.document_number.as_deref().unwrap_or(""),
            );
            contacts::set_search_text(&mut tx, c.id, &text).await?;
        }
        tx.commit().await?;
        done += batch.len();
    }
}
