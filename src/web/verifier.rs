//! The internal verifier's pages: the queue of decisions waiting, and one decision with the
//! evidence trail it rests on, to confirm or to return to the assessor with a comment.
//!
//! Confirming and returning go through the same use case as the API
//! ([`crate::http::decisions::close_as`]); confirming issues the certificates in the same
//! transaction.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, post, web};
use askama::Template;
use serde::Deserialize;

use super::page::{FieldErrors, Page, WebResult, redirect, render, render_status};
use super::session::Session;
use crate::auth::Role;
use crate::db::DbConnection;
use crate::db::models::{Decision, RecordRevision};
use crate::db::queries::{assessments, candidates, decisions as q, files, records, users};
use crate::engine::framework::Method;
use crate::engine::records::RecordBody;
use crate::engine::{Framework, Lang, explain};
use crate::http::decisions::{VerifierAnswer, close_as};
use crate::http::error::ApiError;
use crate::http::extract::{AppState, db};
use crate::i18n::Tr;
use crate::service::decisions::Verdict;
use crate::service::frameworks::FrameworkCache;
use crate::service::progress::evaluate_assessment;

/// How many closed decisions the queue page shows below the waiting ones.
const RECENTLY_CLOSED: usize = 20;

/// One decision in a list.
pub struct Row {
    id: String,
    candidate: String,
    framework: String,
    qualification: Option<String>,
    assessor: String,
    submitted: String,
    /// `confirmed` or `returned` (closed decisions only).
    status: String,
    status_text: String,
    closed: String,
}

/// Display names of people, looked up once per page.
pub(super) struct Names(pub(super) HashMap<String, String>);

impl Names {
    pub(super) fn of(&mut self, conn: &mut DbConnection, org: &str, id: &str) -> Result<String, ApiError> {
        if let Some(n) = self.0.get(id) {
            return Ok(n.clone());
        }
        let name = users::find_in_org(conn, org, id)?.display_name;
        self.0.insert(id.to_owned(), name.clone());
        Ok(name)
    }
}

fn row(
    conn: &mut DbConnection,
    cache: &FrameworkCache,
    org: &str,
    d: &Decision,
    names: &mut Names,
    tr: Tr,
) -> Result<Row, ApiError> {
    let a = assessments::find_in_org(conn, org, &d.assessment_id)?;
    let candidate = candidates::find_in_org(conn, org, &a.candidate_id)?.display_name;
    let fw = cache.get(conn, &a.framework_id, &a.framework_version)?;
    let (status, status_text) = match d.status.as_str() {
        q::CONFIRMED => ("confirmed", tr.t("verifier-status-confirmed")),
        q::RETURNED => ("returned", tr.t("verifier-status-returned")),
        _ => ("submitted", tr.t("verifier-status-submitted")),
    };
    Ok(Row {
        id: d.id.clone(),
        candidate,
        framework: fw.title.get(tr.lang).to_owned(),
        qualification: qualification_title(&fw, d.qualification_code.as_deref(), tr.lang),
        assessor: names.of(conn, org, &d.submitted_by)?,
        submitted: tr.date(&d.submitted_at.date()),
        status: status.to_owned(),
        status_text,
        closed: d.verified_at.map(|t| tr.date(&t.date())).unwrap_or_default(),
    })
}

pub(super) fn qualification_title(fw: &Framework, code: Option<&str>, lang: Lang) -> Option<String> {
    let code = code?;
    Some(
        crate::engine::ids::QualificationCode::parse(code)
            .ok()
            .and_then(|c| fw.qualification(&c))
            .map_or_else(|| code.to_owned(), |q| q.title.get(lang).to_owned()),
    )
}

#[derive(Template)]
#[template(path = "verifier/queue.html", config = "src/web/askama.toml")]
struct Queue {
    page: Page,
    waiting: Vec<Row>,
    closed: Vec<Row>,
}

/// The queue: decisions waiting (oldest first), and the recently closed ones.
#[get("/verifier")]
pub async fn queue(state: web::Data<AppState>, s: Session) -> WebResult {
    s.require(&[Role::Verifier])?;
    let org = s.org().to_owned();
    let tr = s.tr();
    let st = state.clone();
    let (waiting, closed) = db(&state, move |conn| {
        let mut names = Names(HashMap::new());
        let waiting = q::list_in_org(conn, &org, Some(q::SUBMITTED))?
            .iter()
            .map(|d| row(conn, &st.cache, &org, d, &mut names, tr))
            .collect::<Result<Vec<_>, _>>()?;
        let mut done: Vec<Decision> =
            q::list_in_org(conn, &org, None)?.into_iter().filter(|d| d.status != q::SUBMITTED).collect();
        done.sort_by_key(|d| std::cmp::Reverse(d.verified_at));
        let closed = done
            .iter()
            .take(RECENTLY_CLOSED)
            .map(|d| row(conn, &st.cache, &org, d, &mut names, tr))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((waiting, closed))
    })
    .await?;
    render(&Queue { page: s.page("verifier-title"), waiting, closed })
}

