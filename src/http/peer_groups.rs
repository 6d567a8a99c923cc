//! Peer groups: the coach's groups (`/api/groups`), and a member's view of theirs
//! (`/api/me/groups`), where others appear only as far as each has chosen to share. The rules
//! are in `service::peer_groups`.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::ApiError;
use super::extract::{AppState, Caller, db};
use super::progress::LangQuery;
use crate::auth::Role;
use crate::db::models::{PeerGroupRow, PeerGroupSessionRow};
use crate::engine::Lang;
use crate::i18n::Tr;
use crate::service::peer_groups::{self as svc, CoachGroup, MemberGroup, NewSession};

/// A new group: its name and theme.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGroupDto {
    pub name: String,
    #[serde(default)]
    pub theme: String,
}

/// A group in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupSummary {
    pub id: String,
    pub name: String,
    pub theme: String,
    #[serde(serialize_with = "super::rfc3339::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: chrono::NaiveDateTime,
    /// Send it back with a change of name or theme.
    pub version: i64,
}

impl From<PeerGroupRow> for GroupSummary {
    fn from(g: PeerGroupRow) -> Self {
        GroupSummary { id: g.id, name: g.name, theme: g.theme, created_at: g.created_at, version: g.version }
    }
}

/// A group's new name and theme, as of the version read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupChangeDto {
    pub version: i64,
    pub name: String,
    #[serde(default)]
    pub theme: String,
}

/// A member as the coach sees them.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberView {
    pub candidate_id: String,
    pub display_name: String,
    /// How the group sees them when they share nothing: "Participant 3".
    pub seat: i64,
    pub share_name: bool,
    pub share_goal: bool,
}

/// A session as the coach sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    pub id: String,
    pub date: NaiveDate,
    pub topic: String,
    pub assignment: String,
    /// The coach's notes (not shown to members).
    pub notes: String,
    /// Candidate ids of the members who came (not shown to members).
    pub attended: Vec<String>,
}

fn session_view(s: &PeerGroupSessionRow) -> SessionView {
    SessionView {
        id: s.id.clone(),
        date: s.session_date,
        topic: s.topic.clone(),
        assignment: s.assignment.clone(),
        notes: s.notes.clone(),
        attended: svc::attended(s),
    }
}

/// A group as its coach sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeerGroupView {
    pub id: String,
    pub name: String,
    pub theme: String,
    /// Send it back with a change of name or theme.
    pub version: i64,
    pub members: Vec<MemberView>,
    /// The latest first.
    pub sessions: Vec<SessionView>,
}

fn group_view(g: &CoachGroup) -> PeerGroupView {
    PeerGroupView {
        id: g.group.id.clone(),
        name: g.group.name.clone(),
        theme: g.group.theme.clone(),
        version: g.group.version,
        members: g
            .members
            .iter()
            .map(|m| MemberView {
                candidate_id: m.candidate.id.clone(),
                display_name: m.candidate.display_name.clone(),
                seat: m.row.seat,
                share_name: m.row.share_name,
                share_goal: m.row.share_goal,
            })
            .collect(),
        sessions: g.sessions.iter().map(session_view).collect(),
    }
}

/// Reads a group the caller leads (shared with the pages).
pub async fn read_group(
    state: &web::Data<AppState>,
    caller_org: String,
    coach: String,
    id: String,
) -> Result<CoachGroup, ApiError> {
    db(state, move |conn| Ok(svc::for_coach(conn, &caller_org, &coach, &id)?)).await
}

/// The groups the signed-in coach leads.
#[utoipa::path(get, path = "/api/groups", tag = "groups",
    responses((status = 200, body = [GroupSummary])), security(("bearer" = [])))]
#[get("/api/groups")]
pub async fn list(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Coach])?;
    let (org, coach) = (caller.org().to_owned(), caller.user.id.clone());
    let rows = db(&state, move |conn| Ok(svc::led(conn, &org, &coach)?)).await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(GroupSummary::from).collect::<Vec<_>>()))
}

/// Starts a group around a theme, led by the signed-in coach.
#[utoipa::path(post, path = "/api/groups", tag = "groups", request_body = NewGroupDto,
    responses((status = 201, body = GroupSummary)), security(("bearer" = [])))]
