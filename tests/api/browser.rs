//! Browser tests: the real application driven by headless Chromium (Debian's `chromium`,
//! through `playwright-core`) with axe-core checking every page type. The scripts are in
//! `tests/e2e/`; these tests prepare the accounts and certificates through the API, run a
//! script with the app's address and the accounts as JSON, and fail with its output unless it
//! exits 0. Each script writes what axe found to
//! `$CARGO_TARGET_TMPDIR/e2e/a11y-<script>-<backend>.json`. A missing node, npm package or
//! Chromium fails these tests, never skips them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::{Value, json};

use crate::certificates::certified;
use crate::helpers::{Backend, TEST_FRAMEWORK, TestApp, spawn_app};

const SETUP: &str = "run `bash .ci/run` once (it installs chromium and `npm ci --prefix tests/e2e`), \
                     or `apt-get install chromium && npm ci --prefix tests/e2e`";

fn e2e_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e")
}

/// Fails (never skips) when something the browser tests need is missing.
fn preflight() {
    let node = Command::new("node").arg("--version").output();
    assert!(node.is_ok_and(|o| o.status.success()), "node is missing; {SETUP}");
    for package in ["playwright-core", "axe-core"] {
        assert!(
            e2e_dir().join("node_modules").join(package).is_dir(),
            "tests/e2e/node_modules/{package} is missing; {SETUP}"
        );
    }
    let chromium =
        std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    assert!(chromium.is_file(), "Chromium is missing at {}; {SETUP}", chromium.display());
}

