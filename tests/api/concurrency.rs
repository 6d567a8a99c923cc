//! Unrelated actions at the same time all succeed; actions on one object have one winner and
//! the others a 409; an anonymous read of a status list writes nothing.

use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};
use validera::credential::status_list::Bitstring;
use validera::db::queries::{credentials as cq, keys as kq};

use crate::both_backends;
use crate::helpers::{Backend, Org, TestApp, spawn_app, today};

/// A decision of a new candidate called `name`, submitted and waiting for the verifier.
async fn submitted(app: &TestApp, org: &Org, name: &str) -> String {
    let (cand, _, _) = app.candidate(org, name).await;
    let a = app.assessment(org, &cand).await;
    let t = &org.assessor.token;
    app.post(&format!("/api/assessments/{a}/theory-tests"), t, json!({
        "date": today(), "title": "Teori", "score": 18, "max": 20, "pass_mark": 14, "criteria": ["DBS-01/1.2"]
    }))
    .await
    .expect(201);
    app.post(
        &format!("/api/assessments/{a}/observations"),
        t,
        json!({"date": today(), "context": "Prov", "items": [
            {"criterion": "DBS-01/1.1", "met": true, "comment": ""},
            {"criterion": "DBS-02/1.1", "met": true, "comment": ""}
        ]}),
    )
    .await
    .expect(201);
    let d = app.post(&format!("/api/assessments/{a}/decisions"), t, json!({})).await.expect(201);
    d["id"].as_str().unwrap().to_owned()
}

async fn confirm(app: &TestApp, org: &Org, decision: &str) -> (StatusCode, Value) {
    let r = app
        .post(&format!("/api/decisions/{decision}/confirm"), &org.verifier.token, json!({"version": 1}))
        .await;
    (r.status, r.body)
}

async fn change(app: &TestApp, org: &Org, id: &str, action: &str, version: i64) -> (StatusCode, Value) {
    let r = app
        .post(
            &format!("/api/certificates/{id}/{action}"),
            &org.admin.token,
            json!({"version": version, "reason": format!("Prov: {action}")}),
        )
        .await;
    (r.status, r.body)
}

async fn certificates(app: &TestApp, org: &Org) -> Vec<Value> {
    app.get("/api/certificates", &org.admin.token).await.expect(200).as_array().unwrap().clone()
}

/// Runs `f` on a pooled connection off the async runtime.
async fn with_db<T: Send + 'static>(
    app: &TestApp,
    f: impl FnOnce(&mut validera::db::DbConnection) -> T + Send + 'static,
) -> T {
    let pool = app.pool.clone();
    tokio::task::spawn_blocking(move || f(&mut pool.get().unwrap())).await.unwrap()
}

/// Every signing key and status list, as comparable text: what a read must leave as it was.
async fn key_and_list_rows(app: &TestApp) -> (Vec<String>, Vec<String>) {
    with_db(app, |conn| {
        let keys = kq::list(conn, None).unwrap().iter().map(|k| format!("{k:?}")).collect();
        let lists = cq::list_status_lists(conn).unwrap().iter().map(|l| format!("{l:?}")).collect();
        (keys, lists)
    })
    .await
}

