//! The web interface: server-rendered pages for assessors, internal verifiers, candidates,
//! administrators, panel members and employers. Like `http/`, a thin adapter: handlers read a form, call the
//! same use cases in `service/` (and queries in `db/`) as the JSON API, and render a template.
//!
//! - Templates (`templates/`, askama) are compiled into the binary; so are the message
//!   catalogues (`locales/`, Fluent) and the stylesheet and script (`assets/`).
//! - Pages work without JavaScript; `assets/app.js` only adds copy buttons and confirmations.
//! - Every form carries the session's anti-forgery token; see [`session`].
//! - Errors become pages in the visitor's language; see [`page::layer`].

pub mod account;
pub mod admin;
pub mod assessor;
pub mod assets;
pub mod candidate;
pub mod eqa;
pub mod groups;
pub mod page;
pub mod panel;
pub mod plans;
pub mod public;
pub mod session;
pub mod verifier;

use actix_web::web;

use crate::http::error::ApiError;
use page::WebError;

/// Registers the pages behind sign-in and the assets. Public pages go through
/// [`public_routes`], inside the rate-limited scope.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::FormConfig::default().limit(256 * 1024).error_handler(|e, _| {
        WebError::Api(ApiError::Validation(vec![crate::service::FieldProblem::new("form", e.to_string())]))
            .into()
    }))
    .app_data(
        actix_multipart::form::MultipartFormConfig::default()
            .total_limit(32 * 1024 * 1024)
            .memory_limit(32 * 1024 * 1024)
            .error_handler(|e, _| {
                let api = match e {
                    actix_multipart::MultipartError::Payload(actix_web::error::PayloadError::Overflow) => {
                        ApiError::PayloadTooLarge("the upload is too large".into())
                    }
                    other => ApiError::Validation(vec![crate::service::FieldProblem::new(
                        "form",
                        other.to_string(),
                    )]),
                };
                WebError::Api(api).into()
            }),
    );
    assets::routes(cfg);
    account::routes(cfg);
    assessor::routes(cfg);
    verifier::routes(cfg);
    candidate::routes(cfg);
    admin::routes(cfg);
    panel::routes(cfg);
    plans::routes(cfg);
    eqa::routes(cfg);
    groups::routes(cfg);
}

/// Registers the pages anyone may open.
pub fn public_routes(cfg: &mut web::ServiceConfig) {
    account::public_routes(cfg);
    public::public_routes(cfg);
}

/// The reader's-language message for a field refused by one of `crate::input`'s parsers
/// (`FieldProblem::code`); `None` for the other rules, which each form words itself.
pub fn input_message(tr: crate::i18n::Tr, p: &crate::service::FieldProblem) -> Option<String> {
    let id = match p.code? {
        "control-character" => "input-error-control-character",
        "too-long" => "input-error-too-long",
        "blank" => "input-error-blank",
        "email" => "input-error-email",
        "date-out-of-range" => "input-error-date-out-of-range",
        _ => return None,
    };
    Some(tr.t(id))
}
