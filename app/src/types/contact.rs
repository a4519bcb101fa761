//! Contacts as the UI lists them, and how a user picks them.

use super::field::Field;
use serde::{Deserialize, Serialize};

/// A search over the contacts the caller may see.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactFilter {
    /// Matches name, email, phone or document number, ignoring case and accents.
    #[serde(default)]
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    /// Only contacts with (true) or without (false) marketing consent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<bool>,
    /// Only contacts with (true) or without (false) an active reservation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation: Option<bool>,
    /// At most this many contacts (exports); the first ones by id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

/// Which contacts an export is about: explicit ids, or whatever a filter matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Selection {
    Ids(Vec<i64>),
    Filter(ContactFilter),
}

/// One contact: values in the order of [`ContactPage::columns`]; `None` is empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRow {
    pub id: i64,
    pub values: Vec<Option<String>>,
    /// Sensitive fields that hold a value the caller may reveal (audited).
    pub revealable: Vec<Field>,
}

/// One page of search results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactPage {
    pub columns: Vec<Field>,
    pub rows: Vec<ContactRow>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    /// The cities and destinations the filter can offer.
    pub cities: Vec<String>,
    pub destinations: Vec<String>,
}

/// The tours the agency sells (the destinations a contact's history can hold).
pub const TOUR_DESTINATIONS: &[&str] = &[
    "Machu Picchu",
    "Valle Sagrado",
    "Lago Titicaca",
    "Cañón del Colca",
    "Huacachina",
    "Paracas",
    "Líneas de Nazca",
    "Kuélap",
    "Reserva Tambopata",
    "Iquitos - Amazonas",
    "Huaraz - Cordillera Blanca",
    "Máncora",
    "Montaña de Siete Colores",
    "Chan Chan",
];

/// Which contacts a department may see (its rule's `visibility`, SPEC "Policies"). The SQL
/// condition of each lives in one place: `server::repo::contacts::VISIBILITY_SQL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    All,
    MarketingConsent,
    ActiveReservation,
    HasTransactions,
}

impl Visibility {
    pub const ALL: [Visibility; 4] = [
        Self::All,
        Self::MarketingConsent,
        Self::ActiveReservation,
        Self::HasTransactions,
    ];

    /// The code stored in `department_rule.visibility`.
    pub fn code(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::MarketingConsent => "marketing_consent",
            Self::ActiveReservation => "active_reservation",
            Self::HasTransactions => "has_transactions",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.code() == code)
    }
}
