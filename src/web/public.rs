//! Pages anyone may open: the verification page of a certificate (from its URL or QR code) and
//! the employer's check of a certificate in hand (a PDF, or a pasted credential).

use actix_multipart::form::{MultipartForm, bytes::Bytes, text::Text};
use actix_web::{HttpRequest, HttpResponse, ResponseError, get, post, web};
use askama::Template;

use super::page::{FieldErrors, Page, WebError, WebResult, form_status, render, render_status};
use super::session::{Visitor, request_lang};
use crate::credential::verify::Report;
use crate::http::error::ApiError;
use crate::http::extract::AppState;
use crate::http::verify::{VerificationView, check_bytes, view};
use crate::i18n::Tr;

/// The verification, ready for a template.
pub struct Verdict {
    /// `ok`, `warn` or `bad`: the colour of the verdict.
    pub class: &'static str,
    /// The report.
    pub view: VerificationView,
    /// When the status changed, in the page's format.
    pub since: Option<String>,
    /// Issue and expiry dates in the page's format.
    pub valid_from: Option<String>,
    /// Expiry date in the page's format.
    pub valid_until: Option<String>,
    /// Credits in the page's number format.
    pub credits: Option<String>,
    /// The issuer's identifier (DID or URL), shown prominently when nobody vouches for it.
    pub issuer_id: Option<String>,
    /// The domain behind the issuer's identifier, if it names one.
    pub issuer_domain: Option<String>,
}

impl Verdict {
    /// Prepares `view` for a page in `tr`'s language.
    pub fn new(view: VerificationView, tr: Tr) -> Self {
        let class = match view.outcome.as_str() {
            "genuine" => "ok",
            "suspended"
            | "expired"
            | "not-yet-valid"
            | "status-unavailable"
            | "valid-signature-unknown-issuer"
            | "issuer-unresolved" => "warn",
            _ => "bad",
        };
        let day = |s: &Option<String>| {
            s.as_deref()
                .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
                .map(|d| tr.date(&d.date_naive()))
        };
        let (valid_from, valid_until, credits) = match &view.certificate {
            Some(c) => (day(&c.valid_from), day(&c.valid_until), c.credits.map(|x| tr.number(x))),
            None => (None, None, None),
        };
        let issuer_id = view.certificate.as_ref().and_then(|c| c.issuer_id.clone());
        let issuer_domain = issuer_id.as_deref().and_then(crate::credential::did::issuer_domain);
        Verdict {
            class,
            since: day(&view.status_since),
            valid_from,
            valid_until,
            credits,
            issuer_id,
            issuer_domain,
            view,
        }
    }
}

#[derive(Template)]
#[template(path = "public/certificate.html", config = "src/web/askama.toml")]
struct CertificatePage {
    page: Page,
    id: String,
    verdict: Verdict,
}

fn public_page(req: &HttpRequest, tr: Tr, title: String) -> Page {
    Page::new(tr, title, req.path().to_owned(), String::new(), None, None)
}

fn html(result: WebResult) -> HttpResponse {
    result.unwrap_or_else(|e| e.error_response())
}

/// The verification page of certificate `id` (`GET /v/{id}` for browsers). The report is worded
/// here, in the page's language (which a cookie may have chosen), not in the API's.
pub fn certificate_page(req: &HttpRequest, id: &str, report: &Report) -> HttpResponse {
    let tr = Tr::new(request_lang(req, None));
    let view = view(report, tr.lang);
    let page = public_page(req, tr, view.headline.clone());
    html(render(&CertificatePage { page, id: id.to_owned(), verdict: Verdict::new(view, tr) }))
}

#[derive(Template)]
#[template(path = "public/missing.html", config = "src/web/askama.toml")]
struct Missing {
    page: Page,
}

/// The page for an address that names no certificate.
pub fn missing_certificate(req: &HttpRequest) -> HttpResponse {
    let tr = Tr::new(request_lang(req, None));
    let page = public_page(req, tr, tr.t("certificate-missing"));
    html(render_status(actix_web::http::StatusCode::NOT_FOUND, &Missing { page }))
}

#[derive(Template)]
#[template(path = "public/check.html", config = "src/web/askama.toml")]
struct Check {
    page: Page,
    text: String,
    errors: FieldErrors,
    verdict: Option<Verdict>,
}

/// The employer's check: upload a PDF certificate or paste a credential.
#[get("/check")]
pub async fn check_form(v: Visitor) -> WebResult {
    render(&Check {
        page: v.page("check-title"),
        text: String::new(),
        errors: FieldErrors::new(),
        verdict: None,
    })
}

/// The check form as posted (multipart, because it may carry a file).
#[derive(MultipartForm)]
pub struct CheckForm {
    csrf: Text<String>,
    #[multipart(limit = "4MiB")]
    file: Option<Bytes>,
    text: Option<Text<String>>,
}

/// Checks a certificate in hand and shows the outcome under the form.
#[post("/check")]
pub async fn check(state: web::Data<AppState>, v: Visitor, form: MultipartForm<CheckForm>) -> WebResult {
    v.check_csrf(&form.csrf)?;
    let tr = v.tr();
    let form = form.into_inner();
    let text = form.text.map(|t| t.into_inner()).unwrap_or_default();
    let file = form.file.map(|f| f.data.to_vec()).filter(|f| !f.is_empty());
    let mut errors = FieldErrors::new();
    let body = match (file, text.trim()) {
        (Some(f), _) => Some(f),
        (None, t) if !t.is_empty() => Some(t.as_bytes().to_vec()),
        _ => {
            errors.insert("file".into(), tr.t("check-nothing-given"));
            None
        }
    };
    let mut verdict = None;
    if let Some(body) = body {
        if body.len() > state.verify_limits.body_bytes {
            errors.insert("file".into(), tr.t("check-too-large"));
        } else {
            match check_bytes(&state, body, v.lang).await {
                Ok(view) => verdict = Some(Verdict::new(view, tr)),
                Err(ApiError::Validation(_)) => {
                    errors.insert("file".into(), tr.t("check-unreadable"));
                }
                Err(ApiError::TooComplex(_)) => {
                    errors.insert("file".into(), tr.t("check-too-complex"));
                }
                Err(ApiError::PayloadTooLarge(_)) => {
                    errors.insert("file".into(), tr.t("check-too-large"));
                }
                Err(e) => return Err(WebError::Api(e)),
            }
        }
    }
    render_status(form_status(&errors), &Check { page: v.page("check-title"), text, errors, verdict })
}

/// Registers the public pages (inside the rate-limited scope).
pub fn public_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(check_form).service(check);
}
