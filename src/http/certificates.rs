//! Certificates: the candidate's own, downloads in each format, status changes by
//! administrators, and the published status lists.

use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::ApiError;
use super::extract::{AppState, Caller, SignedIn, db};
use super::progress::LangQuery;
use crate::auth::Role;
use crate::db::models::CredentialRow;
use crate::db::queries::{candidates, credentials as q};
use crate::engine::Lang;
use crate::service::certificates::{self as svc, StatusChange};

/// A certificate as its holder and staff see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateView {
    pub id: String,
    /// `unit` or `qualification`.
    pub kind: String,
    pub code: String,
    pub framework_id: String,
    pub framework_version: String,
    #[serde(serialize_with = "super::rfc3339::serialize")]
    pub issued_at: chrono::NaiveDateTime,
    #[serde(serialize_with = "super::rfc3339::option")]
    pub valid_until: Option<chrono::NaiveDateTime>,
    /// `valid`, `suspended` or `revoked`.
    pub status: String,
    pub status_reason: Option<String>,
    /// The public verification page (also in the QR code): the link to share.
    pub share_url: String,
    pub credential_url: String,
    pub jwt_url: String,
    pub pdf_url: String,
    pub version: i64,
}

/// A certificate's status as a word.
pub fn status_of(row: &CredentialRow) -> (&'static str, Option<String>) {
    match (&row.revoked_at, &row.suspended_at) {
        (Some(_), _) => ("revoked", row.revocation_reason.clone()),
        (None, Some(_)) => ("suspended", row.suspension_reason.clone()),
        (None, None) => ("valid", None),
    }
}

impl CertificateView {
    fn new(row: &CredentialRow, public_url: &str) -> Self {
        let (status, status_reason) = status_of(row);
        let api = format!("/api/certificates/{}", row.id);
        CertificateView {
            id: row.id.clone(),
            kind: row.kind.clone(),
            code: row.achievement_code.clone(),
            framework_id: row.framework_id.clone(),
            framework_version: row.framework_version.clone(),
            issued_at: row.issued_at,
            valid_until: row.valid_until,
            status: status.to_owned(),
            status_reason,
            share_url: svc::credential_url(public_url, &row.id),
            credential_url: format!("{api}/credential.json"),
            jwt_url: format!("{api}/credential.jwt"),
            pdf_url: format!("{api}/certificate.pdf"),
            version: row.version,
        }
    }
}

/// The signed-in candidate's certificates.
#[utoipa::path(get, path = "/api/me/certificates", tag = "certificates", responses((status = 200, body = [CertificateView])), security(("bearer" = [])))]
#[get("/api/me/certificates")]
pub async fn mine(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Candidate])?;
    let user = caller.user.id.clone();
    let rows = db(&state, move |conn| {
        let cand = candidates::find_by_user(conn, &user)?;
        Ok(q::list_for_candidate(conn, &cand.id)?)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .json(rows.iter().map(|r| CertificateView::new(r, &state.public_url)).collect::<Vec<_>>()))
}

/// The organisation's certificates (staff).
#[utoipa::path(get, path = "/api/certificates", tag = "certificates", responses((status = 200, body = [CertificateView])), security(("bearer" = [])))]
#[get("/api/certificates")]
pub async fn list(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Admin, Role::Assessor, Role::Verifier])?;
    let org = caller.org().to_owned();
    let rows = db(&state, move |conn| Ok(q::list_in_org(conn, &org)?)).await?;
    Ok(HttpResponse::Ok()
        .json(rows.iter().map(|r| CertificateView::new(r, &state.public_url)).collect::<Vec<_>>()))
}

/// A certificate the caller may download: their own as candidate, or their organisation's.
pub(super) async fn accessible(
    state: &web::Data<AppState>,
    caller: &Caller,
    id: String,
) -> Result<CredentialRow, ApiError> {
    let candidate_only = caller.roles.has(Role::Candidate)
        && !(caller.roles.has(Role::Admin)
            || caller.roles.has(Role::Assessor)
            || caller.roles.has(Role::Verifier));
    find_accessible(state, caller, id, candidate_only).await
}

