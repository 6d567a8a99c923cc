//! Theory tests the framework defines, over HTTP: an uploaded framework with `[[theory_tests]]`
//! is approved by a panel member, and the assessor records scores against its tests. The pass
//! mark comes from the framework, rounded up to whole points (24 × 60 % = 14.4 → 15; 20 × 70 %
//! = 14); a score of 0 never passes; ad-hoc tests are refused for criteria a defined test
//! covers; the pages offer the tests by title and the decision trail shows the percent.

use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{Backend, Org, TestApp, spawn_app, today};

/// Unit TT-01: 1.1 and 1.2 theory (tests T24 and T20), 1.3 theory or practical (no test);
/// unit TT-02: 1.1 theory (test T1P: 24 points at 1 %).
const FRAMEWORK: &str = r#"id = "theory-kitchen"
version = "1"
awarding_body = "Validering Nord"
default_currency_years = 5
title = { sv = "Kök", fi = "Keittiö", en = "Kitchen" }
description = { sv = "s", en = "e" }

[[units]]
code = "TT-01"
level = 1
credits = 3
title = { sv = "Livsmedelshygien", fi = "Elintarvikehygienia", en = "Food hygiene" }
description = { sv = "s", en = "e" }
[[units.outcomes]]
id = "1"
text = { sv = "s", en = "e" }
[[units.outcomes.criteria]]
id = "1.1"
text = { sv = "Kan förklara egenkontroll.", en = "Can explain own-check." }
methods = ["theory"]
[[units.outcomes.criteria]]
id = "1.2"
text = { sv = "Kan ange temperaturer.", en = "Can give temperatures." }
methods = ["theory"]
[[units.outcomes.criteria]]
id = "1.3"
text = { sv = "Kan rengöra en yta.", en = "Can clean a surface." }
methods = ["theory", "practical"]

[[units]]
code = "TT-02"
level = 1
credits = 2
title = { sv = "Allergener", fi = "Allergeenit", en = "Allergens" }
description = { sv = "s", en = "e" }
[[units.outcomes]]
id = "1"
text = { sv = "s", en = "e" }
[[units.outcomes.criteria]]
id = "1.1"
text = { sv = "Kan nämna allergener.", en = "Can name allergens." }
methods = ["theory"]

[[qualifications]]
code = "TK"
title = { sv = "Kök", fi = "Keittiö", en = "Kitchen" }
description = { sv = "s", en = "e" }
mandatory = ["TT-01", "TT-02"]

[[theory_tests]]
id = "T24"
title = { sv = "Egenkontroll", fi = "Omavalvonta", en = "Own-check" }
max_score = 24
pass_percent = 60
criteria = ["TT-01/1.1"]

[[theory_tests]]
id = "T20"
title = { sv = "Temperaturer", fi = "Lämpötilat", en = "Temperatures" }
max_score = 20
pass_percent = 70
criteria = ["TT-01/1.2"]

[[theory_tests]]
id = "T1P"
title = { sv = "Allergenprov", fi = "Allergeenikoe", en = "Allergen test" }
max_score = 24
pass_percent = 1
criteria = ["TT-02/1.1"]
"#;

/// An organisation whose uploaded framework a panel member has approved, and an assessment of
/// a candidate on it.
pub async fn setup(app: &TestApp, name: &str) -> (Org, String) {
    let org = app.org(name).await;
    let up = app
        .client
        .post(format!("{}/api/frameworks", app.address))
        .bearer_auth(&org.admin.token)
        .header("content-type", "application/toml")
        .body(FRAMEWORK)
        .send()
        .await
        .unwrap();
    TestApp::reply(up).await.expect(201);
    let tag = name.to_lowercase();
    let panel = app.person(&org.id, &format!("panel@{tag}.test"), &[validera::auth::Role::Panel]).await;
    app.post("/api/frameworks/theory-kitchen/1/approve", &panel.token, json!({})).await.expect(200);
    let (cand, _, _) = app.candidate(&org, &format!("Teo {name}")).await;
    let a = app
        .post(
            &format!("/api/candidates/{cand}/assessments"),
            &org.assessor.token,
            json!({"framework_id": "theory-kitchen", "framework_version": "1", "qualification": "TK"}),
        )
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (org, a)
}

