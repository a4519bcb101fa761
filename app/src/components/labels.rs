//! Localised names for departments, roles and account states — and for every other code
//! the server sends as it is stored (audit outcomes, severities, modules, user-agent parts):
//! the stored values never change, they are translated here, at display time.

use crate::i18n::*;
use crate::types::{Department, Role, UserStatus};

pub fn department(locale: Locale, d: Department) -> &'static str {
    match d {
        Department::Ventas => td_string!(locale, department.ventas),
        Department::Marketing => td_string!(locale, department.marketing),
        Department::Operaciones => td_string!(locale, department.operaciones),
        Department::Contabilidad => td_string!(locale, department.contabilidad),
        Department::Direccion => td_string!(locale, department.direccion),
    }
}

pub fn role(locale: Locale, r: Role) -> &'static str {
    match r {
        Role::Intern => td_string!(locale, role.intern),
        Role::Assistant => td_string!(locale, role.assistant),
        Role::Executive => td_string!(locale, role.executive),
        Role::Supervisor => td_string!(locale, role.supervisor),
        Role::Manager => td_string!(locale, role.manager),
        Role::Director => td_string!(locale, role.director),
        Role::Admin => td_string!(locale, role.admin),
    }
}

pub fn status(locale: Locale, s: UserStatus) -> &'static str {
    match s {
        UserStatus::Active => td_string!(locale, status.active),
        UserStatus::Locked => td_string!(locale, status.locked),
        UserStatus::Blocked => td_string!(locale, status.blocked),
    }
}

pub fn field(locale: Locale, f: crate::types::Field) -> &'static str {
    use crate::types::Field as F;
    match f {
        F::FullName => td_string!(locale, field.full_name),
        F::Email => td_string!(locale, field.email),
        F::Phone => td_string!(locale, field.phone),
        F::City => td_string!(locale, field.city),
        F::Country => td_string!(locale, field.country),
        F::CommunicationPreferences => td_string!(locale, field.communication_preferences),
        F::MarketingConsent => td_string!(locale, field.marketing_consent),
        F::TourDestinations => td_string!(locale, field.tour_destinations),
        F::ActiveReservation => td_string!(locale, field.active_reservation),
        F::DietaryRestrictions => td_string!(locale, field.dietary_restrictions),
        F::DocumentType => td_string!(locale, field.document_type),
        F::DocumentNumber => td_string!(locale, field.document_number),
        F::BillingAddress => td_string!(locale, field.billing_address),
        F::PaymentHistory => td_string!(locale, field.payment_history),
        F::PassportNumber => td_string!(locale, field.passport_number),
        F::MedicalConditions => td_string!(locale, field.medical_conditions),
        F::BankAccount => td_string!(locale, field.bank_account),
        F::InternalNotes => td_string!(locale, field.internal_notes),
    }
}

pub fn window(locale: Locale, w: crate::types::QuotaWindow) -> &'static str {
    use crate::types::QuotaWindow as W;
    match w {
        W::Day => td_string!(locale, usage.window.day),
        W::Week => td_string!(locale, usage.window.week),
        W::Month => td_string!(locale, usage.window.month),
    }
}

pub fn device(locale: Locale, kind: &str) -> &'static str {
    match kind {
        "desktop" => td_string!(locale, usage.device_kind.desktop),
        "mobile" => td_string!(locale, usage.device_kind.mobile),
        "tablet" => td_string!(locale, usage.device_kind.tablet),
        "bot" => td_string!(locale, usage.device_kind.bot),
        _ => td_string!(locale, usage.device_kind.other),
    }
}

/// A stored value as people read it: flags become Sí/No, payment lists a summary.
pub fn value(locale: Locale, f: crate::types::Field, raw: &str) -> String {
    use crate::types::Field as F;
    match f {
        F::MarketingConsent | F::ActiveReservation => match raw {
            "true" => td_string!(locale, contacts.yes).to_owned(),
            _ => td_string!(locale, contacts.no).to_owned(),
        },
        F::PaymentHistory => {
            let payments: Vec<serde_json::Value> = serde_json::from_str(raw).unwrap_or_default();
            let total: f64 = payments
                .iter()
                .filter_map(|p| p.get("amount_pen").and_then(serde_json::Value::as_f64))
                .sum();
            td_string!(
                locale,
                contacts.payments,
                count = payments.len(),
                total = format!("{total:.2}")
            )
            .to_string()
        }
        _ => raw.to_owned(),
    }
}

