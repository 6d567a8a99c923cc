//! The assessor's pages: the whole path from a new candidate to a submitted decision, with the
//! effects checked through the JSON API; roles, organisations, anti-forgery tokens, and forms
//! that keep their input and say what is wrong.

use crate::both_backends;
use crate::helpers::{Backend, spawn_app, today};
use validera::auth::Role;

/// The text after `marker` up to the next `"`.
fn after<'a>(body: &'a str, marker: &str) -> &'a str {
    let at = body.find(marker).unwrap_or_else(|| panic!("{marker} not in {body}")) + marker.len();
    let rest = &body[at..];
    &rest[..rest.find('"').unwrap()]
}

async fn an_assessor_takes_a_candidate_from_creation_to_submission(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Assessor Pages").await;
    let b = app.browser_as(&org.assessor).await;
    let home = b.get("/assessor").await;
    assert!(home.expect(200).contains("id=\"new-candidate\""));

    // A new candidate with an account: the one-time password is shown once.
    b.get("/assessor/candidates/new").await.expect(200);
    let created = b
        .post_form(
            "/assessor/candidates/new",
            &[("display_name", "Saga Sidestam"), ("email", "saga@candidates.test"), ("language", "fi")],
        )
        .await;
    let body = created.expect(200);
    let otp = after(body, "<code id=\"one-time-password\">").split('<').next().unwrap().to_owned();
    assert!(otp.len() >= 12, "{body}");
    let cand = after(body, "id=\"to-candidate\" href=\"/assessor/candidates/").to_owned();
    assert_eq!(app.login("saga@candidates.test", &otp).await.status, 200);
    let listed = b.get("/assessor").await;
    assert!(listed.expect(200).contains(&format!("<tr data-candidate=\"{cand}\">")));

    // Start an assessment against the test framework, aiming at DBS.
    let page = b.get(&format!("/assessor/candidates/{cand}")).await;
    assert!(page.expect(200).contains("<option value=\"test-skills@2026.1\""));
    let to = b
        .post_form(
            &format!("/assessor/candidates/{cand}/assessments"),
            &[("framework", "test-skills@2026.1"), ("qualification", "DBS")],
        )
        .await;
    let to = to.redirected().to_owned();
    let a = to.strip_prefix("/assessor/assessments/").unwrap().split('?').next().unwrap().to_owned();
    let overview = b.open(&to).await;
    let body = overview.expect(200);
    assert!(body.contains("data-unit=\"DBS-01\" data-status=\"not-started\""), "{body}");
    assert!(body.contains("id=\"decision-state\" data-state=\"none\""));
    assert!(body.contains("id=\"gap-report\""));
    assert!(body.contains("p class=\"flash\" role=\"status\""));

    // Mapping notes with the candidate's self-assessment.
    let form = b.get(&format!("/assessor/assessments/{a}/mapping")).await;
    assert!(form.expect(200).contains("id=\"self_assessment\""));
    let saved = b
        .post_form(
            &format!("/assessor/assessments/{a}/mapping"),
            &[("date", &today()), ("notes", "Har arbetat på kontor i tio år."), ("self-DBS-01", "confident")],
        )
        .await;
    assert_eq!(saved.redirected(), format!("/assessor/assessments/{a}?done=assessor-mapping-saved"));

    // Theory test, then the observation checklists of DBS-01 and DBS-04.
    b.get(&format!("/assessor/assessments/{a}/theory")).await.expect(200);
    let saved = b
        .post_form(
            &format!("/assessor/assessments/{a}/theory"),
            &[
                ("date", &today()),
                ("title", "Teori"),
                ("score", "18"),
                ("max", "20"),
                ("pass_mark", "14"),
                ("criteria", "DBS-01/1.2"),
            ],
        )
        .await;
    assert_eq!(saved.redirected(), format!("/assessor/assessments/{a}?done=assessor-theory-saved"));
    for (unit, criterion) in [("DBS-01", "DBS-01/1.1"), ("DBS-04", "DBS-04/1.1")] {
        let form = b.get(&format!("/assessor/assessments/{a}/observation?unit={unit}")).await;
        let body = form.expect(200);
        assert!(body.contains(&format!("name=\"met-{criterion}\" value=\"yes\"")), "{body}");
        assert!(body.contains("data-mark-all"));
        let met = format!("met-{criterion}");
        let comment = format!("comment-{criterion}");
        let saved = b
            .post_form(
                &format!("/assessor/assessments/{a}/observation?unit={unit}"),
                &[
                    ("date", &today()),
                    ("context", "Prov på plats"),
                    (&met, "yes"),
                    (&comment, "Säkert utfört"),
                ],
            )
            .await;
        assert_eq!(saved.redirected(), format!("/assessor/assessments/{a}?done=assessor-observation-saved"));
    }

    // A work certificate with a scanned file covers DBS-02.
    let form = b.get(&format!("/assessor/assessments/{a}/evidence")).await;
    assert!(form.expect(200).contains("<option value=\"work-certificate\""));
    let saved = b
        .post_multipart(&format!("/assessor/assessments/{a}/evidence"), |f| {
            f.text("kind", "work-certificate")
                .text("date", today())
                .text("description", "Arbetsintyg från kontoret")
                .text("issuer", "Kontoret AB")
                .text("valid", "yes")
                .text("authentic", "yes")
                .text("sufficient", "yes")
                .text("reliable", "yes")
                .text("criteria", "DBS-02/1.1")
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(b"%PDF-1.4 intyg".to_vec())
                        .file_name("intyg.pdf")
                        .mime_str("application/pdf")
                        .unwrap(),
                )
        })
        .await;
    assert_eq!(saved.redirected(), format!("/assessor/assessments/{a}?done=assessor-evidence-saved"));
    // The file is linked from the overview and comes back byte for byte.
    let overview = b.get(&format!("/assessor/assessments/{a}")).await;
    let href = overview.expect(200).split("class=\"evidence-file\" href=\"").nth(1).expect("a file link");
    let href = &href[..href.find('"').unwrap()];
    let resp = app
        .client
        .get(format!("{}{href}", app.address))
        .header("Cookie", format!("validera_session={}", b.cookie("validera_session").unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.bytes().await.unwrap().as_ref(), b"%PDF-1.4 intyg");
    // Not for another role.
    let verifier = app.browser_as(&org.verifier).await;
    assert_eq!(verifier.get(href).await.status, 403);

    // The effects, through the JSON API.
    let t = &org.assessor.token;
    let progress = app.progress(&a, t, "en").await;
    let status = |code: &str| {
        progress["units"].as_array().unwrap().iter().find(|u| u["code"] == code).unwrap()["status"].clone()
    };
    for unit in ["DBS-01", "DBS-02", "DBS-04"] {
        assert_eq!(status(unit), "provisional", "{unit}: {progress:#}");
    }
    assert_eq!(status("DBS-03"), "not-started");
    let detail = app.get(&format!("/api/assessments/{a}"), t).await.expect(200);
    let records = detail["records"].as_array().unwrap();
    assert_eq!(records.len(), 5, "{detail:#}");
    let mapping = records.iter().find(|r| r["record"]["kind"] == "mapping").unwrap();
    assert_eq!(mapping["record"]["self_assessment"][0]["confidence"], "confident");
    let obs = records.iter().find(|r| r["record"]["kind"] == "practical").unwrap();
    assert_eq!(obs["record"]["items"][0]["comment"], "Säkert utfört");
    let overview = b.get(&format!("/assessor/assessments/{a}")).await;
    let body = overview.expect(200);
    assert!(body.contains("data-unit=\"DBS-02\" data-status=\"provisional\""), "{body}");
    assert!(body.contains("intyg.pdf"));

    // Submit for verification; a second submission is a notice, not a crash.
    let done =
        b.post_form(&format!("/assessor/assessments/{a}"), &[("comment", "Klart för granskning")]).await;
    assert_eq!(done.redirected(), format!("/assessor/assessments/{a}?done=assessor-submitted"));
    let decisions = app.get("/api/decisions?status=submitted", &org.verifier.token).await.expect(200);
    let d = decisions.as_array().unwrap().iter().find(|d| d["assessment_id"] == a.as_str()).unwrap();
    assert_eq!(d["submit_comment"], "Klart för granskning");
    assert_eq!(d["units"].as_array().unwrap().len(), 3, "{d:#}");
    let page = b.get(&format!("/assessor/assessments/{a}")).await;
    assert!(page.expect(200).contains("id=\"decision-state\" data-state=\"submitted\""));
    let again = b.post_form(&format!("/assessor/assessments/{a}"), &[]).await;
    assert!(again.expect(409).contains("id=\"notice\""));

    // The verifier sends it back: the assessor sees why.
    let id = d["id"].as_str().unwrap();
    app.post(
        &format!("/api/decisions/{id}/return"),
        &org.verifier.token,
        serde_json::json!({"version": 1, "comment": "Komplettera DBS-04 med en kommentar"}),
    )
    .await
    .expect(200);
    let page = b.get(&format!("/assessor/assessments/{a}")).await;
    let body = page.expect(200);
    assert!(body.contains("data-state=\"returned\""));
    assert!(
        body.contains("<blockquote id=\"return-comment\">Komplettera DBS-04 med en kommentar</blockquote>")
    );
}