async fn eight_revocations_of_eight_certificates_all_succeed(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Samtidig Revokering").await;
    let mut n = 0;
    while certificates(&app, &org).await.len() < 8 {
        n += 1;
        assert!(n <= 8, "each confirmation issues at least one certificate");
        let d = submitted(&app, &org, &format!("Kandidat {n}")).await;
        let (status, body) = confirm(&app, &org, &d).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let certs: Vec<Value> = certificates(&app, &org).await.into_iter().take(8).collect();

    let replies =
        join_all(certs.iter().map(|c| {
            change(&app, &org, c["id"].as_str().unwrap(), "revoke", c["version"].as_i64().unwrap())
        }))
        .await;
    for (status, body) in &replies {
        assert_eq!(*status, StatusCode::OK, "every revocation succeeds: {body}");
        assert_eq!(body["status"], "revoked", "{body}");
    }

    // No revocation overwrote another's bit: the stored list and the signed one carry all eight.
    let ids: Vec<String> = certs.iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect();
    let org_id = org.id.clone();
    let (indexes, stored) = with_db(&app, move |conn| {
        let indexes: Vec<i64> =
            ids.iter().map(|id| cq::find_public(conn, id).unwrap().status_index).collect();
        (indexes, cq::find_status_list(conn, &org_id, "revocation").unwrap())
    })
    .await;
    let signed: Value = serde_json::from_str(stored.signed_credential.as_deref().unwrap()).unwrap();
    let published = Bitstring::decode(signed["credentialSubject"]["encodedList"].as_str().unwrap()).unwrap();
    let bits = Bitstring::from_bytes(stored.bits);
    for i in indexes {
        let i = usize::try_from(i).unwrap();
        assert!(bits.get(i).unwrap(), "bit {i} set in the stored list");
        assert!(published.get(i).unwrap(), "bit {i} set in the signed list");
    }
    assert_eq!(stored.version, 1 + 8, "one new version of the list per revocation");
}

async fn eight_first_confirmations_in_a_new_organisation_all_succeed_with_one_key(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Ny Organisation").await;
    let mut decisions = Vec::new();
    for n in 1..=8 {
        decisions.push(submitted(&app, &org, &format!("Ny Kandidat {n}")).await);
    }
    let org_id = org.id.clone();
    assert!(with_db(&app, move |conn| kq::list(conn, Some(&org_id)).unwrap()).await.is_empty());

    let replies = join_all(decisions.iter().map(|d| confirm(&app, &org, d))).await;
    for (status, body) in &replies {
        assert_eq!(*status, StatusCode::OK, "every first confirmation succeeds: {body}");
        assert_eq!(body["status"], "confirmed", "{body}");
    }

    let org_id = org.id.clone();
    let (keys, lists, creds) = with_db(&app, move |conn| {
        (
            kq::list(conn, Some(&org_id)).unwrap(),
            cq::list_status_lists(conn).unwrap().into_iter().filter(|l| l.organisation_id == org_id).count(),
            cq::list_in_org(conn, &org_id).unwrap(),
        )
    })
    .await;
    assert_eq!(keys.len(), 1, "the organisation's first key is made once: {keys:?}");
    assert_eq!(lists, 1, "and its status list once");
    assert!(creds.len() >= 8, "every confirmation issued: {}", creds.len());
    assert!(creds.iter().all(|c| c.key_id == keys[0].id), "all signed with that one key");
}

async fn concurrent_anonymous_status_list_reads_write_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Har Inget Utfärdat").await;
    let path = format!("/status/{}/revocation", org.id);
    let before = key_and_list_rows(&app).await;

    let replies = join_all((0..10).map(|_| app.call(reqwest::Method::GET, &path, None, None))).await;
    for r in &replies {
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "an organisation that issued nothing has no list: {:?}",
            r.body
        );
    }
    assert_eq!(key_and_list_rows(&app).await, before, "reading made no key and no list");

    // Once it has issued, every simultaneous read gets the same signed list, and none re-signs it.
    let d = submitted(&app, &org, "Första Kandidaten").await;
    assert_eq!(confirm(&app, &org, &d).await.0, StatusCode::OK);
    let before = key_and_list_rows(&app).await;
    let replies = join_all((0..10).map(|_| app.call(reqwest::Method::GET, &path, None, None))).await;
    for r in &replies {
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        assert_eq!(r.body, replies[0].body, "the same list for everyone");
    }
    assert_eq!(replies[0].body["type"][1], "BitstringStatusListCredential");
    assert_eq!(key_and_list_rows(&app).await, before, "reading changed no key and no list");
}

