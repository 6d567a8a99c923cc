use diesel::prelude::*;

use crate::db::models::Decision;
use crate::db::schema::assessments::dsl as a;
use crate::db::schema::decisions::dsl as d;
use crate::db::{DbConnection, DbError};

/// Decision states as stored.
pub const SUBMITTED: &str = "submitted";
pub const CONFIRMED: &str = "confirmed";
pub const RETURNED: &str = "returned";

/// Inserts a submitted decision. The partial unique index allows one open decision per
/// assessment, so two simultaneous submissions cannot both land.
pub fn insert_decision(conn: &mut DbConnection, row: &Decision) -> Result<(), DbError> {
    diesel::insert_into(d::decisions).values(row).execute(conn).map_err(|e| match DbError::from(e) {
        DbError::Duplicate(_) => DbError::Duplicate(
            "a decision for this assessment is already waiting for internal verification".to_owned(),
        ),
        other => other,
    })?;
    Ok(())
}

pub fn find_in_org(conn: &mut DbConnection, org: &str, id: &str) -> Result<Decision, DbError> {
    Ok(d::decisions
        .inner_join(a::assessments)
        .filter(d::id.eq(id))
        .filter(a::organisation_id.eq(org))
        .select(Decision::as_select())
        .first(conn)?)
}

pub fn list_in_org(
    conn: &mut DbConnection,
    org: &str,
    status: Option<&str>,
) -> Result<Vec<Decision>, DbError> {
    let mut q = d::decisions.inner_join(a::assessments).filter(a::organisation_id.eq(org)).into_boxed();
    if let Some(s) = status {
        q = q.filter(d::status.eq(s.to_owned()));
    }
    Ok(q.order((d::submitted_at, d::id)).select(Decision::as_select()).load(conn)?)
}

pub fn list_for_assessment(conn: &mut DbConnection, assessment: &str) -> Result<Vec<Decision>, DbError> {
    Ok(d::decisions
        .filter(d::assessment_id.eq(assessment))
        .order((d::submitted_at, d::id))
        .select(Decision::as_select())
        .load(conn)?)
}

/// Moves a submitted decision to `status`, if it is still at `expected_version` and open.
pub fn close(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i64,
    status: &str,
    verifier: &str,
    comment: Option<&str>,
    at: chrono::NaiveDateTime,
) -> Result<(), DbError> {
    let target = d::decisions
        .filter(d::id.eq(id))
        .filter(d::version.eq(expected_version))
        .filter(d::status.eq(SUBMITTED));
    let n = diesel::update(target)
        .set((
            d::status.eq(status),
            d::verifier_id.eq(verifier),
            d::verified_at.eq(at),
            d::verifier_comment.eq(comment),
            d::version.eq(expected_version + 1),
        ))
        .execute(conn)?;
    if n == 1 {
        Ok(())
    } else {
        Err(DbError::Conflict(
            "the decision was changed by someone else or is no longer waiting for verification; reload it"
                .into(),
        ))
    }
}
