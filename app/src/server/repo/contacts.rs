//! Customer contacts (the data Centinela protects).

use crate::server::db::values_placeholders;
use crate::types::{ContactFilter, Visibility};
use sqlx::any::AnyArguments;
use sqlx::{Any, AnyConnection};

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
    pub search_text: String,
}

/// Inserts contacts whose reference is new; returns how many were inserted.
pub async fn insert_contacts_if_absent(
    conn: &mut AnyConnection,
    contacts: &[NewContact],
    now: i64,
) -> Result<u64, sqlx::Error> {
    const COLUMNS: usize = 24;
    let mut inserted = 0;
    // 24 columns x 200 rows stays under both backends' bind-parameter limits.
    for chunk in contacts.chunks(200) {
        let sql = format!(
            "insert into contact (ref, full_name, email, phone, city, country, \
             communication_preferences, marketing_consent, tour_destinations, active_reservation, \
             dietary_restrictions, document_type, document_number, billing_address, \
             payment_history, has_transactions, passport_number_enc, medical_conditions, \
             bank_account, internal_notes, assigned_to, search_text, created_at, updated_at) values {} \
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
                .bind(c.search_text.clone())
                .bind(now)
                .bind(now);
        }
        inserted += query.execute(&mut *conn).await?.rows_affected();
    }
    Ok(inserted)
}

/// A contact as stored (the passport number still encrypted).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ContactRecord {
    pub id: i64,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub communication_preferences: Option<String>,
    pub marketing_consent: i64,
    pub tour_destinations: Option<String>,
    pub active_reservation: i64,
    pub dietary_restrictions: Option<String>,
    pub document_type: Option<String>,
    pub document_number: Option<String>,
    pub billing_address: Option<String>,
    pub payment_history: Option<String>,
    pub has_transactions: i64,
    pub passport_number_enc: Option<Vec<u8>>,
    pub medical_conditions: Option<String>,
    pub bank_account: Option<String>,
    pub internal_notes: Option<String>,
}

const RECORD_COLUMNS: &str = "id, full_name, email, phone, city, country, \
    communication_preferences, marketing_consent, tour_destinations, active_reservation, \
    dietary_restrictions, document_type, document_number, billing_address, payment_history, \
    has_transactions, passport_number_enc, medical_conditions, bank_account, internal_notes";

/// The same columns, qualified with the alias `c`.
pub const CONTACT_COLUMNS: &str = "c.id, c.full_name, c.email, c.phone, c.city, c.country, \
    c.communication_preferences, c.marketing_consent, c.tour_destinations, c.active_reservation, \
    c.dietary_restrictions, c.document_type, c.document_number, c.billing_address, \
    c.payment_history, c.has_transactions, c.passport_number_enc, c.medical_conditions, \
    c.bank_account, c.internal_notes";

/// The visibility rule: which contacts a department with each `visibility` may see, as a
/// SQL condition on `contact` whose columns are prefixed with `{c}` (constant text, no
/// input). The one place it is written: [`visible`] and [`visible_by_rule`] both read it.
const VISIBILITY_SQL: [(Visibility, &str); 4] = [
    (Visibility::All, "1 = 1"),
    (Visibility::MarketingConsent, "{c}marketing_consent = 1"),
    (Visibility::ActiveReservation, "{c}active_reservation = 1"),
    (Visibility::HasTransactions, "{c}has_transactions = 1"),
];

/// The SQL condition for "contacts this department may see" (on unqualified columns).
pub fn visible(visibility: Visibility) -> String {
    VISIBILITY_SQL
        .iter()
        .find(|(v, _)| *v == visibility)
        .map_or_else(|| "1 = 0".to_owned(), |(_, sql)| sql.replace("{c}", ""))
}

/// The same rule decided in SQL from a stored visibility code (`rule_column`, for example
/// `d.visibility`), for queries that join the department's rule; contact columns are
/// qualified with `contact_alias`.
pub fn visible_by_rule(rule_column: &str, contact_alias: &str) -> String {
    let cases: Vec<String> = VISIBILITY_SQL
        .iter()
        .map(|(v, sql)| {
            let condition = sql.replace("{c}", &format!("{contact_alias}."));
            format!("({rule_column} = '{}' and {condition})", v.code())
        })
        .collect();
    format!("({})", cases.join(" or "))
}

