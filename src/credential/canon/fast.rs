//! The fast path: a credential's JSON straight to RDF quads, and RDFC-1.0 for graphs whose blank
//! nodes are told apart by their first-degree hashes.
//!
//! Why: the general path serialises the document, parses it again, runs the generic JSON-LD
//! expansion (processing the bundled contexts and every scoped context anew), builds an
//! expanded document, converts it to RDF and then runs the general RDFC-1.0 implementation.
//! For a credential whose contexts are all bundled, expansion is a walk over the JSON with
//! term lookups in remembered active contexts ([`super::context`]), and the graph is small and
//! tree-shaped: every blank node has a distinct first-degree hash, and RDFC-1.0 then reduces to
//! sorting those hashes (spec §4.4.3 step 4), with no Hash N-Degree Quads at all.
//!
//! Policy: the fast path only ever answers with the same bytes the general path would give.
//! Whatever it does not model (an inline context, `@value` objects, language maps, `@json`,
//! nested arrays, `@vocab`, a relative IRI, an undefined term, …) makes it decline with
//! [`Unsupported`], and the general processor decides, including every safe-mode refusal, with
//! its own message. When two blank nodes share a first-degree hash, the quads go to the general
//! RDFC-1.0 implementation.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::context::{
    self, Active, Apply, Container, CtxId, Local, Mapping, Session, TermDef, TypeMapping, Unsupported,
};

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const RDF_FIRST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
const RDF_REST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
const RDF_NIL: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";
const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";
const XSD_BOOLEAN: &str = "http://www.w3.org/2001/XMLSchema#boolean";
const XSD_INTEGER: &str = "http://www.w3.org/2001/XMLSchema#integer";
const XSD_DOUBLE: &str = "http://www.w3.org/2001/XMLSchema#double";

/// The canonical lexical form of `xsd:double` as the general processor writes it
/// (`json-ld`'s `XSD_CANONICAL_FLOAT`), so both paths print a number the same way.
const CANONICAL_DOUBLE: pretty_dtoa::FmtFloatConfig =
    pretty_dtoa::FmtFloatConfig::default().force_e_notation().capitalize_e(true);

/// A string of a quad: borrowed from the document, shared with a context, or made here.
#[derive(Debug, Clone)]
enum Text<'a> {
    Doc(&'a str),
    Ctx(Arc<str>),
    Static(&'static str),
    Own(String),
}

impl Text<'_> {
    fn as_str(&self) -> &str {
        match self {
            Text::Doc(s) | Text::Static(s) => s,
            Text::Ctx(s) => s,
            Text::Own(s) => s,
        }
    }
}

impl PartialEq for Text<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}
impl Eq for Text<'_> {}
impl PartialOrd for Text<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Text<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Node<'a> {
    Iri(Text<'a>),
    Blank(u32),
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Object<'a> {
    Node(Node<'a>),
    /// A literal and its datatype; `None` is `xsd:string`.
    Literal(Text<'a>, Option<Text<'a>>),
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Quad<'a> {
    s: Node<'a>,
    p: Text<'a>,
    o: Object<'a>,
    g: Option<u32>,
}

/// The RDF dataset of a document, as the fast path produced it.
#[derive(Debug)]
pub struct Quads<'a> {
    quads: Vec<Quad<'a>>,
    blanks: u32,
}

/// JSON-LD expansion (safe mode, bundled contexts from `contexts`) and conversion to RDF, or
/// [`Unsupported`] when the document needs something the fast path does not model.
pub fn quads<'a>(
    doc: &'a Value,
    contexts: fn(&str) -> Option<&'static str>,
) -> Result<Quads<'a>, Unsupported> {
    quads_in(doc, contexts, Session::default())
}

/// [`quads`] with the active contexts of `session`.
pub fn quads_in<'a>(
    doc: &'a Value,
    contexts: fn(&str) -> Option<&'static str>,
    mut session: Session,
) -> Result<Quads<'a>, Unsupported> {
    let Value::Object(map) = doc else { return Err(Unsupported("the document is not a JSON object")) };
    let mut bundled = |ctx: CtxId, url: &Value| -> Result<CtxId, Unsupported> {
        let text =
            url.as_str().and_then(contexts).ok_or(Unsupported("a context that is not a bundled URL"))?;
        session.apply(ctx, Local::Bundled(text), Apply::Document)
    };
    let mut ctx = context::INITIAL;
    match map.get("@context") {
        None => {}
        Some(Value::Array(urls)) => {
            for url in urls {
                ctx = bundled(ctx, url)?;
            }
        }
        Some(url) => ctx = bundled(ctx, url)?,
    }
    let mut walker = Walker { quads: Vec::new(), blanks: 0, labels: HashMap::new(), contexts: session };
    walker.node(ctx, None, map, None, true)?;
    let mut quads = walker.quads;
    quads.sort_unstable();
    quads.dedup();
    Ok(Quads { quads, blanks: walker.blanks })
}

