//! Storage: one diesel connection type over SQLite or PostgreSQL, pooled, migrated at start.
//!
//! Policy: SQL lives here and nowhere else. Queries take a `&mut DbConnection` and return
//! `Result<_, DbError>`; they never panic and never turn an error into `None`. Callers run
//! them on the blocking pool (`web::block`), never on an actix worker thread. SQL that differs by
//! backend is an explicit `match` on [`DbConnection`], and rare.
//!
//! Concurrency policy: a write that only touches its own rows never waits for another. Writes
//! that share a row take it in a fixed order before they read it, with a portable no-op
//! `UPDATE` (PostgreSQL's row lock, held to commit; on SQLite the `BEGIN IMMEDIATE` of
//! [`write`] already serializes writers): first the organisation (only to create its first
//! signing key or status list, and around key rotation and compromise), then its status list
//! (every change of a bit, and every issue, which allocates a bit). PostgreSQL runs at READ
//! COMMITTED, so each statement after the lock sees what the previous holder committed: two
//! revocations of different certificates queue instead of failing, and a second first key or
//! list is never attempted. Races on one object (the same certificate or decision at one
//! version) still have one winner; the others get [`DbError::Conflict`] (409). A constraint's
//! name never leaves this module: violations become errors with a plain sentence.

pub mod ids;
pub mod models;
pub mod queries;
pub mod schema;

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::r2d2::{self, ManageConnection};
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A connection to either backend; the variant follows the database URL's scheme.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    /// Embedded SQLite, the local default.
    Sqlite(SqliteConnection),
    /// PostgreSQL, for production and several instances.
    Pg(PgConnection),
}

/// A pool of connections.
pub type DbPool = r2d2::Pool<ConnManager>;

/// Errors from storage.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The row does not exist (or belongs to another organisation).
    #[error("not found")]
    NotFound,
    /// A write lost a race or used a stale version.
    #[error("{0}")]
    Conflict(String),
    /// A unique constraint refused the write; the text is for people and names no constraint.
    #[error("{0}")]
    Duplicate(String),
    /// The write would change a row that never changes once stored (a framework version).
    #[error("{0}")]
    Immutable(String),
    /// No connection could be had from the pool.
    #[error("no database connection available")]
    Pool(#[from] r2d2::PoolError),
    /// The database refused or failed a query.
    #[error("database query failed")]
    Query(#[source] diesel::result::Error),
    /// A stored value that does not parse; a bug or manual edit, never user input.
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// The database URL names no backend we know.
    #[error("unsupported database URL '{0}': use sqlite:PATH or postgres://…")]
    UnsupportedUrl(String),
    /// Migrations failed.
    #[error("migration failed: {0}")]
    Migration(String),
}

impl From<diesel::result::Error> for DbError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => DbError::NotFound,
            // The constraint's name is schema detail: logged, never shown to a client.
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                tracing::debug!(constraint = ?info.constraint_name(), message = info.message(), "unique violation");
                DbError::Duplicate("it already exists".to_owned())
            }
            Error::DatabaseError(
                kind @ (DatabaseErrorKind::ForeignKeyViolation | DatabaseErrorKind::SerializationFailure),
                info,
            ) => {
                tracing::debug!(?kind, constraint = ?info.constraint_name(), message = info.message(), "write refused");
                DbError::Conflict(
                    "something it refers to was changed by someone else; reload and try again".to_owned(),
                )
            }
            other => DbError::Query(other),
        }
    }
}

impl DbError {
    /// Whether the database could not be reached (no connection, or one lost mid-query), as
    /// opposed to refusing what was asked: a client may retry this later.
    pub fn is_unavailable(&self) -> bool {
        use diesel::result::{DatabaseErrorKind, Error};
        matches!(
            self,
            DbError::Pool(_)
                | DbError::Query(Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _))
                | DbError::Query(Error::BrokenTransactionManager)
        )
    }
}

/// Which backend a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `sqlite:PATH` or `sqlite://PATH`.
    Sqlite,
    /// `postgres://` or `postgresql://`.
    Postgres,
}

impl Backend {
    /// The backend of `url`, and the string to hand to its driver.
    pub fn of(url: &str) -> Result<(Backend, String), DbError> {
        if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            Ok((Backend::Sqlite, path.to_owned()))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok((Backend::Postgres, url.to_owned()))
        } else {
            Err(DbError::UnsupportedUrl(url.to_owned()))
        }
    }
}

/// An r2d2 manager that opens the backend named by the URL scheme. Diesel's own manager would
/// try each backend in turn, and SQLite accepts any string as a file name.
#[derive(Debug)]
pub struct ConnManager {
    backend: Backend,
    target: String,
}

