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
