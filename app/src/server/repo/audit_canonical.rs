//! Reading the audit chain for verification, fast: the database packs each event's fields
//! (lengths, then bytes) and aggregates a few thousand events into one blob, so one value
//! crosses from the database per chunk instead of 21 per event. [`parse_chunk`] rebuilds
//! exactly `service::audit::canonical_bytes`; a test checks both backends against it.

use crate::server::Backend;
use sqlx::AnyConnection;

/// What verification needs of one stored event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Canonical {
    pub seq: i64,
    pub prev_hash: String,
    pub hash: String,
    pub canonical: Vec<u8>,
}

const COLUMNS: [(&str, bool); 20] = [
    ("seq", true),
    ("prev_hash", false),
    ("created_at", true),
    ("actor_id", true),
    ("actor_username", false),
    ("action", false),
    ("module", false),
    ("target_type", false),
    ("target_id", false),
    ("outcome", false),
    ("severity", false),
    ("ip", false),
    ("user_agent", false),
    ("ua_browser", false),
    ("ua_os", false),
    ("ua_device", false),
    ("session_id", false),
    ("before_json", false),
    ("after_json", false),
    ("details_json", false),
];

/// One value per event for chunked reads: the 20 field lengths (4 bytes each, big-endian,
/// `0xFFFFFFFF` for NULL), then the bytes of every non-NULL field, then the stored hash
/// (64 ASCII hex digits). [`parse_chunk`] turns it back into canonical bytes.
fn packed(backend: Backend) -> String {
    let value = |column: &str, integer: bool| match (backend, integer) {
        (Backend::Sqlite, true) => format!("cast(cast({column} as text) as blob)"),
        (Backend::Sqlite, false) => format!("cast({column} as blob)"),
        (Backend::Postgres, true) => format!("convert_to({column}::text, 'UTF8')"),
        (Backend::Postgres, false) => format!("convert_to({column}, 'UTF8')"),
    };
    match backend {
        Backend::Sqlite => {
            let lengths: Vec<String> = COLUMNS
                .iter()
                .map(|(c, int)| format!("iif({c} is null, 4294967295, length({}))", value(c, *int)))
                .collect();
            let data: Vec<String> = COLUMNS
                .iter()
                .map(|(c, int)| format!("coalesce({}, x'')", value(c, *int)))
                .collect();
            format!(
                "unhex(printf('{}', {})) || {} || cast(hash as blob)",
                "%08x".repeat(COLUMNS.len()),
                lengths.join(", "),
                data.join(" || ")
            )
        }
        Backend::Postgres => {
            let lengths: Vec<String> = COLUMNS
                .iter()
                .map(|(c, int)| format!("int4send(coalesce(octet_length({}), -1))", value(c, *int)))
                .collect();
            let data: Vec<String> = COLUMNS
                .iter()
                .map(|(c, int)| format!("coalesce({}, ''::bytea)", value(c, *int)))
                .collect();
            format!(
                "{} || {} || convert_to(hash, 'UTF8')",
                lengths.join(" || "),
                data.join(" || ")
            )
        }
    }
}

/// The events with `lo < seq <= hi`, in `seq` order, as one blob (`None` if there are none).
pub async fn chunk(
    conn: &mut AnyConnection,
    lo: i64,
    hi: i64,
) -> Result<Option<Vec<u8>>, sqlx::Error> {
    let backend = Backend::of(conn);
    let sql = match backend {
        Backend::Sqlite => format!(
            "select cast(group_concat(p, '') as blob) from (select {} as p from audit_event \
             where seq > $1 and seq <= $2 order by seq)",
            packed(backend)
        ),
        Backend::Postgres => format!(
            "select string_agg(p, ''::bytea order by s) from (select seq as s, {} as p \
             from audit_event where seq > $1 and seq <= $2) t",
            packed(backend)
        ),
    };
    sqlx::query_scalar(&sql)
        .bind(lo)
        .bind(hi)
        .fetch_one(conn)
        .await
}

const TAG: &[u8] = b"centinela-audit-v1";

/// Splits a chunk back into events with their canonical bytes. `None` if the chunk does
/// not parse (which only a broken database could produce).
pub fn parse_chunk(chunk: &[u8]) -> Option<Vec<Canonical>> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < chunk.len() {
        let lengths = chunk.get(at..at + 4 * COLUMNS.len())?;
        at += lengths.len();
        let mut canonical = Vec::with_capacity(512);
        canonical.extend_from_slice(TAG);
        let mut fields: Vec<&[u8]> = Vec::with_capacity(COLUMNS.len());
        for raw in lengths.chunks_exact(4) {
            let len = u32::from_be_bytes(raw.try_into().ok()?);
            canonical.extend_from_slice(raw);
            if len == u32::MAX {
                fields.push(&[]);
                continue;
            }
            let data = chunk.get(at..at + len as usize)?;
            at += data.len();
            canonical.extend_from_slice(data);
            fields.push(data);
        }
        let hash = chunk.get(at..at + 64)?;
        at += 64;
        out.push(Canonical {
            seq: std::str::from_utf8(fields[0]).ok()?.parse().ok()?,
            prev_hash: String::from_utf8(fields[1].to_vec()).ok()?,
            hash: String::from_utf8(hash.to_vec()).ok()?,
            canonical,
        });
    }
    Some(out)
}
