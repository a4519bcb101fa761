//! A user's export policy: the stricter of their role's and their department's rows
//! (seed 000 sections 1 and 2), what their department may see and export, and the purpose
//! it must state. Policies are data; this module only reads and combines them.

pub mod edit;

use crate::error::AppError;
use crate::server::repo::policies::{self, PolicyRow};
use crate::types::field::{Field, parse_field_list};
use crate::types::{Department, QuotaWindow, Role, Visibility};
use sqlx::AnyConnection;

/// Limits per window and the approval threshold; `None` means "no limit".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Limits {
    pub daily: Option<i64>,
    pub weekly: Option<i64>,
    pub monthly: Option<i64>,
    pub approval_threshold: Option<i64>,
}

fn stricter(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

impl Limits {
    /// The stricter of two rows, window by window and for the threshold.
    pub fn stricter(self, other: Limits) -> Limits {
        Limits {
            daily: stricter(self.daily, other.daily),
            weekly: stricter(self.weekly, other.weekly),
            monthly: stricter(self.monthly, other.monthly),
            approval_threshold: stricter(self.approval_threshold, other.approval_threshold),
        }
    }

    /// Every window and the approval threshold at half (training assigned after an incident).
    pub fn halved(self) -> Limits {
        let half = |v: Option<i64>| v.map(|v| v / 2);
        Limits {
            daily: half(self.daily),
            weekly: half(self.weekly),
            monthly: half(self.monthly),
            approval_threshold: half(self.approval_threshold),
        }
    }

    pub fn limit(&self, window: QuotaWindow) -> Option<i64> {
        match window {
            QuotaWindow::Day => self.daily,
            QuotaWindow::Week => self.weekly,
            QuotaWindow::Month => self.monthly,
        }
    }
}

/// What an export's justification must be for, beyond a general purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Marketing exports name an approved campaign.
    Campaign,
    /// Operaciones exports are passenger manifests.
    Manifest,
}

impl Purpose {
    pub fn code(self) -> &'static str {
        match self {
            Self::Campaign => "campaign",
            Self::Manifest => "manifest",
        }
    }
}

/// A department's second approval (seed 000: Contabilidad's CFO above 50 contacts,
/// Dirección's second authorization above 1,000).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecondApprovalRule {
    /// Requests of more contacts than this need it.
    pub above: i64,
    /// Whose approval it takes, within the requester's department.
    pub role: Role,
    /// `true`: a second, different person (holding `role`, or a security administrator);
    /// `false`: the approval of someone holding `role`, which the first approver's decision
    /// gives when they hold it.
    pub distinct: bool,
}

/// Everything the export and contact rules need to know about one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub user_id: i64,
    pub username: String,
    pub department: Department,
    pub role: Role,
    pub supervisor_id: Option<i64>,
    pub supervisor: Option<String>,
    pub limits: Limits,
    pub visibility: Visibility,
    pub viewable: Vec<Field>,
    pub exportable: Vec<Field>,
    /// Viewable only through an explicit, audited reveal.
    pub sensitive: Vec<Field>,
    pub required_purpose: Option<Purpose>,
    /// An automatic response suspended this user's exports (until an administrator lifts
    /// it).
    pub exports_suspended: bool,
    /// Until when the user holds a training certificate (exports need a current one).
    pub certified_until: Option<i64>,
    /// After an incident closed with "training assigned": every limit halved until the
    /// quiz is passed again (already applied to `limits`).
    pub limits_halved: bool,
    pub second_approval: Option<SecondApprovalRule>,
}

impl Policy {
    /// Viewable fields shown in lists (sensitive ones are masked until revealed).
    pub fn listed(&self) -> Vec<Field> {
        self.viewable.clone()
    }

    pub fn may_export(&self, field: Field) -> bool {
        self.exportable.contains(&field)
    }
}

fn corrupt(what: &str, detail: impl std::fmt::Display) -> AppError {
    tracing::error!(%detail, "stored policy: {what}");
    AppError::Internal
}

impl TryFrom<PolicyRow> for Policy {
    type Error = AppError;

