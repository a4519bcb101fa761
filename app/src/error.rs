//! The one error type that crosses the wire. Server functions return it; the browser and
//! HTTP clients see `{"code": "...", "message": "..."}` with a fitting 4xx/5xx status.
//! Internal causes never travel: they are logged on the server and replaced by a plain
//! message (see `From<sqlx::Error>` in `server::db`).

use crate::notice::Notice;
use http::StatusCode;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Every way a request can fail, as the user should understand it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(into = "WireError", from = "WireError")]
pub enum AppError {
    /// No valid session (401).
    #[error("sign-in required")]
    Unauthorized,
    /// Sign-in failed; identical for unknown users and wrong passwords (401).
    #[error("invalid credentials")]
    InvalidCredentials,
    /// The account exists but is blocked or locked (403).
    #[error("account blocked")]
    AccountBlocked,
    /// Signed in, but the role may not do this (403).
    #[error("forbidden")]
    Forbidden,
    /// A cross-site request to a state-changing endpoint (403).
    #[error("cross-site request")]
    CrossSite,
    #[error("not found")]
    NotFound,
    /// Malformed input that no form of ours produces (400).
    #[error("bad request")]
    BadRequest,
    /// One input field is wrong; the notice says how (422).
    #[error("invalid {field}: {}", notice.code())]
    Validation { field: String, notice: Notice },
    /// One input field is wrong, where SPEC's fixed surface answers 400 (triage); the
    /// notice says how.
    #[error("invalid {field}: {}", notice.code())]
    Invalid { field: String, notice: Notice },
    /// A business rule refused the request (quota, policy, ...). The notice's code is
    /// stable for clients; its text is rendered for people at the edge (4xx, see
    /// [`refused_status`]).
    #[error("refused: {}", .0.code())]
    Refused(Notice),
    #[error("conflict: {}", .0.code())]
    Conflict(Notice),
    #[error("too many requests")]
    TooManyRequests,
    /// Something broke on our side; the cause is in the server log only (500).
    #[error("internal error")]
    Internal,
    /// The database or another dependency is down (503).
    #[error("service unavailable")]
    Unavailable,
    /// An append found the audit chain inconsistent (a row where the next event belongs):
    /// the action is refused rather than recorded outside the chain, and administrators
    /// are told (503).
    #[error("the audit log needs attention")]
    AuditLogNeedsAttention,
}

impl AppError {
    pub fn status_code(&self) -> StatusCode {
        match self {
            Self::Unauthorized | Self::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Self::AccountBlocked | Self::Forbidden | Self::CrossSite => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Invalid { .. } => StatusCode::BAD_REQUEST,
            Self::Refused(notice) => refused_status(notice),
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Unavailable | Self::AuditLogNeedsAttention => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The stable, machine-readable code of this error.
    pub fn code(&self) -> &str {
        match self {
            Self::Unauthorized => "unauthorized",
            Self::InvalidCredentials => "invalid_credentials",
            Self::AccountBlocked => "account_blocked",
            Self::Forbidden => "forbidden",
            Self::CrossSite => "cross_site",
            Self::NotFound => "not_found",
            Self::BadRequest => "bad_request",
            Self::Validation { .. } => "validation",
            Self::Invalid { .. } => "invalid",
            Self::Refused(notice) => notice.code(),
            // The notice says which conflict (`already_decided`, `alert_changed`, ...).
            Self::Conflict(notice) => notice.code(),
            Self::TooManyRequests => "too_many_requests",
            Self::Internal => "internal",
            Self::Unavailable => "unavailable",
            Self::AuditLogNeedsAttention => "audit_log_needs_attention",
        }
    }

    /// The text a person reads, in `locale`.
    pub fn message_in(&self, locale: crate::i18n::Locale) -> String {
        use crate::i18n::td_string;
        match self {
            Self::Validation { notice, .. }
            | Self::Invalid { notice, .. }
            | Self::Refused(notice)
            | Self::Conflict(notice) => notice.render(locale),
            Self::Unauthorized => td_string!(locale, errors.unauthorized).to_string(),
            Self::InvalidCredentials => td_string!(locale, errors.invalid_credentials).to_string(),
            Self::AccountBlocked => td_string!(locale, errors.account_blocked).to_string(),
            Self::Forbidden => td_string!(locale, errors.forbidden).to_string(),
            Self::CrossSite => td_string!(locale, errors.cross_site).to_string(),
            Self::NotFound => td_string!(locale, errors.not_found).to_string(),
            Self::BadRequest => td_string!(locale, errors.bad_request).to_string(),
            Self::TooManyRequests => td_string!(locale, errors.too_many_requests).to_string(),
            Self::Internal => td_string!(locale, errors.internal).to_string(),
            Self::Unavailable => td_string!(locale, errors.unavailable).to_string(),
            Self::AuditLogNeedsAttention => {
                td_string!(locale, notice.audit_needs_attention).to_string()
            }
        }
    }

    pub fn validation(field: &str, notice: Notice) -> Self {
        Self::Validation {
            field: field.to_owned(),
            notice,
        }
    }

    pub fn invalid(field: &str, notice: Notice) -> Self {
        Self::Invalid {
            field: field.to_owned(),
            notice,
        }
    }

    /// The notice this error carries, if any.
    pub fn notice(&self) -> Option<&Notice> {
        match self {
            Self::Validation { notice, .. }
            | Self::Invalid { notice, .. }
            | Self::Refused(notice)
            | Self::Conflict(notice) => Some(notice),
            _ => None,
        }
    }
}

/// The status of a refusal: what HTTP says about each rule.
pub fn refused_status(notice: &Notice) -> StatusCode {
    match notice {
        Notice::FieldNotAllowed { .. }
        | Notice::ContactNotVisible
        | Notice::FieldNotRevealable
        | Notice::ExportsSuspended
        | Notice::NotCertified
        | Notice::AgreementRequired
        | Notice::OwnRequest
        | Notice::NotAnApprover => StatusCode::FORBIDDEN,
        Notice::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
        Notice::LinkUsed
        | Notice::LinkExpired
        | Notice::GrantExpired
        | Notice::PasswordLinkInvalid => StatusCode::GONE,
        Notice::UnsupportedContentType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Arguments that do not decode are the client's fault; anything else is ours.
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => Self::BadRequest,
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => Self::Unavailable,
            _ => Self::Internal,
        }
    }
}

/// What travels: a stable code, a human message (rendered here, at the edge, in the
/// request's language), for validation the field, and the notice as data so the browser
/// can render it again in its own language.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WireError {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<Notice>,
}

