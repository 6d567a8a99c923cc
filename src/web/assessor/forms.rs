//! The record forms: mapping notes with the candidate's self-assessment, a theory test, the
//! practical-observation checklist of one unit, and prior-learning evidence with a file.
//!
//! Each form builds the same `RecordDto` the JSON API takes and turns it into a `RecordInput`
//! with the same conversion, then calls `service::records::add`. What the conversion or the
//! service refuses comes back next to the field, in the page's language.

use std::collections::HashMap;
use std::sync::Arc;

use actix_multipart::form::{MultipartForm, bytes::Bytes, text::Text};
use actix_web::{get, post, web};
use askama::Template;
use chrono::NaiveDate;

use super::ASSESSOR;
use crate::db::models::Assessment;
use crate::db::queries::{assessments, candidates};
use crate::engine::Framework;
use crate::engine::framework::{EvidenceKind, Method};
use crate::engine::ids::UnitCode;
use crate::engine::records::{Confidence, JudgementReasons};
use crate::http::error::ApiError;
use crate::http::extract::{AppState, db};
use crate::http::records::{
    EvidenceDto, JudgementReasonsDto, MappingNoteDto, ObservationDto, ObservedItemDto, RecordDto,
    SelfAssessmentDto, TheoryTestDto,
};
use crate::i18n::Tr;
use crate::service::FieldProblem;
use crate::service::records::{self as svc, RecordInput, Upload};
use crate::web::page::{FieldErrors, Page, WebError, WebResult, form_status, redirect, render_status};
use crate::web::session::Session;

/// Registers the record forms.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(mapping_form)
        .service(add_mapping)
        .service(theory_form)
        .service(add_theory)
        .service(observation_form)
        .service(add_observation)
        .service(evidence_form)
        .service(add_evidence);
}

/// The assessment a form records for, with its framework and the candidate's name.
struct Ctx {
    assessment: Assessment,
    framework: Arc<Framework>,
    candidate: String,
    /// The organisation's local date: the forms' default and the latest date they take.
    today: String,
}

async fn context(state: &web::Data<AppState>, s: &Session, id: &str) -> Result<Ctx, WebError> {
    s.require(ASSESSOR)?;
    let (org, id, st) = (s.org().to_owned(), id.to_owned(), state.clone());
    Ok(db(state, move |conn| {
        let assessment = assessments::find_in_org(conn, &org, &id)?;
        let framework = st.cache.get(conn, &assessment.framework_id, &assessment.framework_version)?;
        let candidate = candidates::find_in_org(conn, &org, &assessment.candidate_id)?.display_name;
        let today = crate::service::clock::org_today(conn, &org, st.clock.now())?.to_string();
        Ok(Ctx { assessment, framework, candidate, today })
    })
    .await?)
}

/// A criterion as a choice on a form.
pub struct CriterionChoice {
    id: String,
    text: String,
    checked: bool,
}

/// A unit's criteria as a group of choices.
pub struct UnitChoice {
    code: String,
    title: String,
    criteria: Vec<CriterionChoice>,
}

fn unit_choices(f: &Framework, tr: Tr, checked: &[String]) -> Vec<UnitChoice> {
    f.units
        .iter()
        .map(|u| UnitChoice {
            code: u.code.to_string(),
            title: u.title.get(tr.lang).to_owned(),
            criteria: u
                .criteria()
                .map(|c| {
                    let id = u.criterion_ref(c).to_string();
                    CriterionChoice {
                        checked: checked.contains(&id),
                        text: c.text.get(tr.lang).to_owned(),
                        id,
                    }
                })
                .collect(),
        })
        .collect()
}

/// The page's title: what is recorded, for whom.
fn title(s: &Session, ctx: &Ctx, id: &str) -> Page {
    let tr = s.tr();
    s.page_titled(tr.t1(id, "name", &ctx.candidate))
}

