//! Trust from documents in hand, for verifying without the issuing service: the issuer's JWK Set
//! or DID document, and optionally its signed status list credential.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use ed25519_dalek::VerifyingKey;
use serde_json::Value;

use super::keys::from_multikey;
use super::status_list::Bitstring;
use super::verify::{KeyInfo, Status, Trust};
use super::{error::CredentialError, proof};

/// Keys by `kid` and by full verification method id, and at most one status list.
#[derive(Debug, Default)]
pub struct DocumentTrust {
    by_method: HashMap<String, KeyInfo>,
    by_kid: HashMap<String, KeyInfo>,
    list: Option<StatusList>,
}

/// A verified status list copy: its id, bits, and the end of its validity window.
#[derive(Debug)]
struct StatusList {
    url: String,
    bits: Bitstring,
    valid_until: Option<DateTime<Utc>>,
}

fn rfc3339(v: &Value) -> Option<DateTime<Utc>> {
    v.as_str().and_then(|s| DateTime::parse_from_rfc3339(s).ok()).map(|d| d.with_timezone(&Utc))
}

fn jwk_key(j: &Value) -> Option<(String, KeyInfo)> {
    if j["kty"] != "OKP" || j["crv"] != "Ed25519" {
        return None;
    }
    let x = URL_SAFE_NO_PAD.decode(j["x"].as_str()?).ok()?;
    let key = VerifyingKey::from_bytes(&x.try_into().ok()?).ok()?;
    let compromised_from = rfc3339(&j["compromised_from"]);
    Some((j["kid"].as_str()?.to_owned(), KeyInfo { key, compromised_from }))
}

impl DocumentTrust {
    /// Adds the keys of a JWK Set (`{"keys": [...]}`, and our `compromised` member) or a DID
    /// document (a method's `revoked` date is when its key became untrusted); returns how many.
    pub fn add_keys(&mut self, doc: &Value) -> Result<usize, CredentialError> {
        let before = self.by_kid.len() + self.by_method.len();
        if let Some(keys) = doc["keys"].as_array() {
            let compromised = doc["compromised"].as_array().into_iter().flatten();
            for (kid, info) in keys.iter().chain(compromised).filter_map(jwk_key) {
                self.by_kid.insert(kid, info);
            }
        } else if let Some(methods) = doc["verificationMethod"].as_array() {
            for m in methods {
                let (Some(id), Some(mb)) = (m["id"].as_str(), m["publicKeyMultibase"].as_str()) else {
                    continue;
                };
                let key = from_multikey(mb).map_err(|e| CredentialError::Key(e.to_string()))?;
                let info = KeyInfo { key, compromised_from: rfc3339(&m["revoked"]) };
                if let Some((_, kid)) = id.split_once('#') {
                    self.by_kid.entry(kid.to_owned()).or_insert_with(|| info.clone());
                }
                self.by_method.insert(id.to_owned(), info);
            }
        } else {
            return Err(CredentialError::Malformed("expected a JWK Set or a DID document".into()));
        }
        Ok(self.by_kid.len() + self.by_method.len() - before)
    }

    /// Adds a signed Bitstring Status List credential, after checking its proof with the keys
    /// added so far. A copy past its `validUntil` is kept: statuses read from it are reported
    /// as stale, never as clear.
    pub fn add_status_list(&mut self, list: &Value) -> Result<(), CredentialError> {
        proof::verify(list, |vm| self.key_for_method(vm).map(|k| k.key))
            .map_err(|e| CredentialError::Malformed(format!("status list: {e}")))?;
        let url =
            list["id"].as_str().ok_or_else(|| CredentialError::Malformed("status list without id".into()))?;
        let encoded = list["credentialSubject"]["encodedList"]
            .as_str()
            .ok_or_else(|| CredentialError::Malformed("status list without encodedList".into()))?;
        let bits = Bitstring::decode(encoded).map_err(|e| CredentialError::Malformed(e.to_string()))?;
        let valid_until = rfc3339(&list["validUntil"]);
        self.list = Some(StatusList { url: url.to_owned(), bits, valid_until });
        Ok(())
    }
}

impl Trust for DocumentTrust {
    fn key_for_method(&self, vm: &str) -> Option<KeyInfo> {
        self.by_method
            .get(vm)
            .cloned()
            .or_else(|| vm.split_once('#').and_then(|(_, kid)| self.by_kid.get(kid).cloned()))
    }

    fn key_for_kid(&self, _issuer: &str, kid: &str) -> Option<KeyInfo> {
        self.by_kid.get(kid).cloned()
    }

    fn status(&self, _credential_id: Option<&str>, list_url: &str, index: u64, now: DateTime<Utc>) -> Status {
        match &self.list {
            Some(StatusList { valid_until: Some(until), url, .. }) if url == list_url && *until < now => {
                Status::Stale { valid_until: *until }
            }
            Some(StatusList { url, bits, .. }) if url == list_url => {
                match usize::try_from(index).ok().map(|i| bits.get(i)) {
                    // The bit is all the list says: revoked, or suspended (docs/certificates.md).
                    Some(Ok(true)) => Status::Revoked { reason: None, at: None },
                    Some(Ok(false)) => Status::Clear,
                    _ => Status::Unavailable(format!("index {index} is outside the status list")),
                }
            }
            Some(StatusList { url, .. }) => {
                Status::Unavailable(format!("the status list given is {url}, not {list_url}"))
            }
            None => Status::Unavailable(format!("offline: no copy of the status list {list_url} was given")),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::credential::{did, keys};

    #[test]
    fn compromise_dates_come_from_a_did_methods_revoked_and_the_jwks_compromised_member() {
        let (k1, k2) = (keys::generate().verifying_key(), keys::generate().verifying_key());
        let from = DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z").unwrap().with_timezone(&Utc);
        let doc = did::document("did:web:x", &[("k1".into(), k1, Some(from)), ("k2".into(), k2, None)]);
        let mut t = DocumentTrust::default();
        t.add_keys(&doc).unwrap();
        assert_eq!(t.key_for_method("did:web:x#k1").unwrap().compromised_from, Some(from));
        assert_eq!(t.key_for_method("did:web:x#k2").unwrap().compromised_from, None);

        let mut jwk = keys::jwk("k1", &k1);
        jwk["compromised_from"] = json!("2026-12-01T00:00:00Z");
        let jwks = json!({"keys": [keys::jwk("k2", &k2)], "compromised": [jwk]});
        let mut t = DocumentTrust::default();
        assert_eq!(t.add_keys(&jwks).unwrap(), 2);
        assert_eq!(t.key_for_kid("did:web:x", "k1").unwrap().compromised_from, Some(from));
        assert_eq!(t.key_for_kid("did:web:x", "k2").unwrap().compromised_from, None);
    }
}