async fn score(app: &TestApp, org: &Org, a: &str, test: &str, score: u32) -> Value {
    app.post(
        &format!("/api/assessments/{a}/theory-tests"),
        &org.assessor.token,
        json!({"date": today(), "test": test, "score": score}),
    )
    .await
    .expect(201)
}

/// The criterion `id` of the progress in `lang`.
async fn criterion(app: &TestApp, org: &Org, a: &str, id: &str, lang: &str) -> Value {
    let p = app.progress(a, &org.assessor.token, lang).await;
    p["units"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|u| u["criteria"].as_array().unwrap().iter())
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in {p:#}"))
        .clone()
}

fn fields(problem: &Value) -> Vec<(String, Option<String>)> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap().to_owned(), e["code"].as_str().map(str::to_owned)))
        .collect()
}

async fn a_score_on_a_defined_test_meets_the_criteria_at_the_rounded_up_pass_mark(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app, "Teorikommun").await;

    // 14 of 24 at 60 %: 14.4 points are needed, so 15; 14 does not pass.
    let below = score(&app, &org, &a, "T24", 14).await;
    let r = &below["record"];
    assert_eq!(
        (&r["test"], &r["score"], &r["max"], &r["pass_mark"], &r["pass_percent"]),
        (&json!("T24"), &json!(14), &json!(24), &json!(15), &json!(60)),
        "{below:#}"
    );
    assert_eq!(r["criteria"], json!(["TT-01/1.1"]));
    assert_eq!(r["title"], "Egenkontroll");
    assert_eq!(below["warnings"], json!([]));
    let c = criterion(&app, &org, &a, "TT-01/1.1", "en").await;
    assert_eq!(c["met"], false, "{c:#}");
    let support = &c["records"][0];
    assert_eq!(support["counts"], false);
    assert_eq!(
        support["explanation"],
        "The score was 14 points and 15 are needed, so the criterion is not yet met."
    );
    assert_eq!(
        support["theory"],
        json!({"test": "T24", "title": "Own-check", "score": 14, "max": 24, "pass_mark": 15, "pass_percent": 60})
    );
    let fi = criterion(&app, &org, &a, "TT-01/1.1", "fi").await;
    assert_eq!(fi["records"][0]["theory"]["title"], "Omavalvonta");

    // 15 passes.
    score(&app, &org, &a, "T24", 15).await;
    let c = criterion(&app, &org, &a, "TT-01/1.1", "en").await;
    assert_eq!(c["met"], true, "{c:#}");

    // 20 at 70 % is 14 exactly: 13 does not pass, 14 does.
    let r = score(&app, &org, &a, "T20", 13).await;
    assert_eq!(r["record"]["pass_mark"], 14);
    assert_eq!(criterion(&app, &org, &a, "TT-01/1.2", "en").await["met"], false);
    score(&app, &org, &a, "T20", 14).await;
    assert_eq!(criterion(&app, &org, &a, "TT-01/1.2", "en").await["met"], true);

    // 0 of 24 never passes: even at 1 % the pass mark is 1 point.
    let zero = score(&app, &org, &a, "T1P", 0).await;
    assert_eq!(zero["record"]["pass_mark"], 1);
    let c = criterion(&app, &org, &a, "TT-02/1.1", "en").await;
    assert_eq!(c["met"], false, "{c:#}");
    assert_eq!(
        c["records"][0]["explanation"],
        "The score was 0 points and 1 is needed, so the criterion is not yet met."
    );
    score(&app, &org, &a, "T1P", 1).await;
    assert_eq!(criterion(&app, &org, &a, "TT-02/1.1", "en").await["met"], true);
}