/// Puts the conversion's and the service's problems next to the form's fields.
fn problems_to_errors(tr: Tr, problems: Vec<FieldProblem>, errors: &mut FieldErrors) {
    for p in problems {
        let f = p.field.as_str();
        if let Some(text) = crate::web::input_message(tr, &p) {
            // Nested paths (`items[0].comment`) are shown at the list they belong to.
            let field = f.split(['[', '.']).next().unwrap_or(f);
            let field = if field == "evidence_kind" { "kind" } else { field };
            errors.entry(field.to_owned()).or_insert(text);
            continue;
        }
        let (field, id) = if f == "date" {
            ("date", "assessor-error-date-future")
        } else if f == "issued_on" {
            ("issued_on", "assessor-error-issued-future")
        } else if f == "title" {
            ("title", "assessor-error-required")
        } else if f == "score" {
            ("score", "assessor-error-score-above-max")
        } else if f == "test" {
            ("test", "assessor-error-unknown-test")
        } else if f == "pass_mark" {
            ("pass_mark", "assessor-error-pass-mark-zero")
        } else if p.code == Some("covered-by-defined-test") {
            ("criteria", "assessor-error-covered-by-test")
        } else if f == "criteria" {
            ("criteria", "assessor-error-no-criteria")
        } else if f.starts_with("criteria[") {
            ("criteria", "assessor-error-unknown-criterion")
        } else if f == "items" {
            ("items", "assessor-error-no-answers")
        } else if f.starts_with("items[") {
            ("items", "assessor-error-unknown-criterion")
        } else if f == "evidence_kind" {
            ("kind", "assessor-error-kind")
        } else if f.starts_with("self_assessment") {
            ("self_assessment", "assessor-error-unit")
        } else {
            ("form", "assessor-error-other")
        };
        errors.entry(field.to_owned()).or_insert_with(|| tr.t(id));
    }
}

/// Saves `dto` (and `upload`, to the same evidence record, in the same transaction) as a new
/// record of the assessment: the record's id if it drew warnings, or the problems if it is refused.
async fn save(
    state: &web::Data<AppState>,
    s: &Session,
    assessment: &str,
    dto: RecordDto,
    upload: Option<Upload>,
) -> Result<Result<Option<String>, Vec<FieldProblem>>, WebError> {
    let input = match RecordInput::try_from(&dto) {
        Ok(i) => i,
        Err(ApiError::Validation(p)) => return Ok(Err(p)),
        Err(e) => return Err(e.into()),
    };
    let (org, author, st, id) =
        (s.org().to_owned(), s.who.user.id.clone(), state.clone(), assessment.to_owned());
    let now = state.clock.now();
    let result = db(state, move |conn| {
        Ok(crate::db::write(conn, |conn| {
            let added = svc::add(conn, &st.cache, &org, &id, &author, &input, now)?;
            if let Some(upload) = upload {
                svc::attach_file(conn, &org, &added.revision.record_id, &author, upload)?;
            }
            Ok(added)
        }))
    })
    .await?;
    match result {
        Ok(added) => {
            let rev = &added.revision;
            tracing::info!(assessment_id = %rev.assessment_id, record_id = %rev.record_id, kind = %rev.kind,
                warnings = added.warnings.len(), "record added on the pages");
            Ok(Ok((!added.warnings.is_empty()).then(|| rev.record_id.clone())))
        }
        Err(crate::service::ServiceError::Invalid(p)) => Ok(Err(p)),
        Err(e) => Err(e.into()),
    }
}

/// Parses a date field; an error next to it if it is empty or not a date.
fn date(tr: Tr, field: &str, value: &str, errors: &mut FieldErrors) -> Option<NaiveDate> {
    match value.trim().parse::<NaiveDate>() {
        Ok(d) => Some(d),
        Err(_) => {
            let id = if value.trim().is_empty() { "assessor-error-required" } else { "assessor-error-date" };
            errors.insert(field.to_owned(), tr.t(id));
            None
        }
    }
}

/// Back to the assessment; `warned` names the record just added if it drew warnings, which
/// the assessment page then shows.
fn done(id: &str, what: &str, warned: Option<&str>) -> WebResult {
    let warned = warned.map(|r| format!("&warned={r}")).unwrap_or_default();
    Ok(redirect(&format!("/assessor/assessments/{id}?done=assessor-{what}-saved{warned}")))
}