/// The name of an audit action, for people (unknown codes show as they are).
pub fn action(locale: Locale, code: &str) -> String {
    match code {
        "sign_in" => td_string!(locale, audit.action.sign_in).to_owned(),
        "sign_in_failed" => td_string!(locale, audit.action.sign_in_failed).to_owned(),
        "account_locked" => td_string!(locale, audit.action.account_locked).to_owned(),
        "account_unlocked" => td_string!(locale, audit.action.account_unlocked).to_owned(),
        "sign_out" => td_string!(locale, audit.action.sign_out).to_owned(),
        "session_expired" => td_string!(locale, audit.action.session_expired).to_owned(),
        "session_revoked" => td_string!(locale, audit.action.session_revoked).to_owned(),
        "export_requested" => td_string!(locale, audit.action.export_requested).to_owned(),
        "export_allowed" => td_string!(locale, audit.action.export_allowed).to_owned(),
        "export_refused" => td_string!(locale, audit.action.export_refused).to_owned(),
        "export_approved" => td_string!(locale, audit.action.export_approved).to_owned(),
        "export_request_expired" => {
            td_string!(locale, audit.action.export_request_expired).to_owned()
        }
        "export_request_cancelled" => {
            td_string!(locale, audit.action.export_request_cancelled).to_owned()
        }
        "campaign_proposed" => td_string!(locale, audit.action.campaign_proposed).to_owned(),
        "campaign_decided" => td_string!(locale, audit.action.campaign_decided).to_owned(),
        "export_rejected" => td_string!(locale, audit.action.export_rejected).to_owned(),
        "export_downloaded" => td_string!(locale, audit.action.export_downloaded).to_owned(),
        "sensitive_data_viewed" => {
            td_string!(locale, audit.action.sensitive_data_viewed).to_owned()
        }
        "role_changed" => td_string!(locale, audit.action.role_changed).to_owned(),
        "permission_changed" => td_string!(locale, audit.action.permission_changed).to_owned(),
        "policy_changed" => td_string!(locale, audit.action.policy_changed).to_owned(),
        "user_created" => td_string!(locale, audit.action.user_created).to_owned(),
        "user_blocked" => td_string!(locale, audit.action.user_blocked).to_owned(),
        "password_reset" => td_string!(locale, audit.action.password_reset).to_owned(),
        "password_set" => td_string!(locale, audit.action.password_set).to_owned(),
        "report_generated" => td_string!(locale, audit.action.report_generated).to_owned(),
        "user_unblocked" => td_string!(locale, audit.action.user_unblocked).to_owned(),
        "alert_state_changed" => td_string!(locale, audit.action.alert_state_changed).to_owned(),
        "alert_raised" => td_string!(locale, audit.action.alert_raised).to_owned(),
        "alert_repeated" => td_string!(locale, audit.action.alert_repeated).to_owned(),
        "alert_assigned" => td_string!(locale, audit.action.alert_assigned).to_owned(),
        "alert_commented" => td_string!(locale, audit.action.alert_commented).to_owned(),
        "alert_answered" => td_string!(locale, audit.action.alert_answered).to_owned(),
        "exports_suspended" => td_string!(locale, audit.action.exports_suspended).to_owned(),
        "exports_resumed" => td_string!(locale, audit.action.exports_resumed).to_owned(),
        "quiz_started" => td_string!(locale, audit.action.quiz_started).to_owned(),
        "quiz_attempt" => td_string!(locale, audit.action.quiz_attempt).to_owned(),
        "agreement_accepted" => td_string!(locale, audit.action.agreement_accepted).to_owned(),
        "certificate_issued" => td_string!(locale, audit.action.certificate_issued).to_owned(),
        "certificate_revoked" => td_string!(locale, audit.action.certificate_revoked).to_owned(),
        "training_assigned" => td_string!(locale, audit.action.training_assigned).to_owned(),
        "integrity_check" => td_string!(locale, audit.action.integrity_check).to_owned(),
        "audit_exported" => td_string!(locale, audit.action.audit_exported).to_owned(),
        "audit_archived" => td_string!(locale, audit.action.audit_archived).to_owned(),
        "demo_seeded" => td_string!(locale, audit.action.demo_seeded).to_owned(),
        other => other.to_owned(),
    }
}

