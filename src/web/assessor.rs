//! The assessor's pages.

use actix_web::web;

/// Registers the assessor's pages.
pub fn routes(_cfg: &mut web::ServiceConfig) {}
