//! The gap report aimed at the targeted qualification, over HTTP: which units would complete it
//! (the smallest sets, with credits and levels), never a unit that cannot count, in sv, fi and
//! en, in the API and on the assessor's and the candidate's pages. The framework is the credit
//! pool example of docs/frameworks.md, uploaded by the organisation.

use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{Backend, Person, TestApp, spawn_app, today};

/// A unit with one practical criterion.
fn unit(code: &str, level: u8, credits: u8, en: &str) -> String {
    format!(
        r#"
[[units]]
code = "{code}"
level = {level}
credits = {credits}
title = {{ sv = "{en} (sv)", fi = "{en} (fi)", en = "{en}" }}
description = {{ sv = "s", en = "e" }}
[[units.outcomes]]
id = "1"
text = {{ sv = "s", en = "e" }}
[[units.outcomes.criteria]]
id = "1.1"
text = {{ sv = "Kan {code}.", en = "Can {code}." }}
methods = ["practical"]
"#
    )
}

fn framework() -> String {
    let mut toml = String::from(
        r#"id = "pool-cafe"
version = "1"
awarding_body = "Validering Nord"
default_currency_years = 5
title = { sv = "Kafé", fi = "Kahvila", en = "Café" }
description = { sv = "s", en = "e" }
"#,
    );
    for (code, level, credits, en) in [
        ("KC-01", 1, 2, "Hygiene"),
        ("KC-02", 2, 3, "Coffee"),
        ("KC-03", 1, 1, "Till"),
        ("KC-04", 3, 4, "Baking"),
        ("KC-05", 1, 2, "Dishes"),
        ("KC-06", 2, 9, "Catering"),
    ] {
        toml.push_str(&unit(code, level, credits, en));
    }
    toml.push_str(
        r#"
[[qualifications]]
code = "KCB"
title = { sv = "Kafébiträde", fi = "Kahvila-avustaja", en = "Café assistant" }
description = { sv = "s", en = "e" }
mandatory = ["KC-01"]
min_credits = 6

[[qualifications.optional_groups]]
title = { sv = "Valbara enheter", fi = "Valinnaiset yksiköt", en = "Optional units" }
min_units = 0
units = ["KC-02", "KC-03", "KC-04", "KC-05"]
"#,
    );
    toml
}

fn codes(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|u| u["code"].as_str().unwrap().to_owned()).collect()
}

fn gap_units(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|g| g["criterion"].as_str().unwrap().split('/').next().unwrap())
        .collect()
}

async fn observe(app: &TestApp, token: &str, a: &str, unit: &str) {
    app.post(
        &format!("/api/assessments/{a}/observations"),
        token,
        json!({"date": today(), "context": "Praktiskt prov",
               "items": [{"criterion": format!("{unit}/1.1"), "met": true, "comment": "Bra"}]}),
    )
    .await
    .expect(201);
}