struct Walker<'a> {
    quads: Vec<Quad<'a>>,
    blanks: u32,
    /// Blank node labels written in the document (`_:x`), by label.
    labels: HashMap<&'a str, u32>,
    contexts: Session,
}

/// The keyword a key stands for in `active`: itself if it is one, or the keyword a term aliases.
fn keyword<'k>(active: &Active, key: &'k str) -> Option<&'k str> {
    if key.starts_with('@') {
        return Some(key);
    }
    match active.terms.get(key).map(|d| &d.mapping) {
        Some(Mapping::Keyword(k)) => Some(k),
        _ => None,
    }
}

impl<'a> Walker<'a> {
    fn fresh(&mut self) -> u32 {
        self.blanks += 1;
        self.blanks - 1
    }

    fn push(&mut self, s: &Node<'a>, p: Text<'a>, o: Object<'a>, g: Option<u32>) {
        self.quads.push(Quad { s: s.clone(), p, o, g });
    }

    /// Expands the node object `map` (JSON-LD 1.1 Expansion, steps 7–13, for the subset) and
    /// emits its quads into graph `g`; returns its subject.
    fn node(
        &mut self,
        ctx: CtxId,
        property: Option<&TermDef>,
        map: &'a Map<String, Value>,
        g: Option<u32>,
        top: bool,
    ) -> Result<Node<'a>, Unsupported> {
        let mut active_id = ctx;
        let entering = self.contexts.get(ctx);
        // A type-scoped context does not reach into a new node object (step 7).
        if let Some(previous) = entering.previous {
            let only_id = map.len() == 1 && map.keys().all(|k| keyword(&entering, k) == Some("@id"));
            if !only_id {
                active_id = previous;
            }
        }
        // The property-scoped context of the property this node is a value of (step 8).
        if let Some(scoped) = property.and_then(|d| d.context) {
            active_id = self.contexts.apply(active_id, Local::Scoped(scoped), Apply::PropertyScoped)?;
        }
        let type_scoped = self.contexts.get(active_id);
        let mut type_key = None;
        for key in map.keys() {
            if top && key == "@context" {
                continue;
            }
            if keyword(&type_scoped, key) == Some("@type") {
                if type_key.is_some() {
                    return Err(Unsupported("two @type entries"));
                }
                type_key = Some(key.as_str());
            }
        }
        let mut types: Vec<&'a str> = match type_key.map(|k| &map[k]) {
            None => Vec::new(),
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts
                .iter()
                .map(|t| t.as_str().ok_or(Unsupported("a type that is not a string")))
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(Unsupported("@type is neither a string nor an array")),
        };
        // Type-scoped contexts apply in lexicographic order of the types (step 11).
        types.sort_unstable();
        for t in &types {
            if let Some(scoped) = type_scoped.terms.get(*t).and_then(|d| d.context) {
                active_id = self.contexts.apply(active_id, Local::Scoped(scoped), Apply::TypeScoped)?;
            }
        }
        let active = self.contexts.get(active_id);

        let mut subject = None;
        for (key, value) in map {
            if top && key == "@context" {
                continue;
            }
            match keyword(&active, key) {
                Some("@id") => {
                    let Value::String(id) = value else { return Err(Unsupported("@id is not a string")) };
                    if subject.is_some() {
                        return Err(Unsupported("two @id entries"));
                    }
                    subject = Some(self.reference(&active, id, false)?);
                }
                Some("@type") if Some(key.as_str()) == type_key => {}
                Some(_) => return Err(Unsupported("a keyword the fast path does not model")),
                None => {}
            }
        }
        let subject = match subject {
            Some(s) => s,
            None => Node::Blank(self.fresh()),
        };
        for t in types {
            match self.reference(&type_scoped, t, true)? {
                iri @ Node::Iri(_) => self.push(&subject, Text::Static(RDF_TYPE), Object::Node(iri), g),
                Node::Blank(_) => return Err(Unsupported("a blank node as a type")),
            }
        }
        for (key, value) in map {
            if (top && key == "@context") || keyword(&active, key).is_some() {
                continue;
            }
            let (predicate, def) = match active.terms.get(key.as_str()) {
                Some(def) => match &def.mapping {
                    Mapping::Iri(iri) => (Text::Ctx(iri.clone()), Some(def)),
                    Mapping::Keyword(_) => return Err(Unsupported("a keyword alias as a property")),
                },
                None => match self.reference(&active, key, true)? {
                    Node::Iri(iri) => (iri, None),
                    Node::Blank(_) => return Err(Unsupported("a blank node as a property")),
                },
            };
            self.property(active_id, key, predicate, def, value, &subject, g)?;
        }
        Ok(subject)
    }

    /// The values of one property of `subject`.
    #[allow(clippy::too_many_arguments)]
    fn property(
        &mut self,
        ctx: CtxId,
        key: &'a str,
        predicate: Text<'a>,
        def: Option<&TermDef>,
        value: &'a Value,
        subject: &Node<'a>,
        g: Option<u32>,
    ) -> Result<(), Unsupported> {
        let items = match value {
            Value::Null => return Ok(()),
            Value::Array(items) => &items[..],
            single => std::slice::from_ref(single),
        };
        let container = def.map_or(Container::None, |d| d.container);
        match container {
            Container::List => {
                let mut objects = Vec::with_capacity(items.len());
                for item in items {
                    if item.is_array() {
                        return Err(Unsupported("a list of lists"));
                    }
                    if !item.is_null() {
                        objects.push(self.value(ctx, key, def, item, g)?);
                    }
                }
                let mut head = Object::Node(Node::Iri(Text::Static(RDF_NIL)));
                for object in objects.into_iter().rev() {
                    let cell = Node::Blank(self.fresh());
                    self.push(&cell, Text::Static(RDF_FIRST), object, g);
                    self.push(&cell, Text::Static(RDF_REST), head, g);
                    head = Object::Node(cell);
                }
                self.push(subject, predicate, head, g);
            }
            Container::Graph => {
                for item in items {
                    let Value::Object(inner) = item else {
                        return Err(Unsupported("a graph container value that is not a node object"));
                    };
                    let graph = self.fresh();
                    self.push(subject, predicate.clone(), Object::Node(Node::Blank(graph)), g);
                    self.node(ctx, def, inner, Some(graph), false)?;
                }
            }
            Container::None | Container::Set => {
                for item in items {
                    match item {
                        Value::Null => {}
                        Value::Array(_) => return Err(Unsupported("an array in an array")),
                        item => {
                            let object = self.value(ctx, key, def, item, g)?;
                            self.push(subject, predicate.clone(), object, g);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// One value of property `key`: a nested node object or a scalar.
    fn value(
        &mut self,
        ctx: CtxId,
        key: &'a str,
        def: Option<&TermDef>,
        item: &'a Value,
        g: Option<u32>,
    ) -> Result<Object<'a>, Unsupported> {
        if let Value::Object(inner) = item {
            return Ok(Object::Node(self.node(ctx, def, inner, g, false)?));
        }
        // A scalar is expanded under the property-scoped context, where the property's own
        // definition (its type mapping) is looked up again (step 4).
        let scoped;
        let (active, def) = match def.and_then(|d| d.context) {
            Some(local) => {
                let id = self.contexts.apply(ctx, Local::Scoped(local), Apply::PropertyScoped)?;
                scoped = self.contexts.get(id);
                (&*scoped, scoped.terms.get(key))
            }
            None => {
                scoped = self.contexts.get(ctx);
                (&*scoped, def)
            }
        };
        let type_mapping = def.and_then(|d| d.type_mapping.as_ref());
        let datatype = match type_mapping {
            Some(TypeMapping::Json) => return Err(Unsupported("a JSON literal")),
            Some(TypeMapping::Datatype(dt)) if &**dt == XSD_STRING => None,
            Some(TypeMapping::Datatype(dt)) => Some(Text::Ctx(dt.clone())),
            _ => None,
        };
        Ok(match item {
            Value::String(s) => match type_mapping {
                Some(TypeMapping::Id) => Object::Node(self.reference(active, s, false)?),
                Some(TypeMapping::Vocab) => Object::Node(self.reference(active, s, true)?),
                _ => Object::Literal(Text::Doc(s), datatype),
            },
            Value::Bool(b) => Object::Literal(
                Text::Static(if *b { "true" } else { "false" }),
                Some(datatype.unwrap_or(Text::Static(XSD_BOOLEAN))),
            ),
            Value::Number(n) => {
                // The general path rewrites a number in its canonical JSON form (ECMAScript's
                // Number::toString) before deciding: an integral double such as 7.0 becomes the
                // integer 7, and -0.0 becomes 0. Beyond ±2^53 that form rounds the digits; those
                // numbers are left to it.
                const SAFE: f64 = 9_007_199_254_740_992.0;
                let f =
                    n.as_f64().filter(|f| f.is_finite()).ok_or(Unsupported("a number that is not finite"))?;
                let double = datatype.as_ref().is_some_and(|d| d.as_str() == XSD_DOUBLE);
                if f.fract() == 0.0 && f.abs() > SAFE {
                    return Err(Unsupported("an integer beyond 2^53"));
                }
                if f.fract() == 0.0 && !double {
                    #[allow(clippy::cast_possible_truncation)]
                    let i = f as i64;
                    Object::Literal(
                        Text::Own(i.to_string()),
                        Some(datatype.unwrap_or(Text::Static(XSD_INTEGER))),
                    )
                } else {
                    Object::Literal(
                        Text::Own(pretty_dtoa::dtoa(f, CANONICAL_DOUBLE)),
                        Some(datatype.unwrap_or(Text::Static(XSD_DOUBLE))),
                    )
                }
            }
            _ => return Err(Unsupported("an unexpected value")),
        })
    }

    /// IRI Expansion of a document string (an `@id`, a type, a key or an IRI-typed value), with
    /// `vocab` deciding whether terms count. Relative IRIs have no base here: safe mode refuses
    /// them, so the fast path declines.
    fn reference(&mut self, active: &Active, value: &'a str, vocab: bool) -> Result<Node<'a>, Unsupported> {
        if value.starts_with('@') {
            return Err(Unsupported("a keyword where an IRI belongs"));
        }
        if vocab && let Some(def) = active.terms.get(value) {
            return match &def.mapping {
                Mapping::Iri(iri) => Ok(Node::Iri(Text::Ctx(iri.clone()))),
                Mapping::Keyword(_) => Err(Unsupported("a keyword alias where an IRI belongs")),
            };
        }
        let Some((prefix, suffix)) = value.split_once(':') else {
            return Err(Unsupported("a relative IRI or an undefined term"));
        };
        if prefix == "_" {
            if suffix.is_empty() || !suffix.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(Unsupported("a blank node label the fast path does not model"));
            }
            let next = self.blanks;
            let id = *self.labels.entry(value).or_insert(next);
            if id == next {
                self.blanks += 1;
            }
            return Ok(Node::Blank(id));
        }
        if prefix.is_empty() {
            return Err(Unsupported("a relative IRI"));
        }
        if !suffix.starts_with("//")
            && let Some(def) = active.terms.get(prefix)
            && let (Mapping::Iri(iri), true) = (&def.mapping, def.prefix)
        {
            let iri = format!("{iri}{suffix}");
            if !context::is_absolute_iri(&iri) {
                return Err(Unsupported("a compact IRI that expands to no IRI"));
            }
            return Ok(Node::Iri(Text::Own(iri)));
        }
        if !context::is_absolute_iri(value) {
            return Err(Unsupported("not an absolute IRI"));
        }
        Ok(Node::Iri(Text::Doc(value)))
    }
}

impl Quads<'_> {
    /// Distinct quads in the dataset.
    pub fn len(&self) -> usize {
        self.quads.len()
    }

    /// Whether the dataset is empty.
    pub fn is_empty(&self) -> bool {
        self.quads.is_empty()
    }

    /// The canonical N-Quads (RDFC-1.0) when every blank node has its own first-degree hash;
    /// `None` when two share one, and Hash N-Degree Quads is needed.
    pub fn canonical(&self) -> Option<String> {
        let mut mentions: Vec<Vec<usize>> = vec![Vec::new(); self.blanks as usize];
        for (i, q) in self.quads.iter().enumerate() {
            for b in q.blanks() {
                let m = &mut mentions[b as usize];
                if m.last() != Some(&i) {
                    m.push(i);
                }
            }
        }
        // Hash First Degree Quads (§4.6) for every blank node in the dataset.
        let mut hashes: Vec<([u8; 32], u32)> = Vec::new();
        let mut lines: Vec<String> = Vec::new();
        for (b, quads) in mentions.iter().enumerate() {
            if quads.is_empty() {
                continue;
            }
            let b = b as u32;
            lines.clear();
            for &i in quads {
                let mut line = String::with_capacity(160);
                self.quads[i].write(&mut line, |n| if n == b { "a".into() } else { "z".into() });
                line.push_str(" .\n");
                lines.push(line);
            }
            lines.sort_unstable();
            let mut h = Sha256::new();
            for l in &lines {
                h.update(l.as_bytes());
            }
            hashes.push((h.finalize().into(), b));
        }
        hashes.sort_unstable();
        if hashes.windows(2).any(|w| w[0].0 == w[1].0) {
            return None;
        }
        // Unique hashes: canonical identifiers are issued in hash order (§4.4.3 step 4).
        let mut label = vec![0usize; self.blanks as usize];
        for (n, (_, b)) in hashes.iter().enumerate() {
            label[*b as usize] = n;
        }
        let mut out: Vec<String> = self
            .quads
            .iter()
            .map(|q| {
                let mut line = String::with_capacity(160);
                q.write(&mut line, |n| format!("c14n{}", label[n as usize]).into());
                line
            })
            .collect();
        // Sorted as the general implementation sorts: by the statement without its " .".
        out.sort_unstable();
        let mut nquads = String::with_capacity(out.iter().map(|l| l.len() + 3).sum());
        for l in out {
            nquads.push_str(&l);
            nquads.push_str(" .\n");
        }
        Some(nquads)
    }

    /// The same quads as an `oxrdf` dataset, for the general RDFC-1.0 implementation.
    pub fn dataset(&self) -> oxrdf::Dataset {
        use oxrdf::{BlankNode, GraphName, Literal, NamedNode, NamedOrBlankNode, Term};
        let node = |n: &Node| -> NamedOrBlankNode {
            match n {
                Node::Iri(i) => NamedNode::new_unchecked(i.as_str()).into(),
                Node::Blank(b) => BlankNode::new_unchecked(format!("b{b}")).into(),
            }
        };
        self.quads
            .iter()
            .map(|q| {
                let object: Term = match &q.o {
                    Object::Node(n) => node(n).into(),
                    Object::Literal(v, None) => Literal::new_simple_literal(v.as_str()).into(),
                    Object::Literal(v, Some(dt)) => {
                        Literal::new_typed_literal(v.as_str(), NamedNode::new_unchecked(dt.as_str())).into()
                    }
                };
                let graph = match q.g {
                    None => GraphName::DefaultGraph,
                    Some(b) => BlankNode::new_unchecked(format!("b{b}")).into(),
                };
                oxrdf::Quad::new(node(&q.s), NamedNode::new_unchecked(q.p.as_str()), object, graph)
            })
            .collect()
    }
}

impl Quad<'_> {
    fn blanks(&self) -> impl Iterator<Item = u32> {
        let s = match self.s {
            Node::Blank(b) => Some(b),
            Node::Iri(_) => None,
        };
        let o = match self.o {
            Object::Node(Node::Blank(b)) => Some(b),
            _ => None,
        };
        s.into_iter().chain(o).chain(self.g)
    }

    /// The statement in canonical N-Quads form, without the final " .", blank nodes labelled by
    /// `label` (oxrdf's `Display` of a quad, which the general implementation uses).
    fn write(&self, out: &mut String, label: impl Fn(u32) -> std::borrow::Cow<'static, str>) {
        let node = |out: &mut String, n: &Node| match n {
            Node::Iri(i) => {
                out.push('<');
                out.push_str(i.as_str());
                out.push('>');
            }
            Node::Blank(b) => {
                out.push_str("_:");
                out.push_str(&label(*b));
            }
        };
        node(out, &self.s);
        out.push_str(" <");
        out.push_str(self.p.as_str());
        out.push_str("> ");
        match &self.o {
            Object::Node(n) => node(out, n),
            Object::Literal(v, dt) => {
                quoted(out, v.as_str());
                if let Some(dt) = dt {
                    out.push_str("^^<");
                    out.push_str(dt.as_str());
                    out.push('>');
                }
            }
        }
        if let Some(g) = self.g {
            out.push(' ');
            node(out, &Node::Blank(g));
        }
    }
}

/// A literal's lexical form in canonical N-Quads: the escapes of RDFC-1.0 (as `oxrdf` writes
/// them), everything else as is.
fn quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '\u{08}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{0C}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\0'..='\u{1F}' | '\u{7F}' => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            _ => out.push(c),
        }
    }
    out.push('"');
}
