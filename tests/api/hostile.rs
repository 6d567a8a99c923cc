//! The public verifier under attack: each class of hostile input is refused with a problem that
//! names the bound it broke, within a bounded time, while `/healthz` keeps answering.

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{Backend, Reply, TestApp, spawn_app, spawn_app_with};

/// A credential as validera issues it (signed with a test key this app does not know).
fn credential() -> Value {
    serde_json::from_str(include_str!("../../src/credential/testdata/achievement.signed.json")).unwrap()
}

async fn post_verify(app: &TestApp, body: Vec<u8>, content_type: &str) -> (Reply, Option<String>) {
    let resp = app
        .client
        .post(format!("{}/api/verify", app.address))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("request sent");
    let retry = resp.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
    (TestApp::reply(resp).await, retry)
}

/// What `/healthz` did while the attack ran.
struct Health {
    answers: usize,
    slowest: Duration,
}

/// Runs `attack` while polling `/healthz` every 20 ms; returns the attack's result, how long
/// it took, and how health checks fared meanwhile. Every health check must answer 200.
async fn under_attack<T>(app: &TestApp, attack: impl Future<Output = T>) -> (T, Duration, Health) {
    let done = std::sync::atomic::AtomicBool::new(false);
    let probe = async {
        let mut h = Health { answers: 0, slowest: Duration::ZERO };
        while !done.load(std::sync::atomic::Ordering::SeqCst) {
            let t = Instant::now();
            let resp = app.client.get(format!("{}/healthz", app.address)).send().await.expect("healthz");
            assert_eq!(resp.status(), 200, "/healthz must keep answering during an attack");
            h.slowest = h.slowest.max(t.elapsed());
            h.answers += 1;
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        h
    };
    let attack = async {
        let t = Instant::now();
        let out = attack.await;
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        (out, t.elapsed())
    };
    let ((out, took), health) = tokio::join!(attack, probe);
    (out, took, health)
}

/// Ceilings far above what the work costs in a debug build, and far below "hangs".
const ATTACK_CEILING: Duration = Duration::from_secs(20);
const HEALTH_CEILING: Duration = Duration::from_secs(1);

#[track_caller]
fn assert_bounded(took: Duration, health: &Health) {
    assert!(took < ATTACK_CEILING, "the attack took {took:?}");
    assert!(health.answers >= 1, "no health check ran");
    assert!(health.slowest < HEALTH_CEILING, "/healthz took {:?} during the attack", health.slowest);
}

/// Sends `copies` of `body` at once and asserts each is refused as `slug` naming `limit`, or
/// turned away as busy.
async fn refused_at_once(app: &TestApp, body: Vec<u8>, copies: usize, status: u16, slug: &str, limit: &str) {
    let attack = join_all((0..copies).map(|_| post_verify(app, body.clone(), "application/json")));
    let (replies, took, health) = under_attack(app, attack).await;
    let mut named = 0;
    for (reply, retry) in replies {
        // More copies than the pool has slots: the rest are turned away before any parsing.
        if reply.status == 503 {
            reply.problem(503, "busy");
            assert!(retry.is_some(), "503 without Retry-After");
            continue;
        }
        let p = reply.problem(status, slug);
        assert!(p["detail"].as_str().unwrap().contains(limit), "{p:#}");
        named += 1;
    }
    assert!(named >= 1, "no copy was refused for its {limit}");
    assert_bounded(took, &health);
}

async fn a_huge_credential_is_refused_before_any_canonicalization(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut c = credential();
    // 12,000 JSON values in 120 KB: within the bound on bytes, over the one on values.
    c["evidence"] = Value::Array(vec![json!({"type": "Evidence"}); 6_000]);
    refused_at_once(&app, serde_json::to_vec(&c).unwrap(), 8, 422, "too-complex", "max-nodes").await;
}

async fn many_proofs_deep_nesting_and_oversize_bodies_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut c = credential();
    let proof = c["proof"][0].clone();
    c["proof"] = Value::Array(vec![proof; 50]);
    refused_at_once(&app, serde_json::to_vec(&c).unwrap(), 8, 422, "too-complex", "max-proofs").await;

    let mut deep = credential();
    deep["credentialSubject"]["narrative"] =
        serde_json::from_str(&("[".repeat(60) + &"]".repeat(60))).unwrap();
    refused_at_once(&app, serde_json::to_vec(&deep).unwrap(), 8, 422, "too-complex", "max-depth").await;

    // Deeper than any JSON parser's own recursion limit.
    let abyss = format!("{{\"a\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    refused_at_once(&app, abyss.into_bytes(), 4, 422, "too-complex", "max-depth").await;

    let (reply, _) = post_verify(&app, vec![b' '; 3 * 1024 * 1024], "application/json").await;
    reply.problem(413, "payload-too-large");

    // The employer's form says so in words, and keeps the text.
    let b = app.browser();
    b.get("/check?lang=en").await.expect(200);
    let text = serde_json::to_string(&c).unwrap();
    let page = b.post_multipart("/check", |f| f.text("text", text)).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("more deeply nested than any certificate"), "{}", page.body);
}

