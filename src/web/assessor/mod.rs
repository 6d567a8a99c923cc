//! The assessor's pages: the organisation's candidates, starting an assessment, the overview
//! of an assessment with its live gap report, the record forms (mapping, theory test,
//! practical-observation checklist, prior-learning evidence) and submitting for verification.
//!
//! Every page needs the assessor role; every query filters by the assessor's organisation, so
//! another organisation's ids answer 404.

mod assessment;
mod forms;
mod withdraw;

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, post, web};
use askama::Template;
use serde::Deserialize;

use super::page::{FieldErrors, Page, WebResult, form_status, redirect, render, render_status};
use super::session::Session;
use crate::auth::Role;
use crate::db::models::{Assessment, Decision};
use crate::db::queries::{assessments, candidates, decisions, frameworks};
use crate::db::{DbConnection, DbError};
use crate::http::error::ApiError;
use crate::http::extract::{AppState, db};
use crate::i18n::Tr;
use crate::service::frameworks::FrameworkCache;
use crate::service::{FieldProblem, ServiceError, accounts};

const ASSESSOR: &[Role] = &[Role::Assessor];

/// Registers the assessor's pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(home)
        .service(new_candidate_form)
        .service(create_candidate)
        .service(candidate)
        .service(start_assessment_get)
        .service(start_assessment)
        .service(assessment::overview)
        .service(assessment::submit)
        .service(file)
        .service(withdraw::withdraw_form)
        .service(withdraw::withdraw);
    forms::routes(cfg);
}

/// An evidence file of the assessor's organisation, linked from the assessment's records.
#[get("/assessor/files/{id}")]
pub async fn file(state: web::Data<AppState>, s: Session, id: web::Path<String>) -> WebResult {
    s.require(ASSESSOR)?;
    Ok(crate::http::files::file_response(&state, s.org().to_owned(), id.into_inner()).await?)
}

/// The state of an assessment's latest decision: `none`, `submitted`, `returned` or
/// `confirmed`.
fn decision_state(latest: Option<&Decision>) -> &str {
    latest.map_or("none", |d| d.status.as_str())
}

/// A state as a tag with text (never colour alone).
pub struct StateTag {
    /// `none`, `submitted`, `returned`, `confirmed` or `no-assessment`.
    pub slug: String,
    /// The tag's colour class.
    pub class: &'static str,
    /// The state in words.
    pub text: String,
}

impl StateTag {
    fn new(tr: Tr, slug: &str) -> Self {
        let class = match slug {
            "confirmed" => "ok",
            "returned" => "bad",
            "submitted" => "info",
            _ => "warn",
        };
        StateTag { slug: slug.to_owned(), class, text: tr.t(&format!("assessor-state-{slug}")) }
    }
}

/// A framework version the organisation may assess against, titled in the page's language.
pub struct FrameworkChoice {
    /// `<framework_id>@<version>`.
    pub value: String,
    /// Title and version.
    pub label: String,
    /// Its qualifications: (code, title).
    pub qualifications: Vec<(String, String)>,
}

fn framework_choices(
    conn: &mut DbConnection,
    cache: &FrameworkCache,
    org: &str,
    lang: crate::engine::Lang,
) -> Result<Vec<FrameworkChoice>, ApiError> {
    frameworks::list_visible(conn, Some(org))?
        .into_iter()
        // Drafts and returned versions are not offered: nothing is assessed on them.
        .filter(|r| r.status == frameworks::APPROVED)
        .map(|r| {
            let f = cache.get(conn, &r.framework_id, &r.version)?;
            Ok(FrameworkChoice {
                value: format!("{}@{}", r.framework_id, r.version),
                label: format!("{} ({})", f.title.get(lang), r.version),
                qualifications: f
                    .qualifications
                    .iter()
                    .map(|q| (q.code.to_string(), q.title.get(lang).to_owned()))
                    .collect(),
            })
        })
        .collect()
}

/// The framework title of an assessment in the page's language, with its version.
fn framework_label(
    conn: &mut DbConnection,
    cache: &FrameworkCache,
    a: &Assessment,
    lang: crate::engine::Lang,
) -> Result<String, ApiError> {
    let f = cache.get(conn, &a.framework_id, &a.framework_version)?;
    Ok(format!("{} ({})", f.title.get(lang), a.framework_version))
}

// ---------------------------------------------------------------------------------------------
// The list of candidates

struct CandidateRow {
    id: String,
    name: String,
    assessments: usize,
    state: StateTag,
}

#[derive(Template)]
#[template(path = "assessor/home.html", config = "src/web/askama.toml")]
struct Home {
    page: Page,
    rows: Vec<CandidateRow>,
}

