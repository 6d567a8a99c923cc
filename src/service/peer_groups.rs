//! Peer groups (issue 14 part 4): a coach gathers some of their participants around a theme,
//! e.g. "Digital vardag", holds sessions (date, topic, attendance, notes) and gives
//! assignments between them.
//!
//! Policy: a group is seen in full only by the coach who leads it; another coach, of this
//! organisation or another, finds nothing (404). Members see the group, its sessions' dates,
//! topics and assignments, and each other only as far as each has chosen to share: by default
//! a member is "Participant <seat>" with no goal, and their name and their plan's goal appear
//! only once they switch sharing on. Attendance and the session notes stay with the coach.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::ServiceError;
use super::plans::PlanBody;
use crate::db::models::{Candidate, PeerGroupMemberRow, PeerGroupRow, PeerGroupSessionRow};
use crate::db::queries::{candidates, peer_groups as q, plans as plan_q};
use crate::db::{self, DbConnection, DbError};
use crate::input;

/// A member as the coach sees them: who, and what they share with the group.
#[derive(Debug, Clone)]
pub struct Member {
    pub row: PeerGroupMemberRow,
    pub candidate: Candidate,
}

/// A group as its coach sees it.
#[derive(Debug, Clone)]
pub struct CoachGroup {
    pub group: PeerGroupRow,
    pub members: Vec<Member>,
    pub sessions: Vec<PeerGroupSessionRow>,
}

/// Another member (or oneself) as a member sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub seat: i64,
    /// Only if they share it (always one's own).
    pub name: Option<String>,
    /// Their plan's goal, only if they share it and have written one.
    pub goal: Option<String>,
    pub is_me: bool,
}

/// A group as one of its members sees it.
#[derive(Debug, Clone)]
pub struct MemberGroup {
    pub group: PeerGroupRow,
    pub me: PeerGroupMemberRow,
    pub members: Vec<Shown>,
    /// Date, topic and assignment are for the members; attendance and notes are not shown.
    pub sessions: Vec<PeerGroupSessionRow>,
}

fn checked_line(field: &str, s: &str, required: bool) -> Result<String, super::FieldProblem> {
    let r = if required { input::required_line(s, input::LINE_MAX) } else { input::line(s, input::LINE_MAX) };
    r.map(|t| t.trim().to_owned()).map_err(|e| super::FieldProblem::input(field, e))
}

/// A group's name (required) and theme, checked.
fn lines(name: &str, theme: &str) -> Result<(String, String), ServiceError> {
    match (checked_line("name", name, true), checked_line("theme", theme, false)) {
        (Ok(n), Ok(t)) => Ok((n, t)),
        (n, t) => Err(ServiceError::Invalid([n.err(), t.err()].into_iter().flatten().collect())),
    }
}

/// A coach starts a group around a theme.
pub fn create(
    conn: &mut DbConnection,
    org: &str,
    coach: &str,
    name: &str,
    theme: &str,
) -> Result<PeerGroupRow, ServiceError> {
    let (name, theme) = lines(name, theme)?;
    let row = PeerGroupRow {
        id: uuid::Uuid::new_v4().to_string(),
        organisation_id: org.to_owned(),
        coach_id: coach.to_owned(),
        name,
        theme,
        seats_given: 0,
        created_at: super::now(),
        version: 0,
    };
    db::write(conn, |conn| q::insert_group(conn, &row))?;
    Ok(row)
}

/// The coach who leads group `id` gives it a new name and theme, as of `version`.
pub fn rename(
    conn: &mut DbConnection,
    org: &str,
    coach: &str,
    id: &str,
    version: i64,
    name: &str,
    theme: &str,
) -> Result<PeerGroupRow, ServiceError> {
    let (name, theme) = lines(name, theme)?;
    db::write(conn, |conn| {
        led_group(conn, org, coach, id)?;
        Ok(q::rename(conn, org, id, version, &name, &theme)?)
    })
}

/// The groups `coach` leads.
pub fn led(conn: &mut DbConnection, org: &str, coach: &str) -> Result<Vec<PeerGroupRow>, ServiceError> {
    Ok(q::led_by(conn, org, coach)?)
}

/// Group `id` if `coach` leads it; anyone else finds nothing.
fn led_group(
    conn: &mut DbConnection,
    org: &str,
    coach: &str,
    id: &str,
) -> Result<PeerGroupRow, ServiceError> {
    let g = q::find_in_org(conn, org, id)?;
    if g.coach_id != coach {
        return Err(DbError::NotFound.into());
    }
    Ok(g)
}

/// Group `id` in full, for the coach who leads it.
pub fn for_coach(
    conn: &mut DbConnection,
    org: &str,
    coach: &str,
    id: &str,
) -> Result<CoachGroup, ServiceError> {
    let group = led_group(conn, org, coach, id)?;
    let members = q::members(conn, &group.id)?
        .into_iter()
        .map(|row| Ok(Member { candidate: candidates::find_in_org(conn, org, &row.candidate_id)?, row }))
        .collect::<Result<Vec<_>, ServiceError>>()?;
    let sessions = q::sessions(conn, &group.id)?;
    Ok(CoachGroup { group, members, sessions })
}

