//! Processed JSON-LD active contexts for the fast path, computed once per process.
//!
//! The general processor turns the VC 2.0 and OB 3.0.3 contexts into active contexts again on
//! every expansion, and again for every type-scoped and property-scoped context it meets. Here
//! an active context is computed once and remembered under the context it came from and the
//! local context applied to it, so a credential's expansion only looks terms up.
//!
//! Only what the bundled contexts use is implemented: term definitions with `@id`, `@type`,
//! `@container` (`@set`, `@list`, `@graph`), `@context` and `@protected`; keyword aliases of `@id`
//! and `@type`; compact IRIs. Anything else (`@vocab`, `@language`, `@import`, `@propagate`,
//! `@reverse`, an inline context in the document, …) is [`Unsupported`]: the caller then runs
//! the general processor, which either handles it or refuses it. The fast path never accepts
//! what the general one would refuse; the differential test in `canon/differential.rs` holds it to that.
//!
//! Memory is bounded: at most [`MAX_CONTEXTS`] active contexts are remembered per process. Once
//! the store is full, a call computes the contexts it still needs for itself ([`Session`]), at
//! most [`MAX_SPILLED`] of them; a document needing more takes the general path.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use serde_json::{Map, Value};

/// Why the fast path declined; the general processor decides instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsupported(pub &'static str);

/// Most active contexts remembered per process. The bundled contexts and their scoped contexts
/// give a few dozen; the rest is headroom for unusual combinations of types. Each holds at most
/// about 90 terms (the VC 2.0 and OB 3.0.3 top levels plus the largest scoped context), so the
/// store stays within a few megabytes whatever anonymous input asks for.
pub const MAX_CONTEXTS: usize = 512;

/// An IRI-expanded term, as a term definition maps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mapping {
    /// `@id` or `@type`, through an alias such as `id` or `type`.
    Keyword(&'static str),
    /// An absolute IRI.
    Iri(Arc<str>),
}

/// What a term's values are, by its `@type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeMapping {
    /// `@id`: a string is an IRI.
    Id,
    /// `@vocab`: a string is a term or an IRI.
    Vocab,
    /// `@json`: a JSON literal (the fast path declines these).
    Json,
    /// A datatype IRI for literals.
    Datatype(Arc<str>),
}

/// A term's `@container`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    None,
    Set,
    List,
    Graph,
}

/// One term definition.
#[derive(Debug, Clone, PartialEq)]
pub struct TermDef {
    pub mapping: Mapping,
    pub type_mapping: Option<TypeMapping>,
    pub container: Container,
    /// A scoped context (type-scoped for a type, property-scoped for a property).
    pub context: Option<&'static Value>,
    pub protected: bool,
    /// Whether the term may be used as the prefix of a compact IRI.
    pub prefix: bool,
}

impl TermDef {
    /// Equal apart from `@protected`: a protected term may be redefined identically.
    fn same_as(&self, other: &TermDef) -> bool {
        self.mapping == other.mapping
            && self.type_mapping == other.type_mapping
            && self.container == other.container
            && self.context == other.context
            && self.prefix == other.prefix
    }
}

/// An active context.
#[derive(Debug, Clone, Default)]
pub struct Active {
    pub terms: HashMap<Arc<str>, TermDef>,
    /// The context to return to on entering a new node object, set by a type-scoped context.
    pub previous: Option<CtxId>,
}

/// An active context's place in the process-wide store.
pub type CtxId = u32;

/// The empty context every document starts from.
pub const INITIAL: CtxId = 0;

/// How a local context is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Apply {
    /// The document's own `@context`.
    Document,
    /// A type-scoped context: does not propagate into nested nodes, respects protection.
    TypeScoped,
    /// A property-scoped context: propagates, and may override protected terms.
    PropertyScoped,
}

