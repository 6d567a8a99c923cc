//! Two instances over one database: what an administrator changes through one shows on the
//! other's public verification within a second, although each caches keys, status bits and
//! credential rows (`service::trust_cache`).

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::both_backends;
use crate::certificates::certify;
use crate::helpers::{Backend, Org, TestApp, spawn_app};

/// `GET /v/{id}` as JSON.
async fn check(app: &TestApp, id: &str) -> Value {
    let resp = app
        .client
        .get(format!("{}/v/{id}", app.address))
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    TestApp::reply(resp).await.expect(200)
}

/// Asks `app` about `id` until its outcome is `outcome`, for at most one second; returns the
/// last report. A correctness bound (every instance sees a change within a second), not a
/// measurement of speed.
async fn within_a_second(app: &TestApp, id: &str, outcome: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(1);
    loop {
        let report = check(app, id).await;
        if report["outcome"] == outcome || Instant::now() >= deadline {
            return report;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Asserts that the change just made through `a` shows at once on `a` and within a second on
/// `b`.
async fn seen(a: &TestApp, b: &TestApp, id: &str, outcome: &str, what: &str) -> Value {
    let here = check(a, id).await;
    assert_eq!(here["outcome"], outcome, "{what}, on the instance that made it: {here:#}");
    let there = within_a_second(b, id, outcome).await;
    assert_eq!(there["outcome"], outcome, "{what}, on the other instance within 1 s: {there:#}");
    there
}

/// Certifies a new candidate `name`; returns the ids of the certificates issued to them.
async fn new_certificates(app: &TestApp, org: &Org, name: &str) -> Vec<String> {
    let ids = |v: Value| -> Vec<String> {
        v.as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect()
    };
    let before = ids(app.get("/api/certificates", &org.admin.token).await.expect(200));
    let (cand, otp, email) = app.candidate(org, name).await;
    certify(app, org, &cand, &email, &otp).await;
    let after = ids(app.get("/api/certificates", &org.admin.token).await.expect(200));
    after.into_iter().filter(|id| !before.contains(id)).collect()
}

/// Suspends, reinstates or revokes `id` through `app`; returns its new version.
async fn change(app: &TestApp, org: &Org, id: &str, action: &str, version: Value) -> Value {
    let path = format!("/api/certificates/{id}/{action}");
    let body = json!({"version": version, "reason": format!("Prov: {action}")});
    app.post(&path, &org.admin.token, body).await.expect(200)["version"].clone()
}

async fn status_key_changes_on_one_instance_show_on_another_within_a_second(backend: Backend) {
    // Arrange: B has checked the certificate (twice: the second answer comes from its caches).
    let a = spawn_app(backend).await;
    let b = a.second_instance().await;
    let org = a.org("Två instanser").await;
    let first = new_certificates(&a, &org, "Ella Åkesson").await;
    let id = first[0].as_str();
    let admin = &org.admin.token;
    for _ in 0..2 {
        assert_eq!(check(&b, id).await["outcome"], "genuine");
    }
    // Act & assert: suspension and reinstatement
    let v = change(&a, &org, id, "suspend", json!(1)).await;
    let report = seen(&a, &b, id, "suspended", "suspension").await;
    assert_eq!(report["status_reason"], "Prov: suspend");
    let v = change(&a, &org, id, "reinstate", v).await;
    seen(&a, &b, id, "genuine", "reinstatement").await;

    // Act & assert: rotation. B has the organisation's keys cached from before; a certificate
    // signed with the new key must verify there too.
    let keys = a.post("/api/keys/rotate", admin, json!({})).await.expect(201);
    let active = keys.as_array().unwrap().iter().find(|k| k["status"] == "active").expect("an active key");
    let kid = active["kid"].as_str().unwrap().to_owned();
    let second = new_certificates(&a, &org, "Niila Ŋuvttoš").await;
    let report = seen(&a, &b, &second[0], "genuine", "a certificate signed after rotation").await;
    assert!(report.to_string().contains(&format!("#{kid}")), "signed with the new key: {report:#}");

    // Act & assert: compromise of the new key from the second certificate's issue on, so that
    // certificate is now untrusted, while the first (another key) stays genuine.
    let credential: Value =
        serde_json::from_slice(&a.bytes(&format!("/v/{}/credential.json", second[0]), None).await).unwrap();
    a.post(
        &format!("/api/keys/{kid}/compromise"),
        admin,
        json!({"from": credential["validFrom"], "reason": "Nyckeln läckte"}),
    )
    .await
    .expect(200);
    seen(&a, &b, &second[0], "key-compromised", "compromise").await;
    assert_eq!(check(&b, id).await["outcome"], "genuine", "another key's certificate is unaffected");

    // Act & assert: revocation
    change(&a, &org, id, "revoke", v).await;
    let report = seen(&a, &b, id, "revoked", "revocation").await;
    assert_eq!(report["status_reason"], "Prov: revoke");
}

both_backends!(status_key_changes_on_one_instance_show_on_another_within_a_second);
