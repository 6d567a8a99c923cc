//! Ed25519 signing keys: generation, sealing at rest under the master key, and the public forms
//! verifiers need (Multikey for DID documents, JWK for VC-JWT).

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use ed25519_dalek::{SigningKey, VerifyingKey};
use secrecy::{ExposeSecret, SecretBox};

/// Multicodec prefix of an Ed25519 public key (`0xed 0x01`).
const ED25519_PUB_MULTICODEC: [u8; 2] = [0xed, 0x01];

/// Errors of key handling.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The master key is not 32 bytes of base64.
    #[error("the master key must be 32 bytes, base64-encoded")]
    BadMasterKey,
    /// A sealed key does not open with this master key (wrong key, or tampered).
    #[error("a sealed signing key does not open with this master key")]
    Unseal,
    /// A stored public key does not decode.
    #[error("invalid public key: {0}")]
    BadPublicKey(String),
}

/// The key that seals signing keys at rest. Kept out of the database: whoever has only the
/// database cannot sign.
pub struct MasterKey(SecretBox<[u8; 32]>);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(..)")
    }
}

impl MasterKey {
    /// A fresh random master key.
    pub fn generate() -> MasterKey {
        MasterKey(SecretBox::new(Box::new(XChaCha20Poly1305::generate_key(&mut OsRng).into())))
    }

    /// Parses the base64 form.
    pub fn from_base64(s: &str) -> Result<MasterKey, KeyError> {
        let bytes = STANDARD.decode(s.trim()).map_err(|_| KeyError::BadMasterKey)?;
        let arr: [u8; 32] = bytes.try_into().map_err(|_| KeyError::BadMasterKey)?;
        Ok(MasterKey(SecretBox::new(Box::new(arr))))
    }

    /// The base64 form, for writing the key file once.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0.expose_secret())
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.0.expose_secret().into())
    }

    /// Seals a signing key: base64 of a random 24-byte nonce followed by the ciphertext.
    /// `kid` is bound as associated data, so a sealed key cannot be moved to another row.
    pub fn seal(&self, kid: &str, key: &SigningKey) -> String {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let payload = chacha20poly1305::aead::Payload { msg: key.as_bytes(), aad: kid.as_bytes() };
        let ct = self.cipher().encrypt(&nonce, payload).expect("encryption of 32 bytes cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        STANDARD.encode(out)
    }

    /// Opens a sealed signing key.
    pub fn open(&self, kid: &str, sealed: &str) -> Result<SigningKey, KeyError> {
        let raw = STANDARD.decode(sealed).map_err(|_| KeyError::Unseal)?;
        if raw.len() < 24 {
            return Err(KeyError::Unseal);
        }
        let (nonce, ct) = raw.split_at(24);
        let nonce: [u8; 24] = nonce.try_into().map_err(|_| KeyError::Unseal)?;
        let payload = chacha20poly1305::aead::Payload { msg: ct, aad: kid.as_bytes() };
        let pt = self.cipher().decrypt(&XNonce::from(nonce), payload).map_err(|_| KeyError::Unseal)?;
        let bytes: [u8; 32] = pt.try_into().map_err(|_| KeyError::Unseal)?;
        Ok(SigningKey::from_bytes(&bytes))
    }
}

/// A fresh Ed25519 signing key.
pub fn generate() -> SigningKey {
    SigningKey::generate(&mut OsRng)
}

/// The public key as stored: base64 of the 32 bytes.
pub fn public_to_stored(key: &VerifyingKey) -> String {
    STANDARD.encode(key.as_bytes())
}

/// The stored public key back.
pub fn public_from_stored(s: &str) -> Result<VerifyingKey, KeyError> {
    let bytes = STANDARD.decode(s).map_err(|e| KeyError::BadPublicKey(e.to_string()))?;
    let arr: [u8; 32] = bytes.try_into().map_err(|_| KeyError::BadPublicKey("not 32 bytes".into()))?;
    VerifyingKey::from_bytes(&arr).map_err(|e| KeyError::BadPublicKey(e.to_string()))
}

/// `publicKeyMultibase` of a Multikey: `z` + base58btc(`0xed 0x01` ‖ key). Starts `z6Mk`.
pub fn multikey(key: &VerifyingKey) -> String {
    let mut bytes = ED25519_PUB_MULTICODEC.to_vec();
    bytes.extend_from_slice(key.as_bytes());
    format!("z{}", bs58::encode(bytes).into_string())
}

/// The public key from a Multikey's `publicKeyMultibase`.
pub fn from_multikey(s: &str) -> Result<VerifyingKey, KeyError> {
    let bad = || KeyError::BadPublicKey(format!("'{s}' is not an Ed25519 Multikey"));
    let raw = bs58::decode(s.strip_prefix('z').ok_or_else(bad)?).into_vec().map_err(|_| bad())?;
    let key = raw.strip_prefix(&ED25519_PUB_MULTICODEC[..]).ok_or_else(bad)?;
    let arr: [u8; 32] = key.try_into().map_err(|_| bad())?;
    VerifyingKey::from_bytes(&arr).map_err(|_| bad())
}

/// The public JWK (`kty OKP`, `crv Ed25519`, `x`); never the private `d`.
pub fn jwk(kid: &str, key: &VerifyingKey) -> serde_json::Value {
    serde_json::json!({
        "kty": "OKP",
        "crv": "Ed25519",
        "x": URL_SAFE_NO_PAD.encode(key.as_bytes()),
        "kid": kid,
        "alg": "EdDSA",
        "use": "sig",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_key_opens_only_with_its_master_key_and_kid() {
        let master = MasterKey::generate();
        let key = generate();
        let sealed = master.seal("k1", &key);
        assert_eq!(master.open("k1", &sealed).unwrap().to_bytes(), key.to_bytes());
        assert!(master.open("k2", &sealed).is_err(), "bound to its kid");
        assert!(MasterKey::generate().open("k1", &sealed).is_err(), "bound to its master key");
        let mut tampered = STANDARD.decode(&sealed).unwrap();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(master.open("k1", &STANDARD.encode(tampered)).is_err());
    }

    #[test]
    fn master_keys_round_trip_through_base64() {
        let m = MasterKey::generate();
        let again = MasterKey::from_base64(&m.to_base64()).unwrap();
        let key = generate();
        assert!(again.open("k", &m.seal("k", &key)).is_ok());
        assert!(MasterKey::from_base64("c2hvcnQ=").is_err());
    }

    #[test]
    fn multikeys_start_z6mk_and_round_trip() {
        let key = generate().verifying_key();
        let mk = multikey(&key);
        assert!(mk.starts_with("z6Mk"), "{mk}");
        assert_eq!(from_multikey(&mk).unwrap(), key);
        assert!(from_multikey("z6Mkxyz").is_err());
    }

    #[test]
    fn a_published_multikey_decodes_and_encodes_back_identically() {
        // The public key of the Data Integrity EdDSA Cryptosuites v1.0 examples.
        let mk = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
        assert_eq!(multikey(&from_multikey(mk).unwrap()), mk);
    }

    #[test]
    fn a_jwk_never_holds_the_private_key() {
        let j = jwk("k1", &generate().verifying_key());
        assert_eq!(j["kty"], "OKP");
        assert_eq!(j["crv"], "Ed25519");
        assert!(j.get("d").is_none());
        assert_eq!(URL_SAFE_NO_PAD.decode(j["x"].as_str().unwrap()).unwrap().len(), 32);
    }
}
