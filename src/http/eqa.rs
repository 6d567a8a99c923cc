//! External quality assurance: a framework's sampling plan (administrators and panel
//! members), the external quality assurer's queue and answers, and an administrator's review
//! after a "not agreed". An assurer reads only the decisions sampled into the queue: any other
//! decision id is not found.

use std::collections::HashMap;

use actix_web::{HttpResponse, get, post, put, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::decisions::DecisionView;
use super::error::ApiError;
use super::extract::{AppState, Caller, SignedIn, db};
use crate::auth::Role;
use crate::db::models::{EqaPlanRow, EqaSampleRow};
use crate::db::queries::{credentials, decisions, eqa as q};
use crate::service::FieldProblem;
use crate::service::eqa::{self as svc, Answer, Review};

/// Who sets sampling plans.
const PLANNERS: &[Role] = &[Role::Admin, Role::Panel];

/// A framework's sampling plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct SamplingPlanView {
    pub framework_id: String,
    /// Each assessor's first decisions on the framework that are sampled.
    pub first_n: i64,
    /// The share (0–100) of each assessor's later decisions that is sampled, spread evenly.
    pub then_percent: i64,
    /// Certificates of a sampled decision are issued only when the assurer agrees.
    pub eqa_required: bool,
    /// 0 until someone sets a plan (then nothing is sampled).
    pub version: i64,
    pub updated_by: Option<String>,
    #[serde(serialize_with = "super::rfc3339::option")]
    pub updated_at: Option<chrono::NaiveDateTime>,
    /// On a framework of the awarding body (another organisation), the plan it set for every
    /// organisation; this organisation's own plan can only add samples to it.
    pub awarding_body_plan: Option<BodyPlanView>,
}

/// The awarding body's plan for a framework, as a centre sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct BodyPlanView {
    pub first_n: i64,
    pub then_percent: i64,
    pub eqa_required: bool,
}

impl SamplingPlanView {
    fn of(framework: &str, row: Option<&EqaPlanRow>) -> Self {
        match row {
            Some(r) => SamplingPlanView {
                framework_id: r.framework_id.clone(),
                first_n: r.first_n,
                then_percent: r.then_percent,
                eqa_required: r.eqa_required,
                version: r.version,
                updated_by: Some(r.updated_by.clone()),
                updated_at: Some(r.updated_at),
                awarding_body_plan: None,
            },
            None => SamplingPlanView {
                framework_id: framework.to_owned(),
                first_n: 0,
                then_percent: 0,
                eqa_required: false,
                version: 0,
                updated_by: None,
                updated_at: None,
                awarding_body_plan: None,
            },
        }
    }
}

/// A new sampling plan, and the version it replaces (0 for the first).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SamplingPlanDto {
    pub first_n: i64,
    pub then_percent: i64,
    pub eqa_required: bool,
    pub version: i64,
}

fn framework_known(conn: &mut crate::db::DbConnection, org: &str, framework: &str) -> Result<(), ApiError> {
    let visible = crate::db::queries::frameworks::list_visible(conn, Some(org))?;
    if visible.iter().any(|f| f.framework_id == framework) { Ok(()) } else { Err(ApiError::NotFound) }
}

/// The sampling plan of a framework the organisation may assess against.
#[utoipa::path(get, path = "/api/eqa/plans/{framework_id}", tag = "eqa",
    responses((status = 200, body = SamplingPlanView), (status = 404)), security(("bearer" = [])))]
