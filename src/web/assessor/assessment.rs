//! The overview of one assessment: units, the live gap report, the records with their history,
//! the decision state, and submitting for internal verification.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{ResponseError, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::{ASSESSOR, StateTag, decision_state, framework_label};
use crate::db::models::{RecordRevision, StoredRecordBody};
use crate::db::queries::{candidates, decisions, files, records, users};
use crate::engine::evaluate::entry_warnings;
use crate::engine::explain;
use crate::engine::records::RecordBody;
use crate::http::error::ApiError;
use crate::http::extract::{AppState, db};
use crate::http::progress::{GapView, QualificationProgress, TargetView, progress_view};
use crate::i18n::Tr;
use crate::service::progress::evaluate_assessment;
use crate::web::page::{Page, WebResult, redirect, render_status};
use crate::web::session::Session;

/// A unit's row.
pub struct UnitRow {
    code: String,
    title: String,
    level: String,
    credits: u16,
    status: String,
    tag: &'static str,
    status_text: String,
    met: usize,
    total: usize,
}

/// One revision in a record's history.
pub struct RevisionRow {
    revision: i32,
    at: String,
    author: String,
    withdrawn: bool,
    reason: Option<String>,
}

/// A record, as its newest revision says, with its earlier revisions.
pub struct RecordRow {
    id: String,
    kind: String,
    date: String,
    author: String,
    covers: Vec<String>,
    withdrawn: bool,
    revision: i32,
    /// Attached files: (id, name).
    files: Vec<(String, String)>,
    history: Vec<RevisionRow>,
}

#[derive(Template)]
#[template(path = "assessor/assessment.html", config = "src/web/askama.toml")]
struct Overview {
    page: Page,
    id: String,
    candidate_id: String,
    candidate: String,
    framework: String,
    qualification: Option<String>,
    started: String,
    units: Vec<UnitRow>,
    /// Qualifications other than the target, with their rules still missing.
    qualifications: Vec<QualificationProgress>,
    /// The gap report aimed at the targeted qualification.
    target: Option<TargetView>,
    /// Unmet criteria: of units that count toward the target when there is one.
    gaps: Vec<GapView>,
    /// Unmet criteria of units that cannot count toward the target now.
    other_gaps: Vec<GapView>,
    records: Vec<RecordRow>,
    state: StateTag,
    state_help: String,
    return_comment: Option<String>,
    /// External quality assurance's latest answer on the assessment's decisions.
    eqa_note: Option<crate::web::eqa::EqaNote>,
    notice: Option<String>,
    comment: String,
    /// What the record just added will not count for, said right after adding it.
    warnings: Vec<String>,
}

fn unit_tag(status: &str) -> &'static str {
    match status {
        "confirmed" => "ok",
        "provisional" => "info",
        "in-progress" => "warn",
        _ => "",
    }
}

/// What a record covers, in words.
pub(super) fn covers(tr: Tr, body: &RecordBody) -> Vec<String> {
    match body {
        RecordBody::Mapping(m) => m
            .self_assessment
            .iter()
            .map(|s| {
                format!("{}: {}", s.unit, tr.t(&format!("assessor-confidence-{}", s.confidence.as_str())))
            })
            .collect(),
        RecordBody::Theory(t) => {
            let mut out =
                vec![tr.t2("assessor-theory-score", "score", &t.score.score(), "max", &t.score.max())];
            if let Some(d) = &t.defined {
                let percent = u32::from(d.pass_percent.get());
                let args = [("points", t.score.pass_mark().into()), ("percent", percent.into())];
                out.push(tr.ta("assessor-theory-pass-mark", &args));
            }
            out.extend(t.criteria.iter().map(ToString::to_string));
            out
        }
        RecordBody::Practical(p) => p
            .items
            .iter()
            .map(|i| {
                let id = if i.met { "assessor-observed-met" } else { "assessor-observed-not-met" };
                tr.t1(id, "criterion", &i.criterion)
            })
            .collect(),
        RecordBody::Evidence(e) => e.criteria.iter().map(ToString::to_string).collect(),
    }
}

