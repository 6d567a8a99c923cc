//! Loader tests. Error cases live in `shape` and `content`, one short test per kind of
//! problem; this module has the shared inputs, the valid example and the no-panic properties.

use expect_test::{Expect, expect};
use proptest::prelude::*;

use super::parse;
use crate::engine::framework::{EvidenceKind, Method};
use crate::engine::level::Level;

mod content;
mod shape;
mod theory;

/// The documented example framework, valid.
const EXAMPLE: &str = include_str!("testdata/digital-basic-skills.toml");

/// The smallest valid framework. Error tests edit one line of it, so their line numbers refer
/// to this text.
const MIN: &str = r#"id = "f"
version = "1"
awarding_body = "B"
title = { sv = "s", fi = "f", en = "e" }
description = { sv = "s", en = "e" }
[[units]]
code = "U1"
level = 1
credits = 3
currency_years = 5
title = { sv = "s", fi = "f", en = "e" }
description = { sv = "s", en = "e" }
[[units.outcomes]]
id = "1"
text = { sv = "s", en = "e" }
[[units.outcomes.criteria]]
id = "1.1"
text = { sv = "s", en = "e" }
methods = ["practical"]
"#;

/// A second unit (lines 20–33 after `MIN`): level 2, 6 credits.
const U2: &str = r#"[[units]]
code = "U2"
level = 2
credits = 6
currency_years = 5
title = { sv = "s", fi = "f", en = "e" }
description = { sv = "s", en = "e" }
[[units.outcomes]]
id = "1"
text = { sv = "s", en = "e" }
[[units.outcomes.criteria]]
id = "1.1"
text = { sv = "s", en = "e" }
methods = ["theory"]
"#;

/// A qualification over U1 and U2 (lines 34–43 after `MIN` and `U2`).
const Q: &str = r#"[[qualifications]]
code = "Q"
title = { sv = "s", fi = "f", en = "e" }
description = { sv = "s", en = "e" }
mandatory = ["U1"]
min_credits = 9
[[qualifications.optional_groups]]
title = { sv = "s", fi = "f", en = "e" }
min_units = 1
units = ["U2"]
"#;

/// `MIN` + `U2` + `Q`, a valid framework with a qualification.
fn with_qualification() -> String {
    format!("{MIN}{U2}{Q}")
}

/// `text` with `from` replaced by `to`; `from` must occur, so a test cannot silently check the
/// unedited text.
#[track_caller]
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} not in the input");
    text.replacen(from, to, 1)
}

/// Renders the loader's verdict on `toml`: "ok", or one diagnostic per line.
#[track_caller]
fn check(toml: &str, expect: Expect) {
    let actual = match parse("t.toml", toml) {
        Ok(_) => "ok\n".to_owned(),
        Err(diags) => diags.iter().map(|d| format!("{d}\n")).collect(),
    };
    expect.assert_eq(&actual);
}

