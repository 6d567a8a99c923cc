//! Outcomes of verification, one test per outcome.

use std::cell::RefCell;

use chrono::Duration;
use serde_json::json;

use super::*;
use crate::credential::test_keys::{VERIFICATION_METHOD, issuer_key, other_key};
use crate::credential::{jwt, ob, proof};

struct TestTrust {
    compromised_from: Option<DateTime<Utc>>,
    status: RefCell<Status>,
}

impl Trust for TestTrust {
    fn key_for_method(&self, issuer: &str, vm: &str) -> Option<KeyInfo> {
        (vm == VERIFICATION_METHOD && method_of(issuer, vm)).then(|| KeyInfo {
            key: issuer_key().verifying_key(),
            compromised_from: self.compromised_from,
            vouched: true,
        })
    }
    fn key_for_kid(&self, issuer: &str, kid: &str) -> Option<KeyInfo> {
        self.key_for_method(issuer, &format!("{issuer}#{kid}"))
    }
    fn unresolved(&self, issuer: &str) -> Option<String> {
        (issuer != "did:web:validera.example").then(|| format!("no keys of {issuer}"))
    }
    fn status(&self, _: Option<&str>, _: &str, _: u64, _: DateTime<Utc>) -> Status {
        self.status.borrow().clone()
    }
}

fn trust() -> TestTrust {
    TestTrust { compromised_from: None, status: RefCell::new(Status::Clear) }
}

fn signed_at() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-27T10:00:00Z").unwrap().with_timezone(&Utc)
}

fn unsigned() -> Value {
    let mut c = ob::tests::sample();
    c.issuer.id = "did:web:validera.example".into();
    ob::build(&c)
}

fn signed(doc: &Value) -> Value {
    proof::sign(doc, &issuer_key(), VERIFICATION_METHOD, signed_at()).unwrap()
}

#[track_caller]
fn check(presented: Presented, trust: &TestTrust, now: DateTime<Utc>, expect: Outcome) -> Report {
    let r = verify(&presented, trust, now);
    assert_eq!(r.outcome, expect, "{:#?}", r.checks);
    r
}

fn now() -> DateTime<Utc> {
    signed_at() + Duration::days(1)
}

#[test]
fn a_signed_credential_from_a_known_key_is_genuine() {
    let r = check(Presented::json(signed(&unsigned())), &trust(), now(), Outcome::Genuine);
    assert!(r.checks.iter().all(|c| c.result == CheckResult::Passed), "{:#?}", r.checks);
}

#[test]
fn an_altered_credential_is_forged() {
    let mut doc = signed(&unsigned());
    doc["credentialSubject"]["creditsEarned"] = json!(60);
    check(Presented::json(doc), &trust(), now(), Outcome::Forged);
}

#[test]
fn a_credential_signed_by_another_key_is_forged() {
    let doc = proof::sign(&unsigned(), &other_key(), VERIFICATION_METHOD, signed_at()).unwrap();
    check(Presented::json(doc), &trust(), now(), Outcome::Forged);
}

#[test]
fn an_unknown_key_is_an_unknown_issuer() {
    let doc = proof::sign(&unsigned(), &issuer_key(), "did:web:validera.example#key-9", signed_at()).unwrap();
    check(Presented::json(doc), &trust(), now(), Outcome::UnknownIssuer);
}

#[test]
fn a_key_of_another_controller_than_the_issuer_is_forged() {
    let mut doc = unsigned();
    doc["issuer"]["id"] = json!("did:web:elsewhere.example");
    let doc = signed(&doc);
    check(Presented::json(doc), &trust(), now(), Outcome::Forged);
}

#[test]
fn a_key_compromised_before_signing_fails_and_after_signing_does_not() {
    let doc = signed(&unsigned());
    let t = TestTrust { compromised_from: Some(signed_at() - Duration::hours(1)), ..trust() };
    check(Presented::json(doc.clone()), &t, now(), Outcome::KeyCompromised);
    let t = TestTrust { compromised_from: Some(signed_at() + Duration::hours(1)), ..trust() };
    check(Presented::json(doc), &t, now(), Outcome::Genuine);
}

#[test]
fn revoked_suspended_and_unavailable_statuses_stay_distinct() {
    let doc = signed(&unsigned());
    let t = trust();
    *t.status.borrow_mut() = Status::Revoked { reason: Some("fel kandidat".into()), at: None };
    let r = check(Presented::json(doc.clone()), &t, now(), Outcome::Revoked);
    assert!(r.checks.iter().any(|c| c.detail == "fel kandidat"));
    *t.status.borrow_mut() = Status::Suspended { reason: None, at: None };
    check(Presented::json(doc.clone()), &t, now(), Outcome::Suspended);
    *t.status.borrow_mut() = Status::Unavailable("the list did not answer".into());
    check(Presented::json(doc), &t, now(), Outcome::StatusUnavailable);
}

