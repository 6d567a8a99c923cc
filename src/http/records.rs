//! Records of an assessment: mapping notes, theory tests, practical observations and evidence.
//! Corrections and withdrawals add revisions; nothing is overwritten.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::ApiError;
use super::extract::{AppState, Caller, db};
use super::progress::{LangQuery, choose_lang};
use crate::auth::Role;
use crate::db::models::RecordRevision;
use crate::db::queries::records as q;
use crate::engine::evaluate::EntryWarning;
use crate::engine::framework::EvidenceKind;
use crate::engine::ids::{CriterionRef, TheoryTestId, UnitCode};
use crate::engine::records::{
    Confidence, EvidenceItem, JudgementReasons, MappingNote, ObservedCriterion, PracticalObservation,
    RecordBody, Score, ScoreError, SelfAssessment, TheoryTest, Vasr,
};
use crate::engine::{Lang, explain};
use crate::input::{self, InputError};
use crate::service::records::{self as svc, Change, RecordInput, Revise, Submitted};
use crate::service::{FieldProblem, ServiceError};

/// The candidate's view of one unit, from the mapping interview.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SelfAssessmentDto {
    pub unit: String,
    /// `confident`, `partly` or `not-yet`.
    pub confidence: String,
}

/// Mapping notes and self-assessment.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MappingNoteDto {
    pub date: NaiveDate,
    pub notes: String,
    #[serde(default)]
    pub self_assessment: Vec<SelfAssessmentDto>,
}

/// A theory test result: `{date, test, score}` against a test the assessment's framework
/// version defines (maximum, pass mark and criteria come from the framework), or an ad-hoc test
/// `{date, title, score, max, pass_mark, criteria}` with a pass mark of at least 1 point, only
/// for criteria no defined test covers. Read back, a defined test's result carries all fields.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TheoryTestDto {
    pub date: NaiveDate,
    /// The id of one of the framework's theory tests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test: Option<String>,
    pub score: u32,
    /// Ad-hoc tests only; for a defined test, its Swedish title (read only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Ad-hoc tests only; for a defined test, its maximum score (read only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
    /// Points needed to pass, at least 1. Ad-hoc tests only; for a defined test, the framework's
    /// percentage of the maximum rounded up to whole points (read only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass_mark: Option<u32>,
    /// A defined test's pass mark in percent (read only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass_percent: Option<u8>,
    /// Criteria the test covers, as `UNIT/1.2`. Ad-hoc tests only; for a defined test, the
    /// framework's (read only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criteria: Option<Vec<String>>,
}

/// One line of a practical-observation checklist.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObservedItemDto {
    pub criterion: String,
    pub met: bool,
    #[serde(default)]
    pub comment: String,
}

/// A practical observation, saved as one record.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObservationDto {
    pub date: NaiveDate,
    pub context: String,
    pub items: Vec<ObservedItemDto>,
}

/// A piece of prior-learning evidence with the assessor's judgement.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceDto {
    /// When the assessor recorded it.
    pub date: NaiveDate,
    /// employer-reference, work-certificate, portfolio, witness-testimony or professional-discussion.
    pub evidence_kind: String,
    pub description: String,
    pub issuer: String,
    /// When it was issued; currency is counted from here.
    pub issued_on: NaiveDate,
    pub valid: bool,
    pub authentic: bool,
    pub sufficient: bool,
    pub reliable: bool,
    pub criteria: Vec<String>,
    /// Why the assessor judged it so, per part; each optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasons: Option<JudgementReasonsDto>,
}

/// The assessor's reasons for the judgement of a piece of evidence: free text of at most 1000
/// characters per part (newlines allowed, no other control characters); blank is no reason.
/// Shown in the decision trail and, worded for the candidate, on the candidate's page.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JudgementReasonsDto {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentic: Option<String>,
    /// Why it is (not) current, e.g. older, but the candidate still does the work.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sufficient: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliable: Option<String>,
}

