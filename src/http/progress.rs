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
use crate::db::queries::{candidates, decisions};
use crate::engine::evaluate::{QualificationStatus, UnitStatus, Verdict};
use crate::engine::ids::UnitCode;
use crate::engine::rules::Shortfall;
use crate::engine::target::TargetReport;
use crate::engine::{Lang, explain};
use crate::service::progress::{Evaluation, evaluate_assessment, evaluate_candidate};

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
    /// For a theory test: which test, the score and the pass mark.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theory: Option<TheoryResultView>,
}

/// A theory test's result as it bears on a criterion.
#[derive(Debug, Serialize, ToSchema)]
pub struct TheoryResultView {
    /// The id of the framework's test; absent for an ad-hoc test.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test: Option<String>,
    /// The test's title: for a defined test as the framework words it in the reader's language.
    pub title: String,
    pub score: u32,
    pub max: u32,
    /// Points needed to pass.
    pub pass_mark: u32,
    /// A defined test's pass mark in percent of `max`, of which `pass_mark` is the rounded-up
    /// number of points; absent for an ad-hoc test.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pass_percent: Option<u8>,
}

fn theory_for(ev: &Evaluation, revision: &str, lang: Lang) -> Option<TheoryResultView> {
    let rec = ev.current.iter().find(|r| r.id == revision)?.stored_body().ok()?.to_engine().ok()?;
    let crate::engine::records::RecordBody::Theory(t) = rec else { return None };
    let def = t.defined.as_ref().and_then(|d| ev.framework.theory_test(&d.id));
    Some(TheoryResultView {
        test: t.defined.as_ref().map(|d| d.id.to_string()),
        title: def.map_or_else(|| t.title.clone(), |d| d.title.get(lang).to_owned()),
        score: t.score.score(),
        max: t.score.max(),
        pass_mark: t.score.pass_mark(),
        pass_percent: t.defined.as_ref().map(|d| d.pass_percent.get()),
    })
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

/// A unit suggested toward the targeted qualification.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitRefView {
    pub code: String,
    pub title: String,
    /// `E1`–`E3` or `1`–`8`.
    pub level: String,
    /// The level in words, in the response's language.
    pub level_label: String,
    pub credits: u16,
}

/// A rule of the targeted qualification not yet met, and what could close it.
#[derive(Debug, Serialize, ToSchema)]
pub struct NeedView {
    /// `mandatory`, `optional-group`, `credits` or `credits-at-level`.
    pub rule: String,
    /// The rule and what could close it, as one sentence.
    pub explanation: String,
    /// Units not yet achieved that count toward this rule.
    pub units: Vec<UnitRefView>,
}

/// A set of units that would complete the targeted qualification; none can be left out.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClosingSetView {
    pub units: Vec<UnitRefView>,
    /// The units' credits together.
    pub credits: u32,
    pub explanation: String,
}

