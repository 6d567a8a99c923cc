//! Coaches and their participants: the administrator assigns a coach (a user with the coach
//! role) to a candidate, or ends it, or asks the candidate first on the coach's behalf
//! (`service::invitations`: the coach sees nothing until the candidate says yes). All are in the
//! audit trail.

use actix_web::{get, post, web};
use askama::Template;

use super::{Fields, admin, field};
use crate::auth::{Role, Roles};
use crate::db::queries::{candidates, users};
use crate::http::error::ApiError;
use crate::http::extract::{AppState, db};
use crate::service::plans as svc;
use crate::web::page::{Page, WebResult, redirect, render};
use crate::web::session::Session;

/// A coach as the page shows them.
pub struct CoachRow {
    id: String,
    name: String,
}

/// A candidate with their coaches and the coaches who could be added.
pub struct CandidateRow {
    id: String,
    name: String,
    coaches: Vec<CoachRow>,
    addable: Vec<CoachRow>,
}

#[derive(Template)]
#[template(path = "admin/coaches.html", config = "src/web/askama.toml")]
struct Coaches {
    page: Page,
    candidates: Vec<CandidateRow>,
    any_coach: bool,
}

/// Every candidate of the organisation with their coaches.
#[get("/admin/coaches")]
pub async fn list(state: web::Data<AppState>, s: Session) -> WebResult {
    admin(&s)?;
    let org = s.org().to_owned();
    let (cands, coaches) = db(&state, move |conn| {
        let all: Vec<CoachRow> = users::list_by_organisation(conn, &org)?
            .into_iter()
            .filter(|u| u.active && u.roles.parse::<Roles>().is_ok_and(|r| r.has(Role::Coach)))
            .map(|u| CoachRow { id: u.id, name: u.display_name })
            .collect();
        let mut rows = Vec::new();
        for c in candidates::list_in_org(conn, &org)? {
            let assigned = svc::coaches(conn, &org, &c.id)?;
            let coaches: Vec<CoachRow> = assigned
                .iter()
                .map(|a| CoachRow { id: a.assignment.coach_id.clone(), name: a.display_name.clone() })
                .collect();
            let addable = all
                .iter()
                .filter(|u| !coaches.iter().any(|c| c.id == u.id))
                .map(|u| CoachRow { id: u.id.clone(), name: u.name.clone() })
                .collect();
            rows.push(CandidateRow { id: c.id, name: c.display_name, coaches, addable });
        }
        Ok((rows, all))
    })
    .await?;
    render(&Coaches {
        page: s.page("admin-coaches-title"),
        candidates: cands,
        any_coach: !coaches.is_empty(),
    })
}

/// Assigns a coach to a candidate.
#[post("/admin/coaches/assign")]
pub async fn assign(state: web::Data<AppState>, s: Session, body: web::Form<Fields>) -> WebResult {
    s.check_csrf(field(&body, "csrf"))?;
    admin(&s)?;
    let (org, actor) = (s.org().to_owned(), s.who.user.id.clone());
    let (cand, coach) = (field(&body, "candidate").to_owned(), field(&body, "coach").to_owned());
    let done = db(&state, move |conn| match svc::assign(conn, &org, &actor, &cand, &coach) {
        Ok(_) => Ok("coach-assigned"),
        // Assigned meanwhile by someone else: what was asked for is true.
        Err(crate::service::ServiceError::Db(crate::db::DbError::Duplicate(_))) => Ok("coach-assigned"),
        Err(e) => Err(ApiError::from(e)),
    })
    .await?;
    Ok(redirect(&format!("/admin/coaches?done={done}")))
}

/// Asks the candidate whether the coach may work with them, on the coach's behalf.
#[post("/admin/coaches/invite")]
pub async fn invite(state: web::Data<AppState>, s: Session, body: web::Form<Fields>) -> WebResult {
    use crate::service::invitations::{self as inv, Proposer};
    s.check_csrf(field(&body, "csrf"))?;
    admin(&s)?;
    let (org, actor) = (s.org().to_owned(), s.who.user.id.clone());
    let (cand, coach) = (field(&body, "candidate").to_owned(), field(&body, "coach").to_owned());
    db(&state, move |conn| match inv::propose(conn, &org, Proposer::Admin { id: &actor }, &cand, &coach) {
        // Asked or assigned meanwhile by someone else: the candidate decides either way.
        Ok(_) | Err(crate::service::ServiceError::Db(crate::db::DbError::Duplicate(_))) => Ok(()),
        Err(e) => Err(ApiError::from(e)),
    })
    .await?;
    Ok(redirect("/admin/coaches?done=coach-invited"))
}

/// Ends a coach's work with a candidate.
#[post("/admin/coaches/unassign")]
pub async fn unassign(state: web::Data<AppState>, s: Session, body: web::Form<Fields>) -> WebResult {
    s.check_csrf(field(&body, "csrf"))?;
    admin(&s)?;
    let (org, actor) = (s.org().to_owned(), s.who.user.id.clone());
    let (cand, coach) = (field(&body, "candidate").to_owned(), field(&body, "coach").to_owned());
    db(&state, move |conn| Ok(svc::unassign(conn, &org, &actor, &cand, &coach)?)).await?;
    Ok(redirect("/admin/coaches?done=coach-unassigned"))
}

/// Registers the coach pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list).service(assign).service(invite).service(unassign);
}
