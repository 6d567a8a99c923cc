//! "Today" is the organisation's local date: with the clock at 00:30 in Stockholm or Helsinki
//! (still the day before in UTC), a record carrying the local date is accepted, decisions and
//! certificates carry that date, and the administrator sets the time zone.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use validera::service::clock::Clock;

use crate::both_backends;
use crate::helpers::{Backend, Org, TestApp, spawn_app, spawn_app_with};

fn at(s: &str) -> Clock {
    Clock::Fixed(DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc))
}

/// 2026-12-01 00:30 in Stockholm (UTC+1 in winter).
const STOCKHOLM_HALF_PAST_MIDNIGHT: &str = "2026-11-30T23:30:00Z";
/// 2026-12-01 00:30 in Helsinki (UTC+2 in winter).
const HELSINKI_HALF_PAST_MIDNIGHT: &str = "2026-11-30T22:30:00Z";
const LOCAL_DATE: &str = "2026-12-01";

fn observation(date: &str) -> Value {
    json!({"date": date, "context": "Prov", "items": [{"criterion": "DBS-04/1.1", "met": true, "comment": ""}]})
}

async fn assessment(app: &TestApp, org: &Org, name: &str) -> String {
    let (cand, _, _) = app.candidate(org, name).await;
    app.assessment(org, &cand).await
}

async fn set_zone(app: &TestApp, org: &Org, zone: &str) -> Value {
    let o = app.get("/api/organisation", &org.admin.token).await.expect(200);
    app.patch("/api/organisation", &org.admin.token, json!({"version": o["version"], "time_zone": zone}))
        .await
        .expect(200)
}

async fn a_record_with_the_stockholm_date_is_accepted_at_half_past_midnight(backend: Backend) {
    // Arrange: 23:30 UTC on 30 November is already 1 December in Stockholm.
    let (app, _) = spawn_app_with(backend, |s| s.clock = at(STOCKHOLM_HALF_PAST_MIDNIGHT)).await;
    let org = app.org("Midnattskommun").await;
    let a = assessment(&app, &org, "Sara Sent").await;
    let path = format!("/api/assessments/{a}/observations");

    // Act
    let local = app.post(&path, &org.assessor.token, observation(LOCAL_DATE)).await;
    let tomorrow = app.post(&path, &org.assessor.token, observation("2026-12-02")).await;
    let evidence = app
        .post(
            &format!("/api/assessments/{a}/evidence"),
            &org.assessor.token,
            json!({"date": LOCAL_DATE, "evidence_kind": "employer-reference", "description": "Intyg",
                "issuer": "Arbetsgivaren", "issued_on": LOCAL_DATE, "valid": true, "authentic": true,
                "sufficient": true, "reliable": true, "criteria": ["DBS-02/1.1"]}),
        )
        .await;

    // Assert
    assert_eq!(local.expect(201)["record"]["date"], LOCAL_DATE);
    let problem = tomorrow.problem(422, "validation");
    assert_eq!(problem["errors"][0]["field"], "date", "{problem:#}");
    assert_eq!(evidence.expect(201)["record"]["issued_on"], LOCAL_DATE);
    // Evidence issued on the local date is current as of the local date.
    let p = app.progress(&a, &org.assessor.token, "en").await;
    let dbs02 = p["units"].as_array().unwrap().iter().find(|u| u["code"] == "DBS-02").unwrap();
    assert_eq!(dbs02["status"], "provisional", "{dbs02:#}");
}

async fn a_record_with_the_helsinki_date_is_accepted_where_stockholm_has_not_reached_it(backend: Backend) {
    // Arrange: 22:30 UTC is 00:30 on 1 December in Helsinki, 23:30 on 30 November in Stockholm.
    let (app, _) = spawn_app_with(backend, |s| s.clock = at(HELSINKI_HALF_PAST_MIDNIGHT)).await;
    let finnish = app.org("Keskiyön kunta").await;
    let swedish = app.org("Kvällskommun").await;
    let changed = set_zone(&app, &finnish, "Europe/Helsinki").await;
    let in_finland = assessment(&app, &finnish, "Aino Aamu").await;
    let in_sweden = assessment(&app, &swedish, "Sven Sen").await;

    // Act
    let helsinki = app
        .post(
            &format!("/api/assessments/{in_finland}/observations"),
            &finnish.assessor.token,
            observation(LOCAL_DATE),
        )
        .await;
    let stockholm = app
        .post(
            &format!("/api/assessments/{in_sweden}/observations"),
            &swedish.assessor.token,
            observation(LOCAL_DATE),
        )
        .await;

    // Assert
    assert_eq!(changed["time_zone"], "Europe/Helsinki");
    assert_eq!(helsinki.expect(201)["record"]["date"], LOCAL_DATE);
    let problem = stockholm.problem(422, "validation");
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains("in the future"), "{problem:#}");
}

