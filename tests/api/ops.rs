//! Operations: readiness that needs writes, a lost database, binding before `--demo`, passwords
//! kept out of problems, and backup and restore.

use diesel::RunQueryDsl;
use diesel::connection::SimpleConnection;
use reqwest::Method;
use validera::db::DbConnection;
use validera::startup::Application;

use crate::both_backends;
use crate::helpers::{Backend, TestApp, TestDatabase, spawn_app_with, test_settings};

/// The name of the test's PostgreSQL database, asked of the app's own pool.
fn pg_database_name(pool: &validera::db::DbPool) -> String {
    #[derive(diesel::QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let mut conn = pool.get().unwrap();
    diesel::sql_query("SELECT current_database() AS name").get_result::<Name>(&mut *conn).unwrap().name
}

async fn readyz_is_503_while_the_database_takes_no_writes(backend: Backend) {
    // Arrange: one connection in the pool, so the probe gets the one we make read-only.
    let (app, _) = spawn_app_with(backend, |s| s.db_pool_size = 1).await;
    assert_eq!(app.call(Method::GET, "/readyz", None, None).await.expect(200)["database"], "ok");
    let pool = app.pool.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().unwrap();
        let sql = match &*conn {
            DbConnection::Sqlite(_) => "PRAGMA query_only = ON",
            DbConnection::Pg(_) => "SET SESSION default_transaction_read_only = on",
        };
        conn.batch_execute(sql).unwrap();
    })
    .await
    .unwrap();

    // Act
    let resp = app.client.get(format!("{}/readyz", app.address)).send().await.unwrap();

    // Assert: reads still work, yet the service is not ready.
    assert_eq!(resp.status(), 503);
    assert!(resp.headers().get("retry-after").is_some());
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["database"], "read-only", "{body}");
    assert_eq!(app.call(Method::GET, "/healthz", None, None).await.status, 200);
}

async fn a_taken_port_fails_before_demo_data_is_created(backend: Backend) {
    // Arrange
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let db = TestDatabase::new(backend);
    let mut settings = test_settings(db.url.clone());
    settings.bind = taken.local_addr().unwrap();
    settings.demo = true;

    // Act
    let built = Application::build(settings).await;

    // Assert
    let err = format!("{:#}", built.err().expect("the port is taken"));
    assert!(err.contains("binding"), "{err}");
    let url = db.url.clone();
    let users = tokio::task::spawn_blocking(move || {
        let pool = validera::startup::open_database(&url, 1).unwrap();
        validera::db::queries::users::count(&mut pool.get().unwrap()).unwrap()
    })
    .await
    .unwrap();
    assert_eq!(users, 0, "no demo accounts whose passwords nobody saw");
}

