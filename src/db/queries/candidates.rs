use diesel::prelude::*;

use crate::db::models::Candidate;
use crate::db::schema::candidates::dsl as c;
use crate::db::{DbConnection, DbError};

pub fn insert_candidate(conn: &mut DbConnection, cand: &Candidate) -> Result<(), DbError> {
    diesel::insert_into(c::candidates).values(cand).execute(conn)?;
    Ok(())
}

pub fn find_in_org(conn: &mut DbConnection, org: &str, id: &str) -> Result<Candidate, DbError> {
    Ok(c::candidates
        .find(id)
        .filter(c::organisation_id.eq(org))
        .select(Candidate::as_select())
        .first(conn)?)
}

pub fn find_by_user(conn: &mut DbConnection, user_id: &str) -> Result<Candidate, DbError> {
    Ok(c::candidates.filter(c::user_id.eq(user_id)).select(Candidate::as_select()).first(conn)?)
}

pub fn list_in_org(conn: &mut DbConnection, org: &str) -> Result<Vec<Candidate>, DbError> {
    Ok(c::candidates
        .filter(c::organisation_id.eq(org))
        .order((c::display_name, c::id))
        .select(Candidate::as_select())
        .load(conn)?)
}

/// Changes applied by [`update_candidate`]; `None` leaves a field as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = crate::db::schema::candidates)]
pub struct CandidateChanges {
    pub display_name: Option<String>,
    pub email: Option<Option<String>>,
    pub language: Option<String>,
}

/// Rewrites each stored candidate e-mail into `normal(email)` where that differs; how many.
pub fn normalise_emails(conn: &mut DbConnection, normal: fn(&str) -> String) -> Result<usize, DbError> {
    let rows: Vec<(String, Option<String>)> = c::candidates.select((c::id, c::email)).load(conn)?;
    let mut n = 0;
    for (id, email) in rows {
        let Some(email) = email else { continue };
        let new = normal(&email);
        if new != email {
            diesel::update(c::candidates.find(&id)).set(c::email.eq(Some(new))).execute(conn)?;
            n += 1;
        }
    }
    Ok(n)
}

pub fn update_candidate(
    conn: &mut DbConnection,
    org: &str,
    id: &str,
    expected_version: i64,
    changes: &CandidateChanges,
) -> Result<Candidate, DbError> {
    crate::db::write(conn, |conn| {
        let exists = find_in_org(conn, org, id).is_ok();
        let target = c::candidates
            .filter(c::id.eq(id))
            .filter(c::organisation_id.eq(org))
            .filter(c::version.eq(expected_version));
        let n = diesel::update(target).set((changes, c::version.eq(expected_version + 1))).execute(conn)?;
        super::versioned_update(n, exists, "candidate")?;
        find_in_org(conn, org, id)
    })
}
