//! Submitting a decision for internal verification, and confirming or returning it.

use chrono::{DateTime, Utc};

use super::ServiceError;
use super::audit::Event;
use super::certificates::{self, Issuing};
use super::frameworks::FrameworkCache;
use super::progress::evaluate_assessment;
use crate::audit::Action;
use crate::db::ids::DecisionId;
use crate::db::models::{Achievement, Decision};
use crate::db::queries::{assessments, decisions as q};
use crate::db::{self, DbConnection, DbError};
use crate::engine::ids::{PersonId, QualificationCode, RecordRef, UnitCode};
use crate::engine::{DecisionError, ProvisionalDecision, VerifiedDecision};

fn json(v: Vec<String>) -> Result<String, DbError> {
    serde_json::to_string(&v).map_err(|e| DbError::Corrupt(e.to_string()))
}

fn strings(s: &str) -> Result<Vec<String>, DbError> {
    serde_json::from_str(s).map_err(|e| DbError::Corrupt(e.to_string()))
}

/// The engine's proposal stored in `row`, rebuilt so confirming it runs the engine's checks.
pub fn proposal(row: &Decision) -> Result<ProvisionalDecision, ServiceError> {
    let corrupt = |e: crate::engine::ids::IdError| DbError::Corrupt(e.to_string());
    let units =
        strings(&row.units)?.iter().map(|u| UnitCode::parse(u).map_err(corrupt)).collect::<Result<_, _>>()?;
    let qualification =
        row.qualification_code.as_deref().map(QualificationCode::parse).transpose().map_err(corrupt)?;
    let based_on = strings(&row.based_on)?.into_iter().map(RecordRef).collect();
    let authors = strings(&row.record_authors)?.into_iter().map(PersonId).collect();
    Ok(ProvisionalDecision::from_parts(
        PersonId(row.submitted_by.clone()),
        units,
        qualification,
        based_on,
        authors,
    )?)
}

/// Submits what the assessment shows as newly achieved for verification by another person.
/// Evaluation and insert share one transaction, so the decision rests on exactly the records
/// it names.
pub fn submit(
    conn: &mut DbConnection,
    cache: &FrameworkCache,
    org: &str,
    assessment: &str,
    assessor: &str,
    comment: Option<String>,
    now: DateTime<Utc>,
) -> Result<Decision, ServiceError> {
    if let Some(c) = &comment {
        super::free_text("comment", c)?;
    }
    db::write(conn, |conn| {
        let ev = evaluate_assessment(conn, cache, org, assessment, now)?;
        let target =
            ev.assessment.qualification_code.as_deref().and_then(|c| QualificationCode::parse(c).ok());
        let p = ProvisionalDecision::propose(
            &ev.outcome,
            target.as_ref(),
            PersonId(assessor.to_owned()),
            &ev.records,
        )?;
        let row = Decision {
            id: DecisionId::random().0,
            assessment_id: ev.assessment.id.clone(),
            status: q::SUBMITTED.to_owned(),
            units: json(p.units().iter().map(ToString::to_string).collect())?,
            qualification_code: p.qualification().map(ToString::to_string),
            based_on: json(p.based_on().iter().map(|r| r.0.clone()).collect())?,
            record_authors: json(p.record_authors().iter().map(|a| a.0.clone()).collect())?,
            assessment_version: ev.assessment.version,
            submitted_by: assessor.to_owned(),
            submitted_at: super::now(),
            submit_comment: comment,
            verifier_id: None,
            verified_at: None,
            verifier_comment: None,
            version: 1,
        };
        q::insert_decision(conn, &row)?;
        super::audit::record(
            conn,
            vec![
                Event::new(Some(org), Some(assessor), Action::DecisionSubmitted, &row.id)
                    .with(serde_json::json!({ "assessment": row.assessment_id })),
            ],
        )?;
        Ok(row)
    })
}

/// The internal verifier's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Confirm: the units become achievements of the candidate.
    Confirm,
    /// Return to the assessor with a comment.
    Return,
}

