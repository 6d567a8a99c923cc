//! Browser sessions: the signed session cookie, the anti-forgery token every form carries, the
//! language a page is shown in, and the extractors handlers take.
//!
//! Policy: the session is a short-lived signed token (the same as the API's bearer token, plus
//! the session's anti-forgery token) in an HttpOnly, SameSite=Lax cookie; the user is re-read on
//! every request, so a deactivated account or a changed role takes effect at once. A session is
//! renewed when half its lifetime has passed, so an assessor working through a long practical
//! test is not signed out mid-form. Visitors without a session get the anti-forgery token in a
//! cookie of its own (double submit), so the sign-in and certificate-check forms are protected
//! too.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};

use super::page::{NavUser, Page, WebError};
use crate::auth::Role;
use crate::engine::Lang;
use crate::http::extract::{AppState, SignedIn, app_state, user_of};
use crate::i18n::Tr;

/// The session cookie.
pub const SESSION_COOKIE: &str = "validera_session";
/// The anti-forgery cookie of visitors who are not signed in.
pub const CSRF_COOKIE: &str = "validera_csrf";
/// The language chosen with the switch.
pub const LANG_COOKIE: &str = "validera_lang";

/// Cookies to set on the response, gathered while handling the request; [`super::page::layer`]
/// adds them.
#[derive(Default, Clone)]
pub struct PendingCookies(pub Vec<Cookie<'static>>);

/// Sets `cookie` on whatever response this request ends with.
pub fn set_cookie(req: &HttpRequest, cookie: Cookie<'static>) {
    let mut ext = req.extensions_mut();
    match ext.get_mut::<PendingCookies>() {
        Some(p) => p.0.push(cookie),
        None => {
            ext.insert(PendingCookies(vec![cookie]));
        }
    }
}

/// A cookie with our attributes: HttpOnly, SameSite=Lax, path `/`, Secure unless the service
/// runs on plain HTTP away from localhost.
pub fn cookie(state: &AppState, name: &'static str, value: String, max_age: Option<i64>) -> Cookie<'static> {
    let mut c = Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.secure_cookies)
        .finish();
    if let Some(secs) = max_age {
        c.set_max_age(CookieDuration::seconds(secs));
    }
    c
}

/// Starts a session for `user_id` under their token generation `generation`: sets the cookie
/// and returns the session's anti-forgery token.
pub fn start(req: &HttpRequest, state: &AppState, user_id: &str, generation: i64) -> String {
    let csrf = crate::auth::TokenKeys::random_token();
    let (token, _) = state.keys.issue_with(user_id, generation, chrono::Utc::now(), Some(csrf.clone()));
    set_cookie(req, cookie(state, SESSION_COOKIE, token, Some(state.keys.ttl.num_seconds())));
    csrf
}

/// Ends the session in this browser.
pub fn end(req: &HttpRequest, state: &AppState) {
    set_cookie(req, cookie(state, SESSION_COOKIE, String::new(), Some(0)));
}

/// The query parameter `name` of the request, decoded.
pub fn query_param(req: &HttpRequest, name: &str) -> Option<String> {
    web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.get(name).cloned())
}

/// The language of a page: `?lang=`, then the switch's cookie, then the account's language,
/// then `Accept-Language`, then Swedish.
pub fn request_lang(req: &HttpRequest, account: Option<&str>) -> Lang {
    if let Some(l) = query_param(req, "lang").and_then(|l| l.parse().ok()) {
        return l;
    }
    if let Some(l) = req.cookie(LANG_COOKIE).and_then(|c| c.value().parse().ok()) {
        return l;
    }
    if let Some(l) = account.and_then(|a| a.parse().ok()) {
        return l;
    }
    crate::http::progress::choose_lang(None, req)
}

/// Whether a form post comes from our own pages by its `Origin` (absent from some clients, and
/// then the anti-forgery token alone decides).
fn same_origin(req: &HttpRequest, state: &AppState) -> bool {
    let Some(origin) = req.headers().get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return true;
    };
    let conn = req.connection_info();
    origin == state.public_url || origin == format!("{}://{}", conn.scheme(), conn.host())
}

fn tokens_match(a: &str, b: &str) -> bool {
    // Compared in constant time, so the token cannot be guessed byte by byte from timings.
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// What every page needs of its request, signed in or not: where it is, the notice to show,
/// and what a form post must match.
struct Frame {
    path: String,
    query_flash: Option<String>,
    origin_ok: bool,
    csrf: String,
}

impl Frame {
    fn new(req: &HttpRequest, state: &AppState, csrf: String) -> Frame {
        Frame {
            path: req.path().to_owned(),
            query_flash: query_param(req, "done"),
            origin_ok: same_origin(req, state),
            csrf,
        }
    }

    /// Refuses a form whose anti-forgery token is not this one, or that comes from another site.
    fn check_csrf(&self, token: &str) -> Result<(), WebError> {
        if self.origin_ok && tokens_match(token, &self.csrf) { Ok(()) } else { Err(WebError::Csrf) }
    }

    fn page(&self, tr: Tr, title: String, user: Option<NavUser>) -> Page {
        Page::new(tr, title, self.path.clone(), self.csrf.clone(), user, self.query_flash.as_deref())
    }
}

/// A signed-in person who has replaced their one-time password: what every page behind sign-in
/// takes.
pub struct Session {
    /// The user and their roles.
    pub who: SignedIn,
    /// The language the page is in.
    pub lang: Lang,
    frame: Frame,
}

impl Session {
    /// The user's organisation.
    pub fn org(&self) -> &str {
        self.who.org()
    }

    /// The translator for this page.
    pub fn tr(&self) -> Tr {
        Tr::new(self.lang)
    }

    /// Refuses unless the user has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), WebError> {
        Ok(self.who.require(roles)?)
    }

    /// Refuses a form whose anti-forgery token is not this session's, or that comes from
    /// another site.
    pub fn check_csrf(&self, token: &str) -> Result<(), WebError> {
        self.frame.check_csrf(token)
    }

    /// The frame of a page titled with message `title_id`.
    pub fn page(&self, title_id: &str) -> Page {
        self.page_titled(self.tr().t(title_id))
    }

    /// The frame of a page with a title already in words (a candidate's name, a unit).
    pub fn page_titled(&self, title: String) -> Page {
        let roles = Role::ALL.into_iter().filter(|r| self.who.roles.has(*r)).collect();
        let user = NavUser { name: self.who.user.display_name.clone(), roles };
        self.frame.page(self.tr(), title, Some(user))
    }
}

