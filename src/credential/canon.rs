//! Canonical N-Quads of a JSON-LD document: the bytes a Data Integrity proof signs.
//!
//! Policy: expansion runs in safe mode, as Digital Bazaar's `jsonld` and the 1EdTech
//! validator do: an undefined term, an undefined type or a relative IRI is an error, never
//! silently dropped (dropping would leave that data unsigned). Contexts come only from
//! [`super::contexts`]; an unknown context URL is an error, and nothing is fetched. RDFC-1.0
//! runs with a bound on Hash N-Degree Quads calls, so a poison graph fails fast instead of
//! running for hours. The input JSON text is never normalized.
//!
//! Two paths give the same bytes. The fast path ([`fast`], [`context`]) walks the JSON of a
//! document whose contexts are all bundled, with active contexts processed once per process,
//! and canonicalizes by first-degree hashes when they tell every blank node apart. Whatever it
//! does not model, it declines, and the general path (the `json-ld` crate's expansion, then
//! `rdf-canon`) decides; every refusal comes from the general path. The differential test in
//! `canon/tests.rs` compares the two on generated credentials.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use json_ld::expansion::{Action, Policy};
use json_ld::rdf_types::{self, LiteralType};
use json_ld::syntax::{Parse, Value as LdValue};
use json_ld::{Iri, IriBuf, JsonLdProcessor, LoadError, Loader, Options, RdfQuads, RemoteDocument};
use oxrdf::{BlankNode, Dataset, GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use rdf_canon::CanonicalizationOptions;
use sha2::Sha256;

use super::contexts;
use super::error::CredentialError;

pub mod context;
pub mod fast;

/// Hash N-Degree Quads calls allowed by [`canonicalize`]. A credential's blank nodes almost
/// always have distinct first-degree hashes and need none; a thousand is far above any
/// document we issue and far below what a poison graph asks for.
pub const DEFAULT_HNDQ_CALL_LIMIT: usize = 1_000;

/// How to canonicalize: the call limit and where contexts come from.
#[derive(Clone, Copy, Debug)]
pub struct CanonOptions {
    /// Maximum calls of the RDFC-1.0 Hash N-Degree Quads algorithm (defence against poison
    /// graphs); exceeding it is a [`CredentialError::Canonicalization`].
    pub hndq_call_limit: usize,
    /// The context document for a URL. Production uses [`contexts::document`]; tests add
    /// the W3C examples context for the published test vectors.
    pub contexts: fn(&str) -> Option<&'static str>,
    /// Most quads expansion may produce before RDFC-1.0 starts.
    pub max_quads: usize,
}

impl Default for CanonOptions {
    fn default() -> Self {
        CanonOptions {
            hndq_call_limit: DEFAULT_HNDQ_CALL_LIMIT,
            contexts: contexts::document,
            max_quads: super::limits::Limits::default().max_quads,
        }
    }
}

/// Canonical N-Quads (RDFC-1.0) of `doc` after safe-mode JSON-LD expansion with the bundled
/// contexts.
pub fn canonicalize(doc: &serde_json::Value) -> Result<String, CredentialError> {
    canonicalize_with(doc, &CanonOptions::default())
}

/// [`canonicalize`] with explicit options.
pub fn canonicalize_with(doc: &serde_json::Value, options: &CanonOptions) -> Result<String, CredentialError> {
    let Ok(quads) = fast::quads(doc, options.contexts) else { return canonicalize_general(doc, options) };
    if quads.len() > options.max_quads {
        return Err(too_many_quads(options));
    }
    match quads.canonical() {
        Some(nquads) => Ok(nquads),
        None => rdfc(&quads.dataset(), options),
    }
}

/// [`canonicalize_with`] on the general path only: the `json-ld` crate's expansion and
/// `rdf-canon`. The reference the fast path is compared with.
pub fn canonicalize_general(
    doc: &serde_json::Value,
    options: &CanonOptions,
) -> Result<String, CredentialError> {
    rdfc(&to_dataset(doc, options)?, options)
}

fn rdfc(dataset: &Dataset, options: &CanonOptions) -> Result<String, CredentialError> {
    let rdfc = CanonicalizationOptions { hndq_call_limit: Some(options.hndq_call_limit) };
    rdf_canon::canonicalize_with::<Sha256>(dataset, &rdfc).map_err(|e| canon_err("RDFC-1.0", e))
}

/// Whether `doc` expands in safe mode with the contexts of `options`, without canonicalizing.
pub fn check_expands(doc: &serde_json::Value, options: &CanonOptions) -> Result<(), CredentialError> {
    match fast::quads(doc, options.contexts) {
        Ok(quads) if quads.len() > options.max_quads => Err(too_many_quads(options)),
        Ok(_) => Ok(()),
        Err(_) => to_dataset(doc, options).map(drop),
    }
}

/// The refusal of a document that expands to more quads than `options` allows, on either path.
fn too_many_quads(options: &CanonOptions) -> CredentialError {
    CredentialError::TooLarge(super::limits::LimitExceeded::Quads(options.max_quads))
}

fn canon_err(step: &str, e: impl std::fmt::Display) -> CredentialError {
    CredentialError::Canonicalization { detail: format!("{step}: {e}") }
}

/// JSON-LD expansion (safe mode) and deserialization to RDF.
fn to_dataset(doc: &serde_json::Value, options: &CanonOptions) -> Result<Dataset, CredentialError> {
    let (input, _) = LdValue::parse_str(&doc.to_string()).map_err(|e| canon_err("JSON", e))?;
    let loader = BundledLoader { contexts: options.contexts, missing: RefCell::new(None) };
    // Safe mode: keys and types that are undefined, or expand to something other than an
    // absolute IRI, are rejected rather than dropped.
    let ld_options: Options = Options {
        expansion_policy: Policy { invalid: Action::Reject, vocab: Action::Keep, allow_undefined: false },
        ..Options::default()
    };
    // The loader answers from memory, so the future never waits on I/O.
    let expanded = pollster::block_on(RemoteDocument::new(None, None, input).expand_full(
        &mut (),
        &loader,
        ld_options,
        (),
    ));
    let mut expanded = match expanded {
        Ok(expanded) => expanded,
        Err(e) => {
            return Err(match loader.missing.into_inner() {
                Some(url) => CredentialError::UnknownContext(url),
                None => canon_err("JSON-LD expansion", e),
            });
        }
    };
    // Safe mode, part two: a node reference that is neither an absolute IRI nor a blank node
    // (a relative `id` with no base) would be dropped by the RDF conversion.
    let invalid = expanded.traverse().find_map(|fragment| match fragment.as_id() {
        Some(json_ld::Id::Invalid(s)) => Some(s.clone()),
        _ => None,
    });
    if let Some(bad) = invalid {
        return Err(canon_err("JSON-LD expansion", format!("'{bad}' is not an absolute IRI")));
    }

    let mut generator = rdf_types::generator::Blank::new();
    expanded.relabel_and_canonicalize_with(&mut (), &mut generator);
    let mut dataset = Dataset::new();
    for rdf_types::Quad(s, p, o, g) in expanded.rdf_quads_full(&mut (), &mut generator, None, false).cloned()
    {
        let rdf_types::Id::Iri(p) = p else {
            return Err(canon_err("RDF", "a property is a blank node"));
        };
        let object: Term = match o {
            rdf_types::Term::Id(id) => node(&id)?.into(),
            rdf_types::Term::Literal(l) => match l.type_ {
                LiteralType::Any(t) => Literal::new_typed_literal(l.value, named(t.as_str())?),
                LiteralType::LangString(tag) => Literal::new_language_tagged_literal(l.value, tag.as_str())
                    .map_err(|e| canon_err("RDF", e))?,
            }
            .into(),
        };
        let graph = match g {
            None => GraphName::DefaultGraph,
            Some(g) => node(&g)?.into(),
        };
        dataset.insert(&Quad::new(node(&s)?, named(p.as_str())?, object, graph));
        if dataset.len() > options.max_quads {
            return Err(too_many_quads(options));
        }
    }
    Ok(dataset)
}

fn named(iri: &str) -> Result<NamedNode, CredentialError> {
    NamedNode::new(iri).map_err(|e| canon_err("RDF", e))
}

fn node(id: &rdf_types::Id) -> Result<NamedOrBlankNode, CredentialError> {
    Ok(match id {
        rdf_types::Id::Iri(iri) => named(iri.as_str())?.into(),
        rdf_types::Id::Blank(b) => {
            let label = b.as_str().strip_prefix("_:").unwrap_or(b.as_str());
            BlankNode::new(label).map_err(|e| canon_err("RDF", e))?.into()
        }
    })
}

/// Serves contexts from memory and remembers the first URL it does not have.
struct BundledLoader {
    contexts: fn(&str) -> Option<&'static str>,
    missing: RefCell<Option<String>>,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct LoaderError(String);

impl Loader for BundledLoader {
    async fn load(&self, url: &Iri) -> Result<RemoteDocument<IriBuf>, LoadError> {
        let Some(text) = (self.contexts)(url.as_str()) else {
            self.missing.borrow_mut().get_or_insert_with(|| url.as_str().to_owned());
            return Err(LoadError::new(url.to_owned(), LoaderError("not a bundled context".into())));
        };
        let document = parsed(text).map_err(|e| LoadError::new(url.to_owned(), LoaderError(e)))?;
        Ok(RemoteDocument::new(Some(url.to_owned()), None, document))
    }
}

/// A bundled context parsed once per process. Contexts are `&'static str`, so the address of
/// the text identifies it for the life of the process.
fn parsed(text: &'static str) -> Result<LdValue, String> {
    static CACHE: OnceLock<Mutex<HashMap<usize, LdValue>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Mutex::default);
    let key = text.as_ptr() as usize;
    if let Some(v) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(v);
    }
    let (value, _) = LdValue::parse_str(text).map_err(|e| e.to_string())?;
    if let Ok(mut c) = cache.lock() {
        c.insert(key, value.clone());
    }
    Ok(value)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod differential;
