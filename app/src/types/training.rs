//! Training as the fixed endpoints and the training pages see it (SPEC "Training"): an
//! attempt's questions (never their answers), the graded result with its review, the
//! caller's status, a certificate, and the administrators' status list.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Questions drawn per attempt; the pass mark (percent); the time limit; attempts per day.
pub const QUESTIONS_PER_ATTEMPT: usize = 10;
pub const PASS_PERCENT: i64 = 80;
pub const TIME_LIMIT_MS: i64 = 20 * 60 * 1000;
pub const ATTEMPTS_PER_DAY: i64 = 3;

/// One option as an attempt shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizOption {
    pub id: String,
    pub text: String,
}

/// One drawn question, its options in this attempt's order — and nothing about which one
/// is right.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizQuestion {
    pub id: String,
    pub text: String,
    pub options: Vec<QuizOption>,
}

/// `POST /api/quiz_start`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizStart {
    pub attempt_id: String,
    pub questions: Vec<QuizQuestion>,
    /// Unix ms: an attempt submitted later is graded as expired.
    pub expires_at: i64,
}

/// `POST /api/quiz_submit`'s body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizAnswers {
    pub attempt_id: String,
    /// Question id → option id.
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
}

/// One question after grading: what was chosen, what was right, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub question_id: String,
    pub text: String,
    pub options: Vec<QuizOption>,
    pub chosen: Option<String>,
    pub correct: String,
    pub is_correct: bool,
    pub explanation: String,
}

/// A certificate as its owner sees it in an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateRef {
    pub code: String,
    pub issued_at: i64,
    pub valid_until: i64,
}

/// `POST /api/quiz_submit`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizResult {
    pub score: i64,
    pub total: i64,
    pub passed: bool,
    /// Submitted after the time limit: graded as failed.
    pub expired: bool,
    pub review: Vec<ReviewItem>,
    pub certificate: Option<CertificateRef>,
}

coded_enum! {
    /// Where a certificate stands.
    CertificateStatus {
        Valid => "valid",
        Expired => "expired",
        Revoked => "revoked",
    }
}

/// One past attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptSummary {
    pub started_at: i64,
    pub score: Option<i64>,
    pub total: i64,
    /// `passed`, `failed`, `expired`, or none while in progress.
    pub outcome: Option<String>,
}

/// `POST /api/my_training`: the caller's status and current certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyTraining {
    pub certified: bool,
    /// The current certificate (`code`, `valid_until`), if any.
    pub certificate: Option<CertificateRef>,
    /// The confidentiality agreement must be accepted before the next attempt.
    pub agreement_needed: bool,
    pub attempts_left: i64,
    /// When the next attempt is possible, if none is left now.
    pub next_attempt_at: Option<i64>,
    pub attempts: Vec<AttemptSummary>,
    /// "Guardián de Datos".
    pub guardian: bool,
    /// After an incident: export limits halved until the quiz is passed again.
    pub limits_halved: bool,
    pub full_name: String,
}

/// `GET /certificates/{code}`: whose certificate it is and whether it holds; nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicCertificate {
    pub full_name: String,
    pub issued_at: i64,
    pub valid_until: i64,
    pub status: CertificateStatus,
    pub company: String,
    pub code: String,
}

coded_enum! {
    /// An employee's training standing, for administrators.
    TrainingStanding {
        Certified => "certified",
        Expiring => "expiring",
        Overdue => "overdue",
        Never => "never",
    }
}

/// One row of the administrators' training status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingRow {
    pub username: String,
    pub full_name: String,
    pub department: String,
    pub role: String,
    pub standing: TrainingStanding,
    pub valid_until: Option<i64>,
    pub attempts_30d: i64,
    pub last_attempt_at: Option<i64>,
    pub last_score: Option<i64>,
    pub last_total: Option<i64>,
    /// A failed or expired attempt in the last 30 days and no pass since.
    pub failed_recently: bool,
    pub guardian: bool,
    pub limits_halved: bool,
}

/// Filters of the status list (all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingFilter {
    #[serde(default)]
    pub standing: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub failed: Option<bool>,
}
