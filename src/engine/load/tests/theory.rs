//! `[[theory_tests]]`: ids, ranges and the criteria a test covers. Line numbers refer to `MIN`
//! (lines 1–19, U1/1.1 practical), `U2` (20–33, U2/1.1 theory) and `T` (34–39).

use expect_test::expect;

use super::{MIN, U2, check, edit, parse};

/// A theory test over U2/1.1: 24 points, 60 %.
const T: &str = r#"[[theory_tests]]
id = "T1"
title = { sv = "Prov", fi = "Koe", en = "Test" }
max_score = 24
pass_percent = 60
criteria = ["U2/1.1"]
"#;

fn with(t: &str) -> String {
    format!("{MIN}{U2}{t}")
}

#[test]
fn a_defined_test_is_read_with_its_pass_mark_in_points() {
    let f = parse("t.toml", &with(T)).expect("valid");
    let t = &f.theory_tests[0];
    assert_eq!(t.id.as_str(), "T1");
    assert_eq!((t.title.sv.as_str(), t.title.fi.as_str(), t.title.en.as_str()), ("Prov", "Koe", "Test"));
    assert_eq!((t.max_score, t.pass_percent.get(), t.pass_mark()), (24, 60, 15));
    let covered: Vec<String> = t.criteria.iter().map(ToString::to_string).collect();
    assert_eq!(covered, ["U2/1.1"]);
    assert_eq!(f.theory_test_covering(&"U2/1.1".parse().unwrap()).map(|t| t.id.as_str()), Some("T1"));
    assert!(f.theory_test_covering(&"U1/1.1".parse().unwrap()).is_none());
    assert!(parse("t.toml", &format!("{MIN}{U2}")).unwrap().theory_tests.is_empty(), "tests are optional");
}

#[test]
fn duplicate_test_id() {
    check(
        &with(&format!("{T}{T}")),
        expect![[r#"
        t.toml:41:6: theory_tests[1].id: duplicate theory test id 'T1': already used on line 35
    "#]],
    );
}

#[test]
fn criterion_that_does_not_accept_theory() {
    check(
        &with(&edit(T, "\"U2/1.1\"", "\"U2/1.1\", \"U1/1.1\"")),
        expect![[r#"
        t.toml:39:23: theory_tests[0].criteria[1]: criterion 'U1/1.1' does not accept a theory test (its methods: practical); add "theory" to its methods or leave it out of the test
    "#]],
    );
}

#[test]
fn criteria_that_do_not_exist() {
    check(
        &with(&edit(T, "\"U2/1.1\"", "\"U2/9.9\", \"X/1.1\", \"U2\"")),
        expect![[r#"
        t.toml:39:13: theory_tests[0].criteria[0]: unknown criterion 'U2/9.9': unit U2 has no criterion 9.9
        t.toml:39:23: theory_tests[0].criteria[1]: unknown unit 'X' in 'X/1.1': no [[units]] table has this code
        t.toml:39:32: theory_tests[0].criteria[2]: criterion reference 'U2' must look like UNIT/1.2
    "#]],
    );
}

#[test]
fn criterion_listed_twice_or_none_at_all() {
    check(
        &with(&edit(T, "\"U2/1.1\"", "\"U2/1.1\", \"U2/1.1\"")),
        expect![[r#"
        t.toml:39:23: theory_tests[0].criteria[1]: criterion 'U2/1.1' is listed twice in this test (first at theory_tests[0].criteria[0])
    "#]],
    );
    check(
        &with(&edit(T, "[\"U2/1.1\"]", "[]")),
        expect![[r#"
        t.toml:39:12: theory_tests[0].criteria: a theory test must cover at least one criterion
    "#]],
    );
}

#[test]
fn pass_percent_out_of_range() {
    for (value, expect) in [
        (
            "0",
            expect![[r#"
            t.toml:38:16: theory_tests[0].pass_percent: a pass mark must be between 1 and 100 percent, got 0
        "#]],
        ),
        (
            "101",
            expect![[r#"
            t.toml:38:16: theory_tests[0].pass_percent: a pass mark must be between 1 and 100 percent, got 101
        "#]],
        ),
        (
            "62.5",
            expect![[r#"
            t.toml:38:16: theory_tests[0].pass_percent: expected an integer, found a decimal number
        "#]],
        ),
    ] {
        check(&with(&edit(T, "pass_percent = 60", &format!("pass_percent = {value}"))), expect);
    }
    check(
        &with(&edit(T, "pass_percent = 60", "pass_percent = 1")),
        expect![[r#"
        ok
    "#]],
    );
    check(
        &with(&edit(T, "pass_percent = 60", "pass_percent = 100")),
        expect![[r#"
        ok
    "#]],
    );
}

#[test]
fn max_score_of_zero() {
    check(
        &with(&edit(T, "max_score = 24", "max_score = 0")),
        expect![[r#"
        t.toml:37:13: theory_tests[0].max_score: must be at least 1, got 0
    "#]],
    );
}

#[test]
fn missing_fields_and_a_misspelt_one() {
    check(
        &with(&edit(&edit(T, "max_score = 24\n", ""), "pass_percent", "pass_procent")),
        expect![[r#"
        t.toml:34:1: theory_tests[0].max_score: missing required field 'max_score'
        t.toml:37:1: theory_tests[0].pass_procent: unknown field 'pass_procent' (did you mean 'pass_percent'?); allowed fields here: id, title, max_score, pass_percent, criteria
    "#]],
    );
}

#[test]
fn a_title_needs_all_three_languages() {
    check(
        &with(&edit(T, ", fi = \"Koe\"", "")),
        expect![[r#"
        t.toml:36:9: theory_tests[0].title.fi: missing Finnish (fi) translation; a title needs sv, fi and en
    "#]],
    );
}
