//! Verifying a credential: every check with its own outcome, and one overall verdict.
//!
//! Policy: outcomes stay distinct. A forged or altered credential, an unknown issuer key, a
//! compromised key, a revoked, suspended, expired or not-yet-valid credential, and a status that
//! could not be checked are different answers; "could not check" is never "genuine" and never
//! "forged". Keys and statuses come from a [`Trust`], so the same code serves the service (its
//! database) and the command line (files); nothing here fetches or reads the clock.
//!
//! Keys are bound to the issuer the credential names: a key is asked for by issuer and full
//! verification method (or `kid`), never by `kid` alone, and a method of another DID is refused
//! before any lookup. "Genuine" needs a key someone vouches for (this service's own issuers, or
//! keys its user handed over for that issuer); a signature by a key that only the identifier
//! itself establishes (did:key, a fetched did:web document) is "valid signature, unknown
//! issuer": the signature is the issuer's, but who the issuer is, nobody here vouches for.

mod cache;
mod printed;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use ed25519_dalek::VerifyingKey;
use serde_json::Value;

pub use cache::{ProofCache, digest};
pub use printed::{add_printed_check, check_printed_pages};

use super::contexts::VC_V2;
use super::error::{CredentialError, ProofError};
use super::limits::{LimitExceeded, Limits, ParseError};
use super::{jwt, proof};

/// A credential as presented.
#[derive(Debug, Clone)]
pub enum Presented {
    /// JSON-LD with an embedded Data Integrity proof; shared, so a report holds it without a
    /// copy (a cached check answers thousands of times a second).
    Json(Arc<Value>),
    /// A VC-JWT.
    Jwt(String),
}

impl Presented {
    /// A credential as JSON.
    pub fn json(doc: Value) -> Presented {
        Presented::Json(Arc::new(doc))
    }

    /// Recognises JSON or a compact JWT in `bytes`.
    pub fn parse(bytes: &[u8]) -> Result<Presented, String> {
        Presented::parse_within(bytes, &Limits::default()).map_err(|e| e.to_string())
    }

    /// Recognises JSON or a compact JWT in `bytes`, refusing anything over `limits` before any
    /// expensive work. A leading UTF-8 byte-order mark (as Windows editors save) is skipped.
    pub fn parse_within(bytes: &[u8], limits: &Limits) -> Result<Presented, PresentedError> {
        let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        let text = std::str::from_utf8(bytes)
            .map_err(|_| PresentedError::Unreadable("the input is not UTF-8 text".to_owned()))?
            .trim();
        if text.starts_with('{') {
            limits.parse(text.as_bytes()).map(Presented::json).map_err(|e| match e {
                ParseError::Limit(l) => PresentedError::Limit(l),
                ParseError::Json(e) => PresentedError::Unreadable(format!("not valid JSON: {e}")),
            })
        } else if text.split('.').count() == 3 && !text.contains(char::is_whitespace) {
            // The payload is base64url: 4 characters for every 3 bytes of JSON.
            limits.check_bytes(text.len() / 4 * 3)?;
            if let Some(claims) = jwt_payload(text) {
                limits.check_json(&claims)?;
            }
            Ok(Presented::Jwt(text.to_owned()))
        } else {
            Err(PresentedError::Unreadable("expected a credential as JSON, or a VC-JWT".to_owned()))
        }
    }
}

/// Why bytes in hand are not a credential to verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PresentedError {
    /// Over a bound; nothing was verified.
    #[error(transparent)]
    Limit(#[from] LimitExceeded),
    /// Neither JSON nor a VC-JWT.
    #[error("{0}")]
    Unreadable(String),
}

/// The claims of a compact JWT, decoded without checking anything.
fn jwt_payload(token: &str) -> Option<Value> {
    use base64::Engine;
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token.split('.').nth(1)?).ok()?;
    serde_json::from_slice::<Value>(&payload).ok()
}

/// A public key and what is known about it.
#[derive(Debug, Clone)]
pub struct KeyInfo {
    /// The key.
    pub key: VerifyingKey,
    /// Signatures made from this time on are not trusted.
    pub compromised_from: Option<DateTime<Utc>>,
    /// Whether the verifier vouches for who owns the key (its own issuers, keys given for the
    /// issuer by the user), or only knows it is the issuer identifier's own key (did:key, a
    /// fetched DID document).
    pub vouched: bool,
}

