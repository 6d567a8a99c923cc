//! Coaches and development plans: an administrator assigns coaches; a participant (`/api/me/plan`)
//! and their coaches (`/api/participants/{id}/plan`) read and edit the plan. The rules, the audit
//! of coaches' reads and the versions are in `service::plans`.

use actix_web::{HttpRequest, HttpResponse, delete, get, http::header, post, put, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::ApiError;
use super::extract::{AppState, Caller, SignedIn, db};
use super::progress::{LangQuery, ProgressView, choose_lang, progress_view};
use crate::auth::Role;
use crate::engine::Lang;
use crate::i18n::Tr;
use crate::service::plans::{self as svc, Plan, PlanBody, Viewer};
use crate::service::progress::evaluate_candidate;

/// Who does a step.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum WhoDto {
    Participant,
    Coach,
    Partner,
}

/// Where a step stands as people set it. `reached` is not set but computed.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum StepStatusDto {
    Planned,
    Doing,
    Done,
}

/// The kind of support: adult education, an employer's work placement, a study circle, other.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SupportKindDto {
    AdultEducation,
    WorkPlacement,
    StudyCircle,
    Other,
}

/// The support a step involves: its kind and the partner's name.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupportDto {
    pub kind: SupportKindDto,
    pub name: String,
}

/// A unit of the gap report a step works toward, optionally some of its criteria (`UNIT/ID`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitLinkDto {
    pub framework_id: String,
    pub unit: String,
    #[serde(default)]
    pub criteria: Vec<String>,
}

/// A step as written.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepDto {
    /// Keep the id of an existing step; a new step may leave it out.
    pub id: Option<String>,
    pub text: String,
    pub note: Option<String>,
    #[serde(default)]
    pub works_toward: Vec<UnitLinkDto>,
    pub who: WhoDto,
    pub target_date: Option<NaiveDate>,
    pub status: StepStatusDto,
    pub support: Option<SupportDto>,
}

/// A whole plan as written, replacing the version named (0 for the first).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanDto {
    pub version: i64,
    pub goal: String,
    pub steps: Vec<StepDto>,
}

/// "Make a plan from what is left" at the version named.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftDto {
    pub version: i64,
}

fn who(w: WhoDto) -> svc::Who {
    match w {
        WhoDto::Participant => svc::Who::Participant,
        WhoDto::Coach => svc::Who::Coach,
        WhoDto::Partner => svc::Who::Partner,
    }
}

fn kind(k: SupportKindDto) -> svc::SupportKind {
    match k {
        SupportKindDto::AdultEducation => svc::SupportKind::AdultEducation,
        SupportKindDto::WorkPlacement => svc::SupportKind::WorkPlacement,
        SupportKindDto::StudyCircle => svc::SupportKind::StudyCircle,
        SupportKindDto::Other => svc::SupportKind::Other,
    }
}

fn kind_dto(k: svc::SupportKind) -> SupportKindDto {
    match k {
        svc::SupportKind::AdultEducation => SupportKindDto::AdultEducation,
        svc::SupportKind::WorkPlacement => SupportKindDto::WorkPlacement,
        svc::SupportKind::StudyCircle => SupportKindDto::StudyCircle,
        svc::SupportKind::Other => SupportKindDto::Other,
    }
}

impl From<PlanDto> for PlanBody {
    /// The texts are parsed by the use case, which names each bad field.
    fn from(d: PlanDto) -> Self {
        PlanBody {
            goal: d.goal,
            steps: d
                .steps
                .into_iter()
                .map(|s| svc::Step {
                    id: s.id.unwrap_or_default(),
                    text: s.text,
                    note: s.note.unwrap_or_default(),
                    works_toward: s
                        .works_toward
                        .into_iter()
                        .map(|l| svc::UnitLink {
                            framework_id: l.framework_id,
                            unit: l.unit,
                            criteria: l.criteria,
                        })
                        .collect(),
                    who: who(s.who),
                    target_date: s.target_date,
                    status: match s.status {
                        StepStatusDto::Planned => svc::StepStatus::Planned,
                        StepStatusDto::Doing => svc::StepStatus::Doing,
                        StepStatusDto::Done => svc::StepStatus::Done,
                    },
                    support: s.support.map(|x| svc::Support { kind: kind(x.kind), name: x.name }),
                })
                .collect(),
        }
    }
}

/// A linked unit, with its title in the reader's language.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitLinkView {
    pub framework_id: String,
    pub unit: String,
    pub title: Option<String>,
    pub criteria: Vec<String>,
    /// Whether the unit is confirmed for the participant.
    pub confirmed: bool,
}

