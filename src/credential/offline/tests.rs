//! Keys are bound to their issuer: the attack of re-signing under the issuer's own method id with
//! a key another DID's document holds under the same kid, by Data Integrity and by VC-JWT.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::*;
use crate::credential::did::{self, did_key};
use crate::credential::keys::{jwk, multikey};
use crate::credential::test_keys::{ISSUER_DID, VERIFICATION_METHOD, issuer_key, other_key};
use crate::credential::verify::{Outcome, Presented, verify};
use crate::credential::{jwt, ob};

const EVIL: &str = "did:web:evil.example";

fn at() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-27T10:00:00Z").unwrap().with_timezone(&Utc)
}

fn unsigned() -> Value {
    let mut c = ob::tests::sample();
    c.issuer.id = ISSUER_DID.into();
    let mut doc = ob::build(&c);
    doc.as_object_mut().unwrap().remove("credentialStatus");
    doc
}

fn raised() -> Value {
    let mut doc = unsigned();
    doc["credentialSubject"]["creditsEarned"] = json!(60);
    doc
}

fn org_doc() -> Value {
    did::document(ISSUER_DID, &[("key-1".into(), issuer_key().verifying_key(), None)])
}

fn evil_doc() -> Value {
    did::document(EVIL, &[("key-1".into(), other_key().verifying_key(), None)])
}

fn trust(docs: &[Value]) -> DocumentTrust {
    let mut t = DocumentTrust::default();
    for d in docs {
        t.add_did_document(d, true).unwrap();
    }
    t
}

#[track_caller]
fn outcome(p: &Presented, t: &DocumentTrust) -> Outcome {
    verify(p, t, at() + chrono::Duration::days(1)).outcome
}

fn di(doc: &Value, key: &ed25519_dalek::SigningKey, vm: &str) -> Presented {
    Presented::json(proof::sign(doc, key, vm, at()).unwrap())
}

#[test]
fn the_issuers_own_document_makes_its_credential_genuine() {
    let p = di(&unsigned(), &issuer_key(), VERIFICATION_METHOD);
    assert_eq!(outcome(&p, &trust(&[org_doc()])), Outcome::Genuine);
    let t = jwt::sign(&unsigned(), "key-1", &issuer_key()).unwrap();
    assert_eq!(outcome(&Presented::Jwt(t), &trust(&[org_doc()])), Outcome::Genuine);
}

#[test]
fn a_credential_re_signed_under_the_issuers_method_id_with_another_dids_key_is_never_genuine() {
    let p = di(&raised(), &other_key(), VERIFICATION_METHOD);
    assert_eq!(outcome(&p, &trust(&[evil_doc()])), Outcome::IssuerKeysUnresolved);
    assert_eq!(outcome(&p, &trust(&[evil_doc(), org_doc()])), Outcome::Forged);
    // The evil document listing a method under the issuer's DID is ignored too.
    let mut smuggled = evil_doc();
    smuggled["verificationMethod"][0]["id"] = json!(VERIFICATION_METHOD);
    smuggled["assertionMethod"] = json!([VERIFICATION_METHOD]);
    assert_eq!(outcome(&p, &trust(&[smuggled])), Outcome::IssuerKeysUnresolved);
}

#[test]
fn a_vc_jwt_re_signed_with_another_dids_key_under_the_same_kid_is_never_genuine() {
    for kid in ["key-1", VERIFICATION_METHOD] {
        let token = Presented::Jwt(jwt::sign(&raised(), kid, &other_key()).unwrap());
        assert_eq!(outcome(&token, &trust(&[evil_doc()])), Outcome::IssuerKeysUnresolved, "{kid}");
        assert_eq!(outcome(&token, &trust(&[evil_doc(), org_doc()])), Outcome::Forged, "{kid}");
    }
    let evil_kid = Presented::Jwt(jwt::sign(&raised(), &format!("{EVIL}#key-1"), &other_key()).unwrap());
    assert_eq!(outcome(&evil_kid, &trust(&[evil_doc(), org_doc()])), Outcome::Forged);
}

#[test]
fn a_jwks_counts_only_for_the_issuer_it_was_given_for() {
    let jwks = json!({"keys": [jwk("key-1", &other_key().verifying_key())]});
    let mut t = DocumentTrust::default();
    assert!(t.add_keys(&jwks, None, true).is_err(), "a JWK Set without an issuer binds nothing");
    assert_eq!(t.add_jwks(EVIL, &jwks, true).unwrap(), 1);
    let token = Presented::Jwt(jwt::sign(&raised(), "key-1", &other_key()).unwrap());
    assert_eq!(outcome(&token, &t), Outcome::IssuerKeysUnresolved);
    let ours = json!({"keys": [jwk("key-1", &issuer_key().verifying_key())]});
    t.add_jwks(ISSUER_DID, &ours, true).unwrap();
    assert_eq!(outcome(&token, &t), Outcome::Forged);
    let good = Presented::Jwt(jwt::sign(&unsigned(), "key-1", &issuer_key()).unwrap());
    assert_eq!(outcome(&good, &t), Outcome::Genuine);
    // A kid is any string; one with colons is still looked up among the issuer's keys only.
    let urn = json!({"keys": [jwk("urn:example:key:7", &issuer_key().verifying_key())]});
    t.add_jwks(ISSUER_DID, &urn, true).unwrap();
    let colons = Presented::Jwt(jwt::sign(&unsigned(), "urn:example:key:7", &issuer_key()).unwrap());
    assert_eq!(outcome(&colons, &t), Outcome::Genuine);
}

