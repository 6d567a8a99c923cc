//! Coaches and development plans over HTTP: assigning a coach, drafting a plan from the gap
//! report, edits by both with a stale write refused, what a coach may not see, the audit of a
//! coach's reads, and a step reached once its unit is confirmed.

use reqwest::Method;
use serde_json::{Value, json};
use validera::auth::Role;

use crate::both_backends;
use crate::helpers::{Backend, Org, Person, TestApp, spawn_app, today};

/// A participant who has signed in and replaced their one-time password: (candidate id, token).
pub(crate) async fn participant(app: &TestApp, org: &Org, name: &str) -> (String, String) {
    let (cand, otp, email) = app.candidate(org, name).await;
    let t = app.login(&email, &otp).await.expect(200)["token"].as_str().unwrap().to_owned();
    let fresh = app
        .post(
            "/api/me/password",
            &t,
            json!({"current_password": otp, "new_password": "ett långt nytt lösenord"}),
        )
        .await
        .expect(200);
    (cand, fresh["token"].as_str().unwrap().to_owned())
}

/// An assessment in which DBS-01 is provisional and every other unit has gaps.
pub(crate) async fn assessed(app: &TestApp, org: &Org, cand: &str) -> String {
    let a = app.assessment(org, cand).await;
    let t = &org.assessor.token;
    app.post(
        &format!("/api/assessments/{a}/observations"),
        t,
        json!({"date": today(), "context": "Prov", "items": [
            {"criterion": "DBS-01/1.1", "met": true, "comment": "Bra"}
        ]}),
    )
    .await
    .expect(201);
    app.post(
        &format!("/api/assessments/{a}/theory-tests"),
        t,
        json!({"date": today(), "title": "Teoriprov", "score": 18, "max": 20, "pass_mark": 14, "criteria": ["DBS-01/1.2"]}),
    )
    .await
    .expect(201);
    a
}

pub(crate) async fn coach(app: &TestApp, org: &Org, tag: &str) -> Person {
    app.person(&org.id, &format!("coach-{tag}@{}.test", org.id), &[Role::Coach]).await
}

pub(crate) async fn assign(app: &TestApp, org: &Org, cand: &str, coach: &Person) {
    let c = app
        .post(&format!("/api/candidates/{cand}/coaches"), &org.admin.token, json!({"coach_id": coach.id}))
        .await
        .expect(201);
    assert_eq!(c["coach_id"], coach.id);
}

pub(crate) async fn put(app: &TestApp, path: &str, token: &str, body: Value) -> crate::helpers::Reply {
    app.call(Method::PUT, path, Some(token), Some(&body)).await
}