#[get("/api/eqa/plans/{framework_id}")]
pub async fn get_plan(
    state: web::Data<AppState>,
    caller: Caller,
    framework_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(PLANNERS)?;
    let org = caller.org().to_owned();
    let view = db(&state, move |conn| {
        framework_known(conn, &org, &framework_id)?;
        let mut view = SamplingPlanView::of(&framework_id, q::find_plan(conn, &org, &framework_id)?.as_ref());
        if let Some(body) = svc::awarding_body(conn)?
            && body.id != org
            && body.owns(&framework_id)
        {
            let theirs = q::find_plan(conn, &body.id, &framework_id)?;
            view.awarding_body_plan =
                Some(theirs.map_or(BodyPlanView { first_n: 0, then_percent: 0, eqa_required: false }, |r| {
                    BodyPlanView {
                        first_n: r.first_n,
                        then_percent: r.then_percent,
                        eqa_required: r.eqa_required,
                    }
                }));
        }
        Ok(view)
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Sets `framework_id`'s plan as `who`; shared by the API and the administrator's page.
pub async fn set_plan_as(
    state: &web::Data<AppState>,
    who: &SignedIn,
    framework_id: String,
    dto: SamplingPlanDto,
) -> Result<EqaPlanRow, ApiError> {
    who.require(PLANNERS)?;
    let plan = svc::parse_plan(dto.first_n, dto.then_percent, dto.eqa_required)?;
    let org = who.org().to_owned();
    let actor = who.user.id.clone();
    db(state, move |conn| Ok(svc::set_plan(conn, &org, &actor, &framework_id, plan, dto.version)?)).await
}

/// Sets the sampling plan of a framework (all its versions) for the organisation's decisions.
/// It applies to decisions confirmed from now on.
#[utoipa::path(put, path = "/api/eqa/plans/{framework_id}", tag = "eqa", request_body = SamplingPlanDto,
    responses((status = 200, body = SamplingPlanView), (status = 404), (status = 409, body = super::error::Problem),
        (status = 422, body = super::error::Problem)), security(("bearer" = [])))]
#[put("/api/eqa/plans/{framework_id}")]
pub async fn set_plan(
    state: web::Data<AppState>,
    caller: Caller,
    framework_id: web::Path<String>,
    body: web::Json<SamplingPlanDto>,
) -> Result<HttpResponse, ApiError> {
    let fw = framework_id.into_inner();
    let row = set_plan_as(&state, &caller, fw.clone(), body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(SamplingPlanView::of(&fw, Some(&row))))
}

/// Where a sampled decision stands with external quality assurance. The assessor and the
/// internal verifier see it on the decision too, comment included.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SampleView {
    pub decision_id: String,
    /// The organisation (centre) whose decision it is, and whose certificates it concerns.
    pub organisation_id: String,
    pub framework_id: String,
    pub assessor_id: String,
    /// The decision's place among its assessor's confirmed decisions on the framework.
    pub position: i64,
    /// Its certificates wait for the assurer's agreement.
    pub held: bool,
    #[serde(serialize_with = "super::rfc3339::serialize")]
    pub sampled_at: chrono::NaiveDateTime,
    /// `waiting`, `agreed` or `not-agreed`.
    pub status: String,
    pub assurer_id: Option<String>,
    #[serde(serialize_with = "super::rfc3339::option")]
    pub decided_at: Option<chrono::NaiveDateTime>,
    /// The assurer's comment.
    pub comment: Option<String>,
    /// After a "not agreed" on issued certificates: `open`, then `suspended` or `kept`.
    pub review: Option<String>,
    pub reviewed_by: Option<String>,
    #[serde(serialize_with = "super::rfc3339::option")]
    pub reviewed_at: Option<chrono::NaiveDateTime>,
    pub review_reason: Option<String>,
    pub version: i64,
}

impl From<&EqaSampleRow> for SampleView {
    fn from(s: &EqaSampleRow) -> Self {
        SampleView {
            decision_id: s.decision_id.clone(),
            organisation_id: s.organisation_id.clone(),
            framework_id: s.framework_id.clone(),
            assessor_id: s.assessor_id.clone(),
            position: s.position,
            held: s.held,
            sampled_at: s.sampled_at,
            status: s.status.clone(),
            assurer_id: s.assurer_id.clone(),
            decided_at: s.decided_at,
            comment: s.comment.clone(),
            review: s.review.clone(),
            reviewed_by: s.reviewed_by.clone(),
            reviewed_at: s.reviewed_at,
            review_reason: s.review_reason.clone(),
            version: s.version,
        }
    }
}

/// The samples of `org`, by decision id, for showing beside decisions.
pub fn samples_by_decision(
    conn: &mut crate::db::DbConnection,
    org: &str,
) -> Result<HashMap<String, SampleView>, ApiError> {
    Ok(q::list_samples(conn, org, None, None)?.iter().map(|s| (s.decision_id.clone(), s.into())).collect())
}

