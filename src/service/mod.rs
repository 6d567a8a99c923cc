//! Use cases: what the API and the CLI do, written once over `db/` and `engine/`.
//!
//! Policy: functions here are synchronous and take a `&mut DbConnection`; callers decide the
//! thread (`web::block` in `http/`, directly in the CLI). Writes that belong together run in
//! one `db::write` transaction. Nothing here knows about HTTP.

pub mod accounts;
pub mod assessments;
pub mod audit;
pub mod certificates;
pub mod clock;
pub mod decisions;
pub mod eqa;
pub mod export;
pub mod follow_ups;
pub mod frameworks;
pub mod invitations;
pub mod keys;
pub mod peer_groups;
pub mod plans;
pub mod progress;
pub mod records;
pub mod retention;
pub mod sign_in;
pub mod trust_cache;
pub mod verify;

use crate::auth::AuthError;
use crate::db::DbError;
use crate::engine::DecisionError;
use crate::engine::load::Diagnostic;
use crate::input::InputError;

/// One problem with a field of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// Path of the field (`items[2].criterion`).
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// The stable code of a problem found by `crate::input` (`control-character`, `too-long`,
    /// ...), so the pages can say it in the reader's language; `None` for other rules.
    pub code: Option<&'static str>,
}

impl FieldProblem {
    /// A problem with `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into(), code: None }
    }

    /// A problem with `field` under a stable `code` (the API's `errors[].code`), for a rule the
    /// pages word in their own language.
    pub fn coded(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into(), code: Some(code) }
    }

    /// `field` was refused by one of the parsers of `crate::input`.
    pub fn input(field: impl Into<String>, e: InputError) -> Self {
        Self { field: field.into(), message: e.to_string(), code: Some(e.code()) }
    }
}

/// Errors of the use cases.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Storage failed, or found nothing, or refused a stale write.
    #[error(transparent)]
    Db(#[from] DbError),
    /// The decision rules refused.
    #[error(transparent)]
    Decision(#[from] DecisionError),
    /// The input is well-formed but breaks a rule.
    #[error("the input is not valid")]
    Invalid(Vec<FieldProblem>),
    /// A framework file has errors.
    #[error("the framework has {} error(s)", .0.len())]
    Framework(Vec<Diagnostic>),
    /// Password or token handling failed.
    #[error(transparent)]
    Auth(#[from] AuthError),
    /// The action is not allowed for this person on this object.
    #[error("{0}")]
    Forbidden(String),
    /// The four-eyes rule refused outside a decision (the uploader approving their own
    /// framework version).
    #[error("{0}")]
    FourEyes(String),
    /// The framework version is not approved by the panel, so nothing can be assessed on it.
    #[error("{0}")]
    FrameworkNotApproved(String),
    /// The panel has already approved or returned this framework version.
    #[error("{0}")]
    FrameworkDecided(String),
}

impl From<diesel::result::Error> for ServiceError {
    fn from(e: diesel::result::Error) -> Self {
        ServiceError::Db(e.into())
    }
}

impl ServiceError {
    /// A single field problem.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        ServiceError::Invalid(vec![FieldProblem::new(field, message)])
    }

    /// `field` was refused by one of the parsers of `crate::input`.
    pub fn input(field: impl Into<String>, e: InputError) -> Self {
        ServiceError::Invalid(vec![FieldProblem::input(field, e)])
    }
}

/// Refuses `value` as the multi-line free text of `field` (a comment, a reason) if it holds a
/// NUL or another control character, or is longer than `input::TEXT_MAX`.
pub fn free_text(field: &str, value: &str) -> Result<(), ServiceError> {
    crate::input::text(value, crate::input::TEXT_MAX).map(drop).map_err(|e| ServiceError::input(field, e))
}

/// Current time, without sub-second noise (both backends store microseconds differently).
pub fn now() -> chrono::NaiveDateTime {
    use chrono::SubsecRound;
    chrono::Utc::now().naive_utc().trunc_subsecs(6)
}
