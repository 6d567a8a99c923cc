//! The one-row counter of changes to what a verifier concludes (see `service::trust_cache`).

use diesel::prelude::*;

use crate::db::schema::trust_generation::dsl as g;
use crate::db::{DbConnection, DbError};

/// Counts one more change, in the caller's transaction. Called by the writes to keys,
/// credentials and status lists themselves, so no writer can forget it. On PostgreSQL the row
/// stays locked to commit; every writer takes it after the organisation and status-list rows
/// and before the audit chain, the order of `db`'s policy, so it adds no deadlock.
pub(crate) fn bump(conn: &mut DbConnection) -> Result<(), DbError> {
    let n = diesel::update(g::trust_generation.filter(g::id.eq(1)))
        .set(g::generation.eq(g::generation + 1))
        .execute(conn)?;
    if n == 1 { Ok(()) } else { Err(DbError::Corrupt("the trust_generation row is missing".into())) }
}

/// The counter as committed now.
pub fn current(conn: &mut DbConnection) -> Result<i64, DbError> {
    Ok(g::trust_generation.filter(g::id.eq(1)).select(g::generation).first(conn)?)
}