/// Fields of a url-encoded form, in order; a name may repeat (checkboxes).
struct Fields(Vec<(String, String)>);

impl Fields {
    fn one(&self, name: &str) -> String {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Mapping notes and the candidate's self-assessment

/// One unit on the self-assessment.
pub struct SelfRow {
    code: String,
    title: String,
    value: String,
}

#[derive(Template)]
#[template(path = "assessor/mapping.html", config = "src/web/askama.toml")]
struct Mapping {
    page: Page,
    id: String,
    date: String,
    notes: String,
    units: Vec<SelfRow>,
    confidences: Vec<(String, String)>,
    errors: FieldErrors,
    today: String,
}

fn mapping_page(s: &Session, ctx: &Ctx, f: &Fields, errors: FieldErrors) -> WebResult {
    let tr = s.tr();
    let units = ctx
        .framework
        .units
        .iter()
        .map(|u| SelfRow {
            code: u.code.to_string(),
            title: u.title.get(tr.lang).to_owned(),
            value: f.one(&format!("self-{}", u.code)),
        })
        .collect();
    let confidences = ["confident", "partly", "not-yet"]
        .into_iter()
        .map(|c| (c.to_owned(), tr.t(&format!("assessor-confidence-{c}"))))
        .collect();
    render_status(
        form_status(&errors),
        &Mapping {
            page: title(s, ctx, "assessor-mapping-title"),
            id: ctx.assessment.id.clone(),
            date: f.one("date"),
            notes: f.one("notes"),
            units,
            confidences,
            errors,
            today: ctx.today.clone(),
        },
    )
}

/// The mapping form.
#[get("/assessor/assessments/{id}/mapping")]
pub async fn mapping_form(state: web::Data<AppState>, s: Session, id: web::Path<String>) -> WebResult {
    let ctx = context(&state, &s, &id).await?;
    mapping_page(&s, &ctx, &Fields(vec![("date".into(), ctx.today.clone())]), FieldErrors::new())
}

/// Saves mapping notes and the self-assessment.
#[post("/assessor/assessments/{id}/mapping")]
pub async fn add_mapping(
    state: web::Data<AppState>,
    s: Session,
    id: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> WebResult {
    let f = Fields(form.into_inner());
    s.check_csrf(&f.one("csrf"))?;
    let ctx = context(&state, &s, &id).await?;
    let tr = s.tr();
    let mut errors = FieldErrors::new();
    let d = date(tr, "date", &f.one("date"), &mut errors);
    let notes = f.one("notes");
    if notes.trim().is_empty() {
        errors.insert("notes".into(), tr.t("assessor-error-required"));
    }
    let self_assessment = ctx
        .framework
        .units
        .iter()
        .filter_map(|u| {
            let c = f.one(&format!("self-{}", u.code));
            c.parse::<Confidence>()
                .ok()
                .map(|_| SelfAssessmentDto { unit: u.code.to_string(), confidence: c })
        })
        .collect();
    if let (Some(date), true) = (d, errors.is_empty()) {
        let dto = RecordDto::Mapping(MappingNoteDto { date, notes, self_assessment });
        match save(&state, &s, &id, dto, None).await? {
            Ok(warned) => return done(&id, "mapping", warned.as_deref()),
            Err(p) => problems_to_errors(tr, p, &mut errors),
        }
    }
    mapping_page(&s, &ctx, &f, errors)
}

// ---------------------------------------------------------------------------------------------
// Theory test

/// One of the framework's theory tests as a choice, with the points it needs.
pub struct TestChoice {
    id: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "assessor/theory.html", config = "src/web/askama.toml")]
struct Theory {
    page: Page,
    id: String,
    date: String,
    /// The framework's tests; empty if it defines none, and then only an ad-hoc test is asked for.
    tests: Vec<TestChoice>,
    title: String,
    score: String,
    max: String,
    pass_mark: String,
    /// The criteria an ad-hoc test may name: those no defined test covers.
    units: Vec<UnitChoice>,
    errors: FieldErrors,
    today: String,
}

fn theory_page(s: &Session, ctx: &Ctx, f: &Fields, errors: FieldErrors) -> WebResult {
    let tr = s.tr();
    let chosen = f.one("test");
    let tests = ctx
        .framework
        .theory_tests
        .iter()
        .map(|t| TestChoice {
            id: t.id.to_string(),
            label: tr.ta(
                "assessor-theory-test-choice",
                &[
                    ("title", t.title.get(tr.lang).into()),
                    ("max", t.max_score.into()),
                    ("pass-mark", t.pass_mark().into()),
                    ("percent", u32::from(t.pass_percent.get()).into()),
                ],
            ),
            selected: chosen == t.id.as_str(),
        })
        .collect();
    let mut units = unit_choices(&ctx.framework, tr, &f.all("criteria"));
    for u in &mut units {
        u.criteria
            .retain(|c| c.id.parse().map_or(true, |r| ctx.framework.theory_test_covering(&r).is_none()));
    }
    units.retain(|u| !u.criteria.is_empty());
    render_status(
        form_status(&errors),
        &Theory {
            page: title(s, ctx, "assessor-theory-title"),
            id: ctx.assessment.id.clone(),
            date: f.one("date"),
            tests,
            title: f.one("title"),
            score: f.one("score"),
            max: f.one("max"),
            pass_mark: f.one("pass_mark"),
            units,
            errors,
            today: ctx.today.clone(),
        },
    )
}

/// The theory-test form.
#[get("/assessor/assessments/{id}/theory")]
pub async fn theory_form(state: web::Data<AppState>, s: Session, id: web::Path<String>) -> WebResult {
    let ctx = context(&state, &s, &id).await?;
    theory_page(&s, &ctx, &Fields(vec![("date".into(), ctx.today.clone())]), FieldErrors::new())
}

/// Records a theory test result: a score on one of the framework's tests, or an ad-hoc test.
#[post("/assessor/assessments/{id}/theory")]
pub async fn add_theory(
    state: web::Data<AppState>,
    s: Session,
    id: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> WebResult {
    let f = Fields(form.into_inner());
    s.check_csrf(&f.one("csrf"))?;
    let ctx = context(&state, &s, &id).await?;
    let tr = s.tr();
    let mut errors = FieldErrors::new();
    let d = date(tr, "date", &f.one("date"), &mut errors);
    let mut number = |field: &str| match f.one(field).trim().parse::<u32>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.insert(field.to_owned(), tr.t("assessor-error-number"));
            None
        }
    };
    let test = Some(f.one("test")).filter(|t| !t.trim().is_empty());
    let score = number("score");
    let dto = if let Some(test) = test {
        // The ad-hoc fields belong to a test the framework does not define.
        for field in ["title", "max", "pass_mark", "criteria"] {
            if f.all(field).iter().any(|v| !v.trim().is_empty()) {
                errors.insert(field.to_owned(), tr.t("assessor-error-not-for-defined-test"));
            }
        }
        score.map(|score| TheoryTestDto {
            date: d.unwrap_or_default(),
            test: Some(test),
            score,
            title: None,
            max: None,
            pass_mark: None,
            pass_percent: None,
            criteria: None,
        })
    } else {
        let (max, pass_mark) = (number("max"), number("pass_mark"));
        if let (Some(score), Some(max), Some(pass_mark)) = (score, max, pass_mark) {
            if max == 0 {
                errors.insert("max".into(), tr.t("assessor-error-max-zero"));
            } else if score > max {
                errors.insert("score".into(), tr.t("assessor-error-score-above-max"));
            } else if pass_mark > max {
                errors.insert("pass_mark".into(), tr.t("assessor-error-pass-mark-above-max"));
            } else if pass_mark == 0 {
                errors.insert("pass_mark".into(), tr.t("assessor-error-pass-mark-zero"));
            }
        }
        let criteria = f.all("criteria");
        if criteria.is_empty() {
            errors.insert("criteria".into(), tr.t("assessor-error-no-criteria"));
        }
        if f.one("title").trim().is_empty() {
            errors.insert("title".into(), tr.t("assessor-error-required"));
        }
        match (score, max, pass_mark) {
            (Some(score), Some(max), Some(pass_mark)) => Some(TheoryTestDto {
                date: d.unwrap_or_default(),
                test: None,
                score,
                title: Some(f.one("title").trim().to_owned()),
                max: Some(max),
                pass_mark: Some(pass_mark),
                pass_percent: None,
                criteria: Some(criteria),
            }),
            _ => None,
        }
    };
    if let (Some(_), Some(dto), true) = (d, dto, errors.is_empty()) {
        match save(&state, &s, &id, RecordDto::Theory(dto), None).await? {
            Ok(warned) => return done(&id, "theory", warned.as_deref()),
            Err(p) => problems_to_errors(tr, p, &mut errors),
        }
    }
    theory_page(&s, &ctx, &f, errors)
}

// ---------------------------------------------------------------------------------------------
// Practical observation of one unit

/// A criterion on the checklist with the answer given so far.
pub struct CheckRow {
    id: String,
    /// The criterion id for element ids (`DBS-01-1-1`).
    slug: String,
    text: String,
    met: String,
    comment: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "assessor/observation.html", config = "src/web/askama.toml")]
