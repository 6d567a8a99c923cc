//! Verifying a credential: every check with its own outcome, and one overall verdict.
//!
//! Policy: outcomes stay distinct. A forged or altered credential, an unknown issuer key, a
//! compromised key, a revoked, suspended, expired or not-yet-valid credential, and a status that
//! could not be checked are different answers; "could not check" is never "genuine" and never
//! "forged". Keys and statuses come from a [`Trust`], so the same code serves the service (its
//! database) and the command line (files); nothing here fetches or reads the clock.

mod cache;
mod printed;

use chrono::{DateTime, Utc};
use ed25519_dalek::VerifyingKey;
use serde_json::Value;

pub use cache::ProofCache;
pub use printed::add_printed_check;

use super::contexts::VC_V2;
use super::error::{CredentialError, ProofError};
use super::{jwt, proof};

/// A credential as presented.
#[derive(Debug, Clone)]
pub enum Presented {
    /// JSON-LD with an embedded Data Integrity proof.
    Json(Value),
    /// A VC-JWT.
    Jwt(String),
}

impl Presented {
    /// Recognises JSON or a compact JWT in `bytes`.
    pub fn parse(bytes: &[u8]) -> Result<Presented, String> {
        let text = std::str::from_utf8(bytes).map_err(|_| "the input is not UTF-8 text".to_owned())?.trim();
        if text.starts_with('{') {
            serde_json::from_str(text).map(Presented::Json).map_err(|e| format!("not valid JSON: {e}"))
        } else if text.split('.').count() == 3 && !text.contains(char::is_whitespace) {
            Ok(Presented::Jwt(text.to_owned()))
        } else {
            Err("expected a credential as JSON, or a VC-JWT".to_owned())
        }
    }
}

/// A public key and what is known about it.
#[derive(Debug, Clone)]
pub struct KeyInfo {
    /// The key.
    pub key: VerifyingKey,
    /// Signatures made from this time on are not trusted.
    pub compromised_from: Option<DateTime<Utc>>,
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
}

