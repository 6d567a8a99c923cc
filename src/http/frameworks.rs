//! Frameworks: list, view, and upload of a new version (administrators).

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::error::ApiError;
use super::extract::{AppState, Caller, db};
use crate::auth::Role;
use crate::db::queries::frameworks::Stored;
use crate::engine::framework::{Criterion, Framework, Qualification, Unit};
use crate::engine::lang::{Text, Title};
use crate::service::frameworks as svc;

/// A text in the three languages (`fi` may be missing for long texts).
#[derive(Debug, Serialize, ToSchema)]
pub struct Localized {
    pub sv: String,
    pub fi: Option<String>,
    pub en: String,
}

impl From<&Title> for Localized {
    fn from(t: &Title) -> Self {
        Localized { sv: t.sv.clone(), fi: Some(t.fi.clone()), en: t.en.clone() }
    }
}

impl From<&Text> for Localized {
    fn from(t: &Text) -> Self {
        Localized { sv: t.sv.clone(), fi: t.fi.clone(), en: t.en.clone() }
    }
}

/// One framework version in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct FrameworkSummary {
    pub id: String,
    pub version: String,
    pub title: Localized,
    pub units: usize,
    pub criteria: usize,
    pub qualifications: Vec<String>,
    /// True if shipped with the service, false if uploaded by the organisation.
    pub shipped: bool,
    pub sha256: String,
}

/// A criterion.
#[derive(Debug, Serialize, ToSchema)]
pub struct CriterionView {
    pub id: String,
    pub text: Localized,
    pub methods: Vec<String>,
}

/// A learning outcome.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeView {
    pub id: String,
    pub text: Localized,
    pub criteria: Vec<CriterionView>,
}

/// A unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitView {
    pub code: String,
    pub title: Localized,
    pub description: Localized,
    /// `E1`–`E3` or `1`–`8`.
    pub level: String,
    pub eqf_level: u8,
    pub credits: u16,
    pub currency_years: u8,
    pub validity_years: Option<u8>,
    pub outcomes: Vec<OutcomeView>,
}

/// An optional group of a qualification.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupView {
    pub title: Localized,
    pub min_units: u32,
    pub units: Vec<String>,
}

/// A qualification.
#[derive(Debug, Serialize, ToSchema)]
pub struct QualificationView {
    pub code: String,
    pub title: Localized,
    pub description: Localized,
    pub validity_years: Option<u8>,
    pub mandatory: Vec<String>,
    pub optional_groups: Vec<GroupView>,
    pub min_credits: Option<u32>,
    /// `[level, credits]` pairs: at least `credits` at `level` or above.
    pub min_credits_at_level: Vec<(String, u32)>,
}

/// A whole framework version.
#[derive(Debug, Serialize, ToSchema)]
pub struct FrameworkView {
    pub id: String,
    pub version: String,
    pub title: Localized,
    pub awarding_body: String,
    pub description: Localized,
    pub units: Vec<UnitView>,
    pub qualifications: Vec<QualificationView>,
}

fn criterion_view(c: &Criterion) -> CriterionView {
    CriterionView {
        id: c.id.to_string(),
        text: (&c.text).into(),
        methods: c.methods.iter().map(|m| m.to_string()).collect(),
    }
}

fn unit_view(u: &Unit) -> UnitView {
    UnitView {
        code: u.code.to_string(),
        title: (&u.title).into(),
        description: (&u.description).into(),
        level: u.level.to_string(),
        eqf_level: u.level.eqf(),
        credits: u.credits,
        currency_years: u.currency_years,
        validity_years: u.validity_years,
        outcomes: u
            .outcomes
            .iter()
            .map(|o| OutcomeView {
                id: o.id.clone(),
                text: (&o.text).into(),
                criteria: o.criteria.iter().map(criterion_view).collect(),
            })
            .collect(),
    }
}

fn qualification_view(q: &Qualification) -> QualificationView {
    QualificationView {
        code: q.code.to_string(),
        title: (&q.title).into(),
        description: (&q.description).into(),
        validity_years: q.validity_years,
        mandatory: q.rules.mandatory.iter().map(ToString::to_string).collect(),
        optional_groups: q
            .rules
            .optional_groups
            .iter()
            .map(|g| GroupView {
                title: (&g.title).into(),
                min_units: g.min_units,
                units: g.units.iter().map(ToString::to_string).collect(),
            })
            .collect(),
        min_credits: q.rules.min_credits,
        min_credits_at_level: q
            .rules
            .min_credits_at_level
            .iter()
            .map(|l| (l.level.to_string(), l.credits))
            .collect(),
    }
}

impl From<&Framework> for FrameworkView {
    fn from(f: &Framework) -> Self {
        FrameworkView {
            id: f.id.to_string(),
            version: f.version.to_string(),
            title: (&f.title).into(),
            awarding_body: f.awarding_body.clone(),
            description: (&f.description).into(),
            units: f.units.iter().map(unit_view).collect(),
            qualifications: f.qualifications.iter().map(qualification_view).collect(),
        }
    }
}

