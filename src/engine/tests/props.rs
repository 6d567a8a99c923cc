//! Property tests on random small frameworks: monotonicity of evaluation, unit achievement,
//! and the rules of combination against a brute-force oracle written from their definitions.

use std::collections::BTreeSet;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;

use super::fixtures::*;
use crate::engine::evaluate::{Outcome, QualificationStatus, UnitStatus, Verdict};
use crate::engine::framework::{
    Criterion, EvidenceKind, Framework, LearningOutcome, LevelCredits, Method, Qualification, Rules, Unit,
};
use crate::engine::ids::{CriterionId, CriterionRef, UnitCode};
use crate::engine::level::Level;
use crate::engine::records::{Record, Vasr};
use crate::engine::rules::{Shortfall, satisfiable, shortfalls};
use crate::engine::target;

/// Methods random criteria draw from; employer references are never accepted, so records of
/// that kind exercise `MethodNotAccepted`.
const METHODS: [Method; 4] = [
    Method::Practical,
    Method::Theory,
    Method::Evidence(EvidenceKind::WorkCertificate),
    Method::Evidence(EvidenceKind::Portfolio),
];

fn level_at(rank: usize) -> Level {
    Level::all().nth(rank).expect("rank below 11")
}

#[derive(Debug, Clone)]
struct UnitSpec {
    credits: u16,
    level: usize,
    currency: u8,
    /// One bit mask of `METHODS` per criterion.
    criteria: Vec<u8>,
}

#[derive(Debug, Clone)]
struct RulesSpec {
    mandatory: Vec<bool>,
    groups: Vec<(Vec<bool>, Index, u32)>,
    min_credits: Option<u32>,
    at_level: Vec<(usize, u32)>,
}

fn unit_spec() -> impl Strategy<Value = UnitSpec> {
    (1u16..=12, 0usize..11, 1u8..=5, vec(1u8..16, 1..=3))
        .prop_map(|(credits, level, currency, criteria)| UnitSpec { credits, level, currency, criteria })
}

fn rules_spec(n: usize) -> impl Strategy<Value = RulesSpec> {
    (
        vec(any::<bool>(), n),
        vec((vec(any::<bool>(), n), any::<Index>(), 0u32..8), 0..=2),
        proptest::option::of(0u32..30),
        vec((0usize..11, 0u32..20), 0..=2),
    )
        .prop_map(|(mandatory, groups, min_credits, at_level)| RulesSpec {
            mandatory,
            groups,
            min_credits,
            at_level,
        })
}

fn unit_code(i: usize) -> UnitCode {
    code(&format!("U{i}"))
}

fn build(units: &[UnitSpec], rules: &RulesSpec) -> Framework {
    let units: Vec<Unit> = units
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let criteria = s.criteria.iter().enumerate().map(|(j, mask)| Criterion {
                id: CriterionId::parse(&format!("1.{}", j + 1)).unwrap(),
                text: text("c"),
                methods: METHODS
                    .iter()
                    .enumerate()
                    .filter(|(b, _)| mask & (1 << b) != 0)
                    .map(|(_, m)| *m)
                    .collect(),
            });
            Unit {
                code: unit_code(i),
                level: level_at(s.level),
                credits: s.credits,
                currency_years: s.currency,
                outcomes: vec![LearningOutcome {
                    id: "1".into(),
                    text: text("o"),
                    criteria: criteria.collect(),
                }],
                ..unit("X", "")
            }
        })
        .collect();
    let n = units.len();
    let pick = |mask: &[bool]| (0..n).filter(|&i| mask[i]).map(unit_code).collect::<Vec<_>>();
    let optional_groups = rules
        .groups
        .iter()
        .map(|(mask, fallback, min)| {
            let mut members = pick(mask);
            if members.is_empty() {
                members.push(unit_code(fallback.index(n)));
            }
            // 0 makes the group a credit pool: its units count toward credits, none is required.
            let min_units = min % (1 + u32::try_from(members.len()).unwrap());
            let mut g = group("g", min_units, &[]);
            g.units = members;
            g
        })
        .collect();
    let rules = Rules {
        mandatory: pick(&rules.mandatory),
        optional_groups,
        min_credits: rules.min_credits,
        min_credits_at_level: rules
            .at_level
            .iter()
            .map(|&(l, credits)| LevelCredits { level: level_at(l), credits })
            .collect(),
    };
    framework(units, vec![qualification("Q", rules)])
}

