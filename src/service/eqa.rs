//! External quality assurance (*EK*): the sampling plan of a framework, drawing confirmed
//! decisions into the sample, the external quality assurer's answer, and an administrator's
//! review after a "not agreed". See `docs/eqa.md`.
//!
//! Policy: a decision is sampled (or not) once, in the transaction that confirms it, by the
//! plan in force then ([`crate::engine::sampling`]); a plan changed later affects only later
//! confirmations. When the plan requires external sign-off, the sampled decision's
//! certificates are issued in the transaction where the assurer agrees, and never before.
//! Otherwise they are issued at confirmation, and a "not agreed" opens a review that a person
//! (an administrator) closes: suspending them with a reason, or keeping them.
//!
//! Who answers: on a framework the instance's awarding body owns (the shipped ones and its own
//! uploads), the awarding body's assurers, for every organisation; on any other framework, the
//! organisation's own. The organisation's administrators read their own samples either way,
//! and the review after a "not agreed" stays with them: they are the certificates' issuer.
//! Plans combine the same way: on the awarding body's frameworks its plan applies to every
//! organisation, and an organisation's own plan can only add samples ([`effective_plan`]).

use std::collections::HashSet;

use super::ServiceError;
use super::audit::Event;
use super::certificates::{self, Issuing, StatusChange, StatusRequest};
use super::decisions::proposal;
use crate::audit::Action;
use crate::db::models::{CredentialRow, Decision, EqaPlanRow, EqaSampleRow};
use crate::db::queries::{assessments, credentials, decisions, eqa as q, frameworks, organisations};
use crate::db::{self, DbConnection, DbError};
use crate::engine::ids::{PersonId, UnitCode};
use crate::engine::sampling::{Percent, SamplingPlan};

/// The instance's awarding body and the ids of the frameworks it owns.
#[derive(Debug, Clone)]
pub struct AwardingBody {
    /// Its organisation id.
    pub id: String,
    frameworks: HashSet<String>,
}

impl AwardingBody {
    /// Whether `framework` (an id, all versions) is the awarding body's: shipped or its upload.
    pub fn owns(&self, framework: &str) -> bool {
        self.frameworks.contains(framework)
    }
}

/// The awarding body, if an organisation is marked as it.
pub fn awarding_body(conn: &mut DbConnection) -> Result<Option<AwardingBody>, ServiceError> {
    let Some(o) = organisations::awarding_body(conn)? else {
        return Ok(None);
    };
    let frameworks =
        frameworks::list_visible(conn, Some(&o.id))?.into_iter().map(|f| f.framework_id).collect();
    Ok(Some(AwardingBody { id: o.id, frameworks }))
}

/// The organisation whose external quality assurers answer on a sample of `org` on
/// `framework`.
pub fn answering_org<'a>(body: Option<&'a AwardingBody>, org: &'a str, framework: &str) -> &'a str {
    match body {
        Some(b) if b.owns(framework) => &b.id,
        _ => org,
    }
}

/// Who reads samples: an account of `org`, as an external quality assurer (the samples its
/// organisation answers on) and/or an administrator (its own organisation's samples).
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    pub org: &'a str,
    pub assurer: bool,
    pub admin: bool,
}

impl Reader<'_> {
    fn reads(&self, body: Option<&AwardingBody>, s: &EqaSampleRow) -> bool {
        (self.admin && s.organisation_id == self.org)
            || (self.assurer && answering_org(body, &s.organisation_id, &s.framework_id) == self.org)
    }
}

/// The sample of decision `decision` if `reader` may read it; any other is not found.
pub fn readable(
    conn: &mut DbConnection,
    reader: Reader<'_>,
    decision: &str,
) -> Result<EqaSampleRow, ServiceError> {
    let body = awarding_body(conn)?;
    match q::find_sample_anywhere(conn, decision)? {
        Some(s) if reader.reads(body.as_ref(), &s) => Ok(s),
        _ => Err(DbError::NotFound.into()),
    }
}

/// The samples `reader` may read, oldest first; only those at `status` and with `review` if
/// given.
pub fn list_readable(
    conn: &mut DbConnection,
    reader: Reader<'_>,
    status: Option<&str>,
    review: Option<&str>,
) -> Result<Vec<EqaSampleRow>, ServiceError> {
    let body = awarding_body(conn)?;
    let everyone = reader.assurer && body.as_ref().is_some_and(|b| b.id == reader.org);
    let rows = if everyone {
        q::list_all_samples(conn, status, review)?
    } else {
        q::list_samples(conn, reader.org, status, review)?
    };
    Ok(rows.into_iter().filter(|s| reader.reads(body.as_ref(), s)).collect())
}

