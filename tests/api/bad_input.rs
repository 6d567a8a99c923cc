//! Each kind of bad request gets its status and problem type, and changes nothing.

use reqwest::Method;
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{Backend, Org, Reply, TestApp, spawn_app, today};

async fn setup(app: &TestApp) -> (Org, String) {
    let org = app.org("Felkommun").await;
    let (cand, _, _) = app.candidate(&org, "Hanna Hansson").await;
    let a = app.assessment(&org, &cand).await;
    (org, a)
}

async fn record_count(app: &TestApp, org: &Org, a: &str) -> usize {
    app.get(&format!("/api/assessments/{a}"), &org.assessor.token).await.expect(200)["records"]
        .as_array()
        .unwrap()
        .len()
}

fn observation() -> Value {
    json!({"date": today(), "context": "Prov", "items": [{"criterion": "DBS-04/1.1", "met": true, "comment": ""}]})
}

async fn malformed_json_is_400_and_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app).await;
    let resp = app
        .client
        .post(format!("{}/api/assessments/{a}/observations", app.address))
        .bearer_auth(&org.assessor.token)
        .header("content-type", "application/json")
        .body("{\"date\": ")
        .send()
        .await
        .unwrap();
    TestApp::reply(resp).await.problem(400, "malformed-json");
    assert_eq!(record_count(&app, &org, &a).await, 0);
}

async fn unknown_fields_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app).await;
    let mut body = observation();
    body["colour"] = json!("blue");
    let p = app
        .post(&format!("/api/assessments/{a}/observations"), &org.assessor.token, body)
        .await
        .problem(422, "unknown-field");
    assert!(p["detail"].as_str().unwrap().contains("colour"));
    assert_eq!(record_count(&app, &org, &a).await, 0);
}

async fn oversize_bodies_are_413(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app).await;
    let mut body = observation();
    body["context"] = json!("x".repeat(100 * 1024));
    app.post(&format!("/api/assessments/{a}/observations"), &org.assessor.token, body)
        .await
        .problem(413, "payload-too-large");
    assert_eq!(record_count(&app, &org, &a).await, 0);
}

async fn invalid_records_name_each_bad_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app).await;
    let p = app.post(&format!("/api/assessments/{a}/theory-tests"), &org.assessor.token, json!({
        "date": "2099-01-01", "title": "Prov", "score": 25, "max": 20, "pass_mark": 14, "criteria": ["NOPE/1.1"]
    })).await.problem(422, "validation");
    let fields: Vec<&str> =
        p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["score"]);
    let p = app.post(&format!("/api/assessments/{a}/theory-tests"), &org.assessor.token, json!({
        "date": "2099-01-01", "title": "Prov", "score": 15, "max": 20, "pass_mark": 14, "criteria": ["NOPE/1.1", "DBS-01/9.9"]
    })).await.problem(422, "validation");
    let fields: Vec<&str> =
        p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["date", "criteria[0]", "criteria[1]"]);
    assert_eq!(record_count(&app, &org, &a).await, 0);
}

/// `practical` is a method but not a kind of evidence: the answer names the field and the value,
/// says where a practical observation goes, and lists only the kinds evidence can be.
async fn evidence_of_a_kind_that_is_a_method_names_the_field_and_the_kinds(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app).await;
    let path = format!("/api/assessments/{a}/evidence");
    let kinds =
        "employer-reference, work-certificate, portfolio, witness-testimony or professional-discussion";
    for (kind, starts) in [
        ("practical", "'practical' is an assessment method, not a kind of evidence"),
        ("theory", "'theory' is an assessment method, not a kind of evidence"),
        ("exam", "unknown evidence kind 'exam'"),
    ] {
        let mut body = evidence("2020-06-01", "Intyg");
        body["evidence_kind"] = json!(kind);
        let p = app.post(&path, &org.assessor.token, body).await.problem(422, "validation");
        let errors = p["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{p:#}");
        assert_eq!(errors[0]["field"], "evidence_kind");
        let message = errors[0]["message"].as_str().unwrap();
        assert!(message.starts_with(starts), "{message}");
        assert!(message.ends_with(kinds), "{message}");
        assert!(!message.contains("expected practical"), "{message}");
    }
    assert_eq!(record_count(&app, &org, &a).await, 0);
}