    fn try_from(r: PolicyRow) -> Result<Self, AppError> {
        let role_limits = Limits {
            daily: r.role_daily,
            weekly: r.role_weekly,
            monthly: r.role_monthly,
            approval_threshold: r.role_threshold,
        };
        let department_limits = Limits {
            daily: r.dept_daily,
            weekly: r.dept_weekly,
            monthly: r.dept_monthly,
            approval_threshold: r.dept_threshold,
        };
        let visibility = Visibility::from_code(&r.visibility)
            .ok_or_else(|| corrupt("visibility", &r.visibility))?;
        let required_purpose = match r.required_purpose.as_deref() {
            None => None,
            Some("campaign") => Some(Purpose::Campaign),
            Some("manifest") => Some(Purpose::Manifest),
            Some(other) => return Err(corrupt("purpose", other)),
        };
        Ok(Policy {
            user_id: r.user_id,
            department: r.department.parse().map_err(|e| corrupt("department", e))?,
            role: r.role.parse().map_err(|e| corrupt("role", e))?,
            username: r.username,
            supervisor_id: r.supervisor_id,
            supervisor: r.supervisor,
            limits: {
                let limits = role_limits.stricter(department_limits);
                if r.training_required_at.is_some() {
                    limits.halved()
                } else {
                    limits
                }
            },
            visibility,
            viewable: parse_field_list(&r.viewable_fields).map_err(|e| corrupt("viewable", e))?,
            exportable: parse_field_list(&r.exportable_fields)
                .map_err(|e| corrupt("exportable", e))?,
            sensitive: parse_field_list(&r.sensitive_fields)
                .map_err(|e| corrupt("sensitive", e))?,
            required_purpose,
            exports_suspended: r.exports_suspended_at.is_some(),
            certified_until: r.certified_until,
            limits_halved: r.training_required_at.is_some(),
            second_approval: match (r.second_approval_role.as_deref(), r.second_approval_above) {
                (Some(role), Some(above)) => Some(SecondApprovalRule {
                    above,
                    role: role
                        .parse()
                        .map_err(|e| corrupt("second approval role", e))?,
                    distinct: r.second_approval_mode == "second_person",
                }),
                _ => None,
            },
        })
    }
}

/// The policy of `user_id`, as stored now.
pub async fn load(conn: &mut AnyConnection, user_id: i64) -> Result<Policy, AppError> {
    policies::find_policy(conn, user_id)
        .await?
        .ok_or(AppError::Unauthorized)?
        .try_into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(d: Option<i64>, w: Option<i64>, m: Option<i64>, t: Option<i64>) -> Limits {
        Limits {
            daily: d,
            weekly: w,
            monthly: m,
            approval_threshold: t,
        }
    }

    #[test]
    fn the_stricter_row_wins_window_by_window() {
        // ventas.ejecutivo: executive 50/200/500 >50, Ventas 50/200/500 >100.
        let executive = limits(Some(50), Some(200), Some(500), Some(50));
        let ventas = limits(Some(50), Some(200), Some(500), Some(100));
        assert_eq!(
            executive.stricter(ventas),
            limits(Some(50), Some(200), Some(500), Some(50))
        );
        // A manager in Operaciones: 200/1000/3000 >200 against 200/-/- (no weekly, monthly).
        let manager = limits(Some(200), Some(1000), Some(3000), Some(200));
        let operaciones = limits(Some(200), None, None, None);
        assert_eq!(manager.stricter(operaciones), manager);
        // Contabilidad is stricter than a director's role in every window.
        let director = limits(Some(500), Some(3000), Some(10000), Some(500));
        let contabilidad = limits(Some(30), Some(100), Some(300), None);
        assert_eq!(
            director.stricter(contabilidad),
            limits(Some(30), Some(100), Some(300), Some(500))
        );
        // The security administrator in Dirección: no limits, approval above 1000.
        let admin = limits(None, None, None, Some(1000));
        assert_eq!(admin.stricter(Limits::default()), admin);
    }
}
