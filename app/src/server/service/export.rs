//! The export decision (SPEC "Export flow"). In two phases:
//!
//! 1. Without any lock: load the policy, check fields, format and justification, resolve
//!    the contacts the caller may see, and build the file and its SHA-256.
//! 2. In one write transaction: lock the caller's quota account, compute every rolling
//!    window, and either debit the quota and store the export, its file and its audit
//!    event, or record a pending request (over a window or the approval threshold).
//!
//! Refusals are audited in a transaction of their own and debit nothing. A failure after
//! the debit rolls everything back: no debit, no record, no audit event.

use super::audit::{self, NewEvent};
use super::contacts as contact_rules;
use super::export_file::{self, Format};
use super::justification::{self, Problem};
use super::policy::{self, Policy};
use super::quota::{self, Verdict};
use crate::error::AppError;
use crate::i18n::{Locale, td_string};
use crate::locale::current_request_locale;
use crate::server::batch::Batch;
use crate::server::context::{AuthSession, RequestMeta};
use crate::server::group_commit::Job;
use crate::server::repo::contacts::{self, ContactRecord};
use crate::server::repo::exports::{self, ExportRow, RequestRow};
use crate::server::repo::policies;
use crate::server::{AppState, Backend};
use crate::types::audit::{AuditAction, Outcome, Severity};
use crate::types::time::format_lima;
use crate::types::{ExportOutcome, ExportRequest, Field, QuotaWindow, Selection};
use http::StatusCode;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;
use std::sync::Arc;

/// A download link works this long after the export, and only once.
pub const LINK_TTL_MS: i64 = 15 * 60 * 1000;
/// A pending request expires after a week without a decision.
pub const REQUEST_TTL_MS: i64 = 7 * 24 * 3600 * 1000;
/// The most contacts one export may hold.
pub const MAX_CONTACTS: usize = 10_000;
/// Tests arm this to prove that a failure after the debit leaves nothing behind.
pub const FAIL_AFTER_DEBIT: &str = "export.after_debit";

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

/// Everything phase 1 produced.
struct Prepared {
    fields: Vec<Field>,
    format: Format,
    justification: String,
    campaign: Option<String>,
    contact_ids: Vec<i64>,
    digest: String,
    file: Vec<u8>,
    sha256: String,
}

impl Prepared {
    fn count(&self) -> i64 {
        i64::try_from(self.contact_ids.len()).unwrap_or(i64::MAX)
    }

    fn fields_json(&self) -> String {
        serde_json::to_string(&self.fields.iter().map(|f| f.code()).collect::<Vec<_>>())
            .unwrap_or_default()
    }
}

/// Decides an export request (see the module docs).
pub async fn request_export(
    state: &AppState,
    caller: &AuthSession,
    meta: &RequestMeta,
    request: ExportRequest,
) -> Result<ExportOutcome, AppError> {
    let locale = current_request_locale();
    let mut conn = state.db.conn().await?;
    // Explicit ids: the policy and the contacts come back together (one round trip).
    let (policy, preloaded) = match &request.selection {
        Selection::Ids(ids) if !ids.is_empty() && ids.len() <= MAX_CONTACTS => {
            let mut ids = ids.clone();
            ids.sort_unstable();
            ids.dedup();
            let (row, found) =
                policies::policy_and_contacts(&mut conn, caller.user_id, &ids).await?;
            let policy: Policy = row.ok_or(AppError::Unauthorized)?.try_into()?;
            let visible = if found.len() == ids.len() {
                Ok(found)
            } else {
                Err(Refusal::NotVisible)
            };
            (policy, Some(visible))
        }
        _ => (policy::load(&mut conn, caller.user_id).await?, None),
    };
    let prepared = prepare(state, &mut conn, &policy, &request, preloaded).await?;
    drop(conn);
    match prepared {
        Ok(prepared) => decide(state, caller, meta, &policy, prepared, locale).await,
        Err(refusal) => {
            record_refusal(state, caller, meta, &request, &refusal).await?;
            Err(refusal.into_error(locale))
        }
    }
}

/// Parses and checks the requested fields against the catalogue and the policy.
fn check_fields(policy: &Policy, names: &[String]) -> Result<Vec<Field>, Refusal> {
    if names.is_empty() {
        return Err(Refusal::NoFields);
    }
    let mut fields = Vec::with_capacity(names.len());
    for name in names {
        let field = Field::from_code(name.trim()).ok_or_else(|| {
            Refusal::UnknownField(name.chars().filter(|c| !c.is_control()).take(40).collect())
        })?;
        if !policy.may_export(field) {
            return Err(Refusal::FieldNotAllowed(field));
        }
        if !fields.contains(&field) {
            fields.push(field);
        }
    }
    Ok(fields)
}

