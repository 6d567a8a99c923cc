//! Examples of the gap report aimed at a targeted qualification: what each open rule needs, and
//! the smallest sets of units that complete the qualification.

use std::fmt::Write;

use expect_test::{Expect, expect};

use super::fixtures::*;
use crate::engine::Lang;
use crate::engine::explain;
use crate::engine::framework::{Framework, LevelCredits, Rules, Unit};
use crate::engine::ids::QualificationCode;
use crate::engine::records::Record;
use crate::engine::rules::{Shortfall, shortfalls};
use crate::engine::target::{self, TargetReport};

/// Units P1..P6 with the given (level, credits), one practical criterion each, and `rules` as
/// qualification T; X, level 2 with 9 credits, is in the framework but not in T.
fn pool(units: &[(u8, u16)], rules: Rules) -> Framework {
    let mut all: Vec<Unit> = units
        .iter()
        .enumerate()
        .map(|(i, &(l, credits))| Unit { level: level(l), credits, ..unit(&format!("P{}", i + 1), "1.1:p") })
        .collect();
    all.push(Unit { level: level(2), credits: 9, ..unit("X", "1.1:p") });
    framework(all, vec![qualification("T", rules)])
}

fn met(codes: &[&str]) -> Vec<Record> {
    codes
        .iter()
        .enumerate()
        .map(|(i, c)| observed(&format!("r{i}"), TODAY, &[(&format!("{c}/1.1"), true)]))
        .collect()
}

fn report(fw: &Framework, achieved: &[&str]) -> TargetReport {
    let o = eval(fw, &met(achieved), &[]);
    target::report(fw, &o, &QualificationCode::parse("T").unwrap()).unwrap()
}

fn render(r: &TargetReport) -> String {
    let mut out = String::new();
    for n in &r.needs {
        let units: Vec<&str> = n.units.iter().map(|u| u.as_str()).collect();
        writeln!(out, "need {}: {}", render_shortfalls(std::slice::from_ref(&n.shortfall)), units.join(" "))
            .unwrap();
    }
    for s in &r.closing {
        let units: Vec<&str> = s.units.iter().map(|u| u.as_str()).collect();
        writeln!(out, "set {} ({} credits)", units.join(" + "), s.credits).unwrap();
    }
    if r.capped {
        writeln!(out, "capped").unwrap();
    }
    let units = |gaps: &[crate::engine::evaluate::Gap]| -> String {
        gaps.iter().map(|g| g.criterion.unit.to_string()).collect::<Vec<_>>().join(" ")
    };
    writeln!(out, "gaps: {}", units(&r.gaps)).unwrap();
    writeln!(out, "other gaps: {}", units(&r.other_gaps)).unwrap();
    out
}

#[track_caller]
fn check(fw: &Framework, achieved: &[&str], expect: Expect) {
    expect.assert_eq(&render(&report(fw, achieved)));
}

fn credit_pool(min_credits: u32) -> Rules {
    Rules {
        mandatory: vec![code("P1")],
        optional_groups: vec![group("Pool", 0, &["P2", "P3", "P4", "P5"])],
        min_credits: Some(min_credits),
        ..Rules::default()
    }
}

