//! Phase 1 of a decision, without any lock: the fields, format and justification are
//! checked, the contacts the caller may see are resolved, and the file is built.

use super::MAX_CONTACTS;
use super::file::{self as export_file, Format};
use super::justification;
use crate::error::AppError;
use crate::notice::Notice;
use crate::server::AppState;
use crate::server::repo::contacts::{self, ContactRecord};
use crate::server::service::approvals::campaigns;
use crate::server::service::contacts as contact_rules;
use crate::server::service::policy::{Policy, Purpose};
use crate::server::text::fold;
use crate::types::{ExportRequest, Field, Selection};
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

/// Everything phase 1 produced.
pub(super) struct Prepared {
    pub(super) fields: Vec<Field>,
    pub(super) format: Format,
    pub(super) justification: String,
    pub(super) campaign: Option<String>,
    pub(super) contact_ids: Vec<i64>,
    pub(super) digest: String,
    pub(super) file: Vec<u8>,
    pub(super) sha256: String,
}

impl Prepared {
    pub(super) fn count(&self) -> i64 {
        i64::try_from(self.contact_ids.len()).unwrap_or(i64::MAX)
    }

    pub(super) fn fields_json(&self) -> String {
        serde_json::to_string(&self.fields.iter().map(|f| f.code()).collect::<Vec<_>>())
            .unwrap_or_default()
    }
}

/// Parses and checks the requested fields against the catalogue and the policy. The list
/// is a set: a field named twice, or more names than the catalogue has, is refused (a
/// request that repeats itself is not what any form of ours sends).
fn check_fields(policy: &Policy, names: &[String]) -> Result<Vec<Field>, Notice> {
    if names.is_empty() {
        return Err(Notice::NoFields);
    }
    let printable =
        |name: &str| -> String { name.chars().filter(|c| !c.is_control()).take(40).collect() };
    let mut seen = std::collections::HashSet::with_capacity(names.len().min(Field::ALL.len()));
    if let Some(repeat) = names.iter().find(|name| !seen.insert(name.trim())) {
        return Err(Notice::DuplicateField {
            field: printable(repeat.trim()),
        });
    }
    if names.len() > Field::ALL.len() {
        return Err(Notice::DuplicateField {
            field: String::new(),
        });
    }
    let mut fields = Vec::with_capacity(names.len());
    for name in names {
        let field = Field::from_code(name.trim()).ok_or_else(|| Notice::UnknownField {
            field: printable(name),
        })?;
        if !policy.may_export(field) {
            return Err(Notice::FieldNotAllowed { field });
        }
        fields.push(field);
    }
    Ok(fields)
}

/// The explicit ids of a selection, sorted and without repeats, within the size limits.
pub(super) fn selected_ids(ids: &[i64]) -> Result<Vec<i64>, Notice> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        Err(Notice::NoContacts)
    } else if ids.len() > MAX_CONTACTS {
        Err(Notice::TooManyContacts { max: MAX_CONTACTS })
    } else {
        Ok(ids)
    }
}

/// Asking for a contact one may not see is refused without saying whether it exists.
pub(super) fn all_visible(
    asked: &[i64],
    found: Vec<ContactRecord>,
) -> Result<Vec<ContactRecord>, Notice> {
    if found.len() == asked.len() {
        Ok(found)
    } else {
        Err(Notice::ContactNotVisible)
    }
}

/// The contacts of `selection` that the caller may see.
async fn resolve(
    conn: &mut AnyConnection,
    policy: &Policy,
    selection: &Selection,
) -> Result<Result<Vec<ContactRecord>, Notice>, AppError> {
    Ok(match selection {
        Selection::Ids(ids) => match selected_ids(ids) {
            Ok(ids) => all_visible(
                &ids,
                contacts::visible_by_ids(conn, policy.visibility, &ids).await?,
            ),
            Err(notice) => Err(notice),
        },
        Selection::Filter(filter) => {
            // No limit means "every match", which may not exceed the maximum either.
            let limit = filter.limit.unwrap_or(MAX_CONTACTS as i64 + 1);
            let too_many = Notice::TooManyContacts { max: MAX_CONTACTS };
            if limit < 1 {
                Err(Notice::NoContacts)
            } else if filter.limit.is_some_and(|l| l > MAX_CONTACTS as i64) {
                Err(too_many)
            } else {
                let text = fold(filter.text.trim());
                let found =
                    contacts::search(conn, policy.visibility, filter, &text, 0, limit).await?;
                if found.is_empty() {
                    Err(Notice::NoContacts)
                } else if found.len() > MAX_CONTACTS {
                    Err(too_many)
                } else {
                    Ok(found)
                }
            }
        }
    })
}

/// Phase 1: every check that needs no lock, and the file itself.
pub(super) async fn prepare(
    state: &AppState,
    conn: &mut AnyConnection,
    policy: &Policy,
    request: &ExportRequest,
    preloaded: Option<Result<Vec<ContactRecord>, Notice>>,
) -> Result<Result<Prepared, Notice>, AppError> {
    if policy
        .certified_until
        .is_none_or(|until| until <= state.clock.now_ms())
    {
        return Ok(Err(Notice::NotCertified));
    }
    if policy.exports_suspended {
        return Ok(Err(Notice::ExportsSuspended));
    }
    let fields = match check_fields(policy, &request.fields) {
        Ok(fields) => fields,
        Err(notice) => return Ok(Err(notice)),
    };
    let Some(format) = Format::parse(&request.format) else {
        return Ok(Err(Notice::InvalidFormat));
    };
    let campaign = request
        .campaign
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if let Err(notice) =
        justification::check(&request.justification, campaign, policy.required_purpose)
    {
        return Ok(Err(notice));
    }
    if policy.required_purpose == Some(Purpose::Campaign)
        && let Some(name) = campaign
        && !campaigns::is_running(conn, name, state.clock.now_ms()).await?
    {
        return Ok(Err(Notice::CampaignNotApproved {
            campaign: name.chars().filter(|c| !c.is_control()).take(80).collect(),
        }));
    }
    let resolved = match preloaded {
        Some(resolved) => resolved,
        None => resolve(conn, policy, &request.selection).await?,
    };
    let records = match resolved {
        Ok(records) => records,
        Err(notice) => return Ok(Err(notice)),
    };
    let file = build_file(state, format, &fields, &records)?;
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

/// The export file of `records` with `fields`, in `format`.
pub(super) fn build_file(
    state: &AppState,
    format: Format,
    fields: &[Field],
    records: &[ContactRecord],
) -> Result<Vec<u8>, AppError> {
    let mut rows = Vec::with_capacity(records.len());
    for record in records {
        let mut row = Vec::with_capacity(fields.len());
        for field in fields {
            row.push(
                contact_rules::value(record, *field, Some(&state.cipher))?.unwrap_or_default(),
            );
        }
        rows.push(row);
    }
    export_file::render(format, fields, &rows)
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
