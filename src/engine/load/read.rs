//! Typed reading of tree nodes. Every reader reports its own problem to the [`Ctx`] and
//! returns `None`, so callers can read every field of a table before giving up on it and the
//! author sees all problems in one run.

use std::ops::Range;

use super::Diagnostic;
use super::tree::{Kind, LineIndex, Node};
use crate::engine::ids::IdError;
use crate::engine::lang::{Text, Title};
use crate::engine::level::Level;

/// Collects diagnostics for one file.
pub(super) struct Ctx<'s> {
    file: &'s str,
    lines: LineIndex<'s>,
    pub diags: Vec<Diagnostic>,
}

impl<'s> Ctx<'s> {
    pub fn new(file: &'s str, source: &'s str) -> Self {
        Self { file, lines: LineIndex::new(source), diags: Vec::new() }
    }

    /// Reports a problem at the start of `span`.
    pub fn error(&mut self, span: &Range<usize>, field: &str, message: impl Into<String>) {
        let (line, column) = self.lines.line_col(span.start);
        let file = self.file.to_owned();
        self.diags.push(Diagnostic { file, line, column, field: field.to_owned(), message: message.into() });
    }

    /// The line `span` starts on, for messages that point back at an earlier definition.
    pub fn line(&self, span: &Range<usize>) -> usize {
        self.lines.line_col(span.start).0
    }

    /// Views `node` as a table whose keys may only be `allowed`; every other key is reported.
    /// `what` names the expected table in the type error.
    pub fn table<'a>(
        &mut self,
        node: &'a Node,
        path: &str,
        allowed: &'static [&'static str],
        what: &str,
    ) -> Option<Fields<'a>> {
        let Kind::Table(entries) = &node.kind else {
            self.error(&node.span, path, format!("expected {what}, found {}", node.kind.describe()));
            return None;
        };
        for e in entries.iter().filter(|e| !allowed.contains(&e.key.as_str())) {
            let hint =
                closest(&e.key, allowed).map(|k| format!(" (did you mean '{k}'?)")).unwrap_or_default();
            self.error(
                &e.key_span,
                &join(path, &e.key),
                format!("unknown field '{}'{hint}; allowed fields here: {}", e.key, allowed.join(", ")),
            );
        }
        Some(Fields { path: path.to_owned(), span: node.span.clone(), entries, allowed })
    }
}

/// A table being read.
pub(super) struct Fields<'a> {
    pub path: String,
    pub span: Range<usize>,
    entries: &'a [super::tree::Entry],
    allowed: &'static [&'static str],
}

impl<'a> Fields<'a> {
    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.entries.iter().find(|e| e.key == key).map(|e| &e.node)
    }

    /// The value of `key`, reporting it as missing at the table's header if absent.
    pub fn require(&self, ctx: &mut Ctx<'_>, key: &str) -> Option<&'a Node> {
        let node = self.get(key);
        if node.is_none() {
            self.missing(ctx, key, format!("missing required field '{key}'"));
        }
        node
    }

    /// Reports `key` as missing at the table's header, unless an unknown key in the table is
    /// most likely a misspelling of it: the "did you mean" already says all there is to say.
    pub fn missing(&self, ctx: &mut Ctx<'_>, key: &str, message: impl Into<String>) {
        let misspelt = self
            .entries
            .iter()
            .any(|e| !self.allowed.contains(&e.key.as_str()) && closest(&e.key, self.allowed) == Some(key));
        if !misspelt {
            ctx.error(&self.span, &self.field(key), message);
        }
    }

    /// The path of field `key` of this table.
    pub fn field(&self, key: &str) -> String {
        join(&self.path, key)
    }
}

/// `path.key`, or just `key` at the top of the file.
pub(super) fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") }
}

/// `path[i]`.
pub(super) fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

fn type_error(ctx: &mut Ctx<'_>, node: &Node, path: &str, expected: &str) {
    ctx.error(&node.span, path, format!("expected {expected}, found {}", node.kind.describe()));
}

/// A string value. TOML can spell any control character as an escape (`\u0000`); none but
/// line breaks and tabs belongs in a framework, and a NUL cannot even be stored by PostgreSQL.
pub(super) fn string<'a>(ctx: &mut Ctx<'_>, node: &'a Node, path: &str) -> Option<&'a str> {
    match &node.kind {
        Kind::Str(s) if s.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')) => {
            ctx.error(&node.span, path, "contains a NUL or another control character");
            None
        }
        Kind::Str(s) => Some(s),
        _ => {
            type_error(ctx, node, path, "a string");
            None
        }
    }
}

