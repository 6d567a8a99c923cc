//! The audit trail: inserted, read, never updated or deleted.

use diesel::prelude::*;

use crate::db::models::AuditEventRow;
use crate::db::schema::audit_events::dsl as a;
use crate::db::{DbConnection, DbError};

/// The newest event's seq and hash, if there is one.
pub fn head(conn: &mut DbConnection) -> Result<Option<(i64, String)>, DbError> {
    Ok(a::audit_events.order(a::seq.desc()).select((a::seq, a::hash)).first(conn).optional()?)
}

pub fn insert(conn: &mut DbConnection, row: &AuditEventRow) -> Result<(), DbError> {
    diesel::insert_into(a::audit_events).values(row).execute(conn)?;
    Ok(())
}

/// Up to `limit` events of `org` with seq below `before` (all if `None`), newest first.
pub fn list_for_org(
    conn: &mut DbConnection,
    org: &str,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditEventRow>, DbError> {
    let mut q = a::audit_events.filter(a::organisation_id.eq(org.to_owned())).into_boxed();
    if let Some(before) = before {
        q = q.filter(a::seq.lt(before));
    }
    Ok(q.order(a::seq.desc()).limit(limit).select(AuditEventRow::as_select()).load(conn)?)
}

/// Up to `limit` events of the whole chain with seq above `after`, oldest first.
pub fn chain_after(conn: &mut DbConnection, after: i64, limit: i64) -> Result<Vec<AuditEventRow>, DbError> {
    Ok(a::audit_events
        .filter(a::seq.gt(after))
        .order(a::seq.asc())
        .limit(limit)
        .select(AuditEventRow::as_select())
        .load(conn)?)
}
