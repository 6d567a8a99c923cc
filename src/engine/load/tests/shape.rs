//! Errors in the shape of the file: syntax, unknown or missing fields, types, translations,
//! identifiers, empty lists. Line numbers refer to `MIN` (lines 1–19), `U2` (20–33) and `Q`
//! (34–43).

use expect_test::expect;

use super::{MIN, U2, check, edit, with_qualification};

// 1. TOML syntax.

#[test]
fn syntax_error_points_at_the_bad_character() {
    check(
        &edit(MIN, "credits = 3", "credits = 3 3"),
        expect![[r#"
        t.toml:9:13: syntax: expected newline, `#`
    "#]],
    );
    check(
        &edit(MIN, "code = \"U1\"", "code = \"U1"),
        expect![[r#"
        t.toml:7:11: syntax: invalid basic string
    "#]],
    );
}

#[test]
fn a_key_written_twice_is_a_syntax_error() {
    check(
        &edit(MIN, "credits = 3", "credits = 3\ncredits = 4"),
        expect![[r#"
        t.toml:10:1: syntax: duplicate key `credits` in table `units`
    "#]],
    );
}

#[test]
fn a_single_bracket_list_header_is_reported_at_its_own_line_alone() {
    // Before a correct [[units]], TOML itself would complain at that later header.
    check(
        &format!("{}{U2}", edit(MIN, "[[units]]", "[units]")),
        expect![[r#"
        t.toml:6:1: units[0]: [units] needs double brackets: write [[units]]; with single brackets it is one table, not a new entry in the list
    "#]],
    );
    // After one, as the only unit, and deeper in the file.
    check(
        &format!("{MIN}{}", edit(U2, "[[units]]", "[units]")),
        expect![[r#"
        t.toml:20:1: units[1]: [units] needs double brackets: write [[units]]; with single brackets it is one table, not a new entry in the list
    "#]],
    );
    check(
        &edit(MIN, "[[units]]", "  [ units ]  # the only unit"),
        expect![[r#"
        t.toml:6:3: units[0]: [units] needs double brackets: write [[units]]; with single brackets it is one table, not a new entry in the list
    "#]],
    );
    check(
        &edit(
            &with_qualification(),
            "[[qualifications.optional_groups]]",
            "[qualifications.optional_groups]",
        ),
        expect![[r#"
        t.toml:40:1: qualifications[0].optional_groups[0]: [qualifications.optional_groups] needs double brackets: write [[qualifications.optional_groups]]; with single brackets it is one table, not a new entry in the list
    "#]],
    );
}

#[test]
fn a_single_bracket_header_does_not_hide_the_other_problems() {
    let toml = format!(
        "{}{}",
        edit(MIN, "credits = 3", "credits = 0"),
        edit(U2, "[[units.outcomes]]", "[units.outcomes]")
    );
    check(
        &toml,
        expect![[r#"
        t.toml:9:11: units[0].credits: must be between 1 and 60, got 0
        t.toml:27:1: units[1].outcomes[0]: [units.outcomes] needs double brackets: write [[units.outcomes]]; with single brackets it is one table, not a new entry in the list
    "#]],
    );
    // A syntax error elsewhere is still reported, after the header.
    check(
        &edit(&edit(MIN, "[[units]]", "[units]"), "code = \"U1\"", "code = \"U1"),
        expect![[r#"
        t.toml:6:1: units: [units] needs double brackets: write [[units]]; with single brackets it is one table, not a new entry in the list
        t.toml:7:11: syntax: invalid basic string
    "#]],
    );
}

#[test]
fn a_header_like_line_inside_a_multi_line_string_is_text() {
    // `\"""` does not end the string, so the `[units]` line below is part of it.
    let toml = edit(MIN, "awarding_body = \"B\"", "awarding_body = \"\"\"B \\\"\"\"\n[units]\n\"\"\"");
    check(
        &toml,
        expect![[r#"
        ok
    "#]],
    );
    assert!(super::parse("t.toml", &toml).unwrap().awarding_body.contains("\n[units]\n"));
}

// 2. Unknown fields.

#[test]
fn unknown_field_suggests_the_near_miss_and_lists_the_allowed_ones() {
    check(
        &edit(MIN, "credits = 3", "credit = 3"),
        expect![[r#"
        t.toml:9:1: units[0].credit: unknown field 'credit' (did you mean 'credits'?); allowed fields here: code, level, credits, currency_years, validity_years, title, description, outcomes
    "#]],
    );
}

#[test]
fn unknown_fields_everywhere_are_all_reported() {
    let toml = edit(MIN, "awarding_body", "owner = \"x\"\nawarding_body");
    let toml = edit(
        &toml,
        "fi = \"f\", en = \"e\" }\ndescription",
        "fi = \"f\", en = \"e\", de = \"d\" }\ndescription",
    );
    let toml = edit(&toml, "methods =", "method = [\"theory\"]\nmethods =");
    check(
        &toml,
        expect![[r#"
        t.toml:3:1: owner: unknown field 'owner'; allowed fields here: id, version, awarding_body, default_currency_years, title, description, units, qualifications, theory_tests
        t.toml:5:41: title.de: unknown field 'de'; allowed fields here: sv, fi, en
        t.toml:20:1: units[0].outcomes[0].criteria[0].method: unknown field 'method' (did you mean 'methods'?); allowed fields here: id, text, methods
    "#]],
    );
}

// 3. Missing fields and wrong types.

#[test]
fn missing_required_field_points_at_its_table() {
    check(
        &edit(MIN, "awarding_body = \"B\"\n", ""),
        expect![[r#"
        t.toml:1:1: awarding_body: missing required field 'awarding_body'
    "#]],
    );
    check(
        &edit(MIN, "level = 1\n", ""),
        expect![[r#"
        t.toml:6:1: units[0].level: missing required field 'level'
    "#]],
    );
    check(
        &edit(MIN, "text = { sv = \"s\", en = \"e\" }\nmethods", "methods"),
        expect![[r#"
        t.toml:16:1: units[0].outcomes[0].criteria[0].text: missing required field 'text'
    "#]],
    );
}

#[test]
fn wrong_type_names_what_was_expected() {
    check(
        &edit(MIN, "credits = 3", "credits = \"three\""),
        expect![[r#"
        t.toml:9:11: units[0].credits: expected an integer, found a string
    "#]],
    );
    check(
        &edit(MIN, "credits = 3", "credits = 2.5"),
        expect![[r#"
        t.toml:9:11: units[0].credits: expected an integer, found a decimal number
    "#]],
    );
    check(
        &edit(MIN, "title = { sv = \"s\", fi = \"f\", en = \"e\" }", "title = \"Digital\""),
        expect![[r#"
        t.toml:4:9: title: expected a table of translations { sv = "…", fi = "…", en = "…" }, found a string
    "#]],
    );
    check(
        &edit(MIN, "methods = [\"practical\"]", "methods = \"practical\""),
        expect![[r#"
        t.toml:19:11: units[0].outcomes[0].criteria[0].methods: expected a list, found a string
    "#]],
    );
    check(
        &edit(MIN, "methods = [\"practical\"]", "methods = [1]"),
        expect![[r#"
        t.toml:19:12: units[0].outcomes[0].criteria[0].methods[0]: expected a string, found an integer
    "#]],
    );
}

// 9. Translations.

#[test]
fn missing_translation_names_the_language() {
    check(
        &edit(MIN, "title = { sv = \"s\", fi = \"f\", en = \"e\" }", "title = { sv = \"s\", en = \"e\" }"),
        expect![[r#"
        t.toml:4:9: title.fi: missing Finnish (fi) translation; a title needs sv, fi and en
    "#]],
    );
    check(
        &edit(MIN, "text = { sv = \"s\", en = \"e\" }\nmethods", "text = { sv = \"s\" }\nmethods"),
        expect![[r#"
        t.toml:18:8: units[0].outcomes[0].criteria[0].text.en: missing English (en) translation; a text needs sv and en (fi is optional)
    "#]],
    );
}

#[test]
fn empty_translation_counts_as_missing() {
    check(
        &edit(MIN, "description = { sv = \"s\", en = \"e\" }", "description = { sv = \"\", en = \"e\" }"),
        expect![[r#"
        t.toml:5:22: description.sv: Swedish (sv) translation is empty; a text needs sv and en (fi is optional)
    "#]],
    );
    check(
        &edit(
            MIN,
            "description = { sv = \"s\", en = \"e\" }",
            "description = { sv = \"s\", fi = \"\", en = \"e\" }",
        ),
        expect![[r#"
        ok
    "#]],
    );
}

// 10. Identifiers.

#[test]
fn invalid_identifiers() {
    check(
        &edit(MIN, "id = \"f\"", "id = \"digital basic\""),
        expect![[r#"
        t.toml:1:6: id: framework id 'digital basic' may only contain letters A-Z, digits, '.', '-' and '_'
    "#]],
    );
    check(
        &edit(MIN, "version = \"1\"", "version = \"\""),
        expect![[r#"
        t.toml:2:11: version: framework version must be 1 to 32 characters, got 0
    "#]],
    );
    check(
        &edit(MIN, "code = \"U1\"", "code = \"U/1\""),
        expect![[r#"
        t.toml:7:8: units[0].code: unit code 'U/1' may only contain letters A-Z, digits, '.', '-' and '_'
    "#]],
    );
    check(
        &edit(MIN, "id = \"1.1\"", "id = \"1 1\""),
        expect![[r#"
        t.toml:17:6: units[0].outcomes[0].criteria[0].id: criterion id '1 1' may only contain letters A-Z, digits, '.', '-' and '_'
    "#]],
    );
    check(
        &edit(&with_qualification(), "code = \"Q\"", "code = \"Q!\""),
        expect![[r#"
        t.toml:35:8: qualifications[0].code: qualification code 'Q!' may only contain letters A-Z, digits, '.', '-' and '_'
    "#]],
    );
}

#[test]
fn an_invalid_unit_code_is_not_also_an_unknown_unit() {
    let toml = edit(&with_qualification(), "code = \"U1\"", "code = \"U 1\"");
    check(
        &edit(&toml, "mandatory = [\"U1\"]", "mandatory = [\"U 1\"]"),
        expect![[r#"
        t.toml:7:8: units[0].code: unit code 'U 1' may only contain letters A-Z, digits, '.', '-' and '_'
    "#]],
    );
}

// 11. Empty structure.

#[test]
fn unit_without_outcomes_and_outcome_without_criteria() {
    let head = MIN.split("[[units.outcomes]]").next().unwrap_or_default();
    check(
        head,
        expect![[r#"
        t.toml:6:1: units[0].outcomes: missing: a unit needs at least one [[units.outcomes]] learning outcome
    "#]],
    );
    check(
        &format!("{head}outcomes = []\n"),
        expect![[r#"
        t.toml:13:12: units[0].outcomes: a unit needs at least one learning outcome
    "#]],
    );
    let no_criteria = MIN.split("[[units.outcomes.criteria]]").next().unwrap_or_default();
    check(
        no_criteria,
        expect![[r#"
        t.toml:13:1: units[0].outcomes[0].criteria: missing: a learning outcome needs at least one [[units.outcomes.criteria]] criterion
    "#]],
    );
}

#[test]
fn framework_without_units() {
    let head = MIN.split("[[units]]").next().unwrap_or_default();
    check(
        head,
        expect![[r#"
        t.toml:1:1: units: missing: a framework needs at least one [[units]] table
    "#]],
    );
    check(
        &format!("units = []\n{head}"),
        expect![[r#"
        t.toml:1:9: units: a framework needs at least one unit
    "#]],
    );
}

#[test]
fn a_misspelt_key_is_not_also_reported_missing() {
    check(
        &edit(MIN, "methods =", "method ="),
        expect![[r#"
        t.toml:19:1: units[0].outcomes[0].criteria[0].method: unknown field 'method' (did you mean 'methods'?); allowed fields here: id, text, methods
    "#]],
    );
    check(
        &edit(MIN, "{ sv = \"s\", fi = \"f\", en = \"e\" }", "{ sw = \"s\", fi = \"f\", en = \"e\" }"),
        expect![[r#"
        t.toml:4:11: title.sw: unknown field 'sw' (did you mean 'sv'?); allowed fields here: sv, fi, en
    "#]],
    );
}

#[test]
fn misspelt_table_headers_point_at_the_header() {
    check(
        &MIN.replace("[[units]]", "[[unit]]"),
        expect![[r#"
        t.toml:6:3: unit: unknown field 'unit' (did you mean 'units'?); allowed fields here: id, version, awarding_body, default_currency_years, title, description, units, qualifications, theory_tests
        t.toml:13:3: units: expected a list, found a table
    "#]],
    );
    check(
        &edit(MIN, "[[units.outcomes]]", "[[units.outcome]]"),
        expect![[r#"
        t.toml:13:9: units[0].outcome: unknown field 'outcome' (did you mean 'outcomes'?); allowed fields here: code, level, credits, currency_years, validity_years, title, description, outcomes
        t.toml:16:9: units[0].outcomes: expected a list, found a table
    "#]],
    );
}