/// Where keys and statuses come from.
pub trait Trust {
    /// The key a Data Integrity `verificationMethod` (a DID URL) names.
    fn key_for_method(&self, verification_method: &str) -> Option<KeyInfo>;
    /// The key a VC-JWT `kid` names, for the credential's issuer.
    fn key_for_kid(&self, issuer: &str, kid: &str) -> Option<KeyInfo>;
    /// The status behind a credential's `credentialStatus` entry.
    fn status(&self, credential_id: Option<&str>, list_url: &str, index: u64) -> Status;
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

/// The result of verifying one credential.
#[derive(Debug, Clone)]
pub struct Report {
    /// The verdict.
    pub outcome: Outcome,
    /// Every check, in order.
    pub checks: Vec<Check>,
    /// The credential, if it could be read.
    pub credential: Option<Value>,
    /// The status found, if checked.
    pub status: Option<Status>,
}

struct Builder {
    checks: Vec<Check>,
    failures: Vec<Outcome>,
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

/// The Open Badges 3.0 shape: what the official schema requires, checked field by field.
fn shape_problems(c: &Value) -> Vec<String> {
    let mut p = Vec::new();
    let ctx: Vec<&str> = c
        .get("@context")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if ctx.first() != Some(&VC_V2) {
        p.push(format!("@context must start with {VC_V2}"));
    }
    if !ctx.iter().any(|u| u.starts_with("https://purl.imsglobal.org/spec/ob/v3p0/context")) {
        p.push("@context must include the Open Badges 3.0 context".into());
    }
    if !c.get("type").is_some_and(Value::is_array)
        || !has_type(c.get("type"), "VerifiableCredential")
        || !(has_type(c.get("type"), "AchievementCredential")
            || has_type(c.get("type"), "OpenBadgeCredential"))
    {
        p.push("type must be an array with VerifiableCredential and AchievementCredential".into());
    }
    if string_at(c, &["id"]).is_none() {
        p.push("id is missing".into());
    }
    if string_at(c, &["issuer", "id"]).is_none()
        || !has_type(c.get("issuer").and_then(|i| i.get("type")), "Profile")
    {
        p.push("issuer must be a Profile with an id".into());
    }
    if string_at(c, &["validFrom"]).and_then(|s| DateTime::parse_from_rfc3339(s).ok()).is_none() {
        p.push("validFrom must be a date-time".into());
    }
    let a = c.get("credentialSubject").and_then(|s| s.get("achievement"));
    for f in ["id", "type", "name", "description", "criteria"] {
        if a.and_then(|a| a.get(f)).is_none() {
            p.push(format!("credentialSubject.achievement.{f} is missing"));
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
    let mut b = Builder { checks: Vec::new(), failures: Vec::new() };
    let (credential, key_used, signed_at) = match presented {
        Presented::Json(doc) => {
            b.pass("format", detail("format-di", None, "JSON-LD with a Data Integrity proof"));
            let problems = shape_problems(doc);
            if problems.is_empty() {
                b.pass("schema", detail("schema-ok", None, "has the fields Open Badges 3.0 requires"));
            } else {
                b.fail("schema", Outcome::Malformed, {
                    let text = problems.join("; ");
                    detail("problem", Some(text.clone()), text)
                });
            }
            let resolve = |vm: &str| trust.key_for_method(vm).map(|k| k.key);
            let checked = match cache {
                Some(c) => c.verify(doc, resolve),
                None => proof::verify(doc, resolve),
            };
            match checked {
                Ok(p) => {
                    let controller = p.verification_method.split('#').next().unwrap_or_default();
                    if Some(controller) != issuer_id(doc) {
                        b.fail(
                            "signature",
                            Outcome::Forged,
                            detail(
                                "key-not-issuers",
                                None,
                                "signed by a key that does not belong to the issuer it names",
                            ),
                        );
                        (Some(doc.clone()), None, None)
                    } else {
                        b.pass(
                            "signature",
                            detail(
                                "signed-di",
                                Some(p.verification_method.clone()),
                                format!("eddsa-rdfc-2022 signature by {}", p.verification_method),
                            ),
                        );
                        (Some(doc.clone()), trust.key_for_method(&p.verification_method), Some(p.created))
                    }
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
                    (Some(doc.clone()), None, None)
                }
                Err(ProofError::UnknownKey(vm)) => {
                    b.fail(
                        "issuer-key",
                        Outcome::UnknownIssuer,
                        detail("no-key", Some(vm.clone()), format!("no known key {vm}")),
                    );
                    (Some(doc.clone()), None, None)
                }
                Err(e) => {
                    b.fail(
                        "signature",
                        Outcome::Malformed,
                        detail("problem", Some(e.to_string()), e.to_string()),
                    );
                    (Some(doc.clone()), None, None)
                }
            }
        }
        Presented::Jwt(token) => {
            let (issuer, kid) = unverified_jwt_parts(token);
            let resolve =
                |kid: &str| issuer.as_deref().and_then(|i| trust.key_for_kid(i, kid)).map(|k| k.key);
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
                            let text = problems.join("; ");
                            detail("problem", Some(text.clone()), text)
                        });
                    }
                    b.pass("signature", detail("signed-jwt", None, "EdDSA signature of the issuer's key"));
                    let key = kid
                        .as_deref()
                        .and_then(|kid| issuer.as_deref().and_then(|i| trust.key_for_kid(i, kid)));
                    let at = date(&c, "validFrom");
                    (Some(c), key, at)
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
                    b.fail(
                        "issuer-key",
                        Outcome::UnknownIssuer,
                        detail("no-key", Some(kid.clone()), format!("no known key {kid}")),
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
                    let s = trust.status(string_at(c, &["id"]), url, i);
                    match &s {
                        Status::Clear => {
                            b.pass("status", detail("not-revoked", None, "not revoked or suspended"))
                        }
                        Status::Revoked { reason, .. } => b.fail(
                            "status",
                            Outcome::Revoked,
                            match reason {
                                Some(r) => detail("revoked-reason", Some(r.clone()), r.clone()),
                                None => detail("revoked", None, "revoked"),
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
    // The most serious failure is the verdict; "could not check the status" only when nothing failed.
    let outcome = b.failures.iter().copied().min_by_key(|o| SEVERITY.iter().position(|x| x == o)).unwrap_or(
        if matches!(status, Some(Status::Unavailable(_))) {
            Outcome::StatusUnavailable
        } else {
            Outcome::Genuine
        },
    );
    Report { outcome, checks: b.checks, credential, status }
}

/// Failures from most to least serious.
const SEVERITY: [Outcome; 9] = [
    Outcome::Malformed,
    Outcome::Forged,
    Outcome::PdfMismatch,
    Outcome::UnknownIssuer,
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
    use base64::Engine;
    let decoded;
    let claims = match presented {
        Presented::Json(c) => c,
        Presented::Jwt(t) => {
            let payload =
                base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(t.split('.').nth(1)?).ok()?;
            decoded = serde_json::from_slice::<Value>(&payload).ok()?;
            &decoded
        }
    };
    let issuer = claims.get("issuer").or_else(|| claims.get("iss"))?;
    issuer.as_str().or_else(|| issuer.get("id").and_then(Value::as_str)).map(str::to_owned)
}

#[cfg(test)]
mod tests;
