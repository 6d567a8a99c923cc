//! The competence framework model: units, learning outcomes, assessment criteria with their
//! accepted methods, and qualifications with rules of combination.
//!
//! Policy: a `Framework` is built by [`crate::engine::load`], which checks every invariant
//! listed on these types; code that builds one by hand (tests, benchmarks) must keep them.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use super::ids::{
    CriterionId, CriterionRef, FrameworkId, FrameworkVersion, QualificationCode, TheoryTestId, UnitCode,
};
use super::lang::{Text, Title};
use super::level::Level;

/// A versioned competence framework. Invariants: unit codes, criterion ids within a unit and
/// qualification codes are unique; every criterion has at least one method; every rule names
/// existing units and can be satisfied; theory test ids are unique and every criterion a test
/// covers exists and accepts the theory method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Framework {
    /// Stable id across versions.
    pub id: FrameworkId,
    /// This version; immutable once an assessment uses it.
    pub version: FrameworkVersion,
    /// Title in sv, fi, en.
    pub title: Title,
    /// Who awards credit for it (e.g. a regional validation cooperation).
    pub awarding_body: String,
    /// What the framework is for.
    pub description: Text,
    /// Units, in the order the framework lists them.
    pub units: Vec<Unit>,
    /// Qualifications built from the units.
    pub qualifications: Vec<Qualification>,
    /// The theory tests the framework defines; results are recorded against these.
    pub theory_tests: Vec<TheoryTestDef>,
}

impl Framework {
    /// The unit with `code`.
    pub fn unit(&self, code: &UnitCode) -> Option<&Unit> {
        self.units.iter().find(|u| &u.code == code)
    }

    /// The qualification with `code`.
    pub fn qualification(&self, code: &QualificationCode) -> Option<&Qualification> {
        self.qualifications.iter().find(|q| &q.code == code)
    }

    /// The criterion `r` refers to.
    pub fn criterion(&self, r: &CriterionRef) -> Option<&Criterion> {
        self.unit(&r.unit)?.criteria().find(|c| c.id == r.criterion)
    }

    /// The theory test with `id`.
    pub fn theory_test(&self, id: &TheoryTestId) -> Option<&TheoryTestDef> {
        self.theory_tests.iter().find(|t| &t.id == id)
    }

    /// The defined theory test that covers criterion `r`, if any. A criterion a defined test
    /// covers is shown by that test only, never by an ad-hoc one.
    pub fn theory_test_covering(&self, r: &CriterionRef) -> Option<&TheoryTestDef> {
        self.theory_tests.iter().find(|t| t.criteria.contains(r))
    }

    /// The number of criteria across all units.
    pub fn criterion_count(&self) -> usize {
        self.units.iter().map(|u| u.criteria().count()).sum()
    }
}

/// A unit of assessment. Achieved when every criterion is met by an accepted method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Code, unique within the framework.
    pub code: UnitCode,
    /// Title in sv, fi, en.
    pub title: Title,
    /// What the unit covers.
    pub description: Text,
    /// OCN level.
    pub level: Level,
    /// Credit value; 1 credit is 10 notional learning hours. Range 1–60.
    pub credits: u16,
    /// Prior-learning evidence older than this many years at the assessment date does not
    /// count on its own. Range 1–50.
    pub currency_years: u8,
    /// A certificate for this unit is valid this many years, if the framework limits it
    /// (e.g. hygiene or safety units).
    pub validity_years: Option<u8>,
    /// Learning outcomes, each with its criteria.
    pub outcomes: Vec<LearningOutcome>,
}

impl Unit {
    /// All assessment criteria of the unit, in order.
    pub fn criteria(&self) -> impl Iterator<Item = &Criterion> {
        self.outcomes.iter().flat_map(|o| o.criteria.iter())
    }

    /// A reference to criterion `c` of this unit.
    pub fn criterion_ref(&self, c: &Criterion) -> CriterionRef {
        CriterionRef::new(self.code.clone(), c.id.clone())
    }
}

/// "The learner will …": a learning outcome with its assessment criteria.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LearningOutcome {
    /// Number within the unit (`1`).
    pub id: String,
    /// The outcome.
    pub text: Text,
    /// Its criteria; at least one.
    pub criteria: Vec<Criterion>,
}

/// "The learner can …": one assessment criterion and the methods that may show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    /// Number within the unit (`1.2`).
    pub id: CriterionId,
    /// The criterion.
    pub text: Text,
    /// Accepted methods; never empty.
    pub methods: BTreeSet<Method>,
}

/// How a criterion may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// Observed by an assessor in a practical test.
    Practical,
    /// A theory test at or above its pass mark.
    Theory,
    /// Prior-learning evidence of this kind.
    Evidence(EvidenceKind),
}

/// Kinds of prior-learning evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EvidenceKind {
    /// A reference from an employer.
    EmployerReference,
    /// A work certificate (*arbetsintyg*, *työtodistus*).
    WorkCertificate,
    /// A portfolio or a product the candidate made.
    Portfolio,
    /// A witness testimony.
    WitnessTestimony,
    /// A recorded professional discussion with the assessor.
    ProfessionalDiscussion,
}