async fn wrong_role_is_403(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app).await;
    app.post(&format!("/api/assessments/{a}/observations"), &org.verifier.token, observation())
        .await
        .problem(403, "forbidden");
    app.post(
        "/api/users",
        &org.assessor.token,
        json!({"email": "x@y.test", "display_name": "X", "roles": ["admin"]}),
    )
    .await
    .problem(403, "forbidden");
    assert_eq!(record_count(&app, &org, &a).await, 0);
}

async fn another_organisations_data_is_not_found(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app).await;
    let other = app.org("Grannkommun").await;
    let cand = app.get("/api/candidates", &org.assessor.token).await.expect(200)[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.get(&format!("/api/assessments/{a}"), &other.assessor.token).await.problem(404, "not-found");
    app.get(&format!("/api/candidates/{cand}"), &other.assessor.token).await.problem(404, "not-found");
    app.post(&format!("/api/assessments/{a}/observations"), &other.assessor.token, observation())
        .await
        .problem(404, "not-found");
    app.get(&format!("/api/users/{}", org.assessor.id), &other.admin.token).await.problem(404, "not-found");
    assert!(
        app.get("/api/candidates", &other.assessor.token).await.expect(200).as_array().unwrap().is_empty()
    );
    assert_eq!(record_count(&app, &org, &a).await, 0);
}

async fn stale_versions_are_409(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app).await;
    let r = app
        .post(&format!("/api/assessments/{a}/observations"), &org.assessor.token, observation())
        .await
        .expect(201);
    let id = r["id"].as_str().unwrap();
    let fix = |reason: &str| {
        json!({"version": 1, "reason": reason, "record": {"kind": "practical", "date": today(), "context": reason,
        "items": [{"criterion": "DBS-04/1.1", "met": false, "comment": ""}]}})
    };
    app.post(&format!("/api/records/{id}/corrections"), &org.assessor.token, fix("first")).await.expect(200);
    app.post(&format!("/api/records/{id}/corrections"), &org.assessor2.token, fix("second"))
        .await
        .problem(409, "stale-version");
    let h = app.get(&format!("/api/records/{id}"), &org.assessor.token).await.expect(200);
    assert_eq!(h.as_array().unwrap().len(), 2);
    assert_eq!(h[1]["record"]["context"], "first", "the first correction is not overwritten");

    let cand = app.get("/api/candidates", &org.assessor.token).await.expect(200)[0].clone();
    let path = format!("/api/candidates/{}", cand["id"].as_str().unwrap());
    app.patch(&path, &org.assessor.token, json!({"version": 1, "display_name": "A"})).await.expect(200);
    app.patch(&path, &org.assessor2.token, json!({"version": 1, "display_name": "B"}))
        .await
        .problem(409, "stale-version");
    assert_eq!(app.get(&path, &org.assessor.token).await.expect(200)["display_name"], "A");
}

async fn concurrent_corrections_let_exactly_one_win(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app).await;
    let r = app
        .post(&format!("/api/assessments/{a}/observations"), &org.assessor.token, observation())
        .await
        .expect(201);
    let id = r["id"].as_str().unwrap();
    let path = format!("/api/records/{id}/corrections");
    let bodies: Vec<Value> = (0..8).map(|i| json!({"version": 1, "reason": format!("r{i}"), "record": {"kind": "practical",
        "date": today(), "context": format!("c{i}"), "items": [{"criterion": "DBS-04/1.1", "met": true, "comment": ""}]}})).collect();
    let calls =
        bodies.iter().map(|body| app.call(Method::POST, &path, Some(&org.assessor.token), Some(body)));
    let replies = futures_util::future::join_all(calls).await;
    let ok = replies.iter().filter(|r| r.status == 200).count();
    let conflict = replies.iter().filter(|r| r.status == 409).count();
    assert_eq!((ok, conflict), (1, 7), "{replies:?}");
    assert_eq!(
        app.get(&format!("/api/records/{id}"), &org.assessor.token)
            .await
            .expect(200)
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

async fn duplicate_submissions_are_409(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app).await;
    app.post(&format!("/api/assessments/{a}/observations"), &org.assessor.token, observation())
        .await
        .expect(201);
    app.post(&format!("/api/assessments/{a}/decisions"), &org.assessor.token, json!({})).await.expect(201);
    app.post(&format!("/api/assessments/{a}/decisions"), &org.assessor.token, json!({}))
        .await
        .problem(409, "duplicate");
    let all = app.get("/api/decisions", &org.verifier.token).await.expect(200);
    assert_eq!(all.as_array().unwrap().len(), 1);
}