/// Runs `tests/e2e/<script>` with `input` (as a JSON file); asserts it exits 0.
async fn run_script(script: &str, backend: Backend, mut input: Value) {
    preflight();
    let out_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e");
    std::fs::create_dir_all(&out_dir).unwrap();
    let name = script.trim_end_matches(".mjs");
    let report = out_dir.join(format!("a11y-{name}-{backend:?}.json").to_lowercase());
    input["report"] = json!(report);
    let work = tempfile::tempdir().unwrap();
    input["artifacts"] = json!(out_dir.join(format!("artifacts-{name}-{backend:?}").to_lowercase()));
    let file = work.path().join("input.json");
    std::fs::write(&file, serde_json::to_vec_pretty(&input).unwrap()).unwrap();
    let mut command = Command::new("node");
    command.arg(e2e_dir().join(script)).arg(&file).current_dir(e2e_dir());
    let started = Instant::now();
    // The app serves from its own threads; the script blocks only this task's thread.
    let out = tokio::task::spawn_blocking(move || command.output()).await.unwrap();
    let out = out.unwrap_or_else(|e| panic!("cannot start node: {e}; {SETUP}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{script} on {backend:?} failed ({}) after {:.1} s\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        out.status,
        started.elapsed().as_secs_f64()
    );
    println!("{stdout}");
}

fn account(email: &str, password: &str) -> Value {
    json!({"email": email, "password": password})
}

/// An account that must change its one-time password on first sign-in.
async fn fresh_account(app: &TestApp, admin_token: &str, email: &str, language: &str) -> Value {
    let body = app
        .post(
            "/api/users",
            admin_token,
            json!({"email": email, "display_name": "Ny Bedömare", "roles": ["assessor"], "language": language}),
        )
        .await
        .expect(201);
    account(email, body["one_time_password"].as_str().unwrap())
}

/// What exists for every visitor: sign-in, password change, language switch, the check page,
/// the verification page and the error pages, on a desktop and on a phone.
async fn the_public_pages_work_in_a_browser_and_pass_axe(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Webbkommun").await;
    let (token, certs) = certified(&app, &org).await;
    let q = certs.iter().find(|c| c["kind"] == "qualification").unwrap();
    let id = q["id"].as_str().unwrap();
    let pdf = app.bytes(&format!("/api/certificates/{id}/certificate.pdf"), Some(&token)).await;
    let dir = tempfile::tempdir().unwrap();
    let pdf_path = dir.path().join("certificate.pdf");
    std::fs::write(&pdf_path, &pdf).unwrap();
    let input = json!({
        "base": app.address,
        "certificate": id,
        "pdf": pdf_path,
        "fresh": fresh_account(&app, &org.admin.token, "ny@webbkommun.test", "sv").await,
        "phoneFresh": fresh_account(&app, &org.admin.token, "uusi@webbkommun.test", "fi").await,
    });
    run_script("public.mjs", backend, input).await;
}

/// The whole story through the pages: the assessor records and submits, the internal
/// verifier confirms, the candidate downloads the PDF, an employer follows its QR code, the
/// administrator revokes, the employer sees it. On SQLite in Swedish, each role on its usual
/// device (assessor on a tablet, candidate on a phone); on PostgreSQL in Finnish, everyone on a
/// phone.
async fn the_whole_story_runs_through_the_pages(backend: Backend) {
    let (lang, phone) = match backend {
        Backend::Sqlite => ("sv", false),
        Backend::Postgres => ("fi", true),
    };
    let app = spawn_app(backend).await;
    let org = app.org("Storykommun").await;
    let (candidate, otp, email) = app.candidate(&org, "Saga Lindqvist").await;
    let (framework, version) = TEST_FRAMEWORK;
    let input = json!({
        "base": app.address,
        "framework": format!("{framework}@{version}"),
        "qualification": "DBS",
        "lang": lang,
        "phone": phone,
        "accounts": {
            "admin": account(&org.admin.email, &org.admin.password),
            "assessor": account(&org.assessor.email, &org.assessor.password),
            "verifier": account(&org.verifier.email, &org.verifier.password),
            "candidate": {"id": candidate, "email": email, "password": otp},
        },
    });
    run_script("story.mjs", backend, input).await;
    // The pages did what the API sees: one certificate, the one the story took, is revoked.
    let certs = app.get("/api/certificates", &org.admin.token).await.expect(200);
    let mut outcomes = Vec::new();
    for c in certs.as_array().unwrap() {
        let report = app
            .client
            .get(format!("{}/v/{}", app.address, c["id"].as_str().unwrap()))
            .header("accept", "application/json")
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap();
        outcomes.push(report["outcome"].as_str().unwrap_or_default().to_owned());
    }
    assert_eq!(outcomes.iter().filter(|o| *o == "revoked").count(), 1, "{outcomes:?}");
    assert!(outcomes.iter().all(|o| o == "revoked" || o == "genuine"), "{outcomes:?}");
}

/// The panel member's pages and the administrator's view of approval, in Chromium with axe:
/// two drafts uploaded by the administrator, one by a person who is both administrator and
/// panel member, and an approved version whose review date has passed.
async fn the_panel_pages_work_in_a_browser_and_pass_axe(backend: Backend) {
    use validera::auth::Role;
    let app = spawn_app(backend).await;
    let org = app.org("Panelwebb").await;
    let panel = app.person(&org.id, "pia@panelwebb.test", &[Role::Panel]).await;
    let both = app.person(&org.id, "bo@panelwebb.test", &[Role::Admin, Role::Panel]).await;
    let source = include_str!("fixtures/frameworks/test-skills.toml");
    let upload = |token: String, version: &'static str| {
        let body = source
            .replace("id = \"test-skills\"", "id = \"webb-skills\"")
            .replace("version = \"2026.1\"", &format!("version = \"{version}\""));
        let req = app
            .client
            .post(format!("{}/api/frameworks", app.address))
            .bearer_auth(token)
            .header("content-type", "application/toml")
            .body(body);
        async move { TestApp::reply(req.send().await.unwrap()).await.expect(201) }
    };
    upload(org.admin.token.clone(), "1").await;
    upload(org.admin.token.clone(), "2").await;
    upload(both.token.clone(), "3").await;
    upload(org.admin.token.clone(), "0").await;
    app.post("/api/frameworks/webb-skills/0/approve", &panel.token, json!({})).await.expect(200);
    let (pool, org_id) = (app.pool.clone(), org.id.clone());
    tokio::task::spawn_blocking(move || {
        let passed = chrono::Utc::now().date_naive() - chrono::Days::new(30);
        validera::db::queries::frameworks::set_review_due(
            &mut pool.get().unwrap(),
            &org_id,
            "webb-skills",
            "0",
            passed,
        )
        .unwrap()
    })
    .await
    .unwrap();
    let input = json!({
        "base": app.address,
        "accounts": {
            "panel": account(&panel.email, &panel.password),
            "admin": account(&org.admin.email, &org.admin.password),
            "uploader": account(&both.email, &both.password),
        },
        "drafts": ["webb-skills@1", "webb-skills@2"],
        "own": "webb-skills@3",
        "overdue": "webb-skills@0",
    });
    run_script("panel.mjs", backend, input).await;
    let approved = app.get("/api/frameworks/webb-skills/1", &org.admin.token).await.expect(200);
    assert_eq!(approved["approval"]["status"], "approved", "the form's approval reached the database");
    assert_eq!(approved["approval"]["decided_by"], panel.id.as_str());
}