/// A certificate this app issued, so that its signature is really checked (canonicalized).
async fn issued(app: &TestApp) -> Value {
    let org = app.org("Attackens mål").await;
    let (_, certs) = crate::certificates::certified(app, &org).await;
    let id = certs[0]["id"].as_str().unwrap();
    let resp = app
        .client
        .get(format!("{}/v/{id}", app.address))
        .header("accept", "application/ld+json")
        .send()
        .await
        .unwrap();
    serde_json::from_str(&resp.text().await.unwrap()).unwrap()
}

async fn a_credential_that_expands_to_too_many_quads_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut c = issued(&app).await;
    // Within the bound on JSON values, but each entry becomes several statements.
    let entry = json!({"type": ["Evidence"], "name": "Arbetsprov", "narrative": "Visat i arbete"});
    c["evidence"] = Value::Array(vec![entry; 1_800]);
    refused_at_once(&app, serde_json::to_vec(&c).unwrap(), 2, 422, "too-complex", "max-quads").await;
}

/// Distinct alterations of `genuine` (each with another name), so each is canonicalized and
/// nothing is answered from a cache.
fn distinct_forgeries(genuine: &Value, n: usize) -> Vec<Vec<u8>> {
    (0..n)
        .map(|i| {
            let mut c = genuine.clone();
            c["credentialSubject"]["achievement"]["name"] = json!(format!("Förfalskning {i}"));
            serde_json::to_vec(&c).unwrap()
        })
        .collect()
}

async fn a_full_verifier_answers_503_with_retry_after_and_recovers(backend: Backend) {
    let (app, _) = spawn_app_with(backend, |s| {
        s.verify_pool.threads = 1;
        s.verify_pool.queue = 0;
    })
    .await;
    let genuine = issued(&app).await;
    let attack = join_all(
        distinct_forgeries(&genuine, 16).into_iter().map(|b| post_verify(&app, b, "application/json")),
    );
    let (replies, took, health) = under_attack(&app, attack).await;
    let (mut served, mut busy) = (0, 0);
    for (reply, retry) in replies {
        if reply.status == 503 {
            reply.problem(503, "busy");
            assert!(retry.is_some_and(|s| s.parse::<u64>().is_ok_and(|s| s >= 1)), "503 without Retry-After");
            busy += 1;
        } else {
            assert_eq!(reply.expect(200)["outcome"], "forged");
            served += 1;
        }
    }
    assert!(busy >= 1, "16 checks at once through one slot: some must be refused");
    assert!(served >= 1, "the slot must serve while refusing the rest");
    assert_bounded(took, &health);
    // Once the burst is over, the verifier serves again.
    let (reply, _) =
        post_verify(&app, distinct_forgeries(&genuine, 17).pop().unwrap(), "application/json").await;
    assert_eq!(reply.expect(200)["outcome"], "forged");
}

async fn a_check_over_its_time_budget_is_answered_503(backend: Backend) {
    let (app, _) = spawn_app_with(backend, |s| s.verify_pool.budget = Duration::from_millis(1)).await;
    let genuine = issued(&app).await;
    let (reply, retry) =
        post_verify(&app, distinct_forgeries(&genuine, 1).pop().unwrap(), "application/json").await;
    let p = reply.problem(503, "busy");
    assert!(p["detail"].as_str().unwrap().contains("longer"), "{p:#}");
    assert!(retry.is_some());
    assert_eq!(app.client.get(format!("{}/healthz", app.address)).send().await.unwrap().status(), 200);
}

both_backends!(
    a_huge_credential_is_refused_before_any_canonicalization,
    many_proofs_deep_nesting_and_oversize_bodies_are_refused,
    a_credential_that_expands_to_too_many_quads_is_refused,
    a_full_verifier_answers_503_with_retry_after_and_recovers,
    a_check_over_its_time_budget_is_answered_503,
);
