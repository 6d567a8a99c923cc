use diesel::prelude::*;

use crate::db::models::SigningKeyRow;
use crate::db::schema::signing_keys::dsl as k;
use crate::db::{DbConnection, DbError};

pub fn insert_key(conn: &mut DbConnection, row: &SigningKeyRow) -> Result<(), DbError> {
    diesel::insert_into(k::signing_keys).values(row).execute(conn)?;
    super::trust_generation::bump(conn)
}

/// The organisation's active key, if it has one.
pub fn find_active(conn: &mut DbConnection, org: &str) -> Result<SigningKeyRow, DbError> {
    Ok(k::signing_keys
        .filter(k::organisation_id.eq(org))
        .filter(k::retired_at.is_null())
        .select(SigningKeyRow::as_select())
        .first(conn)?)
}

pub fn find_by_id(conn: &mut DbConnection, id: &str) -> Result<SigningKeyRow, DbError> {
    Ok(k::signing_keys.find(id).select(SigningKeyRow::as_select()).first(conn)?)
}

/// Every key, or every key of one organisation; oldest first. Retired and compromised keys
/// stay listed: old certificates still need them.
pub fn list(conn: &mut DbConnection, org: Option<&str>) -> Result<Vec<SigningKeyRow>, DbError> {
    let mut q = k::signing_keys.into_boxed();
    if let Some(org) = org {
        q = q.filter(k::organisation_id.eq(org.to_owned()));
    }
    Ok(q.order((k::created_at, k::id)).select(SigningKeyRow::as_select()).load(conn)?)
}

pub fn retire(conn: &mut DbConnection, id: &str, at: chrono::NaiveDateTime) -> Result<(), DbError> {
    diesel::update(k::signing_keys.find(id)).set(k::retired_at.eq(at)).execute(conn)?;
    super::trust_generation::bump(conn)
}

pub fn mark_compromised(
    conn: &mut DbConnection,
    org: &str,
    id: &str,
    from: chrono::NaiveDateTime,
    reason: &str,
) -> Result<SigningKeyRow, DbError> {
    let n = diesel::update(k::signing_keys.filter(k::id.eq(id)).filter(k::organisation_id.eq(org)))
        .set((k::compromised_from.eq(from), k::compromise_reason.eq(reason)))
        .execute(conn)?;
    if n == 0 {
        return Err(DbError::NotFound);
    }
    super::trust_generation::bump(conn)?;
    find_by_id(conn, id)
}