/// Development plans through the pages: the administrator assigns a coach and asks the
/// participant about a second one, the coach drafts and edits the plan on a desktop and a
/// tablet, the participant reads and edits it on a phone in Finnish, accepts the second coach,
/// ends their access and chooses them again; axe-core on every page.
async fn plans_work_in_a_browser_and_pass_axe(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Plankommun").await;
    let (candidate, otp, email) = app.candidate(&org, "Aino Osallistuja").await;
    let password = "osallistujan oma salasana";
    let t = app.login(&email, &otp).await.expect(200)["token"].as_str().unwrap().to_owned();
    app.post("/api/me/password", &t, json!({"current_password": otp, "new_password": password}))
        .await
        .expect(200);
    let a = app.assessment(&org, &candidate).await;
    app.post(
        &format!("/api/assessments/{a}/observations"),
        &org.assessor.token,
        json!({"date": crate::helpers::today(), "context": "Prov", "items": [
            {"criterion": "DBS-01/1.1", "met": true, "comment": "Bra"}
        ]}),
    )
    .await
    .expect(201);
    let coach = app.person(&org.id, "coach@plankommun.test", &[validera::auth::Role::Coach]).await;
    let invited = app.person(&org.id, "coach2@plankommun.test", &[validera::auth::Role::Coach]).await;
    let input = json!({
        "base": app.address,
        "accounts": {
            "admin": account(&org.admin.email, &org.admin.password),
            "coach": {"id": coach.id, "email": coach.email, "password": coach.password},
            "participant": {"id": candidate, "email": email, "password": password},
            "invited": {"id": invited.id},
        },
    });
    run_script("plans.mjs", backend, input).await;
    // The administrator asked, the participant accepted, ended the access and chose the coach
    // again: all on the pages.
    let events = app.get("/api/audit?limit=200", &org.admin.token).await.expect(200);
    let actions: Vec<&str> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["details"]["coach"] == invited.id.as_str())
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in ["coach-invited", "coach-invitation-accepted", "coach-access-ended", "coach-assigned"] {
        assert!(actions.contains(&action), "{action} missing: {actions:?}");
    }
    let asked = events["events"].as_array().unwrap().iter().find(|e| e["action"] == "coach-invited").unwrap();
    assert_eq!(asked["actor_id"], org.admin.id, "the administrator asked on the coach's behalf");
    // Chosen again from the short list at the end, the coach sees the participant.
    app.get(&format!("/api/participants/{candidate}/progress"), &invited.token).await.expect(200);
    let plan = app.get(&format!("/api/participants/{candidate}/plan"), &coach.token).await.expect(200);
    assert!(plan["goal"].as_str().unwrap().starts_with("Työ toimistossa"), "{plan:#}");
    assert_eq!(plan["steps"][0]["status"], "doing", "{plan:#}");
}

