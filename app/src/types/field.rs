//! The field catalogue: the names used in export requests, policies and export files
//! (SPEC "Field names"), each with its sensitivity class.

use serde::{Deserialize, Serialize};

macro_rules! catalogue {
    ($($variant:ident => $code:literal, $class:ident;)+) => {
        /// One field of a contact, by its catalogue name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Field { $($variant),+ }

        impl Field {
            pub const ALL: &'static [Field] = &[$(Field::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $(Field::$variant => $code),+ }
            }

            pub fn class(self) -> FieldClass {
                match self { $(Field::$variant => FieldClass::$class),+ }
            }

            pub fn from_code(code: &str) -> Option<Field> {
                Self::ALL.iter().copied().find(|f| f.code() == code)
            }
        }
    };
}

catalogue! {
    FullName => "full_name", IdentityBasic;
    Email => "email", Contact;
    Phone => "phone", Contact;
    City => "city", Location;
    Country => "country", Location;
    CommunicationPreferences => "communication_preferences", Preferences;
    MarketingConsent => "marketing_consent", Preferences;
    TourDestinations => "tour_destinations", Travel;
    ActiveReservation => "active_reservation", Travel;
    DietaryRestrictions => "dietary_restrictions", Travel;
    DocumentType => "document_type", Fiscal;
    DocumentNumber => "document_number", Fiscal;
    BillingAddress => "billing_address", Fiscal;
    PaymentHistory => "payment_history", Payments;
    PassportNumber => "passport_number", IdentityDocument;
    MedicalConditions => "medical_conditions", Health;
    BankAccount => "bank_account", Banking;
    InternalNotes => "internal_notes", Internal;
}

/// How sensitive a field is (SPEC "Contacts").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldClass {
    IdentityBasic,
    Contact,
    Location,
    Preferences,
    Travel,
    Fiscal,
    Payments,
    IdentityDocument,
    Health,
    Banking,
    Internal,
}

impl FieldClass {
    /// Classes an approver should look at twice: identity documents, health, banking,
    /// payments, fiscal data and internal notes.
    pub fn is_sensitive(self) -> bool {
        matches!(
            self,
            Self::Fiscal
                | Self::Payments
                | Self::IdentityDocument
                | Self::Health
                | Self::Banking
                | Self::Internal
        )
    }
}

/// Parses a JSON array of catalogue names (as stored in policies); unknown names are errors.
pub fn parse_field_list(json: &str) -> Result<Vec<Field>, String> {
    let names: Vec<String> = serde_json::from_str(json).map_err(|e| e.to_string())?;
    names
        .iter()
        .map(|n| Field::from_code(n).ok_or_else(|| format!("unknown field {n}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_has_the_eighteen_spec_names() {
        assert_eq!(Field::ALL.len(), 18);
        assert_eq!(
            Field::from_code("passport_number"),
            Some(Field::PassportNumber)
        );
        assert_eq!(Field::from_code("password"), None);
        let json = serde_json::to_string(&Field::BankAccount).expect("json");
        assert_eq!(json, "\"bank_account\"");
    }

    #[test]
    fn policy_lists_parse_strictly() {
        assert_eq!(
            parse_field_list(r#"["email","phone"]"#),
            Ok(vec![Field::Email, Field::Phone])
        );
        assert!(parse_field_list(r#"["email","salary"]"#).is_err());
    }
}
