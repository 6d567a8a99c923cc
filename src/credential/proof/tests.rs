use chrono::TimeZone;
use ed25519_dalek::SigningKey;
use serde_json::{Value, json};

use super::*;
use crate::credential::keys::multikey;
use crate::credential::test_keys::{ISSUER_DID, VERIFICATION_METHOD, issuer_key, other_key, w3c_vector_key};
use crate::credential::w3c_vectors as w3c;

/// A named change to a document.
type Edit = (&'static str, fn(&mut Value));

const W3C_VM: &str = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";

fn achievement() -> Value {
    serde_json::from_str(include_str!("../testdata/achievement.json")).unwrap()
}

fn created() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).unwrap()
}

fn signed_achievement() -> Value {
    sign(&achievement(), &issuer_key(), VERIFICATION_METHOD, created()).unwrap()
}

/// Resolves only `vm` to `key`.
fn only(vm: &'static str, key: &SigningKey) -> impl Fn(&str) -> Option<VerifyingKey> {
    let key = key.verifying_key();
    move |asked| (asked == vm).then_some(key)
}

#[track_caller]
fn check_invalid(secured: &Value) {
    let verdict = verify(secured, only(VERIFICATION_METHOD, &issuer_key()));
    assert!(matches!(verdict, Err(ProofError::Signature)), "{verdict:?}");
}

// --- W3C vc-di-eddsa test vectors, byte for byte ---

fn vector_input() -> SigningInput {
    let mut config = w3c::json(w3c::PROOF_CONFIG);
    config.as_object_mut().unwrap().remove("@context");
    SigningInput::new(&w3c::json(w3c::UNSIGNED), &config, &w3c::options()).unwrap()
}

#[test]
fn the_w3c_key_pair_is_the_published_one() {
    let pair = w3c::json(w3c::KEY_PAIR);
    assert_eq!(multikey(&w3c_vector_key().verifying_key()), pair["publicKeyMultibase"]);
}

#[test]
fn the_w3c_vector_canonical_forms_and_hashes_match() {
    let input = vector_input();
    assert_eq!(input.canonical_document, w3c::CANON_DOC);
    assert_eq!(input.canonical_proof_config, w3c::CANON_PROOF);
    let hash = input.hash_data();
    assert_eq!(hex::encode(&hash[..32]), w3c::PROOF_HASH.trim());
    assert_eq!(hex::encode(&hash[32..]), w3c::DOC_HASH.trim());
    assert_eq!(hex::encode(hash), w3c::COMBINED_HASH.trim());
}

#[test]
fn the_w3c_vector_signature_matches() {
    let signature = w3c_vector_key().sign(&vector_input().hash_data()).to_bytes();
    assert_eq!(hex::encode(signature), w3c::SIG_HEX.trim());
    assert_eq!(format!("z{}", bs58::encode(signature).into_string()), w3c::SIG_BTC58.trim());
}

#[test]
fn signing_the_w3c_vector_gives_the_published_signed_document() {
    let created = DateTime::parse_from_rfc3339("2023-02-24T23:36:38Z").unwrap().with_timezone(&Utc);
    let signed =
        sign_with(&w3c::json(w3c::UNSIGNED), &w3c_vector_key(), W3C_VM, created, &w3c::options()).unwrap();
    let published = w3c::json(w3c::SIGNED);
    // We write `proof` as an array of one (OB 3.0); the vector has a bare object.
    assert_eq!(signed["proof"], json!([published["proof"]]));
    let (mut ours, mut theirs) = (signed, published.clone());
    ours.as_object_mut().unwrap().remove("proof");
    theirs.as_object_mut().unwrap().remove("proof");
    assert_eq!(ours, theirs);
    let verified = verify_with(&published, only(W3C_VM, &w3c_vector_key()), &w3c::options()).unwrap();
    assert_eq!(
        verified,
        VerifiedProof { verification_method: W3C_VM.into(), created, cryptosuite: CRYPTOSUITE }
    );
}

