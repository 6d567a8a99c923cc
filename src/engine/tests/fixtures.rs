//! Small builders for frameworks and records, and a compact rendering of outcomes for
//! snapshots.

use std::collections::BTreeSet;
use std::fmt::Write;

use chrono::NaiveDate;

use crate::engine::evaluate::{Input, Outcome, QualificationStatus, UnitStatus, Verdict, evaluate};
use crate::engine::framework::{
    Criterion, EvidenceKind, Framework, LearningOutcome, Method, OptionalGroup, Qualification, Rules, Unit,
};
use crate::engine::ids::{CriterionId, CriterionRef, PersonId, QualificationCode, RecordRef, UnitCode};
use crate::engine::lang::{Text, Title};
use crate::engine::level::Level;
use crate::engine::records::{
    EvidenceItem, MappingNote, ObservedCriterion, PracticalObservation, Record, RecordBody, Score,
    TheoryTest, Vasr,
};
use crate::engine::rules::Shortfall;

/// The assessment date of every example.
pub const TODAY: &str = "2026-11-27";

pub fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub fn code(s: &str) -> UnitCode {
    UnitCode::parse(s).unwrap()
}

pub fn cref(s: &str) -> CriterionRef {
    s.parse().unwrap()
}

pub fn title(sv: &str, fi: &str, en: &str) -> Title {
    Title { sv: sv.into(), fi: fi.into(), en: en.into() }
}

pub fn text(s: &str) -> Text {
    Text { sv: s.into(), fi: None, en: s.into() }
}

/// Methods from letters: p practical, t theory, e employer reference, w work certificate,
/// f portfolio, s witness testimony, d professional discussion.
pub fn methods(spec: &str) -> BTreeSet<Method> {
    spec.chars()
        .map(|c| match c {
            'p' => Method::Practical,
            't' => Method::Theory,
            'e' => Method::Evidence(EvidenceKind::EmployerReference),
            'w' => Method::Evidence(EvidenceKind::WorkCertificate),
            'f' => Method::Evidence(EvidenceKind::Portfolio),
            's' => Method::Evidence(EvidenceKind::WitnessTestimony),
            'd' => Method::Evidence(EvidenceKind::ProfessionalDiscussion),
            other => panic!("unknown method letter {other}"),
        })
        .collect()
}

/// A unit from `"1.1:pt 1.2:w 2.1:f"`: criterion id, then method letters; the outcome is the
/// part of the id before the dot. Level 2, 5 credits, 5 years' currency unless changed.
pub fn unit(code_: &str, criteria: &str) -> Unit {
    let mut outcomes: Vec<LearningOutcome> = Vec::new();
    for spec in criteria.split_whitespace() {
        let (id, ms) = spec.split_once(':').unwrap();
        let outcome = id.split('.').next().unwrap();
        let c = Criterion { id: CriterionId::parse(id).unwrap(), text: text(id), methods: methods(ms) };
        match outcomes.last_mut() {
            Some(o) if o.id == outcome => o.criteria.push(c),
            _ => {
                outcomes.push(LearningOutcome { id: outcome.into(), text: text(outcome), criteria: vec![c] })
            }
        }
    }
    Unit {
        code: code(code_),
        title: title(&format!("{code_} sv"), &format!("{code_} fi"), &format!("{code_} en")),
        description: text(code_),
        level: Level::numbered(2).unwrap(),
        credits: 5,
        currency_years: 5,
        validity_years: None,
        outcomes,
    }
}

pub fn level(n: u8) -> Level {
    Level::numbered(n).unwrap()
}

pub fn qualification(code_: &str, rules: Rules) -> Qualification {
    Qualification {
        code: QualificationCode::parse(code_).unwrap(),
        title: title(&format!("{code_} sv"), &format!("{code_} fi"), &format!("{code_} en")),
        description: text(code_),
        validity_years: None,
        rules,
    }
}

pub fn group(name: &str, min_units: u32, units: &[&str]) -> OptionalGroup {
    OptionalGroup {
        title: title(name, name, name),
        min_units,
        units: units.iter().map(|u| code(u)).collect(),
    }
}

pub fn framework(units: Vec<Unit>, qualifications: Vec<Qualification>) -> Framework {
    Framework {
        id: "test".parse().unwrap(),
        version: "1".parse().unwrap(),
        title: title("Test", "Testi", "Test"),
        awarding_body: "Test".into(),
        description: text("test"),
        units,
        qualifications,
        theory_tests: Vec::new(),
    }
}

/// The framework most examples use:
/// - A, level 1, 3 credits, 5 years: 1.1 practical/theory, 1.2 work certificate/portfolio;
/// - B, level 3, 5 credits, 3 years: 1.1 practical, 2.1 theory/portfolio;
/// - C, level 3, 4 credits, 5 years: 1.1 theory/employer reference;
/// - Q: A mandatory, 1 of B and C, 8 credits, 4 at level 3.
pub fn shop() -> Framework {
    let a = Unit { level: level(1), credits: 3, ..unit("A", "1.1:pt 1.2:wf") };
    let b = Unit { level: level(3), credits: 5, currency_years: 3, ..unit("B", "1.1:p 2.1:tf") };
    let c = Unit { level: level(3), credits: 4, ..unit("C", "1.1:te") };
    let q = qualification(
        "Q",
        Rules {
            mandatory: vec![code("A")],
            optional_groups: vec![group("Choice", 1, &["B", "C"])],
            min_credits: Some(8),
            min_credits_at_level: vec![crate::engine::framework::LevelCredits {
                level: level(3),
                credits: 4,
            }],
        },
    );
    framework(vec![a, b, c], vec![q])
}

