//! Development plans on the pages: the participant's own plan (made for a phone: the goal, the
//! next step, progress), and the coach's participants, each with progress, what is left and the
//! plan (desktop and tablet). Both edit the plan with the same form.
//!
//! Reads and writes go through `http::plans` (`read_plan`, `save_plan`, `draft_plan`), so the
//! rules are the API's: a coach sees only participants assigned to them (404 otherwise) and
//! every page showing a plan to a coach is a `plan-read` in the audit trail.

use actix_web::http::StatusCode;
use actix_web::{get, post, web};
use askama::Template;
use chrono::NaiveDate;

use super::page::{FieldErrors, Page, WebError, WebResult, redirect, render, render_status};
use super::session::Session;
use crate::auth::Role;
use crate::db::models::FollowUpRow;
use crate::http::error::ApiError;
use crate::http::extract::{AppState, db};
use crate::http::follow_ups::{add_follow_up, read_attention, read_follow_ups};
use crate::http::plans::{
    Subject, answer_invitation, choose_coach, close_plan, draft_plan, end_coach_access,
    participant_evaluations, pending_invitations, read_coach_choices, read_my_coaches, read_plan, save_plan,
};
use crate::http::progress::{ProgressView, progress_view};
use crate::i18n::Tr;
use crate::service::follow_ups::NewFollowUp;
use crate::service::invitations::Answer;
use crate::service::plans::{self as svc, Plan, PlanBody, Step, StepStatus, SupportKind, Who};

/// A form posted with repeated fields, as name–value pairs in order.
type Fields = Vec<(String, String)>;

fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

/// One step as the pages show it.
pub struct StepCard {
    id: String,
    text: String,
    note: Vec<String>,
    /// `planned`, `doing`, `done` or `reached`.
    status: String,
    status_label: String,
    class: &'static str,
    who: String,
    date: Option<String>,
    support: Option<String>,
    units: Vec<String>,
}

/// A plan as the pages show it.
pub struct PlanCard {
    version: i64,
    /// The date the coaching ended, in words, if the plan is closed.
    closed: Option<String>,
    goal: String,
    progress: String,
    next: Option<StepCard>,
    steps: Vec<StepCard>,
}

fn status_label(status: &str, tr: Tr) -> (String, &'static str) {
    let class = match status {
        "reached" | "done" => "ok",
        "doing" => "info",
        _ => "warn",
    };
    (tr.t(&format!("plan-status-{status}")), class)
}

fn step_card(plan: &Plan, s: &Step, tr: Tr) -> StepCard {
    let status = if plan.reached(s) { "reached" } else { s.status.as_str() };
    let (status_label, class) = status_label(status, tr);
    StepCard {
        id: s.id.clone(),
        text: s.text.clone(),
        note: s.note.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned).collect(),
        status: status.to_owned(),
        status_label,
        class,
        who: tr.t(&format!("plan-who-{}", s.who.as_str())),
        date: s.target_date.map(|d| tr.date(&d)),
        support: s.support.as_ref().map(|x| {
            let kind = tr.t(&format!("plan-support-{}", x.kind.as_str()));
            if x.name.is_empty() { kind } else { format!("{kind}: {}", x.name) }
        }),
        units: s
            .works_toward
            .iter()
            .map(|l| plan.unit_title(l, tr.lang).unwrap_or_else(|| l.unit.clone()))
            .collect(),
    }
}

fn plan_card(plan: &Plan, tr: Tr) -> PlanCard {
    PlanCard {
        version: plan.version(),
        closed: plan.closed_at().map(|t| tr.date(&t.date())),
        goal: plan.body.goal.clone(),
        progress: plan.progress_text(tr),
        next: plan.next_step().map(|s| step_card(plan, s, tr)),
        steps: plan.body.steps.iter().map(|s| step_card(plan, s, tr)).collect(),
    }
}

/// One step in the edit form; `i` names its fields.
pub struct StepForm {
    i: usize,
    /// Its number as people count.
    n: usize,
    id: String,
    text: String,
    note: String,
    who: String,
    status: String,
    date: String,
    support_kind: String,
    support_name: String,
    /// The units it works toward, as JSON, carried through the form unchanged.
    links: String,
    units: Vec<String>,
}

