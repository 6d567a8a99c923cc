//! Certificates: issued on confirmation, downloaded, verified publicly, revoked and suspended,
//! and still verifying after key rotation.

use reqwest::Method;
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{Backend, Org, TestApp, spawn_app, today};

/// A candidate with DBS-01, DBS-02 and DBS-04 confirmed and qualification DBS awarded; returns
/// the candidate's token and the organisation's certificates.
pub async fn certified(app: &TestApp, org: &Org) -> (String, Vec<Value>) {
    let (cand, otp, email) = app.candidate(org, "Áilu Ŋuvttoš").await;
    let tok = certify(app, org, &cand, &email, &otp).await;
    let certs = app.get("/api/certificates", &org.admin.token).await.expect(200).as_array().unwrap().clone();
    (tok, certs)
}

/// Confirms DBS-01, DBS-02 and DBS-04 (so qualification DBS too) for candidate `cand`, who then
/// signs in with the one-time password `otp` and chooses their own; returns their token.
pub async fn certify(app: &TestApp, org: &Org, cand: &str, email: &str, otp: &str) -> String {
    let a = app.assessment(org, cand).await;
    let t = &org.assessor.token;
    app.post(&format!("/api/assessments/{a}/theory-tests"), t, json!({
        "date": today(), "title": "Teori", "score": 18, "max": 20, "pass_mark": 14, "criteria": ["DBS-01/1.2"]
    })).await.expect(201);
    app.post(
        &format!("/api/assessments/{a}/observations"),
        t,
        json!({
            "date": today(), "context": "Prov", "items": [
                {"criterion": "DBS-01/1.1", "met": true, "comment": ""},
                {"criterion": "DBS-02/1.1", "met": true, "comment": ""},
                {"criterion": "DBS-04/1.1", "met": true, "comment": ""}
            ]
        }),
    )
    .await
    .expect(201);
    let d = app.post(&format!("/api/assessments/{a}/decisions"), t, json!({})).await.expect(201);
    app.post(
        &format!("/api/decisions/{}/confirm", d["id"].as_str().unwrap()),
        &org.verifier.token,
        json!({"version": 1}),
    )
    .await
    .expect(200);
    let tok = app.login(email, otp).await.expect(200)["token"].as_str().unwrap().to_owned();
    // The change ends the one-time token; the answer carries the one to go on with.
    app.post(
        "/api/me/password",
        &tok,
        json!({"current_password": otp, "new_password": "kandidatens eget lösenord"}),
    )
    .await
    .expect(200)["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub(crate) async fn public(app: &TestApp, path: &str, accept: &str) -> (u16, String, String) {
    let resp =
        app.client.get(format!("{}{path}", app.address)).header("accept", accept).send().await.unwrap();
    let status = resp.status().as_u16();
    let ct = resp.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, ct, resp.text().await.unwrap())
}

pub(crate) async fn verify_body(app: &TestApp, body: Vec<u8>, content_type: &str) -> Value {
    let resp = app
        .client
        .post(format!("{}/api/verify", app.address))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    TestApp::reply(resp).await.expect(200)
}

pub(crate) async fn report(app: &TestApp, id: &str) -> Value {
    serde_json::from_str(&public(app, &format!("/v/{id}"), "application/json").await.2).unwrap()
}

