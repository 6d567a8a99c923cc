//! Loads a framework from its TOML text, with precise diagnostics (file, line, column, field).
//!
//! The text is parsed with toml_edit, which keeps the byte span of every key and value, copied
//! into a small spanned tree (`tree`) and then read field by field (`units`, `quals`).
//! Readers report a problem and carry on, so one run shows the author every mistake in the
//! file; the format itself is documented for framework authors in `docs/frameworks.md`.

mod brackets;
mod quals;
mod read;
mod theory_tests;
mod tree;
mod units;

#[cfg(test)]
mod tests;

use super::framework::Framework;

/// One problem in a framework file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// File name as given to [`parse`].
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Dotted path of the field (`units[2].outcomes[0].criteria[1].methods`).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}: {}: {}", self.file, self.line, self.column, self.field, self.message)
    }
}

/// Parses and checks a framework file, reporting every problem found, not only the first.
/// Diagnostics come in file order. A TOML syntax error is reported alone (with the field
/// `syntax`), because nothing after it can be read reliably; a list's header written with single
/// brackets (`[units]`) is the exception, reported at its own line, and the rest of the file is
/// read as if it had double brackets (see `brackets`).
pub fn parse(file: &str, source: &str) -> Result<Framework, Vec<Diagnostic>> {
    read_doubling(file, source, brackets::find(source))
}

/// Reads `source` with the headers `singles` given double brackets.
fn read_doubling(
    file: &str,
    source: &str,
    singles: Vec<brackets::Single>,
) -> Result<Framework, Vec<Diagnostic>> {
    let text = brackets::double(source, &singles);
    let mut ctx = read::Ctx::new(file, &text);
    let doc = match toml_edit::ImDocument::parse(text.as_str()) {
        Ok(doc) => doc,
        Err(e) => {
            // Doubling the brackets did not make the file valid TOML: another mistake remains.
            for (i, single) in singles.iter().enumerate() {
                brackets::report(&mut ctx, single, &brackets::doubled_span(&singles, i), single.name());
            }
            ctx.error(&e.span().unwrap_or(0..0), "syntax", e.message().trim_end());
            return Err(sorted(ctx.diags));
        }
    };
    let root = tree::from_document(doc.as_table());
    let entries: Vec<Option<String>> = (0..singles.len())
        .map(|i| brackets::entry_at(&root, brackets::doubled_span(&singles, i).start))
        .collect();
    if entries.iter().any(Option::is_none) {
        // A line inside a multi-line string only looked like a header: read it as written.
        let headers =
            singles.into_iter().zip(&entries).filter(|(_, e)| e.is_some()).map(|(s, _)| s).collect();
        return read_doubling(file, source, headers);
    }
    for (i, (single, field)) in singles.iter().zip(entries.iter().flatten()).enumerate() {
        brackets::report(&mut ctx, single, &brackets::doubled_span(&singles, i), field);
    }
    let framework = units::framework(&mut ctx, &root);
    let mut diags = ctx.diags;
    match framework {
        Some(f) if diags.is_empty() => Ok(f),
        _ => {
            if diags.is_empty() {
                // Every reader that gives up reports why; this only guards that contract.
                diags.push(Diagnostic {
                    file: file.to_owned(),
                    line: 1,
                    column: 1,
                    field: String::new(),
                    message: "the framework could not be read".to_owned(),
                });
            }
            Err(sorted(diags))
        }
    }
}

fn sorted(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags.sort_by_key(|d| (d.line, d.column));
    diags
}
