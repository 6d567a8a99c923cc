//! Whether the pages of a validera PDF print what its attached credential says.
//!
//! Policy: the signature covers only the attachment, so a PDF printed for one person can carry
//! another person's genuine credential. For our own layout we know where every field is
//! printed (`layout.rs`), so we read the pages back by their fixed labels and column positions
//! and compare each field with the credential. A PDF whose pages are not recognisably ours is
//! [`ForeignPdf`]: its pages cannot be compared, and the report must say so rather than imply
//! they were. Pure: the runs come from the caller (a PDF reader, or `layout` in tests).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate};
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

use super::CertificateKind;
use super::TextRun;
use super::labels::{self, Labels};
use super::layout::{BOTTOM, CLOSING_LABEL_W, MARGIN, PAGE_H, columns};
use crate::credential::ob;
use crate::engine::{Lang, explain};
use crate::i18n::Tr;

/// Which printed field differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// A unit certificate printed for a qualification credential, or the other way round.
    Kind,
    /// The holder's name.
    Holder,
    /// The qualification's title.
    Achievement,
    /// A unit printed but not in the credential, or in the credential but not printed.
    Unit,
    /// A unit's title.
    UnitTitle,
    /// A unit's level.
    UnitLevel,
    /// A unit's credits.
    UnitCredits,
    /// The credits total.
    Total,
    /// The certificate number.
    Number,
    /// The verification address (the credential's URL).
    Url,
    /// The date of issue.
    Issued,
    /// The last day of validity.
    ValidUntil,
}

impl Field {
    /// A stable name, also the suffix of its message id `printed-field-…`.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Kind => "kind",
            Field::Holder => "holder",
            Field::Achievement => "achievement",
            Field::Unit => "unit",
            Field::UnitTitle => "unit-title",
            Field::UnitLevel => "unit-level",
            Field::UnitCredits => "unit-credits",
            Field::Total => "total",
            Field::Number => "number",
            Field::Url => "url",
            Field::Issued => "issued",
            Field::ValidUntil => "valid-until",
        }
    }
}

/// One field where the printed pages and the credential disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// Which field.
    pub field: Field,
    /// The unit's code, for the unit fields.
    pub unit: Option<String>,
    /// What the pages print; `None` if they print nothing there.
    pub printed: Option<String>,
    /// What the credential says, in the PDF's language; `None` if it says nothing.
    pub credential: Option<String>,
}

impl Difference {
    /// The difference in words, in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        let tr = Tr::new(lang);
        let mut field = tr.t(&format!("printed-field-{}", self.field.as_str()));
        if let Some(code) = &self.unit {
            field = format!("{field} {code}");
        }
        let or_nothing = |v: &Option<String>| v.clone().unwrap_or_else(|| tr.t("printed-nothing"));
        tr.ta(
            "printed-difference",
            &[
                ("field", field.into()),
                ("printed", or_nothing(&self.printed).into()),
                ("credential", or_nothing(&self.credential).into()),
            ],
        )
    }
}

/// The comparison of a validera PDF's pages with its credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printed {
    /// The language the pages are printed in.
    pub lang: Lang,
    /// Every difference; empty when the pages agree with the credential.
    pub differences: Vec<Difference>,
}

/// The pages are not a certificate laid out by validera, so they could not be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the printed pages are not a validera certificate; only the attached credential was checked")]
pub struct ForeignPdf;

/// Compares what the pages (`runs`) print with `credential`. `lang_hint`, the language the
/// reader expects, is tried first when recognising the labels.
pub fn printed_differences(
    runs: &[TextRun],
    credential: &Value,
    lang_hint: Option<Lang>,
) -> Result<Printed, ForeignPdf> {
    let langs = lang_hint.into_iter().chain(Lang::ALL.into_iter().filter(|l| Some(*l) != lang_hint));
    for lang in langs {
        let l = labels::labels(lang);
        if let Some(sheet) = read(runs, &l) {
            return Ok(Printed { lang, differences: compare(&sheet, credential, lang, &l) });
        }
    }
    Err(ForeignPdf)
}

/// What a validera certificate's pages print, read back.
struct Sheet {
    kind: CertificateKind,
    /// Under the lead on page one, and in the running head of every later page.
    holders: Vec<String>,
    qualification: Option<String>,
    rows: Vec<Row>,
    total: Option<String>,
    issued: Option<String>,
    valid_until: Option<String>,
    /// From the closing block, every page's footer and every later page's running head.
    numbers: Vec<String>,
    url: Option<String>,
}