/// The plan that samples `org`'s decisions on `framework`: on a framework of the awarding body
/// (another organisation), its plan, with `org`'s own adding samples (never fewer) and
/// holding the certificates of those it adds if it says so; otherwise `org`'s own plan.
pub fn effective_plan(
    conn: &mut DbConnection,
    org: &str,
    framework: &str,
) -> Result<impl Fn(u64) -> Option<bool> + use<>, ServiceError> {
    let (own, _) = plan(conn, org, framework)?;
    let body = awarding_body(conn)?;
    let theirs = match body {
        Some(b) if b.id != org && b.owns(framework) => plan(conn, &b.id, framework)?.0,
        _ => SamplingPlan::NONE,
    };
    // Sampled by either plan; held if a plan that samples it holds.
    Ok(move |position: u64| {
        let by: Vec<SamplingPlan> = [theirs, own].into_iter().filter(|p| p.samples(position)).collect();
        (!by.is_empty()).then(|| by.iter().any(|p| p.eqa_required))
    })
}

/// The plan of `org` for `framework`, or the plan that samples nothing, with its version (0
/// before anyone set one).
pub fn plan(
    conn: &mut DbConnection,
    org: &str,
    framework: &str,
) -> Result<(SamplingPlan, i64), ServiceError> {
    match q::find_plan(conn, org, framework)? {
        Some(row) => Ok((plan_of(&row)?, row.version)),
        None => Ok((SamplingPlan::NONE, 0)),
    }
}

fn plan_of(row: &EqaPlanRow) -> Result<SamplingPlan, ServiceError> {
    let corrupt = || DbError::Corrupt(format!("sampling plan of {} is out of range", row.framework_id));
    Ok(SamplingPlan {
        first_n: u32::try_from(row.first_n).map_err(|_| corrupt())?,
        then_percent: Percent::new(row.then_percent).ok_or_else(corrupt)?,
        eqa_required: row.eqa_required,
    })
}

/// Parses the numbers of a plan as typed, naming each bad field.
pub fn parse_plan(first_n: i64, then_percent: i64, eqa_required: bool) -> Result<SamplingPlan, ServiceError> {
    let mut problems = Vec::new();
    let first = u32::try_from(first_n).ok().filter(|n| *n <= 10_000);
    if first.is_none() {
        problems.push(super::FieldProblem::new("first_n", "a whole number from 0 to 10000"));
    }
    let percent = Percent::new(then_percent);
    if percent.is_none() {
        problems.push(super::FieldProblem::new("then_percent", "a whole number from 0 to 100"));
    }
    match (first, percent) {
        (Some(first_n), Some(then_percent)) => Ok(SamplingPlan { first_n, then_percent, eqa_required }),
        _ => Err(ServiceError::Invalid(problems)),
    }
}

/// Sets `org`'s plan for `framework` (a framework id `org` may assess against) as `actor`,
/// if it is still at `expected_version` (0: none set yet).
pub fn set_plan(
    conn: &mut DbConnection,
    org: &str,
    actor: &str,
    framework: &str,
    plan: SamplingPlan,
    expected_version: i64,
) -> Result<EqaPlanRow, ServiceError> {
    db::write(conn, |conn| {
        if !frameworks::list_visible(conn, Some(org))?.iter().any(|f| f.framework_id == framework) {
            return Err(DbError::NotFound.into());
        }
        let current = q::find_plan(conn, org, framework)?;
        let version = current.as_ref().map_or(0, |r| r.version);
        if version != expected_version {
            return Err(DbError::Conflict(format!(
                "the sampling plan is at version {version}, not {expected_version}; reload it"
            ))
            .into());
        }
        let row = EqaPlanRow {
            organisation_id: org.to_owned(),
            framework_id: framework.to_owned(),
            first_n: i64::from(plan.first_n),
            then_percent: i64::from(plan.then_percent.get()),
            eqa_required: plan.eqa_required,
            updated_by: actor.to_owned(),
            updated_at: super::now(),
            version: expected_version + 1,
        };
        if current.is_some() {
            q::update_plan(conn, &row, expected_version)?;
        } else {
            q::insert_plan(conn, &row)?;
        }
        super::audit::record(
            conn,
            vec![Event::new(Some(org), Some(actor), Action::EqaPlanSet, framework).with(serde_json::json!({
                "first_n": row.first_n,
                "then_percent": row.then_percent,
                "eqa_required": row.eqa_required,
            }))],
        )?;
        Ok(row)
    })
}

