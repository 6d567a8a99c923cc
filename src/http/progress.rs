//! An assessment's file and its progress: criteria, units, qualifications and the gap report,
//! explained in the reader's language.

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::candidates::AssessmentView;
use super::decisions::DecisionView;
use super::error::ApiError;
use super::extract::{AppState, Caller, SignedIn, db};
use super::records::RecordView;
use crate::auth::Role;
use crate::db::queries::{assessments, candidates, decisions};
use crate::engine::evaluate::{QualificationStatus, UnitStatus, Verdict};
use crate::engine::{Lang, explain};
use crate::service::progress::{Evaluation, evaluate_assessment};

/// Language choice.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LangQuery {
    /// sv, fi or en; else from `Accept-Language`; else Swedish.
    pub lang: Option<String>,
}

/// The language of the response: `?lang=`, then `Accept-Language`, then Swedish.
pub fn choose_lang(query: Option<&str>, req: &HttpRequest) -> Lang {
    if let Some(l) = query.and_then(|q| q.parse().ok()) {
        return l;
    }
    req.headers()
        .get(actix_web::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            // `sv-FI;q=0.9` counts as Swedish: only the primary subtag decides.
            v.split(',').find_map(|part| part.split(';').next()?.trim().split('-').next()?.parse().ok())
        })
        .unwrap_or_default()
}

/// How one record bears on a criterion.
#[derive(Debug, Serialize, ToSchema)]
pub struct SupportView {
    /// The revision id of the record.
    pub record: String,
    pub counts: bool,
    pub explanation: String,
    /// The assessor's reasons for the judgement parts that keep this evidence from counting,
    /// worded for the candidate; empty when none were given.
    pub reasons: Vec<String>,
}

/// A criterion's state.
#[derive(Debug, Serialize, ToSchema)]
pub struct CriterionProgress {
    pub id: String,
    pub text: String,
    pub met: bool,
    pub methods: Vec<String>,
    pub records: Vec<SupportView>,
}

/// A unit's state.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitProgress {
    pub code: String,
    pub title: String,
    pub level: String,
    pub credits: u16,
    /// `confirmed`, `provisional`, `in-progress` or `not-started`.
    pub status: String,
    pub explanation: String,
    pub criteria_met: usize,
    pub criteria_total: usize,
    pub criteria: Vec<CriterionProgress>,
}

/// A qualification's state.
#[derive(Debug, Serialize, ToSchema)]
pub struct QualificationProgress {
    pub code: String,
    pub title: String,
    /// `awarded`, `provisional` or `not-yet`.
    pub status: String,
    /// One sentence per unsatisfied rule.
    pub missing: Vec<String>,
}

/// A method that could still show a criterion.
#[derive(Debug, Serialize, ToSchema)]
pub struct MethodView {
    pub method: String,
    pub label: String,
}

/// A criterion not yet met.
#[derive(Debug, Serialize, ToSchema)]
pub struct GapView {
    pub criterion: String,
    pub unit_title: String,
    pub text: String,
    pub methods: Vec<MethodView>,
}

/// Progress of one assessment.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressView {
    pub assessment_id: String,
    pub framework_id: String,
    pub framework_version: String,
    pub framework_title: String,
    pub qualification: Option<String>,
    pub language: String,
    pub assessed_on: chrono::NaiveDate,
    pub units: Vec<UnitProgress>,
    pub qualifications: Vec<QualificationProgress>,
    pub gaps: Vec<GapView>,
}

fn status_slug(s: UnitStatus) -> &'static str {
    match s {
        UnitStatus::Confirmed => "confirmed",
        UnitStatus::Provisional => "provisional",
        UnitStatus::InProgress { .. } => "in-progress",
        UnitStatus::NotStarted => "not-started",
    }
}

/// Renders an evaluation for a person reading `lang`.
/// The reasons the assessor gave for what keeps revision `revision` from counting: the failed
/// parts of an evidence judgement, or its currency.
fn reasons_for(ev: &Evaluation, revision: &str, v: &Verdict, lang: Lang) -> Vec<String> {
    let parts: Vec<&str> = match v {
        Verdict::NotAccepted { failed } => failed.clone(),
        Verdict::NotCurrent { .. } => vec!["current"],
        _ => return Vec::new(),
    };
    let Some(reasons) = ev.current.iter().find(|r| r.id == revision).and_then(|r| r.judgement_reasons().ok())
    else {
        return Vec::new();
    };
    parts.into_iter().filter_map(|p| reasons.get(p).map(|r| explain::judgement_reason(p, r, lang))).collect()
}

