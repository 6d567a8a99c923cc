//! The admin's pages.

use actix_web::web;

/// Registers the admin's pages.
pub fn routes(_cfg: &mut web::ServiceConfig) {}
