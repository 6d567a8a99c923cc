//! Framework approval by a panel, over the API and the pages: an uploaded version is a draft
//! that nothing is assessed on until a panel member (not the uploader) approves it; each
//! approved version has a review date, flagged once passed; shipped frameworks, and versions
//! stored before approval existed, count as approved.

use chrono::{Months, NaiveDate, Utc};
use diesel::{Connection, QueryDsl, RunQueryDsl};
use serde_json::{Value, json};
use validera::auth::Role;

use crate::both_backends;
use crate::helpers::{Backend, Org, Person, TestApp, TestDatabase, spawn_app};

const SOURCE: &str = include_str!("fixtures/frameworks/test-skills.toml");

/// The test framework under the organisation's own id and `version`.
fn own(id: &str, version: &str) -> String {
    SOURCE
        .replace("id = \"test-skills\"", &format!("id = \"{id}\""))
        .replace("version = \"2026.1\"", &format!("version = \"{version}\""))
}

async fn upload(app: &TestApp, token: &str, body: String) -> crate::helpers::Reply {
    let resp = app
        .client
        .post(format!("{}/api/frameworks", app.address))
        .bearer_auth(token)
        .header("content-type", "application/toml")
        .body(body)
        .send()
        .await
        .unwrap();
    TestApp::reply(resp).await
}

async fn panel_member(app: &TestApp, org: &Org, tag: &str, roles: &[Role]) -> Person {
    app.person(&org.id, &format!("{tag}@panel.test"), roles).await
}

async fn start(app: &TestApp, org: &Org, candidate: &str, id: &str, version: &str) -> crate::helpers::Reply {
    app.post(
        &format!("/api/candidates/{candidate}/assessments"),
        &org.assessor.token,
        json!({"framework_id": id, "framework_version": version, "qualification": "DBS"}),
    )
    .await
}

/// Today in the test organisations' calendar (Europe/Stockholm, the default time zone), which
/// the panel's review dates count in.
fn today() -> NaiveDate {
    Utc::now().with_timezone(&chrono_tz::Europe::Stockholm).date_naive()
}

/// The server's date in UTC: what a shipped framework's loading is dated by.
fn utc_today() -> NaiveDate {
    Utc::now().date_naive()
}

fn in_four_years(d: NaiveDate) -> String {
    d.checked_add_months(Months::new(48)).unwrap().to_string()
}

async fn listed(app: &TestApp, token: &str, id: &str, version: &str) -> Value {
    let list = app.get("/api/frameworks", token).await.expect(200);
    list.as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id && f["version"] == version)
        .unwrap_or_else(|| panic!("{id}@{version} is not listed: {list:#}"))
        .clone()
}

async fn events(app: &TestApp, token: &str, action: &str) -> Vec<Value> {
    let page = app.get("/api/audit?limit=200", token).await.expect(200);
    page["events"].as_array().unwrap().iter().filter(|e| e["action"] == action).cloned().collect()
}

