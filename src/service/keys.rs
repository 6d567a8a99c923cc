//! Organisations' signing keys: one active key each, rotation that keeps old keys published,
//! and marking a key compromised from a date.

use serde_json::json;

use super::audit::Event;
use crate::audit::Action;
use ed25519_dalek::{SigningKey, VerifyingKey};

use super::ServiceError;
use super::certificates::{self, Issuing};
use crate::credential::keys::{self, MasterKey};
use crate::db::models::SigningKeyRow;
use crate::db::queries::{keys as q, organisations};
use crate::db::{self, DbConnection, DbError};

/// A public key with its history.
#[derive(Debug, Clone)]
pub struct PublishedKey {
    /// The key id (`kid`), also the DID URL fragment.
    pub kid: String,
    /// Its organisation.
    pub organisation_id: String,
    /// The public key.
    pub key: VerifyingKey,
    /// When it was made.
    pub created_at: chrono::NaiveDateTime,
    /// When it stopped being the active key.
    pub retired_at: Option<chrono::NaiveDateTime>,
    /// Signatures made from this time on are not trusted.
    pub compromised_from: Option<chrono::NaiveDateTime>,
}

impl TryFrom<&SigningKeyRow> for PublishedKey {
    type Error = DbError;
    fn try_from(r: &SigningKeyRow) -> Result<Self, DbError> {
        Ok(PublishedKey {
            kid: r.id.clone(),
            organisation_id: r.organisation_id.clone(),
            key: keys::public_from_stored(&r.public_key).map_err(|e| DbError::Corrupt(e.to_string()))?,
            created_at: r.created_at,
            retired_at: r.retired_at,
            compromised_from: r.compromised_from,
        })
    }
}

fn new_key(
    conn: &mut DbConnection,
    master: &MasterKey,
    org: &str,
) -> Result<(String, SigningKey), ServiceError> {
    let key = keys::generate();
    let kid = format!("key-{}", uuid::Uuid::new_v4().simple());
    q::insert_key(
        conn,
        &SigningKeyRow {
            id: kid.clone(),
            organisation_id: org.to_owned(),
            public_key: keys::public_to_stored(&key.verifying_key()),
            sealed_private_key: master.seal(&kid, &key),
            created_at: super::now(),
            retired_at: None,
            compromised_from: None,
            compromise_reason: None,
        },
    )?;
    tracing::info!(organisation_id = %org, kid = %kid, "signing key created");
    Ok((kid, key))
}

fn open_active(
    conn: &mut DbConnection,
    master: &MasterKey,
    org: &str,
) -> Result<Option<(String, SigningKey)>, ServiceError> {
    match q::find_active(conn, org) {
        Ok(row) => {
            let key =
                master.open(&row.id, &row.sealed_private_key).map_err(|e| DbError::Corrupt(e.to_string()))?;
            Ok(Some((row.id, key)))
        }
        Err(DbError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The organisation's active signing key, made on first use. The first is made under the
/// organisation's row: simultaneous first issues wait for it and then use it, rather than
/// each making one and all but one failing on "one active key".
pub fn active(
    conn: &mut DbConnection,
    master: &MasterKey,
    org: &str,
) -> Result<(String, SigningKey), ServiceError> {
    db::write(conn, |conn| {
        if let Some(found) = open_active(conn, master, org)? {
            return Ok(found);
        }
        organisations::lock(conn, org)?;
        match open_active(conn, master, org)? {
            Some(made_meanwhile) => Ok(made_meanwhile),
            None => new_key(conn, master, org),
        }
    })
}

/// Retires the active key (it stays published) and makes a new one on behalf of `actor`
/// (`None`: the command line); returns the new `kid`.
pub fn rotate(
    conn: &mut DbConnection,
    master: &MasterKey,
    org: &str,
    actor: Option<&str>,
) -> Result<String, ServiceError> {
    db::write(conn, |conn| {
        // Two rotations at once both succeed, one after the other, each retiring the key the
        // other left active.
        organisations::lock(conn, org)?;
        let retired = match q::find_active(conn, org) {
            Ok(row) => {
                q::retire(conn, &row.id, super::now())?;
                Some(row.id)
            }
            Err(DbError::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        let kid = new_key(conn, master, org)?.0;
        super::audit::record(
            conn,
            vec![Event::new(Some(org), actor, Action::KeyRotated, &kid).with(json!({ "retired": retired }))],
        )?;
        Ok(kid)
    })
}

/// Marks a key compromised from `from`, in one transaction: if it is the active key, a new one
/// replaces it; every certificate it signed before `from` is re-signed with the active key (the
/// old bytes kept in the history); the status list is re-signed with the active key too.
/// Certificates it signed from `from` on are left to fail verification.
pub fn mark_compromised(
    conn: &mut DbConnection,
    ctx: &Issuing<'_>,
    org: &str,
    actor: Option<&str>,
    kid: &str,
    from: chrono::NaiveDateTime,
    reason: &str,
) -> Result<Compromised, ServiceError> {
    super::free_text("reason", reason)?;
    if let Err(e) = crate::input::date(from.date()) {
        return Err(ServiceError::input("from", e));
    }
    if reason.trim().is_empty() {
        return Err(ServiceError::invalid("reason", "say why the key is no longer trusted"));
    }
    db::write(conn, |conn| {
        // The same order as everywhere: organisation (a new key), then the list (re-signed
        // last, but taken before the certificates' rows, as status changes take it).
        organisations::lock(conn, org)?;
        certificates::hold_list(conn, org)?;
        let row = q::mark_compromised(conn, org, kid, from, reason.trim())?;
        if row.retired_at.is_none() {
            q::retire(conn, kid, super::now())?;
            new_key(conn, ctx.master, org)?;
        }
        let (new_kid, new_key) = active(conn, ctx.master, org)?;
        let resigned =
            certificates::resign_after_compromise(conn, ctx, org, kid, from, (&new_kid, &new_key))?;
        certificates::resign_list(conn, ctx, org)?;
        // The reason is free text; the trail keeps the date and the count, not the words.
        super::audit::record(
            conn,
            vec![Event::new(Some(org), actor, Action::KeyCompromised, kid).with(json!({
                "from": from.and_utc().to_rfc3339(),
                "replaced_by": new_kid,
                "resigned": resigned,
            }))],
        )?;
        Ok(Compromised { key: PublishedKey::try_from(&q::find_by_id(conn, kid)?)?, resigned })
    })
}

/// A key marked compromised, and how many certificates were re-signed because of it.
#[derive(Debug, Clone)]
pub struct Compromised {
    /// The key, as now published.
    pub key: PublishedKey,
    /// Certificates it had signed before the compromise date, now re-signed.
    pub resigned: usize,
}

/// Published keys of one organisation, or of all.
pub fn published(conn: &mut DbConnection, org: Option<&str>) -> Result<Vec<PublishedKey>, ServiceError> {
    Ok(q::list(conn, org)?.iter().map(PublishedKey::try_from).collect::<Result<_, _>>()?)
}
