//! Interoperability: independent implementations verify the certificates we issue, not our own
//! verifier. `jose` checks the VC-JWT, Digital Bazaar's `@digitalbazaar/vc` checks the Data
//! Integrity proof and reads our status list, the Digital Credentials Consortium's
//! verifier-core does what their wallet does, and Python `jsonschema` applies the official
//! Open Badges 3.0 schema. The scripts are in `tests/interop/` and run offline on documents the
//! app published; missing tools fail these tests, never skip them.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::certificates::certified;
use crate::helpers::{Backend, Org, TestApp, spawn_app};

const SETUP: &str = "run `bash .ci/run` once (or `npm ci --prefix tests/interop` and \
                     `pip install jsonschema`; the OB schema comes from .ci/run)";

/// The official AchievementCredential schema (JSON-LD adaptation), as .ci/run downloads it.
const OB_SCHEMA_SHA256: &str = "b7358e895f492e74055dc6bfc7ffc420d0e497f90c4579fb83d9519b86d393ea";

fn interop_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop")
}

/// Runs a script that prints one JSON line and exits 0 when it ran; returns that line.
#[track_caller]
fn run_json(command: &mut Command, what: &str) -> Value {
    let out = command.output().unwrap_or_else(|e| panic!("cannot start {what}: {e}; {SETUP}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{what} failed ({}); {SETUP}\nstderr: {stderr}\nstdout: {stdout}",
        out.status
    );
    let line = stdout.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or_default();
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{what} printed no JSON ({e}): {stdout}\n{stderr}"))
}

#[track_caller]
pub(crate) fn node(script: &str, args: &[&Path]) -> Value {
    let dir = interop_dir();
    assert!(dir.join("node_modules").is_dir(), "tests/interop/node_modules is missing; {SETUP}");
    run_json(Command::new("node").arg(dir.join(script)).args(args).current_dir(&dir), script)
}

#[track_caller]
fn schema_check(credential: &Path) -> Value {
    let script = interop_dir().join("schema.py");
    run_json(Command::new("python3").arg(script).arg(ob_schema()).arg(credential), "schema.py")
}

/// The official OB 3.0 schema, from `VALIDERA_OB_SCHEMA` or the cache .ci/run fills.
#[track_caller]
fn ob_schema() -> PathBuf {
    let path = std::env::var_os("VALIDERA_OB_SCHEMA").map(PathBuf::from).unwrap_or_else(|| {
        let home = std::env::var_os("HOME").expect("HOME is set");
        Path::new(&home).join(".cache/validera-interop/ob_v3p0_achievementcredential_schema.json")
    });
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("the OB 3.0 schema is not at {}: {e}; {SETUP}", path.display()));
    let digest: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(digest, OB_SCHEMA_SHA256, "{} is not the official schema; {SETUP}", path.display());
    path
}

/// `did:web:HOST[:PATH...]` → `https://HOST/PATH.../did.json` (or `/.well-known/did.json`), as
/// the did:web method specifies; a port's colon is written `%3A` in HOST.
pub(crate) fn did_web_url(did: &str) -> String {
    let rest = did.strip_prefix("did:web:").unwrap_or_else(|| panic!("not a did:web: {did}"));
    let mut parts = rest.split(':').map(|p| p.replace("%3A", ":"));
    let host = parts.next().unwrap();
    let path: Vec<String> = parts.collect();
    let path = if path.is_empty() { ".well-known".to_owned() } else { path.join("/") };
    format!("https://{host}/{path}/did.json")
}

/// What a verifier of one certificate gets from us, fetched over HTTP as it would be and
/// written to files for the scripts.
pub(crate) struct Published {
    dir: tempfile::TempDir,
    pub(crate) credential: Value,
    jwt: String,
    pub(crate) jwks: Value,
}

impl Published {
    pub(crate) async fn fetch(app: &TestApp, token: &str, id: &str) -> Published {
        let dir = tempfile::tempdir().expect("temp dir");
        let credential = app.get(&format!("/api/certificates/{id}/credential.json"), token).await.expect(200);
        let jwt = app
            .client
            .get(format!("{}/api/certificates/{id}/credential.jwt", app.address))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let jwks = get_json(app, &format!("{}/.well-known/jwks.json", app.address)).await;
        // Resolved as did:web says, over http: the test server has no TLS.
        let did_url =
            did_web_url(credential["issuer"]["id"].as_str().unwrap()).replacen("https:", "http:", 1);
        assert!(did_url.starts_with(&app.address), "{did_url} is not served by the app");
        let did_document = get_json(app, &did_url).await;
        let published = Published { dir, credential, jwt, jwks };
        published.write("credential.json", &published.credential);
        std::fs::write(published.path("credential.jwt"), &published.jwt).unwrap();
        published.write("jwks.json", &published.jwks);
        published.write("did.json", &did_document);
        published.refresh_status_list(app).await;
        published
    }

