//! The external quality assurer's pages: the queue of sampled decisions, and one decision with
//! the trail it rests on and the forms to agree or not. The assurer sees no candidate's name
//! (a short reference instead) and no evidence file: the trail's facts are what is sampled.
//! Each sample names the organisation it comes from: the awarding body's assurer samples many
//! ([`crate::service::eqa::Reader`]).
//!
//! Answers go through the same use case as the API ([`crate::http::eqa::answer_as`]).

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, post, web};
use askama::Template;
use serde::Deserialize;

use super::page::{FieldErrors, Page, WebResult, redirect, render, render_status};
use super::session::Session;
use super::verifier::{Names, TrailRecord, qualification_title, units_and_trail};
use crate::auth::Role;
use crate::db::DbConnection;
use crate::db::models::EqaSampleRow;
use crate::db::queries::{assessments, decisions, eqa as q, organisations};
use crate::http::eqa::{AnswerDto, answer_as};
use crate::http::error::ApiError;
use crate::http::extract::{AppState, db};
use crate::i18n::Tr;
use crate::service::eqa::{self as svc, Answer, Reader};
use crate::service::frameworks::FrameworkCache;

/// External quality assurance's answer on a decision, as the assessor and the internal
/// verifier see it on their pages.
pub struct EqaNote {
    /// `waiting`, `agreed` or `not-agreed`.
    pub status: String,
    pub status_text: String,
    pub tag: &'static str,
    pub date: Option<String>,
    pub comment: Option<String>,
    /// Where the review after a "not agreed" stands, in words.
    pub review: Option<String>,
}

fn status_words(s: &EqaSampleRow, tr: Tr) -> (&'static str, String) {
    match s.status.as_str() {
        q::AGREED => ("ok", tr.t("eqa-status-agreed")),
        q::NOT_AGREED => ("bad", tr.t("eqa-status-not-agreed")),
        _ if s.held => ("warn", tr.t("eqa-status-waiting-held")),
        _ => ("warn", tr.t("eqa-status-waiting")),
    }
}

/// `s` in the reader's words.
pub fn note(s: &EqaSampleRow, tr: Tr) -> EqaNote {
    let (tag, status_text) = status_words(s, tr);
    let review = match s.review.as_deref() {
        Some(q::REVIEW_OPEN) => Some(tr.t("eqa-review-open")),
        Some(q::REVIEW_SUSPENDED) => Some(tr.t("eqa-review-suspended")),
        Some(q::REVIEW_KEPT) => Some(tr.t("eqa-review-kept")),
        _ if s.status == q::NOT_AGREED && s.held => Some(tr.t("eqa-review-withheld")),
        _ => None,
    };
    EqaNote {
        status: s.status.clone(),
        status_text,
        tag,
        date: s.decided_at.map(|t| tr.date(&t.date())),
        comment: s.comment.clone().filter(|c| !c.trim().is_empty()),
        review,
    }
}

/// A sampled decision in the queue.
pub struct Row {
    id: String,
    reference: String,
    /// The organisation whose decision it is: the awarding body's assurer samples many.
    centre: String,
    framework: String,
    qualification: Option<String>,
    assessor: String,
    confirmed: String,
    status: String,
    status_text: String,
    tag: &'static str,
}

/// The short reference the assurer's pages name a decision by.
fn reference(id: &str) -> String {
    id.chars().take(8).collect()
}

fn row(
    conn: &mut DbConnection,
    cache: &FrameworkCache,
    s: &EqaSampleRow,
    names: &mut Names,
    tr: Tr,
) -> Result<Row, ApiError> {
    let org = s.organisation_id.as_str();
    let d = decisions::find_in_org(conn, org, &s.decision_id)?;
    let a = assessments::find_in_org(conn, org, &d.assessment_id)?;
    let fw = cache.get(conn, &a.framework_id, &a.framework_version)?;
    let (tag, status_text) = status_words(s, tr);
    Ok(Row {
        id: s.decision_id.clone(),
        reference: reference(&s.decision_id),
        centre: organisations::find_by_id(conn, org)?.name,
        framework: format!("{} ({})", fw.title.get(tr.lang), a.framework_version),
        qualification: qualification_title(&fw, d.qualification_code.as_deref(), tr.lang),
        assessor: names.of(conn, org, &s.assessor_id)?,
        confirmed: d.verified_at.map(|t| tr.date(&t.date())).unwrap_or_default(),
        status: s.status.clone(),
        status_text,
        tag,
    })
}

#[derive(Template)]
#[template(path = "eqa/queue.html", config = "src/web/askama.toml")]
struct Queue {
    page: Page,
    waiting: Vec<Row>,
    answered: Vec<Row>,
}

/// The queue: sampled decisions waiting (oldest first), then those answered.
#[get("/eqa")]
pub async fn queue(state: web::Data<AppState>, s: Session) -> WebResult {
    s.require(&[Role::Eqa])?;
    let org = s.org().to_owned();
    let tr = s.tr();
    let st = state.clone();
    let (waiting, answered) = db(&state, move |conn| {
        let mut names = Names(HashMap::new());
        let all = svc::list_readable(conn, Reader { org: &org, assurer: true, admin: false }, None, None)?;
        let (waiting, mut answered): (Vec<_>, Vec<_>) = all.into_iter().partition(|x| x.status == q::WAITING);
        answered.sort_by_key(|x| std::cmp::Reverse(x.decided_at));
        let rows = |list: Vec<EqaSampleRow>, conn: &mut DbConnection, names: &mut Names| {
            list.iter().map(|x| row(conn, &st.cache, x, names, tr)).collect::<Result<Vec<_>, ApiError>>()
        };
        let waiting = rows(waiting, conn, &mut names)?;
        let answered = rows(answered, conn, &mut names)?;
        Ok((waiting, answered))
    })
    .await?;
    render(&Queue { page: s.page("eqa-title"), waiting, answered })
}