/// The edit form's content.
pub struct PlanForm {
    version: i64,
    goal: String,
    steps: Vec<StepForm>,
}

fn empty_step(i: usize) -> StepForm {
    StepForm {
        i,
        n: i + 1,
        id: String::new(),
        text: String::new(),
        note: String::new(),
        who: Who::Participant.as_str().to_owned(),
        status: StepStatus::Planned.as_str().to_owned(),
        date: String::new(),
        support_kind: String::new(),
        support_name: String::new(),
        links: "[]".into(),
        units: Vec::new(),
    }
}

fn plan_form(plan: &Plan, tr: Tr) -> PlanForm {
    let mut steps: Vec<StepForm> = plan
        .body
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| StepForm {
            i,
            n: i + 1,
            id: s.id.clone(),
            text: s.text.clone(),
            note: s.note.clone(),
            who: s.who.as_str().to_owned(),
            status: s.status.as_str().to_owned(),
            date: s.target_date.map(|d| d.to_string()).unwrap_or_default(),
            support_kind: s.support.as_ref().map(|x| x.kind.as_str().to_owned()).unwrap_or_default(),
            support_name: s.support.as_ref().map(|x| x.name.clone()).unwrap_or_default(),
            links: serde_json::to_string(&s.works_toward).unwrap_or_else(|_| "[]".into()),
            units: s
                .works_toward
                .iter()
                .map(|l| plan.unit_title(l, tr.lang).unwrap_or_else(|| l.unit.clone()))
                .collect(),
        })
        .collect();
    steps.push(empty_step(steps.len()));
    PlanForm { version: plan.version(), goal: plan.body.goal.clone(), steps }
}

/// Reads the posted form: what to show again if it is refused, and the plan to save with the
/// form index of each step kept (to put the use case's field problems next to the right step).
fn read_form(f: &Fields, tr: Tr, errors: &mut FieldErrors) -> (PlanForm, PlanBody, Vec<usize>) {
    let count: usize = field(f, "steps").parse().unwrap_or(0).min(svc::MAX_STEPS + 1);
    let mut steps = Vec::new();
    let mut body = PlanBody { goal: field(f, "goal").to_owned(), steps: Vec::new() };
    let mut index = Vec::new();
    for i in 0..count {
        let get = |name: &str| field(f, &format!("step-{i}-{name}")).to_owned();
        let form = StepForm {
            i,
            n: i + 1,
            id: get("id"),
            text: get("text"),
            note: get("note"),
            who: get("who"),
            status: get("status"),
            date: get("date"),
            support_kind: get("support-kind"),
            support_name: get("support-name"),
            links: get("links"),
            units: Vec::new(),
        };
        let removed = get("remove") == "true";
        let blank_new = form.id.is_empty() && form.text.trim().is_empty();
        if !removed && !blank_new {
            let date = match form.date.trim() {
                "" => None,
                d => match d.parse::<NaiveDate>() {
                    Ok(d) => Some(d),
                    Err(_) => {
                        errors.insert(format!("step-{i}-date"), tr.t("plan-date-invalid"));
                        None
                    }
                },
            };
            let links: Vec<svc::UnitLink> = serde_json::from_str(&form.links).unwrap_or_default();
            body.steps.push(Step {
                id: form.id.clone(),
                text: form.text.clone(),
                note: form.note.clone(),
                works_toward: links,
                who: Who::parse(&form.who).unwrap_or(Who::Participant),
                target_date: date,
                status: StepStatus::parse(&form.status).unwrap_or(StepStatus::Planned),
                support: SupportKind::parse(&form.support_kind)
                    .map(|kind| svc::Support { kind, name: form.support_name.trim().to_owned() }),
            });
            index.push(i);
        }
        if !removed {
            steps.push(form);
        }
    }
    if steps.last().is_none_or(|s| !s.id.is_empty() || !s.text.trim().is_empty()) {
        steps.push(empty_step(count));
    }
    let version = field(f, "version").parse().unwrap_or(-1);
    (PlanForm { version, goal: body.goal.clone(), steps }, body, index)
}

