//! Public verification: the page an employer opens from a certificate's URL or QR code, and
//! `POST /api/verify` for a credential in hand. No sign-in; nothing shown beyond what the
//! certificate itself says and its status.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use futures_util::StreamExt;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::error::ApiError;
use super::extract::{AppState, db};
use super::files::read_limited;
use super::pool::PoolError;
use super::progress::choose_lang;
use crate::config::VerifyLimits;
use crate::credential::limits::LimitExceeded;
use crate::credential::pdf::PdfError;
use crate::credential::verify::{
    CheckResult, Outcome, Presented, PresentedError, Report, Status, check_printed_pages, digest,
};
use crate::db::queries::credentials as q;
use crate::engine::Lang;
use crate::service::FieldProblem;
use crate::service::trust_cache::Db;

/// One check as reported.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CheckView {
    /// `format`, `schema`, `signature`, `issuer-key`, `status`, `validity`, or `printed` for a
    /// PDF (its pages compared with the attached credential).
    pub name: String,
    /// `passed`, `failed` or `not-checked`.
    pub result: String,
    pub detail: String,
}

/// What the certificate says, in short.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct CertificateSummary {
    pub id: Option<String>,
    pub issuer: Option<String>,
    pub issuer_id: Option<String>,
    pub holder: Option<String>,
    pub achievement: Option<String>,
    pub achievement_type: Option<String>,
    pub description: Option<String>,
    pub level: Option<String>,
    pub credits: Option<f64>,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    /// Units covered or criteria, one per line.
    pub covers: Vec<String>,
    /// Per criterion the credential states a result for: the criterion, and how and when it was
    /// shown (`DBS-01/1.1 … – Practical observation, 5 December 2026`).
    pub results: Vec<String>,
    /// The quality assurance chain, one step per line (`Internal verifier: Confirmed on …`).
    pub quality: Vec<String>,
}

/// A verification report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VerificationView {
    /// genuine, forged, pdf-mismatch (a PDF's pages differ from its credential), unknown-issuer,
    /// valid-signature-unknown-issuer, issuer-unresolved, key-compromised, revoked, suspended,
    /// expired, not-yet-valid, status-unavailable or malformed.
    pub outcome: String,
    /// True only for `genuine`.
    pub genuine: bool,
    /// The verdict in the requested language.
    pub headline: String,
    pub checks: Vec<CheckView>,
    pub certificate: Option<CertificateSummary>,
    /// Why it was revoked or suspended, if it was.
    pub status_reason: Option<String>,
    pub status_since: Option<String>,
}

fn text(v: &Value, path: &[&str]) -> Option<String> {
    path.iter().try_fold(v, |v, k| v.get(k)).and_then(Value::as_str).map(str::to_owned)
}

/// The level a credential is aligned to: an EQF alignment in the reader's language, anything
/// else as the credential names it.
fn level(a: &Value, lang: Lang) -> Option<String> {
    let first = a["alignment"].as_array()?.first()?;
    match first["targetCode"].as_str() {
        Some(code) if first["targetFramework"] == "European Qualifications Framework" => {
            Some(crate::i18n::Tr::new(lang).t1("verify-eqf-level", "level", &code))
        }
        _ => first["targetName"].as_str().map(str::to_owned),
    }
}

fn summary(c: &Value, lang: Lang) -> CertificateSummary {
    let a = &c["credentialSubject"]["achievement"];
    let holder = c["credentialSubject"]["identifier"]
        .as_array()
        .and_then(|ids| ids.iter().find(|i| i["identityType"] == "name" && i["hashed"] == false))
        .and_then(|i| i["identityHash"].as_str())
        .map(str::to_owned);
    let covers = text(c, &["credentialSubject", "narrative"])
        .or_else(|| text(a, &["criteria", "narrative"]))
        .map(|n| n.lines().map(str::to_owned).collect())
        .unwrap_or_default();
    let results = crate::credential::ob::result_lines(c);
    let quality = crate::credential::ob::quality_lines(c);
    CertificateSummary {
        results,
        quality,
        id: text(c, &["id"]),
        issuer: text(c, &["issuer", "name"]),
        issuer_id: text(c, &["issuer", "id"]),
        holder,
        achievement: text(a, &["name"]),
        achievement_type: text(a, &["achievementType"]),
        description: text(a, &["description"]),
        level: level(a, lang),
        credits: c["credentialSubject"]["creditsEarned"].as_f64().or_else(|| a["creditsAvailable"].as_f64()),
        valid_from: text(c, &["validFrom"]),
        valid_until: text(c, &["validUntil"]),
        covers,
    }
}