#[test]
fn only_assertion_methods_the_did_controls_count() {
    let key = issuer_key().verifying_key();
    let method = |id: &str, controller: &str| json!({"id": id, "type": "Multikey", "controller": controller, "publicKeyMultibase": multikey(&key)});
    let vm = VERIFICATION_METHOD;
    let docs = [
        (
            "another controller",
            json!({"id": ISSUER_DID, "verificationMethod": [method(vm, EVIL)], "assertionMethod": [vm]}),
        ),
        (
            "not an assertion method",
            json!({"id": ISSUER_DID, "verificationMethod": [method(vm, ISSUER_DID)], "authentication": [vm]}),
        ),
        (
            "another DID's method",
            json!({"id": ISSUER_DID, "verificationMethod": [method(&format!("{EVIL}#key-1"), ISSUER_DID)], "assertionMethod": [format!("{EVIL}#key-1")]}),
        ),
    ];
    for (what, doc) in docs {
        assert_eq!(DocumentTrust::default().add_did_document(&doc, true).unwrap(), 0, "{what}");
    }
    let embedded = json!({"id": ISSUER_DID, "assertionMethod": [method("#key-1", ISSUER_DID)]});
    let t = {
        let mut t = DocumentTrust::default();
        assert_eq!(t.add_did_document(&embedded, true).unwrap(), 1, "embedded, relative id");
        t
    };
    assert_eq!(t.key_for_method(ISSUER_DID, vm).map(|k| k.key), Some(key));
    assert!(t.key_for_method(EVIL, vm).is_none(), "asked for another issuer");
    assert!(t.key_for_kid(EVIL, "key-1").is_none());
}

#[test]
fn a_did_key_credential_verifies_with_no_documents_but_is_not_vouched_for() {
    let key = crate::credential::keys::generate();
    let did = did_key(&key.verifying_key());
    let vm = format!("{did}#{}", did.strip_prefix("did:key:").unwrap());
    let mut doc = unsigned();
    doc["issuer"]["id"] = json!(did);
    let t = DocumentTrust::default();
    for suite in [proof::CRYPTOSUITE, proof::CRYPTOSUITE_JCS] {
        let signed = if suite == proof::CRYPTOSUITE {
            proof::sign(&doc, &key, &vm, at()).unwrap()
        } else {
            proof::sign_jcs_with(&doc, &key, &vm, at(), &Default::default()).unwrap()
        };
        let report = verify(&Presented::json(signed.clone()), &t, at());
        assert_eq!(report.outcome, Outcome::ValidUnknownIssuer, "{suite}: {:#?}", report.checks);
        assert_eq!(report.issuer(), Some(did.as_str()));
        let mut tampered = signed;
        tampered["credentialSubject"]["creditsEarned"] = json!(60);
        assert_eq!(outcome(&Presented::json(tampered), &t), Outcome::Forged, "{suite}");
    }
    // A did:key credential re-signed by another did:key's key under the first one's method.
    let forged = proof::sign(&doc, &other_key(), &vm, at()).unwrap();
    assert_eq!(outcome(&Presented::json(forged), &t), Outcome::Forged);
}

#[test]
fn a_did_key_vc_jwt_verifies_under_its_one_method_and_nowhere_else() {
    let key = crate::credential::keys::generate();
    let did = did_key(&key.verifying_key());
    let vm = format!("{did}#{}", did.strip_prefix("did:key:").unwrap());
    let mut doc = unsigned();
    doc["issuer"]["id"] = json!(did);
    let t = DocumentTrust::default();
    let token = |kid: &str, k: &ed25519_dalek::SigningKey| Presented::Jwt(jwt::sign(&doc, kid, k).unwrap());
    assert_eq!(outcome(&token(&vm, &key), &t), Outcome::ValidUnknownIssuer);
    assert_eq!(outcome(&token(&vm, &other_key()), &t), Outcome::Forged);
    assert_eq!(outcome(&token(&format!("{did}#key-1"), &key), &t), Outcome::UnknownIssuer);
}

#[test]
fn compromise_dates_come_from_a_did_methods_revoked_and_the_jwks_compromised_member() {
    use crate::credential::{did, keys};
    let (k1, k2) = (keys::generate().verifying_key(), keys::generate().verifying_key());
    let from = DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z").unwrap().with_timezone(&Utc);
    let doc = did::document("did:web:x", &[("k1".into(), k1, Some(from)), ("k2".into(), k2, None)]);
    let mut t = DocumentTrust::default();
    t.add_did_document(&doc, true).unwrap();
    assert_eq!(t.key_for_method("did:web:x", "did:web:x#k1").unwrap().compromised_from, Some(from));
    assert_eq!(t.key_for_method("did:web:x", "did:web:x#k2").unwrap().compromised_from, None);

    let mut jwk = keys::jwk("k1", &k1);
    jwk["compromised_from"] = serde_json::json!("2026-12-01T00:00:00Z");
    let jwks = serde_json::json!({"keys": [keys::jwk("k2", &k2)], "compromised": [jwk]});
    let mut t = DocumentTrust::default();
    assert_eq!(t.add_jwks("did:web:x", &jwks, true).unwrap(), 2);
    assert_eq!(t.key_for_kid("did:web:x", "k1").unwrap().compromised_from, Some(from));
    assert_eq!(t.key_for_kid("did:web:x", "k2").unwrap().compromised_from, None);
}
