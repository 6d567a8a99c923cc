//! The whole assessor → internal verifier story, and what the candidate then sees.

use serde_json::json;

use crate::both_backends;
use crate::helpers::{Backend, spawn_app, today};

fn unit<'a>(progress: &'a serde_json::Value, code: &str) -> &'a serde_json::Value {
    progress["units"].as_array().unwrap().iter().find(|u| u["code"] == code).unwrap()
}

async fn assessor_records_verifier_confirms_candidate_sees_it(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let org = app.org("Story kommun").await;
    let (cand, otp, email) = app.candidate(&org, "Dana Kandidat").await;
    let a = app.assessment(&org, &cand).await;
    let t = &org.assessor.token;

    // Act: mapping, a theory test, a practical observation, and evidence.
    app.post(
        &format!("/api/assessments/{a}/mapping-notes"),
        t,
        json!({
            "date": today(), "notes": "Har arbetat två år i kundtjänst.",
            "self_assessment": [{"unit": "DBS-01", "confidence": "confident"}]
        }),
    )
    .await
    .expect(201);
    let p0 = app.progress(&a, t, "sv").await;
    assert_eq!(unit(&p0, "DBS-01")["status"], "not-started", "mapping notes never show a criterion met");

    app.post(
        &format!("/api/assessments/{a}/theory-tests"),
        t,
        json!({
            "date": today(), "title": "Teoriprov 1", "score": 18, "max": 20, "pass_mark": 14,
            "criteria": ["DBS-01/1.2"]
        }),
    )
    .await
    .expect(201);
    app.post(&format!("/api/assessments/{a}/observations"), t, json!({
        "date": today(), "context": "Praktiskt prov i datasalen",
        "items": [
            {"criterion": "DBS-01/1.1", "met": true, "comment": "Loggade in med e-legitimation utan hjälp"},
            {"criterion": "DBS-04/1.1", "met": true, "comment": "Bra"},
            {"criterion": "DBS-02/1.1", "met": false, "comment": "Behöver öva mer"}
        ]
    })).await.expect(201);
    let ev = app.post(&format!("/api/assessments/{a}/evidence"), t, json!({
        "date": today(), "evidence_kind": "work-certificate", "description": "Arbetsintyg från Café Solen",
        "issuer": "Café Solen AB", "issued_on": "2025-03-01",
        "valid": true, "authentic": true, "sufficient": true, "reliable": true,
        "criteria": ["DBS-02/1.1"]
    })).await.expect(201);

    // Assert: progress before verification.
    let p = app.progress(&a, t, "en").await;
    assert_eq!(unit(&p, "DBS-01")["status"], "provisional");
    assert_eq!(
        unit(&p, "DBS-02")["status"],
        "provisional",
        "the work certificate shows what the observation did not"
    );
    assert_eq!(unit(&p, "DBS-03")["status"], "not-started");
    assert_eq!(unit(&p, "DBS-04")["status"], "provisional");
    assert_eq!(p["qualifications"][0]["status"], "provisional");
    // DBS's rules hold with the provisional units, so DBS-03 no longer counts toward it: its
    // criterion is listed apart from the gaps aimed at the qualification.
    assert!(p["gaps"].as_array().unwrap().is_empty(), "{p}");
    assert!(p["target"]["needs"].as_array().unwrap().is_empty());
    let other: Vec<&str> =
        p["other_gaps"].as_array().unwrap().iter().map(|g| g["criterion"].as_str().unwrap()).collect();
    assert_eq!(other, ["DBS-03/1.1"]);
    assert_eq!(p["other_gaps"][0]["methods"].as_array().unwrap().len(), 2);

    // The evidence file is stored with its hash.
    let rec = ev["id"].as_str().unwrap();
    let resp = app
        .client
        .post(format!("{}/api/records/{rec}/files?name=intyg.pdf", app.address))
        .bearer_auth(t)
        .header("content-type", "application/pdf")
        .body(b"%PDF-1.4 test".to_vec())
        .send()
        .await
        .unwrap();
    let file = crate::helpers::TestApp::reply(resp).await.expect(201);
    assert_eq!(file["sha256"], sha256_hex(b"%PDF-1.4 test"));
    assert_eq!(file["size"], 13);

    // Submit, then the internal verifier confirms.
    let d = app
        .post(&format!("/api/assessments/{a}/decisions"), t, json!({"comment": "Klart för kvalitetssäkring"}))
        .await
        .expect(201);
    let mut units: Vec<&str> = d["units"].as_array().unwrap().iter().map(|u| u.as_str().unwrap()).collect();
    units.sort();
    assert_eq!(units, ["DBS-01", "DBS-02", "DBS-04"]);
    assert_eq!(d["qualification"], "DBS");
    let queue = app.get("/api/decisions?status=submitted", &org.verifier.token).await.expect(200);
    assert_eq!(queue.as_array().unwrap().len(), 1);
    let id = d["id"].as_str().unwrap();
    let c = app
        .post(
            &format!("/api/decisions/{id}/confirm"),
            &org.verifier.token,
            json!({"version": d["version"], "comment": "Underlaget håller"}),
        )
        .await
        .expect(200);
    assert_eq!(c["status"], "confirmed");
    assert_eq!(c["verifier_id"], org.verifier.id);

    let p = app.progress(&a, t, "fi").await;
    assert_eq!(unit(&p, "DBS-01")["status"], "confirmed");
    assert_eq!(p["qualifications"][0]["status"], "awarded");
    assert!(
        app.get("/api/decisions?status=submitted", &org.verifier.token)
            .await
            .expect(200)
            .as_array()
            .unwrap()
            .is_empty()
    );

    // The candidate signs in, changes the one-time password, and sees their own progress.
    let tok = app.login(&email, &otp).await.expect(200);
    assert_eq!(tok["password_change_required"], true);
    let ct = tok["token"].as_str().unwrap();
    app.get("/api/me/progress", ct).await.problem(403, "password-change-required");
    let fresh = app
        .post(
            "/api/me/password",
            ct,
            json!({"current_password": otp, "new_password": "ett långt nytt lösenord"}),
        )
        .await
        .expect(200);
    let ct = fresh["token"].as_str().unwrap();
    let mine = app.get("/api/me/progress", ct).await.expect(200);
    assert_eq!(mine[0]["language"], "sv", "the candidate's own language is used");
    assert_eq!(mine[0]["qualifications"][0]["status"], "awarded");
    app.get(&format!("/api/assessments/{a}/progress"), ct).await.problem(403, "forbidden");
}

