//! Liveness and readiness.

use actix_web::{HttpResponse, get, web};
use serde_json::json;

use super::extract::{AppState, db};

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, description = "Alive")))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

/// Readiness: the database answers and takes writes. A database that only reads (a full disk,
/// a read-only file or replica) would fail every sign-in and decision, so it is not ready.
#[utoipa::path(get, path = "/readyz", tag = "health",
    responses((status = 200, description = "Database takes writes"),
        (status = 503, description = "Database unreachable or not taking writes", body = Object)))]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let probe = db(&state, |conn| {
        Ok(crate::db::ping(conn)
            .map_err(|e| (e, "unreachable"))
            .and_then(|()| crate::db::probe_write(conn).map_err(|e| (e, "read-only"))))
    })
    .await;
    let failed = match probe {
        Ok(Ok(())) => return HttpResponse::Ok().json(json!({"status": "ready", "database": "ok"})),
        Ok(Err((e, what))) => {
            tracing::warn!(error = %e, database = what, "readiness check failed");
            what
        }
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            "unreachable"
        }
    };
    HttpResponse::ServiceUnavailable()
        .insert_header((
            actix_web::http::header::RETRY_AFTER,
            super::error::UNAVAILABLE_RETRY_SECS.to_string(),
        ))
        .json(json!({"status": "unavailable", "database": failed}))
}
