//! Frameworks: list, view, and upload of a new version (administrators).

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::ApiError;
use super::extract::{AppState, Caller, db};
use crate::auth::Role;
use crate::db::models::FrameworkRow;
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
    /// Where the version stands with the panel, and when it is due for review.
    pub approval: ApprovalView,
}

/// A version's standing with the panel. Assessments start only on an `approved` version;
/// shipped versions are approved by the system (`decided_by` null) the day they are loaded.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApprovalView {
    /// `draft` (waiting for a panel member), `approved` or `returned`.
    pub status: String,
    /// The user who uploaded it; null for a shipped framework.
    pub uploaded_by: Option<String>,
    #[serde(serialize_with = "super::rfc3339::serialize")]
    pub uploaded_at: chrono::NaiveDateTime,
    /// The panel member who approved or returned it; null while a draft, and for the system.
    pub decided_by: Option<String>,
    #[serde(serialize_with = "super::rfc3339::option")]
    pub decided_at: Option<chrono::NaiveDateTime>,
    /// The panel member's comment.
    pub comment: Option<String>,
    /// When the panel should review the approved version again: by default four years after
    /// approval.
    pub review_due: Option<NaiveDate>,
    /// True once the review date has passed (the day after it).
    pub review_overdue: bool,
}

impl ApprovalView {
    /// The standing of `row` on `today`.
    pub fn of(row: &FrameworkRow, today: NaiveDate) -> Self {
        ApprovalView {
            status: row.status.clone(),
            uploaded_by: row.uploaded_by.clone(),
            uploaded_at: row.loaded_at,
            decided_by: row.decided_by.clone(),
            decided_at: row.decided_at,
            comment: row.decision_comment.clone(),
            review_due: row.review_due,
            review_overdue: svc::review_overdue(row, today),
        }
    }
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
    /// Where the version stands with the panel (absent on the public, unsigned view).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approval: Option<ApprovalView>,
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
            approval: None,
        }
    }
}

/// Today in organisation `org` at `now`: review dates are counted in its calendar.
pub fn today_in(
    conn: &mut crate::db::DbConnection,
    org: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<NaiveDate, ApiError> {
    Ok(crate::service::clock::org_today(conn, org, now)?)
}

/// Who may read the organisation's framework versions.
const READERS: &[Role] = &[Role::Admin, Role::Assessor, Role::Verifier, Role::Panel];

/// Framework versions the organisation can assess against.
#[utoipa::path(get, path = "/api/frameworks", tag = "frameworks", responses((status = 200, body = [FrameworkSummary])), security(("bearer" = [])))]
#[get("/api/frameworks")]
pub async fn list(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(READERS)?;
    let org = caller.org().to_owned();
    let st = state.clone();
    let now = state.clock.now();
    let out = db(&state, move |conn| {
        let today = today_in(conn, &org, now)?;
        let visible = svc::visible(conn, &st.cache, &org)?;
        Ok(visible
            .into_iter()
            .map(|(r, f)| FrameworkSummary {
                approval: ApprovalView::of(&r, today),
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
    caller.require(READERS)?;
    let (id, version) = path.into_inner();
    let org = caller.org().to_owned();
    let st = state.clone();
    let now = state.clock.now();
    let (row, f, today) = db(&state, move |conn| {
        let (row, f) = svc::find_visible(conn, &st.cache, &org, &id, &version)?;
        Ok((row, f, today_in(conn, &org, now)?))
    })
    .await?;
    let mut view = FrameworkView::from(&*f);
    view.approval = Some(ApprovalView::of(&row, today));
    Ok(HttpResponse::Ok().json(view))
}

/// Uploads a framework version as TOML (`Content-Type: application/toml` or `text/plain`).
/// The same checks as `validera frameworks check`; every error comes back at once. A stored
/// version never changes: the same id and version with other content is `version-exists`.
/// A new version is a `draft` until a panel member of the organisation approves it.
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
    let (fid, fver, org) = (f.id.to_string(), f.version.to_string(), caller.org().to_owned());
    let now = state.clock.now();
    let (row, today) = db(&state, move |conn| {
        Ok((crate::db::queries::frameworks::find(conn, &fid, &fver)?, today_in(conn, &org, now)?))
    })
    .await?;
    let mut body = FrameworkView::from(&f);
    body.approval = Some(ApprovalView::of(&row, today));
    Ok(match stored {
        Stored::Inserted => HttpResponse::Created().json(body),
        Stored::Unchanged => HttpResponse::Ok().json(body),
    })
}

/// A panel member's approval of a draft.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveDto {
    /// Optional comment to the organisation.
    #[serde(default)]
    pub comment: Option<String>,
    /// When the version is to be reviewed; after today. Default: four years from today.
    #[serde(default)]
    pub review_due: Option<NaiveDate>,
}

/// A panel member's return of a draft.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnDto {
    /// What the organisation should change; required.
    pub comment: String,
}

/// A new review date for an approved version.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewDateDto {
    /// After today.
    pub review_due: NaiveDate,
}

/// Records the panel's answer on `id`@`version` as `who`; returns the version and the
/// organisation's today. Shared by the API and the panel's pages.
pub async fn decide_as(
    state: &web::Data<AppState>,
    who: &super::extract::SignedIn,
    id: String,
    version: String,
    answer: svc::PanelAnswer,
) -> Result<(FrameworkRow, NaiveDate), ApiError> {
    who.require(&[Role::Panel])?;
    let (org, actor) = (who.org().to_owned(), who.user.id.clone());
    let now = state.clock.now();
    let (row, today) = db(state, move |conn| {
        let today = today_in(conn, &org, now)?;
        Ok((svc::decide(conn, &org, &actor, &id, &version, answer, today)?, today))
    })
    .await?;
    tracing::info!(framework = %row.framework_id, version = %row.version, status = %row.status, "panel decided");
    Ok((row, today))
}

/// Approves a draft version (panel members): assessments may start on it from now on. The
/// uploader cannot approve their own upload (`four-eyes`); a version already approved or
/// returned is `framework-decided`.
#[utoipa::path(post, path = "/api/frameworks/{id}/{version}/approve", tag = "frameworks", request_body = ApproveDto,
    responses((status = 200, body = ApprovalView),
        (status = 403, description = "four-eyes: you uploaded this version; or the role does not allow this, or the version is shipped with validera", body = super::error::Problem),
        (status = 409, description = "framework-decided: the version is already approved or returned", body = super::error::Problem)),
    security(("bearer" = [])))]