async fn the_assessor_cannot_verify_their_own_decision(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app).await;
    // A person with both roles still cannot confirm what they assessed.
    let both = app
        .person(
            &org.id,
            "both@felkommun.test",
            &[validera::auth::Role::Assessor, validera::auth::Role::Verifier],
        )
        .await;
    app.post(&format!("/api/assessments/{a}/observations"), &both.token, observation()).await.expect(201);
    let d = app.post(&format!("/api/assessments/{a}/decisions"), &both.token, json!({})).await.expect(201);
    let id = d["id"].as_str().unwrap();
    app.post(&format!("/api/decisions/{id}/confirm"), &both.token, json!({"version": 1}))
        .await
        .problem(403, "four-eyes");
    assert_eq!(
        app.get(&format!("/api/decisions/{id}"), &org.verifier.token).await.expect(200)["status"],
        "submitted"
    );
    app.post(&format!("/api/decisions/{id}/confirm"), &org.verifier.token, json!({"version": 1}))
        .await
        .expect(200);
    app.post(&format!("/api/decisions/{id}/confirm"), &org.verifier.token, json!({"version": 1}))
        .await
        .problem(409, "stale-version");
}

async fn a_decision_on_a_changed_assessment_cannot_be_confirmed(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app).await;
    app.post(&format!("/api/assessments/{a}/observations"), &org.assessor.token, observation())
        .await
        .expect(201);
    let d = app
        .post(&format!("/api/assessments/{a}/decisions"), &org.assessor.token, json!({}))
        .await
        .expect(201);
    app.post(&format!("/api/assessments/{a}/observations"), &org.assessor.token, observation())
        .await
        .expect(201);
    let id = d["id"].as_str().unwrap();
    app.post(&format!("/api/decisions/{id}/confirm"), &org.verifier.token, json!({"version": 1}))
        .await
        .problem(409, "stale-version");
}

async fn unknown_routes_and_ids_are_problem_404(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, _) = setup(&app).await;
    app.get("/api/nothing-here", &org.assessor.token).await.problem(404, "not-found");
    app.get("/api/assessments/00000000-0000-4000-8000-000000000000", &org.assessor.token)
        .await
        .problem(404, "not-found");
}

/// Who sends a case.
#[derive(Debug, Clone, Copy)]
enum Who {
    Nobody,
    Admin,
    Assessor,
}

/// One bad request and the answer it must get, the same on both backends.
struct Case {
    name: &'static str,
    method: Method,
    /// With `{a}` (the assessment), `{cand}` (the candidate), `{rec}` (a record), `{user}` (the
    /// second assessor) replaced.
    path: &'static str,
    who: Who,
    body: Value,
    status: u16,
    slug: &'static str,
    /// The field named in `errors`, and its code, for 422 validation answers.
    field: Option<(&'static str, &'static str)>,
}