fn sha256_hex(b: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(b))
}

async fn confirmed_units_stay_achieved_in_a_later_assessment(backend: Backend) {
    // Arrange: DBS-04 confirmed in a first assessment.
    let app = spawn_app(backend).await;
    let org = app.org("Ackumulera").await;
    let (cand, _, _) = app.candidate(&org, "Eero Ehdokas").await;
    let a1 = app.assessment(&org, &cand).await;
    let t = &org.assessor.token;
    app.post(&format!("/api/assessments/{a1}/observations"), t, json!({
        "date": today(), "context": "Prov", "items": [{"criterion": "DBS-04/1.1", "met": true, "comment": ""}]
    })).await.expect(201);
    let d = app.post(&format!("/api/assessments/{a1}/decisions"), t, json!({})).await.expect(201);
    app.post(
        &format!("/api/decisions/{}/confirm", d["id"].as_str().unwrap()),
        &org.verifier.token,
        json!({"version": 1}),
    )
    .await
    .expect(200);

    // Act: a second assessment with no records at all.
    let a2 = app.assessment(&org, &cand).await;
    let p = app.progress(&a2, t, "sv").await;

    // Assert
    assert_eq!(unit(&p, "DBS-04")["status"], "confirmed");
    assert_eq!(unit(&p, "DBS-01")["status"], "not-started");
    app.post(&format!("/api/assessments/{a2}/decisions"), t, json!({}))
        .await
        .problem(422, "nothing-to-decide");
}

