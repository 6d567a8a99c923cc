//! The internal verifier's pages: the queue, a decision with its evidence trail, confirming
//! (which issues certificates) and returning with a comment the assessor sees.

use serde_json::json;
use validera::auth::Role;

use crate::both_backends;
use crate::helpers::{Backend, Org, TestApp, spawn_app, today};

/// A decision submitted by `author` on theory, practical and evidence records (the evidence
/// with a file); returns (decision id, file id).
async fn submitted(app: &TestApp, org: &Org, author: &str) -> (String, String) {
    let (cand, _, _) = app.candidate(org, "Vera Verifierad").await;
    let a = app.assessment(org, &cand).await;
    app.post(&format!("/api/assessments/{a}/theory-tests"), author, json!({
        "date": today(), "title": "Teori om hygien", "score": 18, "max": 20, "pass_mark": 14, "criteria": ["DBS-01/1.2"]
    }))
    .await
    .expect(201);
    app.post(
        &format!("/api/assessments/{a}/observations"),
        author,
        json!({
            "date": today(), "context": "Storköket", "items": [
                {"criterion": "DBS-01/1.1", "met": true, "comment": "Arbetade lugnt och säkert"},
                {"criterion": "DBS-04/1.1", "met": true, "comment": ""}
            ]
        }),
    )
    .await
    .expect(201);
    let ev = app
        .post(&format!("/api/assessments/{a}/evidence"), author, json!({
            "date": today(), "evidence_kind": "employer-reference", "description": "Referens från restaurangen",
            "issuer": "Restaurang Fyren", "issued_on": today(), "valid": true, "authentic": true,
            "sufficient": true, "reliable": true, "criteria": ["DBS-02/1.1"]
        }))
        .await
        .expect(201);
    let resp = app
        .client
        .post(format!("{}/api/records/{}/files?name=referens.txt", app.address, ev["id"].as_str().unwrap()))
        .bearer_auth(author)
        .header("content-type", "text/plain")
        .body("Vera har arbetat hos oss i tre år.")
        .send()
        .await
        .unwrap();
    let file = TestApp::reply(resp).await.expect(201)["id"].as_str().unwrap().to_owned();
    let d = app.post(&format!("/api/assessments/{a}/decisions"), author, json!({})).await.expect(201);
    (d["id"].as_str().unwrap().to_owned(), file)
}

async fn status_of(app: &TestApp, org: &Org, decision: &str) -> serde_json::Value {
    app.get(&format!("/api/decisions/{decision}"), &org.assessor.token).await.expect(200)
}

async fn the_verifier_confirms_a_decision_from_the_queue(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Kvalitetskommun").await;
    let (id, file) = submitted(&app, &org, &org.assessor.token).await;
    let b = app.browser_as(&org.verifier).await;

    let queue = b.get("/verifier").await;
    let body = queue.expect(200);
    assert!(body.contains(&format!("<tr data-decision=\"{id}\">")), "{body}");
    assert!(body.contains("class=\"open-decision\""));
    assert!(body.contains("Vera Verifierad"));

    let page = b.get(&format!("/verifier/decisions/{id}")).await;
    let body = page.expect(200);
    for expected in [
        "id=\"confirm-decision\"",
        "id=\"return-decision\"",
        "id=\"comment\"",
        "Teori om hygien",
        "Arbetade lugnt och säkert",
        "Referens från restaurangen",
        "DBS-02/1.1",
        &format!("href=\"/verifier/files/{file}\""),
    ] {
        assert!(body.contains(expected), "{expected} missing: {body}");
    }
    assert!(!body.contains("id=\"four-eyes\""));

    // The attached file downloads through the session.
    let f = b.get(&format!("/verifier/files/{file}")).await;
    assert_eq!(f.expect(200), "Vera har arbetat hos oss i tre år.");

    let done =
        b.post_form(&format!("/verifier/decisions/{id}"), &[("version", "1"), ("verdict", "confirm")]).await;
    assert_eq!(done.redirected(), "/verifier?done=verifier-confirmed");
    let after = b.get("/verifier?done=verifier-confirmed").await;
    let body = after.expect(200);
    assert!(body.contains("class=\"flash\" role=\"status\""), "{body}");
    assert!(body.contains("Intygen är utfärdade"));
    assert!(body.contains(&format!("data-decision=\"{id}\" data-status=\"confirmed\"")), "{body}");

    assert_eq!(status_of(&app, &org, &id).await["status"], "confirmed");
    let certs = app.get("/api/certificates", &org.admin.token).await.expect(200);
    assert!(!certs.as_array().unwrap().is_empty(), "confirming issues certificates");
}

