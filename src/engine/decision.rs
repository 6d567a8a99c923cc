//! Decisions: an assessor proposes, an internal verifier confirms.
//!
//! Policy: only a [`VerifiedDecision`] can be certified, and the only way to get one is
//! [`ProvisionalDecision::confirm`], which enforces the four-eyes rule. There is no other
//! constructor, so a certificate for an unverified decision cannot be written.

use super::evaluate::{Outcome, QualificationStatus, UnitStatus};
use super::ids::{PersonId, QualificationCode, RecordRef, UnitCode};
use super::records::Record;

/// Why a decision cannot be proposed or confirmed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionError {
    /// No unit is newly achieved, so there is nothing to verify.
    #[error("no unit is newly achieved: there is nothing to submit for verification")]
    NothingToDecide,
    /// The verifier made the decision or one of the records it rests on.
    #[error(
        "the internal verifier must be a different person from the assessor and from the authors of the records"
    )]
    SamePerson,
}

/// An assessor's decision, awaiting internal verification. It cannot be certified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvisionalDecision {
    assessor: PersonId,
    units: Vec<UnitCode>,
    qualification: Option<QualificationCode>,
    based_on: Vec<RecordRef>,
    record_authors: Vec<PersonId>,
}

impl ProvisionalDecision {
    /// Proposes the units `outcome` shows as provisionally achieved, and `target` if the
    /// outcome shows that qualification provisionally met. `records` are the records the
    /// outcome was computed from; their authors are kept for the four-eyes check.
    pub fn propose(
        outcome: &Outcome,
        target: Option<&QualificationCode>,
        assessor: PersonId,
        records: &[Record],
    ) -> Result<Self, DecisionError> {
        let units: Vec<UnitCode> = outcome
            .units
            .iter()
            .filter(|u| u.status == UnitStatus::Provisional)
            .map(|u| u.unit.clone())
            .collect();
        let qualification = target.filter(|code| {
            outcome
                .qualifications
                .iter()
                .any(|q| &q.qualification == *code && q.status == QualificationStatus::Provisional)
        });
        let based_on = records.iter().map(|r| r.id.clone()).collect();
        let record_authors = records.iter().map(|r| r.author.clone()).collect();
        Self::from_parts(assessor, units, qualification.cloned(), based_on, record_authors)
    }

    /// Rebuilds a stored proposal. Confirming it still goes through [`Self::confirm`].
    pub fn from_parts(
        assessor: PersonId,
        units: Vec<UnitCode>,
        qualification: Option<QualificationCode>,
        based_on: Vec<RecordRef>,
        mut record_authors: Vec<PersonId>,
    ) -> Result<Self, DecisionError> {
        if units.is_empty() && qualification.is_none() {
            return Err(DecisionError::NothingToDecide);
        }
        record_authors.sort();
        record_authors.dedup();
        Ok(Self { assessor, units, qualification, based_on, record_authors })
    }

    /// The assessor who proposed it.
    pub fn assessor(&self) -> &PersonId {
        &self.assessor
    }

    /// Units proposed as achieved.
    pub fn units(&self) -> &[UnitCode] {
        &self.units
    }

    /// The qualification proposed as awarded, if any.
    pub fn qualification(&self) -> Option<&QualificationCode> {
        self.qualification.as_ref()
    }

    /// Records the decision rests on.
    pub fn based_on(&self) -> &[RecordRef] {
        &self.based_on
    }

    /// Authors of those records, sorted and without repeats.
    pub fn record_authors(&self) -> &[PersonId] {
        &self.record_authors
    }

    /// Confirms the decision as internal verifier. Four eyes: the verifier must be neither
    /// the assessor nor an author of any record the decision rests on.
    pub fn confirm(self, verifier: PersonId) -> Result<VerifiedDecision, DecisionError> {
        if verifier == self.assessor || self.record_authors.contains(&verifier) {
            return Err(DecisionError::SamePerson);
        }
        Ok(VerifiedDecision { decision: self, verifier })
    }
}

/// A decision confirmed by an internal verifier: the only kind that may be certified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedDecision {
    decision: ProvisionalDecision,
    verifier: PersonId,
}

impl VerifiedDecision {
    /// The confirmed proposal.
    pub fn decision(&self) -> &ProvisionalDecision {
        &self.decision
    }

    /// Who confirmed it.
    pub fn verifier(&self) -> &PersonId {
        &self.verifier
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(s: &str) -> PersonId {
        PersonId(s.to_owned())
    }

    fn proposal(assessor: &str, authors: &[&str]) -> ProvisionalDecision {
        ProvisionalDecision::from_parts(
            person(assessor),
            vec![UnitCode::parse("U1").unwrap()],
            None,
            vec![RecordRef("r1".into())],
            authors.iter().map(|a| person(a)).collect(),
        )
        .unwrap()
    }

    #[test]
    fn verifier_who_assessed_cannot_confirm() {
        assert_eq!(proposal("anna", &["anna"]).confirm(person("anna")), Err(DecisionError::SamePerson));
    }

    #[test]
    fn verifier_who_wrote_a_record_cannot_confirm() {
        assert_eq!(proposal("anna", &["bo"]).confirm(person("bo")), Err(DecisionError::SamePerson));
    }

    #[test]
    fn a_second_person_confirms() {
        let v = proposal("anna", &["anna"]).confirm(person("cia")).unwrap();
        assert_eq!(v.verifier(), &person("cia"));
        assert_eq!(v.decision().units().len(), 1);
    }

    #[test]
    fn an_empty_decision_cannot_be_made() {
        let r = ProvisionalDecision::from_parts(person("a"), vec![], None, vec![], vec![]);
        assert_eq!(r, Err(DecisionError::NothingToDecide));
    }
}
