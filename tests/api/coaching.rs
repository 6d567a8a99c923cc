//! Follow-ups, the coach's start page, closing a plan, the participant's data export,
//! retention, and peer groups over HTTP (issue 14 parts 3, 4 and 6).

use std::process::Command;

use chrono::{Datelike, Months, NaiveDate, Utc};
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use reqwest::Method;
use serde_json::{Value, json};
use validera::db::schema::{achievements, coach_invitations, coach_start_visits, follow_ups, plans};

use crate::both_backends;
use crate::helpers::{Backend, TestApp, spawn_app, today};
use crate::plans::{assessed, assign, coach, events, participant, plan_reads, put};

fn date_in(days: i64) -> String {
    (Utc::now().date_naive() + chrono::Duration::days(days)).to_string()
}

fn fields(problem: &Value) -> Vec<String> {
    problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_owned()).collect()
}

async fn follow_ups_are_written_by_the_coach_read_by_both_and_audited(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let org = app.org("Följ kommun").await;
    let other = app.org("Annan kommun").await;
    let (cand, pt) = participant(&app, &org, "Fia Deltagare").await;
    let c = coach(&app, &org, "a").await;
    let unassigned = coach(&app, &org, "b").await;
    let foreign = coach(&app, &other, "c").await;
    assign(&app, &org, &cand, &c).await;
    let path = format!("/api/participants/{cand}/follow-ups");

    // Act: the coach writes down a meeting held today, with the next one agreed.
    let f = app
        .post(
            &path,
            &c.token,
            json!({"meeting_date": today(), "notes": "Vi pratade om praktiken.",
              "next_steps": "Ring Café Solen\nSkriv ett CV", "next_meeting": "2099-01-10"}),
        )
        .await
        .expect(201);

    // Assert: both read it back; nobody else finds it.
    assert_eq!(f["author_id"], c.id);
    let seen = app.get(&path, &c.token).await.expect(200);
    assert_eq!(seen[0]["notes"], "Vi pratade om praktiken.");
    assert_eq!(seen[0]["next_steps"], "Ring Café Solen\nSkriv ett CV");
    assert_eq!(seen[0]["next_meeting"], "2099-01-10");
    let own = app.get("/api/me/follow-ups", &pt).await.expect(200);
    assert_eq!(own.as_array().unwrap().len(), 1);
    assert_eq!(own[0]["meeting_date"], today());
    for who in [&unassigned, &foreign] {
        app.get(&path, &who.token).await.problem(404, "not-found");
        app.post(&path, &who.token, json!({"meeting_date": today(), "notes": "x"}))
            .await
            .problem(404, "not-found");
    }
    app.post(&path, &pt, json!({"meeting_date": today(), "notes": "x"})).await.problem(403, "forbidden");

    // A meeting in the future, an empty note and a next meeting before it are refused by field.
    let bad = app
        .post(
            &path,
            &c.token,
            json!({"meeting_date": "2099-01-01", "notes": " ", "next_meeting": "2098-01-01"}),
        )
        .await
        .problem(422, "validation");
    assert_eq!(fields(&bad), ["meeting_date", "notes", "next_meeting"], "{bad:#}");
    assert_eq!(app.get("/api/me/follow-ups", &pt).await.expect(200).as_array().unwrap().len(), 1);

    // The coach's read is a read of sensitive notes: in the audit trail like a plan read.
    let reads = plan_reads(&app, &org, &cand).await;
    assert_eq!(reads.len(), 1, "{reads:#?}");
    assert_eq!(reads[0]["actor_id"], c.id);
    assert_eq!(reads[0]["details"]["read"], "follow-ups");
}