impl JudgementReasonsDto {
    fn parse(&self, p: &mut Vec<FieldProblem>) -> JudgementReasons {
        let mut one = |part: &str, v: &Option<String>| {
            v.as_deref().and_then(|s| {
                input::reason(s).unwrap_or_else(|e| {
                    p.push(FieldProblem::input(format!("reasons.{part}"), e));
                    None
                })
            })
        };
        JudgementReasons {
            valid: one("valid", &self.valid),
            authentic: one("authentic", &self.authentic),
            current: one("current", &self.current),
            sufficient: one("sufficient", &self.sufficient),
            reliable: one("reliable", &self.reliable),
        }
    }

    fn from_engine(r: &JudgementReasons) -> Option<Self> {
        (!r.is_empty()).then(|| JudgementReasonsDto {
            valid: r.valid.clone(),
            authentic: r.authentic.clone(),
            current: r.current.clone(),
            sufficient: r.sufficient.clone(),
            reliable: r.reliable.clone(),
        })
    }
}

/// Any record, tagged by `kind`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RecordDto {
    Mapping(MappingNoteDto),
    Theory(TheoryTestDto),
    Practical(ObservationDto),
    Evidence(EvidenceDto),
}

fn criteria(field: &str, refs: &[String], problems: &mut Vec<FieldProblem>) -> Vec<CriterionRef> {
    refs.iter()
        .enumerate()
        .filter_map(|(i, r)| {
            r.parse()
                .map_err(|e: crate::engine::ids::IdError| {
                    problems.push(FieldProblem::new(format!("{field}[{i}]"), e.to_string()))
                })
                .ok()
        })
        .collect()
}

/// `value` as text of `field` by `parse` (one of `crate::input`'s), or a problem noted.
fn checked(
    field: impl Into<String>,
    value: &str,
    parse: impl Fn(&str) -> Result<String, InputError>,
    problems: &mut Vec<FieldProblem>,
) -> String {
    parse(value).unwrap_or_else(|e| {
        problems.push(FieldProblem::input(field, e));
        String::new()
    })
}

/// `d` if it lies within the dates taken at all, else a problem noted.
fn in_range(field: &str, d: NaiveDate, problems: &mut Vec<FieldProblem>) -> NaiveDate {
    input::date(d).unwrap_or_else(|e| {
        problems.push(FieldProblem::input(field, e));
        d
    })
}

fn one_line(s: &str) -> Result<String, InputError> {
    input::line(s, input::LINE_MAX)
}

fn lines(s: &str) -> Result<String, InputError> {
    input::text(s, input::TEXT_MAX)
}

/// A theory result as submitted, or `None` with the problems noted.
fn theory(t: &TheoryTestDto, p: &mut Vec<FieldProblem>) -> Option<Submitted> {
    if let Some(test) = &t.test {
        let from_framework = "comes from the framework's theory test; send only date, test and score";
        let given = [
            ("title", t.title.is_some()),
            ("max", t.max.is_some()),
            ("pass_mark", t.pass_mark.is_some()),
            ("pass_percent", t.pass_percent.is_some()),
            ("criteria", t.criteria.is_some()),
        ];
        for (field, _) in given.iter().filter(|(_, given)| *given) {
            p.push(FieldProblem::new(*field, from_framework));
        }
        let test =
            TheoryTestId::parse(test).map_err(|e| p.push(FieldProblem::new("test", e.to_string()))).ok();
        return match test {
            Some(test) if p.is_empty() => Some(Submitted::DefinedTheory { test, score: t.score }),
            _ => None,
        };
    }
    if t.pass_percent.is_some() {
        p.push(FieldProblem::new(
            "pass_percent",
            "only a theory test the framework defines has a percentage",
        ));
    }
    let mut required = |field: &str, v: Option<u32>| {
        if v.is_none() {
            p.push(FieldProblem::new(
                field,
                "required for a test the framework does not define (or give test)",
            ));
        }
        v
    };
    let (max, pass_mark) = (required("max", t.max), required("pass_mark", t.pass_mark));
    let score = match (max, pass_mark) {
        (Some(max), Some(pass_mark)) => Score::new(t.score, max, pass_mark)
            .map_err(|e| {
                let field = if e == ScoreError::ZeroPassMark { "pass_mark" } else { "score" };
                p.push(FieldProblem::new(field, e.to_string()))
            })
            .ok(),
        _ => None,
    };
    let refs = t.criteria.as_deref().unwrap_or_default();
    let crits = criteria("criteria", refs, p);
    if refs.is_empty() {
        p.push(FieldProblem::new("criteria", "name at least one criterion the test covers"));
    }
    let title = match t.title.as_deref().map(one_line) {
        Some(Ok(title)) if !title.is_empty() => title,
        Some(Err(e)) => {
            p.push(FieldProblem::input("title", e));
            String::new()
        }
        _ => {
            p.push(FieldProblem::new("title", "must not be empty"));
            String::new()
        }
    };
    score.map(|score| {
        Submitted::Body(RecordBody::Theory(TheoryTest { title, score, criteria: crits, defined: None }))
    })
}

