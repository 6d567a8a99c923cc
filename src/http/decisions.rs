//! Decisions: the assessor submits, an internal verifier confirms or returns.

use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::ApiError;
use super::extract::{AppState, Caller, SignedIn, db};
use crate::auth::Role;
use crate::db::models::Decision;
use crate::db::queries::decisions as q;
use crate::service::FieldProblem;
use crate::service::decisions::{self as svc, Verdict};

/// A decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionView {
    pub id: String,
    pub assessment_id: String,
    /// `submitted`, `confirmed` or `returned`.
    pub status: String,
    /// Units proposed as achieved.
    pub units: Vec<String>,
    /// Qualification proposed as awarded.
    pub qualification: Option<String>,
    /// Record revisions the decision rests on.
    pub based_on: Vec<String>,
    pub submitted_by: String,
    #[serde(serialize_with = "super::rfc3339::serialize")]
    pub submitted_at: chrono::NaiveDateTime,
    pub submit_comment: Option<String>,
    pub verifier_id: Option<String>,
    #[serde(serialize_with = "super::rfc3339::option")]
    pub verified_at: Option<chrono::NaiveDateTime>,
    /// The verifier's comment; the assessor sees why a decision was returned.
    pub verifier_comment: Option<String>,
    pub version: i64,
    /// External quality assurance, if the decision was sampled: the assurer's answer and
    /// comment, which the assessor and the internal verifier read here.
    pub eqa: Option<super::eqa::SampleView>,
}

impl DecisionView {
    /// The view with its sample, if any.
    pub fn with_eqa(mut self, sample: Option<super::eqa::SampleView>) -> Self {
        self.eqa = sample;
        self
    }
}

impl TryFrom<&Decision> for DecisionView {
    type Error = ApiError;
    fn try_from(d: &Decision) -> Result<Self, ApiError> {
        let strings = |s: &str| serde_json::from_str::<Vec<String>>(s).map_err(ApiError::internal);
        Ok(DecisionView {
            id: d.id.clone(),
            assessment_id: d.assessment_id.clone(),
            status: d.status.clone(),
            units: strings(&d.units)?,
            qualification: d.qualification_code.clone(),
            based_on: strings(&d.based_on)?,
            submitted_by: d.submitted_by.clone(),
            submitted_at: d.submitted_at,
            submit_comment: d.submit_comment.clone(),
            verifier_id: d.verifier_id.clone(),
            verified_at: d.verified_at,
            verifier_comment: d.verifier_comment.clone(),
            version: d.version,
            eqa: None,
        })
    }
}

/// A submission for verification.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    pub comment: Option<String>,
}

/// Submits what the assessment shows as newly achieved for internal verification.
#[utoipa::path(post, path = "/api/assessments/{id}/decisions", tag = "decisions", request_body = Submission,
    responses((status = 201, body = DecisionView), (status = 409, description = "A decision is already waiting", body = super::error::Problem),
        (status = 422, description = "Nothing newly achieved", body = super::error::Problem)), security(("bearer" = [])))]
#[post("/api/assessments/{id}/decisions")]
pub async fn submit(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<Submission>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Assessor])?;
    let org = caller.org().to_owned();
    let assessor = caller.user.id.clone();
    let st = state.clone();
    let comment = body.into_inner().comment;
    let now = state.clock.now();
    let d =
        db(&state, move |conn| Ok(svc::submit(conn, &st.cache, &org, &id, &assessor, comment, now)?)).await?;
    tracing::info!(decision_id = %d.id, assessment_id = %d.assessment_id, "decision submitted");
    Ok(HttpResponse::Created().json(DecisionView::try_from(&d)?))
}

/// Filter of the queue.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DecisionQuery {
    /// `submitted` (the verifier's queue), `confirmed` or `returned`; all if absent.
    pub status: Option<String>,
}

/// Decisions of the organisation, oldest first; `?status=submitted` is the verifier's queue.
#[utoipa::path(get, path = "/api/decisions", tag = "decisions", params(DecisionQuery),
    responses((status = 200, body = [DecisionView])), security(("bearer" = [])))]
