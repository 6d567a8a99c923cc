//! Evidence files: uploaded as the raw body, stored with their SHA-256, never replaced.

use actix_web::{HttpRequest, HttpResponse, get, http::header, post, web};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::ApiError;
use super::extract::{AppState, Caller, db};
use crate::auth::Role;
use crate::db::models::EvidenceFileMeta;
use crate::db::queries::files;
use crate::service::records::{Upload, attach_file};

/// An evidence file's metadata.
#[derive(Debug, Serialize, ToSchema)]
pub struct FileView {
    pub id: String,
    pub record_id: String,
    pub file_name: String,
    pub content_type: String,
    /// Hex SHA-256 of the content, to show the file is the one recorded.
    pub sha256: String,
    pub size: i64,
    pub uploaded_by: String,
    #[serde(serialize_with = "super::rfc3339::serialize")]
    pub created_at: chrono::NaiveDateTime,
}

impl From<EvidenceFileMeta> for FileView {
    fn from(m: EvidenceFileMeta) -> Self {
        FileView {
            id: m.id,
            record_id: m.record_id,
            file_name: m.file_name,
            content_type: m.content_type,
            sha256: m.sha256,
            size: m.size,
            uploaded_by: m.uploaded_by,
            created_at: m.created_at,
        }
    }
}

/// Query of an upload.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// The file's name as the candidate knows it.
    pub name: String,
}

/// Reads a body up to `limit` bytes; longer bodies are refused while they stream in.
pub async fn read_limited(mut payload: web::Payload, limit: usize) -> Result<Vec<u8>, ApiError> {
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::MalformedJson(format!("the upload broke off: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge(format!("files may be at most {limit} bytes")));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Attaches a file to an evidence record (raw body; `Content-Type` is kept).
#[utoipa::path(post, path = "/api/records/{id}/files", tag = "records", params(UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = FileView), (status = 413, body = super::error::Problem)), security(("bearer" = [])))]
#[post("/api/records/{id}/files")]
pub async fn upload(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: web::Query<UploadQuery>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Assessor])?;
    let name = query.into_inner().name;
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_owned();
    let content = read_limited(payload, state.file_limit).await?;
    let org = caller.org().to_owned();
    let uploader = caller.user.id.clone();
    let record = id.into_inner();
    let upload = Upload { name, content_type, content };
    let meta = db(&state, move |conn| Ok(attach_file(conn, &org, &record, &uploader, upload)?)).await?;
    Ok(HttpResponse::Created().json(FileView::from(meta)))
}

/// Downloads an evidence file.
#[utoipa::path(get, path = "/api/files/{id}", tag = "records", responses((status = 200, content_type = "application/octet-stream"), (status = 404)), security(("bearer" = [])))]
#[get("/api/files/{id}")]
pub async fn download(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Assessor, Role::Verifier])?;
    file_response(&state, caller.org().to_owned(), id.into_inner()).await
}

/// Evidence file `id` of `org` as a download. Shared by the API and the verifier's pages; the
/// caller checks the role.
pub async fn file_response(
    state: &web::Data<AppState>,
    org: String,
    id: String,
) -> Result<HttpResponse, ApiError> {
    let (meta, content) = db(state, move |conn| Ok(files::find_content_in_org(conn, &org, &id)?)).await?;
    Ok(HttpResponse::Ok()
        .content_type(meta.content_type)
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", meta.file_name.replace(['"', '\\', '\r', '\n'], "_")),
        ))
        .insert_header(("X-Content-SHA256", meta.sha256.clone()))
        .body(content))
}