async fn what_the_framework_does_not_allow_is_refused_at_the_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app, "Provkommun").await;
    let path = format!("/api/assessments/{a}/theory-tests");
    let t = &org.assessor.token;
    let post = |body: Value| app.post(&path, t, body);

    let p = post(json!({"date": today(), "test": "T99", "score": 3})).await.problem(422, "validation");
    assert_eq!(fields(&p), [("test".to_owned(), Some("unknown-theory-test".to_owned()))]);
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("T1P, T20, T24"), "{p:#}");

    let p = post(json!({"date": today(), "test": "T24", "score": 25})).await.problem(422, "validation");
    assert_eq!(fields(&p), [("score".to_owned(), None)]);
    assert_eq!(p["errors"][0]["message"], "score 25 is above the maximum 24");

    // The framework sets maximum, pass mark and criteria: sending them is refused, each named.
    let p = post(json!({"date": today(), "test": "T24", "score": 20, "max": 30, "pass_mark": 1}))
        .await
        .problem(422, "validation");
    assert_eq!(fields(&p), [("max".to_owned(), None), ("pass_mark".to_owned(), None)]);

    // An ad-hoc test on a criterion a defined test covers: record against the test instead.
    let p = post(json!({"date": today(), "title": "Eget prov", "score": 20, "max": 20, "pass_mark": 10,
                        "criteria": ["TT-01/1.3", "TT-01/1.1"]}))
    .await
    .problem(422, "validation");
    assert_eq!(fields(&p), [("criteria[1]".to_owned(), Some("covered-by-defined-test".to_owned()))]);
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("'T24'"), "{p:#}");

    // An ad-hoc pass mark of 0 points would let 0 pass.
    let p = post(json!({"date": today(), "title": "Eget prov", "score": 0, "max": 24, "pass_mark": 0,
                        "criteria": ["TT-01/1.3"]}))
    .await
    .problem(422, "validation");
    assert_eq!(fields(&p), [("pass_mark".to_owned(), None)]);

    // Nothing was stored; an ad-hoc test on a criterion no test covers still is.
    let p = app.progress(&a, t, "en").await;
    assert!(!p.to_string().contains("\"counts\""), "no record yet: {p:#}");
    let ok = post(json!({"date": today(), "title": "Eget prov", "score": 12, "max": 20, "pass_mark": 10,
                         "criteria": ["TT-01/1.3"]}))
    .await
    .expect(201);
    assert_eq!(ok["record"].get("test"), None);
    assert_eq!(ok["record"].get("pass_percent"), None);
    let c = criterion(&app, &org, &a, "TT-01/1.3", "en").await;
    assert_eq!(c["met"], true);
    assert_eq!(
        c["records"][0]["theory"],
        json!({"title": "Eget prov", "score": 12, "max": 20, "pass_mark": 10})
    );

    // A correction is held to the same rules, and may move to the defined test's form.
    let id = score(&app, &org, &a, "T24", 10).await["id"].as_str().unwrap().to_owned();
    let p = app
        .post(
            &format!("/api/records/{id}/corrections"),
            t,
            json!({"version": 1, "reason": "Fel poäng", "record": {"kind": "theory", "date": today(),
                   "title": "Egenkontroll", "score": 16, "max": 24, "pass_mark": 12, "criteria": ["TT-01/1.1"]}}),
        )
        .await
        .problem(422, "validation");
    assert_eq!(fields(&p), [("criteria[0]".to_owned(), Some("covered-by-defined-test".to_owned()))]);
    let c = app
        .post(
            &format!("/api/records/{id}/corrections"),
            t,
            json!({"version": 1, "reason": "Fel poäng", "record": {"kind": "theory", "date": today(),
                   "test": "T24", "score": 16}}),
        )
        .await
        .expect(200);
    assert_eq!(
        (&c["version"], &c["record"]["score"], &c["record"]["pass_mark"]),
        (&json!(2), &json!(16), &json!(15))
    );
}

