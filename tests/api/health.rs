//! Health, readiness, OpenAPI and the docs pages.

use reqwest::Method;

use crate::both_backends;
use crate::helpers::{Backend, spawn_app};

async fn health_and_readiness_answer(backend: Backend) {
    let app = spawn_app(backend).await;
    assert_eq!(app.call(Method::GET, "/healthz", None, None).await.expect(200)["status"], "ok");
    assert_eq!(app.call(Method::GET, "/readyz", None, None).await.expect(200)["database"], "ok");
}

async fn the_openapi_document_lists_every_route(backend: Backend) {
    let app = spawn_app(backend).await;
    let doc = app.call(Method::GET, "/openapi.json", None, None).await.expect(200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/auth/login",
        "/api/assessments/{id}/observations",
        "/api/decisions/{id}/confirm",
        "/api/frameworks",
        "/api/me/progress",
    ] {
        assert!(paths.contains_key(p), "missing {p}");
    }
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    let docs = app.call(Method::GET, "/docs", None, None).await;
    assert!(docs.body.as_str().unwrap().contains("POST /api/assessments/{id}/evidence"));
    let problem = app.call(Method::GET, "/problems/stale-version", None, None).await.expect(200);
    assert!(problem.as_str().unwrap().contains("409"));
}

both_backends!(health_and_readiness_answer, the_openapi_document_lists_every_route);