/// A credential's status as its issuer publishes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Neither revoked nor suspended.
    Clear,
    /// Revoked, with why and when if known.
    Revoked {
        /// Why.
        reason: Option<String>,
        /// When.
        at: Option<DateTime<Utc>>,
    },
    /// Suspended, with why and when if known.
    Suspended {
        /// Why.
        reason: Option<String>,
        /// When.
        at: Option<DateTime<Utc>>,
    },
    /// The status list could not be read; says why.
    Unavailable(String),
    /// The copy of the status list in hand is past its `validUntil`: it may hide a later change.
    Stale {
        /// When the copy stopped being valid.
        valid_until: DateTime<Utc>,
    },
}

/// Where keys and statuses come from.
pub trait Trust {
    /// The key the Data Integrity `verification_method` (a DID URL) of `issuer` names. Only a
    /// method of the issuer's own DID may answer ([`method_of`]); [`verify`] asks for no other.
    fn key_for_method(&self, issuer: &str, verification_method: &str) -> Option<KeyInfo>;
    /// The key a VC-JWT `kid` names for `issuer`: a DID URL of the issuer's DID, or a key id
    /// within the keys known for that issuer.
    fn key_for_kid(&self, issuer: &str, kid: &str) -> Option<KeyInfo>;
    /// Why the keys of `issuer` could not be obtained at all (not fetched, not given), if so;
    /// then a missing key says nothing about the credential.
    fn unresolved(&self, _issuer: &str) -> Option<String> {
        None
    }
    /// The status behind a credential's `credentialStatus` entry, as of `now` (a copy of a
    /// list past its window is [`Status::Stale`]).
    fn status(&self, credential_id: Option<&str>, list_url: &str, index: u64, now: DateTime<Utc>) -> Status;
}

/// The overall verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Signed by a known, trusted key of its issuer; not revoked, suspended or expired.
    Genuine,
    /// The signature does not match: altered, or not made by the key it names.
    Forged,
    /// A genuine credential attached to a PDF whose printed pages say something else.
    PdfMismatch,
    /// The key it names is not known for that issuer.
    UnknownIssuer,
    /// The signature verifies with the issuer's own key (did:key, or its resolved DID
    /// document), but this service does not vouch for who the issuer is.
    ValidUnknownIssuer,
    /// The issuer's keys could not be resolved; nothing is said about the signature.
    IssuerKeysUnresolved,
    /// Signed with a key its issuer has declared compromised from before the signature.
    KeyCompromised,
    /// Revoked by its issuer.
    Revoked,
    /// Suspended by its issuer.
    Suspended,
    /// Past its `validUntil`.
    Expired,
    /// Before its `validFrom`.
    NotYetValid,
    /// Everything else holds, but the status could not be checked.
    StatusUnavailable,
    /// Not a credential we can read.
    Malformed,
}

impl Outcome {
    /// A stable name for APIs.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Genuine => "genuine",
            Outcome::Forged => "forged",
            Outcome::PdfMismatch => "pdf-mismatch",
            Outcome::UnknownIssuer => "unknown-issuer",
            Outcome::ValidUnknownIssuer => "valid-signature-unknown-issuer",
            Outcome::IssuerKeysUnresolved => "issuer-unresolved",
            Outcome::KeyCompromised => "key-compromised",
            Outcome::Revoked => "revoked",
            Outcome::Suspended => "suspended",
            Outcome::Expired => "expired",
            Outcome::NotYetValid => "not-yet-valid",
            Outcome::StatusUnavailable => "status-unavailable",
            Outcome::Malformed => "malformed",
        }
    }
}

/// How one check went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckResult {
    /// It holds.
    Passed,
    /// It does not hold.
    Failed,
    /// It could not be done (says why in the detail).
    NotChecked,
}

/// One check of a verification.
#[derive(Debug, Clone)]
pub struct Check {
    /// `format`, `schema`, `signature`, `issuer-key`, `status` or `validity`.
    pub name: &'static str,
    /// How it went.
    pub result: CheckResult,
    /// What was found, for people (English; the CLI prints it).
    pub detail: String,
    /// Which message words the detail in other languages (`check-detail-<code>` in the pages'
    /// catalogues), with `arg` as its one variable part (a key id, a date, a reason).
    pub code: &'static str,
    /// The variable part of the detail, if any.
    pub arg: Option<String>,
}

/// Whether `vm` (a DID URL, or a bare key id) is a method of `issuer`'s own DID. A key id
/// without a fragment (a JWK Set's `kid`, which may well contain colons) is only ever looked up
/// among the issuer's own keys, and so always is.
pub fn method_of(issuer: &str, vm: &str) -> bool {
    vm.split_once('#').is_none_or(|(did, _)| did == issuer)
}