async fn the_start_page_lists_steps_due_quiet_participants_and_new_units(backend: Backend) {
    // Arrange: two participants; one has a step due today, one due next month, one done.
    let app = spawn_app(backend).await;
    let org = app.org("Start kommun").await;
    let (busy, bt) = participant(&app, &org, "Bo Deltagare").await;
    let (quiet, _) = participant(&app, &org, "Kim Deltagare").await;
    let a = assessed(&app, &org, &busy).await;
    let c = coach(&app, &org, "a").await;
    assign(&app, &org, &busy, &c).await;
    assign(&app, &org, &quiet, &c).await;
    // Today in UTC is this week or, just after midnight on a Monday, last Sunday: due either way.
    let due = today();
    put(&app, "/api/me/plan", &bt, json!({"version": 0, "goal": "Jobb", "steps": [
        {"text": "Ring arbetsförmedlingen", "who": "participant", "status": "planned", "target_date": due},
        {"text": "Börja studiecirkeln", "who": "participant", "status": "planned", "target_date": date_in(40)},
        {"text": "Redan gjort", "who": "participant", "status": "done", "target_date": due},
        {"text": "Visa datorkunskaper", "who": "participant", "status": "doing",
         "works_toward": [{"framework_id": "test-skills", "unit": "DBS-01"}]}
    ]}))
    .await
    .expect(200);
    app.post(
        &format!("/api/participants/{busy}/follow-ups"),
        &c.token,
        json!({"meeting_date": date_in(-40), "notes": "Första mötet."}),
    )
    .await
    .expect(201);

    // Act
    let start = app.get("/api/coach/attention", &c.token).await.expect(200);

    // Assert: only the open step due this week; both participants need a follow-up.
    let week_ends: NaiveDate = start["week_ends"].as_str().unwrap().parse().unwrap();
    assert_eq!(week_ends.weekday(), chrono::Weekday::Sun);
    let texts: Vec<&str> =
        start["due_steps"].as_array().unwrap().iter().map(|s| s["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["Ring arbetsförmedlingen"], "{start:#}");
    assert_eq!(start["due_steps"][0]["participant"]["id"], busy);
    let quiet_ids: Vec<&str> = start["no_recent_follow_up"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["participant"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(quiet_ids.len(), 2, "{start:#}");
    let never = start["no_recent_follow_up"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["participant"]["id"] == quiet)
        .unwrap();
    assert_eq!(never["last_meeting"], Value::Null);
    assert!(start["new_units"].as_array().unwrap().is_empty());
    // Showing a participant's steps on the start page is a read of their plan.
    let reads = plan_reads(&app, &org, &busy).await;
    assert!(reads.iter().any(|e| e["details"]["read"] == "start-page"), "{reads:#?}");

    // A follow-up today takes Bo off the list; a confirmed unit appears as news.
    app.post(
        &format!("/api/participants/{busy}/follow-ups"),
        &c.token,
        json!({"meeting_date": today(), "notes": "Bra."}),
    )
    .await
    .expect(201);
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
    let start = app.get("/api/coach/attention?lang=en", &c.token).await.expect(200);
    let quiet_ids: Vec<&str> = start["no_recent_follow_up"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["participant"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(quiet_ids, [quiet.as_str()]);
    assert_eq!(start["new_units"][0]["unit"], "DBS-01", "{start:#}");
    assert_eq!(start["new_units"][0]["title"], "Using a computer");
    assert_eq!(start["new_units"][0]["participant"]["id"], busy);

    // A closed plan's participant needs no attention for their steps.
    let plan = app.get(&format!("/api/participants/{busy}/plan"), &c.token).await.expect(200);
    let closed = app
        .post(&format!("/api/participants/{busy}/plan/close"), &c.token, json!({"version": plan["version"]}))
        .await
        .expect(200);
    assert_eq!(closed["closed"], true);
    let start = app.get("/api/coach/attention", &c.token).await.expect(200);
    assert!(start["due_steps"].as_array().unwrap().is_empty(), "{start:#}");
}

async fn a_closed_plan_no_longer_changes_until_it_is_reopened(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let org = app.org("Stäng kommun").await;
    let (cand, pt) = participant(&app, &org, "Stina Deltagare").await;
    let c = coach(&app, &org, "a").await;
    assign(&app, &org, &cand, &c).await;
    let path = format!("/api/participants/{cand}/plan");
    let saved =
        put(&app, "/api/me/plan", &pt, json!({"version": 0, "goal": "Jobb", "steps": []})).await.expect(200);
    app.post(&format!("{path}/close"), &c.token, json!({"version": 0})).await.problem(409, "stale-version");
    app.post(&format!("{path}/close"), &pt, json!({"version": 1})).await.problem(403, "forbidden");

    // Act
    let closed =
        app.post(&format!("{path}/close"), &c.token, json!({"version": saved["version"]})).await.expect(200);

    // Assert: closed as the next version; an edit is refused; reopening lets it change again.
    assert_eq!(closed["version"], 2);
    assert!(closed["closed_at"].as_str().unwrap().ends_with('Z'));
    put(&app, "/api/me/plan", &pt, json!({"version": 2, "goal": "Annat", "steps": []}))
        .await
        .problem(409, "stale-version");
    assert_eq!(app.get("/api/me/plan", &pt).await.expect(200)["goal"], "Jobb");
    let history = app.get("/api/me/plan/history", &pt).await.expect(200);
    assert_eq!(history.as_array().unwrap().len(), 2, "closing is a version in the history");
    let open = app.post(&format!("{path}/reopen"), &c.token, json!({"version": 2})).await.expect(200);
    assert_eq!(open["closed"], false);
    put(&app, "/api/me/plan", &pt, json!({"version": 3, "goal": "Annat", "steps": []})).await.expect(200);
}

async fn a_participant_downloads_all_their_data(backend: Backend) {
    // Arrange: records, a plan, a follow-up and certificates.
    let app = spawn_app(backend).await;
    let org = app.org("Export kommun").await;
    let (cand, otp, email) = app.candidate(&org, "Eva Deltagare").await;
    let pt = crate::certificates::certify(&app, &org, &cand, &email, &otp).await;
    let c = coach(&app, &org, "a").await;
    assign(&app, &org, &cand, &c).await;
    put(
        &app,
        "/api/me/plan",
        &pt,
        json!({"version": 0, "goal": "Jobba på kontor", "steps": [
        {"text": "Söka jobb", "who": "participant", "status": "planned"}]}),
    )
    .await
    .expect(200);
    app.post(
        &format!("/api/participants/{cand}/follow-ups"),
        &c.token,
        json!({"meeting_date": today(), "notes": "Samtal om jobb."}),
    )
    .await
    .expect(201);

    // Act
    let resp =
        app.client.get(format!("{}/api/me/export", app.address)).bearer_auth(&pt).send().await.unwrap();
    assert!(
        resp.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"my-data-"),
        "{:?}",
        resp.headers()
    );
    let doc = TestApp::reply(resp).await.expect(200);

    // Assert: everything, read back from the document.
    assert_eq!(doc["format"], "validera-export/1");
    assert_eq!(doc["candidate"]["id"], cand);
    assert_eq!(doc["account"]["email"], email);
    let records = doc["assessments"][0]["records"].as_array().unwrap();
    assert!(records.iter().any(|r| r["kind"] == "theory"), "{records:#?}");
    assert!(records.iter().any(|r| r["kind"] == "practical"), "{records:#?}");
    assert_eq!(doc["assessments"][0]["decisions"][0]["status"], "confirmed");
    assert_eq!(doc["plan"]["content"]["goal"], "Jobba på kontor");
    assert_eq!(doc["plan"]["versions"].as_array().unwrap().len(), 1);
    assert_eq!(doc["follow_ups"][0]["notes"], "Samtal om jobb.");
    let certs = doc["certificates"].as_array().unwrap();
    let mine = app.get("/api/me/certificates", &pt).await.expect(200);
    assert_eq!(certs.len(), mine.as_array().unwrap().len());
    for cert in certs {
        assert!(!cert["credential"]["proof"].is_null(), "the signed credential as issued: {cert:#}");
        assert_eq!(cert["jwt"].as_str().unwrap().split('.').count(), 3, "{cert:#}");
    }
    // Only the participant exports; a coach has no such endpoint.
    app.get("/api/me/export", &c.token).await.problem(403, "forbidden");
}

fn validera(db: &str, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_validera"))
        .args(args)
        .env("VALIDERA_DATABASE_URL", db)
        .env("VALIDERA_LOG_FORMAT", "json")
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

async fn retention_deletes_old_closed_plans_and_notes_but_keeps_certificates(backend: Backend) {
    // Arrange: an old closed plan and an old follow-up (dates set back in the database), a
    // recent follow-up, another participant's open plan, and certificates.
    let app = spawn_app(backend).await;
    let org = app.org("Gallra kommun").await;
    let (old, otp, email) = app.candidate(&org, "Olle Deltagare").await;
    let ot = crate::certificates::certify(&app, &org, &old, &email, &otp).await;
    let (open, opt) = participant(&app, &org, "Oda Deltagare").await;
    let c = coach(&app, &org, "a").await;
    assign(&app, &org, &old, &c).await;
    assign(&app, &org, &open, &c).await;
    put(&app, "/api/me/plan", &ot, json!({"version": 0, "goal": "Gammalt mål", "steps": []}))
        .await
        .expect(200);
    put(&app, "/api/me/plan", &ot, json!({"version": 1, "goal": "Gammalt mål, ändrat", "steps": []}))
        .await
        .expect(200);
    app.post(&format!("/api/participants/{old}/plan/close"), &c.token, json!({"version": 2}))
        .await
        .expect(200);
    put(&app, "/api/me/plan", &opt, json!({"version": 0, "goal": "Öppet mål", "steps": []}))
        .await
        .expect(200);
    let long_ago = app
        .post(
            &format!("/api/participants/{old}/follow-ups"),
            &c.token,
            json!({"meeting_date": today(), "notes": "Gammalt möte."}),
        )
        .await
        .expect(201);
    app.post(
        &format!("/api/participants/{old}/follow-ups"),
        &c.token,
        json!({"meeting_date": today(), "notes": "Nytt möte."}),
    )
    .await
    .expect(201);
    // Two other coaches ask to work with the participant: one is declined, one waits for an
    // answer. The first coach opens their start page (a recorded visit), the second too.
    let (declined_by, waiting) = (coach(&app, &org, "b").await, coach(&app, &org, "d").await);
    let invite = format!("/api/candidates/{old}/coach-invitations");
    let answered =
        app.post(&invite, &declined_by.token, json!({"coach_id": declined_by.id})).await.expect(201);
    app.post(
        &format!("/api/me/coach-invitations/{}/decline", answered["id"].as_str().unwrap()),
        &ot,
        json!({}),
    )
    .await
    .expect(200);
    app.post(&invite, &waiting.token, json!({"coach_id": waiting.id})).await.expect(201);
    app.get("/api/coach/attention", &c.token).await.expect(200);
    app.get("/api/coach/attention", &declined_by.token).await.expect(200);
    let certs_before = app.get("/api/me/certificates", &ot).await.expect(200);
    assert!(!certs_before.as_array().unwrap().is_empty());
    let pool = app.pool.clone();
    let old_id = old.clone();
    let fid = long_ago["id"].as_str().unwrap().to_owned();
    let old_coach = c.id.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().unwrap();
        let then = Utc::now().naive_utc().checked_sub_months(Months::new(25)).unwrap();
        // Every invitation is that old, the answered one answered then; one coach's last visit too.
        diesel::update(coach_invitations::table)
            .set(coach_invitations::created_at.eq(then))
            .execute(&mut *conn)
            .unwrap();
        diesel::update(coach_invitations::table.filter(coach_invitations::answered_at.is_not_null()))
            .set(coach_invitations::answered_at.eq(Some(then)))
            .execute(&mut *conn)
            .unwrap();
        diesel::update(coach_start_visits::table.filter(coach_start_visits::coach_id.eq(&old_coach)))
            .set((coach_start_visits::since.eq(then), coach_start_visits::opened_at.eq(then)))
            .execute(&mut *conn)
            .unwrap();
        diesel::update(plans::table.filter(plans::candidate_id.eq(&old_id)))
            .set(plans::closed_at.eq(Some(then)))
            .execute(&mut *conn)
            .unwrap();
        diesel::update(follow_ups::table.filter(follow_ups::id.eq(&fid)))
            .set(follow_ups::meeting_date.eq(then.date()))
            .execute(&mut *conn)
            .unwrap();
        let n: i64 = follow_ups::table.count().get_result(&mut *conn).unwrap();
        assert_eq!(n, 2);
    })
    .await
    .unwrap();

    // Act: a period longer than the age keeps everything; the default period does not.
    let (code, out) = validera(app.database_url(), &["retention", "run", "--months", "36"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("deleted closed plans: 0"), "{out}");
    let (code, out) = validera(app.database_url(), &["retention", "run"]);

    // Assert: what it says it removed is gone, the rest stayed.
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("retention: 24 months"), "{out}");
    assert!(out.contains("deleted closed plans: 1"), "{out}");
    assert!(out.contains("deleted plan versions: 3"), "{out}");
    assert!(out.contains("deleted follow-ups: 1"), "{out}");
    assert!(out.contains("deleted answered coach invitations: 1"), "{out}");
    assert!(out.contains("deleted coaches' start-page visits: 1"), "{out}");
    let invitations = app.get("/api/me/coach-invitations", &ot).await.expect(200);
    assert_eq!(invitations.as_array().unwrap().len(), 1, "the unanswered one waits: {invitations:#}");
    assert_eq!(invitations[0]["coach_id"], waiting.id);
    let pool = app.pool.clone();
    let (left, visited): (Vec<String>, Vec<String>) = tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().unwrap();
        let left = coach_invitations::table.select(coach_invitations::status).load(&mut *conn).unwrap();
        let visited =
            coach_start_visits::table.select(coach_start_visits::coach_id).load(&mut *conn).unwrap();
        (left, visited)
    })
    .await
    .unwrap();
    assert_eq!(left, ["pending"]);
    assert_eq!(visited, [declined_by.id.as_str()], "the recent visit stays");
    let plan = app.get("/api/me/plan", &ot).await.expect(200);
    assert_eq!(plan["version"], 0, "the closed plan is gone: {plan:#}");
    assert!(app.get("/api/me/plan/history", &ot).await.expect(200).as_array().unwrap().is_empty());
    let notes = app.get("/api/me/follow-ups", &ot).await.expect(200);
    let kept: Vec<&str> = notes.as_array().unwrap().iter().map(|f| f["notes"].as_str().unwrap()).collect();
    assert_eq!(kept, ["Nytt möte."]);
    assert_eq!(app.get("/api/me/plan", &opt).await.expect(200)["goal"], "Öppet mål");
    assert_eq!(app.get("/api/me/certificates", &ot).await.expect(200), certs_before, "certificates are kept");
    let events = app.get("/api/audit?limit=200", &org.admin.token).await.expect(200);
    let run =
        events["events"].as_array().unwrap().iter().find(|e| e["action"] == "retention-deleted").unwrap();
    assert_eq!(run["details"]["plans"], 1);
    assert_eq!(run["details"]["follow_ups"], 1);
    assert_eq!(run["details"]["group_sessions"], 0, "no group met that long ago");
    assert_eq!((&run["details"]["invitations"], &run["details"]["start_visits"]), (&json!(1), &json!(1)));
    let (_, out) = validera(app.database_url(), &["retention", "run"]);
    assert!(out.contains("deleted closed plans: 0") && out.contains("deleted follow-ups: 0"), "{out}");
}

async fn a_group_shows_nothing_personal_until_each_member_chooses_to_share(backend: Backend) {
    // Arrange: a coach's group of two of their participants.
    let app = spawn_app(backend).await;
    let org = app.org("Grupp kommun").await;
    let other = app.org("Annan grupp").await;
    let (anna, at) = participant(&app, &org, "Anna Deltagare").await;
    let (bert, bt) = participant(&app, &org, "Bert Deltagare").await;
    let (stranger, _) = participant(&app, &org, "Sten Deltagare").await;
    let c = coach(&app, &org, "a").await;
    let other_coach = coach(&app, &org, "b").await;
    let foreign = coach(&app, &other, "c").await;
    assign(&app, &org, &anna, &c).await;
    assign(&app, &org, &bert, &c).await;
    put(&app, "/api/me/plan", &at, json!({"version": 0, "goal": "Starta ett eget café", "steps": []}))
        .await
        .expect(200);
    let g = app
        .post("/api/groups", &c.token, json!({"name": "Företagare i Esbo", "theme": "Eget företag"}))
        .await
        .expect(201);
    let gid = g["id"].as_str().unwrap();
    for m in [&anna, &bert] {
        app.post(&format!("/api/groups/{gid}/members"), &c.token, json!({"candidate_id": m}))
            .await
            .expect(201);
    }
    // Only the coach's own participants join, once; nobody else reaches the group.
    let bad = app
        .post(&format!("/api/groups/{gid}/members"), &c.token, json!({"candidate_id": stranger}))
        .await
        .problem(422, "validation");
    assert_eq!(fields(&bad), ["candidate_id"]);
    app.post(&format!("/api/groups/{gid}/members"), &c.token, json!({"candidate_id": anna}))
        .await
        .problem(409, "duplicate");
    // Its coach renames it as of the version read; a change from the old version is a conflict,
    // a blank name is refused, and no other coach can rename it.
    assert_eq!(g["version"], 0);
    let renamed = put(
        &app,
        &format!("/api/groups/{gid}"),
        &c.token,
        json!({"version": 0, "name": "Företagare i Esbo och Vanda", "theme": "Eget företag"}),
    )
    .await
    .expect(200);
    assert_eq!((&renamed["name"], &renamed["version"]), (&json!("Företagare i Esbo och Vanda"), &json!(1)));
    put(&app, &format!("/api/groups/{gid}"), &c.token, json!({"version": 0, "name": "Gammalt namn"}))
        .await
        .problem(409, "stale-version");
    let blank = put(&app, &format!("/api/groups/{gid}"), &c.token, json!({"version": 1, "name": "  "}))
        .await
        .problem(422, "validation");
    assert_eq!(fields(&blank), ["name"]);
    let seen = app.get(&format!("/api/groups/{gid}"), &c.token).await.expect(200);
    assert_eq!(
        (&seen["name"], &seen["theme"], &seen["version"]),
        (&renamed["name"], &json!("Eget företag"), &json!(1))
    );
    for who in [&other_coach, &foreign] {
        put(&app, &format!("/api/groups/{gid}"), &who.token, json!({"version": 1, "name": "Kapat"}))
            .await
            .problem(404, "not-found");
        app.get(&format!("/api/groups/{gid}"), &who.token).await.problem(404, "not-found");
        app.post(&format!("/api/groups/{gid}/sessions"), &who.token, json!({"date": today(), "topic": "x"}))
            .await
            .problem(404, "not-found");
    }
    let s = app
        .post(&format!("/api/groups/{gid}/sessions"), &c.token, json!({"date": today(), "topic": "Budget",
              "notes": "Anna var tyst idag.", "assignment": "Gör en budget för en månad.", "attended": [anna]}))
        .await
        .expect(201);
    assert_eq!(s["attended"], json!([anna]));

    // Act: Bert looks at the group before anyone shares.
    let seen = app.get("/api/me/groups", &bt).await.expect(200);

    // Assert: Anna is a number without a goal; the session's notes and attendance are not there.
    let text = seen.to_string();
    assert!(!text.contains("Anna") && !text.contains("café"), "{seen:#}");
    let members = seen[0]["members"].as_array().unwrap();
    let a_seen = members.iter().find(|m| m["is_me"] == false).unwrap();
    assert_eq!(a_seen["shown_name"], "Deltagare 1");
    assert_eq!(a_seen["goal"], Value::Null);
    let me = members.iter().find(|m| m["is_me"] == true).unwrap();
    assert_eq!(me["shown_name"], "Bert Deltagare");
    assert_eq!(seen[0]["sessions"][0]["assignment"], "Gör en budget för en månad.");
    assert!(seen[0]["sessions"][0].get("attended").is_none());
    let coach_view = app.get(&format!("/api/groups/{gid}"), &c.token).await.expect(200);
    assert_eq!(coach_view["members"][0]["share_name"], false);

    // Anna shares her name and goal; Bert then sees both, in his own language as asked.
    let mine = put(
        &app,
        &format!("/api/me/groups/{gid}/sharing"),
        &at,
        json!({"share_name": true, "share_goal": true}),
    )
    .await
    .expect(200);
    assert_eq!(mine["share_name"], true);
    let seen = app.get("/api/me/groups?lang=fi", &bt).await.expect(200);
    let a_seen = seen[0]["members"].as_array().unwrap().iter().find(|m| m["is_me"] == false).unwrap().clone();
    assert_eq!(a_seen["shown_name"], "Anna Deltagare");
    assert_eq!(a_seen["goal"], "Starta ett eget café");
    // Bert shares nothing: Anna sees him as a number, in Finnish when she asks for it.
    let anna_sees = app.get("/api/me/groups?lang=fi", &at).await.expect(200);
    let b_seen =
        anna_sees[0]["members"].as_array().unwrap().iter().find(|m| m["is_me"] == false).unwrap().clone();
    assert_eq!(b_seen["shown_name"], "Osallistuja 2");
    // A stranger to the group cannot change anyone's sharing.
    let (_, st) = participant(&app, &org, "Sara Deltagare").await;
    put(&app, &format!("/api/me/groups/{gid}/sharing"), &st, json!({"share_name": true, "share_goal": true}))
        .await
        .problem(404, "not-found");
    // Taken out of the group, Anna no longer sees it.
    let r =
        app.call(Method::DELETE, &format!("/api/groups/{gid}/members/{anna}"), Some(&c.token), None).await;
    assert_eq!(r.status.as_u16(), 204);
    assert!(app.get("/api/me/groups", &at).await.expect(200).as_array().unwrap().is_empty());
}

fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args([file.to_str().unwrap(), "-"])
        .output()
        .unwrap_or_else(|e| panic!("pdftotext is needed for this test (Debian: poppler-utils): {e}"));
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// What the PDF prints after `step` and before `next` (or the end): the step's own lines.
fn printed_step<'a>(text: &'a str, step: &str, next: Option<&str>) -> &'a str {
    let from = text.find(step).unwrap_or_else(|| panic!("{step:?} is not printed:\n{text}"));
    let rest = &text[from + step.len()..];
    next.and_then(|n| rest.find(n)).map_or(rest, |to| &rest[..to])
}

async fn a_participant_downloads_their_plan_as_a_pdf_in_their_language(backend: Backend) {
    // Arrange: a Finnish-speaking participant with DBS-01 confirmed and a plan of three steps.
    let app = spawn_app(backend).await;
    let org = app.org("Pdf kunta").await;
    let body = app
        .post(
            "/api/candidates",
            &org.assessor.token,
            json!({"display_name": "Aino Virtanen", "email": "aino@candidates.test", "language": "fi"}),
        )
        .await
        .expect(201);
    let cand = body["candidate"]["id"].as_str().unwrap().to_owned();
    let otp = body["one_time_password"].as_str().unwrap().to_owned();
    let pt = crate::certificates::certify(&app, &org, &cand, "aino@candidates.test", &otp).await;
    let plan = put(&app, "/api/me/plan", &pt, json!({"version": 0, "goal": "Työ kahvilassa Espoossa", "steps": [
        {"text": "Harjoittele kassan käyttöä", "who": "participant", "status": "planned", "target_date": "2027-02-01"},
        {"text": "Käy opintopiirissä", "who": "partner", "status": "doing",
         "support": {"kind": "study-circle", "name": "Opintokeskus Sivis"}},
        {"text": "Näytä tietokonetaidot", "who": "participant", "status": "planned",
         "works_toward": [{"framework_id": "test-skills", "unit": "DBS-01"}]}
    ]}))
    .await
    .expect(200);
    assert_eq!(plan["steps"][2]["shown_status"], "reached");

    // Act
    let resp =
        app.client.get(format!("{}/api/me/plan.pdf", app.address)).bearer_auth(&pt).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()["content-type"], "application/pdf");
    let text = pdftotext(&resp.bytes().await.unwrap());

    // Assert: the goal, and each step's text with its status, in Finnish as the API says them.
    assert!(text.contains("Tavoitteeni") && text.contains("Työ kahvilassa Espoossa"), "{text}");
    assert!(text.contains("Aino Virtanen"), "{text}");
    let own = app.get("/api/me/plan?lang=fi", &pt).await.expect(200);
    assert!(text.contains(own["progress"].as_str().unwrap()), "{text}");
    let steps = ["Harjoittele kassan käyttöä", "Käy opintopiirissä", "Näytä tietokonetaidot"];
    let statuses = ["Suunniteltu", "Käynnissä", "Saavutettu – osa on vahvistettu"];
    for (i, (step, status)) in steps.iter().zip(statuses).enumerate() {
        let printed = printed_step(&text, step, steps.get(i + 1).copied());
        assert!(printed.contains(status), "step {step:?} prints {printed:?}, not {status:?}");
    }
    assert!(printed_step(&text, steps[1], Some(steps[2])).contains("Opintokeskus Sivis"), "{text}");
    // Asked in English, the same plan prints in English; a coach has no such download.
    let en = app
        .client
        .get(format!("{}/api/me/plan.pdf?lang=en", app.address))
        .bearer_auth(&pt)
        .send()
        .await
        .unwrap();
    let text = pdftotext(&en.bytes().await.unwrap());
    assert!(printed_step(&text, steps[1], Some(steps[2])).contains("Under way"), "{text}");
    let c = coach(&app, &org, "a").await;
    app.get("/api/me/plan.pdf", &c.token).await.problem(403, "forbidden");
}

