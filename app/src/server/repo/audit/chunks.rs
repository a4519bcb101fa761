//! Reading the audit chain for verification, fast: the database packs each event's hashed
//! fields (lengths, then bytes) and aggregates a few thousand events into one blob, so one
//! value crosses from the database per chunk instead of one per field. Which fields, in
//! which order, is the caller's (`service::audit::canonical::HASHED_FIELDS`); its
//! `parse_chunk` rebuilds the canonical bytes, and a test checks both backends against it.

use crate::server::Backend;
use sqlx::AnyConnection;

/// One value per event for chunked reads: the lengths of `columns` (4 bytes each,
/// big-endian, `0xFFFFFFFF` for NULL), then the bytes of every non-NULL one, then the stored
/// hash (64 ASCII hex digits). `columns` are (name, is an integer), constant text.
fn packed(backend: Backend, columns: &[(&str, bool)]) -> String {
    let value = |column: &str, integer: bool| match (backend, integer) {
        (Backend::Sqlite, true) => format!("cast(cast({column} as text) as blob)"),
        (Backend::Sqlite, false) => format!("cast({column} as blob)"),
        (Backend::Postgres, true) => format!("convert_to({column}::text, 'UTF8')"),
        (Backend::Postgres, false) => format!("convert_to({column}, 'UTF8')"),
    };
    match backend {
        Backend::Sqlite => {
            let lengths: Vec<String> = columns
                .iter()
                .map(|(c, int)| format!("iif({c} is null, 4294967295, length({}))", value(c, *int)))
                .collect();
            let data: Vec<String> = columns
                .iter()
                .map(|(c, int)| format!("coalesce({}, x'')", value(c, *int)))
                .collect();
            format!(
                "unhex(printf('{}', {})) || {} || cast(hash as blob)",
                "%08x".repeat(columns.len()),
                lengths.join(", "),
                data.join(" || ")
            )
        }
        Backend::Postgres => {
            let lengths: Vec<String> = columns
                .iter()
                .map(|(c, int)| format!("int4send(coalesce(octet_length({}), -1))", value(c, *int)))
                .collect();
            let data: Vec<String> = columns
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

/// The events with `lo < seq <= hi`, in `seq` order, as one blob of `columns` (`None` if
/// there are none).
pub async fn chunk(
    conn: &mut AnyConnection,
    columns: &[(&str, bool)],
    lo: i64,
    hi: i64,
) -> Result<Option<Vec<u8>>, sqlx::Error> {
    let backend = Backend::of(conn);
    let sql = match backend {
        Backend::Sqlite => format!(
            "select cast(group_concat(p, '') as blob) from (select {} as p from audit_event \
             where seq > $1 and seq <= $2 order by seq)",
            packed(backend, columns)
        ),
        Backend::Postgres => format!(
            "select string_agg(p, ''::bytea order by s) from (select seq as s, {} as p \
             from audit_event where seq > $1 and seq <= $2) t",
            packed(backend, columns)
        ),
    };
    sqlx::query_scalar(&sql)
        .bind(lo)
        .bind(hi)
        .fetch_one(conn)
        .await
}