/// The contacts of `selection` that the caller may see; asking for others is refused
/// without saying whether they exist.
async fn resolve(
    conn: &mut AnyConnection,
    policy: &Policy,
    selection: &Selection,
) -> Result<Result<Vec<ContactRecord>, Refusal>, AppError> {
    Ok(match selection {
        Selection::Ids(ids) => {
            let mut ids = ids.clone();
            ids.sort_unstable();
            ids.dedup();
            if ids.is_empty() {
                Err(Refusal::NoContacts)
            } else if ids.len() > MAX_CONTACTS {
                Err(Refusal::TooManyContacts)
            } else {
                let found = contacts::visible_by_ids(conn, policy.visibility, &ids).await?;
                if found.len() == ids.len() {
                    Ok(found)
                } else {
                    Err(Refusal::NotVisible)
                }
            }
        }
        Selection::Filter(filter) => {
            // No limit means "every match", which may not exceed the maximum either.
            let limit = filter.limit.unwrap_or(MAX_CONTACTS as i64 + 1);
            if limit < 1 {
                Err(Refusal::NoContacts)
            } else if filter.limit.is_some_and(|l| l > MAX_CONTACTS as i64) {
                Err(Refusal::TooManyContacts)
            } else {
                let text = super::text::fold(filter.text.trim());
                let found =
                    contacts::search(conn, policy.visibility, filter, &text, 0, limit).await?;
                if found.is_empty() {
                    Err(Refusal::NoContacts)
                } else if found.len() > MAX_CONTACTS {
                    Err(Refusal::TooManyContacts)
                } else {
                    Ok(found)
                }
            }
        }
    })
}

/// Phase 1: every check that needs no lock, and the file itself.
async fn prepare(
    state: &AppState,
    conn: &mut AnyConnection,
    policy: &Policy,
    request: &ExportRequest,
    preloaded: Option<Result<Vec<ContactRecord>, Refusal>>,
) -> Result<Result<Prepared, Refusal>, AppError> {
    let fields = match check_fields(policy, &request.fields) {
        Ok(fields) => fields,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let Some(format) = Format::parse(&request.format) else {
        return Ok(Err(Refusal::BadFormat));
    };
    let campaign = request
        .campaign
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if let Err(problem) =
        justification::check(&request.justification, campaign, policy.required_purpose)
    {
        return Ok(Err(Refusal::Justification(problem)));
    }
    let resolved = match preloaded {
        Some(resolved) => resolved,
        None => resolve(conn, policy, &request.selection).await?,
    };
    let records = match resolved {
        Ok(records) => records,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let mut rows = Vec::with_capacity(records.len());
    for record in &records {
        let mut row = Vec::with_capacity(fields.len());
        for field in &fields {
            row.push(
                contact_rules::value(record, *field, Some(&state.cipher))?.unwrap_or_default(),
            );
        }
        rows.push(row);
    }
    let file = export_file::render(format, &fields, &rows)?;
    let contact_ids: Vec<i64> = records.iter().map(|r| r.id).collect();
    Ok(Ok(Prepared {
        sha256: hex::encode(Sha256::digest(&file)),
        digest: contacts_digest(&contact_ids),
        fields,
        format,
        justification: request.justification.trim().to_owned(),
        campaign: campaign.map(str::to_owned),
        contact_ids,
        file,
    }))
}

/// SHA-256 over the sorted contact ids, one per line: identifies the exact selection.
pub fn contacts_digest(ids: &[i64]) -> String {
    let mut hasher = Sha256::new();
    for id in ids {
        hasher.update(id.to_string().as_bytes());
        hasher.update(b"\n");
    }
    hex::encode(hasher.finalize())
}

fn random_id() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// A receipt people can read aloud: `R-` and ten characters of Crockford base32.
fn receipt() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut n = rand::random::<u64>();
    let mut out = String::from("R-");
    for i in 0..10 {
        if i == 5 {
            out.push('-');
        }
        out.push(char::from(ALPHABET[(n % 32) as usize]));
        n /= 32;
    }
    out
}

pub fn download_url(export_id: &str) -> String {
    format!("/exports/{export_id}/download")
}

fn window_name(l: Locale, w: QuotaWindow) -> &'static str {
    match w {
        QuotaWindow::Day => td_string!(l, export.window.day),
        QuotaWindow::Week => td_string!(l, export.window.week),
        QuotaWindow::Month => td_string!(l, export.window.month),
    }
}

/// What the decision job needs; shared by every run of the job.
struct Decision {
    state: AppState,
    caller: AuthSession,
    meta: RequestMeta,
    policy: Policy,
    prepared: Prepared,
    locale: Locale,
}