/// A step as read.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepView {
    pub id: String,
    pub text: String,
    pub note: String,
    pub works_toward: Vec<UnitLinkView>,
    /// `participant`, `coach` or `partner`.
    pub who: String,
    pub target_date: Option<NaiveDate>,
    /// As set: `planned`, `doing` or `done`.
    pub status: String,
    /// Every unit the step works toward is confirmed (computed on each read).
    pub reached: bool,
    /// `reached` if reached, else `status`: what to show.
    pub shown_status: String,
    pub support: Option<SupportDto>,
}

/// A participant's development plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanView {
    pub candidate_id: String,
    pub participant: String,
    /// The participant's language.
    pub language: String,
    /// Name it in the next write (0: nothing saved yet). Also the `ETag`.
    pub version: i64,
    pub goal: String,
    pub steps: Vec<StepView>,
    /// In plain language, in the reader's language: "2 of 5 steps done; 1 unit reached".
    pub progress: String,
    pub steps_done: usize,
    pub steps_total: usize,
    pub units_reached: usize,
    /// The id of the step to do next.
    pub next_step: Option<String>,
    #[serde(serialize_with = "super::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub updated_at: Option<chrono::NaiveDateTime>,
    pub updated_by: Option<String>,
    /// The coaching has ended: the plan no longer changes, and retention deletes it once the
    /// period has passed.
    pub closed: bool,
    #[serde(serialize_with = "super::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<chrono::NaiveDateTime>,
}

fn step_view(plan: &Plan, s: &svc::Step, lang: Lang) -> StepView {
    let reached = plan.reached(s);
    StepView {
        id: s.id.clone(),
        text: s.text.clone(),
        note: s.note.clone(),
        works_toward: s
            .works_toward
            .iter()
            .map(|l| UnitLinkView {
                framework_id: l.framework_id.clone(),
                unit: l.unit.clone(),
                title: plan.unit_title(l, lang),
                criteria: l.criteria.clone(),
                confirmed: plan.confirmed.contains(&(l.framework_id.clone(), l.unit.clone())),
            })
            .collect(),
        who: s.who.as_str().to_owned(),
        target_date: s.target_date,
        status: s.status.as_str().to_owned(),
        reached,
        shown_status: if reached { "reached".to_owned() } else { s.status.as_str().to_owned() },
        support: s.support.as_ref().map(|x| SupportDto { kind: kind_dto(x.kind), name: x.name.clone() }),
    }
}

/// The plan as read in `lang`.
pub fn plan_view(plan: &Plan, lang: Lang) -> PlanView {
    let (steps_done, steps_total, units_reached) = plan.counts();
    PlanView {
        candidate_id: plan.candidate.id.clone(),
        participant: plan.candidate.display_name.clone(),
        language: plan.candidate.language.clone(),
        version: plan.version(),
        goal: plan.body.goal.clone(),
        steps: plan.body.steps.iter().map(|s| step_view(plan, s, lang)).collect(),
        progress: plan.progress_text(Tr::new(lang)),
        steps_done,
        steps_total,
        units_reached,
        next_step: plan.next_step().map(|s| s.id.clone()),
        updated_at: plan.row.as_ref().map(|r| r.updated_at),
        updated_by: plan.row.as_ref().map(|r| r.updated_by.clone()),
        closed: plan.closed_at().is_some(),
        closed_at: plan.closed_at(),
    }
}

/// Whose plan a request is about.
#[derive(Debug, Clone)]
pub enum Subject {
    /// The signed-in participant's own.
    Me { user: String },
    /// Participant `candidate` of coach `coach` in `org`.
    Coached { org: String, coach: String, candidate: String },
}

impl Subject {
    /// Checks the caller's role for this kind of subject.
    pub fn me(caller: &Caller) -> Result<Subject, ApiError> {
        caller.require(&[Role::Candidate])?;
        Ok(Subject::Me { user: caller.user.id.clone() })
    }

    /// A coach's participant.
    pub fn coached(caller: &Caller, candidate: String) -> Result<Subject, ApiError> {
        caller.require(&[Role::Coach])?;
        Ok(Subject::Coached { org: caller.org().to_owned(), coach: caller.user.id.clone(), candidate })
    }

    /// What the use cases take.
    pub fn viewer(&self) -> Viewer<'_> {
        match self {
            Subject::Me { user } => Viewer::Participant { user_id: user },
            Subject::Coached { org, coach, candidate } => {
                Viewer::Coach { org, coach_id: coach, candidate_id: candidate }
            }
        }
    }
}

/// The language of a plan's texts: `?lang=`, then the account's, then `Accept-Language`.
pub(crate) fn reader_lang(caller: &Caller, query: &LangQuery, req: &HttpRequest) -> Lang {
    query
        .lang
        .as_deref()
        .and_then(|l| l.parse().ok())
        .or_else(|| caller.user.language.parse().ok())
        .unwrap_or_else(|| choose_lang(None, req))
}

