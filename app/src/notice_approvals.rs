//! The texts of the approval notices (refusals, conflicts and what approvers and
//! requesters are told), apart from `notice.rs` so that each file stays readable.

use super::Notice;
use crate::components::labels::role as role_name;
use crate::i18n::{Locale, td_string};
use crate::types::approval::RequestState;
use crate::types::time::format_lima;

/// The name of a request's state, in `l`.
pub fn state_name(l: Locale, s: RequestState) -> &'static str {
    match s {
        RequestState::Pending => td_string!(l, approvals.state.pending),
        RequestState::Approved => td_string!(l, approvals.state.approved),
        RequestState::Rejected => td_string!(l, approvals.state.rejected),
        RequestState::Expired => td_string!(l, approvals.state.expired),
        RequestState::Cancelled => td_string!(l, approvals.state.cancelled),
    }
}

impl Notice {
    /// The approval notices; `render` hands them over.
    pub(super) fn render_approval(&self, l: Locale) -> String {
        match self {
            Self::SecondApprovalRequired { above, role } => td_string!(
                l,
                approvals.notice.second_required,
                above = above,
                role = role_name(l, *role)
            )
            .to_string(),
            Self::OwnRequest => td_string!(l, approvals.notice.own_request).to_string(),
            Self::NotAnApprover => td_string!(l, approvals.notice.not_an_approver).to_string(),
            Self::RequestClosed { state } => {
                td_string!(l, approvals.notice.closed, state = state_name(l, *state)).to_string()
            }
            Self::RequestExpired => td_string!(l, approvals.notice.expired).to_string(),
            Self::AlreadyApproved => td_string!(l, approvals.notice.already_approved).to_string(),
            Self::GrantExpired => td_string!(l, approvals.notice.grant_expired).to_string(),
            Self::CampaignNotApproved { campaign } => td_string!(
                l,
                approvals.notice.campaign_not_approved,
                campaign = campaign
            )
            .to_string(),
            Self::CampaignExists { name } => {
                td_string!(l, approvals.notice.campaign_exists, name = name).to_string()
            }
            Self::CampaignDates => td_string!(l, approvals.notice.campaign_dates).to_string(),
            Self::CampaignDecided => td_string!(l, approvals.notice.campaign_decided).to_string(),
            Self::CampaignNameRequired => {
                td_string!(l, approvals.notice.campaign_name_required).to_string()
            }
            Self::UnknownState { value } => {
                td_string!(l, approvals.notice.unknown_state, value = value).to_string()
            }
            Self::ApprovalAsked {
                request_id,
                requester,
                count,
            } => td_string!(
                l,
                approvals.notice.asked,
                id = request_id,
                requester = requester,
                count = count
            )
            .to_string(),
            Self::ApprovalGiven { request_id, by } => {
                td_string!(l, approvals.notice.given, id = request_id, by = by).to_string()
            }
            Self::RequestGranted {
                request_id,
                count,
                until,
            } => td_string!(
                l,
                approvals.notice.granted,
                id = request_id,
                count = count,
                until = format_lima(*until)
            )
            .to_string(),
            Self::RequestRejected {
                request_id,
                by,
                reason,
            } => td_string!(
                l,
                approvals.notice.rejected,
                id = request_id,
                by = by,
                reason = reason
            )
            .to_string(),
            Self::RequestLapsed { request_id } => {
                td_string!(l, approvals.notice.lapsed, id = request_id).to_string()
            }
            Self::RequestWithdrawn {
                request_id,
                requester,
            } => td_string!(
                l,
                approvals.notice.withdrawn,
                id = request_id,
                requester = requester
            )
            .to_string(),
            other => other.render_admin(l),
        }
    }
}