#[post("/api/frameworks/{id}/{version}/approve")]
pub async fn approve(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    body: web::Json<ApproveDto>,
) -> Result<HttpResponse, ApiError> {
    let (id, version) = path.into_inner();
    let ApproveDto { comment, review_due } = body.into_inner();
    let (row, today) =
        decide_as(&state, &caller, id, version, svc::PanelAnswer::Approve { comment, review_due }).await?;
    Ok(HttpResponse::Ok().json(ApprovalView::of(&row, today)))
}

/// Returns a draft version to the organisation with a comment (panel members). It is never
/// assessed against; a corrected file is uploaded as a new version.
#[utoipa::path(post, path = "/api/frameworks/{id}/{version}/return", tag = "frameworks", request_body = ReturnDto,
    responses((status = 200, body = ApprovalView),
        (status = 409, description = "framework-decided: the version is already approved or returned", body = super::error::Problem)),
    security(("bearer" = [])))]
#[post("/api/frameworks/{id}/{version}/return")]
pub async fn send_back(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    body: web::Json<ReturnDto>,
) -> Result<HttpResponse, ApiError> {
    let (id, version) = path.into_inner();
    let comment = body.into_inner().comment;
    let (row, today) = decide_as(&state, &caller, id, version, svc::PanelAnswer::Return { comment }).await?;
    Ok(HttpResponse::Ok().json(ApprovalView::of(&row, today)))
}

/// Sets another review date on an approved version of the organisation (panel members), e.g.
/// after reviewing it.
#[utoipa::path(post, path = "/api/frameworks/{id}/{version}/review-date", tag = "frameworks", request_body = ReviewDateDto,
    responses((status = 200, body = ApprovalView),
        (status = 409, description = "framework-not-approved: only an approved version has a review date", body = super::error::Problem)),
    security(("bearer" = [])))]
#[post("/api/frameworks/{id}/{version}/review-date")]
pub async fn review_date(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    body: web::Json<ReviewDateDto>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Panel])?;
    let (id, version) = path.into_inner();
    let due = body.into_inner().review_due;
    let (org, actor) = (caller.org().to_owned(), caller.user.id.clone());
    let now = state.clock.now();
    let (row, today) = db(&state, move |conn| {
        let today = today_in(conn, &org, now)?;
        Ok((svc::set_review_due(conn, &org, &actor, &id, &version, due, today)?, today))
    })
    .await?;
    Ok(HttpResponse::Ok().json(ApprovalView::of(&row, today)))
}

/// An approved version for anyone; a draft or a returned version is not published (not
/// found), as no certificate can name it.
fn public_framework(
    conn: &mut crate::db::DbConnection,
    cache: &svc::FrameworkCache,
    id: &str,
    version: &str,
) -> Result<std::sync::Arc<Framework>, ApiError> {
    let row = crate::db::queries::frameworks::find(conn, id, version)?;
    if row.status != crate::db::queries::frameworks::APPROVED {
        return Err(ApiError::NotFound);
    }
    Ok(cache.get(conn, id, version)?)
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
    let f = db(&state, move |conn| public_framework(conn, &st.cache, &id, &version)).await?;
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
    let f = db(&state, move |conn| public_framework(conn, &st.cache, &id, &version)).await?;
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
    let f = db(&state, move |conn| public_framework(conn, &st.cache, &id, &version)).await?;
    let q = f.qualifications.iter().find(|q| q.code.as_str() == code).ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .json(qualification_view(q)))
}