/// The version `If-Match` names, if sent (`"3"` or `W/"3"`); it must agree with the body.
pub(crate) fn if_match(req: &HttpRequest, body_version: i64) -> Result<i64, ApiError> {
    let Some(v) = req.headers().get(header::IF_MATCH) else { return Ok(body_version) };
    let tag = v.to_str().unwrap_or("").trim().trim_start_matches("W/").trim_matches('"');
    match tag.parse::<i64>() {
        Ok(n) if n == body_version => Ok(n),
        _ => Err(ApiError::Conflict(
            "If-Match does not name the version in the body; reload the plan and apply your change again"
                .into(),
        )),
    }
}

pub(crate) fn with_etag(view: PlanView) -> HttpResponse {
    HttpResponse::Ok().insert_header((header::ETAG, format!("\"{}\"", view.version))).json(view)
}

/// Reads the subject's plan (shared with the pages).
pub async fn read_plan(state: &web::Data<AppState>, subject: Subject) -> Result<Plan, ApiError> {
    let st = state.clone();
    db(state, move |conn| Ok(svc::read(conn, &st.cache, subject.viewer())?)).await
}

/// Saves a new version of the subject's plan (shared with the pages).
pub async fn save_plan(
    state: &web::Data<AppState>,
    subject: Subject,
    author: String,
    version: i64,
    body: PlanBody,
) -> Result<Plan, ApiError> {
    let st = state.clone();
    db(state, move |conn| Ok(svc::save(conn, &st.cache, subject.viewer(), &author, version, body)?)).await
}

/// Drafts steps from what is left (shared with the pages).
pub async fn draft_plan(
    state: &web::Data<AppState>,
    subject: Subject,
    author: String,
    version: i64,
) -> Result<Plan, ApiError> {
    let st = state.clone();
    let now = st.clock.now();
    db(state, move |conn| Ok(svc::draft(conn, &st.cache, subject.viewer(), &author, version, now)?)).await
}

/// Closes or reopens the subject's plan (shared with the pages).
pub async fn close_plan(
    state: &web::Data<AppState>,
    subject: Subject,
    author: String,
    version: i64,
    close: bool,
) -> Result<Plan, ApiError> {
    let st = state.clone();
    db(state, move |conn| Ok(svc::set_closed(conn, &st.cache, subject.viewer(), &author, version, close)?))
        .await
}

/// The plan as its participant prints it, every text in `lang`.
pub fn plan_document(
    plan: &Plan,
    lang: Lang,
    organisation: String,
    today: NaiveDate,
) -> crate::credential::pdf::PlanDocument {
    use crate::credential::pdf::{PlanDocument, PlanStepLine};
    let tr = Tr::new(lang);
    let fact = |label: &str, value: String| format!("{}: {value}", tr.t(label));
    PlanDocument {
        organisation,
        title: tr.t("plan-title"),
        participant: plan.candidate.display_name.clone(),
        printed: tr.t1("plan-pdf-printed", "date", &tr.date(&today)),
        printed_on: today,
        closed: plan.closed_at().map(|t| tr.t1("plan-closed-on", "date", &tr.date(&t.date()))),
        goal_heading: tr.t("plan-goal"),
        goal: if plan.body.goal.is_empty() { tr.t("plan-goal-missing") } else { plan.body.goal.clone() },
        progress_heading: tr.t("plan-progress-heading"),
        progress: plan.progress_text(tr),
        steps_heading: tr.t("plan-steps"),
        no_steps: tr.t("plan-progress-empty"),
        steps: plan
            .body
            .steps
            .iter()
            .map(|s| {
                let status = if plan.reached(s) { "reached" } else { s.status.as_str() };
                let mut details = vec![fact("plan-who", tr.t(&format!("plan-who-{}", s.who.as_str())))];
                if let Some(d) = s.target_date {
                    details.push(fact("plan-target-date", tr.date(&d)));
                }
                if let Some(x) = &s.support {
                    let kind = tr.t(&format!("plan-support-{}", x.kind.as_str()));
                    details.push(fact(
                        "plan-support",
                        if x.name.is_empty() { kind } else { format!("{kind}: {}", x.name) },
                    ));
                }
                if !s.works_toward.is_empty() {
                    let units: Vec<String> = s
                        .works_toward
                        .iter()
                        .map(|l| plan.unit_title(l, lang).unwrap_or_else(|| l.unit.clone()))
                        .collect();
                    details.push(fact("plan-works-toward", units.join(", ")));
                }
                PlanStepLine {
                    text: s.text.clone(),
                    status: tr.t(&format!("plan-status-{status}")),
                    details,
                    note: s.note.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned).collect(),
                }
            })
            .collect(),
    }
}

