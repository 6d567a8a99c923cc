//! Starting an assessment of a candidate against a framework version.

use super::frameworks::FrameworkCache;
use super::{FieldProblem, ServiceError};
use crate::db::ids::AssessmentId;
use crate::db::models::Assessment;
use crate::db::queries::{assessments, candidates, frameworks};
use crate::db::{DbConnection, DbError};
use crate::engine::ids::QualificationCode;

/// What an assessment is started against.
#[derive(Debug, Clone)]
pub struct NewAssessment {
    /// The framework's id.
    pub framework_id: String,
    /// Its version; the assessment stays bound to it.
    pub framework_version: String,
    /// The qualification aimed at, if any.
    pub qualification: Option<String>,
}

/// Starts an assessment of candidate `candidate` of `org` by `author`. The framework must be
/// shipped or the organisation's own and approved by its panel, and the qualification one of its.
pub fn start(
    conn: &mut DbConnection,
    cache: &FrameworkCache,
    org: &str,
    candidate: &str,
    author: &str,
    new: NewAssessment,
) -> Result<Assessment, ServiceError> {
    let cand = candidates::find_in_org(conn, org, candidate)?;
    let row = match frameworks::find(conn, &new.framework_id, &new.framework_version) {
        Ok(r) if r.organisation_id.as_deref().is_none_or(|o| o == org) => r,
        Ok(_) | Err(DbError::NotFound) => {
            return Err(ServiceError::Invalid(vec![FieldProblem::new(
                "framework_id",
                format!("no framework {} version {}", new.framework_id, new.framework_version),
            )]));
        }
        Err(e) => return Err(e.into()),
    };
    super::frameworks::require_approved(&row)?;
    if let Some(q) = &new.qualification {
        let f = cache.get(conn, &row.framework_id, &row.version)?;
        let known = QualificationCode::parse(q).ok().is_some_and(|c| f.qualification(&c).is_some());
        if !known {
            return Err(ServiceError::invalid(
                "qualification",
                format!("framework {} has no qualification {q}", f.id),
            ));
        }
    }
    let a = Assessment {
        id: AssessmentId::random().0,
        organisation_id: org.to_owned(),
        candidate_id: cand.id,
        framework_id: row.framework_id,
        framework_version: row.version,
        qualification_code: new.qualification,
        created_by: author.to_owned(),
        created_at: super::now(),
        version: 1,
    };
    assessments::insert_assessment(conn, &a)?;
    Ok(a)
}
