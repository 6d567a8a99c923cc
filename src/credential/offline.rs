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
    list: Option<(String, Bitstring)>,
}

fn jwk_key(j: &Value) -> Option<(String, KeyInfo)> {
    if j["kty"] != "OKP" || j["crv"] != "Ed25519" {
        return None;
    }
    let x = URL_SAFE_NO_PAD.decode(j["x"].as_str()?).ok()?;
    let key = VerifyingKey::from_bytes(&x.try_into().ok()?).ok()?;
    let compromised_from = j["compromised_from"]
        .as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|d| d.with_timezone(&Utc));
    Some((j["kid"].as_str()?.to_owned(), KeyInfo { key, compromised_from }))
}

impl DocumentTrust {
    /// Adds the keys of a JWK Set (`{"keys": [...]}`) or a DID document; returns how many.
    pub fn add_keys(&mut self, doc: &Value) -> Result<usize, CredentialError> {
        let before = self.by_kid.len() + self.by_method.len();
        if let Some(keys) = doc["keys"].as_array() {
            for (kid, info) in keys.iter().filter_map(jwk_key) {
                self.by_kid.insert(kid, info);
            }
        } else if let Some(methods) = doc["verificationMethod"].as_array() {
            for m in methods {
                let (Some(id), Some(mb)) = (m["id"].as_str(), m["publicKeyMultibase"].as_str()) else {
                    continue;
                };
                let key = from_multikey(mb).map_err(|e| CredentialError::Key(e.to_string()))?;
                let info = KeyInfo { key, compromised_from: None };
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
    /// added so far.
    pub fn add_status_list(&mut self, list: &Value) -> Result<(), CredentialError> {
        proof::verify(list, |vm| self.key_for_method(vm).map(|k| k.key))
            .map_err(|e| CredentialError::Malformed(format!("status list: {e}")))?;
        let url =
            list["id"].as_str().ok_or_else(|| CredentialError::Malformed("status list without id".into()))?;
        let encoded = list["credentialSubject"]["encodedList"]
            .as_str()
            .ok_or_else(|| CredentialError::Malformed("status list without encodedList".into()))?;
        let bits = Bitstring::decode(encoded).map_err(|e| CredentialError::Malformed(e.to_string()))?;
        self.list = Some((url.to_owned(), bits));
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

    fn status(&self, _credential_id: Option<&str>, list_url: &str, index: u64) -> Status {
        match &self.list {
            Some((url, bits)) if url == list_url => match usize::try_from(index).ok().map(|i| bits.get(i)) {
                Some(Ok(true)) => Status::Revoked { reason: None, at: None },
                Some(Ok(false)) => Status::Clear,
                _ => Status::Unavailable(format!("index {index} is outside the status list")),
            },
            Some((url, _)) => Status::Unavailable(format!("the status list given is {url}, not {list_url}")),
            None => Status::Unavailable(format!("offline: no copy of the status list {list_url} was given")),
        }
    }
}
