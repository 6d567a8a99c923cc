use serde_json::{Value, json};

use super::*;
use crate::credential::w3c_vectors as w3c;

fn ob_base() -> Value {
    json!({
        "@context": [contexts::VC_V2, contexts::OB_V3P0_3],
        "id": "urn:uuid:9b0d2a4e-8f5e-4c55-9d1e-2f1c6a8b7c01",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "did:web:validera.example", "type": ["Profile"], "name": "Validera"},
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "urn:uuid:6c1e7e0a-3c2b-4a7f-9f0e-0d9a1b2c3d4e", "type": ["Achievement"],
                "name": "n", "description": "d", "criteria": {"narrative": "c"}
            }
        }
    })
}

#[track_caller]
fn check_rejected(doc: Value, expect_in_detail: &str) {
    check_rejected_with(&doc, &CanonOptions::default(), expect_in_detail);
}

#[test]
fn the_w3c_vector_document_canonicalizes_byte_for_byte() {
    let doc = w3c::json(w3c::UNSIGNED);
    assert_eq!(canonicalize_with(&doc, &w3c::options()).unwrap(), w3c::CANON_DOC);
}

#[test]
fn the_w3c_vector_proof_configuration_canonicalizes_byte_for_byte() {
    let config = w3c::json(w3c::PROOF_CONFIG);
    assert_eq!(canonicalize_with(&config, &w3c::options()).unwrap(), w3c::CANON_PROOF);
}

#[test]
fn a_minimal_open_badge_canonicalizes() {
    let nq = canonicalize(&ob_base()).unwrap();
    assert!(nq.contains("<https://purl.imsglobal.org/spec/vc/ob/vocab.html#Achievement>"), "{nq}");
}

#[test]
fn an_undefined_top_level_property_is_an_error() {
    let mut doc = ob_base();
    doc["fooBar"] = json!("x");
    check_rejected(doc, "fooBar");
}

#[test]
fn an_undefined_nested_property_is_an_error() {
    let mut doc = ob_base();
    doc["credentialSubject"]["achievement"]["notDefined"] = json!(1);
    check_rejected(doc, "notDefined");
}

#[test]
fn an_undefined_type_is_an_error() {
    let mut doc = ob_base();
    doc["type"] = json!(["VerifiableCredential", "OpenBadgeCredential", "NotDefined"]);
    check_rejected(doc, "@type");
}

#[test]
fn the_1edtech_schema_validator_type_needs_the_extensions_context() {
    let schema = json!([{
        "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
        "type": "1EdTechJsonSchemaValidator2019"
    }]);
    let mut doc = ob_base();
    doc["credentialSchema"] = schema;
    check_rejected(doc.clone(), "@type");
    doc["@context"].as_array_mut().unwrap().push(json!(contexts::OB_EXTENSIONS));
    assert!(canonicalize(&doc).is_ok());
}

#[test]
fn a_relative_id_is_an_error() {
    let mut doc = ob_base();
    doc["id"] = json!("relative/thing");
    check_rejected(doc, "relative/thing");
}

#[test]
fn an_unknown_context_url_is_named_in_the_error() {
    let mut doc = ob_base();
    doc["@context"][1] = json!("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json");
    match canonicalize(&doc) {
        Err(CredentialError::UnknownContext(url)) => assert!(url.ends_with("context-3.0.2.json")),
        other => panic!("expected UnknownContext, got {other:?}"),
    }
}

#[test]
fn the_examples_context_is_not_bundled() {
    let doc = w3c::json(w3c::UNSIGNED);
    assert!(matches!(canonicalize(&doc), Err(CredentialError::UnknownContext(_))));
}

#[test]
fn text_is_not_normalized() {
    // "é" precomposed (NFC) and decomposed (NFD) are different bytes and must stay so.
    let mut nfc = ob_base();
    nfc["name"] = json!("Caf\u{e9}");
    let mut nfd = ob_base();
    nfd["name"] = json!("Cafe\u{301}");
    let (nfc, nfd) = (canonicalize(&nfc).unwrap(), canonicalize(&nfd).unwrap());
    assert_ne!(nfc, nfd);
    assert!(nfd.contains("Cafe\u{301}"));
}

#[test]
fn the_call_limit_stops_graphs_of_indistinguishable_blank_nodes() {
    // Identical anonymous subjects share a first-degree hash, so each needs Hash N-Degree
    // Quads: cheap here, but the limit must trip before a poison graph runs away.
    let mut doc = ob_base();
    let subject = doc["credentialSubject"].clone();
    doc["credentialSubject"] = json!([subject.clone(), subject.clone(), subject]);
    assert!(canonicalize(&doc).is_ok());
    let tight = CanonOptions { hndq_call_limit: 1, ..CanonOptions::default() };
    check_rejected_with(&doc, &tight, "limit");
}

#[track_caller]
fn check_rejected_with(doc: &Value, options: &CanonOptions, expect_in_detail: &str) {
    match canonicalize_with(doc, options) {
        Err(CredentialError::Canonicalization { detail }) => {
            assert!(detail.contains(expect_in_detail), "{detail}")
        }
        other => panic!("expected a canonicalization error, got {other:?}"),
    }
}
