//! Evaluates a candidate's records against a framework: criteria met, units achieved,
//! qualifications awarded, and the gap report.

mod entry;
mod verdict;

pub use entry::{EntryWarning, entry_warnings};

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use chrono::NaiveDate;

use super::framework::{Criterion, Framework, Method, Unit};
use super::ids::{CriterionId, CriterionRef, QualificationCode, RecordRef, UnitCode};
use super::records::Record;
use super::rules::{self, Shortfall};

/// Everything the engine needs for one evaluation.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    /// The framework version the assessment is bound to.
    pub framework: &'a Framework,
    /// The date currency windows are measured at (normally today).
    pub assessment_date: NaiveDate,
    /// The candidate's current records.
    pub records: &'a [Record],
    /// Units already confirmed by an internal verifier (credit accumulation): they stay
    /// achieved whatever later records say.
    pub confirmed_units: &'a [UnitCode],
}

/// How one record bears on one criterion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// It shows the criterion met.
    Counts,
    /// The framework does not accept this method for the criterion.
    MethodNotAccepted {
        /// The method used.
        method: Method,
    },
    /// A theory test below its pass mark.
    BelowPassMark {
        /// Points scored.
        score: u32,
        /// Points needed.
        pass_mark: u32,
    },
    /// Observed, and judged not yet met.
    ObservedNotYetMet,
    /// Evidence older than the unit's currency window at the assessment date.
    NotCurrent {
        /// When the evidence was issued.
        issued_on: NaiveDate,
        /// The unit's window in years.
        window_years: u8,
    },
    /// Evidence not judged valid, authentic, sufficient and reliable.
    NotAccepted {
        /// Which judgements failed, in VASR order (`valid`, `authentic`, `sufficient`, `reliable`).
        failed: Vec<&'static str>,
    },
    /// A record dated after the assessment date.
    FutureDated {
        /// The record's date.
        date: NaiveDate,
    },
}

/// One criterion's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriterionOutcome {
    /// The criterion.
    pub criterion: CriterionRef,
    /// Met by at least one counting record, or by a confirmed unit.
    pub met: bool,
    /// Every record that names this criterion, with its verdict.
    pub considered: Vec<(RecordRef, Verdict)>,
}

/// A unit's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitStatus {
    /// Confirmed by an internal verifier in an earlier decision.
    Confirmed,
    /// Every criterion met, awaiting internal verification.
    Provisional,
    /// Some criteria met.
    InProgress {
        /// Criteria met.
        met: usize,
        /// Criteria in the unit.
        total: usize,
    },
    /// No criterion met yet.
    NotStarted,
}

impl UnitStatus {
    /// Confirmed or provisional.
    pub fn is_achieved(self) -> bool {
        matches!(self, UnitStatus::Confirmed | UnitStatus::Provisional)
    }
}

/// A unit's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitOutcome {
    /// The unit.
    pub unit: UnitCode,
    /// Its status.
    pub status: UnitStatus,
}

/// A qualification's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QualificationStatus {
    /// Every rule holds with confirmed units alone.
    Awarded,
    /// Every rule holds once provisional units are confirmed.
    Provisional,
    /// Rules still unsatisfied, counting provisional units as achieved.
    NotYet(Vec<Shortfall>),
}

/// A qualification's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QualificationOutcome {
    /// The qualification.
    pub qualification: QualificationCode,
    /// Its status.
    pub status: QualificationStatus,
}

/// A criterion not yet met and the methods that could still show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// The criterion.
    pub criterion: CriterionRef,
    /// Methods the framework accepts for it.
    pub methods: Vec<Method>,
}

/// The full outcome of one evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Per criterion, in framework order.
    pub criteria: Vec<CriterionOutcome>,
    /// Per unit, in framework order.
    pub units: Vec<UnitOutcome>,
    /// Per qualification, in framework order.
    pub qualifications: Vec<QualificationOutcome>,
    /// Unmet criteria of units not yet achieved, in framework order.
    pub gaps: Vec<Gap>,
}