/// The organisation's candidates with their number of assessments and the latest state.
#[get("/assessor")]
pub async fn home(state: web::Data<AppState>, s: Session) -> WebResult {
    s.require(ASSESSOR)?;
    let org = s.org().to_owned();
    let (cands, all, ds) = db(&state, move |conn| {
        Ok((
            candidates::list_in_org(conn, &org)?,
            assessments::list_in_org(conn, &org)?,
            decisions::list_in_org(conn, &org, None)?,
        ))
    })
    .await?;
    let tr = s.tr();
    let rows = cands
        .into_iter()
        .map(|c| {
            let theirs: Vec<&Assessment> = all.iter().filter(|a| a.candidate_id == c.id).collect();
            let slug = match theirs.last() {
                None => "no-assessment",
                Some(a) => decision_state(ds.iter().rfind(|d| d.assessment_id == a.id)),
            };
            CandidateRow {
                id: c.id,
                name: c.display_name,
                assessments: theirs.len(),
                state: StateTag::new(tr, slug),
            }
        })
        .collect();
    render(&Home { page: s.page("assessor-home-title"), rows })
}

// ---------------------------------------------------------------------------------------------
// A new candidate

#[derive(Default)]
struct CandidateInput {
    display_name: String,
    email: String,
    language: String,
}

#[derive(Template)]
#[template(path = "assessor/new_candidate.html", config = "src/web/askama.toml")]
struct NewCandidate {
    page: Page,
    form: CandidateInput,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "assessor/created_candidate.html", config = "src/web/askama.toml")]
struct CreatedCandidate {
    page: Page,
    id: String,
    name: String,
    email: Option<String>,
    one_time_password: Option<String>,
}

/// The form for a new candidate.
#[get("/assessor/candidates/new")]
pub async fn new_candidate_form(s: Session) -> WebResult {
    s.require(ASSESSOR)?;
    let form = CandidateInput { language: s.lang.tag().to_owned(), ..Default::default() };
    render(&NewCandidate { page: s.page("assessor-new-candidate-title"), form, errors: FieldErrors::new() })
}

/// The new-candidate form as posted.
#[derive(Deserialize)]
pub struct CandidateForm {
    csrf: String,
    display_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    language: String,
}

