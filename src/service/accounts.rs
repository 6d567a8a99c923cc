//! Organisations, users and sign-in; the demo data set.

use super::ServiceError;
use crate::auth::{self, Role, Roles};
use crate::db::ids::{CandidateId, OrganisationId, UserId};
use crate::db::models::{Candidate, Organisation, User};
use crate::db::queries::{candidates, organisations, users};
use crate::db::{self, DbConnection, DbError};

/// Normalises an e-mail for lookup: trimmed, lower case.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A user created with a one-time password, which is shown once and never stored.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// The stored user.
    pub user: User,
    /// The password to hand over.
    pub one_time_password: String,
}

/// Creates a user in `org` with a one-time password they must change at first sign-in.
pub fn create_user(
    conn: &mut DbConnection,
    org: &str,
    email: &str,
    name: &str,
    roles: &Roles,
    language: &str,
) -> Result<NewAccount, ServiceError> {
    let email = normalise_email(email);
    if !email.contains('@') || email.len() > 254 {
        return Err(ServiceError::invalid("email", "not an e-mail address"));
    }
    if name.trim().is_empty() {
        return Err(ServiceError::invalid("display_name", "must not be empty"));
    }
    if roles.0.is_empty() {
        return Err(ServiceError::invalid("roles", "give at least one role"));
    }
    let password = auth::one_time_password();
    let user = User {
        id: UserId::random().0,
        organisation_id: org.to_owned(),
        email,
        display_name: name.trim().to_owned(),
        password_hash: auth::hash_password(&password)?,
        roles: roles.to_stored(),
        must_change_password: true,
        active: true,
        language: language.to_owned(),
        version: 1,
        created_at: super::now(),
        sessions_valid_after: None,
        token_generation: 0,
    };
    users::insert_user(conn, &user)?;
    Ok(NewAccount { user, one_time_password: password })
}

/// What an administrator changes about a user; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct UserUpdate {
    /// A new name.
    pub display_name: Option<String>,
    /// New roles (replacing the old ones).
    pub roles: Option<Roles>,
    /// Whether the account may sign in.
    pub active: Option<bool>,
    /// A new language tag (already checked).
    pub language: Option<String>,
}

/// Changes user `id` of `org` on behalf of administrator `actor`, if `expected_version` is
/// still current. An administrator cannot remove their own administrator role or deactivate
/// themselves, so an organisation is never left without one by accident.
pub fn update_user(
    conn: &mut DbConnection,
    org: &str,
    actor: &str,
    id: &str,
    expected_version: i64,
    update: UserUpdate,
) -> Result<User, ServiceError> {
    if id == actor
        && (update.active == Some(false) || update.roles.as_ref().is_some_and(|r| !r.has(Role::Admin)))
    {
        return Err(ServiceError::invalid(
            "roles",
            "you cannot remove your own administrator role or deactivate yourself",
        ));
    }
    let display_name = update.display_name.map(|n| n.trim().to_owned());
    if display_name.as_deref().is_some_and(str::is_empty) {
        return Err(ServiceError::invalid("display_name", "must not be empty"));
    }
    if update.roles.as_ref().is_some_and(|r| r.0.is_empty()) {
        return Err(ServiceError::invalid("roles", "give at least one role"));
    }
    let changes = users::UserChanges {
        display_name,
        roles: update.roles.map(|r| r.to_stored()),
        active: update.active,
        language: update.language,
    };
    db::write(conn, |conn| {
        let before = users::find_in_org(conn, org, id)?;
        let after = users::update_user(conn, org, id, expected_version, &changes)?;
        // Roles and the active flag are re-read on every request anyway; ending the tokens too
        // means a reactivated account or a restored role does not revive what was issued before.
        if after.roles != before.roles || (before.active && !after.active) {
            users::end_tokens(conn, id)?;
            return Ok(users::find_in_org(conn, org, id)?);
        }
        Ok(after)
    })
}

/// Creates an organisation.
pub fn create_organisation(conn: &mut DbConnection, name: &str) -> Result<Organisation, ServiceError> {
    if name.trim().is_empty() {
        return Err(ServiceError::invalid("name", "must not be empty"));
    }
    let org = Organisation {
        id: OrganisationId::random().0,
        name: name.trim().to_owned(),
        version: 1,
        created_at: super::now(),
    };
    organisations::insert_organisation(conn, &org)?;
    Ok(org)
}

