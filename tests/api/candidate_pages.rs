//! The candidate's pages: their progress in plain language, in their language, and their own
//! certificates to download and share.

use serde_json::json;

use crate::both_backends;
use crate::certificates::certified;
use crate::helpers::{Backend, Org, Person, TestApp, spawn_app, today};

const PASSWORD: &str = "kandidatens eget lösenord";

/// A candidate who has chosen their own password; returns (candidate id, person).
async fn candidate(app: &TestApp, org: &Org, name: &str) -> (String, Person) {
    let (id, otp, email) = app.candidate(org, name).await;
    let tok = app.login(&email, &otp).await.expect(200)["token"].as_str().unwrap().to_owned();
    app.post("/api/me/password", &tok, json!({"current_password": otp, "new_password": PASSWORD}))
        .await
        .expect(200);
    let token = app.login(&email, PASSWORD).await.expect(200)["token"].as_str().unwrap().to_owned();
    let user = app.get("/api/me", &token).await.expect(200)["id"].as_str().unwrap().to_owned();
    (id, Person { id: user, email, password: PASSWORD.into(), token })
}

/// The certified candidate of [`certified`] as a person who can sign in to the pages.
async fn certified_person(app: &TestApp, org: &Org) -> (Person, Vec<serde_json::Value>) {
    let (token, certs) = certified(app, org).await;
    let me = app.get("/api/me", &token).await.expect(200);
    let person = Person {
        id: me["id"].as_str().unwrap().into(),
        email: me["email"].as_str().unwrap().into(),
        password: PASSWORD.into(),
        token,
    };
    (person, certs)
}

async fn a_candidate_sees_what_is_met_and_what_is_left_in_their_language(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Kandidatkommun").await;
    let (cand, person) = candidate(&app, &org, "Kim Kandidat").await;
    let a = app.assessment(&org, &cand).await;
    app.post(&format!("/api/assessments/{a}/theory-tests"), &org.assessor.token, json!({
        "date": today(), "title": "Teori", "score": 18, "max": 20, "pass_mark": 14, "criteria": ["DBS-01/1.2"]
    }))
    .await
    .expect(201);
    let b = app.browser_as(&person).await;
    assert_eq!(b.get("/").await.redirected(), "/candidate");

    let sv = b.get("/candidate").await;
    let body = sv.expect(200);
    assert!(body.contains("lang=\"sv\""));
    assert!(body.contains("data-unit=\"DBS-01\" data-status=\"in-progress\""), "{body}");
    assert!(body.contains("1 av 2 delar klara"), "{body}");
    assert!(body.contains("Det här har du visat"));
    assert!(body.contains("Det här återstår"));
    assert!(body.contains("Du kan visa det med: praktiskt prov, portfolio eller produkt."), "{body}");
    assert!(body.contains("data-unit=\"DBS-04\" data-status=\"not-started\""));

    let fi = b.get("/candidate?lang=fi").await;
    let body = fi.expect(200);
    assert!(body.contains("lang=\"fi\""));
    assert!(body.contains("Tämä on vielä jäljellä"), "{body}");
    assert!(body.contains("Voit osoittaa sen näin: käytännön näyttö, portfolio tai tuotos."), "{body}");
    assert!(body.contains("1/2 osaa valmiina"));
}

