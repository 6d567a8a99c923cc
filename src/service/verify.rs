//! Verification backed by this service's own records: its organisations' published keys and
//! status lists. Other issuers' credentials are checked too: a did:key issuer's key is its
//! identifier; a did:web or https issuer's keys come from a [`ForeignKeys`] resolver when one is
//! given (none yet: then the report says the keys could not be resolved). Only our own
//! organisations' keys are vouched for. A status list of another service is not fetched.

use std::cell::RefCell;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::ServiceError;
use super::certificates::REVOCATION;
use super::keys::{self, PublishedKey};
use super::trust_cache::{Db, PostedCache, StoredCredential, TrustCache};
use crate::credential::did::did_key_method;
use crate::credential::offline::DocumentTrust;
use crate::credential::status_list::Bitstring;
use crate::credential::verify::{
    self, KeyInfo, Presented, ProofCache, Report, Status, Trust, claimed_issuer, method_of,
};
use crate::db::DbError;
use crate::db::queries::credentials as q;

/// What a resolver found for another issuer.
#[derive(Debug, Clone)]
pub enum ForeignDocument {
    /// The DID document of a did:web issuer.
    DidDocument(serde_json::Value),
    /// The JWK Set of an issuer identified by an https URL.
    Jwks(serde_json::Value),
}

/// Obtains other issuers' keys (a safe fetcher of did:web documents and JWK Sets). Its answer is
/// the issuer's own publication, so the keys are the issuer's but not vouched for.
pub trait ForeignKeys {
    /// The key document of `issuer`, or why it could not be had.
    fn resolve(&self, issuer: &str) -> Result<ForeignDocument, String>;
    /// The status list credential at `url`, asked only once a credential of `issuer` has been
    /// seen to carry a valid signature, and only from the issuer's own host.
    fn status_list(&self, _url: &str, _issuer: &str) -> Result<serde_json::Value, String> {
        Err("this service does not fetch other issuers' status lists".to_owned())
    }
}

/// The network fetcher answers for other issuers: did:web documents, and JWK Sets of issuers
/// named by an https URL. Its policy (https only, public addresses only, small, quick, cached,
/// rate-limited per host) is what makes it safe to run for anonymous requests.
impl ForeignKeys for crate::fetch::Fetcher {
    fn resolve(&self, issuer: &str) -> Result<ForeignDocument, String> {
        if issuer.starts_with("did:web:") {
            self.resolve_did_web(issuer).map(ForeignDocument::DidDocument).map_err(|e| e.to_string())
        } else if issuer.starts_with("https://") {
            self.issuer_jwks(issuer, None).map(ForeignDocument::Jwks).map_err(|e| e.to_string())
        } else {
            Err(format!("keys of {issuer} cannot be resolved: only did:key, did:web and https issuers can"))
        }
    }

    fn status_list(&self, url: &str, issuer: &str) -> Result<serde_json::Value, String> {
        crate::fetch::Fetcher::status_list(self, url, issuer).map_err(|e| e.to_string())
    }
}

/// Keys and statuses from the database, through the process's [`TrustCache`] when given.
pub struct DbTrust<'a> {
    db: RefCell<Db<'a>>,
    cache: Option<&'a TrustCache>,
    public_url: &'a str,
    /// The DID of our issuers up to the organisation id (`did:web:host:issuers:`): an issuer
    /// is ours when its DID is this followed by the id of one of our organisations.
    issuers: String,
    keys: Arc<[PublishedKey]>,
    /// Another issuer's resolved keys, or why they could not be.
    foreign: Option<Result<DocumentTrust, String>>,
}

