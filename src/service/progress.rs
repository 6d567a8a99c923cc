//! Evaluating an assessment: its framework version, current records and the candidate's
//! confirmed units, through the engine.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use super::ServiceError;
use super::frameworks::FrameworkCache;
use crate::db::DbConnection;
use crate::db::models::{Assessment, RecordRevision};
use crate::db::queries::{assessments, records};
use crate::engine::evaluate::{Input, Outcome};
use crate::engine::ids::{QualificationCode, UnitCode};
use crate::engine::records::Record;
use crate::engine::target::{self, TargetReport};
use crate::engine::{Framework, evaluate};

/// An assessment with everything evaluated.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The assessment row.
    pub assessment: Assessment,
    /// Its framework version.
    pub framework: Arc<Framework>,
    /// Current revisions that are not withdrawn, in creation order.
    pub current: Vec<RecordRevision>,
    /// The same, as the engine reads them.
    pub records: Vec<Record>,
    /// Units confirmed for this candidate in this framework, by earlier decisions.
    pub confirmed_units: Vec<UnitCode>,
    /// The engine's outcome.
    pub outcome: Outcome,
    /// The gap report aimed at the qualification the assessment targets, if it targets one.
    pub target: Option<TargetReport>,
    /// The date it was evaluated at: the organisation's local date.
    pub today: NaiveDate,
}

/// Every assessment of candidate `candidate` of `org`, each evaluated as [`evaluate_assessment`]
/// does.
pub fn evaluate_candidate(
    conn: &mut DbConnection,
    cache: &FrameworkCache,
    org: &str,
    candidate: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Evaluation>, ServiceError> {
    assessments::list_for_candidate(conn, org, candidate)?
        .iter()
        .map(|a| evaluate_assessment(conn, cache, org, &a.id, now))
        .collect()
}

/// Evaluates assessment `id` of `org` as of `now`'s date in the organisation's time zone.
pub fn evaluate_assessment(
    conn: &mut DbConnection,
    cache: &FrameworkCache,
    org: &str,
    id: &str,
    now: DateTime<Utc>,
) -> Result<Evaluation, ServiceError> {
    let date = super::clock::org_today(conn, org, now)?;
    let assessment = assessments::find_in_org(conn, org, id)?;
    let framework = cache.get(conn, &assessment.framework_id, &assessment.framework_version)?;
    let current: Vec<RecordRevision> =
        records::current(records::list_revisions(conn, id)?).into_iter().filter(|r| !r.withdrawn).collect();
    let recs = current.iter().map(RecordRevision::to_engine).collect::<Result<Vec<_>, _>>()?;
    let confirmed_units =
        assessments::list_achievements(conn, &assessment.candidate_id, &assessment.framework_id)?
            .into_iter()
            .filter(|a| a.kind == "unit")
            .filter_map(|a| UnitCode::parse(&a.code).ok())
            .collect::<Vec<_>>();
    let outcome = evaluate(&Input {
        framework: &framework,
        assessment_date: date,
        records: &recs,
        confirmed_units: &confirmed_units,
    });
    let target = assessment
        .qualification_code
        .as_deref()
        .and_then(|c| QualificationCode::parse(c).ok())
        .and_then(|code| target::report(&framework, &outcome, &code));
    Ok(Evaluation {
        assessment,
        framework,
        current,
        records: recs,
        confirmed_units,
        outcome,
        target,
        today: date,
    })
}
