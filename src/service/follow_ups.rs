//! Follow-ups and the coach's start page.
//!
//! A follow-up is a meeting between a coach and a participant: its date, short notes, the next
//! steps agreed and the next meeting. It is as sensitive as the plan, so the same rules hold
//! (`plans::participant`): the participant and their coaches read it, everyone else finds
//! nothing, and every read by a coach is a `plan-read` in the audit trail. Only a coach writes
//! one; it is never changed afterwards, only deleted by retention (`service::retention`).
//!
//! The start page says what needs a coach's attention, in the organisation's calendar: open
//! steps due by the end of this week (overdue ones included), participants with no meeting in
//! the last [`QUIET_DAYS`] days, and units confirmed in the last [`NEW_UNIT_DAYS`] days.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::ServiceError;
use super::frameworks::FrameworkCache;
use super::plans::{self, Viewer};
use crate::db::models::{Candidate, FollowUpRow};
use crate::db::queries::{assessments, follow_ups as q};
use crate::db::{self, DbConnection};
use crate::engine::Lang;
use crate::engine::ids::UnitCode;
use crate::input;

/// A participant with no meeting for this many days needs attention.
pub const QUIET_DAYS: i64 = 30;
/// Units confirmed this many days ago or later are news on the start page.
pub const NEW_UNIT_DAYS: i64 = 14;

/// A follow-up as written by a coach (texts not yet checked).
#[derive(Debug, Clone)]
pub struct NewFollowUp {
    pub meeting_date: NaiveDate,
    pub notes: String,
    pub next_steps: String,
    pub next_meeting: Option<NaiveDate>,
}

