//! The command line, run as the real binary.

use std::process::Command;

use diesel_migrations::MigrationHarness;

use crate::both_backends;
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

both_backends!(admin_create_makes_an_administrator_who_can_sign_in);

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
