//! The plan pages: the administrator assigns a coach, the coach drafts and edits a plan, the
//! participant reads it on their phone in Finnish and edits it, and a stale form changes nothing.

use serde_json::json;
use validera::auth::Role;

use crate::both_backends;
use crate::helpers::{Backend, Org, Person, TestApp, spawn_app, today};

const PASSWORD: &str = "deltagarens eget lösenord";

/// A participant with their own password and an assessment with gaps: (candidate id, person).
async fn participant(app: &TestApp, org: &Org, name: &str) -> (String, Person) {
    let (id, otp, email) = app.candidate(org, name).await;
    let tok = app.login(&email, &otp).await.expect(200)["token"].as_str().unwrap().to_owned();
    app.post("/api/me/password", &tok, json!({"current_password": otp, "new_password": PASSWORD}))
        .await
        .expect(200);
    let token = app.login(&email, PASSWORD).await.expect(200)["token"].as_str().unwrap().to_owned();
    let user = app.get("/api/me", &token).await.expect(200)["id"].as_str().unwrap().to_owned();
    let a = app.assessment(org, &id).await;
    app.post(&format!("/api/assessments/{a}/theory-tests"), &org.assessor.token, json!({
        "date": today(), "title": "Teori", "score": 18, "max": 20, "pass_mark": 14, "criteria": ["DBS-01/1.2"]
    }))
    .await
    .expect(201);
    (id, Person { id: user, email, password: PASSWORD.into(), token })
}

