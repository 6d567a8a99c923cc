use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::models::SignInFailure;
use crate::db::schema::sign_in_failures::dsl as f;
use crate::db::{DbConnection, DbError};

pub fn insert(conn: &mut DbConnection, row: &SignInFailure) -> Result<(), DbError> {
    diesel::insert_into(f::sign_in_failures).values(row).execute(conn)?;
    Ok(())
}

/// When `email`'s failures since `since` that still count happened, latest first.
pub fn counting_since(
    conn: &mut DbConnection,
    email: &str,
    since: NaiveDateTime,
) -> Result<Vec<NaiveDateTime>, DbError> {
    Ok(f::sign_in_failures
        .filter(f::email.eq(email))
        .filter(f::cleared.eq(false))
        .filter(f::failed_at.ge(since))
        .order(f::failed_at.desc())
        .select(f::failed_at)
        .load(conn)?)
}

/// The next attempt number for `email`.
pub fn next_seq(conn: &mut DbConnection, email: &str) -> Result<i64, DbError> {
    let last: Option<i64> =
        f::sign_in_failures.filter(f::email.eq(email)).select(diesel::dsl::max(f::seq)).first(conn)?;
    Ok(last.map_or(1, |n| n + 1))
}

/// Forgets a row that turned out not to be a failure.
pub fn delete(conn: &mut DbConnection, id: &str) -> Result<(), DbError> {
    diesel::delete(f::sign_in_failures.find(id)).execute(conn)?;
    Ok(())
}

/// Stops `email`'s failures counting, keeping them on record.
pub fn clear(conn: &mut DbConnection, email: &str) -> Result<(), DbError> {
    diesel::update(f::sign_in_failures.filter(f::email.eq(email)).filter(f::cleared.eq(false)))
        .set(f::cleared.eq(true))
        .execute(conn)?;
    Ok(())
}

/// Every recorded failure for `email`, oldest first.
pub fn list_for(conn: &mut DbConnection, email: &str) -> Result<Vec<SignInFailure>, DbError> {
    Ok(f::sign_in_failures
        .filter(f::email.eq(email))
        .order(f::failed_at.asc())
        .select(SignInFailure::as_select())
        .load(conn)?)
}
