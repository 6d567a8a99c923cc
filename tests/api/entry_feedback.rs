//! Feedback when a record is added (warnings, the record stored all the same) and the
//! assessor's reasons for an evidence judgement, in the API and on the pages.

use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{Backend, Org, TestApp, spawn_app, today};

async fn setup(app: &TestApp) -> (Org, String, String, String) {
    let org = app.org("Återkopplingskommun").await;
    let (cand, otp, email) = app.candidate(&org, "Kim Kandidat").await;
    let a = app.assessment(&org, &cand).await;
    (org, a, email, otp)
}

fn years_ago(n: i32) -> String {
    use chrono::Datelike;
    let d = chrono::Utc::now().date_naive();
    d.with_year(d.year() - n).unwrap_or(d).to_string()
}

fn evidence(issued_on: &str, authentic: bool, reasons: Value) -> Value {
    json!({"date": today(), "evidence_kind": "employer-reference", "description": "Intyg från arbetsgivaren",
        "issuer": "Lagret AB", "issued_on": issued_on, "valid": true, "authentic": authentic,
        "sufficient": true, "reliable": true, "criteria": ["DBS-02/1.1"], "reasons": reasons})
}

fn codes(v: &Value) -> Vec<(String, String)> {
    v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["code"].as_str().unwrap().to_owned(), w["field"].as_str().unwrap().to_owned()))
        .collect()
}

async fn adding_a_record_the_engine_will_not_count_answers_201_with_warnings(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let (org, a, _, _) = setup(&app).await;
    let t = &org.assessor.token;

    // Act
    let theory = app
        .post(
            &format!("/api/assessments/{a}/theory-tests?lang=en"),
            t,
            json!({
            "date": today(), "title": "Teori", "score": 18, "max": 20, "pass_mark": 14,
            "criteria": ["DBS-01/1.2", "DBS-04/1.1"]}),
        )
        .await
        .expect(201);
    let observation = app
        .post(
            &format!("/api/assessments/{a}/observations?lang=sv"),
            t,
            json!({
            "date": today(), "context": "Prov", "items": [
                {"criterion": "DBS-01/1.1", "met": true, "comment": ""},
                {"criterion": "DBS-01/1.2", "met": true, "comment": ""}]}),
        )
        .await
        .expect(201);
    // DBS-02's currency window is 3 years.
    let old = app
        .post(&format!("/api/assessments/{a}/evidence"), t, evidence(&years_ago(4), true, json!(null)))
        .await
        .expect(201);
    let fresh = app
        .post(&format!("/api/assessments/{a}/evidence"), t, evidence(&today(), true, json!(null)))
        .await
        .expect(201);
    let records = app.get(&format!("/api/assessments/{a}"), t).await.expect(200);

    // Assert
    assert_eq!(codes(&theory), [("practical-only".to_owned(), "criteria[1]".to_owned())]);
    let message = theory["warnings"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("DBS-04/1.1") && message.contains("only be shown in a practical test"),
        "{message}"
    );
    assert_eq!(codes(&observation), [("method-not-accepted".to_owned(), "items[1].criterion".to_owned())]);
    let message = observation["warnings"][0]["message"].as_str().unwrap();
    assert!(message.contains("Registreringen är sparad"), "Swedish with ?lang=sv: {message}");
    assert_eq!(codes(&old), [("not-current".to_owned(), "issued_on".to_owned())]);
    assert_eq!(codes(&fresh), []);
    assert_eq!(theory["record"]["kind"], "theory", "the record is in the answer beside its warnings");
    assert_eq!(records["records"].as_array().unwrap().len(), 4, "every record was stored");
}

