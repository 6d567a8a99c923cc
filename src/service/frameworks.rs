//! Framework versions: loading files, storing them immutably, and a cache of parsed versions.

use super::audit::Event;
use crate::audit::Action;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use chrono::{Months, NaiveDate};
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
    let loaded_at = super::now();
    // A shipped framework comes approved with the release: by the system, on the day it is
    // loaded. An organisation's upload waits for its panel.
    let (status, decided_at, review_due) = match org {
        None => (q::APPROVED, Some(loaded_at), Some(default_review_due(loaded_at.date()))),
        Some(_) => (q::DRAFT, None, None),
    };
    let row = FrameworkRow {
        framework_id: framework.id.to_string(),
        version: framework.version.to_string(),
        organisation_id: org.map(str::to_owned),
        source: source.to_owned(),
        sha256: digest(source),
        loaded_at,
        status: status.to_owned(),
        uploaded_by: org.and(actor).map(str::to_owned),
        decided_by: None,
        decided_at,
        decision_comment: None,
        review_due,
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

/// How long after approval a version is due for review, unless the panel says otherwise.
pub const REVIEW_AFTER_MONTHS: u32 = 48;

/// The default review date of a version approved on `approved_on`: four years on (a version
/// approved on 29 February is due on 28 February, or 29 in a leap year).
pub fn default_review_due(approved_on: NaiveDate) -> NaiveDate {
    approved_on.checked_add_months(Months::new(REVIEW_AFTER_MONTHS)).unwrap_or(NaiveDate::MAX)
}

/// Whether an approved version's review date has passed on `today`.
pub fn review_overdue(row: &FrameworkRow, today: NaiveDate) -> bool {
    row.status == q::APPROVED && row.review_due.is_some_and(|due| due < today)
}

/// What a panel member answers on a draft.
#[derive(Debug, Clone)]
pub enum PanelAnswer {
    /// Approve, with an optional comment and a review date other than the default.
    Approve { comment: Option<String>, review_due: Option<NaiveDate> },
    /// Send back to the organisation with a comment saying what to change.
    Return { comment: String },
}

fn describe_status(row: &FrameworkRow) -> &'static str {
    match row.status.as_str() {
        q::DRAFT => "a draft waiting for the panel's approval",
        q::RETURNED => "returned by the panel",
        _ => "approved",
    }
}

/// Refuses unless `row` may be assessed against: approved by the panel (or shipped).
pub fn require_approved(row: &FrameworkRow) -> Result<(), ServiceError> {
    if row.status == q::APPROVED {
        return Ok(());
    }
    Err(ServiceError::FrameworkNotApproved(format!(
        "framework {} version {} is {}; assessments can start only on a version a panel member has approved",
        row.framework_id,
        row.version,
        describe_status(row)
    )))
}

fn review_date(field: &str, due: NaiveDate, today: NaiveDate) -> Result<NaiveDate, ServiceError> {
    let due = crate::input::date(due).map_err(|e| ServiceError::input(field, e))?;
    if due <= today {
        return Err(ServiceError::invalid(field, format!("the review date must be after today ({today})")));
    }
    Ok(due)
}

/// The organisation's own upload `id`@`version`: a shipped version is not the panel's to
/// decide on, another organisation's is not found.
fn own_upload(
    conn: &mut DbConnection,
    org: &str,
    id: &str,
    version: &str,
) -> Result<FrameworkRow, ServiceError> {
    let row = q::find(conn, id, version)?;
    match row.organisation_id.as_deref() {
        Some(o) if o == org => Ok(row),
        Some(_) => Err(DbError::NotFound.into()),
        None => Err(ServiceError::Forbidden(format!(
            "framework {id} version {version} is shipped with validera and approved with its release; \
             an organisation's panel decides only on its own uploads"
        ))),
    }
}

