//! Fixed keys for tests. NEVER USE IN PRODUCTION: these private keys are published.
//!
//! Compiled only under `cfg(test)`. Ed25519 is deterministic, so a fixed key and a fixed
//! `created` give byte-stable signatures for golden files.

use ed25519_dalek::SigningKey;

/// The issuer DID of test credentials.
pub const ISSUER_DID: &str = "did:web:validera.example";
/// The verification method of [`issuer_key`] in the issuer's DID document; also its JWT `kid`.
pub const VERIFICATION_METHOD: &str = "did:web:validera.example#key-1";

/// The issuer's signing key: the secret key of RFC 8032 §7.1 TEST 1, public on purpose.
pub fn issuer_key() -> SigningKey {
    let seed =
        hex::decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60").expect("valid hex");
    SigningKey::from_bytes(&seed.try_into().expect("32 bytes"))
}

/// Another key, for "signed by the wrong key" tests: RFC 8032 §7.1 TEST 2.
pub fn other_key() -> SigningKey {
    let seed =
        hex::decode("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb").expect("valid hex");
    SigningKey::from_bytes(&seed.try_into().expect("32 bytes"))
}

/// The key pair of the W3C vc-di-eddsa test vectors (`TestVectors/keyPair.json`):
/// `privateKeyMultibase` is `z` + base58btc(`0x80 0x26` ‖ 32-byte seed).
pub fn w3c_vector_key() -> SigningKey {
    let multibase = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq";
    let raw = bs58::decode(&multibase[1..]).into_vec().expect("base58btc");
    assert_eq!(&raw[..2], &[0x80, 0x26], "multicodec ed25519-priv");
    SigningKey::from_bytes(&raw[2..].try_into().expect("32 bytes"))
}