async fn reasons_for_a_judgement_are_stored_returned_and_shown_to_the_candidate(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let (org, a, email, otp) = setup(&app).await;
    let t = &org.assessor.token;
    let reasons = json!({"authentic": "  Signaturen kunde inte bekräftas med arbetsgivaren.  ", "valid": "", "current": "Aktuellt."});

    // Act
    let added = app
        .post(&format!("/api/assessments/{a}/evidence"), t, evidence(&today(), false, reasons))
        .await
        .expect(201);
    let too_long = app
        .post(
            &format!("/api/assessments/{a}/evidence"),
            t,
            evidence(&today(), false, json!({"reliable": "x".repeat(1001)})),
        )
        .await;
    let control = app
        .post(
            &format!("/api/assessments/{a}/evidence"),
            t,
            evidence(&today(), false, json!({"valid": "a\u{7}b"})),
        )
        .await;
    let unknown = app
        .post(
            &format!("/api/assessments/{a}/evidence"),
            t,
            evidence(&today(), false, json!({"honest": "yes"})),
        )
        .await;
    let id = added["id"].as_str().unwrap();
    let history = app.get(&format!("/api/records/{id}"), t).await.expect(200);
    let cand = app.login(&email, &otp).await.expect(200)["token"].as_str().unwrap().to_owned();
    let own = "kandidatens eget lösenord";
    let cand = app
        .post("/api/me/password", &cand, json!({"current_password": otp, "new_password": own}))
        .await
        .expect(200)["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let mine = app.get("/api/me/progress?lang=en", &cand).await.expect(200);

    // Assert: trimmed, blank dropped, bounded, and read back as stored.
    let stored =
        json!({"authentic": "Signaturen kunde inte bekräftas med arbetsgivaren.", "current": "Aktuellt."});
    assert_eq!(added["record"]["reasons"], stored);
    assert_eq!(history[0]["record"]["reasons"], stored);
    let p = too_long.problem(422, "validation");
    assert_eq!(
        (p["errors"][0]["field"].as_str(), p["errors"][0]["code"].as_str()),
        (Some("reasons.reliable"), Some("too-long"))
    );
    let p = control.problem(422, "validation");
    assert_eq!(p["errors"][0]["field"], "reasons.valid");
    unknown.problem(422, "unknown-field");
    // The candidate reads why the evidence does not count yet, with the assessor's reason for
    // the part that failed (authenticity), not for parts that passed.
    let dbs02 = mine[0]["units"].as_array().unwrap().iter().find(|u| u["code"] == "DBS-02").unwrap();
    let support = &dbs02["criteria"][0]["records"][0];
    assert_eq!(support["counts"], false);
    assert_eq!(
        support["reasons"],
        json!([
            "The assessor's reason about authenticity: Signaturen kunde inte bekräftas med arbetsgivaren."
        ])
    );
    let person =
        crate::helpers::Person { id: String::new(), email: email.clone(), password: own.into(), token: cand };
    let b = app.browser_as(&person).await;
    let page = b.get("/candidate?lang=en").await;
    let page = page.expect(200);
    assert!(page.contains("Signaturen kunde inte bekräftas med arbetsgivaren."), "{page}");
}

async fn the_assessor_page_shows_warnings_after_adding_and_the_reasons(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let (org, a, _, _) = setup(&app).await;
    let b = app.browser_as(&org.assessor).await;
    b.get(&format!("/assessor/assessments/{a}/evidence")).await.expect(200);

    // Act
    let saved = b
        .post_multipart(&format!("/assessor/assessments/{a}/evidence"), |f| {
            f.text("kind", "portfolio")
                .text("date", today())
                .text("description", "Foton av arbetet")
                .text("issuer", "Kim")
                .text("issued_on", years_ago(4))
                .text("valid", "yes")
                .text("sufficient", "yes")
                .text("reliable", "yes")
                .text("reason_authentic", "Oklart vem som tog bilderna.")
                .text("criteria", "DBS-02/1.1")
        })
        .await;
    let to = saved.redirected().to_owned();
    let overview = b.get(&format!("{to}&lang=en")).await;
    let plain = b.get(&format!("/assessor/assessments/{a}?lang=en")).await;

    // Assert
    assert!(to.contains("&warned="), "{to}");
    let body = overview.expect(200);
    assert!(body.contains("id=\"entry-warnings\""), "{body}");
    assert!(body.contains("does not accept portfolio"), "{body}");
    assert!(body.contains("3-year currency window of unit DBS-02"), "{body}");
    assert!(body.contains("Reason (authenticity): Oklart vem som tog bilderna."), "{body}");
    assert!(!plain.expect(200).contains("id=\"entry-warnings\""), "the warnings are said once, after adding");
}

async fn the_verifier_reads_each_reason_beside_its_judgement(backend: Backend) {
    // Arrange: accepted evidence for DBS-02, with reasons, submitted for verification.
    let app = spawn_app(backend).await;
    let (org, a, _, _) = setup(&app).await;
    let t = &org.assessor.token;
    let reasons = json!({"valid": "Beskriver just e-posthantering.", "current": "Utfärdat i år."});
    app.post(&format!("/api/assessments/{a}/evidence"), t, evidence(&today(), true, reasons))
        .await
        .expect(201);
    let d = app.post(&format!("/api/assessments/{a}/decisions"), t, json!({})).await.expect(201);
    let b = app.browser_as(&org.verifier).await;

    // Act
    let page = b.get(&format!("/verifier/decisions/{}?lang=en", d["id"].as_str().unwrap())).await;

    // Assert
    let body = page.expect(200);
    assert!(body.contains("Beskriver just e-posthantering."), "the reason about validity is shown: {body}");
    assert!(body.contains("Reason about currency"), "{body}");
    assert!(body.contains("Utfärdat i år."), "{body}");
}

both_backends!(
    the_verifier_reads_each_reason_beside_its_judgement,
    adding_a_record_the_engine_will_not_count_answers_201_with_warnings,
    reasons_for_a_judgement_are_stored_returned_and_shown_to_the_candidate,
    the_assessor_page_shows_warnings_after_adding_and_the_reasons,
);
