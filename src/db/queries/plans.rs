//! Coach assignments, plans and their versions. Every lookup takes the organisation.

use diesel::prelude::*;

use crate::db::models::{CoachAssignment, PlanRow, PlanVersionRow};
use crate::db::schema::coach_assignments::dsl as ca;
use crate::db::schema::plan_versions::dsl as pv;
use crate::db::schema::plans::dsl as p;
use crate::db::{DbConnection, DbError};

pub fn insert_assignment(conn: &mut DbConnection, row: &CoachAssignment) -> Result<(), DbError> {
    diesel::insert_into(ca::coach_assignments).values(row).execute(conn)?;
    Ok(())
}

/// Ends `coach`'s work with `candidate`; whether there was one.
pub fn delete_assignment(
    conn: &mut DbConnection,
    org: &str,
    coach: &str,
    candidate: &str,
) -> Result<bool, DbError> {
    let n = diesel::delete(
        ca::coach_assignments
            .filter(ca::organisation_id.eq(org))
            .filter(ca::coach_id.eq(coach))
            .filter(ca::candidate_id.eq(candidate)),
    )
    .execute(conn)?;
    Ok(n > 0)
}

pub fn is_assigned(
    conn: &mut DbConnection,
    org: &str,
    coach: &str,
    candidate: &str,
) -> Result<bool, DbError> {
    let n: i64 = ca::coach_assignments
        .filter(ca::organisation_id.eq(org))
        .filter(ca::coach_id.eq(coach))
        .filter(ca::candidate_id.eq(candidate))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The coaches of `candidate`, oldest assignment first.
pub fn coaches_of(
    conn: &mut DbConnection,
    org: &str,
    candidate: &str,
) -> Result<Vec<CoachAssignment>, DbError> {
    Ok(ca::coach_assignments
        .filter(ca::organisation_id.eq(org))
        .filter(ca::candidate_id.eq(candidate))
        .order((ca::created_at, ca::id))
        .select(CoachAssignment::as_select())
        .load(conn)?)
}

/// The candidates `coach` works with.
pub fn participants_of(conn: &mut DbConnection, org: &str, coach: &str) -> Result<Vec<String>, DbError> {
    Ok(ca::coach_assignments
        .filter(ca::organisation_id.eq(org))
        .filter(ca::coach_id.eq(coach))
        .select(ca::candidate_id)
        .load(conn)?)
}

pub fn find_for_candidate(
    conn: &mut DbConnection,
    org: &str,
    candidate: &str,
) -> Result<Option<PlanRow>, DbError> {
    Ok(p::plans
        .filter(p::organisation_id.eq(org))
        .filter(p::candidate_id.eq(candidate))
        .select(PlanRow::as_select())
        .first(conn)
        .optional()?)
}

/// Stores the first version of a plan. Two first versions at once: one wins, the other is a
/// conflict, as any other stale write.
pub fn insert_plan(conn: &mut DbConnection, row: &PlanRow) -> Result<(), DbError> {
    match diesel::insert_into(p::plans).values(row).execute(conn) {
        Ok(_) => Ok(()),
        Err(e) => Err(match DbError::from(e) {
            DbError::Duplicate(_) => DbError::Conflict(
                "the plan was changed by someone else; reload it and apply your change again".to_owned(),
            ),
            other => other,
        }),
    }
}

/// Replaces the body of plan `id` at `expected` with version `expected + 1`.
pub fn update_plan(
    conn: &mut DbConnection,
    org: &str,
    id: &str,
    expected: i64,
    body: &str,
    by: &str,
    at: chrono::NaiveDateTime,
) -> Result<(), DbError> {
    let n = diesel::update(
        p::plans.filter(p::id.eq(id)).filter(p::organisation_id.eq(org)).filter(p::version.eq(expected)),
    )
    .set((p::body.eq(body), p::version.eq(expected + 1), p::updated_by.eq(by), p::updated_at.eq(at)))
    .execute(conn)?;
    super::versioned_update(n, true, "plan")
}

pub fn insert_version(conn: &mut DbConnection, row: &PlanVersionRow) -> Result<(), DbError> {
    diesel::insert_into(pv::plan_versions).values(row).execute(conn)?;
    Ok(())
}

/// Every version of plan `id`, newest first.
pub fn versions(conn: &mut DbConnection, id: &str) -> Result<Vec<PlanVersionRow>, DbError> {
    Ok(pv::plan_versions
        .filter(pv::plan_id.eq(id))
        .order(pv::version.desc())
        .select(PlanVersionRow::as_select())
        .load(conn)?)
}

/// Closes (`Some`) or reopens (`None`) plan `id` at `expected`, as version `expected + 1`.
#[allow(clippy::too_many_arguments)]
pub fn set_closed(
    conn: &mut DbConnection,
    org: &str,
    id: &str,
    expected: i64,
    closed_at: Option<chrono::NaiveDateTime>,
    by: &str,
    at: chrono::NaiveDateTime,
) -> Result<(), DbError> {
    let n = diesel::update(
        p::plans.filter(p::id.eq(id)).filter(p::organisation_id.eq(org)).filter(p::version.eq(expected)),
    )
    .set((
        p::closed_at.eq(closed_at),
        p::version.eq(expected + 1),
        p::updated_by.eq(by),
        p::updated_at.eq(at),
    ))
    .execute(conn)?;
    super::versioned_update(n, true, "plan")
}

/// Every plan closed before `cutoff`, of any organisation (for retention).
pub fn closed_before(
    conn: &mut DbConnection,
    cutoff: chrono::NaiveDateTime,
) -> Result<Vec<PlanRow>, DbError> {
    Ok(p::plans.filter(p::closed_at.lt(cutoff)).select(PlanRow::as_select()).load(conn)?)
}

/// Deletes plan `id` with all its versions; how many versions there were.
pub fn delete_plan(conn: &mut DbConnection, id: &str) -> Result<usize, DbError> {
    let versions = diesel::delete(pv::plan_versions.filter(pv::plan_id.eq(id))).execute(conn)?;
    diesel::delete(p::plans.filter(p::id.eq(id))).execute(conn)?;
    Ok(versions)
}
