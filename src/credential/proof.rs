//! Data Integrity proofs with the `eddsa-rdfc-2022` and `eddsa-jcs-2022` cryptosuites (W3C Data
//! Integrity EdDSA Cryptosuites v1.0). We issue rdfc; jcs is verified for other issuers' credentials.
//!
//! Policy: the signature covers SHA-256 of the canonical proof configuration (the proof
//! without `proofValue`, under the document's `@context`) followed by SHA-256 of the
//! canonical document without `proof`; canonicalization is [`super::canon`] (safe mode,
//! bundled contexts only). We write `proof` as an array of one proof, as the OB 3.0 schema
//! requires, and read either form. RDFC signs meaning, not order, so both signing and
//! verifying check that `@context` starts with the VC 2.0 context. Times come in as arguments.
//!
//! `eddsa-jcs-2022` hashes the JCS (RFC 8785) forms of the same two parts instead of their
//! N-Quads; the suite itself needs no JSON-LD. We still require the document to expand in safe
//! mode under the bundled contexts: an Open Badges reader interprets it as JSON-LD, and a term
//! no context defines would be dropped there while we showed it as signed.

use chrono::{DateTime, SecondsFormat, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::canon::{CanonOptions, canonicalize_with, check_expands};
use super::contexts::VC_V2;
use super::error::{CredentialError, ProofError};

/// The cryptosuite we issue with.
pub const CRYPTOSUITE: &str = "eddsa-rdfc-2022";
/// The JSON Canonicalization Scheme cryptosuite, verified for other issuers' credentials.
pub const CRYPTOSUITE_JCS: &str = "eddsa-jcs-2022";
/// Every cryptosuite [`verify`] accepts.
pub const CRYPTOSUITES: [&str; 2] = [CRYPTOSUITE, CRYPTOSUITE_JCS];
/// The proof type of all Data Integrity cryptosuites.
pub const PROOF_TYPE: &str = "DataIntegrityProof";
/// The only proof purpose we issue and accept: the issuer asserts the credential.
pub const PROOF_PURPOSE: &str = "assertionMethod";

/// What a successful verification established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedProof {
    /// The `verificationMethod` whose key made the signature (a DID URL).
    pub verification_method: String,
    /// When the proof says it was created.
    pub created: DateTime<Utc>,
    /// The cryptosuite of the proof, one of [`CRYPTOSUITES`].
    pub cryptosuite: &'static str,
}

/// Signs `unsecured` (a credential without `proof`) and returns it with `proof` set to an array
/// holding one `DataIntegrityProof` made with `key`, naming `verification_method`, dated
/// `created` (to the second).
pub fn sign(
    unsecured: &Value,
    key: &SigningKey,
    verification_method: &str,
    created: DateTime<Utc>,
) -> Result<Value, CredentialError> {
    sign_with(unsecured, key, verification_method, created, &CanonOptions::default())
}

/// [`sign`] with explicit canonicalization options.
pub fn sign_with(
    unsecured: &Value,
    key: &SigningKey,
    verification_method: &str,
    created: DateTime<Utc>,
    options: &CanonOptions,
) -> Result<Value, CredentialError> {
    sign_suite(unsecured, key, verification_method, created, options, CRYPTOSUITE)
}

/// [`sign_with`] under `eddsa-jcs-2022`. We do not issue with it; it exists to reproduce the
/// W3C vectors and to make test credentials of other issuers.
pub fn sign_jcs_with(
    unsecured: &Value,
    key: &SigningKey,
    verification_method: &str,
    created: DateTime<Utc>,
    options: &CanonOptions,
) -> Result<Value, CredentialError> {
    sign_suite(unsecured, key, verification_method, created, options, CRYPTOSUITE_JCS)
}