impl From<AppError> for WireError {
    fn from(err: AppError) -> Self {
        let field = match &err {
            AppError::Validation { field, .. } | AppError::Invalid { field, .. } => {
                Some(field.clone())
            }
            _ => None,
        };
        let status = match &err {
            AppError::Refused(notice) => Some(refused_status(notice).as_u16()),
            AppError::Conflict(_) => Some(StatusCode::CONFLICT.as_u16()),
            _ => None,
        };
        WireError {
            code: err.code().to_owned(),
            message: err.message_in(crate::locale::current_request_locale()),
            field,
            status,
            notice: err.notice().cloned(),
        }
    }
}

impl From<WireError> for AppError {
    fn from(w: WireError) -> Self {
        let notice = w.notice.unwrap_or_else(|| Notice::Text {
            code: w.code.clone(),
            message: w.message.clone(),
        });
        match w.code.as_str() {
            "unauthorized" => Self::Unauthorized,
            "invalid_credentials" => Self::InvalidCredentials,
            "account_blocked" => Self::AccountBlocked,
            "forbidden" => Self::Forbidden,
            "cross_site" => Self::CrossSite,
            "not_found" => Self::NotFound,
            "bad_request" => Self::BadRequest,
            "validation" => Self::Validation {
                field: w.field.unwrap_or_default(),
                notice,
            },
            "invalid" => Self::Invalid {
                field: w.field.unwrap_or_default(),
                notice,
            },
            "conflict" => Self::Conflict(notice),
            "too_many_requests" => Self::TooManyRequests,
            "internal" => Self::Internal,
            "unavailable" => Self::Unavailable,
            "audit_log_needs_attention" => Self::AuditLogNeedsAttention,
            _ if w.status == Some(StatusCode::CONFLICT.as_u16()) => Self::Conflict(notice),
            _ => Self::Refused(notice),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_travel_as_code_and_message_and_come_back_intact() {
        let err = AppError::Refused(Notice::LinkUsed);
        let json = serde_json::to_value(&err).expect("serialises");
        assert_eq!(json["code"], "link_used");
        assert_eq!(
            json["message"],
            Notice::LinkUsed.render(crate::i18n::Locale::default())
        );
        let back: AppError = serde_json::from_value(json).expect("deserialises");
        assert_eq!(back, err);
        assert_eq!(back.status_code(), StatusCode::GONE);
    }

    #[test]
    fn internal_errors_carry_no_detail() {
        let json = serde_json::to_string(&AppError::Internal).expect("serialises");
        assert!(json.contains("\"code\":\"internal\""));
        assert!(!json.to_lowercase().contains("sql"));
    }
}
