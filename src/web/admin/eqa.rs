//! External quality assurance for the administrator: each framework's sampling plan, and the
//! reviews a "not agreed" opened, to suspend the decision's certificates or keep them.
//! Both go through the same functions as the API ([`crate::http::eqa::set_plan_as`],
//! [`crate::http::eqa::review_as`]).

use actix_web::http::StatusCode;
use actix_web::{get, post, web};
use askama::Template;
use serde::Deserialize;

use super::admin;
use crate::db::queries::{decisions, eqa as q, frameworks, users};
use crate::http::eqa::{ReviewDto, SamplingPlanDto, review_as, set_plan_as};
use crate::http::error::ApiError;
use crate::http::extract::{AppState, db};
use crate::i18n::Tr;
use crate::web::page::{FieldErrors, Page, WebResult, redirect, render_status, urlencode};
use crate::web::session::Session;

/// One framework's plan as the form shows it.
pub struct PlanItem {
    framework_id: String,
    /// The form's action.
    action: String,
    title: String,
    first_n: String,
    then_percent: String,
    eqa_required: bool,
    version: i64,
    /// The awarding body's plan for the framework, in words, when another organisation is it.
    body_plan: Option<String>,
    /// Errors of this form, when it comes back.
    errors: FieldErrors,
}

/// An open review.
pub struct ReviewItem {
    decision_id: String,
    reference: String,
    assessor: String,
    assurer: String,
    comment: String,
    decided: String,
    version: i64,
    reason: String,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "admin/eqa.html", config = "src/web/askama.toml")]
struct EqaPage {
    page: Page,
    plans: Vec<PlanItem>,
    reviews: Vec<ReviewItem>,
}

/// What a form held when it comes back with errors.
enum Typed {
    None,
    Plan { framework: String, first_n: String, then_percent: String, eqa_required: bool, errors: FieldErrors },
    Review { decision: String, reason: String, errors: FieldErrors },
}

async fn eqa_page(state: &web::Data<AppState>, s: &Session, typed: Typed) -> Result<EqaPage, ApiError> {
    let org = s.org().to_owned();
    let tr: Tr = s.tr();
    let st = state.clone();
    let (mut plans, mut reviews) = db(state, move |conn| {
        let mut ids: Vec<(String, String)> = Vec::new();
        for f in frameworks::list_visible(conn, Some(&org))? {
            let title = st.cache.get(conn, &f.framework_id, &f.version)?.title.get(tr.lang).to_owned();
            match ids.iter_mut().find(|(id, _)| *id == f.framework_id) {
                // The latest version's title names the framework.
                Some(entry) => entry.1 = title,
                None => ids.push((f.framework_id.clone(), title)),
            }
        }
        let body = crate::service::eqa::awarding_body(conn)?.filter(|b| b.id != org);
        let mut plans = Vec::new();
        for (id, title) in ids {
            let row = q::find_plan(conn, &org, &id)?;
            let body_plan = match &body {
                Some(b) if b.owns(&id) => {
                    let (p, _) = crate::service::eqa::plan(conn, &b.id, &id)?;
                    let mut text =
                        tr.t2("admin-eqa-body-plan", "first", &p.first_n, "percent", &p.then_percent.get());
                    if p.eqa_required {
                        text = format!("{text} {}", tr.t("admin-eqa-body-plan-held"));
                    }
                    Some(text)
                }
                _ => None,
            };
            plans.push(PlanItem {
                action: format!("/admin/eqa/plans/{}", urlencode(&id)),
                first_n: row.as_ref().map_or(0, |r| r.first_n).to_string(),
                then_percent: row.as_ref().map_or(0, |r| r.then_percent).to_string(),
                eqa_required: row.as_ref().is_some_and(|r| r.eqa_required),
                version: row.as_ref().map_or(0, |r| r.version),
                body_plan,
                framework_id: id,
                title,
                errors: FieldErrors::new(),
            });
        }
        let mut reviews = Vec::new();
        for x in q::list_samples(conn, &org, None, Some(q::REVIEW_OPEN))? {
            let d = decisions::find_in_org(conn, &org, &x.decision_id)?;
            let name = |conn: &mut crate::db::DbConnection, id: &str| -> Result<String, ApiError> {
                Ok(users::find_in_org(conn, &org, id)?.display_name)
            };
            reviews.push(ReviewItem {
                reference: x.decision_id.chars().take(8).collect(),
                assessor: name(conn, &d.submitted_by)?,
                // The assurer may be an account of the awarding body, not of this organisation.
                assurer: match x.assurer_id.as_deref() {
                    Some(a) => users::find_by_id(conn, a)?.display_name,
                    None => String::new(),
                },
                comment: x.comment.clone().unwrap_or_default(),
                decided: x.decided_at.map(|t| tr.date(&t.date())).unwrap_or_default(),
                version: x.version,
                decision_id: x.decision_id,
                reason: String::new(),
                errors: FieldErrors::new(),
            });
        }
        Ok((plans, reviews))
    })
    .await?;
    match typed {
        Typed::None => {}
        Typed::Plan { framework, first_n, then_percent, eqa_required, errors } => {
            if let Some(p) = plans.iter_mut().find(|p| p.framework_id == framework) {
                *p = PlanItem {
                    first_n,
                    then_percent,
                    eqa_required,
                    errors,
                    ..std::mem::replace(p, empty_plan())
                };
            }
        }
        Typed::Review { decision, reason, errors } => {
            if let Some(r) = reviews.iter_mut().find(|r| r.decision_id == decision) {
                r.reason = reason;
                r.errors = errors;
            }
        }
    }
    Ok(EqaPage { page: s.page("admin-eqa-title"), plans, reviews })
}

