//! A candidate's records, as the engine reads them: mapping notes, theory test results,
//! practical observations and prior-learning evidence. Storage keeps every revision; the
//! engine sees only the current ones.

use chrono::NaiveDate;

use super::framework::EvidenceKind;
use super::ids::{CriterionRef, PersonId, RecordRef, UnitCode};

/// One current record in a candidate's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Identity, cited by outcomes as support.
    pub id: RecordRef,
    /// The assessor who made it.
    pub author: PersonId,
    /// When the test or observation took place, or when the evidence was recorded.
    pub date: NaiveDate,
    /// What it says.
    pub body: RecordBody,
}

/// The kinds of record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordBody {
    /// Mapping interview notes and self-assessment; guides the assessment, never shows a
    /// criterion met.
    Mapping(MappingNote),
    /// A theory test result.
    Theory(TheoryTest),
    /// A practical test, observed against a checklist.
    Practical(PracticalObservation),
    /// A piece of prior-learning evidence.
    Evidence(EvidenceItem),
}

/// Notes from the mapping interview (*kartläggning*) and the candidate's self-assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingNote {
    /// Free text.
    pub notes: String,
    /// How the candidate rates themselves per unit.
    pub self_assessment: Vec<SelfAssessment>,
}

/// The candidate's own view of one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfAssessment {
    /// The unit.
    pub unit: UnitCode,
    /// How confident they are.
    pub confidence: Confidence,
}

/// Self-assessed confidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Confidence {
    /// "I can do this."
    Confident,
    /// "Some of it."
    Partly,
    /// "Not yet."
    NotYet,
}

impl Confidence {
    /// The kebab-case name used in the API and in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Confident => "confident",
            Confidence::Partly => "partly",
            Confidence::NotYet => "not-yet",
        }
    }
}

/// A confidence name we do not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown confidence '{0}': expected confident, partly or not-yet")]
pub struct UnknownConfidence(pub String);

impl std::str::FromStr for Confidence {
    type Err = UnknownConfidence;
    fn from_str(s: &str) -> Result<Self, UnknownConfidence> {
        [Confidence::Confident, Confidence::Partly, Confidence::NotYet]
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownConfidence(s.to_owned()))
    }
}

/// A theory test score. Invariant: `max > 0`, `score <= max`, `pass_mark <= max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Score {
    score: u32,
    max: u32,
    pass_mark: u32,
}

/// A score that breaks the invariant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    /// Maximum of zero.
    #[error("the maximum score must be at least 1")]
    ZeroMax,
    /// Score above the maximum.
    #[error("score {score} is above the maximum {max}")]
    ScoreAboveMax {
        /// Given score.
        score: u32,
        /// Given maximum.
        max: u32,
    },
    /// Pass mark above the maximum.
    #[error("pass mark {pass_mark} is above the maximum {max}")]
    PassMarkAboveMax {
        /// Given pass mark.
        pass_mark: u32,
        /// Given maximum.
        max: u32,
    },
}

impl Score {
    /// A checked score.
    pub fn new(score: u32, max: u32, pass_mark: u32) -> Result<Score, ScoreError> {
        if max == 0 {
            return Err(ScoreError::ZeroMax);
        }
        if score > max {
            return Err(ScoreError::ScoreAboveMax { score, max });
        }
        if pass_mark > max {
            return Err(ScoreError::PassMarkAboveMax { pass_mark, max });
        }
        Ok(Score { score, max, pass_mark })
    }

    /// Points scored.
    pub fn score(self) -> u32 {
        self.score
    }

    /// Maximum points.
    pub fn max(self) -> u32 {
        self.max
    }

    /// Points needed to pass.
    pub fn pass_mark(self) -> u32 {
        self.pass_mark
    }

    /// At or above the pass mark.
    pub fn passed(self) -> bool {
        self.score >= self.pass_mark
    }
}

/// A theory test result covering named criteria.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TheoryTest {
    /// Name of the test.
    pub title: String,
    /// The score.
    pub score: Score,
    /// Criteria the test covers; all are met when the test is passed.
    pub criteria: Vec<CriterionRef>,
}

/// A practical test observed against a checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PracticalObservation {
    /// What the task was and where.
    pub context: String,
    /// One line per observed criterion.
    pub items: Vec<ObservedCriterion>,
}

/// One checklist line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedCriterion {
    /// The criterion observed.
    pub criterion: CriterionRef,
    /// Met, or not yet met.
    pub met: bool,
    /// What the assessor saw.
    pub comment: String,
}

/// A piece of prior-learning evidence with the assessor's judgement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceItem {
    /// Kind of evidence.
    pub kind: EvidenceKind,
    /// What it is.
    pub description: String,
    /// Who issued it (employer, school); the candidate for a portfolio.
    pub issuer: String,
    /// When the evidence was issued or the work was done; currency counts from here.
    pub issued_on: NaiveDate,
    /// The assessor's judgement of validity, authenticity, sufficiency and reliability.
    /// Currency is not judged: the engine computes it from `issued_on` and the unit's window.
    pub judgement: Vasr,
    /// Criteria the assessor found it covers.
    pub criteria: Vec<CriterionRef>,
}

/// The judged parts of VACSR (currency is computed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Vasr {
    /// Valid: it shows the criterion in question.
    pub valid: bool,
    /// Authentic: it is the candidate's own.
    pub authentic: bool,
    /// Sufficient: it covers the criterion fully.
    pub sufficient: bool,
    /// Reliable: it would be judged the same by another assessor.
    pub reliable: bool,
}

impl Vasr {
    /// All four judged true.
    pub fn accepted(self) -> bool {
        self.valid && self.authentic && self.sufficient && self.reliable
    }
}

/// The assessor's reasons for the judgement of a piece of evidence, one optional text per part
/// of VACSR. Evaluation never reads them: they explain a judgement to the internal verifier
/// and to the candidate.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JudgementReasons {
    /// Why it is (not) valid.
    pub valid: Option<String>,
    /// Why it is (not) authentic.
    pub authentic: Option<String>,
    /// Why it is (not) current, e.g. older, but the candidate still does the work.
    pub current: Option<String>,
    /// Why it is (not) sufficient.
    pub sufficient: Option<String>,
    /// Why it is (not) reliable.
    pub reliable: Option<String>,
}

impl JudgementReasons {
    /// The parts, in VACSR order.
    pub const PARTS: [&'static str; 5] = ["valid", "authentic", "current", "sufficient", "reliable"];

    /// The reason given for `part`, if any.
    pub fn get(&self, part: &str) -> Option<&str> {
        match part {
            "valid" => self.valid.as_deref(),
            "authentic" => self.authentic.as_deref(),
            "current" => self.current.as_deref(),
            "sufficient" => self.sufficient.as_deref(),
            "reliable" => self.reliable.as_deref(),
            _ => None,
        }
    }

    /// Each reason given, with its part, in VACSR order.
    pub fn given(&self) -> impl Iterator<Item = (&'static str, &str)> {
        Self::PARTS.into_iter().filter_map(|p| self.get(p).map(|r| (p, r)))
    }

    /// No reason given at all.
    pub fn is_empty(&self) -> bool {
        self.given().next().is_none()
    }
}
