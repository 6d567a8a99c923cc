//! Frameworks: the versions the organisation can assess against, a preview of one version's
//! units and qualifications, and the upload of a new version with the loader's diagnostics.

use actix_multipart::form::{MultipartForm, bytes::Bytes, text::Text};
use actix_web::http::StatusCode;
use actix_web::{get, post, web};
use askama::Template;

use super::admin;
use crate::db::DbError;
use crate::db::queries::frameworks::Stored;
use crate::engine::explain;
use crate::engine::framework::{Framework, Qualification, Unit};
use crate::http::extract::{AppState, db};
use crate::i18n::Tr;
use crate::service::{ServiceError, frameworks as svc};
use crate::web::page::{FieldErrors, Page, WebResult, redirect, render, render_status, urlencode};
use crate::web::panel::{Approval, approval};
use crate::web::session::Session;

/// A framework version in the list.
struct FrameworkRow {
    id: String,
    version: String,
    title: String,
    units: usize,
    qualifications: usize,
    shipped: bool,
    href: String,
    approval: Approval,
}

#[derive(Template)]
#[template(path = "admin/frameworks.html", config = "src/web/askama.toml")]
struct FrameworkList {
    page: Page,
    frameworks: Vec<FrameworkRow>,
}

/// The framework versions visible to the organisation, with where each stands with the panel.
#[get("/admin/frameworks")]
pub async fn list(state: web::Data<AppState>, s: Session) -> WebResult {
    admin(&s)?;
    let org = s.org().to_owned();
    let st = state.clone();
    let tr = s.tr();
    let now = state.clock.now();
    let frameworks = db(&state, move |conn| {
        let today = crate::http::frameworks::today_in(conn, &org, now)?;
        svc::visible(conn, &st.cache, &org)?
            .into_iter()
            .map(|(r, f)| {
                Ok(FrameworkRow {
                    href: format!(
                        "/admin/frameworks/{}/{}",
                        urlencode(&r.framework_id),
                        urlencode(&r.version)
                    ),
                    approval: approval(conn, &r, today, tr)?,
                    title: f.title.get(tr.lang).to_owned(),
                    units: f.units.len(),
                    qualifications: f.qualifications.len(),
                    shipped: r.organisation_id.is_none(),
                    id: r.framework_id,
                    version: r.version,
                })
            })
            .collect::<Result<Vec<_>, crate::http::error::ApiError>>()
    })
    .await?;
    render(&FrameworkList { page: s.page("admin-frameworks-title"), frameworks })
}

/// A criterion with its accepted methods in words.
pub(crate) struct CriterionItem {
    pub(crate) id: String,
    pub(crate) text: String,
    pub(crate) methods: String,
}

/// A learning outcome with its criteria.
pub(crate) struct OutcomeItem {
    pub(crate) id: String,
    pub(crate) text: String,
    pub(crate) criteria: Vec<CriterionItem>,
}

/// A unit as the preview shows it.
pub(crate) struct UnitItem {
    pub(crate) code: String,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) level: String,
    pub(crate) credits: String,
    pub(crate) currency: String,
    pub(crate) validity: Option<String>,
    pub(crate) outcomes: Vec<OutcomeItem>,
}

/// A qualification with its rules of combination in words.
pub(crate) struct QualificationItem {
    pub(crate) code: String,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) rules: Vec<String>,
}

