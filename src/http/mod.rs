//! The HTTP adapter: routes, wire types, and the error mapping. Handlers parse the request into
//! domain values, call one use case in `service/` on the blocking pool, and turn the result into
//! a typed response. No SQL and no assessment rules live here.

pub mod audit;
pub mod candidates;
pub mod certificates;
pub mod client_ip;
pub mod decisions;
pub mod eqa;
pub mod error;
pub mod export;
pub mod extract;
pub mod files;
pub mod follow_ups;
pub mod frameworks;
pub mod health;
pub mod keys;
pub mod openapi;
pub mod peer_groups;
pub mod plans;
pub mod pool;
pub mod progress;
pub mod records;
pub mod rfc3339;
pub mod session;
pub mod users;
pub mod verify;

use actix_web::web;

use error::ApiError;

/// The rate limiter of the public endpoints, shared by all workers.
pub type PublicLimiter = actix_governor::GovernorConfig<
    client_ip::ClientIpKeyExtractor,
    actix_governor::governor::middleware::NoOpMiddleware<actix_governor::governor::clock::QuantaInstant>,
>;

/// A limiter allowing `per_second` requests per client address after a burst of `burst`; the
/// client address is the peer's unless the peer is one of `trusted` proxies.
pub fn public_limiter(
    per_second: u32,
    burst: u32,
    trusted: std::sync::Arc<client_ip::TrustedProxies>,
) -> PublicLimiter {
    actix_governor::GovernorConfigBuilder::default()
        .key_extractor(client_ip::ClientIpKeyExtractor(trusted))
        .requests_per_second(u64::from(per_second.max(1)))
        .burst_size(burst.max(1))
        .finish()
        .expect("a positive rate and burst make a valid limiter")
}

/// Registers every route. Public endpoints (no sign-in) are rate-limited per client address.
pub fn routes(cfg: &mut web::ServiceConfig, json_limit: usize, limiter: &PublicLimiter) {
    cfg.app_data(web::JsonConfig::default().limit(json_limit).error_handler(error::json_error))
        .app_data(web::PathConfig::default().error_handler(error::path_error))
        .app_data(web::QueryConfig::default().error_handler(error::query_error))
        .app_data(web::PayloadConfig::default().limit(json_limit * 4))
        // First: the public verification endpoints, the service's hottest paths (every scan of a
        // QR code). actix tries services in the order they are registered and matches a path
        // with a parameter by running its regular expression; behind the 200 routes below, that
        // search cost a third of a cached check (docs/benchmarks.md). The guard is a prefix test
        // on the path, and the limiter is the same one the public scope below uses.
        .service(
            public_scope(limiter)
                .guard(actix_web::guard::fn_guard(|ctx| is_verification_path(ctx.head().uri.path())))
                .service(verify::page)
                .service(verify::credential)
                .service(verify::verify),
        )
        .service(health::healthz)
        .service(health::readyz)
        .service(openapi::document)
        .service(openapi::docs_page)
        .service(openapi::problems)
        .service(openapi::problem)
        .service(session::me)
        .service(session::change_password)
        .service(progress::my_progress)
        .service(users::list)
        .service(users::create)
        .service(users::get_one)
        .service(users::update)
        .service(users::organisation)
        .service(users::rename_organisation)
        .service(frameworks::list)
        .service(frameworks::view)
        .service(frameworks::upload)
        .service(frameworks::approve)
        .service(frameworks::send_back)
        .service(frameworks::review_date)
        .service(candidates::list)
        .service(candidates::create)
        .service(candidates::get_one)
        .service(candidates::update)
        .service(candidates::list_assessments)
        .service(candidates::start_assessment)
        .service(progress::detail)
        .service(progress::progress)
        .service(records::add_mapping)
        .service(records::add_theory)
        .service(records::add_observation)
        .service(records::add_evidence)
        .service(records::history)
        .service(records::correct)
        .service(records::withdraw)
        .service(files::upload)
        .service(files::download)
        .service(decisions::submit)
        .service(decisions::list)
        .service(decisions::get_one)
        .service(decisions::confirm)
        .service(decisions::send_back)
        .service(eqa::get_plan)
        .service(eqa::set_plan)
        .service(eqa::list)
        .service(eqa::get_one)
        .service(eqa::agree)
        .service(eqa::disagree)
        .service(eqa::close_review)
        .service(certificates::mine)
        .service(certificates::list)
        .service(certificates::get_one)
        .service(certificates::credential_json)
        .service(certificates::credential_jwt)
        .service(certificates::certificate_pdf)
        .service(certificates::revoke)
        .service(certificates::suspend)
        .service(certificates::reinstate)
        .service(keys::list)
        .service(keys::rotate)
        .service(keys::compromise)
        .service(audit::list)
        .service(plans::my_plan)
        .service(plans::save_my_plan)
        .service(plans::draft_my_plan)
        .service(plans::my_plan_history)
        .service(plans::my_plan_pdf)
        .service(plans::participants)
        .service(plans::participant_progress)
        .service(plans::participant_plan)
        .service(plans::save_participant_plan)
        .service(plans::draft_participant_plan)
        .service(plans::participant_plan_history)
        .service(plans::close_participant_plan)
        .service(plans::reopen_participant_plan)
        .service(follow_ups::mine)
        .service(follow_ups::list)
        .service(follow_ups::add)
        .service(follow_ups::attention)
        .service(export::my_data)
        .service(peer_groups::list)
        .service(peer_groups::create)
        .service(peer_groups::get_one)
        .service(peer_groups::update)
        .service(peer_groups::add_member)
        .service(peer_groups::remove_member)
        .service(peer_groups::add_session)
        .service(peer_groups::mine)
        .service(peer_groups::set_sharing)
        .service(plans::coaches)
        .service(plans::assign)
        .service(plans::unassign)
        .service(plans::invite)
        .service(plans::my_invitations)
        .service(plans::accept_invitation)
        .service(plans::decline_invitation)
        .service(plans::my_coaches)
        .service(plans::end_my_coach)
        .service(plans::my_coach_choices)
        .service(plans::choose_my_coach)
        .configure(crate::web::routes)
        // Last: a scope with an empty prefix takes every path not matched above.
        .service(
            public_scope(limiter)
                // Sign-in is public too; limiting it per address slows password guessing.
                .service(session::login)
                .configure(crate::web::public_routes)
                .service(keys::jwks)
                .service(keys::service_did)
                .service(keys::issuer_did_document)
                .service(keys::issuer_profile)
                .service(certificates::status_list)
                .service(frameworks::public_view)
                .service(frameworks::public_unit)
                .service(frameworks::public_qualification),
        )
        .default_service(web::to(not_found));
}

