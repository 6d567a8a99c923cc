//! The command line, run as the real binary.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use diesel_migrations::MigrationHarness;
use serde_json::{Value, json};

use crate::both_backends;
use crate::certificates::certified;
use crate::helpers::{Backend, TestDatabase, spawn_app_with};

fn validera(db: &str, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_validera"))
        .args(args)
        .env("VALIDERA_DATABASE_URL", db)
        .env("VALIDERA_LOG_FORMAT", "json")
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

async fn admin_create_makes_an_administrator_who_can_sign_in(backend: Backend) {
    // Arrange
    let db = TestDatabase::new(backend);
    assert_eq!(validera(&db.url, &["migrate"]).0, 0);

    // Act
    let (code, out) = validera(
        &db.url,
        &[
            "admin",
            "create",
            "--organisation",
            "Norrby kommun",
            "--email",
            "Chef@Norrby.test",
            "--name",
            "Chef",
        ],
    );

    // Assert
    assert_eq!(code, 0, "{out}");
    let otp = out
        .lines()
        .find_map(|l| l.strip_prefix("One-time password (shown once; change it at first sign-in): "))
        .unwrap()
        .to_owned();
    let (code, _) = validera(
        &db.url,
        &[
            "admin",
            "create",
            "--organisation",
            "Norrby kommun",
            "--email",
            "chef@norrby.test",
            "--name",
            "Chef",
        ],
    );
    assert_ne!(code, 0, "the same e-mail twice is refused");
    let url = db.url.clone();
    let (app, _) = spawn_app_with(backend, |s| s.database_url = url).await;
    let t = app.login("chef@norrby.test", &otp).await.expect(200);
    assert_eq!(t["password_change_required"], true);
}

/// A folder without framework files is not a clean pass: a mistyped path would look like one.
#[test]
fn frameworks_check_on_a_folder_without_framework_files_fails_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "not a framework").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_validera"))
        .args(["frameworks", "check"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let expected = format!("no framework files found in {}", dir.path().display());
    assert!(stderr.contains(&expected), "{stderr}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("checked"), "no report of zero files");
}

/// Every migration reverts and re-applies cleanly on both backends (`diesel migration redo`).
#[test]
fn migrations_revert_and_reapply_on_both_backends() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let db = TestDatabase::new(backend);
        let pool = validera::db::connect(&db.url, 1).unwrap();
        let mut conn = pool.get().unwrap();
        let applied = validera::db::migrate(&mut conn).unwrap();
        assert!(!applied.is_empty());
        match &mut *conn {
            validera::db::DbConnection::Sqlite(c) => {
                c.revert_all_migrations(validera::db::SQLITE_MIGRATIONS).unwrap();
                assert!(
                    c.run_pending_migrations(validera::db::SQLITE_MIGRATIONS).unwrap().len() == applied.len()
                );
            }
            validera::db::DbConnection::Pg(c) => {
                c.revert_all_migrations(validera::db::POSTGRES_MIGRATIONS).unwrap();
                assert!(
                    c.run_pending_migrations(validera::db::POSTGRES_MIGRATIONS).unwrap().len()
                        == applied.len()
                );
            }
        }
    }
}

/// A recording web server on 127.0.0.1: it answers the paths given to `serve`, forwards every
/// other GET to `upstream` (the test app) if set, and remembers every path asked for, so a test
/// can say exactly what the command line fetched.
#[derive(Clone)]
struct Relay {
    base: String,
    seen: Arc<Mutex<Vec<String>>>,
    routes: Arc<Mutex<HashMap<String, Vec<u8>>>>,
    upstream: Arc<Mutex<Option<String>>>,
}

impl Relay {
    fn start() -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let relay = Relay {
            base: format!("http://{}", listener.local_addr().unwrap()),
            seen: Arc::default(),
            routes: Arc::default(),
            upstream: Arc::default(),
        };
        let r = relay.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let r = r.clone();
                std::thread::spawn(move || r.answer(stream));
            }
        });
        relay
    }

    fn answer(&self, mut stream: std::net::TcpStream) {
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut request_line = String::new();
        reader.read_line(&mut request_line).unwrap();
        let path = request_line.split_whitespace().nth(1).unwrap_or("/").to_owned();
        let mut accept = String::from("*/*");
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
            if let Some((_, v)) = line.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("accept")) {
                accept = v.trim().to_owned();
            }
        }
        self.seen.lock().unwrap().push(path.clone());
        let served = self.routes.lock().unwrap().get(&path).cloned();
        let upstream = self.upstream.lock().unwrap().clone();
        let (status, body) = match (served, upstream) {
            (Some(body), _) => (200, body),
            (None, Some(up)) => {
                let agent: ureq::Agent =
                    ureq::Agent::config_builder().http_status_as_error(false).build().into();
                let mut resp = agent.get(format!("{up}{path}")).header("Accept", &accept).call().unwrap();
                (resp.status().as_u16(), resp.body_mut().read_to_vec().unwrap())
            }
            (None, None) => (404, Vec::new()),
        };
        let head = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&body);
    }

    fn serve(&self, path: &str, body: &Value) {
        self.routes.lock().unwrap().insert(path.to_owned(), serde_json::to_vec(body).unwrap());
    }

    /// The paths asked for since the last call.
    fn take_seen(&self) -> Vec<String> {
        std::mem::take(&mut *self.seen.lock().unwrap())
    }
}

