//! The audit trail: what actions record, who may read it, and that `validera audit verify`
//! catches a row edited or deleted in the database.

use std::process::Command;

use diesel::connection::SimpleConnection;
use serde_json::{Value, json};
use validera::auth::Role;
use validera::db::queries::audit as q;
use validera::service::audit as svc;

use crate::both_backends;
use crate::certificates::certified;
use crate::helpers::{Backend, TestApp, spawn_app};

fn audit_verify(db: &str) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_validera"))
        .args(["audit", "verify"])
        .env("VALIDERA_DATABASE_URL", db)
        .env("VALIDERA_LOG_FORMAT", "json")
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Every event the token's organisation may read, newest first, fetched a few at a time.
async fn all_events(app: &TestApp, token: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut path = "/api/audit?limit=7".to_owned();
    loop {
        let page = app.get(&path, token).await.expect(200);
        out.extend(page["events"].as_array().unwrap().iter().cloned());
        match page["next_before"].as_i64() {
            Some(n) => path = format!("/api/audit?limit=7&before={n}"),
            None => return out,
        }
    }
}

fn of<'a>(events: &'a [Value], action: &str) -> Vec<&'a Value> {
    events.iter().filter(|e| e["action"] == action).collect()
}

/// Runs a statement as the operator would, bypassing the application.
async fn sql(app: &TestApp, statement: &str) -> Result<(), String> {
    let pool = app.pool.clone();
    let statement = statement.to_owned();
    tokio::task::spawn_blocking(move || {
        pool.get().unwrap().batch_execute(&statement).map_err(|e| e.to_string())
    })
    .await
    .unwrap()
}

async fn actions_are_audited_with_actor_and_organisation(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let a = app.org("Audit A").await;
    let b = app.org("Audit B").await;

    // Act
    app.login(&a.assessor.email, "not the password").await.problem(401, "unauthenticated");
    app.login("nobody@nowhere.test", "not the password").await.problem(401, "unauthenticated");
    let (_, certs) = certified(&app, &a).await;
    let cert = &certs[0];
    let cert_id = cert["id"].as_str().unwrap();
    app.post(
        &format!("/api/certificates/{cert_id}/suspend"),
        &a.admin.token,
        json!({"version": cert["version"], "reason": "Utreds"}),
    )
    .await
    .expect(200);
    app.post("/api/keys/rotate", &a.admin.token, json!({})).await.expect(201);
    let created = app
        .post(
            "/api/users",
            &a.admin.token,
            json!({"email": "ny@audit-a.test", "display_name": "Ny Person", "roles": ["assessor"]}),
        )
        .await
        .expect(201);
    let new_user = created["user"]["id"].as_str().unwrap().to_owned();

    // Assert
    let events = all_events(&app, &a.admin.token).await;
    let seqs: Vec<i64> = events.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] > w[1]), "newest first, strictly: {seqs:?}");

    let failed = of(&events, "sign-in-failed");
    assert_eq!(failed.len(), 1, "only the known account's failure is the organisation's: {failed:?}");
    assert_eq!(failed[0]["subject"], a.assessor.id.as_str());
    assert!(failed[0]["actor_id"].is_null());
    assert_eq!(failed[0]["details"]["reason"], "wrong-password");
    assert!(
        of(&events, "sign-in").iter().any(|e| e["actor_id"] == a.admin.id.as_str()),
        "the administrator's sign-in is recorded"
    );
    let submitted = of(&events, "decision-submitted");
    assert_eq!(submitted.len(), 1);
    assert_eq!(submitted[0]["actor_id"], a.assessor.id.as_str());
    let confirmed = of(&events, "decision-confirmed");
    assert_eq!(confirmed.len(), 1);
    assert_eq!(confirmed[0]["actor_id"], a.verifier.id.as_str());
    assert_eq!(confirmed[0]["subject"], submitted[0]["subject"]);
    let issued = of(&events, "certificate-issued");
    assert_eq!(issued.len(), certs.len());
    assert!(issued.iter().all(|e| e["actor_id"] == a.verifier.id.as_str()));
    assert!(issued.iter().any(|e| e["subject"] == cert_id));
    let suspended = of(&events, "certificate-suspended");
    assert_eq!(suspended.len(), 1);
    assert_eq!((&suspended[0]["subject"], &suspended[0]["actor_id"]), (&json!(cert_id), &json!(a.admin.id)));
    let rotated = of(&events, "key-rotated");
    assert_eq!(rotated.len(), 1);
    assert_eq!(rotated[0]["actor_id"], a.admin.id.as_str());
    let users = of(&events, "user-created");
    assert!(
        users.iter().any(|e| e["subject"] == new_user.as_str() && e["actor_id"] == a.admin.id.as_str()),
        "{users:?}"
    );
    // The candidate's account was made by the assessor, and its password changed by the candidate.
    assert!(users.iter().any(|e| e["actor_id"] == a.assessor.id.as_str()));
    assert_eq!(of(&events, "password-changed").len(), 1);
    let text = serde_json::to_string(&events).unwrap();
    assert!(!text.contains("nobody@nowhere.test") && !text.contains("Utreds"), "no e-mails or reasons");

    let b_events = all_events(&app, &b.admin.token).await;
    let a_ids = [&a.admin.id, &a.assessor.id, &a.verifier.id, &a.assessor2.id, &new_user];
    assert!(!b_events.is_empty(), "B's own people and sign-ins are there");
    for e in &b_events {
        assert!(e["action"] == "sign-in" || e["action"] == "user-created", "{e}");
        assert!(!a_ids.iter().any(|id| e["subject"] == id.as_str() || e["actor_id"] == id.as_str()), "{e}");
    }
    app.get("/api/audit", &a.assessor.token).await.problem(403, "forbidden");
    app.get("/api/audit?limit=0", &a.admin.token).await.problem(422, "validation");
    app.get("/api/audit?limit=500", &a.admin.token).await.problem(422, "validation");
}

