//! The organisation's part of the audit trail, newest first, a page at a time.

use std::collections::HashMap;

use actix_web::{get, web};
use askama::Template;
use serde::Deserialize;

use super::admin;
use crate::db::queries::users as user_q;
use crate::http::audit::DEFAULT_LIMIT;
use crate::http::extract::{AppState, db};
use crate::service::audit as svc;
use crate::web::page::{Page, WebResult, render};
use crate::web::session::Session;

/// One event as the table shows it.
struct EventRow {
    seq: i64,
    at: String,
    action: String,
    label: String,
    /// The actor's name, or their id if they are not (or no longer) in the organisation.
    actor: Option<String>,
    subject: String,
    /// The subject's name when it is a person of the organisation.
    subject_name: Option<String>,
    /// The details as stored (JSON), or empty.
    details: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html", config = "src/web/askama.toml")]
struct Audit {
    page: Page,
    events: Vec<EventRow>,
    before: Option<i64>,
    next_before: Option<i64>,
}

/// Which page.
#[derive(Debug, Deserialize)]
pub struct AuditPageQuery {
    before: Option<i64>,
}

/// The audit trail of the administrator's organisation.
#[get("/admin/audit")]
pub async fn list(state: web::Data<AppState>, s: Session, q: web::Query<AuditPageQuery>) -> WebResult {
    admin(&s)?;
    let before = q.into_inner().before;
    let org = s.org().to_owned();
    let (rows, people) = db(&state, move |conn| {
        let rows = svc::list(conn, &org, before, DEFAULT_LIMIT)?;
        let people = user_q::list_by_organisation(conn, &org)?;
        Ok((rows, people))
    })
    .await?;
    let names: HashMap<&str, &str> =
        people.iter().map(|u| (u.id.as_str(), u.display_name.as_str())).collect();
    let tr = s.tr();
    let next_before = (rows.len() as i64 == DEFAULT_LIMIT).then(|| rows.last().map(|r| r.seq)).flatten();
    let events = rows
        .iter()
        .map(|r| EventRow {
            seq: r.seq,
            at: tr.datetime(&r.at),
            action: r.action.clone(),
            label: tr.t(&format!("audit-action-{}", r.action)),
            actor: r
                .actor_id
                .as_deref()
                .map(|a| names.get(a).map_or_else(|| a.to_owned(), |n| (*n).to_owned())),
            subject: r.subject.clone(),
            subject_name: names.get(r.subject.as_str()).map(|n| (*n).to_owned()),
            // An event without details shows an empty cell rather than `{}`.
            details: if r.details == "{}" { String::new() } else { r.details.clone() },
        })
        .collect();
    render(&Audit { page: s.page("admin-audit-title"), events, before, next_before })
}

/// Registers the page.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list);
}