/// A visitor who need not be signed in (public pages, the sign-in form).
pub struct Visitor {
    /// The language the page is in.
    pub lang: Lang,
    frame: Frame,
}

impl Visitor {
    /// The translator for this page.
    pub fn tr(&self) -> Tr {
        Tr::new(self.lang)
    }

    /// Refuses a form whose anti-forgery token is not the one in the visitor's cookie.
    pub fn check_csrf(&self, token: &str) -> Result<(), WebError> {
        self.frame.check_csrf(token)
    }

    /// The frame of a page titled with message `title_id`.
    pub fn page(&self, title_id: &str) -> Page {
        self.page_titled(self.tr().t(title_id))
    }

    /// The frame of a page with a title already in words.
    pub fn page_titled(&self, title: String) -> Page {
        self.frame.page(self.tr(), title, None)
    }
}

fn visitor(req: &HttpRequest) -> Result<Visitor, WebError> {
    let state = app_state(req)?;
    let csrf = match req.cookie(CSRF_COOKIE).map(|c| c.value().to_owned()).filter(|v| v.len() >= 32) {
        Some(v) => v,
        None => {
            let v = crate::auth::TokenKeys::random_token();
            set_cookie(req, cookie(&state, CSRF_COOKIE, v.clone(), None));
            v
        }
    };
    Ok(Visitor { lang: request_lang(req, None), frame: Frame::new(req, &state, csrf) })
}

impl FromRequest for Visitor {
    type Error = WebError;
    type Future = std::future::Ready<Result<Self, WebError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(visitor(req))
    }
}

/// Where to come back to after signing in: this page, for GET requests.
fn return_to(req: &HttpRequest) -> String {
    if req.method() == actix_web::http::Method::GET {
        match req.query_string() {
            "" => req.path().to_owned(),
            q => format!("{}?{q}", req.path()),
        }
    } else {
        "/".to_owned()
    }
}

async fn session(req: HttpRequest, allow_one_time_password: bool) -> Result<Session, WebError> {
    let state = app_state(&req)?;
    let sign_in = || WebError::SignIn { next: return_to(&req) };
    let token = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned()).ok_or_else(sign_in)?;
    let claims = state.keys.verify(&token).map_err(|_| sign_in())?;
    // Only session tokens carry an anti-forgery token; an API token in a cookie is refused.
    let csrf = claims.csrf.clone().ok_or_else(sign_in)?;
    let (exp, sub) = (claims.exp, claims.sub.clone());
    let who = user_of(&state, claims).await.map_err(|e| match e {
        crate::http::error::ApiError::Unauthenticated => sign_in(),
        other => other.into(),
    })?;
    if who.user.must_change_password && !allow_one_time_password {
        return Err(WebError::ChangePassword);
    }
    let now = chrono::Utc::now();
    if exp - now.timestamp() < state.keys.ttl.num_seconds() / 2 {
        let (renewed, _) = state.keys.issue_with(&sub, who.user.token_generation, now, Some(csrf.clone()));
        set_cookie(&req, cookie(&state, SESSION_COOKIE, renewed, Some(state.keys.ttl.num_seconds())));
    }
    let lang = request_lang(&req, Some(&who.user.language));
    Ok(Session { lang, frame: Frame::new(&req, &state, csrf), who })
}

impl FromRequest for Session {
    type Error = WebError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, WebError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(session(req.clone(), false))
    }
}

/// A signed-in person who may still hold a one-time password: only the password page takes it.
pub struct FirstSession(pub Session);

impl FromRequest for FirstSession {
    type Error = WebError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, WebError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { session(req, true).await.map(FirstSession) })
    }
}

/// Whether `next` is a path on this site (not `//evil.example` or `https://…`), so sign-in
/// cannot be used to send someone elsewhere.
pub fn safe_next(next: &str) -> Option<&str> {
    (next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') && !next.contains("://"))
        .then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next("/assessor?x=1"), Some("/assessor?x=1"));
        for bad in ["//evil.example", "https://evil.example/", "/\\evil.example", "evil", ""] {
            assert_eq!(safe_next(bad), None, "{bad}");
        }
    }

    #[test]
    fn tokens_compare_equal_only_when_identical() {
        assert!(tokens_match("abc", "abc"));
        assert!(!tokens_match("abc", "abd"));
        assert!(!tokens_match("abc", "abcd"));
    }
}