    /// Fetches the status list the credential names, as a verifier does on every check.
    pub(crate) async fn refresh_status_list(&self, app: &TestApp) {
        let url = self.credential["credentialStatus"]["statusListCredential"].as_str().unwrap();
        self.write("status-list.json", &get_json(app, url).await);
    }

    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub(crate) fn write(&self, name: &str, value: &Value) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, serde_json::to_vec_pretty(value).unwrap()).unwrap();
        path
    }

    pub(crate) fn di(&self, credential: &Path) -> Value {
        node("di.mjs", &[credential, &self.path("did.json"), &self.path("status-list.json")])
    }

    pub(crate) fn vcore(&self, credential: &Path) -> Value {
        let (did, list, schema) = (self.path("did.json"), self.path("status-list.json"), ob_schema());
        node("vcore.mjs", &[credential, &did, &list, &schema])
    }
}

pub(crate) async fn get_json(_app: &TestApp, url: &str) -> Value {
    // A new connection each time: a pooled one may have idled past the server's keep-alive
    // while a node verifier blocked the test.
    let client = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let resp = client.get(url).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 200, "GET {url}");
    resp.json().await.unwrap()
}

/// An app, an organisation and its certificates (three units and a qualification), with the
/// candidate's token.
async fn issued(org_name: &str) -> (TestApp, Org, String, Vec<Value>) {
    let app = spawn_app(Backend::Sqlite).await;
    let org = app.org(org_name).await;
    let (token, certs) = certified(&app, &org).await;
    (app, org, token, certs)
}

/// As [`issued`], by an organisation that names the people of the QA chain in its credentials:
/// the names must not need a term the bundled contexts or the schema lack.
async fn issued_with_names(org_name: &str) -> (TestApp, Org, String, Vec<Value>) {
    let app = spawn_app(Backend::Sqlite).await;
    let org = app.org(org_name).await;
    let o = app.get("/api/organisation", &org.admin.token).await.expect(200);
    let body = json!({"version": o["version"], "names_in_credentials": true});
    app.patch("/api/organisation", &org.admin.token, body).await.expect(200);
    let (token, certs) = certified(&app, &org).await;
    (app, org, token, certs)
}

/// The QA chain's entry names in `credential`.
fn qa_names(credential: &Value) -> Vec<String> {
    credential["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["genre"] == "Quality assurance")
        .map(|e| e["name"].as_str().unwrap().to_owned())
        .collect()
}

pub(crate) fn of_kind<'a>(certs: &'a [Value], kind: &str) -> &'a Value {
    certs.iter().find(|c| c["kind"] == kind).unwrap_or_else(|| panic!("no {kind} certificate"))
}

async fn revoke(app: &TestApp, org: &Org, cert: &Value) {
    let id = cert["id"].as_str().unwrap();
    app.post(
        &format!("/api/certificates/{id}/revoke"),
        &org.admin.token,
        json!({"version": cert["version"], "reason": "Utfärdat i misstag"}),
    )
    .await
    .expect(200);
}

fn timestamp(rfc3339: &Value) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339.as_str().unwrap()).unwrap().timestamp()
}

/// The entry `id` of verifier-core's log.
pub(crate) fn vcore_step<'a>(out: &'a Value, id: &str) -> &'a Value {
    let log = out["result"]["log"].as_array().unwrap_or_else(|| panic!("no log: {out:#}"));
    log.iter().find(|s| s["id"] == id).unwrap_or_else(|| panic!("no {id} step: {out:#}"))
}

