use std::collections::BTreeMap;

use diesel::prelude::*;

use crate::db::models::RecordRevision;
use crate::db::schema::assessments::dsl as a;
use crate::db::schema::records::dsl as r;
use crate::db::{DbConnection, DbError};

/// Inserts a revision. A second writer of the same revision number hits the unique index on
/// (record_id, revision) and gets a conflict, never an overwrite.
pub fn insert_revision(conn: &mut DbConnection, rev: &RecordRevision) -> Result<(), DbError> {
    diesel::insert_into(r::records).values(rev).execute(conn).map_err(|e| match DbError::from(e) {
        DbError::Duplicate(_) => DbError::Conflict(format!(
            "record {} was corrected by someone else (revision {} exists); reload it",
            rev.record_id, rev.revision
        )),
        other => other,
    })?;
    Ok(())
}

/// Every revision of every record of an assessment, oldest first.
pub fn list_revisions(conn: &mut DbConnection, assessment: &str) -> Result<Vec<RecordRevision>, DbError> {
    Ok(r::records
        .filter(r::assessment_id.eq(assessment))
        .order((r::created_at, r::record_id, r::revision))
        .select(RecordRevision::as_select())
        .load(conn)?)
}

/// The newest revision of each record, in order of first creation; withdrawn ones included.
pub fn current(revisions: Vec<RecordRevision>) -> Vec<RecordRevision> {
    let mut order: Vec<String> = Vec::new();
    let mut newest: BTreeMap<String, RecordRevision> = BTreeMap::new();
    for rev in revisions {
        match newest.get(&rev.record_id) {
            None => {
                order.push(rev.record_id.clone());
                newest.insert(rev.record_id.clone(), rev);
            }
            Some(old) if old.revision < rev.revision => {
                newest.insert(rev.record_id.clone(), rev);
            }
            Some(_) => {}
        }
    }
    order.into_iter().filter_map(|id| newest.remove(&id)).collect()
}

/// All revisions of one record, oldest first, if its assessment belongs to `org`.
pub fn history_in_org(
    conn: &mut DbConnection,
    org: &str,
    record: &str,
) -> Result<Vec<RecordRevision>, DbError> {
    let revs: Vec<RecordRevision> = r::records
        .inner_join(a::assessments)
        .filter(r::record_id.eq(record))
        .filter(a::organisation_id.eq(org))
        .order(r::revision)
        .select(RecordRevision::as_select())
        .load(conn)?;
    if revs.is_empty() { Err(DbError::NotFound) } else { Ok(revs) }
}
