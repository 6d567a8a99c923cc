//! VC-JWT as Open Badges 3.0 describes it: the credential is the JWT payload, signed EdDSA.
//!
//! Policy: the JOSE header is exactly `{"alg":"EdDSA","kid":…}`; the payload is the
//! credential's members at top level (no `vc` wrapper) without `proof`, plus the registered
//! claims derived from it: `iss` (issuer id), `jti` (credential id), `sub` (subject id, when
//! there is one), `nbf` (`validFrom`) and `exp` (`validUntil`, when there is one). Verifying
//! checks the signature and that those claims, each optional for other issuers' tokens, agree
//! with the credential when present, and nothing about time: there is no clock here, so expired
//! or not-yet-valid is for the caller to report. The header's `alg` is read before anything
//! else, so `none` or any other algorithm is refused as such, not as an undecodable header.

use ed25519_dalek::{SigningKey, VerifyingKey};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{Map, Value};

use super::error::CredentialError;

/// The registered claims we write, in order.
const CLAIMS: [&str; 5] = ["iss", "jti", "sub", "nbf", "exp"];

/// PKCS#8 v1 DER prefix of an Ed25519 private key (RFC 8410); the 32-byte seed follows.
const ED25519_PKCS8_PREFIX: [u8; 16] =
    [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];

/// Signs `credential` as a VC-JWT with `key`, naming it `kid` (the verification method's DID
/// URL). A `proof` member is left out.
pub fn sign(credential: &Value, kid: &str, key: &SigningKey) -> Result<String, CredentialError> {
    let Value::Object(fields) = credential else {
        return Err(CredentialError::Malformed("a credential must be a JSON object".into()));
    };
    let mut payload = fields.clone();
    payload.remove("proof");
    for (name, value) in registered_claims(fields)? {
        if payload.insert(name.to_owned(), value).is_some() {
            return Err(CredentialError::Malformed(format!("the credential has a member named {name}")));
        }
    }
    let mut header = Header::new(Algorithm::EdDSA);
    header.typ = None;
    header.kid = Some(kid.to_owned());
    let mut der = ED25519_PKCS8_PREFIX.to_vec();
    der.extend_from_slice(key.as_bytes());
    jsonwebtoken::encode(&header, &payload, &EncodingKey::from_ed_der(&der))
        .map_err(|e| CredentialError::Jwt(e.to_string()))
}

/// Verifies a VC-JWT and returns the credential it carries (without the registered claims).
/// `resolve_kid` maps the header's `kid` to the issuer's key. Dates are not judged.
pub fn verify(
    token: &str,
    resolve_kid: impl Fn(&str) -> Option<VerifyingKey>,
) -> Result<Value, CredentialError> {
    let jwt_err = |e: jsonwebtoken::errors::Error| match e.kind() {
        ErrorKind::InvalidSignature => CredentialError::Signature,
        _ => CredentialError::Jwt(e.to_string()),
    };
    let alg = header_alg(token)?;
    if alg != "EdDSA" {
        return Err(CredentialError::Algorithm(alg));
    }
    let header = jsonwebtoken::decode_header(token).map_err(jwt_err)?;
    let kid = header.kid.ok_or_else(|| CredentialError::Jwt("the header has no kid".into()))?;
    let key = resolve_kid(&kid).ok_or(CredentialError::UnknownKey(kid))?;

    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    let data = jsonwebtoken::decode::<Map<String, Value>>(
        token,
        &DecodingKey::from_ed_der(key.as_bytes()),
        &validation,
    )
    .map_err(jwt_err)?;

    let mut credential = data.claims;
    let found: Vec<(&str, Option<Value>)> =
        CLAIMS.iter().map(|&name| (name, credential.remove(name))).collect();
    let expected = registered_claims(&credential)?;
    for (name, value) in found.into_iter().filter_map(|(n, v)| Some((n, v?))) {
        let want = expected.iter().find(|(n, _)| *n == name).map(|(_, v)| v);
        if Some(&value) != want {
            return Err(CredentialError::Jwt(format!("claim {name} disagrees with the credential")));
        }
    }
    Ok(Value::Object(credential))
}

/// The header's `alg`, read as plain JSON: the JOSE library cannot even parse `none`.
fn header_alg(token: &str) -> Result<String, CredentialError> {
    use base64::Engine;
    let bad = || CredentialError::Jwt("the header is not base64url-encoded JSON".into());
    let header = token.split('.').next().ok_or_else(bad)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(header).map_err(|_| bad())?;
    let header: Value = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    header
        .get("alg")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| CredentialError::Jwt("the header has no alg".into()))
}

/// The registered claims `credential` implies; `iss` and `nbf` are required.
fn registered_claims(credential: &Map<String, Value>) -> Result<Vec<(&'static str, Value)>, CredentialError> {
    let malformed = |why: &str| CredentialError::Malformed(why.to_owned());
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(|s| Value::String(s.to_owned()));
    let issuer = credential.get("issuer");
    let iss = text(issuer).or_else(|| text(issuer.and_then(|i| i.get("id"))));
    let mut claims = vec![("iss", iss.ok_or_else(|| malformed("the issuer has no id"))?)];
    if let Some(jti) = text(credential.get("id")) {
        claims.push(("jti", jti));
    }
    if let Some(sub) = text(credential.get("credentialSubject").and_then(|s| s.get("id"))) {
        claims.push(("sub", sub));
    }
    let nbf = credential.get("validFrom").ok_or_else(|| malformed("validFrom is required"))?;
    claims.push(("nbf", numeric_date(nbf, "validFrom")?));
    if let Some(until) = credential.get("validUntil") {
        claims.push(("exp", numeric_date(until, "validUntil")?));
    }
    Ok(claims)
}

/// An XSD dateTime as a JWT NumericDate (whole seconds since the epoch).
fn numeric_date(value: &Value, field: &str) -> Result<Value, CredentialError> {
    value
        .as_str()
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map(|t| Value::from(t.timestamp()))
        .ok_or_else(|| CredentialError::Malformed(format!("{field} is not a dateTime with a time zone")))
}

#[cfg(test)]
mod tests;