/// Certificate `id` of `who`'s organisation; with `own_only`, only if `who` holds it (another's
/// answers 404). Shared by the API and the candidate's pages.
pub async fn find_accessible(
    state: &web::Data<AppState>,
    who: &SignedIn,
    id: String,
    own_only: bool,
) -> Result<CredentialRow, ApiError> {
    let org = who.org().to_owned();
    let user = who.user.id.clone();
    db(state, move |conn| {
        let row = q::find_in_org(conn, &org, &id)?;
        if own_only && candidates::find_by_user(conn, &user)?.id != row.candidate_id {
            return Err(ApiError::NotFound);
        }
        Ok(row)
    })
    .await
}

/// One certificate.
#[utoipa::path(get, path = "/api/certificates/{id}", tag = "certificates", responses((status = 200, body = CertificateView), (status = 404)), security(("bearer" = [])))]
#[get("/api/certificates/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let row = accessible(&state, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(CertificateView::new(&row, &state.public_url)))
}

/// The signed credential (JSON-LD with its Data Integrity proof), exactly as issued.
#[utoipa::path(get, path = "/api/certificates/{id}/credential.json", tag = "certificates",
    responses((status = 200, content_type = "application/vc+ld+json")), security(("bearer" = [])))]
#[get("/api/certificates/{id}/credential.json")]
pub async fn credential_json(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let row = accessible(&state, &caller, id.into_inner()).await?;
    Ok(json_response(row))
}

/// The stored signed credential of `row` as a download.
pub fn json_response(row: CredentialRow) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/vc+ld+json")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"certificate-{}.json\"", row.id),
        ))
        .body(row.document)
}

/// The same credential as a VC-JWT.
#[utoipa::path(get, path = "/api/certificates/{id}/credential.jwt", tag = "certificates",
    responses((status = 200, content_type = "application/vc+jwt")), security(("bearer" = [])))]
#[get("/api/certificates/{id}/credential.jwt")]
pub async fn credential_jwt(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let row = accessible(&state, &caller, id.into_inner()).await?;
    Ok(jwt_response(row))
}

/// The stored VC-JWT of `row` as a download.
pub fn jwt_response(row: CredentialRow) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/vc+jwt")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"certificate-{}.jwt\"", row.id),
        ))
        .body(row.jwt)
}

/// The certificate as a PDF to print, in `?lang=` or the holder's language, with the signed
/// credential embedded so that the file alone can be verified.
#[utoipa::path(get, path = "/api/certificates/{id}/certificate.pdf", tag = "certificates", params(LangQuery),
    responses((status = 200, content_type = "application/pdf")), security(("bearer" = [])))]
#[get("/api/certificates/{id}/certificate.pdf")]
pub async fn certificate_pdf(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: web::Query<LangQuery>,
) -> Result<HttpResponse, ApiError> {
    let row = accessible(&state, &caller, id.into_inner()).await?;
    let asked: Option<Lang> = query.lang.as_deref().and_then(|l| l.parse().ok());
    pdf_response(&state, row, asked).await
}

/// The PDF of `row` in `asked`, or else its holder's language, as a download.
pub async fn pdf_response(
    state: &web::Data<AppState>,
    row: CredentialRow,
    asked: Option<Lang>,
) -> Result<HttpResponse, ApiError> {
    let st = state.clone();
    let id = row.id.clone();
    let bytes = db(state, move |conn| {
        let lang = match asked {
            Some(l) => l,
            None => candidates::find_in_org(conn, &row.organisation_id, &row.candidate_id)?
                .language
                .parse()
                .unwrap_or_default(),
        };
        let doc = svc::pdf_document(conn, &st.cache, &st.public_url, &row, lang)?;
        crate::credential::pdf::render(&doc).map_err(ApiError::internal)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"certificate-{id}.pdf\"")))
        .body(bytes))
}