/// The subject's plan as a PDF in `lang` (shared with the pages).
pub async fn plan_pdf(
    state: &web::Data<AppState>,
    subject: Subject,
    lang: Lang,
) -> Result<HttpResponse, ApiError> {
    let st = state.clone();
    let now = st.clock.now();
    let bytes = db(state, move |conn| {
        let plan = svc::read(conn, &st.cache, subject.viewer())?;
        let org = crate::db::queries::organisations::find_by_id(conn, &plan.candidate.organisation_id)?;
        let today = crate::service::clock::org_today(conn, &org.id, now)?;
        let doc = plan_document(&plan, lang, org.name, today);
        crate::credential::pdf::render_plan(&doc).map_err(ApiError::internal)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(("Content-Disposition", "attachment; filename=\"plan.pdf\""))
        .insert_header(("Cache-Control", "no-store"))
        .body(bytes))
}

/// The signed-in participant's plan as a PDF, in their language (or `?lang=`).
#[utoipa::path(get, path = "/api/me/plan.pdf", tag = "plans", params(LangQuery),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>)), security(("bearer" = [])))]
#[get("/api/me/plan.pdf")]
pub async fn my_plan_pdf(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<LangQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let subject = Subject::me(&caller)?;
    plan_pdf(&state, subject, reader_lang(&caller, &query, &req)).await
}

/// One version of a plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanVersionView {
    pub version: i64,
    pub author_id: String,
    pub author: String,
    #[serde(serialize_with = "super::rfc3339::serialize")]
    pub created_at: chrono::NaiveDateTime,
    pub goal: String,
    pub steps: Vec<StepView>,
}

async fn history(
    state: &web::Data<AppState>,
    subject: Subject,
    lang: Lang,
) -> Result<HttpResponse, ApiError> {
    let st = state.clone();
    // Reached is computed against today's confirmed units, for every version alike.
    let (plan, versions) =
        db(state, move |conn| Ok(svc::history(conn, &st.cache, subject.viewer())?)).await?;
    let out: Vec<PlanVersionView> = versions
        .into_iter()
        .map(|v| PlanVersionView {
            version: v.version,
            author_id: v.author_id,
            author: v.author_name,
            created_at: v.at,
            goal: v.body.goal.clone(),
            steps: v.body.steps.iter().map(|s| step_view(&plan, s, lang)).collect(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(out))
}

/// The signed-in participant's development plan (version 0 and empty before the first save).
#[utoipa::path(get, path = "/api/me/plan", tag = "plans", params(LangQuery),
    responses((status = 200, body = PlanView)), security(("bearer" = [])))]
#[get("/api/me/plan")]
pub async fn my_plan(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<LangQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let subject = Subject::me(&caller)?;
    let lang = reader_lang(&caller, &query, &req);
    Ok(with_etag(plan_view(&read_plan(&state, subject).await?, lang)))
}

/// Replaces the participant's own plan with a new version; a stale `version` is a 409.
#[utoipa::path(put, path = "/api/me/plan", tag = "plans", params(LangQuery), request_body = PlanDto,
    responses((status = 200, body = PlanView), (status = 409, body = super::error::Problem)), security(("bearer" = [])))]
#[put("/api/me/plan")]
pub async fn save_my_plan(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<LangQuery>,
    req: HttpRequest,
    body: web::Json<PlanDto>,
) -> Result<HttpResponse, ApiError> {
    let subject = Subject::me(&caller)?;
    let lang = reader_lang(&caller, &query, &req);
    let body = body.into_inner();
    let version = if_match(&req, body.version)?;
    let plan = save_plan(&state, subject, caller.user.id.clone(), version, body.into()).await?;
    Ok(with_etag(plan_view(&plan, lang)))
}

/// "Make a plan from what is left": one new step per unit of the gap report no step works toward.
#[utoipa::path(post, path = "/api/me/plan/draft", tag = "plans", params(LangQuery), request_body = DraftDto,
    responses((status = 200, body = PlanView), (status = 409, body = super::error::Problem)), security(("bearer" = [])))]
#[post("/api/me/plan/draft")]
pub async fn draft_my_plan(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<LangQuery>,
    req: HttpRequest,
    body: web::Json<DraftDto>,
) -> Result<HttpResponse, ApiError> {
    let subject = Subject::me(&caller)?;
    let lang = reader_lang(&caller, &query, &req);
    let version = if_match(&req, body.version)?;
    let plan = draft_plan(&state, subject, caller.user.id.clone(), version).await?;
    Ok(with_etag(plan_view(&plan, lang)))
}

