use diesel::prelude::*;

use crate::db::models::{CredentialEvent, CredentialHistoryRow, CredentialRow, StatusListRow};
use crate::db::schema::credential_events::dsl as e;
use crate::db::schema::credential_history::dsl as h;
use crate::db::schema::credentials::dsl as c;
use crate::db::schema::status_lists::dsl as s;
use crate::db::{DbConnection, DbError};

pub fn insert_credential(conn: &mut DbConnection, row: &CredentialRow) -> Result<(), DbError> {
    diesel::insert_into(c::credentials).values(row).execute(conn)?;
    Ok(())
}

/// A credential by its unguessable id, whatever its organisation: the public verification
/// page needs no login, and the id is the secret.
pub fn find_public(conn: &mut DbConnection, id: &str) -> Result<CredentialRow, DbError> {
    Ok(c::credentials.find(id).select(CredentialRow::as_select()).first(conn)?)
}

pub fn find_in_org(conn: &mut DbConnection, org: &str, id: &str) -> Result<CredentialRow, DbError> {
    Ok(c::credentials
        .find(id)
        .filter(c::organisation_id.eq(org))
        .select(CredentialRow::as_select())
        .first(conn)?)
}

pub fn list_for_candidate(conn: &mut DbConnection, candidate: &str) -> Result<Vec<CredentialRow>, DbError> {
    Ok(c::credentials
        .filter(c::candidate_id.eq(candidate))
        .order((c::issued_at, c::id))
        .select(CredentialRow::as_select())
        .load(conn)?)
}

pub fn list_in_org(conn: &mut DbConnection, org: &str) -> Result<Vec<CredentialRow>, DbError> {
    Ok(c::credentials
        .filter(c::organisation_id.eq(org))
        .order((c::issued_at, c::id))
        .select(CredentialRow::as_select())
        .load(conn)?)
}

/// The credentials issued for decision `decision` of `org`.
pub fn list_for_decision(
    conn: &mut DbConnection,
    org: &str,
    decision: &str,
) -> Result<Vec<CredentialRow>, DbError> {
    Ok(c::credentials
        .filter(c::organisation_id.eq(org))
        .filter(c::decision_id.eq(decision))
        .order((c::issued_at, c::id))
        .select(CredentialRow::as_select())
        .load(conn)?)
}