/// Creates a candidate; with an e-mail also a sign-in account, whose one-time password the
/// answer shows once.
#[post("/assessor/candidates/new")]
pub async fn create_candidate(
    state: web::Data<AppState>,
    s: Session,
    form: web::Form<CandidateForm>,
) -> WebResult {
    s.check_csrf(&form.csrf)?;
    s.require(ASSESSOR)?;
    let tr = s.tr();
    let CandidateForm { display_name, email, language, .. } = form.into_inner();
    let input = CandidateInput {
        display_name: display_name.trim().to_owned(),
        email: email.trim().to_owned(),
        language,
    };
    let mut errors = FieldErrors::new();
    if input.display_name.is_empty() {
        errors.insert("display_name".into(), tr.t("assessor-error-required"));
    }
    if !input.email.is_empty() && !input.email.contains('@') {
        errors.insert("email".into(), tr.t("assessor-error-email"));
    }
    let lang = match input.language.parse::<crate::engine::Lang>() {
        Ok(l) => l.tag().to_owned(),
        Err(_) => {
            errors.insert("language".into(), tr.t("assessor-error-language"));
            String::new()
        }
    };
    if errors.is_empty() {
        let org = s.org().to_owned();
        let actor = s.who.user.id.clone();
        let (name, email) =
            (input.display_name.clone(), (!input.email.is_empty()).then(|| input.email.clone()));
        let result = db(&state, move |conn| {
            Ok(accounts::create_candidate(conn, Some(&actor), &org, &name, email.as_deref(), &lang))
        })
        .await?;
        match result {
            Ok((cand, account)) => {
                tracing::info!(candidate_id = %cand.id, "candidate created on the pages");
                let page = s.page_titled(tr.t1("assessor-created-title", "name", &cand.display_name));
                return render(&CreatedCandidate {
                    page,
                    id: cand.id,
                    name: cand.display_name,
                    email: cand.email,
                    one_time_password: account.map(|a| a.one_time_password),
                });
            }
            Err(ServiceError::Db(DbError::Duplicate(_))) => {
                errors.insert("email".into(), tr.t("assessor-error-email-taken"));
            }
            Err(ServiceError::Invalid(problems)) => {
                for p in problems {
                    let id =
                        if p.field == "email" { "assessor-error-email" } else { "assessor-error-required" };
                    let text = crate::web::input_message(tr, &p).unwrap_or_else(|| tr.t(id));
                    errors.insert(p.field, text);
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &NewCandidate { page: s.page("assessor-new-candidate-title"), form: input, errors },
    )
}

// ---------------------------------------------------------------------------------------------
// A candidate and their assessments

struct AssessmentRow {
    id: String,
    framework: String,
    qualification: Option<String>,
    started: String,
    state: StateTag,
}

#[derive(Template)]
#[template(path = "assessor/candidate.html", config = "src/web/askama.toml")]
struct CandidatePage {
    page: Page,
    id: String,
    email: Option<String>,
    has_account: bool,
    language: String,
    rows: Vec<AssessmentRow>,
    frameworks: Vec<FrameworkChoice>,
    chosen_framework: String,
    chosen_qualification: String,
    errors: FieldErrors,
}

struct StartChoice {
    framework: String,
    qualification: String,
    errors: FieldErrors,
}

async fn candidate_page(
    state: &web::Data<AppState>,
    s: &Session,
    id: String,
    choice: StartChoice,
) -> WebResult {
    s.require(ASSESSOR)?;
    let org = s.org().to_owned();
    let lang = s.lang;
    let st = state.clone();
    let (cand, rows, frameworks) = db(state, move |conn| {
        let cand = candidates::find_in_org(conn, &org, &id)?;
        let mut rows = Vec::new();
        for a in assessments::list_for_candidate(conn, &org, &cand.id)? {
            let ds = decisions::list_for_assessment(conn, &a.id)?;
            let slug = decision_state(ds.last()).to_owned();
            rows.push((framework_label(conn, &st.cache, &a, lang)?, a, slug));
        }
        Ok((cand, rows, framework_choices(conn, &st.cache, &org, lang)?))
    })
    .await?;
    let tr = s.tr();
    let rows = rows
        .into_iter()
        .map(|(framework, a, slug)| AssessmentRow {
            id: a.id,
            framework,
            qualification: a.qualification_code,
            started: tr.date(&a.created_at.date()),
            state: StateTag::new(tr, &slug),
        })
        .collect();
    let status = form_status(&choice.errors);
    let language = tr.t(&format!("assessor-language-{}", cand.language));
    render_status(
        status,
        &CandidatePage {
            page: s.page_titled(cand.display_name.clone()),
            id: cand.id,
            email: cand.email,
            has_account: cand.user_id.is_some(),
            language,
            rows,
            frameworks,
            chosen_framework: choice.framework,
            chosen_qualification: choice.qualification,
            errors: choice.errors,
        },
    )
}

/// A candidate, their assessments, and the form to start another.
#[get("/assessor/candidates/{id}")]
pub async fn candidate(state: web::Data<AppState>, s: Session, id: web::Path<String>) -> WebResult {
    let choice =
        StartChoice { framework: String::new(), qualification: String::new(), errors: FieldErrors::new() };
    candidate_page(&state, &s, id.into_inner(), choice).await
}

/// The start form's address opened directly (after a language switch): the candidate's page.
#[get("/assessor/candidates/{id}/assessments")]
pub async fn start_assessment_get(
    s: Session,
    id: web::Path<String>,
    q: web::Query<HashMap<String, String>>,
) -> WebResult {
    s.require(ASSESSOR)?;
    let lang = q.get("lang").map(|l| format!("?lang={}", super::page::urlencode(l))).unwrap_or_default();
    Ok(redirect(&format!("/assessor/candidates/{}{lang}", super::page::urlencode(&id))))
}

/// The start form as posted.
#[derive(Deserialize)]
pub struct StartForm {
    csrf: String,
    #[serde(default)]
    framework: String,
    #[serde(default)]
    qualification: String,
}

/// Starts an assessment against a framework version (`id@version`), optionally aiming at a
/// qualification.
#[post("/assessor/candidates/{id}/assessments")]
pub async fn start_assessment(
    state: web::Data<AppState>,
    s: Session,
    id: web::Path<String>,
    form: web::Form<StartForm>,
) -> WebResult {
    s.check_csrf(&form.csrf)?;
    s.require(ASSESSOR)?;
    let tr = s.tr();
    let StartForm { framework, qualification, .. } = form.into_inner();
    let id = id.into_inner();
    let mut errors = FieldErrors::new();
    match framework.rsplit_once('@') {
        Some((fid, version)) if !fid.is_empty() && !version.is_empty() => {
            let new = crate::service::assessments::NewAssessment {
                framework_id: fid.to_owned(),
                framework_version: version.to_owned(),
                qualification: (!qualification.is_empty()).then(|| qualification.clone()),
            };
            let (org, author, st, cand) =
                (s.org().to_owned(), s.who.user.id.clone(), state.clone(), id.clone());
            let result = db(&state, move |conn| {
                Ok(crate::service::assessments::start(conn, &st.cache, &org, &cand, &author, new))
            })
            .await?;
            match result {
                Ok(a) => {
                    tracing::info!(assessment_id = %a.id, "assessment started on the pages");
                    return Ok(redirect(&format!("/assessor/assessments/{}?done=assessor-started", a.id)));
                }
                Err(ServiceError::FrameworkNotApproved(_)) => {
                    errors.insert("framework".into(), tr.t("panel-error-not-approved"));
                }
                Err(ServiceError::Invalid(problems)) => {
                    for FieldProblem { field, .. } in problems {
                        if field == "qualification" {
                            errors.insert("qualification".into(), tr.t("assessor-error-qualification"));
                        } else {
                            errors.insert("framework".into(), tr.t("assessor-error-framework"));
                        }
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
        _ => {
            errors.insert("framework".into(), tr.t("assessor-error-framework"));
        }
    }
    candidate_page(&state, &s, id, StartChoice { framework, qualification, errors }).await
}
