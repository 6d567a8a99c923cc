//! The organisation's signing keys: the list with what is published, rotation, and marking a
//! key compromised from a date.

use actix_web::http::StatusCode;
use actix_web::{get, post, web};
use askama::Template;
use serde::Deserialize;

use super::admin;
use crate::http::extract::{AppState, db};
use crate::http::keys::KeyView;
use crate::i18n::Tr;
use crate::service::keys::{self as svc, PublishedKey};
use crate::service::{ServiceError, certificates::issuer_did};
use crate::web::account::CsrfOnly;
use crate::web::page::{FieldErrors, Page, WebResult, redirect, render, render_status};
use crate::web::session::Session;

/// A key as the list shows it.
struct KeyRow {
    kid: String,
    /// `active`, `retired` or `compromised`.
    status: String,
    created: String,
    retired: Option<String>,
    compromised_from: Option<String>,
}

fn key_row(k: &PublishedKey, tr: Tr) -> KeyRow {
    KeyRow {
        kid: k.kid.clone(),
        status: KeyView::from(k).status,
        created: tr.datetime(&k.created_at),
        retired: k.retired_at.map(|t| tr.datetime(&t)),
        compromised_from: k.compromised_from.map(|t| tr.datetime(&t)),
    }
}

#[derive(Template)]
#[template(path = "admin/keys.html", config = "src/web/askama.toml")]
struct Keys {
    page: Page,
    keys: Vec<KeyRow>,
    org: String,
    did: String,
}

/// The organisation's keys, newest first, and where they are published.
#[get("/admin/keys")]
pub async fn list(state: web::Data<AppState>, s: Session) -> WebResult {
    admin(&s)?;
    let org = s.org().to_owned();
    let o = org.clone();
    let keys = db(&state, move |conn| Ok(svc::published(conn, Some(&o))?)).await?;
    let tr = s.tr();
    render(&Keys {
        page: s.page("admin-keys-title"),
        keys: keys.iter().rev().map(|k| key_row(k, tr)).collect(),
        did: issuer_did(&state.public_url, &org),
        org,
    })
}

/// Makes a new active key; the old one stays published so that its certificates verify.
#[post("/admin/keys/rotate")]
pub async fn rotate(state: web::Data<AppState>, s: Session, form: web::Form<CsrfOnly>) -> WebResult {
    s.check_csrf(&form.csrf)?;
    admin(&s)?;
    let org = s.org().to_owned();
    let st = state.clone();
    let actor = s.who.user.id.clone();
    let kid = db(&state, move |conn| {
        let rotated = svc::rotate(conn, &st.master_key, &org, Some(&actor));
        st.trust.written();
        Ok(rotated?)
    })
    .await?;
    tracing::info!(organisation_id = %s.org(), kid = %kid, "signing key rotated on the admin pages");
    Ok(redirect("/admin/keys?done=admin-key-rotated"))
}

#[derive(Template)]
#[template(path = "admin/key_compromise.html", config = "src/web/askama.toml")]
struct CompromiseForm {
    page: Page,
    key: KeyRow,
    from: String,
    reason: String,
    errors: FieldErrors,
}

async fn find_key(
    state: &web::Data<AppState>,
    s: &Session,
    kid: &str,
) -> Result<PublishedKey, crate::web::page::WebError> {
    let org = s.org().to_owned();
    let kid = kid.to_owned();
    let keys = db(state, move |conn| Ok(svc::published(conn, Some(&org))?)).await?;
    keys.into_iter().find(|k| k.kid == kid).ok_or_else(|| crate::http::error::ApiError::NotFound.into())
}

/// The form to mark a key compromised.
#[get("/admin/keys/{kid}/compromise")]
pub async fn compromise_form(state: web::Data<AppState>, s: Session, kid: web::Path<String>) -> WebResult {
    admin(&s)?;
    let key = find_key(&state, &s, &kid).await?;
    render(&CompromiseForm {
        page: s.page("admin-key-compromise-title"),
        key: key_row(&key, s.tr()),
        from: String::new(),
        reason: String::new(),
        errors: FieldErrors::new(),
    })
}

/// The compromise form as posted.
#[derive(Deserialize)]
pub struct Compromise {
    csrf: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    reason: String,
}

/// Marks a key compromised from the start of a day (UTC): certificates it signed from then on
/// no longer verify, and those it signed before are re-signed with the active key. An active
/// key is replaced by a new one at once.
#[post("/admin/keys/{kid}/compromise")]
pub async fn compromise(
    state: web::Data<AppState>,
    s: Session,
    kid: web::Path<String>,
    form: web::Form<Compromise>,
) -> WebResult {
    s.check_csrf(&form.csrf)?;
    admin(&s)?;
    let key = find_key(&state, &s, &kid).await?;
    let tr = s.tr();
    let Compromise { from, reason, .. } = form.into_inner();
    let mut errors = FieldErrors::new();
    let day = chrono::NaiveDate::parse_from_str(from.trim(), "%Y-%m-%d").ok();
    if day.is_none() {
        errors.insert("from".into(), tr.t("admin-key-from-missing"));
    }
    if reason.trim().is_empty() {
        errors.insert("reason".into(), tr.t("admin-key-reason-missing"));
    }
    if let (Some(day), true) = (day, errors.is_empty()) {
        let (org, st, kid, why) = (s.org().to_owned(), state.clone(), key.kid.clone(), reason.clone());
        let actor = s.who.user.id.clone();
        let at = day.and_time(chrono::NaiveTime::MIN);
        let result = db(&state, move |conn| {
            let marked = svc::mark_compromised(conn, &st.issuing(), &org, Some(&actor), &kid, at, &why);
            st.trust.written();
            Ok(marked)
        })
        .await?;
        match result {
            Ok(c) => {
                tracing::warn!(kid = %c.key.kid, resigned = c.resigned, "signing key marked compromised on the admin pages");
                return Ok(redirect("/admin/keys?done=admin-key-compromised"));
            }
            Err(ServiceError::Invalid(problems)) => {
                for p in problems {
                    let text = crate::web::input_message(tr, &p);
                    let field = if p.field == "from" { "from" } else { "reason" };
                    errors.insert(field.into(), text.unwrap_or_else(|| tr.t("admin-key-reason-missing")));
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &CompromiseForm {
            page: s.page("admin-key-compromise-title"),
            key: key_row(&key, tr),
            from,
            reason,
            errors,
        },
    )
}

/// Registers the key pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list).service(rotate).service(compromise_form).service(compromise);
}