pub fn damage(locale: Locale, kind: crate::types::audit::DamageKind) -> &'static str {
    use crate::types::audit::DamageKind as D;
    match kind {
        D::Modified => td_string!(locale, audit.damage.modified),
        D::Deleted => td_string!(locale, audit.damage.deleted),
        D::Inserted => td_string!(locale, audit.damage.inserted),
        D::Reordered => td_string!(locale, audit.damage.reordered),
        D::Truncated => td_string!(locale, audit.damage.truncated),
        D::BadSignature => td_string!(locale, audit.damage.bad_signature),
        D::Duplicate => td_string!(locale, audit.damage.duplicate),
        D::PastHead => td_string!(locale, audit.damage.past_head),
        D::Unsigned => td_string!(locale, audit.damage.unsigned),
    }
}

/// How an audit event ended, for people (unknown codes show as they are).
pub fn outcome(locale: Locale, code: &str) -> String {
    use crate::types::audit::Outcome as O;
    match O::from_code(code) {
        Some(O::Success) => td_string!(locale, audit.outcome_kind.success).to_owned(),
        Some(O::Failure) => td_string!(locale, audit.outcome_kind.failure).to_owned(),
        Some(O::Denied) => td_string!(locale, audit.outcome_kind.denied).to_owned(),
        None => code.to_owned(),
    }
}

/// The severity of an audit event, for people (unknown codes show as they are).
pub fn severity(locale: Locale, code: &str) -> String {
    use crate::types::audit::Severity as S;
    match S::from_code(code) {
        Some(S::Info) => td_string!(locale, audit.severity_kind.info).to_owned(),
        Some(S::Low) => td_string!(locale, audit.severity_kind.low).to_owned(),
        Some(S::Medium) => td_string!(locale, audit.severity_kind.medium).to_owned(),
        Some(S::High) => td_string!(locale, audit.severity_kind.high).to_owned(),
        Some(S::Critical) => td_string!(locale, audit.severity_kind.critical).to_owned(),
        None => code.to_owned(),
    }
}

/// The module of an audit event, for people (unknown codes show as they are).
pub fn module(locale: Locale, code: &str) -> String {
    use crate::types::audit::AuditModule as M;
    match M::from_code(code) {
        Some(M::Auth) => td_string!(locale, audit.module_kind.auth).to_owned(),
        Some(M::Export) => td_string!(locale, audit.module_kind.export).to_owned(),
        Some(M::Contacts) => td_string!(locale, audit.module_kind.contacts).to_owned(),
        Some(M::Users) => td_string!(locale, audit.module_kind.users).to_owned(),
        Some(M::Policies) => td_string!(locale, audit.module_kind.policies).to_owned(),
        Some(M::Alerts) => td_string!(locale, audit.module_kind.alerts).to_owned(),
        Some(M::Training) => td_string!(locale, audit.module_kind.training).to_owned(),
        Some(M::Audit) => td_string!(locale, audit.module_kind.audit).to_owned(),
        Some(M::System) => td_string!(locale, audit.module_kind.system).to_owned(),
        None => code.to_owned(),
    }
}

/// A browser or operating system as parsed from a user agent. The parser's "not
/// recognised" (woothee's `UNKNOWN`, or `desconocido` when the agent could not be parsed at
/// all) reads as "unknown" in the reader's language; names show as they are.
pub fn agent_part(locale: Locale, raw: &str) -> String {
    if raw.eq_ignore_ascii_case("unknown") || raw.eq_ignore_ascii_case("desconocido") {
        td_string!(locale, usage.unknown).to_owned()
    } else {
        raw.to_owned()
    }
}

/// What an administrator does to an account, as its button and dialog name it.
pub fn account_action(l: Locale, action: crate::types::session::AccountAction) -> &'static str {
    use crate::types::session::AccountAction as A;
    match action {
        A::Block => td_string!(l, triage.block),
        A::Unblock => td_string!(l, triage.unblock),
        A::Unlock => td_string!(l, triage.unlock),
        A::EndSessions => td_string!(l, triage.end_sessions),
        A::LiftSuspension => td_string!(l, triage.lift_suspension),
    }
}

/// What an action on `username`'s account will do, in words (its dialog says it).
pub fn explain_account_action(
    l: Locale,
    action: crate::types::session::AccountAction,
    username: &str,
) -> String {
    use crate::types::session::AccountAction as A;
    let u = username;
    match action {
        A::Block => td_string!(l, triage.explain_block, username = u).to_string(),
        A::Unblock => td_string!(l, triage.explain_unblock, username = u).to_string(),
        A::Unlock => td_string!(l, triage.explain_unlock, username = u).to_string(),
        A::EndSessions => td_string!(l, triage.explain_end_sessions, username = u).to_string(),
        A::LiftSuspension => td_string!(l, triage.explain_lift, username = u).to_string(),
    }
}