/// The verdict in words (message `outcome-…` of the public catalogue).
pub fn headline(o: Outcome, lang: Lang) -> String {
    crate::i18n::Tr::new(lang).t(&format!("outcome-{}", o.as_str()))
}

/// A check's detail in `lang` (message `check-detail-<code>`); a date in it is shown the
/// language's way.
fn check_detail(c: &crate::credential::verify::Check, lang: Lang) -> String {
    let tr = crate::i18n::Tr::new(lang);
    let id = format!("check-detail-{}", c.code);
    match &c.arg {
        None => tr.t(&id),
        Some(arg) => {
            let shown = chrono::DateTime::parse_from_rfc3339(arg)
                .map(|d| tr.date(&d.date_naive()))
                .unwrap_or_else(|_| arg.clone());
            tr.t1(&id, "arg", &shown)
        }
    }
}

/// The report as the API returns it.
pub fn view(r: &Report, lang: Lang) -> VerificationView {
    let (reason, since) = match &r.status {
        Some(Status::Revoked { reason, at }) | Some(Status::Suspended { reason, at }) => {
            (reason.clone(), at.map(|t| t.to_rfc3339()))
        }
        _ => (None, None),
    };
    VerificationView {
        outcome: r.outcome.as_str().to_owned(),
        genuine: r.outcome == Outcome::Genuine,
        headline: headline(r.outcome, lang),
        checks: r
            .checks
            .iter()
            .map(|c| CheckView {
                name: c.name.to_owned(),
                result: match c.result {
                    CheckResult::Passed => "passed",
                    CheckResult::Failed => "failed",
                    CheckResult::NotChecked => "not-checked",
                }
                .to_owned(),
                detail: check_detail(c, lang),
            })
            .collect(),
        certificate: r.credential.as_ref().map(|c| summary(c, lang)),
        status_reason: reason,
        status_since: since,
    }
}

fn wants(req: &HttpRequest, mime: &str) -> bool {
    req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains(mime))
}

/// The public verification page of a certificate: HTML for people, JSON (`Accept:
/// application/json`) for programs, the credential itself for `application/ld+json`.
#[utoipa::path(get, path = "/v/{id}", tag = "verification",
    responses(
        (status = 200, description = "By the Accept header: the report as JSON, the credential, or the page",
            content((VerificationView = "application/json"), (Object = "application/vc+ld+json"), (String = "text/html"))),
        (status = 404, description = "No such certificate: a problem for programs, a page for people",
            content((super::error::Problem = "application/problem+json"), (String = "text/html"))),
    ))]
#[get("/v/{id}")]
pub async fn page(
    state: web::Data<AppState>,
    id: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let lang = choose_lang(
        web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
            .ok()
            .and_then(|q| q.get("lang").cloned())
            .as_deref(),
        &req,
    );
    let id = id.into_inner();
    // A certificate scanned before is checked right here from the caches, without the database
    // or canonicalization; anything else goes to the blocking pool.
    let found = match state.verifier(None).stored_if_cached(&id, chrono::Utc::now()) {
        Some(hit) => Some(hit),
        None => {
            let st = state.clone();
            web::block(move || st.verifier(None).stored(Db::Pool(&st.pool, None), &id, chrono::Utc::now()))
                .await??
        }
    };
    let json = wants(&req, "application/json");
    let ld = wants(&req, "application/ld+json") || wants(&req, "application/vc+ld+json");
    match found {
        None if json || ld => Err(ApiError::NotFound),
        None => Ok(crate::web::public::missing_certificate(&req)),
        Some((stored, _)) if ld => {
            Ok(HttpResponse::Ok().content_type("application/vc+ld+json").body(stored.row.document.clone()))
        }
        Some((_, report)) if json => Ok(HttpResponse::Ok().json(view(&report, lang))),
        Some((stored, report)) => Ok(crate::web::public::certificate_page(&req, &stored.row.id, &report)),
    }
}

