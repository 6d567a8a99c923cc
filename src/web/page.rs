//! The frame every page shares, rendering, and errors as pages.
//!
//! Handlers return `Result<HttpResponse, WebError>`. An error becomes a page in the visitor's
//! language: [`layer`], wrapped around the whole app, renders it once the request (and so its
//! language) is known, and sets the cookies a handler asked for.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse, ResponseError};
use askama::Template;

use super::session::{self, PendingCookies};
use crate::auth::Role;
use crate::engine::Lang;
use crate::http::error::ApiError;
use crate::i18n::Tr;

/// Who is signed in, for the navigation.
#[derive(Debug, Clone)]
pub struct NavUser {
    /// Their name.
    pub name: String,
    /// Their roles, in the order the navigation shows them.
    pub roles: Vec<Role>,
}

/// One entry of the language switch.
pub struct LangLink {
    /// `sv`, `fi` or `en`.
    pub tag: &'static str,
    /// The language's name in itself.
    pub name: &'static str,
    /// This page in that language.
    pub href: String,
    /// Whether the page is in it now.
    pub current: bool,
}

/// What the frame of every page shows: title, navigation, language switch, a notice.
pub struct Page {
    /// Translates into the page's language.
    pub tr: Tr,
    /// The page's title (also its `<h1>` unless the template says otherwise).
    pub title: String,
    /// The path, for the language switch.
    pub path: String,
    /// The anti-forgery token every form on the page carries as `csrf`.
    pub csrf: String,
    /// The person signed in, if any.
    pub user: Option<NavUser>,
    /// A notice after a completed action (`?done=saved` shows message `flash-saved`).
    pub flash: Option<String>,
}

impl Page {
    /// A page frame.
    pub fn new(
        tr: Tr,
        title: String,
        path: String,
        csrf: String,
        user: Option<NavUser>,
        done: Option<&str>,
    ) -> Self {
        let flash = done
            .filter(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
            .map(|d| format!("flash-{d}"))
            .and_then(|id| {
                let text = tr.t(&id);
                (text != id).then_some(text)
            });
        Page { tr, title, path, csrf, user, flash }
    }

    /// The message `id` in the page's language.
    pub fn t(&self, id: &str) -> String {
        self.tr.t(id)
    }

    /// The message `id` with one argument.
    pub fn t1(&self, id: &str, name: &str, value: &dyn std::fmt::Display) -> String {
        self.tr.t1(id, name, value)
    }

    /// The message `id` with two arguments.
    pub fn t2(
        &self,
        id: &str,
        name: &str,
        value: &dyn std::fmt::Display,
        name2: &str,
        value2: &dyn std::fmt::Display,
    ) -> String {
        self.tr.t2(id, name, value, name2, value2)
    }

    /// The message `id` with a count.
    pub fn count(&self, id: &str, n: usize) -> String {
        self.tr.count(id, n)
    }

    /// The page's language tag, for `<html lang>`.
    pub fn lang(&self) -> &'static str {
        self.tr.lang.tag()
    }

    /// Whether the signed-in person has `role` (`admin`, `assessor`, `verifier`, `candidate`).
    pub fn has_role(&self, role: &str) -> bool {
        self.user.as_ref().is_some_and(|u| u.roles.iter().any(|r| r.as_str() == role))
    }

    /// The language switch: this page in each language.
    pub fn lang_links(&self) -> Vec<LangLink> {
        [(Lang::Sv, "Svenska"), (Lang::Fi, "Suomi"), (Lang::En, "English")]
            .into_iter()
            .map(|(l, name)| LangLink {
                tag: l.tag(),
                name,
                href: format!("{}?lang={}", self.path, l.tag()),
                current: l == self.tr.lang,
            })
            .collect()
    }

    /// The stylesheet's URL, versioned by its content so browsers may keep it for good.
    pub fn stylesheet(&self) -> &'static str {
        super::assets::stylesheet_url()
    }

    /// The script's URL, versioned by its content.
    pub fn script(&self) -> &'static str {
        super::assets::script_url()
    }
}

/// An error on a page.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// What the API would answer; shown as a page in the visitor's language.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// Not signed in (or the session ended): go to the sign-in page, then come back.
    #[error("sign in first")]
    SignIn {
        /// Where to come back to.
        next: String,
    },
    /// A one-time password must be replaced first.
    #[error("change your one-time password first")]
    ChangePassword,
    /// The form's anti-forgery token is missing or wrong (a stale page, or another site).
    #[error("the form has expired or did not come from this site")]
    Csrf,
}

impl From<crate::service::ServiceError> for WebError {
    fn from(e: crate::service::ServiceError) -> Self {
        WebError::Api(e.into())
    }
}

impl From<crate::db::DbError> for WebError {
    fn from(e: crate::db::DbError) -> Self {
        WebError::Api(e.into())
    }
}

