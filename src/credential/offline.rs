//! Trust from documents in hand, for verifying without the issuing service: issuers' DID
//! documents or JWK Sets, and optionally a signed status list credential.
//!
//! Policy: every key belongs to one issuer, and is found only for that issuer. A DID document
//! gives keys to the DID that is its `id`, and only its methods that the DID itself controls and
//! lists under `assertionMethod`; a JWK Set carries no issuer, so it is added *for* one. A
//! did:key issuer needs no document: its key is its identifier. Keys handed over this way are
//! `vouched` as the caller says (the command line vouches for files its user gives, not for
//! documents it fetched); a did:key is never vouched for.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use ed25519_dalek::VerifyingKey;
use serde_json::Value;

use super::did::did_key_method;
use super::keys::from_multikey;
use super::status_list::Bitstring;
use super::verify::{KeyInfo, Status, Trust, method_of};
use super::{error::CredentialError, proof};

/// One issuer's keys: by full verification method id (DID documents) and by bare key id.
#[derive(Debug, Default)]
struct IssuerKeys {
    by_method: HashMap<String, KeyInfo>,
    by_kid: HashMap<String, KeyInfo>,
}

/// Keys per issuer, and at most one status list.
#[derive(Debug, Default)]
pub struct DocumentTrust {
    issuers: HashMap<String, IssuerKeys>,
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

fn okp_key(j: &Value) -> Option<VerifyingKey> {
    if j["kty"] != "OKP" || j["crv"] != "Ed25519" {
        return None;
    }
    let x = URL_SAFE_NO_PAD.decode(j["x"].as_str()?).ok()?;
    VerifyingKey::from_bytes(&x.try_into().ok()?).ok()
}

fn jwk_key(j: &Value, vouched: bool) -> Option<(String, KeyInfo)> {
    let key = okp_key(j)?;
    let compromised_from = rfc3339(&j["compromised_from"]);
    Some((j["kid"].as_str()?.to_owned(), KeyInfo { key, compromised_from, vouched }))
}

/// The `(full id, key)` of a verification method of `did` that `did` controls; `None` for a
/// method of another DID or controller, or without an Ed25519 key.
fn method_key(did: &str, m: &Value) -> Option<(String, VerifyingKey)> {
    let id = m["id"].as_str()?;
    let id = if id.starts_with('#') { format!("{did}{id}") } else { id.to_owned() };
    if id.split_once('#')?.0 != did || m["controller"].as_str() != Some(did) {
        return None;
    }
    let key = match (m["publicKeyMultibase"].as_str(), m.get("publicKeyJwk")) {
        (Some(mb), _) => from_multikey(mb).ok()?,
        (None, Some(jwk)) => okp_key(jwk)?,
        _ => return None,
    };
    Some((id, key))
}

impl DocumentTrust {
    /// Adds the assertion keys of a DID document for the DID it is; returns how many. A method
    /// counts only if its id is within that DID, its `controller` is that DID, and
    /// `assertionMethod` lists it (by reference or embedded).
    pub fn add_did_document(&mut self, doc: &Value, vouched: bool) -> Result<usize, CredentialError> {
        let did = doc["id"]
            .as_str()
            .filter(|d| d.starts_with("did:") && !d.contains('#'))
            .ok_or_else(|| CredentialError::Malformed("a DID document needs its DID as id".into()))?;
        let listed = doc["verificationMethod"].as_array().map(Vec::as_slice).unwrap_or_default();
        let full = |r: &str| if r.starts_with('#') { format!("{did}{r}") } else { r.to_owned() };
        let mut found = Vec::new();
        for entry in doc["assertionMethod"].as_array().map(Vec::as_slice).unwrap_or_default() {
            let method = match entry.as_str() {
                Some(r) => listed.iter().find(|m| m["id"].as_str().map(full) == Some(full(r))),
                None => Some(entry),
            };
            found.extend(method.and_then(|m| method_key(did, m)).map(|(id, key)| (id, key, None)));
        }
        // A key its DID declared compromised has left `assertionMethod` but stays listed with
        // the date it was `revoked`: signatures from that date on are reported key-compromised
        // rather than unknown, as this service's own page reports them.
        for m in listed {
            if let (Some(revoked), Some((id, key))) = (rfc3339(&m["revoked"]), method_key(did, m))
                && !found.iter().any(|(f, _, _)| *f == id)
            {
                found.push((id, key, Some(revoked)));
            }
        }
        let keys = self.issuers.entry(did.to_owned()).or_default();
        for (id, key, compromised_from) in &found {
            let info = KeyInfo { key: *key, compromised_from: *compromised_from, vouched };
            if let Some((_, kid)) = id.split_once('#') {
                keys.by_kid.insert(kid.to_owned(), info.clone());
            }
            keys.by_method.insert(id.clone(), info);
        }
        Ok(found.len())
    }