/// The user with this e-mail and password, if both match and the account is active. Unknown
/// e-mails cost the same hashing time as wrong passwords.
pub fn authenticate(
    conn: &mut DbConnection,
    email: &str,
    password: &str,
) -> Result<Option<User>, ServiceError> {
    match users::find_by_email(conn, &normalise_email(email)) {
        Ok(u) => Ok((auth::verify_password(&u.password_hash, password) && u.active).then_some(u)),
        Err(DbError::NotFound) => {
            auth::verify_password(auth::dummy_hash(), password);
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// Sets a new password chosen by the user, and ends every token they hold (someone may have
/// known the old password). Returns the token generation to issue the caller's fresh token in.
pub fn change_password(
    conn: &mut DbConnection,
    user: &User,
    current: &str,
    new: &str,
) -> Result<i64, ServiceError> {
    if !auth::verify_password(&user.password_hash, current) {
        return Err(ServiceError::invalid("current_password", "the current password is wrong"));
    }
    if new.chars().count() < 12 {
        return Err(ServiceError::invalid("new_password", "use at least 12 characters"));
    }
    if new == current {
        return Err(ServiceError::invalid(
            "new_password",
            "choose a password different from the current one",
        ));
    }
    let hash = auth::hash_password(new)?;
    db::write(conn, |conn| {
        users::set_password(conn, &user.id, &hash, false)?;
        Ok(users::end_tokens(conn, &user.id)?)
    })
}

/// Creates a candidate, with a sign-in account if an e-mail is given.
pub fn create_candidate(
    conn: &mut DbConnection,
    org: &str,
    name: &str,
    email: Option<&str>,
    language: &str,
) -> Result<(Candidate, Option<NewAccount>), ServiceError> {
    if name.trim().is_empty() {
        return Err(ServiceError::invalid("display_name", "must not be empty"));
    }
    db::write(conn, |conn| {
        let account = match email {
            Some(e) => Some(create_user(conn, org, e, name, &Roles([Role::Candidate].into()), language)?),
            None => None,
        };
        let cand = Candidate {
            id: CandidateId::random().0,
            organisation_id: org.to_owned(),
            user_id: account.as_ref().map(|a| a.user.id.clone()),
            display_name: name.trim().to_owned(),
            email: email.map(normalise_email),
            language: language.to_owned(),
            version: 1,
            created_at: super::now(),
        };
        candidates::insert_candidate(conn, &cand)?;
        Ok((cand, account))
    })
}

/// People in the demo organisation, with their one-time passwords.
pub struct Demo {
    /// The organisation.
    pub organisation: Organisation,
    /// (role description, e-mail, one-time password).
    pub accounts: Vec<(&'static str, String, String)>,
}

/// Creates the demo organisation: an admin, an assessor, an internal verifier and two
/// candidates.
pub fn create_demo(conn: &mut DbConnection) -> Result<Demo, ServiceError> {
    db::write(conn, |conn| {
        let org = create_organisation(conn, "Demokommunen – Valideringscentrum")?;
        let mut accounts = Vec::new();
        let staff: [(&str, &str, &str, Role); 3] = [
            ("admin", "admin@demo.validera.test", "Alva Admin", Role::Admin),
            ("assessor", "assessor@demo.validera.test", "Bo Bedömare", Role::Assessor),
            ("internal verifier", "verifier@demo.validera.test", "Cecilia Kvalitetssäkrare", Role::Verifier),
        ];
        for (label, email, name, role) in staff {
            let a = create_user(conn, &org.id, email, name, &Roles([role].into()), "sv")?;
            accounts.push((label, a.user.email, a.one_time_password));
        }
        for (email, name, lang) in [
            ("kandidat1@demo.validera.test", "Dana Kandidat", "sv"),
            ("kandidat2@demo.validera.test", "Eero Ehdokas", "fi"),
        ] {
            let (_, a) = create_candidate(conn, &org.id, name, Some(email), lang)?;
            let a = a.expect("an e-mail was given");
            accounts.push(("candidate", a.user.email, a.one_time_password));
        }
        Ok(Demo { organisation: org, accounts })
    })
}