async fn audit_verify_names_an_edited_row_and_a_deleted_one(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let a = app.org("Audit C").await;
    app.login(&a.admin.email, "wrong").await.problem(401, "unauthenticated");
    let count = {
        let pool = app.pool.clone();
        tokio::task::spawn_blocking(move || svc::verify_chain(&mut pool.get().unwrap()).unwrap())
            .await
            .unwrap()
            .expect("the chain the app wrote holds")
    };
    assert!(count >= 5, "four sign-ins, a failure and the user creations: {count}");
    let (code, out) = audit_verify(app.database_url());
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(&format!("OK: the audit chain holds over {count} event(s)")), "{out}");

    // Act: an operator edits one event's details behind the application's back.
    if backend == Backend::Postgres {
        let refused = sql(&app, "UPDATE audit_events SET details = '{}' WHERE seq = 3").await;
        assert!(refused.unwrap_err().contains("append-only"), "the trigger refuses updates");
        sql(&app, "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only").await.unwrap();
    }
    let original = {
        let pool = app.pool.clone();
        tokio::task::spawn_blocking(move || q::chain_after(&mut pool.get().unwrap(), 2, 1).unwrap())
            .await
            .unwrap()
            .remove(0)
    };
    assert_eq!(original.seq, 3);
    sql(&app, "UPDATE audit_events SET details = '{\"roles\":\"admin\"}' WHERE seq = 3").await.unwrap();

    // Assert
    let (code, out) = audit_verify(app.database_url());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("BROKEN at seq 3: hash mismatch"), "{out}");

    // Act: the edit undone exactly, then an event deleted.
    let restore =
        format!("UPDATE audit_events SET details = '{}' WHERE seq = 3", original.details.replace('\'', "''"));
    sql(&app, &restore).await.unwrap();
    assert_eq!(audit_verify(app.database_url()).0, 0, "restored byte for byte, the chain holds again");
    sql(&app, "DELETE FROM audit_events WHERE seq = 4").await.unwrap();

    // Assert
    let (code, out) = audit_verify(app.database_url());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("BROKEN at seq 4: gap"), "{out}");
}

async fn concurrent_appends_make_one_chain(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let a = app.org("Audit D").await;

    // Sixteen people, so that the per-account slowing of sign-ins (which makes parallel guesses
    // at one account wait) leaves every attempt to be checked and audited.
    let mut people = Vec::new();
    for i in 0..16 {
        people.push(app.person(&a.id, &format!("person{i}@audit-d.test"), &[Role::Assessor]).await);
    }

    // Act: sign-ins and failures race each other over the pool's connections.
    let mut attempts = tokio::task::JoinSet::new();
    for (i, p) in people.iter().enumerate() {
        let (client, url) = (app.client.clone(), format!("{}/api/auth/login", app.address));
        let password = if i % 2 == 0 { p.password.clone() } else { "wrong".to_owned() };
        let body = json!({"email": p.email, "password": password});
        attempts.spawn(async move { client.post(url).json(&body).send().await.unwrap().status().as_u16() });
    }
    let statuses = attempts.join_all().await;

    // Assert
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 8, "{statuses:?}");
    let (code, out) = audit_verify(app.database_url());
    assert_eq!(code, 0, "{out}");
    let events = all_events(&app, &a.admin.token).await;
    assert_eq!(of(&events, "sign-in-failed").len(), 8);
    let mut seqs: Vec<i64> = events.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=seqs.len() as i64).collect::<Vec<_>>(), "no gaps, no duplicates");
}

