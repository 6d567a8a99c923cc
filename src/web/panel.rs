//! The panel member's pages: the organisation's framework versions waiting for approval, and
//! one version's content with the forms to approve it (with a review date), to return it with
//! a comment, or to move the review date of an approved version.
//!
//! Approving and returning go through the same use case as the API
//! ([`crate::http::frameworks::decide_as`]).

use actix_web::http::StatusCode;
use actix_web::{get, post, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::admin::frameworks::{QualificationItem, UnitItem, qualification_item, unit_item};
use super::page::{FieldErrors, Page, WebResult, redirect, render, render_status, urlencode};
use super::session::Session;
use crate::auth::Role;
use crate::db::models::FrameworkRow;
use crate::db::queries::{frameworks as q, users};
use crate::db::{DbConnection, DbError};
use crate::http::error::ApiError;
use crate::http::extract::{AppState, db};
use crate::http::frameworks::{decide_as, today_in};
use crate::i18n::Tr;
use crate::service::frameworks::{self as svc, PanelAnswer};

/// Where a version stands with the panel, in the reader's words. Shown to panel members and
/// administrators alike.
pub struct Approval {
    /// `draft`, `approved` or `returned`.
    pub status: String,
    pub status_text: String,
    /// The tag's class: `warn` (draft), `ok` (approved), `bad` (returned).
    pub tag: &'static str,
    pub uploaded_by: Option<String>,
    pub uploaded_on: String,
    /// A panel member's name, or "the system" for a shipped framework.
    pub decided_by: Option<String>,
    pub decided_on: Option<String>,
    pub comment: Option<String>,
    pub review_due: Option<String>,
    /// The review date has passed.
    pub overdue: bool,
}

fn name_of(conn: &mut DbConnection, org: Option<&str>, id: &str) -> Result<String, ApiError> {
    let Some(org) = org else { return Ok(id.to_owned()) };
    match users::find_in_org(conn, org, id) {
        Ok(u) => Ok(u.display_name),
        Err(DbError::NotFound) => Ok(id.to_owned()),
        Err(e) => Err(e.into()),
    }
}

/// `row`'s standing on `today`, with people's names looked up in its organisation.
pub fn approval(
    conn: &mut DbConnection,
    row: &FrameworkRow,
    today: NaiveDate,
    tr: Tr,
) -> Result<Approval, ApiError> {
    let org = row.organisation_id.as_deref();
    let (tag, text) = match row.status.as_str() {
        q::APPROVED => ("ok", "panel-status-approved"),
        q::RETURNED => ("bad", "panel-status-returned"),
        _ => ("warn", "panel-status-draft"),
    };
    let uploaded_by = row.uploaded_by.as_deref().map(|id| name_of(conn, org, id)).transpose()?;
    let decided_by = match (&row.decided_by, row.status.as_str()) {
        (Some(id), _) => Some(name_of(conn, org, id)?),
        (None, q::APPROVED) => Some(tr.t("panel-decided-by-system")),
        (None, _) => None,
    };
    Ok(Approval {
        status: row.status.clone(),
        status_text: tr.t(text),
        tag,
        uploaded_by,
        uploaded_on: tr.date(&row.loaded_at.date()),
        decided_by,
        decided_on: row.decided_at.map(|t| tr.date(&t.date())),
        comment: row.decision_comment.clone().filter(|c| !c.trim().is_empty()),
        review_due: row.review_due.map(|d| tr.date(&d)),
        overdue: svc::review_overdue(row, today),
    })
}

/// A version in one of the queue's lists.
pub struct Row {
    title: String,
    id: String,
    version: String,
    href: String,
    approval: Approval,
}

fn href(id: &str, version: &str) -> String {
    format!("/panel/frameworks/{}/{}", urlencode(id), urlencode(version))
}

#[derive(Template)]
#[template(path = "panel/queue.html", config = "src/web/askama.toml")]
struct Queue {
    page: Page,
    waiting: Vec<Row>,
    decided: Vec<Row>,
}

/// The drafts of the organisation (oldest first), then its versions already decided.
#[get("/panel")]
pub async fn queue(state: web::Data<AppState>, s: Session) -> WebResult {
    s.require(&[Role::Panel])?;
    let org = s.org().to_owned();
    let tr = s.tr();
    let st = state.clone();
    let now = state.clock.now();
    let rows = db(&state, move |conn| {
        let today = today_in(conn, &org, now)?;
        q::list_uploaded(conn, &org)?
            .into_iter()
            .map(|r| {
                let f = st.cache.get(conn, &r.framework_id, &r.version)?;
                Ok(Row {
                    title: f.title.get(tr.lang).to_owned(),
                    href: href(&r.framework_id, &r.version),
                    approval: approval(conn, &r, today, tr)?,
                    id: r.framework_id,
                    version: r.version,
                })
            })
            .collect::<Result<Vec<_>, ApiError>>()
    })
    .await?;
    let (waiting, mut decided): (Vec<Row>, Vec<Row>) =
        rows.into_iter().partition(|r| r.approval.status == q::DRAFT);
    // Overdue reviews first: they are what the panel has to act on among the decided ones.
    decided.sort_by_key(|r| !r.approval.overdue);
    render(&Queue { page: s.page("panel-title"), waiting, decided })
}

#[derive(Template)]
#[template(path = "panel/framework.html", config = "src/web/askama.toml")]
struct Detail {
    page: Page,
    id: String,
    version: String,
    awarding_body: String,
    description: String,
    approval: Approval,
    /// Waiting for the panel: the approve and return forms are shown.
    draft: bool,
    /// Approved: the review date can be moved.
    approved: bool,
    /// Where the forms post.
    action: String,
    /// Why this panel member may not approve (four eyes), if so.
    four_eyes: Option<String>,
    /// The review date an approval sets unless another is given (`YYYY-MM-DD`).
    default_review_due: String,
    /// The earliest review date the forms take (tomorrow).
    min_review_due: String,
    /// What was typed, when the page comes back with errors.
    comment: String,
    approve_comment: String,
    review_due: String,
    errors: FieldErrors,
    units: Vec<UnitItem>,
    qualifications: Vec<QualificationItem>,
}

/// What the forms held when they were posted.
#[derive(Default)]
struct Typed {
    comment: String,
    approve_comment: String,
    review_due: String,
}

async fn detail_page(
    state: &web::Data<AppState>,
    s: &Session,
    id: String,
    version: String,
    typed: Typed,
    errors: FieldErrors,
) -> Result<Detail, ApiError> {
    let org = s.org().to_owned();
    let me = s.who.user.id.clone();
    let tr = s.tr();
    let st = state.clone();
    let now = state.clock.now();
    let (i, v) = (id.clone(), version.clone());
    let (row, f, approval, today) = db(state, move |conn| {
        let today = today_in(conn, &org, now)?;
        let (row, f) = svc::find_visible(conn, &st.cache, &org, &i, &v)?;
        // The panel decides on its own organisation's uploads; shipped versions are the
        // release's, and only administrators browse them.
        if row.organisation_id.is_none() {
            return Err(ApiError::NotFound);
        }
        let approval = approval(conn, &row, today, tr)?;
        Ok((row, f, approval, today))
    })
    .await?;
    let four_eyes = (row.uploaded_by.as_deref() == Some(me.as_str()) && row.status == q::DRAFT)
        .then(|| tr.t("panel-four-eyes-uploader"));
    Ok(Detail {
        page: s.page_titled(format!("{} ({version})", f.title.get(tr.lang))),
        awarding_body: f.awarding_body.clone(),
        description: f.description.get(tr.lang).to_owned(),
        draft: approval.status == q::DRAFT,
        approved: approval.status == q::APPROVED,
        action: href(&id, &version),
        id,
        version,
        approval,
        four_eyes,
        default_review_due: svc::default_review_due(today).to_string(),
        min_review_due: today.succ_opt().unwrap_or(today).to_string(),
        comment: typed.comment,
        approve_comment: typed.approve_comment,
        review_due: typed.review_due,
        errors,
        units: f.units.iter().map(|u| unit_item(u, tr)).collect(),
        qualifications: f.qualifications.iter().map(|q| qualification_item(q, &f, tr)).collect(),
    })
}

/// A version's content and where it stands, with the panel's forms.
#[get("/panel/frameworks/{id}/{version}")]
pub async fn detail(state: web::Data<AppState>, s: Session, path: web::Path<(String, String)>) -> WebResult {
    s.require(&[Role::Panel])?;
    let (id, version) = path.into_inner();
    render(&detail_page(&state, &s, id, version, Typed::default(), FieldErrors::new()).await?)
}

/// The panel's answer as posted: `verdict` is `approve`, `return` or `review-date`.
#[derive(Deserialize)]
pub struct AnswerForm {
    csrf: String,
    verdict: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    review_due: String,
}

/// Approves, returns, or moves the review date; back to the queue with a notice.
#[post("/panel/frameworks/{id}/{version}")]
pub async fn answer(
    state: web::Data<AppState>,
    s: Session,
    path: web::Path<(String, String)>,
    form: web::Form<AnswerForm>,
) -> WebResult {
    s.check_csrf(&form.csrf)?;
    s.require(&[Role::Panel])?;
    let tr = s.tr();
    let (id, version) = path.into_inner();
    let AnswerForm { verdict, comment, review_due, .. } = form.into_inner();
    let mut errors = FieldErrors::new();
    let due = match review_due.trim() {
        "" => None,
        text => match text.parse::<NaiveDate>() {
            Ok(d) => Some(d),
            Err(_) => {
                errors.insert("review_due".into(), tr.t("panel-error-review-date"));
                None
            }
        },
    };
    let comment_field = if verdict == "approve" { "approve_comment" } else { "comment" };
    match verdict.as_str() {
        "return" if comment.trim().is_empty() => {
            errors.insert("comment".into(), tr.t("panel-comment-required"));
        }
        "review-date" if due.is_none() && errors.is_empty() => {
            errors.insert("review_due".into(), tr.t("panel-error-review-date"));
        }
        "approve" | "return" | "review-date" => {}
        _ => {
            return Err(ApiError::Validation(vec![crate::service::FieldProblem::new(
                "verdict",
                "approve, return or review-date",
            )])
            .into());
        }
    }
    if errors.is_empty() {
        let result = match verdict.as_str() {
            "review-date" => {
                let (org, actor, i, v) =
                    (s.org().to_owned(), s.who.user.id.clone(), id.clone(), version.clone());
                let due = due.unwrap_or_default();
                let now = state.clock.now();
                db(&state, move |conn| {
                    let today = today_in(conn, &org, now)?;
                    Ok(svc::set_review_due(conn, &org, &actor, &i, &v, due, today).map_err(ApiError::from))
                })
                .await?
                .map(drop)
            }
            v => {
                let answer = if v == "approve" {
                    PanelAnswer::Approve { comment: Some(comment.clone()), review_due: due }
                } else {
                    PanelAnswer::Return { comment: comment.clone() }
                };
                decide_as(&state, &s.who, id.clone(), version.clone(), answer).await.map(drop)
            }
        };
        match result {
            Ok(()) => {
                return Ok(redirect(match verdict.as_str() {
                    "approve" => "/panel?done=panel-approved",
                    "return" => "/panel?done=panel-returned",
                    _ => "/panel?done=panel-review-date-set",
                }));
            }
            Err(ApiError::Validation(problems)) => {
                for p in &problems {
                    let text = crate::web::input_message(tr, p).unwrap_or_else(|| match p.field.as_str() {
                        "comment" => tr.t("panel-comment-required"),
                        _ => tr.t("panel-error-review-date"),
                    });
                    let field = if p.field == "review_due" { "review_due" } else { comment_field };
                    errors.insert(field.into(), text);
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    let typed = if verdict == "approve" {
        Typed { approve_comment: comment, review_due, ..Typed::default() }
    } else {
        Typed { comment, review_due, ..Typed::default() }
    };
    let page = detail_page(&state, &s, id, version, typed, errors).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// Registers the panel's pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(queue).service(detail).service(answer);
}