/// A string that is not blank.
pub(super) fn non_empty(ctx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<String> {
    let s = string(ctx, node, path)?;
    if s.trim().is_empty() {
        ctx.error(&node.span, path, "must not be empty");
        return None;
    }
    Some(s.to_owned())
}

/// An integer in `min..=max`. A `max` of `u32::MAX` means "no practical upper limit" and is
/// left out of the message.
pub(super) fn int(ctx: &mut Ctx<'_>, node: &Node, path: &str, min: i64, max: i64) -> Option<i64> {
    let Kind::Int(v) = node.kind else {
        type_error(ctx, node, path, "an integer");
        return None;
    };
    if (min..=max).contains(&v) {
        return Some(v);
    }
    let msg = if max == i64::from(u32::MAX) {
        format!("must be at least {min}, got {v}")
    } else {
        format!("must be between {min} and {max}, got {v}")
    };
    ctx.error(&node.span, path, msg);
    None
}

/// A level, written `"E1"`..`"E3"` or `1`..`8` (integer or string).
pub(super) fn level(ctx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Level> {
    let parsed = match &node.kind {
        Kind::Int(n) => {
            u8::try_from(*n).ok().and_then(|l| Level::numbered(l).ok()).ok_or_else(|| n.to_string())
        }
        Kind::Str(s) => s.parse::<Level>().map_err(|_| s.clone()),
        _ => {
            type_error(ctx, node, path, "a level (\"E1\" to \"E3\" or 1 to 8)");
            return None;
        }
    };
    parsed.map_err(|v| ctx.error(&node.span, path, crate::engine::level::LevelOutOfRange(v).to_string())).ok()
}

/// An identifier checked by one of the `ids` parsers.
pub(super) fn ident<T>(
    ctx: &mut Ctx<'_>,
    node: &Node,
    path: &str,
    parse: fn(&str) -> Result<T, IdError>,
) -> Option<T> {
    let s = string(ctx, node, path)?;
    parse(s).map_err(|e| ctx.error(&node.span, path, e.to_string())).ok()
}

/// A list.
pub(super) fn list<'a>(ctx: &mut Ctx<'_>, node: &'a Node, path: &str) -> Option<&'a [Node]> {
    match &node.kind {
        Kind::Array(items) => Some(items),
        _ => {
            type_error(ctx, node, path, "a list");
            None
        }
    }
}

const LANGS: [(&str, &str); 3] = [("sv", "Swedish"), ("fi", "Finnish"), ("en", "English")];

/// The translations of a title or text: `None` for a missing language after reporting it if
/// `required`; `Err` if the table itself is unusable or a required language is missing.
fn translations(
    ctx: &mut Ctx<'_>,
    node: &Node,
    path: &str,
    required: [bool; 3],
    rule: &str,
) -> Result<[Option<String>; 3], ()> {
    let what = "a table of translations { sv = \"…\", fi = \"…\", en = \"…\" }";
    let t = ctx.table(node, path, &["sv", "fi", "en"], what).ok_or(())?;
    let mut ok = true;
    let mut out: [Option<String>; 3] = Default::default();
    for (((tag, name), req), slot) in LANGS.iter().zip(required).zip(out.iter_mut()) {
        let field = t.field(tag);
        match t.get(tag) {
            Some(v) => match string(ctx, v, &field) {
                Some(s) if !s.trim().is_empty() => *slot = Some(s.to_owned()),
                Some(_) if req => {
                    ctx.error(&v.span, &field, format!("{name} ({tag}) translation is empty; {rule}"));
                    ok = false;
                }
                Some(_) => {}
                None => ok = false,
            },
            None if req => {
                t.missing(ctx, tag, format!("missing {name} ({tag}) translation; {rule}"));
                ok = false;
            }
            None => {}
        }
    }
    if ok { Ok(out) } else { Err(()) }
}

/// A title: sv, fi and en all required.
pub(super) fn title(ctx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Title> {
    let rule = "a title needs sv, fi and en";
    match translations(ctx, node, path, [true; 3], rule).ok()? {
        [Some(sv), Some(fi), Some(en)] => Some(Title { sv, fi, en }),
        _ => None,
    }
}

/// A text: sv and en required, fi optional.
pub(super) fn text(ctx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Text> {
    let rule = "a text needs sv and en (fi is optional)";
    match translations(ctx, node, path, [true, false, true], rule).ok()? {
        [Some(sv), fi, Some(en)] => Some(Text { sv, fi, en }),
        _ => None,
    }
}

/// The allowed key nearest to a misspelt one, if it is close enough to be a typo.
fn closest<'k>(key: &str, allowed: &[&'k str]) -> Option<&'k str> {
    allowed
        .iter()
        .map(|a| (distance(key, a), *a))
        .filter(|(d, a)| *d <= 2 && *d < a.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a)
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}