#[test]
fn minimal_inputs_are_valid() {
    check(
        MIN,
        expect![[r#"
        ok
    "#]],
    );
    check(
        &with_qualification(),
        expect![[r#"
        ok
    "#]],
    );
}

#[test]
fn dotted_keys_and_inline_arrays_of_tables_are_the_same_data() {
    let dotted = edit(
        MIN,
        "title = { sv = \"s\", fi = \"f\", en = \"e\" }\n",
        "title.sv = \"s\"\ntitle.fi = \"f\"\ntitle.en = \"e\"\n",
    );
    check(
        &dotted,
        expect![[r#"
        ok
    "#]],
    );
    let inline = r#"id = "f"
version = "1"
awarding_body = "B"
default_currency_years = 5
title = { sv = "s", fi = "f", en = "e" }
description = { sv = "s", en = "e" }
units = [
  { code = "U1", level = "E1", credits = 1, title = { sv = "s", fi = "f", en = "e" }, description = { sv = "s", en = "e" }, outcomes = [
    { id = "1", text = { sv = "s", en = "e" }, criteria = [{ id = "1.1", text = { sv = "s", en = "e" }, methods = ["portfolio"] }] },
  ] },
]
"#;
    check(
        inline,
        expect![[r#"
        ok
    "#]],
    );
}

#[test]
fn the_example_parses_into_the_model() {
    let f = parse("digital-basic-skills.toml", EXAMPLE).expect("the example is valid");
    assert_eq!(f.id.as_str(), "digital-basic-skills");
    assert_eq!(f.version.as_str(), "2026.1");
    assert_eq!(f.awarding_body, "Validering Nord");
    assert_eq!(f.title.fi, "Digitaaliset perustaidot");
    assert_eq!(f.description.fi, None);
    assert_eq!(f.units.len(), 4);
    assert_eq!(f.criterion_count(), 5);

    let levels: Vec<Level> = f.units.iter().map(|u| u.level).collect();
    let expected = [Level::entry(3), Level::numbered(1), Level::numbered(2), Level::numbered(2)];
    assert_eq!(levels, expected.map(|l| l.expect("valid level")));
    assert!(levels.is_sorted(), "E3 sorts below level 1, which sorts below level 2");

    let dbs01 = &f.units[0];
    assert_eq!((dbs01.credits, dbs01.currency_years, dbs01.validity_years), (3, 5, None));
    let dbs02 = &f.units[1];
    assert_eq!(dbs02.currency_years, 3, "a unit's own window overrides the default");
    assert_eq!(dbs02.description.fi.as_deref(), Some("Sähköpostin käyttö."));
    assert_eq!(f.units[2].validity_years, Some(3));

    let c = &dbs01.outcomes[0].criteria[1];
    assert_eq!(c.id.as_str(), "1.2");
    let methods: Vec<Method> = c.methods.iter().copied().collect();
    assert_eq!(methods, [Method::Theory, Method::Evidence(EvidenceKind::ProfessionalDiscussion)]);
    assert!(dbs02.criteria().all(|c| c.methods.contains(&Method::Evidence(EvidenceKind::WorkCertificate))));

    let q = &f.qualifications[0];
    assert_eq!(q.code.as_str(), "DBS");
    assert_eq!(q.validity_years, Some(5));
    let units: Vec<&str> = q.rules.units().into_iter().map(|u| u.as_str()).collect();
    assert_eq!(units, ["DBS-01", "DBS-02", "DBS-03", "DBS-04"]);
    assert_eq!(q.rules.min_credits, Some(12));
    assert_eq!(q.rules.optional_groups[0].min_units, 1);
    assert_eq!(q.rules.optional_groups[0].title.en, "Optional units");
    assert_eq!(q.rules.min_credits_at_level[0].level, Level::numbered(2).expect("valid level"));
    assert_eq!(q.rules.min_credits_at_level[0].credits, 4);

    let tests: Vec<(&str, &str, u32, u8, u32)> = f
        .theory_tests
        .iter()
        .map(|t| (t.id.as_str(), t.title.fi.as_str(), t.max_score, t.pass_percent.get(), t.pass_mark()))
        .collect();
    assert_eq!(
        tests,
        [("DBS-T1", "Tiedostot ja kansiot", 20, 70, 14), ("DBS-T2", "Tietojenkalastelu", 24, 60, 15)]
    );
    assert_eq!(f.theory_tests[1].criteria[0].to_string(), "DBS-03/1.1");
}

#[test]
fn three_different_errors_are_all_reported() {
    let broken = edit(MIN, "credits = 3", "credits = \"three\"");
    let broken = edit(&broken, "fi = \"f\", ", "");
    let broken = edit(&broken, "methods = [\"practical\"]", "methods = [\"exam\"]");
    check(
        &broken,
        expect![[r#"
        t.toml:4:9: title.fi: missing Finnish (fi) translation; a title needs sv, fi and en
        t.toml:9:11: units[0].credits: expected an integer, found a string
        t.toml:19:12: units[0].outcomes[0].criteria[0].methods[0]: unknown method 'exam': expected practical, theory, employer-reference, work-certificate, portfolio, witness-testimony or professional-discussion
    "#]],
    );
}

/// The broken file whose report docs/frameworks.md shows.
#[test]
fn documented_error_report() {
    let broken = include_str!("testdata/broken.toml");
    let report: String = match parse("competence-frameworks/digital-basic-skills.toml", broken) {
        Ok(_) => "ok\n".to_owned(),
        Err(diags) => diags.iter().map(|d| format!("{d}\n")).collect(),
    };
    expect![[r#"
        competence-frameworks/digital-basic-skills.toml:12:1: units[0].credit: unknown field 'credit' (did you mean 'credits'?); allowed fields here: code, level, credits, currency_years, validity_years, title, description, outcomes
        competence-frameworks/digital-basic-skills.toml:13:9: units[0].title.fi: missing Finnish (fi) translation; a title needs sv, fi and en
        competence-frameworks/digital-basic-skills.toml:23:11: units[0].outcomes[0].criteria[0].methods: no assessment method: list at least one of practical, theory, employer-reference, work-certificate, portfolio, witness-testimony, professional-discussion
        competence-frameworks/digital-basic-skills.toml:26:6: units[0].outcomes[0].criteria[1].id: duplicate criterion id '1.1' in this unit: already used on line 21
        competence-frameworks/digital-basic-skills.toml:28:22: units[0].outcomes[0].criteria[1].methods[1]: unknown method 'exam': expected practical, theory, employer-reference, work-certificate, portfolio, witness-testimony or professional-discussion
        competence-frameworks/digital-basic-skills.toml:34:24: qualifications[0].mandatory[1]: unknown unit 'DBS-02': no [[units]] table has this code
    "#]].assert_eq(&report);
    let docs = include_str!("../../../docs/frameworks.md");
    assert!(report.lines().all(|l| docs.contains(l)), "docs/frameworks.md shows an outdated report");
}

/// Small edits of a valid file: delete or duplicate one line.
fn mutations() -> impl Strategy<Value = String> {
    let lines: Vec<&'static str> = EXAMPLE.lines().collect();
    let n = lines.len();
    (0..n, any::<bool>(), 0..n, any::<bool>()).prop_map(move |(a, dup_a, b, dup_b)| {
        let mut out: Vec<&str> = lines.clone();
        for (i, dup) in [(a, dup_a), (b, dup_b)] {
            let i = i.min(out.len() - 1);
            if dup {
                out.insert(i, out[i])
            } else {
                out.remove(i);
            }
        }
        out.join("\n")
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_on_arbitrary_text(s in "\\PC*") {
        let _ = parse("t.toml", &s);
    }

    #[test]
    fn never_panics_on_toml_like_text(s in "[\\[\\]{}=\",. a-z0-9\\n#åä-]{0,200}") {
        let _ = parse("t.toml", &s);
    }

    #[test]
    fn never_panics_on_edited_files(s in mutations()) {
        if let Err(diags) = parse("t.toml", &s) {
            prop_assert!(!diags.is_empty());
            prop_assert!(diags.iter().all(|d| d.line >= 1 && d.column >= 1));
        }
    }
}
