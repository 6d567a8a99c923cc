//! Rows as diesel reads and writes them. `New*` structs are inserts. These types stay inside
//! `db/` and `http/`; the engine sees only its own types, built by the `to_engine` conversions.

mod record_body;

pub use record_body::{StoredRecordBody, store_reasons};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::*;

/// An organisation.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = organisations)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub version: i64,
    pub created_at: NaiveDateTime,
    /// IANA name of the time zone whose calendar gives the organisation's "today".
    pub time_zone: String,
    /// The instance's awarding body (at most one): its external quality assurers and sampling
    /// plans cover every organisation's decisions on the frameworks it owns.
    pub awarding_body: bool,
    /// The QA chain in its credentials names the people, not only their roles.
    pub names_in_credentials: bool,
}

/// A user account.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: String,
    pub organisation_id: String,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub roles: String,
    pub must_change_password: bool,
    pub active: bool,
    pub language: String,
    pub version: i64,
    pub created_at: NaiveDateTime,
    /// Page sessions issued before this moment are refused (set by signing out).
    pub sessions_valid_after: Option<NaiveDateTime>,
    /// Tokens issued under an older generation are refused (bumped by a password change,
    /// deactivation or a role change).
    pub token_generation: i64,
}

/// A failed sign-in (or one under way: it is recorded before the password is checked).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sign_in_failures)]
pub struct SignInFailure {
    pub id: String,
    /// The e-mail as typed, normalised; it need not belong to an account.
    pub email: String,
    /// The attempt's number among this e-mail's; unique, so simultaneous attempts that saw the
    /// same count cannot both be recorded.
    pub seq: i64,
    /// The client's address (see `http::client_ip`).
    pub address: String,
    pub failed_at: NaiveDateTime,
    /// Set by a later successful sign-in: kept on record, no longer slowing anyone.
    pub cleared: bool,
}

/// A stored framework version.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = frameworks)]
pub struct FrameworkRow {
    pub framework_id: String,
    pub version: String,
    pub organisation_id: Option<String>,
    pub source: String,
    pub sha256: String,
    pub loaded_at: NaiveDateTime,
    /// `draft`, `approved` or `returned` (see `queries::frameworks`).
    pub status: String,
    /// Who uploaded it; `None` for a shipped framework.
    pub uploaded_by: Option<String>,
    /// The panel member who approved or returned it; `None` on an approved version: the system.
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub decision_comment: Option<String>,
    /// When the panel should review an approved version again.
    pub review_due: Option<NaiveDate>,
}

/// A candidate.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = candidates)]
pub struct Candidate {
    pub id: String,
    pub organisation_id: String,
    pub user_id: Option<String>,
    pub display_name: String,
    pub email: Option<String>,
    pub language: String,
    pub version: i64,
    pub created_at: NaiveDateTime,
}

/// An assessment of a candidate against one framework version.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = assessments)]
pub struct Assessment {
    pub id: String,
    pub organisation_id: String,
    pub candidate_id: String,
    pub framework_id: String,
    pub framework_version: String,
    pub qualification_code: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub version: i64,
}

/// One revision of a record.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = records)]
pub struct RecordRevision {
    pub id: String,
    pub record_id: String,
    pub revision: i32,
    pub assessment_id: String,
    pub kind: String,
    pub body: String,
    pub record_date: NaiveDate,
    pub author_id: String,
    pub created_at: NaiveDateTime,
    pub withdrawn: bool,
    pub reason: Option<String>,
    /// Evidence only: the assessor's reasons for the judgement, as JSON (`JudgementReasons`).
    pub judgement_reasons: Option<String>,
}

/// An evidence file's metadata (the content is read separately).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = evidence_files)]
pub struct EvidenceFileMeta {
    pub id: String,
    pub record_id: String,
    pub assessment_id: String,
    pub file_name: String,
    pub content_type: String,
    pub sha256: String,
    pub size: i64,
    pub uploaded_by: String,
    pub created_at: NaiveDateTime,
}

/// A new evidence file.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = evidence_files)]
pub struct NewEvidenceFile {
    pub id: String,
    pub record_id: String,
    pub assessment_id: String,
    pub file_name: String,
    pub content_type: String,
    pub sha256: String,
    pub size: i64,
    pub content: Vec<u8>,
    pub uploaded_by: String,
    pub created_at: NaiveDateTime,
}

/// A decision submitted for internal verification.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = decisions)]
pub struct Decision {
    pub id: String,
    pub assessment_id: String,
    pub status: String,
    pub units: String,
    pub qualification_code: Option<String>,
    pub based_on: String,
    pub record_authors: String,
    pub assessment_version: i64,
    pub submitted_by: String,
    pub submitted_at: NaiveDateTime,
    pub submit_comment: Option<String>,
    pub verifier_id: Option<String>,
    pub verified_at: Option<NaiveDateTime>,
    pub verifier_comment: Option<String>,
    pub version: i64,
}

/// A unit or qualification confirmed for a candidate (credit accumulation).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = achievements)]
pub struct Achievement {
    pub id: String,
    pub candidate_id: String,
    pub framework_id: String,
    pub kind: String,
    pub code: String,
    pub decision_id: String,
    pub confirmed_at: NaiveDateTime,
}

/// A signing key; the private half sealed with the master key.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = signing_keys)]
pub struct SigningKeyRow {
    pub id: String,
    pub organisation_id: String,
    pub public_key: String,
    pub sealed_private_key: String,
    pub created_at: NaiveDateTime,
    pub retired_at: Option<NaiveDateTime>,
    pub compromised_from: Option<NaiveDateTime>,
    pub compromise_reason: Option<String>,
}