/// Phase 2: the atomic decision, as a job that may share its transaction with others.
async fn decide(
    state: &AppState,
    caller: &AuthSession,
    meta: &RequestMeta,
    policy: &Policy,
    p: Prepared,
    locale: Locale,
) -> Result<ExportOutcome, AppError> {
    let decision = Arc::new(Decision {
        state: state.clone(),
        caller: caller.clone(),
        meta: meta.clone(),
        policy: policy.clone(),
        prepared: p,
        locale,
    });
    let job: Job<ExportOutcome> = Arc::new(move |conn| {
        let decision = decision.clone();
        Box::pin(async move { decide_in(conn, &decision).await })
    });
    state.writes.run(&state.db, job).await
}

/// Inside the write transaction: read the snapshot, then debit and record, or record a
/// pending request.
async fn decide_in(tx: &mut AnyConnection, d: &Decision) -> Result<ExportOutcome, AppError> {
    let Decision {
        state,
        caller,
        meta,
        policy,
        prepared: p,
        locale,
    } = d;
    let locale = *locale;
    let count = p.count();
    if state.db.backend() == Backend::Postgres {
        exports::lock_quota_account(tx, caller.user_id, state.clock.now_ms()).await?;
    }
    // Read the time only once the account is ours, so totals grow with time.
    let now = state.clock.now_ms();
    let snapshot = exports::snapshot(tx, caller.user_id, quota::window_starts(now), true).await?;
    let total = snapshot.total;
    let usage = quota::usage(&snapshot);
    let (reason_code, reason) = match quota::decide(&policy.limits, &usage, count) {
        Verdict::Allowed => {
            let export_id = random_id();
            let row = ExportRow {
                id: export_id.clone(),
                receipt: receipt(),
                user_id: caller.user_id,
                request_id: None,
                count,
                cumulative: total + count,
                fields: p.fields_json(),
                format: p.format.code().to_owned(),
                justification: p.justification.clone(),
                campaign: p.campaign.clone(),
                contacts_digest: p.digest.clone(),
                sha256: p.sha256.clone(),
                size_bytes: i64::try_from(p.file.len()).unwrap_or(i64::MAX),
                ip: Some(meta.ip.clone()),
                user_agent: Some(meta.user_agent.clone()),
                session_id: meta.session_id.clone(),
                expires_at: now + LINK_TTL_MS,
                downloaded_at: None,
                created_at: now,
            };
            let event = NewEvent::new(AuditAction::ExportAllowed, Outcome::Success)
                .actor(Some(caller.user_id), &caller.username)
                .target("export", &export_id)
                .meta(meta)
                .details(json!({
                    "receipt": row.receipt,
                    "count": count,
                    "fields": p.fields.iter().map(|f| f.code()).collect::<Vec<_>>(),
                    "format": row.format,
                    "sha256": row.sha256,
                    "contacts_digest": row.contacts_digest,
                    "justification": row.justification,
                    "campaign": row.campaign,
                }));
            // One round trip: the export, its file, the debit, and the audit event.
            let audit_row = audit::row_after(snapshot.head_seq, snapshot.head_hash, now, event);
            let mut writes = Batch::default();
            writes
                .push(exports::insert_export_statement(&row))
                .push(exports::insert_file_statement(
                    &export_id,
                    p.file.clone(),
                    now,
                ))
                .push(exports::set_quota_total_statement(
                    caller.user_id,
                    total + count,
                    now,
                ));
            audit::push_row(&mut writes, &audit_row);
            writes.run(tx).await?;
            state.failpoints.check(FAIL_AFTER_DEBIT)?;
            return Ok(ExportOutcome::Allowed {
                download_url: download_url(&export_id),
                export_id,
                receipt: row.receipt,
                sha256: row.sha256,
                count,
                expires_at: row.expires_at,
            });
        }
        Verdict::OverWindow {
            window,
            limit,
            used,
        } => {
            let room = quota::room_at(tx, caller.user_id, window, limit, total, count).await?;
            let remaining = (limit - used).max(0);
            let name = window_name(locale, window);
            let head = td_string!(
                locale,
                export.over_window,
                window = name,
                used = used,
                limit = limit,
                remaining = remaining
            )
            .to_string();
            let tail = match room {
                Some(at) => td_string!(locale, export.room_at, count = count, at = format_lima(at))
                    .to_string(),
                None => td_string!(locale, export.never_fits, window = name).to_string(),
            };
            ("quota_exceeded", format!("{head} {tail}"))
        }
        Verdict::OverThreshold { threshold } => (
            "approval_threshold",
            td_string!(locale, export.over_threshold, threshold = threshold).to_string(),
        ),
    };
    let request_id = match exports::find_pending_duplicate(
        tx,
        caller.user_id,
        &p.digest,
        &p.fields_json(),
        p.format.code(),
    )
    .await?
    {
        Some(id) => id,
        None => {
            let row = RequestRow {
                id: 0,
                user_id: caller.user_id,
                approver_id: policy.supervisor_id,
                status: "pending".into(),
                reason_code: reason_code.into(),
                reason: reason.clone(),
                count,
                fields: p.fields_json(),
                format: p.format.code().into(),
                justification: p.justification.clone(),
                campaign: p.campaign.clone(),
                contact_ids: serde_json::to_string(&p.contact_ids).unwrap_or_default(),
                contacts_digest: p.digest.clone(),
                ip: Some(meta.ip.clone()),
                user_agent: Some(meta.user_agent.clone()),
                created_at: now,
                expires_at: now + REQUEST_TTL_MS,
            };
            exports::insert_request(tx, &row).await?
        }
    };
    let event = NewEvent::new(AuditAction::ExportRequested, Outcome::Denied)
        .actor(Some(caller.user_id), &caller.username)
        .target("export_request", request_id)
        .meta(meta)
        .details(json!({
            "reason_code": reason_code,
            "count": count,
            "fields": p.fields.iter().map(|f| f.code()).collect::<Vec<_>>(),
            "approver": policy.supervisor,
        }));
    audit::append(tx, now, event).await?;
    let suffix = match &policy.supervisor {
        Some(approver) => td_string!(locale, export.pending_with, approver = approver).to_string(),
        None => td_string!(locale, export.pending).to_string(),
    };
    Ok(ExportOutcome::NeedsApproval {
        request_id,
        reason_code: reason_code.to_owned(),
        reason: format!("{reason} {suffix}"),
        approver: policy.supervisor.clone(),
    })
}

