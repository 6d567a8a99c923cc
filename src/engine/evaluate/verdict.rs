//! How one record bears on one criterion: the verdict rules, and the currency window.
//!
//! Policy: when several problems apply, the verdict names the first in this order, so a
//! candidate is told the most fundamental reason first:
//! `FutureDated` > `MethodNotAccepted` > `NotAccepted` > `NotCurrent` > `BelowPassMark` /
//! `ObservedNotYetMet`. Only a record with none of them `Counts`.

use std::collections::BTreeSet;

use chrono::{Months, NaiveDate};

use super::Verdict;
use crate::engine::framework::Method;
use crate::engine::ids::CriterionRef;
use crate::engine::records::{Record, RecordBody, Score, Vasr};

/// What a record claims about one criterion, before the framework is consulted.
#[derive(Debug, Clone, Copy)]
pub(super) enum Claim {
    /// A theory test with this score.
    Theory(Score),
    /// A checklist line: met or not yet met.
    Observed(bool),
    /// Prior-learning evidence.
    Evidence { issued_on: NaiveDate, judgement: Vasr },
}

/// Calls `f` once per criterion a record names, in the order the record names them. Mapping
/// notes name none: they guide the assessment but never show a criterion met.
pub(super) fn for_each_claim(record: &Record, mut f: impl FnMut(&CriterionRef, Method, Claim)) {
    match &record.body {
        RecordBody::Mapping(_) => {}
        RecordBody::Theory(t) => t.criteria.iter().for_each(|c| f(c, Method::Theory, Claim::Theory(t.score))),
        RecordBody::Practical(p) => {
            p.items.iter().for_each(|i| f(&i.criterion, Method::Practical, Claim::Observed(i.met)))
        }
        RecordBody::Evidence(e) => {
            let claim = Claim::Evidence { issued_on: e.issued_on, judgement: e.judgement };
            e.criteria.iter().for_each(|c| f(c, Method::Evidence(e.kind), claim));
        }
    }
}

/// The earliest issue date at which evidence is still current for a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Window {
    /// `None` when the window reaches back past the calendar's start: everything is current.
    earliest: Option<NaiveDate>,
    years: u8,
}

impl Window {
    /// The window of `years` calendar years ending at `assessment_date`. Evidence issued exactly
    /// `years` years before still counts; from Feb 29 the window starts on Feb 28, because
    /// chrono clamps to the last day of the month.
    pub(super) fn new(assessment_date: NaiveDate, years: u8) -> Self {
        let earliest = assessment_date.checked_sub_months(Months::new(12 * u32::from(years)));
        Window { earliest, years }
    }

    pub(super) fn contains(self, issued_on: NaiveDate) -> bool {
        self.earliest.is_none_or(|e| issued_on >= e)
    }
}

/// The verdict for one claim, given the methods the framework accepts for the criterion.
pub(super) fn judge(
    record_date: NaiveDate,
    method: Method,
    claim: Claim,
    accepted: &BTreeSet<Method>,
    assessment_date: NaiveDate,
    window: Window,
) -> Verdict {
    if record_date > assessment_date {
        return Verdict::FutureDated { date: record_date };
    }
    if let Claim::Evidence { issued_on, .. } = claim
        && issued_on > assessment_date
    {
        return Verdict::FutureDated { date: issued_on };
    }
    if !accepted.contains(&method) {
        return Verdict::MethodNotAccepted { method };
    }
    match claim {
        Claim::Theory(s) if s.passed() => Verdict::Counts,
        Claim::Theory(s) => Verdict::BelowPassMark { score: s.score(), pass_mark: s.pass_mark() },
        Claim::Observed(true) => Verdict::Counts,
        Claim::Observed(false) => Verdict::ObservedNotYetMet,
        Claim::Evidence { judgement, .. } if !judgement.accepted() => {
            Verdict::NotAccepted { failed: failed_parts(judgement) }
        }
        Claim::Evidence { issued_on, .. } if !window.contains(issued_on) => {
            Verdict::NotCurrent { issued_on, window_years: window.years }
        }
        Claim::Evidence { .. } => Verdict::Counts,
    }
}

fn failed_parts(j: Vasr) -> Vec<&'static str> {
    [(j.valid, "valid"), (j.authentic, "authentic"), (j.sufficient, "sufficient"), (j.reliable, "reliable")]
        .into_iter()
        .filter_map(|(ok, name)| (!ok).then_some(name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn window_counts_calendar_years_and_clamps_leap_days() {
        let w = Window::new(d("2028-02-29"), 4);
        assert_eq!(w.earliest, Some(d("2024-02-29")));
        let w = Window::new(d("2028-02-29"), 1);
        assert_eq!(w.earliest, Some(d("2027-02-28")));
        assert!(w.contains(d("2027-02-28")));
        assert!(!w.contains(d("2027-02-27")));
    }

    #[test]
    fn failed_parts_keep_vasr_order() {
        let j = Vasr { valid: false, authentic: true, sufficient: false, reliable: false };
        assert_eq!(failed_parts(j), ["valid", "sufficient", "reliable"]);
    }
}