/// The result of verifying one credential.
#[derive(Debug, Clone)]
pub struct Report {
    /// The verdict.
    pub outcome: Outcome,
    /// Every check, in order.
    pub checks: Vec<Check>,
    /// The credential, if it could be read.
    pub credential: Option<Arc<Value>>,
    /// The status found, if checked.
    pub status: Option<Status>,
}

impl Report {
    /// The issuer the credential names (`issuer` or `issuer.id`), if it could be read.
    pub fn issuer(&self) -> Option<&str> {
        self.credential.as_deref().and_then(issuer_id)
    }
}

struct Builder {
    checks: Vec<Check>,
    failures: Vec<Outcome>,
}

impl Builder {
    /// A key that was not found: a method of another DID than the issuer's is a forgery claim
    /// (it cannot be the issuer's signature), unobtainable keys say nothing, else the key is
    /// not one of the issuer's.
    fn key_missing(&mut self, trust: &dyn Trust, issuer: Option<&str>, vm: &str) {
        match issuer {
            Some(i) if !method_of(i, vm) => self.fail(
                "signature",
                Outcome::Forged,
                detail(
                    "key-not-issuers",
                    None,
                    "signed by a key that does not belong to the issuer it names",
                ),
            ),
            Some(i) if trust.unresolved(i).is_some() => {
                let why = trust.unresolved(i).unwrap_or_default();
                self.fail(
                    "issuer-key",
                    Outcome::IssuerKeysUnresolved,
                    detail(
                        "issuer-unresolved",
                        Some(i.to_owned()),
                        format!("the keys of {i} could not be obtained: {why}"),
                    ),
                )
            }
            _ => self.fail(
                "issuer-key",
                Outcome::UnknownIssuer,
                detail("no-key", Some(vm.to_owned()), format!("no known key {vm}")),
            ),
        }
    }
}

/// A check's detail: its message code, variable part and English text.
struct Detail(&'static str, Option<String>, String);

fn detail(code: &'static str, arg: Option<String>, text: impl Into<String>) -> Detail {
    Detail(code, arg, text.into())
}

impl Builder {
    fn push(&mut self, name: &'static str, result: CheckResult, Detail(code, arg, detail): Detail) {
        self.checks.push(Check { name, result, detail, code, arg });
    }
    fn pass(&mut self, name: &'static str, d: Detail) {
        self.push(name, CheckResult::Passed, d);
    }
    fn fail(&mut self, name: &'static str, outcome: Outcome, d: Detail) {
        self.push(name, CheckResult::Failed, d);
        self.failures.push(outcome);
    }
    fn skip(&mut self, name: &'static str, d: Detail) {
        self.push(name, CheckResult::NotChecked, d);
    }
}

fn string_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, k| v.get(k)).and_then(Value::as_str)
}

/// `issuer` is a URL, or an object with an `id`.
fn issuer_id(c: &Value) -> Option<&str> {
    c.get("issuer").and_then(|i| i.as_str().or_else(|| i.get("id").and_then(Value::as_str)))
}

fn has_type(v: Option<&Value>, t: &str) -> bool {
    match v {
        Some(Value::String(s)) => s == t,
        Some(Value::Array(a)) => a.iter().any(|x| x.as_str() == Some(t)),
        _ => false,
    }
}

/// The Open Badges 3.0 shape: what the official schema requires, checked field by field. Says
/// which fields are missing or wrong by their JSON names, the same in every language.
fn shape_problems(c: &Value) -> Vec<String> {
    let mut p = Vec::new();
    let ctx: Vec<&str> = c
        .get("@context")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let ob_context = ctx.iter().any(|u| u.starts_with("https://purl.imsglobal.org/spec/ob/v3p0/context"));
    if ctx.first() != Some(&VC_V2) || !ob_context {
        p.push("@context".into());
    }
    if !c.get("type").is_some_and(Value::is_array)
        || !has_type(c.get("type"), "VerifiableCredential")
        || !(has_type(c.get("type"), "AchievementCredential")
            || has_type(c.get("type"), "OpenBadgeCredential"))
    {
        p.push("type".into());
    }
    if string_at(c, &["id"]).is_none() {
        p.push("id".into());
    }
    if string_at(c, &["issuer", "id"]).is_none()
        || !has_type(c.get("issuer").and_then(|i| i.get("type")), "Profile")
    {
        p.push("issuer".into());
    }
    if string_at(c, &["validFrom"]).and_then(|s| DateTime::parse_from_rfc3339(s).ok()).is_none() {
        p.push("validFrom".into());
    }
    let a = c.get("credentialSubject").and_then(|s| s.get("achievement"));
    for f in ["id", "type", "name", "description", "criteria"] {
        if a.and_then(|a| a.get(f)).is_none() {
            p.push(format!("credentialSubject.achievement.{f}"));
        }
    }
    p
}

