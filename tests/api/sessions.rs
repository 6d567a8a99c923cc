//! Sessions end when they should (a password change by either route, deactivation, a role
//! change), and sign-ins are slowed per e-mail and counted against the real client address.

use diesel::prelude::*;
use reqwest::Method;
use serde_json::json;
use validera::db::queries::sign_in_failures;
use validera::db::schema::sign_in_failures::dsl as f;

use crate::both_backends;
use crate::helpers::{Backend, TestApp, spawn_app, spawn_app_with};

/// Signs in through the API from a client claiming `forwarded_for`; returns the status and the
/// `Retry-After` header, if any.
async fn login_via(
    app: &TestApp,
    email: &str,
    password: &str,
    forwarded_for: Option<&str>,
) -> (u16, Option<u64>) {
    let mut req = app
        .client
        .request(Method::POST, format!("{}/api/auth/login", app.address))
        .json(&json!({"email": email, "password": password}));
    if let Some(xff) = forwarded_for {
        req = req.header("X-Forwarded-For", xff);
    }
    let resp = req.send().await.unwrap();
    let retry = resp.headers().get("retry-after").map(|v| v.to_str().unwrap().parse().unwrap());
    (resp.status().as_u16(), retry)
}

/// The recorded failures of `email`: (address, cleared), oldest first.
async fn failures(app: &TestApp, email: &str) -> Vec<(String, bool)> {
    let (pool, email) = (app.pool.clone(), email.to_owned());
    tokio::task::spawn_blocking(move || {
        let rows = sign_in_failures::list_for(&mut pool.get().unwrap(), &email).unwrap();
        rows.into_iter().map(|r| (r.address, r.cleared)).collect()
    })
    .await
    .unwrap()
}

/// Lets `secs` seconds pass for `email`'s recorded failures, by moving them into the past: the
/// delays are real seconds, and a test should not sleep through a minute of them.
async fn let_pass(app: &TestApp, email: &str, secs: u64) {
    let (pool, email) = (app.pool.clone(), email.to_owned());
    tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().unwrap();
        for row in sign_in_failures::list_for(&mut conn, &email).unwrap() {
            diesel::update(f::sign_in_failures.find(&row.id))
                .set(f::failed_at.eq(row.failed_at - chrono::Duration::seconds(secs as i64)))
                .execute(&mut *conn)
                .unwrap();
        }
    })
    .await
    .unwrap()
}

async fn a_password_change_through_the_api_ends_every_other_token_and_session(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Byte Org").await;
    let a = &org.assessor;
    let browser = app.browser_as(a).await;
    browser.get("/assessor").await.expect(200);
    let second = app.login(&a.email, &a.password).await.expect(200)["token"].as_str().unwrap().to_owned();
    let new = "ett helt nytt lösenord";
    // No sleep: the change falls in the same second as the tokens it must end.
    let changed = app
        .post("/api/me/password", &second, json!({"current_password": a.password, "new_password": new}))
        .await
        .expect(200);
    assert_eq!(changed["token_type"], "Bearer");
    assert_eq!(changed["password_change_required"], false);
    let fresh = changed["token"].as_str().unwrap();
    // The caller carries on with the fresh token; its old one, the other token and the page
    // session are over.
    app.get("/api/candidates", fresh).await.expect(200);
    app.get("/api/candidates", &second).await.problem(401, "unauthenticated");
    app.get("/api/candidates", &a.token).await.problem(401, "unauthenticated");
    assert!(browser.get("/assessor").await.redirected().starts_with("/signin"));
    // Someone else's tokens are untouched.
    app.get("/api/candidates", &org.assessor2.token).await.expect(200);
    app.login(&a.email, &a.password).await.problem(401, "unauthenticated");
    app.login(&a.email, new).await.expect(200);
    // The contract says so.
    let doc = app.call(Method::GET, "/openapi.json", None, None).await.expect(200);
    let responses = &doc["paths"]["/api/me/password"]["post"]["responses"];
    assert!(
        responses["200"]["content"]["application/json"]["schema"]["$ref"]
            .as_str()
            .is_some_and(|r| r.ends_with("/TokenResponse"))
    );
    assert!(responses.get("204").is_none());
}