/// One criterion a record bears on, and how.
pub struct Covered {
    pub(super) code: String,
    pub(super) text: String,
    /// Met by this record, as far as the record says.
    pub(super) met: Option<bool>,
    /// How the record bears on it (the engine's verdict, in words).
    pub(super) how: String,
    /// The assessor's comment (practical observations).
    pub(super) comment: String,
}

/// An attached file.
pub struct Attachment {
    id: String,
    name: String,
    size: String,
}

/// One record of the evidence trail.
pub struct TrailRecord {
    pub(super) id: String,
    pub(super) kind: String,
    pub(super) date: String,
    pub(super) author: String,
    /// Label and value pairs: score, context, issuer, VASR …
    pub(super) facts: Vec<(String, String)>,
    /// Free text: mapping notes, evidence description.
    pub(super) text: Option<String>,
    pub(super) criteria: Vec<Covered>,
    pub(super) files: Vec<Attachment>,
}

#[derive(Template)]
#[template(path = "verifier/decision.html", config = "src/web/askama.toml")]
struct DecisionPage {
    page: Page,
    id: String,
    version: i64,
    waiting: bool,
    /// `submitted`, `confirmed` or `returned`.
    state: String,
    /// The state in words.
    status: String,
    candidate: String,
    framework: String,
    qualification: Option<String>,
    units: Vec<(String, String)>,
    assessor: String,
    submitted: String,
    submit_comment: Option<String>,
    verifier_comment: Option<String>,
    /// Why this verifier may not confirm (four eyes), if so.
    four_eyes: Option<String>,
    trail: Vec<TrailRecord>,
    /// External quality assurance's answer, if the decision was sampled.
    eqa_note: Option<super::eqa::EqaNote>,
    comment: String,
    errors: FieldErrors,
}

fn yes_no(tr: Tr, b: bool) -> String {
    if b { tr.t("verifier-yes") } else { tr.t("verifier-no") }
}