struct Row {
    code: String,
    title: String,
    level: String,
    credits: String,
}

/// Same place, allowing for rounding in a PDF writer and reader.
fn near(a: f32, b: f32) -> bool {
    (a - b).abs() < 0.75
}

/// Top to bottom, then left to right, joined as the lines were wrapped (at spaces).
fn joined<'a>(runs: impl Iterator<Item = &'a TextRun>) -> String {
    joined_by(runs, " ")
}

/// [`joined`] with `sep` between the lines; "" for a value without spaces (an address, a
/// number) that was broken where it did not fit.
fn joined_by<'a>(runs: impl Iterator<Item = &'a TextRun>, sep: &str) -> String {
    let mut v: Vec<&TextRun> = runs.collect();
    v.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    v.iter().map(|r| r.text.trim()).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(sep)
}

fn read(runs: &[TextRun], l: &Labels) -> Option<Sheet> {
    let first: Vec<&TextRun> = runs.iter().filter(|r| r.page == 0).collect();
    let is = |r: &&TextRun, text: &str| r.text.trim() == text;
    // The fixed wording of our certificates; a foreign PDF does not have all of it.
    let lead = first.iter().find(|r| is(r, &l.lead))?;
    if !runs.iter().any(|r| r.text.trim() == l.signed_note) || !runs.iter().any(|r| r.text.trim() == l.code) {
        return None;
    }
    let after = first
        .iter()
        .filter(|r| r.y < lead.y && (is(r, &l.after_name_units) || is(r, &l.after_name_qualification)))
        .max_by(|a, b| a.y.total_cmp(&b.y))?;
    let kind = if is(after, &l.after_name_qualification) {
        CertificateKind::Qualification
    } else {
        CertificateKind::Units
    };
    let holder = joined(first.iter().copied().filter(|r| r.y < lead.y && r.y > after.y));
    let framework_prefix = format!("{}: ", l.framework);
    let framework_y = first
        .iter()
        .filter(|r| r.y < after.y && r.text.starts_with(&framework_prefix))
        .map(|r| r.y)
        .fold(f32::NEG_INFINITY, f32::max);
    let qualification = (kind == CertificateKind::Qualification)
        .then(|| joined(first.iter().copied().filter(|r| r.y < after.y && r.y > framework_y)));

    let cols = columns();
    let column = |x: f32| cols.iter().rposition(|(start, _)| x + 0.75 >= *start);
    // Every step below is linear or n log n in the runs: the pages come from whoever posts them.
    let mut pages: BTreeMap<usize, Vec<&TextRun>> = BTreeMap::new();
    for r in runs {
        pages.entry(r.page).or_default().push(r);
    }
    let mut rows = Vec::new();
    let mut total = None;
    for on in pages.values() {
        // The table header: its code and unit labels side by side (a page has one; a few
        // candidates are enough).
        let units: Vec<&&TextRun> = on.iter().filter(|u| is(u, &l.unit)).take(8).collect();
        let Some(header) = on
            .iter()
            .filter(|r| is(r, &l.code))
            .take(8)
            .find(|r| units.iter().any(|u| near(u.y, r.y) && u.x > r.x))
        else {
            continue;
        };
        let total_label = on.iter().find(|r| is(r, &l.total) && r.y < header.y && r.x < cols[3].0);
        let floor = total_label.map_or(PAGE_H - BOTTOM - 1.0, |t| t.y + 0.75);
        if let Some(t) = total_label {
            total = on
                .iter()
                .find(|r| near(r.y, t.y) && r.x >= cols[3].0 && r.x < cols[3].0 + cols[3].1)
                .map(|r| r.text.trim().to_owned());
        }
        let cells: Vec<(usize, &TextRun)> = on
            .iter()
            .filter(|r| r.y < header.y - 0.75 && r.y > floor)
            .filter_map(|r| column(r.x).map(|c| (c, *r)))
            .collect();
        // A row's credits are one line at the row's first baseline, so they mark the rows; a
        // run belongs to the lowest row that starts at or above it.
        let mut starts: Vec<f32> = cells.iter().filter(|(c, _)| *c == 3).map(|(_, r)| r.y).collect();
        starts.sort_by(|a, b| b.total_cmp(a));
        let mut grid: Vec<[Vec<&TextRun>; 4]> = vec![Default::default(); starts.len()];
        for (col, r) in cells {
            let above = starts.partition_point(|top| top + 0.75 >= r.y);
            if let Some(row) = above.checked_sub(1) {
                grid[row][col].push(r);
            }
        }
        for [code, title, level, credits] in grid {
            let cell = |runs: Vec<&TextRun>| joined(runs.into_iter());
            rows.push(Row {
                code: cell(code),
                title: cell(title),
                level: cell(level),
                credits: cell(credits),
            });
        }
    }

    // The closing block: a label at the margin, its value lines beside it down to the next
    // line that starts at the margin.
    let closing = |label: &str, sep: &str| -> Option<String> {
        let at = runs.iter().find(|r| r.text.trim() == label && near(r.x, MARGIN))?;
        let next = runs
            .iter()
            .filter(|r| r.page == at.page && near(r.x, MARGIN) && r.y < at.y - 0.75)
            .map(|r| r.y)
            .fold(f32::NEG_INFINITY, f32::max);
        let value = joined_by(
            runs.iter().filter(|r| {
                r.page == at.page && near(r.x, MARGIN + CLOSING_LABEL_W) && r.y <= at.y + 0.75 && r.y > next
            }),
            sep,
        );
        Some(value)
    };
    // The running head of later pages: "title · holder · number (continued)", wrapped at the
    // margin above the page's first rule.
    let mut holders = vec![holder];
    let mut numbers = Vec::new();
    let head_prefix = format!("{} · ", l.title(kind));
    let head_suffix = format!(" ({})", l.continued);
    for on in pages.range(1..).map(|(_, on)| on) {
        let head = joined(on.iter().copied().filter(|r| near(r.x, MARGIN) && r.y > PAGE_H - 80.0));
        if let Some((name, number)) = head
            .strip_prefix(&head_prefix)
            .and_then(|h| h.strip_suffix(&head_suffix))
            .and_then(|h| h.rsplit_once(" · "))
        {
            holders.push(name.to_owned());
            numbers.push(number.to_owned());
        }
    }
    // "Verify authenticity: URL", wrapped at the margin.
    let verify_prefix = format!("{} ", l.verify);
    let starts_verify = |r: &&TextRun| r.text.trim() == l.verify || r.text.starts_with(&verify_prefix);
    let url = runs.iter().find(|r| near(r.x, MARGIN) && starts_verify(r)).map(|at| {
        let rest = joined_by(
            runs.iter().filter(|r| r.page == at.page && near(r.x, MARGIN) && r.y < at.y - 0.75),
            "",
        );
        let first = at.text.trim().strip_prefix(l.verify.as_str()).unwrap_or_default().trim();
        format!("{first}{rest}")
    });
    let footer_prefix = format!("{} ", l.number);
    numbers.extend(closing(&l.number, ""));
    numbers.extend(runs.iter().filter_map(|r| {
        let rest = r.text.trim().strip_prefix(&footer_prefix)?;
        rest.rsplit_once(" · ").map(|(n, _)| n.to_owned())
    }));
    Some(Sheet {
        kind,
        holders,
        qualification,
        rows,
        total,
        issued: closing(&l.issued, " "),
        valid_until: closing(&l.valid_until, " "),
        numbers,
        url,
    })
}