fn date(c: &Value, field: &str) -> Option<DateTime<Utc>> {
    string_at(c, &[field]).and_then(|s| DateTime::parse_from_rfc3339(s).ok()).map(|d| d.with_timezone(&Utc))
}

/// Verifies `presented` against `trust` as of `now`.
pub fn verify(presented: &Presented, trust: &dyn Trust, now: DateTime<Utc>) -> Report {
    verify_cached(presented, trust, now, None)
}

/// [`verify`], reusing proofs `cache` has seen verify.
pub fn verify_cached(
    presented: &Presented,
    trust: &dyn Trust,
    now: DateTime<Utc>,
    cache: Option<&ProofCache>,
) -> Report {
    verify_digested(presented, None, trust, now, cache)
}

/// The key `trust` gives for the Data Integrity proof of `doc`, bound to its issuer.
fn proof_key(doc: &Value, trust: &dyn Trust, vm: &str) -> Option<VerifyingKey> {
    issuer_id(doc).filter(|i| method_of(i, vm)).and_then(|i| trust.key_for_method(i, vm)).map(|k| k.key)
}

/// Whether `cache` already holds the verified proof of `presented` (JSON parsed from bytes
/// with the digest `bytes`) for the key `trust` gives: then [`verify_digested`] does no
/// canonicalization. A VC-JWT never needs any.
pub fn proof_cached(
    presented: &Presented,
    bytes: Option<&[u8; 32]>,
    trust: &dyn Trust,
    cache: &ProofCache,
) -> bool {
    match presented {
        Presented::Json(doc) => cache.holds(doc, bytes, |vm| proof_key(doc, trust, vm)),
        Presented::Jwt(_) => true,
    }
}