/// A sampled decision as the assurer sees it: the sample, the decision trail, and the
/// certificates issued for it (ids only).
#[derive(Debug, Serialize, ToSchema)]
pub struct SampleDetail {
    pub sample: SampleView,
    pub decision: DecisionView,
    pub certificates: Vec<String>,
}

/// Filter of the samples.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SampleQuery {
    /// `waiting` (the assurer's queue), `agreed` or `not-agreed`; all if absent.
    pub status: Option<String>,
    /// `open` (the administrator's reviews), `suspended` or `kept`.
    pub review: Option<String>,
}

/// Sampled decisions the caller may read, oldest first (an assurer of the awarding body: every
/// organisation's on its frameworks; any other assurer: their organisation's on the others;
/// an administrator: their organisation's): `?status=waiting` is the external
/// quality assurer's queue, `?review=open` the administrator's reviews.
#[utoipa::path(get, path = "/api/eqa/samples", tag = "eqa", params(SampleQuery),
    responses((status = 200, body = [SampleView]), (status = 422, body = super::error::Problem)), security(("bearer" = [])))]
#[get("/api/eqa/samples")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<SampleQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Eqa, Role::Admin])?;
    let SampleQuery { status, review } = query.into_inner();
    let mut problems = Vec::new();
    if status.as_deref().is_some_and(|s| ![q::WAITING, q::AGREED, q::NOT_AGREED].contains(&s)) {
        problems.push(FieldProblem::new("status", "expected waiting, agreed or not-agreed"));
    }
    if review.as_deref().is_some_and(|s| ![q::REVIEW_OPEN, q::REVIEW_SUSPENDED, q::REVIEW_KEPT].contains(&s))
    {
        problems.push(FieldProblem::new("review", "expected open, suspended or kept"));
    }
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let org = caller.org().to_owned();
    let (assurer, admin) = (caller.roles.has(Role::Eqa), caller.roles.has(Role::Admin));
    let rows = db(&state, move |conn| {
        let reader = svc::Reader { org: &org, assurer, admin };
        Ok(svc::list_readable(conn, reader, status.as_deref(), review.as_deref())?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(SampleView::from).collect::<Vec<_>>()))
}

/// The sampled decision `decision` as `who` may read it (see [`svc::Reader`]); a decision not
/// sampled, or another organisation's not on the awarding body's frameworks, is not found.
pub async fn detail_as(
    state: &web::Data<AppState>,
    who: &SignedIn,
    decision: String,
) -> Result<SampleDetail, ApiError> {
    who.require(&[Role::Eqa, Role::Admin])?;
    let mine = who.org().to_owned();
    let (assurer, admin) = (who.roles.has(Role::Eqa), who.roles.has(Role::Admin));
    let (s, d, certs) = db(state, move |conn| {
        let s = svc::readable(conn, svc::Reader { org: &mine, assurer, admin }, &decision)?;
        let org = s.organisation_id.clone();
        let d = decisions::find_in_org(conn, &org, &decision)?;
        let certs = credentials::list_for_decision(conn, &org, &decision)?;
        Ok((s, d, certs))
    })
    .await?;
    let sample = SampleView::from(&s);
    Ok(SampleDetail {
        decision: DecisionView::try_from(&d)?.with_eqa(Some(sample.clone())),
        sample,
        certificates: certs.into_iter().map(|c| c.id).collect(),
    })
}

/// One sampled decision.
#[utoipa::path(get, path = "/api/eqa/samples/{decision_id}", tag = "eqa",
    responses((status = 200, body = SampleDetail), (status = 404)), security(("bearer" = [])))]
#[get("/api/eqa/samples/{decision_id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    caller: Caller,
    decision_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(detail_as(&state, &caller, decision_id.into_inner()).await?))
}

/// The assurer's answer: the sample's version as read, and a comment (required when not
/// agreeing; it reaches the assessor and the internal verifier).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerDto {
    pub version: i64,
    pub comment: Option<String>,
}