#[tokio::test]
async fn jose_verifies_our_vc_jwt_with_our_published_jwks() {
    // Arrange
    let (app, _org, token, certs) = issued("Jose").await;
    let cert = of_kind(&certs, "qualification");
    let p = Published::fetch(&app, &token, cert["id"].as_str().unwrap()).await;

    // Act
    let out = node("jwt.mjs", &[&p.path("credential.jwt"), &p.path("jwks.json")]);

    // Assert
    assert_eq!(out["ok"], true, "{out:#}");
    let kid = out["header"]["kid"].as_str().unwrap();
    assert_eq!(out["header"], json!({"alg": "EdDSA", "kid": kid}), "exactly alg and kid");
    let key = p.jwks["keys"].as_array().unwrap().iter().find(|k| k["kid"] == kid).expect("kid in the JWKS");
    assert!(key.get("d").is_none(), "no private key in the JWKS");
    let (claims, c) = (&out["payload"], &p.credential);
    assert_eq!(claims["iss"], c["issuer"]["id"]);
    assert_eq!(claims["jti"], c["id"]);
    assert_eq!(claims["nbf"], timestamp(&c["validFrom"]));
    assert_eq!(claims["exp"], timestamp(&c["validUntil"]));
    assert_eq!(claims.get("sub"), c["credentialSubject"].get("id"), "sub only for a subject with an id");
    let mut carried = claims.clone();
    for claim in ["iss", "jti", "nbf", "exp", "sub"] {
        carried.as_object_mut().unwrap().remove(claim);
    }
    let mut unsigned = c.clone();
    unsigned.as_object_mut().unwrap().remove("proof");
    assert_eq!(carried, unsigned, "the JWT carries the same credential");
}

#[tokio::test]
async fn jose_rejects_our_vc_jwt_with_one_character_of_the_payload_changed() {
    // Arrange
    let (app, _org, token, certs) = issued("Jose Ändrad").await;
    let p = Published::fetch(&app, &token, certs[0]["id"].as_str().unwrap()).await;
    let mut segments: Vec<String> = p.jwt.trim().split('.').map(str::to_owned).collect();
    let payload = &mut segments[1];
    let at = payload.len() / 2;
    let swapped = if &payload[at..=at] == "A" { "B" } else { "A" };
    payload.replace_range(at..=at, swapped);
    let tampered = p.path("tampered.jwt");
    std::fs::write(&tampered, segments.join(".")).unwrap();

    // Act
    let out = node("jwt.mjs", &[&tampered, &p.path("jwks.json")]);

    // Assert
    assert_eq!(out["ok"], false, "{out:#}");
    assert!(out["error"].as_str().unwrap().starts_with("ERR_JWS_SIGNATURE_VERIFICATION_FAILED"), "{out:#}");
}

#[tokio::test]
async fn digital_bazaar_verifies_our_unit_and_qualification_credentials_in_safe_mode() {
    // Arrange
    let (app, _org, token, certs) = issued_with_names("Digital Bazaar").await;

    for kind in ["unit", "qualification"] {
        let p = Published::fetch(&app, &token, of_kind(&certs, kind)["id"].as_str().unwrap()).await;
        let names = qa_names(&p.credential);
        assert!(names.len() >= 2 && names.iter().all(|n| n.ends_with(')')), "{kind}: {names:?}");

        // Act
        let out = p.di(&p.path("credential.json"));

        // Assert
        assert_eq!(out["verified"], true, "{kind}: {out:#}");
        assert_eq!(out["errors"], json!([]), "{kind}: {out:#}");
        assert_eq!(out["statusVerified"], true, "{kind}: the signed status list verifies: {out:#}");
        assert_eq!(out["statusRevoked"], false, "{kind}: {out:#}");
    }
}

#[tokio::test]
async fn digital_bazaar_rejects_our_credential_with_changed_credits() {
    // Arrange
    let (app, _org, token, certs) = issued("Digital Bazaar Ändrad").await;
    let p = Published::fetch(&app, &token, of_kind(&certs, "qualification")["id"].as_str().unwrap()).await;
    let mut altered = p.credential.clone();
    altered["credentialSubject"]["creditsEarned"] = json!(60);
    let altered = p.write("altered.json", &altered);

    // Act
    let out = p.di(&altered);

    // Assert
    assert_eq!(out["verified"], false, "{out:#}");
    assert!(out["errors"].as_array().unwrap().iter().any(|e| e == "Invalid signature."), "{out:#}");
}

#[tokio::test]
async fn digital_bazaar_reads_our_revocation_from_the_republished_status_list() {
    // Arrange
    let (app, org, token, certs) = issued("Digital Bazaar Återkallat").await;
    let cert = of_kind(&certs, "unit");
    let p = Published::fetch(&app, &token, cert["id"].as_str().unwrap()).await;
    let before = p.di(&p.path("credential.json"));
    revoke(&app, &org, cert).await;
    p.refresh_status_list(&app).await;

    // Act
    let after = p.di(&p.path("credential.json"));

    // Assert
    assert_eq!((&before["verified"], &before["statusRevoked"]), (&json!(true), &json!(false)), "{before:#}");
    assert_eq!(after["statusVerified"], true, "the republished list is signed: {after:#}");
    assert_eq!(after["statusRevoked"], true, "{after:#}");
}

