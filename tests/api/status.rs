//! Suspension, the status list's validity window, and key compromise, as outside verifiers see
//! them: Digital Bazaar's `@digitalbazaar/vc`, the DCC's verifier-core and `validera verify`.

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use validera::credential::keys::MasterKey;
use validera::credential::offline::DocumentTrust;
use validera::credential::verify::{self, Outcome, Presented};
use validera::db::queries::{credentials as cq, keys as kq};
use validera::service::certificates::{Issuing, refresh_lists};
use validera::service::frameworks::FrameworkCache;

use crate::both_backends;
use crate::certificates::{certified, verify_body};
use crate::helpers::{Backend, Org, TestApp, spawn_app_with};
use crate::interop::{Published, get_json, of_kind, vcore_step};

/// An app whose master key the test holds (to sign with an organisation's key directly).
async fn app_with_master(backend: Backend) -> (TestApp, Arc<MasterKey>) {
    let master = Arc::new(MasterKey::generate());
    let m = master.clone();
    let (app, _) = spawn_app_with(backend, move |s| s.master_key = m).await;
    (app, master)
}

/// Suspends, reinstates or revokes; returns the certificate's new version.
async fn change(app: &TestApp, org: &Org, id: &str, action: &str, version: &Value) -> Value {
    // A new connection: the pooled one may have idled past the server's keep-alive while the
    // node verifiers ran.
    let resp = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap()
        .post(format!("{}/api/certificates/{id}/{action}", app.address))
        .bearer_auth(&org.admin.token)
        .json(&json!({"version": version, "reason": format!("Prov: {action}")}))
        .send()
        .await
        .unwrap();
    TestApp::reply(resp).await.expect(200)["version"].clone()
}