async fn deactivation_and_a_role_change_end_tokens_for_good(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Roll Org").await;
    let admin = &org.admin.token;
    // A role change: the old token ends at once; signing in again gives the new roles.
    let u = app.get(&format!("/api/users/{}", org.assessor.id), admin).await.expect(200);
    app.patch(
        &format!("/api/users/{}", org.assessor.id),
        admin,
        json!({"version": u["version"], "roles": ["assessor", "verifier"]}),
    )
    .await
    .expect(200);
    app.get("/api/candidates", &org.assessor.token).await.problem(401, "unauthenticated");
    let t = app.login(&org.assessor.email, &org.assessor.password).await.expect(200)["token"].clone();
    app.get("/api/decisions", t.as_str().unwrap()).await.expect(200);
    // A name change alone ends nothing.
    let u = app.get(&format!("/api/users/{}", org.assessor2.id), admin).await.expect(200);
    app.patch(
        &format!("/api/users/{}", org.assessor2.id),
        admin,
        json!({"version": u["version"], "display_name": "Nytt Namn"}),
    )
    .await
    .expect(200);
    app.get("/api/candidates", &org.assessor2.token).await.expect(200);
    // Deactivated and reactivated: the token from before stays dead.
    let v = &org.verifier;
    let browser = app.browser_as(v).await;
    for active in [false, true] {
        let u = app.get(&format!("/api/users/{}", v.id), admin).await.expect(200);
        app.patch(&format!("/api/users/{}", v.id), admin, json!({"version": u["version"], "active": active}))
            .await
            .expect(200);
    }
    app.get("/api/decisions", &v.token).await.problem(401, "unauthenticated");
    assert!(browser.get("/verifier").await.redirected().starts_with("/signin"));
    app.login(&v.email, &v.password).await.expect(200);
    // The administrator who made the changes carries on.
    app.get("/api/users", admin).await.expect(200);
}

async fn wrong_passwords_earn_a_growing_capped_wait_and_then_the_right_one_works(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Gissa Org").await;
    let a = &org.assessor;
    // Five failures cost nothing but the answer.
    for _ in 0..5 {
        assert_eq!(login_via(&app, &a.email, "fel lösenord", None).await, (401, None));
    }
    let mut waits = Vec::new();
    for _ in 0..5 {
        let (status, wait) = login_via(&app, &a.email, "fel lösenord", None).await;
        assert_eq!(status, 429);
        let wait = wait.expect("a 429 says how long to wait");
        waits.push(wait);
        let_pass(&app, &a.email, wait).await;
        assert_eq!(login_via(&app, &a.email, "fel lösenord", None).await, (401, None));
    }
    // Ten failures now; the doubling has reached the cap.
    let (status, wait) = login_via(&app, &a.email, &a.password, None).await;
    assert_eq!(status, 429, "while waiting, even the right password is not checked");
    waits.push(wait.unwrap());
    assert_eq!(waits, [1, 2, 4, 8, 16, 30]);
    let problem = app.login(&a.email, &a.password).await.problem(429, "sign-in-delayed");
    assert!(problem["detail"].as_str().unwrap().contains("try again"));
    // The form answers the same way, in the visitor's language.
    let page = app.browser().sign_in(&a.email.to_uppercase(), &a.password).await;
    assert!(page.expect(429).contains("För många misslyckade inloggningar"), "{}", page.body);
    let_pass(&app, &a.email, 30).await;
    app.login(&a.email, &a.password).await.expect(200);
    // Each failure is on record, from this address; the success stopped them counting.
    let recorded = failures(&app, &a.email).await;
    assert_eq!(recorded.len(), 10);
    assert!(recorded.iter().all(|(addr, cleared)| addr == "127.0.0.1" && *cleared), "{recorded:?}");
    assert_eq!(login_via(&app, &a.email, "fel lösenord", None).await, (401, None));
}

