//! Adding, correcting and withdrawing records. Nothing is overwritten: each change is a new
//! revision, and the unique (record, revision) pair turns a lost race into a conflict.

use chrono::{DateTime, NaiveDate, Utc};

use super::frameworks::FrameworkCache;
use super::{FieldProblem, ServiceError};
use crate::db::ids::{RecordId, RevisionId};
use crate::db::models::{RecordRevision, StoredRecordBody};
use crate::db::queries::{assessments, files, records};
use crate::db::{self, DbConnection};
use crate::engine::Framework;
use crate::engine::evaluate::{EntryWarning, entry_warnings};
use crate::engine::ids::TheoryTestId;
use crate::engine::records::{JudgementReasons, RecordBody, TheoryTest};

/// What a record says, as submitted: complete, or a score on one of the framework's theory
/// tests, which only the framework of the assessment completes.
#[derive(Debug, Clone)]
pub enum Submitted {
    /// Complete as given.
    Body(RecordBody),
    /// `score` points on the framework's theory test `test`.
    DefinedTheory {
        /// The test's id.
        test: TheoryTestId,
        /// Points scored.
        score: u32,
    },
}

/// A record as submitted: its body and date.
#[derive(Debug, Clone)]
pub struct RecordInput {
    /// What it says.
    pub body: Submitted,
    /// When it happened.
    pub date: NaiveDate,
    /// Evidence only: why the assessor judged it so (each text already parsed by `crate::input`).
    pub reasons: JudgementReasons,
}

/// A record just added, with what the assessor should know about it at once.
#[derive(Debug, Clone)]
pub struct Added {
    /// The stored revision.
    pub revision: RecordRevision,
    /// A method the criterion does not accept, a theory test on a practical-only criterion,
    /// evidence outside its currency window: the record is stored all the same.
    pub warnings: Vec<EntryWarning>,
}

/// The complete body of `input` on `framework`: a score on a defined theory test takes the
/// test's maximum, pass mark and criteria. Also checks every rule [`check`] does.
fn complete(
    framework: &Framework,
    input: &RecordInput,
    today: NaiveDate,
) -> Result<RecordBody, ServiceError> {
    let body = match &input.body {
        Submitted::Body(body) => body.clone(),
        Submitted::DefinedTheory { test, score } => {
            let mut problems = Vec::new();
            if input.date > today {
                problems.push(FieldProblem::new("date", format!("{} is in the future", input.date)));
            }
            let Some(def) = framework.theory_test(test) else {
                let mut known: Vec<&str> = framework.theory_tests.iter().map(|t| t.id.as_str()).collect();
                known.sort_unstable();
                let listed = if known.is_empty() {
                    "it defines no theory tests; give title, max, pass_mark and criteria instead".to_owned()
                } else {
                    format!("its tests are {}", known.join(", "))
                };
                problems.push(FieldProblem::coded(
                    "test",
                    "unknown-theory-test",
                    format!(
                        "theory test '{test}' is not defined in framework {} version {}: {listed}",
                        framework.id, framework.version
                    ),
                ));
                return Err(ServiceError::Invalid(problems));
            };
            match TheoryTest::defined(def, *score) {
                Ok(t) => RecordBody::Theory(t),
                Err(e) => {
                    problems.push(FieldProblem::new("score", e.to_string()));
                    return Err(ServiceError::Invalid(problems));
                }
            }
        }
    };
    check(framework, &body, input.date, today)?;
    Ok(body)
}