/// Evaluates `input`. Records that name criteria outside the framework are ignored here;
/// the API refuses them before they are stored.
///
/// Which verdict a record gets when several problems apply is documented in
/// `evaluate/verdict.rs`: `FutureDated` > `MethodNotAccepted` > `NotAccepted` > `NotCurrent` >
/// `BelowPassMark` / `ObservedNotYetMet`. A record naming the same criterion twice with the
/// same verdict is listed once under `considered`; conflicting checklist lines are all listed.
pub fn evaluate(input: &Input<'_>) -> Outcome {
    let fw = input.framework;
    let index = Index::new(fw, input.assessment_date);
    let mut criteria = index.outcomes();
    // Per criterion, the record that last added to `considered`, to drop repeated mentions.
    let mut last_record = vec![usize::MAX; criteria.len()];

    for (ri, record) in input.records.iter().enumerate() {
        verdict::for_each_claim(record, |cref, method, claim| {
            let Some(slot) = index.slots.get(&(&cref.unit, &cref.criterion)) else { return };
            let v = verdict::judge(
                record.date,
                method,
                claim,
                &slot.criterion.methods,
                input.assessment_date,
                slot.window,
            );
            let out = &mut criteria[slot.index];
            if last_record[slot.index] == ri && out.considered.last().is_some_and(|(_, last)| *last == v) {
                return;
            }
            last_record[slot.index] = ri;
            out.met |= v == Verdict::Counts;
            out.considered.push((record.id.clone(), v));
        });
    }

    let confirmed: HashSet<&UnitCode> = input.confirmed_units.iter().collect();
    let mut statuses = HashMap::with_capacity(fw.units.len());
    let mut units = Vec::with_capacity(fw.units.len());
    let mut gaps = Vec::new();
    for (unit, range) in fw.units.iter().zip(&index.ranges) {
        let mine = &mut criteria[range.clone()];
        let status = if confirmed.contains(&unit.code) {
            // Credit accumulation: a verified unit stays achieved whatever later records say.
            mine.iter_mut().for_each(|c| c.met = true);
            UnitStatus::Confirmed
        } else {
            unit_status(mine.iter().filter(|c| c.met).count(), mine.len())
        };
        if !status.is_achieved() {
            let unmet = unit.criteria().zip(mine.iter()).filter(|(_, o)| !o.met);
            gaps.extend(unmet.map(|(c, o)| Gap {
                criterion: o.criterion.clone(),
                methods: c.methods.iter().copied().collect(),
            }));
        }
        statuses.insert(&unit.code, (unit, status));
        units.push(UnitOutcome { unit: unit.code.clone(), status });
    }

    let lookup = |code: &UnitCode| statuses.get(code).map(|(u, _)| *u);
    let qualifications = fw
        .qualifications
        .iter()
        .map(|q| {
            let is =
                |code: &UnitCode, ok: fn(UnitStatus) -> bool| statuses.get(code).is_some_and(|(_, s)| ok(*s));
            let confirmed_only = rules::shortfalls_with(q, lookup, |c| is(c, |s| s == UnitStatus::Confirmed));
            let status = if confirmed_only.is_empty() {
                QualificationStatus::Awarded
            } else {
                let with_provisional = rules::shortfalls_with(q, lookup, |c| is(c, UnitStatus::is_achieved));
                if with_provisional.is_empty() {
                    QualificationStatus::Provisional
                } else {
                    QualificationStatus::NotYet(with_provisional)
                }
            };
            QualificationOutcome { qualification: q.code.clone(), status }
        })
        .collect();

    Outcome { criteria, units, qualifications, gaps }
}

fn unit_status(met: usize, total: usize) -> UnitStatus {
    // A unit without criteria is vacuously complete: "every criterion met" holds.
    match met {
        m if m == total => UnitStatus::Provisional,
        0 => UnitStatus::NotStarted,
        met => UnitStatus::InProgress { met, total },
    }
}

/// Where a framework criterion lives in the outcome, built once per call so that each claim is
/// one hash lookup rather than a scan of the framework.
struct Slot<'f> {
    index: usize,
    criterion: &'f Criterion,
    window: verdict::Window,
}

struct Index<'f> {
    fw: &'f Framework,
    slots: HashMap<(&'f UnitCode, &'f CriterionId), Slot<'f>>,
    /// Per unit, its criteria's positions in the outcome.
    ranges: Vec<Range<usize>>,
}

impl<'f> Index<'f> {
    fn new(fw: &'f Framework, assessment_date: NaiveDate) -> Self {
        let mut slots = HashMap::with_capacity(fw.criterion_count());
        let mut ranges = Vec::with_capacity(fw.units.len());
        let mut index = 0;
        for unit in &fw.units {
            let window = verdict::Window::new(assessment_date, unit.currency_years);
            let start = index;
            for criterion in unit.criteria() {
                // Ids are unique by invariant; should one repeat, the first keeps the records.
                slots.entry((&unit.code, &criterion.id)).or_insert(Slot { index, criterion, window });
                index += 1;
            }
            ranges.push(start..index);
        }
        Index { fw, slots, ranges }
    }

    fn outcomes(&self) -> Vec<CriterionOutcome> {
        let units = self.fw.units.iter();
        let all = units.flat_map(|u: &'f Unit| u.criteria().map(move |c| u.criterion_ref(c)));
        all.map(|criterion| CriterionOutcome { criterion, met: false, considered: Vec::new() }).collect()
    }
}
