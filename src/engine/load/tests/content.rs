//! Errors in what the file says: duplicates, methods, rules of combination, ranges. Line
//! numbers refer to `MIN` (lines 1–19), `U2` (20–33) and `Q` (34–43).

use expect_test::expect;

use super::{MIN, U2, check, edit, with_qualification};

// 4. Duplicates.

#[test]
fn duplicate_unit_code() {
    check(
        &format!("{MIN}{}", edit(U2, "\"U2\"", "\"U1\"")),
        expect![[r#"
        t.toml:21:8: units[1].code: duplicate unit code 'U1': already used on line 7
    "#]],
    );
}

#[test]
fn duplicate_criterion_id_within_a_unit_even_across_outcomes() {
    let second_outcome = "[[units.outcomes]]\nid = \"2\"\ntext = { sv = \"s\", en = \"e\" }\n\
                          [[units.outcomes.criteria]]\nid = \"1.1\"\ntext = { sv = \"s\", en = \"e\" }\n\
                          methods = [\"theory\"]\n";
    check(
        &format!("{MIN}{second_outcome}"),
        expect![[r#"
        t.toml:24:6: units[0].outcomes[1].criteria[0].id: duplicate criterion id '1.1' in this unit: already used on line 17
    "#]],
    );
}

#[test]
fn criterion_ids_restart_in_each_unit() {
    check(
        &format!("{MIN}{U2}"),
        expect![[r#"
        ok
    "#]],
    );
}

#[test]
fn duplicate_outcome_id_within_a_unit() {
    let again = "[[units.outcomes]]\nid = \"1\"\ntext = { sv = \"s\", en = \"e\" }\n\
                 [[units.outcomes.criteria]]\nid = \"1.2\"\ntext = { sv = \"s\", en = \"e\" }\n\
                 methods = [\"theory\"]\n";
    check(
        &format!("{MIN}{again}"),
        expect![[r#"
        t.toml:21:6: units[0].outcomes[1].id: duplicate outcome id '1' in this unit: already used on line 14
    "#]],
    );
}

#[test]
fn duplicate_qualification_code() {
    let q = &with_qualification()[format!("{MIN}{U2}").len()..];
    check(
        &format!("{}{q}", with_qualification()),
        expect![[r#"
        t.toml:45:8: qualifications[1].code: duplicate qualification code 'Q': already used on line 35
    "#]],
    );
}

// 5. Methods.

#[test]
fn criterion_without_methods() {
    check(
        &edit(MIN, "methods = [\"practical\"]", "methods = []"),
        expect![[r#"
        t.toml:19:11: units[0].outcomes[0].criteria[0].methods: no assessment method: list at least one of practical, theory, employer-reference, work-certificate, portfolio, witness-testimony, professional-discussion
    "#]],
    );
    check(
        &edit(MIN, "methods = [\"practical\"]\n", ""),
        expect![[r#"
        t.toml:16:1: units[0].outcomes[0].criteria[0].methods: missing: list at least one assessment method (practical, theory, employer-reference, work-certificate, portfolio, witness-testimony, professional-discussion)
    "#]],
    );
}

#[test]
fn unknown_method_name() {
    check(
        &edit(MIN, "methods = [\"practical\"]", "methods = [\"practical\", \"exam\"]"),
        expect![[r#"
        t.toml:19:25: units[0].outcomes[0].criteria[0].methods[1]: unknown method 'exam': expected practical, theory, employer-reference, work-certificate, portfolio, witness-testimony or professional-discussion
    "#]],
    );
}

// 6. Rules naming units.

#[test]
fn rule_naming_an_unknown_unit() {
    check(
        &edit(&with_qualification(), "mandatory = [\"U1\"]", "mandatory = [\"U1\", \"U9\"]"),
        expect![[r#"
        t.toml:38:20: qualifications[0].mandatory[1]: unknown unit 'U9': no [[units]] table has this code
    "#]],
    );
    check(
        &edit(&with_qualification(), "units = [\"U2\"]", "units = [\"U3\"]"),
        expect![[r#"
        t.toml:43:10: qualifications[0].optional_groups[0].units[0]: unknown unit 'U3': no [[units]] table has this code
    "#]],
    );
}

#[test]
fn unit_listed_twice_in_one_qualification() {
    check(
        &edit(&with_qualification(), "units = [\"U2\"]", "units = [\"U2\", \"U1\"]"),
        expect![[r#"
        t.toml:43:16: qualifications[0].optional_groups[0].units[1]: unit 'U1' is listed twice in this qualification's rules (first at qualifications[0].mandatory[0])
    "#]],
    );
    check(
        &edit(&with_qualification(), "mandatory = [\"U1\"]", "mandatory = [\"U1\", \"U1\"]"),
        expect![[r#"
        t.toml:38:20: qualifications[0].mandatory[1]: unit 'U1' is listed twice in this qualification's rules (first at qualifications[0].mandatory[0])
    "#]],
    );
}

// 7. Rules no combination can satisfy.

#[test]
fn optional_group_asking_for_more_units_than_it_has() {
    check(
        &edit(&with_qualification(), "min_units = 1", "min_units = 2"),
        expect![[r#"
        t.toml:42:13: qualifications[0].optional_groups[0].min_units: no combination can satisfy this: min_units is 2 but the group lists only 1 unit
    "#]],
    );
}

#[test]
fn a_group_with_min_units_zero_is_a_credit_pool_and_needs_a_credit_rule() {
    // With min_credits the group's units count toward the total though none is required.
    check(
        &edit(&with_qualification(), "min_units = 1", "min_units = 0"),
        expect![[r#"
        ok
    "#]],
    );
    let no_credit_rule =
        edit(&edit(&with_qualification(), "min_units = 1", "min_units = 0"), "min_credits = 9\n", "");
    check(
        &no_credit_rule,
        expect![[r#"
            t.toml:41:13: qualifications[0].optional_groups[0].min_units: a group with min_units = 0 is a credit pool: its units count only toward min_credits or min_credits_at_level, and this qualification has neither
        "#]],
    );
}

#[test]
fn min_credits_above_all_units_together() {
    check(
        &edit(&with_qualification(), "min_credits = 9", "min_credits = 10"),
        expect![[r#"
        t.toml:39:15: qualifications[0].min_credits: no combination can satisfy this: 10 credits needed but all units of this qualification together give only 9
    "#]],
    );
}

#[test]
fn min_credits_at_level_above_what_that_level_offers() {
    let q =
        format!("{}[[qualifications.min_credits_at_level]]\nlevel = 2\ncredits = 7\n", with_qualification());
    check(
        &q,
        expect![[r#"
        t.toml:46:11: qualifications[0].min_credits_at_level[0].credits: no combination can satisfy this: 7 credits needed at level 2 or above but this qualification's units at that level give only 6
    "#]],
    );
    let q = format!(
        "{}[[qualifications.min_credits_at_level]]\nlevel = \"E1\"\ncredits = 9\n",
        with_qualification()
    );
    check(
        &q,
        expect![[r#"
        ok
    "#]],
    );
}

#[test]
fn qualification_without_units() {
    let q = "[[qualifications]]\ncode = \"Q\"\ntitle = { sv = \"s\", fi = \"f\", en = \"e\" }\n\
             description = { sv = \"s\", en = \"e\" }\nmin_credits = 3\n";
    check(
        &format!("{MIN}{q}"),
        expect![[r#"
        t.toml:20:1: qualifications[0]: this qualification names no units: add mandatory units or [[qualifications.optional_groups]]
    "#]],
    );
}

// 8. Ranges.

#[test]
fn level_out_of_range() {
    check(
        &edit(MIN, "level = 1", "level = \"E4\""),
        expect![[r#"
        t.toml:8:9: units[0].level: level 'E4' is out of range: expected E1, E2, E3 or 1 to 8
    "#]],
    );
    check(
        &edit(MIN, "level = 1", "level = 9"),
        expect![[r#"
        t.toml:8:9: units[0].level: level '9' is out of range: expected E1, E2, E3 or 1 to 8
    "#]],
    );
    check(
        &edit(MIN, "level = 1", "level = 0"),
        expect![[r#"
        t.toml:8:9: units[0].level: level '0' is out of range: expected E1, E2, E3 or 1 to 8
    "#]],
    );
}

#[test]
fn credits_out_of_range() {
    check(
        &edit(MIN, "credits = 3", "credits = 0"),
        expect![[r#"
        t.toml:9:11: units[0].credits: must be between 1 and 60, got 0
    "#]],
    );
    check(
        &edit(MIN, "credits = 3", "credits = 61"),
        expect![[r#"
        t.toml:9:11: units[0].credits: must be between 1 and 60, got 61
    "#]],
    );
}

#[test]
fn years_out_of_range() {
    check(
        &edit(MIN, "currency_years = 5", "currency_years = 51\nvalidity_years = 0"),
        expect![[r#"
        t.toml:10:18: units[0].currency_years: must be between 1 and 50, got 51
        t.toml:11:18: units[0].validity_years: must be between 1 and 50, got 0
    "#]],
    );
    check(
        &edit(MIN, "awarding_body", "default_currency_years = -1\nawarding_body"),
        expect![[r#"
        t.toml:3:26: default_currency_years: must be between 1 and 50, got -1
    "#]],
    );
}

#[test]
fn unit_without_currency_window() {
    check(
        &edit(MIN, "currency_years = 5\n", ""),
        expect![[r#"
        t.toml:6:1: units[0].currency_years: missing: no currency window for this unit; set currency_years here or default_currency_years at the top of the file
    "#]],
    );
    check(
        &edit(MIN, "currency_years = 5\n", "").replacen(
            "awarding",
            "default_currency_years = 4\nawarding",
            1,
        ),
        expect![[r#"
        ok
    "#]],
    );
}
