//! Signing in and out, the first password change, and the start page.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, get, post, web};
use askama::Template;
use fluent_bundle::FluentValue;
use serde::Deserialize;

use super::page::{FieldErrors, Page, WebResult, redirect, render, render_status};
use super::session::{self, FirstSession, Session, Visitor, safe_next};
use crate::auth::Role;
use crate::http::extract::{AppState, db};
use crate::service::sign_in::{self, SignIn as Outcome};
use crate::service::{ServiceError, accounts};

/// The first page of each role, in the order a person with several roles lands on them.
pub fn start_page(roles: &crate::auth::Roles) -> &'static str {
    [
        (Role::Assessor, "/assessor"),
        (Role::Verifier, "/verifier"),
        (Role::Admin, "/admin"),
        (Role::Panel, "/panel"),
        (Role::Coach, "/coach"),
        (Role::Eqa, "/eqa"),
        (Role::Candidate, "/candidate"),
    ]
    .into_iter()
    .find(|(r, _)| roles.has(*r))
    .map_or("/account/password", |(_, p)| p)
}

/// The start page: the signed-in person's own work, or the sign-in form.
#[get("/")]
pub async fn home(req: HttpRequest) -> WebResult {
    match <Session as actix_web::FromRequest>::extract(&req).await {
        Ok(s) => Ok(redirect(start_page(&s.who.roles))),
        Err(super::page::WebError::ChangePassword) => Ok(redirect("/account/password")),
        Err(_) => Ok(redirect("/signin")),
    }
}

