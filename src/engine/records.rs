//! A candidate's records, as the engine reads them: mapping notes, theory test results,
//! practical observations and prior-learning evidence. Storage keeps every revision; the
//! engine sees only the current ones.

use chrono::NaiveDate;

use super::framework::{EvidenceKind, PassPercent, TheoryTestDef};
use super::ids::{CriterionRef, PersonId, RecordRef, TheoryTestId, UnitCode};

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

/// A theory test score. Invariant: `max > 0`, `score <= max`, `pass_mark <= max`, and
/// `pass_mark >= 1` for every score made by [`Score::new`]; only [`Score::stored`] admits the
/// pass mark of 0 that results recorded before the rule may carry.
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
    /// A pass mark of 0 points, which any score would pass.
    #[error("the pass mark must be at least 1 point")]
    ZeroPassMark,
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
    /// A checked score for a new result: a pass mark of at least 1 point.
    pub fn new(score: u32, max: u32, pass_mark: u32) -> Result<Score, ScoreError> {
        if pass_mark == 0 && max > 0 && score <= max {
            return Err(ScoreError::ZeroPassMark);
        }
        Score::stored(score, max, pass_mark)
    }

    /// A score as stored. Results recorded before pass marks had to be at least 1 point may
    /// carry a pass mark of 0; they keep the meaning they had (any score passes), so a
    /// decision that rested on them reads the same.
    pub fn stored(score: u32, max: u32, pass_mark: u32) -> Result<Score, ScoreError> {
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
    /// Name of the test; for a defined test, its Swedish title when it was recorded.
    pub title: String,
    /// The score.
    pub score: Score,
    /// Criteria the test covers; all are met when the test is passed.
    pub criteria: Vec<CriterionRef>,
    /// The framework's test this is a result of, or `None` for an ad-hoc test (the assessor
    /// set title, maximum, pass mark and criteria), as every result recorded before frameworks
    /// defined their tests is.
    pub defined: Option<DefinedTest>,
}

/// Which of the framework's tests a result is for, and the pass mark in percent it was held
/// to (the points are in the [`Score`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinedTest {
    /// The test's id in the framework version.
    pub id: TheoryTestId,
    /// Its pass mark in percent.
    pub pass_percent: PassPercent,
}

impl TheoryTest {
    /// A result of `score` points on the framework's test `def`: maximum, pass mark (rounded up
    /// to whole points, see [`PassPercent::of`]) and criteria all come from the framework.
    pub fn defined(def: &TheoryTestDef, score: u32) -> Result<TheoryTest, ScoreError> {
        Ok(TheoryTest {
            title: def.title.sv.clone(),
            score: Score::new(score, def.max_score, def.pass_mark())?,
            criteria: def.criteria.clone(),
            defined: Some(DefinedTest { id: def.id.clone(), pass_percent: def.pass_percent }),
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::lang::Title;

    fn def(max_score: u32, percent: i64) -> TheoryTestDef {
        TheoryTestDef {
            id: TheoryTestId::parse("T1").unwrap(),
            title: Title { sv: "Prov".into(), fi: "Koe".into(), en: "Test".into() },
            max_score,
            pass_percent: PassPercent::new(percent).unwrap(),
            criteria: vec!["U1/1.1".parse().unwrap()],
        }
    }

    #[test]
    fn a_defined_test_passes_at_its_rounded_up_pass_mark_and_not_a_point_below() {
        let passed = |max, pct, score| TheoryTest::defined(&def(max, pct), score).unwrap().score.passed();
        assert!(passed(24, 60, 15), "24 × 60 % = 14.4: 15 points pass");
        assert!(!passed(24, 60, 14), "14 points are below 14.4");
        assert!(passed(20, 70, 14), "20 × 70 % = 14 exactly");
        assert!(!passed(20, 70, 13));
        assert!(!passed(24, 1, 0), "0 points never pass: the pass mark is at least 1");
        let t = TheoryTest::defined(&def(24, 60), 15).unwrap();
        assert_eq!((t.score.max(), t.score.pass_mark(), t.title.as_str()), (24, 15, "Prov"));
        assert_eq!(t.criteria, def(24, 60).criteria);
        assert_eq!(t.defined.map(|d| (d.id.to_string(), d.pass_percent.get())), Some(("T1".into(), 60)));
    }

    #[test]
    fn a_score_above_the_defined_maximum_is_refused() {
        assert_eq!(
            TheoryTest::defined(&def(24, 60), 25).unwrap_err(),
            ScoreError::ScoreAboveMax { score: 25, max: 24 }
        );
    }

    #[test]
    fn a_new_pass_mark_of_zero_is_refused_but_a_stored_one_keeps_its_meaning() {
        assert_eq!(Score::new(0, 24, 0), Err(ScoreError::ZeroPassMark));
        let old = Score::stored(0, 24, 0).unwrap();
        assert!(old.passed(), "recorded before the rule: it counted then and still does");
        assert_eq!(Score::new(30, 24, 0), Err(ScoreError::ScoreAboveMax { score: 30, max: 24 }));
    }
}