pub(crate) async fn plan_reads(app: &TestApp, org: &Org, cand: &str) -> Vec<Value> {
    let page = app.get("/api/audit?limit=200", &org.admin.token).await.expect(200);
    page["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "plan-read" && e["subject"] == cand)
        .cloned()
        .collect()
}

async fn a_coach_drafts_the_plan_and_both_edit_it_without_overwriting(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let org = app.org("Plan kommun").await;
    let (cand, pt) = participant(&app, &org, "Pia Deltagare").await;
    assessed(&app, &org, &cand).await;
    let c = coach(&app, &org, "a").await;
    assign(&app, &org, &cand, &c).await;
    let mine = format!("/api/participants/{cand}/plan");

    // Act: the coach makes a plan from what is left.
    let empty = app.get(&mine, &c.token).await.expect(200);
    assert_eq!(empty["version"], 0);
    let drafted =
        app.post(&format!("{mine}/draft?lang=en"), &c.token, json!({"version": 0})).await.expect(200);

    // Assert: one step per unit with gaps, in the participant's language (sv), with the ways.
    let units: Vec<&str> = drafted["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["works_toward"][0]["unit"].as_str().unwrap())
        .collect();
    assert!(!units.contains(&"DBS-01"), "a provisional unit is not left: {units:?}");
    assert!(units.contains(&"DBS-03"), "{units:?}");
    let step = drafted["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["works_toward"][0]["unit"] == "DBS-03")
        .unwrap();
    assert!(step["text"].as_str().unwrap().starts_with("Visa att du kan: Säkerhet på nätet"), "{step:#}");
    assert!(step["note"].as_str().unwrap().contains("Det kan visas genom:"), "{step:#}");
    assert_eq!(step["shown_status"], "planned");
    assert_eq!(drafted["version"], 1);
    let n = units.len();
    assert_eq!(drafted["progress"], format!("0 of {n} steps done; 0 units reached"));
    // Drafting again adds nothing for units a step already works toward.
    let again = app.post(&format!("{mine}/draft"), &c.token, json!({"version": 1})).await.expect(200);
    assert_eq!(again["steps"].as_array().unwrap().len(), n);

    // The participant writes the goal in their own words and marks a step done.
    let own = app.get("/api/me/plan", &pt).await.expect(200);
    assert_eq!(own["version"], 2);
    let mut steps: Vec<Value> = own["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            json!({"id": s["id"], "text": s["text"], "note": s["note"], "who": s["who"], "status": s["status"],
                   "target_date": s["target_date"], "works_toward": [{"framework_id": s["works_toward"][0]["framework_id"], "unit": s["works_toward"][0]["unit"]}]})
        })
        .collect();
    steps[0]["status"] = json!("done");
    steps.push(json!({"text": "Praktik på Café Solen", "who": "partner", "status": "doing", "target_date": "2027-02-01",
                      "support": {"kind": "work-placement", "name": "Café Solen AB"}}));
    let saved = put(
        &app,
        "/api/me/plan",
        &pt,
        json!({"version": 2, "goal": "Jag vill jobba i ett kök.", "steps": steps}),
    )
    .await
    .expect(200);
    assert_eq!(saved["version"], 3);
    assert_eq!(saved["goal"], "Jag vill jobba i ett kök.");
    assert_eq!(saved["progress"], format!("1 av {} steg klara; 0 enheter nådda", n + 1));
    let placement = saved["steps"].as_array().unwrap().last().unwrap();
    assert_eq!(placement["support"]["kind"], "work-placement");
    assert_eq!(saved["next_step"], placement["id"], "the step under way is next");

    // The coach's edit from version 2 is stale: refused, nothing overwritten.
    let stale = put(&app, &mine, &c.token, json!({"version": 2, "goal": "Något annat", "steps": []})).await;
    stale.problem(409, "stale-version");
    let resp = app
        .client
        .put(format!("{}{mine}", app.address))
        .bearer_auth(&c.token)
        .header("If-Match", "\"2\"")
        .json(&json!({"version": 3, "goal": "Något annat", "steps": []}))
        .send()
        .await
        .unwrap();
    TestApp::reply(resp).await.problem(409, "stale-version");
    let now = app.get(&mine, &c.token).await.expect(200);
    assert_eq!(now["goal"], "Jag vill jobba i ett kök.");
    assert_eq!(now["version"], 3);

    // The coach edits at the current version; the history keeps every version.
    let mut goal = now.clone();
    goal["steps"][0]["target_date"] = json!("2027-03-01");
    let coach_edit = put(
        &app,
        &mine,
        &c.token,
        json!({"version": 3, "goal": now["goal"], "steps": [{"id": now["steps"][0]["id"], "text": now["steps"][0]["text"],
               "who": "coach", "status": "doing", "target_date": "2027-03-01"}]}),
    )
    .await
    .expect(200);
    assert_eq!(coach_edit["version"], 4);
    assert_eq!(coach_edit["updated_by"], c.id);
    let history = app.get("/api/me/plan/history", &pt).await.expect(200);
    let versions: Vec<i64> =
        history.as_array().unwrap().iter().map(|v| v["version"].as_i64().unwrap()).collect();
    assert_eq!(versions, [4, 3, 2, 1]);
    assert_eq!(history[1]["author_id"], app.get("/api/me", &pt).await.expect(200)["id"]);
    assert_eq!(history[1]["steps"].as_array().unwrap().len(), n + 1, "version 3 is kept as it was");

    // Bad input names the field and writes nothing.
    let bad = put(
        &app,
        &mine,
        &c.token,
        json!({"version": 4, "goal": "x", "steps": [{"text": "y", "who": "coach", "status": "planned",
               "works_toward": [{"framework_id": "test-skills", "unit": "NOPE-9"}]}]}),
    )
    .await
    .problem(422, "validation");
    assert!(bad.to_string().contains("steps[0].works_toward[0].unit"), "{bad:#}");
    assert_eq!(app.get("/api/me/plan", &pt).await.expect(200)["version"], 4);
}