impl EvidenceKind {
    /// Every kind.
    pub const ALL: [EvidenceKind; 5] = [
        EvidenceKind::EmployerReference,
        EvidenceKind::WorkCertificate,
        EvidenceKind::Portfolio,
        EvidenceKind::WitnessTestimony,
        EvidenceKind::ProfessionalDiscussion,
    ];

    /// The kebab-case name used in framework files and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::EmployerReference => "employer-reference",
            EvidenceKind::WorkCertificate => "work-certificate",
            EvidenceKind::Portfolio => "portfolio",
            EvidenceKind::WitnessTestimony => "witness-testimony",
            EvidenceKind::ProfessionalDiscussion => "professional-discussion",
        }
    }
}

/// A method name we do not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown method '{0}': expected practical, theory, employer-reference, work-certificate, portfolio, witness-testimony or professional-discussion"
)]
pub struct UnknownMethod(pub String);

/// An evidence kind name we do not know. Every evidence kind is a method, but not every method
/// is an evidence kind: a practical observation and a theory test are records of their own, so
/// naming one as evidence gets a message that says where it belongs instead of a list that
/// seems to contain it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnknownEvidenceKind {
    /// `practical` or `theory`: the record kind, and what such a record is.
    #[error(
        "'{0}' is an assessment method, not a kind of evidence: {1} is a record of its own (kind \"{0}\"); \
         evidence kinds are {EVIDENCE_KINDS}"
    )]
    OwnRecord(&'static str, &'static str),
    /// Anything else.
    #[error("unknown evidence kind '{0}': expected {EVIDENCE_KINDS}")]
    Unknown(String),
}

const EVIDENCE_KINDS: &str =
    "employer-reference, work-certificate, portfolio, witness-testimony or professional-discussion";

impl FromStr for EvidenceKind {
    type Err = UnknownEvidenceKind;
    fn from_str(s: &str) -> Result<Self, UnknownEvidenceKind> {
        EvidenceKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| match s {
            "practical" => UnknownEvidenceKind::OwnRecord("practical", "a practical observation"),
            "theory" => UnknownEvidenceKind::OwnRecord("theory", "a theory test"),
            other => UnknownEvidenceKind::Unknown(other.to_owned()),
        })
    }
}

impl Method {
    /// The kebab-case name used in framework files and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Practical => "practical",
            Method::Theory => "theory",
            Method::Evidence(k) => k.as_str(),
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Method {
    type Err = UnknownMethod;
    fn from_str(s: &str) -> Result<Self, UnknownMethod> {
        match s {
            "practical" => Ok(Method::Practical),
            "theory" => Ok(Method::Theory),
            other => other.parse().map(Method::Evidence).map_err(|_| UnknownMethod(other.to_owned())),
        }
    }
}

/// A theory test as the framework defines it: every assessor gives the same test the same pass
/// mark. Invariants (the loader's): `max_score >= 1`, criteria exist, accept
/// [`Method::Theory`] and are listed once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TheoryTestDef {
    /// Id, unique within the framework version.
    pub id: TheoryTestId,
    /// Title in sv, fi, en.
    pub title: Title,
    /// The most points a candidate can score; at least 1.
    pub max_score: u32,
    /// The share of `max_score` needed to pass.
    pub pass_percent: PassPercent,
    /// The criteria a pass shows; at least one.
    pub criteria: Vec<CriterionRef>,
}

impl TheoryTestDef {
    /// Points needed to pass: see [`PassPercent::of`].
    pub fn pass_mark(&self) -> u32 {
        self.pass_percent.of(self.max_score)
    }
}

/// A pass mark in percent, 1 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PassPercent(u8);

/// A pass mark in percent outside 1–100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a pass mark must be between 1 and 100 percent, got {0}")]
pub struct PassPercentOutOfRange(pub i64);

impl PassPercent {
    /// A checked percentage.
    pub fn new(percent: i64) -> Result<PassPercent, PassPercentOutOfRange> {
        match u8::try_from(percent) {
            Ok(p @ 1..=100) => Ok(PassPercent(p)),
            _ => Err(PassPercentOutOfRange(percent)),
        }
    }

    /// The percentage.
    pub fn get(self) -> u8 {
        self.0
    }

    /// The pass mark in points for a test of `max_score` points: the least whole number of
    /// points that is at least `pass_percent` of `max_score`, i.e. ceil(max × percent / 100),
    /// computed in integers so no rounding of a decimal can move it (24 × 60 % = 14.4 → 15;
    /// 20 × 70 % = 14 exactly → 14). With a percent of at least 1 and a maximum of at least 1 it
    /// is at least 1 point, and never more than the maximum.
    pub fn of(self, max_score: u32) -> u32 {
        let scaled = u64::from(max_score) * u64::from(self.0);
        // At most max_score, since percent <= 100.
        u32::try_from(scaled.div_ceil(100)).unwrap_or(max_score)
    }
}

