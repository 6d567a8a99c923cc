//! Storage: one diesel connection type over SQLite or PostgreSQL, pooled, migrated at start.
//!
//! Policy: SQL lives here and nowhere else. Queries take a `&mut DbConnection` and return
//! `Result<_, DbError>`; they never panic and never turn an error into `None`. Callers run
//! them on the blocking pool (`web::block`), never on an actix worker thread. SQL that differs by
//! backend is an explicit `match` on [`DbConnection`], and rare.

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
    /// A unique constraint refused the write.
    #[error("unique constraint violated: {0}")]
    Duplicate(String),
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
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                DbError::Duplicate(info.constraint_name().unwrap_or(info.message()).to_owned())
            }
            other => DbError::Query(other),
        }
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