/// An issued credential, stored byte for byte as signed.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = credentials)]
pub struct CredentialRow {
    pub id: String,
    pub organisation_id: String,
    pub candidate_id: String,
    pub decision_id: String,
    pub kind: String,
    pub achievement_code: String,
    pub framework_id: String,
    pub framework_version: String,
    pub key_id: String,
    pub status_index: i64,
    pub document: String,
    pub jwt: String,
    pub issued_at: NaiveDateTime,
    pub valid_until: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    pub revocation_reason: Option<String>,
    pub suspended_at: Option<NaiveDateTime>,
    pub suspension_reason: Option<String>,
    pub version: i64,
}

/// An organisation's status list for one purpose.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = status_lists)]
pub struct StatusListRow {
    pub id: String,
    pub organisation_id: String,
    pub purpose: String,
    pub size: i64,
    pub bits: Vec<u8>,
    pub signed_credential: Option<String>,
    pub version: i64,
    pub updated_at: NaiveDateTime,
}

/// A credential's signed form before it was re-signed; never updated.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = credential_history)]
pub struct CredentialHistoryRow {
    pub id: String,
    pub credential_id: String,
    pub key_id: String,
    pub document: String,
    pub jwt: String,
    pub replaced_at: NaiveDateTime,
    pub reason: String,
}

/// Who changed a credential's status, when and why.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = credential_events)]
pub struct CredentialEvent {
    pub id: String,
    pub credential_id: String,
    pub action: String,
    pub reason: String,
    pub actor_id: String,
    pub created_at: NaiveDateTime,
}

/// One event of the audit trail; only ever inserted.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_events)]
pub struct AuditEventRow {
    pub id: String,
    pub seq: i64,
    pub at: NaiveDateTime,
    pub organisation_id: Option<String>,
    pub actor_id: Option<String>,
    pub action: String,
    pub subject: String,
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

/// A coach working with one of the organisation's candidates.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = coach_assignments)]
pub struct CoachAssignment {
    pub id: String,
    pub organisation_id: String,
    pub coach_id: String,
    pub candidate_id: String,
    pub assigned_by: String,
    pub created_at: NaiveDateTime,
}

/// A coach's proposal to work with a participant, and the participant's answer; `status` is
/// `service::invitations::Status` by name.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = coach_invitations)]
pub struct CoachInvitation {
    pub id: String,
    pub organisation_id: String,
    pub coach_id: String,
    pub candidate_id: String,
    pub invited_by: String,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub answered_at: Option<NaiveDateTime>,
}

/// When a coach last opened their start page, and where its "new units" begin.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = coach_start_visits)]
pub struct CoachStartVisit {
    pub coach_id: String,
    pub organisation_id: String,
    pub since: NaiveDateTime,
    pub opened_at: NaiveDateTime,
}

/// A participant's development plan, its current version; `body` is `service::plans::PlanBody`
/// as JSON.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = plans)]
pub struct PlanRow {
    pub id: String,
    pub organisation_id: String,
    pub candidate_id: String,
    pub body: String,
    pub version: i64,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    /// When the coaching ended; `None` while the plan is open.
    pub closed_at: Option<NaiveDateTime>,
}

/// One stored version of a plan.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = plan_versions)]
pub struct PlanVersionRow {
    pub plan_id: String,
    pub version: i64,
    pub body: String,
    pub author_id: String,
    pub created_at: NaiveDateTime,
}

/// How external quality assurance samples an organisation's decisions on one framework.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = eqa_plans)]
pub struct EqaPlanRow {
    pub organisation_id: String,
    pub framework_id: String,
    pub first_n: i64,
    pub then_percent: i64,
    pub eqa_required: bool,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

/// A confirmed decision drawn into the external quality assurer's sample.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = eqa_samples)]
pub struct EqaSampleRow {
    pub decision_id: String,
    pub organisation_id: String,
    pub framework_id: String,
    pub assessor_id: String,
    pub position: i64,
    pub held: bool,
    pub sampled_at: NaiveDateTime,
    pub status: String,
    pub assurer_id: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub comment: Option<String>,
    pub review: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<NaiveDateTime>,
    pub review_reason: Option<String>,
    pub version: i64,
}

/// A coach's meeting with a participant.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = follow_ups)]
pub struct FollowUpRow {
    pub id: String,
    pub organisation_id: String,
    pub candidate_id: String,
    pub author_id: String,
    pub meeting_date: NaiveDate,
    pub notes: String,
    pub next_steps: String,
    pub next_meeting: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
}

/// A peer group led by a coach.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = peer_groups)]
pub struct PeerGroupRow {
    pub id: String,
    pub organisation_id: String,
    pub coach_id: String,
    pub name: String,
    pub theme: String,
    pub seats_given: i64,
    pub created_at: NaiveDateTime,
    /// Raised by each change of name or theme (optimistic concurrency).
    pub version: i64,
}

/// A member of a peer group and what they share with it.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = peer_group_members)]
pub struct PeerGroupMemberRow {
    pub group_id: String,
    pub candidate_id: String,
    pub seat: i64,
    pub share_name: bool,
    pub share_goal: bool,
    pub joined_at: NaiveDateTime,
}

/// A session of a peer group; `attended` is a JSON array of candidate ids.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = peer_group_sessions)]
pub struct PeerGroupSessionRow {
    pub id: String,
    pub group_id: String,
    pub session_date: NaiveDate,
    pub topic: String,
    pub notes: String,
    pub assignment: String,
    pub attended: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}