fn record(id: &str, date: &str, body: RecordBody) -> Record {
    Record { id: RecordRef(id.into()), author: PersonId("assessor".into()), date: d(date), body }
}

pub fn theory(id: &str, date: &str, score: u32, pass_mark: u32, criteria: &[&str]) -> Record {
    let score = Score::stored(score, 10, pass_mark).unwrap();
    let criteria = criteria.iter().map(|c| cref(c)).collect();
    record(id, date, RecordBody::Theory(TheoryTest { title: "test".into(), score, criteria, defined: None }))
}

pub fn observed(id: &str, date: &str, items: &[(&str, bool)]) -> Record {
    let items = items
        .iter()
        .map(|&(c, met)| ObservedCriterion { criterion: cref(c), met, comment: String::new() })
        .collect();
    record(id, date, RecordBody::Practical(PracticalObservation { context: "task".into(), items }))
}

pub const ACCEPTED: Vasr = Vasr { valid: true, authentic: true, sufficient: true, reliable: true };

pub fn evidence(
    id: &str,
    date: &str,
    kind: EvidenceKind,
    issued_on: &str,
    judgement: Vasr,
    criteria: &[&str],
) -> Record {
    let criteria = criteria.iter().map(|c| cref(c)).collect();
    let item = EvidenceItem {
        kind,
        description: "evidence".into(),
        issuer: "employer".into(),
        issued_on: d(issued_on),
        judgement,
        criteria,
    };
    record(id, date, RecordBody::Evidence(item))
}

pub fn mapping(id: &str, date: &str) -> Record {
    record(id, date, RecordBody::Mapping(MappingNote { notes: "notes".into(), self_assessment: vec![] }))
}

pub fn eval(fw: &Framework, records: &[Record], confirmed: &[&str]) -> Outcome {
    let confirmed: Vec<UnitCode> = confirmed.iter().map(|c| code(c)).collect();
    evaluate(&Input { framework: fw, assessment_date: d(TODAY), records, confirmed_units: &confirmed })
}

pub fn render_verdict(v: &Verdict) -> String {
    match v {
        Verdict::Counts => "counts".into(),
        Verdict::MethodNotAccepted { method } => format!("method-not-accepted {method}"),
        Verdict::BelowPassMark { score, pass_mark } => format!("below-pass-mark {score}<{pass_mark}"),
        Verdict::ObservedNotYetMet => "observed-not-yet-met".into(),
        Verdict::NotCurrent { issued_on, window_years } => format!("not-current {issued_on} {window_years}y"),
        Verdict::NotAccepted { failed } => format!("not-accepted {}", failed.join("+")),
        Verdict::FutureDated { date } => format!("future-dated {date}"),
    }
}

pub fn render_shortfalls(s: &[Shortfall]) -> String {
    let one = |s: &Shortfall| match s {
        Shortfall::MandatoryUnit(u) => format!("mandatory {u}"),
        Shortfall::OptionalGroup { group, need, have } => format!("group {group} {have}/{need}"),
        Shortfall::Credits { need, have } => format!("credits {have}/{need}"),
        Shortfall::CreditsAtLevel { level, need, have } => format!("credits at {level} {have}/{need}"),
    };
    s.iter().map(one).collect::<Vec<_>>().join("; ")
}

/// One line per criterion, unit, qualification and gap.
pub fn render(o: &Outcome) -> String {
    let mut out = String::new();
    for c in &o.criteria {
        let considered: Vec<String> =
            c.considered.iter().map(|(r, v)| format!("{} {}", r.0, render_verdict(v))).collect();
        let met = if c.met { "met" } else { "not yet" };
        match considered.is_empty() {
            true => writeln!(out, "{} {met}", c.criterion),
            false => writeln!(out, "{} {met}: {}", c.criterion, considered.join(", ")),
        }
        .unwrap();
    }
    for u in &o.units {
        let s = match u.status {
            UnitStatus::Confirmed => "confirmed".into(),
            UnitStatus::Provisional => "provisional".into(),
            UnitStatus::InProgress { met, total } => format!("in progress {met}/{total}"),
            UnitStatus::NotStarted => "not started".into(),
        };
        writeln!(out, "unit {} {s}", u.unit).unwrap();
    }
    for q in &o.qualifications {
        let s = match &q.status {
            QualificationStatus::Awarded => "awarded".into(),
            QualificationStatus::Provisional => "provisional".into(),
            QualificationStatus::NotYet(s) => format!("not yet: {}", render_shortfalls(s)),
        };
        writeln!(out, "qualification {} {s}", q.qualification).unwrap();
    }
    for g in &o.gaps {
        let m: Vec<&str> = g.methods.iter().map(|m| m.as_str()).collect();
        writeln!(out, "gap {}: {}", g.criterion, m.join(" ")).unwrap();
    }
    out
}