/// Framework versions the organisation can assess against.
#[utoipa::path(get, path = "/api/frameworks", tag = "frameworks", responses((status = 200, body = [FrameworkSummary])), security(("bearer" = [])))]
#[get("/api/frameworks")]
pub async fn list(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Admin, Role::Assessor, Role::Verifier])?;
    let org = caller.org().to_owned();
    let st = state.clone();
    let out = db(&state, move |conn| {
        let visible = svc::visible(conn, &st.cache, &org)?;
        Ok(visible
            .into_iter()
            .map(|(r, f)| FrameworkSummary {
                id: r.framework_id,
                version: r.version,
                title: (&f.title).into(),
                units: f.units.len(),
                criteria: f.criterion_count(),
                qualifications: f.qualifications.iter().map(|q| q.code.to_string()).collect(),
                shipped: r.organisation_id.is_none(),
                sha256: r.sha256,
            })
            .collect::<Vec<_>>())
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// One framework version with all units, criteria and qualifications.
#[utoipa::path(get, path = "/api/frameworks/{id}/{version}", tag = "frameworks",
    responses((status = 200, body = FrameworkView), (status = 404)), security(("bearer" = [])))]
#[get("/api/frameworks/{id}/{version}")]
pub async fn view(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Admin, Role::Assessor, Role::Verifier])?;
    let (id, version) = path.into_inner();
    let org = caller.org().to_owned();
    let st = state.clone();
    let (_, f) = db(&state, move |conn| Ok(svc::find_visible(conn, &st.cache, &org, &id, &version)?)).await?;
    Ok(HttpResponse::Ok().json(FrameworkView::from(&*f)))
}

/// Uploads a framework version as TOML (`Content-Type: application/toml` or `text/plain`).
/// The same checks as `validera frameworks check`; every error comes back at once. A stored
/// version never changes: the same id and version with other content is `version-exists`.
#[utoipa::path(post, path = "/api/frameworks", tag = "frameworks",
    request_body(content = String, content_type = "application/toml"),
    responses((status = 201, body = FrameworkView), (status = 200, description = "Identical version already stored", body = FrameworkView),
        (status = 409, description = "version-exists: this id and version are stored with other content; a stored version cannot be changed, so upload it as a new version", body = super::error::Problem),
        (status = 422, body = super::error::Problem)), security(("bearer" = [])))]
#[post("/api/frameworks")]
pub async fn upload(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Admin])?;
    let ct =
        req.headers().get(actix_web::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mime = ct.split(';').next().unwrap_or("").trim();
    if !matches!(mime, "application/toml" | "text/plain" | "text/x-toml") {
        return Err(ApiError::UnsupportedMediaType("send the framework as application/toml".into()));
    }
    let source = String::from_utf8(body.to_vec())
        .map_err(|_| ApiError::MalformedJson("the file is not UTF-8 text".into()))?;
    let org = caller.org().to_owned();
    let actor = caller.user.id.clone();
    let (f, stored) =
        db(&state, move |conn| Ok(svc::store(conn, "upload.toml", &source, Some(&org), Some(&actor))?))
            .await?;
    tracing::info!(framework = %f.id, version = %f.version, ?stored, "framework uploaded");
    let body = FrameworkView::from(&f);
    Ok(match stored {
        Stored::Inserted => HttpResponse::Created().json(body),
        Stored::Unchanged => HttpResponse::Ok().json(body),
    })
}

/// A framework version, public: the `id` of every achievement in a certificate points here.
#[utoipa::path(get, path = "/frameworks/{id}/{version}", tag = "frameworks", responses((status = 200, body = FrameworkView), (status = 404)))]
#[get("/frameworks/{id}/{version}")]
pub async fn public_view(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, version) = path.into_inner();
    let st = state.clone();
    let f = db(&state, move |conn| Ok(st.cache.get(conn, &id, &version)?)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .json(FrameworkView::from(&*f)))
}

/// One unit of a framework version, public.
#[utoipa::path(get, path = "/frameworks/{id}/{version}/units/{code}", tag = "frameworks", responses((status = 200, body = UnitView), (status = 404)))]
#[get("/frameworks/{id}/{version}/units/{code}")]
pub async fn public_unit(
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, version, code) = path.into_inner();
    let st = state.clone();
    let f = db(&state, move |conn| Ok(st.cache.get(conn, &id, &version)?)).await?;
    let unit = f.units.iter().find(|u| u.code.as_str() == code).ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "public, max-age=86400")).json(unit_view(unit)))
}

/// One qualification of a framework version, public.
#[utoipa::path(get, path = "/frameworks/{id}/{version}/qualifications/{code}", tag = "frameworks", responses((status = 200, body = QualificationView), (status = 404)))]
#[get("/frameworks/{id}/{version}/qualifications/{code}")]
pub async fn public_qualification(
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, version, code) = path.into_inner();
    let st = state.clone();
    let f = db(&state, move |conn| Ok(st.cache.get(conn, &id, &version)?)).await?;
    let q = f.qualifications.iter().find(|q| q.code.as_str() == code).ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .json(qualification_view(q)))
}