/// What a local context is: a scoped context of a bundled context, or a bundled context's text.
#[derive(Debug, Clone, Copy)]
pub enum Local {
    Scoped(&'static Value),
    Bundled(&'static str),
}

impl Local {
    fn key(self) -> usize {
        match self {
            Local::Scoped(v) => v as *const Value as usize,
            Local::Bundled(t) => t.as_ptr() as usize,
        }
    }
}

#[derive(Default)]
struct Store {
    contexts: Vec<Arc<Active>>,
    transitions: HashMap<(CtxId, usize, Apply), CtxId>,
}

fn store() -> &'static RwLock<Store> {
    static STORE: OnceLock<RwLock<Store>> = OnceLock::new();
    STORE.get_or_init(|| {
        RwLock::new(Store { contexts: vec![Arc::new(Active::default())], ..Store::default() })
    })
}

/// Active contexts as one canonicalization sees them: the process-wide store, and the contexts
/// this call needed after the store was full. Those are computed for the call and forgotten with
/// it, so a store filled by odd documents slows nobody down by more than the processing of the
/// contexts they actually use, and memory stays bounded.
pub struct Session {
    spilled: Vec<Arc<Active>>,
    transitions: HashMap<(CtxId, usize, Apply), CtxId>,
    /// Whether the process-wide store is read and filled; tests turn it off to see a call
    /// that finds it full.
    shared: bool,
}

impl Default for Session {
    fn default() -> Self {
        Session { spilled: Vec::new(), transitions: HashMap::new(), shared: true }
    }
}

/// Ids at or above this are a session's own contexts.
const SPILLED: CtxId = 1 << 31;

/// Most contexts one call may compute beyond the store; a document needing more goes to the
/// general path.
pub const MAX_SPILLED: usize = 256;

impl Session {
    /// A session that neither reads nor fills the process-wide store, as when it is full.
    #[cfg(test)]
    pub fn unshared() -> Session {
        Session { shared: false, ..Session::default() }
    }

    /// The active context `id`.
    pub fn get(&self, id: CtxId) -> Arc<Active> {
        if id >= SPILLED {
            return self.spilled[(id - SPILLED) as usize].clone();
        }
        let s = store().read().unwrap_or_else(|e| e.into_inner());
        s.contexts[id as usize].clone()
    }

