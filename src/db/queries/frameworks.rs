use diesel::prelude::*;

use crate::db::models::FrameworkRow;
use crate::db::schema::frameworks::dsl as f;
use crate::db::{DbConnection, DbError};

pub fn find(conn: &mut DbConnection, id: &str, version: &str) -> Result<FrameworkRow, DbError> {
    Ok(f::frameworks.find((id, version)).select(FrameworkRow::as_select()).first(conn)?)
}

/// Frameworks shipped with the service, and those the organisation uploaded.
pub fn list_visible(conn: &mut DbConnection, org: Option<&str>) -> Result<Vec<FrameworkRow>, DbError> {
    let mut q = f::frameworks.into_boxed().filter(f::organisation_id.is_null());
    if let Some(org) = org {
        q = q.or_filter(f::organisation_id.eq(org.to_owned()));
    }
    Ok(q.order((f::framework_id, f::version)).select(FrameworkRow::as_select()).load(conn)?)
}

/// What [`insert_framework`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// A new version.
    Inserted,
    /// The same content was already stored under this version.
    Unchanged,
}

/// Stores a framework version. A version is immutable: other content under the same id and
/// version is a conflict.
pub fn insert_framework(conn: &mut DbConnection, row: &FrameworkRow) -> Result<Stored, DbError> {
    crate::db::write(conn, |conn| match find(conn, &row.framework_id, &row.version) {
        Ok(existing) if existing.sha256 == row.sha256 => Ok(Stored::Unchanged),
        Ok(_) => Err(DbError::Immutable(format!(
            "framework {} version {} is already stored with different content, and a stored framework \
             version cannot be changed (versions are immutable): upload the changed framework as a new version",
            row.framework_id, row.version
        ))),
        Err(DbError::NotFound) => {
            diesel::insert_into(f::frameworks).values(row).execute(conn)?;
            Ok(Stored::Inserted)
        }
        Err(e) => Err(e),
    })
}

/// Every stored framework id with its owner (`None`: shipped).
pub fn list_all_ids(conn: &mut DbConnection) -> Result<Vec<(String, Option<String>)>, DbError> {
    Ok(f::frameworks.select((f::framework_id, f::organisation_id)).distinct().load(conn)?)
}

/// A version waiting for the panel.
pub const DRAFT: &str = "draft";
/// A version the panel (or, for a shipped one, the system) approved: assessments may use it.
pub const APPROVED: &str = "approved";
/// A version the panel sent back; it stays unusable, and a corrected file is a new version.
pub const RETURNED: &str = "returned";

/// The panel's decision on a draft.
#[derive(Debug, Clone)]
pub struct Decided<'a> {
    /// [`APPROVED`] or [`RETURNED`].
    pub status: &'static str,
    pub by: &'a str,
    pub at: chrono::NaiveDateTime,
    pub comment: Option<&'a str>,
    /// For an approval.
    pub review_due: Option<chrono::NaiveDate>,
}

/// Records the panel's decision on `id`@`version` of `org`, only while it is a draft: of two
/// panel members deciding at once, one succeeds and the other finds it decided (`false`).
pub fn decide(
    conn: &mut DbConnection,
    org: &str,
    id: &str,
    version: &str,
    d: &Decided<'_>,
) -> Result<bool, DbError> {
    let n = diesel::update(
        f::frameworks
            .filter(f::framework_id.eq(id))
            .filter(f::version.eq(version))
            .filter(f::organisation_id.eq(org))
            .filter(f::status.eq(DRAFT)),
    )
    .set((
        f::status.eq(d.status),
        f::decided_by.eq(Some(d.by)),
        f::decided_at.eq(Some(d.at)),
        f::decision_comment.eq(d.comment),
        f::review_due.eq(d.review_due),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Moves the review date of an approved version of `org`; `false` if it is not approved.
pub fn set_review_due(
    conn: &mut DbConnection,
    org: &str,
    id: &str,
    version: &str,
    due: chrono::NaiveDate,
) -> Result<bool, DbError> {
    let n = diesel::update(
        f::frameworks
            .filter(f::framework_id.eq(id))
            .filter(f::version.eq(version))
            .filter(f::organisation_id.eq(org))
            .filter(f::status.eq(APPROVED)),
    )
    .set(f::review_due.eq(Some(due)))
    .execute(conn)?;
    Ok(n == 1)
}

/// The organisation's own uploads (not the shipped frameworks), oldest first.
pub fn list_uploaded(conn: &mut DbConnection, org: &str) -> Result<Vec<FrameworkRow>, DbError> {
    Ok(f::frameworks
        .filter(f::organisation_id.eq(org))
        .order((f::loaded_at, f::framework_id, f::version))
        .select(FrameworkRow::as_select())
        .load(conn)?)
}