/// Every version of the participant's own plan, newest first.
#[utoipa::path(get, path = "/api/me/plan/history", tag = "plans", params(LangQuery),
    responses((status = 200, body = [PlanVersionView])), security(("bearer" = [])))]
#[get("/api/me/plan/history")]
pub async fn my_plan_history(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<LangQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let subject = Subject::me(&caller)?;
    history(&state, subject, reader_lang(&caller, &query, &req)).await
}

/// A participant a coach works with.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantView {
    pub id: String,
    pub display_name: String,
    pub language: String,
}

/// The signed-in coach's participants.
#[utoipa::path(get, path = "/api/participants", tag = "plans",
    responses((status = 200, body = [ParticipantView])), security(("bearer" = [])))]
#[get("/api/participants")]
pub async fn participants(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Coach])?;
    let (org, coach) = (caller.org().to_owned(), caller.user.id.clone());
    let rows = db(&state, move |conn| Ok(svc::participants(conn, &org, &coach)?)).await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(|c| ParticipantView { id: c.id, display_name: c.display_name, language: c.language })
            .collect::<Vec<_>>(),
    ))
}

/// A participant's progress and gap report in each assessment (no evidence files).
#[utoipa::path(get, path = "/api/participants/{id}/progress", tag = "plans", params(LangQuery),
    responses((status = 200, body = [ProgressView]), (status = 404)), security(("bearer" = [])))]
#[get("/api/participants/{id}/progress")]
pub async fn participant_progress(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: web::Query<LangQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let subject = Subject::coached(&caller, id.into_inner())?;
    let lang = reader_lang(&caller, &query, &req);
    let evs = participant_evaluations(&state, subject).await?;
    Ok(HttpResponse::Ok().json(evs.iter().map(|e| progress_view(e, lang)).collect::<Vec<_>>()))
}

/// The evaluations of every assessment of a coach's participant (shared with the pages).
pub async fn participant_evaluations(
    state: &web::Data<AppState>,
    subject: Subject,
) -> Result<Vec<crate::service::progress::Evaluation>, ApiError> {
    let st = state.clone();
    let now = st.clock.now();
    db(state, move |conn| {
        let cand = svc::participant(conn, subject.viewer())?;
        Ok(evaluate_candidate(conn, &st.cache, &cand.organisation_id, &cand.id, now)?)
    })
    .await
}

/// A participant's plan, for their coach; every read is in the audit trail.
#[utoipa::path(get, path = "/api/participants/{id}/plan", tag = "plans", params(LangQuery),
    responses((status = 200, body = PlanView), (status = 404)), security(("bearer" = [])))]
#[get("/api/participants/{id}/plan")]
pub async fn participant_plan(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: web::Query<LangQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let subject = Subject::coached(&caller, id.into_inner())?;
    let lang = reader_lang(&caller, &query, &req);
    Ok(with_etag(plan_view(&read_plan(&state, subject).await?, lang)))
}

/// Replaces a participant's plan with a new version, by their coach.
#[utoipa::path(put, path = "/api/participants/{id}/plan", tag = "plans", params(LangQuery), request_body = PlanDto,
    responses((status = 200, body = PlanView), (status = 404), (status = 409, body = super::error::Problem)), security(("bearer" = [])))]
#[put("/api/participants/{id}/plan")]
pub async fn save_participant_plan(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: web::Query<LangQuery>,
    req: HttpRequest,
    body: web::Json<PlanDto>,
) -> Result<HttpResponse, ApiError> {
    let subject = Subject::coached(&caller, id.into_inner())?;
    let lang = reader_lang(&caller, &query, &req);
    let body = body.into_inner();
    let version = if_match(&req, body.version)?;
    let plan = save_plan(&state, subject, caller.user.id.clone(), version, body.into()).await?;
    Ok(with_etag(plan_view(&plan, lang)))
}

/// "Make a plan from what is left" for a participant, by their coach.
#[utoipa::path(post, path = "/api/participants/{id}/plan/draft", tag = "plans", params(LangQuery), request_body = DraftDto,
    responses((status = 200, body = PlanView), (status = 404), (status = 409, body = super::error::Problem)), security(("bearer" = [])))]
#[post("/api/participants/{id}/plan/draft")]
pub async fn draft_participant_plan(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: web::Query<LangQuery>,
    req: HttpRequest,
    body: web::Json<DraftDto>,
) -> Result<HttpResponse, ApiError> {
    let subject = Subject::coached(&caller, id.into_inner())?;
    let lang = reader_lang(&caller, &query, &req);
    let version = if_match(&req, body.version)?;
    let plan = draft_plan(&state, subject, caller.user.id.clone(), version).await?;
    Ok(with_etag(plan_view(&plan, lang)))
}