#[tokio::test]
async fn dcc_verifier_core_checks_our_signature_status_and_expiry_offline() {
    // Arrange
    let (app, _org, token, certs) = issued("Verifier Core").await;

    for kind in ["unit", "qualification"] {
        let p = Published::fetch(&app, &token, of_kind(&certs, kind)["id"].as_str().unwrap()).await;

        // Act
        let out = p.vcore(&p.path("credential.json"));

        // Assert
        assert!(out["result"].get("errors").is_none(), "{kind}: {out:#}");
        for step in ["valid_signature", "revocation_status", "expiration"] {
            assert_eq!(vcore_step(&out, step)["valid"], true, "{kind}: {step}: {out:#}");
        }
        assert_eq!(out["refused"], json!([]), "{kind}: it needed nothing else: {out:#}");
        let fetched = out["fetched"].as_array().unwrap();
        let did_url = did_web_url(p.credential["issuer"]["id"].as_str().unwrap());
        assert!(fetched.contains(&json!(did_url)), "{kind}: it resolved our did:web: {out:#}");
        assert!(fetched.contains(&p.credential["credentialStatus"]["statusListCredential"]), "{out:#}");
        let schema = out["result"]["additionalInformation"]
            .as_array()
            .and_then(|a| a.iter().find(|i| i["id"] == "schema_check"))
            .unwrap_or_else(|| panic!("{kind}: no schema_check: {out:#}"));
        // Our credentials name the official schema in `credentialSchema`, so verifier-core
        // fetches it (served offline) and validates against it.
        let results =
            schema["results"].as_array().unwrap_or_else(|| panic!("{kind}: schema not checked: {out:#}"));
        assert!(
            !results.is_empty() && results.iter().all(|r| r["result"]["valid"] == true),
            "{kind}: {out:#}"
        );
    }
}

#[tokio::test]
async fn dcc_verifier_core_reports_our_revoked_credential_as_revoked() {
    // Arrange
    let (app, org, token, certs) = issued("Verifier Core Återkallat").await;
    let cert = of_kind(&certs, "qualification");
    let p = Published::fetch(&app, &token, cert["id"].as_str().unwrap()).await;
    let before = p.vcore(&p.path("credential.json"));
    revoke(&app, &org, cert).await;
    p.refresh_status_list(&app).await;

    // Act
    let after = p.vcore(&p.path("credential.json"));

    // Assert
    assert_eq!(vcore_step(&before, "revocation_status")["valid"], true, "{before:#}");
    assert_eq!(vcore_step(&after, "valid_signature")["valid"], true, "{after:#}");
    assert_eq!(vcore_step(&after, "revocation_status")["valid"], false, "{after:#}");
}

#[tokio::test]
async fn dcc_verifier_core_reports_our_credential_with_changed_credits_as_an_invalid_signature() {
    // Arrange
    let (app, _org, token, certs) = issued("Verifier Core Ändrad").await;
    let p = Published::fetch(&app, &token, of_kind(&certs, "qualification")["id"].as_str().unwrap()).await;
    let mut altered = p.credential.clone();
    altered["credentialSubject"]["creditsEarned"] = json!(60);
    let altered = p.write("altered.json", &altered);

    // Act
    let out = p.vcore(&altered);

    // Assert
    assert_eq!(out["result"]["errors"][0]["name"], "invalid_signature", "{out:#}");
}

#[tokio::test]
async fn the_official_ob_schema_accepts_our_unit_and_qualification_credentials() {
    // Arrange
    let (app, _org, token, certs) = issued_with_names("Schema").await;

    for kind in ["unit", "qualification"] {
        let p = Published::fetch(&app, &token, of_kind(&certs, kind)["id"].as_str().unwrap()).await;

        assert!(qa_names(&p.credential).iter().all(|n| n.ends_with(')')), "{kind}: names are stated");
        // Act
        let out = schema_check(&p.path("credential.json"));

        // Assert
        assert_eq!(out["validator"], "Draft201909Validator", "as the schema's $schema says");
        assert_eq!(out["valid"], true, "{kind}: {out:#}");
    }
}