fn frameworks() -> impl Strategy<Value = Framework> {
    (1usize..=8)
        .prop_flat_map(|n| (vec(unit_spec(), n), rules_spec(n)))
        .prop_map(|(units, rules)| build(&units, &rules))
}

/// A record drawn without regard to the framework; criteria are picked when it is built.
#[derive(Debug, Clone)]
enum RecordSpec {
    Mapping,
    Theory { criteria: Vec<Index>, score: u32, pass_mark: u32 },
    Observed { items: Vec<(Index, bool)> },
    Evidence { kind: usize, criteria: Vec<Index>, days_old: i64, judgement: [bool; 4] },
}

fn record_spec() -> impl Strategy<Value = (i64, RecordSpec)> {
    let body = prop_oneof![
        Just(RecordSpec::Mapping),
        (vec(any::<Index>(), 1..=3), 0u32..=10, 0u32..=10)
            .prop_map(|(criteria, score, pass_mark)| RecordSpec::Theory { criteria, score, pass_mark }),
        vec((any::<Index>(), any::<bool>()), 1..=3).prop_map(|items| RecordSpec::Observed { items }),
        (
            0usize..5,
            vec(any::<Index>(), 1..=3),
            0i64..2500,
            proptest::array::uniform4(prop::bool::weighted(0.8))
        )
            .prop_map(|(kind, criteria, days_old, judgement)| RecordSpec::Evidence {
                kind,
                criteria,
                days_old,
                judgement
            }),
    ];
    // A few records dated after the assessment date.
    (-3i64..400, body)
}

fn all_refs(fw: &Framework) -> Vec<CriterionRef> {
    fw.units.iter().flat_map(|u| u.criteria().map(|c| u.criterion_ref(c))).collect()
}

fn days_before_today(days: i64) -> String {
    (d(TODAY) - chrono::TimeDelta::days(days)).to_string()
}

fn build_records(fw: &Framework, specs: &[(i64, RecordSpec)]) -> Vec<Record> {
    let refs: Vec<String> = all_refs(fw).iter().map(ToString::to_string).collect();
    let pick = |ix: &[Index]| ix.iter().map(|i| i.get(&refs).as_str()).collect::<Vec<_>>();
    specs
        .iter()
        .enumerate()
        .map(|(n, (back, spec))| {
            let id = format!("r{n}");
            let date = days_before_today(*back);
            match spec {
                RecordSpec::Mapping => mapping(&id, &date),
                RecordSpec::Theory { criteria, score, pass_mark } => {
                    theory(&id, &date, *score, *pass_mark, &pick(criteria))
                }
                RecordSpec::Observed { items } => {
                    let items: Vec<(&str, bool)> =
                        items.iter().map(|(i, m)| (i.get(&refs).as_str(), *m)).collect();
                    observed(&id, &date, &items)
                }
                RecordSpec::Evidence { kind, criteria, days_old, judgement: [v, a, s, r] } => {
                    let j = Vasr { valid: *v, authentic: *a, sufficient: *s, reliable: *r };
                    let issued = days_before_today(back + days_old);
                    evidence(&id, &date, EvidenceKind::ALL[*kind], &issued, j, &pick(criteria))
                }
            }
        })
        .collect()
}