async fn guesses_sent_all_at_once_get_one_check_between_them(backend: Backend) {
    let app = spawn_app(backend).await;
    let email = "parallell@gissa.test";
    for _ in 0..5 {
        assert_eq!(login_via(&app, email, "fel", None).await.0, 401);
    }
    let_pass(&app, email, 1).await;
    let guesses = (0..8).map(|i| {
        let app = &app;
        async move { login_via(app, email, &format!("gissning {i}"), None).await.0 }
    });
    let mut statuses = futures_util::future::join_all(guesses).await;
    statuses.sort_unstable();
    assert_eq!(statuses, [401, 429, 429, 429, 429, 429, 429, 429]);
    assert_eq!(failures(&app, email).await.len(), 6);
    // Requests this quick rarely collide inside the counting transaction; when two do, the
    // attempt number they both took lets only one be recorded.
    let pool = app.pool.clone();
    let second = tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().unwrap();
        let mut row = |id: &str| validera::db::models::SignInFailure {
            id: id.to_owned(),
            email: email.to_owned(),
            seq: sign_in_failures::next_seq(&mut conn, email).unwrap(),
            address: "192.0.2.1".to_owned(),
            failed_at: chrono::Utc::now().naive_utc(),
            cleared: false,
        };
        let (a, b) = (row("a"), row("b"));
        sign_in_failures::insert(&mut conn, &a).unwrap();
        sign_in_failures::insert(&mut conn, &b)
    })
    .await
    .unwrap();
    assert!(matches!(second, Err(validera::db::DbError::Duplicate(_))), "{second:?}");
}

async fn an_unknown_email_is_slowed_exactly_like_a_known_one(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Okänd Org").await;
    let mut answers: Vec<Vec<(u16, Option<u64>)>> = Vec::new();
    for email in [org.assessor.email.as_str(), "ingen.alls@okand.test"] {
        let mut seen = Vec::new();
        for _ in 0..7 {
            seen.push(login_via(&app, email, "fel lösenord", None).await);
        }
        let_pass(&app, email, 1).await;
        seen.push(login_via(&app, email, "fel lösenord", None).await);
        seen.push(login_via(&app, email, "fel lösenord", None).await);
        answers.push(seen);
    }
    assert_eq!(answers[0], answers[1], "the answers do not tell which e-mail has an account");
    assert_eq!(answers[0][5], (429, Some(1)));
    assert_eq!(answers[0][8], (429, Some(2)));
    assert_eq!(failures(&app, "ingen.alls@okand.test").await.len(), 6);
}

async fn x_forwarded_for_counts_only_from_a_trusted_peer(backend: Backend) {
    let (trusting, _) = spawn_app_with(backend, |s| {
        s.trusted_proxies = vec![validera::http::client_ip::parse_cidr("127.0.0.1/32").unwrap()];
        s.public_rate = 1;
        s.public_burst = 2;
    })
    .await;
    let (plain, _) = spawn_app_with(backend, |s| {
        s.public_rate = 1;
        s.public_burst = 2;
    })
    .await;
    // Sign-in records: the client behind the trusted proxy, or the peer when it is not trusted.
    let xff = "203.0.113.5, 198.51.100.7";
    assert_eq!(login_via(&trusting, "vem@proxy.test", "fel", Some(xff)).await.0, 401);
    assert_eq!(login_via(&plain, "vem@proxy.test", "fel", Some(xff)).await.0, 401);
    assert_eq!(failures(&trusting, "vem@proxy.test").await, [("198.51.100.7".to_owned(), false)]);
    assert_eq!(failures(&plain, "vem@proxy.test").await, [("127.0.0.1".to_owned(), false)]);
    // The rate limit: behind the trusted proxy each client has its own bucket; elsewhere a
    // forged header buys nothing.
    for (app, other_client_limited) in [(&trusting, false), (&plain, true)] {
        let statuses = public_burst(app, "198.51.100.8").await;
        assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
        let other = public_burst(app, "198.51.100.9").await;
        assert_eq!(other[0] == 429, other_client_limited, "{other:?}");
    }
}

/// Three quick public requests from `client` (as the proxy says); their statuses.
async fn public_burst(app: &TestApp, client: &str) -> Vec<u16> {
    let mut out = Vec::new();
    for _ in 0..3 {
        let resp = app
            .client
            .get(format!("{}/.well-known/jwks.json", app.address))
            .header("X-Forwarded-For", client)
            .send()
            .await
            .unwrap();
        out.push(resp.status().as_u16());
    }
    out
}

both_backends!(
    a_password_change_through_the_api_ends_every_other_token_and_session,
    deactivation_and_a_role_change_end_tokens_for_good,
    wrong_passwords_earn_a_growing_capped_wait_and_then_the_right_one_works,
    an_unknown_email_is_slowed_exactly_like_a_known_one,
    guesses_sent_all_at_once_get_one_check_between_them,
    x_forwarded_for_counts_only_from_a_trusted_peer,
);