async fn another_organisations_assessment_reads_404(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, a) = setup(&app, "Egenkommun").await;
    let other = app.org("Annankommun").await;
    app.post(
        &format!("/api/assessments/{a}/theory-tests"),
        &other.assessor.token,
        json!({"date": today(), "test": "T24", "score": 20}),
    )
    .await
    .problem(404, "not-found");
    let b = app.browser_as(&other.assessor).await;
    assert_eq!(b.get(&format!("/assessor/assessments/{a}/theory")).await.status, 404);
}

async fn the_pages_offer_the_tests_and_the_trail_shows_the_percent(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, a) = setup(&app, "Sidkommun").await;
    let b = app.browser_as(&org.assessor).await;

    let form = b.get(&format!("/assessor/assessments/{a}/theory?lang=en")).await;
    let body = form.expect(200);
    assert!(
        body.contains(
            "<option value=\"T24\">Own-check: at most 24 points, passed at 15 points (60 %)</option>"
        ),
        "{body}"
    );
    assert!(body.contains(
        "<option value=\"T1P\">Allergen test: at most 24 points, passed at 1 point (1 %)</option>"
    ));
    // An ad-hoc test is offered only the criterion no test covers.
    assert!(body.contains("value=\"TT-01/1.3\""), "{body}");
    assert!(!body.contains("value=\"TT-01/1.1\""), "{body}");
    assert!(!body.contains("value=\"TT-02/1.1\""), "{body}");

    // A score above the test's maximum comes back next to the field; nothing is stored.
    let refused = b
        .post_form(
            &format!("/assessor/assessments/{a}/theory"),
            &[("date", &today()), ("test", "T24"), ("score", "30")],
        )
        .await;
    let body = refused.expect(422);
    assert!(body.contains("id=\"score-error\""), "{body}");
    assert!(body.contains("<option value=\"T24\" selected>"), "the choice is kept: {body}");

    let saved = b
        .post_form(
            &format!("/assessor/assessments/{a}/theory"),
            &[("date", &today()), ("test", "T24"), ("score", "15")],
        )
        .await;
    assert!(saved.redirected().starts_with(&format!("/assessor/assessments/{a}?done=assessor-theory-saved")));
    let overview = b.get(&format!("/assessor/assessments/{a}?lang=en")).await;
    let body = overview.expect(200);
    assert!(body.contains("15 of 24 points"), "{body}");
    assert!(body.contains("Pass mark 15 points (60 %)"), "{body}");
    score(&app, &org, &a, "T1P", 3).await;

    // The internal verifier's trail names the test in the reader's language, with the percent.
    let d = app
        .post(&format!("/api/assessments/{a}/decisions"), &org.assessor.token, json!({}))
        .await
        .expect(201);
    let decision = d["id"].as_str().unwrap();
    let v = app.browser_as(&org.verifier).await;
    let page = v.get(&format!("/verifier/decisions/{decision}?lang=fi")).await;
    let body = page.expect(200);
    assert!(body.contains("<dd>Omavalvonta</dd>"), "{body}");
    assert!(body.contains("<dd>15 pistettä (60 % enimmäispisteistä)</dd>"), "{body}");
    let sv = v.get(&format!("/verifier/decisions/{decision}?lang=sv")).await;
    assert!(sv.expect(200).contains("<dd>15 poäng (60 % av maxpoängen)</dd>"), "{}", sv.body);
}

both_backends!(
    a_score_on_a_defined_test_meets_the_criteria_at_the_rounded_up_pass_mark,
    what_the_framework_does_not_allow_is_refused_at_the_field,
    another_organisations_assessment_reads_404,
    the_pages_offer_the_tests_and_the_trail_shows_the_percent,
);