pub fn index_taken(conn: &mut DbConnection, org: &str, index: i64) -> Result<bool, DbError> {
    let n: i64 = c::credentials
        .filter(c::organisation_id.eq(org))
        .filter(c::status_index.eq(index))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Sets or clears revocation or suspension, if the credential is still at `expected_version`.
pub fn set_status(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i64,
    revoked: Option<(chrono::NaiveDateTime, &str)>,
    suspended: Option<Option<(chrono::NaiveDateTime, &str)>>,
) -> Result<(), DbError> {
    let target = c::credentials.filter(c::id.eq(id)).filter(c::version.eq(expected_version));
    let n = match (revoked, suspended) {
        (Some((at, why)), _) => diesel::update(target)
            .set((c::revoked_at.eq(at), c::revocation_reason.eq(why), c::version.eq(expected_version + 1)))
            .execute(conn)?,
        (None, Some(Some((at, why)))) => diesel::update(target)
            .set((c::suspended_at.eq(at), c::suspension_reason.eq(why), c::version.eq(expected_version + 1)))
            .execute(conn)?,
        (None, Some(None)) => diesel::update(target)
            .set((
                c::suspended_at.eq(None::<chrono::NaiveDateTime>),
                c::suspension_reason.eq(None::<String>),
                c::version.eq(expected_version + 1),
            ))
            .execute(conn)?,
        (None, None) => return Ok(()),
    };
    if n == 1 {
        super::trust_generation::bump(conn)
    } else {
        Err(DbError::Conflict("the certificate was changed by someone else; reload it".into()))
    }
}

pub fn insert_event(conn: &mut DbConnection, ev: &CredentialEvent) -> Result<(), DbError> {
    diesel::insert_into(e::credential_events).values(ev).execute(conn)?;
    Ok(())
}

pub fn list_events(conn: &mut DbConnection, credential: &str) -> Result<Vec<CredentialEvent>, DbError> {
    Ok(e::credential_events
        .filter(e::credential_id.eq(credential))
        .order((e::created_at, e::id))
        .select(CredentialEvent::as_select())
        .load(conn)?)
}

pub fn find_status_list(conn: &mut DbConnection, org: &str, purpose: &str) -> Result<StatusListRow, DbError> {
    Ok(s::status_lists
        .filter(s::organisation_id.eq(org))
        .filter(s::purpose.eq(purpose))
        .select(StatusListRow::as_select())
        .first(conn)?)
}

/// The organisation's list for `purpose`, read after taking its row until the transaction ends:
/// changes of its bits and the allocation of new ones queue here instead of losing to each
/// other (see the policy in `db`). Not found if the organisation has no such list yet.
pub fn lock_status_list(conn: &mut DbConnection, org: &str, purpose: &str) -> Result<StatusListRow, DbError> {
    let n = diesel::update(s::status_lists.filter(s::organisation_id.eq(org)).filter(s::purpose.eq(purpose)))
        .set(s::version.eq(s::version))
        .execute(conn)?;
    if n == 0 {
        return Err(DbError::NotFound);
    }
    find_status_list(conn, org, purpose)
}

pub fn insert_status_list(conn: &mut DbConnection, row: &StatusListRow) -> Result<(), DbError> {
    diesel::insert_into(s::status_lists).values(row).execute(conn)?;
    super::trust_generation::bump(conn)
}

/// Stores new bits and their signed list credential, if the list is still at `expected_version`.
pub fn update_status_list(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i64,
    bits: &[u8],
    signed: &str,
    at: chrono::NaiveDateTime,
) -> Result<(), DbError> {
    let n = diesel::update(s::status_lists.filter(s::id.eq(id)).filter(s::version.eq(expected_version)))
        .set((
            s::bits.eq(bits),
            s::signed_credential.eq(signed),
            s::version.eq(expected_version + 1),
            s::updated_at.eq(at),
        ))
        .execute(conn)?;
    if n == 1 {
        super::trust_generation::bump(conn)
    } else {
        Err(DbError::Conflict("the status list changed meanwhile; try again".into()))
    }
}

/// Credentials of `org` signed with `key` and issued before `before`, oldest first.
pub fn list_signed_before(
    conn: &mut DbConnection,
    org: &str,
    key: &str,
    before: chrono::NaiveDateTime,
) -> Result<Vec<CredentialRow>, DbError> {
    Ok(c::credentials
        .filter(c::organisation_id.eq(org))
        .filter(c::key_id.eq(key))
        .filter(c::issued_at.lt(before))
        .order((c::issued_at, c::id))
        .select(CredentialRow::as_select())
        .load(conn)?)
}

/// Replaces a credential's signed forms (document, VC-JWT, key); its status and version stay.
pub fn replace_signed(
    conn: &mut DbConnection,
    id: &str,
    key: &str,
    document: &str,
    jwt: &str,
) -> Result<(), DbError> {
    let n = diesel::update(c::credentials.find(id))
        .set((c::key_id.eq(key), c::document.eq(document), c::jwt.eq(jwt)))
        .execute(conn)?;
    if n == 1 { super::trust_generation::bump(conn) } else { Err(DbError::NotFound) }
}

pub fn insert_history(conn: &mut DbConnection, row: &CredentialHistoryRow) -> Result<(), DbError> {
    diesel::insert_into(h::credential_history).values(row).execute(conn)?;
    Ok(())
}

/// A credential's earlier signed forms, oldest first.
pub fn list_history(conn: &mut DbConnection, credential: &str) -> Result<Vec<CredentialHistoryRow>, DbError> {
    Ok(h::credential_history
        .filter(h::credential_id.eq(credential))
        .order((h::replaced_at, h::id))
        .select(CredentialHistoryRow::as_select())
        .load(conn)?)
}

/// Every status list, for the refresher.
pub fn list_status_lists(conn: &mut DbConnection) -> Result<Vec<StatusListRow>, DbError> {
    Ok(s::status_lists.order(s::id).select(StatusListRow::as_select()).load(conn)?)
}
