//! The OpenAPI document as a contract: problem responses on every operation, closed request
//! schemas a generator can satisfy, and timestamps with an offset. tests/contract/run.sh drives
//! schemathesis against the same document; these checks keep it honest without Python.

use chrono::DateTime;
use reqwest::Method;
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{Backend, spawn_app, today};

fn document() -> Value {
    use utoipa::OpenApi;
    serde_json::to_value(validera::http::openapi::ApiDoc::openapi()).unwrap()
}

/// Each (method, path, operation) of the document.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                ops.push((method.to_uppercase(), path.clone(), op.clone()));
            }
        }
    }
    ops
}

fn is_problem(response: &Value) -> bool {
    response["content"]["application/problem+json"]["schema"]["$ref"] == "#/components/schemas/Problem"
}

#[test]
fn every_operation_documents_its_problems_as_problem_json() {
    let doc = document();
    let ops = operations(&doc);
    assert!(ops.len() > 50, "{} operations", ops.len());
    let mut missing = Vec::new();
    for (method, path, op) in &ops {
        let responses = op["responses"].as_object().unwrap();
        let mut expected = vec![];
        if op["security"].as_array().is_some_and(|s| !s.is_empty()) {
            expected.extend(["401", "403"]);
        }
        if path.contains('{') {
            expected.push("404");
        }
        if let Some(content) = op["requestBody"]["content"].as_object() {
            expected.extend(["413", "415", "422"]);
            if content.contains_key("application/json") {
                expected.push("400");
            }
        }
        if !path.starts_with("/api/") && !["/healthz", "/readyz"].contains(&path.as_str()) {
            expected.push("429");
        }
        if path != "/healthz" {
            expected.push("503");
        }
        for status in expected {
            match responses.get(status) {
                Some(r) if is_problem(r) || (path == "/readyz" && status == "503") => {}
                _ => missing.push(format!("{method} {path} {status}")),
            }
        }
        // Whatever a handler annotated, an error answer is a problem document and nothing else.
        for (status, r) in responses {
            if status.starts_with('4') {
                assert!(is_problem(r), "{method} {path} {status}: {r}");
                assert!(r["content"].get("application/json").is_none(), "{method} {path} {status}");
                assert!(!r["description"].as_str().unwrap_or_default().is_empty());
            }
        }
    }
    assert!(missing.is_empty(), "undocumented problems: {missing:#?}");
    // The writes that send a version can meet a newer one.
    for path in ["/api/records/{id}/corrections", "/api/decisions/{id}/confirm", "/api/users/{id}"] {
        let item = &doc["paths"][path];
        let op = if item["patch"].is_object() { &item["patch"] } else { &item["post"] };
        assert!(is_problem(&op["responses"]["409"]), "{path}");
    }
    // The health probe stays unlimited, and the anonymous verifier is limited.
    assert!(doc["paths"]["/healthz"]["get"]["responses"].get("429").is_none());
    assert!(is_problem(&doc["paths"]["/api/verify"]["post"]["responses"]["429"]));
}

/// A record in a correction is one closed object per kind: the tag sits beside the record's
/// own fields, where serde reads it, and nothing else may.
#[test]
fn a_correction_body_can_be_satisfied() {
    let doc = document();
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["Correction"]["properties"]["record"]["$ref"], "#/components/schemas/RecordDto");
    let variants = schemas["RecordDto"]["oneOf"].as_array().unwrap();
    let mut kinds = Vec::new();
    for v in variants {
        assert!(v.get("allOf").is_none(), "{v}");
        assert_eq!(v["additionalProperties"], false, "{v}");
        assert!(v["required"].as_array().unwrap().contains(&json!("kind")), "{v}");
        assert!(v["properties"]["date"].is_object(), "the record's own fields: {v}");
        kinds.push(v["properties"]["kind"]["enum"][0].as_str().unwrap().to_owned());
    }
    assert_eq!(kinds, ["mapping", "theory", "practical", "evidence"]);
    // The standalone records stay closed without the tag: their endpoints refuse `kind`.
    assert!(schemas["MappingNoteDto"]["properties"].get("kind").is_none());
    assert_eq!(schemas["MappingNoteDto"]["additionalProperties"], false);
}

fn assert_rfc3339(value: &Value, what: &str) {
    let text = value.as_str().unwrap_or_else(|| panic!("{what} is not a string: {value}"));
    let t = DateTime::parse_from_rfc3339(text).unwrap_or_else(|e| panic!("{what} {text:?}: {e}"));
    assert_eq!(t.offset().local_minus_utc(), 0, "{what} {text:?} is UTC");
}

async fn timestamps_are_rfc3339_with_an_offset(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let org = app.org("Stamp Org").await;
    let (candidate, _, _) = app.candidate(&org, "Tidig Stämpel").await;
    let assessment = app.assessment(&org, &candidate).await;

    // Act
    let record = app
        .post(
            &format!("/api/assessments/{assessment}/mapping-notes"),
            &org.assessor.token,
            json!({"date": today(), "notes": "Intervju"}),
        )
        .await
        .expect(201);
    let corrected = app
        .post(
            &format!("/api/records/{}/corrections", record["id"].as_str().unwrap()),
            &org.assessor.token,
            json!({"version": record["version"], "reason": "stavfel",
                   "record": {"kind": "mapping", "date": today(), "notes": "Intervjun"}}),
        )
        .await
        .expect(200);
    let assessments =
        app.get(&format!("/api/candidates/{candidate}/assessments"), &org.assessor.token).await.expect(200);
    let keys = app.call(Method::POST, "/api/keys/rotate", Some(&org.admin.token), None).await.expect(201);
    let rotated = app.call(Method::POST, "/api/keys/rotate", Some(&org.admin.token), None).await.expect(201);

    // Assert
    assert_rfc3339(&record["created_at"], "record created_at");
    assert_rfc3339(&corrected["created_at"], "corrected record created_at");
    assert_eq!(corrected["record"]["kind"], "mapping");
    assert_eq!(assessments[0]["id"], assessment.as_str());
    assert_rfc3339(&assessments[0]["created_at"], "assessment created_at");
    for k in keys.as_array().unwrap().iter().chain(rotated.as_array().unwrap()) {
        assert_rfc3339(&k["created_at"], "key created_at");
    }
    let retired: Vec<&Value> =
        rotated.as_array().unwrap().iter().map(|k| &k["retired_at"]).filter(|r| !r.is_null()).collect();
    assert!(!retired.is_empty(), "a second rotation retires a key: {rotated}");
    for r in retired {
        assert_rfc3339(r, "key retired_at");
    }
    let audit = app.call(Method::GET, "/api/audit", Some(&org.admin.token), None).await.expect(200);
    let events = audit["events"].as_array().unwrap();
    assert!(!events.is_empty(), "the rotations and sign-ins are audited: {audit}");
    for e in events {
        assert_rfc3339(&e["at"], "audit event at");
    }
    // Dates stay dates.
    assert_eq!(record["record"]["date"], today());
}

both_backends!(timestamps_are_rfc3339_with_an_offset);