fn sign_suite(
    unsecured: &Value,
    key: &SigningKey,
    verification_method: &str,
    created: DateTime<Utc>,
    options: &CanonOptions,
    suite: &'static str,
) -> Result<Value, CredentialError> {
    let Some(fields) = unsecured.as_object() else {
        return Err(CredentialError::Malformed("a credential must be a JSON object".into()));
    };
    if fields.contains_key("proof") {
        return Err(CredentialError::Malformed("the document already has a proof".into()));
    }
    check_context(unsecured).map_err(CredentialError::Malformed)?;
    let config = json!({
        "type": PROOF_TYPE,
        "cryptosuite": suite,
        "created": created.to_rfc3339_opts(SecondsFormat::Secs, true),
        "verificationMethod": verification_method,
        "proofPurpose": PROOF_PURPOSE,
    });
    let signature = key.sign(&SigningInput::for_suite(suite, unsecured, &config, options)?.hash_data());
    let mut proof = config;
    proof["proofValue"] = Value::String(format!("z{}", bs58::encode(signature.to_bytes()).into_string()));
    let mut secured = unsecured.clone();
    secured["proof"] = json!([proof]);
    Ok(secured)
}

/// Verifies the `eddsa-rdfc-2022` or `eddsa-jcs-2022` proof of `secured`, looking its
/// verification method up with `resolve`. `proof` may be one object or an array; exactly one of
/// its proofs must be of those suites (others are not ours to judge and are ignored).
pub fn verify(
    secured: &Value,
    resolve: impl Fn(&str) -> Option<VerifyingKey>,
) -> Result<VerifiedProof, ProofError> {
    verify_with(secured, resolve, &CanonOptions::default())
}

/// [`verify`] with explicit canonicalization options.
pub fn verify_with(
    secured: &Value,
    resolve: impl Fn(&str) -> Option<VerifyingKey>,
    options: &CanonOptions,
) -> Result<VerifiedProof, ProofError> {
    let Some(fields) = secured.as_object() else {
        return Err(ProofError::Malformed("a credential must be a JSON object".into()));
    };
    check_context(secured).map_err(ProofError::Malformed)?;
    let (proof, suite) = select_proof(fields.get("proof"))?;
    let parsed = ParsedProof::parse(proof, secured.get("@context"))?;
    let key = resolve(&parsed.verification_method)
        .ok_or_else(|| ProofError::UnknownKey(parsed.verification_method.clone()))?;

    let mut unsecured = fields.clone();
    unsecured.remove("proof");
    let mut config = proof.clone();
    config.remove("proofValue");
    config.remove("@context");
    let input = SigningInput::for_suite(suite, &Value::Object(unsecured), &Value::Object(config), options)
        .map_err(ProofError::Document)?;
    key.verify_strict(&input.hash_data(), &parsed.signature).map_err(|_| ProofError::Signature)?;
    Ok(VerifiedProof {
        verification_method: parsed.verification_method,
        created: parsed.created,
        cryptosuite: suite,
    })
}

/// `@context` must be the VC 2.0 context or a list starting with it.
fn check_context(doc: &Value) -> Result<(), String> {
    let first = match doc.get("@context") {
        Some(Value::Array(list)) => list.first(),
        Some(single) => Some(single),
        None => None,
    };
    match first.and_then(Value::as_str) {
        Some(VC_V2) => Ok(()),
        _ => Err(format!("@context must start with {VC_V2}")),
    }
}

/// The one proof of a suite we verify among `proof`, and its suite.
fn select_proof(proof: Option<&Value>) -> Result<(&Map<String, Value>, &'static str), ProofError> {
    let proofs: Vec<&Value> = match proof {
        None => return Err(ProofError::Malformed("the credential has no proof".into())),
        Some(Value::Array(list)) => list.iter().collect(),
        Some(one) => vec![one],
    };
    let mut ours = proofs.iter().filter_map(|p| p.as_object()).filter_map(|p| {
        let suite = p.get("cryptosuite").and_then(Value::as_str);
        let suite = CRYPTOSUITES.into_iter().find(|s| Some(*s) == suite)?;
        (p.get("type").and_then(Value::as_str) == Some(PROOF_TYPE)).then_some((p, suite))
    });
    match (ours.next(), ours.next()) {
        (Some(one), None) => Ok(one),
        (Some(_), Some(_)) => Err(ProofError::Malformed("more than one EdDSA Data Integrity proof".into())),
        (None, _) => {
            let found: Vec<String> = proofs
                .iter()
                .map(|p| {
                    let field = |k| p.get(k).and_then(Value::as_str).unwrap_or("?");
                    format!("{} / {}", field("type"), field("cryptosuite"))
                })
                .collect();
            Err(ProofError::Cryptosuite(if found.is_empty() {
                "empty proof list".into()
            } else {
                found.join(", ")
            }))
        }
    }
}

