//! The single-use grant of an approved request: downloaded once, by its requester, before
//! the grant's deadline, as an export produced at that moment from the approved contact
//! ids and fields only. Contacts the requester can no longer see are left out (the export's
//! count says how many remain). The export is recorded and audited like any other, with the
//! request and its approvers; its count goes into the requester's windows, which may then
//! show more than 100 %, but the windows never refuse it: the approval is the authority.

use super::file::Format;
use super::prepare::{build_file, contacts_digest};
use super::{Download, export_id, receipt};
use crate::error::AppError;
use crate::notice::Notice;
use crate::server::AppState;
use crate::server::batch::Batch;
use crate::server::context::{AuthSession, RequestMeta};
use crate::server::repo::approvals as requests;
use crate::server::repo::contacts;
use crate::server::repo::exports::{self, ExportRow};
use crate::server::service::audit::{self, NewEvent};
use crate::server::service::policy;
use crate::types::audit::{AuditAction, Outcome};
use crate::types::field::parse_field_list;
use serde_json::json;
use sha2::{Digest, Sha256};

/// Hands the requester the export of their approved request `id` (once). Anyone else, or
/// a request that is not approved, gets 404; a used grant `link_used`, a late one
/// `grant_expired` (both 410).
pub async fn download(
    state: &AppState,
    caller: &AuthSession,
    meta: &RequestMeta,
    id: i64,
) -> Result<Download, AppError> {
    let mut conn = state.db.conn().await?;
    let r = requests::find(&mut conn, id)
        .await?
        .filter(|r| r.user_id == caller.user_id && r.status == "approved")
        .ok_or(AppError::NotFound)?;
    if r.export_id.is_some() {
        return Err(AppError::Refused(Notice::LinkUsed));
    }
    if r.grant_expires_at
        .is_none_or(|until| state.clock.now_ms() >= until)
    {
        return Err(AppError::Refused(Notice::GrantExpired));
    }
    let policy = policy::load(&mut conn, caller.user_id).await?;
    if policy.exports_suspended {
        return Err(AppError::Refused(Notice::ExportsSuspended));
    }
    if policy
        .certified_until
        .is_none_or(|until| until <= state.clock.now_ms())
    {
        return Err(AppError::Refused(Notice::NotCertified));
    }
    let corrupt = |what: &str| {
        tracing::error!(request = id, "stored request: {what}");
        AppError::Internal
    };
    let ids: Vec<i64> = serde_json::from_str(&r.contact_ids).map_err(|_| corrupt("contact ids"))?;
    let fields = parse_field_list(&r.fields).map_err(|_| corrupt("fields"))?;
    let format = Format::parse(&r.format).ok_or_else(|| corrupt("format"))?;
    // Only what the requester may still see.
    let records = contacts::visible_by_ids(&mut conn, policy.visibility, &ids).await?;
    drop(conn);
    let file = build_file(state, format, &fields, &records)?;
    let sha256 = hex::encode(Sha256::digest(&file));
    let count = i64::try_from(records.len()).unwrap_or(i64::MAX);
    let left_out = r.count - count;
    let kept: Vec<i64> = records.iter().map(|c| c.id).collect();

    let mut tx = state.db.begin_write().await?;
    exports::lock_quota_account(&mut tx, caller.user_id, state.clock.now_ms()).await?;
    let now = state.clock.now_ms();
    let snapshot = exports::snapshot(
        &mut tx,
        caller.user_id,
        super::quota::window_starts(now),
        true,
    )
    .await?;
    let export_id = export_id(now);
    let row = ExportRow {
        id: export_id.clone(),
        receipt: receipt(),
        user_id: caller.user_id,
        request_id: Some(id),
        count,
        cumulative: snapshot.total + count,
        fields: r.fields.clone(),
        format: format.code().to_owned(),
        justification: r.justification.clone(),
        campaign: r.campaign.clone(),
        contacts_digest: contacts_digest(&kept),
        sha256: sha256.clone(),
        size_bytes: i64::try_from(file.len()).unwrap_or(i64::MAX),
        ip: Some(meta.ip.clone()),
        user_agent: Some(meta.user_agent.clone()),
        session_id: meta.session_id.clone(),
        expires_at: now,
        downloaded_at: Some(now),
        created_at: now,
    };
    let mut writes = Batch::default();
    writes
        .push(exports::insert_export_statement(&row))
        .push(exports::set_quota_total_statement(
            caller.user_id,
            snapshot.total + count,
            now,
        ));
    writes.run(&mut tx).await?;
    if !requests::use_grant(&mut tx, id, &export_id).await? {
        return Err(AppError::Refused(Notice::LinkUsed));
    }
    let approvers: Vec<String> = requests::decisions(&mut tx, &[id])
        .await?
        .into_iter()
        .filter(|d| d.decision == "approve")
        .map(|d| d.approver)
        .collect();
    let allowed = NewEvent::new(AuditAction::ExportAllowed, Outcome::Success)
        .actor(Some(caller.user_id), &caller.username)
        .target("export", &export_id)
        .meta(meta)
        .details(json!({
            "receipt": row.receipt,
            "count": count,
            "approved_count": r.count,
            "left_out": left_out,
            "request_id": id,
            "approvers": approvers,
            "fields": fields.iter().map(|f| f.code()).collect::<Vec<_>>(),
            "format": row.format,
            "sha256": row.sha256,
            "contacts_digest": row.contacts_digest,
            "approved_digest": r.contacts_digest,
            "justification": row.justification,
            "campaign": row.campaign,
        }));
    audit::append(&mut tx, now, allowed).await?;
    let downloaded = NewEvent::new(AuditAction::ExportDownloaded, Outcome::Success)
        .actor(Some(caller.user_id), &caller.username)
        .target("export", &export_id)
        .meta(meta)
        .details(json!({ "receipt": row.receipt, "sha256": row.sha256, "request_id": id }));
    audit::append(&mut tx, now, downloaded).await?;
    tx.commit().await?;
    Ok(Download {
        file_name: format!("centinela-{}.{}", row.receipt, format.code()),
        content_type: format.content_type(),
        sha256,
        content: file,
    })
}
