//! Refusals: which rule refused an export, in words the user reads and a stable code.

use super::MAX_CONTACTS;
use crate::error::AppError;
use crate::i18n::{Locale, td_string};
use crate::server::service::justification::Problem;
use crate::types::Field;
use http::StatusCode;

/// Why an export request was refused outright (nothing debited, nothing pending).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NoFields,
    UnknownField(String),
    FieldNotAllowed(Field),
    BadFormat,
    Justification(Problem),
    NoContacts,
    TooManyContacts,
    NotVisible,
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoFields => "no_fields",
            Self::UnknownField(_) => "unknown_field",
            Self::FieldNotAllowed(_) => "field_not_allowed",
            Self::BadFormat => "invalid_format",
            Self::Justification(Problem::CampaignMissing) => "campaign_required",
            Self::Justification(Problem::ManifestMissing) => "manifest_required",
            Self::Justification(_) => "invalid_justification",
            Self::NoContacts => "no_contacts",
            Self::TooManyContacts => "too_many_contacts",
            Self::NotVisible => "contact_not_visible",
        }
    }

    pub fn message(&self, l: Locale) -> String {
        match self {
            Self::NoFields => td_string!(l, export.refused.no_fields).to_string(),
            Self::UnknownField(f) => {
                td_string!(l, export.refused.unknown_field, field = f).to_string()
            }
            Self::FieldNotAllowed(f) => {
                td_string!(l, export.refused.field_not_allowed, field = f.code()).to_string()
            }
            Self::BadFormat => td_string!(l, export.refused.invalid_format).to_string(),
            Self::Justification(Problem::TooShort) => {
                td_string!(l, export.refused.justification_short).to_string()
            }
            Self::Justification(Problem::TooLong) => {
                td_string!(l, export.refused.justification_long).to_string()
            }
            Self::Justification(Problem::NoPurpose) => {
                td_string!(l, export.refused.justification_purpose).to_string()
            }
            Self::Justification(Problem::CampaignMissing) => {
                td_string!(l, export.refused.campaign_required).to_string()
            }
            Self::Justification(Problem::ManifestMissing) => {
                td_string!(l, export.refused.manifest_required).to_string()
            }
            Self::NoContacts => td_string!(l, export.refused.no_contacts).to_string(),
            Self::TooManyContacts => {
                td_string!(l, export.refused.too_many_contacts, max = MAX_CONTACTS).to_string()
            }
            Self::NotVisible => td_string!(l, export.refused.contact_not_visible).to_string(),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::FieldNotAllowed(_) | Self::NotVisible => StatusCode::FORBIDDEN,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    pub fn into_error(self, locale: Locale) -> AppError {
        AppError::refused(self.code(), self.message(locale), self.status())
    }
}