fn case(
    name: &'static str,
    method: Method,
    path: &'static str,
    who: Who,
    body: Value,
    (status, slug): (u16, &'static str),
    field: Option<(&'static str, &'static str)>,
) -> Case {
    Case { name, method, path, who, body, status, slug, field }
}

const INVALID: (u16, &str) = (422, "validation");
const NFC: &str = "\u{e5}sa.str\u{f6}m@felkommun.test";
const NFD: &str = "A\u{30a}sa.stro\u{308}m@Felkommun.test";

fn obs(date: &str, context: &str, comment: &str) -> Value {
    json!({"date": date, "context": context, "items": [{"criterion": "DBS-04/1.1", "met": true, "comment": comment}]})
}

fn evidence(issued_on: &str, description: &str) -> Value {
    json!({"date": today(), "evidence_kind": "work-certificate", "description": description, "issuer": "Firma AB",
        "issued_on": issued_on, "valid": true, "authentic": true, "sufficient": true, "reliable": true,
        "criteria": ["DBS-04/1.1"]})
}

fn cases() -> Vec<Case> {
    use Method as M;
    use Who::*;
    let user = |email: &str, name: &str| json!({"email": email, "display_name": name, "roles": ["assessor"]});
    let long_name = "\u{e5}".repeat(201);
    let huge_name = "x".repeat(200_000);
    let zwsp = "\u{200b}\u{200b}";
    let login = |email: &str, password: &str| json!({"email": email, "password": password});
    vec![
        case(
            "sign-in, NUL in the e-mail",
            M::POST,
            "/api/auth/login",
            Nobody,
            login("a\u{0}@felkommun.test", "whatever"),
            INVALID,
            Some(("email", "control-character")),
        ),
        case(
            "sign-in, NUL in the password",
            M::POST,
            "/api/auth/login",
            Nobody,
            login("a@felkommun.test", "pass\u{0}word"),
            INVALID,
            Some(("password", "control-character")),
        ),
        case(
            "sign-in, not an address",
            M::POST,
            "/api/auth/login",
            Nobody,
            login("nobody", "whatever"),
            INVALID,
            Some(("email", "email")),
        ),
        case(
            "new user, NUL in the e-mail",
            M::POST,
            "/api/users",
            Admin,
            user("x\u{0}@felkommun.test", "Xena"),
            INVALID,
            Some(("email", "control-character")),
        ),
        case(
            "new user, NUL in the name",
            M::POST,
            "/api/users",
            Admin,
            user("x@felkommun.test", "Xe\u{0}na"),
            INVALID,
            Some(("display_name", "control-character")),
        ),
        case(
            "new user, escape in the name",
            M::POST,
            "/api/users",
            Admin,
            user("x@felkommun.test", "Xe\u{1b}[2Jna"),
            INVALID,
            Some(("display_name", "control-character")),
        ),
        case(
            "new user, only zero-width spaces",
            M::POST,
            "/api/users",
            Admin,
            user("x@felkommun.test", zwsp),
            INVALID,
            Some(("display_name", "blank")),
        ),
        case(
            "new user, 201 characters",
            M::POST,
            "/api/users",
            Admin,
            user("x@felkommun.test", &long_name),
            INVALID,
            Some(("display_name", "too-long")),
        ),
        case(
            "new user, 200,000 characters",
            M::POST,
            "/api/users",
            Admin,
            user("x@felkommun.test", &huge_name),
            (413, "payload-too-large"),
            None,
        ),
        case(
            "new user, composed (NFC) address",
            M::POST,
            "/api/users",
            Admin,
            user(NFC, "\u{c5}sa Str\u{f6}m"),
            (201, ""),
            None,
        ),
        case(
            "new user, the same address decomposed (NFD)",
            M::POST,
            "/api/users",
            Admin,
            user(NFD, "\u{c5}sa Str\u{f6}m"),
            (409, "duplicate"),
            None,
        ),
        case(
            "user change, bell in the name",
            M::PATCH,
            "/api/users/{user}",
            Admin,
            json!({"version": 1, "display_name": "Bo\u{7}"}),
            INVALID,
            Some(("display_name", "control-character")),
        ),
        case(
            "new candidate, zero-width name",
            M::POST,
            "/api/candidates",
            Assessor,
            json!({"display_name": zwsp}),
            INVALID,
            Some(("display_name", "blank")),
        ),
        case(
            "new candidate, NUL in the e-mail",
            M::POST,
            "/api/candidates",
            Assessor,
            json!({"display_name": "Kim", "email": "kim\u{0}@x.test"}),
            INVALID,
            Some(("email", "control-character")),
        ),
        case(
            "candidate change, NUL in the name",
            M::PATCH,
            "/api/candidates/{cand}",
            Assessor,
            json!({"version": 1, "display_name": "Ha\u{0}nna"}),
            INVALID,
            Some(("display_name", "control-character")),
        ),
        case(
            "candidate change, 201 characters",
            M::PATCH,
            "/api/candidates/{cand}",
            Assessor,
            json!({"version": 1, "display_name": long_name}),
            INVALID,
            Some(("display_name", "too-long")),
        ),
        case(
            "observation dated year -5000",
            M::POST,
            "/api/assessments/{a}/observations",
            Assessor,
            obs("-5000-01-01", "Prov", ""),
            INVALID,
            Some(("date", "date-out-of-range")),
        ),
        case(
            "observation dated year 9999",
            M::POST,
            "/api/assessments/{a}/observations",
            Assessor,
            obs("9999-12-31", "Prov", ""),
            INVALID,
            Some(("date", "date-out-of-range")),
        ),
        case(
            "observation dated 1899",
            M::POST,
            "/api/assessments/{a}/observations",
            Assessor,
            obs("1899-12-31", "Prov", ""),
            INVALID,
            Some(("date", "date-out-of-range")),
        ),
        case(
            "observation, NUL in the context",
            M::POST,
            "/api/assessments/{a}/observations",
            Assessor,
            obs(&today(), "Pr\u{0}ov", ""),
            INVALID,
            Some(("context", "control-character")),
        ),
        case(
            "observation, NUL in a comment",
            M::POST,
            "/api/assessments/{a}/observations",
            Assessor,
            obs(&today(), "Prov", "bra\u{0}"),
            INVALID,
            Some(("items[0].comment", "control-character")),
        ),
        case(
            "evidence issued in year -5000",
            M::POST,
            "/api/assessments/{a}/evidence",
            Assessor,
            evidence("-5000-06-01", "Intyg"),
            INVALID,
            Some(("issued_on", "date-out-of-range")),
        ),
        case(
            "evidence issued in year 9999",
            M::POST,
            "/api/assessments/{a}/evidence",
            Assessor,
            evidence("9999-06-01", "Intyg"),
            INVALID,
            Some(("issued_on", "date-out-of-range")),
        ),
        case(
            "evidence, NUL in the description",
            M::POST,
            "/api/assessments/{a}/evidence",
            Assessor,
            evidence("2020-06-01", "Int\u{0}yg"),
            INVALID,
            Some(("description", "control-character")),
        ),
        case(
            "theory test, NUL in the title",
            M::POST,
            "/api/assessments/{a}/theory-tests",
            Assessor,
            json!({"date": today(), "title": "Prov\u{0}", "score": 15, "max": 20, "pass_mark": 14, "criteria": ["DBS-04/1.1"]}),
            INVALID,
            Some(("title", "control-character")),
        ),
        case(
            "mapping, NUL in the notes",
            M::POST,
            "/api/assessments/{a}/mapping-notes",
            Assessor,
            json!({"date": today(), "notes": "a\u{0}b"}),
            INVALID,
            Some(("notes", "control-character")),
        ),
        case(
            "correction, NUL in the reason",
            M::POST,
            "/api/records/{rec}/corrections",
            Assessor,
            json!({"version": 1, "reason": "fel\u{0}", "record": {"kind": "practical", "date": today(), "context": "Prov",
                "items": [{"criterion": "DBS-04/1.1", "met": true, "comment": ""}]}}),
            INVALID,
            Some(("reason", "control-character")),
        ),
        case(
            "withdrawal, NUL in the reason",
            M::POST,
            "/api/records/{rec}/withdrawal",
            Assessor,
            json!({"version": 1, "reason": "\u{0}"}),
            INVALID,
            Some(("reason", "control-character")),
        ),
        case(
            "submission, NUL in the comment",
            M::POST,
            "/api/assessments/{a}/decisions",
            Assessor,
            json!({"comment": "klar\u{0}"}),
            INVALID,
            Some(("comment", "control-character")),
        ),
        case(
            "key compromised from year 9999",
            M::POST,
            "/api/keys/nope/compromise",
            Admin,
            json!({"from": "9999-01-01T00:00:00Z", "reason": "stulen"}),
            INVALID,
            Some(("from", "date-out-of-range")),
        ),
        case(
            "NUL in a path id",
            M::GET,
            "/api/candidates/%00",
            Assessor,
            Value::Null,
            (404, "not-found"),
            None,
        ),
        case(
            "NUL in a record path id",
            M::POST,
            "/api/records/a%00b/withdrawal",
            Assessor,
            json!({"version": 1, "reason": "fel"}),
            (404, "not-found"),
            None,
        ),
        case(
            "NUL in a query",
            M::GET,
            "/api/decisions?status=%00",
            Assessor,
            Value::Null,
            INVALID,
            Some(("query", "control-character")),
        ),
    ]
}

/// What the table's case got: the status, the problem type, and each field with its code.
fn answer(r: &Reply) -> (u16, String, Vec<(String, String)>) {
    let fields = r.body["errors"]
        .as_array()
        .map(|e| {
            e.iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap_or("").to_owned(),
                        e["code"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    (r.status.as_u16(), r.body["type"].as_str().unwrap_or("").to_owned(), fields)
}

/// Every bad input in one table: no 5xx, a problem type and the field at fault, the same on
/// SQLite and PostgreSQL, and nothing stored.
async fn every_bad_input_gets_the_same_problem_on_both_backends(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app).await;
    let cand = app.get("/api/candidates", &org.assessor.token).await.expect(200)[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let rec = app
        .post(&format!("/api/assessments/{a}/observations"), &org.assessor.token, observation())
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let users_before = app.get("/api/users", &org.admin.token).await.expect(200).as_array().unwrap().len();
    let mut otp = None;
    let mut failures = Vec::new();
    for c in cases() {
        let path = c
            .path
            .replace("{a}", &a)
            .replace("{cand}", &cand)
            .replace("{rec}", &rec)
            .replace("{user}", &org.assessor2.id);
        let token = match c.who {
            Who::Nobody => None,
            Who::Admin => Some(org.admin.token.as_str()),
            Who::Assessor => Some(org.assessor.token.as_str()),
        };
        let body = (!c.body.is_null()).then_some(&c.body);
        let r = app.call(c.method.clone(), &path, token, body).await;
        let got = answer(&r);
        if r.status == 201 {
            otp = r.body["one_time_password"].as_str().map(str::to_owned);
        }
        let slug_ok = c.slug.is_empty() || got.1 == format!("/problems/{}", c.slug);
        let problem_json = c.status < 400 || r.content_type == "application/problem+json";
        let field_ok = c.field.is_none_or(|(f, code)| got.2 == [(f.to_owned(), code.to_owned())]);
        if got.0 != c.status || !slug_ok || !problem_json || !field_ok {
            failures.push(format!(
                "{}: expected {} {} {:?}, got {got:?} ({})",
                c.name, c.status, c.slug, c.field, r.body
            ));
        }
    }
    assert!(failures.is_empty(), "on {backend:?}:\n{}", failures.join("\n"));

    // Composed and decomposed spellings are one account: the one created signs in either way.
    let otp = otp.expect("the NFC address was created");
    let u = app.login(NFD, &otp).await.expect(200);
    assert_eq!(u["password_change_required"], true);
    let users = app.get("/api/users", &org.admin.token).await.expect(200);
    let emails: Vec<&str> = users.as_array().unwrap().iter().map(|u| u["email"].as_str().unwrap()).collect();
    assert_eq!(emails.len(), users_before + 1, "only the NFC case created a user: {emails:?}");
    assert!(emails.contains(&NFC), "{emails:?}");
    // Nothing refused was stored.
    assert_eq!(record_count(&app, &org, &a).await, 1);
    let c = app.get(&format!("/api/candidates/{cand}"), &org.assessor.token).await.expect(200);
    assert_eq!((c["display_name"].as_str(), c["version"].as_i64()), (Some("Hanna Hansson"), Some(1)));
}

both_backends!(
    every_bad_input_gets_the_same_problem_on_both_backends,
    malformed_json_is_400_and_changes_nothing,
    unknown_fields_are_refused,
    oversize_bodies_are_413,
    invalid_records_name_each_bad_field,
    evidence_of_a_kind_that_is_a_method_names_the_field_and_the_kinds,
    wrong_role_is_403,
    another_organisations_data_is_not_found,
    stale_versions_are_409,
    concurrent_corrections_let_exactly_one_win,
    duplicate_submissions_are_409,
    the_assessor_cannot_verify_their_own_decision,
    a_decision_on_a_changed_assessment_cannot_be_confirmed,
    unknown_routes_and_ids_are_problem_404,
);
