//! External quality assurance over the API and the pages, from framework upload to the
//! certificate: a panel approves the upload, an administrator sets the sampling plan, assessors'
//! decisions are confirmed by the internal verifier and sampled into the external quality
//! assurer's queue; an agreement issues held certificates, a "not agreed" opens a review that
//! an administrator closes by suspending (shown by the public verifier) or keeping them.

use serde_json::{Value, json};
use validera::auth::Role;

use crate::both_backends;
use crate::certificates::{public, report};
use crate::helpers::{Backend, Org, Person, TEST_FRAMEWORK, TestApp, spawn_app, today};

const SOURCE: &str = include_str!("fixtures/frameworks/test-skills.toml");
const FRAMEWORK: &str = "eqa-skills";

/// Uploads the test framework as the organisation's own `eqa-skills` version 1 and has a panel
/// member approve it.
async fn approved_upload(app: &TestApp, org: &Org) {
    let body = SOURCE
        .replace("id = \"test-skills\"", &format!("id = \"{FRAMEWORK}\""))
        .replace("version = \"2026.1\"", "version = \"1\"");
    let resp = app
        .client
        .post(format!("{}/api/frameworks", app.address))
        .bearer_auth(&org.admin.token)
        .header("content-type", "application/toml")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(TestApp::reply(resp).await.expect(201)["approval"]["status"], "draft");
    let tag = org.id.chars().take(8).collect::<String>();
    let panel = app.person(&org.id, &format!("panel-{tag}@eqa.test"), &[Role::Panel]).await;
    app.post(&format!("/api/frameworks/{FRAMEWORK}/1/approve"), &panel.token, json!({})).await.expect(200);
}

/// A new candidate's assessment on the framework in which `assessor` shows unit DBS-02, submitted
/// and confirmed by `verifier`; returns (assessment id, decision as confirmed).
async fn confirmed(
    app: &TestApp,
    org: &Org,
    name: &str,
    assessor: &Person,
    verifier: &Person,
) -> (String, Value) {
    confirmed_on(app, org, (FRAMEWORK, "1"), name, assessor, verifier).await
}

/// As [`confirmed`], on framework (id, version).
async fn confirmed_on(
    app: &TestApp,
    org: &Org,
    framework: (&str, &str),
    name: &str,
    assessor: &Person,
    verifier: &Person,
) -> (String, Value) {
    let (a, d) = submitted(app, org, framework, name, assessor).await;
    let id = d["id"].as_str().unwrap();
    let c = app.post(&format!("/api/decisions/{id}/confirm"), &verifier.token, json!({"version": 1})).await;
    (a, c.expect(200))
}

/// A new candidate's assessment on `framework` in which `assessor` shows unit DBS-02, and the
/// decision submitted; returns (assessment id, decision as submitted).
async fn submitted(
    app: &TestApp,
    org: &Org,
    (fid, fver): (&str, &str),
    name: &str,
    assessor: &Person,
) -> (String, Value) {
    let (cand, _, _) = app.candidate(org, name).await;
    let a = app
        .post(
            &format!("/api/candidates/{cand}/assessments"),
            &assessor.token,
            json!({"framework_id": fid, "framework_version": fver, "qualification": "DBS"}),
        )
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post(
        &format!("/api/assessments/{a}/observations"),
        &assessor.token,
        json!({"date": today(), "context": "Prov i kundtjänst", "items": [
            {"criterion": "DBS-02/1.1", "met": true, "comment": "Lugn och tydlig i samtalet"}
        ]}),
    )
    .await
    .expect(201);
    let d =
        app.post(&format!("/api/assessments/{a}/decisions"), &assessor.token, json!({})).await.expect(201);
    (a, d)
}

/// Sets `org`'s sampling plan for `framework` as `token`.
async fn put_plan(app: &TestApp, token: &str, framework: &str, body: Value) -> crate::helpers::Reply {
    let req =
        app.client.put(format!("{}/api/eqa/plans/{framework}", app.address)).bearer_auth(token).json(&body);
    TestApp::reply(req.send().await.unwrap()).await
}

/// `validera org awarding-body --organisation <name>` on the app's database.
fn make_awarding_body(app: &TestApp, name: &str) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_validera"))
        .args(["org", "awarding-body", "--organisation", name])
        .env("VALIDERA_DATABASE_URL", app.database_url())
        .env("VALIDERA_LOG_FORMAT", "json")
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

