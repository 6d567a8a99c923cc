//! Verification backed by this service's own records: its organisations' published keys and
//! status lists. Other issuers' credentials are checked too: a did:key issuer's key is its
//! identifier; a did:web or https issuer's keys come from a [`ForeignKeys`] resolver when one is
//! given (none yet: then the report says the keys could not be resolved). Only our own
//! organisations' keys are vouched for. A status list of another service is not fetched.

use std::cell::RefCell;

use chrono::{DateTime, Utc};

use super::ServiceError;
use super::certificates::{REVOCATION, issuer_did};
use super::keys::{self, PublishedKey};
use crate::credential::did::did_key_method;
use crate::credential::offline::DocumentTrust;
use crate::credential::status_list::Bitstring;
use crate::credential::verify::{
    self, KeyInfo, Presented, ProofCache, Report, Status, Trust, claimed_issuer, method_of,
};
use crate::db::DbConnection;
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

/// Keys and statuses from the database.
pub struct DbTrust<'a> {
    conn: RefCell<&'a mut DbConnection>,
    public_url: &'a str,
    keys: Vec<PublishedKey>,
    /// Another issuer's resolved keys, or why they could not be.
    foreign: Option<Result<DocumentTrust, String>>,
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
        Self::load_with(conn, public_url, presented, None)
    }

    /// [`DbTrust::load`], asking `foreign` for the keys of an issuer that is neither ours nor a
    /// did:key.
    pub fn load_with(
        conn: &'a mut DbConnection,
        public_url: &'a str,
        presented: &Presented,
        foreign: Option<&dyn ForeignKeys>,
    ) -> Result<DbTrust<'a>, ServiceError> {
        let prefix = format!("{}:", crate::credential::did::did_web(public_url, &["issuers"]));
        let issuer = claimed_issuer(presented);
        let (keys, foreign) = match issuer.as_deref() {
            Some(did) if did.starts_with(&prefix) => {
                let org = &did[prefix.len()..];
                (if org.is_empty() { Vec::new() } else { keys::published(conn, Some(org))? }, None)
            }
            Some(did) if did.starts_with("did:key:") => (Vec::new(), None),
            Some(issuer) => (Vec::new(), Some(foreign_trust(issuer, foreign))),
            None => (Vec::new(), None),
        };
        Ok(DbTrust { conn: RefCell::new(conn), public_url, keys, foreign })
    }

    fn key(&self, did: &str, kid: &str) -> Option<KeyInfo> {
        self.keys.iter().find(|k| k.kid == kid && issuer_did(self.public_url, &k.organisation_id) == did).map(
            |k| KeyInfo {
                key: k.key,
                compromised_from: k.compromised_from.map(|t| t.and_utc()),
                vouched: true,
            },
        )
    }

    fn foreign(&self) -> Option<&DocumentTrust> {
        self.foreign.as_ref().and_then(|f| f.as_ref().ok())
    }

    fn our_credential_id<'b>(&self, credential_url: Option<&'b str>) -> Option<&'b str> {
        credential_url?.strip_prefix(self.public_url)?.strip_prefix("/v/")
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
    verify_presented_with(conn, public_url, presented, now, cache, None)
}

/// [`verify_presented`], resolving other issuers' keys with `foreign`. Another issuer's status
/// list is fetched only after its credential's signature verified with that issuer's own key, and
/// then the credential is checked again with the list (the proof comes from the cache).
pub fn verify_presented_with(
    conn: &mut DbConnection,
    public_url: &str,
    presented: &Presented,
    now: DateTime<Utc>,
    cache: &ProofCache,
    foreign: Option<&dyn ForeignKeys>,
) -> Result<Report, ServiceError> {
    let mut trust = DbTrust::load_with(conn, public_url, presented, foreign)?;
    let report = verify::verify_cached(presented, &trust, now, Some(cache));
    let list_url = report
        .credential
        .as_ref()
        .and_then(|c| c["credentialStatus"]["statusListCredential"].as_str())
        .map(str::to_owned);
    let (Some(fetcher), Some(url), Some(issuer)) = (foreign, list_url, report.issuer().map(str::to_owned))
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
        Ok(()) => Ok(verify::verify_cached(presented, &trust, now, Some(cache))),
        // Unchecked, and the report already says so: a list that cannot be had is never a verdict.
        Err(why) => {
            tracing::info!(%url, %why, "another issuer's status list was not read");
            Ok(report)
        }
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
