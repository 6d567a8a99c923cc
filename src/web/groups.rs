//! Peer groups on the pages: the coach's groups (desktop and tablet), and a member's view of
//! their groups (phone first) with the choice of what to share. Reads and writes go through
//! `http::peer_groups` and `service::peer_groups`, so the rules are the API's.

use actix_web::http::StatusCode;
use actix_web::{get, post, web};
use askama::Template;
use chrono::NaiveDate;

use super::page::{FieldErrors, Page, WebError, WebResult, redirect, render, render_status};
use super::session::Session;
use crate::auth::Role;
use crate::http::error::ApiError;
use crate::http::extract::{AppState, db};
use crate::http::peer_groups::{MyGroupView, my_group_view, read_group, read_my_groups};
use crate::service::peer_groups::{self as svc, NewSession};
use crate::service::plans as plan_svc;

type Fields = Vec<(String, String)>;

fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

/// A group in the coach's list.
pub struct GroupRow {
    id: String,
    name: String,
    theme: String,
}

#[derive(Template)]
#[template(path = "groups/list.html", config = "src/web/askama.toml")]
struct List {
    page: Page,
    groups: Vec<GroupRow>,
    name: String,
    theme: String,
    errors: FieldErrors,
}

async fn list_page(
    state: &web::Data<AppState>,
    s: &Session,
    name: String,
    theme: String,
    errors: FieldErrors,
) -> Result<List, WebError> {
    let (org, coach) = (s.org().to_owned(), s.who.user.id.clone());
    let rows = db(state, move |conn| Ok(svc::led(conn, &org, &coach)?)).await?;
    Ok(List {
        page: s.page("groups-title"),
        groups: rows.into_iter().map(|g| GroupRow { id: g.id, name: g.name, theme: g.theme }).collect(),
        name,
        theme,
        errors,
    })
}

/// The use case's field problems as messages, each at the form field `at` names for it (the
/// first problem of a field wins).
fn field_errors(
    tr: crate::i18n::Tr,
    problems: Vec<crate::service::FieldProblem>,
    at: impl Fn(String) -> String,
) -> FieldErrors {
    let mut errors = FieldErrors::new();
    for p in problems {
        let text = super::input_message(tr, &p).unwrap_or_else(|| tr.t("plan-field-invalid"));
        errors.entry(at(p.field)).or_insert(text);
    }
    errors
}

/// The coach's groups and a form to start one.
#[get("/coach/groups")]
pub async fn list(state: web::Data<AppState>, s: Session) -> WebResult {
    s.require(&[Role::Coach])?;
    render(&list_page(&state, &s, String::new(), String::new(), FieldErrors::new()).await?)
}