async fn only_assessors_open_the_pages_and_only_their_organisations(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Assessor Pages").await;
    let other = app.org("Other Org").await;
    let verifier = app.browser_as(&org.verifier).await;
    assert_eq!(verifier.get("/assessor").await.status, 403);
    let candidate = app.person(&org.id, "kandidat@pages.test", &[Role::Candidate]).await;
    let cb = app.browser_as(&candidate).await;
    assert_eq!(cb.get("/assessor").await.status, 403);
    assert_eq!(cb.get("/assessor/candidates/new").await.status, 403);

    let (cand, _, _) = app.candidate(&other, "Olle Annan").await;
    let a = app.assessment(&other, &cand).await;
    let b = app.browser_as(&org.assessor).await;
    for path in [
        format!("/assessor/candidates/{cand}"),
        format!("/assessor/assessments/{a}"),
        format!("/assessor/assessments/{a}/theory"),
        format!("/assessor/assessments/{a}/observation?unit=DBS-01"),
        format!("/assessor/assessments/{a}/evidence"),
        format!("/assessor/assessments/{a}/mapping"),
    ] {
        assert_eq!(b.get(&path).await.status, 404, "{path}");
    }
    // Nor can they write to it.
    b.get("/assessor").await.expect(200);
    let r = b
        .post_form(&format!("/assessor/assessments/{a}/mapping"), &[("date", &today()), ("notes", "Försök")])
        .await;
    assert_eq!(r.status, 404);
    let detail = app.get(&format!("/api/assessments/{a}"), &other.assessor.token).await.expect(200);
    assert!(detail["records"].as_array().unwrap().is_empty());
    // Their own assessment, but a unit the framework does not have: 404 too.
    let (mine, _, _) = app.candidate(&org, "Mia Egen").await;
    let mine = app.assessment(&org, &mine).await;
    assert_eq!(b.get(&format!("/assessor/assessments/{mine}/observation?unit=NOPE-1")).await.status, 404);
}

