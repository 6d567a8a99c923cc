//! JSON-LD context documents shipped inside the binary.
//!
//! Policy: contexts are never fetched. Each URL maps to its own exact file (the OB 3.0.2 and
//! 3.0.3 contexts differ, and RDFC signs what the context says), and a URL not listed here is
//! refused by canonicalization. Every context added here widens what we accept as defined
//! terms, so the list is kept to what our credentials use. Sources and licences are in
//! `contexts/README.md`.

/// The W3C Verifiable Credentials Data Model 2.0 context; it must come first in `@context`.
pub const VC_V2: &str = "https://www.w3.org/ns/credentials/v2";
/// The 1EdTech Open Badges 3.0.3 context.
pub const OB_V3P0_3: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// The 1EdTech extensions context (`1EdTechJsonSchemaValidator2019` and friends).
pub const OB_EXTENSIONS: &str = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json";

/// URL → bundled file, one entry per URL.
const BUNDLED: &[(&str, &str)] = &[
    (VC_V2, include_str!("contexts/v2.jsonld")),
    (OB_V3P0_3, include_str!("contexts/ob-context-3.0.3.json")),
    (OB_EXTENSIONS, include_str!("contexts/ob-extensions.json")),
];

/// The bundled context document for `url` (exact match), or `None` if we do not ship it.
pub fn document(url: &str) -> Option<&'static str> {
    BUNDLED.iter().find(|(u, _)| *u == url).map(|(_, text)| *text)
}

/// The URLs of all bundled contexts.
pub fn urls() -> impl Iterator<Item = &'static str> {
    BUNDLED.iter().map(|(u, _)| *u)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_bundled_context_is_a_json_object_with_a_context_entry() {
        for (url, text) in BUNDLED {
            let v: serde_json::Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{url}: {e}"));
            assert!(v.get("@context").is_some_and(|c| c.is_object()), "{url} has no @context object");
        }
    }

    #[test]
    fn each_url_maps_to_exactly_one_file_and_no_file_serves_two_urls() {
        let urls: HashSet<_> = BUNDLED.iter().map(|(u, _)| u).collect();
        assert_eq!(urls.len(), BUNDLED.len(), "duplicate URL");
        let files: HashSet<_> = BUNDLED.iter().map(|(_, t)| t).collect();
        assert_eq!(files.len(), BUNDLED.len(), "one file mapped to two URLs");
    }

    #[test]
    fn lookup_is_exact() {
        assert!(document(VC_V2).is_some());
        assert!(document("https://www.w3.org/ns/credentials/v2/").is_none());
        assert!(document("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json").is_none());
        assert_eq!(urls().count(), BUNDLED.len());
    }
}
