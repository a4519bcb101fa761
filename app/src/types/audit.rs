//! The vocabulary of the audit log: what happened, in which module, how it ended, how bad.

use serde::{Deserialize, Serialize};

macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$(Self::$variant),+];
            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }
            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

coded_enum!(
    /// Every security-relevant action (SPEC "Audit log").
    AuditAction {
        SignIn => "sign_in",
        SignInFailed => "sign_in_failed",
        SignOut => "sign_out",
        SessionExpired => "session_expired",
        SessionRevoked => "session_revoked",
        ExportRequested => "export_requested",
        ExportAllowed => "export_allowed",
        ExportRefused => "export_refused",
        ExportApproved => "export_approved",
        ExportRejected => "export_rejected",
        ExportDownloaded => "export_downloaded",
        SensitiveDataViewed => "sensitive_data_viewed",
        RoleChanged => "role_changed",
        PermissionChanged => "permission_changed",
        PolicyChanged => "policy_changed",
        UserCreated => "user_created",
        UserBlocked => "user_blocked",
        UserUnblocked => "user_unblocked",
        AlertStateChanged => "alert_state_changed",
        QuizAttempt => "quiz_attempt",
        IntegrityCheck => "integrity_check",
        AuditExported => "audit_exported",
        DemoSeeded => "demo_seeded",
    }
);

coded_enum!(
    /// The part of Centinela an event belongs to.
    AuditModule {
        Auth => "auth",
        Export => "export",
        Contacts => "contacts",
        Users => "users",
        Policies => "policies",
        Alerts => "alerts",
        Training => "training",
        Audit => "audit",
        System => "system",
    }
);

coded_enum!(
    /// How an action ended.
    Outcome {
        Success => "success",
        Failure => "failure",
        Denied => "denied",
    }
);

coded_enum!(
    /// How much an event matters to security (seed 002's scale, plus plain information).
    Severity {
        Info => "info",
        Low => "low",
        Medium => "medium",
        High => "high",
        Critical => "critical",
    }
);

impl AuditAction {
    /// The module an action belongs to.
    pub fn module(self) -> AuditModule {
        use AuditAction::*;
        match self {
            SignIn | SignInFailed | SignOut | SessionExpired | SessionRevoked => AuditModule::Auth,
            ExportRequested | ExportAllowed | ExportRefused | ExportApproved | ExportRejected
            | ExportDownloaded => AuditModule::Export,
            SensitiveDataViewed => AuditModule::Contacts,
            RoleChanged | PermissionChanged | UserCreated | UserBlocked | UserUnblocked => {
                AuditModule::Users
            }
            PolicyChanged => AuditModule::Policies,
            AlertStateChanged => AuditModule::Alerts,
            QuizAttempt => AuditModule::Training,
            IntegrityCheck | AuditExported => AuditModule::Audit,
            DemoSeeded => AuditModule::System,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for a in AuditAction::ALL {
            assert!(seen.insert(a.code()), "duplicate code {}", a.code());
            assert_eq!(AuditAction::from_code(a.code()), Some(*a));
        }
    }
}