/// Draws decision `decision` (just confirmed, on `framework` of `org`) into the sample if the
/// plan says so. Runs in the confirming transaction, after the decision is marked confirmed,
/// so it counts itself. Returns the sample, whose `held` says whether certificates wait.
pub fn sample_on_confirm(
    conn: &mut DbConnection,
    org: &str,
    framework: &str,
    decision: &Decision,
) -> Result<Option<EqaSampleRow>, ServiceError> {
    // Counted whether sampled or not: the position is among all the assessor's confirmations.
    let position = q::next_position(conn, org, framework, &decision.submitted_by)?;
    let sampled = effective_plan(conn, org, framework)?;
    let Some(held) = sampled(position.unsigned_abs()) else {
        return Ok(None);
    };
    let row = EqaSampleRow {
        decision_id: decision.id.clone(),
        organisation_id: org.to_owned(),
        framework_id: framework.to_owned(),
        assessor_id: decision.submitted_by.clone(),
        position,
        held,
        sampled_at: super::now(),
        status: q::WAITING.to_owned(),
        assurer_id: None,
        decided_at: None,
        comment: None,
        review: None,
        reviewed_by: None,
        reviewed_at: None,
        review_reason: None,
        version: 1,
    };
    q::insert_sample(conn, &row)?;
    Ok(Some(row))
}

/// The sample of `org`'s decision `decision`; a decision not sampled is not found.
pub fn sample(conn: &mut DbConnection, org: &str, decision: &str) -> Result<EqaSampleRow, ServiceError> {
    q::find_sample(conn, org, decision)?.ok_or_else(|| DbError::NotFound.into())
}

/// The external quality assurer's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// The decision stands; held certificates are issued now.
    Agree,
    /// The decision does not stand as it is; the comment reaches the assessor and internal
    /// verifier, and issued certificates go to review.
    NotAgree,
}

/// The assurer `assurer`, an account of `assurer_org`, answers on the sampled decision
/// `decision`, read at `expected_version`: a sample their organisation answers on (see
/// [`answering_org`]), or not found. Returns the sample and the certificates issued now.
#[expect(clippy::too_many_arguments, reason = "each is a separate fact of the answer")]
pub fn answer(
    conn: &mut DbConnection,
    ctx: &Issuing<'_>,
    assurer_org: &str,
    decision: &str,
    expected_version: i64,
    assurer: &str,
    answer: Answer,
    comment: Option<String>,
) -> Result<(EqaSampleRow, Vec<CredentialRow>), ServiceError> {
    let comment = comment.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
    if let Some(c) = &comment {
        super::free_text("comment", c)?;
    }
    if answer == Answer::NotAgree && comment.is_none() {
        return Err(ServiceError::invalid(
            "comment",
            "say why, so the assessor and the internal verifier know what to look at",
        ));
    }
    db::write(conn, |conn| {
        let reader = Reader { org: assurer_org, assurer: true, admin: false };
        let s = readable(conn, reader, decision)?;
        // The sample's organisation: its trail, its decision, its certificates.
        let org = s.organisation_id.as_str();
        if s.status != q::WAITING || s.version != expected_version {
            return Err(DbError::Conflict(format!(
                "the sample is {} at version {}, not waiting at version {expected_version}; reload it",
                s.status, s.version
            ))
            .into());
        }
        let row = decisions::find_in_org(conn, org, decision)?;
        let p = proposal(&row)?;
        // Four eyes again: the assurer is none of the people whose work is sampled.
        let me = PersonId(assurer.to_owned());
        if p.assessor() == &me
            || p.record_authors().contains(&me)
            || row.verifier_id.as_deref() == Some(assurer)
        {
            return Err(ServiceError::FourEyes(
                "the external quality assurer must be a different person from the assessor, the internal \
                 verifier and the authors of the records"
                    .to_owned(),
            ));
        }
        let now = super::now();
        let mut events = Vec::new();
        let mut issued = Vec::new();
        match answer {
            Answer::Agree => {
                q::answer(
                    conn,
                    decision,
                    expected_version,
                    q::AGREED,
                    assurer,
                    comment.as_deref(),
                    None,
                    now,
                )?;
                events.push(Event::new(Some(org), Some(assurer), Action::EqaAgreed, decision));
                if s.held {
                    issued = issue_held(conn, ctx, org, &row)?;
                    events.extend(issued.iter().map(|c| {
                        Event::new(Some(org), Some(assurer), Action::CertificateIssued, &c.id).with(
                            serde_json::json!({
                                "decision": decision,
                                "kind": c.kind,
                                "achievement": c.achievement_code,
                                "key": c.key_id,
                            }),
                        )
                    }));
                }
            }
            Answer::NotAgree => {
                // Held certificates are simply never issued; issued ones need a person's review.
                let review = (!s.held).then_some(q::REVIEW_OPEN);
                q::answer(
                    conn,
                    decision,
                    expected_version,
                    q::NOT_AGREED,
                    assurer,
                    comment.as_deref(),
                    review,
                    now,
                )?;
                events.push(
                    Event::new(Some(org), Some(assurer), Action::EqaNotAgreed, decision)
                        .with(serde_json::json!({ "review": review.is_some() })),
                );
            }
        }
        super::audit::record(conn, events)?;
        Ok((sample(conn, org, decision)?, issued))
    })
}