/// The gap report aimed at the qualification the assessment targets.
#[derive(Debug, Serialize, ToSchema)]
pub struct TargetView {
    pub code: String,
    pub title: String,
    /// `awarded`, `provisional` or `not-yet`.
    pub status: String,
    /// Rules not yet met, counting provisional units as achieved.
    pub needs: Vec<NeedView>,
    /// The sentence before `closing`; absent when every rule holds.
    pub closing_intro: Option<String>,
    /// The smallest sets of units not yet achieved that would complete the qualification (by
    /// number of units, then credits; at most three).
    pub closing: Vec<ClosingSetView>,
    /// True when there were too many combinations to try them all (then `capped_note` says so):
    /// other sets as small may exist.
    pub search_capped: bool,
    pub capped_note: Option<String>,
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
    /// Unmet criteria of units not yet achieved. When the assessment targets a qualification,
    /// only units that count toward a rule of it not yet met; the rest are in `other_gaps`.
    pub gaps: Vec<GapView>,
    /// When the assessment targets a qualification: unmet criteria of units that cannot count
    /// toward it now (outside it, or only toward rules already met). Empty otherwise.
    pub other_gaps: Vec<GapView>,
    /// The gap report aimed at the targeted qualification.
    pub target: Option<TargetView>,
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
                                theory: theory_for(ev, &r.0, lang),
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
    let qualifications: Vec<QualificationProgress> = f
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
    let gap_view = |g: &crate::engine::evaluate::Gap| GapView {
        criterion: g.criterion.to_string(),
        unit_title: f.unit(&g.criterion.unit).map(|u| u.title.get(lang).to_owned()).unwrap_or_default(),
        text: f.criterion(&g.criterion).map(|c| c.text.get(lang).to_owned()).unwrap_or_default(),
        methods: g
            .methods
            .iter()
            .map(|m| MethodView { method: m.to_string(), label: explain::method(*m, lang) })
            .collect(),
    };
    let (gaps, other_gaps) = match &ev.target {
        Some(t) => (t.gaps.iter().map(gap_view).collect(), t.other_gaps.iter().map(gap_view).collect()),
        None => (ev.outcome.gaps.iter().map(gap_view).collect(), Vec::new()),
    };
    let target = ev.target.as_ref().and_then(|t| target_view(ev, t, &qualifications, lang));
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
        other_gaps,
        target,
    }
}

fn target_view(
    ev: &Evaluation,
    t: &TargetReport,
    qualifications: &[QualificationProgress],
    lang: Lang,
) -> Option<TargetView> {
    let f = &ev.framework;
    let q = f.qualification(&t.qualification)?;
    let unit_ref = |code: &UnitCode| {
        f.unit(code).map(|u| UnitRefView {
            code: code.to_string(),
            title: u.title.get(lang).to_owned(),
            level: u.level.to_string(),
            level_label: explain::level(u.level, lang),
            credits: u.credits,
        })
    };
    let needs = t
        .needs
        .iter()
        .map(|n| NeedView {
            rule: match n.shortfall {
                Shortfall::MandatoryUnit(_) => "mandatory",
                Shortfall::OptionalGroup { .. } => "optional-group",
                Shortfall::Credits { .. } => "credits",
                Shortfall::CreditsAtLevel { .. } => "credits-at-level",
            }
            .to_owned(),
            explanation: explain::need(n, q, f, lang),
            units: n.units.iter().filter_map(unit_ref).collect(),
        })
        .collect();
    let closing = t
        .closing
        .iter()
        .map(|s| ClosingSetView {
            units: s.units.iter().filter_map(unit_ref).collect(),
            credits: s.credits,
            explanation: explain::closing_set(s, f, lang),
        })
        .collect();
    let status = qualifications.iter().find(|p| p.code == q.code.as_str()).map(|p| p.status.clone())?;
    Some(TargetView {
        code: q.code.to_string(),
        title: q.title.get(lang).to_owned(),
        status,
        needs,
        closing_intro: explain::closing_intro(t, q, lang),
        closing,
        search_capped: t.capped,
        capped_note: t.capped.then(|| explain::closing_capped(lang)),
    })
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
    let (ev, ds, mut samples) = db(&state, move |conn| {
        let ev = evaluate_assessment(conn, &st.cache, &org, &id, st.clock.now())?;
        let ds = decisions::list_for_assessment(conn, &id)?;
        let samples = super::eqa::samples_by_decision(conn, &org)?;
        Ok((ev, ds, samples))
    })
    .await?;
    Ok(HttpResponse::Ok().json(AssessmentDetail {
        assessment: AssessmentView::from(&ev.assessment),
        records: ev.current.iter().map(RecordView::try_from).collect::<Result<_, _>>()?,
        decisions: ds
            .iter()
            .map(|d| Ok(DecisionView::try_from(d)?.with_eqa(samples.remove(&d.id))))
            .collect::<Result<_, ApiError>>()?,
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
        Ok(evaluate_candidate(conn, &st.cache, &org, &cand.id, now)?)
    })
    .await
}