async fn a_wrong_token_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Assessor Pages").await;
    let (cand, _, _) = app.candidate(&org, "Tore Token").await;
    let a = app.assessment(&org, &cand).await;
    let b = app.browser_as(&org.assessor).await;
    b.get(&format!("/assessor/assessments/{a}/theory")).await.expect(200);
    let r = b
        .post_form(
            &format!("/assessor/assessments/{a}/theory"),
            &[
                ("csrf", "forged-token-forged-token-forged-token"),
                ("date", &today()),
                ("title", "Teori"),
                ("score", "18"),
                ("max", "20"),
                ("pass_mark", "14"),
                ("criteria", "DBS-01/1.2"),
            ],
        )
        .await;
    assert_eq!(r.status, 403);
    let r = b
        .post_form(
            &format!("/assessor/assessments/{a}"),
            &[("csrf", "forged-token-forged-token-forged-token")],
        )
        .await;
    assert_eq!(r.status, 403);
    let r = b
        .post_form(
            "/assessor/candidates/new",
            &[("csrf", ""), ("display_name", "Ingen Alls"), ("language", "sv")],
        )
        .await;
    assert_eq!(r.status, 403);
    let detail = app.get(&format!("/api/assessments/{a}"), &org.assessor.token).await.expect(200);
    assert!(detail["records"].as_array().unwrap().is_empty());
    assert!(detail["decisions"].as_array().unwrap().is_empty());
    let cands = app.get("/api/candidates", &org.assessor.token).await.expect(200);
    assert_eq!(cands.as_array().unwrap().len(), 1);
}