async fn coaches_see_progress_but_no_files_and_other_coaches_see_nothing(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let org = app.org("Coach A").await;
    let other = app.org("Coach B").await;
    let (cand, pt) = participant(&app, &org, "Ola Deltagare").await;
    let a = assessed(&app, &org, &cand).await;
    let ev = app
        .post(&format!("/api/assessments/{a}/evidence"), &org.assessor.token, json!({
            "date": today(), "evidence_kind": "work-certificate", "description": "Arbetsintyg",
            "issuer": "Café Solen AB", "issued_on": "2025-03-01",
            "valid": true, "authentic": true, "sufficient": true, "reliable": true, "criteria": ["DBS-02/1.1"]
        }))
        .await
        .expect(201);
    let rec = ev["id"].as_str().unwrap();
    let resp = app
        .client
        .post(format!("{}/api/records/{rec}/files?name=intyg.pdf", app.address))
        .bearer_auth(&org.assessor.token)
        .header("content-type", "application/pdf")
        .body(b"%PDF-1.4 privat".to_vec())
        .send()
        .await
        .unwrap();
    let file = TestApp::reply(resp).await.expect(201);
    let file_id = file["id"].as_str().unwrap();
    let c = coach(&app, &org, "a").await;
    let unassigned = coach(&app, &org, "b").await;
    let foreign = coach(&app, &other, "c").await;
    assign(&app, &org, &cand, &c).await;

    // Act + Assert: the coach sees progress and the gap report...
    let list = app.get("/api/participants", &c.token).await.expect(200);
    assert_eq!(list[0]["id"], cand);
    let p = app.get(&format!("/api/participants/{cand}/progress?lang=en"), &c.token).await.expect(200);
    assert!(!p[0]["gaps"].as_array().unwrap().is_empty());
    // ...but never the evidence files, nor the assessment's file of records.
    app.get(&format!("/api/files/{file_id}"), &c.token).await.problem(403, "forbidden");
    app.get(&format!("/api/assessments/{a}"), &c.token).await.problem(403, "forbidden");
    assert_eq!(
        app.bytes(&format!("/api/files/{file_id}"), Some(&org.assessor.token)).await,
        b"%PDF-1.4 privat"
    );

    // A coach not assigned, and a coach of another organisation, find nothing.
    for who in [&unassigned, &foreign] {
        app.get(&format!("/api/participants/{cand}/plan"), &who.token).await.problem(404, "not-found");
        app.get(&format!("/api/participants/{cand}/progress"), &who.token).await.problem(404, "not-found");
        app.post(&format!("/api/participants/{cand}/plan/draft"), &who.token, json!({"version": 0}))
            .await
            .problem(404, "not-found");
        assert!(app.get("/api/participants", &who.token).await.expect(200).as_array().unwrap().is_empty());
    }
    // Another organisation's administrator cannot assign to this candidate either.
    app.post(&format!("/api/candidates/{cand}/coaches"), &other.admin.token, json!({"coach_id": foreign.id}))
        .await
        .problem(404, "not-found");
    // Only a coach of the organisation can be assigned; only administrators assign.
    app.post(
        &format!("/api/candidates/{cand}/coaches"),
        &org.admin.token,
        json!({"coach_id": org.assessor.id}),
    )
    .await
    .problem(422, "validation");
    app.post(&format!("/api/candidates/{cand}/coaches"), &org.assessor.token, json!({"coach_id": c.id}))
        .await
        .problem(403, "forbidden");
    app.post(&format!("/api/candidates/{cand}/coaches"), &org.admin.token, json!({"coach_id": c.id}))
        .await
        .problem(409, "duplicate");
    // The participant's plan is not theirs to reach through the coach's endpoint.
    app.get(&format!("/api/participants/{cand}/plan"), &pt).await.problem(403, "forbidden");

    // Every read of the plan by the coach is in the audit trail; the participant's own are not.
    assert!(plan_reads(&app, &org, &cand).await.is_empty());
    app.get(&format!("/api/participants/{cand}/plan"), &c.token).await.expect(200);
    app.get(&format!("/api/participants/{cand}/plan/history"), &c.token).await.expect(200);
    app.get("/api/me/plan", &pt).await.expect(200);
    let reads = plan_reads(&app, &org, &cand).await;
    assert_eq!(reads.len(), 2, "{reads:#?}");
    assert!(reads.iter().all(|e| e["actor_id"] == c.id));
    assert!(plan_reads(&app, &other, &cand).await.is_empty(), "another organisation sees none of it");

    // Unassigned, the coach finds nothing any more; the audit trail says who ended it.
    let r = app
        .call(
            Method::DELETE,
            &format!("/api/candidates/{cand}/coaches/{}", c.id),
            Some(&org.admin.token),
            None,
        )
        .await;
    assert_eq!(r.status.as_u16(), 204);
    app.get(&format!("/api/participants/{cand}/plan"), &c.token).await.problem(404, "not-found");
    let events = app.get("/api/audit?limit=200", &org.admin.token).await.expect(200);
    let actions: Vec<&str> =
        events["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"coach-assigned") && actions.contains(&"coach-unassigned"), "{actions:?}");
}

async fn a_step_is_reached_once_its_unit_is_confirmed(backend: Backend) {
    // Arrange: a step toward DBS-01, which is provisional.
    let app = spawn_app(backend).await;
    let org = app.org("Reach kommun").await;
    let (cand, pt) = participant(&app, &org, "Rut Deltagare").await;
    let a = assessed(&app, &org, &cand).await;
    let c = coach(&app, &org, "a").await;
    assign(&app, &org, &cand, &c).await;
    let plan = put(
        &app,
        "/api/me/plan",
        &pt,
        json!({"version": 0, "goal": "Ett jobb med datorer", "steps": [
            {"text": "Visa datorkunskaper", "who": "participant", "status": "doing",
             "works_toward": [{"framework_id": "test-skills", "unit": "DBS-01", "criteria": ["DBS-01/1.1"]}]},
            {"text": "Studiecirkel om e-post", "who": "partner", "status": "planned",
             "support": {"kind": "study-circle", "name": "Studieförbundet"}}
        ]}),
    )
    .await
    .expect(200);
    assert_eq!(plan["steps"][0]["reached"], false);
    assert_eq!(plan["steps"][0]["works_toward"][0]["title"], "Använda en dator");

    // Act: the assessor submits and the internal verifier confirms.
    let d = app
        .post(&format!("/api/assessments/{a}/decisions"), &org.assessor.token, json!({}))
        .await
        .expect(201);
    app.post(
        &format!("/api/decisions/{}/confirm", d["id"].as_str().unwrap()),
        &org.verifier.token,
        json!({"version": d["version"]}),
    )
    .await
    .expect(200);

    // Assert: the step shows as reached to both, and the progress says so.
    let own = app.get("/api/me/plan", &pt).await.expect(200);
    assert_eq!(own["steps"][0]["reached"], true);
    assert_eq!(own["steps"][0]["shown_status"], "reached");
    assert_eq!(own["steps"][0]["status"], "doing", "what people set is kept");
    assert_eq!(own["progress"], "1 av 2 steg klara; 1 enhet nådd");
    assert_eq!(own["next_step"], own["steps"][1]["id"]);
    let seen = app.get(&format!("/api/participants/{cand}/plan?lang=fi"), &c.token).await.expect(200);
    assert_eq!(seen["steps"][0]["shown_status"], "reached");
    assert_eq!(seen["progress"], "1/2 vaihetta tehty; 1 osa saavutettu");
}

/// The audit events about candidate `cand` with `action`, oldest first.
pub(crate) async fn events(app: &TestApp, org: &Org, action: &str, subject: &str) -> Vec<Value> {
    let page = app.get("/api/audit?limit=200", &org.admin.token).await.expect(200);
    let mut out: Vec<Value> = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == action && e["subject"] == subject)
        .cloned()
        .collect();
    out.sort_by_key(|e| e["seq"].as_i64());
    out
}

