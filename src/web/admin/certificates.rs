//! Issued certificates: the organisation's list, one certificate with its status history, and
//! revoking, suspending and reinstating it with a reason that the public page shows.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, post, web};
use askama::Template;
use serde::Deserialize;

use super::admin;
use crate::db::models::CredentialRow;
use crate::db::queries::{candidates, credentials as q, users};
use crate::engine::Lang;
use crate::http::certificates::{change_status, status_of};
use crate::http::error::ApiError;
use crate::http::extract::{AppState, db};
use crate::i18n::Tr;
use crate::service::ServiceError;
use crate::service::certificates::StatusChange;
use crate::service::frameworks::FrameworkCache;
use crate::web::page::{FieldErrors, Page, WebError, WebResult, redirect, render, render_status};
use crate::web::session::Session;

/// A certificate as the list and the page show it.
struct CertificateItem {
    id: String,
    holder: String,
    /// `unit` or `qualification`.
    kind: String,
    code: String,
    title: String,
    framework: String,
    issued: String,
    valid_until: Option<String>,
    /// `active`, `suspended` or `revoked`.
    status: &'static str,
    reason: Option<String>,
    version: i64,
}

/// The title of the unit or qualification a certificate is for, in `lang`.
fn achievement_title(
    conn: &mut crate::db::DbConnection,
    cache: &FrameworkCache,
    row: &CredentialRow,
    lang: Lang,
) -> Result<String, ServiceError> {
    let f = cache.get(conn, &row.framework_id, &row.framework_version)?;
    let code = row.achievement_code.as_str();
    let title = match row.kind.as_str() {
        "qualification" => {
            f.qualifications.iter().find(|q| q.code.as_str() == code).map(|q| q.title.get(lang))
        }
        _ => f.units.iter().find(|u| u.code.as_str() == code).map(|u| u.title.get(lang)),
    };
    Ok(title.unwrap_or(code).to_owned())
}

fn item(row: &CredentialRow, holder: String, title: String, tr: Tr, zone: chrono_tz::Tz) -> CertificateItem {
    let (status, reason) = status_of(row);
    let local = |t: chrono::NaiveDateTime| crate::service::clock::today(zone, t.and_utc());
    CertificateItem {
        id: row.id.clone(),
        holder,
        kind: row.kind.clone(),
        code: row.achievement_code.clone(),
        title,
        framework: format!("{}@{}", row.framework_id, row.framework_version),
        issued: tr.date(&local(row.issued_at)),
        valid_until: row.valid_until.map(|d| tr.date(&local(d))),
        status: if status == "valid" { "active" } else { status },
        reason,
        version: row.version,
    }
}

#[derive(Template)]
#[template(path = "admin/certificates.html", config = "src/web/askama.toml")]
struct CertificateList {
    page: Page,
    certificates: Vec<CertificateItem>,
}

/// The organisation's certificates, newest first.
#[get("/admin/certificates")]
pub async fn list(state: web::Data<AppState>, s: Session) -> WebResult {
    admin(&s)?;
    let org = s.org().to_owned();
    let st = state.clone();
    let tr = s.tr();
    let certificates = db(&state, move |conn| {
        let names: HashMap<String, String> =
            candidates::list_in_org(conn, &org)?.into_iter().map(|c| (c.id, c.display_name)).collect();
        let zone = crate::service::clock::org_zone(conn, &org)?;
        let mut rows = q::list_in_org(conn, &org)?;
        rows.sort_by_key(|r| std::cmp::Reverse(r.issued_at));
        rows.iter()
            .map(|r| {
                let title = achievement_title(conn, &st.cache, r, tr.lang)?;
                let holder = names.get(&r.candidate_id).cloned().unwrap_or_default();
                Ok(item(r, holder, title, tr, zone))
            })
            .collect::<Result<Vec<_>, ApiError>>()
    })
    .await?;
    render(&CertificateList { page: s.page("admin-certificates-title"), certificates })
}

/// One status change in the history.
struct EventItem {
    action: String,
    reason: String,
    who: String,
    when: String,
}

#[derive(Template)]
#[template(path = "admin/certificate.html", config = "src/web/askama.toml")]
struct CertificatePage {
    page: Page,
    c: CertificateItem,
    events: Vec<EventItem>,
    revoke_reason: String,
    suspend_reason: String,
    reinstate_reason: String,
    errors: FieldErrors,
}