async fn forms_keep_the_input_and_say_what_is_wrong(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Assessor Pages").await;
    let (cand, _, _) = app.candidate(&org, "Vera Vilse").await;
    let a = app.assessment(&org, &cand).await;
    let b = app.browser_as(&org.assessor).await;

    // An observation with no answers.
    b.get(&format!("/assessor/assessments/{a}/observation?unit=DBS-01")).await.expect(200);
    let r = b
        .post_form(
            &format!("/assessor/assessments/{a}/observation?unit=DBS-01"),
            &[("date", &today()), ("context", "Verkstaden, uppgift 3")],
        )
        .await;
    let body = r.expect(422);
    assert!(body.contains("id=\"items-error\""), "{body}");
    assert!(body.contains("Markera minst ett kriterium"));
    assert!(body.contains(">Verkstaden, uppgift 3</textarea>"));
    assert!(body.contains("class=\"error-summary\""));

    // A comment without an answer says which criterion.
    let r = b
        .post_form(
            &format!("/assessor/assessments/{a}/observation?unit=DBS-01"),
            &[("date", &today()), ("met-DBS-01/1.1", "yes"), ("comment-DBS-01/1.2", "Bra")],
        )
        .await;
    let body = r.expect(422);
    assert!(body.contains("id=\"met-DBS-01-1-2-error\""), "{body}");
    assert!(
        body.contains("id=\"met-DBS-01-1-1-yes\" name=\"met-DBS-01/1.1\" value=\"yes\" checked"),
        "{body}"
    );

    // A theory score above the maximum.
    b.get(&format!("/assessor/assessments/{a}/theory")).await.expect(200);
    let r = b
        .post_form(
            &format!("/assessor/assessments/{a}/theory"),
            &[
                ("date", &today()),
                ("title", "Teori om mappar"),
                ("score", "25"),
                ("max", "20"),
                ("pass_mark", "14"),
                ("criteria", "DBS-01/1.2"),
            ],
        )
        .await;
    let body = r.expect(422);
    assert!(body.contains("id=\"score-error\""), "{body}");
    assert!(body.contains("value=\"25\"") && body.contains("value=\"Teori om mappar\""));
    assert!(body.contains("value=\"DBS-01/1.2\" checked"));
    assert!(body.contains("aria-invalid=\"true\" aria-describedby=\"score-error\""));

    // A date in the future, and an unknown criterion, come from the service.
    let tomorrow = (chrono::Utc::now().date_naive() + chrono::Days::new(2)).to_string();
    let r = b
        .post_form(
            &format!("/assessor/assessments/{a}/theory"),
            &[
                ("date", &tomorrow),
                ("title", "Teori"),
                ("score", "18"),
                ("max", "20"),
                ("pass_mark", "14"),
                ("criteria", "DBS-09/1.1"),
            ],
        )
        .await;
    let body = r.expect(422);
    assert!(body.contains("id=\"date-error\"") && body.contains("id=\"criteria-error\""), "{body}");

    // Evidence without a criterion keeps what was written.
    b.get(&format!("/assessor/assessments/{a}/evidence")).await.expect(200);
    let r = b
        .post_multipart(&format!("/assessor/assessments/{a}/evidence"), |f| {
            f.text("kind", "portfolio").text("date", today()).text("description", "Mapp med foton")
        })
        .await;
    let body = r.expect(422);
    assert!(body.contains("id=\"criteria-error\"") && body.contains(">Mapp med foton</textarea>"), "{body}");
    assert!(body.contains("<option value=\"portfolio\" selected"));

    let detail = app.get(&format!("/api/assessments/{a}"), &org.assessor.token).await.expect(200);
    assert!(detail["records"].as_array().unwrap().is_empty(), "{detail:#}");

    // Submitting with nothing met is a notice on the overview.
    b.get(&format!("/assessor/assessments/{a}")).await.expect(200);
    let r = b.post_form(&format!("/assessor/assessments/{a}"), &[]).await;
    assert!(r.expect(422).contains("Det finns inget nytt att besluta om"));
}

