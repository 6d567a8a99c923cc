//! The JSON a record revision stores. Versioned by its `kind` tag; a change of shape gets a new
//! kind name, so old revisions keep reading. A field added with a default that gives old
//! revisions their old meaning is not a change of shape (a theory result's `defined`: absent
//! in every result stored before frameworks defined tests, and in every ad-hoc one since).

use serde::{Deserialize, Serialize};

use crate::db::DbError;
use crate::engine::framework::EvidenceKind;
use crate::engine::framework::PassPercent;
use crate::engine::ids::TheoryTestId;
use crate::engine::ids::{CriterionRef, PersonId, RecordRef, UnitCode};
use crate::engine::records::{
    Confidence, DefinedTest, EvidenceItem, JudgementReasons, MappingNote, ObservedCriterion,
    PracticalObservation, Record, RecordBody, Score, SelfAssessment, TheoryTest, Vasr,
};

use super::RecordRevision;

/// A record body as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum StoredRecordBody {
    Mapping {
        notes: String,
        self_assessment: Vec<(String, String)>,
    },
    Theory {
        title: String,
        score: u32,
        max: u32,
        pass_mark: u32,
        criteria: Vec<String>,
        /// The framework's test it is a result of; absent for an ad-hoc test.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        defined: Option<StoredDefinedTest>,
    },
    Practical {
        context: String,
        items: Vec<(String, bool, String)>,
    },
    Evidence {
        evidence_kind: String,
        description: String,
        issuer: String,
        issued_on: chrono::NaiveDate,
        valid: bool,
        authentic: bool,
        sufficient: bool,
        reliable: bool,
        criteria: Vec<String>,
    },
}

/// Which of the framework's tests a theory result is for.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredDefinedTest {
    test: String,
    pass_percent: u8,
}

fn corrupt(what: impl std::fmt::Display) -> DbError {
    DbError::Corrupt(what.to_string())
}

impl From<&RecordBody> for StoredRecordBody {
    fn from(b: &RecordBody) -> Self {
        let refs = |v: &[CriterionRef]| v.iter().map(ToString::to_string).collect();
        match b {
            RecordBody::Mapping(m) => StoredRecordBody::Mapping {
                notes: m.notes.clone(),
                self_assessment: m
                    .self_assessment
                    .iter()
                    .map(|s| (s.unit.to_string(), s.confidence.as_str().to_owned()))
                    .collect(),
            },
            RecordBody::Theory(t) => StoredRecordBody::Theory {
                title: t.title.clone(),
                score: t.score.score(),
                max: t.score.max(),
                pass_mark: t.score.pass_mark(),
                criteria: refs(&t.criteria),
                defined: t.defined.as_ref().map(|d| StoredDefinedTest {
                    test: d.id.to_string(),
                    pass_percent: d.pass_percent.get(),
                }),
            },
            RecordBody::Practical(p) => StoredRecordBody::Practical {
                context: p.context.clone(),
                items: p.items.iter().map(|i| (i.criterion.to_string(), i.met, i.comment.clone())).collect(),
            },
            RecordBody::Evidence(e) => StoredRecordBody::Evidence {
                evidence_kind: e.kind.as_str().to_owned(),
                description: e.description.clone(),
                issuer: e.issuer.clone(),
                issued_on: e.issued_on,
                valid: e.judgement.valid,
                authentic: e.judgement.authentic,
                sufficient: e.judgement.sufficient,
                reliable: e.judgement.reliable,
                criteria: refs(&e.criteria),
            },
        }
    }
}