/// A qualification: units combined by rules. Awarded when every rule holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Qualification {
    /// Code, unique within the framework.
    pub code: QualificationCode,
    /// Title in sv, fi, en.
    pub title: Title,
    /// What it qualifies for.
    pub description: Text,
    /// A certificate is valid this many years, if limited.
    pub validity_years: Option<u8>,
    /// The rules of combination.
    pub rules: Rules,
}

/// Rules of combination. Every rule is monotone (achieving more units never breaks one), so
/// the qualification can be satisfied exactly when achieving all of its units satisfies it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rules {
    /// Units that must all be achieved.
    pub mandatory: Vec<UnitCode>,
    /// Groups of optional units, each with a minimum number to achieve (0 for a credit pool).
    pub optional_groups: Vec<OptionalGroup>,
    /// Minimum total credits from the qualification's units.
    pub min_credits: Option<u32>,
    /// Minimum credits from the qualification's units at or above a level.
    pub min_credits_at_level: Vec<LevelCredits>,
}

impl Rules {
    /// The qualification's units: mandatory ones, then every optional group's, without repeats.
    pub fn units(&self) -> Vec<&UnitCode> {
        let mut seen = BTreeSet::new();
        self.mandatory
            .iter()
            .chain(self.optional_groups.iter().flat_map(|g| g.units.iter()))
            .filter(|u| seen.insert(*u))
            .collect()
    }
}

/// "At least `min_units` of these".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionalGroup {
    /// Name of the group, shown in the gap report.
    pub title: Title,
    /// How many of `units` must be achieved; at most `units.len()`. 0 makes the group a credit
    /// pool: its units count toward the credit rules, none is required (the loader allows it
    /// only in a qualification with a credit rule).
    pub min_units: u32,
    /// The choices.
    pub units: Vec<UnitCode>,
}

/// "At least `credits` credits at `level` or above".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelCredits {
    /// The lowest level that counts.
    pub level: Level,
    /// Credits needed.
    pub credits: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pass_mark_rounds_up_to_whole_points() {
        let pct = |p| PassPercent::new(p).unwrap();
        assert_eq!(pct(60).of(24), 15, "14.4 points are not enough: 15 are needed");
        assert_eq!(pct(70).of(20), 14, "exactly 14 points");
        assert_eq!(pct(50).of(1), 1);
        assert_eq!(pct(1).of(1), 1, "never 0 points");
        assert_eq!(pct(1).of(24), 1);
        assert_eq!(pct(100).of(24), 24);
        assert_eq!(pct(99).of(100), 99);
        assert_eq!(pct(99).of(101), 100, "99.99 → 100");
        assert_eq!(pct(100).of(u32::MAX), u32::MAX, "no overflow");
        assert_eq!(pct(50).of(u32::MAX), u32::MAX / 2 + 1);
    }

    #[test]
    fn a_pass_percent_is_1_to_100() {
        assert_eq!(PassPercent::new(0), Err(PassPercentOutOfRange(0)));
        assert_eq!(PassPercent::new(101), Err(PassPercentOutOfRange(101)));
        assert_eq!(PassPercent::new(-5), Err(PassPercentOutOfRange(-5)));
        assert_eq!(PassPercent::new(1).map(PassPercent::get), Ok(1));
        assert_eq!(PassPercent::new(100).map(PassPercent::get), Ok(100));
    }

    #[test]
    fn method_names_round_trip() {
        for m in [Method::Practical, Method::Theory]
            .into_iter()
            .chain(EvidenceKind::ALL.into_iter().map(Method::Evidence))
        {
            assert_eq!(m.as_str().parse::<Method>(), Ok(m));
        }
        assert!("exam".parse::<Method>().is_err());
    }

    #[test]
    fn a_method_that_is_not_an_evidence_kind_is_refused_as_evidence_with_the_kinds_listed() {
        let practical = "practical".parse::<EvidenceKind>().unwrap_err().to_string();
        assert_eq!(
            practical,
            "'practical' is an assessment method, not a kind of evidence: a practical observation is a record \
             of its own (kind \"practical\"); evidence kinds are employer-reference, work-certificate, portfolio, \
             witness-testimony or professional-discussion"
        );
        let theory = "theory".parse::<EvidenceKind>().unwrap_err().to_string();
        assert!(theory.starts_with("'theory' is an assessment method"), "{theory}");
        assert!(theory.contains("a theory test is a record of its own (kind \"theory\")"), "{theory}");
        assert_eq!(
            "exam".parse::<EvidenceKind>().unwrap_err().to_string(),
            "unknown evidence kind 'exam': expected employer-reference, work-certificate, portfolio, \
             witness-testimony or professional-discussion"
        );
        // In a framework file both are methods, and an unknown one still lists every method.
        assert_eq!("practical".parse::<Method>(), Ok(Method::Practical));
        assert!("exam".parse::<Method>().unwrap_err().to_string().contains("expected practical, theory, "));
    }
}