/// Runs `validera verify ARGS` on the blocking pool, so that the test app keeps serving;
/// returns the exit code, stdout and stderr.
async fn verify_cli(args: &[&str]) -> (Option<i32>, String, String) {
    let args: Vec<String> =
        std::iter::once("verify").chain(args.iter().copied()).map(str::to_owned).collect();
    tokio::task::spawn_blocking(move || {
        let out = Command::new(env!("CARGO_BIN_EXE_validera"))
            .args(&args)
            .env("VALIDERA_LOG_FORMAT", "json")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    })
    .await
    .unwrap()
}

async fn verify_online_fetches_only_the_issuers_documents_and_the_list_after_the_signature(backend: Backend) {
    // Arrange: the app publishes itself at the relay's address, so its certificates name the
    // relay as their did:web host and status list host, and every fetch shows in the relay.
    let relay = Relay::start();
    let public = relay.base.clone();
    let (app, _) = spawn_app_with(backend, |s| s.public_url = Some(public)).await;
    *relay.upstream.lock().unwrap() = Some(app.address.clone());
    let org = app.org("Nätkontroll").await;
    let (_, certs) = certified(&app, &org).await;
    let id = certs[0]["id"].as_str().unwrap();
    let doc: Value = app
        .client
        .get(format!("{}/v/{id}/credential.json", app.address))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let list_url = doc["credentialStatus"]["statusListCredential"].as_str().unwrap();
    let list_path = list_url.strip_prefix(&relay.base).expect("the list is on the relay's host").to_owned();
    let did_path = format!("/issuers/{}/did.json", org.id);
    let url = format!("{}/v/{id}", relay.base);

    // Act and assert: a valid signature by the issuer's own key, after fetching the credential,
    // the DID document and the list only. The keys were fetched, not handed over, so the issuer
    // is shown and not vouched for (exit 0 is for genuine only).
    let (code, out, err) = verify_cli(&[&url, "--allow-http", "--allow-private"]).await;
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(out.lines().next().unwrap().ends_with(": valid-signature-unknown-issuer"), "{out}");
    assert!(out.contains("ok   status"), "the list was read after the signature verified: {out}");
    assert_eq!(relay.take_seen(), [format!("/v/{id}"), did_path.clone(), list_path.clone()]);

    // Loopback without --allow-private, or http without --allow-http: refused before any request.
    let (code, out, err) = verify_cli(&[&url, "--allow-http"]).await;
    assert_eq!(code, Some(1), "{out}");
    assert!(err.contains("not a public address"), "{err}");
    let (code, _, err) = verify_cli(&[&url, "--allow-private"]).await;
    assert_eq!(code, Some(1));
    assert!(err.contains("is not https"), "{err}");
    assert!(relay.take_seen().is_empty(), "nothing is fetched from a refused address");

    // A forged credential: the signature fails, so its status list is never asked for.
    let mut forged = doc.clone();
    forged["credentialSubject"]["creditsEarned"] = json!(60);
    relay.serve("/forged.json", &forged);
    let (code, out, _) =
        verify_cli(&[&format!("{}/forged.json", relay.base), "--allow-http", "--allow-private"]).await;
    assert_eq!(code, Some(1));
    assert!(out.lines().next().unwrap().ends_with(": forged"), "{out}");
    assert_eq!(relay.take_seen(), ["/forged.json".to_owned(), did_path.clone()]);

    // A validly signed credential whose status list is on another host: that host is never
    // contacted, and the status stays unchecked (neither genuine nor forged).
    let other = Relay::start();
    let key = validera::credential::keys::generate();
    let did = validera::credential::did::did_web(&relay.base, &["elsewhere"]);
    let mut moved = doc.clone();
    moved.as_object_mut().unwrap().remove("proof");
    moved["issuer"]["id"] = json!(did);
    moved["credentialStatus"]["statusListCredential"] = json!(format!("{}/status/list", other.base));
    let moved =
        validera::credential::proof::sign(&moved, &key, &format!("{did}#k1"), chrono::Utc::now()).unwrap();
    relay.serve("/moved.json", &moved);
    relay.serve(
        "/elsewhere/did.json",
        &validera::credential::did::document(&did, &[("k1".into(), key.verifying_key(), None)]),
    );
    let (code, out, err) =
        verify_cli(&[&format!("{}/moved.json", relay.base), "--allow-http", "--allow-private"]).await;
    assert_eq!(code, Some(1));
    assert!(out.lines().next().unwrap().ends_with(": status-unavailable"), "{out}");
    assert!(out.contains("ok   signature"), "{out}");
    assert!(err.contains("not on the host of the issuer"), "{err}");
    assert!(other.take_seen().is_empty(), "the other host saw a request");
    assert_eq!(relay.take_seen(), ["/moved.json", "/elsewhere/did.json"]);

    // On the issuer's host but not there (404): asked for, and the status stays unchecked.
    let mut gone = moved.clone();
    gone.as_object_mut().unwrap().remove("proof");
    gone["credentialStatus"]["statusListCredential"] =
        json!(format!("{}/status/gone/revocation", relay.base));
    let gone =
        validera::credential::proof::sign(&gone, &key, &format!("{did}#k1"), chrono::Utc::now()).unwrap();
    relay.serve("/gone.json", &gone);
    let (code, out, err) =
        verify_cli(&[&format!("{}/gone.json", relay.base), "--allow-http", "--allow-private"]).await;
    assert_eq!(code, Some(1));
    assert!(out.lines().next().unwrap().ends_with(": status-unavailable"), "{out}");
    assert!(err.contains("answered 404"), "{err}");
    assert_eq!(relay.take_seen(), ["/gone.json", "/elsewhere/did.json", "/status/gone/revocation"]);

    // A reader that closes early (`| head -1`): no panic, the verdict's exit code stands. The
    // pipe is closed before the command can print (it still has to fetch and verify), so every
    // write it makes meets a closed pipe.
    let url2 = url.clone();
    let (status, stderr) = tokio::task::spawn_blocking(move || {
        let mut child = Command::new(env!("CARGO_BIN_EXE_validera"))
            .args(["verify", &url2, "--allow-http", "--allow-private"])
            .env("VALIDERA_LOG_FORMAT", "json")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let mut stderr = String::new();
        child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
        (child.wait().unwrap(), stderr)
    })
    .await
    .unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    // The verdict's code (valid-signature-unknown-issuer is not genuine), not a panic's 101.
    assert_eq!(status.code(), Some(1), "{stderr}");
}