impl TryFrom<&RecordDto> for RecordInput {
    type Error = ApiError;

    fn try_from(dto: &RecordDto) -> Result<Self, ApiError> {
        let mut p = Vec::new();
        let mut reasons = JudgementReasons::default();
        let (body, date) = match dto {
            RecordDto::Mapping(m) => {
                let self_assessment = m
                    .self_assessment
                    .iter()
                    .enumerate()
                    .filter_map(|(i, s)| {
                        let unit = UnitCode::parse(&s.unit)
                            .map_err(|e| {
                                p.push(FieldProblem::new(format!("self_assessment[{i}].unit"), e.to_string()))
                            })
                            .ok()?;
                        let confidence = s
                            .confidence
                            .parse::<Confidence>()
                            .map_err(|e| {
                                p.push(FieldProblem::new(
                                    format!("self_assessment[{i}].confidence"),
                                    e.to_string(),
                                ))
                            })
                            .ok()?;
                        Some(SelfAssessment { unit, confidence })
                    })
                    .collect();
                let notes = checked("notes", &m.notes, lines, &mut p);
                (Submitted::Body(RecordBody::Mapping(MappingNote { notes, self_assessment })), m.date)
            }
            RecordDto::Theory(t) => match theory(t, &mut p) {
                Some(body) => (body, t.date),
                None => return Err(ApiError::Validation(p)),
            },
            RecordDto::Practical(o) => {
                if o.items.is_empty() {
                    p.push(FieldProblem::new("items", "observe at least one criterion"));
                }
                let items = o
                    .items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, it)| {
                        let criterion = it
                            .criterion
                            .parse()
                            .map_err(|e: crate::engine::ids::IdError| {
                                p.push(FieldProblem::new(format!("items[{i}].criterion"), e.to_string()))
                            })
                            .ok()?;
                        let comment = checked(format!("items[{i}].comment"), &it.comment, lines, &mut p);
                        Some(ObservedCriterion { criterion, met: it.met, comment })
                    })
                    .collect();
                let context = checked("context", &o.context, lines, &mut p);
                (Submitted::Body(RecordBody::Practical(PracticalObservation { context, items })), o.date)
            }
            RecordDto::Evidence(e) => {
                let kind = e
                    .evidence_kind
                    .parse::<EvidenceKind>()
                    .map_err(|err| p.push(FieldProblem::new("evidence_kind", err.to_string())))
                    .ok();
                let crits = criteria("criteria", &e.criteria, &mut p);
                if e.criteria.is_empty() {
                    p.push(FieldProblem::new("criteria", "name at least one criterion the evidence covers"));
                }
                let description = checked("description", &e.description, lines, &mut p);
                let issuer = checked("issuer", &e.issuer, one_line, &mut p);
                let issued_on = in_range("issued_on", e.issued_on, &mut p);
                reasons = e.reasons.as_ref().map(|r| r.parse(&mut p)).unwrap_or_default();
                match kind {
                    Some(kind) => (
                        Submitted::Body(RecordBody::Evidence(EvidenceItem {
                            kind,
                            description,
                            issuer,
                            issued_on,
                            judgement: Vasr {
                                valid: e.valid,
                                authentic: e.authentic,
                                sufficient: e.sufficient,
                                reliable: e.reliable,
                            },
                            criteria: crits,
                        })),
                        e.date,
                    ),
                    None => return Err(ApiError::Validation(p)),
                }
            }
        };
        let date = in_range("date", date, &mut p);
        if p.is_empty() { Ok(RecordInput { body, date, reasons }) } else { Err(ApiError::Validation(p)) }
    }
}