#[derive(Template)]
#[template(path = "signin.html", config = "src/web/askama.toml")]
struct SignIn {
    page: Page,
    email: String,
    next: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// The sign-in form.
#[get("/signin")]
pub async fn signin_form(v: Visitor, q: web::Query<NextQuery>) -> WebResult {
    let next = q.next.as_deref().and_then(safe_next).unwrap_or("/").to_owned();
    render(&SignIn { page: v.page("signin-title"), email: String::new(), next, error: None })
}

/// The sign-in form as posted.
#[derive(Deserialize)]
pub struct SignInForm {
    csrf: String,
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// Signs in: starts a session and goes on to where the person was headed.
#[post("/signin")]
pub async fn signin(
    req: HttpRequest,
    state: web::Data<AppState>,
    v: Visitor,
    form: web::Form<SignInForm>,
) -> WebResult {
    v.check_csrf(&form.csrf)?;
    let SignInForm { email, password, next, .. } = form.into_inner();
    let shown_email = email.clone();
    let (policy, address) = (state.sign_in, state.client_addr(&req));
    let outcome = db(&state, move |conn| {
        Ok(sign_in::sign_in(conn, &policy, &email, &password, &address, crate::service::now()))
    })
    .await?;
    let outcome = match outcome {
        Ok(outcome) => outcome,
        // Something that cannot be an address: said next to the field, in the page's language.
        Err(crate::service::ServiceError::Invalid(problems)) => {
            let page = v.page("signin-title");
            let error = problems.first().and_then(|p| crate::web::input_message(v.tr(), p));
            let next = safe_next(&next).unwrap_or("/").to_owned();
            return render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &SignIn { page, email: shown_email, next, error },
            );
        }
        Err(e) => return Err(e.into()),
    };
    let (status, error, wait) = match outcome {
        Outcome::Accepted(user) => {
            session::start(&req, &state, &user.id, user.token_generation);
            tracing::info!(user_id = %user.id, "signed in to the pages");
            if user.must_change_password {
                return Ok(redirect("/account/password"));
            }
            return Ok(redirect(safe_next(&next).unwrap_or("/")));
        }
        Outcome::Refused => (StatusCode::UNAUTHORIZED, v.tr().t("signin-failed"), None),
        Outcome::Wait(secs) => (
            StatusCode::TOO_MANY_REQUESTS,
            v.tr().ta("signin-delayed", &[("seconds", FluentValue::from(secs))]),
            Some(secs),
        ),
    };
    let page = v.page("signin-title");
    let next = safe_next(&next).unwrap_or("/").to_owned();
    let mut res = render_status(status, &SignIn { page, email: shown_email, next, error: Some(error) })?;
    if let Some(secs) = wait {
        res.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
    }
    Ok(res)
}

/// Now, in whole seconds as tokens carry them: a session started later in this same second
/// (signing in again right after signing out) is not cut off by the moment recorded now.
fn whole_second_now() -> chrono::NaiveDateTime {
    chrono::DateTime::from_timestamp(chrono::Utc::now().timestamp(), 0)
        .expect("now is a valid time")
        .naive_utc()
}

/// A form with nothing but its anti-forgery token.
#[derive(Deserialize)]
pub struct CsrfOnly {
    /// The anti-forgery token.
    pub csrf: String,
}

/// Signs out in this browser.
#[post("/signout")]
pub async fn signout(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: FirstSession,
    form: web::Form<CsrfOnly>,
) -> WebResult {
    s.0.check_csrf(&form.csrf)?;
    let id = s.0.who.user.id.clone();
    let at = whole_second_now();
    db(&state, move |conn| Ok(crate::db::queries::users::end_sessions(conn, &id, at)?)).await?;
    session::end(&req, &state);
    Ok(redirect("/signin?done=signed-out"))
}

#[derive(Template)]
#[template(path = "password.html", config = "src/web/askama.toml")]
struct Password {
    page: Page,
    first_time: bool,
    errors: FieldErrors,
}

/// The password form; the only page open to someone who still has a one-time password.
#[get("/account/password")]
pub async fn password_form(s: FirstSession) -> WebResult {
    let s = s.0;
    render(&Password {
        first_time: s.who.user.must_change_password,
        page: s.page("password-title"),
        errors: FieldErrors::new(),
    })
}

/// The password form as posted.
#[derive(Deserialize)]
pub struct PasswordForm {
    csrf: String,
    current_password: String,
    new_password: String,
    repeat_password: String,
}

/// Replaces the password.
#[post("/account/password")]
pub async fn change_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: FirstSession,
    form: web::Form<PasswordForm>,
) -> WebResult {
    let s = s.0;
    s.check_csrf(&form.csrf)?;
    let tr = s.tr();
    let PasswordForm { current_password, new_password, repeat_password, .. } = form.into_inner();
    let mut errors = FieldErrors::new();
    if new_password.chars().count() < 12 {
        errors.insert("new_password".into(), tr.t("password-too-short"));
    } else if new_password != repeat_password {
        errors.insert("repeat_password".into(), tr.t("password-mismatch"));
    }
    if errors.is_empty() {
        let user = s.who.user.clone();
        // The new password ends every session and API token of this person (someone may have
        // known the old one); this browser continues with a fresh session.
        let result = db(&state, move |conn| {
            Ok(accounts::change_password(conn, &user, &current_password, &new_password))
        })
        .await?;
        match result {
            Ok(generation) => {
                session::start(&req, &state, &s.who.user.id, generation);
                return Ok(redirect(&format!("{}?done=password-changed", start_page(&s.who.roles))));
            }
            Err(ServiceError::Invalid(problems)) => {
                for p in problems {
                    let text = match p.field.as_str() {
                        "current_password" => tr.t("password-current-wrong"),
                        "new_password" => tr.t("password-same-as-old"),
                        _ => p.message,
                    };
                    errors.insert(p.field, text);
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    render_status(
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
        &Password { first_time: s.who.user.must_change_password, page: s.page("password-title"), errors },
    )
}

/// Registers the routes open to signed-in people of every role.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(home).service(signout).service(password_form).service(change_password);
}

/// Registers the public routes (inside the rate-limited scope).
pub fn public_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(signin_form).service(signin);
}