fn empty_plan() -> PlanItem {
    PlanItem {
        framework_id: String::new(),
        action: String::new(),
        title: String::new(),
        first_n: String::new(),
        then_percent: String::new(),
        eqa_required: false,
        version: 0,
        body_plan: None,
        errors: FieldErrors::new(),
    }
}

/// The sampling plans and the open reviews.
#[get("/admin/eqa")]
pub async fn overview(state: web::Data<AppState>, s: Session) -> WebResult {
    admin(&s)?;
    let page = eqa_page(&state, &s, Typed::None).await?;
    render_status(StatusCode::OK, &page)
}

/// A plan as posted.
#[derive(Deserialize)]
pub struct PlanForm {
    csrf: String,
    version: i64,
    first_n: String,
    then_percent: String,
    /// Present (`on`) when the box is ticked.
    eqa_required: Option<String>,
}

/// Sets a framework's plan; back to the page with a notice.
#[post("/admin/eqa/plans/{framework_id}")]
pub async fn set_plan(
    state: web::Data<AppState>,
    s: Session,
    framework_id: web::Path<String>,
    form: web::Form<PlanForm>,
) -> WebResult {
    s.check_csrf(&form.csrf)?;
    admin(&s)?;
    let tr = s.tr();
    let PlanForm { version, first_n, then_percent, eqa_required, .. } = form.into_inner();
    let framework = framework_id.into_inner();
    let eqa_required = eqa_required.is_some();
    let mut errors = FieldErrors::new();
    let n = first_n.trim().parse::<i64>().ok();
    let p = then_percent.trim().parse::<i64>().ok();
    if n.is_none() {
        errors.insert("first_n".into(), tr.t("admin-eqa-error-first-n"));
    }
    if p.is_none() {
        errors.insert("then_percent".into(), tr.t("admin-eqa-error-percent"));
    }
    if let (Some(n), Some(p)) = (n, p) {
        let dto = SamplingPlanDto { first_n: n, then_percent: p, eqa_required, version };
        match set_plan_as(&state, &s.who, framework.clone(), dto).await {
            Ok(_) => return Ok(redirect("/admin/eqa?done=eqa-plan-saved")),
            Err(ApiError::Validation(problems)) => {
                for pr in &problems {
                    let text = if pr.field == "first_n" {
                        tr.t("admin-eqa-error-first-n")
                    } else {
                        tr.t("admin-eqa-error-percent")
                    };
                    errors.insert(pr.field.clone(), text);
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    let typed = Typed::Plan { framework, first_n, then_percent, eqa_required, errors };
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &eqa_page(&state, &s, typed).await?)
}

/// A review as posted: `outcome` is `suspend` or `keep`.
#[derive(Deserialize)]
pub struct ReviewForm {
    csrf: String,
    version: i64,
    outcome: String,
    #[serde(default)]
    reason: String,
}

/// Closes a review; back to the page with a notice.
#[post("/admin/eqa/reviews/{decision_id}")]
pub async fn review(
    state: web::Data<AppState>,
    s: Session,
    decision_id: web::Path<String>,
    form: web::Form<ReviewForm>,
) -> WebResult {
    s.check_csrf(&form.csrf)?;
    admin(&s)?;
    let tr = s.tr();
    let ReviewForm { version, outcome, reason, .. } = form.into_inner();
    let decision = decision_id.into_inner();
    let mut errors = FieldErrors::new();
    if reason.trim().is_empty() {
        errors.insert("reason".into(), tr.t("admin-eqa-reason-required"));
    } else {
        let done = if outcome == "suspend" { "eqa-suspended" } else { "eqa-kept" };
        let dto = ReviewDto { version, outcome, reason: reason.clone() };
        match review_as(&state, &s.who, decision.clone(), dto).await {
            Ok(_) => return Ok(redirect(&format!("/admin/eqa?done={done}"))),
            Err(ApiError::Validation(problems)) if problems.iter().all(|p| p.field == "reason") => {
                for p in &problems {
                    let text =
                        crate::web::input_message(tr, p).unwrap_or_else(|| tr.t("admin-eqa-reason-required"));
                    errors.insert("reason".into(), text);
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    let typed = Typed::Review { decision, reason, errors };
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &eqa_page(&state, &s, typed).await?)
}

/// Registers the administrator's external quality assurance page.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(overview).service(set_plan).service(review);
}