fn jcs_vector_input() -> SigningInput {
    let mut config = w3c::json(w3c::JCS_PROOF_CONFIG);
    config.as_object_mut().unwrap().remove("@context");
    SigningInput::jcs(&w3c::json(w3c::UNSIGNED), &config, &w3c::options()).unwrap()
}

#[test]
fn the_w3c_jcs_vector_canonical_forms_hashes_and_signature_match() {
    let input = jcs_vector_input();
    assert_eq!(input.canonical_document, w3c::JCS_CANON_DOC);
    assert_eq!(input.canonical_proof_config, w3c::JCS_CANON_PROOF);
    let hash = input.hash_data();
    assert_eq!(hex::encode(&hash[..32]), w3c::JCS_PROOF_HASH.trim());
    assert_eq!(hex::encode(&hash[32..]), w3c::JCS_DOC_HASH.trim());
    assert_eq!(hex::encode(hash), w3c::JCS_COMBINED_HASH.trim());
    let signature = w3c_vector_key().sign(&hash).to_bytes();
    assert_eq!(hex::encode(signature), w3c::JCS_SIG_HEX.trim());
    assert_eq!(format!("z{}", bs58::encode(signature).into_string()), w3c::JCS_SIG_BTC58.trim());
}

#[test]
fn the_published_w3c_jcs_document_verifies_and_our_jcs_signature_equals_it() {
    let published = w3c::json(w3c::JCS_SIGNED);
    let verified = verify_with(&published, only(W3C_VM, &w3c_vector_key()), &w3c::options()).unwrap();
    assert_eq!(verified.cryptosuite, CRYPTOSUITE_JCS);
    let created = DateTime::parse_from_rfc3339("2023-02-24T23:36:38Z").unwrap().with_timezone(&Utc);
    let signed =
        sign_jcs_with(&w3c::json(w3c::UNSIGNED), &w3c_vector_key(), W3C_VM, created, &w3c::options())
            .unwrap();
    assert_eq!(signed["proof"][0]["proofValue"], published["proof"]["proofValue"]);
    let mut altered = published.clone();
    altered["credentialSubject"]["alumniOf"] = json!("The School of Forgeries");
    let verdict = verify_with(&altered, only(W3C_VM, &w3c_vector_key()), &w3c::options());
    assert!(matches!(verdict, Err(ProofError::Signature)), "{verdict:?}");
}

#[test]
fn a_jcs_proof_is_refused_when_the_document_has_an_undefined_term() {
    let mut doc = achievement();
    doc["favouriteColour"] = json!("green");
    let result = sign_jcs_with(&doc, &issuer_key(), VERIFICATION_METHOD, created(), &CanonOptions::default());
    assert!(matches!(result, Err(CredentialError::Canonicalization { .. })), "{result:?}");
}

#[test]
fn a_jcs_proof_covers_member_order_free_json_and_its_own_suite() {
    let signed = sign_jcs_with(
        &achievement(),
        &issuer_key(),
        VERIFICATION_METHOD,
        created(),
        &CanonOptions::default(),
    )
    .unwrap();
    assert_eq!(signed["proof"][0]["cryptosuite"], CRYPTOSUITE_JCS);
    assert!(verify(&signed, only(VERIFICATION_METHOD, &issuer_key())).is_ok());
    let mut relabelled = signed.clone();
    relabelled["proof"][0]["cryptosuite"] = json!(CRYPTOSUITE);
    check_invalid(&relabelled);
    let mut changed = signed;
    changed["credentialSubject"]["achievement"]["creditsAvailable"] = json!(30.0);
    check_invalid(&changed);
}

// --- Our credentials ---

#[test]
fn a_signed_credential_verifies_and_reports_its_method_and_date() {
    let verified = verify(&signed_achievement(), only(VERIFICATION_METHOD, &issuer_key())).unwrap();
    assert_eq!(verified.verification_method, VERIFICATION_METHOD);
    assert_eq!(verified.created, created());
}