/// [`verify_cached`] for JSON parsed from bytes whose [`digest`] is `bytes`: the cache finds the
/// proof by it instead of serializing the document again.
pub fn verify_digested(
    presented: &Presented,
    bytes: Option<&[u8; 32]>,
    trust: &dyn Trust,
    now: DateTime<Utc>,
    cache: Option<&ProofCache>,
) -> Report {
    let mut b = Builder { checks: Vec::new(), failures: Vec::new() };
    let (credential, key_used, signed_at) = match presented {
        Presented::Json(doc) => {
            b.pass("format", detail("format-di", None, "JSON-LD with a Data Integrity proof"));
            let problems = shape_problems(doc);
            if problems.is_empty() {
                b.pass("schema", detail("schema-ok", None, "has the fields Open Badges 3.0 requires"));
            } else {
                b.fail("schema", Outcome::Malformed, {
                    let fields = problems.join(", ");
                    let text = format!("not as Open Badges 3.0 requires: {fields}");
                    detail("schema-fields", Some(fields), text)
                });
            }
            let issuer = issuer_id(doc);
            let resolve = |vm: &str| proof_key(doc, trust, vm);
            let checked = match cache {
                Some(c) => c.verify(doc, bytes, resolve),
                None => proof::verify(doc, resolve),
            };
            match checked {
                Ok(p) => {
                    b.pass(
                        "signature",
                        detail(
                            "signed-di",
                            Some(p.verification_method.clone()),
                            format!("{} signature by {}", p.cryptosuite, p.verification_method),
                        ),
                    );
                    let key = issuer.and_then(|i| trust.key_for_method(i, &p.verification_method));
                    (Some(Arc::clone(doc)), key, Some(p.created))
                }
                Err(ProofError::Signature) => {
                    b.fail(
                        "signature",
                        Outcome::Forged,
                        detail(
                            "altered",
                            None,
                            "the signature does not match: the credential was altered or forged",
                        ),
                    );
                    (Some(Arc::clone(doc)), None, None)
                }
                Err(ProofError::UnknownKey(vm)) => {
                    b.key_missing(trust, issuer, &vm);
                    (Some(Arc::clone(doc)), None, None)
                }
                Err(ProofError::Document(CredentialError::TooLarge(limit @ LimitExceeded::Quads(max)))) => {
                    b.fail(
                        "signature",
                        Outcome::Malformed,
                        detail("too-many-quads", Some(max.to_string()), limit.to_string()),
                    );
                    (Some(Arc::clone(doc)), None, None)
                }
                Err(e) => {
                    let d = match &e {
                        ProofError::Cryptosuite(found) => {
                            detail("unsupported-proof", Some(found.clone()), e.to_string())
                        }
                        ProofError::Document(why) => {
                            detail("not-json-ld", Some(why.to_string()), e.to_string())
                        }
                        ProofError::Malformed(why) => {
                            detail("proof-malformed", Some(why.clone()), e.to_string())
                        }
                        _ => detail("problem", Some(e.to_string()), e.to_string()),
                    };
                    b.fail("signature", Outcome::Malformed, d);
                    (Some(Arc::clone(doc)), None, None)
                }
            }
        }
        Presented::Jwt(token) => {
            let (issuer, kid) = unverified_jwt_parts(token);
            let issuer = issuer.as_deref();
            let resolve = |kid: &str| {
                issuer.filter(|i| method_of(i, kid)).and_then(|i| trust.key_for_kid(i, kid)).map(|k| k.key)
            };
            match jwt::verify(token, resolve) {
                Ok(c) => {
                    b.pass("format", detail("format-jwt", None, "VC-JWT"));
                    let problems = shape_problems(&c);
                    if problems.is_empty() {
                        b.pass(
                            "schema",
                            detail("schema-ok", None, "has the fields Open Badges 3.0 requires"),
                        );
                    } else {
                        b.fail("schema", Outcome::Malformed, {
                            let fields = problems.join(", ");
                            let text = format!("not as Open Badges 3.0 requires: {fields}");
                            detail("schema-fields", Some(fields), text)
                        });
                    }
                    b.pass("signature", detail("signed-jwt", None, "EdDSA signature of the issuer's key"));
                    let key = kid.as_deref().and_then(|kid| issuer.and_then(|i| trust.key_for_kid(i, kid)));
                    let at = date(&c, "validFrom");
                    (Some(Arc::new(c)), key, at)
                }
                Err(CredentialError::Signature) => {
                    b.pass("format", detail("format-jwt", None, "VC-JWT"));
                    b.fail(
                        "signature",
                        Outcome::Forged,
                        detail(
                            "altered",
                            None,
                            "the signature does not match: the token was altered or forged",
                        ),
                    );
                    (None, None, None)
                }
                Err(CredentialError::UnknownKey(kid)) => {
                    b.pass("format", detail("format-jwt", None, "VC-JWT"));
                    b.key_missing(trust, issuer, &kid);
                    (None, None, None)
                }
                Err(CredentialError::Algorithm(alg)) => {
                    b.fail(
                        "format",
                        Outcome::Malformed,
                        detail(
                            "jwt-alg",
                            Some(alg.clone()),
                            format!("the token says it is signed with \"{alg}\"; only EdDSA signatures are accepted, and \"none\" means not signed at all"),
                        ),
                    );
                    (None, None, None)
                }
                Err(e) => {
                    b.fail(
                        "format",
                        Outcome::Malformed,
                        detail("problem", Some(e.to_string()), e.to_string()),
                    );
                    (None, None, None)
                }
            }
        }
    };
    let unvouched = key_used.as_ref().is_some_and(|k| !k.vouched);
    if let Some(k) = &key_used {
        match (k.compromised_from, signed_at) {
            (Some(from), Some(at)) if at >= from => b.fail(
                "issuer-key",
                Outcome::KeyCompromised,
                detail(
                    "compromised",
                    Some(from.to_rfc3339()),
                    format!("the issuer declared this key compromised from {}", from.to_rfc3339()),
                ),
            ),
            _ if !k.vouched => {
                let who = credential.as_deref().and_then(issuer_id).unwrap_or_default().to_owned();
                b.skip(
                    "issuer-key",
                    detail(
                        "unvouched-key",
                        Some(who.clone()),
                        format!("the key is {who}'s own, but this service does not vouch for who {who} is"),
                    ),
                )
            }
            _ => b.pass("issuer-key", detail("published-key", None, "a published key of the issuer")),
        }
    }
    let mut status = None;
    if let Some(c) = &credential {
        match (
            string_at(c, &["credentialStatus", "statusListCredential"]),
            string_at(c, &["credentialStatus", "statusListIndex"]),
        ) {
            (Some(url), Some(index)) => match index.parse::<u64>() {
                Ok(i) => {
                    let s = trust.status(string_at(c, &["id"]), url, i, now);
                    match &s {
                        Status::Clear => {
                            b.pass("status", detail("not-revoked", None, "not revoked or suspended"))
                        }
                        Status::Revoked { reason, .. } => b.fail(
                            "status",
                            Outcome::Revoked,
                            match reason {
                                Some(r) => detail("revoked-reason", Some(r.clone()), r.clone()),
                                // Only the published bit is known, and it is set for a
                                // suspension too (docs/certificates.md).
                                None => detail(
                                    "revoked-or-suspended",
                                    None,
                                    "the issuer's status list marks it revoked or suspended",
                                ),
                            },
                        ),
                        Status::Suspended { reason, .. } => b.fail(
                            "status",
                            Outcome::Suspended,
                            match reason {
                                Some(r) => detail("suspended-reason", Some(r.clone()), r.clone()),
                                None => detail("suspended", None, "suspended"),
                            },
                        ),
                        Status::Unavailable(why) => {
                            b.skip("status", detail("status-unavailable", Some(why.clone()), why.clone()))
                        }
                        Status::Stale { valid_until } => {
                            let until = valid_until.to_rfc3339();
                            let text = format!(
                                "the status list copy is stale (valid until {until}); fetch a fresh one"
                            );
                            b.skip("status", detail("status-stale", Some(until), text))
                        }
                    }
                    status = Some(s);
                }
                Err(_) => b.fail(
                    "status",
                    Outcome::Malformed,
                    detail("bad-index", None, "statusListIndex must be a string of digits"),
                ),
            },
            _ => b.skip("status", detail("no-status", None, "the credential has no status entry")),
        }
        let (from, until) = (date(c, "validFrom"), date(c, "validUntil"));
        match (from, until) {
            (Some(f), _) if f > now => b.fail(
                "validity",
                Outcome::NotYetValid,
                detail("not-yet-valid", Some(f.to_rfc3339()), format!("valid from {}", f.to_rfc3339())),
            ),
            (_, Some(u)) if u < now => b.fail(
                "validity",
                Outcome::Expired,
                detail("expired", Some(u.to_rfc3339()), format!("expired {}", u.to_rfc3339())),
            ),
            _ => b.pass("validity", detail("within-dates", None, "within its validity dates")),
        }
    }
    // The most serious failure is the verdict; "could not check the status" only when nothing
    // failed, and before "valid, by an issuer nobody here vouches for": a status that could not
    // be read is the caution a reader must see first, whoever the issuer is.
    let outcome = b.failures.iter().copied().min_by_key(|o| SEVERITY.iter().position(|x| x == o)).unwrap_or(
        if matches!(status, Some(Status::Unavailable(_) | Status::Stale { .. })) {
            Outcome::StatusUnavailable
        } else if unvouched {
            Outcome::ValidUnknownIssuer
        } else {
            Outcome::Genuine
        },
    );
    Report { outcome, checks: b.checks, credential, status }
}

