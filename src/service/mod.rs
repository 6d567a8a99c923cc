//! Use cases: what the API and the CLI do, written once over `db/` and `engine/`.
//!
//! Policy: functions here are synchronous and take a `&mut DbConnection`; callers decide the
//! thread (`web::block` in `http/`, directly in the CLI). Writes that belong together run in
//! one `db::write` transaction. Nothing here knows about HTTP.

pub mod accounts;
pub mod assessments;
pub mod certificates;
pub mod decisions;
pub mod frameworks;
pub mod keys;
pub mod progress;
pub mod records;
pub mod sign_in;
pub mod verify;

use crate::auth::AuthError;
use crate::db::DbError;
use crate::engine::DecisionError;
use crate::engine::load::Diagnostic;

/// One problem with a field of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// Path of the field (`items[2].criterion`).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl FieldProblem {
    /// A problem with `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
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
}

/// Current time, without sub-second noise (both backends store microseconds differently).
pub fn now() -> chrono::NaiveDateTime {
    use chrono::SubsecRound;
    chrono::Utc::now().naive_utc().trunc_subsecs(6)
}
