//! Withdrawing a record: nothing of an assessment is deleted, so a wrong record is taken out by
//! a new revision that says why, and the history keeps both. (A record entered wrongly is then
//! recorded again with the right content.)

use actix_web::{get, post, web};
use askama::Template;
use serde::Deserialize;

use super::ASSESSOR;
use super::assessment::covers;
use crate::db::models::StoredRecordBody;
use crate::db::queries::records;
use crate::http::error::ApiError;
use crate::http::extract::{AppState, db};
use crate::http::records::revise_as;
use crate::service::records::Change;
use crate::web::page::{FieldErrors, Page, WebResult, form_status, redirect, render_status};
use crate::web::session::Session;

#[derive(Template)]
#[template(path = "assessor/withdraw.html", config = "src/web/askama.toml")]
struct Withdraw {
    page: Page,
    id: String,
    assessment: String,
    kind: String,
    date: String,
    covers: Vec<String>,
    revision: i32,
    reason: String,
    errors: FieldErrors,
}

async fn page(
    state: &web::Data<AppState>,
    s: &Session,
    id: String,
    reason: String,
    errors: FieldErrors,
) -> WebResult {
    s.require(ASSESSOR)?;
    let org = s.org().to_owned();
    let latest = db(state, move |conn| {
        Ok(records::history_in_org(conn, &org, &id)?.pop().expect("a record has at least one revision"))
    })
    .await?;
    if latest.withdrawn {
        return Err(ApiError::NotFound.into());
    }
    let tr = s.tr();
    let body = latest.stored_body().map_err(ApiError::internal)?;
    render_status(
        form_status(&errors),
        &Withdraw {
            page: s.page("assessor-withdraw-title"),
            kind: tr.t(&format!("assessor-kind-{}", StoredRecordBody::kind(&body))),
            date: tr.date(&latest.record_date),
            covers: covers(tr, &body.to_engine().map_err(ApiError::internal)?),
            revision: latest.revision,
            assessment: latest.assessment_id,
            id: latest.record_id,
            reason,
            errors,
        },
    )
}

/// The withdrawal form of record `id`.
#[get("/assessor/records/{id}/withdraw")]
pub async fn withdraw_form(state: web::Data<AppState>, s: Session, id: web::Path<String>) -> WebResult {
    page(&state, &s, id.into_inner(), String::new(), FieldErrors::new()).await
}

/// The withdrawal form as posted.
#[derive(Deserialize)]
pub struct WithdrawForm {
    csrf: String,
    /// The revision the assessor saw; a newer one makes this a conflict.
    revision: i32,
    #[serde(default)]
    reason: String,
}

/// Withdraws the record with a reason; back to the assessment.
#[post("/assessor/records/{id}/withdraw")]
pub async fn withdraw(
    state: web::Data<AppState>,
    s: Session,
    id: web::Path<String>,
    form: web::Form<WithdrawForm>,
) -> WebResult {
    s.check_csrf(&form.csrf)?;
    s.require(ASSESSOR)?;
    let WithdrawForm { revision, reason, .. } = form.into_inner();
    let id = id.into_inner();
    if reason.trim().is_empty() {
        let mut errors = FieldErrors::new();
        errors.insert("reason".into(), s.tr().t("assessor-error-required"));
        return page(&state, &s, id, reason, errors).await;
    }
    let rev = revise_as(&state, &s.who, id, revision, Change::Withdraw, reason).await?;
    Ok(redirect(&format!("/assessor/assessments/{}?done=assessor-withdrawn", rev.assessment_id)))
}