/// Failures from most to least serious.
const SEVERITY: [Outcome; 10] = [
    Outcome::Malformed,
    Outcome::Forged,
    Outcome::PdfMismatch,
    Outcome::UnknownIssuer,
    Outcome::IssuerKeysUnresolved,
    Outcome::KeyCompromised,
    Outcome::Revoked,
    Outcome::Suspended,
    Outcome::Expired,
    Outcome::NotYetValid,
];

/// The `iss` and header `kid` of a VC-JWT, read before its signature is checked, to find the key.
fn unverified_jwt_parts(token: &str) -> (Option<String>, Option<String>) {
    let kid = jsonwebtoken::decode_header(token).ok().and_then(|h| h.kid);
    (claimed_issuer(&Presented::Jwt(token.to_owned())), kid)
}

/// The issuer a credential claims (`issuer`, `issuer.id`, or a VC-JWT's `iss`), read before
/// anything is verified: it only tells where to look for keys, never whom to trust.
pub fn claimed_issuer(presented: &Presented) -> Option<String> {
    let decoded;
    let claims = match presented {
        Presented::Json(c) => c,
        Presented::Jwt(t) => {
            decoded = jwt_payload(t)?;
            &decoded
        }
    };
    let issuer = claims.get("issuer").or_else(|| claims.get("iss"))?;
    issuer.as_str().or_else(|| issuer.get("id").and_then(Value::as_str)).map(str::to_owned)
}

#[cfg(test)]
mod tests;