enum Bind {
    Text(String),
    Int(i64),
}

/// `where` text and its bind values for a filtered search within `visibility`. `text` must
/// already be folded (lowercase, no accents) like `search_text`.
fn conditions(visibility: Visibility, filter: &ContactFilter, text: &str) -> (String, Vec<Bind>) {
    let mut clauses = vec![visible(visibility)];
    let mut binds = Vec::new();
    let mut push = |clause: &str, bind: Bind| {
        binds.push(bind);
        clauses.push(clause.replace('?', &format!("${}", binds.len())));
    };
    if !text.is_empty() {
        push(
            "search_text like ? escape '\\'",
            Bind::Text(format!("%{}%", escape_like(text))),
        );
    }
    if let Some(city) = filter.city.as_deref().filter(|c| !c.is_empty()) {
        push("city = ?", Bind::Text(city.to_owned()));
    }
    if let Some(destination) = filter.destination.as_deref().filter(|d| !d.is_empty()) {
        push(
            "tour_destinations like ? escape '\\'",
            Bind::Text(format!("%{}%", escape_like(destination))),
        );
    }
    if let Some(consent) = filter.consent {
        push("marketing_consent = ?", Bind::Int(i64::from(consent)));
    }
    if let Some(reservation) = filter.reservation {
        push("active_reservation = ?", Bind::Int(i64::from(reservation)));
    }
    (clauses.join(" and "), binds)
}

/// `%`, `_` and `\` match themselves (the query says `escape '\'`).
fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn bind_all<'q>(
    mut query: sqlx::query::QueryAs<'q, Any, ContactRecord, AnyArguments<'q>>,
    binds: Vec<Bind>,
) -> sqlx::query::QueryAs<'q, Any, ContactRecord, AnyArguments<'q>> {
    for b in binds {
        query = match b {
            Bind::Text(t) => query.bind(t),
            Bind::Int(i) => query.bind(i),
        };
    }
    query
}

/// One page of the contacts matching `filter` within `visibility`, by id.
pub async fn search(
    conn: &mut AnyConnection,
    visibility: Visibility,
    filter: &ContactFilter,
    text: &str,
    offset: i64,
    limit: i64,
) -> Result<Vec<ContactRecord>, sqlx::Error> {
    let (condition, binds) = conditions(visibility, filter, text);
    let n = binds.len();
    let sql = format!(
        "select {RECORD_COLUMNS} from contact where {condition} order by id limit ${} offset ${}",
        n + 1,
        n + 2
    );
    bind_all(sqlx::query_as(&sql), binds)
        .bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await
}

/// How many contacts match.
pub async fn count(
    conn: &mut AnyConnection,
    visibility: Visibility,
    filter: &ContactFilter,
    text: &str,
) -> Result<i64, sqlx::Error> {
    let (condition, binds) = conditions(visibility, filter, text);
    let sql = format!("select cast(count(*) as bigint) from contact where {condition}");
    let mut query = sqlx::query_scalar(&sql);
    for b in binds {
        query = match b {
            Bind::Text(t) => query.bind(t),
            Bind::Int(i) => query.bind(i),
        };
    }
    query.fetch_one(conn).await
}

/// The contacts among `ids` that `visibility` lets the caller see.
pub async fn visible_by_ids(
    conn: &mut AnyConnection,
    visibility: Visibility,
    ids: &[i64],
) -> Result<Vec<ContactRecord>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "select {RECORD_COLUMNS} from contact where {} and id in ({}) order by id",
        visible(visibility),
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    query.fetch_all(conn).await
}

/// The cities of the contacts the caller may see.
pub async fn cities(
    conn: &mut AnyConnection,
    visibility: Visibility,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "select distinct city from contact where {} and city is not null order by city",
        visible(visibility)
    ))
    .fetch_all(conn)
    .await
}

/// Contacts whose search text has not been computed yet (imported or older rows).
pub async fn missing_search_text(
    conn: &mut AnyConnection,
    limit: i64,
) -> Result<Vec<ContactRecord>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {RECORD_COLUMNS} from contact where search_text is null order by id limit $1"
    ))
    .bind(limit)
    .fetch_all(conn)
    .await
}

pub async fn set_search_text(
    conn: &mut AnyConnection,
    id: i64,
    text: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("update contact set search_text = $1 where id = $2")
        .bind(text)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