/// Checks that every criterion and unit the record names exists in the framework, that an
/// ad-hoc theory test names no criterion one of the framework's tests covers, and that nothing
/// is dated after `today`.
fn check(
    framework: &Framework,
    body: &RecordBody,
    date: NaiveDate,
    today: NaiveDate,
) -> Result<(), ServiceError> {
    let mut problems = Vec::new();
    if date > today {
        problems.push(FieldProblem::new("date", format!("{date} is in the future")));
    }
    let mut crit = |field: String, r: &crate::engine::ids::CriterionRef| {
        if framework.criterion(r).is_none() {
            problems.push(FieldProblem::new(
                field,
                format!("criterion {r} is not in framework {} version {}", framework.id, framework.version),
            ));
        }
    };
    match body {
        RecordBody::Mapping(m) => {
            for (i, s) in m.self_assessment.iter().enumerate() {
                if framework.unit(&s.unit).is_none() {
                    problems.push(FieldProblem::new(
                        format!("self_assessment[{i}].unit"),
                        format!("unit {} is not in framework {}", s.unit, framework.id),
                    ));
                }
            }
        }
        RecordBody::Theory(t) => {
            t.criteria.iter().enumerate().for_each(|(i, r)| crit(format!("criteria[{i}]"), r));
            if t.defined.is_none() {
                for (i, r) in t.criteria.iter().enumerate() {
                    if let Some(def) = framework.theory_test_covering(r) {
                        problems.push(FieldProblem::coded(
                            format!("criteria[{i}]"),
                            "covered-by-defined-test",
                            format!(
                                "criterion {r} is covered by the framework's theory test '{}': record the score \
                                 against it ({{\"test\": \"{}\", \"score\": …}})",
                                def.id, def.id
                            ),
                        ));
                    }
                }
            }
        }
        RecordBody::Practical(p) => p
            .items
            .iter()
            .enumerate()
            .for_each(|(i, it)| crit(format!("items[{i}].criterion"), &it.criterion)),
        RecordBody::Evidence(e) => {
            e.criteria.iter().enumerate().for_each(|(i, r)| crit(format!("criteria[{i}]"), r));
            if e.issued_on > today {
                problems.push(FieldProblem::new("issued_on", format!("{} is in the future", e.issued_on)));
            }
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(ServiceError::Invalid(problems)) }
}

/// A record's content as a revision stores it.
struct Content<'a> {
    body: &'a RecordBody,
    date: NaiveDate,
    reasons: &'a JudgementReasons,
}

fn revision(
    record_id: &str,
    revision: i32,
    assessment: &str,
    input: Content<'_>,
    author: &str,
    withdrawn: bool,
    reason: Option<String>,
) -> Result<RecordRevision, ServiceError> {
    let stored = StoredRecordBody::from(input.body);
    Ok(RecordRevision {
        id: RevisionId::random().0,
        record_id: record_id.to_owned(),
        revision,
        assessment_id: assessment.to_owned(),
        kind: stored.kind().to_owned(),
        body: serde_json::to_string(&stored).map_err(|e| db::DbError::Corrupt(e.to_string()))?,
        record_date: input.date,
        author_id: author.to_owned(),
        created_at: super::now(),
        withdrawn,
        reason,
        judgement_reasons: crate::db::models::store_reasons(input.reasons),
    })
}

/// Adds a new record to an assessment of `org`; says what the engine will not count.
pub fn add(
    conn: &mut DbConnection,
    cache: &FrameworkCache,
    org: &str,
    assessment: &str,
    author: &str,
    input: &RecordInput,
    now: DateTime<Utc>,
) -> Result<Added, ServiceError> {
    let a = assessments::find_in_org(conn, org, assessment)?;
    let framework = cache.get(conn, &a.framework_id, &a.framework_version)?;
    let today = super::clock::org_today(conn, org, now)?;
    let body = complete(&framework, input, today)?;
    let warnings = entry_warnings(&framework, &body, today);
    let content = Content { body: &body, date: input.date, reasons: &input.reasons };
    let rev = revision(&RecordId::random().0, 1, assessment, content, author, false, None)?;
    db::write(conn, |conn| {
        records::insert_revision(conn, &rev)?;
        assessments::bump_version(conn, assessment)?;
        Ok::<_, ServiceError>(())
    })?;
    Ok(Added { revision: rev, warnings })
}

/// What a new revision does.
#[derive(Debug, Clone)]
pub enum Change {
    /// Replaces the content.
    Correct(Box<RecordInput>),
    /// Takes the record out of the assessment; it stays in the history.
    Withdraw,
}

/// A request for a new revision of a record.
#[derive(Debug, Clone)]
pub struct Revise {
    /// The record, stable across revisions.
    pub record_id: String,
    /// The revision the author last read; the write succeeds only if it is still the newest.
    pub expected: i32,
    /// Who makes the change.
    pub author: String,
    /// What changes.
    pub change: Change,
    /// Why; kept in the history.
    pub reason: Option<String>,
}

