//! The audit trail as an organisation's administrators read it.

use actix_web::{HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::ApiError;
use super::extract::{AppState, Caller, db};
use crate::auth::Role;
use crate::db::models::AuditEventRow;
use crate::service::{ServiceError, audit as svc};

/// Events per page unless `limit` says otherwise, and the most one page holds.
pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

/// Which page of events.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Only events with a lower `seq` (the previous page's `next_before`).
    pub before: Option<i64>,
    /// Events per page, 1 to 200 (default 50).
    pub limit: Option<i64>,
}

/// One event of the audit trail.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEventView {
    /// Position in the service's one chain; increases strictly, across organisations.
    pub seq: i64,
    /// When, in UTC.
    #[serde(serialize_with = "super::rfc3339::serialize")]
    pub at: chrono::NaiveDateTime,
    /// Who did it; absent for the command line and for failed sign-ins.
    pub actor_id: Option<String>,
    /// `sign-in`, `sign-in-failed`, `user-created`, `user-changed`, `password-changed`,
    /// `decision-submitted`, `decision-confirmed`, `decision-returned`, `certificate-issued`,
    /// `certificate-revoked`, `certificate-suspended`, `certificate-reinstated`, `key-rotated`,
    /// `key-compromised`, `framework-uploaded`, `framework-approved`, `framework-returned`,
    /// `framework-review-date-set`, `coach-assigned`, `coach-unassigned` or `plan-read`.
    pub action: String,
    /// The id of what it was done to (a user, decision, certificate, key or framework).
    pub subject: String,
    /// Facts about the event: ids, counts, roles; never secrets.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    /// This event's hash in the chain (hex SHA-256).
    pub hash: String,
}

impl From<&AuditEventRow> for AuditEventView {
    fn from(r: &AuditEventRow) -> Self {
        AuditEventView {
            seq: r.seq,
            at: r.at,
            actor_id: r.actor_id.clone(),
            action: r.action.clone(),
            subject: r.subject.clone(),
            // Written by us as JSON; should it not parse, it is shown as the text it is.
            details: serde_json::from_str(&r.details).unwrap_or_else(|_| r.details.clone().into()),
            hash: r.hash.clone(),
        }
    }
}

/// A page of events, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub events: Vec<AuditEventView>,
    /// Pass as `before` for the next (older) page; absent on the last page.
    pub next_before: Option<i64>,
}

/// Checks a requested page size.
pub fn page_size(limit: Option<i64>) -> Result<i64, ServiceError> {
    match limit {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(ServiceError::invalid("limit", format!("give a number from 1 to {MAX_LIMIT}"))),
    }
}

/// The caller's organisation's audit events, newest first (administrators only).
#[utoipa::path(get, path = "/api/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = AuditPage), (status = 400, body = super::error::Problem),
        (status = 401, body = super::error::Problem), (status = 403, body = super::error::Problem),
        (status = 422, body = super::error::Problem)),
    security(("bearer" = [])))]
#[get("/api/audit")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Admin])?;
    let AuditQuery { before, limit } = query.into_inner();
    let limit = page_size(limit)?;
    let org = caller.org().to_owned();
    let rows = db(&state, move |conn| Ok(svc::list(conn, &org, before, limit)?)).await?;
    let next_before = (rows.len() as i64 == limit).then(|| rows.last().map(|r| r.seq)).flatten();
    Ok(HttpResponse::Ok()
        .json(AuditPage { events: rows.iter().map(AuditEventView::from).collect(), next_before }))
}