/// Sets coach `coach`'s last opening of the start page `hours` back, and the confirmation of
/// every unit of `cand` `unit_hours` back (both as if they had happened then).
async fn set_back(app: &TestApp, coach: &str, hours: i64, cand: &str, unit_hours: i64) {
    let (pool, coach, cand) = (app.pool.clone(), coach.to_owned(), cand.to_owned());
    tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().unwrap();
        let now = Utc::now().naive_utc();
        let n = diesel::update(coach_start_visits::table.filter(coach_start_visits::coach_id.eq(&coach)))
            .set(coach_start_visits::opened_at.eq(now - chrono::Duration::hours(hours)))
            .execute(&mut *conn)
            .unwrap();
        assert_eq!(n, 1, "the opening was recorded");
        diesel::update(achievements::table.filter(achievements::candidate_id.eq(&cand)))
            .set(achievements::confirmed_at.eq(now - chrono::Duration::hours(unit_hours)))
            .execute(&mut *conn)
            .unwrap();
    })
    .await
    .unwrap();
}

fn new_units(start: &Value) -> Vec<&str> {
    start["new_units"].as_array().unwrap().iter().map(|u| u["unit"].as_str().unwrap()).collect()
}

fn new_since(start: &Value) -> chrono::DateTime<Utc> {
    start["new_since"].as_str().unwrap().parse().unwrap()
}

