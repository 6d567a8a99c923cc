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
//! the last [`QUIET_DAYS`] days, and units confirmed since the coach's last visit (in the last
//! [`NEW_UNIT_DAYS`] days on the first one). Openings less than [`VISIT_GAP_MINUTES`] apart are
//! one visit, so coming back to the start page from a participant keeps its news.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::ServiceError;
use super::frameworks::FrameworkCache;
use super::plans::{self, Viewer};
use crate::db::models::CoachStartVisit;
use crate::db::models::{Candidate, FollowUpRow};
use crate::db::queries::{assessments, coach_start_visits as visits, follow_ups as q};
use crate::db::{self, DbConnection};
use crate::engine::Lang;
use crate::engine::ids::UnitCode;
use crate::input;

/// A participant with no meeting for this many days needs attention.
pub const QUIET_DAYS: i64 = 30;
/// On a coach's first visit, units confirmed this many days ago or later are news.
pub const NEW_UNIT_DAYS: i64 = 14;
/// Openings of the start page closer together than this are one visit.
pub const VISIT_GAP_MINUTES: i64 = 60;

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
    /// Where the news begin: the end of the coach's previous visit, or [`NEW_UNIT_DAYS`] ago.
    pub new_since: NaiveDateTime,
    pub new_units: Vec<NewUnit>,
}

/// Where the news of a start page opened at `now` begin, given the coach's stored visit. An
/// opening within [`VISIT_GAP_MINUTES`] of the last one continues that visit; a later one starts
/// a new visit whose news begin where the last one ended.
fn news_since(visit: Option<&CoachStartVisit>, now: NaiveDateTime) -> NaiveDateTime {
    match visit {
        None => now - chrono::Duration::days(NEW_UNIT_DAYS),
        Some(v) if now - v.opened_at < chrono::Duration::minutes(VISIT_GAP_MINUTES) => v.since,
        Some(v) => v.opened_at,
    }
}

/// Records that `coach` opened the start page at `now`; where its news begin.
pub fn open_start_page(
    conn: &mut DbConnection,
    org: &str,
    coach: &str,
    now: NaiveDateTime,
) -> Result<NaiveDateTime, ServiceError> {
    db::write(conn, |conn| {
        let visit = visits::find(conn, org, coach)?;
        let since = news_since(visit.as_ref(), now);
        match visit {
            Some(_) => visits::update(conn, coach, since, now)?,
            None => {
                let row = CoachStartVisit {
                    coach_id: coach.to_owned(),
                    organisation_id: org.to_owned(),
                    since,
                    opened_at: now,
                };
                // In a savepoint, so a refused insert leaves the transaction usable on PostgreSQL.
                match db::write(conn, |conn| visits::insert(conn, &row)) {
                    // Opened twice at once: the other opening recorded the same first visit.
                    Ok(()) | Err(crate::db::DbError::Duplicate(_)) => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
        Ok(since)
    })
}

/// What needs coach `coach`'s attention among their participants whose plan is not closed;
/// opening it is recorded as the coach's visit (see [`open_start_page`]). Showing a participant's steps is a read of their plan, so it is audited like one.
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
    let since = open_start_page(conn, org, coach, now.naive_utc())?;
    let mut out =
        Attention { today, week_ends, due: vec![], quiet: vec![], new_since: since, new_units: vec![] };
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

    #[test]
    fn the_news_begin_where_the_last_visit_ended_and_a_quick_return_keeps_them() {
        let t = |s: &str| s.parse::<NaiveDateTime>().unwrap();
        let now = t("2027-01-20T10:00:00");
        assert_eq!(news_since(None, now), t("2027-01-06T10:00:00"), "14 days on the first visit");
        let visit = CoachStartVisit {
            coach_id: "c".into(),
            organisation_id: "o".into(),
            since: t("2027-01-10T08:00:00"),
            opened_at: t("2027-01-20T09:30:00"),
        };
        assert_eq!(news_since(Some(&visit), now), visit.since, "back within the hour: the same visit");
        assert_eq!(news_since(Some(&visit), t("2027-01-20T10:30:00")), visit.opened_at);
    }
}