/// `admin create` takes names and addresses by the same rules as the API and the pages, and
/// checks them all before it writes anything.
async fn admin_create_refuses_bad_names_before_writing(backend: Backend) {
    let db = TestDatabase::new(backend);
    assert_eq!(validera(&db.url, &["migrate"]).0, 0);
    let bad = [
        ("Syd kommun", "chef@syd.test", "\u{200b}"),
        ("Syd kommun", "chef@syd.test", "Ch\u{7}ef"),
        ("Syd kommun", "chef\u{1b}@syd.test", "Chef"),
        ("Syd\u{7} kommun", "chef@syd.test", "Chef"),
    ];
    for (org, email, name) in bad {
        let (code, _) =
            validera(&db.url, &["admin", "create", "--organisation", org, "--email", email, "--name", name]);
        assert_ne!(code, 0, "{org:?} {email:?} {name:?}");
    }
    let pool = validera::db::connect(&db.url, 1).unwrap();
    let orgs = validera::db::queries::organisations::find_by_name(&mut pool.get().unwrap(), "Syd kommun");
    assert!(matches!(orgs, Err(validera::db::DbError::NotFound)), "no organisation was left behind");
    // The decomposed spelling of an address is stored composed and lower case.
    let (code, out) = validera(
        &db.url,
        &[
            "admin",
            "create",
            "--organisation",
            "Syd kommun",
            "--email",
            "A\u{30a}sa@Syd.test",
            "--name",
            "\u{c5}sa",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Administrator \u{e5}sa@syd.test created"), "{out}");
}

both_backends!(
    admin_create_refuses_bad_names_before_writing,
    admin_create_makes_an_administrator_who_can_sign_in,
    verify_online_fetches_only_the_issuers_documents_and_the_list_after_the_signature
);
