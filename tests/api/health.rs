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

async fn public_endpoints_answer_429_with_retry_after_past_the_rate(backend: Backend) {
    // Arrange
    let (app, _) = crate::helpers::spawn_app_with(backend, |s| {
        s.public_rate = 1;
        s.public_burst = 3;
    })
    .await;

    // Act
    let mut statuses = Vec::new();
    let mut retry_after = None;
    let mut problem = None;
    for _ in 0..5 {
        let resp = app.client.get(format!("{}/.well-known/jwks.json", app.address)).send().await.unwrap();
        statuses.push(resp.status().as_u16());
        if resp.status() == 429 {
            retry_after = resp.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
            problem = Some(crate::helpers::TestApp::reply(resp).await);
        }
    }

    // The verification endpoints, registered ahead of every other route in a scope of their own,
    // count against the same limit.
    let page = app.client.get(format!("{}/v/no-such-certificate", app.address)).send().await.unwrap();
    let posted = app.client.post(format!("{}/api/verify", app.address)).body("{}").send().await.unwrap();

    // Assert: the burst passes, then 429 with Retry-After; signed-in and health routes are not limited.
    assert_eq!((page.status().as_u16(), posted.status().as_u16()), (429, 429));
    assert_eq!(&statuses[..3], [200, 200, 200]);
    assert!(statuses[3..].contains(&429), "{statuses:?}");
    assert!(retry_after.is_some_and(|s| s.parse::<u64>().is_ok()));
    problem.expect("a 429").problem(429, "too-many-requests");
    let mut logins = Vec::new();
    for _ in 0..5 {
        logins.push(app.login("nobody@example.test", "guess").await.status.as_u16());
    }
    assert!(logins.contains(&429), "sign-in shares the limit: {logins:?}");
    for _ in 0..5 {
        assert_eq!(app.call(Method::GET, "/healthz", None, None).await.status, 200);
    }
}

both_backends!(
    health_and_readiness_answer,
    the_openapi_document_lists_every_route,
    public_endpoints_answer_429_with_retry_after_past_the_rate,
);

/// Every route of the API with its methods; a change here is a change of the public API and
/// shows in review (crates.io keeps such a snapshot too).
#[test]
fn the_openapi_routes_are_the_reviewed_ones() {
    use utoipa::OpenApi;
    let doc = validera::http::openapi::ApiDoc::openapi();
    let mut lines = Vec::new();
    for (path, item) in &doc.paths.paths {
        let methods = [
            ("GET", item.get.is_some()),
            ("POST", item.post.is_some()),
            ("PUT", item.put.is_some()),
            ("PATCH", item.patch.is_some()),
            ("DELETE", item.delete.is_some()),
        ];
        for (m, present) in methods {
            if present {
                lines.push(format!("{m} {path}"));
            }
        }
    }
    lines.sort();
    expect_test::expect_file!["snapshots/routes.txt"].assert_eq(&(lines.join("\n") + "\n"));
}