#[tokio::test]
async fn the_official_ob_schema_allows_a_single_proof_object_and_rejects_a_missing_valid_from() {
    // Arrange
    let (app, _org, token, certs) = issued("Schema Ändrad").await;
    let p = Published::fetch(&app, &token, of_kind(&certs, "qualification")["id"].as_str().unwrap()).await;
    let mut single = p.credential.clone();
    single["proof"] = p.credential["proof"][0].clone();
    let single = p.write("single-proof.json", &single);
    let mut undated = p.credential.clone();
    undated.as_object_mut().unwrap().remove("validFrom");
    let undated = p.write("no-valid-from.json", &undated);

    // Act
    let (single, undated) = (schema_check(&single), schema_check(&undated));

    // Assert
    assert_eq!(single["valid"], true, "the schema takes one proof or an array: {single:#}");
    assert_eq!(undated["valid"], false, "{undated:#}");
    assert_eq!(undated["errors"], json!([{"path": "", "message": "'validFrom' is a required property"}]));
}

/// The cryptosuites another issuer signs with in the test below. `eddsa-jcs-2022` joins once
/// `@digitalbazaar/eddsa-jcs-2022-cryptosuite` (listed in tests/interop/package.json) is
/// installed in tests/interop/node_modules; until then a credential it signed is a fixture.
const FOREIGN_SUITES: [&str; 2] = ["eddsa-rdfc-2022", "eddsa-jcs-2022"];

/// `signed`, a did:key issuer's credential, gets "valid signature, unknown issuer" from the API,
/// the /check page (with the issuer's DID shown) and the offline CLI; a tampered copy is forged.
async fn assert_checked_not_vouched_for(app: &TestApp, dir: &Path, signed: &Value, what: &str) {
    let did = signed["issuer"]["id"].as_str().unwrap().to_owned();
    assert!(did.starts_with("did:key:z6Mk"), "{what}: {signed:#}");
    let mut tampered = signed.clone();
    tampered["credentialSubject"]["achievement"]["creditsAvailable"] = json!(30);

    // Act
    let post = |doc: &Value| {
        let req = app.client.post(format!("{}/api/verify", app.address)).json(doc);
        async move { TestApp::reply(req.send().await.unwrap()).await.expect(200) }
    };
    let report = post(signed).await;
    let forged = post(&tampered).await;
    let page = {
        let b = app.browser();
        b.get("/check?lang=sv").await.expect(200);
        b.post_multipart("/check", |f| f.text("text", signed.to_string())).await
    };
    let file = dir.join(format!("{what}.json"));
    std::fs::write(&file, signed.to_string()).unwrap();
    let cli = Command::new(env!("CARGO_BIN_EXE_validera"))
        .args(["verify", "--json", "--lang", "fi"])
        .arg(&file)
        .output()
        .unwrap();

    // Assert
    assert_eq!(report["outcome"], "valid-signature-unknown-issuer", "{what}: {report:#}");
    assert_eq!(report["genuine"], false);
    assert_eq!(report["certificate"]["issuer_id"], did.as_str());
    assert_eq!(forged["outcome"], "forged", "{what}: {forged:#}");
    let body = page.expect(200);
    assert!(body.contains("data-outcome=\"valid-signature-unknown-issuer\""), "{what}: {body}");
    assert!(body.contains(&format!("<strong id=\"issuer-identity\">{did}</strong>")), "{what}: {body}");
    assert!(body.contains("Inte fastställt: vem utfärdaren är"), "{what}: {body}");
    let out: Value = serde_json::from_slice(&cli.stdout).unwrap_or_else(|e| panic!("{what}: {e}: {cli:?}"));
    assert_eq!(out["outcome"], "valid-signature-unknown-issuer", "{what}: {out:#}");
    assert_eq!(out["issuer"], did.as_str());
    assert_eq!(out["headline"], "Allekirjoitus on pätevä, mutta tämä palvelu ei tunne myöntäjää");
    assert_eq!(cli.status.code(), Some(1), "{what}: exit 0 is for genuine only");
}

