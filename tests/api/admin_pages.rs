//! The administrator's pages: people and roles, frameworks, signing keys and certificates.

use serde_json::{Value, json};

use crate::both_backends;
use crate::certificates::certified;
use crate::helpers::{Backend, TestApp, spawn_app};

const SOURCE: &str = include_str!("fixtures/frameworks/test-skills.toml");

/// The value of the attribute `attr` of the element with `id`.
fn attr_of(body: &str, id: &str, attr: &str) -> String {
    let at = body.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id} in {body}"));
    let start = body[..at].rfind('<').unwrap();
    let tag = &body[start..start + body[start..].find('>').unwrap()];
    let key = format!("{attr}=\"");
    let v = &tag[tag.find(&key).unwrap_or_else(|| panic!("no {attr} in {tag}")) + key.len()..];
    v[..v.find('"').unwrap()].to_owned()
}

/// Text as askama escapes it in HTML.
fn escaped(s: &str) -> String {
    s.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

async fn public_report(app: &TestApp, id: &str) -> Value {
    let resp = app
        .client
        .get(format!("{}/v/{id}", app.address))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    resp.json().await.unwrap()
}

async fn an_admin_adds_a_person_who_signs_in_with_the_one_time_password(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Admin Org").await;
    let b = app.browser_as(&org.admin).await;
    let form = b.get("/admin/users/new").await;
    assert!(form.expect(200).contains("<legend>Roller</legend>"));
    // No role chosen: refused next to the roles, the input kept, nothing created.
    let bad = b
        .post_form(
            "/admin/users/new",
            &[("email", "ny@admin.test"), ("display_name", "Nina Ny"), ("language", "fi")],
        )
        .await;
    let body = bad.expect(422);
    assert!(body.contains("id=\"roles-error\""), "{body}");
    assert!(body.contains("value=\"ny@admin.test\"") && body.contains("value=\"Nina Ny\""));
    assert_eq!(app.login("ny@admin.test", "whatever").await.status, 401);
    let created = b
        .post_form(
            "/admin/users/new",
            &[
                ("email", "ny@admin.test"),
                ("display_name", "Nina Ny"),
                ("roles", "assessor"),
                ("roles", "verifier"),
                ("language", "fi"),
            ],
        )
        .await;
    let body = created.expect(201);
    let otp =
        body.split("<code id=\"one-time-password\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    assert!(otp.len() >= 12, "{otp}");
    assert!(body.contains("id=\"to-user\""));
    // The shown password signs in, and must be replaced first.
    let login = app.login("ny@admin.test", &otp).await.expect(200);
    assert!(login["token"].is_string());
    let users = app.get("/api/users", &org.admin.token).await.expect(200);
    let u = users.as_array().unwrap().iter().find(|u| u["email"] == "ny@admin.test").unwrap().clone();
    assert_eq!(u["roles"], json!(["assessor", "verifier"]));
    assert_eq!(u["language"], "fi");
    assert_eq!(u["must_change_password"], true);
    // The list shows the person with the roles in words.
    let list = b.get("/admin/users").await;
    let body = list.expect(200);
    assert!(body.contains("Nina Ny") && body.contains("bedömare, intern kvalitetssäkrare"), "{body}");
    // The same e-mail again: refused next to the field.
    let again = b
        .post_form(
            "/admin/users/new",
            &[
                ("email", "NY@admin.test"),
                ("display_name", "Nina Två"),
                ("roles", "assessor"),
                ("language", "sv"),
            ],
        )
        .await;
    assert!(again.expect(422).contains("id=\"email-error\""));
}

async fn a_stale_edit_of_a_person_is_a_conflict_and_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Admin Org").await;
    let id = org.assessor.id.clone();
    let b = app.browser_as(&org.admin).await;
    let page = b.get(&format!("/admin/users/{id}")).await;
    assert_eq!(attr_of(page.expect(200), "edit-user", "action"), format!("/admin/users/{id}"));
    let version =
        page.body.split("name=\"version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    // Someone else renames the person through the API meanwhile.
    app.patch(
        &format!("/api/users/{id}"),
        &org.admin.token,
        json!({"version": version.parse::<i64>().unwrap(), "display_name": "Ändrad Av Annan"}),
    )
    .await
    .expect(200);
    let stale = b
        .post_form(
            &format!("/admin/users/{id}"),
            &[
                ("version", &version),
                ("display_name", "Mitt Namn"),
                ("roles", "assessor"),
                ("language", "en"),
                ("active", "true"),
            ],
        )
        .await;
    assert_eq!(stale.status, 409, "{}", stale.body);
    let u = app.get(&format!("/api/users/{id}"), &org.admin.token).await.expect(200);
    assert_eq!(u["display_name"], "Ändrad Av Annan");
    assert_eq!(u["language"], "sv");
    // With the current version the change is saved.
    let page = b.get(&format!("/admin/users/{id}")).await;
    let version =
        page.body.split("name=\"version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let saved = b
        .post_form(
            &format!("/admin/users/{id}"),
            &[
                ("version", &version),
                ("display_name", "Mitt Namn"),
                ("roles", "assessor"),
                ("roles", "verifier"),
                ("language", "en"),
            ],
        )
        .await;
    assert_eq!(saved.redirected(), format!("/admin/users/{id}?done=admin-user-saved"));
    let u = app.get(&format!("/api/users/{id}"), &org.admin.token).await.expect(200);
    assert_eq!(u["display_name"], "Mitt Namn");
    assert_eq!(u["roles"], json!(["assessor", "verifier"]));
    assert_eq!(u["active"], false, "an unticked box deactivates");
    // An administrator cannot take away their own administrator role.
    let me = org.admin.id.clone();
    let page = b.get(&format!("/admin/users/{me}")).await;
    let version =
        page.body.split("name=\"version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let refused = b
        .post_form(
            &format!("/admin/users/{me}"),
            &[
                ("version", &version),
                ("display_name", "Admin"),
                ("roles", "assessor"),
                ("language", "sv"),
                ("active", "true"),
            ],
        )
        .await;
    assert!(refused.expect(422).contains("id=\"roles-error\""));
    let u = app.get(&format!("/api/users/{me}"), &org.admin.token).await.expect(200);
    assert_eq!(u["roles"], json!(["admin"]));
}

async fn a_framework_upload_shows_every_diagnostic_and_a_valid_one_is_stored(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Ramverk Org").await;
    let b = app.browser_as(&org.admin).await;
    b.get("/admin/frameworks/upload").await.expect(200);
    let broken = SOURCE
        .replace("id = \"test-skills\"", "id = \"egna-skills\"")
        .replace("version = \"2026.1\"", "version = \"2026.3\"")
        .replace("credits = 6", "credits = 0")
        .replace("methods = [\"practical\"]", "methods = []");
    let expected = validera::engine::load::parse("upload.toml", &broken).unwrap_err();
    assert!(expected.len() >= 2);
    let page = b.post_multipart("/admin/frameworks/upload", |f| f.text("source", broken.clone())).await;
    let body = page.expect(422);
    assert!(body.contains("<pre class=\"diagnostics\""), "{body}");
    for d in &expected {
        assert!(d.line > 0);
        assert!(body.contains(&escaped(&d.to_string())), "missing {d} in {body}");
    }
    assert!(body.contains(&escaped(&broken)), "the text is kept");
    let list = app.get("/api/frameworks", &org.admin.token).await.expect(200);
    assert!(list.as_array().unwrap().iter().all(|f| f["id"] != "egna-skills"));
    // A file upload reports under the file's own name.
    let part = reqwest::multipart::Part::bytes(broken.clone().into_bytes()).file_name("mitt-ramverk.toml");
    let page = b.post_multipart("/admin/frameworks/upload", |f| f.part("file", part)).await;
    assert!(page.expect(422).contains("mitt-ramverk.toml:"), "{}", page.body);
    // A valid one goes to its preview and appears in the API.
    let good = SOURCE
        .replace("id = \"test-skills\"", "id = \"egna-skills\"")
        .replace("version = \"2026.1\"", "version = \"2026.3\"");
    let part = reqwest::multipart::Part::bytes(good.into_bytes()).file_name("egna.toml");
    let done =
        b.post_multipart("/admin/frameworks/upload", |f| f.text("source", "").part("file", part)).await;
    assert_eq!(done.redirected(), "/admin/frameworks/egna-skills/2026.3?done=admin-framework-uploaded");
    let list = app.get("/api/frameworks", &org.admin.token).await.expect(200);
    let mine = list.as_array().unwrap().iter().find(|f| f["id"] == "egna-skills").expect("listed").clone();
    assert_eq!(mine["shipped"], false);
    // The same version again with other content is a conflict, said in the page's words.
    let changed = SOURCE
        .replace("id = \"test-skills\"", "id = \"egna-skills\"")
        .replace("version = \"2026.1\"", "version = \"2026.3\"")
        .replace("credits = 6", "credits = 7");
    let page = b.post_multipart("/admin/frameworks/upload", |f| f.text("source", changed)).await;
    assert!(
        page.expect(409).contains("Den här versionen finns redan med ett annat innehåll"),
        "{}",
        page.body
    );
    let preview = b.open("/admin/frameworks/egna-skills/2026.3?done=admin-framework-uploaded").await;
    let body = preview.expect(200);
    assert!(body.contains("p class=\"flash\" role=\"status\""));
    assert!(body.contains("data-unit=\"DBS-01\"") && body.contains("data-qualification=\"DBS\""));
    assert!(body.contains("Obligatoriska enheter:"), "{body}");
    assert!(body.contains("praktiskt prov"), "methods in words");
    // The list shows both the shipped framework and the own one.
    let list = b.get("/admin/frameworks").await;
    let body = list.expect(200);
    assert!(
        body.contains("data-framework=\"test-skills@2026.1\"")
            && body.contains("data-framework=\"egna-skills@2026.3\"")
    );
    // Another organisation does not see it.
    let other = app.org("Annan Org").await;
    let ob = app.browser_as(&other.admin).await;
    assert_eq!(ob.get("/admin/frameworks/egna-skills/2026.3").await.status, 404);
}

async fn rotating_the_key_on_the_page_makes_a_new_active_key(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Nyckel Org").await;
    let b = app.browser_as(&org.admin).await;
    b.get("/admin/keys").await.expect(200);
    assert_eq!(
        b.post_form("/admin/keys/rotate", &[]).await.redirected(),
        "/admin/keys?done=admin-key-rotated"
    );
    let first = app.get("/api/keys", &org.admin.token).await.expect(200);
    let first_kid = first[0]["kid"].as_str().unwrap().to_owned();
    let page = b.get("/admin/keys").await;
    let body = page.expect(200);
    assert!(body.contains(&format!("data-key=\"{first_kid}\" data-status=\"active\"")), "{body}");
    assert!(
        body.contains(&format!("/issuers/{}/did.json", org.id)) && body.contains("/.well-known/jwks.json")
    );
    assert!(body.contains("id=\"rotate-key\""));
    b.post_form("/admin/keys/rotate", &[]).await.redirected();
    let keys = app.get("/api/keys", &org.admin.token).await.expect(200);
    let keys = keys.as_array().unwrap();
    assert_eq!(keys.len(), 2);
    let active: Vec<_> = keys.iter().filter(|k| k["status"] == "active").collect();
    assert_eq!(active.len(), 1);
    assert_ne!(active[0]["kid"], first_kid.as_str());
    // Marking a key compromised needs a date and a reason.
    let form = b.get(&format!("/admin/keys/{first_kid}/compromise")).await;
    form.expect(200);
    let bad =
        b.post_form(&format!("/admin/keys/{first_kid}/compromise"), &[("from", ""), ("reason", "")]).await;
    let body = bad.expect(422);
    assert!(body.contains("id=\"from-error\"") && body.contains("id=\"reason-error\""));
    let ok = b
        .post_form(
            &format!("/admin/keys/{first_kid}/compromise"),
            &[("from", "2026-01-01"), ("reason", "Läckt")],
        )
        .await;
    assert_eq!(ok.redirected(), "/admin/keys?done=admin-key-compromised");
    let keys = app.get("/api/keys", &org.admin.token).await.expect(200);
    let k = keys.as_array().unwrap().iter().find(|k| k["kid"] == first_kid.as_str()).unwrap().clone();
    assert_eq!(k["status"], "compromised");
}

async fn revoking_on_the_page_shows_on_the_public_page(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Intyg Org").await;
    let (_, certs) = certified(&app, &org).await;
    let id = certs[0]["id"].as_str().unwrap().to_owned();
    let other_id = certs[1]["id"].as_str().unwrap().to_owned();
    let b = app.browser_as(&org.admin).await;
    let list = b.get("/admin/certificates").await;
    let body = list.expect(200);
    assert!(body.contains(&format!("<tr data-certificate=\"{id}\" data-status=\"active\"")), "{body}");
    assert!(body.contains("Áilu Ŋuvttoš") && body.contains("class=\"open-certificate\""));
    let page = b.get(&format!("/admin/certificates/{id}")).await;
    let body = page.expect(200);
    assert_eq!(attr_of(body, "certificate-status", "data-status"), "active");
    assert!(body.contains("id=\"revoke-reason\"") && body.contains("id=\"suspend-reason\""));
    assert!(!body.contains("id=\"reinstate\""));
    assert!(body.contains(&format!("href=\"/v/{id}\"")));
    // No reason: refused next to the field; nothing changed.
    let missing = b
        .post_form(
            &format!("/admin/certificates/{id}"),
            &[("action", "revoke"), ("version", "1"), ("reason", "  ")],
        )
        .await;
    let body = missing.expect(422);
    assert!(body.contains("id=\"revoke-reason-error\"") && body.contains("aria-invalid=\"true\""), "{body}");
    assert_eq!(
        app.get(&format!("/api/certificates/{id}"), &org.admin.token).await.expect(200)["status"],
        "valid"
    );
    // A stale version: conflict, nothing changed.
    let stale = b
        .post_form(
            &format!("/admin/certificates/{id}"),
            &[("action", "revoke"), ("version", "7"), ("reason", "Fel")],
        )
        .await;
    assert_eq!(stale.status, 409);
    // In the page's words and language, not the API's English.
    assert!(stale.body.contains("Intygets status har ändrats sedan du öppnade sidan"), "{}", stale.body);
    assert_eq!(
        app.get(&format!("/api/certificates/{id}"), &org.admin.token).await.expect(200)["status"],
        "valid"
    );
    b.get(&format!("/admin/certificates/{id}")).await.expect(200);
    let reason = "Intyget utfärdades på fel underlag";
    let done = b
        .post_form(
            &format!("/admin/certificates/{id}"),
            &[("action", "revoke"), ("version", "1"), ("reason", reason)],
        )
        .await;
    assert_eq!(done.redirected(), format!("/admin/certificates/{id}?done=admin-certificate-revoked"));
    let report = public_report(&app, &id).await;
    assert_eq!(report["outcome"], "revoked", "{report:#}");
    assert_eq!(report["status_reason"], reason);
    let page = b.get(&format!("/admin/certificates/{id}?done=admin-certificate-revoked")).await;
    let body = page.expect(200);
    assert_eq!(attr_of(body, "certificate-status", "data-status"), "revoked");
    assert!(body.contains("id=\"status-history\"") && body.contains(reason));
    assert!(!body.contains("id=\"revoke\""), "revocation is final");
    // Suspend and reinstate another one.
    b.get(&format!("/admin/certificates/{other_id}")).await.expect(200);
    let s = b
        .post_form(
            &format!("/admin/certificates/{other_id}"),
            &[("action", "suspend"), ("version", "1"), ("reason", "Utreds")],
        )
        .await;
    s.redirected();
    assert_eq!(public_report(&app, &other_id).await["outcome"], "suspended");
    let page = b.get(&format!("/admin/certificates/{other_id}")).await;
    assert_eq!(attr_of(page.expect(200), "certificate-status", "data-status"), "suspended");
    let r = b
        .post_form(
            &format!("/admin/certificates/{other_id}"),
            &[("action", "reinstate"), ("version", "2"), ("reason", "Utrett")],
        )
        .await;
    r.redirected();
    assert_eq!(public_report(&app, &other_id).await["outcome"], "genuine");
}

async fn only_administrators_of_the_organisation_reach_the_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Behörig Org").await;
    let (_, certs) = certified(&app, &org).await;
    let id = certs[0]["id"].as_str().unwrap().to_owned();
    app.post("/api/keys/rotate", &org.admin.token, json!({})).await.expect(201);
    let keys = app.get("/api/keys", &org.admin.token).await.expect(200);
    let kid = keys.as_array().unwrap().last().unwrap()["kid"].as_str().unwrap().to_owned();
    let b = app.browser_as(&org.assessor).await;
    for path in [
        "/admin".to_owned(),
        "/admin/users".to_owned(),
        "/admin/users/new".to_owned(),
        format!("/admin/users/{}", org.verifier.id),
        "/admin/frameworks".to_owned(),
        "/admin/frameworks/test-skills/2026.1".to_owned(),
        "/admin/frameworks/upload".to_owned(),
        "/admin/keys".to_owned(),
        format!("/admin/keys/{kid}/compromise"),
        "/admin/certificates".to_owned(),
        format!("/admin/certificates/{id}"),
        "/admin/audit".to_owned(),
    ] {
        assert_eq!(b.get(&path).await.status, 403, "{path}");
    }
    // A post with the assessor's own valid token is refused too, and changes nothing.
    b.get("/account/password").await.expect(200);
    assert_eq!(b.post_form("/admin/keys/rotate", &[]).await.status, 403);
    let refused = b
        .post_form(
            &format!("/admin/certificates/{id}"),
            &[("action", "revoke"), ("version", "1"), ("reason", "x")],
        )
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(
        app.get("/api/keys", &org.admin.token).await.expect(200).as_array().unwrap().len(),
        keys.as_array().unwrap().len()
    );
    assert_eq!(
        app.get(&format!("/api/certificates/{id}"), &org.admin.token).await.expect(200)["status"],
        "valid"
    );
    // Another organisation's administrator: not found.
    let other = app.org("Annan Org").await;
    let ob = app.browser_as(&other.admin).await;
    assert_eq!(ob.get(&format!("/admin/certificates/{id}")).await.status, 404);
    assert_eq!(ob.get(&format!("/admin/users/{}", org.assessor.id)).await.status, 404);
    assert_eq!(ob.get(&format!("/admin/keys/{kid}/compromise")).await.status, 404);
    ob.get("/admin/certificates").await.expect(200);
    let r = ob
        .post_form(
            &format!("/admin/certificates/{id}"),
            &[("action", "revoke"), ("version", "1"), ("reason", "x")],
        )
        .await;
    assert_eq!(r.status, 404);
    assert!(!ob.get("/admin/certificates").await.body.contains(&id));
    assert_eq!(
        app.get(&format!("/api/certificates/{id}"), &org.admin.token).await.expect(200)["status"],
        "valid"
    );
}

async fn a_wrong_anti_forgery_token_is_refused_and_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Csrf Org").await;
    let (_, certs) = certified(&app, &org).await;
    let id = certs[0]["id"].as_str().unwrap().to_owned();
    let keys_before = app.get("/api/keys", &org.admin.token).await.expect(200).as_array().unwrap().len();
    let b = app.browser_as(&org.admin).await;
    b.get(&format!("/admin/certificates/{id}")).await.expect(200);
    let forged = "forged-token-forged-token-forged-token";
    let r = b
        .post_form(
            &format!("/admin/certificates/{id}"),
            &[("csrf", forged), ("action", "revoke"), ("version", "1"), ("reason", "x")],
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(
        app.get(&format!("/api/certificates/{id}"), &org.admin.token).await.expect(200)["status"],
        "valid"
    );
    assert_eq!(b.post_form("/admin/keys/rotate", &[("csrf", forged)]).await.status, 403);
    assert_eq!(
        app.get("/api/keys", &org.admin.token).await.expect(200).as_array().unwrap().len(),
        keys_before
    );
    let r = b
        .post_form(
            "/admin/users/new",
            &[
                ("csrf", forged),
                ("email", "falsk@csrf.test"),
                ("display_name", "Falsk"),
                ("roles", "admin"),
                ("language", "sv"),
            ],
        )
        .await;
    assert_eq!(r.status, 403);
    let users = app.get("/api/users", &org.admin.token).await.expect(200);
    assert!(users.as_array().unwrap().iter().all(|u| u["email"] != "falsk@csrf.test"));
    let r = b
        .post_form(
            &format!("/admin/users/{}", org.assessor.id),
            &[
                ("csrf", forged),
                ("version", "1"),
                ("display_name", "Falsk"),
                ("roles", "admin"),
                ("language", "sv"),
            ],
        )
        .await;
    assert_eq!(r.status, 403);
    let u = app.get(&format!("/api/users/{}", org.assessor.id), &org.admin.token).await.expect(200);
    assert_eq!(u["roles"], json!(["assessor"]));
    b.get("/admin/frameworks/upload").await.expect(200);
    let resp = app
        .client
        .post(format!("{}/admin/frameworks/upload", app.address))
        .header("Cookie", format!("validera_session={}", b.cookie("validera_session").unwrap()))
        .multipart(
            reqwest::multipart::Form::new()
                .text("csrf", forged)
                .text("source", SOURCE.replace("test-skills", "falsk-skills")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    let list = app.get("/api/frameworks", &org.admin.token).await.expect(200);
    assert!(list.as_array().unwrap().iter().all(|f| f["id"] != "falsk-skills"));
}

async fn the_overview_links_every_section(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Översikt Org").await;
    let b = app.browser_as(&org.admin).await;
    assert_eq!(b.get("/").await.redirected(), "/admin");
    let page = b.get("/admin?lang=en").await;
    let body = page.expect(200);
    for href in ["/admin/users", "/admin/frameworks", "/admin/keys", "/admin/certificates"] {
        assert!(body.contains(&format!("href=\"{href}\"")), "{href}");
    }
    assert!(body.contains("4 people"), "{body}");
}

both_backends!(
    an_admin_adds_a_person_who_signs_in_with_the_one_time_password,
    a_stale_edit_of_a_person_is_a_conflict_and_changes_nothing,
    a_framework_upload_shows_every_diagnostic_and_a_valid_one_is_stored,
    rotating_the_key_on_the_page_makes_a_new_active_key,
    revoking_on_the_page_shows_on_the_public_page,
    only_administrators_of_the_organisation_reach_the_pages,
    a_wrong_anti_forgery_token_is_refused_and_changes_nothing,
    the_overview_links_every_section,
);