/// A record that counts for the criterion `target` picks, by a method `method` picks among
/// those the framework accepts for it.
fn counting_record(fw: &Framework, target: &Index, method: &Index) -> (Record, String) {
    let refs = all_refs(fw);
    let r = target.get(&refs);
    let accepted: Vec<Method> = fw.criterion(r).unwrap().methods.iter().copied().collect();
    let c = r.to_string();
    let record = match *method.get(&accepted) {
        Method::Practical => observed("new", TODAY, &[(&c, true)]),
        Method::Theory => theory("new", TODAY, 8, 5, &[&c]),
        Method::Evidence(kind) => evidence("new", TODAY, kind, TODAY, ACCEPTED, &[&c]),
    };
    (record, c)
}

fn confirmed_codes(fw: &Framework, picks: &[Index]) -> Vec<String> {
    picks.iter().map(|i| i.get(&fw.units).code.to_string()).collect()
}

fn eval_with(fw: &Framework, records: &[Record], confirmed: &[String]) -> Outcome {
    let confirmed: Vec<&str> = confirmed.iter().map(String::as_str).collect();
    eval(fw, records, &confirmed)
}

/// The failing rules of `q` for `achieved`, counted straight from the rule definitions.
fn oracle_failures(fw: &Framework, q: &Qualification, achieved: &BTreeSet<&str>) -> usize {
    let credits =
        |c: &str| fw.units.iter().find(|u| u.code.as_str() == c).map(|u| (u32::from(u.credits), u.level));
    let mandatory: BTreeSet<&str> = q.rules.mandatory.iter().map(|c| c.as_str()).collect();
    let mut failures = mandatory.iter().filter(|m| !achieved.contains(*m)).count();
    let mut all_units = mandatory.clone();
    for g in &q.rules.optional_groups {
        let members: BTreeSet<&str> = g.units.iter().map(|c| c.as_str()).collect();
        let have = members.iter().filter(|m| achieved.contains(*m)).count();
        failures += usize::from(have < g.min_units as usize);
        all_units.extend(members);
    }
    let sum_from = |min: Level| -> u32 {
        let achieved_units = all_units.iter().filter(|u| achieved.contains(*u));
        achieved_units.filter_map(|u| credits(u)).filter(|(_, l)| *l >= min).map(|(c, _)| c).sum()
    };
    let lowest = level_at(0);
    failures += usize::from(q.rules.min_credits.is_some_and(|need| sum_from(lowest) < need));
    failures += q.rules.min_credits_at_level.iter().filter(|lc| sum_from(lc.level) < lc.credits).count();
    failures
}

/// How far `achieved` is from `q`: one per missing mandatory unit, plus each group's missing
/// units and each credit rule's missing credits. Every rule is monotone, so a unit lowers this
/// exactly when it counts toward a rule not yet met.
fn distance(fw: &Framework, q: &Qualification, achieved: &[UnitCode]) -> u64 {
    shortfalls(fw, q, achieved)
        .iter()
        .map(|s| match s {
            Shortfall::MandatoryUnit(_) => 1,
            Shortfall::OptionalGroup { need, have, .. }
            | Shortfall::Credits { need, have }
            | Shortfall::CreditsAtLevel { need, have, .. } => u64::from(need - have),
        })
        .sum()
}