impl RecordDto {
    /// The wire form of a stored body, with the reasons for an evidence judgement.
    pub fn from_engine(body: &RecordBody, date: NaiveDate, reasons: &JudgementReasons) -> RecordDto {
        let refs = |v: &[CriterionRef]| v.iter().map(ToString::to_string).collect();
        match body {
            RecordBody::Mapping(m) => RecordDto::Mapping(MappingNoteDto {
                date,
                notes: m.notes.clone(),
                self_assessment: m
                    .self_assessment
                    .iter()
                    .map(|s| SelfAssessmentDto {
                        unit: s.unit.to_string(),
                        confidence: s.confidence.as_str().to_owned(),
                    })
                    .collect(),
            }),
            RecordBody::Theory(t) => RecordDto::Theory(TheoryTestDto {
                date,
                test: t.defined.as_ref().map(|d| d.id.to_string()),
                title: Some(t.title.clone()),
                score: t.score.score(),
                max: Some(t.score.max()),
                pass_mark: Some(t.score.pass_mark()),
                pass_percent: t.defined.as_ref().map(|d| d.pass_percent.get()),
                criteria: Some(refs(&t.criteria)),
            }),
            RecordBody::Practical(o) => RecordDto::Practical(ObservationDto {
                date,
                context: o.context.clone(),
                items: o
                    .items
                    .iter()
                    .map(|i| ObservedItemDto {
                        criterion: i.criterion.to_string(),
                        met: i.met,
                        comment: i.comment.clone(),
                    })
                    .collect(),
            }),
            RecordBody::Evidence(e) => RecordDto::Evidence(EvidenceDto {
                date,
                evidence_kind: e.kind.as_str().to_owned(),
                description: e.description.clone(),
                issuer: e.issuer.clone(),
                issued_on: e.issued_on,
                valid: e.judgement.valid,
                authentic: e.judgement.authentic,
                sufficient: e.judgement.sufficient,
                reliable: e.judgement.reliable,
                criteria: refs(&e.criteria),
                reasons: JudgementReasonsDto::from_engine(reasons),
            }),
        }
    }
}

/// One revision of a record.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordView {
    /// The record's id, stable across revisions.
    pub id: String,
    /// This revision's number; send it back as `version` to correct or withdraw.
    pub version: i32,
    pub revision_id: String,
    pub assessment_id: String,
    pub author_id: String,
    #[serde(serialize_with = "super::rfc3339::serialize")]
    pub created_at: chrono::NaiveDateTime,
    pub withdrawn: bool,
    /// Why it was corrected or withdrawn.
    pub reason: Option<String>,
    pub record: RecordDto,
}

impl TryFrom<&RecordRevision> for RecordView {
    type Error = ApiError;
    fn try_from(r: &RecordRevision) -> Result<Self, ApiError> {
        Ok(RecordView {
            id: r.record_id.clone(),
            version: r.revision,
            revision_id: r.id.clone(),
            assessment_id: r.assessment_id.clone(),
            author_id: r.author_id.clone(),
            created_at: r.created_at,
            withdrawn: r.withdrawn,
            reason: r.reason.clone(),
            record: RecordDto::from_engine(
                &r.stored_body()?.to_engine()?,
                r.record_date,
                &r.judgement_reasons()?,
            ),
        })
    }
}