/// The names of the QA chain's evidence entries in certificate `cert`'s credential.
async fn qa_names(app: &TestApp, token: &str, cert: &str) -> Vec<String> {
    let doc = app.get(&format!("/api/certificates/{cert}/credential.json"), token).await.expect(200);
    doc["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["genre"] == "Quality assurance")
        .map(|e| e["name"].as_str().unwrap().to_owned())
        .collect()
}

fn ids(list: &Value) -> Vec<String> {
    let mut v: Vec<String> =
        list.as_array().unwrap().iter().map(|s| s["decision_id"].as_str().unwrap().to_owned()).collect();
    v.sort_unstable();
    v
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

/// The certificates issued for the sampled decision `decision`, as the organisation lists them.
async fn certificates_of(app: &TestApp, org: &Org, decision: &str) -> Vec<Value> {
    let sample = app.get(&format!("/api/eqa/samples/{decision}"), &org.admin.token).await.expect(200);
    let ids = sample["certificates"].as_array().unwrap().clone();
    let all = app.get("/api/certificates", &org.admin.token).await.expect(200);
    all.as_array().unwrap().iter().filter(|c| ids.contains(&c["id"])).cloned().collect()
}

async fn count_certificates(app: &TestApp, org: &Org) -> usize {
    app.get("/api/certificates", &org.admin.token).await.expect(200).as_array().unwrap().len()
}

async fn events(app: &TestApp, token: &str, action: &str) -> Vec<Value> {
    let page = app.get("/api/audit?limit=200", token).await.expect(200);
    page["events"].as_array().unwrap().iter().filter(|e| e["action"] == action).cloned().collect()
}

async fn sampled_decisions_wait_for_the_assurer_and_agreement_issues_their_certificates(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Kvalitetskommun").await;
    let eqa = app.person(&org.id, "eqa@kvalitetskommun.test", &[Role::Eqa]).await;
    approved_upload(&app, &org).await;

    // The plan: each assessor's first decision, then every second; certificates wait.
    let plan = format!("/api/eqa/plans/{FRAMEWORK}");
    let unset = app.get(&plan, &org.admin.token).await.expect(200);
    assert_eq!((unset["version"].as_i64(), unset["then_percent"].as_i64()), (Some(0), Some(0)));
    let put = |token: &str, body: Value| {
        let req = app.client.put(format!("{}{plan}", app.address)).bearer_auth(token).json(&body);
        async move { TestApp::reply(req.send().await.unwrap()).await }
    };
    let body = json!({"first_n": 1, "then_percent": 50, "eqa_required": true, "version": 0});
    put(&org.assessor.token, body.clone()).await.problem(403, "forbidden");
    let bad = put(
        &org.admin.token,
        json!({"first_n": -1, "then_percent": 101, "eqa_required": true, "version": 0}),
    )
    .await
    .problem(422, "validation");
    let fields: Vec<&str> =
        bad["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["first_n", "then_percent"], "{bad:#}");
    let set = put(&org.admin.token, body.clone()).await.expect(200);
    assert_eq!((set["version"].as_i64(), set["eqa_required"].as_bool()), (Some(1), Some(true)), "{set:#}");
    put(&org.admin.token, body.clone()).await.problem(409, "stale-version");
    let other = app.org("Grannkommun").await;
    put(&other.admin.token, body).await.problem(404, "not-found");

    // The assessor's first decision is sampled and its certificate waits.
    let (_, first) = confirmed(&app, &org, "Eira Först", &org.assessor, &org.verifier).await;
    let first_id = id(&first);
    assert_eq!(first["status"], "confirmed");
    assert_eq!(first["eqa"]["status"], "waiting", "{first:#}");
    assert_eq!((first["eqa"]["held"].as_bool(), first["eqa"]["position"].as_i64()), (Some(true), Some(1)));
    assert!(certificates_of(&app, &org, &first_id).await.is_empty(), "a held certificate was issued");
    // The second is not sampled (certificate at once); the third is.
    assert_eq!(count_certificates(&app, &org).await, 0);
    let (_, second) = confirmed(&app, &org, "Eskil Andra", &org.assessor, &org.verifier).await;
    assert_eq!(second["eqa"], Value::Null, "{second:#}");
    assert_eq!(count_certificates(&app, &org).await, 1);
    // A verifier who is also an assurer confirms the third, so must not answer on it.
    let both = app.person(&org.id, "dubbel@kvalitetskommun.test", &[Role::Verifier, Role::Eqa]).await;
    let (_, third) = confirmed(&app, &org, "Tea Tredje", &org.assessor, &both).await;
    assert_eq!(third["eqa"]["position"].as_i64(), Some(3), "{third:#}");
    // Another assessor's first decision counts on its own.
    let (_, theirs) = confirmed(&app, &org, "Olle Annan", &org.assessor2, &org.verifier).await;
    assert_eq!(theirs["eqa"]["position"].as_i64(), Some(1), "{theirs:#}");

    // The assurer's queue holds exactly the sampled ones; anything else is not found.
    let queue = app.get("/api/eqa/samples?status=waiting", &eqa.token).await.expect(200);
    let mut queued: Vec<&str> =
        queue.as_array().unwrap().iter().map(|s| s["decision_id"].as_str().unwrap()).collect();
    queued.sort_unstable();
    let mut expected = vec![first_id.as_str(), third["id"].as_str().unwrap(), theirs["id"].as_str().unwrap()];
    expected.sort_unstable();
    assert_eq!(queued, expected);
    app.get(&format!("/api/eqa/samples/{}", id(&second)), &eqa.token).await.problem(404, "not-found");
    app.get(&format!("/api/decisions/{first_id}"), &eqa.token).await.problem(403, "forbidden");
    app.get("/api/eqa/samples?status=open", &eqa.token).await.problem(422, "validation");
    let outsider = app.person(&other.id, "eqa@grannkommun.test", &[Role::Eqa]).await;
    app.get(&format!("/api/eqa/samples/{first_id}"), &outsider.token).await.problem(404, "not-found");
    app.post(&format!("/api/eqa/samples/{first_id}/agree"), &outsider.token, json!({"version": 1}))
        .await
        .problem(404, "not-found");
    let detail = app.get(&format!("/api/eqa/samples/{first_id}"), &eqa.token).await.expect(200);
    assert_eq!(detail["decision"]["units"], json!(["DBS-02"]), "{detail:#}");
    assert_eq!(detail["certificates"], json!([]));

    // Agreeing issues the held certificate, which verifies; agreeing again is stale.
    let agree = format!("/api/eqa/samples/{first_id}/agree");
    app.post(&agree, &org.verifier.token, json!({"version": 1})).await.problem(403, "forbidden");
    let agreed =
        app.post(&agree, &eqa.token, json!({"version": 1, "comment": "Väl underbyggt."})).await.expect(200);
    assert_eq!(
        (agreed["status"].as_str(), agreed["version"].as_i64()),
        (Some("agreed"), Some(2)),
        "{agreed:#}"
    );
    assert_eq!(agreed["assurer_id"], eqa.id.as_str());
    app.post(&agree, &eqa.token, json!({"version": 2})).await.problem(409, "stale-version");
    let certs = certificates_of(&app, &org, &first_id).await;
    assert_eq!(certs.len(), 1, "{certs:#?}");
    assert_eq!(certs[0]["code"], "DBS-02");
    let cert = certs[0]["id"].as_str().unwrap();
    let v = report(&app, cert).await;
    assert_eq!(v["outcome"], "genuine", "{v:#}");
    // The credential states the QA chain by role and date, and how each criterion was shown.
    let doc =
        app.get(&format!("/api/certificates/{cert}/credential.json"), &org.admin.token).await.expect(200);
    let qa: Vec<&str> = doc["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["genre"] == "Quality assurance")
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(qa, ["Bedömare", "Intern kvalitetssäkrare", "Extern kvalitetssäkrare"], "{doc:#}");
    let result = &doc["credentialSubject"]["result"][0];
    assert!(result["resultDescription"].as_str().unwrap().ends_with("#criterion-DBS-02/1.1"), "{doc:#}");
    assert!(result["value"].as_str().unwrap().starts_with("Praktiskt prov"), "{doc:#}");
    let summary = &v["certificate"];
    assert!(summary["results"][0].as_str().unwrap().starts_with("DBS-02/1.1 "), "{summary:#}");
    assert_eq!(summary["quality"].as_array().unwrap().len(), 3, "{summary:#}");
    assert!(
        !doc.to_string().contains("Lugn och tydlig"),
        "the assessor's comment on the evidence is in the credential"
    );
    // The PDF prints them too, and its pages still agree with the attached credential.
    let pdf = app.bytes(&format!("/api/certificates/{cert}/certificate.pdf"), Some(&org.admin.token)).await;
    let text: String = validera::credential::pdf::printed_text(&pdf)
        .unwrap()
        .iter()
        .map(|r| r.text.clone())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("Extern kvalitetssäkrare: Granskat i stickprov"), "{text}");
    assert!(text.contains("DBS-02/1.1"), "{text}");
    let checked = crate::certificates::verify_body(&app, pdf, "application/pdf").await;
    assert_eq!(checked["outcome"], "genuine", "{checked:#}");
    let issued = events(&app, &org.admin.token, "certificate-issued").await;
    assert!(
        issued
            .iter()
            .any(|e| e["actor_id"] == eqa.id.as_str() && e["details"]["decision"] == first_id.as_str())
    );
    assert_eq!(events(&app, &org.admin.token, "eqa-agreed").await.len(), 1);
    assert_eq!(events(&app, &org.admin.token, "eqa-plan-set").await.len(), 1);

    // Four eyes: whoever confirmed the decision does not answer on its sample.
    app.post(&format!("/api/eqa/samples/{}/agree", id(&third)), &both.token, json!({"version": 1}))
        .await
        .problem(403, "four-eyes");
}

async fn a_not_agreed_sample_goes_to_review_and_a_suspension_shows_publicly(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Granskningskommun").await;
    let eqa = app.person(&org.id, "eqa@granskningskommun.test", &[Role::Eqa]).await;
    approved_upload(&app, &org).await;
    let plan = format!("{}/api/eqa/plans/{FRAMEWORK}", app.address);
    let body = json!({"first_n": 2, "then_percent": 0, "eqa_required": false, "version": 0});
    let resp = app.client.put(&plan).bearer_auth(&org.admin.token).json(&body).send().await.unwrap();
    TestApp::reply(resp).await.expect(200);

    // Certificates are issued at confirmation when sign-off is not required.
    let (assessment, d) = confirmed(&app, &org, "Siri Spärr", &org.assessor, &org.verifier).await;
    let decision = id(&d);
    assert_eq!((d["eqa"]["status"].as_str(), d["eqa"]["held"].as_bool()), (Some("waiting"), Some(false)));
    let certs = certificates_of(&app, &org, &decision).await;
    assert_eq!(certs.len(), 1);
    let cert = certs[0]["id"].as_str().unwrap().to_owned();
    let v = report(&app, &cert).await;
    assert_eq!(v["outcome"], "genuine");
    // Issued at confirmation: the chain ends with the internal verifier.
    assert_eq!(v["certificate"]["quality"].as_array().unwrap().len(), 2, "{v:#}");

    // Not agreeing needs a comment; it reaches the assessor and the verifier.
    let disagree = format!("/api/eqa/samples/{decision}/disagree");
    let p = app
        .post(&disagree, &eqa.token, json!({"version": 1, "comment": "  "}))
        .await
        .problem(422, "validation");
    assert_eq!(p["errors"][0]["field"], "comment");
    let comment = "Observationen visar inte kriterium 1.1 i en verklig kundsituation.";
    let s = app.post(&disagree, &eqa.token, json!({"version": 1, "comment": comment})).await.expect(200);
    assert_eq!((s["status"].as_str(), s["review"].as_str()), (Some("not-agreed"), Some("open")), "{s:#}");
    for who in [&org.assessor, &org.verifier] {
        let seen = app.get(&format!("/api/decisions/{decision}"), &who.token).await.expect(200);
        assert_eq!(seen["eqa"]["comment"], comment, "{seen:#}");
    }
    let detail = app.get(&format!("/api/assessments/{assessment}"), &org.assessor.token).await.expect(200);
    assert_eq!(detail["decisions"][0]["eqa"]["status"], "not-agreed", "{detail:#}");
    let page = app.browser_as(&org.assessor).await.get(&format!("/assessor/assessments/{assessment}")).await;
    assert!(page.expect(200).contains(comment), "the assessor's page lacks the comment");
    let page = app.browser_as(&org.verifier).await.get(&format!("/verifier/decisions/{decision}")).await;
    assert!(page.expect(200).contains(comment), "the verifier's page lacks the comment");
    assert_eq!(report(&app, &cert).await["outcome"], "genuine", "nothing changes before a person decides");

    // An administrator decides: suspend, with a reason the public verifier shows.
    let open = app.get("/api/eqa/samples?review=open", &org.admin.token).await.expect(200);
    assert_eq!(open.as_array().unwrap().len(), 1);
    let review = format!("/api/eqa/samples/{decision}/review");
    app.post(&review, &eqa.token, json!({"version": 2, "outcome": "suspend", "reason": "x"}))
        .await
        .problem(403, "forbidden");
    app.post(&review, &org.admin.token, json!({"version": 2, "outcome": "drop", "reason": "x"}))
        .await
        .problem(422, "validation");
    let reason = "Utreds efter extern kvalitetssäkring";
    let r = app
        .post(&review, &org.admin.token, json!({"version": 2, "outcome": "suspend", "reason": reason}))
        .await
        .expect(200);
    assert_eq!((r["review"].as_str(), r["review_reason"].as_str()), (Some("suspended"), Some(reason)));
    app.post(&review, &org.admin.token, json!({"version": 3, "outcome": "keep", "reason": "Igen"}))
        .await
        .problem(409, "stale-version");
    let v = report(&app, &cert).await;
    assert_eq!(
        (v["outcome"].as_str(), v["status_reason"].as_str()),
        (Some("suspended"), Some(reason)),
        "{v:#}"
    );
    assert_eq!(events(&app, &org.admin.token, "eqa-not-agreed").await.len(), 1);
    assert_eq!(events(&app, &org.admin.token, "eqa-review-suspended").await.len(), 1);
    assert_eq!(events(&app, &org.admin.token, "certificate-suspended").await.len(), 1);

    // The second sampled decision: not agreed, and the administrator keeps it, on the pages.
    let (_, d2) = confirmed(&app, &org, "Kim Kvar", &org.assessor, &org.verifier).await;
    let second = id(&d2);
    let assurer = app.browser_as(&eqa).await;
    let queue = assurer.get("/eqa").await;
    assert!(queue.expect(200).contains(&format!("data-decision=\"{second}\"")), "{}", queue.body);
    let page = assurer.get(&format!("/eqa/decisions/{second}")).await;
    assert!(page.expect(200).contains("id=\"disagree\""));
    assert!(!page.body.contains("/files/"), "the assurer's page links a file");
    let refused = assurer
        .post_form(
            &format!("/eqa/decisions/{second}"),
            &[("version", "1"), ("verdict", "disagree"), ("comment", "")],
        )
        .await;
    assert_eq!(refused.status, 422);
    let done = assurer
        .post_form(
            &format!("/eqa/decisions/{second}"),
            &[("version", "1"), ("verdict", "disagree"), ("comment", "Tunt underlag.")],
        )
        .await;
    assert_eq!(done.redirected(), "/eqa?done=eqa-not-agreed");
    assert_eq!(assurer.get(&format!("/eqa/decisions/{decision}x")).await.status, 404);
    let admin = app.browser_as(&org.admin).await;
    let reviews = admin.get("/admin/eqa").await;
    assert!(reviews.expect(200).contains("Tunt underlag."));
    let kept = admin
        .post_form(
            &format!("/admin/eqa/reviews/{second}"),
            &[
                ("version", "2"),
                ("outcome", "keep"),
                ("reason", "Underlaget räcker enligt bedömningsplanen."),
            ],
        )
        .await;
    assert_eq!(kept.redirected(), "/admin/eqa?done=eqa-kept");
    let s2 = app.get(&format!("/api/eqa/samples/{second}"), &org.admin.token).await.expect(200);
    assert_eq!(s2["sample"]["review"], "kept");
    let c2 = certificates_of(&app, &org, &second).await;
    assert_eq!(report(&app, c2[0]["id"].as_str().unwrap()).await["outcome"], "genuine");
    assert_eq!(events(&app, &org.admin.token, "eqa-review-kept").await.len(), 1);

    // The plan set on the page applies to the next confirmation.
    let form = admin.get("/admin/eqa").await;
    assert!(form.expect(200).contains(&format!("data-framework=\"{FRAMEWORK}\"")));
    let saved = admin
        .post_form(
            &format!("/admin/eqa/plans/{FRAMEWORK}"),
            &[("version", "1"), ("first_n", "0"), ("then_percent", "100"), ("eqa_required", "on")],
        )
        .await;
    assert_eq!(saved.redirected(), "/admin/eqa?done=eqa-plan-saved");
    let p = app.get(&format!("/api/eqa/plans/{FRAMEWORK}"), &org.admin.token).await.expect(200);
    assert_eq!((p["then_percent"].as_i64(), p["eqa_required"].as_bool()), (Some(100), Some(true)), "{p:#}");
    let bad = admin
        .post_form(
            &format!("/admin/eqa/plans/{FRAMEWORK}"),
            &[("version", "2"), ("first_n", "x"), ("then_percent", "5")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("aria-invalid=\"true\""));
}

async fn the_awarding_bodys_assurer_answers_every_centres_samples_on_its_frameworks(backend: Backend) {
    let app = spawn_app(backend).await;
    let body = app.org("Examinerande organ").await;
    let centre = app.org("Centrumkommun").await;
    let other = app.org("Grannkommun").await;
    let (shipped, _) = TEST_FRAMEWORK;
    let assurer = app.person(&body.id, "ek@examinerande.test", &[Role::Eqa]).await;
    let local = app.person(&centre.id, "eqa@centrumkommun.test", &[Role::Eqa]).await;
    let outsider = app.person(&other.id, "eqa@grannkommun.test", &[Role::Eqa]).await;

    let (code, out) = make_awarding_body(&app, "Examinerande organ");
    assert_eq!(code, 0, "{out}");
    let me = app.get("/api/organisation", &body.admin.token).await.expect(200);
    assert_eq!(me["awarding_body"], true, "{me:#}");
    let theirs = app.get("/api/organisation", &centre.admin.token).await.expect(200);
    assert_eq!(theirs["awarding_body"], false, "{theirs:#}");
    assert_eq!(make_awarding_body(&app, "Ingen sådan").0, 1, "an unknown organisation is refused");

    // The awarding body's plan on the shipped framework: each assessor's first; certificates wait.
    let plan = json!({"first_n": 1, "then_percent": 0, "eqa_required": true, "version": 0});
    put_plan(&app, &body.admin.token, shipped, plan).await.expect(200);
    let (_, first) =
        confirmed_on(&app, &centre, TEST_FRAMEWORK, "Ada Centrumsdotter", &centre.assessor, &centre.verifier)
            .await;
    assert_eq!(first["eqa"]["status"], "waiting", "{first:#}");
    assert_eq!((first["eqa"]["held"].as_bool(), first["eqa"]["position"].as_i64()), (Some(true), Some(1)));
    assert_eq!(first["eqa"]["organisation_id"], centre.id.as_str());
    let (_, second) =
        confirmed_on(&app, &centre, TEST_FRAMEWORK, "Bo Andrasson", &centre.assessor, &centre.verifier).await;
    assert_eq!(second["eqa"], Value::Null, "{second:#}");
    // The centre may sample more (its own plan adds every later one, not held), never less.
    let more = json!({"first_n": 0, "then_percent": 100, "eqa_required": false, "version": 0});
    put_plan(&app, &centre.admin.token, shipped, more).await.expect(200);
    let seen = app.get(&format!("/api/eqa/plans/{shipped}"), &centre.admin.token).await.expect(200);
    assert_eq!(
        (seen["then_percent"].as_i64(), seen["awarding_body_plan"]["first_n"].as_i64()),
        (Some(100), Some(1)),
        "{seen:#}"
    );
    let (_, third) =
        confirmed_on(&app, &centre, TEST_FRAMEWORK, "Cia Tredjesson", &centre.assessor, &centre.verifier)
            .await;
    assert_eq!((third["eqa"]["held"].as_bool(), third["eqa"]["position"].as_i64()), (Some(false), Some(3)));
    let (first_id, third_id) = (id(&first), id(&third));

    // The awarding body's assurer has both in the queue; the centre's own and another centre's
    // assurer read nothing of them.
    let queue = app.get("/api/eqa/samples?status=waiting", &assurer.token).await.expect(200);
    let mut expected = vec![first_id.clone(), third_id.clone()];
    expected.sort_unstable();
    assert_eq!(ids(&queue), expected);
    assert!(queue.as_array().unwrap().iter().all(|s| s["organisation_id"] == centre.id.as_str()));
    // (The awarding body's administrator reads only its own organisation's samples.)
    for who in [&local, &outsider, &body.admin] {
        let seen = app.get("/api/eqa/samples", &who.token).await.expect(200);
        assert_eq!(ids(&seen), Vec::<String>::new(), "{}", who.email);
    }
    for who in [&local, &outsider] {
        app.get(&format!("/api/eqa/samples/{first_id}"), &who.token).await.problem(404, "not-found");
        app.post(&format!("/api/eqa/samples/{first_id}/agree"), &who.token, json!({"version": 1}))
            .await
            .problem(404, "not-found");
    }
    // Decisions not sampled stay out of reach.
    app.get(&format!("/api/eqa/samples/{}", id(&second)), &assurer.token).await.problem(404, "not-found");
    // The centre's administrator still reads its own samples (the review is theirs).
    app.get(&format!("/api/eqa/samples/{first_id}"), &centre.admin.token).await.expect(200);

    // The assurer's pages name the centre, never the candidate.
    let pages = app.browser_as(&assurer).await;
    let q = pages.get("/eqa").await;
    let html = q.expect(200);
    assert!(html.contains("Centrumkommun"), "{html}");
    assert!(!html.contains("Ada Centrumsdotter") && !html.contains("Cia Tredjesson"), "{html}");
    let page = pages.get(&format!("/eqa/decisions/{first_id}")).await;
    let html = page.expect(200);
    assert!(html.contains("id=\"sample-centre\">Centrumkommun<"), "{html}");
    assert!(!html.contains("Ada Centrumsdotter"), "{html}");

    // Agreeing issues the centre's held certificate, signed by the centre.
    let agreed = app
        .post(&format!("/api/eqa/samples/{first_id}/agree"), &assurer.token, json!({"version": 1}))
        .await
        .expect(200);
    assert_eq!(agreed["assurer_id"], assurer.id.as_str());
    let certs = certificates_of(&app, &centre, &first_id).await;
    assert_eq!(certs.len(), 1, "{certs:#?}");
    let cert = certs[0]["id"].as_str().unwrap();
    let v = report(&app, cert).await;
    assert_eq!(v["outcome"], "genuine", "{v:#}");
    assert_eq!(v["certificate"]["issuer"], "Centrumkommun", "{v:#}");
    assert_eq!(events(&app, &centre.admin.token, "eqa-agreed").await.len(), 1);

    // A "not agreed" from the awarding body opens the review at the centre's administrator.
    let comment = "Observationen saknar en verklig kundsituation.";
    app.post(
        &format!("/api/eqa/samples/{third_id}/disagree"),
        &assurer.token,
        json!({"version": 1, "comment": comment}),
    )
    .await
    .expect(200);
    let open = app.get("/api/eqa/samples?review=open", &centre.admin.token).await.expect(200);
    assert_eq!(ids(&open), vec![third_id.clone()]);
    let reviews = app.browser_as(&centre.admin).await.get("/admin/eqa").await;
    let html = reviews.expect(200);
    assert!(html.contains(comment), "the centre's review page lacks the comment");
    // Its plan form for the shipped framework says what the awarding body's plan is.
    assert!(html.contains("varje bedömares 1 första beslut, sedan 0 %"), "{html}");
    app.post(
        &format!("/api/eqa/samples/{third_id}/review"),
        &assurer.token,
        json!({"version": 2, "outcome": "keep", "reason": "x"}),
    )
    .await
    .problem(403, "forbidden");

    // On the centre's own upload, its own assurer keeps answering; the awarding body reads 404.
    approved_upload(&app, &centre).await;
    let own = json!({"first_n": 1, "then_percent": 0, "eqa_required": false, "version": 0});
    put_plan(&app, &centre.admin.token, FRAMEWORK, own).await.expect(200);
    let (_, upload) = confirmed(&app, &centre, "Dan Fjärdesson", &centre.assessor, &centre.verifier).await;
    let upload_id = id(&upload);
    assert_eq!(upload["eqa"]["status"], "waiting", "{upload:#}");
    app.get(&format!("/api/eqa/samples/{upload_id}"), &local.token).await.expect(200);
    app.get(&format!("/api/eqa/samples/{upload_id}"), &assurer.token).await.problem(404, "not-found");
}

async fn simultaneous_confirmations_take_distinct_positions(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Samtidigkommun").await;
    approved_upload(&app, &org).await;
    // Every decision sampled and held, so the positions are all visible and nothing else (the
    // status list of issued certificates) serialises the confirmations.
    let plan = json!({"first_n": 0, "then_percent": 100, "eqa_required": true, "version": 0});
    put_plan(&app, &org.admin.token, FRAMEWORK, plan).await.expect(200);
    let n = 6;
    let mut decisions = Vec::new();
    for i in 0..n {
        let (_, d) = submitted(&app, &org, (FRAMEWORK, "1"), &format!("Kandidat {i}"), &org.assessor).await;
        decisions.push(id(&d));
    }
    let paths: Vec<String> = decisions.iter().map(|d| format!("/api/decisions/{d}/confirm")).collect();
    let replies = futures_util::future::join_all(
        paths.iter().map(|p| app.post(p, &org.verifier.token, json!({"version": 1}))),
    )
    .await;
    let mut positions: Vec<i64> =
        replies.into_iter().map(|r| r.expect(200)["eqa"]["position"].as_i64().unwrap()).collect();
    positions.sort_unstable();
    assert_eq!(positions, (1..=n).collect::<Vec<i64>>());
    // The next one counts on from them.
    let (_, next) = confirmed(&app, &org, "Kandidat sist", &org.assessor, &org.verifier).await;
    assert_eq!(next["eqa"]["position"].as_i64(), Some(n + 1), "{next:#}");
}

async fn names_in_the_credential_only_when_the_organisation_allows_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Namnkommun").await;
    let assessor =
        app.person_named(&org.id, "bedomare@namnkommun.test", "Anna Bedömare", &[Role::Assessor]).await;
    let verifier =
        app.person_named(&org.id, "iv@namnkommun.test", "Ivar Verifierare", &[Role::Verifier]).await;
    let eqa = app.person_named(&org.id, "ek@namnkommun.test", "Eka Kvalitet", &[Role::Eqa]).await;
    approved_upload(&app, &org).await;
    let plan = json!({"first_n": 2, "then_percent": 0, "eqa_required": true, "version": 0});
    put_plan(&app, &org.admin.token, FRAMEWORK, plan).await.expect(200);
    let setting = app.get("/api/organisation", &org.admin.token).await.expect(200);
    assert_eq!(setting["names_in_credentials"], false, "off by default: {setting:#}");

    // Off: roles and dates only.
    let (_, d) = confirmed(&app, &org, "Nora Utan", &assessor, &verifier).await;
    let d = id(&d);
    app.post(&format!("/api/eqa/samples/{d}/agree"), &eqa.token, json!({"version": 1})).await.expect(200);
    let cert = certificates_of(&app, &org, &d).await[0]["id"].as_str().unwrap().to_owned();
    let names = qa_names(&app, &org.admin.token, &cert).await;
    assert_eq!(names, ["Bedömare", "Intern kvalitetssäkrare", "Extern kvalitetssäkrare"]);
    let (_, _, html) = public(&app, &format!("/v/{cert}"), "text/html").await;
    assert!(!html.contains("Ivar Verifierare") && !html.contains("Anna Bedömare"), "{html}");

    // The administrator allows names on the organisation's page.
    let admin = app.browser_as(&org.admin).await;
    let form = admin.get("/admin/organisation").await;
    assert!(form.expect(200).contains("id=\"names_in_credentials\""));
    let version = setting["version"].as_i64().unwrap().to_string();
    let saved = admin
        .post_form(
            "/admin/organisation",
            &[
                ("version", version.as_str()),
                ("name", "Namnkommun"),
                ("time_zone", "Europe/Stockholm"),
                ("names_in_credentials", "on"),
            ],
        )
        .await;
    assert_eq!(saved.redirected(), "/admin/organisation?done=admin-organisation-saved");
    let setting = app.get("/api/organisation", &org.admin.token).await.expect(200);
    assert_eq!(setting["names_in_credentials"], true, "{setting:#}");

    // On: each step names its person, in the credential and on the verification page.
    let (_, d2) = confirmed(&app, &org, "Nils Med", &assessor, &verifier).await;
    let d2 = id(&d2);
    app.post(&format!("/api/eqa/samples/{d2}/agree"), &eqa.token, json!({"version": 1})).await.expect(200);
    let cert2 = certificates_of(&app, &org, &d2).await[0]["id"].as_str().unwrap().to_owned();
    let names = qa_names(&app, &org.admin.token, &cert2).await;
    assert_eq!(
        names,
        [
            "Bedömare (Anna Bedömare)",
            "Intern kvalitetssäkrare (Ivar Verifierare)",
            "Extern kvalitetssäkrare (Eka Kvalitet)"
        ]
    );
    let v = report(&app, &cert2).await;
    assert_eq!(v["outcome"], "genuine", "{v:#}");
    let lines: Vec<&str> =
        v["certificate"]["quality"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    assert!(lines[1].starts_with("Intern kvalitetssäkrare (Ivar Verifierare): "), "{lines:?}");
    let (_, _, html) = public(&app, &format!("/v/{cert2}"), "text/html").await;
    assert!(html.contains("Ivar Verifierare") && html.contains("Eka Kvalitet"), "{html}");
    // The earlier certificate is signed once: it stays without names.
    assert_eq!(qa_names(&app, &org.admin.token, &cert).await[1], "Intern kvalitetssäkrare");

    // The API sets it back off.
    let off = app
        .patch(
            "/api/organisation",
            &org.admin.token,
            json!({"version": setting["version"], "names_in_credentials": false}),
        )
        .await
        .expect(200);
    assert_eq!(off["names_in_credentials"], false, "{off:#}");
}

both_backends!(
    sampled_decisions_wait_for_the_assurer_and_agreement_issues_their_certificates,
    a_not_agreed_sample_goes_to_review_and_a_suspension_shows_publicly,
    the_awarding_bodys_assurer_answers_every_centres_samples_on_its_frameworks,
    simultaneous_confirmations_take_distinct_positions,
    names_in_the_credential_only_when_the_organisation_allows_it,
);