/// Confirms or returns decision `id` at `expected_version`. A confirmation that breaks the
/// four-eyes rule is refused; so is one whose assessment changed after submission.
#[expect(clippy::too_many_arguments, reason = "each is a separate fact of the verifier's answer")]
pub fn close(
    conn: &mut DbConnection,
    ctx: &Issuing<'_>,
    org: &str,
    id: &str,
    expected_version: i64,
    verifier: &str,
    verdict: Verdict,
    comment: Option<String>,
) -> Result<(Decision, Option<VerifiedDecision>), ServiceError> {
    if let Some(c) = &comment {
        super::free_text("comment", c)?;
    }
    db::write(conn, |conn| {
        let row = q::find_in_org(conn, org, id)?;
        if row.version != expected_version || row.status != q::SUBMITTED {
            return Err(DbError::Conflict(format!(
                "the decision is {} at version {}, not waiting at version {expected_version}; reload it",
                row.status, row.version
            ))
            .into());
        }
        let assessment = assessments::find_in_org(conn, org, &row.assessment_id)?;
        let p = proposal(&row)?;
        let now = super::now();
        let mut events = Vec::new();
        let verified = match verdict {
            Verdict::Confirm => {
                if assessment.version != row.assessment_version {
                    return Err(DbError::Conflict(
                        "the assessment changed after this decision was submitted; return it so the assessor can \
                         submit again"
                            .to_owned(),
                    )
                    .into());
                }
                let v = p.confirm(PersonId(verifier.to_owned()))?;
                // A unit already confirmed through another assessment keeps its first confirmation.
                let existing: Vec<(String, String)> =
                    assessments::list_achievements(conn, &assessment.candidate_id, &assessment.framework_id)?
                        .into_iter()
                        .map(|a| (a.kind, a.code))
                        .collect();
                let units = v.decision().units().iter().map(|u| ("unit", u.to_string()));
                let quals = v.decision().qualification().map(|c| ("qualification", c.to_string()));
                for (kind, code) in units.chain(quals) {
                    if existing.iter().any(|(k, c)| k == kind && c == &code) {
                        continue;
                    }
                    let a = Achievement {
                        id: uuid::Uuid::new_v4().to_string(),
                        candidate_id: assessment.candidate_id.clone(),
                        framework_id: assessment.framework_id.clone(),
                        kind: kind.to_owned(),
                        code,
                        decision_id: row.id.clone(),
                        confirmed_at: now,
                    };
                    assessments::insert_achievement(conn, &a)?;
                }
                q::close(conn, id, expected_version, q::CONFIRMED, verifier, comment.as_deref(), now)?;
                let confirmed_before: Vec<UnitCode> = existing
                    .iter()
                    .filter(|(k, _)| k == "unit")
                    .filter_map(|(_, c)| UnitCode::parse(c).ok())
                    .collect();
                // Sampled or not is settled here, by the plan in force at confirmation.
                let sampled = super::eqa::sample_on_confirm(conn, org, &assessment.framework_id, &row)?;
                let held = sampled.as_ref().is_some_and(|s| s.held);
                let issued = if held {
                    Vec::new()
                } else {
                    certificates::issue(conn, ctx, &assessment, &row, &v, &confirmed_before)?
                };
                let mut details = serde_json::json!({ "assessment": assessment.id });
                if sampled.is_some() {
                    details["eqa_sampled"] = true.into();
                    details["certificates_held"] = held.into();
                }
                events
                    .push(Event::new(Some(org), Some(verifier), Action::DecisionConfirmed, id).with(details));
                events.extend(issued.iter().map(|c| {
                    Event::new(Some(org), Some(verifier), Action::CertificateIssued, &c.id).with(
                        serde_json::json!({
                            "decision": id,
                            "kind": c.kind,
                            "achievement": c.achievement_code,
                            "key": c.key_id,
                        }),
                    )
                }));
                Some(v)
            }
            Verdict::Return => {
                if p.assessor().0 == verifier {
                    return Err(DecisionError::SamePerson.into());
                }
                q::close(conn, id, expected_version, q::RETURNED, verifier, comment.as_deref(), now)?;
                events.push(
                    Event::new(Some(org), Some(verifier), Action::DecisionReturned, id)
                        .with(serde_json::json!({ "assessment": assessment.id })),
                );
                None
            }
        };
        assessments::bump_version(conn, &assessment.id)?;
        super::audit::record(conn, events)?;
        Ok((q::find_in_org(conn, org, id)?, verified))
    })
}