/// A scope of public endpoints: every path (the prefix is empty), rate-limited per client
/// address by `limiter`, whose counts all such scopes share, and answering what it does not
/// know with [`not_found`].
fn public_scope(
    limiter: &PublicLimiter,
) -> actix_web::Scope<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse,
        Error = actix_web::Error,
        InitError = (),
    > + use<>,
> {
    web::scope("")
        .wrap(actix_governor::Governor::new(limiter))
        .wrap_fn(|req, srv| {
            let call = actix_web::dev::Service::call(srv, req);
            async move { call.await.map(error::rate_limited) }
        })
        .default_service(web::to(not_found))
}

/// Whether `path` is one of the public verification endpoints' (`/v/…`, `/api/verify`, all in
/// `verify.rs`), which no other route shares (a tidy test sees to it).
pub fn is_verification_path(path: &str) -> bool {
    path.starts_with("/v/") || path == "/api/verify"
}

/// Not found: a page for browsers, a problem for programs.
async fn not_found(req: actix_web::HttpRequest) -> actix_web::HttpResponse {
    use actix_web::ResponseError;
    let html = req
        .headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if html {
        crate::web::page::WebError::Api(ApiError::NotFound).error_response()
    } else {
        ApiError::NotFound.error_response()
    }
}

/// True if `raw` (a path or query as sent, percent-encoded) encodes a control character.
fn encodes_control_character(raw: &str) -> bool {
    raw.as_bytes().windows(3).any(|w| {
        w[0] == b'%'
            && matches!(
                (w[1].to_ascii_uppercase(), w[2].to_ascii_uppercase()),
                (b'0' | b'1', b'0'..=b'9' | b'A'..=b'F') | (b'7', b'F')
            )
    })
}

/// Refuses a request whose path or query encodes a control character before any handler runs:
/// ids and query values go into SQL, and PostgreSQL refuses a NUL where SQLite simply finds
/// nothing. No id, page or query value validera answers to contains one, so the path is not
/// found, and a query is invalid.
pub async fn refuse_control_characters(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    if encodes_control_character(req.path()) {
        return Err(error::ApiError::NotFound.into());
    }
    if encodes_control_character(req.query_string()) {
        return Err(error::ApiError::Validation(vec![crate::service::FieldProblem::input(
            "query",
            crate::input::InputError::ControlCharacter,
        )])
        .into());
    }
    next.call(req).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn encoded_control_characters_are_found_in_any_case() {
        for raw in ["/a%00b", "/a%1f", "x=%7F", "x=%0a", "%0D"] {
            assert!(super::encodes_control_character(raw), "{raw}");
        }
        for raw in ["/a%20b", "/%C3%A5", "x=%25", "/plain", "%2", "%"] {
            assert!(!super::encodes_control_character(raw), "{raw}");
        }
    }
}