impl<'a> DbTrust<'a> {
    /// Loads the published keys of the issuer `presented` names, if it is one of our
    /// organisations (a credential of another issuer finds no key here); statuses are read when
    /// asked for. Another issuer's keys are asked of `foreign`, if given.
    pub fn load_with(
        mut db: Db<'a>,
        cache: Option<&'a TrustCache>,
        public_url: &'a str,
        presented: &Presented,
        foreign: Option<&dyn ForeignKeys>,
    ) -> Result<DbTrust<'a>, ServiceError> {
        let prefix = format!("{}:", crate::credential::did::did_web(public_url, &["issuers"]));
        let issuer = claimed_issuer(presented);
        let (keys, foreign) = match issuer.as_deref() {
            Some(did) if did.starts_with(&prefix) => {
                let org = &did[prefix.len()..];
                let keys = match (org.is_empty(), cache) {
                    (true, _) => Arc::from(Vec::new()),
                    (false, Some(c)) => c.keys(&mut db, org)?,
                    (false, None) => Arc::from(keys::published(db.conn()?, Some(org))?),
                };
                (keys, None)
            }
            Some(did) if did.starts_with("did:key:") => (Arc::from(Vec::new()), None),
            Some(issuer) => (Arc::from(Vec::new()), Some(foreign_trust(issuer, foreign))),
            None => (Arc::from(Vec::new()), None),
        };
        Ok(DbTrust { db: RefCell::new(db), cache, public_url, issuers: prefix, keys, foreign })
    }

    fn key(&self, did: &str, kid: &str) -> Option<KeyInfo> {
        // `did` is `issuer_did(public_url, org)` exactly when it is the prefix followed by `org`.
        let org = did.strip_prefix(&self.issuers)?;
        self.keys.iter().find(|k| k.kid == kid && k.organisation_id == org).map(|k| KeyInfo {
            key: k.key,
            compromised_from: k.compromised_from.map(|t| t.and_utc()),
            vouched: true,
        })
    }

    fn foreign(&self) -> Option<&DocumentTrust> {
        self.foreign.as_ref().and_then(|f| f.as_ref().ok())
    }

    fn our_credential_id<'b>(&self, credential_url: Option<&'b str>) -> Option<&'b str> {
        credential_url?.strip_prefix(self.public_url)?.strip_prefix("/v/")
    }

    fn bits(&self, org: &str) -> Result<Option<Arc<Bitstring>>, ServiceError> {
        let mut db = self.db.borrow_mut();
        match self.cache {
            Some(c) => c.bits(&mut db, org),
            None => match q::find_status_list(db.conn()?, org, REVOCATION) {
                Ok(l) => Ok(Some(Arc::new(Bitstring::from_bytes(l.bits)))),
                Err(DbError::NotFound) => Ok(None),
                Err(e) => Err(e.into()),
            },
        }
    }

    fn credential(&self, id: &str) -> Option<Arc<StoredCredential>> {
        let mut db = self.db.borrow_mut();
        match self.cache {
            Some(c) => c.credential(&mut db, id).ok().flatten(),
            None => q::find_public(db.conn().ok()?, id).ok().map(|r| Arc::new(StoredCredential::from(r))),
        }
    }

    /// Whether the issuer is one of our organisations with published keys.
    fn ours(&self) -> bool {
        !self.keys.is_empty()
    }

    /// Whether a check without a database needed one.
    fn missed(&self) -> bool {
        self.db.borrow().missed()
    }
}

fn foreign_trust(issuer: &str, foreign: Option<&dyn ForeignKeys>) -> Result<DocumentTrust, String> {
    let foreign = foreign.ok_or_else(|| "this service does not fetch other issuers' keys".to_owned())?;
    let mut trust = DocumentTrust::default();
    match foreign.resolve(issuer)? {
        ForeignDocument::DidDocument(doc) if doc["id"] == issuer => trust.add_did_document(&doc, false),
        ForeignDocument::DidDocument(doc) => {
            return Err(format!("the DID document found is of {}, not of {issuer}", doc["id"]));
        }
        ForeignDocument::Jwks(jwks) => trust.add_jwks(issuer, &jwks, false),
    }
    .map_err(|e| e.to_string())?;
    Ok(trust)
}

impl Trust for DbTrust<'_> {
    fn key_for_method(&self, issuer: &str, verification_method: &str) -> Option<KeyInfo> {
        let (did, kid) = verification_method.split_once('#')?;
        if did != issuer {
            return None;
        }
        self.key(did, kid)
            .or_else(|| {
                did_key_method(issuer, verification_method).map(|key| KeyInfo {
                    key,
                    compromised_from: None,
                    vouched: false,
                })
            })
            .or_else(|| self.foreign()?.key_for_method(issuer, verification_method))
    }

    fn key_for_kid(&self, issuer: &str, kid: &str) -> Option<KeyInfo> {
        if kid.contains('#') {
            return self.key_for_method(issuer, kid);
        }
        method_of(issuer, kid)
            .then(|| self.key(issuer, kid).or_else(|| self.foreign()?.key_for_kid(issuer, kid)))
            .flatten()
    }

    fn unresolved(&self, _issuer: &str) -> Option<String> {
        self.foreign.as_ref()?.as_ref().err().cloned()
    }

    // The database is the list's source, never a stale copy: `now` does not matter here.
    fn status(&self, credential_id: Option<&str>, list_url: &str, index: u64, now: DateTime<Utc>) -> Status {
        let Some(org) = list_url
            .strip_prefix(self.public_url)
            .and_then(|p| p.strip_prefix("/status/"))
            .and_then(|p| p.strip_suffix(&format!("/{REVOCATION}")))
        else {
            // Another issuer's list: a verified copy fetched for it, if any.
            if let Some(f) = self.foreign() {
                return f.status(credential_id, list_url, index, now);
            }
            return Status::Unavailable(format!(
                "the status list {list_url} is not published by this service"
            ));
        };
        let bits = match self.bits(org) {
            Ok(Some(b)) => b,
            Ok(None) => {
                return Status::Unavailable("the status list could not be read: not found".to_owned());
            }
            Err(e) => return Status::Unavailable(format!("the status list could not be read: {e}")),
        };
        let listed = match usize::try_from(index).ok().map(|i| bits.get(i)) {
            Some(Ok(b)) => b,
            _ => return Status::Unavailable(format!("index {index} is outside the status list")),
        };
        // The published bit means "revoked or suspended"; our own record says which, and why.
        let stored = self.our_credential_id(credential_id).and_then(|id| self.credential(id));
        let at = |t: Option<chrono::NaiveDateTime>| t.map(|t| t.and_utc());
        match stored.as_ref().map(|s| &s.row) {
            Some(r) if r.revoked_at.is_some() => {
                Status::Revoked { reason: r.revocation_reason.clone(), at: at(r.revoked_at) }
            }
            Some(r) if r.suspended_at.is_some() => {
                Status::Suspended { reason: r.suspension_reason.clone(), at: at(r.suspended_at) }
            }
            _ if listed => Status::Revoked { reason: None, at: None },
            _ => Status::Clear,
        }
    }
}