async fn a_returned_decision_carries_the_comment_and_can_be_resubmitted(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let org = app.org("Retur").await;
    let (cand, _, _) = app.candidate(&org, "Fia Fredriksson").await;
    let a = app.assessment(&org, &cand).await;
    let t = &org.assessor.token;
    app.post(&format!("/api/assessments/{a}/observations"), t, json!({
        "date": today(), "context": "Prov", "items": [{"criterion": "DBS-04/1.1", "met": true, "comment": ""}]
    })).await.expect(201);
    let d = app.post(&format!("/api/assessments/{a}/decisions"), t, json!({})).await.expect(201);
    let id = d["id"].as_str().unwrap();

    // Act
    app.post(&format!("/api/decisions/{id}/return"), &org.verifier.token, json!({"version": 1}))
        .await
        .problem(422, "validation");
    let r = app
        .post(
            &format!("/api/decisions/{id}/return"),
            &org.verifier.token,
            json!({"version": 1, "comment": "Beskriv uppgiften tydligare"}),
        )
        .await
        .expect(200);

    // Assert
    assert_eq!(r["status"], "returned");
    let file = app.get(&format!("/api/assessments/{a}"), t).await.expect(200);
    assert_eq!(file["decisions"][0]["verifier_comment"], "Beskriv uppgiften tydligare");
    app.post(&format!("/api/assessments/{a}/decisions"), t, json!({})).await.expect(201);
}

async fn corrections_keep_the_history(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let org = app.org("Historik").await;
    let (cand, _, _) = app.candidate(&org, "Gun Gustafsson").await;
    let a = app.assessment(&org, &cand).await;
    let t = &org.assessor.token;
    let r = app.post(&format!("/api/assessments/{a}/theory-tests"), t, json!({
        "date": today(), "title": "Prov", "score": 10, "max": 20, "pass_mark": 14, "criteria": ["DBS-03/1.1"]
    })).await.expect(201);
    let id = r["id"].as_str().unwrap();

    // Act: the score was mistyped; then the record is withdrawn.
    let c = app.post(&format!("/api/records/{id}/corrections"), &org.assessor2.token, json!({
        "version": 1, "reason": "Fel poäng inmatad",
        "record": {"kind": "theory", "date": today(), "title": "Prov", "score": 16, "max": 20, "pass_mark": 14, "criteria": ["DBS-03/1.1"]}
    })).await.expect(200);
    assert_eq!(c["version"], 2);
    let p = app.progress(&a, t, "sv").await;
    assert_eq!(unit(&p, "DBS-03")["status"], "provisional");
    app.post(&format!("/api/records/{id}/withdrawal"), t, json!({"version": 2, "reason": "Fel kandidat"}))
        .await
        .expect(200);

    // Assert
    let h = app.get(&format!("/api/records/{id}"), t).await.expect(200);
    let versions: Vec<(i64, bool)> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["version"].as_i64().unwrap(), r["withdrawn"].as_bool().unwrap()))
        .collect();
    assert_eq!(versions, [(1, false), (2, false), (3, true)]);
    assert_eq!(h[0]["record"]["score"], 10, "the first revision is kept as it was");
    assert_eq!(h[1]["author_id"], org.assessor2.id);
    let p = app.progress(&a, t, "sv").await;
    assert_eq!(unit(&p, "DBS-03")["status"], "not-started");
}

both_backends!(
    assessor_records_verifier_confirms_candidate_sees_it,
    confirmed_units_stay_achieved_in_a_later_assessment,
    a_returned_decision_carries_the_comment_and_can_be_resubmitted,
    corrections_keep_the_history,
);
