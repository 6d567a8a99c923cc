//! Peer groups, their members and sessions. Every lookup of a group takes the organisation.

use diesel::prelude::*;

use crate::db::models::{PeerGroupMemberRow, PeerGroupRow, PeerGroupSessionRow};
use crate::db::schema::peer_group_members::dsl as m;
use crate::db::schema::peer_group_sessions::dsl as s;
use crate::db::schema::peer_groups::dsl as g;
use crate::db::{DbConnection, DbError};

pub fn insert_group(conn: &mut DbConnection, row: &PeerGroupRow) -> Result<(), DbError> {
    diesel::insert_into(g::peer_groups).values(row).execute(conn)?;
    Ok(())
}

pub fn find_in_org(conn: &mut DbConnection, org: &str, id: &str) -> Result<PeerGroupRow, DbError> {
    Ok(g::peer_groups
        .find(id)
        .filter(g::organisation_id.eq(org))
        .select(PeerGroupRow::as_select())
        .first(conn)?)
}

/// Sets the name and theme of `id` if `expected_version` is still its version.
pub fn rename(
    conn: &mut DbConnection,
    org: &str,
    id: &str,
    expected_version: i64,
    name: &str,
    theme: &str,
) -> Result<PeerGroupRow, DbError> {
    let n = diesel::update(
        g::peer_groups.find(id).filter(g::organisation_id.eq(org)).filter(g::version.eq(expected_version)),
    )
    .set((g::name.eq(name), g::theme.eq(theme), g::version.eq(expected_version + 1)))
    .execute(conn)?;
    super::versioned_update(n, true, "group")?;
    find_in_org(conn, org, id)
}

/// The groups `coach` leads, by name.
pub fn led_by(conn: &mut DbConnection, org: &str, coach: &str) -> Result<Vec<PeerGroupRow>, DbError> {
    Ok(g::peer_groups
        .filter(g::organisation_id.eq(org))
        .filter(g::coach_id.eq(coach))
        .order((g::name, g::id))
        .select(PeerGroupRow::as_select())
        .load(conn)?)
}

/// The groups `candidate` is a member of, by name.
pub fn of_member(conn: &mut DbConnection, org: &str, candidate: &str) -> Result<Vec<PeerGroupRow>, DbError> {
    let ids: Vec<String> =
        m::peer_group_members.filter(m::candidate_id.eq(candidate)).select(m::group_id).load(conn)?;
    Ok(g::peer_groups
        .filter(g::organisation_id.eq(org))
        .filter(g::id.eq_any(ids))
        .order((g::name, g::id))
        .select(PeerGroupRow::as_select())
        .load(conn)?)
}

/// The members of `group`, by seat.
pub fn members(conn: &mut DbConnection, group: &str) -> Result<Vec<PeerGroupMemberRow>, DbError> {
    Ok(m::peer_group_members
        .filter(m::group_id.eq(group))
        .order(m::seat)
        .select(PeerGroupMemberRow::as_select())
        .load(conn)?)
}

/// Takes the next seat of `group` (seats of members who left are never given again).
pub fn take_seat(conn: &mut DbConnection, group: &str) -> Result<i64, DbError> {
    diesel::update(g::peer_groups.find(group)).set(g::seats_given.eq(g::seats_given + 1)).execute(conn)?;
    Ok(g::peer_groups.find(group).select(g::seats_given).first(conn)?)
}

pub fn insert_member(conn: &mut DbConnection, row: &PeerGroupMemberRow) -> Result<(), DbError> {
    diesel::insert_into(m::peer_group_members).values(row).execute(conn)?;
    Ok(())
}

/// Removes `candidate` from `group`; whether they were a member.
pub fn delete_member(conn: &mut DbConnection, group: &str, candidate: &str) -> Result<bool, DbError> {
    let n = diesel::delete(
        m::peer_group_members.filter(m::group_id.eq(group)).filter(m::candidate_id.eq(candidate)),
    )
    .execute(conn)?;
    Ok(n > 0)
}

/// Sets what `candidate` shares with `group`; whether they are a member.
pub fn set_sharing(
    conn: &mut DbConnection,
    group: &str,
    candidate: &str,
    share_name: bool,
    share_goal: bool,
) -> Result<bool, DbError> {
    let n = diesel::update(
        m::peer_group_members.filter(m::group_id.eq(group)).filter(m::candidate_id.eq(candidate)),
    )
    .set((m::share_name.eq(share_name), m::share_goal.eq(share_goal)))
    .execute(conn)?;
    Ok(n > 0)
}

pub fn insert_session(conn: &mut DbConnection, row: &PeerGroupSessionRow) -> Result<(), DbError> {
    diesel::insert_into(s::peer_group_sessions).values(row).execute(conn)?;
    Ok(())
}

/// The sessions of `group`, the latest first.
pub fn sessions(conn: &mut DbConnection, group: &str) -> Result<Vec<PeerGroupSessionRow>, DbError> {
    Ok(s::peer_group_sessions
        .filter(s::group_id.eq(group))
        .order((s::session_date.desc(), s::created_at.desc(), s::id))
        .select(PeerGroupSessionRow::as_select())
        .load(conn)?)
}

/// Clears the notes and attendance of every session held before `cutoff` that still has
/// either; the organisation of each, one entry per session cleared.
pub fn clear_sessions_before(
    conn: &mut DbConnection,
    cutoff: chrono::NaiveDate,
) -> Result<Vec<String>, DbError> {
    let old = s::peer_group_sessions
        .filter(s::session_date.lt(cutoff))
        .filter(s::notes.ne("").or(s::attended.ne("[]")));
    let groups: Vec<String> = old.select(s::group_id).load(conn)?;
    diesel::update(old).set((s::notes.eq(""), s::attended.eq("[]"))).execute(conn)?;
    let mut orgs = Vec::new();
    for gid in groups {
        orgs.push(g::peer_groups.find(&gid).select(g::organisation_id).first(conn)?);
    }
    Ok(orgs)
}
