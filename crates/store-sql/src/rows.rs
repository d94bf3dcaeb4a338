//! Backend-neutral helpers used by the generated SQL code: error mapping, JSON columns,
//! denormalised keys.

use std::collections::BTreeSet;

use serde::Serialize;
use serde::de::DeserializeOwned;
use thutuc_domain::procedure::{Level, ProcedureContent};
use thutuc_domain::text;
use thutuc_store::StoreError;

/// Maps a driver error to the storage tier in one place.
pub fn map_err(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::RowNotFound => StoreError::NotFound("bản ghi / record".into()),
        sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
            StoreError::Unavailable(e.to_string())
        }
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::conflict(format!(
            "bản ghi đã tồn tại / already exists ({})",
            db.message()
        )),
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::invalid(
            "tham chiếu",
            format!(
                "tham chiếu tới bản ghi không tồn tại / unknown reference ({})",
                db.message()
            ),
        ),
        _ => StoreError::Other(e.to_string()),
    }
}

/// Serialises a JSON column.
pub fn to_json<T: Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Other(format!("json: {e}")))
}

/// Deserialises a JSON column.
pub fn from_json<T: DeserializeOwned>(s: &str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::Other(format!("json: {e}")))
}

/// Levels as a delimited text column (`,ministry,province,`), searchable with `LIKE '%,x,%'`.
pub fn levels_text(levels: &BTreeSet<Level>) -> String {
    let mut s = String::from(",");
    for l in levels {
        s.push_str(l.as_str());
        s.push(',');
    }
    s
}

/// Parses the levels column back to identifiers.
pub fn levels_list(s: &str) -> Vec<String> {
    s.split(',')
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// The folded key used for accent-insensitive filtering of lists.
pub fn search_key(code: &str, c: &ProcedureContent) -> String {
    format!("{code} {} {}", text::fold(&c.name), text::fold(&c.sector))
}

/// Parses an enum column, reporting corruption clearly.
pub fn parse_col<T>(v: &str, col: &str, f: impl Fn(&str) -> Option<T>) -> Result<T, StoreError> {
    f(v).ok_or_else(|| StoreError::Other(format!("giá trị không hợp lệ trong cột {col}: {v}")))
}