fn record_rows(
    tr: Tr,
    revisions: &[RecordRevision],
    names: &HashMap<String, String>,
    files: &HashMap<String, Vec<(String, String)>>,
) -> Result<Vec<RecordRow>, ApiError> {
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_owned());
    records::current(revisions.to_vec())
        .into_iter()
        .map(|r| {
            let body = r.stored_body()?;
            let history = revisions
                .iter()
                .filter(|h| h.record_id == r.record_id && h.revision < r.revision)
                .map(|h| RevisionRow {
                    revision: h.revision,
                    at: tr.datetime(&h.created_at),
                    author: name(&h.author_id),
                    withdrawn: h.withdrawn,
                    reason: h.reason.clone(),
                })
                .collect();
            let mut covered = covers(tr, &body.to_engine()?);
            covered.extend(r.judgement_reasons()?.given().map(|(part, reason)| {
                tr.t2(
                    "assessor-judgement-reason",
                    "part",
                    &explain::judgement_part(part, tr.lang),
                    "reason",
                    &reason,
                )
            }));
            Ok(RecordRow {
                kind: tr.t(&format!("assessor-kind-{}", StoredRecordBody::kind(&body))),
                date: tr.date(&r.record_date),
                author: name(&r.author_id),
                covers: covered,
                withdrawn: r.withdrawn,
                revision: r.revision,
                files: files.get(&r.record_id).cloned().unwrap_or_default(),
                history,
                id: r.record_id,
            })
        })
        .collect()
}

/// The overview; `notice` explains why a submission was refused, and `warned` names a record
/// just added whose warnings are to be shown.
pub(super) async fn overview_page(
    state: &web::Data<AppState>,
    s: &Session,
    id: String,
    notice: Option<(StatusCode, String)>,
    comment: String,
    warned: Option<String>,
) -> WebResult {
    s.require(ASSESSOR)?;
    let (org, lang, st) = (s.org().to_owned(), s.lang, state.clone());
    let now = state.clock.now();
    let (ev, cand, revisions, ds, names, files, framework, eqa) = db(state, move |conn| {
        let ev = evaluate_assessment(conn, &st.cache, &org, &id, now)?;
        let cand = candidates::find_in_org(conn, &org, &ev.assessment.candidate_id)?;
        let revisions = records::list_revisions(conn, &id)?;
        let ds = decisions::list_for_assessment(conn, &id)?;
        let names: HashMap<String, String> =
            users::list_by_organisation(conn, &org)?.into_iter().map(|u| (u.id, u.display_name)).collect();
        let mut files: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for r in revisions.iter().filter(|r| r.kind == "evidence" && r.revision == 1) {
            let names = files::list_for_record(conn, &r.record_id)?
                .into_iter()
                .map(|f| (f.id, f.file_name))
                .collect();
            files.insert(r.record_id.clone(), names);
        }
        let framework = framework_label(conn, &st.cache, &ev.assessment, lang)?;
        // The latest answer of external quality assurance on this assessment's decisions.
        let mut eqa = None;
        for d in ds.iter().rev() {
            if let Some(x) = crate::db::queries::eqa::find_sample(conn, &org, &d.id)? {
                eqa = Some(x);
                break;
            }
        }
        Ok((ev, cand, revisions, ds, names, files, framework, eqa))
    })
    .await?;
    let tr = s.tr();
    let warnings = match warned.and_then(|w| ev.current.iter().find(|r| r.record_id == w)) {
        Some(r) => entry_warnings(&ev.framework, &r.to_engine()?.body, ev.today)
            .iter()
            .map(|w| explain::entry_warning(w, lang))
            .collect(),
        None => Vec::new(),
    };
    let view = progress_view(&ev, lang);
    let units = view
        .units
        .into_iter()
        .map(|u| UnitRow {
            tag: unit_tag(&u.status),
            status_text: tr.t(&format!("assessor-unit-{}", u.status)),
            code: u.code,
            title: u.title,
            // "E3" reads as "instegsnivå 3" / "lähtötaso 3" / "Entry 3".
            level: u.level.parse().map(|l| crate::engine::explain::level(l, lang)).unwrap_or(u.level),
            credits: u.credits,
            status: u.status,
            met: u.criteria_met,
            total: u.criteria_total,
        })
        .collect();
    let latest = ds.last();
    let return_comment =
        latest.filter(|d| d.status == decisions::RETURNED).and_then(|d| d.verifier_comment.clone());
    let (status, notice) = match notice {
        Some((status, text)) => (status, Some(text)),
        None => (StatusCode::OK, None),
    };
    let page = s.page_titled(tr.t2(
        "assessor-assessment-title",
        "name",
        &cand.display_name,
        "framework",
        &framework,
    ));
    render_status(
        status,
        &Overview {
            page,
            records: record_rows(tr, &revisions, &names, &files)?,
            state: StateTag::new(tr, decision_state(latest)),
            state_help: tr.t(&format!("assessor-state-{}-help", decision_state(latest))),
            return_comment,
            eqa_note: eqa.as_ref().map(|x| crate::web::eqa::note(x, tr)),
            id: ev.assessment.id.clone(),
            candidate_id: cand.id,
            candidate: cand.display_name,
            framework,
            qualification: ev.assessment.qualification_code.as_deref().map(|code| {
                ev.framework
                    .qualifications
                    .iter()
                    .find(|q| q.code.as_str() == code)
                    .map_or_else(|| code.to_owned(), |q| format!("{code} {}", q.title.get(lang)))
            }),
            started: tr.date(&ev.assessment.created_at.date()),
            units,
            qualifications: view
                .qualifications
                .into_iter()
                .filter(|q| view.target.as_ref().is_none_or(|t| t.code != q.code))
                .collect(),
            target: view.target,
            gaps: view.gaps,
            other_gaps: view.other_gaps,
            notice,
            comment,
            warnings,
        },
    )
}