/// Something the assessor should know about a record just added; the record is stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryWarningView {
    /// `method-not-accepted` (the criterion does not accept the record's method),
    /// `practical-only` (a theory test on a criterion only a practical test can show) or
    /// `not-current` (evidence older than a unit's currency window).
    pub code: String,
    /// The record's field it is about (`items[0].criterion`, `criteria[1]`, `issued_on`).
    pub field: String,
    /// The warning as a sentence in the reader's language (`?lang=`, else `Accept-Language`).
    pub message: String,
}

impl EntryWarningView {
    pub fn new(w: &EntryWarning, lang: Lang) -> Self {
        EntryWarningView {
            code: w.code().to_owned(),
            field: w.field().to_owned(),
            message: explain::entry_warning(w, lang),
        }
    }
}

/// A record just added: the revision, and warnings about what will not count.
#[derive(Debug, Serialize, ToSchema)]
pub struct AddedRecordView {
    #[serde(flatten)]
    pub view: RecordView,
    /// Empty when the engine will count the record as recorded.
    pub warnings: Vec<EntryWarningView>,
}

async fn add(
    state: web::Data<AppState>,
    caller: Caller,
    assessment: String,
    dto: RecordDto,
    lang: Lang,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Assessor])?;
    let input = RecordInput::try_from(&dto)?;
    let org = caller.org().to_owned();
    let author = caller.user.id.clone();
    let st = state.clone();
    let now = state.clock.now();
    let added =
        db(&state, move |conn| Ok(svc::add(conn, &st.cache, &org, &assessment, &author, &input, now)?))
            .await?;
    let rev = &added.revision;
    tracing::info!(assessment_id = %rev.assessment_id, record_id = %rev.record_id, kind = %rev.kind,
        warnings = added.warnings.len(), "record added");
    Ok(HttpResponse::Created().json(AddedRecordView {
        view: RecordView::try_from(rev)?,
        warnings: added.warnings.iter().map(|w| EntryWarningView::new(w, lang)).collect(),
    }))
}

/// Adds mapping notes and the candidate's self-assessment.
#[utoipa::path(post, path = "/api/assessments/{id}/mapping-notes", tag = "records", request_body = MappingNoteDto,
    responses((status = 201, body = AddedRecordView), (status = 422, body = super::error::Problem)), params(LangQuery), security(("bearer" = [])))]
#[post("/api/assessments/{id}/mapping-notes")]
pub async fn add_mapping(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<MappingNoteDto>,
    query: web::Query<LangQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let lang = choose_lang(query.lang.as_deref(), &req);
    add(state, caller, id.into_inner(), RecordDto::Mapping(body.into_inner()), lang).await
}

/// Records a theory test result.
#[utoipa::path(post, path = "/api/assessments/{id}/theory-tests", tag = "records", request_body = TheoryTestDto,
    responses((status = 201, body = AddedRecordView), (status = 422, body = super::error::Problem)), params(LangQuery), security(("bearer" = [])))]
#[post("/api/assessments/{id}/theory-tests")]
pub async fn add_theory(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<TheoryTestDto>,
    query: web::Query<LangQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let lang = choose_lang(query.lang.as_deref(), &req);
    add(state, caller, id.into_inner(), RecordDto::Theory(body.into_inner()), lang).await
}

/// Records a practical observation (the whole checklist as one record).
#[utoipa::path(post, path = "/api/assessments/{id}/observations", tag = "records", request_body = ObservationDto,
    responses((status = 201, body = AddedRecordView), (status = 422, body = super::error::Problem)), params(LangQuery), security(("bearer" = [])))]
#[post("/api/assessments/{id}/observations")]
pub async fn add_observation(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<ObservationDto>,
    query: web::Query<LangQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let lang = choose_lang(query.lang.as_deref(), &req);
    add(state, caller, id.into_inner(), RecordDto::Practical(body.into_inner()), lang).await
}

/// Records a piece of prior-learning evidence.
#[utoipa::path(post, path = "/api/assessments/{id}/evidence", tag = "records", request_body = EvidenceDto,
    responses((status = 201, body = AddedRecordView), (status = 422, body = super::error::Problem)), params(LangQuery), security(("bearer" = [])))]
