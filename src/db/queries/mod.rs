//! Queries, one file per resource. Every lookup of an organisation's data takes the
//! organisation id and filters by it, so another organisation's rows read as not found.

pub mod assessments;
pub mod audit;
pub mod candidates;
pub mod coach_invitations;
pub mod coach_start_visits;
pub mod credentials;
pub mod decisions;
pub mod eqa;
pub mod files;
pub mod follow_ups;
pub mod frameworks;
pub mod keys;
pub mod organisations;
pub mod peer_groups;
pub mod plans;
pub mod records;
pub mod sign_in_failures;
pub mod trust_generation;
pub mod users;

use super::DbError;

/// Maps "no row updated" after a versioned update to not found or conflict.
fn versioned_update(updated: usize, exists: bool, what: &str) -> Result<(), DbError> {
    match (updated, exists) {
        (1.., _) => Ok(()),
        (0, true) => Err(DbError::Conflict(format!(
            "the {what} was changed by someone else; reload it and apply your change again"
        ))),
        (0, false) => Err(DbError::NotFound),
    }
}
