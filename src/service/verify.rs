//! Verification backed by this service's own records: its organisations' published keys and
//! status lists. A key or a list of another service is not fetched: the report says so.

use std::cell::RefCell;

use chrono::{DateTime, Utc};

use super::ServiceError;
use super::certificates::{REVOCATION, issuer_did};
use super::keys::{self, PublishedKey};
use crate::credential::status_list::Bitstring;
use crate::credential::verify::{
    self, KeyInfo, Presented, ProofCache, Report, Status, Trust, claimed_issuer,
};
use crate::db::DbConnection;
use crate::db::queries::credentials as q;

/// Keys and statuses from the database.
pub struct DbTrust<'a> {
    conn: RefCell<&'a mut DbConnection>,
    public_url: &'a str,
    keys: Vec<PublishedKey>,
}

impl<'a> DbTrust<'a> {
    /// Loads the published keys of the issuer `presented` names, if it is one of our
    /// organisations (a credential of another issuer finds no key here); statuses are read when
    /// asked for.
    pub fn load(
        conn: &'a mut DbConnection,
        public_url: &'a str,
        presented: &Presented,
    ) -> Result<DbTrust<'a>, ServiceError> {
        let prefix = format!("{}:", crate::credential::did::did_web(public_url, &["issuers"]));
        let keys = match claimed_issuer(presented).as_deref().and_then(|did| did.strip_prefix(&prefix)) {
            Some(org) if !org.is_empty() => keys::published(conn, Some(org))?,
            _ => Vec::new(),
        };
        Ok(DbTrust { conn: RefCell::new(conn), public_url, keys })
    }

    fn key(&self, did: &str, kid: &str) -> Option<KeyInfo> {
        self.keys
            .iter()
            .find(|k| k.kid == kid && issuer_did(self.public_url, &k.organisation_id) == did)
            .map(|k| KeyInfo { key: k.key, compromised_from: k.compromised_from.map(|t| t.and_utc()) })
    }

    fn our_credential_id<'b>(&self, credential_url: Option<&'b str>) -> Option<&'b str> {
        credential_url?.strip_prefix(self.public_url)?.strip_prefix("/v/")
    }
}

impl Trust for DbTrust<'_> {
    fn key_for_method(&self, verification_method: &str) -> Option<KeyInfo> {
        let (did, kid) = verification_method.split_once('#')?;
        self.key(did, kid)
    }

    fn key_for_kid(&self, issuer: &str, kid: &str) -> Option<KeyInfo> {
        self.key(issuer, kid)
    }

    // The database is the list's source, never a stale copy: `now` does not matter here.
    fn status(&self, credential_id: Option<&str>, list_url: &str, index: u64, _now: DateTime<Utc>) -> Status {
        let Some(org) = list_url
            .strip_prefix(self.public_url)
            .and_then(|p| p.strip_prefix("/status/"))
            .and_then(|p| p.strip_suffix(&format!("/{REVOCATION}")))
        else {
            return Status::Unavailable(format!(
                "the status list {list_url} is not published by this service"
            ));
        };
        let mut conn = self.conn.borrow_mut();
        let list = match q::find_status_list(&mut conn, org, REVOCATION) {
            Ok(l) => l,
            Err(e) => return Status::Unavailable(format!("the status list could not be read: {e}")),
        };
        let bits = Bitstring::from_bytes(list.bits);
        let listed = match usize::try_from(index).ok().map(|i| bits.get(i)) {
            Some(Ok(b)) => b,
            _ => return Status::Unavailable(format!("index {index} is outside the status list")),
        };
        // The published bit means "revoked or suspended"; our own record says which, and why.
        let row = self.our_credential_id(credential_id).and_then(|id| q::find_public(&mut conn, id).ok());
        let at = |t: Option<chrono::NaiveDateTime>| t.map(|t| t.and_utc());
        match row {
            Some(r) if r.revoked_at.is_some() => {
                Status::Revoked { reason: r.revocation_reason, at: at(r.revoked_at) }
            }
            Some(r) if r.suspended_at.is_some() => {
                Status::Suspended { reason: r.suspension_reason, at: at(r.suspended_at) }
            }
            _ if listed => Status::Revoked { reason: None, at: None },
            _ => Status::Clear,
        }
    }
}

/// Verifies `presented` against this service's keys and lists as of `now`, reusing proofs the
/// cache has seen verify.
pub fn verify_presented(
    conn: &mut DbConnection,
    public_url: &str,
    presented: &Presented,
    now: DateTime<Utc>,
    cache: &ProofCache,
) -> Result<Report, ServiceError> {
    let trust = DbTrust::load(conn, public_url, presented)?;
    Ok(verify::verify_cached(presented, &trust, now, Some(cache)))
}
