//! Benchmarks of the assessment engine: one evaluation of a realistic candidate file, next to
//! a baseline of work any evaluation must do, so figures can be compared across machines.
//!
//! Run: `cargo bench --bench engine -- --warm-up-time 1 --measurement-time 3`.

use std::collections::{BTreeSet, HashMap};
use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion as Bench, criterion_group, criterion_main};
use validera::engine::evaluate::{Input, evaluate};
use validera::engine::framework::{
    Criterion, EvidenceKind, Framework, LearningOutcome, LevelCredits, Method, OptionalGroup, Qualification,
    Rules, Unit,
};
use validera::engine::ids::{CriterionId, CriterionRef, PersonId, RecordRef, UnitCode};
use validera::engine::lang::{Text, Title};
use validera::engine::level::Level;
use validera::engine::records::{
    EvidenceItem, ObservedCriterion, PracticalObservation, Record, RecordBody, Score, TheoryTest, Vasr,
};

const UNITS: usize = 20;
const OUTCOMES: usize = 2;
const CRITERIA_PER_OUTCOME: usize = 5;
const RECORDS: usize = 500;

fn text(s: &str) -> Text {
    Text { sv: s.into(), fi: None, en: s.into() }
}

fn title(s: &str) -> Title {
    Title { sv: s.into(), fi: s.into(), en: s.into() }
}

fn unit_code(i: usize) -> UnitCode {
    UnitCode::parse(&format!("U{i:02}")).expect("valid code")
}

/// Accepted methods cycle through five mixes, so every kind of record meets some criteria it
/// may show and some it may not.
fn methods(n: usize) -> BTreeSet<Method> {
    use EvidenceKind::*;
    use Method::*;
    let mixes: [&[Method]; 5] = [
        &[Practical, Theory],
        &[Theory],
        &[Practical, Evidence(WorkCertificate)],
        &[Practical, Evidence(EmployerReference), Evidence(Portfolio)],
        &[Theory, Evidence(WorkCertificate), Evidence(ProfessionalDiscussion)],
    ];
    mixes[n % mixes.len()].iter().copied().collect()
}

/// 20 units of 10 criteria each; one qualification: 10 mandatory units, two groups of five
/// with three to choose, 100 credits, 40 at level 3 or above.
fn framework() -> Framework {
    let units: Vec<Unit> = (0..UNITS)
        .map(|u| Unit {
            code: unit_code(u),
            title: title("unit"),
            description: text("unit"),
            level: Level::numbered(1 + (u % 4) as u8).expect("level 1-4"),
            credits: 3 + (u % 5) as u16,
            currency_years: 3 + (u % 3) as u8,
            validity_years: None,
            outcomes: (1..=OUTCOMES)
                .map(|o| LearningOutcome {
                    id: o.to_string(),
                    text: text("outcome"),
                    criteria: (1..=CRITERIA_PER_OUTCOME)
                        .map(|c| Criterion {
                            id: CriterionId::parse(&format!("{o}.{c}")).expect("valid id"),
                            text: text("criterion"),
                            methods: methods(u + o + c),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let group = |from: usize| OptionalGroup {
        title: title("group"),
        min_units: 3,
        units: (from..from + 5).map(unit_code).collect(),
    };
    let rules = Rules {
        mandatory: (0..10).map(unit_code).collect(),
        optional_groups: vec![group(10), group(15)],
        min_credits: Some(100),
        min_credits_at_level: vec![LevelCredits { level: Level::numbered(3).expect("level 3"), credits: 40 }],
    };
    let q = Qualification {
        code: "Q".parse().expect("valid code"),
        title: title("qualification"),
        description: text("qualification"),
        validity_years: None,
        rules,
    };
    Framework {
        id: "bench".parse().expect("valid id"),
        version: "1".parse().expect("valid version"),
        title: title("bench"),
        awarding_body: "bench".into(),
        description: text("bench"),
        units,
        qualifications: vec![q],
        theory_tests: Vec::new(),
    }
}

/// A small deterministic generator, so every run measures the same file.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % below as u64) as usize
    }
}

/// 500 records: 30% theory tests (3 criteria, one in four below the pass mark), 40%
/// observations (3 lines, one in five not yet met), 30% evidence (2 criteria, one in seven
/// not accepted, one in five issued ten years ago so not current).
fn records(fw: &Framework, today: NaiveDate) -> Vec<Record> {
    let refs: Vec<CriterionRef> =
        fw.units.iter().flat_map(|u| u.criteria().map(|c| u.criterion_ref(c))).collect();
    let mut rng = Lcg(42);
    let pick =
        |n: usize, rng: &mut Lcg| (0..n).map(|_| refs[rng.next(refs.len())].clone()).collect::<Vec<_>>();
    (0..RECORDS)
        .map(|i| {
            let date = today - chrono::Days::new(rng.next(365) as u64);
            let body = match rng.next(10) {
                0..=2 => {
                    let score = Score::new(if i % 4 == 0 { 10 } else { 30 }, 40, 20).expect("valid score");
                    RecordBody::Theory(TheoryTest {
                        title: "test".into(),
                        score,
                        criteria: pick(3, &mut rng),
                        defined: None,
                    })
                }
                3..=6 => RecordBody::Practical(PracticalObservation {
                    context: "task".into(),
                    items: pick(3, &mut rng)
                        .into_iter()
                        .map(|criterion| ObservedCriterion {
                            criterion,
                            met: rng.next(5) != 0,
                            comment: String::new(),
                        })
                        .collect(),
                }),
                _ => {
                    let accepted = i % 7 != 0;
                    let years_old = if i % 5 == 0 { 10 } else { 1 };
                    RecordBody::Evidence(EvidenceItem {
                        kind: EvidenceKind::ALL[rng.next(EvidenceKind::ALL.len())],
                        description: "evidence".into(),
                        issuer: "employer".into(),
                        issued_on: date - chrono::Months::new(12 * years_old),
                        judgement: Vasr {
                            valid: true,
                            authentic: true,
                            sufficient: accepted,
                            reliable: true,
                        },
                        criteria: pick(2, &mut rng),
                    })
                }
            };
            Record { id: RecordRef(format!("r{i}")), author: PersonId("assessor".into()), date, body }
        })
        .collect()
}

fn benches(c: &mut Bench) {
    let fw = framework();
    let today = NaiveDate::from_ymd_opt(2026, 11, 27).expect("valid date");
    let records = records(&fw, today);
    let confirmed = [unit_code(0), unit_code(1)];
    let input =
        Input { framework: &fw, assessment_date: today, records: &records, confirmed_units: &confirmed };

    c.bench_function("evaluate/20 units, 200 criteria, 500 records", |b| {
        b.iter(|| evaluate(black_box(&input)))
    });

    // Baseline: cloning the 200 criterion refs into a HashMap to their position, which any
    // evaluation that returns owned refs per criterion must at least do.
    c.bench_function("baseline/HashMap of 200 owned criterion refs", |b| {
        b.iter(|| {
            let fw = black_box(&fw);
            let map: HashMap<CriterionRef, usize> = fw
                .units
                .iter()
                .flat_map(|u| u.criteria().map(|c| u.criterion_ref(c)))
                .enumerate()
                .map(|(i, r)| (r, i))
                .collect();
            map
        })
    });
}

criterion_group!(engine, benches);
criterion_main!(engine);