async fn a_coach_sees_a_participant_only_once_they_accept_the_invitation(backend: Backend) {
    // Arrange: a coach of the organisation, a second coach, and another organisation's coach.
    let app = spawn_app(backend).await;
    let org = app.org("Samtycke kommun").await;
    let other = app.org("Annan kommun").await;
    let (cand, pt) = participant(&app, &org, "Sam Deltagare").await;
    let (_, neighbour) = participant(&app, &org, "Nils Deltagare").await;
    let (_, foreign_pt) = participant(&app, &other, "Frida Deltagare").await;
    assessed(&app, &org, &cand).await;
    let c = coach(&app, &org, "a").await;
    let second = coach(&app, &org, "b").await;
    let foreign = coach(&app, &other, "c").await;
    let invite = format!("/api/candidates/{cand}/coach-invitations");
    let progress = format!("/api/participants/{cand}/progress");

    // Act: the coach proposes to work with the participant.
    let inv = app.post(&invite, &c.token, json!({"coach_id": c.id})).await.expect(201);

    // Assert: pending, and nothing of the participant is visible to the coach yet.
    assert_eq!(inv["status"], "pending");
    let id = inv["id"].as_str().unwrap().to_owned();
    app.get(&progress, &c.token).await.problem(404, "not-found");
    app.get(&format!("/api/participants/{cand}/plan"), &c.token).await.problem(404, "not-found");
    assert!(app.get("/api/participants", &c.token).await.expect(200).as_array().unwrap().is_empty());
    // Twice is a duplicate; a coach proposes only themselves; another organisation finds nothing.
    app.post(&invite, &c.token, json!({"coach_id": c.id})).await.problem(409, "duplicate");
    let bad = app.post(&invite, &c.token, json!({"coach_id": second.id})).await.problem(422, "validation");
    assert_eq!(bad["errors"][0]["field"], "coach_id");
    app.post(&invite, &foreign.token, json!({"coach_id": foreign.id})).await.problem(404, "not-found");
    app.post(&invite, &pt, json!({"coach_id": c.id})).await.problem(403, "forbidden");

    // The participant sees who asks; nobody else can answer for them.
    let mine = app.get("/api/me/coach-invitations", &pt).await.expect(200);
    assert_eq!(mine.as_array().unwrap().len(), 1, "{mine:#}");
    assert_eq!(mine[0]["coach_id"], c.id);
    assert_eq!(mine[0]["coach_name"], "Test Person");
    assert_eq!(mine[0]["proposed_by_admin"], false);
    for stranger in [&neighbour, &foreign_pt] {
        assert!(
            app.get("/api/me/coach-invitations", stranger).await.expect(200).as_array().unwrap().is_empty()
        );
        app.post(&format!("/api/me/coach-invitations/{id}/accept"), stranger, json!({}))
            .await
            .problem(404, "not-found");
    }
    app.post(&format!("/api/me/coach-invitations/{id}/accept"), &c.token, json!({}))
        .await
        .problem(403, "forbidden");

    // Accepting makes the coach theirs: progress is visible; a second answer is a conflict.
    let accepted =
        app.post(&format!("/api/me/coach-invitations/{id}/accept"), &pt, json!({})).await.expect(200);
    assert_eq!(accepted["status"], "accepted");
    assert!(accepted["answered_at"].as_str().unwrap().ends_with('Z'));
    for answer in ["accept", "decline"] {
        app.post(&format!("/api/me/coach-invitations/{id}/{answer}"), &pt, json!({}))
            .await
            .problem(409, "duplicate");
    }
    let seen = app.get(&progress, &c.token).await.expect(200);
    assert!(!seen[0]["units"].as_array().unwrap().is_empty(), "{seen:#}");
    assert_eq!(app.get("/api/participants", &c.token).await.expect(200)[0]["id"], cand);
    assert!(app.get("/api/me/coach-invitations", &pt).await.expect(200).as_array().unwrap().is_empty());
    let coaches = app.get("/api/me/coaches", &pt).await.expect(200);
    assert_eq!(coaches[0]["coach_id"], c.id);
    app.post(&invite, &c.token, json!({"coach_id": c.id})).await.problem(409, "duplicate");

    // An administrator proposes the second coach on their behalf; the participant declines.
    let by_admin = app.post(&invite, &org.admin.token, json!({"coach_id": second.id})).await.expect(201);
    let mine = app.get("/api/me/coach-invitations", &pt).await.expect(200);
    assert_eq!(mine[0]["proposed_by_admin"], true);
    let declined = app
        .post(
            &format!("/api/me/coach-invitations/{}/decline", by_admin["id"].as_str().unwrap()),
            &pt,
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(declined["status"], "declined");
    app.get(&progress, &second.token).await.problem(404, "not-found");

    // The participant ends the first coach's access: the coach no longer sees them.
    let r = app.call(Method::DELETE, &format!("/api/me/coaches/{}", c.id), Some(&pt), None).await;
    assert_eq!(r.status.as_u16(), 204);
    app.get(&progress, &c.token).await.problem(404, "not-found");
    assert!(app.get("/api/me/coaches", &pt).await.expect(200).as_array().unwrap().is_empty());
    let r = app.call(Method::DELETE, &format!("/api/me/coaches/{}", c.id), Some(&pt), None).await;
    assert_eq!(r.status.as_u16(), 404);

    // Every step is in the audit trail, with who took it.
    let invited = events(&app, &org, "coach-invited", &cand).await;
    let actors: Vec<&Value> = invited.iter().map(|e| &e["actor_id"]).collect();
    assert_eq!(actors, [&json!(c.id), &json!(org.admin.id)], "{invited:#?}");
    assert_eq!(invited[1]["details"]["coach"], second.id);
    let accepted = events(&app, &org, "coach-invitation-accepted", &cand).await;
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0]["details"]["coach"], c.id);
    let declined = events(&app, &org, "coach-invitation-declined", &cand).await;
    assert_eq!(declined[0]["details"]["coach"], second.id);
    let ended = events(&app, &org, "coach-access-ended", &cand).await;
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0]["details"]["coach"], c.id);
    assert_eq!(ended[0]["actor_id"], accepted[0]["actor_id"], "the participant ended it");
    // The participant's data export holds every invitation with its answer.
    let doc = app.get("/api/me/export", &pt).await.expect(200);
    let answers: Vec<(&str, &str)> = doc["coach_invitations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["coach_id"].as_str().unwrap(), i["status"].as_str().unwrap()))
        .collect();
    assert_eq!(answers, [(c.id.as_str(), "accepted"), (second.id.as_str(), "declined")], "{doc:#}");
    assert!(doc["coaches"].as_array().unwrap().is_empty(), "{doc:#}");
}