#[post("/api/assessments/{id}/evidence")]
pub async fn add_evidence(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<EvidenceDto>,
    query: web::Query<LangQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let lang = choose_lang(query.lang.as_deref(), &req);
    add(state, caller, id.into_inner(), RecordDto::Evidence(body.into_inner()), lang).await
}

/// Every revision of a record, oldest first.
#[utoipa::path(get, path = "/api/records/{id}", tag = "records", responses((status = 200, body = [RecordView]), (status = 404)), security(("bearer" = [])))]
#[get("/api/records/{id}")]
pub async fn history(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Assessor, Role::Verifier, Role::Admin])?;
    let org = caller.org().to_owned();
    let revs = db(&state, move |conn| Ok(q::history_in_org(conn, &org, &id)?)).await?;
    let views = revs.iter().map(RecordView::try_from).collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(views))
}

/// A correction: the whole new content, the version it corrects, and why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    pub version: i32,
    pub reason: String,
    pub record: RecordDto,
}

/// A withdrawal: the version withdrawn, and why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    pub version: i32,
    pub reason: String,
}

fn require_reason(reason: &str) -> Result<(), ApiError> {
    if let Err(e) = input::text(reason, input::TEXT_MAX) {
        return Err(ServiceError::input("reason", e).into());
    }
    if reason.trim().is_empty() {
        return Err(
            ServiceError::invalid("reason", "say why the record changes; the history keeps it").into()
        );
    }
    Ok(())
}

async fn revise(
    state: web::Data<AppState>,
    caller: Caller,
    id: String,
    version: i32,
    change: Change,
    reason: String,
) -> Result<HttpResponse, ApiError> {
    let rev = revise_as(&state, &caller, id, version, change, reason).await?;
    Ok(HttpResponse::Ok().json(RecordView::try_from(&rev)?))
}

/// Makes revision `version + 1` of record `id` as `who` (an assessor), with a reason: what the
/// API's corrections and withdrawals and the assessor's pages share.
pub async fn revise_as(
    state: &web::Data<AppState>,
    who: &super::extract::SignedIn,
    id: String,
    version: i32,
    change: Change,
    reason: String,
) -> Result<crate::db::models::RecordRevision, ApiError> {
    who.require(&[Role::Assessor])?;
    require_reason(&reason)?;
    let org = who.org().to_owned();
    let author = who.user.id.clone();
    let st = state.clone();
    let now = state.clock.now();
    let req = Revise { record_id: id, expected: version, author, change, reason: Some(reason) };
    db(state, move |conn| Ok(svc::revise(conn, &st.cache, &org, req, now)?)).await
}

/// Corrects a record by adding a revision; 409 if `version` is not the newest.
#[utoipa::path(post, path = "/api/records/{id}/corrections", tag = "records", request_body = Correction,
    responses((status = 200, body = RecordView), (status = 409, body = super::error::Problem)), security(("bearer" = [])))]
#[post("/api/records/{id}/corrections")]
pub async fn correct(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<Correction>,
) -> Result<HttpResponse, ApiError> {
    let Correction { version, reason, record } = body.into_inner();
    let input = RecordInput::try_from(&record)?;
    revise(state, caller, id.into_inner(), version, Change::Correct(Box::new(input)), reason).await
}

/// Withdraws a record; it stays in the history but no longer counts.
#[utoipa::path(post, path = "/api/records/{id}/withdrawal", tag = "records", request_body = Withdrawal,
    responses((status = 200, body = RecordView), (status = 409, body = super::error::Problem)), security(("bearer" = [])))]
#[post("/api/records/{id}/withdrawal")]
pub async fn withdraw(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<Withdrawal>,
) -> Result<HttpResponse, ApiError> {
    let Withdrawal { version, reason } = body.into_inner();
    revise(state, caller, id.into_inner(), version, Change::Withdraw, reason).await
}
