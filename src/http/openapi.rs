//! The OpenAPI 3.1 document, generated from the handlers' annotations, a plain docs page
//! rendered from it on the server (no scripts, no CDN), and the problem-type pages.

use actix_web::{HttpResponse, get, web};
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::request_body::RequestBody;
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr, ResponseBuilder};
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
        frameworks::approve, frameworks::send_back, frameworks::review_date,
        frameworks::public_view, frameworks::public_unit, frameworks::public_qualification,
        candidates::list, candidates::create, candidates::get_one, candidates::update,
        candidates::list_assessments, candidates::start_assessment,
        progress::detail, progress::progress,
        records::add_mapping, records::add_theory, records::add_observation, records::add_evidence,
        records::history, records::correct, records::withdraw,
        files::upload, files::download,
        decisions::submit, decisions::list, decisions::get_one, decisions::confirm, decisions::send_back,
        eqa::get_plan, eqa::set_plan, eqa::list, eqa::get_one, eqa::agree, eqa::disagree, eqa::close_review,
        keys::jwks, keys::service_did, keys::issuer_did_document, keys::issuer_profile,
        keys::list, keys::rotate, keys::compromise, audit::list,
        certificates::mine, certificates::list, certificates::get_one, certificates::credential_json,
        certificates::credential_jwt, certificates::certificate_pdf, certificates::revoke, certificates::suspend, certificates::reinstate,
        certificates::status_list, verify::page, verify::credential, verify::verify,
        plans::my_plan, plans::save_my_plan, plans::draft_my_plan, plans::my_plan_history, plans::my_plan_pdf,
        plans::participants, plans::participant_progress, plans::participant_plan, plans::save_participant_plan,
        plans::draft_participant_plan, plans::participant_plan_history,
        plans::close_participant_plan, plans::reopen_participant_plan,
        follow_ups::mine, follow_ups::list, follow_ups::add, follow_ups::attention, export::my_data,
        peer_groups::list, peer_groups::create, peer_groups::update, peer_groups::get_one, peer_groups::add_member,
        peer_groups::remove_member, peer_groups::add_session, peer_groups::mine, peer_groups::set_sharing,
        plans::coaches, plans::assign, plans::unassign, plans::invite, plans::my_invitations,
        plans::accept_invitation, plans::decline_invitation, plans::my_coaches, plans::end_my_coach,
        plans::my_coach_choices, plans::choose_my_coach,
    ),
    components(schemas(error::Problem, error::ProblemField, verify::CheckUpload)),
    modifiers(&BearerAuth, &TaggedRecords, &ProblemResponses)
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

/// `RecordDto` as one object per `kind`. utoipa writes each variant as `allOf` of the closed
/// record schema (`additionalProperties: false`, from `deny_unknown_fields`) and the tag, which
/// no value can satisfy: the closed half refuses `kind`. Serde takes the tag off before it reads
/// the record, so the truth is the record's own properties plus `kind`.
struct TaggedRecords;

impl Modify for TaggedRecords {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let Some(components) = openapi.components.as_mut() else { return };
        let variants = [
            ("mapping", "MappingNoteDto"),
            ("theory", "TheoryTestDto"),
            ("practical", "ObservationDto"),
            ("evidence", "EvidenceDto"),
        ];
        let mut one_of = OneOfBuilder::new().description(Some("Any record, tagged by `kind`."));
        for (tag, name) in variants {
            let Some(RefOr::T(Schema::Object(record))) = components.schemas.get(name) else {
                // A renamed record type must be renamed here too; the contract test notices.
                return;
            };
            let mut record = record.clone();
            record.properties.insert(
                "kind".into(),
                ObjectBuilder::new().schema_type(Type::String).enum_values(Some([tag])).into(),
            );
            record.required.insert(0, "kind".into());
            record.description = None;
            one_of = one_of.item(Schema::Object(record));
        }
        components.schemas.insert("RecordDto".into(), one_of.into());
    }
}