/// Starts a group.
#[post("/coach/groups")]
pub async fn create(state: web::Data<AppState>, s: Session, body: web::Form<Fields>) -> WebResult {
    s.check_csrf(field(&body, "csrf"))?;
    s.require(&[Role::Coach])?;
    let (org, coach) = (s.org().to_owned(), s.who.user.id.clone());
    let (name, theme) = (field(&body, "name").to_owned(), field(&body, "theme").to_owned());
    let (n, t) = (name.clone(), theme.clone());
    match db(&state, move |conn| Ok(svc::create(conn, &org, &coach, &n, &t)?)).await {
        Ok(g) => Ok(redirect(&format!("/coach/groups/{}?done=group-created", g.id))),
        Err(ApiError::Validation(problems)) => {
            let errors = field_errors(s.tr(), problems, |f| f);
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &list_page(&state, &s, name, theme, errors).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// A member in the coach's view.
pub struct MemberRow {
    id: String,
    name: String,
    seat_label: String,
    sharing: String,
}

/// A session in the coach's view.
pub struct SessionRow {
    date: String,
    topic: String,
    assignment: Vec<String>,
    notes: Vec<String>,
    attended: String,
}

/// A participant the coach may add.
pub struct Candidate {
    id: String,
    name: String,
}

#[derive(Template)]
#[template(path = "groups/group.html", config = "src/web/askama.toml")]
struct Group {
    page: Page,
    id: String,
    /// The name and theme the change form shows.
    name: String,
    theme: String,
    version: i64,
    members: Vec<MemberRow>,
    sessions: Vec<SessionRow>,
    addable: Vec<Candidate>,
    form_date: String,
    errors: FieldErrors,
}

fn lines(s: &str) -> Vec<String> {
    s.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned).collect()
}

async fn group_page(
    state: &web::Data<AppState>,
    s: &Session,
    id: String,
    errors: FieldErrors,
) -> Result<Group, WebError> {
    s.require(&[Role::Coach])?;
    let g = read_group(state, s.org().to_owned(), s.who.user.id.clone(), id.clone()).await?;
    let (org, coach) = (s.org().to_owned(), s.who.user.id.clone());
    let now = state.clock.now();
    let (participants, today) = db(state, move |conn| {
        Ok((plan_svc::participants(conn, &org, &coach)?, crate::service::clock::org_today(conn, &org, now)?))
    })
    .await?;
    let tr = s.tr();
    let name_of =
        |c: &str| g.members.iter().find(|m| m.candidate.id == c).map(|m| m.candidate.display_name.clone());
    let members = g
        .members
        .iter()
        .map(|m| MemberRow {
            id: m.candidate.id.clone(),
            name: m.candidate.display_name.clone(),
            seat_label: tr.t1("group-member-n", "n", &m.row.seat),
            sharing: match (m.row.share_name, m.row.share_goal) {
                (false, false) => tr.t("group-shares-nothing"),
                (true, false) => tr.t("group-shares-name"),
                (false, true) => tr.t("group-shares-goal"),
                (true, true) => tr.t("group-shares-both"),
            },
        })
        .collect();
    let sessions = g
        .sessions
        .iter()
        .map(|x| {
            let names: Vec<String> = svc::attended(x).iter().filter_map(|c| name_of(c)).collect();
            SessionRow {
                date: tr.date(&x.session_date),
                topic: x.topic.clone(),
                assignment: lines(&x.assignment),
                notes: lines(&x.notes),
                attended: if names.is_empty() { tr.t("group-nobody") } else { names.join(", ") },
            }
        })
        .collect();
    let addable = participants
        .into_iter()
        .filter(|c| !g.members.iter().any(|m| m.candidate.id == c.id))
        .map(|c| Candidate { id: c.id, name: c.display_name })
        .collect();
    Ok(Group {
        page: s.page_titled(g.group.name.clone()),
        id,
        name: g.group.name.clone(),
        theme: g.group.theme.clone(),
        version: g.group.version,
        members,
        sessions,
        addable,
        form_date: today.to_string(),
        errors,
    })
}

/// A group the coach leads: members and what each shares, sessions, and forms for both.
#[get("/coach/groups/{id}")]
pub async fn group(state: web::Data<AppState>, s: Session, id: web::Path<String>) -> WebResult {
    render(&group_page(&state, &s, id.into_inner(), FieldErrors::new()).await?)
}

/// Changes the group's name and theme; a change from a stale page is a conflict.
#[post("/coach/groups/{id}")]
pub async fn change(
    state: web::Data<AppState>,
    s: Session,
    id: web::Path<String>,
    body: web::Form<Fields>,
) -> WebResult {
    s.check_csrf(field(&body, "csrf"))?;
    s.require(&[Role::Coach])?;
    let (org, coach, id) = (s.org().to_owned(), s.who.user.id.clone(), id.into_inner());
    let version = field(&body, "version").trim().parse::<i64>().map_err(|_| ApiError::NotFound)?;
    let (gid, name, theme) = (id.clone(), field(&body, "name").to_owned(), field(&body, "theme").to_owned());
    match db(&state, move |conn| Ok(svc::rename(conn, &org, &coach, &gid, version, &name, &theme)?)).await {
        Ok(_) => Ok(redirect(&format!("/coach/groups/{id}?done=group-renamed"))),
        Err(ApiError::Validation(problems)) => {
            let errors = field_errors(s.tr(), problems, |f| f);
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &group_page(&state, &s, id, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// Adds one of the coach's participants to the group.
#[post("/coach/groups/{id}/members")]
pub async fn add_member(
    state: web::Data<AppState>,
    s: Session,
    id: web::Path<String>,
    body: web::Form<Fields>,
) -> WebResult {
    s.check_csrf(field(&body, "csrf"))?;
    s.require(&[Role::Coach])?;
    let (org, coach, id) = (s.org().to_owned(), s.who.user.id.clone(), id.into_inner());
    let (gid, cand) = (id.clone(), field(&body, "candidate").to_owned());
    db(&state, move |conn| Ok(svc::add_member(conn, &org, &coach, &gid, &cand)?)).await?;
    Ok(redirect(&format!("/coach/groups/{id}?done=group-member-added")))
}

/// Takes a member out of the group.
#[post("/coach/groups/{id}/members/{candidate}/remove")]
pub async fn remove_member(
    state: web::Data<AppState>,
    s: Session,
    path: web::Path<(String, String)>,
    body: web::Form<Fields>,
) -> WebResult {
    s.check_csrf(field(&body, "csrf"))?;
    s.require(&[Role::Coach])?;
    let (org, coach) = (s.org().to_owned(), s.who.user.id.clone());
    let (id, cand) = path.into_inner();
    let gid = id.clone();
    db(&state, move |conn| Ok(svc::remove_member(conn, &org, &coach, &gid, &cand)?)).await?;
    Ok(redirect(&format!("/coach/groups/{id}?done=group-member-removed")))
}

/// Records a session of the group.
#[post("/coach/groups/{id}/sessions")]
pub async fn add_session(
    state: web::Data<AppState>,
    s: Session,
    id: web::Path<String>,
    body: web::Form<Fields>,
) -> WebResult {
    s.check_csrf(field(&body, "csrf"))?;
    s.require(&[Role::Coach])?;
    let id = id.into_inner();
    let tr = s.tr();
    let mut errors = FieldErrors::new();
    let Ok(date) = field(&body, "date").trim().parse::<NaiveDate>() else {
        errors.insert("date".into(), tr.t("plan-date-invalid"));
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &group_page(&state, &s, id, errors).await?);
    };
    let new = NewSession {
        date,
        topic: field(&body, "topic").to_owned(),
        notes: field(&body, "notes").to_owned(),
        assignment: field(&body, "assignment").to_owned(),
        attended: body.iter().filter(|(k, _)| k == "attended").map(|(_, v)| v.clone()).collect(),
    };
    let (org, coach, gid) = (s.org().to_owned(), s.who.user.id.clone(), id.clone());
    match db(&state, move |conn| Ok(svc::add_session(conn, &org, &coach, &gid, new)?)).await {
        Ok(_) => Ok(redirect(&format!("/coach/groups/{id}?done=group-session-saved"))),
        Err(ApiError::Validation(problems)) => {
            // Every `attended[…]` problem is said at the one attendance field.
            let at = |f: String| if f.starts_with("attended") { "attended".to_owned() } else { f };
            let errors = field_errors(tr, problems, at);
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &group_page(&state, &s, id, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "groups/mine.html", config = "src/web/askama.toml")]
struct Mine {
    page: Page,
    groups: Vec<MyGroupView>,
}

/// The participant's groups, others shown only as each chose, and their own sharing choice.
#[get("/candidate/groups")]
pub async fn mine(state: web::Data<AppState>, s: Session) -> WebResult {
    s.require(&[Role::Candidate])?;
    let groups = read_my_groups(&state, s.who.user.id.clone()).await?;
    render(&Mine {
        page: s.page("groups-mine-title"),
        groups: groups.iter().map(|g| my_group_view(g, s.lang)).collect(),
    })
}

/// The participant chooses what a group sees of them.
#[post("/candidate/groups/{id}/sharing")]
pub async fn sharing(
    state: web::Data<AppState>,
    s: Session,
    id: web::Path<String>,
    body: web::Form<Fields>,
) -> WebResult {
    s.check_csrf(field(&body, "csrf"))?;
    s.require(&[Role::Candidate])?;
    let (user, id) = (s.who.user.id.clone(), id.into_inner());
    let (name, goal) = (field(&body, "share_name") == "true", field(&body, "share_goal") == "true");
    db(&state, move |conn| Ok(svc::set_sharing(conn, &user, &id, name, goal)?)).await?;
    Ok(redirect("/candidate/groups?done=group-sharing-saved"))
}

/// Registers the group pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(group)
        .service(change)
        .service(add_member)
        .service(remove_member)
        .service(add_session)
        .service(mine)
        .service(sharing);
}