#[tokio::test]
async fn another_issuers_did_key_credential_signed_by_digital_bazaar_is_checked_not_vouched_for() {
    // Arrange: an OB 3.0 credential of another issuer, signed by Digital Bazaar's tools under a
    // fresh did:key.
    let app = spawn_app(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let mut unsigned: Value =
        serde_json::from_str(include_str!("../../src/credential/testdata/achievement.json")).unwrap();
    unsigned.as_object_mut().unwrap().remove("credentialStatus");
    let unsigned_path = dir.path().join("unsigned.json");
    std::fs::write(&unsigned_path, unsigned.to_string()).unwrap();

    for suite in FOREIGN_SUITES {
        let signed = node("sign.mjs", &[&unsigned_path, Path::new(suite)]);
        assert_eq!(signed["proof"]["cryptosuite"], suite);
        assert_checked_not_vouched_for(&app, dir.path(), &signed, suite).await;
    }
}

#[tokio::test]
async fn another_issuers_eddsa_jcs_2022_credential_signed_by_digital_bazaar_is_checked_not_vouched_for() {
    let app = spawn_app(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let signed: Value =
        serde_json::from_str(include_str!("fixtures/foreign/did-key-eddsa-jcs-2022.json")).unwrap();
    assert_eq!(signed["proof"]["cryptosuite"], "eddsa-jcs-2022");
    assert_checked_not_vouched_for(&app, dir.path(), &signed, "jcs").await;
}

/// Serves `doc` at `/.well-known/did.json` on `listener` (plain HTTP, one request per
/// connection), counting the requests.
fn serve_did_document(
    listener: std::net::TcpListener,
    doc: Value,
) -> std::sync::Arc<std::sync::atomic::AtomicUsize> {
    use std::io::{Read, Write};
    let served = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = served.clone();
    std::thread::spawn(move || {
        for mut conn in listener.incoming().flatten() {
            let mut head = [0u8; 4096];
            let n = conn.read(&mut head).unwrap_or(0);
            let found = String::from_utf8_lossy(&head[..n]).starts_with("GET /.well-known/did.json ");
            let body = if found { doc.to_string() } else { String::new() };
            let status = if found { "200 OK" } else { "404 Not Found" };
            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let _ = write!(
                conn,
                "HTTP/1.1 {status}\r\nContent-Type: application/did+json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    served
}

#[tokio::test]
async fn another_issuers_did_web_credential_is_checked_through_the_safe_fetcher() {
    // Arrange: Digital Bazaar signs as did:web:127.0.0.1%3APORT, and a server on that port serves
    // the DID document. Only an allow-list that tests set lets the fetcher reach loopback.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let did = format!("did:web:127.0.0.1%3A{port}");
    let dir = tempfile::tempdir().unwrap();
    let mut unsigned: Value =
        serde_json::from_str(include_str!("../../src/credential/testdata/achievement.json")).unwrap();
    unsigned.as_object_mut().unwrap().remove("credentialStatus");
    let unsigned_path = dir.path().join("unsigned.json");
    std::fs::write(&unsigned_path, unsigned.to_string()).unwrap();
    let out = node("sign.mjs", &[&unsigned_path, Path::new("eddsa-rdfc-2022"), Path::new(&did)]);
    let (signed, document) = (out["credential"].clone(), out["didDocument"].clone());
    assert_eq!(signed["issuer"]["id"], did.as_str());
    let served = serve_did_document(listener, document);
    let mut tampered = signed.clone();
    tampered["credentialSubject"]["achievement"]["creditsAvailable"] = json!(30);
    let (allowed, _) = crate::helpers::spawn_app_with(Backend::Sqlite, |s| {
        s.fetch_policy = validera::fetch::FetchPolicy::default().with_test_host(&format!("127.0.0.1:{port}"));
    })
    .await;
    let strict = spawn_app(Backend::Sqlite).await;
    let post = |app: &TestApp, doc: &Value| {
        let req = app.client.post(format!("{}/api/verify", app.address)).json(doc);
        async move { TestApp::reply(req.send().await.unwrap()).await.expect(200) }
    };

    // Act
    let report = post(&allowed, &signed).await;
    let forged = post(&allowed, &tampered).await;
    let fetched = served.load(std::sync::atomic::Ordering::SeqCst);
    let refused = post(&strict, &signed).await;

    // Assert: checked with the issuer's own key, which nobody here vouches for.
    assert_eq!(report["outcome"], "valid-signature-unknown-issuer", "{report:#}");
    assert_eq!(report["certificate"]["issuer_id"], did.as_str());
    assert_eq!(forged["outcome"], "forged", "{forged:#}");
    // The document was fetched once and then taken from the cache.
    assert_eq!(fetched, 1, "one fetch of the DID document for two checks");
    // A server with the public policy never reaches a loopback address: nothing is said about
    // the signature, and nothing more was fetched.
    assert_eq!(refused["outcome"], "issuer-unresolved", "{refused:#}");
    assert_eq!(served.load(std::sync::atomic::Ordering::SeqCst), 1);
}