/// Records a refusal (and what was asked) in the audit log.
async fn record_refusal(
    state: &AppState,
    caller: &AuthSession,
    meta: &RequestMeta,
    request: &ExportRequest,
    refusal: &Refusal,
) -> Result<(), AppError> {
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let asked: Vec<String> = request
        .fields
        .iter()
        .take(40)
        .map(|f| f.chars().filter(|c| !c.is_control()).take(40).collect())
        .collect();
    let event = NewEvent::new(AuditAction::ExportRefused, Outcome::Denied)
        .actor(Some(caller.user_id), &caller.username)
        .meta(meta)
        .severity(match refusal {
            Refusal::FieldNotAllowed(_) | Refusal::NotVisible => Severity::Medium,
            _ => Severity::Low,
        })
        .details(json!({ "code": refusal.code(), "fields": asked, "format": request.format }));
    audit::append(&mut tx, now, event).await?;
    tx.commit().await?;
    Ok(())
}

/// A file ready to be sent.
#[derive(Debug, Clone)]
pub struct Download {
    pub file_name: String,
    pub content_type: &'static str,
    pub sha256: String,
    pub content: Vec<u8>,
}

/// Hands the caller their export once, within 15 minutes; anyone else gets 404.
pub async fn download(
    state: &AppState,
    caller: &AuthSession,
    meta: &RequestMeta,
    export_id: &str,
) -> Result<Download, AppError> {
    let locale = current_request_locale();
    let mut tx = state.db.begin_write().await?;
    let now = state.clock.now_ms();
    let export = exports::find_owned(&mut tx, export_id, caller.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let gone = |code: &str, message: String| AppError::refused(code, message, StatusCode::GONE);
    if export.downloaded_at.is_some() {
        return Err(gone(
            "link_used",
            td_string!(locale, export.link_used).to_string(),
        ));
    }
    if now >= export.expires_at {
        return Err(gone(
            "link_expired",
            td_string!(locale, export.link_expired).to_string(),
        ));
    }
    let content = exports::take_file(&mut tx, export_id, now)
        .await?
        .ok_or_else(|| {
            gone(
                "link_used",
                td_string!(locale, export.link_used).to_string(),
            )
        })?;
    let event = NewEvent::new(AuditAction::ExportDownloaded, Outcome::Success)
        .actor(Some(caller.user_id), &caller.username)
        .target("export", export_id)
        .meta(meta)
        .details(json!({ "receipt": export.receipt, "sha256": export.sha256 }));
    audit::append(&mut tx, now, event).await?;
    tx.commit().await?;
    let format = Format::parse(&export.format).unwrap_or(Format::Csv);
    Ok(Download {
        file_name: format!("centinela-{}.{}", export.receipt, format.code()),
        content_type: format.content_type(),
        sha256: export.sha256,
        content,
    })
}
