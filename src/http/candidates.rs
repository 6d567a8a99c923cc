//! Candidates and their assessments (assessors and administrators).

use actix_web::{HttpResponse, get, patch, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::ApiError;
use super::extract::{AppState, Caller, db};
use super::users::parse_lang;
use crate::auth::Role;
use crate::db::models::{Assessment, Candidate};
use crate::db::queries::{assessments, candidates};
use crate::service::accounts;
use crate::service::assessments as svc;

/// A candidate.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateView {
    pub id: String,
    pub display_name: String,
    pub email: Option<String>,
    pub language: String,
    /// True if the candidate can sign in to follow their progress.
    pub has_account: bool,
    pub version: i64,
}

impl From<&Candidate> for CandidateView {
    fn from(c: &Candidate) -> Self {
        CandidateView {
            id: c.id.clone(),
            display_name: c.display_name.clone(),
            email: c.email.clone(),
            language: c.language.clone(),
            has_account: c.user_id.is_some(),
            version: c.version,
        }
    }
}

/// A new candidate. With an e-mail, a sign-in account is made and its one-time password returned.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCandidate {
    pub display_name: String,
    pub email: Option<String>,
    pub language: Option<String>,
}

/// A created candidate.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedCandidate {
    pub candidate: CandidateView,
    pub one_time_password: Option<String>,
}

/// Changes to a candidate.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CandidatePatch {
    pub version: i64,
    pub display_name: Option<String>,
    pub language: Option<String>,
}

const STAFF: &[Role] = &[Role::Admin, Role::Assessor, Role::Verifier];

/// The organisation's candidates.
#[utoipa::path(get, path = "/api/candidates", tag = "candidates", responses((status = 200, body = [CandidateView])), security(("bearer" = [])))]
#[get("/api/candidates")]
pub async fn list(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let org = caller.org().to_owned();
    let rows = db(&state, move |conn| Ok(candidates::list_in_org(conn, &org)?)).await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(CandidateView::from).collect::<Vec<_>>()))
}

/// Registers a candidate.
#[utoipa::path(post, path = "/api/candidates", tag = "candidates", request_body = NewCandidate,
    responses((status = 201, body = CreatedCandidate), (status = 409, body = super::error::Problem)), security(("bearer" = [])))]
#[post("/api/candidates")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<NewCandidate>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Admin, Role::Assessor])?;
    let body = body.into_inner();
    let lang = parse_lang("language", body.language.as_deref())?;
    let org = caller.org().to_owned();
    let actor = caller.user.id.clone();
    let (cand, acc) = db(&state, move |conn| {
        Ok(accounts::create_candidate(
            conn,
            Some(&actor),
            &org,
            &body.display_name,
            body.email.as_deref(),
            &lang,
        )?)
    })
    .await?;
    Ok(HttpResponse::Created().json(CreatedCandidate {
        candidate: CandidateView::from(&cand),
        one_time_password: acc.map(|a| a.one_time_password),
    }))
}

/// One candidate.
#[utoipa::path(get, path = "/api/candidates/{id}", tag = "candidates", responses((status = 200, body = CandidateView), (status = 404)), security(("bearer" = [])))]
#[get("/api/candidates/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let org = caller.org().to_owned();
    let c = db(&state, move |conn| Ok(candidates::find_in_org(conn, &org, &id)?)).await?;
    Ok(HttpResponse::Ok().json(CandidateView::from(&c)))
}

/// Changes a candidate's name or language.
#[utoipa::path(patch, path = "/api/candidates/{id}", tag = "candidates", request_body = CandidatePatch,
    responses((status = 200, body = CandidateView), (status = 409, body = super::error::Problem)), security(("bearer" = [])))]
#[patch("/api/candidates/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<CandidatePatch>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Admin, Role::Assessor])?;
    let body = body.into_inner();
    let language = body.language.as_deref().map(|l| parse_lang("language", Some(l))).transpose()?;
    let org = caller.org().to_owned();
    let c = db(&state, move |conn| {
        Ok(accounts::update_candidate(conn, &org, &id, body.version, body.display_name.as_deref(), language)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(CandidateView::from(&c)))
}

/// An assessment.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentView {
    pub id: String,
    pub candidate_id: String,
    pub framework_id: String,
    pub framework_version: String,
    pub qualification: Option<String>,
    pub created_by: String,
    #[serde(serialize_with = "super::rfc3339::serialize")]
    pub created_at: chrono::NaiveDateTime,
    /// Bumped by every change to the assessment's records and decisions.
    pub version: i64,
}

impl From<&Assessment> for AssessmentView {
    fn from(a: &Assessment) -> Self {
        AssessmentView {
            id: a.id.clone(),
            candidate_id: a.candidate_id.clone(),
            framework_id: a.framework_id.clone(),
            framework_version: a.framework_version.clone(),
            qualification: a.qualification_code.clone(),
            created_by: a.created_by.clone(),
            created_at: a.created_at,
            version: a.version,
        }
    }
}

/// Starts an assessment against a framework version, optionally aiming at a qualification.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAssessment {
    pub framework_id: String,
    pub framework_version: String,
    pub qualification: Option<String>,
}

/// A candidate's assessments.
#[utoipa::path(get, path = "/api/candidates/{id}/assessments", tag = "assessments",
    responses((status = 200, body = [AssessmentView])), security(("bearer" = [])))]
#[get("/api/candidates/{id}/assessments")]
pub async fn list_assessments(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let org = caller.org().to_owned();
    let rows = db(&state, move |conn| {
        candidates::find_in_org(conn, &org, &id)?;
        Ok(assessments::list_for_candidate(conn, &org, &id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(AssessmentView::from).collect::<Vec<_>>()))
}

/// Starts an assessment of a candidate.
#[utoipa::path(post, path = "/api/candidates/{id}/assessments", tag = "assessments", request_body = NewAssessment,
    responses((status = 201, body = AssessmentView), (status = 422, body = super::error::Problem)), security(("bearer" = [])))]
#[post("/api/candidates/{id}/assessments")]
pub async fn start_assessment(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<NewAssessment>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Assessor])?;
    let body = body.into_inner();
    let org = caller.org().to_owned();
    let author = caller.user.id.clone();
    let st = state.clone();
    let new = svc::NewAssessment {
        framework_id: body.framework_id,
        framework_version: body.framework_version,
        qualification: body.qualification,
    };
    let a = db(&state, move |conn| Ok(svc::start(conn, &st.cache, &org, &id, &author, new)?)).await?;
    Ok(HttpResponse::Created().json(AssessmentView::from(&a)))
}