fn trail_record(
    conn: &mut DbConnection,
    org: &str,
    rev: &RecordRevision,
    fw: &Framework,
    considered: &HashMap<(String, String), String>,
    names: &mut Names,
    tr: Tr,
) -> Result<TrailRecord, ApiError> {
    let lang = tr.lang;
    let rec = rev.to_engine()?;
    let covered = |code: String, met: Option<bool>, comment: String| {
        let text = code
            .parse()
            .ok()
            .and_then(|r| fw.criterion(&r))
            .map(|c| c.text.get(lang).to_owned())
            .unwrap_or_default();
        let how = considered.get(&(rev.id.clone(), code.clone())).cloned().unwrap_or_default();
        Covered { code, text, met, how, comment }
    };
    let (kind, facts, text, criteria) = match &rec.body {
        RecordBody::Mapping(m) => {
            let facts = m
                .self_assessment
                .iter()
                .map(|sa| {
                    let unit = fw
                        .unit(&sa.unit)
                        .map_or_else(|| sa.unit.to_string(), |u| u.title.get(lang).to_owned());
                    let c = match sa.confidence.as_str() {
                        "confident" => tr.t("verifier-confidence-confident"),
                        "partly" => tr.t("verifier-confidence-partly"),
                        _ => tr.t("verifier-confidence-not-yet"),
                    };
                    (unit, c)
                })
                .collect();
            (tr.t("verifier-kind-mapping"), facts, Some(m.notes.clone()), vec![])
        }
        RecordBody::Theory(t) => {
            // A defined test is named in the reader's language, as the framework names it.
            let title = t
                .defined
                .as_ref()
                .and_then(|d| fw.theory_test(&d.id))
                .map_or_else(|| t.title.clone(), |def| def.title.get(lang).to_owned());
            let pass_mark = match &t.defined {
                Some(d) => tr.ta(
                    "verifier-pass-mark-percent",
                    &[
                        ("points", t.score.pass_mark().into()),
                        ("percent", u32::from(d.pass_percent.get()).into()),
                    ],
                ),
                None => t.score.pass_mark().to_string(),
            };
            let facts = vec![
                (tr.t("verifier-test-title"), title),
                (
                    tr.t("verifier-score"),
                    tr.t2("verifier-score-value", "score", &t.score.score(), "max", &t.score.max()),
                ),
                (tr.t("verifier-pass-mark"), pass_mark),
                (tr.t("verifier-passed"), yes_no(tr, t.score.passed())),
            ];
            let crits = t.criteria.iter().map(|c| covered(c.to_string(), None, String::new())).collect();
            (tr.t("verifier-kind-theory"), facts, None, crits)
        }
        RecordBody::Practical(p) => {
            let crits = p
                .items
                .iter()
                .map(|i| covered(i.criterion.to_string(), Some(i.met), i.comment.clone()))
                .collect();
            (
                tr.t("verifier-kind-practical"),
                vec![(tr.t("verifier-context"), p.context.clone())],
                None,
                crits,
            )
        }
        RecordBody::Evidence(e) => {
            let j = e.judgement;
            let reasons = rev.judgement_reasons()?;
            let mut facts = vec![
                (tr.t("verifier-evidence-kind"), explain::method(Method::Evidence(e.kind), lang)),
                (tr.t("verifier-issuer"), e.issuer.clone()),
                (tr.t("verifier-issued-on"), tr.date(&e.issued_on)),
            ];
            // Each reason right after the judgement it explains; currency is computed, so its
            // reason follows the issue date.
            if let Some(r) = reasons.get("current") {
                facts.push((tr.t("verifier-reason-current"), r.to_owned()));
            }
            for (part, label, ok) in [
                ("valid", "verifier-valid", j.valid),
                ("authentic", "verifier-authentic", j.authentic),
                ("sufficient", "verifier-sufficient", j.sufficient),
                ("reliable", "verifier-reliable", j.reliable),
            ] {
                facts.push((tr.t(label), yes_no(tr, ok)));
                if let Some(r) = reasons.get(part) {
                    facts.push((tr.t("verifier-reason"), r.to_owned()));
                }
            }
            let crits = e.criteria.iter().map(|c| covered(c.to_string(), None, String::new())).collect();
            (tr.t("verifier-kind-evidence"), facts, Some(e.description.clone()), crits)
        }
    };
    let files = files::list_for_record(conn, &rev.record_id)?
        .into_iter()
        .map(|f| Attachment {
            id: f.id,
            name: f.file_name,
            size: tr.t1("verifier-kilobytes", "size", &tr.number(f.size as f64 / 1024.0)),
        })
        .collect();
    Ok(TrailRecord {
        id: rev.record_id.clone(),
        kind,
        date: tr.date(&rev.record_date),
        author: names.of(conn, org, &rev.author_id)?,
        facts,
        text: text.filter(|t| !t.trim().is_empty()),
        criteria,
        files,
    })
}

/// Unit codes with their titles.
pub(super) type Units = Vec<(String, String)>;