async fn returning_needs_a_comment_which_the_assessor_sees(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Kvalitetskommun").await;
    let (id, _) = submitted(&app, &org, &org.assessor.token).await;
    let b = app.browser_as(&org.verifier).await;
    b.get(&format!("/verifier/decisions/{id}")).await.expect(200);

    let empty = b
        .post_form(
            &format!("/verifier/decisions/{id}"),
            &[("version", "1"), ("verdict", "return"), ("comment", "  ")],
        )
        .await;
    let body = empty.expect(422);
    assert!(body.contains("id=\"comment-error\""), "{body}");
    assert!(body.contains("aria-invalid=\"true\""));
    assert!(body.contains("class=\"error-summary\""));
    assert_eq!(status_of(&app, &org, &id).await["status"], "submitted");

    let comment = "Teoriprovet täcker inte 1.2 fullt ut; titta på det igen.";
    let done = b
        .post_form(
            &format!("/verifier/decisions/{id}"),
            &[("version", "1"), ("verdict", "return"), ("comment", comment)],
        )
        .await;
    assert_eq!(done.redirected(), "/verifier?done=verifier-returned");
    let d = status_of(&app, &org, &id).await;
    assert_eq!(d["status"], "returned");
    assert_eq!(d["verifier_comment"], comment);
    assert_eq!(app.get("/api/certificates", &org.admin.token).await.expect(200), json!([]));
}

async fn only_verifiers_open_the_verifier_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Kvalitetskommun").await;
    let (id, file) = submitted(&app, &org, &org.assessor.token).await;
    let b = app.browser_as(&org.assessor2).await;
    assert_eq!(b.get("/verifier").await.status, 403);
    assert_eq!(b.get(&format!("/verifier/decisions/{id}")).await.status, 403);
    assert_eq!(b.get(&format!("/verifier/files/{file}")).await.status, 403);
    b.get("/account/password").await.expect(200);
    let r =
        b.post_form(&format!("/verifier/decisions/{id}"), &[("version", "1"), ("verdict", "confirm")]).await;
    assert_eq!(r.status, 403);
    assert_eq!(status_of(&app, &org, &id).await["status"], "submitted");

    // Another organisation's verifier: not found.
    let other = app.org("Annan kommun").await;
    let v = app.browser_as(&other.verifier).await;
    assert_eq!(v.get(&format!("/verifier/decisions/{id}")).await.status, 404);
    assert_eq!(v.get(&format!("/verifier/files/{file}")).await.status, 404);
    assert!(!v.get("/verifier").await.expect(200).contains(&id));
}

async fn a_form_without_the_right_token_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Kvalitetskommun").await;
    let (id, _) = submitted(&app, &org, &org.assessor.token).await;
    let b = app.browser_as(&org.verifier).await;
    b.get(&format!("/verifier/decisions/{id}")).await.expect(200);
    let r = b
        .post_form(
            &format!("/verifier/decisions/{id}"),
            &[("csrf", "forged-token-forged-token-forged-token"), ("version", "1"), ("verdict", "confirm")],
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(status_of(&app, &org, &id).await["status"], "submitted");
}

async fn the_four_eyes_rule_is_said_up_front_and_enforced(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Kvalitetskommun").await;
    let both = app.person(&org.id, "both@kvalitet.test", &[Role::Assessor, Role::Verifier]).await;
    let (id, _) = submitted(&app, &org, &both.token).await;
    let b = app.browser_as(&both).await;
    let page = b.get(&format!("/verifier/decisions/{id}")).await;
    let body = page.expect(200);
    assert!(body.contains("id=\"four-eyes\""), "{body}");
    assert!(body.contains("id=\"confirm-decision\""), "the page still shows the decision and its forms");
    let r =
        b.post_form(&format!("/verifier/decisions/{id}"), &[("version", "1"), ("verdict", "confirm")]).await;
    assert!(r.expect(403).contains("<h1>Fyraögonsprincipen</h1>"), "{}", r.body);
    assert_eq!(status_of(&app, &org, &id).await["status"], "submitted");
    assert_eq!(app.get("/api/certificates", &org.admin.token).await.expect(200), json!([]));
}

async fn a_stale_version_gives_the_conflict_page_and_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Kvalitetskommun").await;
    let (id, _) = submitted(&app, &org, &org.assessor.token).await;
    let b = app.browser_as(&org.verifier).await;
    b.get(&format!("/verifier/decisions/{id}")).await.expect(200);
    // Meanwhile another verifier returns it.
    let second = app.person(&org.id, "verifier2@kvalitet.test", &[Role::Verifier]).await;
    app.post(
        &format!("/api/decisions/{id}/return"),
        &second.token,
        json!({"version": 1, "comment": "Se över"}),
    )
    .await
    .expect(200);
    let r =
        b.post_form(&format!("/verifier/decisions/{id}"), &[("version", "1"), ("verdict", "confirm")]).await;
    assert!(r.expect(409).contains("<h1>Någon annan har ändrat samma sak</h1>"), "{}", r.body);
    let d = status_of(&app, &org, &id).await;
    assert_eq!(d["status"], "returned");
    assert_eq!(d["verifier_comment"], "Se över");
    assert_eq!(app.get("/api/certificates", &org.admin.token).await.expect(200), json!([]));
    // The closed decision shows its comment and no forms.
    let page = b.get(&format!("/verifier/decisions/{id}")).await;
    let body = page.expect(200);
    assert!(body.contains("id=\"verifier-comment\""));
    assert!(!body.contains("id=\"confirm-decision\""));
}

both_backends!(
    the_verifier_confirms_a_decision_from_the_queue,
    returning_needs_a_comment_which_the_assessor_sees,
    only_verifiers_open_the_verifier_pages,
    a_form_without_the_right_token_changes_nothing,
    the_four_eyes_rule_is_said_up_front_and_enforced,
    a_stale_version_gives_the_conflict_page_and_changes_nothing,
);