async fn a_certified_candidate_downloads_and_shares_their_certificates(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Kandidatkommun").await;
    let (person, certs) = certified_person(&app, &org).await;
    assert!(!certs.is_empty());
    let b = app.browser_as(&person).await;
    assert!(b.get("/candidate").await.expect(200).contains("href=\"/candidate/certificates\""));

    let page = b.get("/candidate/certificates").await;
    let body = page.expect(200).to_owned();
    for c in &certs {
        let id = c["id"].as_str().unwrap();
        for expected in [
            format!("data-certificate=\"{id}\""),
            format!("class=\"download-pdf\" href=\"/candidate/certificates/{id}/certificate.pdf\""),
            format!("class=\"download-json\" href=\"/candidate/certificates/{id}/credential.json\""),
            format!("class=\"download-jwt\" href=\"/candidate/certificates/{id}/credential.jwt\""),
            format!("value=\"{}\" readonly", c["share_url"].as_str().unwrap()),
            format!("data-copy=\"share-{id}\""),
            format!("id=\"share-{id}-status\" role=\"status\""),
        ] {
            assert!(body.contains(&expected), "{expected} missing: {body}");
        }
        assert!(c["share_url"].as_str().unwrap().ends_with(&format!("/v/{id}")));
    }
    assert!(body.contains("class=\"share-link\""));
    assert!(body.contains(
        "class=\"linkedin\" href=\"https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&#38;name="
    ));
    assert!(body.contains("src=\"data:image/svg+xml;base64,"));
    assert!(body.contains("Giltigt"));

    let id = certs[0]["id"].as_str().unwrap();
    let pdf = b.get(&format!("/candidate/certificates/{id}/certificate.pdf")).await;
    assert!(pdf.expect(200).starts_with("%PDF"));
    let stored = app.get(&format!("/api/certificates/{id}/credential.json"), &person.token).await.expect(200);
    let json = b.get(&format!("/candidate/certificates/{id}/credential.json")).await;
    assert_eq!(serde_json::from_str::<serde_json::Value>(json.expect(200)).unwrap(), stored);
    let jwt = b.get(&format!("/candidate/certificates/{id}/credential.jwt")).await;
    assert_eq!(jwt.expect(200).split('.').count(), 3);
}

async fn a_revoked_certificate_says_so_in_words(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Kandidatkommun").await;
    let (person, certs) = certified_person(&app, &org).await;
    let id = certs[0]["id"].as_str().unwrap();
    app.post(
        &format!("/api/certificates/{id}/revoke"),
        &org.admin.token,
        json!({"version": 1, "reason": "Utfärdat av misstag"}),
    )
    .await
    .expect(200);
    let b = app.browser_as(&person).await;
    let page = b.get("/candidate/certificates?lang=en").await;
    let body = page.expect(200);
    assert!(body.contains(&format!("data-certificate=\"{id}\" data-status=\"revoked\"")), "{body}");
    assert!(body.contains("Revoked"));
    assert!(body.contains("Utfärdat av misstag"));
}

async fn another_candidates_certificate_is_not_found(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Kandidatkommun").await;
    let (_, certs) = certified_person(&app, &org).await;
    let (_, other) = candidate(&app, &org, "Olle Annan").await;
    let b = app.browser_as(&other).await;
    let id = certs[0]["id"].as_str().unwrap();
    for format in ["certificate.pdf", "credential.json", "credential.jwt"] {
        assert_eq!(b.get(&format!("/candidate/certificates/{id}/{format}")).await.status, 404, "{format}");
    }
    assert!(!b.get("/candidate/certificates").await.expect(200).contains(id));
}

async fn staff_without_the_candidate_role_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Kandidatkommun").await;
    let (_, certs) = certified_person(&app, &org).await;
    for staff in [&org.admin, &org.assessor, &org.verifier] {
        let b = app.browser_as(staff).await;
        assert_eq!(b.get("/candidate").await.status, 403);
        assert_eq!(b.get("/candidate/certificates").await.status, 403);
        let id = certs[0]["id"].as_str().unwrap();
        assert_eq!(b.get(&format!("/candidate/certificates/{id}/credential.json")).await.status, 403);
    }
}

both_backends!(
    a_candidate_sees_what_is_met_and_what_is_left_in_their_language,
    a_certified_candidate_downloads_and_shares_their_certificates,
    a_revoked_certificate_says_so_in_words,
    another_candidates_certificate_is_not_found,
    staff_without_the_candidate_role_are_refused,
);