async fn certificates_issued_at_half_past_midnight_carry_the_local_date(backend: Backend) {
    // Arrange
    let (app, _) = spawn_app_with(backend, |s| s.clock = at(STOCKHOLM_HALF_PAST_MIDNIGHT)).await;
    let org = app.org("Intygsnatt").await;
    let a = assessment(&app, &org, "Nils Natt").await;
    app.post(&format!("/api/assessments/{a}/observations"), &org.assessor.token, observation(LOCAL_DATE))
        .await
        .expect(201);
    let d = app
        .post(&format!("/api/assessments/{a}/decisions"), &org.assessor.token, json!({}))
        .await
        .expect(201);

    // Act
    app.post(
        &format!("/api/decisions/{}/confirm", d["id"].as_str().unwrap()),
        &org.verifier.token,
        json!({"version": 1}),
    )
    .await
    .expect(200);

    // Assert: the credential states the instant with Stockholm's offset, so its date is the
    // local one, and the printed pages (which print that date) agree with it.
    let certs = app.get("/api/certificates", &org.admin.token).await.expect(200);
    let id = certs[0]["id"].as_str().unwrap();
    let credential: Value = serde_json::from_slice(
        &app.bytes(&format!("/api/certificates/{id}/credential.json"), Some(&org.admin.token)).await,
    )
    .unwrap();
    assert_eq!(credential["validFrom"], "2026-12-01T00:30:00+01:00");
    let pdf = app.bytes(&format!("/api/certificates/{id}/certificate.pdf"), Some(&org.admin.token)).await;
    let report = crate::certificates::verify_body(&app, pdf, "application/pdf").await;
    let printed = report["checks"].as_array().unwrap().iter().find(|c| c["name"] == "printed").unwrap();
    assert_eq!(
        (report["outcome"].as_str(), printed["result"].as_str()),
        (Some("genuine"), Some("passed")),
        "{report:#}"
    );
}

async fn the_administrator_sees_and_changes_the_time_zone_and_a_bad_one_is_refused(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let org = app.org("Zonkommun").await;
    let before = app.get("/api/organisation", &org.assessor.token).await.expect(200);

    // Act
    let bad = app
        .patch(
            "/api/organisation",
            &org.admin.token,
            json!({"version": before["version"], "time_zone": "Europe/Uppsala"}),
        )
        .await;
    let by_assessor = app
        .patch(
            "/api/organisation",
            &org.assessor.token,
            json!({"version": before["version"], "time_zone": "Europe/Helsinki"}),
        )
        .await;
    let changed = set_zone(&app, &org, "Europe/Helsinki").await;
    let after = app.get("/api/organisation", &org.assessor.token).await.expect(200);

    // Assert
    assert_eq!(before["time_zone"], "Europe/Stockholm");
    let problem = bad.problem(422, "validation");
    assert_eq!(
        (problem["errors"][0]["field"].as_str(), problem["errors"][0]["code"].as_str()),
        (Some("time_zone"), Some("time-zone")),
        "{problem:#}"
    );
    by_assessor.problem(403, "forbidden");
    assert_eq!(changed["name"], "Zonkommun", "the name is kept");
    assert_eq!(after["time_zone"], "Europe/Helsinki");
}

async fn the_admin_page_changes_the_time_zone(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let org = app.org("Sidkommun").await;
    let b = app.browser_as(&org.admin).await;

    // Act
    let overview = b.get("/admin").await;
    let form = b.get("/admin/organisation").await;
    let bad = b
        .post_form(
            "/admin/organisation",
            &[("version", "1"), ("name", "Sidkommun"), ("time_zone", "Mars/Olympus")],
        )
        .await;
    let saved = b
        .post_form(
            "/admin/organisation",
            &[("version", "1"), ("name", "Sidkommun"), ("time_zone", "Europe/Helsinki")],
        )
        .await;
    let after = b.get("/admin/organisation?lang=en").await;

    // Assert
    assert!(overview.expect(200).contains("Europe/Stockholm"));
    assert!(form.expect(200).contains("value=\"Europe/Stockholm\""));
    assert!(bad.expect(422).contains("aria-invalid=\"true\""), "{}", bad.body);
    assert_eq!(saved.redirected(), "/admin/organisation?done=admin-organisation-saved");
    let after = after.expect(200);
    assert!(after.contains("value=\"Europe/Helsinki\""), "{after}");
}

both_backends!(
    a_record_with_the_stockholm_date_is_accepted_at_half_past_midnight,
    a_record_with_the_helsinki_date_is_accepted_where_stockholm_has_not_reached_it,
    certificates_issued_at_half_past_midnight_carry_the_local_date,
    the_administrator_sees_and_changes_the_time_zone_and_a_bad_one_is_refused,
    the_admin_page_changes_the_time_zone,
);