/// A status change with its reason.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    pub version: i64,
    /// Shown on the public verification page.
    pub reason: String,
}

/// Revokes, suspends or reinstates certificate `id` of the administrator's organisation, if
/// `version` is still current: the one path for the API and the pages.
pub async fn change_status(
    state: &web::Data<AppState>,
    who: &SignedIn,
    id: String,
    version: i64,
    reason: String,
    change: StatusChange,
) -> Result<CredentialRow, ApiError> {
    who.require(&[Role::Admin])?;
    let org = who.org().to_owned();
    let actor = who.user.id.clone();
    let st = state.clone();
    let row = db(state, move |conn| {
        let ctx = st.issuing();
        let req =
            svc::StatusRequest { id: &id, expected_version: version, change, reason: &reason, actor: &actor };
        let changed = svc::change_status(conn, &ctx, &org, req);
        // Committed (or rolled back) by now; this instance shows the change at once.
        st.trust.written();
        Ok(changed?)
    })
    .await?;
    tracing::warn!(credential_id = %row.id, ?change, "certificate status changed");
    Ok(row)
}

async fn change(
    state: web::Data<AppState>,
    caller: Caller,
    id: String,
    body: StatusRequest,
    change: StatusChange,
) -> Result<HttpResponse, ApiError> {
    let row = change_status(&state, &caller, id, body.version, body.reason, change).await?;
    Ok(HttpResponse::Ok().json(CertificateView::new(&row, &state.public_url)))
}

/// Revokes a certificate (final); published in the status list at once.
#[utoipa::path(post, path = "/api/certificates/{id}/revoke", tag = "certificates", request_body = StatusRequest,
    responses((status = 200, body = CertificateView), (status = 409, body = super::error::Problem)), security(("bearer" = [])))]
#[post("/api/certificates/{id}/revoke")]
pub async fn revoke(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<StatusRequest>,
) -> Result<HttpResponse, ApiError> {
    change(state, caller, id.into_inner(), body.into_inner(), StatusChange::Revoke).await
}

/// Suspends a certificate until it is reinstated.
#[utoipa::path(post, path = "/api/certificates/{id}/suspend", tag = "certificates", request_body = StatusRequest,
    responses((status = 200, body = CertificateView), (status = 409, body = super::error::Problem)), security(("bearer" = [])))]
#[post("/api/certificates/{id}/suspend")]
pub async fn suspend(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<StatusRequest>,
) -> Result<HttpResponse, ApiError> {
    change(state, caller, id.into_inner(), body.into_inner(), StatusChange::Suspend).await
}

/// Lifts a suspension.
#[utoipa::path(post, path = "/api/certificates/{id}/reinstate", tag = "certificates", request_body = StatusRequest,
    responses((status = 200, body = CertificateView), (status = 409, body = super::error::Problem)), security(("bearer" = [])))]
#[post("/api/certificates/{id}/reinstate")]
pub async fn reinstate(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<StatusRequest>,
) -> Result<HttpResponse, ApiError> {
    change(state, caller, id.into_inner(), body.into_inner(), StatusChange::Reinstate).await
}

/// An organisation's signed Bitstring Status List credential.
#[utoipa::path(get, path = "/status/{org}/revocation", tag = "certificates", responses((status = 200, content_type = "application/vc+ld+json"), (status = 404)))]
#[get("/status/{org}/revocation")]
pub async fn status_list(
    state: web::Data<AppState>,
    org: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let doc = db(&state, move |conn| Ok(svc::published_list(conn, &org)?)).await?;
    // Short cache: a revocation or suspension must show at once, and verifiers refetch.
    Ok(HttpResponse::Ok()
        .content_type("application/vc+ld+json")
        .insert_header(("Cache-Control", "no-cache"))
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .body(doc))
}
