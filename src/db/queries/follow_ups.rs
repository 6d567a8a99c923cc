//! Follow-ups: a coach's meetings with a participant. Every lookup takes the organisation.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::models::FollowUpRow;
use crate::db::schema::follow_ups::dsl as f;
use crate::db::{DbConnection, DbError};

pub fn insert(conn: &mut DbConnection, row: &FollowUpRow) -> Result<(), DbError> {
    diesel::insert_into(f::follow_ups).values(row).execute(conn)?;
    Ok(())
}

/// The follow-ups of `candidate`, the latest meeting first.
pub fn list_for_candidate(
    conn: &mut DbConnection,
    org: &str,
    candidate: &str,
) -> Result<Vec<FollowUpRow>, DbError> {
    Ok(f::follow_ups
        .filter(f::organisation_id.eq(org))
        .filter(f::candidate_id.eq(candidate))
        .order((f::meeting_date.desc(), f::created_at.desc(), f::id))
        .select(FollowUpRow::as_select())
        .load(conn)?)
}

/// The date of the latest meeting with each of `candidates` that has had one.
pub fn last_meetings(
    conn: &mut DbConnection,
    org: &str,
    candidates: &[String],
) -> Result<Vec<(String, NaiveDate)>, DbError> {
    let rows: Vec<(String, NaiveDate)> = f::follow_ups
        .filter(f::organisation_id.eq(org))
        .filter(f::candidate_id.eq_any(candidates))
        .select((f::candidate_id, f::meeting_date))
        .load(conn)?;
    let mut last = std::collections::BTreeMap::<String, NaiveDate>::new();
    for (c, d) in rows {
        let e = last.entry(c).or_insert(d);
        *e = (*e).max(d);
    }
    Ok(last.into_iter().collect())
}

/// The organisations of the follow-ups whose meeting was before `cutoff`, one entry per row.
pub fn orgs_of_meetings_before(conn: &mut DbConnection, cutoff: NaiveDate) -> Result<Vec<String>, DbError> {
    Ok(f::follow_ups.filter(f::meeting_date.lt(cutoff)).select(f::organisation_id).load(conn)?)
}

/// Deletes every follow-up whose meeting was before `cutoff`; how many.
pub fn delete_meetings_before(conn: &mut DbConnection, cutoff: NaiveDate) -> Result<usize, DbError> {
    Ok(diesel::delete(f::follow_ups.filter(f::meeting_date.lt(cutoff))).execute(conn)?)
}