/// The coach adds one of their participants to the group, sharing nothing yet.
pub fn add_member(
    conn: &mut DbConnection,
    org: &str,
    coach: &str,
    id: &str,
    candidate_id: &str,
) -> Result<(), ServiceError> {
    db::write(conn, |conn| {
        let group = led_group(conn, org, coach, id)?;
        if !plan_q::is_assigned(conn, org, coach, candidate_id)? {
            return Err(ServiceError::invalid("candidate_id", "not one of your participants"));
        }
        if q::members(conn, &group.id)?.iter().any(|m| m.candidate_id == candidate_id) {
            return Err(DbError::Duplicate("already a member of this group".into()).into());
        }
        let seat = q::take_seat(conn, &group.id)?;
        q::insert_member(
            conn,
            &PeerGroupMemberRow {
                group_id: group.id,
                candidate_id: candidate_id.to_owned(),
                seat,
                share_name: false,
                share_goal: false,
                joined_at: super::now(),
            },
        )?;
        Ok(())
    })
}

/// The coach takes a member out of the group.
pub fn remove_member(
    conn: &mut DbConnection,
    org: &str,
    coach: &str,
    id: &str,
    candidate_id: &str,
) -> Result<(), ServiceError> {
    db::write(conn, |conn| {
        let group = led_group(conn, org, coach, id)?;
        if !q::delete_member(conn, &group.id, candidate_id)? {
            return Err(DbError::NotFound.into());
        }
        Ok(())
    })
}

/// A session as the coach writes it down.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub date: NaiveDate,
    pub topic: String,
    pub notes: String,
    /// The assignment until the next session.
    pub assignment: String,
    /// Candidate ids of the members who came.
    pub attended: Vec<String>,
}

/// The coach records a session of the group.
pub fn add_session(
    conn: &mut DbConnection,
    org: &str,
    coach: &str,
    id: &str,
    new: NewSession,
) -> Result<PeerGroupSessionRow, ServiceError> {
    db::write(conn, |conn| {
        let group = led_group(conn, org, coach, id)?;
        let members: BTreeSet<String> =
            q::members(conn, &group.id)?.into_iter().map(|m| m.candidate_id).collect();
        let mut problems = Vec::new();
        if let Err(e) = input::date(new.date) {
            problems.push(super::FieldProblem::input("date", e));
        }
        let topic = checked_line("topic", &new.topic, true).map_err(|p| problems.push(p)).unwrap_or_default();
        for (field, text) in [("notes", &new.notes), ("assignment", &new.assignment)] {
            if let Err(e) = input::text(text, input::TEXT_MAX) {
                problems.push(super::FieldProblem::input(field, e));
            }
        }
        for (i, c) in new.attended.iter().enumerate() {
            if !members.contains(c) {
                problems
                    .push(super::FieldProblem::new(format!("attended[{i}]"), "not a member of this group"));
            }
        }
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems));
        }
        let attended: BTreeSet<&String> = new.attended.iter().collect();
        let row = PeerGroupSessionRow {
            id: uuid::Uuid::new_v4().to_string(),
            group_id: group.id,
            session_date: new.date,
            topic,
            notes: new.notes.trim().to_owned(),
            assignment: new.assignment.trim().to_owned(),
            attended: serde_json::to_string(&attended).unwrap_or_else(|_| "[]".into()),
            created_by: coach.to_owned(),
            created_at: super::now(),
        };
        q::insert_session(conn, &row)?;
        Ok(row)
    })
}

/// The candidate ids a stored session names as present.
pub fn attended(s: &PeerGroupSessionRow) -> Vec<String> {
    serde_json::from_str(&s.attended).unwrap_or_default()
}

/// What `member` lets the rest of the group see of them.
fn shown(
    conn: &mut DbConnection,
    m: &PeerGroupMemberRow,
    cand: &Candidate,
    me: &str,
) -> Result<Shown, ServiceError> {
    let is_me = m.candidate_id == me;
    let goal = if m.share_goal {
        plan_q::find_for_candidate(conn, &cand.organisation_id, &cand.id)?
            .and_then(|p| serde_json::from_str::<PlanBody>(&p.body).ok())
            .map(|b| b.goal)
            .filter(|g| !g.is_empty())
    } else {
        None
    };
    let name = (is_me || m.share_name).then(|| cand.display_name.clone());
    Ok(Shown { seat: m.seat, name, goal, is_me })
}

/// The groups of the candidate signed in as `user_id`, as a member sees them.
pub fn for_member(conn: &mut DbConnection, user_id: &str) -> Result<Vec<MemberGroup>, ServiceError> {
    let me = candidates::find_by_user(conn, user_id)?;
    let mut out = Vec::new();
    for group in q::of_member(conn, &me.organisation_id, &me.id)? {
        let rows = q::members(conn, &group.id)?;
        let Some(mine) = rows.iter().find(|m| m.candidate_id == me.id).cloned() else { continue };
        let mut members = Vec::new();
        for m in &rows {
            let cand = candidates::find_in_org(conn, &me.organisation_id, &m.candidate_id)?;
            members.push(shown(conn, m, &cand, &me.id)?);
        }
        let sessions = q::sessions(conn, &group.id)?;
        out.push(MemberGroup { group, me: mine, members, sessions });
    }
    Ok(out)
}

/// The member signed in as `user_id` chooses what group `id` sees of them.
pub fn set_sharing(
    conn: &mut DbConnection,
    user_id: &str,
    id: &str,
    share_name: bool,
    share_goal: bool,
) -> Result<(), ServiceError> {
    let me = candidates::find_by_user(conn, user_id)?;
    db::write(conn, |conn| {
        q::find_in_org(conn, &me.organisation_id, id)?;
        if !q::set_sharing(conn, id, &me.id, share_name, share_goal)? {
            return Err(DbError::NotFound.into());
        }
        Ok(())
    })
}