#[test]
fn the_proof_is_an_array_of_one_data_integrity_proof() {
    let proof = &signed_achievement()["proof"];
    assert_eq!(proof.as_array().map(Vec::len), Some(1));
    let p = &proof[0];
    assert_eq!(p["type"], "DataIntegrityProof");
    assert_eq!(p["cryptosuite"], "eddsa-rdfc-2022");
    assert_eq!(p["created"], "2025-03-01T12:00:00Z");
    assert_eq!(p["proofPurpose"], "assertionMethod");
    assert_eq!(p["verificationMethod"], VERIFICATION_METHOD);
    let value = p["proofValue"].as_str().unwrap();
    assert_eq!(bs58::decode(&value[1..]).into_vec().unwrap().len(), 64);
    assert!(value.starts_with('z'));
}

#[test]
fn created_is_written_to_the_second() {
    let at = Utc.timestamp_opt(1_740_830_400, 123_456_789).unwrap();
    let signed = sign(&achievement(), &issuer_key(), VERIFICATION_METHOD, at).unwrap();
    assert_eq!(signed["proof"][0]["created"], "2025-03-01T12:00:00Z");
}

#[test]
fn a_proof_given_as_an_object_verifies_too() {
    let mut secured = signed_achievement();
    secured["proof"] = secured["proof"][0].clone();
    assert!(verify(&secured, only(VERIFICATION_METHOD, &issuer_key())).is_ok());
}

#[test]
fn changing_any_value_invalidates_the_signature() {
    let edits: [Edit; 7] = [
        ("name", |v| v["name"] = json!("Validated prior learning: Food safety (Level 3)")),
        ("issuer", |v| v["issuer"]["id"] = json!("did:web:evil.example")),
        ("validFrom", |v| v["validFrom"] = json!("2020-03-01T12:00:00Z")),
        ("credits", |v| v["credentialSubject"]["achievement"]["creditsAvailable"] = json!(30.0)),
        ("status index", |v| v["credentialStatus"]["statusListIndex"] = json!("94568")),
        ("proof created", |v| v["proof"][0]["created"] = json!("2025-03-02T12:00:00Z")),
        ("NFD text", |v| v["issuer"]["name"] = json!("Validera Asse\u{301}ssment Centre")),
    ];
    for (what, edit) in edits {
        let mut secured = signed_achievement();
        edit(&mut secured);
        let verdict = verify(&secured, only(VERIFICATION_METHOD, &issuer_key()));
        assert!(matches!(verdict, Err(ProofError::Signature)), "{what}: {verdict:?}");
    }
}

#[test]
fn a_flipped_signature_bit_is_invalid() {
    let mut secured = signed_achievement();
    let value = secured["proof"][0]["proofValue"].as_str().unwrap();
    let mut bytes = bs58::decode(&value[1..]).into_vec().unwrap();
    bytes[10] ^= 1;
    secured["proof"][0]["proofValue"] = json!(format!("z{}", bs58::encode(bytes).into_string()));
    check_invalid(&secured);
}

#[test]
fn a_signature_by_another_key_is_invalid() {
    let forged = sign(&achievement(), &other_key(), VERIFICATION_METHOD, created()).unwrap();
    check_invalid(&forged);
}

#[test]
fn an_unresolvable_verification_method_is_an_unknown_key() {
    let verdict = verify(&signed_achievement(), |_| None);
    assert!(matches!(verdict, Err(ProofError::UnknownKey(vm)) if vm == VERIFICATION_METHOD));
}

#[test]
fn signing_a_document_with_an_undefined_term_fails() {
    let mut doc = achievement();
    doc["credentialSubject"]["favouriteColour"] = json!("green");
    let result = sign(&doc, &issuer_key(), VERIFICATION_METHOD, created());
    assert!(matches!(result, Err(CredentialError::Canonicalization { .. })), "{result:?}");
}

