//! The stylesheet and the script, compiled into the binary and served by validera itself (no
//! CDN, no font service). Their URLs carry a hash of their content, so browsers may cache them
//! for good and still see every change.

use std::sync::LazyLock;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use sha2::{Digest, Sha256};

const CSS: &str = include_str!("assets/app.css");
const JS: &str = include_str!("assets/app.js");
const ICON: &str = include_str!("assets/favicon.svg");

fn version(content: &str) -> String {
    hex::encode(&Sha256::digest(content.as_bytes())[..6])
}

static CSS_URL: LazyLock<String> = LazyLock::new(|| format!("/assets/app.css?v={}", version(CSS)));
static JS_URL: LazyLock<String> = LazyLock::new(|| format!("/assets/app.js?v={}", version(JS)));

/// The stylesheet's versioned URL.
pub fn stylesheet_url() -> &'static str {
    &CSS_URL
}

/// The script's versioned URL.
pub fn script_url() -> &'static str {
    &JS_URL
}

fn asset(req: &HttpRequest, content: &'static str, mime: &str) -> HttpResponse {
    let etag = format!("\"{}\"", version(content));
    if req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return HttpResponse::NotModified().finish();
    }
    HttpResponse::Ok()
        .content_type(mime)
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .body(content)
}

/// The stylesheet.
#[get("/assets/app.css")]
pub async fn stylesheet(req: HttpRequest) -> HttpResponse {
    asset(&req, CSS, "text/css; charset=utf-8")
}

/// The script (progressive enhancement only: every page works without it).
#[get("/assets/app.js")]
pub async fn script(req: HttpRequest) -> HttpResponse {
    asset(&req, JS, "text/javascript; charset=utf-8")
}

/// The icon browsers show in tabs (linked from every page, so none asks for `/favicon.ico`).
#[get("/assets/favicon.svg")]
pub async fn icon(req: HttpRequest) -> HttpResponse {
    asset(&req, ICON, "image/svg+xml")
}

/// Registers the asset routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(stylesheet).service(script).service(icon);
}