/// Answers on a sample as `who`; shared by the API and the assurer's pages.
pub async fn answer_as(
    state: &web::Data<AppState>,
    who: &SignedIn,
    decision: String,
    dto: AnswerDto,
    answer: Answer,
) -> Result<EqaSampleRow, ApiError> {
    who.require(&[Role::Eqa])?;
    let org = who.org().to_owned();
    let assurer = who.user.id.clone();
    let st = state.clone();
    let (s, issued) = db(state, move |conn| {
        let ctx = st.issuing();
        let r = svc::answer(conn, &ctx, &org, &decision, dto.version, &assurer, answer, dto.comment);
        // Agreeing may have issued the certificates, and made the organisation's first key or list.
        st.trust.written();
        Ok(r?)
    })
    .await?;
    tracing::info!(decision_id = %s.decision_id, status = %s.status, issued = issued.len(), "sample answered");
    Ok(s)
}

/// Agrees with a sampled decision; certificates held for this are issued now.
#[utoipa::path(post, path = "/api/eqa/samples/{decision_id}/agree", tag = "eqa", request_body = AnswerDto,
    responses((status = 200, body = SampleView), (status = 403, description = "Four eyes", body = super::error::Problem),
        (status = 404), (status = 409, body = super::error::Problem)), security(("bearer" = [])))]
#[post("/api/eqa/samples/{decision_id}/agree")]
pub async fn agree(
    state: web::Data<AppState>,
    caller: Caller,
    decision_id: web::Path<String>,
    body: web::Json<AnswerDto>,
) -> Result<HttpResponse, ApiError> {
    let s = answer_as(&state, &caller, decision_id.into_inner(), body.into_inner(), Answer::Agree).await?;
    Ok(HttpResponse::Ok().json(SampleView::from(&s)))
}

/// Does not agree with a sampled decision, with a comment; issued certificates go to an
/// administrator's review, held ones are not issued.
#[utoipa::path(post, path = "/api/eqa/samples/{decision_id}/disagree", tag = "eqa", request_body = AnswerDto,
    responses((status = 200, body = SampleView), (status = 403, description = "Four eyes", body = super::error::Problem),
        (status = 404), (status = 409, body = super::error::Problem), (status = 422, body = super::error::Problem)),
    security(("bearer" = [])))]
#[post("/api/eqa/samples/{decision_id}/disagree")]
pub async fn disagree(
    state: web::Data<AppState>,
    caller: Caller,
    decision_id: web::Path<String>,
    body: web::Json<AnswerDto>,
) -> Result<HttpResponse, ApiError> {
    let s = answer_as(&state, &caller, decision_id.into_inner(), body.into_inner(), Answer::NotAgree).await?;
    Ok(HttpResponse::Ok().json(SampleView::from(&s)))
}

/// An administrator's review: `suspend` the decision's certificates or `keep` them, and why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewDto {
    pub version: i64,
    /// `suspend` or `keep`.
    pub outcome: String,
    pub reason: String,
}

/// Closes a review as `who`; shared by the API and the administrator's page.
pub async fn review_as(
    state: &web::Data<AppState>,
    who: &SignedIn,
    decision: String,
    dto: ReviewDto,
) -> Result<EqaSampleRow, ApiError> {
    who.require(&[Role::Admin])?;
    let outcome = match dto.outcome.as_str() {
        "suspend" => Review::Suspend,
        "keep" => Review::Keep,
        _ => {
            return Err(ApiError::Validation(vec![FieldProblem::new("outcome", "expected suspend or keep")]));
        }
    };
    let org = who.org().to_owned();
    let admin = who.user.id.clone();
    let st = state.clone();
    db(state, move |conn| {
        let ctx = st.issuing();
        let r = svc::review(conn, &ctx, &org, &decision, dto.version, &admin, outcome, &dto.reason);
        st.trust.written();
        Ok(r?)
    })
    .await
}

/// Closes the review a "not agreed" opened: suspends the decision's certificates (the public
/// verification shows the suspension and its reason) or keeps them.
#[utoipa::path(post, path = "/api/eqa/samples/{decision_id}/review", tag = "eqa", request_body = ReviewDto,
    responses((status = 200, body = SampleView), (status = 404), (status = 409, body = super::error::Problem),
        (status = 422, body = super::error::Problem)), security(("bearer" = [])))]
#[post("/api/eqa/samples/{decision_id}/review")]
pub async fn close_review(
    state: web::Data<AppState>,
    caller: Caller,
    decision_id: web::Path<String>,
    body: web::Json<ReviewDto>,
) -> Result<HttpResponse, ApiError> {
    let s = review_as(&state, &caller, decision_id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(SampleView::from(&s)))
}