/// The fields of a proof, checked.
struct ParsedProof {
    verification_method: String,
    created: DateTime<Utc>,
    signature: Signature,
}

impl ParsedProof {
    fn parse(proof: &Map<String, Value>, doc_context: Option<&Value>) -> Result<ParsedProof, ProofError> {
        let malformed = |why: &str| ProofError::Malformed(why.to_owned());
        let text = |k: &str| {
            proof.get(k).and_then(Value::as_str).ok_or_else(|| malformed(&format!("{k} is missing")))
        };
        if text("proofPurpose")? != PROOF_PURPOSE {
            return Err(malformed("proofPurpose must be assertionMethod"));
        }
        if proof.contains_key("previousProof") {
            return Err(malformed("proof chains (previousProof) are not supported"));
        }
        // A proof may carry its own @context; we accept it only when it is the document's,
        // which is what the proof configuration is canonicalized under anyway.
        if proof.get("@context").is_some_and(|c| Some(c) != doc_context) {
            return Err(malformed("the proof's @context differs from the document's"));
        }
        let created = DateTime::parse_from_rfc3339(text("created")?)
            .map_err(|_| malformed("created is not an XSD dateTime with a time zone"))?
            .with_timezone(&Utc);
        let value = text("proofValue")?;
        let bytes = value
            .strip_prefix('z')
            .and_then(|b58| bs58::decode(b58).into_vec().ok())
            .ok_or_else(|| malformed("proofValue is not multibase base58btc"))?;
        let bytes: [u8; 64] = bytes.try_into().map_err(|_| malformed("proofValue is not 64 bytes"))?;
        Ok(ParsedProof {
            verification_method: text("verificationMethod")?.to_owned(),
            created,
            signature: Signature::from_bytes(&bytes),
        })
    }
}

/// The two canonical forms a signature covers.
pub(crate) struct SigningInput {
    /// Canonical N-Quads (or JCS) of the proof configuration under the document's `@context`.
    pub(crate) canonical_proof_config: String,
    /// Canonical N-Quads (or JCS) of the document without `proof`.
    pub(crate) canonical_document: String,
}

impl SigningInput {
    fn for_suite(
        suite: &str,
        unsecured: &Value,
        config: &Value,
        options: &CanonOptions,
    ) -> Result<Self, CredentialError> {
        if suite == CRYPTOSUITE_JCS {
            Self::jcs(unsecured, config, options)
        } else {
            Self::new(unsecured, config, options)
        }
    }

    /// The `eddsa-jcs-2022` forms: JCS of the proof configuration (given the document's
    /// `@context` when it has one) and of the document, after the safe-mode check (module doc).
    pub(crate) fn jcs(
        unsecured: &Value,
        config: &Value,
        options: &CanonOptions,
    ) -> Result<Self, CredentialError> {
        check_expands(unsecured, options)?;
        let mut config = config.clone();
        if let Some(ctx) = unsecured.get("@context") {
            config["@context"] = ctx.clone();
        }
        let jcs = |v: &Value| {
            serde_json_canonicalizer::to_string(v)
                .map_err(|e| CredentialError::Malformed(format!("JCS: {e}")))
        };
        Ok(SigningInput { canonical_proof_config: jcs(&config)?, canonical_document: jcs(unsecured)? })
    }

    /// `config` is the proof without `proofValue`; it is given the document's `@context`.
    pub(crate) fn new(
        unsecured: &Value,
        config: &Value,
        options: &CanonOptions,
    ) -> Result<Self, CredentialError> {
        let mut config = config.clone();
        config["@context"] = unsecured.get("@context").cloned().unwrap_or(Value::Null);
        Ok(SigningInput {
            canonical_proof_config: canonicalize_with(&config, options)?,
            canonical_document: canonicalize_with(unsecured, options)?,
        })
    }

    /// SHA-256(proof configuration) ‖ SHA-256(document): the bytes Ed25519 signs.
    pub(crate) fn hash_data(&self) -> [u8; 64] {
        let mut out = [0u8; 64];
        out[..32].copy_from_slice(&Sha256::digest(self.canonical_proof_config.as_bytes()));
        out[32..].copy_from_slice(&Sha256::digest(self.canonical_document.as_bytes()));
        out
    }
}

#[cfg(test)]
mod tests;
