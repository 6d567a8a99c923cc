//! The whole story of issue 14 over HTTP, on both backends: the gap report, a plan drafted
//! from it, edits by the coach and the participant, follow-ups, a group session, a unit
//! confirmed and its step reached, the participant's export, and retention (the plan, the
//! follow-up notes, and the group session's attendance).

use std::process::Command;

use chrono::{Months, Utc};
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use serde_json::{Value, json};
use validera::db::schema::{follow_ups, peer_group_sessions, plans};

use crate::both_backends;
use crate::helpers::{Backend, spawn_app, today};
use crate::plans::{assessed, assign, coach, participant, put};

fn steps_as_written(plan: &Value) -> Vec<Value> {
    plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let links: Vec<Value> = s["works_toward"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| json!({"framework_id": l["framework_id"], "unit": l["unit"], "criteria": l["criteria"]}))
                .collect();
            json!({"id": s["id"], "text": s["text"], "note": s["note"], "who": s["who"], "status": s["status"],
                   "target_date": s["target_date"], "works_toward": links, "support": s["support"]})
        })
        .collect()
}

async fn the_plan_story_from_the_gap_report_to_retention(backend: Backend) {
    // The gap report: DBS-01 is provisional, the other units have gaps.
    let app = spawn_app(backend).await;
    let org = app.org("Berättelse kommun").await;
    let (cand, pt) = participant(&app, &org, "Maja Deltagare").await;
    let a = assessed(&app, &org, &cand).await;
    let c = coach(&app, &org, "a").await;
    assign(&app, &org, &cand, &c).await;
    let progress = app.get(&format!("/api/participants/{cand}/progress"), &c.token).await.expect(200);
    let gap_units: Vec<String> = progress[0]["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["criterion"].as_str().unwrap().split('/').next().unwrap().to_owned())
        .collect();
    assert!(gap_units.contains(&"DBS-03".to_owned()), "{progress:#}");

    // The coach drafts the plan from it: one step per unit left.
    let mine = format!("/api/participants/{cand}/plan");
    let drafted = app.post(&format!("{mine}/draft"), &c.token, json!({"version": 0})).await.expect(200);
    let drafted_units: Vec<&str> = drafted["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["works_toward"][0]["unit"].as_str().unwrap())
        .collect();
    assert!(drafted_units.contains(&"DBS-03") && !drafted_units.contains(&"DBS-01"), "{drafted_units:?}");

    // The participant writes the goal and adds a step toward DBS-01; the coach sets a date.
    let mut steps = steps_as_written(&drafted);
    steps
        .push(json!({"text": "Visa datorkunskaper för handledaren", "who": "participant", "status": "doing",
                      "works_toward": [{"framework_id": "test-skills", "unit": "DBS-01"}]}));
    let own =
        put(&app, "/api/me/plan", &pt, json!({"version": 1, "goal": "Ett jobb på kontor", "steps": steps}))
            .await
            .expect(200);
    let mut steps = steps_as_written(&own);
    steps[0]["target_date"] = json!(today());
    let coached = put(&app, &mine, &c.token, json!({"version": 2, "goal": own["goal"], "steps": steps}))
        .await
        .expect(200);
    assert_eq!(coached["version"], 3);
    assert_eq!(coached["goal"], "Ett jobb på kontor");
    let reach = coached["steps"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(reach["reached"], false);

    // A follow-up; the start page shows the step due and no longer asks for a meeting.
    app.post(
        &format!("/api/participants/{cand}/follow-ups"),
        &c.token,
        json!({"meeting_date": today(), "notes": "Gick igenom planen.", "next_steps": "Öva e-post"}),
    )
    .await
    .expect(201);
    let start = app.get("/api/coach/attention", &c.token).await.expect(200);
    assert_eq!(start["due_steps"][0]["step_id"], coached["steps"][0]["id"], "{start:#}");
    assert!(start["no_recent_follow_up"].as_array().unwrap().is_empty(), "{start:#}");
    assert_eq!(app.get("/api/me/follow-ups", &pt).await.expect(200)[0]["next_steps"], "Öva e-post");

    // A group session with an assignment the participant sees.
    let g = app.post("/api/groups", &c.token, json!({"name": "Digital vardag"})).await.expect(201);
    let gid = g["id"].as_str().unwrap();
    app.post(&format!("/api/groups/{gid}/members"), &c.token, json!({"candidate_id": cand}))
        .await
        .expect(201);
    app.post(&format!("/api/groups/{gid}/sessions"), &c.token,
             json!({"date": today(), "topic": "E-post", "assignment": "Skicka ett mejl med bilaga", "attended": [cand]}))
        .await
        .expect(201);
    let groups = app.get("/api/me/groups", &pt).await.expect(200);
    assert_eq!(groups[0]["sessions"][0]["assignment"], "Skicka ett mejl med bilaga");

    // DBS-01 is confirmed: the step toward it is reached, and the coach hears of the unit.
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
    let now = app.get("/api/me/plan", &pt).await.expect(200);
    let reached = now["steps"].as_array().unwrap().iter().find(|s| s["id"] == reach["id"]).unwrap();
    assert_eq!(reached["shown_status"], "reached");
    assert!(now["progress"].as_str().unwrap().ends_with("1 enhet nådd"), "{now:#}");
    let start = app.get("/api/coach/attention", &c.token).await.expect(200);
    assert_eq!(start["new_units"][0]["unit"], "DBS-01");
    let certificates = app.get("/api/me/certificates", &pt).await.expect(200);
    assert!(!certificates.as_array().unwrap().is_empty());

    // The participant exports everything.
    let export = app.get("/api/me/export", &pt).await.expect(200);
    assert_eq!(export["plan"]["versions"].as_array().unwrap().len(), 3);
    assert_eq!(export["follow_ups"][0]["notes"], "Gick igenom planen.");
    assert_eq!(export["groups"][0]["name"], "Digital vardag");
    assert_eq!(export["groups"][0]["share_name"], false);
    assert_eq!(export["certificates"].as_array().unwrap().len(), certificates.as_array().unwrap().len());

    // The coaching ends; two years and more later, retention deletes the plan and the notes.
    app.post(&format!("{mine}/close"), &c.token, json!({"version": 3})).await.expect(200);
    let pool = app.pool.clone();
    let id = cand.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().unwrap();
        let then = Utc::now().naive_utc().checked_sub_months(Months::new(26)).unwrap();
        diesel::update(plans::table.filter(plans::candidate_id.eq(&id)))
            .set(plans::closed_at.eq(Some(then)))
            .execute(&mut *conn)
            .unwrap();
        diesel::update(follow_ups::table.filter(follow_ups::candidate_id.eq(&id)))
            .set(follow_ups::meeting_date.eq(then.date()))
            .execute(&mut *conn)
            .unwrap();
        diesel::update(peer_group_sessions::table)
            .set(peer_group_sessions::session_date.eq(then.date()))
            .execute(&mut *conn)
            .unwrap();
    })
    .await
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_validera"))
        .args(["retention", "run"])
        .env("VALIDERA_DATABASE_URL", app.database_url())
        .env("VALIDERA_RETENTION_MONTHS", "24")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("deleted closed plans: 1") && said.contains("deleted plan versions: 4"), "{said}");
    assert!(said.contains("deleted follow-ups: 1"), "{said}");
    assert!(said.contains("cleared group session notes: 1"), "{said}");
    let group = app.get(&format!("/api/groups/{gid}"), &c.token).await.expect(200);
    assert_eq!(group["sessions"][0]["attended"], json!([]), "{group:#}");
    assert_eq!(group["sessions"][0]["assignment"], "Skicka ett mejl med bilaga", "what members see stays");
    let after = app.get("/api/me/export", &pt).await.expect(200);
    assert_eq!(after["plan"], Value::Null);
    assert!(after["follow_ups"].as_array().unwrap().is_empty());
    assert_eq!(after["certificates"], export["certificates"], "certificates are not affected");
    assert_eq!(app.get("/api/me/certificates", &pt).await.expect(200), certificates);
}

both_backends!(the_plan_story_from_the_gap_report_to_retention);