async fn a_wrong_record_is_withdrawn_with_a_reason_and_stays_in_the_history(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Assessor Pages").await;
    let (cand, _, _) = app.candidate(&org, "Kim Rättelse").await;
    let a = app.assessment(&org, &cand).await;
    let t = &org.assessor.token;
    let rec = app
        .post(
            &format!("/api/assessments/{a}/theory-tests"),
            t,
            serde_json::json!({"date": today(), "title": "Fel kandidat", "score": 18, "max": 20, "pass_mark": 14, "criteria": ["DBS-01/1.2"]}),
        )
        .await
        .expect(201);
    let id = rec["record_id"].as_str().or(rec["id"].as_str()).unwrap().to_owned();
    let b = app.browser_as(&org.assessor).await;
    let overview = b.get(&format!("/assessor/assessments/{a}")).await;
    assert!(overview.expect(200).contains(&format!("href=\"/assessor/records/{id}/withdraw\"")));
    let form = b.get(&format!("/assessor/records/{id}/withdraw")).await;
    assert!(form.expect(200).contains("name=\"revision\" value=\"1\""));
    // No reason: refused at the field, nothing changed.
    let refused =
        b.post_form(&format!("/assessor/records/{id}/withdraw"), &[("revision", "1"), ("reason", " ")]).await;
    assert!(refused.expect(422).contains("id=\"reason-error\""));
    let history = app.get(&format!("/api/records/{id}"), t).await.expect(200);
    assert_eq!(history.as_array().unwrap().len(), 1, "{history:#}");
    // With a reason: withdrawn, back on the assessment, the criterion no longer met.
    let done = b
        .post_form(
            &format!("/assessor/records/{id}/withdraw"),
            &[("revision", "1"), ("reason", "Fel kandidat")],
        )
        .await;
    assert_eq!(done.redirected(), format!("/assessor/assessments/{a}?done=assessor-withdrawn"));
    let history = app.get(&format!("/api/records/{id}"), t).await.expect(200);
    let revisions = history.as_array().unwrap();
    assert_eq!(revisions.len(), 2, "{history:#}");
    assert_eq!(revisions[1]["withdrawn"], true, "{history:#}");
    assert_eq!(revisions[1]["reason"], "Fel kandidat", "{history:#}");
    let progress = app.progress(&a, t, "en").await;
    assert!(!progress.to_string().contains("\"met\":true"), "{progress:#}");
    // The same form again, from a stale page: a conflict, not a second withdrawal.
    let stale = b
        .post_form(&format!("/assessor/records/{id}/withdraw"), &[("revision", "1"), ("reason", "igen")])
        .await;
    assert_eq!(stale.status, 409);
    // A withdrawn record has no withdrawal form.
    assert_eq!(b.get(&format!("/assessor/records/{id}/withdraw")).await.status, 404);
}

both_backends!(
    a_wrong_record_is_withdrawn_with_a_reason_and_stays_in_the_history,
    an_assessor_takes_a_candidate_from_creation_to_submission,
    only_assessors_open_the_pages_and_only_their_organisations,
    a_wrong_token_changes_nothing,
    forms_keep_the_input_and_say_what_is_wrong,
);