/// Writes revision `expected + 1` of the record, if `expected` is still the newest.
pub fn revise(
    conn: &mut DbConnection,
    cache: &FrameworkCache,
    org: &str,
    req: Revise,
    now: DateTime<Utc>,
) -> Result<RecordRevision, ServiceError> {
    let Revise { record_id, expected, author, change, reason } = req;
    let (record_id, author) = (record_id.as_str(), author.as_str());
    let history = records::history_in_org(conn, org, record_id)?;
    let latest = history.last().expect("history_in_org returns NotFound when empty");
    if latest.revision != expected {
        return Err(db::DbError::Conflict(format!(
            "record {record_id} is at revision {}, not {expected}: someone else changed it; reload it",
            latest.revision
        ))
        .into());
    }
    if latest.withdrawn {
        return Err(ServiceError::invalid("version", "the record is withdrawn and cannot be changed"));
    }
    let a = assessments::find_in_org(conn, org, &latest.assessment_id)?;
    let rev = match &change {
        Change::Correct(input) => {
            let old_kind = latest.kind.as_str();
            let kind = match &input.body {
                Submitted::Body(body) => StoredRecordBody::from(body).kind(),
                Submitted::DefinedTheory { .. } => "theory",
            };
            if kind != old_kind {
                return Err(ServiceError::invalid(
                    "kind",
                    format!("a correction must keep the kind '{old_kind}'"),
                ));
            }
            let framework = cache.get(conn, &a.framework_id, &a.framework_version)?;
            let body = complete(&framework, input, super::clock::org_today(conn, org, now)?)?;
            let content = Content { body: &body, date: input.date, reasons: &input.reasons };
            revision(record_id, expected + 1, &a.id, content, author, false, reason)?
        }
        Change::Withdraw => {
            let body = latest.stored_body()?.to_engine()?;
            let reasons = latest.judgement_reasons()?;
            let content = Content { body: &body, date: latest.record_date, reasons: &reasons };
            revision(record_id, expected + 1, &a.id, content, author, true, reason)?
        }
    };
    db::write(conn, |conn| {
        records::insert_revision(conn, &rev)?;
        assessments::bump_version(conn, &a.id)?;
        Ok::<_, ServiceError>(())
    })?;
    Ok(rev)
}

/// A file to attach to an evidence record.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The file's name as the candidate knows it.
    pub name: String,
    /// Its media type, as sent.
    pub content_type: String,
    /// The bytes.
    pub content: Vec<u8>,
}

/// Stores `upload` with its SHA-256 as a file of evidence record `record` of `org`, by
/// `uploader`. Files are never replaced; the assessment's version is bumped.
pub fn attach_file(
    conn: &mut DbConnection,
    org: &str,
    record: &str,
    uploader: &str,
    upload: Upload,
) -> Result<crate::db::models::EvidenceFileMeta, ServiceError> {
    use sha2::{Digest, Sha256};
    let Upload { name, content_type, content } = upload;
    let name = crate::input::required_line(&name, 255).map_err(|e| ServiceError::input("name", e))?;
    if content.is_empty() {
        return Err(ServiceError::invalid("body", "the file is empty"));
    }
    let history = records::history_in_org(conn, org, record)?;
    let latest = history.last().expect("history is never empty");
    if latest.kind != "evidence" {
        return Err(ServiceError::invalid("id", "files attach to evidence records only"));
    }
    let f = crate::db::models::NewEvidenceFile {
        id: crate::db::ids::FileId::random().0,
        record_id: record.to_owned(),
        assessment_id: latest.assessment_id.clone(),
        file_name: name,
        content_type,
        sha256: hex::encode(Sha256::digest(&content)),
        size: i64::try_from(content.len()).map_err(|e| db::DbError::Corrupt(e.to_string()))?,
        content,
        uploaded_by: uploader.to_owned(),
        created_at: super::now(),
    };
    db::write(conn, |conn| {
        files::insert_file(conn, &f)?;
        assessments::bump_version(conn, &f.assessment_id)?;
        Ok::<_, ServiceError>(())
    })?;
    Ok(files::list_for_record(conn, record)?
        .into_iter()
        .find(|m| m.id == f.id)
        .ok_or(db::DbError::NotFound)?)
}