/// What a check runs with: this service's URL, the proofs already seen to verify, the
/// process's cache of keys, bits and rows (if any), and a resolver of other issuers' keys (if
/// any).
#[derive(Clone, Copy)]
pub struct Verifier<'a> {
    /// The service's public URL: our issuers' DIDs and our lists' URLs start with it.
    pub public_url: &'a str,
    /// Proofs already seen to verify.
    pub proofs: &'a ProofCache,
    /// Keys, bits and rows read before.
    pub cache: Option<&'a TrustCache>,
    /// Obtains other issuers' keys and status lists.
    pub foreign: Option<&'a dyn ForeignKeys>,
}

impl Verifier<'_> {
    /// Verifies `presented` (JSON parsed from bytes with the digest `bytes`, if known) against
    /// this service's keys and lists as of `now`. Another issuer's status list is fetched only
    /// after its credential's signature verified with that issuer's own key, and then the
    /// credential is checked again with the list (the proof comes from the cache).
    pub fn verify(
        &self,
        db: Db<'_>,
        presented: &Presented,
        bytes: Option<&[u8; 32]>,
        now: DateTime<Utc>,
    ) -> Result<Report, ServiceError> {
        let mut trust = DbTrust::load_with(db, self.cache, self.public_url, presented, self.foreign)?;
        let report = verify::verify_digested(presented, bytes, &trust, now, Some(self.proofs));
        let list_url = report
            .credential
            .as_ref()
            .and_then(|c| c["credentialStatus"]["statusListCredential"].as_str())
            .map(str::to_owned);
        let (Some(fetcher), Some(url), Some(issuer)) =
            (self.foreign, list_url, report.issuer().map(str::to_owned))
        else {
            return Ok(report);
        };
        if report.outcome != verify::Outcome::ValidUnknownIssuer {
            return Ok(report);
        }
        let Some(Ok(keys)) = trust.foreign.as_mut() else { return Ok(report) };
        match fetcher
            .status_list(&url, &issuer)
            .and_then(|list| keys.add_status_list(&list).map_err(|e| e.to_string()))
        {
            Ok(()) => Ok(verify::verify_digested(presented, bytes, &trust, now, Some(self.proofs))),
            // Unchecked, and the report already says so: a list that cannot be had is never a verdict.
            Err(why) => {
                tracing::info!(%url, %why, "another issuer's status list was not read");
                Ok(report)
            }
        }
    }

    /// The stored credential `id` and its check as of `now`, or `None` if there is none.
    pub fn stored(
        &self,
        mut db: Db<'_>,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(Arc<StoredCredential>, Report)>, ServiceError> {
        let stored = match self.cache {
            Some(c) => c.credential(&mut db, id)?,
            None => match q::find_public(db.conn()?, id) {
                Ok(row) => Some(Arc::new(StoredCredential::from(row))),
                Err(DbError::NotFound) => None,
                Err(e) => return Err(e.into()),
            },
        };
        let Some(stored) = stored else { return Ok(None) };
        let (presented, bytes) = stored.presented()?;
        let report = self.verify(db, presented, Some(bytes), now)?;
        Ok(Some((stored, report)))
    }

    /// [`Verifier::verify`] for a credential posted as bytes with the digest `bytes` (and
    /// `len` long): if its issuer is ours and its proof verified, `posted` remembers the parse
    /// for [`Verifier::posted_if_cached`].
    pub fn verify_posted(
        &self,
        db: Db<'_>,
        posted: &PostedCache,
        presented: Presented,
        (bytes, len): ([u8; 32], usize),
        now: DateTime<Utc>,
    ) -> Result<Report, ServiceError> {
        let report = self.verify(db, &presented, Some(&bytes), now)?;
        if let (Some(cache), Presented::Json(_)) = (self.cache, &presented) {
            let trust =
                DbTrust::load_with(Db::Without(false), Some(cache), self.public_url, &presented, None);
            if let Ok(t) = trust
                && t.ours()
                && verify::proof_cached(&presented, Some(&bytes), &t, self.proofs)
            {
                posted.remember(bytes, Arc::new(presented), len);
            }
        }
        Ok(report)
    }

    /// The check of a credential posted before as bytes with the digest `bytes`, from the
    /// caches alone: its parse, its issuer's keys and status bits, its row and its verified
    /// proof. No database, no parsing, no canonicalization, so cheap enough for an HTTP worker.
    /// `None` when something is missing.
    pub fn posted_if_cached(
        &self,
        posted: &PostedCache,
        bytes: &[u8; 32],
        now: DateTime<Utc>,
    ) -> Option<Report> {
        let cache = self.cache?;
        let presented = posted.get(bytes)?;
        let trust =
            DbTrust::load_with(Db::Without(false), Some(cache), self.public_url, &presented, None).ok()?;
        if !trust.ours()
            || trust.missed()
            || !verify::proof_cached(&presented, Some(bytes), &trust, self.proofs)
        {
            return None;
        }
        let report = verify::verify_digested(&presented, Some(bytes), &trust, now, Some(self.proofs));
        (!trust.missed()).then_some(report)
    }

    /// [`Verifier::stored`] from the cache alone, if everything it needs is there (the row, the
    /// issuer's keys, its status bits and the verified proof): no database, no canonicalization,
    /// so cheap enough for an HTTP worker. `None` when something is missing.
    pub fn stored_if_cached(&self, id: &str, now: DateTime<Utc>) -> Option<(Arc<StoredCredential>, Report)> {
        let cache = self.cache?;
        let stored = cache.credential(&mut Db::Without(false), id).ok()??;
        let (presented, bytes) = stored.presented().ok()?;
        let trust =
            DbTrust::load_with(Db::Without(false), Some(cache), self.public_url, presented, None).ok()?;
        if trust.missed() || !verify::proof_cached(presented, Some(bytes), &trust, self.proofs) {
            return None;
        }
        let report = verify::verify_digested(presented, Some(bytes), &trust, now, Some(self.proofs));
        (!trust.missed()).then_some((stored, report))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::credential::{did, keys};

    /// Answers every issuer with the same document, or with a failure.
    struct Fixed(Result<ForeignDocument, String>);

    impl ForeignKeys for Fixed {
        fn resolve(&self, _issuer: &str) -> Result<ForeignDocument, String> {
            self.0.clone()
        }
    }

    #[test]
    fn a_resolved_document_counts_only_for_its_own_did_and_is_never_vouched_for() {
        let key = keys::generate().verifying_key();
        let web = "did:web:skola.example";
        let doc = did::document(web, &[("k1".into(), key, None)]);
        let trust = foreign_trust(web, Some(&Fixed(Ok(ForeignDocument::DidDocument(doc.clone()))))).unwrap();
        let found = trust.key_for_method(web, &format!("{web}#k1")).expect("the issuer's key");
        assert!(!found.vouched);
        let other =
            foreign_trust("did:web:annan.example", Some(&Fixed(Ok(ForeignDocument::DidDocument(doc)))));
        assert!(other.is_err_and(|e| e.contains("skola.example")));
        let jwks = json!({"keys": [keys::jwk("k1", &key)]});
        let trust =
            foreign_trust("https://skola.example", Some(&Fixed(Ok(ForeignDocument::Jwks(jwks))))).unwrap();
        assert!(trust.key_for_kid("https://skola.example", "k1").is_some_and(|k| !k.vouched));
        assert!(trust.key_for_kid(web, "k1").is_none());
    }

    #[test]
    fn without_a_resolver_or_when_it_fails_the_keys_are_unresolved() {
        assert!(foreign_trust("did:web:skola.example", None).is_err());
        let failing = Fixed(Err("timed out".into()));
        assert_eq!(
            foreign_trust("did:web:skola.example", Some(&failing)).err().as_deref(),
            Some("timed out")
        );
    }
}