/// `done` and `extra` as one set of codes.
fn union<'a>(done: &'a [UnitCode], extra: &[&'a UnitCode]) -> BTreeSet<&'a str> {
    done.iter().chain(extra.iter().copied()).map(|c| c.as_str()).collect()
}

fn rank(s: UnitStatus) -> (u8, usize) {
    match s {
        UnitStatus::NotStarted => (0, 0),
        UnitStatus::InProgress { met, .. } => (1, met),
        UnitStatus::Provisional | UnitStatus::Confirmed => (2, 0),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_counting_record_never_takes_anything_away(
        fw in frameworks(),
        specs in vec(record_spec(), 0..12),
        // Counting records too, so that units and qualifications are often achieved before.
        counting in vec((any::<Index>(), any::<Index>()), 0..24),
        confirmed in vec(any::<Index>(), 0..6),
        target in any::<Index>(),
        method in any::<Index>(),
    ) {
        let confirmed = confirmed_codes(&fw, &confirmed);
        let mut records = build_records(&fw, &specs);
        records.extend(counting.iter().map(|(t, m)| counting_record(&fw, t, m).0));
        let before = eval_with(&fw, &records, &confirmed);
        let (extra, target) = counting_record(&fw, &target, &method);
        records.push(extra);
        let after = eval_with(&fw, &records, &confirmed);

        for (b, a) in before.criteria.iter().zip(&after.criteria) {
            prop_assert!(!b.met || a.met, "{} became unmet", b.criterion);
            if a.criterion.to_string() == target {
                prop_assert!(a.met);
                prop_assert_eq!(a.considered.last().map(|(_, v)| v), Some(&Verdict::Counts));
            }
        }
        for (b, a) in before.units.iter().zip(&after.units) {
            prop_assert!(rank(a.status) >= rank(b.status), "{}: {:?} -> {:?}", b.unit, b.status, a.status);
            if b.status.is_achieved() {
                prop_assert_eq!(a.status, b.status);
            }
        }
        for (b, a) in before.qualifications.iter().zip(&after.qualifications) {
            match b.status {
                QualificationStatus::Awarded => prop_assert_eq!(&a.status, &QualificationStatus::Awarded),
                QualificationStatus::Provisional => {
                    prop_assert!(!matches!(a.status, QualificationStatus::NotYet(_)))
                }
                QualificationStatus::NotYet(_) => {}
            }
        }
    }

    #[test]
    fn a_unit_is_achieved_exactly_when_all_its_criteria_are_met(
        fw in frameworks(),
        specs in vec(record_spec(), 0..16),
        confirmed in vec(any::<Index>(), 0..6),
    ) {
        let confirmed = confirmed_codes(&fw, &confirmed);
        let o = eval_with(&fw, &build_records(&fw, &specs), &confirmed);
        for u in &o.units {
            let mine: Vec<_> = o.criteria.iter().filter(|c| c.criterion.unit == u.unit).collect();
            let met = mine.iter().filter(|c| c.met).count();
            prop_assert_eq!(u.status.is_achieved(), met == mine.len());
            let expected = if confirmed.contains(&u.unit.to_string()) {
                UnitStatus::Confirmed
            } else if met == mine.len() {
                UnitStatus::Provisional
            } else if met == 0 {
                UnitStatus::NotStarted
            } else {
                UnitStatus::InProgress { met, total: mine.len() }
            };
            prop_assert_eq!(u.status, expected);
        }
        for c in &o.criteria {
            let counts = c.considered.iter().any(|(_, v)| *v == Verdict::Counts);
            let confirmed_unit = confirmed.contains(&c.criterion.unit.to_string());
            prop_assert_eq!(c.met, counts || confirmed_unit);
        }
        let gaps: Vec<_> = o.gaps.iter().map(|g| &g.criterion).collect();
        let unmet_of_open_units: Vec<_> = o
            .criteria
            .iter()
            .filter(|c| !c.met && o.units.iter().any(|u| u.unit == c.criterion.unit && !u.status.is_achieved()))
            .map(|c| &c.criterion)
            .collect();
        prop_assert_eq!(gaps, unmet_of_open_units);
    }

    #[test]
    fn shortfalls_agree_with_the_rule_definitions(
        fw in frameworks(),
        achieved in vec(any::<bool>(), 8),
        stray in any::<bool>(),
    ) {
        let q = &fw.qualifications[0];
        let mut codes: Vec<UnitCode> =
            fw.units.iter().zip(&achieved).filter(|(_, a)| **a).map(|(u, _)| u.code.clone()).collect();
        if stray {
            codes.push(code("NOT-IN-FRAMEWORK"));
        }
        let set: BTreeSet<&str> = codes.iter().map(|c| c.as_str()).collect();
        let found = shortfalls(&fw, q, &codes);
        prop_assert_eq!(found.len(), oracle_failures(&fw, q, &set));
    }

    #[test]
    fn satisfiable_agrees_with_trying_every_subset(fw in frameworks()) {
        let q = &fw.qualifications[0];
        let mut units: BTreeSet<&str> = q.rules.mandatory.iter().map(|c| c.as_str()).collect();
        units.extend(q.rules.optional_groups.iter().flat_map(|g| g.units.iter().map(|c| c.as_str())));
        let units: Vec<&str> = units.into_iter().collect();
        let some_subset_works = (0u32..1 << units.len()).any(|bits| {
            let subset = units.iter().enumerate().filter(|(i, _)| bits & (1 << i) != 0).map(|(_, u)| *u).collect();
            oracle_failures(&fw, q, &subset) == 0
        });
        prop_assert_eq!(satisfiable(&fw, q), some_subset_works);
    }

    #[test]
    fn closing_sets_complete_the_qualification_and_none_smaller_or_cheaper_does(
        fw in frameworks(),
        achieved in vec(any::<bool>(), 8),
    ) {
        let q = &fw.qualifications[0];
        let done: Vec<UnitCode> =
            fw.units.iter().zip(&achieved).filter(|(_, a)| **a).map(|(u, _)| u.code.clone()).collect();
        let r = target::report_for(&fw, q, &done, &[]);
        prop_assert!(!r.capped, "eight units never exhaust the budget");
        let listed: BTreeSet<&UnitCode> = q.rules.units().into_iter().collect();
        let open: Vec<&UnitCode> =
            fw.units.iter().map(|u| &u.code).filter(|c| listed.contains(c) && !done.contains(c)).collect();
        let credits = |set: &[&UnitCode]| -> u32 {
            set.iter().filter_map(|c| fw.unit(c)).map(|u| u32::from(u.credits)).sum()
        };

        // A unit is named by a need exactly when it counts toward a rule not yet met.
        let counting = r.counting_units();
        let before = distance(&fw, q, &done);
        for u in &open {
            let mut plus = done.clone();
            plus.push((*u).clone());
            let counts = distance(&fw, q, &plus) < before;
            prop_assert_eq!(counting.contains(u), counts, "{}", u);
        }
        prop_assert!(counting.iter().all(|u| open.contains(u)));

        let holds = oracle_failures(&fw, q, &union(&done, &[])) == 0;
        prop_assert_eq!(r.needs.is_empty(), holds);
        if holds {
            prop_assert!(r.closing.is_empty());
            return Ok(());
        }
        // Every set completes the qualification, no unit in it can be left out, and each unit is
        // one that counts.
        for s in &r.closing {
            let set: Vec<&UnitCode> = s.units.iter().collect();
            prop_assert_eq!(oracle_failures(&fw, q, &union(&done, &set)), 0, "{:?}", s);
            prop_assert_eq!(s.credits, credits(&set));
            for skip in 0..set.len() {
                let fewer: Vec<&UnitCode> =
                    set.iter().enumerate().filter(|(i, _)| *i != skip).map(|(_, c)| *c).collect();
                prop_assert!(oracle_failures(&fw, q, &union(&done, &fewer)) > 0, "{} could be left out", set[skip]);
                prop_assert!(counting.contains(set[skip]));
            }
        }
        let keys: Vec<(usize, u32)> = r.closing.iter().map(|s| (s.units.len(), s.credits)).collect();
        prop_assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{:?}", keys);
        prop_assert!(r.closing.len() <= target::MAX_SETS);
        // The first set is the smallest, then cheapest, of all subsets of the open units.
        let best = (0u32..1 << open.len())
            .map(|bits| open.iter().enumerate().filter(|(i, _)| bits & (1 << i) != 0).map(|(_, c)| *c).collect::<Vec<_>>())
            .filter(|set| oracle_failures(&fw, q, &union(&done, set)) == 0)
            .map(|set| (set.len(), credits(&set)))
            .min();
        prop_assert_eq!(keys.first().copied(), best);
    }
}
