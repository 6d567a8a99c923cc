use diesel::prelude::*;

use crate::db::models::{Achievement, Assessment};
use crate::db::schema::achievements::dsl as ach;
use crate::db::schema::assessments::dsl as a;
use crate::db::{DbConnection, DbError};

pub fn insert_assessment(conn: &mut DbConnection, row: &Assessment) -> Result<(), DbError> {
    diesel::insert_into(a::assessments).values(row).execute(conn)?;
    Ok(())
}

pub fn find_in_org(conn: &mut DbConnection, org: &str, id: &str) -> Result<Assessment, DbError> {
    Ok(a::assessments
        .find(id)
        .filter(a::organisation_id.eq(org))
        .select(Assessment::as_select())
        .first(conn)?)
}

pub fn list_for_candidate(
    conn: &mut DbConnection,
    org: &str,
    candidate: &str,
) -> Result<Vec<Assessment>, DbError> {
    Ok(a::assessments
        .filter(a::organisation_id.eq(org))
        .filter(a::candidate_id.eq(candidate))
        .order((a::created_at, a::id))
        .select(Assessment::as_select())
        .load(conn)?)
}

/// Bumps the assessment's version: every change to its records or decisions goes through
/// here inside the same transaction, so a decision can tell whether the file changed since.
pub fn bump_version(conn: &mut DbConnection, id: &str) -> Result<i64, DbError> {
    diesel::update(a::assessments.find(id)).set(a::version.eq(a::version + 1)).execute(conn)?;
    Ok(a::assessments.find(id).select(a::version).first(conn)?)
}

pub fn list_achievements(
    conn: &mut DbConnection,
    candidate: &str,
    framework: &str,
) -> Result<Vec<Achievement>, DbError> {
    Ok(ach::achievements
        .filter(ach::candidate_id.eq(candidate))
        .filter(ach::framework_id.eq(framework))
        .order((ach::confirmed_at, ach::code))
        .select(Achievement::as_select())
        .load(conn)?)
}

/// Units confirmed for any of `candidates` at or after `since`, oldest first.
pub fn units_confirmed_since(
    conn: &mut DbConnection,
    candidates: &[String],
    since: chrono::NaiveDateTime,
) -> Result<Vec<Achievement>, DbError> {
    Ok(ach::achievements
        .filter(ach::candidate_id.eq_any(candidates))
        .filter(ach::kind.eq("unit"))
        .filter(ach::confirmed_at.ge(since))
        .order((ach::confirmed_at, ach::code))
        .select(Achievement::as_select())
        .load(conn)?)
}

pub fn insert_achievement(conn: &mut DbConnection, row: &Achievement) -> Result<(), DbError> {
    diesel::insert_into(ach::achievements).values(row).execute(conn)?;
    Ok(())
}

/// Every assessment of the organisation, oldest first.
pub fn list_in_org(conn: &mut DbConnection, org: &str) -> Result<Vec<Assessment>, DbError> {
    Ok(a::assessments
        .filter(a::organisation_id.eq(org))
        .order((a::created_at, a::id))
        .select(Assessment::as_select())
        .load(conn)?)
}