/// An error still to be rendered as a page by [`layer`].
#[derive(Debug, Clone)]
struct ErrorPage {
    /// The problem slug (`not-found`, `forbidden`, …), which picks the message.
    slug: &'static str,
    /// The detail for errors whose detail helps the person (forbidden, conflicts).
    detail: Option<String>,
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self {
            WebError::Api(e) => e.status_code(),
            WebError::SignIn { .. } | WebError::ChangePassword => StatusCode::SEE_OTHER,
            WebError::Csrf => StatusCode::FORBIDDEN,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            WebError::SignIn { next } => {
                let to = format!("/signin?next={}", urlencode(next));
                redirect(&to)
            }
            WebError::ChangePassword => redirect("/account/password"),
            WebError::Csrf => pending(StatusCode::FORBIDDEN, ErrorPage { slug: "csrf", detail: None }),
            WebError::Api(e) => {
                if let ApiError::Internal(source) = e {
                    tracing::error!(error = %source, "internal error on a page");
                }
                let (slug, _) = e.kind();
                let detail = match e {
                    ApiError::Forbidden(d)
                    | ApiError::FourEyes(d)
                    | ApiError::Conflict(d)
                    | ApiError::Duplicate(d)
                    | ApiError::VersionExists(d)
                    | ApiError::NothingToDecide(d) => Some(d.clone()),
                    _ => None,
                };
                let mut res = pending(e.status_code(), ErrorPage { slug, detail });
                let retry = match e {
                    ApiError::TooManyRequests(secs) | ApiError::SignInDelayed(secs) => Some(*secs),
                    ApiError::Unavailable => Some(crate::http::error::UNAVAILABLE_RETRY_SECS),
                    _ => None,
                };
                if let Some(secs) = retry {
                    res.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
                }
                res
            }
        }
    }
}

fn pending(status: StatusCode, page: ErrorPage) -> HttpResponse {
    let mut res = HttpResponse::build(status).content_type("text/plain; charset=utf-8").body(page.slug);
    res.extensions_mut().insert(page);
    res
}

/// Percent-encodes `s` for a query value.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A 303 to `to`: where a form post goes on success (post, redirect, get).
pub fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, to.to_owned())).finish()
}

/// What page handlers return.
pub type WebResult = Result<HttpResponse, WebError>;

/// Renders `template` as a page with status `status`. Pages are personal, so none is cached.
pub fn render_status<T: Template>(status: StatusCode, template: &T) -> WebResult {
    let html = template.render().map_err(ApiError::internal)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(html))
}

/// The status of a page with a form: 200, or 422 when `errors` says what is wrong with the input.
pub fn form_status(errors: &FieldErrors) -> StatusCode {
    if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY }
}

/// Renders `template` as a page (200).
pub fn render<T: Template>(template: &T) -> WebResult {
    render_status(StatusCode::OK, template)
}

#[derive(Template)]
#[template(path = "error.html", config = "src/web/askama.toml")]
struct ErrorTemplate {
    page: Page,
    message: String,
    detail: Option<String>,
    signed_in: bool,
}

/// Around every request: keeps the language chosen with the switch, sets the cookies handlers
/// asked for, and renders errors of pages in the visitor's language.
pub async fn layer(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let res = next.call(req).await?.map_into_boxed_body();
    let (req, mut res) = res.into_parts();
    let error = res.extensions().get::<ErrorPage>().cloned();
    if let Some(e) = error {
        let lang = session::request_lang(&req, None);
        let tr = Tr::new(lang);
        let signed_in = req.cookie(session::SESSION_COOKIE).is_some();
        let page = Page::new(
            tr,
            tr.t(&format!("error-{}", e.slug)),
            req.path().to_owned(),
            String::new(),
            None,
            None,
        );
        let tpl = ErrorTemplate {
            message: tr.t(&format!("error-{}-text", e.slug)),
            detail: e.detail,
            page,
            signed_in,
        };
        let status = res.status();
        let headers = res.headers().clone();
        let mut html = match render_status(status, &tpl) {
            Ok(r) => r,
            Err(err) => err.error_response(),
        };
        for (k, v) in headers.iter().filter(|(k, _)| *k == header::RETRY_AFTER) {
            html.headers_mut().insert(k.clone(), v.clone());
        }
        res = html;
    }
    let chosen = session::query_param(&req, "lang").filter(|l| l.parse::<Lang>().is_ok());
    let state = req.app_data::<actix_web::web::Data<crate::http::extract::AppState>>();
    if let (Some(l), Some(state)) = (chosen, state) {
        let c = session::cookie(state, session::LANG_COOKIE, l, Some(365 * 24 * 3600));
        let _ = res.add_cookie(&c);
    }
    let pending = req.extensions().get::<PendingCookies>().cloned();
    if let Some(PendingCookies(cookies)) = pending {
        for c in &cookies {
            let _ = res.add_cookie(c);
        }
    }
    Ok(ServiceResponse::new(req, res))
}

/// What is wrong with each field of a form, by field name, in the page's language.
pub type FieldErrors = std::collections::BTreeMap<String, String>;
