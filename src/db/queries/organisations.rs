use diesel::prelude::*;

use crate::db::models::Organisation;
use crate::db::schema::organisations::dsl as o;
use crate::db::{DbConnection, DbError};

pub fn insert_organisation(conn: &mut DbConnection, org: &Organisation) -> Result<(), DbError> {
    diesel::insert_into(o::organisations).values(org).execute(conn)?;
    Ok(())
}

pub fn find_by_id(conn: &mut DbConnection, id: &str) -> Result<Organisation, DbError> {
    Ok(o::organisations.find(id).select(Organisation::as_select()).first(conn)?)
}

/// Holds the organisation's row until the transaction ends, so that its one-per-organisation
/// rows (the first signing key, the status list) are made once; see the policy in `db`.
/// Touches no column's value, so its version and the foreign keys to it stay free.
pub fn lock(conn: &mut DbConnection, id: &str) -> Result<(), DbError> {
    let n = diesel::update(o::organisations.find(id)).set(o::name.eq(o::name)).execute(conn)?;
    if n == 1 { Ok(()) } else { Err(DbError::NotFound) }
}

/// Sets the name and the time zone, if `expected_version` is still the organisation's.
pub fn update(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i64,
    name: &str,
    time_zone: &str,
) -> Result<Organisation, DbError> {
    crate::db::write(conn, |conn| {
        let n = diesel::update(o::organisations.filter(o::id.eq(id)).filter(o::version.eq(expected_version)))
            .set((o::name.eq(name), o::time_zone.eq(time_zone), o::version.eq(expected_version + 1)))
            .execute(conn)?;
        super::versioned_update(n, true, "organisation")?;
        find_by_id(conn, id)
    })
}

pub fn find_by_name(conn: &mut DbConnection, name: &str) -> Result<Organisation, DbError> {
    Ok(o::organisations.filter(o::name.eq(name)).select(Organisation::as_select()).first(conn)?)
}
