//! did:web identifiers and DID documents for issuers' keys.

use chrono::{DateTime, Utc};
use ed25519_dalek::VerifyingKey;
use serde_json::{Value, json};

use super::keys::multikey;

/// The did:web DID for `base_url` plus `path` segments: the scheme is dropped, a port's colon
/// is written `%3A`, and path segments are joined with `:`. `did:web:HOST:a:b` resolves to
/// `https://HOST/a/b/did.json`; `did:web:HOST` to `https://HOST/.well-known/did.json`.
pub fn did_web(base_url: &str, path: &[&str]) -> String {
    let without_scheme = base_url.split_once("://").map_or(base_url, |(_, rest)| rest);
    let mut parts = without_scheme.trim_end_matches('/').split('/');
    let host = parts.next().unwrap_or_default().replace(':', "%3A");
    let mut did = format!("did:web:{host}");
    for seg in parts.chain(path.iter().copied()).filter(|s| !s.is_empty()) {
        did.push(':');
        did.push_str(seg);
    }
    did
}

/// The URL a did:web DID document is fetched from (`https://`), or `None` if `did` is not
/// did:web. The inverse of [`did_web`].
pub fn did_web_url(did: &str) -> Option<String> {
    let rest = did.strip_prefix("did:web:")?;
    let rest = rest.split('#').next()?;
    let mut parts = rest.split(':');
    let host = parts.next().filter(|h| !h.is_empty())?.replace("%3A", ":").replace("%3a", ":");
    let path: Vec<&str> = parts.collect();
    Some(if path.is_empty() {
        format!("https://{host}/.well-known/did.json")
    } else {
        format!("https://{host}/{}/did.json", path.join("/"))
    })
}

/// A key of a DID document: its id, the public key, and from when it is compromised, if it is.
pub type DidKey = (String, VerifyingKey, Option<DateTime<Utc>>);

/// A DID document listing `keys` as Multikey verification methods. Only keys not compromised
/// are listed under `assertionMethod` (signing credentials): a verifier that honours the
/// document refuses every credential a compromised key signed. A compromised key stays a
/// verification method with `revoked` (a term of the Multikey context) set to its compromise
/// date, so that a verifier can say "compromised" rather than "unknown key".
pub fn document(did: &str, keys: &[DidKey]) -> Value {
    let methods: Vec<Value> = keys
        .iter()
        .map(|(kid, key, compromised)| {
            let mut m = json!({
                "id": format!("{did}#{kid}"),
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": multikey(key),
            });
            if let Some(from) = compromised {
                m["revoked"] = json!(from.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
            }
            m
        })
        .collect();
    let ids: Vec<Value> = keys
        .iter()
        .filter(|(_, _, compromised)| compromised.is_none())
        .map(|(kid, _, _)| json!(format!("{did}#{kid}")))
        .collect();
    json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_percent_encoded_and_paths_become_colons() {
        assert_eq!(did_web("https://validera.example", &[]), "did:web:validera.example");
        assert_eq!(
            did_web("http://127.0.0.1:8080/", &["issuers", "abc"]),
            "did:web:127.0.0.1%3A8080:issuers:abc"
        );
        assert_eq!(did_web("https://x.example/base", &["issuers", "o"]), "did:web:x.example:base:issuers:o");
    }

    #[test]
    fn did_web_urls_invert_the_did() {
        assert_eq!(
            did_web_url("did:web:validera.example").as_deref(),
            Some("https://validera.example/.well-known/did.json")
        );
        assert_eq!(
            did_web_url("did:web:127.0.0.1%3A8080:issuers:abc#key-1").as_deref(),
            Some("https://127.0.0.1:8080/issuers/abc/did.json")
        );
        assert_eq!(did_web_url("did:key:z6Mk"), None);
        let did = did_web("https://x.example:8443", &["issuers", "o"]);
        assert_eq!(did_web_url(&did).as_deref(), Some("https://x.example:8443/issuers/o/did.json"));
    }

    #[test]
    fn documents_list_keys_under_assertion_method() {
        let key = super::super::keys::generate().verifying_key();
        let d = document("did:web:x", &[("k1".into(), key, None)]);
        assert_eq!(d["verificationMethod"][0]["id"], "did:web:x#k1");
        assert_eq!(d["verificationMethod"][0]["type"], "Multikey");
        assert!(d["verificationMethod"][0]["publicKeyMultibase"].as_str().unwrap().starts_with("z6Mk"));
        assert_eq!(d["assertionMethod"][0], "did:web:x#k1");
        assert!(d["verificationMethod"][0].get("revoked").is_none());
    }

    #[test]
    fn compromised_keys_stay_methods_with_a_revoked_date_but_not_for_assertion() {
        let (k1, k2) =
            (super::super::keys::generate().verifying_key(), super::super::keys::generate().verifying_key());
        let from = DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z").unwrap().with_timezone(&Utc);
        let d = document("did:web:x", &[("k1".into(), k1, Some(from)), ("k2".into(), k2, None)]);
        assert_eq!(d["verificationMethod"].as_array().unwrap().len(), 2);
        assert_eq!(d["verificationMethod"][0]["revoked"], "2026-12-01T00:00:00Z");
        assert_eq!(d["assertionMethod"], json!(["did:web:x#k2"]));
    }
}