async fn an_upload_is_a_draft_until_a_panel_member_approves_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Panelkommun").await;
    let panel = panel_member(&app, &org, "pia", &[Role::Panel]).await;
    let (cand, _, _) = app.candidate(&org, "Dora Utkast").await;
    // An administrator gives the role like any other, on the API and on the pages.
    let made = app
        .post(
            "/api/users",
            &org.admin.token,
            json!({"email": "paula@panelkommun.test", "display_name": "Paula Panel", "roles": ["panel"]}),
        )
        .await
        .expect(201);
    assert_eq!(made["user"]["roles"], json!(["panel"]));
    let form = app.browser_as(&org.admin).await.get("/admin/users/new").await;
    assert!(form.expect(200).contains("id=\"role-panel\""));

    let up = upload(&app, &org.admin.token, own("panel-skills", "1")).await.expect(201);
    assert_eq!(up["approval"]["status"], "draft", "{up:#}");
    assert_eq!(up["approval"]["uploaded_by"], org.admin.id.as_str());
    assert_eq!(up["approval"]["review_due"], Value::Null);
    // A draft is nobody's to assess against, and it is not published.
    let p = start(&app, &org, &cand, "panel-skills", "1").await.problem(409, "framework-not-approved");
    let detail = p["detail"].as_str().unwrap();
    assert!(detail.contains("panel-skills version 1 is a draft"), "{detail}");
    assert!(detail.contains("approved"), "{detail}");
    let public = app.call(reqwest::Method::GET, "/frameworks/panel-skills/1", None, None).await;
    public.problem(404, "not-found");
    let problem = app.call(reqwest::Method::GET, "/problems/framework-not-approved", None, None).await;
    assert!(problem.expect(200).as_str().unwrap().contains("409"));

    // Only a panel member of the organisation decides, and a return needs a comment.
    let approve = "/api/frameworks/panel-skills/1/approve";
    app.post(approve, &org.assessor.token, json!({})).await.problem(403, "forbidden");
    app.post(approve, &org.admin.token, json!({})).await.problem(403, "forbidden");
    let other = app.org("Grannkommun").await;
    let theirs = panel_member(&app, &other, "granne", &[Role::Panel]).await;
    app.post(approve, &theirs.token, json!({})).await.problem(404, "not-found");
    app.post("/api/frameworks/panel-skills/1/return", &panel.token, json!({"comment": "  "}))
        .await
        .problem(422, "validation");
    app.post(approve, &panel.token, json!({"review_due": today().to_string()}))
        .await
        .problem(422, "validation");
    app.post("/api/frameworks/test-skills/2026.1/approve", &panel.token, json!({}))
        .await
        .problem(403, "forbidden");
    assert_eq!(listed(&app, &panel.token, "panel-skills", "1").await["approval"]["status"], "draft");

    let approved =
        app.post(approve, &panel.token, json!({"comment": "Väl avvägd kursplan."})).await.expect(200);
    assert_eq!(approved["status"], "approved", "{approved:#}");
    assert_eq!(approved["decided_by"], panel.id.as_str());
    assert_eq!(approved["comment"], "Väl avvägd kursplan.");
    assert_eq!(approved["review_due"], in_four_years(today()));
    assert_eq!(approved["review_overdue"], false);
    app.post(approve, &panel.token, json!({})).await.problem(409, "framework-decided");
    app.post("/api/frameworks/panel-skills/1/return", &panel.token, json!({"comment": "För sent"}))
        .await
        .problem(409, "framework-decided");

    let a = start(&app, &org, &cand, "panel-skills", "1").await.expect(201);
    assert_eq!(a["framework_id"], "panel-skills");
    app.call(reqwest::Method::GET, "/frameworks/panel-skills/1", None, None).await.expect(200);
    let view = app.get("/api/frameworks/panel-skills/1", &org.assessor.token).await.expect(200);
    assert_eq!(view["approval"]["status"], "approved");

    let approvals = events(&app, &org.admin.token, "framework-approved").await;
    assert_eq!(approvals.len(), 1, "{approvals:#?}");
    assert_eq!(approvals[0]["actor_id"], panel.id.as_str());
    assert_eq!(approvals[0]["subject"], "panel-skills");
    assert_eq!(approvals[0]["details"]["version"], "1");
    assert_eq!(approvals[0]["details"]["review_due"], in_four_years(today()));
}