#[test]
fn dates_give_expired_and_not_yet_valid() {
    let mut doc = unsigned();
    doc["validUntil"] = json!("2026-11-27T12:00:00Z");
    let doc = signed(&doc);
    check(Presented::json(doc.clone()), &trust(), now(), Outcome::Expired);
    check(Presented::json(doc), &trust(), signed_at() - Duration::days(1), Outcome::NotYetValid);
}

#[test]
fn a_credential_without_an_achievement_is_malformed() {
    let mut doc = unsigned();
    doc["credentialSubject"]["achievement"].as_object_mut().unwrap().remove("criteria");
    let doc = signed(&doc);
    check(Presented::json(doc), &trust(), now(), Outcome::Malformed);
}

#[test]
fn vc_jwts_verify_and_tampering_or_unknown_kids_are_told_apart() {
    let token = jwt::sign(&unsigned(), "key-1", &issuer_key()).unwrap();
    check(Presented::parse(token.as_bytes()).unwrap(), &trust(), now(), Outcome::Genuine);
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    parts[2] = jwt::sign(&unsigned(), "key-1", &other_key()).unwrap().split('.').nth(2).unwrap().to_owned();
    check(Presented::Jwt(parts.join(".")), &trust(), now(), Outcome::Forged);
    let unknown = jwt::sign(&unsigned(), "key-9", &issuer_key()).unwrap();
    check(Presented::Jwt(unknown), &trust(), now(), Outcome::UnknownIssuer);
}

#[test]
fn garbage_is_refused_before_verification() {
    assert!(Presented::parse(b"hello").is_err());
    assert!(Presented::parse(b"{not json").is_err());
}

#[test]
fn an_issuer_whose_keys_cannot_be_had_is_unresolved_not_unknown_or_forged() {
    let mut doc = unsigned();
    doc["issuer"]["id"] = json!("did:web:elsewhere.example");
    let doc = proof::sign(&doc, &other_key(), "did:web:elsewhere.example#key-1", signed_at()).unwrap();
    let r = check(Presented::json(doc), &trust(), now(), Outcome::IssuerKeysUnresolved);
    assert!(r.checks.iter().any(|c| c.code == "issuer-unresolved"), "{:#?}", r.checks);
}

#[test]
fn alg_none_is_told_in_a_sentence_of_its_own() {
    use base64::Engine;
    let token = jwt::sign(&unsigned(), "key-1", &issuer_key()).unwrap();
    let header = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#);
    let unsigned_token = format!("{header}.{}.", token.split('.').nth(1).unwrap());
    let r = check(Presented::parse(unsigned_token.as_bytes()).unwrap(), &trust(), now(), Outcome::Malformed);
    let c = r.checks.iter().find(|c| c.code == "jwt-alg").expect("a jwt-alg check");
    assert_eq!(c.arg.as_deref(), Some("none"));
}

#[test]
fn problems_have_their_own_codes_with_arguments_any_language_can_show() {
    let code_of = |doc: Value, name: &str| {
        let r = check(Presented::json(doc), &trust(), now(), Outcome::Malformed);
        let c = r.checks.iter().find(|c| c.name == name && c.result == CheckResult::Failed).cloned();
        c.map(|c| (c.code, c.arg.unwrap_or_default()))
            .unwrap_or_else(|| panic!("no failed {name}: {:#?}", r.checks))
    };
    let mut doc = unsigned();
    doc["credentialSubject"]["achievement"].as_object_mut().unwrap().remove("criteria");
    doc.as_object_mut().unwrap().remove("validFrom");
    let (code, arg) = code_of(signed(&doc), "schema");
    assert_eq!((code, arg.as_str()), ("schema-fields", "validFrom, credentialSubject.achievement.criteria"));
    let mut doc = signed(&unsigned());
    doc["proof"][0]["cryptosuite"] = json!("ecdsa-rdfc-2019");
    assert_eq!(code_of(doc, "signature").0, "unsupported-proof");
    let mut doc = signed(&unsigned());
    doc["favouriteColour"] = json!("green");
    assert_eq!(code_of(doc, "signature").0, "not-json-ld");
    let mut doc = signed(&unsigned());
    doc["proof"][0]["proofPurpose"] = json!("authentication");
    assert_eq!(code_of(doc, "signature").0, "proof-malformed");
}