struct Observation {
    page: Page,
    id: String,
    unit: String,
    unit_title: String,
    date: String,
    context: String,
    rows: Vec<CheckRow>,
    errors: FieldErrors,
    today: String,
}

fn observation_page(s: &Session, ctx: &Ctx, unit: &UnitCode, f: &Fields, errors: FieldErrors) -> WebResult {
    let tr = s.tr();
    let u = ctx.framework.unit(unit).ok_or(ApiError::NotFound)?;
    let rows = u
        .criteria()
        .map(|c| {
            let id = u.criterion_ref(c).to_string();
            CheckRow {
                slug: id.replace(['/', '.'], "-"),
                text: c.text.get(tr.lang).to_owned(),
                met: f.one(&format!("met-{id}")),
                comment: f.one(&format!("comment-{id}")),
                error: errors.get(&format!("met-{id}")).cloned(),
                id,
            }
        })
        .collect();
    let status = form_status(&errors);
    let unit_title = u.title.get(tr.lang).to_owned();
    let page =
        s.page_titled(tr.t2("assessor-observation-title", "unit", &unit_title, "name", &ctx.candidate));
    render_status(
        status,
        &Observation {
            page,
            id: ctx.assessment.id.clone(),
            unit: u.code.to_string(),
            unit_title,
            date: f.one("date"),
            context: f.one("context"),
            rows,
            errors,
            today: ctx.today.clone(),
        },
    )
}