/// Issues the certificates of a confirmed decision whose issue waited for the assurer.
fn issue_held(
    conn: &mut DbConnection,
    ctx: &Issuing<'_>,
    org: &str,
    row: &Decision,
) -> Result<Vec<CredentialRow>, ServiceError> {
    let assessment = assessments::find_in_org(conn, org, &row.assessment_id)?;
    let verifier = row
        .verifier_id
        .clone()
        .ok_or_else(|| DbError::Corrupt(format!("confirmed decision {} has no verifier", row.id)))?;
    // Rebuilt and confirmed again, as the invariant asks: the four-eyes check runs once more.
    let verified = proposal(row)?.confirm(PersonId(verifier))?;
    let confirmed_before: Vec<UnitCode> =
        assessments::list_achievements(conn, &assessment.candidate_id, &assessment.framework_id)?
            .into_iter()
            .filter(|a| a.kind == "unit" && a.decision_id != row.id)
            .filter_map(|a| UnitCode::parse(&a.code).ok())
            .collect();
    certificates::issue(conn, ctx, &assessment, row, &verified, &confirmed_before)
}

/// An administrator's decision after a "not agreed".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    /// Suspend the decision's certificates (the public verifier shows it, with the reason).
    Suspend,
    /// Keep them valid.
    Keep,
}

/// Administrator `admin` closes the open review of `org`'s decision `decision`, read at
/// `expected_version`, with `reason` (shown on the public page when suspending).
#[expect(clippy::too_many_arguments, reason = "each is a separate fact of the review")]
pub fn review(
    conn: &mut DbConnection,
    ctx: &Issuing<'_>,
    org: &str,
    decision: &str,
    expected_version: i64,
    admin: &str,
    outcome: Review,
    reason: &str,
) -> Result<EqaSampleRow, ServiceError> {
    let reason = reason.trim();
    super::free_text("reason", reason)?;
    if reason.is_empty() {
        return Err(ServiceError::invalid("reason", "say why; the trail keeps it"));
    }
    db::write(conn, |conn| {
        let s = sample(conn, org, decision)?;
        if s.review.as_deref() != Some(q::REVIEW_OPEN) || s.version != expected_version {
            return Err(DbError::Conflict(format!(
                "the sample has no open review at version {expected_version} (it is at version {}); reload it",
                s.version
            ))
            .into());
        }
        let (stored, action) = match outcome {
            Review::Suspend => {
                for c in credentials::list_for_decision(conn, org, decision)? {
                    if c.revoked_at.is_some() || c.suspended_at.is_some() {
                        continue;
                    }
                    let req = StatusRequest {
                        id: &c.id,
                        expected_version: c.version,
                        change: StatusChange::Suspend,
                        reason,
                        actor: admin,
                    };
                    certificates::change_status(conn, ctx, org, req)?;
                }
                (q::REVIEW_SUSPENDED, Action::EqaReviewSuspended)
            }
            Review::Keep => (q::REVIEW_KEPT, Action::EqaReviewKept),
        };
        q::close_review(conn, decision, expected_version, stored, admin, reason, super::now())?;
        super::audit::record(conn, vec![Event::new(Some(org), Some(admin), action, decision)])?;
        sample(conn, org, decision)
    })
}
