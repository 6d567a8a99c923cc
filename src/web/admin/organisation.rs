//! The organisation's settings: its name, the time zone whose calendar gives its "today", and
//! whether its credentials name the people of the QA chain.

use actix_web::http::StatusCode;
use actix_web::{get, post, web};
use askama::Template;

use super::{Fields, admin, field};
use crate::db::queries::organisations;
use crate::http::extract::{AppState, db};
use crate::service::{ServiceError, accounts};
use crate::web::page::{FieldErrors, Page, WebResult, redirect, render, render_status};
use crate::web::session::Session;

#[derive(Template)]
#[template(path = "admin/organisation.html", config = "src/web/askama.toml")]
struct OrganisationPage {
    page: Page,
    name: String,
    time_zone: String,
    /// The QA chain in its credentials names people.
    names: bool,
    awarding_body: bool,
    version: i64,
    /// Every IANA zone name, for the field's suggestions.
    zones: Vec<&'static str>,
    errors: FieldErrors,
}

fn zones() -> Vec<&'static str> {
    chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()).collect()
}

/// The organisation's name and time zone.
#[get("/admin/organisation")]
pub async fn show(state: web::Data<AppState>, s: Session) -> WebResult {
    admin(&s)?;
    let org = s.org().to_owned();
    let o = db(&state, move |conn| Ok(organisations::find_by_id(conn, &org)?)).await?;
    render(&OrganisationPage {
        page: s.page("admin-organisation-title"),
        name: o.name,
        time_zone: o.time_zone,
        names: o.names_in_credentials,
        awarding_body: o.awarding_body,
        version: o.version,
        zones: zones(),
        errors: FieldErrors::new(),
    })
}

/// Saves the name and the time zone, if nobody changed them since the form was opened.
#[post("/admin/organisation")]
pub async fn save(state: web::Data<AppState>, s: Session, body: web::Form<Fields>) -> WebResult {
    s.check_csrf(field(&body, "csrf"))?;
    admin(&s)?;
    let tr = s.tr();
    let (name, time_zone) = (field(&body, "name").to_owned(), field(&body, "time_zone").to_owned());
    let version: i64 = field(&body, "version").parse().unwrap_or(0);
    // An unticked box is not posted at all.
    let names = field(&body, "names_in_credentials") == "on";
    let (org, actor) = (s.org().to_owned(), s.who.user.id.clone());
    let change = accounts::OrganisationUpdate {
        name: Some(name.clone()),
        time_zone: Some(time_zone.clone()),
        names_in_credentials: Some(names),
    };
    let (result, awarding_body) = db(&state, move |conn| {
        let r = accounts::update_organisation(conn, &org, Some(&actor), version, change);
        Ok((r, organisations::find_by_id(conn, &org)?.awarding_body))
    })
    .await?;
    let mut errors = FieldErrors::new();
    match result {
        Ok(_) => return Ok(redirect("/admin/organisation?done=admin-organisation-saved")),
        Err(ServiceError::Invalid(problems)) => {
            for p in problems {
                let text = match p.field.as_str() {
                    "time_zone" => tr.t("admin-organisation-time-zone-unknown"),
                    _ => crate::web::input_message(tr, &p)
                        .unwrap_or_else(|| tr.t("admin-organisation-name-invalid")),
                };
                errors.insert(p.field, text);
            }
        }
        Err(e) => return Err(e.into()),
    }
    render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &OrganisationPage {
            page: s.page("admin-organisation-title"),
            name,
            time_zone,
            names,
            awarding_body,
            version,
            zones: zones(),
            errors,
        },
    )
}

/// Registers the organisation's page.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(show).service(save);
}