#[post("/api/groups")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<NewGroupDto>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Coach])?;
    let (org, coach, b) = (caller.org().to_owned(), caller.user.id.clone(), body.into_inner());
    let row = db(&state, move |conn| Ok(svc::create(conn, &org, &coach, &b.name, &b.theme)?)).await?;
    Ok(HttpResponse::Created().json(GroupSummary::from(row)))
}

/// Renames a group the signed-in coach leads, or changes its theme. A change made from an
/// older version is refused with 409.
#[utoipa::path(put, path = "/api/groups/{id}", tag = "groups", request_body = GroupChangeDto,
    responses((status = 200, body = GroupSummary), (status = 404), (status = 409, body = super::error::Problem)),
    security(("bearer" = [])))]
#[put("/api/groups/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<GroupChangeDto>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Coach])?;
    let (org, coach, id, b) =
        (caller.org().to_owned(), caller.user.id.clone(), id.into_inner(), body.into_inner());
    let row = db(&state, move |conn| Ok(svc::rename(conn, &org, &coach, &id, b.version, &b.name, &b.theme)?))
        .await?;
    Ok(HttpResponse::Ok().json(GroupSummary::from(row)))
}

/// A group the signed-in coach leads: members with what each shares, and sessions.
#[utoipa::path(get, path = "/api/groups/{id}", tag = "groups",
    responses((status = 200, body = PeerGroupView), (status = 404)), security(("bearer" = [])))]
#[get("/api/groups/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Coach])?;
    let g = read_group(&state, caller.org().to_owned(), caller.user.id.clone(), id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(group_view(&g)))
}

/// One of the coach's participants to add to a group.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMemberDto {
    pub candidate_id: String,
}

/// Adds one of the coach's participants to the group; they share nothing until they choose to.
#[utoipa::path(post, path = "/api/groups/{id}/members", tag = "groups", request_body = NewMemberDto,
    responses((status = 201, body = PeerGroupView), (status = 404), (status = 409, body = super::error::Problem)), security(("bearer" = [])))]
#[post("/api/groups/{id}/members")]
pub async fn add_member(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<NewMemberDto>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Coach])?;
    let (org, coach, id, cand) =
        (caller.org().to_owned(), caller.user.id.clone(), id.into_inner(), body.into_inner().candidate_id);
    let g = db(&state, move |conn| {
        svc::add_member(conn, &org, &coach, &id, &cand)?;
        Ok(svc::for_coach(conn, &org, &coach, &id)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(group_view(&g)))
}

/// Takes a member out of the group.
#[utoipa::path(delete, path = "/api/groups/{id}/members/{candidate_id}", tag = "groups",
    responses((status = 204), (status = 404)), security(("bearer" = [])))]
#[delete("/api/groups/{id}/members/{candidate_id}")]
pub async fn remove_member(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Coach])?;
    let (org, coach) = (caller.org().to_owned(), caller.user.id.clone());
    let (id, cand) = path.into_inner();
    db(&state, move |conn| Ok(svc::remove_member(conn, &org, &coach, &id, &cand)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A session of the group as the coach writes it down.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSessionDto {
    pub date: NaiveDate,
    pub topic: String,
    #[serde(default)]
    pub notes: String,
    /// The assignment until the next session.
    #[serde(default)]
    pub assignment: String,
    /// Candidate ids of the members who came.
    #[serde(default)]
    pub attended: Vec<String>,
}

/// Records a session: date, topic, attendance, notes and the assignment until the next one.
#[utoipa::path(post, path = "/api/groups/{id}/sessions", tag = "groups", request_body = NewSessionDto,
    responses((status = 201, body = SessionView), (status = 404)), security(("bearer" = [])))]
#[post("/api/groups/{id}/sessions")]
pub async fn add_session(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<NewSessionDto>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Coach])?;
    let (org, coach, id, b) =
        (caller.org().to_owned(), caller.user.id.clone(), id.into_inner(), body.into_inner());
    let new = NewSession {
        date: b.date,
        topic: b.topic,
        notes: b.notes,
        assignment: b.assignment,
        attended: b.attended,
    };
    let row = db(&state, move |conn| Ok(svc::add_session(conn, &org, &coach, &id, new)?)).await?;
    Ok(HttpResponse::Created().json(session_view(&row)))
}