/// Theory tests the framework defines, on the assessor's theory form (tablet, then a phone in
/// Finnish): each test offered with its maximum and pass mark, a score above the maximum refused
/// at the field, a score recorded against a test; axe-core on every page.
async fn defined_theory_tests_work_in_a_browser_and_pass_axe(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = crate::theory_tests::setup(&app, "Teoriwebb").await;
    let input = json!({
        "base": app.address,
        "accounts": {"assessor": account(&org.assessor.email, &org.assessor.password)},
        "assessment": a,
        "test": "T24",
        "score": "15",
        "max": "24",
    });
    run_script("theory.mjs", backend, input).await;
    // What the pages recorded is what the API reads: 15 of 24 at 60 % meets the criterion.
    let p = app.progress(&a, &org.assessor.token, "en").await;
    let c = p["units"][0]["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "TT-01/1.1")
        .unwrap()
        .clone();
    assert_eq!(c["met"], true, "{c:#}");
    assert_eq!(c["records"][0]["theory"]["pass_mark"], 15, "{c:#}");
}

/// The screenshots of the documentation, taken from a test app: every main page must render in
/// Chromium and produce a PNG. With `VALIDERA_SCREENSHOTS=docs/screenshots` they replace the
/// committed ones; otherwise they go to a temporary directory. SQLite only: the pages are the
/// same on both backends, which the other browser tests cover.
async fn screenshots(backend: Backend) {
    let keep = std::env::var("VALIDERA_SCREENSHOTS").ok();
    let tmp = tempfile::tempdir().unwrap();
    let out = match &keep {
        Some(dir) => Path::new(env!("CARGO_MANIFEST_DIR")).join(dir),
        None => tmp.path().to_owned(),
    };
    let app = spawn_app(backend).await;
    let org = app.org("Demokommunen").await;
    let (_, certs) = certified(&app, &org).await;
    let id = |kind: &str, code: &str| {
        let c = certs.iter().find(|c| c["kind"] == kind && c["code"] == code).unwrap();
        c["id"].as_str().unwrap().to_owned()
    };
    let revoked = id("unit", "DBS-04");
    app.post(
        &format!("/api/certificates/{revoked}/revoke"),
        &org.admin.token,
        json!({"version": 1, "reason": "Utfärdat till fel person"}),
    )
    .await
    .expect(200);
    // A second candidate whose decision waits for the internal verifier.
    let (waiting, _, _) = app.candidate(&org, "Dana Väntar").await;
    let a = app.assessment(&org, &waiting).await;
    app.post(
        &format!("/api/assessments/{a}/observations"),
        &org.assessor.token,
        json!({"date": crate::helpers::today(), "context": "Arbetsprov i kontorsmiljö", "items": [
            {"criterion": "DBS-01/1.1", "met": true, "comment": "Sparade utan hjälp."},
            {"criterion": "DBS-02/1.1", "met": true, "comment": "Skickade e-post med bilaga."}
        ]}),
    )
    .await
    .expect(201);
    app.post(&format!("/api/assessments/{a}/decisions"), &org.assessor.token, json!({})).await.expect(201);
    // The certified candidate; the e-mail has non-ASCII letters, which the sign-in form takes.
    let candidate = account("áilu.ŋuvttoš@candidates.test", "kandidatens eget lösenord");
    let input = json!({
        "base": app.address,
        "out": out,
        "pages": "all",
        "certificates": {"genuine": id("qualification", "DBS"), "revoked": revoked},
        "accounts": {
            "admin": account(&org.admin.email, &org.admin.password),
            "assessor": account(&org.assessor.email, &org.assessor.password),
            "verifier": account(&org.verifier.email, &org.verifier.password),
            "candidate": candidate,
        },
    });
    run_script("screenshots.mjs", backend, input).await;
    for name in [
        "signin-sv-desktop",
        "check-sv-desktop",
        "verify-genuine-sv-desktop",
        "verify-genuine-fi-phone",
        "verify-revoked-sv-desktop",
        "assessor-desktop",
        "assessment-tablet",
        "checklist-tablet",
        "verifier-desktop",
        "verifier-decision-desktop",
        "candidate-phone",
        "candidate-certificates-phone",
        "admin-desktop",
        "admin-certificates-desktop",
        "admin-framework-errors-desktop",
    ] {
        let png =
            std::fs::read(out.join(format!("{name}.png"))).unwrap_or_else(|e| panic!("{name}.png: {e}"));
        assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "{name}.png is not a screenshot");
    }
}

