//! A memo of Data Integrity proofs that verified, so the same certificate is not
//! canonicalized again on every check.

use ed25519_dalek::VerifyingKey;
use serde_json::Value;

use crate::credential::error::ProofError;
use crate::credential::proof;

/// Remembers Data Integrity proofs that verified, by the SHA-256 of the exact document bytes and
/// the public key that verified it. Canonicalization dominates the cost of a check, and the same
/// certificate is checked again and again (every scan of its QR code); a stored credential never
/// changes, and any change to a presented one changes its digest. Key compromise and status are
/// still checked on every call.
///
/// The digest is of the bytes the document was parsed from when the caller has them (a stored
/// row, a posted body: parsing is deterministic, so equal bytes are an equal document), else of
/// the document serialized again.
#[derive(Debug)]
pub struct ProofCache {
    entries: std::sync::Mutex<std::collections::HashMap<Key, proof::VerifiedProof>>,
    capacity: usize,
}

/// The digest of a document's bytes, and the public key its proof verified with.
type Key = ([u8; 32], [u8; 32]);

/// The SHA-256 of bytes a document is parsed from: the key [`ProofCache`] remembers it by.
pub fn digest(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

impl ProofCache {
    /// A cache of at most `capacity` proofs; when full it starts again empty. With capacity 0 it
    /// remembers nothing, and every check is a cold one.
    pub fn new(capacity: usize) -> ProofCache {
        ProofCache { entries: std::sync::Mutex::default(), capacity }
    }

    fn key(doc: &Value, bytes: Option<&[u8; 32]>, key: &VerifyingKey) -> Key {
        let d = bytes.copied().unwrap_or_else(|| digest(&serde_json::to_vec(doc).unwrap_or_default()));
        (d, key.to_bytes())
    }

    /// Whether the proof of `doc` (parsed from bytes with `bytes` as digest) is remembered as
    /// verified with the key `resolve` gives: then checking it again costs no canonicalization.
    pub(super) fn holds(
        &self,
        doc: &Value,
        bytes: Option<&[u8; 32]>,
        resolve: impl Fn(&str) -> Option<VerifyingKey>,
    ) -> bool {
        let Some(key) = proof_method(doc).and_then(resolve) else { return false };
        let k = Self::key(doc, bytes, &key);
        self.entries.lock().is_ok_and(|m| m.contains_key(&k))
    }

    pub(super) fn verify(
        &self,
        doc: &Value,
        bytes: Option<&[u8; 32]>,
        resolve: impl Fn(&str) -> Option<VerifyingKey>,
    ) -> Result<proof::VerifiedProof, ProofError> {
        if self.capacity == 0 {
            return proof::verify(doc, resolve);
        }
        let method = proof_method(doc);
        let Some(key) = method.and_then(&resolve) else { return proof::verify(doc, resolve) };
        let k = Self::key(doc, bytes, &key);
        if let Some(hit) = self.entries.lock().ok().and_then(|m| m.get(&k).cloned()) {
            return Ok(hit);
        }
        let verified = proof::verify(doc, resolve)?;
        if let Ok(mut m) = self.entries.lock() {
            if m.len() >= self.capacity {
                m.clear();
            }
            m.insert(k, verified.clone());
        }
        Ok(verified)
    }
}

/// The `verificationMethod` of the document's EdDSA Data Integrity proof, if it has one.
fn proof_method(doc: &Value) -> Option<&str> {
    let proofs = match doc.get("proof")? {
        Value::Array(a) => a.iter().collect::<Vec<_>>(),
        other => vec![other],
    };
    proofs
        .into_iter()
        .find(|p| proof::CRYPTOSUITES.iter().any(|s| p["cryptosuite"] == *s))?
        .get("verificationMethod")?
        .as_str()
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;
    use crate::credential::test_keys::{VERIFICATION_METHOD, issuer_key, other_key};

    fn signed() -> Value {
        let mut c = crate::credential::ob::tests::sample();
        c.issuer.id = "did:web:validera.example".into();
        let created = DateTime::parse_from_rfc3339("2026-11-27T10:00:00Z").unwrap().with_timezone(&Utc);
        proof::sign(&crate::credential::ob::build(&c), &issuer_key(), VERIFICATION_METHOD, created).unwrap()
    }

    #[test]
    fn the_cache_answers_only_for_the_same_document_and_key() {
        let doc = signed();
        let cache = ProofCache::new(8);
        let good = |_: &str| Some(issuer_key().verifying_key());
        assert!(!cache.holds(&doc, None, good));
        assert!(cache.verify(&doc, None, good).is_ok());
        assert!(cache.holds(&doc, None, good));
        assert!(cache.verify(&doc, None, good).is_ok(), "a hit");
        let mut altered = doc.clone();
        altered["name"] = Value::String("x".into());
        assert!(
            matches!(cache.verify(&altered, None, good), Err(ProofError::Signature)),
            "another document misses"
        );
        let wrong = |_: &str| Some(other_key().verifying_key());
        assert!(matches!(cache.verify(&doc, None, wrong), Err(ProofError::Signature)), "another key misses");
        assert!(!cache.holds(&doc, None, wrong));
        // By the digest of the bytes it was parsed from: other bytes are another entry, even
        // for the same document, and the same bytes find it without serializing it again.
        let bytes = serde_json::to_vec_pretty(&doc).unwrap();
        let d = digest(&bytes);
        assert!(!cache.holds(&doc, Some(&d), good));
        assert!(cache.verify(&doc, Some(&d), good).is_ok());
        assert!(cache.holds(&doc, Some(&d), good));
    }

    #[test]
    fn a_cache_of_capacity_zero_remembers_nothing_and_still_verifies() {
        let doc = signed();
        let cache = ProofCache::new(0);
        let good = |_: &str| Some(issuer_key().verifying_key());
        assert!(cache.verify(&doc, None, good).is_ok());
        assert!(cache.verify(&doc, None, good).is_ok());
        assert!(cache.entries.lock().unwrap().is_empty(), "nothing was remembered");
        let wrong = |_: &str| Some(other_key().verifying_key());
        assert!(matches!(cache.verify(&doc, None, wrong), Err(ProofError::Signature)));
    }
}
