//! Organisations, users and sign-in; the demo data set.

use serde_json::json;

use super::ServiceError;
use super::audit::{self, Event};
use crate::audit::Action;
use crate::auth::{self, Role, Roles};
use crate::db::ids::{CandidateId, OrganisationId, UserId};
use crate::db::models::{Candidate, Organisation, User};
use crate::db::queries::{candidates, organisations, users};
use crate::db::{self, DbConnection, DbError};
use crate::input::{EmailAddress, OrganisationName, PersonName};

fn person_name(field: &str, name: &str) -> Result<PersonName, ServiceError> {
    PersonName::parse(name).map_err(|e| ServiceError::input(field, e))
}

pub(crate) fn email_address(email: &str) -> Result<EmailAddress, ServiceError> {
    EmailAddress::parse(email).map_err(|e| ServiceError::input("email", e))
}

/// A user created with a one-time password, which is shown once and never stored.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// The stored user.
    pub user: User,
    /// The password to hand over.
    pub one_time_password: String,
}

/// Creates a user in `org` with a one-time password they must change at first sign-in, on
/// behalf of `actor` (`None`: the command line or the service itself).
pub fn create_user(
    conn: &mut DbConnection,
    actor: Option<&str>,
    org: &str,
    email: &str,
    name: &str,
    roles: &Roles,
    language: &str,
) -> Result<NewAccount, ServiceError> {
    let email = email_address(email)?;
    let name = person_name("display_name", name)?;
    if roles.0.is_empty() {
        return Err(ServiceError::invalid("roles", "give at least one role"));
    }
    let password = auth::one_time_password();
    let user = User {
        id: UserId::random().0,
        organisation_id: org.to_owned(),
        email: email.as_str().to_owned(),
        display_name: name.as_str().to_owned(),
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
    db::write(conn, |conn| {
        users::insert_user(conn, &user)?;
        audit::record(
            conn,
            vec![
                Event::new(Some(org), actor, Action::UserCreated, &user.id)
                    .with(json!({ "roles": user.roles })),
            ],
        )
    })?;
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
    let display_name = match update.display_name {
        Some(n) => Some(person_name("display_name", &n)?.as_str().to_owned()),
        None => None,
    };
    if update.roles.as_ref().is_some_and(|r| r.0.is_empty()) {
        return Err(ServiceError::invalid("roles", "give at least one role"));
    }
    // Which fields were given, and the new roles and state; names stay out of the trail.
    let details = json!({
        "display_name": display_name.is_some(),
        "roles": update.roles.as_ref().map(|r| r.to_stored()),
        "active": update.active,
        "language": update.language,
    });
    let changes = users::UserChanges {
        display_name,
        roles: update.roles.map(|r| r.to_stored()),
        active: update.active,
        language: update.language,
    };
    db::write(conn, |conn| {
        let before = users::find_in_org(conn, org, id)?;
        let after = users::update_user(conn, org, id, expected_version, &changes)?;
        audit::record(conn, vec![Event::new(Some(org), Some(actor), Action::UserChanged, id).with(details)])?;
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
    let name = OrganisationName::parse(name).map_err(|e| ServiceError::input("name", e))?;
    let org = Organisation {
        id: OrganisationId::random().0,
        name: name.as_str().to_owned(),
        version: 1,
        created_at: super::now(),
        time_zone: super::clock::DEFAULT_TIME_ZONE.name().to_owned(),
        awarding_body: false,
        names_in_credentials: false,
    };
    organisations::insert_organisation(conn, &org)?;
    Ok(org)
}

/// A change to an organisation's settings; `None` keeps the value.
#[derive(Debug, Clone, Default)]
pub struct OrganisationUpdate {
    /// A new name.
    pub name: Option<String>,
    /// A new IANA time zone (`Europe/Helsinki` for a Finnish organisation).
    pub time_zone: Option<String>,
    /// Whether its credentials name the people of the QA chain.
    pub names_in_credentials: Option<bool>,
}

/// Makes organisation `name` the instance's awarding body (the one before it, if any, stops
/// being one), as the command line does. Returns it.
pub fn make_awarding_body(conn: &mut DbConnection, name: &str) -> Result<Organisation, ServiceError> {
    Ok(organisations::make_awarding_body(conn, name)?)
}

/// Changes organisation `org`'s name or time zone, if `version` is still its version; a new
/// time zone is recorded in the audit trail with `actor` (none from the CLI).
pub fn update_organisation(
    conn: &mut DbConnection,
    org: &str,
    actor: Option<&str>,
    version: i64,
    update: OrganisationUpdate,
) -> Result<Organisation, ServiceError> {
    let mut problems = Vec::new();
    let name = update.name.as_deref().map(OrganisationName::parse).transpose().unwrap_or_else(|e| {
        problems.push(super::FieldProblem::input("name", e));
        None
    });
    let zone = update.time_zone.as_deref().map(crate::input::time_zone).transpose().unwrap_or_else(|e| {
        problems.push(super::FieldProblem::input("time_zone", e));
        None
    });
    if !problems.is_empty() {
        return Err(ServiceError::Invalid(problems));
    }
    db::write(conn, |conn| {
        let current = organisations::find_by_id(conn, org)?;
        let name = name.map_or(current.name, |n| n.as_str().to_owned());
        let zone = zone.map_or(current.time_zone.clone(), |z| z.name().to_owned());
        let names = update.names_in_credentials.unwrap_or(current.names_in_credentials);
        let updated = organisations::update(conn, org, version, &name, &zone, names)?;
        // The zone decides every "today" (dates checked, certificates' local times): who moved
        // it, and from where, is part of the trail. A rename is not.
        if zone != current.time_zone {
            audit::record(
                conn,
                vec![
                    Event::new(Some(org), actor, Action::OrganisationTimeZoneChanged, org)
                        .with(json!({ "from": current.time_zone, "to": zone })),
                ],
            )?;
        }
        Ok(updated)
    })
}

/// The user with this e-mail and password, if both match and the account is active. Unknown
/// e-mails cost the same hashing time as wrong passwords. Something that cannot be an address
/// (or a password with a NUL, which no password set here has) is refused as invalid input
/// before it reaches the database, whose backends would disagree about it. Every attempt is
/// audited in a transaction of its own; a failure for an unknown e-mail names no organisation
/// and keeps the e-mail out of the trail.
pub fn authenticate(
    conn: &mut DbConnection,
    email: &str,
    password: &str,
) -> Result<Option<User>, ServiceError> {
    let email = email_address(email)?;
    if password.contains('\0') {
        return Err(ServiceError::input("password", crate::input::InputError::ControlCharacter));
    }
    let (user, event) = match users::find_by_email(conn, &email) {
        Ok(u) => {
            let org = Some(u.organisation_id.as_str());
            let failed =
                |why| Event::new(org, None, Action::SignInFailed, &u.id).with(json!({ "reason": why }));
            let event = if !auth::verify_password(&u.password_hash, password) {
                failed("wrong-password")
            } else if !u.active {
                failed("inactive")
            } else {
                Event::new(org, Some(&u.id), Action::SignIn, &u.id)
            };
            let ok = event.action == Action::SignIn;
            (ok.then_some(u), event)
        }
        Err(DbError::NotFound) => {
            auth::verify_password(auth::dummy_hash(), password);
            (
                None,
                Event::new(None, None, Action::SignInFailed, "").with(json!({ "reason": "unknown-account" })),
            )
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(conn, vec![event])?;
    Ok(user)
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
        audit::record(
            conn,
            vec![Event::new(Some(&user.organisation_id), Some(&user.id), Action::PasswordChanged, &user.id)],
        )?;
        Ok(users::end_tokens(conn, &user.id)?)
    })
}

/// Creates a candidate, with a sign-in account if an e-mail is given, on behalf of `actor`.
pub fn create_candidate(
    conn: &mut DbConnection,
    actor: Option<&str>,
    org: &str,
    name: &str,
    email: Option<&str>,
    language: &str,
) -> Result<(Candidate, Option<NewAccount>), ServiceError> {
    let name = person_name("display_name", name)?;
    let email = email.map(email_address).transpose()?;
    db::write(conn, |conn| {
        let account = match &email {
            Some(e) => Some(create_user(
                conn,
                actor,
                org,
                e.as_str(),
                name.as_str(),
                &Roles([Role::Candidate].into()),
                language,
            )?),
            None => None,
        };
        let cand = Candidate {
            id: CandidateId::random().0,
            organisation_id: org.to_owned(),
            user_id: account.as_ref().map(|a| a.user.id.clone()),
            display_name: name.as_str().to_owned(),
            email: email.map(|e| e.as_str().to_owned()),
            language: language.to_owned(),
            version: 1,
            created_at: super::now(),
        };
        candidates::insert_candidate(conn, &cand)?;
        Ok((cand, account))
    })
}

/// Changes candidate `id` of `org`, if `expected_version` is still current: a new name
/// (checked as a [`PersonName`]) and/or language tag (already checked).
pub fn update_candidate(
    conn: &mut DbConnection,
    org: &str,
    id: &str,
    expected_version: i64,
    display_name: Option<&str>,
    language: Option<String>,
) -> Result<Candidate, ServiceError> {
    let display_name = match display_name {
        Some(n) => Some(person_name("display_name", n)?.as_str().to_owned()),
        None => None,
    };
    let changes = candidates::CandidateChanges { display_name, email: None, language };
    Ok(candidates::update_candidate(conn, org, id, expected_version, &changes)?)
}

/// Brings e-mail addresses stored before they were normalised (NFC, lower case) into that
/// form, so that sign-in, which looks up the normal form, finds them. Run at start-up: NFC
/// cannot be computed in SQL on either backend, so this cannot be a migration. An address whose
/// normal form another account already has is left as it is and logged for an administrator:
/// merging two accounts is a person's decision. Returns how many addresses changed.
pub fn normalise_stored_emails(conn: &mut DbConnection) -> Result<usize, ServiceError> {
    db::write(conn, |conn| {
        let mut changed = 0;
        for (id, email) in users::all_emails(conn)? {
            let normal = crate::input::normalise_email(&email);
            if normal == email {
                continue;
            }
            match users::find_by_email(conn, &EmailAddress::from_normalised(&normal)) {
                Err(DbError::NotFound) => {
                    users::set_email(conn, &id, &normal)?;
                    changed += 1;
                }
                Ok(other) => {
                    tracing::warn!(user_id = %id, other_user_id = %other.id,
                        "two accounts share an e-mail address once normalised; left unchanged");
                }
                Err(e) => return Err(e.into()),
            }
        }
        changed += candidates::normalise_emails(conn, crate::input::normalise_email)?;
        Ok(changed)
    })
}

/// People in the demo organisation, with their one-time passwords.
pub struct Demo {
    /// The organisation.
    pub organisation: Organisation,
    /// (role description, e-mail, one-time password).
    pub accounts: Vec<(&'static str, String, String)>,
}

/// Creates the demo organisation: an admin, an assessor, an internal verifier, a panel member
/// and two candidates.
pub fn create_demo(conn: &mut DbConnection) -> Result<Demo, ServiceError> {
    db::write(conn, |conn| {
        let org = create_organisation(conn, "Demokommunen – Valideringscentrum")?;
        let mut accounts = Vec::new();
        let staff: [(&str, &str, &str, Role); 4] = [
            ("admin", "admin@demo.validera.test", "Alva Admin", Role::Admin),
            ("assessor", "assessor@demo.validera.test", "Bo Bedömare", Role::Assessor),
            ("internal verifier", "verifier@demo.validera.test", "Cecilia Kvalitetssäkrare", Role::Verifier),
            ("panel member", "panel@demo.validera.test", "Pia Panelledamot", Role::Panel),
        ];
        for (label, email, name, role) in staff {
            let a = create_user(conn, None, &org.id, email, name, &Roles([role].into()), "sv")?;
            accounts.push((label, a.user.email, a.one_time_password));
        }
        for (email, name, lang) in [
            ("kandidat1@demo.validera.test", "Dana Kandidat", "sv"),
            ("kandidat2@demo.validera.test", "Eero Ehdokas", "fi"),
        ] {
            let (_, a) = create_candidate(conn, None, &org.id, name, Some(email), lang)?;
            let a = a.expect("an e-mail was given");
            accounts.push(("candidate", a.user.email, a.one_time_password));
        }
        Ok(Demo { organisation: org, accounts })
    })
}