/// Documents the problem documents every operation can answer with, as
/// `application/problem+json`, from what the routing and extractors make true of it: a signed-in
/// operation can meet a missing token (401) or a role or one-time password that does not allow it
/// (403); an id in the path can name nothing (404); a JSON body can be broken (400), too large
/// (413), of another type (415) or invalid (422); a body carrying a `version` can be stale (409);
/// the public routes are rate-limited (429); anything reading the database can find it down (503).
/// Statuses a handler documents itself keep their description.
struct ProblemResponses;

/// Why an operation answers with a status, when its handler does not say more.
fn problem_description(status: &str) -> &'static str {
    match status {
        "400" => "The body is not well-formed",
        "401" => "No valid, unexpired bearer token",
        "403" => "The role does not allow this, or the one-time password must be changed first",
        "404" => "Not found, or in another organisation",
        "409" => "Changed by someone else since the version sent, or already exists",
        "413" => "The body is over the size limit",
        "415" => "The body is not of a type this operation takes",
        "422" => "Some fields are not valid",
        "429" => "Too many requests from this address; see Retry-After",
        "503" => "The database is not reachable, or the service is busy; see Retry-After",
        _ => "A problem",
    }
}

/// Whether the routes put the path under the public rate limiter (see [`super::routes`]).
fn rate_limited(path: &str) -> bool {
    match path {
        "/healthz" | "/readyz" => false,
        "/api/auth/login" | "/api/verify" => true,
        _ => !path.starts_with("/api/"),
    }
}

/// Whether a request body names a version, by the properties of the schemas it refers to.
fn carries_version(body: &RequestBody, components: &utoipa::openapi::Components) -> bool {
    body.content.values().any(|c| match &c.schema {
        Some(RefOr::Ref(r)) => {
            let name = r.ref_location.rsplit('/').next().unwrap_or_default();
            matches!(components.schemas.get(name), Some(RefOr::T(Schema::Object(o))) if o.properties.contains_key("version"))
        }
        Some(RefOr::T(Schema::Object(o))) => o.properties.contains_key("version"),
        _ => false,
    })
}

fn problem_statuses(
    path: &str,
    op: &Operation,
    components: &utoipa::openapi::Components,
) -> Vec<&'static str> {
    let mut statuses = Vec::new();
    if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
        statuses.extend(["401", "403"]);
    }
    if path.contains('{') {
        statuses.push("404");
    }
    if let Some(body) = &op.request_body {
        if carries_version(body, components) {
            statuses.push("409");
        }
        if body.content.contains_key("application/json") {
            statuses.push("400");
        }
        statuses.extend(["413", "415", "422"]);
    }
    let has_query = op.parameters.iter().flatten().any(|p| p.parameter_in == ParameterIn::Query);
    if has_query && !statuses.contains(&"422") {
        statuses.push("422");
    }
    if rate_limited(path) {
        statuses.push("429");
    }
    if path != "/healthz" {
        statuses.push("503");
    }
    statuses
}

impl Modify for ProblemResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default).clone();
        let problem_body = || Content::new(Some(Ref::from_schema_name("Problem")));
        for (path, item) in openapi.paths.paths.iter_mut() {
            let ops = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for op in ops.into_iter().flatten() {
                for status in problem_statuses(path, op, &components) {
                    op.responses.responses.entry(status.into()).or_insert_with(|| {
                        ResponseBuilder::new().description(problem_description(status)).build().into()
                    });
                }
                // Every error answer is a problem document, whatever the handler's annotation
                // said about its media type.
                for (status, response) in op.responses.responses.iter_mut() {
                    let RefOr::T(response) = response else { continue };
                    if !status.starts_with('4') && !status.starts_with('5') {
                        continue;
                    }
                    let json_problem = response.content.get("application/json").is_some_and(
                        |c| matches!(&c.schema, Some(RefOr::Ref(r)) if r.ref_location.ends_with("/Problem")),
                    );
                    if json_problem {
                        response.content.shift_remove("application/json");
                    }
                    if response.content.is_empty() {
                        response.content.insert("application/problem+json".into(), problem_body());
                    }
                    if response.description.is_empty() {
                        response.description = problem_description(status).into();
                    }
                }
            }
        }
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