async fn the_uploader_cannot_approve_and_a_returned_version_stays_unusable(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Fyraogon").await;
    let both = panel_member(&app, &org, "bo", &[Role::Admin, Role::Panel]).await;
    let panel = panel_member(&app, &org, "pia", &[Role::Panel]).await;
    let (cand, _, _) = app.candidate(&org, "Rut Retur").await;

    upload(&app, &both.token, own("fyra-skills", "1")).await.expect(201);
    let p = app
        .post("/api/frameworks/fyra-skills/1/approve", &both.token, json!({}))
        .await
        .problem(403, "four-eyes");
    assert!(p["detail"].as_str().unwrap().contains("another panel member"), "{p:#}");
    let due = today().checked_add_months(Months::new(24)).unwrap().to_string();
    let ok = app
        .post("/api/frameworks/fyra-skills/1/approve", &panel.token, json!({"review_due": due}))
        .await
        .expect(200);
    assert_eq!(ok["review_due"], due.as_str(), "the panel may set another review date");

    upload(&app, &org.admin.token, own("fyra-skills", "2")).await.expect(201);
    let back = app
        .post(
            "/api/frameworks/fyra-skills/2/return",
            &panel.token,
            json!({"comment": "Enhet DBS-04 saknar kriterier för teori."}),
        )
        .await
        .expect(200);
    assert_eq!(back["status"], "returned");
    assert_eq!(back["review_due"], Value::Null);
    let listed = listed(&app, &org.admin.token, "fyra-skills", "2").await;
    assert_eq!(listed["approval"]["comment"], "Enhet DBS-04 saknar kriterier för teori.");
    let p = start(&app, &org, &cand, "fyra-skills", "2").await.problem(409, "framework-not-approved");
    assert!(p["detail"].as_str().unwrap().contains("returned by the panel"), "{p:#}");
    app.post("/api/frameworks/fyra-skills/2/approve", &panel.token, json!({}))
        .await
        .problem(409, "framework-decided");
    assert_eq!(events(&app, &org.admin.token, "framework-returned").await.len(), 1);
    start(&app, &org, &cand, "fyra-skills", "1").await.expect(201);
}

async fn review_dates_default_to_four_years_and_are_flagged_once_passed(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Oversyn").await;
    let panel = panel_member(&app, &org, "pia", &[Role::Panel]).await;
    upload(&app, &org.admin.token, own("oversyn-skills", "1")).await.expect(201);
    app.post(
        "/api/frameworks/oversyn-skills/1/review-date",
        &panel.token,
        json!({"review_due": "2031-01-01"}),
    )
    .await
    .problem(409, "framework-not-approved");
    app.post("/api/frameworks/oversyn-skills/1/approve", &panel.token, json!({})).await.expect(200);
    let before = listed(&app, &org.admin.token, "oversyn-skills", "1").await;
    assert_eq!(before["approval"]["review_due"], in_four_years(today()));
    assert_eq!(before["approval"]["review_overdue"], false);

    // Four years pass: the stored date is moved back, as the API refuses a past date.
    let pool = app.pool.clone();
    let (org_id, passed) = (org.id.clone(), today().pred_opt().unwrap());
    tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().unwrap();
        validera::db::queries::frameworks::set_review_due(&mut conn, &org_id, "oversyn-skills", "1", passed)
            .unwrap()
    })
    .await
    .unwrap();
    let after = listed(&app, &org.admin.token, "oversyn-skills", "1").await;
    assert_eq!(after["approval"]["review_overdue"], true, "{after:#}");
    let b = app.browser_as(&org.admin).await;
    let page = b.get("/admin/frameworks").await;
    let body = page.expect(200);
    let row =
        body.split("data-framework=\"oversyn-skills@1\"").nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(row.starts_with(" data-status=\"approved\" data-review-overdue=\"true\""), "{row}");
    assert!(row.contains("class=\"tag bad review-overdue\""), "{row}");
    let preview = b.get("/admin/frameworks/oversyn-skills/1").await;
    assert!(preview.expect(200).contains("review-overdue"));

    // The panel reviews it and sets the next date; a past one is refused.
    let path = "/api/frameworks/oversyn-skills/1/review-date";
    app.post(path, &panel.token, json!({"review_due": passed.to_string()})).await.problem(422, "validation");
    app.post(path, &org.admin.token, json!({"review_due": "2031-01-01"})).await.problem(403, "forbidden");
    let set = app.post(path, &panel.token, json!({"review_due": "2031-01-01"})).await.expect(200);
    assert_eq!(set["review_due"], "2031-01-01");
    assert_eq!(set["review_overdue"], false);
    let moved = events(&app, &org.admin.token, "framework-review-date-set").await;
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0]["details"]["previous"], passed.to_string());
    assert_eq!(moved[0]["details"]["review_due"], "2031-01-01");
}