/// The use case's field problems (`steps[2].text`) as messages next to the form's fields.
fn problems_to_errors(
    problems: Vec<crate::service::FieldProblem>,
    index: &[usize],
    tr: Tr,
    errors: &mut FieldErrors,
) {
    for p in problems {
        let text = super::input_message(tr, &p).unwrap_or_else(|| tr.t("plan-field-invalid"));
        let key = p
            .field
            .strip_prefix("steps[")
            .and_then(|rest| rest.split_once(']'))
            .and_then(|(k, rest)| {
                let i = index.get(k.parse::<usize>().ok()?)?;
                let name = rest.trim_start_matches('.').split(['.', '[']).next().unwrap_or("");
                let name = match name {
                    "target_date" => "date",
                    "support" => "support-name",
                    "text" | "note" => name,
                    _ => "text",
                };
                Some(format!("step-{i}-{name}"))
            })
            .unwrap_or_else(|| if p.field == "goal" { "goal".to_owned() } else { "form".to_owned() });
        errors.entry(key).or_insert(text);
    }
}

/// A choice in a select: value and label.
pub struct Choice {
    value: &'static str,
    label: String,
}

#[derive(Template)]
#[template(path = "plans/edit.html", config = "src/web/askama.toml")]
struct Edit {
    page: Page,
    action: String,
    back: String,
    form: PlanForm,
    errors: FieldErrors,
    stale: bool,
    who: Vec<Choice>,
    statuses: Vec<Choice>,
    kinds: Vec<Choice>,
}

/// Where a plan's pages are: the form posts to `action`, the plan is shown at `home`.
#[derive(Debug, Clone, Copy)]
struct Place<'a> {
    action: &'a str,
    home: &'a str,
}

fn edit_page(page: Page, at: Place<'_>, form: PlanForm, errors: FieldErrors, stale: bool, tr: Tr) -> Edit {
    Edit {
        page,
        action: at.action.to_owned(),
        back: at.home.to_owned(),
        form,
        errors,
        stale,
        who: Who::ALL
            .iter()
            .map(|w| Choice { value: w.as_str(), label: tr.t(&format!("plan-who-{}", w.as_str())) })
            .collect(),
        statuses: StepStatus::ALL
            .iter()
            .map(|s| Choice { value: s.as_str(), label: tr.t(&format!("plan-status-{}", s.as_str())) })
            .collect(),
        kinds: SupportKind::ALL
            .iter()
            .map(|k| Choice { value: k.as_str(), label: tr.t(&format!("plan-support-{}", k.as_str())) })
            .collect(),
    }
}

/// Shows the edit form for `subject`'s plan.
async fn edit(state: &web::Data<AppState>, s: &Session, subject: Subject, at: Place<'_>) -> WebResult {
    let plan = read_plan(state, subject).await?;
    // A closed plan cannot change: its page says so, the form would only end in a refusal.
    if plan.closed_at().is_some() {
        return Ok(redirect(at.home));
    }
    let tr = s.tr();
    render(&edit_page(s.page("plan-edit-title"), at, plan_form(&plan, tr), FieldErrors::new(), false, tr))
}

