//! Coaches' invitations to participants. Every lookup takes the organisation.

use diesel::prelude::*;

use crate::db::models::CoachInvitation;
use crate::db::schema::coach_invitations::dsl as ci;
use crate::db::{DbConnection, DbError};

/// Stores a new invitation; a second pending one for the same coach and participant is a
/// `Duplicate` (the partial unique index).
pub fn insert(conn: &mut DbConnection, row: &CoachInvitation) -> Result<(), DbError> {
    diesel::insert_into(ci::coach_invitations).values(row).execute(conn)?;
    Ok(())
}

pub fn find_in_org(conn: &mut DbConnection, org: &str, id: &str) -> Result<CoachInvitation, DbError> {
    Ok(ci::coach_invitations
        .filter(ci::organisation_id.eq(org))
        .filter(ci::id.eq(id))
        .select(CoachInvitation::as_select())
        .first(conn)?)
}

/// The invitations to `candidate` with `status`, oldest first.
pub fn for_candidate(
    conn: &mut DbConnection,
    org: &str,
    candidate: &str,
    status: &str,
) -> Result<Vec<CoachInvitation>, DbError> {
    Ok(ci::coach_invitations
        .filter(ci::organisation_id.eq(org))
        .filter(ci::candidate_id.eq(candidate))
        .filter(ci::status.eq(status))
        .order((ci::created_at, ci::id))
        .select(CoachInvitation::as_select())
        .load(conn)?)
}

/// Every invitation to `candidate`, answered or not, oldest first (for the data export).
pub fn all_for_candidate(
    conn: &mut DbConnection,
    org: &str,
    candidate: &str,
) -> Result<Vec<CoachInvitation>, DbError> {
    Ok(ci::coach_invitations
        .filter(ci::organisation_id.eq(org))
        .filter(ci::candidate_id.eq(candidate))
        .order((ci::created_at, ci::id))
        .select(CoachInvitation::as_select())
        .load(conn)?)
}

/// Answers invitation `id` if it is still `from`; whether it was (an answer given meanwhile
/// leaves it as it is).
pub fn answer(
    conn: &mut DbConnection,
    org: &str,
    id: &str,
    from: &str,
    to: &str,
    at: chrono::NaiveDateTime,
) -> Result<bool, DbError> {
    let n = diesel::update(
        ci::coach_invitations
            .filter(ci::organisation_id.eq(org))
            .filter(ci::id.eq(id))
            .filter(ci::status.eq(from)),
    )
    .set((ci::status.eq(to), ci::answered_at.eq(Some(at))))
    .execute(conn)?;
    Ok(n > 0)
}

/// Deletes the invitations answered before `cutoff` (a pending one has no answer and stays);
/// returns the organisation of each one deleted.
pub fn delete_answered_before(
    conn: &mut DbConnection,
    cutoff: chrono::NaiveDateTime,
) -> Result<Vec<String>, DbError> {
    let old = ci::answered_at.lt(cutoff);
    let orgs = ci::coach_invitations.filter(old).select(ci::organisation_id).load(conn)?;
    diesel::delete(ci::coach_invitations.filter(old)).execute(conn)?;
    Ok(orgs)
}
