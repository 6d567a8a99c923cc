//! A coach invited with the participant's consent (issue 14): the alternative to an
//! administrator's assignment.
//!
//! Policy: a coach, or an administrator on a coach's behalf, proposes to work with a candidate
//! of the same organisation. Until the participant accepts, the coach sees nothing of them: the
//! invitation gives the coach no access (`plans::participant` reads only `coach_assignments`),
//! and the proposer learns nothing beyond the id they typed. The participant accepts (which
//! creates the assignment) or declines, once; a second answer is a conflict. The participant
//! may later end any coach's access themselves. A participant may also choose a coach of their
//! organisation from a short list: their asking is their consent, so the coach works with them
//! at once. Each step is in the audit trail.

use super::ServiceError;
use super::audit::{self, Event};
use crate::audit::Action;
use crate::auth::{Role, Roles};
use crate::db::models::{Candidate, CoachAssignment, CoachInvitation};
use crate::db::queries::{candidates, coach_invitations as q, plans, users};
use crate::db::{self, DbConnection, DbError};

/// Where an invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pending,
    Accepted,
    Declined,
}

impl Status {
    /// The stored name, also the API's.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Accepted => "accepted",
            Status::Declined => "declined",
        }
    }
}

/// The participant's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Accept,
    Decline,
}

/// Who proposes: the coach themselves, or an administrator for them.
#[derive(Debug, Clone, Copy)]
pub enum Proposer<'a> {
    Coach { id: &'a str },
    Admin { id: &'a str },
}

/// An invitation with the coach's name, as the participant reads it.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub row: CoachInvitation,
    pub coach_name: String,
    /// Set when an administrator proposed on the coach's behalf.
    pub proposed_by_admin: bool,
}

fn is_active_coach(conn: &mut DbConnection, org: &str, id: &str) -> bool {
    users::find_by_id(conn, id)
        .ok()
        .filter(|u| u.organisation_id == org)
        .is_some_and(|u| u.active && u.roles.parse::<Roles>().is_ok_and(|r| r.has(Role::Coach)))
}

/// Proposes that coach `coach_id` works with candidate `candidate_id`, both of `org`. A coach
/// proposes only themselves. Another organisation's candidate is not found; a coach who
/// already works with the participant, or is already waiting for an answer, is a duplicate.
pub fn propose(
    conn: &mut DbConnection,
    org: &str,
    by: Proposer<'_>,
    candidate_id: &str,
    coach_id: &str,
) -> Result<CoachInvitation, ServiceError> {
    let actor = match by {
        Proposer::Coach { id } if id != coach_id => {
            return Err(ServiceError::invalid("coach_id", "a coach proposes only themselves"));
        }
        Proposer::Coach { id } | Proposer::Admin { id } => id,
    };
    db::write(conn, |conn| {
        candidates::find_in_org(conn, org, candidate_id)?;
        if !is_active_coach(conn, org, coach_id) {
            return Err(ServiceError::invalid(
                "coach_id",
                "no active coach of this organisation has this id",
            ));
        }
        if plans::is_assigned(conn, org, coach_id, candidate_id)? {
            return Err(DbError::Duplicate("this coach already works with this participant".into()).into());
        }
        let row = CoachInvitation {
            id: uuid::Uuid::new_v4().to_string(),
            organisation_id: org.to_owned(),
            coach_id: coach_id.to_owned(),
            candidate_id: candidate_id.to_owned(),
            invited_by: actor.to_owned(),
            status: Status::Pending.as_str().to_owned(),
            created_at: super::now(),
            answered_at: None,
        };
        q::insert(conn, &row).map_err(|e| match e {
            DbError::Duplicate(_) => {
                DbError::Duplicate("this coach is already waiting for the participant's answer".into())
            }
            other => other,
        })?;
        audit::record(
            conn,
            vec![
                Event::new(Some(org), Some(actor), Action::CoachInvited, candidate_id)
                    .with(serde_json::json!({ "coach": coach_id, "invitation": row.id })),
            ],
        )?;
        Ok(row)
    })
}

/// The signed-in participant's candidate record.
fn me(conn: &mut DbConnection, user_id: &str) -> Result<Candidate, ServiceError> {
    Ok(candidates::find_by_user(conn, user_id)?)
}

/// The invitations waiting for the participant's answer, oldest first, with coaches' names.
pub fn pending(conn: &mut DbConnection, user_id: &str) -> Result<Vec<Invitation>, ServiceError> {
    let cand = me(conn, user_id)?;
    q::for_candidate(conn, &cand.organisation_id, &cand.id, Status::Pending.as_str())?
        .into_iter()
        .map(|row| {
            let coach_name = users::find_by_id(conn, &row.coach_id)?.display_name;
            Ok(Invitation { proposed_by_admin: row.invited_by != row.coach_id, coach_name, row })
        })
        .collect()
}

