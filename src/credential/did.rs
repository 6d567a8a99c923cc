//! did:web and did:key identifiers and DID documents for issuers' keys.

use chrono::{DateTime, Utc};
use ed25519_dalek::VerifyingKey;
use serde_json::{Value, json};

use super::keys::{from_multikey, multikey};

/// The Ed25519 key a `did:key:z6Mk…` DID is made of (the DID alone, no fragment), or `None`
/// for any other DID. The key needs no resolving: the identifier is its own DID document.
pub fn did_key_public(did: &str) -> Option<VerifyingKey> {
    let multibase = did.strip_prefix("did:key:")?;
    if !multibase.starts_with("z6Mk") || multibase.contains(['#', ':', '/', '?']) {
        return None;
    }
    from_multikey(multibase).ok()
}

/// The key of the verification method `vm` of the did:key issuer `issuer`. A did:key document
/// has exactly one method, `did:key:X#X`, controlled by the DID itself; any other fragment or
/// another DID names nothing.
pub fn did_key_method(issuer: &str, vm: &str) -> Option<VerifyingKey> {
    let key = did_key_public(issuer)?;
    let fragment = vm.strip_prefix(issuer)?.strip_prefix('#')?;
    (Some(fragment) == issuer.strip_prefix("did:key:")).then_some(key)
}

/// The domain behind an issuer id, for people: the host of a did:web DID or of an https URL;
/// `None` for identifiers that name no domain (did:key).
pub fn issuer_domain(issuer: &str) -> Option<String> {
    let url = did_web_url(issuer).unwrap_or_else(|| issuer.to_owned());
    let host = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?.split('/').next()?;
    (!host.is_empty()).then(|| host.to_owned())
}

/// The did:key DID of `key`.
pub fn did_key(key: &VerifyingKey) -> String {
    format!("did:key:{}", multikey(key))
}

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
    fn a_did_key_is_its_own_key_under_its_one_method() {
        let key = super::super::keys::generate().verifying_key();
        let did = did_key(&key);
        assert!(did.starts_with("did:key:z6Mk"));
        assert_eq!(did_key_public(&did), Some(key));
        let mb = did.strip_prefix("did:key:").unwrap();
        assert_eq!(did_key_method(&did, &format!("{did}#{mb}")), Some(key));
        assert_eq!(did_key_method(&did, &format!("{did}#key-1")), None, "another fragment");
        let other = did_key(&super::super::keys::generate().verifying_key());
        let other_mb = other.strip_prefix("did:key:").unwrap();
        assert_eq!(did_key_method(&did, &format!("{other}#{other_mb}")), None, "another DID's method");
        assert_eq!(did_key_method("did:web:x.example", &format!("{did}#{mb}")), None);
    }

    #[test]
    fn an_issuers_domain_is_the_host_of_its_did_web_or_url() {
        assert_eq!(issuer_domain("did:web:skola.example:issuers:x").as_deref(), Some("skola.example"));
        assert_eq!(issuer_domain("did:web:127.0.0.1%3A8080").as_deref(), Some("127.0.0.1:8080"));
        assert_eq!(issuer_domain("https://badges.example/issuer").as_deref(), Some("badges.example"));
        assert_eq!(issuer_domain("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"), None);
    }

    #[test]
    fn the_published_w3c_did_key_resolves_to_the_vector_key() {
        let did = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
        let key = crate::credential::test_keys::w3c_vector_key().verifying_key();
        assert_eq!(did_key_public(did), Some(key));
        assert_eq!(
            did_key_public("did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme"),
            None,
            "secp256k1"
        );
        assert_eq!(did_key_public(&format!("{did}#x")), None);
        assert_eq!(did_key_public("did:web:z6Mk"), None);
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