/// An assessment: units, live gap report, records, decision state.
#[get("/assessor/assessments/{id}")]
pub async fn overview(
    state: web::Data<AppState>,
    s: Session,
    id: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
) -> WebResult {
    let warned = query.into_inner().remove("warned");
    overview_page(&state, &s, id.into_inner(), None, String::new(), warned).await
}

/// The submission form as posted.
#[derive(Deserialize)]
pub struct SubmitForm {
    csrf: String,
    #[serde(default)]
    comment: String,
}

/// Submits what the assessment shows as newly achieved for internal verification. "Nothing new
/// to decide" and "already waiting" come back as a notice on the overview.
#[post("/assessor/assessments/{id}")]
pub async fn submit(
    state: web::Data<AppState>,
    s: Session,
    id: web::Path<String>,
    form: web::Form<SubmitForm>,
) -> WebResult {
    s.check_csrf(&form.csrf)?;
    s.require(ASSESSOR)?;
    let id = id.into_inner();
    let comment = form.into_inner().comment;
    let (org, assessor, st, aid) = (s.org().to_owned(), s.who.user.id.clone(), state.clone(), id.clone());
    let note = (!comment.trim().is_empty()).then(|| comment.trim().to_owned());
    let now = state.clock.now();
    let result = db(&state, move |conn| {
        Ok(crate::service::decisions::submit(conn, &st.cache, &org, &aid, &assessor, note, now)
            .map_err(ApiError::from))
    })
    .await?;
    let tr = s.tr();
    let notice = match result {
        Ok(d) => {
            tracing::info!(decision_id = %d.id, assessment_id = %d.assessment_id, "decision submitted on the pages");
            return Ok(redirect(&format!("/assessor/assessments/{id}?done=assessor-submitted")));
        }
        Err(e @ ApiError::NothingToDecide(_)) => (e.status_code(), tr.t("assessor-nothing-to-decide")),
        Err(e @ ApiError::Duplicate(_)) => (e.status_code(), tr.t("assessor-already-waiting")),
        Err(ApiError::Validation(p)) => match p.first().and_then(|p| crate::web::input_message(tr, p)) {
            Some(text) => (actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, text),
            None => return Err(ApiError::Validation(p).into()),
        },
        Err(e) => return Err(e.into()),
    };
    overview_page(&state, &s, id, Some(notice), comment, None).await
}
