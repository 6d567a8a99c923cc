//! Signing in, tokens and one-time passwords.

use reqwest::Method;
use serde_json::json;

use crate::both_backends;
use crate::helpers::{Backend, spawn_app, spawn_app_with};

async fn a_wrong_password_or_unknown_email_is_401(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Inlogg").await;
    app.login(&org.assessor.email, "wrong").await.problem(401, "unauthenticated");
    app.login("nobody@nowhere.test", "wrong").await.problem(401, "unauthenticated");
    app.login(&org.assessor.email.to_uppercase(), &org.assessor.password).await.expect(200);
}

async fn requests_without_a_valid_token_are_401(backend: Backend) {
    let app = spawn_app(backend).await;
    app.call(Method::GET, "/api/candidates", None, None).await.problem(401, "unauthenticated");
    app.get("/api/candidates", "not.a.token").await.problem(401, "unauthenticated");
    // A token signed with another secret.
    let forged =
        validera::auth::TokenKeys::new(&secrecy::SecretString::from("other"), chrono::Duration::minutes(5));
    let (t, _) = forged.issue("someone", 0, chrono::Utc::now());
    app.get("/api/candidates", &t).await.problem(401, "unauthenticated");
}

async fn a_deactivated_user_is_locked_out_at_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Avstängd").await;
    app.get("/api/candidates", &org.assessor.token).await.expect(200);
    let u = app.get(&format!("/api/users/{}", org.assessor.id), &org.admin.token).await.expect(200);
    app.patch(
        &format!("/api/users/{}", org.assessor.id),
        &org.admin.token,
        json!({"version": u["version"], "active": false}),
    )
    .await
    .expect(200);
    app.get("/api/candidates", &org.assessor.token).await.problem(401, "unauthenticated");
    app.login(&org.assessor.email, &org.assessor.password).await.problem(401, "unauthenticated");
}

async fn an_admin_creates_a_user_who_must_change_the_one_time_password(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Nyanställd").await;
    let created = app.post("/api/users", &org.admin.token, json!({
        "email": "Ny.Bedomare@Example.test", "display_name": "Ny Bedömare", "roles": ["assessor"], "language": "fi"
    })).await.expect(201);
    assert_eq!(created["user"]["email"], "ny.bedomare@example.test");
    assert!(created["user"].get("password_hash").is_none());
    let otp = created["one_time_password"].as_str().unwrap();
    let t =
        app.login("ny.bedomare@example.test", otp).await.expect(200)["token"].as_str().unwrap().to_owned();
    app.get("/api/candidates", &t).await.problem(403, "password-change-required");
    app.post("/api/me/password", &t, json!({"current_password": otp, "new_password": "kort"}))
        .await
        .problem(422, "validation");
    let t = app
        .post(
            "/api/me/password",
            &t,
            json!({"current_password": otp, "new_password": "ett tillräckligt långt lösenord"}),
        )
        .await
        .expect(200)["token"]
        .as_str()
        .unwrap()
        .to_owned();
    app.get("/api/candidates", &t).await.expect(200);
    app.login("ny.bedomare@example.test", otp).await.problem(401, "unauthenticated");
    app.post(
        "/api/users",
        &org.admin.token,
        json!({"email": "NY.bedomare@example.test", "display_name": "X", "roles": ["assessor"]}),
    )
    .await
    .problem(409, "duplicate");
    app.post(
        "/api/users",
        &org.admin.token,
        json!({"email": "z@example.test", "display_name": "X", "roles": ["root"]}),
    )
    .await
    .problem(422, "validation");
}

async fn the_demo_creates_one_person_per_role_with_one_time_passwords(backend: Backend) {
    // Arrange
    let (app, demo) = spawn_app_with(backend, |s| s.demo = true).await;
    let demo = demo.expect("a fresh database gets the demo");

    // Act and assert: six accounts, each must change its password first.
    let roles: Vec<&str> = demo.accounts.iter().map(|(r, _, _)| *r).collect();
    assert_eq!(roles, ["admin", "assessor", "internal verifier", "panel member", "candidate", "candidate"]);
    for (_, email, otp) in &demo.accounts {
        assert_eq!(app.login(email, otp).await.expect(200)["password_change_required"], true);
    }
    let (_, email, otp) = &demo.accounts[1];
    let t = app.login(email, otp).await.expect(200)["token"].as_str().unwrap().to_owned();
    let t = app
        .post(
            "/api/me/password",
            &t,
            json!({"current_password": otp, "new_password": "bedömarens eget lösenord"}),
        )
        .await
        .expect(200)["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let candidates = app.get("/api/candidates", &t).await.expect(200);
    assert_eq!(candidates.as_array().unwrap().len(), 2);
    let frameworks = app.get("/api/frameworks", &t).await.expect(200);
    assert!(!frameworks.as_array().unwrap().is_empty());
}

/// Addresses stored before normalisation (here written straight into the table) are brought to
/// NFC and lower case by the start-up step, so their owners sign in however they type them; an
/// address whose normal form another account has is left for an administrator.
async fn stored_addresses_are_normalised_at_start_up(backend: Backend) {
    use validera::db::queries::users;
    use validera::service::accounts;
    let app = spawn_app(backend).await;
    let org = app.org("Normkommun").await;
    let nfc = "\u{e5}sa@normkommun.test";
    let old_form = "A\u{30a}SA@Normkommun.test";
    let asa = app.person(&org.id, nfc, &[validera::auth::Role::Assessor]).await;
    let twin = app.person(&org.id, "twin@normkommun.test", &[validera::auth::Role::Assessor]).await;
    let pool = app.pool.clone();
    let (a, t) = (asa.id.clone(), twin.id.clone());
    let changed = tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().unwrap();
        users::set_email(&mut conn, &a, old_form).unwrap();
        // Once normalised, this would be the same address as the one above was.
        users::set_email(&mut conn, &t, "\u{e5}sa@NORMKOMMUN.test").unwrap();
        let first = accounts::normalise_stored_emails(&mut conn).unwrap();
        let again = accounts::normalise_stored_emails(&mut conn).unwrap();
        (first, again)
    })
    .await
    .unwrap();
    // One of the two became `nfc`; the other is left as it was, and nothing changes a second time.
    assert_eq!(changed, (1, 0));
    let listed = app.get("/api/users", &org.admin.token).await.expect(200);
    let stored: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["id"] == asa.id || u["id"] == twin.id)
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert_eq!(stored.iter().filter(|e| **e == nfc).count(), 1, "{stored:?}");
    assert!(stored.contains(&old_form) || stored.contains(&"\u{e5}sa@NORMKOMMUN.test"), "{stored:?}");
    app.login(old_form, &asa.password).await.expect(200);
}

both_backends!(
    stored_addresses_are_normalised_at_start_up,
    the_demo_creates_one_person_per_role_with_one_time_passwords,
    a_wrong_password_or_unknown_email_is_401,
    requests_without_a_valid_token_are_401,
    a_deactivated_user_is_locked_out_at_once,
    an_admin_creates_a_user_who_must_change_the_one_time_password,
);