#[get("/api/decisions")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<DecisionQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Verifier, Role::Assessor, Role::Admin])?;
    let status = query.into_inner().status;
    if status.as_deref().is_some_and(|s| ![q::SUBMITTED, q::CONFIRMED, q::RETURNED].contains(&s)) {
        return Err(ApiError::Validation(vec![FieldProblem::new(
            "status",
            "expected submitted, confirmed or returned",
        )]));
    }
    let org = caller.org().to_owned();
    let (rows, mut samples) = db(&state, move |conn| {
        Ok((q::list_in_org(conn, &org, status.as_deref())?, super::eqa::samples_by_decision(conn, &org)?))
    })
    .await?;
    let views = rows
        .iter()
        .map(|d| Ok(DecisionView::try_from(d)?.with_eqa(samples.remove(&d.id))))
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(HttpResponse::Ok().json(views))
}

/// One decision.
#[utoipa::path(get, path = "/api/decisions/{id}", tag = "decisions", responses((status = 200, body = DecisionView), (status = 404)), security(("bearer" = [])))]
#[get("/api/decisions/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Verifier, Role::Assessor, Role::Admin])?;
    let org = caller.org().to_owned();
    let (d, s) = db(&state, move |conn| {
        let d = q::find_in_org(conn, &org, &id)?;
        let s = crate::db::queries::eqa::find_sample(conn, &org, &id)?;
        Ok((d, s))
    })
    .await?;
    Ok(HttpResponse::Ok().json(DecisionView::try_from(&d)?.with_eqa(s.as_ref().map(Into::into))))
}

/// The verifier's answer: the version read, and a comment (required when returning).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifierAnswer {
    pub version: i64,
    pub comment: Option<String>,
}

/// Confirms or returns decision `id` as `who`, through [`svc::close`] (certificates are issued
/// in the same transaction). Shared by the API and the verifier's pages.
pub async fn close_as(
    state: &web::Data<AppState>,
    who: &SignedIn,
    id: String,
    answer: VerifierAnswer,
    verdict: Verdict,
) -> Result<Decision, ApiError> {
    who.require(&[Role::Verifier])?;
    if verdict == Verdict::Return && answer.comment.as_deref().is_none_or(|c| c.trim().is_empty()) {
        return Err(ApiError::Validation(vec![FieldProblem::new(
            "comment",
            "say what the assessor should look at again",
        )]));
    }
    let org = who.org().to_owned();
    let verifier = who.user.id.clone();
    let st = state.clone();
    let (d, _verified) = db(state, move |conn| {
        let ctx = st.issuing();
        let closed = svc::close(conn, &ctx, &org, &id, answer.version, &verifier, verdict, answer.comment);
        // Issuing may have made the organisation's first key or status list.
        st.trust.written();
        Ok(closed?)
    })
    .await?;
    tracing::info!(decision_id = %d.id, status = %d.status, "decision verified");
    Ok(d)
}

async fn close(
    state: web::Data<AppState>,
    caller: Caller,
    id: String,
    answer: VerifierAnswer,
    verdict: Verdict,
) -> Result<HttpResponse, ApiError> {
    let d = close_as(&state, &caller, id, answer, verdict).await?;
    let (org, did) = (caller.org().to_owned(), d.id.clone());
    // Whether confirming drew it into external quality assurance's sample.
    let sample = db(&state, move |conn| Ok(crate::db::queries::eqa::find_sample(conn, &org, &did)?)).await?;
    Ok(HttpResponse::Ok().json(DecisionView::try_from(&d)?.with_eqa(sample.as_ref().map(Into::into))))
}

/// Confirms a decision as internal verifier (never the assessor or a record's author).
#[utoipa::path(post, path = "/api/decisions/{id}/confirm", tag = "decisions", request_body = VerifierAnswer,
    responses((status = 200, body = DecisionView), (status = 403, description = "Four eyes", body = super::error::Problem),
        (status = 409, body = super::error::Problem)), security(("bearer" = [])))]
#[post("/api/decisions/{id}/confirm")]
pub async fn confirm(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<VerifierAnswer>,
) -> Result<HttpResponse, ApiError> {
    close(state, caller, id.into_inner(), body.into_inner(), Verdict::Confirm).await
}

/// Returns a decision to the assessor with a comment.
#[utoipa::path(post, path = "/api/decisions/{id}/return", tag = "decisions", request_body = VerifierAnswer,
    responses((status = 200, body = DecisionView), (status = 409, body = super::error::Problem)), security(("bearer" = [])))]
#[post("/api/decisions/{id}/return")]
pub async fn send_back(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<VerifierAnswer>,
) -> Result<HttpResponse, ApiError> {
    close(state, caller, id.into_inner(), body.into_inner(), Verdict::Return).await
}