fn unit_of(query: &HashMap<String, String>, ctx: &Ctx) -> Result<UnitCode, WebError> {
    query
        .get("unit")
        .and_then(|u| UnitCode::parse(u).ok())
        .filter(|u| ctx.framework.unit(u).is_some())
        .ok_or(WebError::Api(ApiError::NotFound))
}

/// The practical-observation checklist of one unit (`?unit=CODE`), for a tablet.
#[get("/assessor/assessments/{id}/observation")]
pub async fn observation_form(
    state: web::Data<AppState>,
    s: Session,
    id: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
) -> WebResult {
    let ctx = context(&state, &s, &id).await?;
    let unit = unit_of(&query, &ctx)?;
    observation_page(&s, &ctx, &unit, &Fields(vec![("date".into(), ctx.today.clone())]), FieldErrors::new())
}

/// Saves the whole checklist as one practical-observation record.
#[post("/assessor/assessments/{id}/observation")]
pub async fn add_observation(
    state: web::Data<AppState>,
    s: Session,
    id: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
    form: web::Form<Vec<(String, String)>>,
) -> WebResult {
    let f = Fields(form.into_inner());
    s.check_csrf(&f.one("csrf"))?;
    let ctx = context(&state, &s, &id).await?;
    let unit = unit_of(&query, &ctx)?;
    let tr = s.tr();
    let mut errors = FieldErrors::new();
    let d = date(tr, "date", &f.one("date"), &mut errors);
    let u = ctx.framework.unit(&unit).ok_or(ApiError::NotFound)?;
    let mut items = Vec::new();
    for c in u.criteria() {
        let cid = u.criterion_ref(c).to_string();
        let comment = f.one(&format!("comment-{cid}")).trim().to_owned();
        match f.one(&format!("met-{cid}")).as_str() {
            "yes" => items.push(ObservedItemDto { criterion: cid, met: true, comment }),
            "no" => items.push(ObservedItemDto { criterion: cid, met: false, comment }),
            _ if !comment.is_empty() => {
                errors.insert(format!("met-{cid}"), tr.t("assessor-error-answer-missing"));
            }
            _ => {}
        }
    }
    if items.is_empty() && !errors.keys().any(|k| k.starts_with("met-")) {
        errors.insert("items".into(), tr.t("assessor-error-no-answers"));
    }
    if let (Some(date), true) = (d, errors.is_empty()) {
        let dto =
            RecordDto::Practical(ObservationDto { date, context: f.one("context").trim().to_owned(), items });
        match save(&state, &s, &id, dto, None).await? {
            Ok(warned) => return done(&id, "observation", warned.as_deref()),
            Err(p) => problems_to_errors(tr, p, &mut errors),
        }
    }
    observation_page(&s, &ctx, &unit, &f, errors)
}