    /// Adds the Ed25519 keys of a JWK Set (`{"keys": [...]}`) as keys of `issuer`; returns how
    /// many.
    pub fn add_jwks(&mut self, issuer: &str, jwks: &Value, vouched: bool) -> Result<usize, CredentialError> {
        let keys = jwks["keys"]
            .as_array()
            .ok_or_else(|| CredentialError::Malformed("a JWK Set needs a keys array".into()))?;
        let mine = self.issuers.entry(issuer.to_owned()).or_default();
        let before = mine.by_kid.len();
        // Our own JWK Sets list compromised keys apart, under `compromised`, with their date;
        // other readers ignore the member.
        let compromised = jwks["compromised"].as_array().into_iter().flatten();
        for (kid, info) in keys.iter().chain(compromised).filter_map(|j| jwk_key(j, vouched)) {
            mine.by_kid.insert(kid, info);
        }
        Ok(mine.by_kid.len() - before)
    }

    /// Adds a DID document, or a JWK Set for `issuer` (a JWK Set without one is refused: a kid
    /// alone binds no key to anyone).
    pub fn add_keys(
        &mut self,
        doc: &Value,
        issuer: Option<&str>,
        vouched: bool,
    ) -> Result<usize, CredentialError> {
        match (doc.get("keys"), issuer) {
            (Some(_), Some(issuer)) => self.add_jwks(issuer, doc, vouched),
            (Some(_), None) => {
                Err(CredentialError::Malformed("a JWK Set names no issuer: say whose keys it holds".into()))
            }
            (None, _) => self.add_did_document(doc, vouched),
        }
    }

    /// Adds a signed Bitstring Status List credential, after checking its proof with the keys
    /// added so far for the list's own issuer. A copy past its `validUntil` is kept: statuses
    /// read from it are reported as stale, never as clear.
    pub fn add_status_list(&mut self, list: &Value) -> Result<(), CredentialError> {
        let issuer = list["issuer"].as_str().or_else(|| list["issuer"]["id"].as_str()).unwrap_or_default();
        proof::verify(list, |vm| {
            method_of(issuer, vm).then(|| self.key_for_method(issuer, vm)).flatten().map(|k| k.key)
        })
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
    fn key_for_method(&self, issuer: &str, vm: &str) -> Option<KeyInfo> {
        if !method_of(issuer, vm) {
            return None;
        }
        let given = self.issuers.get(issuer).and_then(|k| {
            k.by_method.get(vm).or_else(|| vm.split_once('#').and_then(|(_, kid)| k.by_kid.get(kid))).cloned()
        });
        given.or_else(|| {
            did_key_method(issuer, vm).map(|key| KeyInfo { key, compromised_from: None, vouched: false })
        })
    }

    fn key_for_kid(&self, issuer: &str, kid: &str) -> Option<KeyInfo> {
        if kid.contains('#') {
            return self.key_for_method(issuer, kid);
        }
        self.issuers.get(issuer).and_then(|k| k.by_kid.get(kid)).cloned()
    }

    fn unresolved(&self, issuer: &str) -> Option<String> {
        let known = self.issuers.contains_key(issuer) || issuer.starts_with("did:key:");
        (!known).then(|| format!("no keys were given for {issuer}"))
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
mod tests;
