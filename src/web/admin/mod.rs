//! The administrator's pages: people and their roles, frameworks, signing keys, the
//! status of issued certificates, the audit trail, and the organisation's name and time zone. Every page needs the administrator role and shows only the
//! administrator's own organisation.

mod audit;
mod certificates;
mod coaches;
mod eqa;
pub(crate) mod frameworks;
mod keys;
mod organisation;
mod users;

use actix_web::{get, web};
use askama::Template;

use super::page::{Page, WebError, WebResult, render};
use super::session::Session;
use crate::auth::Role;
use crate::db::queries::{credentials, users as user_q};
use crate::http::extract::{AppState, db};

/// Refuses anyone who is not an administrator.
fn admin(s: &Session) -> Result<(), WebError> {
    s.require(&[Role::Admin])
}

/// A form posted with repeated fields (checkbox groups), as name–value pairs in order.
type Fields = Vec<(String, String)>;

/// The first value of `name`, or an empty string.
fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

/// Every value of `name`.
fn all<'a>(fields: &'a Fields, name: &str) -> Vec<&'a str> {
    fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
}

/// The languages an account may have, with their names in themselves.
const LANGUAGES: [(&str, &str); 3] = [("sv", "Svenska"), ("fi", "Suomi"), ("en", "English")];

/// The name of language `tag` in itself.
fn language_name(tag: &str) -> &str {
    LANGUAGES.iter().find(|(t, _)| *t == tag).map_or(tag, |(_, n)| n)
}

#[derive(Template)]
#[template(path = "admin/overview.html", config = "src/web/askama.toml")]
struct Overview {
    page: Page,
    users: usize,
    active_users: usize,
    frameworks: usize,
    own_frameworks: usize,
    keys: usize,
    certificates: usize,
    revoked: usize,
    suspended: usize,
    time_zone: String,
}

/// The administrator's start page: the sections and a few counts.
#[get("/admin")]
pub async fn overview(state: web::Data<AppState>, s: Session) -> WebResult {
    admin(&s)?;
    let org = s.org().to_owned();
    let st = state.clone();
    let (people, fws, keys, certs, zone) = db(&state, move |conn| {
        let zone = crate::db::queries::organisations::find_by_id(conn, &org)?.time_zone;
        let people = user_q::list_by_organisation(conn, &org)?;
        let fws = crate::service::frameworks::visible(conn, &st.cache, &org)?;
        let keys = crate::service::keys::published(conn, Some(&org))?;
        let certs = credentials::list_in_org(conn, &org)?;
        Ok((people, fws, keys, certs, zone))
    })
    .await?;
    render(&Overview {
        page: s.page("admin-title"),
        users: people.len(),
        active_users: people.iter().filter(|u| u.active).count(),
        frameworks: fws.len(),
        own_frameworks: fws.iter().filter(|(r, _)| r.organisation_id.is_some()).count(),
        keys: keys.len(),
        certificates: certs.len(),
        revoked: certs.iter().filter(|c| c.revoked_at.is_some()).count(),
        suspended: certs.iter().filter(|c| c.revoked_at.is_none() && c.suspended_at.is_some()).count(),
        time_zone: zone,
    })
}

/// Registers the administrator's pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(overview);
    users::routes(cfg);
    frameworks::routes(cfg);
    keys::routes(cfg);
    certificates::routes(cfg);
    audit::routes(cfg);
    organisation::routes(cfg);
    coaches::routes(cfg);
    eqa::routes(cfg);
}