async fn a_targeted_gap_report_names_the_smallest_sets_that_complete_the_qualification(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Kafékommun").await;
    let up = app
        .client
        .post(format!("{}/api/frameworks", app.address))
        .bearer_auth(&org.admin.token)
        .header("content-type", "application/toml")
        .body(framework())
        .send()
        .await
        .unwrap();
    TestApp::reply(up).await.expect(201);
    // An uploaded version is a draft until a panel member approves it.
    let panel = app.person(&org.id, "panel@kafekommun.test", &[validera::auth::Role::Panel]).await;
    app.post("/api/frameworks/pool-cafe/1/approve", &panel.token, json!({})).await.expect(200);
    let (cand, otp, email) = app.candidate(&org, "Pia Pool").await;
    let t = &org.assessor.token;
    let a = app
        .post(
            &format!("/api/candidates/{cand}/assessments"),
            t,
            json!({"framework_id": "pool-cafe", "framework_version": "1", "qualification": "KCB"}),
        )
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Nothing yet: the mandatory unit is in every set, and KC-06 is never suggested.
    let p = app.progress(&a, t, "en").await;
    let target = &p["target"];
    assert_eq!(target["code"], "KCB");
    assert_eq!(target["status"], "not-yet");
    let rules: Vec<&str> =
        target["needs"].as_array().unwrap().iter().map(|n| n["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["mandatory", "credits"]);
    assert_eq!(codes(&target["needs"][0]["units"]), ["KC-01"]);
    assert_eq!(codes(&target["needs"][1]["units"]), ["KC-01", "KC-02", "KC-03", "KC-04", "KC-05"]);
    assert_eq!(codes(&target["closing"][0]["units"]), ["KC-01", "KC-04"]);
    assert!(!p.to_string().contains("\"KC-06\",\"title\""), "KC-06 never suggested: {p}");
    assert_eq!(gap_units(&p["other_gaps"]), ["KC-06"]);

    // KC-01 met: 2 of 6 credits; KC-04 alone, or KC-02 with KC-03 or with KC-05.
    observe(&app, t, &a, "KC-01").await;
    let p = app.progress(&a, t, "en").await;
    let target = &p["target"];
    let rules: Vec<&str> =
        target["needs"].as_array().unwrap().iter().map(|n| n["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["credits"]);
    assert_eq!(
        target["needs"][0]["explanation"],
        "Credits so far: 2 of the 6 needed. Units that count toward it: Coffee (KC-02), Till (KC-03), Baking (KC-04) and Dishes (KC-05)."
    );
    let sets: Vec<Vec<String>> =
        target["closing"].as_array().unwrap().iter().map(|s| codes(&s["units"])).collect();
    assert_eq!(sets, [vec!["KC-04"], vec!["KC-02", "KC-03"], vec!["KC-02", "KC-05"]]);
    let credits: Vec<u64> =
        target["closing"].as_array().unwrap().iter().map(|s| s["credits"].as_u64().unwrap()).collect();
    assert_eq!(credits, [4, 4, 5]);
    assert_eq!(target["closing"][0]["units"][0]["level"], "3");
    assert_eq!(target["closing"][0]["units"][0]["level_label"], "Level 3");
    assert_eq!(target["closing"][0]["units"][0]["credits"], 4);
    assert_eq!(target["closing_intro"], "Any one of these 3 sets of units would complete Café assistant:");
    assert_eq!(target["closing"][0]["explanation"], "Baking (KC-04, Level 3, 4 credits): 4 credits in all.");
    assert_eq!(target["search_capped"], false);
    assert_eq!(gap_units(&p["gaps"]), ["KC-02", "KC-03", "KC-04", "KC-05"]);
    assert_eq!(gap_units(&p["other_gaps"]), ["KC-06"]);

    let sv = app.progress(&a, t, "sv").await;
    assert_eq!(
        sv["target"]["closing"][1]["explanation"],
        "Coffee (sv) (KC-02, nivå 2, 3 poäng) och Till (sv) (KC-03, nivå 1, 1 poäng): sammanlagt 4 poäng."
    );
    let fi = app.progress(&a, t, "fi").await;
    assert_eq!(
        fi["target"]["needs"][0]["explanation"].as_str().unwrap().split(". ").next().unwrap(),
        "Osaamispisteet tähän mennessä: 2/6"
    );
    assert_eq!(
        fi["target"]["closing"][0]["explanation"],
        "Baking (fi) (KC-04, taso 3, 4 osaamispistettä): yhteensä 4 osaamispistettä."
    );

    // The assessor's page shows the same sets, and the other unit's criterion apart.
    let b = app.browser_as(&org.assessor).await;
    let page = b.get(&format!("/assessor/assessments/{a}?lang=en")).await;
    let body = page.expect(200);
    assert!(
        body.contains("id=\"target-report\" data-qualification=\"KCB\" data-status=\"not-yet\""),
        "{body}"
    );
    assert!(
        body.contains(
            "<li data-closing=\"KC-04\">Baking (KC-04, Level 3, 4 credits): 4 credits in all.</li>"
        ),
        "{body}"
    );
    assert!(body.contains("data-closing=\"KC-02 KC-03\""), "{body}");
    assert!(body.contains("<tr data-gap=\"KC-04/1.1\">"));
    assert!(body.contains("<tr data-other-gap=\"KC-06/1.1\">"));
    assert!(!body.contains("<tr data-gap=\"KC-06/1.1\">"));

    // And so does the candidate's, in Finnish.
    let tok = app.login(&email, &otp).await.expect(200)["token"].as_str().unwrap().to_owned();
    let password = "kandidatens eget lösenord";
    app.post("/api/me/password", &tok, json!({"current_password": otp, "new_password": password}))
        .await
        .expect(200);
    let token = app.login(&email, password).await.expect(200)["token"].as_str().unwrap().to_owned();
    let id = app.get("/api/me", &token).await.expect(200)["id"].as_str().unwrap().to_owned();
    let person = Person { id, email, password: password.into(), token };
    let c = app.browser_as(&person).await;
    let page = c.get("/candidate?lang=fi").await;
    let body = page.expect(200);
    assert!(body.contains("Kahvila-avustaja: mikä tahansa näistä 3 yksikköyhdistelmästä riittää kaikkien vaatimusten täyttymiseen:"), "{body}");
    assert!(
        body.contains("<li>Baking (fi) (KC-04, taso 3, 4 osaamispistettä): yhteensä 4 osaamispistettä.</li>"),
        "{body}"
    );

    // KC-04 met: the qualification's rules hold, nothing more is suggested.
    observe(&app, t, &a, "KC-04").await;
    let p = app.progress(&a, t, "en").await;
    assert_eq!(p["target"]["status"], "provisional");
    assert!(p["target"]["needs"].as_array().unwrap().is_empty());
    assert!(p["target"]["closing"].as_array().unwrap().is_empty());
    assert!(p["target"]["closing_intro"].is_null());
    assert!(p["gaps"].as_array().unwrap().is_empty());
    assert_eq!(gap_units(&p["other_gaps"]), ["KC-02", "KC-03", "KC-05", "KC-06"]);
}

both_backends!(a_targeted_gap_report_names_the_smallest_sets_that_complete_the_qualification);
