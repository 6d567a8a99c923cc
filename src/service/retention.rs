//! Retention of sensitive coaching data (issue 14 part 6): closed plans (with every version),
//! follow-up notes, answered coach invitations and the record of a coach's last visit to their
//! start page are deleted once older than the retention period, 24 months unless the operator
//! says otherwise, and group sessions that old lose their notes and attendance (what the coach
//! wrote about people), keeping the date, topic and assignment the members see. Certificates,
//! assessments and the audit trail are not touched: a certificate must stay verifiable, and the
//! audit trail's chain must hold (it keeps each invitation's steps).
//!
//! Run by `validera retention run`; each organisation that lost anything gets one
//! `retention-deleted` event with the counts, so its administrators can see it happened.

use std::collections::BTreeMap;

use chrono::{DateTime, Months, Utc};

use super::ServiceError;
use super::audit::{self, Event};
use crate::audit::Action;
use crate::db::queries::{coach_invitations, coach_start_visits, follow_ups, peer_groups, plans};
use crate::db::{self, DbConnection};

/// The period unless configured otherwise.
pub const DEFAULT_MONTHS: u32 = 24;

/// What one run deleted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Removed {
    pub plans: usize,
    pub plan_versions: usize,
    pub follow_ups: usize,
    /// Group sessions whose notes and attendance were cleared (the date, topic and assignment
    /// stay for the members).
    pub group_sessions: usize,
    /// Coach invitations answered (accepted or declined) before the cutoff.
    pub invitations: usize,
    /// Coaches' start-page visits last made before the cutoff.
    pub start_visits: usize,
}

/// Deletes plans closed, follow-ups held, invitations answered and start pages last opened
/// more than `months` months before `now`, and clears the notes and attendance of group
/// sessions held before then.
pub fn run(conn: &mut DbConnection, months: u32, now: DateTime<Utc>) -> Result<Removed, ServiceError> {
    let cutoff = now
        .naive_utc()
        .checked_sub_months(Months::new(months))
        .ok_or_else(|| ServiceError::invalid("months", "the retention period is too long"))?;
    db::write(conn, |conn| {
        let mut per_org: BTreeMap<String, Removed> = BTreeMap::new();
        for p in plans::closed_before(conn, cutoff)? {
            let versions = plans::delete_plan(conn, &p.id)?;
            let e = per_org.entry(p.organisation_id).or_default();
            e.plans += 1;
            e.plan_versions += versions;
        }
        for org in follow_ups::orgs_of_meetings_before(conn, cutoff.date())? {
            per_org.entry(org).or_default().follow_ups += 1;
        }
        follow_ups::delete_meetings_before(conn, cutoff.date())?;
        for org in peer_groups::clear_sessions_before(conn, cutoff.date())? {
            per_org.entry(org).or_default().group_sessions += 1;
        }
        for org in coach_invitations::delete_answered_before(conn, cutoff)? {
            per_org.entry(org).or_default().invitations += 1;
        }
        for org in coach_start_visits::delete_opened_before(conn, cutoff)? {
            per_org.entry(org).or_default().start_visits += 1;
        }
        let mut total = Removed::default();
        let mut events = Vec::new();
        for (org, r) in &per_org {
            total.plans += r.plans;
            total.plan_versions += r.plan_versions;
            total.follow_ups += r.follow_ups;
            total.group_sessions += r.group_sessions;
            total.invitations += r.invitations;
            total.start_visits += r.start_visits;
            events.push(Event::new(Some(org), None, Action::RetentionDeleted, org.clone()).with(
                serde_json::json!({
                    "months": months, "plans": r.plans, "plan_versions": r.plan_versions, "follow_ups": r.follow_ups,
                    "group_sessions": r.group_sessions, "invitations": r.invitations,
                    "start_visits": r.start_visits,
                }),
            ));
        }
        if !events.is_empty() {
            audit::record(conn, events)?;
        }
        Ok(total)
    })
}