/// Reads the credential in `body` (JSON-LD, a VC-JWT, or a PDF with the credential attached)
/// within the verifier's bounds, with the digest and length of the bytes it was read from (the
/// caches' key). Runs on the verification pool: reading a PDF is work.
fn presented(body: &[u8], limits: &VerifyLimits) -> Result<(Presented, ([u8; 32], usize)), ApiError> {
    let unreadable = |what: String| ApiError::Validation(vec![FieldProblem::new("body", what)]);
    let attachment;
    let bytes = if body.starts_with(b"%PDF") {
        attachment = crate::credential::pdf::embedded_credential(body).map_err(|e| match e {
            PdfError::TooComplex { .. } => ApiError::TooComplex(format!("{e}; nothing was verified")),
            e => unreadable(format!("no credential in the PDF: {e}")),
        })?;
        &attachment[..]
    } else {
        body
    };
    let presented = Presented::parse_within(bytes, &limits.credential).map_err(|e| match e {
        PresentedError::Limit(l) => too_complex(l),
        PresentedError::Unreadable(why) => unreadable(why),
    })?;
    Ok((presented, (digest(bytes), bytes.len())))
}

fn too_complex(l: LimitExceeded) -> ApiError {
    match l {
        LimitExceeded::Bytes(_) => ApiError::PayloadTooLarge(format!("{l} ({})", l.name())),
        _ => ApiError::TooComplex(format!("{l} ({}); nothing was verified", l.name())),
    }
}

/// A pool refusal as the client sees it.
fn pool_error(e: PoolError) -> ApiError {
    match e {
        PoolError::Busy => ApiError::Busy(2, "every verification slot is taken; try again shortly".into()),
        PoolError::TimedOut(t) => {
            ApiError::Busy(5, format!("the check took longer than {} s; try again later", t.as_secs()))
        }
        PoolError::Lost => ApiError::internal(e),
    }
}

/// Verifies the bytes of a credential in hand: JSON-LD, a VC-JWT, or a PDF with the credential
/// embedded, whose printed pages are then compared with it. Everything from reading the bytes on
/// runs on the bounded verification pool, never on an HTTP worker.
pub async fn check_bytes(
    state: &web::Data<AppState>,
    body: Vec<u8>,
    lang: Lang,
) -> Result<VerificationView, ApiError> {
    // The same bytes posted before, by one of our issuers, with everything cached: checked right
    // here. Hashing bytes already read is all it adds for anything else (a PDF always goes on).
    if !body.starts_with(b"%PDF") && body.len() <= state.verify_limits.credential.max_bytes {
        let d = digest(&body);
        if let Some(report) = state.verifier(None).posted_if_cached(&state.posted, &d, chrono::Utc::now()) {
            return Ok(view(&report, lang));
        }
    }
    let st = state.clone();
    let report = state
        .verifier
        .run(move || -> Result<Report, ApiError> {
            let (presented, bytes) = presented(&body, &st.verify_limits)?;
            let mut report = st.verifier(Some(&*st.fetcher)).verify_posted(
                Db::Pool(&st.pool, None),
                &st.posted,
                presented,
                bytes,
                chrono::Utc::now(),
            )?;
            // The quads bound can only be seen once expansion has run; it is a refusal like
            // the others, not a verdict on the credential.
            if let Some(c) = report.checks.iter().find(|c| c.code == "too-many-quads") {
                return Err(ApiError::TooComplex(format!("{} (max-quads); nothing was verified", c.detail)));
            }
            check_printed_pages(&mut report, body.starts_with(b"%PDF").then_some(&body[..]), Some(lang));
            Ok(report)
        })
        .await
        .map_err(pool_error)??;
    Ok(view(&report, lang))
}