/// `validera verify … --json`, run off the async runtime (an online check calls the test app).
async fn cli(args: Vec<String>) -> (i32, Value) {
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_validera"))
            .arg("verify")
            .args(&args)
            .arg("--json")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("no JSON ({e}): {stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), report)
}

fn offline_args(p: &Published) -> Vec<String> {
    let path = |n: &str| p.path(n).to_string_lossy().into_owned();
    let (c, k, l) = (path("credential.json"), path("did.json"), path("status-list.json"));
    vec![c, "--keys".into(), k, "--status-list".into(), l]
}

fn status_check(report: &Value) -> &Value {
    report["checks"].as_array().unwrap().iter().find(|c| c["name"] == "status").expect("a status check")
}

async fn suspension_and_reinstatement_reach_third_party_verifiers_and_the_cli(backend: Backend) {
    // Arrange
    let (app, _) = app_with_master(backend).await;
    let org = app.org("Spärrat").await;
    let (token, certs) = certified(&app, &org).await;
    let cert = of_kind(&certs, "unit");
    let id = cert["id"].as_str().unwrap();
    let p = Published::fetch(&app, &token, id).await;
    let credential = p.path("credential.json");
    let online =
        vec![format!("{}/v/{id}", app.address), "--allow-http".to_owned(), "--allow-private".to_owned()];

    // Act: suspended
    let version = change(&app, &org, id, "suspend", &cert["version"]).await;
    p.refresh_status_list(&app).await;
    let (di, vcore) = (p.di(&credential), p.vcore(&credential));
    let ((code, offline), (online_code, online_report)) =
        (cli(offline_args(&p)).await, cli(online.clone()).await);

    // Assert
    assert_eq!((&di["statusVerified"], &di["statusRevoked"]), (&json!(true), &json!(true)), "{di:#}");
    assert_eq!(vcore_step(&vcore, "valid_signature")["valid"], true, "{vcore:#}");
    assert_eq!(vcore_step(&vcore, "revocation_status")["valid"], false, "{vcore:#}");
    assert_eq!((code, &offline["outcome"]), (1, &json!("revoked")), "{offline:#}");
    assert_eq!(
        status_check(&offline)["detail"],
        "the issuer's status list marks it revoked or suspended",
        "offline, only the bit is known: {offline:#}"
    );
    assert_eq!((online_code, &online_report["outcome"]), (1, &json!("revoked")), "{online_report:#}");
    assert_eq!(verify::Outcome::Suspended.as_str(), crate::certificates::report(&app, id).await["outcome"]);

    // Act: reinstated
    let version = change(&app, &org, id, "reinstate", &version).await;
    p.refresh_status_list(&app).await;
    let (di, vcore) = (p.di(&credential), p.vcore(&credential));
    let ((code, offline), (online_code, online_report)) =
        (cli(offline_args(&p)).await, cli(online.clone()).await);

    // Assert
    assert_eq!((&di["verified"], &di["statusRevoked"]), (&json!(true), &json!(false)), "{di:#}");
    assert_eq!(vcore_step(&vcore, "revocation_status")["valid"], true, "{vcore:#}");
    assert!(vcore["result"].get("errors").is_none(), "{vcore:#}");
    assert_eq!((code, &offline["outcome"]), (0, &json!("genuine")), "{offline:#}");
    // Online the keys are fetched, not handed over: valid, by an issuer shown but not vouched for.
    assert_eq!(
        (online_code, &online_report["outcome"]),
        (1, &json!("valid-signature-unknown-issuer")),
        "{online_report:#}"
    );
    assert_eq!(status_check(&online_report)["result"], "passed", "{online_report:#}");

    // Act: revoked
    change(&app, &org, id, "revoke", &version).await;
    p.refresh_status_list(&app).await;
    let (di, vcore) = (p.di(&credential), p.vcore(&credential));
    let ((code, offline), (online_code, online_report)) = (cli(offline_args(&p)).await, cli(online).await);

    // Assert
    assert_eq!(di["statusRevoked"], true, "reported under the revocation purpose: {di:#}");
    let step = vcore_step(&vcore, "revocation_status");
    assert_eq!(step["valid"], false, "{vcore:#}");
    assert_eq!((code, &offline["outcome"]), (1, &json!("revoked")), "{offline:#}");
    assert_eq!((online_code, &online_report["outcome"]), (1, &json!("revoked")), "{online_report:#}");
    assert_eq!(crate::certificates::report(&app, id).await["outcome"], "revoked");
}

fn date(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap().with_timezone(&Utc)
}

async fn an_out_of_date_status_list_copy_is_stale_and_the_refresher_re_signs_the_list(backend: Backend) {
    // Arrange
    let (app, master) = app_with_master(backend).await;
    let org = app.org("Inaktuell lista").await;
    let (token, certs) = certified(&app, &org).await;
    let p = Published::fetch(&app, &token, certs[0]["id"].as_str().unwrap()).await;
    let list_url = p.credential["credentialStatus"]["statusListCredential"].as_str().unwrap().to_owned();
    let old_list = get_json(&app, &list_url).await;
    let (from, until) = (date(&old_list["validFrom"]), date(&old_list["validUntil"]));
    let did: Value = serde_json::from_slice(&std::fs::read(p.path("did.json")).unwrap()).unwrap();
    let presented = Presented::json(p.credential.clone());
    let check_with = |list: &Value, now: DateTime<Utc>| {
        let mut trust = DocumentTrust::default();
        trust.add_keys(&did, None, true).unwrap();
        trust.add_status_list(list).unwrap();
        verify::verify(&presented, &trust, now)
    };
    let cache = FrameworkCache::default();
    let ctx = Issuing {
        master: &master,
        public_url: &app.address,
        cache: &cache,
        list_validity: Duration::hours(48),
        clock: Default::default(),
    };
    let mut conn = app.pool.get().unwrap();

    // Act
    let fresh = check_with(&old_list, from + Duration::hours(1));
    let stale = check_with(&old_list, until + Duration::minutes(1));
    let early = refresh_lists(&mut conn, &ctx, from + Duration::hours(23)).unwrap();
    // Two instances' refreshers at once: one re-signs, the other skips, neither fails.
    let due: Vec<usize> = std::thread::scope(|scope| {
        let round = || {
            let mut conn = app.pool.get().unwrap();
            refresh_lists(&mut conn, &ctx, from + Duration::hours(25)).unwrap()
        };
        let (a, b) = (scope.spawn(round), scope.spawn(round));
        vec![a.join().unwrap(), b.join().unwrap()]
    });
    let due: usize = due.into_iter().sum();
    let again = refresh_lists(&mut conn, &ctx, from + Duration::hours(25)).unwrap();
    let new_list = get_json(&app, &list_url).await;

    // Assert
    assert_eq!(until - from, Duration::hours(48), "the window is validFrom + 48 h");
    assert_eq!(fresh.outcome, Outcome::Genuine, "{:#?}", fresh.checks);
    assert_eq!(stale.outcome, Outcome::StatusUnavailable, "never genuine: {:#?}", stale.checks);
    let status = stale.checks.iter().find(|c| c.name == "status").unwrap();
    assert_eq!(status.code, "status-stale");
    assert!(
        status.detail.contains("stale") && status.detail.contains("fetch a fresh one"),
        "{}",
        status.detail
    );
    assert_eq!((early, due, again), (0, 1, 0), "re-signed once, when less than half the window is left");
    assert_eq!(date(&new_list["validFrom"]), from + Duration::hours(25));
    assert_eq!(date(&new_list["validUntil"]), from + Duration::hours(73));
    assert_eq!(new_list["credentialSubject"]["encodedList"], old_list["credentialSubject"]["encodedList"]);
    let renewed = check_with(&new_list, until + Duration::minutes(1));
    assert_eq!(renewed.outcome, Outcome::Genuine, "the re-signed copy verifies: {:#?}", renewed.checks);
}

fn kid_of(credential: &Value) -> String {
    let vm = credential["proof"][0]["verificationMethod"].as_str().unwrap();
    vm.split_once('#').unwrap().1.to_owned()
}

fn without_proof(credential: &Value) -> Value {
    let mut c = credential.clone();
    c.as_object_mut().unwrap().remove("proof");
    c
}

#[track_caller]
fn run(cmd: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} is needed for this test (poppler-utils, zbar-tools): {e}"));
    assert!(out.status.success(), "{cmd}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// A PDF's text, and what the QR code on its first page decodes to.
fn pdf_text_and_qr(dir: &Path, name: &str, pdf: &[u8]) -> (String, String) {
    let file = dir.join(format!("{name}.pdf"));
    std::fs::write(&file, pdf).unwrap();
    let (file, prefix) = (file.to_str().unwrap(), dir.join(name));
    let text = run("pdftotext", &["-raw", file, "-"]);
    run("pdftoppm", &["-r", "100", "-png", "-singlefile", file, prefix.to_str().unwrap()]);
    let png = prefix.with_extension("png");
    (text, run("zbarimg", &["--quiet", "--raw", png.to_str().unwrap()]).trim().to_owned())
}

async fn a_compromised_key_is_withdrawn_and_earlier_certificates_are_re_signed(backend: Backend) {
    // Arrange: certificates signed with the key that is then declared compromised, and one a
    // thief signs with it after the compromise date.
    let (app, master) = app_with_master(backend).await;
    let org = app.org("Komprometterad").await;
    let (token, certs) = certified(&app, &org).await;
    let id = of_kind(&certs, "qualification")["id"].as_str().unwrap();
    let before = Published::fetch(&app, &token, id).await;
    let old_kid = kid_of(&before.credential);
    let pdf_path = format!("/api/certificates/{id}/certificate.pdf");
    let pdf_before = app.bytes(&pdf_path, Some(&token)).await;
    let compromised_from = Utc::now() + Duration::seconds(1);
    let stolen = {
        let mut conn = app.pool.get().unwrap();
        let row = kq::find_by_id(&mut conn, &old_kid).unwrap();
        let key = master.open(&row.id, &row.sealed_private_key).unwrap();
        let vm = before.credential["proof"][0]["verificationMethod"].as_str().unwrap();
        validera::credential::proof::sign(
            &without_proof(&before.credential),
            &key,
            vm,
            compromised_from + Duration::minutes(1),
        )
        .unwrap()
    };

    // Act
    let k = app
        .post(
            &format!("/api/keys/{old_kid}/compromise"),
            &org.admin.token,
            json!({"from": compromised_from.to_rfc3339(), "reason": "Nyckelfilen läckte"}),
        )
        .await
        .expect(200);
    let after = Published::fetch(&app, &token, id).await;
    // Everything from the app before the slow node runs: an idle keep-alive connection would
    // time out meanwhile.
    let pdf_after = app.bytes(&pdf_path, Some(&token)).await;
    let ours = verify_body(&app, serde_json::to_vec(&stolen).unwrap(), "application/json").await;
    let did = get_json(&app, &format!("{}/issuers/{}/did.json", app.address, org.id)).await;
    let host = get_json(&app, &format!("{}/.well-known/did.json", app.address)).await;
    let stolen_file = after.write("stolen.json", &stolen);
    let old_file = after.write("old.json", &before.credential);
    let (di_new, vcore_new) =
        (after.di(&after.path("credential.json")), after.vcore(&after.path("credential.json")));
    let (di_stolen, vcore_stolen) = (after.di(&stolen_file), after.vcore(&stolen_file));
    let di_old = after.di(&old_file);

    // Assert: re-signed, same id and content, with the new active key.
    assert_eq!(k["status"], "compromised");
    let new_kid = kid_of(&after.credential);
    assert_ne!(new_kid, old_kid);
    assert_eq!(after.credential["id"], before.credential["id"]);
    assert_eq!(without_proof(&after.credential), without_proof(&before.credential), "same content");
    let jwt_header: Value = {
        use base64::Engine;
        let h = after.path("credential.jwt");
        let token = std::fs::read_to_string(h).unwrap();
        let part = token.trim().split('.').next().unwrap().to_owned();
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).unwrap())
            .unwrap()
    };
    assert_eq!(jwt_header["kid"], new_kid.as_str(), "a new VC-JWT too");
    // Third parties accept the re-signed certificate and refuse what the compromised key signed.
    assert_eq!((&di_new["verified"], &di_new["statusRevoked"]), (&json!(true), &json!(false)), "{di_new:#}");
    assert!(vcore_new["result"].get("errors").is_none(), "{vcore_new:#}");
    assert_eq!(vcore_step(&vcore_new, "valid_signature")["valid"], true, "{vcore_new:#}");
    assert_eq!(di_stolen["verified"], false, "{di_stolen:#}");
    assert_eq!(di_old["verified"], false, "the key is no longer for assertion: {di_old:#}");
    assert!(
        vcore_stolen["result"]["errors"].as_array().is_some_and(|e| !e.is_empty())
            || vcore_step(&vcore_stolen, "valid_signature")["valid"] == false,
        "{vcore_stolen:#}"
    );
    assert_eq!(ours["outcome"], "key-compromised", "{ours:#}");
    // The key is withdrawn from assertion everywhere it is published.
    let old_vm = format!("{}#{old_kid}", after.credential["issuer"]["id"].as_str().unwrap());
    assert!(!did["assertionMethod"].as_array().unwrap().contains(&json!(old_vm)), "{did:#}");
    let method = did["verificationMethod"].as_array().unwrap().iter().find(|m| m["id"] == old_vm).unwrap();
    assert_eq!(date(&method["revoked"]).timestamp(), compromised_from.timestamp());
    assert!(after.jwks["keys"].as_array().unwrap().iter().all(|k| k["kid"] != old_kid.as_str()));
    assert!(after.jwks["compromised"].as_array().unwrap().iter().any(|k| k["kid"] == old_kid.as_str()));
    assert_eq!(host["verificationMethod"], json!([]), "the host vouches for no organisation's key");
    assert_eq!(host["assertionMethod"], json!([]));
    // The status list is re-signed with the new key.
    let list: Value =
        serde_json::from_slice(&std::fs::read(after.path("status-list.json")).unwrap()).unwrap();
    assert_eq!(kid_of(&list), new_kid);
    // The old bytes stay in the history.
    let history = cq::list_history(&mut app.pool.get().unwrap(), id).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].key_id, old_kid);
    assert_eq!(serde_json::from_str::<Value>(&history[0].document).unwrap(), before.credential);
    // The PDF carries the re-signed credential; its printed verification URL is the same.
    let embedded = validera::credential::pdf::embedded_credential(&pdf_after).unwrap();
    assert_eq!(serde_json::from_slice::<Value>(&embedded).unwrap(), after.credential);
    let url = format!("{}/v/{id}", app.address);
    let dir = tempfile::tempdir().unwrap();
    let (text_before, qr_before) = pdf_text_and_qr(dir.path(), "before", &pdf_before);
    let (text_after, qr_after) = pdf_text_and_qr(dir.path(), "after", &pdf_after);
    assert!(text_before.contains(&url) && text_after.contains(&url), "{text_after}");
    assert_eq!((qr_before.as_str(), qr_after.as_str()), (url.as_str(), url.as_str()));
    // jose verifies the new VC-JWT with the JWKS as now published.
    let jose = crate::interop::node("jwt.mjs", &[&after.path("credential.jwt"), &after.path("jwks.json")]);
    assert_eq!(jose["ok"], true, "{jose:#}");
}

both_backends!(
    suspension_and_reinstatement_reach_third_party_verifiers_and_the_cli,
    an_out_of_date_status_list_copy_is_stale_and_the_refresher_re_signs_the_list,
    a_compromised_key_is_withdrawn_and_earlier_certificates_are_re_signed,
);