    /// The active context that results from applying `local` to `from`, computed at most once
    /// per process (or per call, once the store is full).
    pub fn apply(&mut self, from: CtxId, local: Local, how: Apply) -> Result<CtxId, Unsupported> {
        let key = (from, local.key(), how);
        if let Some(&id) = self.transitions.get(&key) {
            return Ok(id);
        }
        if self.shared
            && from < SPILLED
            && let Some(&id) = store().read().unwrap_or_else(|e| e.into_inner()).transitions.get(&key)
        {
            return Ok(id);
        }
        let mut result = (*self.get(from)).clone();
        if how == Apply::TypeScoped && result.previous.is_none() {
            result.previous = Some(from);
        }
        let value = match local {
            Local::Scoped(v) => v,
            Local::Bundled(text) => bundled_context(text)?,
        };
        process(&mut result, value, how == Apply::PropertyScoped)?;
        if self.shared && from < SPILLED {
            let mut s = store().write().unwrap_or_else(|e| e.into_inner());
            if let Some(&id) = s.transitions.get(&key) {
                return Ok(id);
            }
            if s.contexts.len() < MAX_CONTEXTS {
                let id = s.contexts.len() as CtxId;
                s.contexts.push(Arc::new(result));
                s.transitions.insert(key, id);
                return Ok(id);
            }
        }
        if self.spilled.len() >= MAX_SPILLED {
            return Err(Unsupported("too many distinct active contexts"));
        }
        let id = SPILLED + self.spilled.len() as CtxId;
        self.spilled.push(Arc::new(result));
        self.transitions.insert(key, id);
        Ok(id)
    }
}

/// The `@context` value of a bundled context document, parsed once per process. Texts are
/// `&'static str`, so the parsed value can live as long.
fn bundled_context(text: &'static str) -> Result<&'static Value, Unsupported> {
    static PARSED: OnceLock<RwLock<HashMap<usize, &'static Value>>> = OnceLock::new();
    let parsed = PARSED.get_or_init(RwLock::default);
    let key = text.as_ptr() as usize;
    if let Some(v) = parsed.read().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(v);
    }
    let doc: Value = serde_json::from_str(text).map_err(|_| Unsupported("a bundled context is not JSON"))?;
    let Some(ctx) = doc.get("@context") else { return Err(Unsupported("a bundled context has no @context")) };
    // One leak per bundled text, and there are a handful: the store refers to these values for
    // the life of the process.
    let ctx: &'static Value = Box::leak(Box::new(ctx.clone()));
    parsed.write().unwrap_or_else(|e| e.into_inner()).insert(key, ctx);
    Ok(ctx)
}

/// The Context Processing algorithm for one local context that is a JSON object (or an array
/// of them), within the subset described above.
fn process(active: &mut Active, local: &'static Value, override_protected: bool) -> Result<(), Unsupported> {
    match local {
        Value::Array(items) => items.iter().try_for_each(|item| process(active, item, override_protected)),
        Value::Object(map) => {
            let mut protected = false;
            for (key, value) in map {
                match key.as_str() {
                    "@protected" => {
                        protected = value.as_bool().ok_or(Unsupported("@protected not a boolean"))?
                    }
                    "@version" if value.as_f64() == Some(1.1) => {}
                    k if k.starts_with('@') => {
                        return Err(Unsupported("a context keyword the fast path lacks"));
                    }
                    _ => {}
                }
            }
            let mut defining = Defining { local: map, protected, override_protected, state: HashMap::new() };
            for key in map.keys().filter(|k| !k.starts_with('@')) {
                defining.define(active, key)?;
            }
            Ok(())
        }
        _ => Err(Unsupported("a context that is neither an object nor an array")),
    }
}

struct Defining {
    local: &'static Map<String, Value>,
    protected: bool,
    override_protected: bool,
    /// `false` while a term is being defined (a cycle is an error), `true` once done.
    state: HashMap<&'static str, bool>,
}

const GEN_DELIMS: [char; 7] = [':', '/', '?', '#', '[', ']', '@'];

impl Defining {
    /// Create Term Definition (JSON-LD 1.1 API §4.2.2), for the subset.
    fn define(&mut self, active: &mut Active, term: &'static str) -> Result<(), Unsupported> {
        match self.state.get(term) {
            Some(true) => return Ok(()),
            Some(false) => return Err(Unsupported("cyclic term definition")),
            None => {}
        }
        self.state.insert(term, false);
        if term.is_empty() || term.starts_with('@') || term.contains(':') || term.contains('/') {
            return Err(Unsupported("a term the fast path does not define"));
        }
        let previous = active.terms.remove(term);
        let value = &self.local[term];
        let (map, simple) = match value {
            Value::String(s) => (None, Some(s.as_str())),
            Value::Object(m) => (Some(m), None),
            _ => return Err(Unsupported("a term definition that is neither a string nor an object")),
        };
        let entry = |k: &str| -> Option<&'static Value> { map.and_then(|m| m.get(k)) };
        if let Some(m) = map
            && m.keys()
                .any(|k| !matches!(k.as_str(), "@id" | "@type" | "@container" | "@context" | "@protected"))
        {
            return Err(Unsupported("a term definition entry the fast path lacks"));
        }
        let protected = match entry("@protected") {
            Some(v) => v.as_bool().ok_or(Unsupported("@protected not a boolean"))?,
            None => self.protected,
        };
        let type_mapping = match entry("@type") {
            None => None,
            Some(Value::String(t)) => Some(match self.expand(active, t)? {
                Mapping::Keyword(_) => return Err(Unsupported("a keyword as a type mapping")),
                Mapping::Iri(iri) => match &*iri {
                    "@id" => TypeMapping::Id,
                    "@vocab" => TypeMapping::Vocab,
                    "@json" => TypeMapping::Json,
                    t if t.starts_with('@') => return Err(Unsupported("a keyword as a type mapping")),
                    _ if is_absolute_iri(&iri) => TypeMapping::Datatype(iri),
                    _ => return Err(Unsupported("a datatype that is not an absolute IRI")),
                },
            }),
            Some(_) => return Err(Unsupported("@type mapping not a string")),
        };
        let id = simple.or_else(|| entry("@id").and_then(Value::as_str));
        if entry("@id").is_some_and(|v| !v.is_string()) {
            return Err(Unsupported("@id of a term not a string"));
        }
        let Some(id) = id else { return Err(Unsupported("a term without @id and no @vocab")) };
        let mapping = match id {
            "@id" => Mapping::Keyword("@id"),
            "@type" => Mapping::Keyword("@type"),
            k if k.starts_with('@') => return Err(Unsupported("a term aliasing another keyword")),
            _ if id == term => return Err(Unsupported("a term defined as itself")),
            _ => match self.expand(active, id)? {
                Mapping::Iri(iri) if is_absolute_iri(&iri) => Mapping::Iri(iri),
                _ => return Err(Unsupported("a term whose IRI is not absolute")),
            },
        };
        let prefix = simple.is_some() && matches!(&mapping, Mapping::Iri(iri) if iri.ends_with(GEN_DELIMS));
        let container = match entry("@container") {
            None => Container::None,
            Some(Value::String(c)) => match c.as_str() {
                "@set" => Container::Set,
                "@list" => Container::List,
                "@graph" => Container::Graph,
                _ => return Err(Unsupported("a container the fast path lacks")),
            },
            Some(_) => return Err(Unsupported("a container that is not a string")),
        };
        if matches!(mapping, Mapping::Keyword(_)) && (type_mapping.is_some() || container != Container::None)
        {
            return Err(Unsupported("a keyword alias with a type or container"));
        }
        let context = entry("@context");
        let mut definition = TermDef { mapping, type_mapping, container, context, protected, prefix };
        if let Some(prev) = previous
            && prev.protected
            && !self.override_protected
        {
            if !definition.same_as(&prev) {
                return Err(Unsupported("protected term redefinition"));
            }
            definition = prev;
        }
        active.terms.insert(Arc::from(term), definition);
        self.state.insert(term, true);
        Ok(())
    }