async fn a_revocation_and_a_suspension_of_one_certificate_have_one_winner_and_a_409(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Kapplöpning").await;
    let d = submitted(&app, &org, "Kandidat K").await;
    assert_eq!(confirm(&app, &org, &d).await.0, StatusCode::OK);
    let certs = certificates(&app, &org).await;
    assert!(certs.len() >= 2);

    // At the same time, on one certificate at one version.
    let (id, v) = (certs[0]["id"].as_str().unwrap(), certs[0]["version"].as_i64().unwrap());
    let (a, b) = tokio::join!(change(&app, &org, id, "revoke", v), change(&app, &org, id, "suspend", v));
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "{a:?} {b:?}");
    let loser = if a.0 == StatusCode::CONFLICT { &a.1 } else { &b.1 };
    assert_eq!(loser["type"].as_str().unwrap().rsplit('/').next(), Some("stale-version"), "{loser}");

    // The loser of a race that finished before it started: still the stale version it sent.
    let (id, v) = (certs[1]["id"].as_str().unwrap(), certs[1]["version"].as_i64().unwrap());
    assert_eq!(change(&app, &org, id, "revoke", v).await.0, StatusCode::OK);
    let (status, body) = change(&app, &org, id, "suspend", v).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["type"].as_str().unwrap().rsplit('/').next(), Some("stale-version"), "{body}");
    // At the current version the request itself is wrong: revocation is final.
    let (status, body) = change(&app, &org, id, "suspend", v + 1).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

async fn key_changes_and_status_changes_at_once_all_succeed_and_leave_one_active_key(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Nyckelbyte").await;
    for n in 1..=2 {
        let d = submitted(&app, &org, &format!("Kandidat N{n}")).await;
        assert_eq!(confirm(&app, &org, &d).await.0, StatusCode::OK);
    }
    let certs = certificates(&app, &org).await;
    assert!(certs.len() >= 3);
    let org_id = org.id.clone();
    let first = with_db(&app, move |conn| kq::find_active(conn, &org_id).unwrap().id).await;

    // Rotations, a compromise (which re-signs every certificate and the list) and revocations of
    // those same certificates take the organisation, the list and the certificates' rows: in
    // one order everywhere, so none deadlocks or fails.
    let rotations = join_all((0..3).map(|_| app.post("/api/keys/rotate", &org.admin.token, json!({}))));
    let compromise_path = format!("/api/keys/{first}/compromise");
    let compromise = app.post(
        &compromise_path,
        &org.admin.token,
        json!({"from": chrono::Utc::now().to_rfc3339(), "reason": "Prov: läckt nyckel"}),
    );
    let revocations =
        join_all(certs.iter().take(3).map(|c| {
            change(&app, &org, c["id"].as_str().unwrap(), "revoke", c["version"].as_i64().unwrap())
        }));
    let (rotated, compromised, revoked) = tokio::join!(rotations, compromise, revocations);
    for r in rotated {
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    }
    assert_eq!(compromised.status, StatusCode::OK, "{:?}", compromised.body);
    for (status, body) in revoked {
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    let org_id = org.id.clone();
    let keys = with_db(&app, move |conn| kq::list(conn, Some(&org_id)).unwrap()).await;
    // Three rotations, and one more key if the compromise came while its key was still active.
    assert!(matches!(keys.len(), 4 | 5), "{keys:?}");
    assert_eq!(keys.iter().filter(|k| k.retired_at.is_none()).count(), 1, "one active key");
}

both_backends!(
    eight_revocations_of_eight_certificates_all_succeed,
    eight_first_confirmations_in_a_new_organisation_all_succeed_with_one_key,
    concurrent_anonymous_status_list_reads_write_nothing,
    a_revocation_and_a_suspension_of_one_certificate_have_one_winner_and_a_409,
    key_changes_and_status_changes_at_once_all_succeed_and_leave_one_active_key,
);
