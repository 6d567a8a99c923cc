//! Framework versions: loading files, storing them immutably, and a cache of parsed versions.

use super::audit::Event;
use crate::audit::Action;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use sha2::{Digest, Sha256};

use super::ServiceError;
use crate::db::models::FrameworkRow;
use crate::db::queries::frameworks::{self as q, Stored};
use crate::db::{DbConnection, DbError};
use crate::engine::Framework;
use crate::engine::load::{self, Diagnostic};

/// Parsed framework versions by (id, version). Versions are immutable, so an entry never goes
/// stale and instances sharing a database need no invalidation.
#[derive(Debug, Default)]
pub struct FrameworkCache {
    inner: RwLock<HashMap<(String, String), Arc<Framework>>>,
}

impl FrameworkCache {
    /// The framework version, parsed from the database on first use.
    pub fn get(
        &self,
        conn: &mut DbConnection,
        id: &str,
        version: &str,
    ) -> Result<Arc<Framework>, ServiceError> {
        let key = (id.to_owned(), version.to_owned());
        if let Some(f) = self.inner.read().expect("cache lock poisoned").get(&key) {
            return Ok(f.clone());
        }
        let row = q::find(conn, id, version)?;
        let parsed = load::parse(&format!("{id}@{version}"), &row.source).map_err(|d| {
            DbError::Corrupt(format!("stored framework {id}@{version} no longer parses: {}", d[0]))
        })?;
        let f = Arc::new(parsed);
        self.inner.write().expect("cache lock poisoned").insert(key, f.clone());
        Ok(f)
    }
}

/// The framework versions `org` may assess against (shipped ones and its own), parsed.
pub fn visible(
    conn: &mut DbConnection,
    cache: &FrameworkCache,
    org: &str,
) -> Result<Vec<(FrameworkRow, Arc<Framework>)>, ServiceError> {
    q::list_visible(conn, Some(org))?
        .into_iter()
        .map(|r| {
            let f = cache.get(conn, &r.framework_id, &r.version)?;
            Ok((r, f))
        })
        .collect()
}

/// One framework version, if `org` may see it; another organisation's upload is not found.
pub fn find_visible(
    conn: &mut DbConnection,
    cache: &FrameworkCache,
    org: &str,
    id: &str,
    version: &str,
) -> Result<(FrameworkRow, Arc<Framework>), ServiceError> {
    let row = q::find(conn, id, version)?;
    if row.organisation_id.as_deref().is_some_and(|o| o != org) {
        return Err(DbError::NotFound.into());
    }
    let f = cache.get(conn, id, version)?;
    Ok((row, f))
}

/// SHA-256 of a framework's source, hex.
pub fn digest(source: &str) -> String {
    hex::encode(Sha256::digest(source.as_bytes()))
}

/// Parses and stores one framework version for `org` (`None`: shipped with the service),
/// uploaded by `actor`. An organisation's new version is audited; shipped ones are not, as
/// they come with the release rather than from anyone's hand.
pub fn store(
    conn: &mut DbConnection,
    file: &str,
    source: &str,
    org: Option<&str>,
    actor: Option<&str>,
) -> Result<(Framework, Stored), ServiceError> {
    let framework = load::parse(file, source).map_err(ServiceError::Framework)?;
    // An organisation may not publish under the id of a framework shipped with the service: a
    // later shipped version under that id would collide with it.
    if let Some(org) = org {
        let taken = q::list_visible(conn, None)?.iter().any(|r| r.framework_id == framework.id.as_str());
        if taken {
            return Err(ServiceError::invalid(
                "id",
                format!(
                    "'{}' is the id of a framework shipped with validera; give your framework an id of its own",
                    framework.id
                ),
            ));
        }
        let others = q::list_all_ids(conn)?
            .into_iter()
            .any(|(id, owner)| id == framework.id.as_str() && owner.as_deref() != Some(org));
        if others {
            return Err(ServiceError::invalid(
                "id",
                format!("the id '{}' is taken; choose another", framework.id),
            ));
        }
    }
    let row = FrameworkRow {
        framework_id: framework.id.to_string(),
        version: framework.version.to_string(),
        organisation_id: org.map(str::to_owned),
        source: source.to_owned(),
        sha256: digest(source),
        loaded_at: super::now(),
    };
    let stored = crate::db::write(conn, |conn| {
        let stored = q::insert_framework(conn, &row)?;
        if let (Some(org), Stored::Inserted) = (org, stored) {
            let event = Event::new(Some(org), actor, Action::FrameworkUploaded, &row.framework_id)
                .with(serde_json::json!({ "version": row.version, "sha256": row.sha256 }));
            super::audit::record(conn, vec![event])?;
        }
        Ok::<_, ServiceError>(stored)
    })?;
    Ok((framework, stored))
}

/// The `.toml` files of `path` (a directory, sorted by name) or `path` itself.
pub fn files_in(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    if path.is_file() {
        return Ok(vec![path.to_owned()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

/// Checks every file, returning all diagnostics of all files.
pub fn check_files(files: &[PathBuf]) -> std::io::Result<Vec<Diagnostic>> {
    let mut all = Vec::new();
    for f in files {
        let source = std::fs::read_to_string(f)?;
        if let Err(d) = load::parse(&f.display().to_string(), &source) {
            all.extend(d);
        }
    }
    Ok(all)
}

/// Loads and stores every framework file under `dir`; returns (file, stored) per file.
pub fn load_dir(conn: &mut DbConnection, dir: &Path) -> Result<Vec<(String, Stored)>, LoadDirError> {
    let files = files_in(dir).map_err(|e| LoadDirError::Io(dir.to_owned(), e))?;
    let mut out = Vec::new();
    for f in files {
        let name = f.display().to_string();
        let source = std::fs::read_to_string(&f).map_err(|e| LoadDirError::Io(f.clone(), e))?;
        match store(conn, &name, &source, None, None) {
            Ok((_, stored)) => out.push((name, stored)),
            Err(e) => return Err(LoadDirError::File(name, e)),
        }
    }
    Ok(out)
}

/// Why the framework directory could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadDirError {
    /// A file or directory could not be read.
    #[error("cannot read {0}")]
    Io(PathBuf, #[source] std::io::Error),
    /// A file has errors or conflicts with a stored version.
    #[error("{}", describe(.0, .1))]
    File(String, ServiceError),
}

fn describe(file: &str, e: &ServiceError) -> String {
    match e {
        ServiceError::Framework(d) => d.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"),
        ServiceError::Db(DbError::Immutable(msg)) => format!("{file}: {msg}"),
        other => format!("{file}: {other}"),
    }
}
