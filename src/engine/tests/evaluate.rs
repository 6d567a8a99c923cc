//! Examples of verdicts: how each record bears on each criterion, against the `shop` framework
//! (see `fixtures::shop`), dated at `TODAY` (2026-11-27).

use expect_test::{Expect, expect};

use super::fixtures::*;
use crate::engine::framework::EvidenceKind::{EmployerReference, Portfolio, WorkCertificate};
use crate::engine::records::{Record, Vasr};

#[track_caller]
fn check(records: &[Record], confirmed: &[&str], expect: Expect) {
    expect.assert_eq(&render(&eval(&shop(), records, confirmed)));
}

#[test]
fn nothing_recorded_yet() {
    check(
        &[],
        &[],
        expect![[r#"
        A/1.1 not yet
        A/1.2 not yet
        B/1.1 not yet
        B/2.1 not yet
        C/1.1 not yet
        unit A not started
        unit B not started
        unit C not started
        qualification Q not yet: mandatory A; group 0 0/1; credits 0/8; credits at 3 0/4
        gap A/1.1: practical theory
        gap A/1.2: work-certificate portfolio
        gap B/1.1: practical
        gap B/2.1: theory portfolio
        gap C/1.1: theory employer-reference
    "#]],
    );
}

#[test]
fn a_mapping_note_shows_nothing_met() {
    check(
        &[mapping("m1", "2026-01-10")],
        &[],
        expect![[r#"
        A/1.1 not yet
        A/1.2 not yet
        B/1.1 not yet
        B/2.1 not yet
        C/1.1 not yet
        unit A not started
        unit B not started
        unit C not started
        qualification Q not yet: mandatory A; group 0 0/1; credits 0/8; credits at 3 0/4
        gap A/1.1: practical theory
        gap A/1.2: work-certificate portfolio
        gap B/1.1: practical
        gap B/2.1: theory portfolio
        gap C/1.1: theory employer-reference
    "#]],
    );
}

#[test]
fn a_theory_test_at_its_pass_mark_counts() {
    check(
        &[theory("t1", "2026-05-01", 6, 6, &["A/1.1", "B/2.1"])],
        &[],
        expect![[r#"
        A/1.1 met: t1 counts
        A/1.2 not yet
        B/1.1 not yet
        B/2.1 met: t1 counts
        C/1.1 not yet
        unit A in progress 1/2
        unit B in progress 1/2
        unit C not started
        qualification Q not yet: mandatory A; group 0 0/1; credits 0/8; credits at 3 0/4
        gap A/1.2: work-certificate portfolio
        gap B/1.1: practical
        gap C/1.1: theory employer-reference
    "#]],
    );
}

#[test]
fn a_theory_test_below_its_pass_mark_does_not() {
    check(
        &[theory("t1", "2026-05-01", 5, 6, &["A/1.1"])],
        &[],
        expect![[r#"
        A/1.1 not yet: t1 below-pass-mark 5<6
        A/1.2 not yet
        B/1.1 not yet
        B/2.1 not yet
        C/1.1 not yet
        unit A not started
        unit B not started
        unit C not started
        qualification Q not yet: mandatory A; group 0 0/1; credits 0/8; credits at 3 0/4
        gap A/1.1: practical theory
        gap A/1.2: work-certificate portfolio
        gap B/1.1: practical
        gap B/2.1: theory portfolio
        gap C/1.1: theory employer-reference
    "#]],
    );
}

#[test]
fn checklist_lines_met_and_not_yet_met() {
    check(
        &[observed("p1", "2026-05-01", &[("A/1.1", true), ("B/1.1", false)])],
        &[],
        expect![[r#"
        A/1.1 met: p1 counts
        A/1.2 not yet
        B/1.1 not yet: p1 observed-not-yet-met
        B/2.1 not yet
        C/1.1 not yet
        unit A in progress 1/2
        unit B not started
        unit C not started
        qualification Q not yet: mandatory A; group 0 0/1; credits 0/8; credits at 3 0/4
        gap A/1.2: work-certificate portfolio
        gap B/1.1: practical
        gap B/2.1: theory portfolio
        gap C/1.1: theory employer-reference
    "#]],
    );
}

#[test]
fn a_method_the_criterion_does_not_accept() {
    check(
        &[theory("t1", "2026-05-01", 9, 6, &["B/1.1"])],
        &[],
        expect![[r#"
        A/1.1 not yet
        A/1.2 not yet
        B/1.1 not yet: t1 method-not-accepted theory
        B/2.1 not yet
        C/1.1 not yet
        unit A not started
        unit B not started
        unit C not started
        qualification Q not yet: mandatory A; group 0 0/1; credits 0/8; credits at 3 0/4
        gap A/1.1: practical theory
        gap A/1.2: work-certificate portfolio
        gap B/1.1: practical
        gap B/2.1: theory portfolio
        gap C/1.1: theory employer-reference
    "#]],
    );
}

#[test]
fn accepted_current_evidence_counts() {
    check(
        &[evidence("e1", "2026-05-01", WorkCertificate, "2024-03-01", ACCEPTED, &["A/1.2"])],
        &[],
        expect![[r#"
            A/1.1 not yet
            A/1.2 met: e1 counts
            B/1.1 not yet
            B/2.1 not yet
            C/1.1 not yet
            unit A in progress 1/2
            unit B not started
            unit C not started
            qualification Q not yet: mandatory A; group 0 0/1; credits 0/8; credits at 3 0/4
            gap A/1.1: practical theory
            gap B/1.1: practical
            gap B/2.1: theory portfolio
            gap C/1.1: theory employer-reference
        "#]],
    );
}

#[test]
fn evidence_not_accepted_names_what_is_missing_in_vasr_order() {
    let j = Vasr { valid: false, authentic: true, sufficient: false, reliable: false };
    check(
        &[evidence("e1", "2026-05-01", WorkCertificate, "2024-03-01", j, &["A/1.2"])],
        &[],
        expect![[r#"
        A/1.1 not yet
        A/1.2 not yet: e1 not-accepted valid+sufficient+reliable
        B/1.1 not yet
        B/2.1 not yet
        C/1.1 not yet
        unit A not started
        unit B not started
        unit C not started
        qualification Q not yet: mandatory A; group 0 0/1; credits 0/8; credits at 3 0/4
        gap A/1.1: practical theory
        gap A/1.2: work-certificate portfolio
        gap B/1.1: practical
        gap B/2.1: theory portfolio
        gap C/1.1: theory employer-reference
    "#]],
    );
}

#[test]
fn evidence_exactly_at_the_window_edge_is_current() {
    check(
        &[evidence("e1", "2026-05-01", WorkCertificate, "2021-11-27", ACCEPTED, &["A/1.2"])],
        &[],
        expect![[r#"
            A/1.1 not yet
            A/1.2 met: e1 counts
            B/1.1 not yet
            B/2.1 not yet
            C/1.1 not yet
            unit A in progress 1/2
            unit B not started
            unit C not started
            qualification Q not yet: mandatory A; group 0 0/1; credits 0/8; credits at 3 0/4
            gap A/1.1: practical theory
            gap B/1.1: practical
            gap B/2.1: theory portfolio
            gap C/1.1: theory employer-reference
        "#]],
    );
}

#[test]
fn evidence_one_day_older_is_not_current() {
    check(
        &[evidence("e1", "2026-05-01", WorkCertificate, "2021-11-26", ACCEPTED, &["A/1.2"])],
        &[],
        expect![[r#"
            A/1.1 not yet
            A/1.2 not yet: e1 not-current 2021-11-26 5y
            B/1.1 not yet
            B/2.1 not yet
            C/1.1 not yet
            unit A not started
            unit B not started
            unit C not started
            qualification Q not yet: mandatory A; group 0 0/1; credits 0/8; credits at 3 0/4
            gap A/1.1: practical theory
            gap A/1.2: work-certificate portfolio
            gap B/1.1: practical
            gap B/2.1: theory portfolio
            gap C/1.1: theory employer-reference
        "#]],
    );
}

#[test]
fn currency_is_per_unit() {
    // Four years old: inside A's five-year window, outside B's three-year one.
    let e = evidence("e1", "2026-05-01", Portfolio, "2022-11-01", ACCEPTED, &["A/1.2", "B/2.1"]);
    check(
        &[e],
        &[],
        expect![[r#"
        A/1.1 not yet
        A/1.2 met: e1 counts
        B/1.1 not yet
        B/2.1 not yet: e1 not-current 2022-11-01 3y
        C/1.1 not yet
        unit A in progress 1/2
        unit B not started
        unit C not started
        qualification Q not yet: mandatory A; group 0 0/1; credits 0/8; credits at 3 0/4
        gap A/1.1: practical theory
        gap B/1.1: practical
        gap B/2.1: theory portfolio
        gap C/1.1: theory employer-reference
    "#]],
    );
}

#[test]
fn records_dated_after_the_assessment_date() {
    check(
        &[
            theory("t1", "2026-11-28", 9, 6, &["A/1.1"]),
            evidence("e1", "2026-11-27", WorkCertificate, "2027-01-01", ACCEPTED, &["A/1.2"]),
        ],
        &[],
        expect![[r#"
            A/1.1 not yet: t1 future-dated 2026-11-28
            A/1.2 not yet: e1 future-dated 2027-01-01
            B/1.1 not yet
            B/2.1 not yet
            C/1.1 not yet
            unit A not started
            unit B not started
            unit C not started
            qualification Q not yet: mandatory A; group 0 0/1; credits 0/8; credits at 3 0/4
            gap A/1.1: practical theory
            gap A/1.2: work-certificate portfolio
            gap B/1.1: practical
            gap B/2.1: theory portfolio
            gap C/1.1: theory employer-reference
        "#]],
    );
}

#[test]
fn the_most_fundamental_problem_is_named() {
    let rejected = Vasr { valid: true, authentic: false, sufficient: true, reliable: true };
    check(
        &[
            // Future-dated and a method B/1.1 does not accept.
            theory("t1", "2027-01-01", 9, 6, &["B/1.1"]),
            // Not accepted and not current.
            evidence("e1", "2026-05-01", WorkCertificate, "2010-01-01", rejected, &["A/1.2"]),
            // Below the pass mark and a method B/1.1 does not accept.
            theory("t2", "2026-05-01", 1, 6, &["B/1.1"]),
        ],
        &[],
        expect![[r#"
            A/1.1 not yet
            A/1.2 not yet: e1 not-accepted authentic
            B/1.1 not yet: t1 future-dated 2027-01-01, t2 method-not-accepted theory
            B/2.1 not yet
            C/1.1 not yet
            unit A not started
            unit B not started
            unit C not started
            qualification Q not yet: mandatory A; group 0 0/1; credits 0/8; credits at 3 0/4
            gap A/1.1: practical theory
            gap A/1.2: work-certificate portfolio
            gap B/1.1: practical
            gap B/2.1: theory portfolio
            gap C/1.1: theory employer-reference
        "#]],
    );
}

#[test]
fn criteria_outside_the_framework_are_ignored() {
    check(
        &[theory("t1", "2026-05-01", 9, 6, &["X/1.1", "A/9.9", "A/1.1"])],
        &[],
        expect![[r#"
        A/1.1 met: t1 counts
        A/1.2 not yet
        B/1.1 not yet
        B/2.1 not yet
        C/1.1 not yet
        unit A in progress 1/2
        unit B not started
        unit C not started
        qualification Q not yet: mandatory A; group 0 0/1; credits 0/8; credits at 3 0/4
        gap A/1.2: work-certificate portfolio
        gap B/1.1: practical
        gap B/2.1: theory portfolio
        gap C/1.1: theory employer-reference
    "#]],
    );
}

#[test]
fn considered_lists_records_in_order_and_repeats_once() {
    check(
        &[
            theory("t1", "2026-05-01", 2, 6, &["A/1.1", "A/1.1"]),
            observed("p1", "2026-06-01", &[("A/1.1", false), ("A/1.1", true), ("A/1.1", true)]),
            evidence("e1", "2026-06-02", EmployerReference, "2026-01-01", ACCEPTED, &["A/1.1"]),
        ],
        &[],
        expect![[r#"
            A/1.1 met: t1 below-pass-mark 2<6, p1 observed-not-yet-met, p1 counts, e1 method-not-accepted employer-reference
            A/1.2 not yet
            B/1.1 not yet
            B/2.1 not yet
            C/1.1 not yet
            unit A in progress 1/2
            unit B not started
            unit C not started
            qualification Q not yet: mandatory A; group 0 0/1; credits 0/8; credits at 3 0/4
            gap A/1.2: work-certificate portfolio
            gap B/1.1: practical
            gap B/2.1: theory portfolio
            gap C/1.1: theory employer-reference
        "#]],
    );
}