/// The units of decision `d` with their titles, and the records it rests on as a trail (with
/// the engine's reading of each criterion they bear on).
pub(super) fn units_and_trail(
    conn: &mut DbConnection,
    cache: &FrameworkCache,
    org: &str,
    d: &Decision,
    names: &mut Names,
    tr: Tr,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(Units, Vec<TrailRecord>), ApiError> {
    let ev = evaluate_assessment(conn, cache, org, &d.assessment_id, now)?;
    let fw = ev.framework.clone();
    let units: Vec<String> = serde_json::from_str(&d.units).map_err(ApiError::internal)?;
    let units = units
        .into_iter()
        .map(|c| {
            let title = crate::engine::ids::UnitCode::parse(&c)
                .ok()
                .and_then(|u| fw.unit(&u))
                .map(|u| u.title.get(tr.lang).to_owned())
                .unwrap_or_default();
            (c, title)
        })
        .collect();
    let considered: HashMap<(String, String), String> = ev
        .outcome
        .criteria
        .iter()
        .flat_map(|co| {
            co.considered
                .iter()
                .map(move |(r, v)| ((r.0.clone(), co.criterion.to_string()), explain::verdict(v, tr.lang)))
        })
        .collect();
    let based_on: Vec<String> = serde_json::from_str(&d.based_on).map_err(ApiError::internal)?;
    let trail = records::list_revisions(conn, &d.assessment_id)?
        .iter()
        .filter(|r| based_on.contains(&r.id))
        .map(|r| trail_record(conn, org, r, &fw, &considered, names, tr))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((units, trail))
}

async fn decision_page(
    state: &web::Data<AppState>,
    s: &Session,
    id: String,
    comment: String,
    errors: FieldErrors,
) -> Result<DecisionPage, ApiError> {
    let org = s.org().to_owned();
    let me = s.who.user.id.clone();
    let tr = s.tr();
    let st = state.clone();
    let now = state.clock.now();
    type Loaded =
        (Decision, Row, Vec<(String, String)>, Option<String>, Vec<TrailRecord>, Option<super::eqa::EqaNote>);
    let (d, row, units, four_eyes, trail, eqa_note): Loaded = db(state, move |conn| {
        let d = q::find_in_org(conn, &org, &id)?;
        let mut names = Names(HashMap::new());
        let row = row(conn, &st.cache, &org, &d, &mut names, tr)?;
        let (units, trail) = units_and_trail(conn, &st.cache, &org, &d, &mut names, tr, now)?;
        let authors: Vec<String> = serde_json::from_str(&d.record_authors).map_err(ApiError::internal)?;
        let four_eyes = if d.submitted_by == me {
            Some(tr.t("verifier-four-eyes-assessor"))
        } else if authors.contains(&me) {
            Some(tr.t("verifier-four-eyes-author"))
        } else {
            None
        };
        let eqa = crate::db::queries::eqa::find_sample(conn, &org, &d.id)?.map(|x| super::eqa::note(&x, tr));
        Ok((d, row, units, four_eyes, trail, eqa))
    })
    .await?;
    let title = tr.t1("verifier-decision-title", "name", &row.candidate);
    Ok(DecisionPage {
        page: s.page_titled(title),
        id: d.id.clone(),
        version: d.version,
        waiting: d.status == q::SUBMITTED,
        state: row.status.clone(),
        status: row.status_text.clone(),
        candidate: row.candidate,
        framework: row.framework,
        qualification: row.qualification,
        units,
        assessor: row.assessor,
        submitted: row.submitted,
        submit_comment: d.submit_comment.filter(|c| !c.trim().is_empty()),
        verifier_comment: d.verifier_comment.filter(|c| !c.trim().is_empty()),
        four_eyes,
        trail,
        eqa_note,
        comment,
        errors,
    })
}

/// A decision with its evidence trail, and the forms to confirm or return it.
#[get("/verifier/decisions/{id}")]
pub async fn decision(state: web::Data<AppState>, s: Session, id: web::Path<String>) -> WebResult {
    s.require(&[Role::Verifier])?;
    render(&decision_page(&state, &s, id.into_inner(), String::new(), FieldErrors::new()).await?)
}

/// The verifier's answer as posted: `verdict` is `confirm` or `return`.
#[derive(Deserialize)]
pub struct AnswerForm {
    csrf: String,
    version: i64,
    verdict: String,
    #[serde(default)]
    comment: String,
}

/// Confirms or returns the decision; back to the queue with a notice.
#[post("/verifier/decisions/{id}")]
pub async fn answer(
    state: web::Data<AppState>,
    s: Session,
    id: web::Path<String>,
    form: web::Form<AnswerForm>,
) -> WebResult {
    s.check_csrf(&form.csrf)?;
    s.require(&[Role::Verifier])?;
    let AnswerForm { version, verdict, comment, .. } = form.into_inner();
    let id = id.into_inner();
    let verdict = match verdict.as_str() {
        "confirm" => Verdict::Confirm,
        "return" => Verdict::Return,
        _ => {
            return Err(ApiError::Validation(vec![crate::service::FieldProblem::new(
                "verdict",
                "confirm or return",
            )])
            .into());
        }
    };
    if verdict == Verdict::Return && comment.trim().is_empty() {
        let mut errors = FieldErrors::new();
        errors.insert("comment".into(), s.tr().t("verifier-comment-required"));
        let page = decision_page(&state, &s, id, comment, errors).await?;
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let shown = comment.clone();
    let comment = Some(comment).filter(|c| !c.trim().is_empty());
    match close_as(&state, &s.who, id.clone(), VerifierAnswer { version, comment }, verdict).await {
        Ok(_) => {}
        Err(ApiError::Validation(problems)) if problems.iter().any(|p| p.code.is_some()) => {
            let mut errors = FieldErrors::new();
            for p in &problems {
                if let Some(text) = crate::web::input_message(s.tr(), p) {
                    errors.insert(p.field.clone(), text);
                }
            }
            let page = decision_page(&state, &s, id, shown, errors).await?;
            return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        Err(e) => return Err(e.into()),
    }
    Ok(redirect(match verdict {
        Verdict::Confirm => "/verifier?done=verifier-confirmed",
        Verdict::Return => "/verifier?done=verifier-returned",
    }))
}

/// An evidence file of the verifier's organisation, for the evidence trail.
#[get("/verifier/files/{id}")]
pub async fn file(state: web::Data<AppState>, s: Session, id: web::Path<String>) -> WebResult {
    s.require(&[Role::Verifier])?;
    Ok(crate::http::files::file_response(&state, s.org().to_owned(), id.into_inner()).await?)
}

/// Registers the verifier's pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(queue).service(decision).service(answer).service(file);
}
