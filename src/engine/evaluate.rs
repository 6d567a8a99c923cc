//! Evaluates a candidate's records against a framework: criteria met, units achieved,
//! qualifications awarded, and the gap report.

use chrono::NaiveDate;

use super::framework::{Framework, Method};
use super::ids::{CriterionRef, QualificationCode, RecordRef, UnitCode};
use super::records::Record;
use super::rules::Shortfall;

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
pub fn evaluate(input: &Input<'_>) -> Outcome {
    let _ = input;
    unimplemented!("engine helper")
}