// ---------------------------------------------------------------------------------------------
// Prior-learning evidence

/// What the evidence form holds.
pub struct EvidenceInput {
    kind: String,
    date: String,
    description: String,
    issuer: String,
    issued_on: String,
    valid: bool,
    authentic: bool,
    sufficient: bool,
    reliable: bool,
    criteria: Vec<String>,
    /// The reason given for each part of VACSR, in `JudgementReasons::PARTS` order.
    reasons: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "assessor/evidence.html", config = "src/web/askama.toml")]
struct Evidence {
    page: Page,
    id: String,
    form: EvidenceInput,
    kinds: Vec<(String, String)>,
    units: Vec<UnitChoice>,
    errors: FieldErrors,
    today: String,
}

fn evidence_page(s: &Session, ctx: &Ctx, form: EvidenceInput, errors: FieldErrors) -> WebResult {
    let tr = s.tr();
    let status = form_status(&errors);
    let kinds = EvidenceKind::ALL
        .into_iter()
        .map(|k| (k.as_str().to_owned(), crate::engine::explain::method(Method::Evidence(k), tr.lang)))
        .collect();
    render_status(
        status,
        &Evidence {
            page: title(s, ctx, "assessor-evidence-title"),
            id: ctx.assessment.id.clone(),
            units: unit_choices(&ctx.framework, tr, &form.criteria),
            form,
            kinds,
            errors,
            today: ctx.today.clone(),
        },
    )
}

fn reasons_dto(given: &[(&str, String)]) -> JudgementReasonsDto {
    let get =
        |part: &str| given.iter().find(|(p, _)| *p == part).map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
    JudgementReasonsDto {
        valid: get("valid"),
        authentic: get("authentic"),
        current: get("current"),
        sufficient: get("sufficient"),
        reliable: get("reliable"),
    }
}

/// The evidence form.
#[get("/assessor/assessments/{id}/evidence")]
pub async fn evidence_form(state: web::Data<AppState>, s: Session, id: web::Path<String>) -> WebResult {
    let ctx = context(&state, &s, &id).await?;
    let form = EvidenceInput {
        kind: String::new(),
        date: ctx.today.clone(),
        description: String::new(),
        issuer: String::new(),
        issued_on: String::new(),
        // The assessor judges each of these for every piece of evidence; nothing is presumed.
        valid: false,
        authentic: false,
        sufficient: false,
        reliable: false,
        criteria: Vec::new(),
        reasons: JudgementReasons::PARTS.into_iter().map(|p| (p, String::new())).collect(),
    };
    evidence_page(&s, &ctx, form, FieldErrors::new())
}