/// PostgreSQL goes away under a running service: its connections are ended and no new ones are
/// allowed. Requests then answer 503 with `Retry-After`, not 500.
#[tokio::test]
async fn a_lost_database_answers_503_with_retry_after() {
    // Arrange
    let (app, _) = spawn_app_with(Backend::Postgres, |_| {}).await;
    let pool = app.pool.clone();
    tokio::task::spawn_blocking(move || {
        let name = pg_database_name(&pool);
        let admin = std::env::var("TEST_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
        let mut conn = <diesel::PgConnection as diesel::Connection>::establish(&admin).unwrap();
        conn.batch_execute(&format!(
            "ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false; \
             SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}';"
        ))
        .unwrap();
    })
    .await
    .unwrap();

    // Act: a sign-in needs the database.
    let resp = app
        .client
        .post(format!("{}/api/auth/login", app.address))
        .json(&serde_json::json!({"email": "someone@example.test", "password": "a password"}))
        .send()
        .await
        .unwrap();

    // Assert
    assert!(resp.headers().get("retry-after").is_some_and(|v| v.to_str().unwrap().parse::<u64>().is_ok()));
    TestApp::reply(resp).await.problem(503, "unavailable");
    assert_eq!(app.call(Method::GET, "/readyz", None, None).await.status, 503);
}

async fn a_password_of_the_wrong_type_is_not_echoed(backend: Backend) {
    // Arrange
    let (app, _) = spawn_app_with(backend, |_| {}).await;
    let org = app.org("Echo").await;

    // Act
    let login = app
        .call(
            Method::POST,
            "/api/auth/login",
            None,
            Some(&serde_json::json!({"email": "a@b.test", "password": 918273})),
        )
        .await;
    let change = app
        .post(
            "/api/me/password",
            &org.admin.token,
            serde_json::json!({"current_password": org.admin.password, "new_password": 564738291}),
        )
        .await;

    // Assert: the detail names the field and the type, never the value.
    for (reply, secret) in [(login, "918273"), (change, "564738291")] {
        let body = reply.problem(422, "validation");
        let text = body.to_string();
        assert!(!text.contains(secret), "{text}");
        assert!(body["detail"].as_str().unwrap().contains("password must be a JSON string"), "{text}");
    }
}

both_backends!(
    readyz_is_503_while_the_database_takes_no_writes,
    a_taken_port_fails_before_demo_data_is_created,
    a_password_of_the_wrong_type_is_not_echoed,
    a_restored_backup_serves_certificates_that_verify,
);

/// Backs up the database `app` runs on into `dir`, the way `docs/operations.md` says, and
/// restores it into `fresh`: SQLite with `VACUUM INTO` while the service runs, PostgreSQL with
/// `pg_dump -Fc` and `pg_restore`.
async fn back_up_and_restore(app: &TestApp, dir: &std::path::Path, fresh: &TestDatabase) {
    let pool = app.pool.clone();
    let (dir, fresh_url) = (dir.to_owned(), fresh.url.clone());
    tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().unwrap();
        if let DbConnection::Sqlite(_) = &*conn {
            let backup = dir.join("backup.sqlite");
            diesel::sql_query(format!("VACUUM INTO '{}'", backup.display())).execute(&mut *conn).unwrap();
            let target = fresh_url.strip_prefix("sqlite:").unwrap();
            std::fs::copy(&backup, target).unwrap();
            return;
        }
        let name = pg_database_name(&pool);
        let base = fresh_url.rsplit_once('/').unwrap().0;
        let dump = dir.join("backup.dump");
        let out = std::process::Command::new("pg_dump")
            .args(["-Fc", "--no-owner", "-d", &format!("{base}/{name}"), "-f"])
            .arg(&dump)
            .output()
            .unwrap();
        assert!(out.status.success(), "pg_dump: {}", String::from_utf8_lossy(&out.stderr));
        let out = std::process::Command::new("pg_restore")
            .args(["--no-owner", "--exit-on-error", "-d", &fresh_url])
            .arg(&dump)
            .output()
            .unwrap();
        assert!(out.status.success(), "pg_restore: {}", String::from_utf8_lossy(&out.stderr));
    })
    .await
    .unwrap();
}

async fn a_restored_backup_serves_certificates_that_verify(backend: Backend) {
    // Arrange: certificates issued under one master key and JWT secret.
    let master_key = std::sync::Arc::new(validera::credential::keys::MasterKey::generate());
    let key = master_key.clone();
    let (app, _) = spawn_app_with(backend, move |s| s.master_key = key).await;
    let org = app.org("Återställda kommunen").await;
    let (_, certs) = crate::certificates::certified(&app, &org).await;
    let first_address = app.address.clone();
    let dir = tempfile::tempdir().unwrap();
    let fresh = TestDatabase::new(backend);

    // Act: back up, lose the original, and start a new instance on the restored copy with the
    // same master key, JWT secret and public URL.
    back_up_and_restore(&app, dir.path(), &fresh).await;
    drop(app);
    let mut settings = test_settings(fresh.url.clone());
    settings.master_key = master_key;
    settings.public_url = Some(first_address);
    let restored = Application::build(settings).await.expect("the restored database opens");
    let address = format!("http://127.0.0.1:{}", restored.port());
    tokio::spawn(restored.run_until_stopped());
    let client = reqwest::Client::new();

    // Assert: every certificate is genuine there, and sign-ins made before still count.
    assert_eq!(certs.len(), 4);
    for cert in &certs {
        let id = cert["id"].as_str().unwrap();
        let report: serde_json::Value = client
            .get(format!("{address}/v/{id}"))
            .header("accept", "application/json")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(report["outcome"], "genuine", "{report:#}");
    }
    let listed =
        client.get(format!("{address}/api/certificates")).bearer_auth(&org.admin.token).send().await.unwrap();
    assert_eq!(listed.status(), 200);
    assert_eq!(listed.json::<serde_json::Value>().await.unwrap().as_array().unwrap().len(), 4);
}
