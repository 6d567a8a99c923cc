use diesel::prelude::*;

use crate::db::models::User;
use crate::db::schema::users::dsl as u;
use crate::db::{DbConnection, DbError};
use crate::input::EmailAddress;

pub fn insert_user(conn: &mut DbConnection, user: &User) -> Result<(), DbError> {
    diesel::insert_into(u::users).values(user).execute(conn).map_err(|e| match DbError::from(e) {
        DbError::Duplicate(_) => {
            DbError::Duplicate(format!("a user with e-mail {} already exists", user.email))
        }
        other => other,
    })?;
    Ok(())
}

pub fn find_by_email(conn: &mut DbConnection, email: &EmailAddress) -> Result<User, DbError> {
    Ok(u::users.filter(u::email.eq(email.as_str())).select(User::as_select()).first(conn)?)
}

/// Every user's id and e-mail address, for normalising them.
pub fn all_emails(conn: &mut DbConnection) -> Result<Vec<(String, String)>, DbError> {
    Ok(u::users.select((u::id, u::email)).load(conn)?)
}

pub fn set_email(conn: &mut DbConnection, id: &str, email: &str) -> Result<(), DbError> {
    diesel::update(u::users.find(id)).set(u::email.eq(email)).execute(conn)?;
    Ok(())
}

pub fn find_by_id(conn: &mut DbConnection, id: &str) -> Result<User, DbError> {
    Ok(u::users.find(id).select(User::as_select()).first(conn)?)
}

pub fn find_in_org(conn: &mut DbConnection, org: &str, id: &str) -> Result<User, DbError> {
    Ok(u::users.find(id).filter(u::organisation_id.eq(org)).select(User::as_select()).first(conn)?)
}

pub fn list_by_organisation(conn: &mut DbConnection, org: &str) -> Result<Vec<User>, DbError> {
    Ok(u::users
        .filter(u::organisation_id.eq(org))
        .order(u::display_name)
        .select(User::as_select())
        .load(conn)?)
}

/// Changes applied by [`update_user`]; `None` leaves a field as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = crate::db::schema::users)]
pub struct UserChanges {
    pub display_name: Option<String>,
    pub roles: Option<String>,
    pub active: Option<bool>,
    pub language: Option<String>,
}

pub fn update_user(
    conn: &mut DbConnection,
    org: &str,
    id: &str,
    expected_version: i64,
    changes: &UserChanges,
) -> Result<User, DbError> {
    crate::db::write(conn, |conn| {
        let exists = find_in_org(conn, org, id).is_ok();
        let target = u::users
            .filter(u::id.eq(id))
            .filter(u::organisation_id.eq(org))
            .filter(u::version.eq(expected_version));
        let n = diesel::update(target).set((changes, u::version.eq(expected_version + 1))).execute(conn)?;
        super::versioned_update(n, exists, "user")?;
        find_in_org(conn, org, id)
    })
}

pub fn set_password(conn: &mut DbConnection, id: &str, hash: &str, must_change: bool) -> Result<(), DbError> {
    diesel::update(u::users.find(id))
        .set((
            u::password_hash.eq(hash),
            u::must_change_password.eq(must_change),
            u::version.eq(u::version + 1),
        ))
        .execute(conn)?;
    Ok(())
}

/// Refuses every page session of user `id` issued before `at`.
pub fn end_sessions(conn: &mut DbConnection, id: &str, at: chrono::NaiveDateTime) -> Result<(), DbError> {
    diesel::update(u::users.find(id)).set(u::sessions_valid_after.eq(Some(at))).execute(conn)?;
    Ok(())
}

/// Ends every token of user `id` (API and page session) issued so far; returns the new
/// generation, which the tokens issued from now on carry.
pub fn end_tokens(conn: &mut DbConnection, id: &str) -> Result<i64, DbError> {
    crate::db::write(conn, |conn| {
        diesel::update(u::users.find(id))
            .set(u::token_generation.eq(u::token_generation + 1))
            .execute(conn)?;
        Ok(u::users.find(id).select(u::token_generation).first(conn)?)
    })
}

pub fn count(conn: &mut DbConnection) -> Result<i64, DbError> {
    Ok(u::users.count().get_result(conn)?)
}