pub(crate) fn unit_item(u: &Unit, tr: Tr) -> UnitItem {
    let lang = tr.lang;
    UnitItem {
        code: u.code.to_string(),
        title: u.title.get(lang).to_owned(),
        description: u.description.get(lang).to_owned(),
        level: explain::level(u.level, lang),
        credits: tr.number(f64::from(u.credits)),
        currency: tr.count("admin-years", usize::from(u.currency_years)),
        validity: u.validity_years.map(|y| tr.count("admin-years", usize::from(y))),
        outcomes: u
            .outcomes
            .iter()
            .map(|o| OutcomeItem {
                id: o.id.clone(),
                text: o.text.get(lang).to_owned(),
                criteria: o
                    .criteria
                    .iter()
                    .map(|c| CriterionItem {
                        id: c.id.to_string(),
                        text: c.text.get(lang).to_owned(),
                        methods: c
                            .methods
                            .iter()
                            .map(|m| explain::method(*m, lang))
                            .collect::<Vec<_>>()
                            .join(", "),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// "Title (CODE), Title (CODE)".
fn unit_names(codes: &[crate::engine::ids::UnitCode], f: &Framework, tr: Tr) -> String {
    codes
        .iter()
        .map(|c| f.unit(c).map_or_else(|| c.to_string(), |u| format!("{} ({c})", u.title.get(tr.lang))))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn qualification_item(q: &Qualification, f: &Framework, tr: Tr) -> QualificationItem {
    let lang = tr.lang;
    let r = &q.rules;
    let mut rules = Vec::new();
    if !r.mandatory.is_empty() {
        rules.push(tr.t1("admin-rule-mandatory", "units", &unit_names(&r.mandatory, f, tr)));
    }
    for g in &r.optional_groups {
        let choose = tr.t2("admin-rule-group", "need", &g.min_units, "units", &unit_names(&g.units, f, tr));
        rules.push(format!("{}: {choose}", g.title.get(lang)));
    }
    if let Some(c) = r.min_credits {
        rules.push(tr.t1("admin-rule-credits", "credits", &c));
    }
    for l in &r.min_credits_at_level {
        rules.push(tr.t2(
            "admin-rule-credits-at-level",
            "credits",
            &l.credits,
            "level",
            &explain::level(l.level, lang),
        ));
    }
    if let Some(y) = q.validity_years {
        rules.push(tr.count("admin-rule-validity", usize::from(y)));
    }
    QualificationItem {
        code: q.code.to_string(),
        title: q.title.get(lang).to_owned(),
        description: q.description.get(lang).to_owned(),
        rules,
    }
}

#[derive(Template)]
#[template(path = "admin/framework.html", config = "src/web/askama.toml")]
struct Preview {
    page: Page,
    id: String,
    version: String,
    shipped: bool,
    awarding_body: String,
    description: String,
    /// Only an approved version is published.
    public_url: Option<String>,
    approval: Approval,
    units: Vec<UnitItem>,
    qualifications: Vec<QualificationItem>,
}

/// A preview of one framework version: its units with criteria and methods, and its
/// qualifications with their rules in words.
#[get("/admin/frameworks/{id}/{version}")]
pub async fn preview(state: web::Data<AppState>, s: Session, path: web::Path<(String, String)>) -> WebResult {
    admin(&s)?;
    let (id, version) = path.into_inner();
    let org = s.org().to_owned();
    let st = state.clone();
    let (i, v) = (id.clone(), version.clone());
    let tr = s.tr();
    let now = state.clock.now();
    let (row, f, approval) = db(&state, move |conn| {
        let today = crate::http::frameworks::today_in(conn, &org, now)?;
        let (row, f) = svc::find_visible(conn, &st.cache, &org, &i, &v)?;
        let approval = approval(conn, &row, today, tr)?;
        Ok((row, f, approval))
    })
    .await?;
    render(&Preview {
        page: s.page_titled(f.title.get(s.lang).to_owned()),
        public_url: (row.status == crate::db::queries::frameworks::APPROVED)
            .then(|| format!("/frameworks/{}/{}", urlencode(&id), urlencode(&version))),
        approval,
        id,
        version,
        shipped: row.organisation_id.is_none(),
        awarding_body: f.awarding_body.clone(),
        description: f.description.get(s.lang).to_owned(),
        units: f.units.iter().map(|u| unit_item(u, tr)).collect(),
        qualifications: f.qualifications.iter().map(|q| qualification_item(q, &f, tr)).collect(),
    })
}

#[derive(Template)]
#[template(path = "admin/framework_upload.html", config = "src/web/askama.toml")]
struct Upload {
    page: Page,
    source: String,
    errors: FieldErrors,
    diagnostics: Vec<String>,
}

/// The upload form: a file, or the TOML pasted.
#[get("/admin/frameworks/upload")]
pub async fn upload_form(s: Session) -> WebResult {
    admin(&s)?;
    render(&Upload {
        page: s.page("admin-framework-upload-title"),
        source: String::new(),
        errors: FieldErrors::new(),
        diagnostics: Vec::new(),
    })
}

/// The upload form as posted.
#[derive(MultipartForm)]
pub struct UploadForm {
    csrf: Text<String>,
    #[multipart(limit = "4MiB")]
    file: Option<Bytes>,
    source: Option<Text<String>>,
}

/// The name a diagnostic starts with: the uploaded file's own name, without any folders.
fn file_name(given: Option<&str>) -> String {
    given
        .and_then(|n| n.rsplit(['/', '\\']).next())
        .map(|n| n.chars().filter(|c| !c.is_control()).collect::<String>())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "upload.toml".to_owned())
}

/// Stores a new framework version exactly as the API's upload does; on errors shows every
/// diagnostic of the loader and keeps the text.
#[post("/admin/frameworks/upload")]
pub async fn upload(state: web::Data<AppState>, s: Session, form: MultipartForm<UploadForm>) -> WebResult {
    s.check_csrf(&form.csrf)?;
    admin(&s)?;
    let tr = s.tr();
    let form = form.into_inner();
    let mut source = form.source.map(|t| t.into_inner()).unwrap_or_default();
    let mut errors = FieldErrors::new();
    let mut name = "upload.toml".to_owned();
    if let Some(f) = form.file.filter(|f| !f.data.is_empty()) {
        name = file_name(f.file_name.as_deref());
        match String::from_utf8(f.data.to_vec()) {
            Ok(text) => source = text,
            Err(_) => {
                errors.insert("file".into(), tr.t("admin-framework-not-text"));
            }
        }
    } else if source.trim().is_empty() {
        errors.insert("source".into(), tr.t("admin-framework-nothing"));
    }
    let mut diagnostics = Vec::new();
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    if errors.is_empty() {
        let (org, text) = (s.org().to_owned(), source.clone());
        let actor = s.who.user.id.clone();
        let result =
            db(&state, move |conn| Ok(svc::store(conn, &name, &text, Some(&org), Some(&actor)))).await?;
        match result {
            Ok((f, stored)) => {
                tracing::info!(framework = %f.id, version = %f.version, ?stored, "framework uploaded on the admin pages");
                let done = match stored {
                    Stored::Inserted => "admin-framework-uploaded",
                    Stored::Unchanged => "admin-framework-unchanged",
                };
                return Ok(redirect(&format!(
                    "/admin/frameworks/{}/{}?done={done}",
                    urlencode(f.id.as_str()),
                    urlencode(f.version.as_str())
                )));
            }
            Err(ServiceError::Framework(d)) => diagnostics = d.iter().map(ToString::to_string).collect(),
            Err(ServiceError::Invalid(_)) => {
                errors.insert("source".into(), tr.t("admin-framework-id-taken"));
            }
            Err(ServiceError::Db(DbError::Immutable(_))) => {
                status = StatusCode::CONFLICT;
                errors.insert("source".into(), tr.t("admin-framework-version-taken"));
            }
            Err(e) => return Err(e.into()),
        }
    }
    render_status(
        status,
        &Upload { page: s.page("admin-framework-upload-title"), source, errors, diagnostics },
    )
}

/// Registers the framework pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list).service(upload_form).service(upload).service(preview);
}
