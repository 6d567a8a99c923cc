//! Follow-ups (a coach's meetings with a participant) and the coach's start page: what needs
//! attention. The rules and the audit of coaches' reads are in `service::follow_ups`.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::ApiError;
use super::extract::{AppState, Caller, db};
use super::plans::{Subject, reader_lang};
use super::progress::LangQuery;
use crate::auth::Role;
use crate::db::models::FollowUpRow;
use crate::engine::Lang;
use crate::service::follow_ups::{self as svc, Attention, NewFollowUp};

/// A meeting as the coach writes it down.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpDto {
    /// The day of the meeting (not after today, in the organisation's calendar).
    pub meeting_date: NaiveDate,
    /// Short notes on the meeting.
    pub notes: String,
    /// The next steps agreed.
    #[serde(default)]
    pub next_steps: String,
    /// The next meeting, if one was agreed.
    pub next_meeting: Option<NaiveDate>,
}

/// A meeting with a participant.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpView {
    pub id: String,
    pub candidate_id: String,
    /// The coach who wrote it.
    pub author_id: String,
    pub meeting_date: NaiveDate,
    pub notes: String,
    pub next_steps: String,
    pub next_meeting: Option<NaiveDate>,
    #[serde(serialize_with = "super::rfc3339::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: chrono::NaiveDateTime,
}

impl From<FollowUpRow> for FollowUpView {
    fn from(r: FollowUpRow) -> Self {
        FollowUpView {
            id: r.id,
            candidate_id: r.candidate_id,
            author_id: r.author_id,
            meeting_date: r.meeting_date,
            notes: r.notes,
            next_steps: r.next_steps,
            next_meeting: r.next_meeting,
            created_at: r.created_at,
        }
    }
}

/// Reads the subject's follow-ups (shared with the pages).
pub async fn read_follow_ups(
    state: &web::Data<AppState>,
    subject: Subject,
) -> Result<Vec<FollowUpRow>, ApiError> {
    db(state, move |conn| Ok(svc::list(conn, subject.viewer())?.1)).await
}

/// Records a meeting with a coach's participant (shared with the pages).
pub async fn add_follow_up(
    state: &web::Data<AppState>,
    subject: Subject,
    new: NewFollowUp,
) -> Result<FollowUpRow, ApiError> {
    let now = state.clock.now();
    db(state, move |conn| Ok(svc::add(conn, subject.viewer(), new, now)?)).await
}

/// What needs the coach's attention (shared with the pages).
pub async fn read_attention(
    state: &web::Data<AppState>,
    caller_org: String,
    coach: String,
    lang: Lang,
) -> Result<Attention, ApiError> {
    let st = state.clone();
    let now = st.clock.now();
    db(state, move |conn| Ok(svc::attention(conn, &st.cache, &caller_org, &coach, lang, now)?)).await
}

fn list_reply(rows: Vec<FollowUpRow>) -> HttpResponse {
    HttpResponse::Ok().json(rows.into_iter().map(FollowUpView::from).collect::<Vec<_>>())
}

/// The signed-in participant's follow-ups, the latest meeting first.
#[utoipa::path(get, path = "/api/me/follow-ups", tag = "plans",
    responses((status = 200, body = [FollowUpView])), security(("bearer" = [])))]
#[get("/api/me/follow-ups")]
pub async fn mine(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let subject = Subject::me(&caller)?;
    Ok(list_reply(read_follow_ups(&state, subject).await?))
}

/// A participant's follow-ups, for their coach; every read is in the audit trail.
#[utoipa::path(get, path = "/api/participants/{id}/follow-ups", tag = "plans",
    responses((status = 200, body = [FollowUpView]), (status = 404)), security(("bearer" = [])))]
#[get("/api/participants/{id}/follow-ups")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let subject = Subject::coached(&caller, id.into_inner())?;
    Ok(list_reply(read_follow_ups(&state, subject).await?))
}

/// Records a meeting with a participant: its date, notes, the next steps agreed, the next meeting.
#[utoipa::path(post, path = "/api/participants/{id}/follow-ups", tag = "plans", request_body = FollowUpDto,
    responses((status = 201, body = FollowUpView), (status = 404)), security(("bearer" = [])))]
