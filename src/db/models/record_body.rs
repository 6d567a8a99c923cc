//! The JSON a record revision stores. Versioned by its `kind` tag; a change of shape gets a new
//! kind name, so old revisions keep reading.

use serde::{Deserialize, Serialize};

use crate::db::DbError;
use crate::engine::framework::EvidenceKind;
use crate::engine::ids::{CriterionRef, PersonId, RecordRef, UnitCode};
use crate::engine::records::{
    Confidence, EvidenceItem, JudgementReasons, MappingNote, ObservedCriterion, PracticalObservation, Record,
    RecordBody, Score, SelfAssessment, TheoryTest, Vasr,
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
            StoredRecordBody::Theory { title, score, max, pass_mark, criteria } => {
                RecordBody::Theory(TheoryTest {
                    title: title.clone(),
                    score: Score::new(*score, *max, *pass_mark).map_err(corrupt)?,
                    criteria: refs(criteria)?,
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