async fn a_confirmed_decision_issues_certificates_that_verify_publicly(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let org = app.org("Intygskommun").await;

    // Act
    let (cand_token, certs) = certified(&app, &org).await;

    // Assert: one per unit and one for the qualification, all valid.
    let mut kinds: Vec<(String, String)> = certs
        .iter()
        .map(|c| (c["kind"].as_str().unwrap().into(), c["code"].as_str().unwrap().into()))
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [
            ("qualification".into(), "DBS".into()),
            ("unit".into(), "DBS-01".into()),
            ("unit".into(), "DBS-02".into()),
            ("unit".into(), "DBS-04".into())
        ]
    );
    let mine = app.get("/api/me/certificates", &cand_token).await.expect(200);
    assert_eq!(mine.as_array().unwrap().len(), 4);
    let q = certs.iter().find(|c| c["kind"] == "qualification").unwrap();
    let id = q["id"].as_str().unwrap();

    let doc = app.get(&format!("/api/certificates/{id}/credential.json"), &cand_token).await.expect(200);
    assert_eq!(doc["type"], json!(["VerifiableCredential", "AchievementCredential"]));
    assert_eq!(doc["proof"][0]["cryptosuite"], "eddsa-rdfc-2022");
    assert_eq!(doc["credentialSubject"]["achievement"]["achievementType"], "Certificate");
    assert_eq!(doc["credentialSubject"]["creditsEarned"], 12);
    assert!(!doc.to_string().contains("@candidates.test"), "no e-mail in the credential");
    let achievement = doc["credentialSubject"]["achievement"]["id"].as_str().unwrap();
    let (s, _, q_json) =
        public(&app, achievement.strip_prefix(&app.address).unwrap(), "application/json").await;
    assert_eq!(s, 200, "the achievement id resolves to the qualification in its framework");
    assert_eq!(serde_json::from_str::<Value>(&q_json).unwrap()["code"], "DBS");
    let (s, ct, public_doc) = public(&app, &format!("/v/{id}/credential.json"), "*/*").await;
    assert_eq!((s, ct.as_str()), (200, "application/vc+ld+json"));
    assert_eq!(
        serde_json::from_str::<Value>(&public_doc).unwrap(),
        doc,
        "stored byte for byte, served the same"
    );

    let (s, _, body) = public(&app, &format!("/v/{id}"), "application/json").await;
    assert_eq!(s, 200);
    let report: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(report["outcome"], "genuine", "{report:#}");
    assert_eq!(report["certificate"]["holder"], "Áilu Ŋuvttoš");
    let (s, ct, html) = public(&app, &format!("/v/{id}?lang=sv"), "text/html").await;
    assert_eq!(s, 200);
    assert!(ct.starts_with("text/html"));
    assert!(
        html.contains("Intyget är äkta") && html.contains("Áilu Ŋuvttoš") && html.contains("Intygskommun")
    );
    let (_, _, html) = public(&app, &format!("/v/{id}"), "text/html").await;
    assert!(html.contains("Intyget är äkta"), "Swedish by default");
    let resp = app
        .client
        .get(format!("{}/v/{id}", app.address))
        .header("accept-language", "fi-FI,fi;q=0.9")
        .send()
        .await
        .unwrap();
    let body = resp.text().await.unwrap();
    assert!(body.contains("Todistus on aito"));
    assert!(body.contains("EQF-taso"), "the level in the reader's language: {body}");

    // The VC-JWT verifies too; unknown ids are 404.
    let resp = app
        .client
        .get(format!("{}/api/certificates/{id}/credential.jwt", app.address))
        .bearer_auth(&cand_token)
        .send()
        .await
        .unwrap();
    let jwt = resp.text().await.unwrap();
    assert_eq!(verify_body(&app, jwt.into_bytes(), "application/jwt").await["outcome"], "genuine");
    assert_eq!(public(&app, "/v/00000000-0000-4000-8000-000000000000", "text/html").await.0, 404);
}

async fn tampering_wrong_keys_and_garbage_are_told_apart(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Förfalskning").await;
    let (_, certs) = certified(&app, &org).await;
    let id = certs[0]["id"].as_str().unwrap();
    let doc = app.get(&format!("/api/certificates/{id}/credential.json"), &org.admin.token).await.expect(200);

    let mut altered = doc.clone();
    altered["credentialSubject"]["creditsEarned"] = json!(60);
    let r = verify_body(&app, serde_json::to_vec(&altered).unwrap(), "application/json").await;
    assert_eq!(r["outcome"], "forged", "{r:#}");
    assert!(
        r["checks"].as_array().unwrap().iter().any(|c| c["name"] == "signature" && c["result"] == "failed")
    );

    let mut unknown = doc.clone();
    let vm = unknown["proof"][0]["verificationMethod"].as_str().unwrap().replace("#key-", "#nokey-");
    unknown["proof"][0]["verificationMethod"] = json!(vm);
    assert_eq!(
        verify_body(&app, serde_json::to_vec(&unknown).unwrap(), "application/json").await["outcome"],
        "unknown-issuer"
    );

    let resp = app.client.post(format!("{}/api/verify", app.address)).body("hello").send().await.unwrap();
    TestApp::reply(resp).await.problem(422, "validation");
}

