//! The candidate's pages.

use actix_web::web;

/// Registers the candidate's pages.
pub fn routes(_cfg: &mut web::ServiceConfig) {}