/// Every version of a participant's plan, newest first, for their coach (audited).
#[utoipa::path(get, path = "/api/participants/{id}/plan/history", tag = "plans", params(LangQuery),
    responses((status = 200, body = [PlanVersionView]), (status = 404)), security(("bearer" = [])))]
#[get("/api/participants/{id}/plan/history")]
pub async fn participant_plan_history(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: web::Query<LangQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let subject = Subject::coached(&caller, id.into_inner())?;
    history(&state, subject, reader_lang(&caller, &query, &req)).await
}

/// Closes a participant's plan when the coaching ends, by their coach: it no longer changes,
/// and `validera retention run` deletes it with its versions once the retention period passed.
#[utoipa::path(post, path = "/api/participants/{id}/plan/close", tag = "plans", params(LangQuery), request_body = DraftDto,
    responses((status = 200, body = PlanView), (status = 404), (status = 409, body = super::error::Problem)), security(("bearer" = [])))]
#[post("/api/participants/{id}/plan/close")]
pub async fn close_participant_plan(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: web::Query<LangQuery>,
    req: HttpRequest,
    body: web::Json<DraftDto>,
) -> Result<HttpResponse, ApiError> {
    let subject = Subject::coached(&caller, id.into_inner())?;
    let lang = reader_lang(&caller, &query, &req);
    let version = if_match(&req, body.version)?;
    let plan = close_plan(&state, subject, caller.user.id.clone(), version, true).await?;
    Ok(with_etag(plan_view(&plan, lang)))
}

/// Reopens a closed plan, by the participant's coach.
#[utoipa::path(post, path = "/api/participants/{id}/plan/reopen", tag = "plans", params(LangQuery), request_body = DraftDto,
    responses((status = 200, body = PlanView), (status = 404), (status = 409, body = super::error::Problem)), security(("bearer" = [])))]
#[post("/api/participants/{id}/plan/reopen")]
pub async fn reopen_participant_plan(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: web::Query<LangQuery>,
    req: HttpRequest,
    body: web::Json<DraftDto>,
) -> Result<HttpResponse, ApiError> {
    let subject = Subject::coached(&caller, id.into_inner())?;
    let lang = reader_lang(&caller, &query, &req);
    let version = if_match(&req, body.version)?;
    let plan = close_plan(&state, subject, caller.user.id.clone(), version, false).await?;
    Ok(with_etag(plan_view(&plan, lang)))
}

/// A coach of a candidate.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoachView {
    pub coach_id: String,
    pub display_name: String,
    pub email: String,
    pub assigned_by: String,
    #[serde(serialize_with = "super::rfc3339::serialize")]
    pub assigned_at: chrono::NaiveDateTime,
}

impl From<svc::CoachOf> for CoachView {
    fn from(c: svc::CoachOf) -> Self {
        CoachView {
            coach_id: c.assignment.coach_id,
            display_name: c.display_name,
            email: c.email,
            assigned_by: c.assignment.assigned_by,
            assigned_at: c.assignment.created_at,
        }
    }
}

/// A coach to assign: a user of the organisation with the coach role.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCoach {
    pub coach_id: String,
}

/// The coaches working with a candidate (administrators).
#[utoipa::path(get, path = "/api/candidates/{id}/coaches", tag = "plans",
    responses((status = 200, body = [CoachView]), (status = 404)), security(("bearer" = [])))]
#[get("/api/candidates/{id}/coaches")]
pub async fn coaches(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Admin])?;
    let org = caller.org().to_owned();
    let rows = db(&state, move |conn| Ok(svc::coaches(conn, &org, &id)?)).await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(CoachView::from).collect::<Vec<_>>()))
}

/// Assigns a coach to a candidate (administrators); recorded in the audit trail.
#[utoipa::path(post, path = "/api/candidates/{id}/coaches", tag = "plans", request_body = NewCoach,
    responses((status = 201, body = CoachView), (status = 404), (status = 409, body = super::error::Problem)), security(("bearer" = [])))]
#[post("/api/candidates/{id}/coaches")]
pub async fn assign(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<NewCoach>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Admin])?;
    let (org, admin, coach) = (caller.org().to_owned(), caller.user.id.clone(), body.into_inner().coach_id);
    let view = db(&state, move |conn| {
        svc::assign(conn, &org, &admin, &id, &coach)?;
        let c = svc::coaches(conn, &org, &id)?.into_iter().find(|c| c.assignment.coach_id == coach);
        c.map(CoachView::from).ok_or(ApiError::NotFound)
    })
    .await?;
    Ok(HttpResponse::Created().json(view))
}

/// Ends a coach's work with a candidate (administrators); recorded in the audit trail.
#[utoipa::path(delete, path = "/api/candidates/{id}/coaches/{coach_id}", tag = "plans",
    responses((status = 204), (status = 404)), security(("bearer" = [])))]
