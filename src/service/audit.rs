//! Appending to the audit trail, reading an organisation's part of it, and checking the chain.
//!
//! Policy: an event is appended inside the transaction of the action it records, after the
//! action's own writes, so it commits or rolls back with it and the chain's lock is held only
//! for the append itself. Nothing here updates or deletes an event.

use serde_json::Value;

use super::ServiceError;
use crate::audit::{self, Action, BrokenLink, ChainCheck, Link};
use crate::db::models::AuditEventRow;
use crate::db::queries::audit as q;
use crate::db::{self, DbConnection, DbError};

/// An event to append. Details hold ids and facts, never secrets or personal data beyond ids.
#[derive(Debug, Clone)]
pub struct Event {
    pub organisation_id: Option<String>,
    pub actor_id: Option<String>,
    pub action: Action,
    pub subject: String,
    pub details: Value,
}

impl Event {
    /// `actor` did `action` to `subject` within `org`.
    pub fn new(org: Option<&str>, actor: Option<&str>, action: Action, subject: impl Into<String>) -> Self {
        Self {
            organisation_id: org.map(str::to_owned),
            actor_id: actor.map(str::to_owned),
            action,
            subject: subject.into(),
            details: Value::Object(Default::default()),
        }
    }

    /// The same event with these details.
    pub fn with(mut self, details: Value) -> Self {
        self.details = details;
        self
    }
}

/// How often an append that lost the race for a seq is tried again. The chain's lock makes a
/// lost race rare; the unique seq turns one into a retry instead of a fork.
const ATTEMPTS: usize = 3;

/// Appends `events`, in order, within the caller's transaction (or a transaction of their own).
pub fn record(conn: &mut DbConnection, events: Vec<Event>) -> Result<(), ServiceError> {
    if events.is_empty() {
        return Ok(());
    }
    db::write(conn, |conn| {
        db::lock_audit_chain(conn)?;
        for event in &events {
            append(conn, event)?;
        }
        Ok(())
    })
}

fn append(conn: &mut DbConnection, event: &Event) -> Result<(), ServiceError> {
    let details = event.details.to_string();
    let mut attempt = 0;
    loop {
        attempt += 1;
        // A savepoint, so a refused insert leaves the action's transaction usable.
        let result = db::write(conn, |conn| {
            let (seq, prev_hash) = match q::head(conn)? {
                Some((seq, hash)) => (seq + 1, hash),
                None => (1, audit::GENESIS.to_owned()),
            };
            let at = super::now();
            let link = Link {
                seq,
                at,
                organisation_id: event.organisation_id.as_deref(),
                actor_id: event.actor_id.as_deref(),
                action: event.action.as_str(),
                subject: &event.subject,
                details: &details,
                prev_hash: &prev_hash,
            };
            let hash = audit::hash(&link);
            q::insert(
                conn,
                &AuditEventRow {
                    id: uuid::Uuid::new_v4().to_string(),
                    seq,
                    at,
                    organisation_id: event.organisation_id.clone(),
                    actor_id: event.actor_id.clone(),
                    action: event.action.as_str().to_owned(),
                    subject: event.subject.clone(),
                    details: details.clone(),
                    prev_hash,
                    hash,
                },
            )
        });
        match result {
            Err(DbError::Duplicate(_)) if attempt < ATTEMPTS => continue,
            other => return Ok(other?),
        }
    }
}

/// Up to `limit` events of `org` older than seq `before`, newest first.
pub fn list(
    conn: &mut DbConnection,
    org: &str,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditEventRow>, ServiceError> {
    Ok(q::list_for_org(conn, org, before, limit)?)
}

/// Recomputes the whole chain: the number of events if it holds, else the first broken link.
pub fn verify_chain(conn: &mut DbConnection) -> Result<Result<u64, BrokenLink>, ServiceError> {
    const BATCH: i64 = 1000;
    let mut check = ChainCheck::default();
    let mut after = 0;
    loop {
        let rows = q::chain_after(conn, after, BATCH)?;
        let Some(last) = rows.last() else { return Ok(Ok(check.checked())) };
        after = last.seq;
        for r in &rows {
            let link = Link {
                seq: r.seq,
                at: r.at,
                organisation_id: r.organisation_id.as_deref(),
                actor_id: r.actor_id.as_deref(),
                action: &r.action,
                subject: &r.subject,
                details: &r.details,
                prev_hash: &r.prev_hash,
            };
            if let Err(broken) = check.push(&link, &r.hash) {
                return Ok(Err(broken));
            }
        }
    }
}
