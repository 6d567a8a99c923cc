use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;

use super::*;
use crate::credential::test_keys::{ISSUER_DID, VERIFICATION_METHOD, issuer_key, other_key};

/// A named change to a document.
type Edit = (&'static str, fn(&mut Value));

fn achievement() -> Value {
    serde_json::from_str(include_str!("../testdata/achievement.json")).unwrap()
}

fn issuer(kid: &str) -> Option<VerifyingKey> {
    (kid == VERIFICATION_METHOD).then(|| issuer_key().verifying_key())
}

fn segment(token: &str, index: usize) -> Value {
    let part = token.split('.').nth(index).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

/// A token over an arbitrary payload, signed by the issuer key.
fn raw_token(payload: &Value) -> String {
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(VERIFICATION_METHOD.into());
    let mut der = ED25519_PKCS8_PREFIX.to_vec();
    der.extend_from_slice(issuer_key().as_bytes());
    jsonwebtoken::encode(&header, payload, &EncodingKey::from_ed_der(&der)).unwrap()
}

#[test]
fn a_signed_credential_round_trips() {
    let token = sign(&achievement(), VERIFICATION_METHOD, &issuer_key()).unwrap();
    assert_eq!(verify(&token, issuer).unwrap(), achievement());
}

#[test]
fn the_header_is_exactly_alg_and_kid() {
    let token = sign(&achievement(), VERIFICATION_METHOD, &issuer_key()).unwrap();
    let header = URL_SAFE_NO_PAD.decode(token.split('.').next().unwrap()).unwrap();
    let expected = format!(r#"{{"alg":"EdDSA","kid":"{VERIFICATION_METHOD}"}}"#);
    assert_eq!(String::from_utf8(header).unwrap(), expected);
}

#[test]
fn the_payload_is_the_credential_with_its_registered_claims() {
    let token = sign(&achievement(), VERIFICATION_METHOD, &issuer_key()).unwrap();
    let payload = segment(&token, 1);
    assert_eq!(payload["iss"], ISSUER_DID);
    assert_eq!(payload["jti"], "urn:uuid:2f6f7d0e-4b1a-4c1e-9a55-8d3c5e7b9a10");
    assert_eq!(payload["nbf"], 1_740_830_400, "2025-03-01T12:00:00Z");
    assert_eq!(payload["credentialSubject"], achievement()["credentialSubject"]);
    assert!(payload.get("vc").is_none(), "no VC 1.1 wrapper");
    assert!(payload.get("sub").is_none(), "the sample subject has no id");
    assert!(payload.get("exp").is_none(), "the sample has no validUntil");
}

#[test]
fn sub_and_exp_come_from_the_subject_id_and_valid_until() {
    let mut credential = achievement();
    credential["credentialSubject"]["id"] = json!("did:example:learner");
    credential["validUntil"] = json!("2030-03-01T12:00:00Z");
    let token = sign(&credential, VERIFICATION_METHOD, &issuer_key()).unwrap();
    let payload = segment(&token, 1);
    assert_eq!(payload["sub"], "did:example:learner");
    assert_eq!(payload["exp"], 1_898_596_800);
    assert_eq!(verify(&token, issuer).unwrap(), credential);
}

#[test]
fn a_data_integrity_proof_is_left_out_of_the_payload() {
    let mut credential = achievement();
    credential["proof"] = json!([{"type": "DataIntegrityProof"}]);
    let token = sign(&credential, VERIFICATION_METHOD, &issuer_key()).unwrap();
    assert!(segment(&token, 1).get("proof").is_none());
}

#[test]
fn a_tampered_payload_fails() {
    let token = sign(&achievement(), VERIFICATION_METHOD, &issuer_key()).unwrap();
    let mut payload = segment(&token, 1);
    payload["name"] = json!("Something else");
    let parts: Vec<&str> = token.split('.').collect();
    let forged = format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(payload.to_string()), parts[2]);
    assert!(matches!(verify(&forged, issuer), Err(CredentialError::Signature)));
}

#[test]
fn a_token_signed_by_another_key_fails() {
    let token = sign(&achievement(), VERIFICATION_METHOD, &other_key()).unwrap();
    assert!(matches!(verify(&token, issuer), Err(CredentialError::Signature)));
}

#[test]
fn an_unknown_kid_fails() {
    let token = sign(&achievement(), "did:web:validera.example#key-9", &issuer_key()).unwrap();
    assert!(
        matches!(verify(&token, issuer), Err(CredentialError::UnknownKey(kid)) if kid.ends_with("key-9"))
    );
}

#[test]
fn an_expired_token_still_returns_its_credential() {
    let mut credential = achievement();
    credential["validFrom"] = json!("2019-01-01T00:00:00Z");
    credential["validUntil"] = json!("2020-01-01T00:00:00Z");
    let token = sign(&credential, VERIFICATION_METHOD, &issuer_key()).unwrap();
    assert_eq!(verify(&token, issuer).unwrap(), credential);
}

#[test]
fn claims_that_disagree_with_the_credential_are_refused() {
    let token = sign(&achievement(), VERIFICATION_METHOD, &issuer_key()).unwrap();
    let good = segment(&token, 1);
    let edits: [Edit; 4] = [
        ("iss", |p| p["iss"] = json!("did:web:evil.example")),
        ("nbf", |p| p["nbf"] = json!(0)),
        ("exp added", |p| p["exp"] = json!(1_898_596_800)),
        ("sub added", |p| p["sub"] = json!("did:example:someone-else")),
    ];
    for (what, edit) in edits {
        let mut payload = good.clone();
        edit(&mut payload);
        let verdict = verify(&raw_token(&payload), issuer);
        assert!(matches!(verdict, Err(CredentialError::Jwt(_))), "{what}: {verdict:?}");
    }
    assert!(verify(&raw_token(&good), issuer).is_ok(), "the same payload re-signed verifies");
}

#[test]
fn a_credential_without_issuer_id_or_valid_from_is_not_signed() {
    let mut credential = achievement();
    credential.as_object_mut().unwrap().remove("validFrom");
    assert!(matches!(
        sign(&credential, VERIFICATION_METHOD, &issuer_key()),
        Err(CredentialError::Malformed(_))
    ));
    let mut credential = achievement();
    credential["issuer"] = json!({"type": ["Profile"]});
    assert!(matches!(
        sign(&credential, VERIFICATION_METHOD, &issuer_key()),
        Err(CredentialError::Malformed(_))
    ));
}

#[test]
fn optional_registered_claims_may_be_absent() {
    let mut credential = achievement();
    credential["credentialSubject"]["id"] = json!("did:example:learner");
    credential["validUntil"] = json!("2030-03-01T12:00:00Z");
    let token = sign(&credential, VERIFICATION_METHOD, &issuer_key()).unwrap();
    let full = segment(&token, 1);
    for absent in [&["iss"][..], &["sub"], &["jti"], &["nbf", "exp"], &["iss", "sub", "jti", "nbf", "exp"]] {
        let mut payload = full.clone();
        for claim in absent {
            payload.as_object_mut().unwrap().remove(*claim);
        }
        assert_eq!(verify(&raw_token(&payload), issuer).unwrap(), credential, "without {absent:?}");
    }
}

#[test]
fn alg_none_and_other_algorithms_are_refused_by_name() {
    let token = sign(&achievement(), VERIFICATION_METHOD, &issuer_key()).unwrap();
    let payload = token.split('.').nth(1).unwrap();
    for alg in ["none", "HS256", "ES256"] {
        let header = URL_SAFE_NO_PAD.encode(format!(r#"{{"alg":"{alg}","kid":"{VERIFICATION_METHOD}"}}"#));
        let unsigned = format!("{header}.{payload}.");
        let verdict = verify(&unsigned, issuer);
        assert!(matches!(&verdict, Err(CredentialError::Algorithm(a)) if a == alg), "{alg}: {verdict:?}");
    }
}
