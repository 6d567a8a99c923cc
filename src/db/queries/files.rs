use diesel::prelude::*;

use crate::db::models::{EvidenceFileMeta, NewEvidenceFile};
use crate::db::schema::assessments::dsl as a;
use crate::db::schema::evidence_files::dsl as f;
use crate::db::{DbConnection, DbError};

pub fn insert_file(conn: &mut DbConnection, file: &NewEvidenceFile) -> Result<(), DbError> {
    diesel::insert_into(f::evidence_files).values(file).execute(conn)?;
    Ok(())
}

pub fn list_for_record(conn: &mut DbConnection, record: &str) -> Result<Vec<EvidenceFileMeta>, DbError> {
    Ok(f::evidence_files
        .filter(f::record_id.eq(record))
        .order(f::created_at)
        .select(EvidenceFileMeta::as_select())
        .load(conn)?)
}

pub fn find_content_in_org(
    conn: &mut DbConnection,
    org: &str,
    id: &str,
) -> Result<(EvidenceFileMeta, Vec<u8>), DbError> {
    Ok(f::evidence_files
        .inner_join(a::assessments)
        .filter(f::id.eq(id))
        .filter(a::organisation_id.eq(org))
        .select((EvidenceFileMeta::as_select(), f::content))
        .first(conn)?)
}