/// The evidence form as posted (multipart, because it may carry a file).
#[derive(MultipartForm)]
pub struct EvidenceForm {
    csrf: Text<String>,
    kind: Option<Text<String>>,
    date: Option<Text<String>>,
    description: Option<Text<String>>,
    issuer: Option<Text<String>>,
    issued_on: Option<Text<String>>,
    valid: Option<Text<String>>,
    authentic: Option<Text<String>>,
    sufficient: Option<Text<String>>,
    reliable: Option<Text<String>>,
    reason_valid: Option<Text<String>>,
    reason_authentic: Option<Text<String>>,
    reason_current: Option<Text<String>>,
    reason_sufficient: Option<Text<String>>,
    reason_reliable: Option<Text<String>>,
    criteria: Vec<Text<String>>,
    #[multipart(limit = "32MiB")]
    file: Option<Bytes>,
}

/// Records a piece of prior-learning evidence, with its file if one is given.
#[post("/assessor/assessments/{id}/evidence")]
pub async fn add_evidence(
    state: web::Data<AppState>,
    s: Session,
    id: web::Path<String>,
    form: MultipartForm<EvidenceForm>,
) -> WebResult {
    s.check_csrf(&form.csrf)?;
    let ctx = context(&state, &s, &id).await?;
    let tr = s.tr();
    let form = form.into_inner();
    let text = |t: Option<Text<String>>| t.map(|t| t.into_inner().trim().to_owned()).unwrap_or_default();
    let input = EvidenceInput {
        kind: text(form.kind),
        date: text(form.date),
        description: text(form.description),
        issuer: text(form.issuer),
        issued_on: text(form.issued_on),
        valid: form.valid.is_some(),
        authentic: form.authentic.is_some(),
        sufficient: form.sufficient.is_some(),
        reliable: form.reliable.is_some(),
        criteria: form.criteria.into_iter().map(|c| c.into_inner()).collect(),
        reasons: vec![
            ("valid", text(form.reason_valid)),
            ("authentic", text(form.reason_authentic)),
            ("current", text(form.reason_current)),
            ("sufficient", text(form.reason_sufficient)),
            ("reliable", text(form.reason_reliable)),
        ],
    };
    let mut errors = FieldErrors::new();
    let d = date(tr, "date", &input.date, &mut errors);
    let issued_on =
        if input.issued_on.is_empty() { d } else { date(tr, "issued_on", &input.issued_on, &mut errors) };
    if input.kind.parse::<EvidenceKind>().is_err() {
        errors.insert("kind".into(), tr.t("assessor-error-kind"));
    }
    if input.description.is_empty() {
        errors.insert("description".into(), tr.t("assessor-error-required"));
    }
    if input.criteria.is_empty() {
        errors.insert("criteria".into(), tr.t("assessor-error-no-criteria"));
    }
    let upload = form.file.filter(|f| !f.data.is_empty()).map(|f| Upload {
        name: f.file_name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| "evidence".to_owned()),
        content_type: f
            .content_type
            .as_ref()
            .map_or_else(|| "application/octet-stream".to_owned(), ToString::to_string),
        content: f.data.to_vec(),
    });
    if upload.as_ref().is_some_and(|u| u.content.len() > state.file_limit) {
        errors.insert("file".into(), tr.t("assessor-error-file-too-large"));
    }
    if let (Some(date), Some(issued_on), true) = (d, issued_on, errors.is_empty()) {
        let dto = RecordDto::Evidence(EvidenceDto {
            date,
            evidence_kind: input.kind.clone(),
            description: input.description.clone(),
            issuer: input.issuer.clone(),
            issued_on,
            valid: input.valid,
            authentic: input.authentic,
            sufficient: input.sufficient,
            reliable: input.reliable,
            criteria: input.criteria.clone(),
            reasons: Some(reasons_dto(&input.reasons)),
        });
        match save(&state, &s, &id, dto, upload).await? {
            Ok(warned) => return done(&id, "evidence", warned.as_deref()),
            Err(p) => problems_to_errors(tr, p, &mut errors),
        }
    }
    evidence_page(&s, &ctx, input, errors)
}