async fn revocation_and_suspension_show_at_once_with_the_reason(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Återkallning").await;
    let (_, certs) = certified(&app, &org).await;
    let c = &certs[0];
    let id = c["id"].as_str().unwrap();
    let path = |s: &str| format!("/api/certificates/{id}/{s}");

    // Suspend and reinstate.
    app.post(&path("suspend"), &org.assessor.token, json!({"version": 1, "reason": "x"}))
        .await
        .problem(403, "forbidden");
    let s = app
        .post(&path("suspend"), &org.admin.token, json!({"version": 1, "reason": "Utreds"}))
        .await
        .expect(200);
    assert_eq!(s["status"], "suspended");
    let r = report(&app, id).await;
    assert_eq!((r["outcome"].as_str(), r["status_reason"].as_str()), (Some("suspended"), Some("Utreds")));
    app.post(&path("reinstate"), &org.admin.token, json!({"version": 1, "reason": "stale"}))
        .await
        .problem(409, "stale-version");
    app.post(&path("reinstate"), &org.admin.token, json!({"version": 2, "reason": "Utrett"}))
        .await
        .expect(200);
    assert_eq!(report(&app, id).await["outcome"], "genuine");

    // Revoke: final, in the status list at once.
    app.post(&path("revoke"), &org.admin.token, json!({"version": 3, "reason": "Fel person"}))
        .await
        .expect(200);
    let r = report(&app, id).await;
    assert_eq!((r["outcome"].as_str(), r["status_reason"].as_str()), (Some("revoked"), Some("Fel person")));
    let (_, _, html) = public(&app, &format!("/v/{id}?lang=en"), "text/html").await;
    assert!(html.contains("The certificate has been revoked") && html.contains("Fel person"));
    app.post(&path("reinstate"), &org.admin.token, json!({"version": 4, "reason": "x"}))
        .await
        .problem(422, "validation");

    // The published list has exactly this credential's bit set, most significant bit first.
    let doc = app.get(&format!("/api/certificates/{id}/credential.json"), &org.admin.token).await.expect(200);
    let list_url = doc["credentialStatus"]["statusListCredential"].as_str().unwrap();
    let index: usize = doc["credentialStatus"]["statusListIndex"].as_str().unwrap().parse().unwrap();
    let list_path = list_url.strip_prefix(&app.address).unwrap();
    let (s, _, list) = public(&app, list_path, "*/*").await;
    assert_eq!(s, 200);
    let list: Value = serde_json::from_str(&list).unwrap();
    assert_eq!(list["type"], json!(["VerifiableCredential", "BitstringStatusListCredential"]));
    let bits = validera::credential::status_list::Bitstring::decode(
        list["credentialSubject"]["encodedList"].as_str().unwrap(),
    )
    .unwrap();
    assert!(bits.len() >= 131_072);
    let set: Vec<usize> = (0..bits.len()).filter(|i| bits.get(*i).unwrap()).collect();
    assert_eq!(set, [index]);
    let r = verify_body(&app, serde_json::to_vec(&list).unwrap(), "application/json").await;
    let signature = r["checks"].as_array().unwrap().iter().find(|c| c["name"] == "signature").unwrap();
    assert_eq!(signature["result"], "passed", "the list is signed by the issuer: {r:#}");

    // Another organisation cannot touch it.
    let other = app.org("Grannar").await;
    app.post(&path("revoke"), &other.admin.token, json!({"version": 5, "reason": "x"}))
        .await
        .problem(404, "not-found");
}

