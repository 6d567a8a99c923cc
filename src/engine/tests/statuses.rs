//! Examples of unit and qualification statuses, and credit accumulation, against the `shop`
//! framework (see `fixtures::shop`), dated at `TODAY` (2026-11-27).

use expect_test::{Expect, expect};

use super::fixtures::*;
use crate::engine::framework::EvidenceKind::{EmployerReference, Portfolio, WorkCertificate};
use crate::engine::records::Record;

#[track_caller]
fn check(records: &[Record], confirmed: &[&str], expect: Expect) {
    expect.assert_eq(&render(&eval(&shop(), records, confirmed)));
}

#[test]
fn all_of_a_unit_met_is_provisional_and_so_is_the_qualification() {
    check(
        &[
            observed("p1", "2026-05-01", &[("A/1.1", true), ("B/1.1", true)]),
            evidence("e1", "2026-05-01", Portfolio, "2025-01-01", ACCEPTED, &["A/1.2", "B/2.1"]),
        ],
        &[],
        expect![[r#"
            A/1.1 met: p1 counts
            A/1.2 met: e1 counts
            B/1.1 met: p1 counts
            B/2.1 met: e1 counts
            C/1.1 not yet
            unit A provisional
            unit B provisional
            unit C not started
            qualification Q provisional
            gap C/1.1: theory employer-reference
        "#]],
    );
}

#[test]
fn too_few_credits_with_the_smaller_choice() {
    check(
        &[
            observed("p1", "2026-05-01", &[("A/1.1", true)]),
            evidence("e1", "2026-05-01", WorkCertificate, "2025-01-01", ACCEPTED, &["A/1.2"]),
            evidence("e2", "2026-05-01", EmployerReference, "2025-01-01", ACCEPTED, &["C/1.1"]),
        ],
        &[],
        expect![[r#"
            A/1.1 met: p1 counts
            A/1.2 met: e1 counts
            B/1.1 not yet
            B/2.1 not yet
            C/1.1 met: e2 counts
            unit A provisional
            unit B not started
            unit C provisional
            qualification Q not yet: credits 7/8
            gap B/1.1: practical
            gap B/2.1: theory portfolio
        "#]],
    );
}

#[test]
fn confirmed_units_alone_award_the_qualification() {
    check(
        &[],
        &["A", "B"],
        expect![[r#"
        A/1.1 met
        A/1.2 met
        B/1.1 met
        B/2.1 met
        C/1.1 not yet
        unit A confirmed
        unit B confirmed
        unit C not started
        qualification Q awarded
        gap C/1.1: theory employer-reference
    "#]],
    );
}

#[test]
fn confirmed_and_provisional_units_make_a_provisional_qualification() {
    check(
        &[observed("p1", "2026-05-01", &[("B/1.1", true)]), theory("t1", "2026-05-01", 7, 6, &["B/2.1"])],
        &["A"],
        expect![[r#"
            A/1.1 met
            A/1.2 met
            B/1.1 met: p1 counts
            B/2.1 met: t1 counts
            C/1.1 not yet
            unit A confirmed
            unit B provisional
            unit C not started
            qualification Q provisional
            gap C/1.1: theory employer-reference
        "#]],
    );
}

#[test]
fn credit_accumulates_whatever_later_records_say() {
    check(
        &[theory("t1", "2026-05-01", 1, 6, &["A/1.1"]), observed("p1", "2026-06-01", &[("A/1.1", false)])],
        &["A", "NOT-IN-FRAMEWORK"],
        expect![[r#"
            A/1.1 met: t1 below-pass-mark 1<6, p1 observed-not-yet-met
            A/1.2 met
            B/1.1 not yet
            B/2.1 not yet
            C/1.1 not yet
            unit A confirmed
            unit B not started
            unit C not started
            qualification Q not yet: group 0 0/1; credits 3/8; credits at 3 0/4
            gap B/1.1: practical
            gap B/2.1: theory portfolio
            gap C/1.1: theory employer-reference
        "#]],
    );
}