async fn certificate_page(
    state: &web::Data<AppState>,
    s: &Session,
    id: String,
    status: StatusCode,
    errors: FieldErrors,
    kept: (&str, &str),
) -> WebResult {
    let org = s.org().to_owned();
    let st = state.clone();
    let tr = s.tr();
    let (c, events) = db(state, move |conn| {
        let row = q::find_in_org(conn, &org, &id)?;
        let holder = candidates::find_in_org(conn, &org, &row.candidate_id)?.display_name;
        let title = achievement_title(conn, &st.cache, &row, tr.lang)?;
        let people: HashMap<String, String> =
            users::list_by_organisation(conn, &org)?.into_iter().map(|u| (u.id, u.display_name)).collect();
        let events = q::list_events(conn, &row.id)?
            .into_iter()
            .map(|e| EventItem {
                action: tr.t(&format!("admin-certificate-event-{}", e.action)),
                who: people.get(&e.actor_id).cloned().unwrap_or(e.actor_id),
                when: tr.datetime(&e.created_at),
                reason: e.reason,
            })
            .collect::<Vec<_>>();
        let zone = crate::service::clock::org_zone(conn, &org)?;
        Ok((item(&row, holder, title, tr, zone), events))
    })
    .await?;
    let kept_for = |action: &str| if kept.0 == action { kept.1.to_owned() } else { String::new() };
    let page = s.page_titled(format!("{} – {}", c.title, c.holder));
    render_status(
        status,
        &CertificatePage {
            page,
            revoke_reason: kept_for("revoke"),
            suspend_reason: kept_for("suspend"),
            reinstate_reason: kept_for("reinstate"),
            c,
            events,
            errors,
        },
    )
}

/// One certificate: what it says, its status history, and the forms to change its status.
#[get("/admin/certificates/{id}")]
pub async fn show(state: web::Data<AppState>, s: Session, id: web::Path<String>) -> WebResult {
    admin(&s)?;
    certificate_page(&state, &s, id.into_inner(), StatusCode::OK, FieldErrors::new(), ("", "")).await
}

/// A status change as posted.
#[derive(Deserialize)]
pub struct ChangeForm {
    csrf: String,
    action: String,
    #[serde(default)]
    version: i64,
    #[serde(default)]
    reason: String,
}

/// Revokes (for good), suspends or reinstates the certificate, exactly as the API does.
#[post("/admin/certificates/{id}")]
pub async fn change(
    state: web::Data<AppState>,
    s: Session,
    id: web::Path<String>,
    form: web::Form<ChangeForm>,
) -> WebResult {
    s.check_csrf(&form.csrf)?;
    admin(&s)?;
    let tr = s.tr();
    let id = id.into_inner();
    let ChangeForm { action, version, reason, .. } = form.into_inner();
    let (change, done) = match action.as_str() {
        "revoke" => (StatusChange::Revoke, "admin-certificate-revoked"),
        "suspend" => (StatusChange::Suspend, "admin-certificate-suspended"),
        "reinstate" => (StatusChange::Reinstate, "admin-certificate-reinstated"),
        _ => return Err(ApiError::NotFound.into()),
    };
    let mut errors = FieldErrors::new();
    let field = format!("{action}-reason");
    if reason.trim().is_empty() {
        errors.insert(field, tr.t("admin-certificate-reason-missing"));
    } else {
        match change_status(&state, &s.who, id.clone(), version, reason.clone(), change).await {
            Ok(_) => return Ok(redirect(&format!("/admin/certificates/{id}?done={done}"))),
            // Changed since the page was opened (a stale version), or a change the page offered
            // that the certificate's state no longer allows: the page's own words, not the API's.
            Err(ApiError::Conflict(_)) => {
                return Err(WebError::Api(ApiError::Conflict(tr.t("admin-certificate-state-changed"))));
            }
            Err(ApiError::Validation(p)) if p.iter().any(|p| p.field == "id") => {
                return Err(WebError::Api(ApiError::Conflict(tr.t("admin-certificate-state-changed"))));
            }
            Err(ApiError::Validation(p)) => {
                let text = p.first().and_then(|p| crate::web::input_message(tr, p));
                errors.insert(field, text.unwrap_or_else(|| tr.t("admin-certificate-reason-missing")));
            }
            Err(e) => return Err(e.into()),
        }
    }
    certificate_page(&state, &s, id, StatusCode::UNPROCESSABLE_ENTITY, errors, (&action, &reason)).await
}

/// Registers the certificate pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list).service(show).service(change);
}
