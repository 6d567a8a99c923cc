//! Examples of rules of combination, over units A (level 1, 3 credits), B (level 3, 5
//! credits), C (level 3, 4 credits), D (level 2, 6 credits) and E (entry 2, 2 credits).

use expect_test::{Expect, expect};

use super::fixtures::*;
use crate::engine::framework::{LevelCredits, Rules, Unit};
use crate::engine::level::Level;
use crate::engine::rules::{satisfiable, shortfalls};

#[track_caller]
fn check(rules: Rules, achieved: &[&str], expect: Expect) {
    let mut fw = shop();
    fw.units.push(Unit { level: level(2), credits: 6, ..unit("D", "1.1:p") });
    fw.units.push(Unit { level: Level::entry(2).unwrap(), credits: 2, ..unit("E", "1.1:p") });
    let q = qualification("R", rules);
    let achieved: Vec<_> = achieved.iter().map(|c| code(c)).collect();
    let s = shortfalls(&fw, &q, &achieved);
    let s = if s.is_empty() { "holds".to_owned() } else { render_shortfalls(&s) };
    let sat = if satisfiable(&fw, &q) { "satisfiable" } else { "unsatisfiable" };
    expect.assert_eq(&format!("{s} ({sat})"));
}

fn mandatory(units: &[&str]) -> Rules {
    Rules { mandatory: units.iter().map(|u| code(u)).collect(), ..Rules::default() }
}

#[test]
fn no_rules_hold_at_once() {
    check(Rules::default(), &[], expect!["holds (satisfiable)"]);
}

#[test]
fn each_missing_mandatory_unit_once_in_order() {
    check(mandatory(&["C", "A", "C", "B"]), &["A"], expect!["mandatory C; mandatory B (satisfiable)"]);
}

#[test]
fn optional_groups_count_distinct_achieved_units() {
    let rules = Rules {
        optional_groups: vec![group("one", 1, &["A", "B"]), group("two", 2, &["C", "C", "D", "E"])],
        ..Rules::default()
    };
    check(rules.clone(), &["C"], expect!["group 0 0/1; group 1 1/2 (satisfiable)"]);
    check(rules, &["B", "C", "E"], expect!["holds (satisfiable)"]);
}

#[test]
fn credits_count_each_unit_of_the_qualification_once() {
    // A is both mandatory and optional; D is achieved but not part of the qualification.
    let rules = Rules {
        mandatory: vec![code("A")],
        optional_groups: vec![group("g", 1, &["A", "B"])],
        min_credits: Some(9),
        ..Rules::default()
    };
    check(rules.clone(), &["A", "D"], expect!["credits 3/9 (unsatisfiable)"]);
    let rules = Rules { min_credits: Some(8), ..rules };
    check(rules, &["A", "B"], expect!["holds (satisfiable)"]);
}

#[test]
fn credits_at_a_level_count_that_level_and_above() {
    let rules = Rules {
        optional_groups: vec![group("g", 1, &["A", "B", "C", "D", "E"])],
        min_credits_at_level: vec![
            LevelCredits { level: level(2), credits: 12 },
            LevelCredits { level: Level::entry(1).unwrap(), credits: 20 },
        ],
        ..Rules::default()
    };
    check(rules.clone(), &["B", "D", "E"], expect!["credits at 2 11/12; credits at E1 13/20 (satisfiable)"]);
    check(rules, &["A", "B", "E"], expect!["credits at 2 5/12; credits at E1 10/20 (satisfiable)"]);
}

#[test]
fn a_rule_naming_a_unit_the_framework_lacks_cannot_be_satisfied() {
    check(mandatory(&["A", "ZZ"]), &["A"], expect!["mandatory ZZ (unsatisfiable)"]);
}

#[test]
fn a_credit_pool_group_adds_credits_and_is_never_short() {
    // min_units = 0: B, C and E count toward the total, none is required.
    let rules = Rules {
        mandatory: vec![code("A")],
        optional_groups: vec![group("pool", 0, &["B", "C", "E"])],
        min_credits: Some(10),
        ..Rules::default()
    };
    check(rules.clone(), &["A"], expect!["credits 3/10 (satisfiable)"]);
    check(rules.clone(), &["A", "E", "D"], expect!["credits 5/10 (satisfiable)"]);
    check(rules, &["A", "C", "E"], expect!["credits 9/10 (satisfiable)"]);
}