async fn shipped_frameworks_are_approved_by_the_system_as_they_load(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Leverans").await;
    let f = listed(&app, &org.assessor.token, "test-skills", "2026.1").await;
    let approval = &f["approval"];
    assert_eq!(approval["status"], "approved", "{f:#}");
    assert_eq!(approval["decided_by"], Value::Null, "approved by the system");
    assert_eq!(approval["uploaded_by"], Value::Null);
    let decided = approval["decided_at"].as_str().unwrap();
    assert_eq!(&decided[..10], utc_today().to_string(), "approved the day it was loaded");
    assert_eq!(approval["review_due"], in_four_years(utc_today()));
    assert_eq!(approval["review_overdue"], false);
}

/// At 00:30 on New Year's Day in Stockholm (23:30 UTC the day before), an approval is dated in
/// the organisation's calendar: due for review on New Year's Day four years on.
async fn the_review_date_counts_in_the_organisations_calendar(backend: Backend) {
    let at = chrono::DateTime::parse_from_rfc3339("2026-12-31T23:30:00Z").unwrap().with_timezone(&Utc);
    let (app, _) =
        crate::helpers::spawn_app_with(backend, |s| s.clock = validera::service::clock::Clock::Fixed(at))
            .await;
    let org = app.org("Nyarskommun").await;
    let panel = panel_member(&app, &org, "pia", &[Role::Panel]).await;
    upload(&app, &org.admin.token, own("nyar-skills", "1")).await.expect(201);
    let path = "/api/frameworks/nyar-skills/1/approve";
    app.post(path, &panel.token, json!({"review_due": "2027-01-01"})).await.problem(422, "validation");
    let ok = app.post(path, &panel.token, json!({})).await.expect(200);
    assert_eq!(ok["review_due"], "2031-01-01", "{ok:#}");
}

/// The migration marks every version stored before approval existed as approved, the day it
/// was loaded, due for review four years later.
async fn versions_stored_before_the_migration_become_approved(backend: Backend) {
    use diesel::migration::MigrationSource;
    use diesel_migrations::MigrationHarness;
    use validera::db::schema::frameworks::dsl as f;

    const OURS: &str = "2026-12-08-000001";
    let db = TestDatabase::new(backend);
    let insert = "INSERT INTO frameworks (framework_id, version, organisation_id, source, sha256, loaded_at) \
                  VALUES ('gammal', '1', NULL, 'x', 'y', '2024-02-29 10:00:00')";
    type Row = (String, Option<NaiveDate>, Option<chrono::NaiveDateTime>, Option<String>);
    let select = || f::frameworks.select((f::status, f::review_due, f::decided_at, f::decided_by));
    fn migrate<C, S>(conn: &mut C, source: S, before: bool)
    where
        C: MigrationHarness<C::Backend> + Connection,
        S: MigrationSource<C::Backend>,
    {
        let mut pending = conn.pending_migrations(source).unwrap();
        pending.sort_by_key(|m| m.name().to_string());
        for m in pending {
            if (m.name().to_string().as_str() < OURS) == before {
                conn.run_migration(&m).unwrap();
            }
        }
    }
    let row: Row = match backend {
        Backend::Sqlite => {
            let path = db.url.strip_prefix("sqlite:").unwrap();
            let mut conn = diesel::SqliteConnection::establish(path).unwrap();
            migrate(&mut conn, validera::db::SQLITE_MIGRATIONS, true);
            diesel::sql_query(insert).execute(&mut conn).unwrap();
            migrate(&mut conn, validera::db::SQLITE_MIGRATIONS, false);
            select().first(&mut conn).unwrap()
        }
        Backend::Postgres => {
            let mut conn = diesel::PgConnection::establish(&db.url).unwrap();
            migrate(&mut conn, validera::db::POSTGRES_MIGRATIONS, true);
            diesel::sql_query(insert).execute(&mut conn).unwrap();
            migrate(&mut conn, validera::db::POSTGRES_MIGRATIONS, false);
            select().first(&mut conn).unwrap()
        }
    };
    let loaded = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    assert_eq!(row.0, "approved");
    assert_eq!(row.1, Some(NaiveDate::from_ymd_opt(2028, 2, 29).unwrap()));
    assert_eq!(row.2.map(|t| t.date()), Some(loaded));
    assert_eq!(row.3, None, "approved by the system");
}