/// NFC without any white space: line wrapping may have split a word or a name anywhere.
fn squash(s: &str) -> String {
    s.nfc().filter(|c| !c.is_whitespace()).collect()
}

/// The language a credential was issued in, from the label its `name` starts with.
fn credential_lang(c: &Value) -> Option<Lang> {
    let name = c["name"].as_str()?;
    Lang::ALL.into_iter().find(|&lang| {
        let tr = Tr::new(lang);
        ["certificate-name-unit", "certificate-name-qualification"]
            .iter()
            .any(|id| name.starts_with(&format!("{}: ", tr.t(id))))
    })
}

fn day(c: &Value, field: &str) -> Option<NaiveDate> {
    c[field].as_str().and_then(|s| DateTime::parse_from_rfc3339(s).ok()).map(|d| d.date_naive())
}

fn compare(sheet: &Sheet, c: &Value, lang: Lang, l: &Labels) -> Vec<Difference> {
    let mut out = Vec::new();
    let mut differ = |field, unit: Option<&str>, printed: Option<String>, credential: Option<String>| {
        out.push(Difference { field, unit: unit.map(str::to_owned), printed, credential })
    };
    let tr = Tr::new(lang);
    // Titles are compared only in the credential's own language; in another the pages print
    // the framework's translation, which the credential does not hold.
    let same_lang = credential_lang(c) == Some(lang);

    let kind = if ob::is_qualification(c) { CertificateKind::Qualification } else { CertificateKind::Units };
    if kind != sheet.kind {
        differ(Field::Kind, None, Some(l.title(sheet.kind).to_owned()), Some(l.title(kind).to_owned()));
    }
    let name = ob::holder_name(c);
    let mut seen = HashSet::new();
    for printed in &sheet.holders {
        if name.map(squash) != Some(squash(printed)) && seen.insert(squash(printed)) {
            differ(Field::Holder, None, Some(printed.clone()), name.map(str::to_owned));
        }
    }
    if kind == CertificateKind::Qualification && same_lang {
        let title = c["credentialSubject"]["achievement"]["name"].as_str();
        if title.map(squash) != sheet.qualification.as_deref().map(squash) {
            differ(Field::Achievement, None, sheet.qualification.clone(), title.map(str::to_owned));
        }
    }

    let listed = ob::listed_units(c);
    let level_words = |lv| {
        let w = explain::level(lv, lang);
        let mut ch = w.chars();
        ch.next().map(|f| f.to_uppercase().chain(ch).collect()).unwrap_or_default()
    };
    let printed_rows: HashMap<String, &Row> = sheet.rows.iter().map(|r| (squash(&r.code), r)).collect();
    let listed_codes: HashSet<String> = listed.iter().map(|u| squash(&u.code)).collect();
    for u in &listed {
        let Some(row) = printed_rows.get(&squash(&u.code)) else {
            differ(Field::Unit, Some(&u.code), None, Some(format!("{} {}", u.code, u.title)));
            continue;
        };
        if same_lang && squash(&row.title) != squash(&u.title) {
            differ(Field::UnitTitle, Some(&u.code), Some(row.title.clone()), Some(u.title.clone()));
        }
        if let Some(level) = u.level
            && explain::parse_level(&row.level) != Some(level)
        {
            differ(Field::UnitLevel, Some(&u.code), Some(row.level.clone()), Some(level_words(level)));
        }
        if let Some(credits) = u.credits
            && row.credits.trim().parse::<u32>().ok() != Some(credits)
        {
            differ(Field::UnitCredits, Some(&u.code), Some(row.credits.clone()), Some(credits.to_string()));
        }
    }
    for row in &sheet.rows {
        if !listed_codes.contains(&squash(&row.code)) {
            differ(Field::Unit, Some(&row.code), Some(format!("{} {}", row.code, row.title)), None);
        }
    }
    let earned = c["credentialSubject"]["creditsEarned"].as_u64();
    if sheet.total.as_deref().and_then(|t| t.trim().parse::<u64>().ok()) != earned {
        differ(Field::Total, None, sheet.total.clone(), earned.map(|n| n.to_string()));
    }

    // The number is the last segment of the credential's URL (`…/v/{id}`), as people quote it.
    let number = c["id"].as_str().and_then(|id| id.rsplit('/').next()).map(str::to_uppercase);
    let mut seen = HashSet::new();
    for printed in &sheet.numbers {
        if Some(squash(printed)) != number.as_deref().map(squash) && seen.insert(printed.clone()) {
            differ(Field::Number, None, Some(printed.clone()), number.clone());
        }
    }
    if sheet.numbers.is_empty() {
        differ(Field::Number, None, None, number.clone());
    }
    let url = c["id"].as_str();
    if sheet.url.as_deref().map(squash) != url.map(squash) {
        differ(Field::Url, None, sheet.url.clone(), url.map(str::to_owned));
    }

    let date = |d: Option<NaiveDate>| d.map(|d| tr.date(&d));
    let issued = date(day(c, "validFrom"));
    if sheet.issued.as_deref().map(squash) != issued.as_deref().map(squash) {
        differ(Field::Issued, None, sheet.issued.clone(), issued);
    }
    let until = date(day(c, "validUntil"));
    if sheet.valid_until.as_deref().map(squash) != until.as_deref().map(squash) {
        differ(Field::ValidUntil, None, sheet.valid_until.clone(), until);
    }
    out
}

#[cfg(test)]
mod tests;
