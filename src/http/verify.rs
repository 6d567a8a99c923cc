//! Public verification: the page an employer opens from a certificate's URL or QR code, and
//! `POST /api/verify` for a credential in hand. No sign-in; nothing shown beyond what the
//! certificate itself says and its status.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::error::ApiError;
use super::extract::{AppState, db};
use super::files::read_limited;
use super::progress::choose_lang;
use crate::credential::pdf::{ForeignPdf, TextRun, printed_differences};
use crate::credential::verify::{CheckResult, Outcome, Presented, Report, Status, add_printed_check};
use crate::db::queries::credentials as q;
use crate::engine::Lang;
use crate::service::verify::verify_presented;

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
}

/// A verification report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VerificationView {
    /// genuine, forged, pdf-mismatch (a PDF's pages differ from its credential), unknown-issuer, key-compromised, revoked, suspended, expired,
    /// not-yet-valid, status-unavailable or malformed.
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

fn summary(c: &Value) -> CertificateSummary {
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
    CertificateSummary {
        id: text(c, &["id"]),
        issuer: text(c, &["issuer", "name"]),
        issuer_id: text(c, &["issuer", "id"]),
        holder,
        achievement: text(a, &["name"]),
        achievement_type: text(a, &["achievementType"]),
        description: text(a, &["description"]),
        level: a["alignment"]
            .as_array()
            .and_then(|al| al.first())
            .and_then(|x| x["targetName"].as_str())
            .map(str::to_owned),
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
        certificate: r.credential.as_ref().map(summary),
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
    responses((status = 200, body = VerificationView), (status = 404)))]
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
    let st = state.clone();
    let found = db(&state, move |conn| match q::find_public(conn, &id) {
        Ok(row) => {
            let doc: Value = serde_json::from_str(&row.document).map_err(ApiError::internal)?;
            let report = verify_presented(
                conn,
                &st.public_url,
                &Presented::Json(doc),
                chrono::Utc::now(),
                &st.proofs,
            )?;
            Ok(Some((row, report)))
        }
        Err(crate::db::DbError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    })
    .await?;
    let json = wants(&req, "application/json");
    let ld = wants(&req, "application/ld+json") || wants(&req, "application/vc+ld+json");
    match found {
        None if json || ld => Err(ApiError::NotFound),
        None => Ok(crate::web::public::missing_certificate(&req)),
        Some((row, _)) if ld => {
            Ok(HttpResponse::Ok().content_type("application/vc+ld+json").body(row.document))
        }
        Some((_, report)) if json => Ok(HttpResponse::Ok().json(view(&report, lang))),
        Some((row, report)) => Ok(crate::web::public::certificate_page(&req, &row.id, &report)),
    }
}

/// Verifies the bytes of a credential in hand: JSON-LD, a VC-JWT, or a PDF with the credential
/// embedded, whose printed pages are then compared with it.
pub async fn check_bytes(
    state: &web::Data<AppState>,
    body: Vec<u8>,
    lang: Lang,
) -> Result<VerificationView, ApiError> {
    check_bytes_with(state, body, lang, crate::credential::pdf::printed_runs).await
}

/// [`check_bytes`], reading a PDF's pages with `read_pages`.
pub async fn check_bytes_with(
    state: &web::Data<AppState>,
    body: Vec<u8>,
    lang: Lang,
    read_pages: fn(&[u8]) -> Option<Vec<TextRun>>,
) -> Result<VerificationView, ApiError> {
    let is_pdf = body.starts_with(b"%PDF");
    let presented = if is_pdf {
        let json = crate::credential::pdf::embedded_credential(&body).map_err(|e| {
            ApiError::Validation(vec![crate::service::FieldProblem::new(
                "body",
                format!("no credential in the PDF: {e}"),
            )])
        })?;
        Presented::parse(&json)
    } else {
        Presented::parse(&body)
    };
    let presented = match presented {
        Ok(p) => p,
        Err(e) => return Err(ApiError::Validation(vec![crate::service::FieldProblem::new("body", e)])),
    };
    let st = state.clone();
    let report = db(state, move |conn| {
        let mut report = verify_presented(conn, &st.public_url, &presented, chrono::Utc::now(), &st.proofs)?;
        // Reading pages is work for the blocking pool, like the verification itself.
        let printed = is_pdf.then(|| match (read_pages(&body), &report.credential) {
            (Some(runs), Some(c)) => printed_differences(&runs, c, Some(lang)),
            _ => Err(ForeignPdf),
        });
        add_printed_check(&mut report, printed);
        Ok(report)
    })
    .await?;
    Ok(view(&report, lang))
}

/// Verifies a credential in hand: JSON-LD, a VC-JWT, or a PDF certificate with the credential
/// embedded. Returns every check and the verdict.
#[utoipa::path(post, path = "/api/verify", tag = "verification",
    request_body(content = String, description = "A credential as JSON, a VC-JWT, or a PDF", content_type = "application/json"),
    responses((status = 200, body = VerificationView), (status = 413, body = super::error::Problem)))]
#[post("/api/verify")]
pub async fn verify(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let lang = choose_lang(None, &req);
    let body = read_limited(payload, state.file_limit).await?;
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