/// Saves the posted form as the next version of `subject`'s plan (the handler has checked its
/// anti-forgery token).
async fn save(
    state: &web::Data<AppState>,
    s: &Session,
    subject: Subject,
    at: Place<'_>,
    body: &Fields,
) -> WebResult {
    let tr = s.tr();
    let mut errors = FieldErrors::new();
    let (form, plan, index) = read_form(body, tr, &mut errors);
    let mut stale = false;
    if errors.is_empty() {
        match save_plan(state, subject, s.who.user.id.clone(), form.version, plan).await {
            Ok(_) => return Ok(redirect(&format!("{}?done=plan-saved", at.home))),
            Err(ApiError::Validation(problems)) => problems_to_errors(problems, &index, tr, &mut errors),
            Err(ApiError::Conflict(_)) => stale = true,
            Err(e) => return Err(e.into()),
        }
    }
    let status = if stale { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
    render_status(status, &edit_page(s.page("plan-edit-title"), at, form, errors, stale, tr))
}

/// Drafts steps from what is left, then shows the plan, or says it changed meanwhile (the
/// handler has checked the anti-forgery token).
async fn draft(
    state: &web::Data<AppState>,
    s: &Session,
    subject: Subject,
    home: &str,
    body: &Fields,
) -> WebResult {
    let version = field(body, "version").parse().unwrap_or(-1);
    match draft_plan(state, subject, s.who.user.id.clone(), version).await {
        Ok(_) => Ok(redirect(&format!("{home}?done=plan-drafted"))),
        Err(ApiError::Conflict(_)) => Ok(redirect(&format!("{home}?done=plan-stale"))),
        Err(e) => Err(e.into()),
    }
}

/// A coach's invitation as the participant reads it.
pub struct InvitationCard {
    id: String,
    coach: String,
    proposed_by_admin: bool,
}

/// One of the participant's coaches, whose access they can end.
pub struct MyCoach {
    id: String,
    name: String,
}

#[derive(Template)]
#[template(path = "plans/mine.html", config = "src/web/askama.toml")]
struct Mine {
    page: Page,
    plan: PlanCard,
    /// Coaches waiting for the participant's answer.
    invitations: Vec<InvitationCard>,
    coaches: Vec<MyCoach>,
    /// The organisation's coaches the participant may choose.
    choices: Vec<MyCoach>,
    /// What was agreed at the latest meeting with the coach, if there has been one.
    last_meeting: Option<FollowUpCard>,
}

fn me(s: &Session) -> Result<Subject, WebError> {
    s.require(&[Role::Candidate])?;
    Ok(Subject::Me { user: s.who.user.id.clone() })
}

/// The participant's own plan: the goal, the next step, progress, then every step.
#[get("/candidate/plan")]
pub async fn mine(state: web::Data<AppState>, s: Session) -> WebResult {
    let plan = read_plan(&state, me(&s)?).await?;
    let follow_ups = read_follow_ups(&state, me(&s)?).await?;
    let invitations = pending_invitations(&state, &s.who)
        .await?
        .into_iter()
        .map(|i| InvitationCard { id: i.id, coach: i.coach_name, proposed_by_admin: i.proposed_by_admin })
        .collect();
    let coaches = read_my_coaches(&state, &s.who)
        .await?
        .into_iter()
        .map(|c| MyCoach { id: c.coach_id, name: c.display_name })
        .collect();
    let choices = read_coach_choices(&state, &s.who)
        .await?
        .into_iter()
        .map(|c| MyCoach { id: c.coach_id, name: c.display_name })
        .collect();
    let tr = s.tr();
    render(&Mine {
        page: s.page("plan-title"),
        plan: plan_card(&plan, tr),
        invitations,
        coaches,
        choices,
        last_meeting: follow_ups.first().map(|r| follow_up_card(r, tr)),
    })
}

/// The participant answers a coach's invitation; an answer given meanwhile (another tab) is
/// said as such (the handler has checked the anti-forgery token).
async fn answer(state: &web::Data<AppState>, s: &Session, id: String, answer: Answer) -> WebResult {
    let done = match answer_invitation(state, &s.who, id, answer).await {
        Ok(_) if answer == Answer::Accept => "coach-invitation-accepted",
        Ok(_) => "coach-invitation-declined",
        Err(ApiError::Duplicate(_)) => "coach-invitation-answered",
        Err(e) => return Err(e.into()),
    };
    Ok(redirect(&format!("/candidate/plan?done={done}")))
}

/// Accepts a coach's invitation, by the participant.
#[post("/candidate/coach-invitations/{id}/accept")]
pub async fn mine_accept(
    state: web::Data<AppState>,
    s: Session,
    id: web::Path<String>,
    body: web::Form<Fields>,
) -> WebResult {
    s.check_csrf(field(&body, "csrf"))?;
    answer(&state, &s, id.into_inner(), Answer::Accept).await
}

/// Declines a coach's invitation, by the participant.
#[post("/candidate/coach-invitations/{id}/decline")]
pub async fn mine_decline(
    state: web::Data<AppState>,
    s: Session,
    id: web::Path<String>,
    body: web::Form<Fields>,
) -> WebResult {
    s.check_csrf(field(&body, "csrf"))?;
    answer(&state, &s, id.into_inner(), Answer::Decline).await
}

/// The participant chooses a coach from the short list.
#[post("/candidate/coaches")]
pub async fn mine_choose_coach(state: web::Data<AppState>, s: Session, body: web::Form<Fields>) -> WebResult {
    s.check_csrf(field(&body, "csrf"))?;
    match choose_coach(&state, &s.who, field(&body, "coach").to_owned()).await {
        // Chosen meanwhile (another tab): what was asked for is true.
        Ok(()) | Err(ApiError::Duplicate(_)) => Ok(redirect("/candidate/plan?done=coach-chosen")),
        Err(e) => Err(e.into()),
    }
}

/// Ends a coach's access, by the participant.
#[post("/candidate/coaches/{coach_id}/end")]
pub async fn mine_end_coach(
    state: web::Data<AppState>,
    s: Session,
    coach_id: web::Path<String>,
    body: web::Form<Fields>,
) -> WebResult {
    s.check_csrf(field(&body, "csrf"))?;
    end_coach_access(&state, &s.who, coach_id.into_inner()).await?;
    Ok(redirect("/candidate/plan?done=coach-access-ended"))
}

/// The participant's plan as a PDF in the page's language.
#[get("/candidate/plan.pdf")]
pub async fn mine_pdf(state: web::Data<AppState>, s: Session) -> WebResult {
    Ok(crate::http::plans::plan_pdf(&state, me(&s)?, s.lang).await?)
}

/// Everything stored about the participant, as a JSON download.
#[get("/candidate/export")]
pub async fn mine_export(state: web::Data<AppState>, s: Session) -> WebResult {
    s.require(&[Role::Candidate])?;
    Ok(crate::http::export::export_response(&state, s.who.user.id.clone()).await?)
}

/// The participant's plan in the edit form.
#[get("/candidate/plan/edit")]
pub async fn mine_edit(state: web::Data<AppState>, s: Session) -> WebResult {
    edit(&state, &s, me(&s)?, MINE).await
}

const MINE: Place<'static> = Place { action: "/candidate/plan", home: "/candidate/plan" };

/// Saves the participant's plan.
#[post("/candidate/plan")]
pub async fn mine_save(state: web::Data<AppState>, s: Session, body: web::Form<Fields>) -> WebResult {
    s.check_csrf(field(&body, "csrf"))?;
    let subject = me(&s)?;
    save(&state, &s, subject, MINE, &body).await
}

/// "Make a plan from what is left", by the participant.
#[post("/candidate/plan/draft")]
pub async fn mine_draft(state: web::Data<AppState>, s: Session, body: web::Form<Fields>) -> WebResult {
    s.check_csrf(field(&body, "csrf"))?;
    let subject = me(&s)?;
    draft(&state, &s, subject, MINE.home, &body).await
}

/// A participant in the coach's list.
pub struct ParticipantRow {
    id: String,
    name: String,
    language: &'static str,
}

/// A line of the start page: who, what, and when.
pub struct AttentionRow {
    id: String,
    name: String,
    text: String,
    when: String,
    class: &'static str,
}

#[derive(Template)]
#[template(path = "plans/participants.html", config = "src/web/askama.toml")]
struct Participants {
    page: Page,
    participants: Vec<ParticipantRow>,
    due: Vec<AttentionRow>,
    quiet: Vec<AttentionRow>,
    /// Where the news begin (the coach's last visit), in words.
    new_since: String,
    new_units: Vec<AttentionRow>,
}

/// The coach's start page: what needs attention (steps due this week, participants with no
/// follow-up in 30 days, units confirmed since the last visit), then every participant.
#[get("/coach")]
pub async fn participants(state: web::Data<AppState>, s: Session) -> WebResult {
    s.require(&[Role::Coach])?;
    let (org, coach) = (s.org().to_owned(), s.who.user.id.clone());
    let rows = db(&state, move |conn| Ok(svc::participants(conn, &org, &coach)?)).await?;
    let a = read_attention(&state, s.org().to_owned(), s.who.user.id.clone(), s.lang).await?;
    let tr = s.tr();
    let due = a
        .due
        .iter()
        .map(|d| AttentionRow {
            id: d.candidate.id.clone(),
            name: d.candidate.display_name.clone(),
            text: d.text.clone(),
            when: if d.overdue {
                tr.t1("coach-overdue", "date", &tr.date(&d.target_date))
            } else {
                tr.t1("plan-due", "date", &tr.date(&d.target_date))
            },
            class: if d.overdue { "warn" } else { "info" },
        })
        .collect();
    let quiet = a
        .quiet
        .iter()
        .map(|q| AttentionRow {
            id: q.candidate.id.clone(),
            name: q.candidate.display_name.clone(),
            text: String::new(),
            when: match q.last_meeting {
                Some(d) => tr.t1("coach-last-meeting", "date", &tr.date(&d)),
                None => tr.t("coach-never-met"),
            },
            class: "warn",
        })
        .collect();
    let new_units = a
        .new_units
        .iter()
        .map(|u| AttentionRow {
            id: u.candidate.id.clone(),
            name: u.candidate.display_name.clone(),
            text: u.title.clone().unwrap_or_else(|| u.unit.clone()),
            when: tr.t1("coach-confirmed-on", "date", &tr.date(&u.confirmed_at.date())),
            class: "ok",
        })
        .collect();
    let participants = rows
        .into_iter()
        .map(|c| ParticipantRow {
            language: match c.language.as_str() {
                "fi" => "Suomi",
                "en" => "English",
                _ => "Svenska",
            },
            id: c.id,
            name: c.display_name,
        })
        .collect();
    let new_since = tr.date(&a.new_since.date());
    render(&Participants { page: s.page("coach-title"), participants, due, quiet, new_since, new_units })
}

/// A unit of the gap report as the coach reads it.
pub struct UnitLeft {
    title: String,
    label: String,
    class: &'static str,
    left: Vec<String>,
}

fn units_left(v: &ProgressView, tr: Tr) -> Vec<UnitLeft> {
    v.units
        .iter()
        .map(|u| {
            let (label, class) = match u.status.as_str() {
                "confirmed" => (tr.t("candidate-unit-confirmed"), "ok"),
                "provisional" => (tr.t("candidate-unit-provisional"), "info"),
                "in-progress" => (
                    tr.t2("candidate-unit-in-progress", "met", &u.criteria_met, "total", &u.criteria_total),
                    "warn",
                ),
                _ => (tr.t("candidate-unit-not-started"), "warn"),
            };
            let left = v
                .gaps
                .iter()
                .filter(|g| u.criteria.iter().any(|c| c.id == g.criterion))
                .map(|g| {
                    let methods: Vec<&str> = g.methods.iter().map(|m| m.label.as_str()).collect();
                    format!("{} {}", g.text, tr.t1("candidate-how", "methods", &methods.join(", ")))
                })
                .collect();
            UnitLeft { title: u.title.clone(), label, class, left }
        })
        .collect()
}

/// One assessment's progress for the coach.
pub struct ProgressCard {
    framework: String,
    units: Vec<UnitLeft>,
}

/// A follow-up as the coach reads it.
pub struct FollowUpCard {
    date: String,
    notes: Vec<String>,
    next_steps: Vec<String>,
    next_meeting: Option<String>,
}

fn lines(s: &str) -> Vec<String> {
    s.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned).collect()
}