/// The credit pool worked example of docs/frameworks.md.
#[test]
fn a_credit_shortfall_names_the_smallest_sets_by_units_then_credits() {
    // P1 2, P2 3, P3 1, P4 4, P5 2 credits: 2 so far, 4 more needed.
    let fw = pool(&[(1, 2), (2, 3), (1, 1), (3, 4), (1, 2)], credit_pool(6));
    check(
        &fw,
        &["P1"],
        expect![[r#"
            need credits 2/6: P2 P3 P4 P5
            set P4 (4 credits)
            set P2 + P3 (4 credits)
            set P2 + P5 (5 credits)
            gaps: P2 P3 P4 P5
            other gaps: X
        "#]],
    );
}

#[test]
fn a_missing_mandatory_unit_is_in_every_set_and_may_close_the_credits_too() {
    let fw = pool(&[(1, 2), (2, 3), (1, 1), (3, 4), (1, 2)], credit_pool(6));
    check(
        &fw,
        &["P2", "P3"],
        expect![[r#"
            need mandatory P1: P1
            need credits 4/6: P1 P4 P5
            set P1 (2 credits)
            gaps: P1 P4 P5
            other gaps: X
        "#]],
    );
}

#[test]
fn a_group_shortfall_names_the_group_members_not_yet_achieved() {
    let rules = Rules { optional_groups: vec![group("Two of", 2, &["P1", "P2", "P3"])], ..Rules::default() };
    let fw = pool(&[(1, 2), (2, 3), (1, 1)], rules);
    check(
        &fw,
        &["P2"],
        expect![[r#"
            need group 0 1/2: P1 P3
            set P3 (1 credits)
            set P1 (2 credits)
            gaps: P1 P3
            other gaps: X
        "#]],
    );
}

#[test]
fn units_below_the_level_of_a_credit_rule_are_never_suggested_for_it() {
    let rules = Rules {
        optional_groups: vec![group("Pool", 0, &["P1", "P2", "P3", "P4"])],
        min_credits_at_level: vec![LevelCredits { level: level(3), credits: 5 }],
        ..Rules::default()
    };
    let fw = pool(&[(3, 2), (2, 9), (3, 3), (4, 1)], rules);
    check(
        &fw,
        &["P1"],
        expect![[r#"
            need credits at 3 2/5: P3 P4
            set P3 (3 credits)
            gaps: P3 P4
            other gaps: P2 X
        "#]],
    );
}

#[test]
fn a_set_of_one_more_unit_is_offered_only_if_no_unit_in_it_can_be_left_out() {
    // 5 more credits: P2 (5) alone; P3 + P4 (3 + 2) next; P2 + anything is never offered.
    let fw = pool(&[(1, 1), (1, 5), (1, 3), (1, 2)], credit_pool(6));
    check(
        &fw,
        &["P1"],
        expect![[r#"
            need credits 1/6: P2 P3 P4
            set P2 (5 credits)
            set P3 + P4 (5 credits)
            gaps: P2 P3 P4
            other gaps: X
        "#]],
    );
}

#[test]
fn a_qualification_whose_rules_hold_needs_nothing_and_every_gap_is_other() {
    let fw = pool(&[(1, 2), (2, 3), (1, 1), (3, 4), (1, 2)], credit_pool(5));
    check(
        &fw,
        &["P1", "P2"],
        expect![[r#"
            gaps: 
            other gaps: P3 P4 P5 X
        "#]],
    );
}

#[test]
fn a_search_past_its_budget_says_so_and_still_offers_a_set_that_completes() {
    // 40 units of 1 credit and 20 needed: far more combinations than the budget.
    let units: Vec<(u8, u16)> = vec![(1, 1); 40];
    let codes: Vec<String> = (1..=40).map(|i| format!("P{i}")).collect();
    let rules = Rules {
        optional_groups: vec![group("Pool", 0, &codes.iter().map(String::as_str).collect::<Vec<_>>())],
        min_credits: Some(20),
        ..Rules::default()
    };
    let fw = pool(&units, rules);
    let r = report(&fw, &[]);
    assert!(r.capped);
    assert!(!r.closing.is_empty());
    let q = &fw.qualifications[0];
    for set in &r.closing {
        assert_eq!(set.units.len(), 20);
        assert!(shortfalls(&fw, q, &set.units).is_empty());
    }
}

#[test]
fn a_mandatory_unit_the_framework_lacks_leaves_no_set() {
    let rules = Rules { mandatory: vec![code("P1"), code("ZZ")], ..Rules::default() };
    let fw = pool(&[(1, 2)], rules);
    let r = report(&fw, &[]);
    assert_eq!(r.needs.len(), 2);
    assert!(matches!(&r.needs[1].shortfall, Shortfall::MandatoryUnit(c) if c.as_str() == "ZZ"));
    assert!(r.needs[1].units.is_empty());
    assert!(r.closing.is_empty() && !r.capped);
    let t = explain::closing_intro(&r, &fw.qualifications[0], Lang::En).unwrap();
    assert_eq!(t, "No combination of units not yet met can complete T en.");
}

#[test]
fn the_report_reads_in_every_language() {
    let fw = pool(&[(1, 2), (2, 3), (1, 1), (3, 4), (1, 2)], credit_pool(6));
    let r = report(&fw, &[]);
    let q = &fw.qualifications[0];
    let mut out = String::new();
    for lang in Lang::ALL {
        for n in &r.needs {
            writeln!(out, "{}", explain::need(n, q, &fw, lang)).unwrap();
        }
        writeln!(out, "{}", explain::closing_intro(&r, q, lang).unwrap()).unwrap();
        for s in &r.closing {
            writeln!(out, "  {}", explain::closing_set(s, &fw, lang)).unwrap();
        }
    }
    writeln!(out, "{}", explain::closing_capped(Lang::Fi)).unwrap();
    expect![[r#"
        Den obligatoriska enheten P1 sv (P1) är ännu inte uppfylld.
        Poäng hittills: 0 av de 6 som behövs. Enheter som räknas: P1 sv (P1), P2 sv (P2), P3 sv (P3), P4 sv (P4) och P5 sv (P5).
        Vilken som helst av de här 3 kombinationerna av enheter uppfyller alla krav för T sv:
          P1 sv (P1, nivå 1, 2 poäng) och P4 sv (P4, nivå 3, 4 poäng): sammanlagt 6 poäng.
          P1 sv (P1, nivå 1, 2 poäng), P2 sv (P2, nivå 2, 3 poäng) och P3 sv (P3, nivå 1, 1 poäng): sammanlagt 6 poäng.
          P1 sv (P1, nivå 1, 2 poäng), P2 sv (P2, nivå 2, 3 poäng) och P5 sv (P5, nivå 1, 2 poäng): sammanlagt 7 poäng.
        Pakollinen yksikkö P1 fi (P1) ei vielä täyty.
        Osaamispisteet tähän mennessä: 0/6. Yksiköt, jotka lasketaan mukaan: P1 fi (P1), P2 fi (P2), P3 fi (P3), P4 fi (P4) ja P5 fi (P5).
        T fi: mikä tahansa näistä 3 yksikköyhdistelmästä riittää kaikkien vaatimusten täyttymiseen:
          P1 fi (P1, taso 1, 2 osaamispistettä) ja P4 fi (P4, taso 3, 4 osaamispistettä): yhteensä 6 osaamispistettä.
          P1 fi (P1, taso 1, 2 osaamispistettä), P2 fi (P2, taso 2, 3 osaamispistettä) ja P3 fi (P3, taso 1, 1 osaamispiste): yhteensä 6 osaamispistettä.
          P1 fi (P1, taso 1, 2 osaamispistettä), P2 fi (P2, taso 2, 3 osaamispistettä) ja P5 fi (P5, taso 1, 2 osaamispistettä): yhteensä 7 osaamispistettä.
        The mandatory unit P1 en (P1) is not yet met.
        Credits so far: 0 of the 6 needed. Units that count toward it: P1 en (P1), P2 en (P2), P3 en (P3), P4 en (P4) and P5 en (P5).
        Any one of these 3 sets of units would complete T en:
          P1 en (P1, Level 1, 2 credits) and P4 en (P4, Level 3, 4 credits): 6 credits in all.
          P1 en (P1, Level 1, 2 credits), P2 en (P2, Level 2, 3 credits) and P3 en (P3, Level 1, 1 credit): 6 credits in all.
          P1 en (P1, Level 1, 2 credits), P2 en (P2, Level 2, 3 credits) and P5 en (P5, Level 1, 2 credits): 7 credits in all.
        Yhdistelmiä on liian monta kaikkien kokeilemiseen, joten muitakin yhtä pieniä tapoja voi olla.
    "#]]
    .assert_eq(&out);
}