/// A member as the rest of the group sees them.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeerView {
    pub seat: i64,
    /// Their name if they share it, else "Participant <seat>", in the reader's language.
    pub shown_name: String,
    /// Whether the name is theirs (shared) rather than the seat.
    pub name_shared: bool,
    /// Their goal, only if they share it.
    pub goal: Option<String>,
    pub is_me: bool,
}

/// A session as members see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberSessionView {
    pub date: NaiveDate,
    pub topic: String,
    pub assignment: String,
}

/// A group as a member sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyGroupView {
    pub id: String,
    pub name: String,
    pub theme: String,
    /// What I share with the group.
    pub share_name: bool,
    pub share_goal: bool,
    pub members: Vec<PeerView>,
    pub sessions: Vec<MemberSessionView>,
}

/// The member's group as they see it, in `lang`.
pub fn my_group_view(g: &MemberGroup, lang: Lang) -> MyGroupView {
    let tr = Tr::new(lang);
    MyGroupView {
        id: g.group.id.clone(),
        name: g.group.name.clone(),
        theme: g.group.theme.clone(),
        share_name: g.me.share_name,
        share_goal: g.me.share_goal,
        members: g
            .members
            .iter()
            .map(|m| PeerView {
                seat: m.seat,
                shown_name: m.name.clone().unwrap_or_else(|| tr.t1("group-member-n", "n", &m.seat)),
                name_shared: m.name.is_some(),
                goal: m.goal.clone(),
                is_me: m.is_me,
            })
            .collect(),
        sessions: g
            .sessions
            .iter()
            .map(|s| MemberSessionView {
                date: s.session_date,
                topic: s.topic.clone(),
                assignment: s.assignment.clone(),
            })
            .collect(),
    }
}

/// Reads the signed-in member's groups (shared with the pages).
pub async fn read_my_groups(state: &web::Data<AppState>, user: String) -> Result<Vec<MemberGroup>, ApiError> {
    db(state, move |conn| Ok(svc::for_member(conn, &user)?)).await
}

/// The groups the signed-in participant is a member of, with others shown only as they chose.
#[utoipa::path(get, path = "/api/me/groups", tag = "groups", params(LangQuery),
    responses((status = 200, body = [MyGroupView])), security(("bearer" = [])))]
#[get("/api/me/groups")]
pub async fn mine(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<LangQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Candidate])?;
    let lang = super::plans::reader_lang(&caller, &query, &req);
    let groups = read_my_groups(&state, caller.user.id.clone()).await?;
    Ok(HttpResponse::Ok().json(groups.iter().map(|g| my_group_view(g, lang)).collect::<Vec<_>>()))
}

/// What a member shares with the group; both start off.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SharingDto {
    /// Show my name instead of "Participant <seat>".
    pub share_name: bool,
    /// Show my plan's goal.
    pub share_goal: bool,
}

/// Chooses what the group sees of the signed-in member.
#[utoipa::path(put, path = "/api/me/groups/{id}/sharing", tag = "groups", params(LangQuery), request_body = SharingDto,
    responses((status = 200, body = MyGroupView), (status = 404)), security(("bearer" = [])))]
#[put("/api/me/groups/{id}/sharing")]
pub async fn set_sharing(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: web::Query<LangQuery>,
    req: HttpRequest,
    body: web::Json<SharingDto>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Candidate])?;
    let lang = super::plans::reader_lang(&caller, &query, &req);
    let (user, id, b) = (caller.user.id.clone(), id.into_inner(), body.into_inner());
    let group = db(&state, move |conn| {
        svc::set_sharing(conn, &user, &id, b.share_name, b.share_goal)?;
        svc::for_member(conn, &user)?.into_iter().find(|g| g.group.id == id).ok_or(ApiError::NotFound)
    })
    .await?;
    Ok(HttpResponse::Ok().json(my_group_view(&group, lang)))
}