impl StoredRecordBody {
    /// The kind name stored beside the JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            StoredRecordBody::Mapping { .. } => "mapping",
            StoredRecordBody::Theory { .. } => "theory",
            StoredRecordBody::Practical { .. } => "practical",
            StoredRecordBody::Evidence { .. } => "evidence",
        }
    }

    /// Back to the engine's type.
    pub fn to_engine(&self) -> Result<RecordBody, DbError> {
        let refs = |v: &[String]| -> Result<Vec<CriterionRef>, DbError> {
            v.iter().map(|s| s.parse().map_err(corrupt)).collect()
        };
        Ok(match self {
            StoredRecordBody::Mapping { notes, self_assessment } => RecordBody::Mapping(MappingNote {
                notes: notes.clone(),
                self_assessment: self_assessment
                    .iter()
                    .map(|(u, c)| {
                        Ok(SelfAssessment {
                            unit: UnitCode::parse(u).map_err(corrupt)?,
                            confidence: c.parse::<Confidence>().map_err(corrupt)?,
                        })
                    })
                    .collect::<Result<_, DbError>>()?,
            }),
            StoredRecordBody::Theory { title, score, max, pass_mark, criteria, defined } => {
                RecordBody::Theory(TheoryTest {
                    title: title.clone(),
                    // Stored: a pass mark of 0 from before the rule keeps its meaning.
                    score: Score::stored(*score, *max, *pass_mark).map_err(corrupt)?,
                    criteria: refs(criteria)?,
                    defined: defined
                        .as_ref()
                        .map(|d| {
                            Ok::<_, DbError>(DefinedTest {
                                id: TheoryTestId::parse(&d.test).map_err(corrupt)?,
                                pass_percent: PassPercent::new(d.pass_percent.into()).map_err(corrupt)?,
                            })
                        })
                        .transpose()?,
                })
            }
            StoredRecordBody::Practical { context, items } => RecordBody::Practical(PracticalObservation {
                context: context.clone(),
                items: items
                    .iter()
                    .map(|(c, met, comment)| {
                        Ok(ObservedCriterion {
                            criterion: c.parse().map_err(corrupt)?,
                            met: *met,
                            comment: comment.clone(),
                        })
                    })
                    .collect::<Result<_, DbError>>()?,
            }),
            StoredRecordBody::Evidence {
                evidence_kind,
                description,
                issuer,
                issued_on,
                valid,
                authentic,
                sufficient,
                reliable,
                criteria,
            } => RecordBody::Evidence(EvidenceItem {
                kind: evidence_kind.parse::<EvidenceKind>().map_err(corrupt)?,
                description: description.clone(),
                issuer: issuer.clone(),
                issued_on: *issued_on,
                judgement: Vasr {
                    valid: *valid,
                    authentic: *authentic,
                    sufficient: *sufficient,
                    reliable: *reliable,
                },
                criteria: refs(criteria)?,
            }),
        })
    }
}

/// [`JudgementReasons`] as `records.judgement_reasons` stores them: only the parts given.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredReasons {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    valid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    authentic: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    current: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sufficient: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reliable: Option<String>,
}

/// The column's value for `r`: `None` when no reason is given.
pub fn store_reasons(r: &JudgementReasons) -> Option<String> {
    if r.is_empty() {
        return None;
    }
    let JudgementReasons { valid, authentic, current, sufficient, reliable } = r.clone();
    serde_json::to_string(&StoredReasons { valid, authentic, current, sufficient, reliable }).ok()
}

impl RecordRevision {
    /// The assessor's reasons for an evidence judgement (empty for other records).
    pub fn judgement_reasons(&self) -> Result<JudgementReasons, DbError> {
        let Some(json) = &self.judgement_reasons else { return Ok(JudgementReasons::default()) };
        let StoredReasons { valid, authentic, current, sufficient, reliable } =
            serde_json::from_str(json).map_err(corrupt)?;
        Ok(JudgementReasons { valid, authentic, current, sufficient, reliable })
    }

    /// The stored body.
    pub fn stored_body(&self) -> Result<StoredRecordBody, DbError> {
        serde_json::from_str(&self.body).map_err(corrupt)
    }

    /// The engine's view of this revision. The engine cites the revision id, so a decision
    /// names exactly the revisions it rests on.
    pub fn to_engine(&self) -> Result<Record, DbError> {
        Ok(Record {
            id: RecordRef(self.id.clone()),
            author: PersonId(self.author_id.clone()),
            date: self.record_date,
            body: self.stored_body()?.to_engine()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_theory_result_stored_before_defined_tests_reads_as_before_even_with_a_pass_mark_of_zero() {
        let old =
            r#"{"kind":"theory","title":"Prov","score":0,"max":24,"pass_mark":0,"criteria":["DBS-01/1.2"]}"#;
        let body: StoredRecordBody = serde_json::from_str(old).unwrap();
        let RecordBody::Theory(t) = body.to_engine().unwrap() else { panic!("a theory record") };
        assert_eq!((t.title.as_str(), t.score.score(), t.score.pass_mark()), ("Prov", 0, 0));
        assert!(t.defined.is_none(), "no test named: an ad-hoc result");
        assert!(t.score.passed(), "it counted when it was recorded and still does");
        // Written back, an ad-hoc result has the old shape exactly.
        assert_eq!(serde_json::to_string(&StoredRecordBody::from(&RecordBody::Theory(t))).unwrap(), old);
    }

    #[test]
    fn a_result_of_a_defined_test_keeps_the_test_and_its_percent() {
        let new = r#"{"kind":"theory","title":"Nätfiske","score":15,"max":24,"pass_mark":15,"criteria":["DBS-03/1.1"],"defined":{"test":"DBS-T2","pass_percent":60}}"#;
        let body: StoredRecordBody = serde_json::from_str(new).unwrap();
        let RecordBody::Theory(t) = body.to_engine().unwrap() else { panic!("a theory record") };
        let d = t.defined.clone().unwrap();
        assert_eq!((d.id.as_str(), d.pass_percent.get()), ("DBS-T2", 60));
        assert!(t.score.passed());
        assert_eq!(serde_json::to_string(&StoredRecordBody::from(&RecordBody::Theory(t))).unwrap(), new);
    }
}
