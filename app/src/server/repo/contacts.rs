//! Customer contacts (the data Centinela protects).

use crate::server::db::values_placeholders;
use sqlx::AnyConnection;

/// A contact to insert; the passport number arrives already encrypted.
#[derive(Debug, Clone)]
pub struct NewContact {
    pub reference: String,
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub city: String,
    pub country: String,
    pub communication_preferences: String,
    pub marketing_consent: bool,
    pub tour_destinations: String,
    pub active_reservation: bool,
    pub dietary_restrictions: Option<String>,
    pub document_type: String,
    pub document_number: String,
    pub billing_address: String,
    pub payment_history: Option<String>,
    pub has_transactions: bool,
    pub passport_number_enc: Option<Vec<u8>>,
    pub medical_conditions: Option<String>,
    pub bank_account: Option<String>,
    pub internal_notes: Option<String>,
    pub assigned_to: Option<i64>,
}

/// Inserts contacts whose reference is new; returns how many were inserted.
pub async fn insert_contacts_if_absent(
    conn: &mut AnyConnection,
    contacts: &[NewContact],
    now: i64,
) -> Result<u64, sqlx::Error> {
    const COLUMNS: usize = 23;
    let mut inserted = 0;
    // 23 columns x 200 rows stays under both backends' bind-parameter limits.
    for chunk in contacts.chunks(200) {
        let sql = format!(
            "insert into contact (ref, full_name, email, phone, city, country, \
             communication_preferences, marketing_consent, tour_destinations, active_reservation, \
             dietary_restrictions, document_type, document_number, billing_address, \
             payment_history, has_transactions, passport_number_enc, medical_conditions, \
             bank_account, internal_notes, assigned_to, created_at, updated_at) values {} \
             on conflict (ref) do nothing",
            values_placeholders(chunk.len(), COLUMNS)
        );
        let mut query = sqlx::query(&sql);
        for c in chunk {
            query = query
                .bind(c.reference.clone())
                .bind(c.full_name.clone())
                .bind(c.email.clone())
                .bind(c.phone.clone())
                .bind(c.city.clone())
                .bind(c.country.clone())
                .bind(c.communication_preferences.clone())
                .bind(i64::from(c.marketing_consent))
                .bind(c.tour_destinations.clone())
                .bind(i64::from(c.active_reservation))
                .bind(c.dietary_restrictions.clone())
                .bind(c.document_type.clone())
                .bind(c.document_number.clone())
                .bind(c.billing_address.clone())
                .bind(c.payment_history.clone())
                .bind(i64::from(c.has_transactions))
                .bind(c.passport_number_enc.clone())
                .bind(c.medical_conditions.clone())
                .bind(c.bank_account.clone())
                .bind(c.internal_notes.clone())
                .bind(c.assigned_to)
                .bind(now)
                .bind(now);
        }
        inserted += query.execute(&mut *conn).await?.rows_affected();
    }
    Ok(inserted)
}

pub async fn count_contacts(conn: &mut AnyConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("select cast(count(*) as bigint) from contact")
        .fetch_one(conn)
        .await
}
