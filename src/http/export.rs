//! A participant's own data as one JSON download (`service::export`).

use actix_web::{HttpResponse, get, web};

use super::error::ApiError;
use super::extract::{AppState, Caller, db};
use crate::auth::Role;

/// Everything stored about the signed-in candidate as a JSON attachment (shared with the pages).
pub async fn export_response(state: &web::Data<AppState>, user_id: String) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let doc = db(state, move |conn| Ok(crate::service::export::my_data(conn, &user_id, now)?)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"my-data-{}.json\"", now.format("%Y-%m-%d")),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .json(doc))
}

/// All the signed-in candidate's data: account and profile, assessments with every record
/// revision, decisions, confirmed units, the plan with every version, follow-ups, and
/// certificates with their credentials. `format` names the document's shape.
#[utoipa::path(get, path = "/api/me/export", tag = "plans",
    responses((status = 200, body = Object, content_type = "application/json")), security(("bearer" = [])))]
#[get("/api/me/export")]
pub async fn my_data(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Candidate])?;
    export_response(&state, caller.user.id.clone()).await
}