    /// IRI Expansion with `vocab` true inside a local context being processed.
    fn expand(&mut self, active: &mut Active, value: &'static str) -> Result<Mapping, Unsupported> {
        if value.starts_with('@') {
            return Ok(Mapping::Iri(Arc::from(value)));
        }
        if self.local.contains_key(value) && self.state.get(value) != Some(&true) {
            self.define(active, value)?;
        }
        if let Some(def) = active.terms.get(value) {
            return Ok(def.mapping.clone());
        }
        if let Some((prefix, suffix)) = value.split_once(':') {
            if prefix.is_empty() || prefix == "_" {
                return Err(Unsupported("a blank node or empty prefix in a context"));
            }
            if !suffix.starts_with("//") {
                if self.local.contains_key(prefix) && self.state.get(prefix) != Some(&true) {
                    self.define(active, prefix)?;
                }
                if let Some(def) = active.terms.get(prefix) {
                    return match &def.mapping {
                        Mapping::Iri(iri) if def.prefix => {
                            Ok(Mapping::Iri(Arc::from(format!("{iri}{suffix}"))))
                        }
                        _ => Err(Unsupported("a compact IRI on a term that is not a prefix")),
                    };
                }
            }
            if is_absolute_iri(value) {
                return Ok(Mapping::Iri(Arc::from(value)));
            }
        }
        Err(Unsupported("a relative IRI in a context"))
    }
}

/// Whether `s` is an absolute IRI that both the general JSON-LD processor (`iref`) and the RDF
/// model (`oxiri`, through `oxrdf`) accept. When they would disagree the general path decides.
pub fn is_absolute_iri(s: &str) -> bool {
    s.contains(':') && json_ld::Iri::new(s).is_ok() && oxrdf::NamedNodeRef::new(s).is_ok()
}
