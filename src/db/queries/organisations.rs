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

/// Sets the name, the time zone and whether credentials name people, if `expected_version` is still the organisation's.
pub fn update(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i64,
    name: &str,
    time_zone: &str,
    names_in_credentials: bool,
) -> Result<Organisation, DbError> {
    crate::db::write(conn, |conn| {
        let n = diesel::update(o::organisations.filter(o::id.eq(id)).filter(o::version.eq(expected_version)))
            .set((
                o::name.eq(name),
                o::time_zone.eq(time_zone),
                o::names_in_credentials.eq(names_in_credentials),
                o::version.eq(expected_version + 1),
            ))
            .execute(conn)?;
        super::versioned_update(n, true, "organisation")?;
        find_by_id(conn, id)
    })
}

pub fn find_by_name(conn: &mut DbConnection, name: &str) -> Result<Organisation, DbError> {
    Ok(o::organisations.filter(o::name.eq(name)).select(Organisation::as_select()).first(conn)?)
}

/// The instance's awarding body, if one is marked.
pub fn awarding_body(conn: &mut DbConnection) -> Result<Option<Organisation>, DbError> {
    Ok(o::organisations
        .filter(o::awarding_body.eq(true))
        .select(Organisation::as_select())
        .first(conn)
        .optional()?)
}

/// Marks organisation `name` as the awarding body and unmarks any other, in one transaction
/// (a unique index keeps it to one).
pub fn make_awarding_body(conn: &mut DbConnection, name: &str) -> Result<Organisation, DbError> {
    crate::db::write(conn, |conn| {
        let org = find_by_name(conn, name)?;
        diesel::update(o::organisations.filter(o::awarding_body.eq(true)).filter(o::id.ne(&org.id)))
            .set((o::awarding_body.eq(false), o::version.eq(o::version + 1)))
            .execute(conn)?;
        if !org.awarding_body {
            diesel::update(o::organisations.find(&org.id))
                .set((o::awarding_body.eq(true), o::version.eq(o::version + 1)))
                .execute(conn)?;
        }
        find_by_id(conn, &org.id)
    })
}