pub fn progress_view(ev: &Evaluation, lang: Lang) -> ProgressView {
    let date = ev.today;
    let f = &ev.framework;
    let units = f
        .units
        .iter()
        .zip(&ev.outcome.units)
        .map(|(u, uo)| {
            let criteria: Vec<CriterionProgress> = ev
                .outcome
                .criteria
                .iter()
                .filter(|c| c.criterion.unit == u.code)
                .map(|co| {
                    let c = f.criterion(&co.criterion);
                    CriterionProgress {
                        id: co.criterion.to_string(),
                        text: c.map(|c| c.text.get(lang).to_owned()).unwrap_or_default(),
                        met: co.met,
                        methods: c
                            .map(|c| c.methods.iter().map(|m| m.to_string()).collect())
                            .unwrap_or_default(),
                        records: co
                            .considered
                            .iter()
                            .map(|(r, v)| SupportView {
                                record: r.0.clone(),
                                counts: *v == crate::engine::evaluate::Verdict::Counts,
                                explanation: explain::verdict(v, lang),
                                reasons: reasons_for(ev, &r.0, v, lang),
                            })
                            .collect(),
                    }
                })
                .collect();
            UnitProgress {
                code: u.code.to_string(),
                title: u.title.get(lang).to_owned(),
                level: u.level.to_string(),
                credits: u.credits,
                status: status_slug(uo.status).to_owned(),
                explanation: explain::unit_status(uo.status, lang),
                criteria_met: criteria.iter().filter(|c| c.met).count(),
                criteria_total: criteria.len(),
                criteria,
            }
        })
        .collect();
    let qualifications = f
        .qualifications
        .iter()
        .zip(&ev.outcome.qualifications)
        .map(|(q, qo)| {
            let (status, missing) = match &qo.status {
                QualificationStatus::Awarded => ("awarded", vec![]),
                QualificationStatus::Provisional => ("provisional", vec![]),
                QualificationStatus::NotYet(s) => {
                    ("not-yet", s.iter().map(|s| explain::shortfall(s, q, f, lang)).collect())
                }
            };
            QualificationProgress {
                code: q.code.to_string(),
                title: q.title.get(lang).to_owned(),
                status: status.to_owned(),
                missing,
            }
        })
        .collect();
    let gaps = ev
        .outcome
        .gaps
        .iter()
        .map(|g| GapView {
            criterion: g.criterion.to_string(),
            unit_title: f.unit(&g.criterion.unit).map(|u| u.title.get(lang).to_owned()).unwrap_or_default(),
            text: f.criterion(&g.criterion).map(|c| c.text.get(lang).to_owned()).unwrap_or_default(),
            methods: g
                .methods
                .iter()
                .map(|m| MethodView { method: m.to_string(), label: explain::method(*m, lang) })
                .collect(),
        })
        .collect();
    ProgressView {
        assessment_id: ev.assessment.id.clone(),
        framework_id: f.id.to_string(),
        framework_version: f.version.to_string(),
        framework_title: f.title.get(lang).to_owned(),
        qualification: ev.assessment.qualification_code.clone(),
        language: lang.tag().to_owned(),
        assessed_on: date,
        units,
        qualifications,
        gaps,
    }
}

/// An assessment with its current records and its decisions.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentDetail {
    pub assessment: AssessmentView,
    /// Newest revision of each record that is not withdrawn.
    pub records: Vec<RecordView>,
    pub decisions: Vec<DecisionView>,
}

/// An assessment's file: current records and decisions.
#[utoipa::path(get, path = "/api/assessments/{id}", tag = "assessments",
    responses((status = 200, body = AssessmentDetail), (status = 404)), security(("bearer" = [])))]
#[get("/api/assessments/{id}")]
pub async fn detail(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Assessor, Role::Verifier, Role::Admin])?;
    let org = caller.org().to_owned();
    let st = state.clone();
    let (ev, ds) = db(&state, move |conn| {
        let ev = evaluate_assessment(conn, &st.cache, &org, &id, st.clock.now())?;
        let ds = decisions::list_for_assessment(conn, &id)?;
        Ok((ev, ds))
    })
    .await?;
    Ok(HttpResponse::Ok().json(AssessmentDetail {
        assessment: AssessmentView::from(&ev.assessment),
        records: ev.current.iter().map(RecordView::try_from).collect::<Result<_, _>>()?,
        decisions: ds.iter().map(DecisionView::try_from).collect::<Result<_, _>>()?,
    }))
}

/// Progress and gap report of an assessment, as of today.
#[utoipa::path(get, path = "/api/assessments/{id}/progress", tag = "assessments", params(LangQuery),
    responses((status = 200, body = ProgressView), (status = 404)), security(("bearer" = [])))]
#[get("/api/assessments/{id}/progress")]
pub async fn progress(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: web::Query<LangQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Assessor, Role::Verifier, Role::Admin])?;
    let lang = choose_lang(query.lang.as_deref(), &req);
    let org = caller.org().to_owned();
    let st = state.clone();
    let ev =
        db(&state, move |conn| Ok(evaluate_assessment(conn, &st.cache, &org, &id, st.clock.now())?)).await?;
    Ok(HttpResponse::Ok().json(progress_view(&ev, lang)))
}

/// The signed-in candidate's own progress in every assessment.
#[utoipa::path(get, path = "/api/me/progress", tag = "session", params(LangQuery),
    responses((status = 200, body = [ProgressView])), security(("bearer" = [])))]
#[get("/api/me/progress")]
pub async fn my_progress(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<LangQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Candidate])?;
    let lang =
        query.lang.as_deref().and_then(|l| l.parse().ok()).or_else(|| caller.user.language.parse().ok());
    let lang = lang.unwrap_or_else(|| choose_lang(None, &req));
    let evs = my_evaluations(&state, &caller).await?;
    Ok(HttpResponse::Ok().json(evs.iter().map(|e| progress_view(e, lang)).collect::<Vec<_>>()))
}

/// Every assessment of the candidate `who` is, evaluated as of today. Shared by the API and
/// the candidate's pages; the caller checks the role.
pub async fn my_evaluations(
    state: &web::Data<AppState>,
    who: &SignedIn,
) -> Result<Vec<Evaluation>, ApiError> {
    let now = state.clock.now();
    let org = who.org().to_owned();
    let user = who.user.id.clone();
    let st = state.clone();
    db(state, move |conn| {
        let cand = candidates::find_by_user(conn, &user)?;
        assessments::list_for_candidate(conn, &org, &cand.id)?
            .iter()
            .map(|a| Ok(evaluate_assessment(conn, &st.cache, &org, &a.id, now)?))
            .collect::<Result<Vec<_>, ApiError>>()
    })
    .await
}