async fn the_start_page_lists_units_confirmed_since_the_coachs_last_visit(backend: Backend) {
    // Arrange: a participant with DBS-01 confirmed just now.
    let app = spawn_app(backend).await;
    let org = app.org("Besök kommun").await;
    let (cand, _) = participant(&app, &org, "Vera Deltagare").await;
    let a = assessed(&app, &org, &cand).await;
    let c = coach(&app, &org, "a").await;
    let other = coach(&app, &org, "b").await;
    assign(&app, &org, &cand, &c).await;
    assign(&app, &org, &cand, &other).await;
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

    // Act: the first visit, then coming back at once.
    let first = app.get("/api/coach/attention", &c.token).await.expect(200);
    let again = app.get("/api/coach/attention", &c.token).await.expect(200);

    // Assert: the first visit looks 14 days back; coming back within the hour is the same visit.
    assert_eq!(new_units(&first), ["DBS-01"], "{first:#}");
    assert!(new_since(&first) <= Utc::now() - chrono::Duration::days(13), "{first:#}");
    assert_eq!(new_units(&again), ["DBS-01"], "{again:#}");
    assert_eq!(again["new_since"], first["new_since"]);

    // The unit was confirmed before the coach's last visit two hours ago: no longer news.
    set_back(&app, &c.id, 2, &cand, 3).await;
    let later = app.get("/api/coach/attention", &c.token).await.expect(200);
    assert!(new_units(&later).is_empty(), "{later:#}");
    let since = new_since(&later);
    let ago = Utc::now() - since;
    assert!(ago >= chrono::Duration::hours(2) && ago < chrono::Duration::hours(3), "{later:#}");
    // Each coach has their own visits: the other coach has not been here and still sees it.
    let theirs = app.get("/api/coach/attention", &other.token).await.expect(200);
    assert_eq!(new_units(&theirs), ["DBS-01"], "{theirs:#}");

    // Confirmed after the last visit four hours ago: news again, on the page too.
    set_back(&app, &c.id, 4, &cand, 3).await;
    let news = app.get("/api/coach/attention", &c.token).await.expect(200);
    assert_eq!(new_units(&news), ["DBS-01"], "{news:#}");
    assert_eq!(news["new_units"][0]["participant"]["id"], cand);
}

