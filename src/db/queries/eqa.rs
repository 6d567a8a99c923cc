//! Sampling plans and samples of external quality assurance. Every lookup takes the
//! organisation.

use diesel::prelude::*;

use crate::db::models::{EqaPlanRow, EqaSampleRow};
use crate::db::schema::eqa_counters::dsl as c;
use crate::db::schema::eqa_plans::dsl as p;
use crate::db::schema::eqa_samples::dsl as s;
use crate::db::{DbConnection, DbError};

/// Sample states as stored.
pub const WAITING: &str = "waiting";
pub const AGREED: &str = "agreed";
pub const NOT_AGREED: &str = "not-agreed";

/// Review states as stored.
pub const REVIEW_OPEN: &str = "open";
pub const REVIEW_SUSPENDED: &str = "suspended";
pub const REVIEW_KEPT: &str = "kept";

pub fn find_plan(conn: &mut DbConnection, org: &str, framework: &str) -> Result<Option<EqaPlanRow>, DbError> {
    Ok(p::eqa_plans
        .filter(p::organisation_id.eq(org))
        .filter(p::framework_id.eq(framework))
        .select(EqaPlanRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn list_plans(conn: &mut DbConnection, org: &str) -> Result<Vec<EqaPlanRow>, DbError> {
    Ok(p::eqa_plans
        .filter(p::organisation_id.eq(org))
        .order(p::framework_id)
        .select(EqaPlanRow::as_select())
        .load(conn)?)
}

/// Inserts the first plan of a framework; a simultaneous first plan is a conflict.
pub fn insert_plan(conn: &mut DbConnection, row: &EqaPlanRow) -> Result<(), DbError> {
    diesel::insert_into(p::eqa_plans).values(row).execute(conn).map_err(|e| match DbError::from(e) {
        DbError::Duplicate(_) => {
            DbError::Conflict("the sampling plan was set by someone else; reload it".to_owned())
        }
        other => other,
    })?;
    Ok(())
}

/// Replaces the plan at `expected_version` with `row` (whose version is the next one).
pub fn update_plan(conn: &mut DbConnection, row: &EqaPlanRow, expected_version: i64) -> Result<(), DbError> {
    let target = p::eqa_plans
        .filter(p::organisation_id.eq(&row.organisation_id))
        .filter(p::framework_id.eq(&row.framework_id))
        .filter(p::version.eq(expected_version));
    let n = diesel::update(target)
        .set((
            p::first_n.eq(row.first_n),
            p::then_percent.eq(row.then_percent),
            p::eqa_required.eq(row.eqa_required),
            p::updated_by.eq(&row.updated_by),
            p::updated_at.eq(row.updated_at),
            p::version.eq(row.version),
        ))
        .execute(conn)?;
    super::versioned_update(n, true, "sampling plan")
}

/// Counts one more confirmed decision of `assessor` on `framework` (any version) in `org` and
/// returns the count, its position in the sampling sequence (1 = first). The counter row is
/// written before it is read, so on PostgreSQL a simultaneous confirmation waits for this
/// transaction and then counts on from it; SQLite's `BEGIN IMMEDIATE` serialises anyway.
pub fn next_position(
    conn: &mut DbConnection,
    org: &str,
    framework: &str,
    assessor: &str,
) -> Result<i64, DbError> {
    let target = || {
        c::eqa_counters
            .filter(c::organisation_id.eq(org))
            .filter(c::framework_id.eq(framework))
            .filter(c::assessor_id.eq(assessor))
    };
    if diesel::update(target()).set(c::confirmed.eq(c::confirmed + 1)).execute(conn)? == 0 {
        // The assessor's first: a savepoint, so that losing the race to a simultaneous first
        // leaves this transaction usable to count on from the winner's row.
        let first = conn.transaction(|conn| {
            diesel::insert_into(c::eqa_counters)
                .values((
                    c::organisation_id.eq(org),
                    c::framework_id.eq(framework),
                    c::assessor_id.eq(assessor),
                    c::confirmed.eq(1_i64),
                ))
                .execute(conn)
        });
        match first.map_err(DbError::from) {
            Ok(_) => {}
            Err(DbError::Duplicate(_)) => {
                diesel::update(target()).set(c::confirmed.eq(c::confirmed + 1)).execute(conn)?;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(target().select(c::confirmed).first(conn)?)
}

pub fn insert_sample(conn: &mut DbConnection, row: &EqaSampleRow) -> Result<(), DbError> {
    diesel::insert_into(s::eqa_samples).values(row).execute(conn)?;
    Ok(())
}

/// The sample of decision `decision`, if `org`'s decision was sampled.
pub fn find_sample(
    conn: &mut DbConnection,
    org: &str,
    decision: &str,
) -> Result<Option<EqaSampleRow>, DbError> {
    Ok(s::eqa_samples
        .filter(s::organisation_id.eq(org))
        .filter(s::decision_id.eq(decision))
        .select(EqaSampleRow::as_select())
        .first(conn)
        .optional()?)
}

/// The sample of decision `decision`, whatever the organisation: for callers that check who
/// may read it ([`crate::service::eqa::readable`]).
pub fn find_sample_anywhere(
    conn: &mut DbConnection,
    decision: &str,
) -> Result<Option<EqaSampleRow>, DbError> {
    Ok(s::eqa_samples
        .filter(s::decision_id.eq(decision))
        .select(EqaSampleRow::as_select())
        .first(conn)
        .optional()?)
}

/// Every organisation's samples, oldest first, filtered as [`list_samples`]: for the awarding
/// body's assurers, who then keep those on its frameworks.
pub fn list_all_samples(
    conn: &mut DbConnection,
    status: Option<&str>,
    review: Option<&str>,
) -> Result<Vec<EqaSampleRow>, DbError> {
    let mut q = s::eqa_samples.into_boxed();
    if let Some(st) = status {
        q = q.filter(s::status.eq(st.to_owned()));
    }
    if let Some(r) = review {
        q = q.filter(s::review.eq(r.to_owned()));
    }
    Ok(q.order((s::sampled_at, s::decision_id)).select(EqaSampleRow::as_select()).load(conn)?)
}

/// `org`'s samples, oldest first; only those at `status` and with `review` if given.
pub fn list_samples(
    conn: &mut DbConnection,
    org: &str,
    status: Option<&str>,
    review: Option<&str>,
) -> Result<Vec<EqaSampleRow>, DbError> {
    let mut q = s::eqa_samples.filter(s::organisation_id.eq(org)).into_boxed();
    if let Some(st) = status {
        q = q.filter(s::status.eq(st.to_owned()));
    }
    if let Some(r) = review {
        q = q.filter(s::review.eq(r.to_owned()));
    }
    Ok(q.order((s::sampled_at, s::decision_id)).select(EqaSampleRow::as_select()).load(conn)?)
}

/// The assurer's answer on a waiting sample at `expected_version`; `review` opens a review.
#[expect(clippy::too_many_arguments, reason = "each is a column of the answer")]
pub fn answer(
    conn: &mut DbConnection,
    decision: &str,
    expected_version: i64,
    status: &str,
    assurer: &str,
    comment: Option<&str>,
    review: Option<&str>,
    at: chrono::NaiveDateTime,
) -> Result<(), DbError> {
    let target = s::eqa_samples
        .filter(s::decision_id.eq(decision))
        .filter(s::version.eq(expected_version))
        .filter(s::status.eq(WAITING));
    let n = diesel::update(target)
        .set((
            s::status.eq(status),
            s::assurer_id.eq(assurer),
            s::decided_at.eq(at),
            s::comment.eq(comment),
            s::review.eq(review),
            s::version.eq(expected_version + 1),
        ))
        .execute(conn)?;
    super::versioned_update(n, true, "sample")
}

/// Closes an open review at `expected_version` as `outcome`.
pub fn close_review(
    conn: &mut DbConnection,
    decision: &str,
    expected_version: i64,
    outcome: &str,
    by: &str,
    reason: &str,
    at: chrono::NaiveDateTime,
) -> Result<(), DbError> {
    let target = s::eqa_samples
        .filter(s::decision_id.eq(decision))
        .filter(s::version.eq(expected_version))
        .filter(s::review.eq(REVIEW_OPEN));
    let n = diesel::update(target)
        .set((
            s::review.eq(outcome),
            s::reviewed_by.eq(by),
            s::reviewed_at.eq(at),
            s::review_reason.eq(reason),
            s::version.eq(expected_version + 1),
        ))
        .execute(conn)?;
    super::versioned_update(n, true, "review")
}
