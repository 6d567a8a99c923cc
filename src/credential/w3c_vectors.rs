//! The W3C `eddsa-rdfc-2022` and `eddsa-jcs-2022` test vectors, as published (test only).
//!
//! Source: repository w3c/vc-di-eddsa, commit abb673eb9df673e24a8eaf939337de74759b5f8d
//! (2025-05-15), folder `TestVectors/`: `unsigned.json`, `keyPair.json` and
//! `eddsa-rdfc-2022/*DataInt*` and `eddsa-jcs-2022/*JCS*`, copied unchanged into `testdata/vc-di-eddsa/`. The examples
//! context they use is `contexts/credentials/examples/v2` of w3c/vc-data-model (commit
//! 647f43b3242787f43dfad8ab256dcd47af155df3); it defines everything through `@vocab`, so it is
//! never bundled for production. Licence: W3C Software and Document License.

use super::canon::CanonOptions;
use super::contexts;

/// `TestVectors/unsigned.json`.
pub const UNSIGNED: &str = include_str!("testdata/vc-di-eddsa/unsigned.json");
/// `TestVectors/keyPair.json`.
pub const KEY_PAIR: &str = include_str!("testdata/vc-di-eddsa/keyPair.json");
/// `eddsa-rdfc-2022/proofConfigDataInt.json`.
pub const PROOF_CONFIG: &str = include_str!("testdata/vc-di-eddsa/proofConfigDataInt.json");
/// `eddsa-rdfc-2022/canonDocDataInt.txt`.
pub const CANON_DOC: &str = include_str!("testdata/vc-di-eddsa/canonDocDataInt.txt");
/// `eddsa-rdfc-2022/proofCanonDataInt.txt`.
pub const CANON_PROOF: &str = include_str!("testdata/vc-di-eddsa/proofCanonDataInt.txt");
/// `eddsa-rdfc-2022/docHashDataInt.txt`.
pub const DOC_HASH: &str = include_str!("testdata/vc-di-eddsa/docHashDataInt.txt");
/// `eddsa-rdfc-2022/proofHashDataInt.txt`.
pub const PROOF_HASH: &str = include_str!("testdata/vc-di-eddsa/proofHashDataInt.txt");
/// `eddsa-rdfc-2022/combinedHashDataInt.txt`.
pub const COMBINED_HASH: &str = include_str!("testdata/vc-di-eddsa/combinedHashDataInt.txt");
/// `eddsa-rdfc-2022/sigHexDataInt.txt`.
pub const SIG_HEX: &str = include_str!("testdata/vc-di-eddsa/sigHexDataInt.txt");
/// `eddsa-rdfc-2022/sigBTC58DataInt.txt`.
pub const SIG_BTC58: &str = include_str!("testdata/vc-di-eddsa/sigBTC58DataInt.txt");
/// `eddsa-rdfc-2022/signedDataInt.json`.
pub const SIGNED: &str = include_str!("testdata/vc-di-eddsa/signedDataInt.json");

/// `eddsa-jcs-2022/proofConfigJCS.json`.
pub const JCS_PROOF_CONFIG: &str = include_str!("testdata/vc-di-eddsa/proofConfigJCS.json");
/// `eddsa-jcs-2022/canonDocJCS.txt`.
pub const JCS_CANON_DOC: &str = include_str!("testdata/vc-di-eddsa/canonDocJCS.txt");
/// `eddsa-jcs-2022/proofCanonJCS.txt`.
pub const JCS_CANON_PROOF: &str = include_str!("testdata/vc-di-eddsa/proofCanonJCS.txt");
/// `eddsa-jcs-2022/docHashJCS.txt`.
pub const JCS_DOC_HASH: &str = include_str!("testdata/vc-di-eddsa/docHashJCS.txt");
/// `eddsa-jcs-2022/proofHashJCS.txt`.
pub const JCS_PROOF_HASH: &str = include_str!("testdata/vc-di-eddsa/proofHashJCS.txt");
/// `eddsa-jcs-2022/combinedHashJCS.txt`.
pub const JCS_COMBINED_HASH: &str = include_str!("testdata/vc-di-eddsa/combinedHashJCS.txt");
/// `eddsa-jcs-2022/sigHexJCS.txt`.
pub const JCS_SIG_HEX: &str = include_str!("testdata/vc-di-eddsa/sigHexJCS.txt");
/// `eddsa-jcs-2022/sigBTC58JCS.txt`.
pub const JCS_SIG_BTC58: &str = include_str!("testdata/vc-di-eddsa/sigBTC58JCS.txt");
/// `eddsa-jcs-2022/signedJCS.json`.
pub const JCS_SIGNED: &str = include_str!("testdata/vc-di-eddsa/signedJCS.json");

const EXAMPLES_V2: &str = "https://www.w3.org/ns/credentials/examples/v2";

/// The bundled contexts plus the W3C examples context.
pub fn contexts_with_examples(url: &str) -> Option<&'static str> {
    match url {
        EXAMPLES_V2 => Some(include_str!("testdata/vc-di-eddsa/examples-v2.jsonld")),
        _ => contexts::document(url),
    }
}

/// Canonicalization options able to process the vectors.
pub fn options() -> CanonOptions {
    CanonOptions { contexts: contexts_with_examples, ..CanonOptions::default() }
}

/// A vector file parsed as JSON.
pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("vector is JSON")
}