async fn a_participant_chooses_a_coach_from_the_short_list(backend: Backend) {
    // Arrange: two coaches of the organisation, one of another, and a pending invitation.
    let app = spawn_app(backend).await;
    let org = app.org("Välj kommun").await;
    let other = app.org("Annan kommun").await;
    let (cand, pt) = participant(&app, &org, "Vilma Deltagare").await;
    assessed(&app, &org, &cand).await;
    let c = coach(&app, &org, "a").await;
    let second = coach(&app, &org, "b").await;
    let foreign = coach(&app, &other, "c").await;
    assign(&app, &org, &cand, &second).await;
    app.post(&format!("/api/candidates/{cand}/coach-invitations"), &c.token, json!({"coach_id": c.id}))
        .await
        .expect(201);

    // Act
    let list = app.get("/api/me/coach-choices", &pt).await.expect(200);
    let chosen = app.post("/api/me/coaches", &pt, json!({"coach_id": c.id})).await.expect(201);

    // Assert: only the organisation's coaches who are not theirs yet were offered; the chosen
    // one now sees the participant, and the invitation of that coach is answered with it.
    let offered: Vec<&str> =
        list.as_array().unwrap().iter().map(|c| c["coach_id"].as_str().unwrap()).collect();
    assert_eq!(offered, [c.id.as_str()], "{list:#}");
    assert_eq!(chosen["coach_id"], c.id);
    assert_eq!(chosen["assigned_by"], app.get("/api/me", &pt).await.expect(200)["id"]);
    app.get(&format!("/api/participants/{cand}/progress"), &c.token).await.expect(200);
    assert!(app.get("/api/me/coach-choices", &pt).await.expect(200).as_array().unwrap().is_empty());
    assert!(app.get("/api/me/coach-invitations", &pt).await.expect(200).as_array().unwrap().is_empty());
    app.post("/api/me/coaches", &pt, json!({"coach_id": c.id})).await.problem(409, "duplicate");
    let bad =
        app.post("/api/me/coaches", &pt, json!({"coach_id": foreign.id})).await.problem(422, "validation");
    assert_eq!(bad["errors"][0]["field"], "coach_id");
    app.post("/api/me/coaches", &c.token, json!({"coach_id": c.id})).await.problem(403, "forbidden");
    let assigned = events(&app, &org, "coach-assigned", &cand).await;
    let by_participant: Vec<&Value> =
        assigned.iter().filter(|e| e["details"]["chosen_by"] == "participant").collect();
    assert_eq!(by_participant.len(), 1, "{assigned:#?}");
    assert_eq!(by_participant[0]["details"]["coach"], c.id);
    assert_eq!(by_participant[0]["actor_id"], chosen["assigned_by"]);

    // A coach deactivated after asking can be neither accepted nor chosen.
    let gone = coach(&app, &org, "d").await;
    let inv = app
        .post(&format!("/api/candidates/{cand}/coach-invitations"), &gone.token, json!({"coach_id": gone.id}))
        .await
        .expect(201);
    let u = app.get(&format!("/api/users/{}", gone.id), &org.admin.token).await.expect(200);
    app.patch(
        &format!("/api/users/{}", gone.id),
        &org.admin.token,
        json!({"version": u["version"], "active": false}),
    )
    .await
    .expect(200);
    let refused = app
        .post(&format!("/api/me/coach-invitations/{}/accept", inv["id"].as_str().unwrap()), &pt, json!({}))
        .await
        .problem(422, "validation");
    assert_eq!(refused["errors"][0]["field"], "coach_id");
    assert!(app.get("/api/me/coach-choices", &pt).await.expect(200).as_array().unwrap().is_empty());
    app.post("/api/me/coaches", &pt, json!({"coach_id": gone.id})).await.problem(422, "validation");
}

both_backends!(
    a_coach_drafts_the_plan_and_both_edit_it_without_overwriting,
    a_coach_sees_a_participant_only_once_they_accept_the_invitation,
    a_participant_chooses_a_coach_from_the_short_list,
    coaches_see_progress_but_no_files_and_other_coaches_see_nothing,
    a_step_is_reached_once_its_unit_is_confirmed,
);
