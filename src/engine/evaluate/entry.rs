//! What an assessor is told when a record is added: the record is stored whatever this says,
//! but a method the criterion does not accept, a theory test on a criterion only a practical
//! test can show, or evidence already outside its unit's currency window is said at once,
//! rather than found later in the progress report.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::verdict::Window;
use crate::engine::Framework;
use crate::engine::framework::Method;
use crate::engine::ids::{CriterionRef, UnitCode};
use crate::engine::records::RecordBody;

/// One warning about a record as it is added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryWarning {
    /// The criterion does not accept the record's method.
    MethodNotAccepted {
        /// The field naming the criterion (`items[0].criterion`, `criteria[1]`).
        field: String,
        /// The criterion.
        criterion: CriterionRef,
        /// The record's method.
        method: Method,
        /// The methods the criterion accepts.
        accepted: Vec<Method>,
    },
    /// A theory test on a criterion that only a practical test can show.
    PracticalOnly {
        /// The field naming the criterion.
        field: String,
        /// The criterion.
        criterion: CriterionRef,
    },
    /// Evidence issued before the currency window of a unit it covers.
    NotCurrent {
        /// The unit.
        unit: UnitCode,
        /// When the evidence was issued.
        issued_on: NaiveDate,
        /// The unit's window in years.
        window_years: u8,
    },
}

impl EntryWarning {
    /// The stable code (`method-not-accepted`, `practical-only`, `not-current`).
    pub fn code(&self) -> &'static str {
        match self {
            EntryWarning::MethodNotAccepted { .. } => "method-not-accepted",
            EntryWarning::PracticalOnly { .. } => "practical-only",
            EntryWarning::NotCurrent { .. } => "not-current",
        }
    }

    /// The field of the record it is about.
    pub fn field(&self) -> &str {
        match self {
            EntryWarning::MethodNotAccepted { field, .. } | EntryWarning::PracticalOnly { field, .. } => {
                field
            }
            EntryWarning::NotCurrent { .. } => "issued_on",
        }
    }
}

/// The warnings for `body` in `framework` as of `today`, in the order of the record's fields.
/// Criteria not in the framework are left to the check that refuses them.
pub fn entry_warnings(framework: &Framework, body: &RecordBody, today: NaiveDate) -> Vec<EntryWarning> {
    let mut out = Vec::new();
    let mut method = |field: String, criterion: &CriterionRef, method: Method| {
        let Some(c) = framework.criterion(criterion) else { return };
        if c.methods.contains(&method) {
            return;
        }
        let practical_only = c.methods.iter().eq([Method::Practical].iter());
        out.push(if method == Method::Theory && practical_only {
            EntryWarning::PracticalOnly { field, criterion: criterion.clone() }
        } else {
            EntryWarning::MethodNotAccepted {
                field,
                criterion: criterion.clone(),
                method,
                accepted: c.methods.iter().copied().collect(),
            }
        });
    };
    match body {
        RecordBody::Mapping(_) => {}
        RecordBody::Theory(t) => t
            .criteria
            .iter()
            .enumerate()
            .for_each(|(i, c)| method(format!("criteria[{i}]"), c, Method::Theory)),
        RecordBody::Practical(p) => p
            .items
            .iter()
            .enumerate()
            .for_each(|(i, it)| method(format!("items[{i}].criterion"), &it.criterion, Method::Practical)),
        RecordBody::Evidence(e) => {
            let kind = Method::Evidence(e.kind);
            e.criteria.iter().enumerate().for_each(|(i, c)| method(format!("criteria[{i}]"), c, kind));
            let units: BTreeSet<&UnitCode> = e.criteria.iter().map(|c| &c.unit).collect();
            for unit in units.into_iter().filter_map(|u| framework.unit(u)) {
                if !Window::new(today, unit.currency_years).contains(e.issued_on) {
                    out.push(EntryWarning::NotCurrent {
                        unit: unit.code.clone(),
                        issued_on: e.issued_on,
                        window_years: unit.currency_years,
                    });
                }
            }
        }
    }
    out
}
