//! A small spanned tree of the TOML document and byte offset to line/column conversion.
//!
//! toml_edit has four shapes for a table (header, dotted, inline, array of tables) and two for
//! an array; the checker only cares about "a table" and "an array", so the document is copied
//! once into this uniform tree where every node and key carries a byte span.

use std::ops::Range;

use toml_edit::{Item, Key, Value};

/// A value with the byte range it was written at.
#[derive(Debug)]
pub(super) struct Node {
    pub kind: Kind,
    pub span: Range<usize>,
}

/// The shape of a value.
#[derive(Debug)]
pub(super) enum Kind {
    Str(String),
    Int(i64),
    Float,
    Bool,
    Datetime,
    Array(Vec<Node>),
    Table(Vec<Entry>),
}

/// One `key = value` of a table.
#[derive(Debug)]
pub(super) struct Entry {
    pub key: String,
    pub key_span: Range<usize>,
    pub node: Node,
}

impl Kind {
    /// The type as a framework author would name it, for "expected X, found Y".
    pub fn describe(&self) -> &'static str {
        match self {
            Kind::Str(_) => "a string",
            Kind::Int(_) => "an integer",
            Kind::Float => "a decimal number",
            Kind::Bool => "true/false",
            Kind::Datetime => "a date",
            Kind::Array(_) => "a list",
            Kind::Table(_) => "a table",
        }
    }
}

/// Copies a parsed document into the uniform tree.
pub(super) fn from_document(root: &toml_edit::Table) -> Node {
    table(root, 0..0)
}

fn or(span: Option<Range<usize>>, fallback: &Range<usize>) -> Range<usize> {
    span.unwrap_or_else(|| fallback.clone())
}

fn key_span(key: Option<&Key>, fallback: &Range<usize>) -> Range<usize> {
    or(key.and_then(Key::span), fallback)
}

fn table(t: &toml_edit::Table, fallback: Range<usize>) -> Node {
    let span = or(t.span(), &fallback);
    let entries = t
        .iter()
        .filter(|(_, item)| !item.is_none())
        .map(|(k, item)| {
            let key_span = key_span(t.key(k), &span);
            let node = item_node(item, key_span.clone());
            Entry { key: k.to_owned(), key_span, node }
        })
        .collect();
    Node { kind: Kind::Table(entries), span }
}

fn item_node(item: &Item, fallback: Range<usize>) -> Node {
    match item {
        Item::Value(v) => value(v, fallback),
        Item::Table(t) => table(t, fallback),
        Item::ArrayOfTables(a) => {
            let span = or(a.span(), &fallback);
            let elements = a.iter().map(|t| table(t, span.clone())).collect();
            Node { kind: Kind::Array(elements), span }
        }
        Item::None => Node { kind: Kind::Table(Vec::new()), span: fallback },
    }
}

fn value(v: &Value, fallback: Range<usize>) -> Node {
    let span = or(v.span(), &fallback);
    let kind = match v {
        Value::String(s) => Kind::Str(s.value().clone()),
        Value::Integer(i) => Kind::Int(*i.value()),
        Value::Float(_) => Kind::Float,
        Value::Boolean(_) => Kind::Bool,
        Value::Datetime(_) => Kind::Datetime,
        Value::Array(a) => Kind::Array(a.iter().map(|e| value(e, span.clone())).collect()),
        Value::InlineTable(t) => Kind::Table(
            t.iter()
                .map(|(k, e)| {
                    let key_span = key_span(t.key(k), &span);
                    let node = value(e, key_span.clone());
                    Entry { key: k.to_owned(), key_span, node }
                })
                .collect(),
        ),
    };
    Node { kind, span }
}

/// Converts byte offsets into 1-based line and column numbers.
pub(super) struct LineIndex<'s> {
    source: &'s str,
    line_starts: Vec<usize>,
}

impl<'s> LineIndex<'s> {
    /// Indexes `source`.
    pub fn new(source: &'s str) -> Self {
        let line_starts = std::iter::once(0).chain(source.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Self { source, line_starts }
    }

    /// Line and column of byte `offset`. Columns count characters, not bytes, so that an
    /// editor's column matches on lines with å, ä, ö.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset).max(1);
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        let column = self.source.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
        (line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_lines_start_at_one() {
        let idx = LineIndex::new("a = 1\nå = \"ö\"\n");
        assert_eq!(idx.line_col(0), (1, 1));
        assert_eq!(idx.line_col(6), (2, 1));
        assert_eq!(idx.line_col(9), (2, 3)); // byte 9 is the '=' after the two-byte 'å'
        assert_eq!(idx.line_col(10_000), (3, 1));
    }
}
