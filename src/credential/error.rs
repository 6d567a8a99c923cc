//! Errors of the credential layer.
//!
//! Policy: one `thiserror` enum per concern. `CredentialError` is what producing a credential
//! (canonicalizing, signing, encoding) can fail with; `ProofError` is the verdict of checking a
//! Data Integrity proof, with one variant per outcome a verification report must tell apart.
//! Details are for logs and reports; none carries key material.

/// Failures while canonicalizing, signing or encoding a credential.
#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    /// JSON-LD expansion or RDFC-1.0 failed: an undefined term or type (safe mode), a relative
    /// IRI, an invalid literal, or a graph over the canonicalization call limit.
    #[error("canonicalization failed: {detail}")]
    Canonicalization {
        /// What the processor reported.
        detail: String,
    },
    /// `@context` names a URL we do not bundle; contexts are never fetched.
    #[error("unknown JSON-LD context {0}: only bundled contexts are loaded")]
    UnknownContext(String),
    /// The document does not have the shape this operation needs.
    #[error("malformed credential: {0}")]
    Malformed(String),
    /// The signing key cannot be used.
    #[error("key error: {0}")]
    Key(String),
    /// A signature does not match: the token was altered, or signed by another key.
    #[error("signature invalid: altered, or not signed by this key")]
    Signature,
    /// The key id names no key we know.
    #[error("unknown key {0}")]
    UnknownKey(String),
    /// Over one of the bounds on a presented credential.
    #[error(transparent)]
    TooLarge(#[from] super::limits::LimitExceeded),
    /// A VC-JWT's header names another algorithm than EdDSA (`none` included).
    #[error("VC-JWT signed with {0}; only EdDSA is accepted")]
    Algorithm(String),
    /// Encoding or decoding a VC-JWT failed, or its claims disagree with the credential.
    #[error("VC-JWT: {0}")]
    Jwt(String),
}

/// Why a Data Integrity proof did not verify. Each variant is a distinct reported outcome.
#[derive(Debug, thiserror::Error)]
pub enum ProofError {
    /// The signature does not match: the credential was altered or forged, or signed with
    /// another key than the one its verification method names.
    #[error("signature invalid: the credential was altered or not signed by this key")]
    Signature,
    /// The proof or the document around it is not a well-formed `eddsa-rdfc-2022` proof
    /// (missing fields, bad `proofValue`, wrong `proofPurpose`, `@context` order).
    #[error("malformed proof: {0}")]
    Malformed(String),
    /// The document cannot be canonicalized (undefined term, unknown context, …); reported as
    /// malformed.
    #[error("document cannot be canonicalized: {0}")]
    Document(#[source] CredentialError),
    /// The `verificationMethod` does not resolve to a key we know for its controller.
    #[error("unknown verification method {0}")]
    UnknownKey(String),
    /// There is a proof, but none of type `DataIntegrityProof` with `eddsa-rdfc-2022` or
    /// `eddsa-jcs-2022`.
    #[error(
        "unsupported proof: {0}; only DataIntegrityProof with eddsa-rdfc-2022 or eddsa-jcs-2022 is accepted"
    )]
    Cryptosuite(String),
}