/// A panel member of `org` (`actor`) approves or returns the draft `id`@`version`, on `today`.
/// The uploader may not approve their own upload (four eyes); a version already decided, or
/// decided by someone else a moment before, is `FrameworkDecided`. Audited in the same
/// transaction.
pub fn decide(
    conn: &mut DbConnection,
    org: &str,
    actor: &str,
    id: &str,
    version: &str,
    answer: PanelAnswer,
    today: NaiveDate,
) -> Result<FrameworkRow, ServiceError> {
    let (status, comment, review_due, action) = match answer {
        PanelAnswer::Approve { comment, review_due } => {
            let due = match review_due {
                Some(d) => review_date("review_due", d, today)?,
                None => default_review_due(today),
            };
            (q::APPROVED, comment.filter(|c| !c.trim().is_empty()), Some(due), Action::FrameworkApproved)
        }
        PanelAnswer::Return { comment } => {
            if comment.trim().is_empty() {
                return Err(ServiceError::invalid(
                    "comment",
                    "say why the version is returned, so the organisation knows what to change",
                ));
            }
            (q::RETURNED, Some(comment), None, Action::FrameworkReturned)
        }
    };
    if let Some(c) = &comment {
        super::free_text("comment", c)?;
    }
    crate::db::write(conn, |conn| {
        let row = own_upload(conn, org, id, version)?;
        let decided = || {
            ServiceError::FrameworkDecided(format!(
                "framework {id} version {version} is already {}; the panel decides once on a version, \
                 and a changed framework is uploaded as a new version",
                match row.status.as_str() {
                    q::RETURNED => "returned",
                    _ => "approved",
                }
            ))
        };
        if row.status != q::DRAFT {
            return Err(decided());
        }
        if status == q::APPROVED && row.uploaded_by.as_deref() == Some(actor) {
            return Err(ServiceError::FourEyes(format!(
                "you uploaded framework {id} version {version}; another panel member must approve it"
            )));
        }
        let d = q::Decided { status, by: actor, at: super::now(), comment: comment.as_deref(), review_due };
        if !q::decide(conn, org, id, version, &d)? {
            return Err(ServiceError::FrameworkDecided(format!(
                "framework {id} version {version} was decided by another panel member a moment ago; reload it"
            )));
        }
        let event = Event::new(Some(org), Some(actor), action, id)
            .with(serde_json::json!({ "version": version, "review_due": review_due }));
        super::audit::record(conn, vec![event])?;
        Ok(q::find(conn, id, version)?)
    })
}

/// A panel member of `org` moves the review date of the approved version `id`@`version`
/// (after a review, or to bring it forward). Audited with the date it replaces.
pub fn set_review_due(
    conn: &mut DbConnection,
    org: &str,
    actor: &str,
    id: &str,
    version: &str,
    due: NaiveDate,
    today: NaiveDate,
) -> Result<FrameworkRow, ServiceError> {
    let due = review_date("review_due", due, today)?;
    crate::db::write(conn, |conn| {
        let row = own_upload(conn, org, id, version)?;
        require_approved(&row)?;
        if !q::set_review_due(conn, org, id, version, due)? {
            return Err(DbError::Conflict(format!(
                "framework {id} version {version} changed a moment ago; reload it"
            ))
            .into());
        }
        let event = Event::new(Some(org), Some(actor), Action::FrameworkReviewDateSet, id)
            .with(serde_json::json!({ "version": version, "review_due": due, "previous": row.review_due }));
        super::audit::record(conn, vec![event])?;
        Ok(q::find(conn, id, version)?)
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
    }

    #[test]
    fn a_review_is_due_four_years_after_approval() {
        assert_eq!(default_review_due(day(2026, 12, 8)), day(2030, 12, 8));
        assert_eq!(default_review_due(day(2024, 2, 29)), day(2028, 2, 29));
        // 2100 is not a leap year: the last day of its February.
        assert_eq!(default_review_due(day(2096, 2, 29)), day(2100, 2, 28));
    }

    #[test]
    fn a_review_is_overdue_the_day_after_its_date_and_only_when_approved() {
        let mut row = FrameworkRow {
            framework_id: "f".into(),
            version: "1".into(),
            organisation_id: Some("o".into()),
            source: String::new(),
            sha256: String::new(),
            loaded_at: day(2022, 1, 1).and_hms_opt(0, 0, 0).expect("a valid time"),
            status: q::APPROVED.into(),
            uploaded_by: None,
            decided_by: None,
            decided_at: None,
            decision_comment: None,
            review_due: Some(day(2026, 12, 8)),
        };
        assert!(!review_overdue(&row, day(2026, 12, 8)));
        assert!(review_overdue(&row, day(2026, 12, 9)));
        row.status = q::RETURNED.into();
        assert!(!review_overdue(&row, day(2026, 12, 9)));
    }
}
