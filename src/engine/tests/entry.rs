//! Warnings when a record is added, against the `shop` framework (see `fixtures::shop`), dated
//! at `TODAY` (2026-11-27).

use expect_test::{Expect, expect};

use super::fixtures::*;
use crate::engine::evaluate::{EntryWarning, entry_warnings};
use crate::engine::framework::EvidenceKind::{EmployerReference, Portfolio};
use crate::engine::records::Record;

fn render(w: &EntryWarning) -> String {
    let detail = match w {
        EntryWarning::MethodNotAccepted { criterion, method, accepted, .. } => {
            let accepted = accepted.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ");
            format!("{criterion} {method} (accepts {accepted})")
        }
        EntryWarning::PracticalOnly { criterion, .. } => criterion.to_string(),
        EntryWarning::NotCurrent { unit, issued_on, window_years } => {
            format!("{unit} {issued_on} {window_years}y")
        }
    };
    format!("{} {}: {detail}", w.field(), w.code())
}

#[track_caller]
fn check(record: Record, expect: Expect) {
    let out =
        entry_warnings(&shop(), &record.body, d(TODAY)).iter().map(render).collect::<Vec<_>>().join("\n");
    expect.assert_eq(&out);
}

#[test]
fn accepted_methods_and_current_evidence_say_nothing() {
    check(observed("p1", TODAY, &[("A/1.1", true), ("B/1.1", false)]), expect![""]);
    check(theory("t1", TODAY, 8, 6, &["A/1.1", "C/1.1"]), expect![""]);
    check(evidence("e1", TODAY, EmployerReference, "2022-11-27", ACCEPTED, &["C/1.1"]), expect![""]);
    check(mapping("m1", TODAY), expect![""]);
}

#[test]
fn a_theory_test_on_a_practical_only_criterion_is_named_as_such() {
    check(
        theory("t1", TODAY, 8, 6, &["A/1.1", "B/1.1", "A/1.2"]),
        expect![[r#"
            criteria[1] practical-only: B/1.1
            criteria[2] method-not-accepted: A/1.2 theory (accepts work-certificate portfolio)"#]],
    );
}

#[test]
fn a_method_the_criterion_does_not_accept_is_named_with_the_field() {
    check(
        observed("p1", TODAY, &[("A/1.1", true), ("C/1.1", true)]),
        expect![
            "items[1].criterion method-not-accepted: C/1.1 practical (accepts theory employer-reference)"
        ],
    );
    check(
        evidence("e1", TODAY, Portfolio, "2026-01-01", ACCEPTED, &["B/2.1", "C/1.1"]),
        expect!["criteria[1] method-not-accepted: C/1.1 portfolio (accepts theory employer-reference)"],
    );
}

#[test]
fn evidence_outside_a_units_currency_window_is_named_once_per_unit() {
    // B's window is 3 years, A's and C's 5: issued the day before B's window opens.
    check(
        evidence("e1", TODAY, Portfolio, "2023-11-26", ACCEPTED, &["A/1.2", "B/2.1"]),
        expect!["issued_on not-current: B 2023-11-26 3y"],
    );
    check(evidence("e1", TODAY, Portfolio, "2023-11-27", ACCEPTED, &["A/1.2", "B/2.1"]), expect![""]);
    // A rejected judgement does not hide the currency warning: the assessor hears it at once.
    let not_accepted = crate::engine::records::Vasr { authentic: false, ..ACCEPTED };
    check(
        evidence("e1", TODAY, Portfolio, "2020-01-01", not_accepted, &["A/1.2", "B/2.1", "A/1.2"]),
        expect![[r#"
            issued_on not-current: A 2020-01-01 5y
            issued_on not-current: B 2020-01-01 3y"#]],
    );
}