fn follow_up_card(r: &FollowUpRow, tr: Tr) -> FollowUpCard {
    FollowUpCard {
        date: tr.date(&r.meeting_date),
        notes: lines(&r.notes),
        next_steps: lines(&r.next_steps),
        next_meeting: r.next_meeting.map(|d| tr.date(&d)),
    }
}

/// The follow-up form as typed.
#[derive(Default)]
pub struct FollowUpForm {
    meeting_date: String,
    notes: String,
    next_steps: String,
    next_meeting: String,
}

#[derive(Template)]
#[template(path = "plans/participant.html", config = "src/web/askama.toml")]
struct Participant {
    page: Page,
    id: String,
    plan: PlanCard,
    progress: Vec<ProgressCard>,
    follow_ups: Vec<FollowUpCard>,
    form: FollowUpForm,
    errors: FieldErrors,
}

fn coached(s: &Session, id: String) -> Result<Subject, WebError> {
    s.require(&[Role::Coach])?;
    Ok(Subject::Coached { org: s.org().to_owned(), coach: s.who.user.id.clone(), candidate: id })
}

/// The participant page, with the follow-up form as given.
async fn participant_page(
    state: &web::Data<AppState>,
    s: &Session,
    id: String,
    mut form: FollowUpForm,
    errors: FieldErrors,
) -> Result<Participant, WebError> {
    let subject = coached(s, id.clone())?;
    let plan = read_plan(state, subject.clone()).await?;
    let evs = participant_evaluations(state, subject.clone()).await?;
    let follow_ups = read_follow_ups(state, subject).await?;
    let tr = s.tr();
    let progress = evs
        .iter()
        .map(|e| {
            let v = progress_view(e, s.lang);
            ProgressCard { framework: v.framework_title.clone(), units: units_left(&v, tr) }
        })
        .collect();
    if form.meeting_date.is_empty() && errors.is_empty() {
        let now = state.clock.now();
        let org = s.org().to_owned();
        let today = db(state, move |conn| Ok(crate::service::clock::org_today(conn, &org, now)?)).await?;
        form.meeting_date = today.to_string();
    }
    Ok(Participant {
        page: s.page_titled(plan.candidate.display_name.clone()),
        id,
        plan: plan_card(&plan, tr),
        progress,
        follow_ups: follow_ups.iter().map(|r| follow_up_card(r, tr)).collect(),
        form,
        errors,
    })
}