/// Checks `new` against the organisation's `today`, naming each bad field.
fn check(new: &mut NewFollowUp, today: NaiveDate) -> Result<(), ServiceError> {
    let mut problems = Vec::new();
    if let Err(e) = input::date(new.meeting_date) {
        problems.push(super::FieldProblem::input("meeting_date", e));
    } else if new.meeting_date > today {
        problems.push(super::FieldProblem::new(
            "meeting_date",
            "a follow-up is a meeting that has taken place; put a coming one as the next meeting",
        ));
    }
    match input::text(&new.notes, input::TEXT_MAX) {
        Ok(t) if t.trim().is_empty() => {
            problems.push(super::FieldProblem::new("notes", "write a short note on the meeting"))
        }
        Ok(t) => new.notes = t.trim().to_owned(),
        Err(e) => problems.push(super::FieldProblem::input("notes", e)),
    }
    match input::text(&new.next_steps, input::TEXT_MAX) {
        Ok(t) => new.next_steps = t.trim().to_owned(),
        Err(e) => problems.push(super::FieldProblem::input("next_steps", e)),
    }
    if let Some(d) = new.next_meeting {
        if let Err(e) = input::date(d) {
            problems.push(super::FieldProblem::input("next_meeting", e));
        } else if d < new.meeting_date {
            problems.push(super::FieldProblem::new("next_meeting", "the next meeting comes after this one"));
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(ServiceError::Invalid(problems)) }
}

/// A coach records a meeting with their participant (`viewer` must be the coach).
pub fn add(
    conn: &mut DbConnection,
    viewer: Viewer<'_>,
    mut new: NewFollowUp,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<FollowUpRow, ServiceError> {
    let Viewer::Coach { coach_id, .. } = viewer else {
        return Err(ServiceError::Forbidden("only a coach records a follow-up".into()));
    };
    let cand = plans::participant(conn, viewer)?;
    let today = super::clock::org_today(conn, &cand.organisation_id, now)?;
    check(&mut new, today)?;
    let row = FollowUpRow {
        id: uuid::Uuid::new_v4().to_string(),
        organisation_id: cand.organisation_id.clone(),
        candidate_id: cand.id.clone(),
        author_id: coach_id.to_owned(),
        meeting_date: new.meeting_date,
        notes: new.notes,
        next_steps: new.next_steps,
        next_meeting: new.next_meeting,
        created_at: super::now(),
    };
    db::write(conn, |conn| q::insert(conn, &row))?;
    Ok(row)
}

/// The follow-ups `viewer` may read, the latest meeting first; a coach's read is audited.
pub fn list(
    conn: &mut DbConnection,
    viewer: Viewer<'_>,
) -> Result<(Candidate, Vec<FollowUpRow>), ServiceError> {
    let cand = plans::participant(conn, viewer)?;
    let rows = q::list_for_candidate(conn, &cand.organisation_id, &cand.id)?;
    plans::audit_read(conn, viewer, &cand, "follow-ups")?;
    Ok((cand, rows))
}

/// An open step due by the end of the week.
#[derive(Debug, Clone)]
pub struct DueStep {
    pub candidate: Candidate,
    pub step_id: String,
    pub text: String,
    pub target_date: NaiveDate,
    pub overdue: bool,
}

/// A participant with no meeting for [`QUIET_DAYS`] days.
#[derive(Debug, Clone)]
pub struct Quiet {
    pub candidate: Candidate,
    /// The latest meeting, if there has been one.
    pub last_meeting: Option<NaiveDate>,
}

/// A unit confirmed lately for a participant.
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub candidate: Candidate,
    pub framework_id: String,
    pub unit: String,
    /// In the reader's language, if the framework has the unit.
    pub title: Option<String>,
    pub confirmed_at: NaiveDateTime,
}

/// What needs a coach's attention.
#[derive(Debug, Clone)]
pub struct Attention {
    pub today: NaiveDate,
    /// The Sunday that ends this week.
    pub week_ends: NaiveDate,
    pub due: Vec<DueStep>,
    pub quiet: Vec<Quiet>,
    pub new_units: Vec<NewUnit>,
}

/// What needs coach `coach`'s attention among their participants whose plan is not closed.
/// Showing a participant's steps is a read of their plan, so it is audited like one.
pub fn attention(
    conn: &mut DbConnection,
    cache: &FrameworkCache,
    org: &str,
    coach: &str,
    lang: Lang,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Attention, ServiceError> {
    let today = super::clock::org_today(conn, org, now)?;
    let week_ends = today + chrono::Duration::days(6 - i64::from(today.weekday().num_days_from_monday()));
    let since = now.naive_utc() - chrono::Duration::days(NEW_UNIT_DAYS);
    let mut out = Attention { today, week_ends, due: vec![], quiet: vec![], new_units: vec![] };
    let people = plans::participants(conn, org, coach)?;
    let ids: Vec<String> = people.iter().map(|c| c.id.clone()).collect();
    let last: std::collections::BTreeMap<String, NaiveDate> =
        q::last_meetings(conn, org, &ids)?.into_iter().collect();
    let confirmed = assessments::units_confirmed_since(conn, &ids, since)?;
    for cand in people {
        let plan = plans::load_plan(conn, cache, cand.clone())?;
        if plan.closed_at().is_some() {
            continue;
        }
        let mut shown = false;
        for s in &plan.body.steps {
            let open = s.status != plans::StepStatus::Done && !plan.reached(s);
            if let Some(d) = s.target_date.filter(|d| open && *d <= week_ends) {
                shown = true;
                out.due.push(DueStep {
                    candidate: cand.clone(),
                    step_id: s.id.clone(),
                    text: s.text.clone(),
                    target_date: d,
                    overdue: d < today,
                });
            }
        }
        if shown {
            plans::audit_read(
                conn,
                Viewer::Coach { org, coach_id: coach, candidate_id: &cand.id },
                &cand,
                "start-page",
            )?;
        }
        let met = last.get(&cand.id).copied();
        if met.is_none_or(|d| (today - d).num_days() >= QUIET_DAYS) {
            out.quiet.push(Quiet { candidate: cand.clone(), last_meeting: met });
        }
        for a in confirmed.iter().filter(|a| a.candidate_id == cand.id) {
            let title = UnitCode::parse(&a.code).ok().and_then(|code| {
                plan.frameworks
                    .get(&a.framework_id)?
                    .iter()
                    .rev()
                    .find_map(|f| f.unit(&code))
                    .map(|u| u.title.get(lang).to_owned())
            });
            out.new_units.push(NewUnit {
                candidate: cand.clone(),
                framework_id: a.framework_id.clone(),
                unit: a.code.clone(),
                title,
                confirmed_at: a.confirmed_at,
            });
        }
    }
    out.due.sort_by(|a, b| {
        a.target_date.cmp(&b.target_date).then(a.candidate.display_name.cmp(&b.candidate.display_name))
    });
    out.quiet.sort_by_key(|q| q.last_meeting);
    out.new_units.sort_by_key(|u| std::cmp::Reverse(u.confirmed_at));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn new(meeting: &str, notes: &str, next: Option<&str>) -> NewFollowUp {
        NewFollowUp {
            meeting_date: d(meeting),
            notes: notes.into(),
            next_steps: String::new(),
            next_meeting: next.map(d),
        }
    }

    #[test]
    fn a_follow_up_is_a_past_meeting_with_a_note_and_a_later_next_one() {
        let today = d("2027-01-13");
        let mut ok = new("2027-01-13", " Vi pratade om praktiken. ", Some("2027-01-27"));
        check(&mut ok, today).unwrap();
        assert_eq!(ok.notes, "Vi pratade om praktiken.");
        let fields = |mut n: NewFollowUp| match check(&mut n, today) {
            Err(ServiceError::Invalid(p)) => p.into_iter().map(|p| p.field).collect::<Vec<_>>(),
            other => panic!("accepted: {other:?}"),
        };
        assert_eq!(fields(new("2027-01-14", "x", None)), ["meeting_date"]);
        assert_eq!(fields(new("2027-01-10", " ", Some("2027-01-09"))), ["notes", "next_meeting"]);
    }
}