#[post("/api/participants/{id}/follow-ups")]
pub async fn add(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<FollowUpDto>,
) -> Result<HttpResponse, ApiError> {
    let subject = Subject::coached(&caller, id.into_inner())?;
    let b = body.into_inner();
    let new = NewFollowUp {
        meeting_date: b.meeting_date,
        notes: b.notes,
        next_steps: b.next_steps,
        next_meeting: b.next_meeting,
    };
    let row = add_follow_up(&state, subject, new).await?;
    Ok(HttpResponse::Created().json(FollowUpView::from(row)))
}

/// Who a line of the start page is about.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantRef {
    pub id: String,
    pub display_name: String,
}

/// An open step due by the end of this week.
#[derive(Debug, Serialize, ToSchema)]
pub struct DueStepView {
    pub participant: ParticipantRef,
    pub step_id: String,
    pub text: String,
    pub target_date: NaiveDate,
    /// The date has passed.
    pub overdue: bool,
}

/// A participant with no meeting in 30 days.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuietView {
    pub participant: ParticipantRef,
    /// The latest meeting; none if there has never been one.
    pub last_meeting: Option<NaiveDate>,
}

/// A unit confirmed since the coach's last visit.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewUnitView {
    pub participant: ParticipantRef,
    pub framework_id: String,
    pub unit: String,
    pub title: Option<String>,
    #[serde(serialize_with = "super::rfc3339::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub confirmed_at: chrono::NaiveDateTime,
}

/// What needs the coach's attention, in the organisation's calendar.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttentionView {
    pub today: NaiveDate,
    /// The Sunday that ends this week.
    pub week_ends: NaiveDate,
    /// Open steps due by the end of the week, overdue ones included.
    pub due_steps: Vec<DueStepView>,
    /// Participants with no follow-up in 30 days.
    pub no_recent_follow_up: Vec<QuietView>,
    /// Where `new_units` begin: when the coach's previous visit to the start page ended (openings
    /// less than an hour apart are one visit), or 14 days ago on the first visit.
    #[serde(serialize_with = "super::rfc3339::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub new_since: chrono::NaiveDateTime,
    /// Units confirmed since `new_since`, newest first.
    pub new_units: Vec<NewUnitView>,
}

fn who(c: &crate::db::models::Candidate) -> ParticipantRef {
    ParticipantRef { id: c.id.clone(), display_name: c.display_name.clone() }
}

/// What needs the signed-in coach's attention among their participants with an open plan:
/// steps due this week, participants with no follow-up in 30 days, units confirmed since the
/// coach's last visit. Opening it (here or as the page `/coach`) is recorded as a visit.
#[utoipa::path(get, path = "/api/coach/attention", tag = "plans", params(LangQuery),
    responses((status = 200, body = AttentionView)), security(("bearer" = [])))]
#[get("/api/coach/attention")]
pub async fn attention(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<LangQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Coach])?;
    let lang = reader_lang(&caller, &query, &req);
    let a = read_attention(&state, caller.org().to_owned(), caller.user.id.clone(), lang).await?;
    Ok(HttpResponse::Ok().json(AttentionView {
        today: a.today,
        week_ends: a.week_ends,
        due_steps: a
            .due
            .iter()
            .map(|d| DueStepView {
                participant: who(&d.candidate),
                step_id: d.step_id.clone(),
                text: d.text.clone(),
                target_date: d.target_date,
                overdue: d.overdue,
            })
            .collect(),
        no_recent_follow_up: a
            .quiet
            .iter()
            .map(|q| QuietView { participant: who(&q.candidate), last_meeting: q.last_meeting })
            .collect(),
        new_since: a.new_since,
        new_units: a
            .new_units
            .iter()
            .map(|u| NewUnitView {
                participant: who(&u.candidate),
                framework_id: u.framework_id.clone(),
                unit: u.unit.clone(),
                title: u.title.clone(),
                confirmed_at: u.confirmed_at,
            })
            .collect(),
    }))
}