/// External quality assurance in Chromium with axe: the assurer's queue and samples in three
/// languages, the answers from the forms, the comment on the verifier's and the assessor's
/// pages, and the administrator's review and sampling plans.
async fn eqa_pages_work_in_a_browser_and_pass_axe(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Ekkommun").await;
    let eqa = app.person(&org.id, "eqa@ekkommun.test", &[validera::auth::Role::Eqa]).await;
    let (fid, _) = TEST_FRAMEWORK;
    let plan = json!({"first_n": 5, "then_percent": 0, "eqa_required": false, "version": 0});
    let resp = app
        .client
        .put(format!("{}/api/eqa/plans/{fid}", app.address))
        .bearer_auth(&org.admin.token)
        .json(&plan)
        .send()
        .await
        .unwrap();
    TestApp::reply(resp).await.expect(200);
    let mut sampled = Vec::new();
    for name in ["Eila Eka", "Toivo Toka"] {
        let (cand, _, _) = app.candidate(&org, name).await;
        let a = app.assessment(&org, &cand).await;
        app.post(
            &format!("/api/assessments/{a}/observations"),
            &org.assessor.token,
            json!({"date": crate::helpers::today(), "context": "Prov", "items": [
                {"criterion": "DBS-02/1.1", "met": true, "comment": "Bra"}
            ]}),
        )
        .await
        .expect(201);
        let d = app
            .post(&format!("/api/assessments/{a}/decisions"), &org.assessor.token, json!({}))
            .await
            .expect(201);
        let id = d["id"].as_str().unwrap().to_owned();
        let c = app
            .post(&format!("/api/decisions/{id}/confirm"), &org.verifier.token, json!({"version": 1}))
            .await;
        assert_eq!(c.expect(200)["eqa"]["status"], "waiting");
        sampled.push((a, id));
    }
    let input = json!({
        "base": app.address,
        "accounts": {
            "eqa": account(&eqa.email, &eqa.password),
            "admin": account(&org.admin.email, &org.admin.password),
            "verifier": account(&org.verifier.email, &org.verifier.password),
            "assessor": account(&org.assessor.email, &org.assessor.password),
        },
        "agree": sampled[0].1,
        "disagree": sampled[1].1,
        "assessment": sampled[1].0,
    });
    run_script("eqa.mjs", backend, input).await;
}

mod sqlite {
    use crate::helpers::Backend;

    #[tokio::test]
    async fn the_public_pages_work_in_a_browser_and_pass_axe() {
        super::the_public_pages_work_in_a_browser_and_pass_axe(Backend::Sqlite).await
    }

    #[tokio::test]
    async fn the_whole_story_runs_through_the_pages() {
        super::the_whole_story_runs_through_the_pages(Backend::Sqlite).await
    }

    #[tokio::test]
    async fn the_panel_pages_work_in_a_browser_and_pass_axe() {
        super::the_panel_pages_work_in_a_browser_and_pass_axe(Backend::Sqlite).await
    }

    #[tokio::test]
    async fn plans_work_in_a_browser_and_pass_axe() {
        super::plans_work_in_a_browser_and_pass_axe(Backend::Sqlite).await
    }

    #[tokio::test]
    async fn defined_theory_tests_work_in_a_browser_and_pass_axe() {
        super::defined_theory_tests_work_in_a_browser_and_pass_axe(Backend::Sqlite).await
    }

    #[tokio::test]
    async fn eqa_pages_work_in_a_browser_and_pass_axe() {
        super::eqa_pages_work_in_a_browser_and_pass_axe(Backend::Sqlite).await
    }

    #[tokio::test]
    async fn the_documentation_screenshots_render() {
        super::screenshots(Backend::Sqlite).await
    }
}

mod postgres {
    use crate::helpers::Backend;

    #[tokio::test]
    async fn the_public_pages_work_in_a_browser_and_pass_axe() {
        super::the_public_pages_work_in_a_browser_and_pass_axe(Backend::Postgres).await
    }

    #[tokio::test]
    async fn the_whole_story_runs_through_the_pages() {
        super::the_whole_story_runs_through_the_pages(Backend::Postgres).await
    }

    #[tokio::test]
    async fn the_panel_pages_work_in_a_browser_and_pass_axe() {
        super::the_panel_pages_work_in_a_browser_and_pass_axe(Backend::Postgres).await
    }

    #[tokio::test]
    async fn plans_work_in_a_browser_and_pass_axe() {
        super::plans_work_in_a_browser_and_pass_axe(Backend::Postgres).await
    }

    #[tokio::test]
    async fn defined_theory_tests_work_in_a_browser_and_pass_axe() {
        super::defined_theory_tests_work_in_a_browser_and_pass_axe(Backend::Postgres).await
    }

    #[tokio::test]
    async fn eqa_pages_work_in_a_browser_and_pass_axe() {
        super::eqa_pages_work_in_a_browser_and_pass_axe(Backend::Postgres).await
    }
}