#[test]
fn an_undefined_term_added_after_signing_makes_the_document_unprocessable() {
    let mut secured = signed_achievement();
    secured["favouriteColour"] = json!("green");
    let verdict = verify(&secured, only(VERIFICATION_METHOD, &issuer_key()));
    assert!(matches!(verdict, Err(ProofError::Document(_))), "{verdict:?}");
}

#[test]
fn a_swapped_context_order_is_refused_although_the_signature_would_hold() {
    let swap = |v: &mut Value| v["@context"].as_array_mut().unwrap().swap(0, 1);
    let mut secured = signed_achievement();
    swap(&mut secured);
    let verdict = verify(&secured, only(VERIFICATION_METHOD, &issuer_key()));
    assert!(matches!(verdict, Err(ProofError::Malformed(_))), "{verdict:?}");
    let mut unsecured = achievement();
    swap(&mut unsecured);
    assert!(matches!(
        sign(&unsecured, &issuer_key(), VERIFICATION_METHOD, created()),
        Err(CredentialError::Malformed(_))
    ));
}

#[test]
fn another_cryptosuite_is_reported_as_such() {
    let mut secured = signed_achievement();
    secured["proof"][0]["cryptosuite"] = json!("ecdsa-rdfc-2019");
    let verdict = verify(&secured, only(VERIFICATION_METHOD, &issuer_key()));
    assert!(matches!(verdict, Err(ProofError::Cryptosuite(s)) if s.contains("ecdsa-rdfc-2019")));
    secured["proof"] = json!({"type": "Ed25519Signature2020", "proofValue": "z1"});
    let verdict = verify(&secured, only(VERIFICATION_METHOD, &issuer_key()));
    assert!(matches!(verdict, Err(ProofError::Cryptosuite(_))), "{verdict:?}");
}

#[test]
fn malformed_proofs_are_reported_as_malformed() {
    let edits: [Edit; 6] = [
        ("no proof", |v| drop(v.as_object_mut().unwrap().remove("proof"))),
        ("purpose", |v| v["proof"][0]["proofPurpose"] = json!("authentication")),
        ("no multibase", |v| v["proof"][0]["proofValue"] = json!("abc")),
        ("short value", |v| v["proof"][0]["proofValue"] = json!("z3yMApqCuCjXDWPrbjfR5mjCPTHqFG8Pux1TxQrEM")),
        ("created", |v| v["proof"][0]["created"] = json!("yesterday")),
        ("two proofs", |v| {
            let p = v["proof"][0].clone();
            v["proof"].as_array_mut().unwrap().push(p)
        }),
    ];
    for (what, edit) in edits {
        let mut secured = signed_achievement();
        edit(&mut secured);
        let verdict = verify(&secured, only(VERIFICATION_METHOD, &issuer_key()));
        assert!(matches!(verdict, Err(ProofError::Malformed(_))), "{what}: {verdict:?}");
    }
}

#[test]
fn a_document_that_already_has_a_proof_is_not_signed_again() {
    let result = sign(&signed_achievement(), &issuer_key(), VERIFICATION_METHOD, created());
    assert!(matches!(result, Err(CredentialError::Malformed(_))));
}

// --- Golden files: Ed25519 is deterministic, so these bytes are stable ---

#[test]
fn the_sample_achievement_credential_matches_its_golden_files() {
    assert_eq!(achievement()["issuer"]["id"], ISSUER_DID, "signed by its own issuer's key");
    let nquads = crate::credential::canon::canonicalize(&achievement()).unwrap();
    expect_test::expect_file!["../testdata/achievement.nq"].assert_eq(&nquads);
    let signed = serde_json::to_string_pretty(&signed_achievement()).unwrap() + "\n";
    expect_test::expect_file!["../testdata/achievement.signed.json"].assert_eq(&signed);
}