/// The panel member's pages: the queue, a version with its content, returning without a
/// comment refused at the field, approving from the form.
async fn the_panel_member_approves_on_the_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Sidpanel").await;
    let panel = panel_member(&app, &org, "pia", &[Role::Panel]).await;
    upload(&app, &org.admin.token, own("sid-skills", "1")).await.expect(201);
    let b = app.browser_as(&panel).await;
    let home = b.open("/").await;
    let body = home.expect(200);
    assert!(body.contains("<tr data-framework=\"sid-skills@1\">"), "{body}");
    assert!(body.contains("href=\"/panel\" aria-current=\"page\""), "{body}");

    let page = b.get("/panel/frameworks/sid-skills/1").await;
    let body = page.expect(200);
    for expected in [
        "id=\"approve-framework\"",
        "id=\"return-framework\"",
        "data-unit=\"DBS-01\"",
        "data-status=\"draft\"",
    ] {
        assert!(body.contains(expected), "{expected} missing: {body}");
    }
    assert!(!body.contains("id=\"four-eyes\""));
    let refused =
        b.post_form("/panel/frameworks/sid-skills/1", &[("verdict", "return"), ("comment", " ")]).await;
    let body = refused.expect(422);
    assert!(body.contains("id=\"comment-error\""), "{body}");
    let done =
        b.post_form("/panel/frameworks/sid-skills/1", &[("verdict", "approve"), ("review_due", "")]).await;
    assert_eq!(done.redirected(), "/panel?done=panel-approved");
    let after = b.get("/panel?done=panel-approved").await;
    let body = after.expect(200);
    assert!(body.contains("data-framework=\"sid-skills@1\" data-status=\"approved\""), "{body}");
    assert!(body.contains("id=\"queue-empty\""), "{body}");
    let approved = b.get("/panel/frameworks/sid-skills/1").await;
    assert!(approved.expect(200).contains("id=\"set-review-date\""));
    let past = today().to_string();
    let refused = b
        .post_form("/panel/frameworks/sid-skills/1", &[("verdict", "review-date"), ("review_due", &past)])
        .await;
    assert!(refused.expect(422).contains("id=\"new-review-due-error\""), "{}", refused.body);
    let moved = b
        .post_form(
            "/panel/frameworks/sid-skills/1",
            &[("verdict", "review-date"), ("review_due", "2032-05-31")],
        )
        .await;
    assert_eq!(moved.redirected(), "/panel?done=panel-review-date-set");
    let view = app.get("/api/frameworks/sid-skills/1", &panel.token).await.expect(200);
    assert_eq!(view["approval"]["review_due"], "2032-05-31");

    // The assessor is offered the approved version, and the panel member sees no assessor pages.
    let a = app.browser_as(&org.assessor).await;
    let (cand, _, _) = app.candidate(&org, "Sara Sida").await;
    let start = a.get(&format!("/assessor/candidates/{cand}")).await;
    assert!(start.expect(200).contains("value=\"sid-skills@1\""));
    assert_eq!(b.get("/assessor").await.status, 403);

    // An uploader with the panel role is told why they cannot approve.
    let both = panel_member(&app, &org, "bo", &[Role::Admin, Role::Panel]).await;
    upload(&app, &both.token, own("sid-skills", "2")).await.expect(201);
    let own_page = app.browser_as(&both).await.get("/panel/frameworks/sid-skills/2").await;
    let body = own_page.expect(200);
    assert!(body.contains("id=\"four-eyes\""), "{body}");
    assert!(!body.contains("id=\"approve-framework\""), "{body}");
    let start = a.get(&format!("/assessor/candidates/{cand}")).await;
    assert!(!start.expect(200).contains("value=\"sid-skills@2\""), "a draft is not offered");
}

both_backends!(
    an_upload_is_a_draft_until_a_panel_member_approves_it,
    the_uploader_cannot_approve_and_a_returned_version_stays_unusable,
    review_dates_default_to_four_years_and_are_flagged_once_passed,
    shipped_frameworks_are_approved_by_the_system_as_they_load,
    the_review_date_counts_in_the_organisations_calendar,
    versions_stored_before_the_migration_become_approved,
    the_panel_member_approves_on_the_pages,
);
