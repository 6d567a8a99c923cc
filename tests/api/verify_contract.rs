//! The contract of `POST /api/verify`: every body the OpenAPI document names is taken, and the
//! answers it documents are the ones given.

use serde_json::Value;

use crate::both_backends;
use crate::helpers::{Backend, TestApp, spawn_app};

async fn issued(app: &TestApp) -> Vec<u8> {
    let org = app.org("Kontraktet").await;
    let (_, certs) = crate::certificates::certified(app, &org).await;
    let id = certs[0]["id"].as_str().unwrap();
    app.client
        .get(format!("{}/v/{id}", app.address))
        .header("accept", "application/ld+json")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec()
}

async fn every_documented_body_is_taken(backend: Backend) {
    let app = spawn_app(backend).await;
    let credential = issued(&app).await;
    let verify = |body: reqwest::Body, ct: &str| {
        app.client.post(format!("{}/api/verify", app.address)).header("content-type", ct).body(body).send()
    };

    // JSON as Windows editors save it, with a byte-order mark.
    let bom: Vec<u8> = [&[0xEF, 0xBB, 0xBF][..], &credential].concat();
    let r = TestApp::reply(verify(bom.into(), "application/json").await.unwrap()).await.expect(200);
    assert_eq!(r["outcome"], "genuine", "{r:#}");

    // The form /check sends: the credential pasted as text, or as a file.
    for part in ["text", "file"] {
        let form = reqwest::multipart::Form::new()
            .part(part, reqwest::multipart::Part::bytes(credential.clone()).file_name("credential.json"));
        let resp =
            app.client.post(format!("{}/api/verify", app.address)).multipart(form).send().await.unwrap();
        let r = TestApp::reply(resp).await.expect(200);
        assert_eq!(r["outcome"], "genuine", "{part}: {r:#}");
    }
    let empty = reqwest::multipart::Form::new().text("text", "  ");
    let resp = app.client.post(format!("{}/api/verify", app.address)).multipart(empty).send().await.unwrap();
    TestApp::reply(resp).await.problem(422, "validation");

    // The OpenAPI document names each of these bodies and each problem answer.
    let api: Value =
        app.client.get(format!("{}/openapi.json", app.address)).send().await.unwrap().json().await.unwrap();
    let op = &api["paths"]["/api/verify"]["post"];
    for ct in
        ["application/json", "application/vc+jwt", "application/pdf", "multipart/form-data", "text/plain"]
    {
        assert!(op["requestBody"]["content"].get(ct).is_some(), "{ct} is not documented: {op:#}");
    }
    for status in ["413", "422", "429", "503"] {
        let r = &op["responses"][status];
        assert!(r["content"].get("application/problem+json").is_some(), "{status} is not documented: {op:#}");
    }
}

both_backends!(every_documented_body_is_taken);