async fn a_change_of_the_organisations_time_zone_is_in_the_audit_trail(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let org = app.org("Zon kommun").await;
    let before = app.get("/api/organisation", &org.admin.token).await.expect(200);

    // Act: a new time zone, then only a new name.
    let moved = app
        .call(
            Method::PATCH,
            "/api/organisation",
            Some(&org.admin.token),
            Some(&json!({"version": before["version"], "time_zone": "Europe/Helsinki"})),
        )
        .await
        .expect(200);
    app.call(
        Method::PATCH,
        "/api/organisation",
        Some(&org.admin.token),
        Some(&json!({"version": moved["version"], "name": "Zon stad"})),
    )
    .await
    .expect(200);

    // Assert: one event, old and new zone, by the administrator; a rename is not one.
    let changed = events(&app, &org, "organisation-time-zone-changed", &org.id).await;
    assert_eq!(changed.len(), 1, "{changed:#?}");
    assert_eq!(changed[0]["details"]["from"], before["time_zone"]);
    assert_eq!(changed[0]["details"]["to"], "Europe/Helsinki");
    assert_eq!(changed[0]["actor_id"], org.admin.id);
    assert_ne!(before["time_zone"], "Europe/Helsinki");
}

both_backends!(
    follow_ups_are_written_by_the_coach_read_by_both_and_audited,
    the_start_page_lists_units_confirmed_since_the_coachs_last_visit,
    a_change_of_the_organisations_time_zone_is_in_the_audit_trail,
    the_start_page_lists_steps_due_quiet_participants_and_new_units,
    a_closed_plan_no_longer_changes_until_it_is_reopened,
    a_participant_downloads_all_their_data,
    retention_deletes_old_closed_plans_and_notes_but_keeps_certificates,
    a_group_shows_nothing_personal_until_each_member_chooses_to_share,
    a_participant_downloads_their_plan_as_a_pdf_in_their_language,
);
