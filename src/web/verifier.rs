//! The verifier's pages.

use actix_web::web;

/// Registers the verifier's pages.
pub fn routes(_cfg: &mut web::ServiceConfig) {}
