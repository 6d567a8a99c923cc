//! Each kind of bad request gets its status and problem type, and changes nothing.

use reqwest::Method;
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{Backend, Org, TestApp, spawn_app, today};

async fn setup(app: &TestApp) -> (Org, String) {
    let org = app.org("Felkommun").await;
    let (cand, _, _) = app.candidate(&org, "Hanna Hansson").await;
    let a = app.assessment(&org, &cand).await;
    (org, a)
}

async fn record_count(app: &TestApp, org: &Org, a: &str) -> usize {
    app.get(&format!("/api/assessments/{a}"), &org.assessor.token).await.expect(200)["records"]
        .as_array()
        .unwrap()
        .len()
}

fn observation() -> Value {
    json!({"date": today(), "context": "Prov", "items": [{"criterion": "DBS-04/1.1", "met": true, "comment": ""}]})
}

async fn malformed_json_is_400_and_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app).await;
    let resp = app
        .client
        .post(format!("{}/api/assessments/{a}/observations", app.address))
        .bearer_auth(&org.assessor.token)
        .header("content-type", "application/json")
        .body("{\"date\": ")
        .send()
        .await
        .unwrap();
    TestApp::reply(resp).await.problem(400, "malformed-json");
    assert_eq!(record_count(&app, &org, &a).await, 0);
}

async fn unknown_fields_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app).await;
    let mut body = observation();
    body["colour"] = json!("blue");
    let p = app
        .post(&format!("/api/assessments/{a}/observations"), &org.assessor.token, body)
        .await
        .problem(422, "unknown-field");
    assert!(p["detail"].as_str().unwrap().contains("colour"));
    assert_eq!(record_count(&app, &org, &a).await, 0);
}

async fn oversize_bodies_are_413(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app).await;
    let mut body = observation();
    body["context"] = json!("x".repeat(100 * 1024));
    app.post(&format!("/api/assessments/{a}/observations"), &org.assessor.token, body)
        .await
        .problem(413, "payload-too-large");
    assert_eq!(record_count(&app, &org, &a).await, 0);
}

async fn invalid_records_name_each_bad_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app).await;
    let p = app.post(&format!("/api/assessments/{a}/theory-tests"), &org.assessor.token, json!({
        "date": "2099-01-01", "title": "Prov", "score": 25, "max": 20, "pass_mark": 14, "criteria": ["NOPE/1.1"]
    })).await.problem(422, "validation");
    let fields: Vec<&str> =
        p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["score"]);
    let p = app.post(&format!("/api/assessments/{a}/theory-tests"), &org.assessor.token, json!({
        "date": "2099-01-01", "title": "Prov", "score": 15, "max": 20, "pass_mark": 14, "criteria": ["NOPE/1.1", "DBS-01/9.9"]
    })).await.problem(422, "validation");
    let fields: Vec<&str> =
        p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["date", "criteria[0]", "criteria[1]"]);
    assert_eq!(record_count(&app, &org, &a).await, 0);
}

async fn wrong_role_is_403(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app).await;
    app.post(&format!("/api/assessments/{a}/observations"), &org.verifier.token, observation())
        .await
        .problem(403, "forbidden");
    app.post(
        "/api/users",
        &org.assessor.token,
        json!({"email": "x@y.test", "display_name": "X", "roles": ["admin"]}),
    )
    .await
    .problem(403, "forbidden");
    assert_eq!(record_count(&app, &org, &a).await, 0);
}

async fn another_organisations_data_is_not_found(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app).await;
    let other = app.org("Grannkommun").await;
    let cand = app.get("/api/candidates", &org.assessor.token).await.expect(200)[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.get(&format!("/api/assessments/{a}"), &other.assessor.token).await.problem(404, "not-found");
    app.get(&format!("/api/candidates/{cand}"), &other.assessor.token).await.problem(404, "not-found");
    app.post(&format!("/api/assessments/{a}/observations"), &other.assessor.token, observation())
        .await
        .problem(404, "not-found");
    app.get(&format!("/api/users/{}", org.assessor.id), &other.admin.token).await.problem(404, "not-found");
    assert!(
        app.get("/api/candidates", &other.assessor.token).await.expect(200).as_array().unwrap().is_empty()
    );
    assert_eq!(record_count(&app, &org, &a).await, 0);
}

async fn stale_versions_are_409(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app).await;
    let r = app
        .post(&format!("/api/assessments/{a}/observations"), &org.assessor.token, observation())
        .await
        .expect(201);
    let id = r["id"].as_str().unwrap();
    let fix = |reason: &str| {
        json!({"version": 1, "reason": reason, "record": {"kind": "practical", "date": today(), "context": reason,
        "items": [{"criterion": "DBS-04/1.1", "met": false, "comment": ""}]}})
    };
    app.post(&format!("/api/records/{id}/corrections"), &org.assessor.token, fix("first")).await.expect(200);
    app.post(&format!("/api/records/{id}/corrections"), &org.assessor2.token, fix("second"))
        .await
        .problem(409, "stale-version");
    let h = app.get(&format!("/api/records/{id}"), &org.assessor.token).await.expect(200);
    assert_eq!(h.as_array().unwrap().len(), 2);
    assert_eq!(h[1]["record"]["context"], "first", "the first correction is not overwritten");

    let cand = app.get("/api/candidates", &org.assessor.token).await.expect(200)[0].clone();
    let path = format!("/api/candidates/{}", cand["id"].as_str().unwrap());
    app.patch(&path, &org.assessor.token, json!({"version": 1, "display_name": "A"})).await.expect(200);
    app.patch(&path, &org.assessor2.token, json!({"version": 1, "display_name": "B"}))
        .await
        .problem(409, "stale-version");
    assert_eq!(app.get(&path, &org.assessor.token).await.expect(200)["display_name"], "A");
}