#[derive(Template)]
#[template(path = "eqa/decision.html", config = "src/web/askama.toml")]
struct DecisionPage {
    page: Page,
    b: Body,
}

/// What the decision page shows, besides its frame.
struct Body {
    id: String,
    version: i64,
    waiting: bool,
    row: Row,
    held: bool,
    position: i64,
    verifier: String,
    units: Vec<(String, String)>,
    submit_comment: Option<String>,
    verifier_comment: Option<String>,
    note: EqaNote,
    /// Why this assurer may not answer (four eyes), if so.
    four_eyes: bool,
    trail: Vec<TrailRecord>,
    comment: String,
    errors: FieldErrors,
}

async fn decision_page(
    state: &web::Data<AppState>,
    s: &Session,
    id: String,
    comment: String,
    errors: FieldErrors,
) -> Result<DecisionPage, ApiError> {
    let mine = s.org().to_owned();
    let me = s.who.user.id.clone();
    let tr = s.tr();
    let st = state.clone();
    let now = state.clock.now();
    let b = db(state, move |conn| {
        // Only a sampled decision is the assurer's to read: any other reads as not found.
        let sample = svc::readable(conn, Reader { org: &mine, assurer: true, admin: false }, &id)?;
        let org = sample.organisation_id.clone();
        let d = decisions::find_in_org(conn, &org, &id)?;
        let mut names = Names(HashMap::new());
        let row = row(conn, &st.cache, &sample, &mut names, tr)?;
        let (units, mut trail) = units_and_trail(conn, &st.cache, &org, &d, &mut names, tr, now)?;
        // The assurer reads the trail, not the files behind it.
        for r in &mut trail {
            r.files.clear();
        }
        let authors: Vec<String> = serde_json::from_str(&d.record_authors).map_err(ApiError::internal)?;
        let four_eyes =
            d.submitted_by == me || d.verifier_id.as_deref() == Some(me.as_str()) || authors.contains(&me);
        let verifier = match &d.verifier_id {
            Some(v) => names.of(conn, &org, v)?,
            None => String::new(),
        };
        Ok(Body {
            id: d.id.clone(),
            version: sample.version,
            waiting: sample.status == q::WAITING,
            held: sample.held,
            position: sample.position,
            note: note(&sample, tr),
            row,
            verifier,
            units,
            submit_comment: d.submit_comment.filter(|c| !c.trim().is_empty()),
            verifier_comment: d.verifier_comment.filter(|c| !c.trim().is_empty()),
            four_eyes,
            trail,
            comment,
            errors,
        })
    })
    .await?;
    let title = tr.t1("eqa-decision-title", "reference", &b.row.reference);
    Ok(DecisionPage { page: s.page_titled(title), b })
}

/// A sampled decision with its trail, and the forms to agree or not.
#[get("/eqa/decisions/{id}")]
pub async fn decision(state: web::Data<AppState>, s: Session, id: web::Path<String>) -> WebResult {
    s.require(&[Role::Eqa])?;
    render(&decision_page(&state, &s, id.into_inner(), String::new(), FieldErrors::new()).await?)
}

/// The assurer's answer as posted: `verdict` is `agree` or `disagree`.
#[derive(Deserialize)]
pub struct AnswerForm {
    csrf: String,
    version: i64,
    verdict: String,
    #[serde(default)]
    comment: String,
}

/// Agrees or does not; back to the queue with a notice.
#[post("/eqa/decisions/{id}")]
pub async fn answer(
    state: web::Data<AppState>,
    s: Session,
    id: web::Path<String>,
    form: web::Form<AnswerForm>,
) -> WebResult {
    s.check_csrf(&form.csrf)?;
    s.require(&[Role::Eqa])?;
    let AnswerForm { version, verdict, comment, .. } = form.into_inner();
    let id = id.into_inner();
    let answer = match verdict.as_str() {
        "agree" => Answer::Agree,
        "disagree" => Answer::NotAgree,
        _ => {
            return Err(ApiError::Validation(vec![crate::service::FieldProblem::new(
                "verdict",
                "agree or disagree",
            )])
            .into());
        }
    };
    if answer == Answer::NotAgree && comment.trim().is_empty() {
        let mut errors = FieldErrors::new();
        errors.insert("comment".into(), s.tr().t("eqa-comment-required"));
        let page = decision_page(&state, &s, id, comment, errors).await?;
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let shown = comment.clone();
    let comment = Some(comment).filter(|c| !c.trim().is_empty());
    match answer_as(&state, &s.who, id.clone(), AnswerDto { version, comment }, answer).await {
        Ok(_) => {}
        Err(ApiError::Validation(problems)) => {
            let mut errors = FieldErrors::new();
            for p in &problems {
                let text =
                    crate::web::input_message(s.tr(), p).unwrap_or_else(|| s.tr().t("eqa-comment-required"));
                errors.insert("comment".into(), text);
            }
            let page = decision_page(&state, &s, id, shown, errors).await?;
            return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        Err(e) => return Err(e.into()),
    }
    Ok(redirect(match answer {
        Answer::Agree => "/eqa?done=eqa-agreed",
        Answer::NotAgree => "/eqa?done=eqa-not-agreed",
    }))
}

/// Registers the assurer's pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(queue).service(decision).service(answer);
}
