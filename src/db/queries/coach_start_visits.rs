//! When each coach last opened their start page.

use diesel::prelude::*;

use crate::db::models::CoachStartVisit;
use crate::db::schema::coach_start_visits::dsl as v;
use crate::db::{DbConnection, DbError};

pub fn find(conn: &mut DbConnection, org: &str, coach: &str) -> Result<Option<CoachStartVisit>, DbError> {
    Ok(v::coach_start_visits
        .filter(v::organisation_id.eq(org))
        .filter(v::coach_id.eq(coach))
        .select(CoachStartVisit::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert(conn: &mut DbConnection, row: &CoachStartVisit) -> Result<(), DbError> {
    diesel::insert_into(v::coach_start_visits).values(row).execute(conn)?;
    Ok(())
}

pub fn update(
    conn: &mut DbConnection,
    coach: &str,
    since: chrono::NaiveDateTime,
    opened_at: chrono::NaiveDateTime,
) -> Result<(), DbError> {
    diesel::update(v::coach_start_visits.filter(v::coach_id.eq(coach)))
        .set((v::since.eq(since), v::opened_at.eq(opened_at)))
        .execute(conn)?;
    Ok(())
}

/// Deletes the visits of coaches who have not opened their start page since `cutoff`; returns
/// the organisation of each one deleted. Their next visit counts as a first one.
pub fn delete_opened_before(
    conn: &mut DbConnection,
    cutoff: chrono::NaiveDateTime,
) -> Result<Vec<String>, DbError> {
    let old = v::opened_at.lt(cutoff);
    let orgs = v::coach_start_visits.filter(old).select(v::organisation_id).load(conn)?;
    diesel::delete(v::coach_start_visits.filter(old)).execute(conn)?;
    Ok(orgs)
}