/// A participant, for their coach: the plan, the follow-ups with a form for the next one, then
/// progress and what is left.
#[get("/coach/participants/{id}")]
pub async fn participant(state: web::Data<AppState>, s: Session, id: web::Path<String>) -> WebResult {
    render(&participant_page(&state, &s, id.into_inner(), FollowUpForm::default(), FieldErrors::new()).await?)
}

/// Records a meeting with the participant, by their coach.
#[post("/coach/participants/{id}/follow-ups")]
pub async fn participant_follow_up(
    state: web::Data<AppState>,
    s: Session,
    id: web::Path<String>,
    body: web::Form<Fields>,
) -> WebResult {
    s.check_csrf(field(&body, "csrf"))?;
    let id = id.into_inner();
    let subject = coached(&s, id.clone())?;
    let tr = s.tr();
    let form = FollowUpForm {
        meeting_date: field(&body, "meeting_date").trim().to_owned(),
        notes: field(&body, "notes").to_owned(),
        next_steps: field(&body, "next_steps").to_owned(),
        next_meeting: field(&body, "next_meeting").trim().to_owned(),
    };
    let mut errors = FieldErrors::new();
    let meeting_date = form.meeting_date.parse::<NaiveDate>().ok();
    if meeting_date.is_none() {
        errors.insert("meeting_date".into(), tr.t("plan-date-invalid"));
    }
    let next_meeting = match form.next_meeting.as_str() {
        "" => None,
        d => match d.parse::<NaiveDate>() {
            Ok(d) => Some(d),
            Err(_) => {
                errors.insert("next_meeting".into(), tr.t("plan-date-invalid"));
                None
            }
        },
    };
    if let (Some(meeting_date), true) = (meeting_date, errors.is_empty()) {
        let new = NewFollowUp {
            meeting_date,
            notes: form.notes.clone(),
            next_steps: form.next_steps.clone(),
            next_meeting,
        };
        match add_follow_up(&state, subject, new).await {
            Ok(_) => {
                return Ok(redirect(&format!("/coach/participants/{id}?done=follow-up-saved#follow-ups")));
            }
            Err(ApiError::Validation(problems)) => {
                for p in problems {
                    let text = super::input_message(tr, &p).unwrap_or_else(|| {
                        tr.t(match p.field.as_str() {
                            "meeting_date" => "follow-up-date-invalid",
                            "notes" => "follow-up-notes-missing",
                            "next_meeting" => "follow-up-next-invalid",
                            _ => "plan-field-invalid",
                        })
                    });
                    errors.entry(p.field).or_insert(text);
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &participant_page(&state, &s, id, form, errors).await?)
}

/// Closes or reopens the plan, by the coach (the handler has checked the anti-forgery token).
async fn close_or_reopen(
    state: &web::Data<AppState>,
    s: &Session,
    id: String,
    body: &Fields,
    close: bool,
) -> WebResult {
    let subject = coached(s, id.clone())?;
    let version = field(body, "version").parse().unwrap_or(-1);
    let done = if close { "plan-closed" } else { "plan-reopened" };
    match close_plan(state, subject, s.who.user.id.clone(), version, close).await {
        Ok(_) => Ok(redirect(&format!("/coach/participants/{id}?done={done}"))),
        Err(ApiError::Conflict(_)) => Ok(redirect(&format!("/coach/participants/{id}?done=plan-stale"))),
        Err(e) => Err(e.into()),
    }
}

/// Closes the plan when the coaching ends, by the coach.
#[post("/coach/participants/{id}/plan/close")]
pub async fn participant_close(
    state: web::Data<AppState>,
    s: Session,
    id: web::Path<String>,
    body: web::Form<Fields>,
) -> WebResult {
    s.check_csrf(field(&body, "csrf"))?;
    close_or_reopen(&state, &s, id.into_inner(), &body, true).await
}

/// Reopens a closed plan, by the coach.
#[post("/coach/participants/{id}/plan/reopen")]
pub async fn participant_reopen(
    state: web::Data<AppState>,
    s: Session,
    id: web::Path<String>,
    body: web::Form<Fields>,
) -> WebResult {
    s.check_csrf(field(&body, "csrf"))?;
    close_or_reopen(&state, &s, id.into_inner(), &body, false).await
}

/// A participant's plan in the edit form, for their coach.
#[get("/coach/participants/{id}/plan/edit")]
pub async fn participant_edit(state: web::Data<AppState>, s: Session, id: web::Path<String>) -> WebResult {
    let id = id.into_inner();
    let subject = coached(&s, id.clone())?;
    let (action, home) = (format!("/coach/participants/{id}/plan"), format!("/coach/participants/{id}"));
    edit(&state, &s, subject, Place { action: &action, home: &home }).await
}

/// Saves a participant's plan, by their coach.
#[post("/coach/participants/{id}/plan")]
pub async fn participant_save(
    state: web::Data<AppState>,
    s: Session,
    id: web::Path<String>,
    body: web::Form<Fields>,
) -> WebResult {
    s.check_csrf(field(&body, "csrf"))?;
    let id = id.into_inner();
    let subject = coached(&s, id.clone())?;
    let (action, home) = (format!("/coach/participants/{id}/plan"), format!("/coach/participants/{id}"));
    save(&state, &s, subject, Place { action: &action, home: &home }, &body).await
}

/// "Make a plan from what is left", by the coach.
#[post("/coach/participants/{id}/plan/draft")]
pub async fn participant_draft(
    state: web::Data<AppState>,
    s: Session,
    id: web::Path<String>,
    body: web::Form<Fields>,
) -> WebResult {
    s.check_csrf(field(&body, "csrf"))?;
    let id = id.into_inner();
    let subject = coached(&s, id.clone())?;
    draft(&state, &s, subject, &format!("/coach/participants/{id}"), &body).await
}

/// Registers the plan pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(mine)
        .service(mine_export)
        .service(mine_pdf)
        .service(mine_edit)
        .service(mine_save)
        .service(mine_draft)
        .service(mine_accept)
        .service(mine_decline)
        .service(mine_end_coach)
        .service(mine_choose_coach)
        .service(participants)
        .service(participant)
        .service(participant_edit)
        .service(participant_save)
        .service(participant_draft)
        .service(participant_follow_up)
        .service(participant_close)
        .service(participant_reopen);
}