async fn rotated_keys_keep_old_certificates_valid_and_compromise_dates_count(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Nyckelbyte").await;
    let (_, certs) = certified(&app, &org).await;
    let id = certs[0]["id"].as_str().unwrap();
    let keys = app.post("/api/keys/rotate", &org.admin.token, json!({})).await.expect(201);
    assert_eq!(
        keys.as_array().unwrap().iter().map(|k| k["status"].as_str().unwrap()).collect::<Vec<_>>(),
        ["retired", "active"]
    );
    assert_eq!(report(&app, id).await["outcome"], "genuine");
    let jwks = app.call(Method::GET, "/.well-known/jwks.json", None, None).await.expect(200);
    assert!(jwks["keys"].as_array().unwrap().len() >= 2);
    assert!(jwks["keys"].as_array().unwrap().iter().all(|k| k.get("d").is_none() && k["crv"] == "Ed25519"));
    let did = app.call(Method::GET, &format!("/issuers/{}/did.json", org.id), None, None).await.expect(200);
    assert_eq!(did["assertionMethod"].as_array().unwrap().len(), 2);

    // Compromised from after issuance: the stored certificate is re-signed with the active key,
    // and a copy signed with the old key before that date still verifies with us. From before
    // its signature: that copy does not; the re-signed certificate does.
    let old = keys[0]["kid"].as_str().unwrap();
    let old_copy =
        app.get(&format!("/api/certificates/{id}/credential.json"), &org.admin.token).await.expect(200);
    let later = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    app.post(
        &format!("/api/keys/{old}/compromise"),
        &org.admin.token,
        json!({"from": later, "reason": "Laptop stulen"}),
    )
    .await
    .expect(200);
    assert_eq!(report(&app, id).await["outcome"], "genuine");
    let old_bytes = serde_json::to_vec(&old_copy).unwrap();
    assert_eq!(verify_body(&app, old_bytes.clone(), "application/json").await["outcome"], "genuine");
    let earlier = (chrono::Utc::now() - chrono::Duration::days(1)).to_rfc3339();
    app.post(
        &format!("/api/keys/{old}/compromise"),
        &org.admin.token,
        json!({"from": earlier, "reason": "Laptop stulen"}),
    )
    .await
    .expect(200);
    assert_eq!(verify_body(&app, old_bytes, "application/json").await["outcome"], "key-compromised");
    assert_eq!(report(&app, id).await["outcome"], "genuine");
}

/// Another issuer's credential, signed with a fresh key under `vm`.
fn foreign_credential(issuer: &str, vm: &str, key: &ed25519_dalek::SigningKey) -> Vec<u8> {
    let mut doc: Value =
        serde_json::from_str(include_str!("../../src/credential/testdata/achievement.json")).unwrap();
    doc.as_object_mut().unwrap().remove("credentialStatus");
    doc["issuer"]["id"] = json!(issuer);
    let signed = validera::credential::proof::sign(&doc, key, vm, chrono::Utc::now()).unwrap();
    serde_json::to_vec(&signed).unwrap()
}

async fn other_issuers_are_checked_by_did_key_and_unresolved_without_a_fetcher(backend: Backend) {
    let app = spawn_app(backend).await;
    let key = validera::credential::keys::generate();
    let did = validera::credential::did::did_key(&key.verifying_key());
    let vm = format!("{did}#{}", did.strip_prefix("did:key:").unwrap());

    let valid = verify_body(&app, foreign_credential(&did, &vm, &key), "application/json").await;
    let by_another = validera::credential::keys::generate();
    let forged = verify_body(&app, foreign_credential(&did, &vm, &by_another), "application/json").await;
    let web = "did:web:skola.example";
    let unresolved =
        verify_body(&app, foreign_credential(web, &format!("{web}#key-1"), &key), "application/json").await;

    assert_eq!(valid["outcome"], "valid-signature-unknown-issuer", "{valid:#}");
    assert_eq!(forged["outcome"], "forged", "{forged:#}");
    assert_eq!(unresolved["outcome"], "issuer-unresolved", "{unresolved:#}");
    assert!(
        unresolved["checks"].as_array().unwrap().iter().all(|c| c["name"] != "signature"),
        "nothing is said about the signature: {unresolved:#}"
    );
}

both_backends!(
    other_issuers_are_checked_by_did_key_and_unresolved_without_a_fetcher,
    the_command_line_verifies_files_offline_and_urls_online,
    the_pdf_verifies_offline_and_its_qr_code_opens_the_genuine_page,
    a_confirmed_decision_issues_certificates_that_verify_publicly,
    tampering_wrong_keys_and_garbage_are_told_apart,
    revocation_and_suspension_show_at_once_with_the_reason,
    rotated_keys_keep_old_certificates_valid_and_compromise_dates_count,
);