async fn concurrent_corrections_let_exactly_one_win(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app).await;
    let r = app
        .post(&format!("/api/assessments/{a}/observations"), &org.assessor.token, observation())
        .await
        .expect(201);
    let id = r["id"].as_str().unwrap();
    let path = format!("/api/records/{id}/corrections");
    let bodies: Vec<Value> = (0..8).map(|i| json!({"version": 1, "reason": format!("r{i}"), "record": {"kind": "practical",
        "date": today(), "context": format!("c{i}"), "items": [{"criterion": "DBS-04/1.1", "met": true, "comment": ""}]}})).collect();
    let calls =
        bodies.iter().map(|body| app.call(Method::POST, &path, Some(&org.assessor.token), Some(body)));
    let replies = futures_util::future::join_all(calls).await;
    let ok = replies.iter().filter(|r| r.status == 200).count();
    let conflict = replies.iter().filter(|r| r.status == 409).count();
    assert_eq!((ok, conflict), (1, 7), "{replies:?}");
    assert_eq!(
        app.get(&format!("/api/records/{id}"), &org.assessor.token)
            .await
            .expect(200)
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

async fn duplicate_submissions_are_409(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app).await;
    app.post(&format!("/api/assessments/{a}/observations"), &org.assessor.token, observation())
        .await
        .expect(201);
    app.post(&format!("/api/assessments/{a}/decisions"), &org.assessor.token, json!({})).await.expect(201);
    app.post(&format!("/api/assessments/{a}/decisions"), &org.assessor.token, json!({}))
        .await
        .problem(409, "duplicate");
    let all = app.get("/api/decisions", &org.verifier.token).await.expect(200);
    assert_eq!(all.as_array().unwrap().len(), 1);
}

async fn the_assessor_cannot_verify_their_own_decision(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app).await;
    // A person with both roles still cannot confirm what they assessed.
    let both = app
        .person(
            &org.id,
            "both@felkommun.test",
            &[validera::auth::Role::Assessor, validera::auth::Role::Verifier],
        )
        .await;
    app.post(&format!("/api/assessments/{a}/observations"), &both.token, observation()).await.expect(201);
    let d = app.post(&format!("/api/assessments/{a}/decisions"), &both.token, json!({})).await.expect(201);
    let id = d["id"].as_str().unwrap();
    app.post(&format!("/api/decisions/{id}/confirm"), &both.token, json!({"version": 1}))
        .await
        .problem(403, "four-eyes");
    assert_eq!(
        app.get(&format!("/api/decisions/{id}"), &org.verifier.token).await.expect(200)["status"],
        "submitted"
    );
    app.post(&format!("/api/decisions/{id}/confirm"), &org.verifier.token, json!({"version": 1}))
        .await
        .expect(200);
    app.post(&format!("/api/decisions/{id}/confirm"), &org.verifier.token, json!({"version": 1}))
        .await
        .problem(409, "stale-version");
}

async fn a_decision_on_a_changed_assessment_cannot_be_confirmed(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app).await;
    app.post(&format!("/api/assessments/{a}/observations"), &org.assessor.token, observation())
        .await
        .expect(201);
    let d = app
        .post(&format!("/api/assessments/{a}/decisions"), &org.assessor.token, json!({}))
        .await
        .expect(201);
    app.post(&format!("/api/assessments/{a}/observations"), &org.assessor.token, observation())
        .await
        .expect(201);
    let id = d["id"].as_str().unwrap();
    app.post(&format!("/api/decisions/{id}/confirm"), &org.verifier.token, json!({"version": 1}))
        .await
        .problem(409, "stale-version");
}

async fn unknown_routes_and_ids_are_problem_404(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, _) = setup(&app).await;
    app.get("/api/nothing-here", &org.assessor.token).await.problem(404, "not-found");
    app.get("/api/assessments/00000000-0000-4000-8000-000000000000", &org.assessor.token)
        .await
        .problem(404, "not-found");
}

both_backends!(
    malformed_json_is_400_and_changes_nothing,
    unknown_fields_are_refused,
    oversize_bodies_are_413,
    invalid_records_name_each_bad_field,
    wrong_role_is_403,
    another_organisations_data_is_not_found,
    stale_versions_are_409,
    concurrent_corrections_let_exactly_one_win,
    duplicate_submissions_are_409,
    the_assessor_cannot_verify_their_own_decision,
    a_decision_on_a_changed_assessment_cannot_be_confirmed,
    unknown_routes_and_ids_are_problem_404,
);