async fn the_audit_page_shows_the_organisations_events_newest_first(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let a = app.org("Sida A").await;
    let b = app.org("Sida B").await;
    app.login(&a.assessor.email, "wrong").await.problem(401, "unauthenticated");
    let browser = app.browser_as(&a.admin).await;

    // Act
    let overview = browser.get("/admin").await;
    let page = browser.get("/admin/audit").await;
    let english = browser.get("/admin/audit?lang=en").await;

    // Assert
    assert!(overview.expect(200).contains("href=\"/admin/audit\""));
    let body = page.expect(200);
    assert!(
        body.contains("data-action=\"sign-in-failed\"") && body.contains("Misslyckad inloggning"),
        "{body}"
    );
    assert!(body.contains(&a.assessor.id), "the subject's id is shown");
    assert!(!body.contains(&b.admin.id) && !body.contains(&b.assessor.id), "nothing of organisation B");
    let seqs: Vec<i64> = body
        .split("data-seq=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().parse().unwrap())
        .collect();
    assert!(seqs.len() >= 9, "four people created, their sign-ins, the failure: {seqs:?}");
    assert!(seqs.windows(2).all(|w| w[0] > w[1]), "newest first: {seqs:?}");
    assert!(english.expect(200).contains("Failed sign-in"));
}

async fn keys_users_and_framework_uploads_are_audited(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let a = app.org("Audit E").await;
    let t = &a.admin.token;
    let framework = include_str!("fixtures/frameworks/test-skills.toml")
        .replace("id = \"test-skills\"", "id = \"audit-skills\"")
        .replace("version = \"2026.1\"", "version = \"2026.2\"");
    let upload = || {
        app.client
            .post(format!("{}/api/frameworks", app.address))
            .bearer_auth(t)
            .header("content-type", "application/toml")
            .body(framework.clone())
            .send()
    };

    // Act
    app.post("/api/keys/rotate", t, json!({})).await.expect(201);
    let keys = app.get("/api/keys", t).await.expect(200);
    let kid = keys.as_array().unwrap()[0]["kid"].as_str().unwrap().to_owned();
    let from = (chrono::Utc::now() - chrono::Duration::days(1)).to_rfc3339();
    app.post(&format!("/api/keys/{kid}/compromise"), t, json!({"from": from, "reason": "Läckt nyckel"}))
        .await
        .expect(200);
    let version = app.get(&format!("/api/users/{}", a.assessor2.id), t).await.expect(200)["version"].clone();
    app.patch(
        &format!("/api/users/{}", a.assessor2.id),
        t,
        json!({"version": version, "roles": ["assessor", "verifier"], "display_name": "Hemligt Namn"}),
    )
    .await
    .expect(200);
    assert_eq!(TestApp::reply(upload().await.unwrap()).await.status, 201);
    assert_eq!(TestApp::reply(upload().await.unwrap()).await.status, 200, "unchanged: stored once");

    // Assert
    let events = all_events(&app, t).await;
    let compromised = of(&events, "key-compromised");
    assert_eq!(compromised.len(), 1);
    assert_eq!((&compromised[0]["subject"], &compromised[0]["actor_id"]), (&json!(kid), &json!(a.admin.id)));
    assert_eq!(compromised[0]["details"]["resigned"], 0);
    assert!(compromised[0]["details"]["replaced_by"].is_string());
    let changed = of(&events, "user-changed");
    assert_eq!(changed.len(), 1);
    assert_eq!(
        (&changed[0]["subject"], &changed[0]["actor_id"]),
        (&json!(a.assessor2.id), &json!(a.admin.id))
    );
    assert_eq!(changed[0]["details"]["display_name"], true);
    let uploaded = of(&events, "framework-uploaded");
    assert_eq!(uploaded.len(), 1, "{uploaded:?}");
    assert_eq!(uploaded[0]["subject"], "audit-skills");
    assert_eq!(uploaded[0]["details"]["version"], "2026.2");
    assert_eq!(uploaded[0]["actor_id"], a.admin.id.as_str());
    let text = serde_json::to_string(&events).unwrap();
    assert!(!text.contains("Läckt") && !text.contains("Hemligt"), "no free text, no names");
}

both_backends!(
    keys_users_and_framework_uploads_are_audited,
    the_audit_page_shows_the_organisations_events_newest_first,
    actions_are_audited_with_actor_and_organisation,
    audit_verify_names_an_edited_row_and_a_deleted_one,
    concurrent_appends_make_one_chain,
);