fn run(cmd: &str, args: &[&str]) -> Vec<u8> {
    let out = std::process::Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} is needed for this test (Debian: poppler-utils, zbar-tools): {e}"));
    assert!(out.status.success(), "{cmd} failed: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

async fn the_pdf_verifies_offline_and_its_qr_code_opens_the_genuine_page(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let org = app.org("Pdfkommun").await;
    let (cand_token, certs) = certified(&app, &org).await;
    let q = certs.iter().find(|c| c["kind"] == "qualification").unwrap();
    let id = q["id"].as_str().unwrap();

    // Act: the candidate downloads the PDF.
    let resp = app
        .client
        .get(format!("{}/api/certificates/{id}/certificate.pdf?lang=fi", app.address))
        .bearer_auth(&cand_token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["content-type"], "application/pdf");
    let pdf = resp.bytes().await.unwrap().to_vec();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.pdf");
    std::fs::write(&file, &pdf).unwrap();

    // Assert: searchable text in Finnish, the embedded credential verifies, and the QR code
    // decodes with a real decoder to a URL that shows "genuine".
    let text = String::from_utf8(run("pdftotext", &["-raw", file.to_str().unwrap(), "-"])).unwrap();
    assert!(text.contains("Áilu Ŋuvttoš"), "{text}");
    assert!(text.contains("Tutkintotodistus"), "{text}");
    assert_eq!(verify_body(&app, pdf.clone(), "application/pdf").await["outcome"], "genuine");
    run(
        "pdftoppm",
        &[
            "-r",
            "100",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            file.to_str().unwrap(),
            dir.path().join("p").to_str().unwrap(),
        ],
    );
    let png = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "png"))
        .unwrap();
    let decoded = String::from_utf8(run("zbarimg", &["--quiet", "--raw", png.to_str().unwrap()])).unwrap();
    let url = decoded.trim();
    assert_eq!(url, format!("{}/v/{id}", app.address));
    let resp = app
        .client
        .get(url)
        .header("accept", "text/html")
        .header("accept-language", "fi")
        .send()
        .await
        .unwrap();
    assert!(resp.text().await.unwrap().contains("Todistus on aito"));

    // A PDF whose embedded credential was altered is not genuine.
    let doc = app.get(&format!("/api/certificates/{id}/credential.json"), &cand_token).await.expect(200);
    let altered =
        serde_json::to_string(&doc).unwrap().replace("\"creditsEarned\":12", "\"creditsEarned\":60");
    assert_ne!(altered, serde_json::to_string(&doc).unwrap());
    assert_eq!(verify_body(&app, altered.into_bytes(), "application/json").await["outcome"], "forged");
}

fn cli_verify(args: &[&std::path::Path]) -> (i32, String) {
    cli_verify_for(None, args)
}