#[delete("/api/candidates/{id}/coaches/{coach_id}")]
pub async fn unassign(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Admin])?;
    let (org, admin) = (caller.org().to_owned(), caller.user.id.clone());
    let (id, coach) = path.into_inner();
    db(&state, move |conn| Ok(svc::unassign(conn, &org, &admin, &id, &coach)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A coach's proposal to work with a participant, as its proposer and the participant see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationView {
    pub id: String,
    pub coach_id: String,
    pub candidate_id: String,
    /// `pending`, `accepted` or `declined`.
    pub status: String,
    #[serde(serialize_with = "super::rfc3339::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: chrono::NaiveDateTime,
    #[serde(serialize_with = "super::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub answered_at: Option<chrono::NaiveDateTime>,
}

impl From<crate::db::models::CoachInvitation> for InvitationView {
    fn from(r: crate::db::models::CoachInvitation) -> Self {
        InvitationView {
            id: r.id,
            coach_id: r.coach_id,
            candidate_id: r.candidate_id,
            status: r.status,
            created_at: r.created_at,
            answered_at: r.answered_at,
        }
    }
}

/// An invitation waiting for the participant's answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyInvitationView {
    pub id: String,
    pub coach_id: String,
    pub coach_name: String,
    /// An administrator proposed on the coach's behalf.
    pub proposed_by_admin: bool,
    #[serde(serialize_with = "super::rfc3339::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: chrono::NaiveDateTime,
}

/// Proposes that a coach works with a candidate: a coach proposes themselves, an administrator
/// any coach of the organisation. The coach sees nothing of the candidate until they accept.
#[utoipa::path(post, path = "/api/candidates/{id}/coach-invitations", tag = "plans", request_body = NewCoach,
    responses((status = 201, body = InvitationView), (status = 404), (status = 409, body = super::error::Problem)), security(("bearer" = [])))]
#[post("/api/candidates/{id}/coach-invitations")]
pub async fn invite(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<NewCoach>,
) -> Result<HttpResponse, ApiError> {
    use crate::service::invitations::{self as inv, Proposer};
    caller.require(&[Role::Coach, Role::Admin])?;
    let (org, actor, coach) = (caller.org().to_owned(), caller.user.id.clone(), body.into_inner().coach_id);
    let as_admin = caller.roles.has(Role::Admin);
    let row = db(&state, move |conn| {
        let by = if as_admin { Proposer::Admin { id: &actor } } else { Proposer::Coach { id: &actor } };
        Ok(inv::propose(conn, &org, by, &id, &coach)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(InvitationView::from(row)))
}

/// The coaches' invitations waiting for the signed-in participant's answer.
#[utoipa::path(get, path = "/api/me/coach-invitations", tag = "plans",
    responses((status = 200, body = [MyInvitationView])), security(("bearer" = [])))]
#[get("/api/me/coach-invitations")]
pub async fn my_invitations(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let rows = pending_invitations(&state, &caller).await?;
    Ok(HttpResponse::Ok().json(rows))
}

/// The participant's pending invitations (shared with the pages).
pub async fn pending_invitations(
    state: &web::Data<AppState>,
    caller: &SignedIn,
) -> Result<Vec<MyInvitationView>, ApiError> {
    caller.require(&[Role::Candidate])?;
    let user = caller.user.id.clone();
    let rows = db(state, move |conn| Ok(crate::service::invitations::pending(conn, &user)?)).await?;
    Ok(rows
        .into_iter()
        .map(|i| MyInvitationView {
            id: i.row.id,
            coach_id: i.row.coach_id,
            coach_name: i.coach_name,
            proposed_by_admin: i.proposed_by_admin,
            created_at: i.row.created_at,
        })
        .collect())
}

/// The participant answers an invitation (shared with the pages).
pub async fn answer_invitation(
    state: &web::Data<AppState>,
    caller: &SignedIn,
    id: String,
    answer: crate::service::invitations::Answer,
) -> Result<InvitationView, ApiError> {
    caller.require(&[Role::Candidate])?;
    let user = caller.user.id.clone();
    let row =
        db(state, move |conn| Ok(crate::service::invitations::answer(conn, &user, &id, answer)?)).await?;
    Ok(InvitationView::from(row))
}

/// Accepts a coach's invitation: the coach then works with the participant. A second answer is
/// a 409.
#[utoipa::path(post, path = "/api/me/coach-invitations/{id}/accept", tag = "plans",
    responses((status = 200, body = InvitationView), (status = 404), (status = 409, body = super::error::Problem)), security(("bearer" = [])))]