async fn a_coach_and_a_participant_work_on_the_plan_through_the_pages(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let org = app.org("Sidkommun").await;
    let (cand, person) = participant(&app, &org, "Sanna Deltagare").await;
    let coach = app.person(&org.id, "coach@sidkommun.test", &[Role::Coach]).await;

    // The administrator assigns the coach.
    let admin = app.browser_as(&org.admin).await;
    let page = admin.get("/admin/coaches").await;
    assert!(page.expect(200).contains(&format!("data-candidate=\"{cand}\"")), "{}", page.body);
    let to = admin.post_form("/admin/coaches/assign", &[("candidate", &cand), ("coach", &coach.id)]).await;
    assert_eq!(to.redirected(), "/admin/coaches?done=coach-assigned");
    let page = admin.get("/admin/coaches?done=coach-assigned").await;
    assert!(page.expect(200).contains(&format!("data-coach=\"{}\"", coach.id)));

    // The coach lands on their participants, opens the participant, drafts from what is left.
    let b = app.browser_as(&coach).await;
    assert_eq!(b.get("/").await.redirected(), "/coach");
    let list = b.get("/coach").await;
    assert!(list.expect(200).contains(&format!("href=\"/coach/participants/{cand}\"")), "{}", list.body);
    let p = b.get(&format!("/coach/participants/{cand}")).await;
    let body = p.expect(200);
    assert!(body.contains("Inget mål är skrivet än."), "{body}");
    assert!(body.contains("Framsteg och det som är kvar"));
    let to = b.post_form(&format!("/coach/participants/{cand}/plan/draft"), &[("version", "0")]).await;
    assert_eq!(to.redirected(), format!("/coach/participants/{cand}?done=plan-drafted"));
    let p = b.get(&format!("/coach/participants/{cand}?done=plan-drafted")).await;
    let body = p.expect(200);
    assert!(body.contains("Visa att du kan: Säkerhet på nätet"), "{body}");
    assert!(body.contains("data-status=\"planned\""));

    // The coach writes the goal through the edit form.
    let form = b.get(&format!("/coach/participants/{cand}/plan/edit")).await;
    let body = form.expect(200).to_owned();
    let steps = between(&body, "name=\"steps\" value=\"", "\"");
    let first_id = between(&body, "name=\"step-0-id\" value=\"", "\"");
    let first_links =
        between(&body, "name=\"step-0-links\" value=\"", "\"").replace("&quot;", "\"").replace("&#34;", "\"");
    let to = b
        .post_form(
            &format!("/coach/participants/{cand}/plan"),
            &[
                ("version", "1"),
                ("goal", "Jobba med datorer på ett kontor"),
                ("steps", &steps),
                ("step-0-id", &first_id),
                ("step-0-links", &first_links),
                ("step-0-text", "Öva e-post med bilagor"),
                ("step-0-who", "participant"),
                ("step-0-status", "doing"),
                ("step-0-date", "2027-01-15"),
                ("step-0-support-kind", "study-circle"),
                ("step-0-support-name", "Studieförbundet"),
            ],
        )
        .await;
    assert_eq!(to.redirected(), format!("/coach/participants/{cand}?done=plan-saved"));

    // The participant reads it on the phone page in Finnish: goal, next step, progress.
    let me = app.browser_as(&person).await;
    let mine = me.get("/candidate/plan?lang=fi").await;
    let body = mine.expect(200);
    assert!(body.contains("lang=\"fi\""));
    assert!(body.contains("Jobba med datorer på ett kontor"), "{body}");
    assert!(body.contains(&format!("id=\"next-step\" data-step=\"{first_id}\"")), "{body}");
    assert!(body.contains("Opintopiiri: Studieförbundet"), "{body}");
    assert!(body.contains("0/1 vaihetta tehty; 0 osaa saavutettu"), "{body}");

    // The coach's form, still at version 1, is now stale: refused, the participant's edit kept.
    me.get("/candidate/plan/edit").await.expect(200);
    let to = me
        .post_form(
            "/candidate/plan",
            &[("version", "2"), ("goal", "Ett jobb där jag får använda datorn"), ("steps", "0")],
        )
        .await;
    assert_eq!(to.redirected(), "/candidate/plan?done=plan-saved");
    let stale = b
        .post_form(
            &format!("/coach/participants/{cand}/plan"),
            &[("version", "2"), ("goal", "Något annat"), ("steps", "0")],
        )
        .await;
    assert_eq!(stale.status, 409);
    assert!(stale.body.contains("id=\"plan-stale\""), "{}", stale.body);
    let now = app.get("/api/me/plan", &person.token).await.expect(200);
    assert_eq!(now["goal"], "Ett jobb där jag får använda datorn");
    assert_eq!(now["version"], 3);
    assert!(now["steps"].as_array().unwrap().is_empty());

    // A form without this session's anti-forgery token changes nothing.
    let forged = me
        .post_form(
            "/candidate/plan",
            &[
                ("csrf", "forged-token-forged-token-forged-token"),
                ("version", "3"),
                ("goal", "Förfalskat"),
                ("steps", "0"),
            ],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(app.get("/api/me/plan", &person.token).await.expect(200)["version"], 3);

    // The coach's page views are in the audit trail, the participant's are not.
    let audit = app.get("/api/audit?limit=200", &org.admin.token).await.expect(200);
    let reads: Vec<_> = audit["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "plan-read" && e["subject"] == cand)
        .collect();
    assert!(reads.len() >= 3, "{reads:#?}");
    assert!(reads.iter().all(|e| e["actor_id"] == coach.id));

    // Another participant of the organisation is not the coach's: not found.
    let (other, _) = participant(&app, &org, "Otto Annan").await;
    assert_eq!(b.get(&format!("/coach/participants/{other}")).await.status, 404);
    assert_eq!(b.get(&format!("/coach/participants/{other}/plan/edit")).await.status, 404);
    // And the coach has no way to the participant's own page.
    assert_eq!(b.get("/candidate/plan").await.status, 403);
}

fn between(body: &str, start: &str, end: &str) -> String {
    let at = body.find(start).unwrap_or_else(|| panic!("no {start} in {body}")) + start.len();
    body[at..at + body[at..].find(end).unwrap()].to_owned()
}

async fn follow_ups_the_start_page_groups_and_downloads_work_through_the_pages(backend: Backend) {
    // Arrange: a coach with two participants; one has a step due today.
    let app = spawn_app(backend).await;
    let org = app.org("Gruppkommun").await;
    let (cand, person) = participant(&app, &org, "Saga Deltagare").await;
    let (other, other_person) = participant(&app, &org, "Tor Deltagare").await;
    let coach = app.person(&org.id, "coach@gruppkommun.test", &[Role::Coach]).await;
    for c in [&cand, &other] {
        app.post(&format!("/api/candidates/{c}/coaches"), &org.admin.token, json!({"coach_id": coach.id}))
            .await
            .expect(201);
    }
    app.call(reqwest::Method::PUT, "/api/me/plan", Some(&person.token), Some(&json!({"version": 0,
        "goal": "Jobba i butik", "steps": [{"text": "Besök butiken", "who": "participant", "status": "planned",
        "target_date": today()}]})))
        .await
        .expect(200);
    let b = app.browser_as(&coach).await;

    // The start page says what needs attention.
    let start = b.get("/coach").await;
    let body = start.expect(200);
    let due = between(body, "id=\"due\"", "</ul>");
    assert!(due.contains("Saga Deltagare") && due.contains("Besök butiken"), "{body}");
    let quiet = between(body, "id=\"quiet\"", "</ul>");
    assert!(quiet.contains("Saga Deltagare") && quiet.contains("Tor Deltagare"), "{body}");
    assert!(quiet.contains("inget möte än"), "{body}");

    // A meeting with a bad date is refused by field; a good one is listed and clears the list.
    b.get(&format!("/coach/participants/{cand}")).await.expect(200);
    let bad = b
        .post_form(
            &format!("/coach/participants/{cand}/follow-ups"),
            &[("meeting_date", "2099-01-01"), ("notes", "")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("id=\"meeting_date-error\"") && bad.body.contains("id=\"notes-error\""),
        "{}",
        bad.body
    );
    let to = b
        .post_form(
            &format!("/coach/participants/{cand}/follow-ups"),
            &[
                ("meeting_date", &today()),
                ("notes", "Pratade om butiken."),
                ("next_steps", "Ring chefen"),
                ("next_meeting", "2099-02-01"),
            ],
        )
        .await;
    assert_eq!(to.redirected(), format!("/coach/participants/{cand}?done=follow-up-saved#follow-ups"));
    let page = b.get(&format!("/coach/participants/{cand}?done=follow-up-saved")).await;
    let body = page.expect(200);
    let listed = between(body, "id=\"follow-ups\"", "id=\"follow-up-form\"");
    assert!(listed.contains("Pratade om butiken.") && listed.contains("Ring chefen"), "{body}");
    let quiet = between(b.get("/coach").await.expect(200), "id=\"quiet\"", "</ul>");
    assert!(!quiet.contains("Saga Deltagare") && quiet.contains("Tor Deltagare"), "{quiet}");

    // A group: started, both added, a session written; Tor sees Saga as a number until she shares.
    b.get("/coach/groups").await.expect(200);
    let to = b.post_form("/coach/groups", &[("name", "Digital vardag"), ("theme", "Datorn hemma")]).await;
    let group = to.redirected().strip_prefix("/coach/groups/").unwrap().split('?').next().unwrap().to_owned();
    for c in [&cand, &other] {
        let to = b.post_form(&format!("/coach/groups/{group}/members"), &[("candidate", c)]).await;
        assert_eq!(to.redirected(), format!("/coach/groups/{group}?done=group-member-added"));
    }
    let to = b
        .post_form(
            &format!("/coach/groups/{group}/sessions"),
            &[
                ("date", &today()),
                ("topic", "E-post"),
                ("notes", "Saga hade svårt idag."),
                ("assignment", "Skicka ett mejl"),
                ("attended", &cand),
            ],
        )
        .await;
    assert_eq!(to.redirected(), format!("/coach/groups/{group}?done=group-session-saved"));
    let page = b.get(&format!("/coach/groups/{group}")).await;
    let body = page.expect(200);
    assert!(body.contains("Saga hade svårt idag.") && body.contains("Deltagare 1"), "{body}");
    // The coach renames the group on its page; the same form sent again from the old page is a
    // conflict, and a blank name is said next to the field.
    let rename = [("version", "0"), ("name", "Digital vardag, vår"), ("theme", "Datorn och mobilen")];
    let to = b.post_form(&format!("/coach/groups/{group}"), &rename).await;
    assert_eq!(to.redirected(), format!("/coach/groups/{group}?done=group-renamed"));
    let body = b.get(&format!("/coach/groups/{group}?done=group-renamed")).await.expect(200).to_owned();
    assert!(body.contains("<h1>Digital vardag, vår</h1>") && body.contains("Datorn och mobilen"), "{body}");
    assert!(body.contains("Gruppens namn och tema är sparade."), "{body}");
    assert_eq!(b.post_form(&format!("/coach/groups/{group}"), &rename).await.status, 409);
    let blank = b
        .post_form(&format!("/coach/groups/{group}"), &[("version", "1"), ("name", " "), ("theme", "")])
        .await;
    assert_eq!(blank.status, 422);
    assert!(blank.body.contains("id=\"group-name-error\""), "{}", blank.body);
    let tor = app.browser_as(&other_person).await;
    let seen = tor.get("/candidate/groups").await;
    let body = seen.expect(200);
    assert!(
        body.contains("Deltagare 1") && !body.contains("Saga") && !body.contains("Jobba i butik"),
        "{body}"
    );
    assert!(body.contains("Skicka ett mejl") && !body.contains("svårt"), "{body}");
    let me = app.browser_as(&person).await;
    me.get("/candidate/groups").await.expect(200);
    let to = me
        .post_form(
            &format!("/candidate/groups/{group}/sharing"),
            &[("share_name", "true"), ("share_goal", "true")],
        )
        .await;
    assert_eq!(to.redirected(), "/candidate/groups?done=group-sharing-saved");
    let body = tor.get("/candidate/groups").await.expect(200).to_owned();
    assert!(body.contains("Saga Deltagare") && body.contains("Jobba i butik"), "{body}");
    // Another coach's group is not found.
    let stranger = app.person(&org.id, "coach2@gruppkommun.test", &[Role::Coach]).await;
    assert_eq!(app.browser_as(&stranger).await.get(&format!("/coach/groups/{group}")).await.status, 404);

    // The participant downloads the plan as a PDF and all their data as JSON from the plan page.
    let body = me.get("/candidate/plan").await.expect(200).to_owned();
    let last = between(&body, "id=\"last-meeting\"", "</section>");
    assert!(last.contains("Ring chefen") && last.contains("id=\"next-meeting\""), "{body}");
    assert!(!last.contains("Pratade om butiken."), "the coach's notes stay on the coach's page: {last}");
    assert!(
        body.contains("href=\"/candidate/plan.pdf\"") && body.contains("href=\"/candidate/export\""),
        "{body}"
    );
    let pdf = me.get("/candidate/plan.pdf").await;
    assert_eq!(pdf.status, 200);
    assert!(pdf.body.starts_with("%PDF"));
    let data = me.get("/candidate/export").await;
    assert_eq!(data.status, 200);
    let doc: serde_json::Value = serde_json::from_str(&data.body).unwrap();
    assert_eq!(doc["follow_ups"][0]["notes"], "Pratade om butiken.");

    // The coach closes the plan: the participant's page says so and offers no edit.
    let v = app.get("/api/me/plan", &person.token).await.expect(200)["version"].to_string();
    b.get(&format!("/coach/participants/{cand}")).await.expect(200);
    let to = b.post_form(&format!("/coach/participants/{cand}/plan/close"), &[("version", &v)]).await;
    assert_eq!(to.redirected(), format!("/coach/participants/{cand}?done=plan-closed"));
    let body = me.get("/candidate/plan").await.expect(200).to_owned();
    assert!(body.contains("id=\"plan-closed\"") && !body.contains("id=\"edit-plan\""), "{body}");
    assert_eq!(me.get("/candidate/plan/edit").await.redirected(), "/candidate/plan");
}

both_backends!(
    a_coach_and_a_participant_work_on_the_plan_through_the_pages,
    follow_ups_the_start_page_groups_and_downloads_work_through_the_pages,
);