/// `validera verify`, the key files being those of `issuer` (needed for a JWK Set).
fn cli_verify_for(issuer: Option<&str>, args: &[&std::path::Path]) -> (i32, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_validera"));
    cmd.arg("verify").arg(args[0]).arg("--keys").arg(args[1]);
    if let Some(list) = args.get(2) {
        cmd.arg("--status-list").arg(list);
    }
    if let Some(issuer) = issuer {
        cmd.arg("--issuer").arg(issuer);
    }
    let out = cmd.output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

async fn the_command_line_verifies_files_offline_and_urls_online(backend: Backend) {
    // Arrange: a certificate, its PDF and JWT, the issuer's keys and status list, as files.
    let app = spawn_app(backend).await;
    let org = app.org("Kommandorad").await;
    let (tok, certs) = certified(&app, &org).await;
    let id = certs[0]["id"].as_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let save = |name: &str, bytes: Vec<u8>| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let get = |path: String| {
        let c = app.client.get(format!("{}{path}", app.address)).bearer_auth(&tok);
        async move { c.send().await.unwrap().bytes().await.unwrap().to_vec() }
    };
    let pdf = save("c.pdf", get(format!("/api/certificates/{id}/certificate.pdf")).await);
    let jwt = save("c.jwt", get(format!("/api/certificates/{id}/credential.jwt")).await);
    let json = get(format!("/api/certificates/{id}/credential.json")).await;
    let doc: Value = serde_json::from_slice(&json).unwrap();
    let list_path = doc["credentialStatus"]["statusListCredential"]
        .as_str()
        .unwrap()
        .strip_prefix(&app.address)
        .unwrap()
        .to_owned();
    let jwks = save("jwks.json", get("/.well-known/jwks.json".into()).await);
    let did = save("did.json", get(format!("/issuers/{}/did.json", org.id)).await);
    let list = save("list.json", get(list_path.clone()).await);
    let mut altered = doc.clone();
    altered["credentialSubject"]["creditsEarned"] = json!(60);
    let altered = save("altered.json", serde_json::to_vec(&altered).unwrap());

    // Act and assert
    let (code, out) = cli_verify(&[&pdf, &did, &list]);
    assert_eq!((code, out.lines().next().unwrap().ends_with(": genuine")), (0, true), "{out}");
    assert!(out.contains("printed") && out.contains("what is printed agrees with the credential"), "{out}");
    let issuer = doc["issuer"]["id"].as_str().unwrap();
    let (code, out) = cli_verify_for(Some(issuer), &[&jwt, &jwks, &list]);
    assert_eq!(code, 0);
    assert!(!out.contains("printed"), "a VC-JWT has no printed pages: {out}");
    let (code, out) = cli_verify(&[&jwt, &jwks, &list]);
    assert_eq!((code, out.as_str()), (1, ""), "a JWK Set without --issuer binds no key to anyone");
    let (code, out) = cli_verify_for(Some(issuer), &[&pdf, &jwks]);
    assert_eq!(code, 1);
    assert!(out.contains("status-unavailable"), "offline without the list is not genuine: {out}");
    assert!(cli_verify(&[&altered, &did, &list]).1.contains("forged"));
    let other = app.org("Annan utfärdare").await;
    app.post("/api/keys/rotate", &other.admin.token, json!({})).await.expect(201);
    let other_did = save("other.json", get(format!("/issuers/{}/did.json", other.id)).await);
    // Another organisation's DID document holds no key of this issuer, whatever its kids.
    assert!(cli_verify(&[&pdf, &other_did]).1.contains("issuer-unresolved"));

    // The issue's attack: credits raised, re-signed with another key under the organisation's
    // own method id, and did:web:evil.example's document holding that key under the same kid.
    let vm = doc["proof"][0]["verificationMethod"].as_str().unwrap();
    let kid = vm.split_once('#').unwrap().1;
    let evil_key = validera::credential::keys::generate();
    let mut raised = doc.clone();
    raised.as_object_mut().unwrap().remove("proof");
    raised["credentialSubject"]["creditsEarned"] = json!(60);
    let resigned = validera::credential::proof::sign(&raised, &evil_key, vm, chrono::Utc::now()).unwrap();
    let resigned = save("resigned.json", serde_json::to_vec(&resigned).unwrap());
    let token = validera::credential::jwt::sign(&raised, kid, &evil_key).unwrap();
    let token = save("resigned.jwt", token.into_bytes());
    let evil = validera::credential::did::document(
        "did:web:evil.example",
        &[(kid.into(), evil_key.verifying_key(), None)],
    );
    let evil = save("evil.json", serde_json::to_vec(&evil).unwrap());
    for forged in [&resigned, &token] {
        let (code, out) = cli_verify(&[forged, &evil, &list]);
        assert_eq!((code, out.lines().next().unwrap().ends_with(": issuer-unresolved")), (1, true), "{out}");
        let (code, out) = cli_verify(&[forged, &did, &list]);
        assert_eq!((code, out.lines().next().unwrap().ends_with(": forged")), (1, true), "{out}");
    }

    app.post(
        &format!("/api/certificates/{id}/revoke"),
        &org.admin.token,
        json!({"version": 1, "reason": "Fel"}),
    )
    .await
    .expect(200);
    let list = save("list2.json", get(list_path).await);
    let (code, out) = cli_verify(&[&pdf, &did, &list]);
    assert_eq!(code, 1);
    assert!(out.lines().next().unwrap().ends_with(": revoked"), "{out}");
}
