//! The texts of the training notices (the export gate, the quiz, certificates), apart from
//! `notice.rs` so that each file stays readable.

use super::Notice;
use crate::i18n::{Locale, td_string};
use crate::types::time::format_lima;

impl Notice {
    /// The training notices; `render` hands them over (through the approvals' and the
    /// administrators').
    pub(super) fn render_training(&self, l: Locale) -> String {
        match self {
            Self::NotCertified => td_string!(l, notice.not_certified).to_string(),
            Self::AgreementRequired => td_string!(l, notice.agreement_required).to_string(),
            Self::TooManyAttempts { next_at } => {
                td_string!(l, notice.too_many_attempts, at = format_lima(*next_at)).to_string()
            }
            Self::AttemptSubmitted => td_string!(l, notice.attempt_submitted).to_string(),
            Self::NotInAttempt { question } => {
                td_string!(l, notice.not_in_attempt, question = question).to_string()
            }
            Self::CertificateExpiring { valid_until } => td_string!(
                l,
                notice.certificate_expiring,
                date = format_lima(*valid_until)
            )
            .to_string(),
            Self::TrainingAssigned => td_string!(l, notice.training_assigned).to_string(),
            other => other.code().to_owned(),
        }
    }
}
