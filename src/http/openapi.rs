//! The OpenAPI 3.1 document, generated from the handlers' annotations, a plain docs page
//! rendered from it on the server (no scripts, no CDN), and the problem-type pages.

use actix_web::{HttpResponse, get, web};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::*;

#[derive(OpenApi)]
#[openapi(
    info(title = "validera", description = "Validation of prior learning against OCN-style competence frameworks."),
    paths(
        health::healthz, health::readyz,
        session::login, session::me, session::change_password, progress::my_progress,
        users::list, users::create, users::get_one, users::update, users::organisation, users::rename_organisation,
        frameworks::list, frameworks::view, frameworks::upload,
        frameworks::public_view, frameworks::public_unit, frameworks::public_qualification,
        candidates::list, candidates::create, candidates::get_one, candidates::update,
        candidates::list_assessments, candidates::start_assessment,
        progress::detail, progress::progress,
        records::add_mapping, records::add_theory, records::add_observation, records::add_evidence,
        records::history, records::correct, records::withdraw,
        files::upload, files::download,
        decisions::submit, decisions::list, decisions::get_one, decisions::confirm, decisions::send_back,
        keys::jwks, keys::service_did, keys::issuer_did_document, keys::issuer_profile,
        keys::list, keys::rotate, keys::compromise, audit::list,
        certificates::mine, certificates::list, certificates::get_one, certificates::credential_json,
        certificates::credential_jwt, certificates::certificate_pdf, certificates::revoke, certificates::suspend, certificates::reinstate,
        certificates::status_list, verify::page, verify::credential, verify::verify,
    ),
    components(schemas(error::Problem, error::ProblemField, verify::CheckUpload)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build(),
            ),
        );
    }
}

/// The OpenAPI document.
#[get("/openapi.json")]
pub async fn document() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The stylesheet link of the documentation pages (inline styles are refused by our CSP).
fn style() -> String {
    format!("<link rel=\"stylesheet\" href=\"{}\">", crate::web::assets::stylesheet_url())
}

/// A readable page of every operation, rendered from the OpenAPI document.
#[get("/docs")]
pub async fn docs_page() -> HttpResponse {
    let doc = ApiDoc::openapi();
    let mut html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>validera API</title>\
         {}</head><body class=\"doc\"><h1>validera API</h1><p>The machine-readable document is at \
         <a href=\"/openapi.json\"><code>/openapi.json</code></a> (OpenAPI 3.1). Errors are \
         <a href=\"/problems\">RFC 9457 problem documents</a>. Sign in with <code>POST /api/auth/login</code> and send \
         <code>Authorization: Bearer &lt;token&gt;</code>.</p>",
        style()
    );
    for (path, item) in &doc.paths.paths {
        let ops = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("PATCH", &item.patch),
            ("DELETE", &item.delete),
        ];
        for (method, op) in ops {
            if let Some(op) = op {
                let summary = op.summary.clone().or_else(|| op.description.clone()).unwrap_or_default();
                let statuses: Vec<String> = op.responses.responses.keys().cloned().collect();
                html.push_str(&format!(
                    "<div class=\"op\"><h3><code>{method} {}</code></h3><p>{}</p><p>Responses: {}</p></div>",
                    escape(path),
                    escape(&summary),
                    escape(&statuses.join(", "))
                ));
            }
        }
    }
    html.push_str("</body></html>");
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html)
}

/// The list of problem types.
#[get("/problems")]
pub async fn problems() -> HttpResponse {
    let mut html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Problem types</title>\
         {}</head><body class=\"doc\"><h1>Problem types</h1><ul>",
        style()
    );
    for (slug, title, status) in error::problem_kinds() {
        html.push_str(&format!("<li id=\"{slug}\"><a href=\"/problems/{slug}\"><code>/problems/{slug}</code></a> ({status}): {title}</li>"));
    }
    html.push_str("</ul></body></html>");
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html)
}

/// One problem type.
#[get("/problems/{slug}")]
pub async fn problem(slug: web::Path<String>) -> Result<HttpResponse, error::ApiError> {
    let (slug, title, status) = error::problem_kinds()
        .into_iter()
        .find(|(s, _, _)| *s == slug.as_str())
        .ok_or(error::ApiError::NotFound)?;
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>{}\
         </head><body class=\"doc\"><h1>{title}</h1><p>Type <code>/problems/{slug}</code>, HTTP status {status}. The <code>detail</code> \
         member of the response says what went wrong in that request.</p><p><a href=\"/problems\">All problem types</a></p></body></html>",
        style()
    )))
}