/// The participant answers invitation `id`: accepting makes the coach theirs. Someone else's
/// invitation is not found; an answered one is a duplicate answer and changes nothing.
pub fn answer(
    conn: &mut DbConnection,
    user_id: &str,
    id: &str,
    answer: Answer,
) -> Result<CoachInvitation, ServiceError> {
    let cand = me(conn, user_id)?;
    let org = cand.organisation_id.clone();
    let now = super::now();
    let to = match answer {
        Answer::Accept => Status::Accepted,
        Answer::Decline => Status::Declined,
    };
    db::write(conn, |conn| {
        let inv = q::find_in_org(conn, &org, id)?;
        if inv.candidate_id != cand.id {
            return Err(DbError::NotFound.into());
        }
        if !q::answer(conn, &org, id, Status::Pending.as_str(), to.as_str(), now)? {
            return Err(DbError::Duplicate("this invitation has already been answered".into()).into());
        }
        // A coach deactivated or without the role since they asked cannot be accepted.
        if answer == Answer::Accept && !is_active_coach(conn, &org, &inv.coach_id) {
            return Err(ServiceError::invalid("coach_id", "this person no longer works as a coach here"));
        }
        let action = match answer {
            Answer::Accept => {
                // Assigned meanwhile by an administrator: the participant's consent is then moot.
                if !plans::is_assigned(conn, &org, &inv.coach_id, &cand.id)? {
                    plans::insert_assignment(
                        conn,
                        &CoachAssignment {
                            id: uuid::Uuid::new_v4().to_string(),
                            organisation_id: org.clone(),
                            coach_id: inv.coach_id.clone(),
                            candidate_id: cand.id.clone(),
                            assigned_by: user_id.to_owned(),
                            created_at: now,
                        },
                    )?;
                }
                Action::CoachInvitationAccepted
            }
            Answer::Decline => Action::CoachInvitationDeclined,
        };
        audit::record(
            conn,
            vec![
                Event::new(Some(&org), Some(user_id), action, cand.id.clone())
                    .with(serde_json::json!({ "coach": inv.coach_id, "invitation": inv.id })),
            ],
        )?;
        Ok(q::find_in_org(conn, &org, id)?)
    })
}

/// The participant ends coach `coach_id`'s access to them, however the coach came to them.
pub fn end_access(conn: &mut DbConnection, user_id: &str, coach_id: &str) -> Result<(), ServiceError> {
    let cand = me(conn, user_id)?;
    let org = cand.organisation_id.clone();
    db::write(conn, |conn| {
        if !plans::delete_assignment(conn, &org, coach_id, &cand.id)? {
            return Err(DbError::NotFound.into());
        }
        audit::record(
            conn,
            vec![
                Event::new(Some(&org), Some(user_id), Action::CoachAccessEnded, cand.id.clone())
                    .with(serde_json::json!({ "coach": coach_id })),
            ],
        )
    })
}

/// The participant's own coaches.
pub fn my_coaches(
    conn: &mut DbConnection,
    user_id: &str,
) -> Result<Vec<super::plans::CoachOf>, ServiceError> {
    let cand = me(conn, user_id)?;
    super::plans::coaches(conn, &cand.organisation_id, &cand.id)
}

/// A coach the participant may choose.
#[derive(Debug, Clone)]
pub struct Choice {
    pub coach_id: String,
    pub display_name: String,
}

/// The active coaches of the participant's organisation who do not work with them yet, by name.
pub fn choices(conn: &mut DbConnection, user_id: &str) -> Result<Vec<Choice>, ServiceError> {
    let cand = me(conn, user_id)?;
    let mine: Vec<String> =
        plans::coaches_of(conn, &cand.organisation_id, &cand.id)?.into_iter().map(|a| a.coach_id).collect();
    let mut out: Vec<Choice> = users::list_by_organisation(conn, &cand.organisation_id)?
        .into_iter()
        .filter(|u| u.active && u.roles.parse::<Roles>().is_ok_and(|r| r.has(Role::Coach)))
        .filter(|u| !mine.contains(&u.id))
        .map(|u| Choice { coach_id: u.id, display_name: u.display_name })
        .collect();
    out.sort_by(|a, b| a.display_name.cmp(&b.display_name).then(a.coach_id.cmp(&b.coach_id)));
    Ok(out)
}

/// The participant chooses coach `coach_id` of their organisation, who then works with them.
/// An invitation from that coach waiting for an answer is accepted with it.
pub fn choose(
    conn: &mut DbConnection,
    user_id: &str,
    coach_id: &str,
) -> Result<CoachAssignment, ServiceError> {
    let cand = me(conn, user_id)?;
    let org = cand.organisation_id.clone();
    let now = super::now();
    db::write(conn, |conn| {
        if !is_active_coach(conn, &org, coach_id) {
            return Err(ServiceError::invalid(
                "coach_id",
                "no active coach of your organisation has this id",
            ));
        }
        let row = CoachAssignment {
            id: uuid::Uuid::new_v4().to_string(),
            organisation_id: org.clone(),
            coach_id: coach_id.to_owned(),
            candidate_id: cand.id.clone(),
            assigned_by: user_id.to_owned(),
            created_at: now,
        };
        plans::insert_assignment(conn, &row).map_err(|e| match e {
            DbError::Duplicate(_) => DbError::Duplicate("this coach already works with you".into()),
            other => other,
        })?;
        for inv in q::for_candidate(conn, &org, &cand.id, Status::Pending.as_str())? {
            if inv.coach_id == coach_id {
                q::answer(conn, &org, &inv.id, Status::Pending.as_str(), Status::Accepted.as_str(), now)?;
            }
        }
        audit::record(
            conn,
            vec![
                Event::new(Some(&org), Some(user_id), Action::CoachAssigned, cand.id.clone())
                    .with(serde_json::json!({ "coach": coach_id, "chosen_by": "participant" })),
            ],
        )?;
        Ok(row)
    })
}
