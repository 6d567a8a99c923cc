//! Frameworks over the API: listing, viewing, and uploading versions.

use serde_json::Value;

use crate::both_backends;
use crate::helpers::{Backend, TestApp, spawn_app};

const SOURCE: &str = include_str!("fixtures/frameworks/test-skills.toml");

async fn upload(app: &TestApp, token: &str, body: String, content_type: &str) -> crate::helpers::Reply {
    let resp = app
        .client
        .post(format!("{}/api/frameworks", app.address))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    TestApp::reply(resp).await
}

async fn frameworks_are_listed_and_viewed(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Ramverk").await;
    let list = app.get("/api/frameworks", &org.assessor.token).await.expect(200);
    assert_eq!(list[0]["id"], "test-skills");
    assert_eq!(list[0]["shipped"], true);
    let f = app.get("/api/frameworks/test-skills/2026.1", &org.assessor.token).await.expect(200);
    assert_eq!(f["units"].as_array().unwrap().len(), 4);
    assert_eq!(f["units"][0]["level"], "E3");
    assert_eq!(f["qualifications"][0]["mandatory"], serde_json::json!(["DBS-01", "DBS-02"]));
}

async fn a_new_version_uploads_and_a_changed_same_version_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Uppladdning").await;
    let t = &org.admin.token;
    // The shipped framework's id is reserved; an organisation publishes under its own.
    let shipped_id = SOURCE.replace("version = \"2026.1\"", "version = \"2026.2\"");
    upload(&app, t, shipped_id, "application/toml").await.problem(422, "validation");
    let v2 = SOURCE
        .replace("id = \"test-skills\"", "id = \"uppladdning-skills\"")
        .replace("version = \"2026.1\"", "version = \"2026.2\"");
    assert_eq!(upload(&app, t, v2.clone(), "application/toml").await.expect(201)["version"], "2026.2");
    upload(&app, t, v2.clone(), "application/toml").await.expect(200);
    let changed = v2.replace("credits = 6", "credits = 7");
    let p = upload(&app, t, changed, "application/toml").await.problem(409, "version-exists");
    let detail = p["detail"].as_str().unwrap();
    assert!(detail.contains("uppladdning-skills version 2026.2"), "{detail}");
    assert!(detail.contains("upload the changed framework as a new version"), "{detail}");
    let problem = app.call(reqwest::Method::GET, "/problems/version-exists", None, None).await.expect(200);
    assert!(problem.as_str().unwrap().contains("409"), "{problem}");
    let doc = app.call(reqwest::Method::GET, "/openapi.json", None, None).await.expect(200);
    let conflict = &doc["paths"]["/api/frameworks"]["post"]["responses"]["409"];
    assert!(conflict["description"].as_str().unwrap().starts_with("version-exists"), "{conflict}");
    upload(&app, &org.assessor.token, v2.clone(), "application/toml").await.problem(403, "forbidden");
    upload(&app, t, v2, "application/json").await.problem(415, "unsupported-media-type");
    // Another organisation does not see the upload.
    let other = app.org("Annan").await;
    let list = app.get("/api/frameworks", &other.assessor.token).await.expect(200);
    assert!(list.as_array().unwrap().iter().all(|f: &Value| f["version"] != "2026.2"));
    app.get("/api/frameworks/uppladdning-skills/2026.2", &other.assessor.token)
        .await
        .problem(404, "not-found");
    let theirs = SOURCE
        .replace("id = \"test-skills\"", "id = \"uppladdning-skills\"")
        .replace("version = \"2026.1\"", "version = \"9\"");
    upload(&app, &other.admin.token, theirs, "application/toml").await.problem(422, "validation");
}

async fn a_broken_upload_reports_every_error_with_its_line(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Trasig").await;
    let broken = SOURCE
        .replace("id = \"test-skills\"", "id = \"trasig-skills\"")
        .replace("version = \"2026.1\"", "version = \"2026.3\"")
        .replace("credits = 6", "credits = 0")
        .replace("methods = [\"practical\"]", "methods = []");
    let p =
        upload(&app, &org.admin.token, broken, "application/toml").await.problem(422, "invalid-framework");
    let errors = p["errors"].as_array().unwrap();
    assert!(errors.len() >= 2, "{p:#}");
    assert!(errors.iter().all(|e| e["line"].as_u64().unwrap() > 0));
    assert!(errors.iter().any(|e| e["field"].as_str().unwrap().ends_with("credits")));
    assert!(errors.iter().any(|e| e["field"].as_str().unwrap().ends_with("methods")));
    assert!(
        app.get("/api/frameworks", &org.admin.token)
            .await
            .expect(200)
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["version"] != "2026.3")
    );
}

/// TOML can spell a NUL or another control character as an escape; the loader refuses it with
/// the line, on both backends, instead of PostgreSQL refusing it with a 500.
async fn control_characters_spelled_as_toml_escapes_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Escapekommun").await;
    let base = SOURCE.replace("id = \"test-skills\"", "id = \"escape-skills\"");
    for bad in ["Validering\\u0000 Nord", "Validering\\u001b[2J Nord", "Validering\\u0007"] {
        let body = base.replace("awarding_body = \"Validering Nord\"", &format!("awarding_body = \"{bad}\""));
        let p =
            upload(&app, &org.admin.token, body, "application/toml").await.problem(422, "invalid-framework");
        let errors = p["errors"].as_array().unwrap();
        assert!(errors.iter().any(|e| e["field"] == "awarding_body" && e["line"] == 4), "{bad}: {p:#}");
    }
    assert!(app.get("/api/frameworks/escape-skills/2026.1", &org.admin.token).await.status == 404);
}

both_backends!(
    control_characters_spelled_as_toml_escapes_are_refused,
    frameworks_are_listed_and_viewed,
    a_new_version_uploads_and_a_changed_same_version_is_refused,
    a_broken_upload_reports_every_error_with_its_line,
);
