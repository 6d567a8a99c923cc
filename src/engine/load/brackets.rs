//! Single-bracket headers of the lists in a framework file: `[units]` written for `[[units]]`.
//!
//! TOML reads `[units]` as one table, not as an entry of the list of units. Written for the
//! only unit, the file parses and the reader would find a table where a list belongs; written
//! after or before a `[[units]]`, TOML refuses the file with "duplicate key" at whichever of the
//! two headers comes second, often the correct one. So the loader finds these headers itself,
//! reports each at its own line, and reads the rest of the file as if the brackets were
//! doubled: doubling adds characters inside header lines only, so every line number stays true.

use std::ops::Range;

use super::read::{Ctx, index, join};
use super::tree::{Kind, Node};

/// The headers that start an entry of a list.
const LISTS: [&str; 7] = [
    "units",
    "units.outcomes",
    "units.outcomes.criteria",
    "qualifications",
    "qualifications.optional_groups",
    "qualifications.min_credits_at_level",
    "theory_tests",
];

/// A line that looks like a single-bracket header of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Single {
    /// Byte offsets of its `[` and its `]` in the file.
    open: usize,
    close: usize,
    /// The list it names, as in [`LISTS`].
    name: &'static str,
}

/// Every line of `source` that looks like `[units]` (or another list's header with single
/// brackets), outside multi-line strings, in file order. A line inside a multi-line string
/// that the scan mistakes for a header is caught by [`entry_at`], which finds no list entry
/// starting there once the brackets are doubled.
pub(super) fn find(source: &str) -> Vec<Single> {
    let mut found = Vec::new();
    let mut in_string = None;
    let mut start = 0;
    for line in source.split_inclusive('\n') {
        if in_string.is_none()
            && let Some(s) = header(line, start)
        {
            found.push(s);
        } else {
            in_string = multi_line_string(line, in_string);
        }
        start += line.len();
    }
    found
}

/// `line` (starting at byte `start` of the file) as a single-bracket header of a list.
fn header(line: &str, start: usize) -> Option<Single> {
    let indent = line.len() - line.trim_start().len();
    let rest = line.trim_start().strip_prefix('[')?;
    if rest.starts_with('[') {
        return None;
    }
    let inner_len = rest.find(']')?;
    let after = rest[inner_len + 1..].trim_start();
    if !(after.is_empty() || after.starts_with('#')) {
        return None;
    }
    let name: Vec<&str> = rest[..inner_len].split('.').map(str::trim).collect();
    let name = LISTS.into_iter().find(|l| l.split('.').eq(name.iter().copied()))?;
    let open = start + indent;
    Some(Single { open, close: open + 1 + inner_len, name })
}

/// Whether a multi-line string (`"""` or `'''`) is still open after `line`.
fn multi_line_string(line: &str, mut open: Option<&'static str>) -> Option<&'static str> {
    let mut rest = line;
    loop {
        match open {
            Some(delim) => match rest.find(delim) {
                Some(i) => {
                    rest = &rest[i + delim.len()..];
                    open = None;
                }
                None => return open,
            },
            None => {
                let next = ["\"\"\"", "'''"].into_iter().filter_map(|d| rest.find(d).map(|i| (i, d))).min();
                match next {
                    Some((i, delim)) => {
                        rest = &rest[i + delim.len()..];
                        open = Some(delim);
                    }
                    None => return None,
                }
            }
        }
    }
}

impl Single {
    /// The list it names (`units.outcomes`).
    pub fn name(&self) -> &'static str {
        self.name
    }
}

/// `source` with each of `singles` (in file order) given double brackets.
pub(super) fn double(source: &str, singles: &[Single]) -> String {
    let mut out = String::with_capacity(source.len() + 2 * singles.len());
    let mut from = 0;
    for s in singles {
        out.push_str(&source[from..=s.open]);
        out.push('[');
        out.push_str(&source[s.open + 1..s.close]);
        out.push(']');
        from = s.close;
    }
    out.push_str(&source[from..]);
    out
}

/// Where the `i`-th of the singles starts in the doubled text: two bytes later for each one
/// doubled before it.
pub(super) fn doubled_span(singles: &[Single], i: usize) -> Range<usize> {
    let shift = 2 * i;
    singles[i].open + shift..singles[i].close + shift + 3
}

/// The field path (`units[1]`, `units[0].outcomes[2]`) of the list entry whose header starts
/// at byte `at` of the doubled text, if there is one.
pub(super) fn entry_at(root: &Node, at: usize) -> Option<String> {
    fn walk(node: &Node, path: &str, at: usize) -> Option<String> {
        let Kind::Table(entries) = &node.kind else { return None };
        entries.iter().find_map(|e| {
            let path = join(path, &e.key);
            match &e.node.kind {
                Kind::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
                    let path = index(&path, i);
                    if matches!(item.kind, Kind::Table(_)) && item.span.start == at {
                        Some(path)
                    } else {
                        walk(item, &path, at)
                    }
                }),
                Kind::Table(_) => walk(&e.node, &path, at),
                _ => None,
            }
        })
    }
    walk(root, "", at)
}

/// Reports `single`, found at `span` of the text being read, as the entry `field`.
pub(super) fn report(ctx: &mut Ctx<'_>, single: &Single, span: &Range<usize>, field: &str) {
    let name = single.name;
    ctx.error(
        span,
        field,
        format!(
            "[{name}] needs double brackets: write [[{name}]]; with single brackets it is one table, \
             not a new entry in the list"
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_single_bracket_headers_of_lists_only_outside_multi_line_strings() {
        let source = "id = \"f\"\n[units]\n [ units . outcomes ] # note\n[[units]]\n[units.other]\n\
                      text = \"\"\"\n[units]\n\"\"\"\n[qualifications]\n[units] x = 1\n";
        let found: Vec<(usize, &str)> = find(source).iter().map(|s| (s.open, s.name)).collect();
        let at = |needle: &str| source.find(needle).unwrap();
        assert_eq!(
            found,
            [
                (at("[units]\n "), "units"),
                (at("[ units . outcomes ]"), "units.outcomes"),
                (at("[qualifications]"), "qualifications")
            ]
        );
    }

    #[test]
    fn doubling_keeps_every_line_and_the_start_of_each_header() {
        let source = "a = 1\n  [units]\nb = 2\n[units.outcomes]\n";
        let singles = find(source);
        let doubled = double(source, &singles);
        assert_eq!(doubled, "a = 1\n  [[units]]\nb = 2\n[[units.outcomes]]\n");
        assert_eq!(&doubled[doubled_span(&singles, 0)], "[[units]]");
        assert_eq!(&doubled[doubled_span(&singles, 1)], "[[units.outcomes]]");
    }
}