#[post("/api/me/coach-invitations/{id}/accept")]
pub async fn accept_invitation(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let view =
        answer_invitation(&state, &caller, id.into_inner(), crate::service::invitations::Answer::Accept)
            .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Declines a coach's invitation; the coach is told nothing more. A second answer is a 409.
#[utoipa::path(post, path = "/api/me/coach-invitations/{id}/decline", tag = "plans",
    responses((status = 200, body = InvitationView), (status = 404), (status = 409, body = super::error::Problem)), security(("bearer" = [])))]
#[post("/api/me/coach-invitations/{id}/decline")]
pub async fn decline_invitation(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let view =
        answer_invitation(&state, &caller, id.into_inner(), crate::service::invitations::Answer::Decline)
            .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// The signed-in participant's coaches (shared with the pages).
pub async fn read_my_coaches(
    state: &web::Data<AppState>,
    caller: &SignedIn,
) -> Result<Vec<CoachView>, ApiError> {
    caller.require(&[Role::Candidate])?;
    let user = caller.user.id.clone();
    let rows = db(state, move |conn| Ok(crate::service::invitations::my_coaches(conn, &user)?)).await?;
    Ok(rows.into_iter().map(CoachView::from).collect())
}

/// The coaches working with the signed-in participant.
#[utoipa::path(get, path = "/api/me/coaches", tag = "plans",
    responses((status = 200, body = [CoachView])), security(("bearer" = [])))]
#[get("/api/me/coaches")]
pub async fn my_coaches(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(read_my_coaches(&state, &caller).await?))
}

/// The participant ends a coach's access (shared with the pages).
pub async fn end_coach_access(
    state: &web::Data<AppState>,
    caller: &SignedIn,
    coach: String,
) -> Result<(), ApiError> {
    caller.require(&[Role::Candidate])?;
    let user = caller.user.id.clone();
    db(state, move |conn| Ok(crate::service::invitations::end_access(conn, &user, &coach)?)).await
}

/// The participant ends a coach's access to their plan and progress; recorded in the audit
/// trail. A coach who does not work with them is a 404.
#[utoipa::path(delete, path = "/api/me/coaches/{coach_id}", tag = "plans",
    responses((status = 204), (status = 404)), security(("bearer" = [])))]
#[delete("/api/me/coaches/{coach_id}")]
pub async fn end_my_coach(
    state: web::Data<AppState>,
    caller: Caller,
    coach_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    end_coach_access(&state, &caller, coach_id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A coach the participant may choose.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoachChoiceView {
    pub coach_id: String,
    pub display_name: String,
}

/// The coaches the participant may choose (shared with the pages).
pub async fn read_coach_choices(
    state: &web::Data<AppState>,
    caller: &SignedIn,
) -> Result<Vec<CoachChoiceView>, ApiError> {
    caller.require(&[Role::Candidate])?;
    let user = caller.user.id.clone();
    let rows = db(state, move |conn| Ok(crate::service::invitations::choices(conn, &user)?)).await?;
    Ok(rows
        .into_iter()
        .map(|c| CoachChoiceView { coach_id: c.coach_id, display_name: c.display_name })
        .collect())
}

/// The participant chooses a coach (shared with the pages).
pub async fn choose_coach(
    state: &web::Data<AppState>,
    caller: &SignedIn,
    coach: String,
) -> Result<(), ApiError> {
    caller.require(&[Role::Candidate])?;
    let user = caller.user.id.clone();
    db(state, move |conn| Ok(crate::service::invitations::choose(conn, &user, &coach)?)).await?;
    Ok(())
}

/// The active coaches of the participant's organisation who do not work with them yet: the
/// short list they may choose from.
#[utoipa::path(get, path = "/api/me/coach-choices", tag = "plans",
    responses((status = 200, body = [CoachChoiceView])), security(("bearer" = [])))]
#[get("/api/me/coach-choices")]
pub async fn my_coach_choices(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(read_coach_choices(&state, &caller).await?))
}

/// The participant chooses a coach of their organisation, who then works with them (their asking
/// is their consent); recorded in the audit trail. 422 for anyone who is not an active coach
/// of the organisation, 409 `duplicate` for a coach who already works with them.
#[utoipa::path(post, path = "/api/me/coaches", tag = "plans", request_body = NewCoach,
    responses((status = 201, body = CoachView), (status = 409, body = super::error::Problem)), security(("bearer" = [])))]
#[post("/api/me/coaches")]
pub async fn choose_my_coach(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<NewCoach>,
) -> Result<HttpResponse, ApiError> {
    let coach = body.into_inner().coach_id;
    choose_coach(&state, &caller, coach.clone()).await?;
    let view = read_my_coaches(&state, &caller).await?.into_iter().find(|c| c.coach_id == coach);
    Ok(HttpResponse::Created().json(view.ok_or(ApiError::NotFound)?))
}