/// The form `/check` sends, for the API description: a file, or pasted text.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct CheckUpload {
    /// A PDF certificate, a credential as JSON, or a VC-JWT.
    #[schema(value_type = Option<String>, format = Binary)]
    file: Option<Vec<u8>>,
    /// A pasted credential (JSON) or VC-JWT, when no file is sent.
    text: Option<String>,
}

/// The first non-empty `file` or `text` part of a multipart body, read within `limit` bytes.
async fn multipart_body(req: &HttpRequest, payload: web::Payload, limit: usize) -> Result<Vec<u8>, ApiError> {
    let mut parts = actix_multipart::Multipart::new(req.headers(), payload);
    let broken = |e: actix_multipart::MultipartError| {
        ApiError::MalformedJson(format!("the multipart body is broken: {e}"))
    };
    while let Some(part) = parts.next().await {
        let mut part = part.map_err(broken)?;
        let name = part.content_disposition().and_then(|d| d.get_name()).unwrap_or_default().to_owned();
        let mut body = Vec::new();
        while let Some(chunk) = part.next().await {
            let chunk = chunk.map_err(broken)?;
            if body.len() + chunk.len() > limit {
                return Err(ApiError::PayloadTooLarge(format!("the upload may be at most {limit} bytes")));
            }
            body.extend_from_slice(&chunk);
        }
        if matches!(name.as_str(), "file" | "text") && !body.iter().all(u8::is_ascii_whitespace) {
            return Ok(body);
        }
    }
    Err(ApiError::Validation(vec![FieldProblem::new(
        "file",
        "send a file or a text part with the credential",
    )]))
}

/// Verifies a credential in hand: JSON-LD, a VC-JWT, or a PDF certificate with the credential
/// embedded, sent as the body or as the `file` or `text` part of a form. Returns every check and
/// the verdict. Work is bounded: bodies over the size limit get 413, credentials over a bound on
/// their structure 422 `too-complex`, and when every verification slot is taken the answer is
/// 503 with `Retry-After`.
#[utoipa::path(post, path = "/api/verify", tag = "verification",
    request_body(description = "The credential: JSON-LD (a UTF-8 byte-order mark is skipped), a VC-JWT, a PDF certificate, or a form as /check sends it",
        content(
            (Object = "application/json"),
            (String = "application/vc+jwt"),
            (String = "text/plain"),
            (Vec<u8> = "application/pdf"),
            (CheckUpload = "multipart/form-data"),
        )),
    responses(
        (status = 200, body = VerificationView),
        (status = 400, description = "A broken multipart body", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is over the size limit", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a credential (`validation`), or over a bound on depth, values, proofs or RDF statements (`too-complex`)", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this address", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Every verification slot is taken, or the check ran over its time; see Retry-After", body = super::error::Problem, content_type = "application/problem+json"),
    ))]
#[post("/api/verify")]
pub async fn verify(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let lang = choose_lang(None, &req);
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.to_ascii_lowercase().starts_with("multipart/form-data"));
    let limit = state.verify_limits.body_bytes;
    let body = if multipart {
        multipart_body(&req, payload, limit).await?
    } else {
        read_limited(payload, limit).await?
    };
    Ok(HttpResponse::Ok().json(check_bytes(&state, body, lang).await?))
}

/// The signed credential behind a verification page, exactly as issued.
#[utoipa::path(get, path = "/v/{id}/credential.json", tag = "verification",
    responses((status = 200, content_type = "application/vc+ld+json"), (status = 404)))]
#[get("/v/{id}/credential.json")]
pub async fn credential(state: web::Data<AppState>, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let row = db(&state, move |conn| Ok(q::find_public(conn, &id)?)).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/vc+ld+json")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"certificate-{}.json\"", row.id),
        ))
        .body(row.document))
}