impl ManageConnection for ConnManager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        match self.backend {
            Backend::Sqlite => {
                create_private(&self.target).map_err(|e| {
                    r2d2::Error::ConnectionError(diesel::ConnectionError::BadConnection(format!(
                        "creating {}: {e}",
                        self.target
                    )))
                })?;
                let mut c =
                    SqliteConnection::establish(&self.target).map_err(r2d2::Error::ConnectionError)?;
                // Foreign keys are off by default in SQLite; the busy timeout lets concurrent
                // writers queue instead of failing at once.
                c.batch_execute(
                    "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = NORMAL;",
                )
                .map_err(r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(c))
            }
            Backend::Postgres => PgConnection::establish(&self.target)
                .map(DbConnection::Pg)
                .map_err(r2d2::Error::ConnectionError),
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1").map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

/// Creates the SQLite file readable by its owner only, before SQLite would create it with the
/// umask's (usually world-readable) mode: it holds password hashes and sealed signing keys.
/// SQLite gives its `-wal` and `-shm` files the database file's mode, so they follow.
fn create_private(path: &str) -> std::io::Result<()> {
    if path == ":memory:" || path.is_empty() || path.starts_with("file:") {
        return Ok(());
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    match opts.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Opens a pool for `url`, with `max_size` connections.
pub fn connect(url: &str, max_size: u32) -> Result<DbPool, DbError> {
    let (backend, target) = Backend::of(url)?;
    r2d2::Pool::builder()
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(10))
        .build(ConnManager { backend, target })
        .map_err(DbError::Pool)
}

/// Applies pending migrations of the connection's backend; returns their names.
pub fn migrate(conn: &mut DbConnection) -> Result<Vec<String>, DbError> {
    let applied = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
        DbConnection::Pg(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
    }
    .map_err(|e| DbError::Migration(e.to_string()))?;
    Ok(applied.into_iter().map(|v| v.to_string()).collect())
}

/// Runs `f` in a write transaction; nested calls become savepoints. On SQLite the outermost
/// transaction takes the write lock at once (`BEGIN IMMEDIATE`), so two writers queue on the
/// busy timeout instead of one failing when it upgrades a read lock.
pub fn write<T, E: From<diesel::result::Error>>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E> {
    let DbConnection::Sqlite(inner) = conn else {
        return conn.transaction(f);
    };
    if AnsiTransactionManager::transaction_manager_status_mut(inner).transaction_depth()?.is_some() {
        return conn.transaction(f);
    }
    AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
    let result = f(conn);
    let DbConnection::Sqlite(inner) = conn else { unreachable!("the variant cannot change inside f") };
    match result {
        Ok(v) => {
            AnsiTransactionManager::commit_transaction(inner)?;
            Ok(v)
        }
        Err(e) => {
            // The original error matters more than a failed rollback.
            let _ = AnsiTransactionManager::rollback_transaction(inner);
            Err(e)
        }
    }
}

/// Checks the database takes a write, and commits it: a rolled-back write may never reach the
/// disk, so a full disk would pass unseen. One row, so the cost is a page.
pub fn probe_write(conn: &mut DbConnection) -> Result<(), DbError> {
    use diesel::prelude::*;
    use schema::health_probe::dsl;
    let updated = write(conn, |c| {
        diesel::update(dsl::health_probe.filter(dsl::id.eq(1)))
            .set(dsl::probes.eq(dsl::probes + 1))
            .execute(c)
    })?;
    if updated == 1 { Ok(()) } else { Err(DbError::Corrupt("the health_probe row is missing".into())) }
}

/// Serializes appends to the audit chain until the surrounding transaction ends, so the head
/// read next is still the head at commit, across instances. On PostgreSQL a table lock that
/// conflicts with itself and with inserts but not with reads; on SQLite the write
/// transaction's `BEGIN IMMEDIATE` already holds the database's one write lock.
pub fn lock_audit_chain(conn: &mut DbConnection) -> Result<(), DbError> {
    match conn {
        DbConnection::Pg(c) => {
            c.batch_execute("LOCK TABLE audit_events IN SHARE ROW EXCLUSIVE MODE").map_err(DbError::from)
        }
        DbConnection::Sqlite(_) => Ok(()),
    }
}

/// Checks the database answers.
pub fn ping(conn: &mut DbConnection) -> Result<(), DbError> {
    conn.batch_execute("SELECT 1").map_err(DbError::from)
}

#[cfg(test)]
mod tests {
    use diesel::result::{DatabaseErrorInformation, DatabaseErrorKind, Error};

    use super::*;

    /// What PostgreSQL says when a write breaks a named constraint.
    struct Refusal;

    impl DatabaseErrorInformation for Refusal {
        fn message(&self) -> &str {
            "duplicate key value violates unique constraint \"signing_keys_one_active\""
        }
        fn details(&self) -> Option<&str> {
            Some("Key (organisation_id)=(org-1) already exists.")
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            Some("signing_keys")
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            Some("signing_keys_one_active")
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    #[test]
    fn a_violated_constraint_becomes_a_conflict_that_names_no_part_of_the_schema() {
        for kind in [
            DatabaseErrorKind::UniqueViolation,
            DatabaseErrorKind::ForeignKeyViolation,
            DatabaseErrorKind::SerializationFailure,
        ] {
            let e = DbError::from(Error::DatabaseError(kind, Box::new(Refusal)));
            assert!(matches!(e, DbError::Duplicate(_) | DbError::Conflict(_)), "{kind:?} → {e:?}");
            let text = e.to_string();
            for secret in ["signing_keys", "one_active", "organisation_id", "constraint"] {
                assert!(!text.contains(secret), "{kind:?} says {secret}: {text}");
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_new_sqlite_database_and_its_wal_are_readable_by_the_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.sqlite");
        let pool = connect(&format!("sqlite:{}", path.display()), 1).unwrap();
        let mut conn = pool.get().unwrap();
        migrate(&mut conn).unwrap();
        probe_write(&mut conn).unwrap();
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        let wal = dir.path().join("new.sqlite-wal");
        assert!(wal.exists(), "the database runs in WAL mode");
        assert_eq!(mode(&wal), 0o600);
    }
}
