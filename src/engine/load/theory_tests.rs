//! The theory tests a framework defines (`[[theory_tests]]`): each covers criteria that must
//! exist and accept the theory method, with a pass mark in percent of its maximum score.

use std::collections::HashMap;
use std::ops::Range;

use super::read::{Ctx, Fields, ident, index, int, list, string, title};
use super::tree::Node;
use super::units::Known;
use crate::engine::framework::{Method, PassPercent, TheoryTestDef, Unit};
use crate::engine::ids::{CriterionRef, TheoryTestId};

const THEORY_TEST: &[&str] = &["id", "title", "max_score", "pass_percent", "criteria"];
const NO_LIMIT: i64 = u32::MAX as i64;

/// Reads `[[theory_tests]]`; a framework without any is valid (results are then recorded as
/// ad-hoc tests). `units` are the units that were read without errors: a criterion of a unit
/// with errors is not checked, so one mistake is not reported twice.
pub(super) fn theory_tests(
    ctx: &mut Ctx<'_>,
    f: &Fields<'_>,
    known: &Known,
    units: &[Unit],
) -> Option<Vec<TheoryTestDef>> {
    let Some(node) = f.get("theory_tests") else { return Some(Vec::new()) };
    let items = list(ctx, node, "theory_tests")?;
    let mut ids = HashMap::new();
    let built: Vec<Option<TheoryTestDef>> = items
        .iter()
        .enumerate()
        .map(|(i, n)| theory_test(ctx, n, &index("theory_tests", i), known, units, &mut ids))
        .collect();
    built.into_iter().collect()
}

fn theory_test(
    ctx: &mut Ctx<'_>,
    node: &Node,
    path: &str,
    known: &Known,
    units: &[Unit],
    ids: &mut HashMap<String, Range<usize>>,
) -> Option<TheoryTestDef> {
    let t = ctx.table(node, path, THEORY_TEST, "a [[theory_tests]] table")?;
    let id = t.require(ctx, "id").and_then(|n| {
        let field = t.field("id");
        let id = ident(ctx, n, &field, TheoryTestId::parse)?;
        if let Some(first) = ids.get(id.as_str()) {
            let line = ctx.line(first);
            ctx.error(
                &n.span,
                &field,
                format!("duplicate theory test id '{id}': already used on line {line}"),
            );
            return None;
        }
        ids.insert(id.as_str().to_owned(), n.span.clone());
        Some(id)
    });
    let title = t.require(ctx, "title").and_then(|n| title(ctx, n, &t.field("title")));
    let max_score = t
        .require(ctx, "max_score")
        .and_then(|n| int(ctx, n, &t.field("max_score"), 1, NO_LIMIT))
        .map(|m| m as u32);
    let pass_percent = t.require(ctx, "pass_percent").and_then(|n| {
        let field = t.field("pass_percent");
        let v = int(ctx, n, &field, i64::MIN, i64::MAX)?;
        PassPercent::new(v).map_err(|e| ctx.error(&n.span, &field, e.to_string())).ok()
    });
    let criteria =
        t.require(ctx, "criteria").and_then(|n| criteria(ctx, n, &t.field("criteria"), known, units));
    Some(TheoryTestDef {
        id: id?,
        title: title?,
        max_score: max_score?,
        pass_percent: pass_percent?,
        criteria: criteria?,
    })
}

fn criteria(
    ctx: &mut Ctx<'_>,
    node: &Node,
    field: &str,
    known: &Known,
    units: &[Unit],
) -> Option<Vec<CriterionRef>> {
    let items = list(ctx, node, field)?;
    if items.is_empty() {
        ctx.error(&node.span, field, "a theory test must cover at least one criterion");
        return None;
    }
    let mut first: HashMap<CriterionRef, String> = HashMap::new();
    let refs: Vec<Option<CriterionRef>> = items
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let field = index(field, i);
            let raw = string(ctx, n, &field)?;
            let r: CriterionRef = raw
                .parse()
                .map_err(|e: crate::engine::ids::IdError| {
                    ctx.error(&n.span, &field, e.to_string());
                })
                .ok()?;
            if let Some(at) = first.get(&r) {
                ctx.error(
                    &n.span,
                    &field,
                    format!("criterion '{r}' is listed twice in this test (first at {at})"),
                );
                return None;
            }
            first.insert(r.clone(), field.clone());
            check_criterion(ctx, n, &field, &r, known, units).then_some(r)
        })
        .collect();
    refs.into_iter().collect()
}

/// Reports a criterion that does not exist or does not accept a theory test.
fn check_criterion(
    ctx: &mut Ctx<'_>,
    n: &Node,
    field: &str,
    r: &CriterionRef,
    known: &Known,
    units: &[Unit],
) -> bool {
    if !known.contains_key(r.unit.as_str()) {
        let msg = format!("unknown unit '{}' in '{r}': no [[units]] table has this code", r.unit);
        ctx.error(&n.span, field, msg);
        return false;
    }
    let Some(unit) = units.iter().find(|u| u.code == r.unit) else {
        // The unit has errors of its own, already reported.
        return false;
    };
    match unit.criteria().find(|c| c.id == r.criterion) {
        None => {
            ctx.error(
                &n.span,
                field,
                format!("unknown criterion '{r}': unit {} has no criterion {}", r.unit, r.criterion),
            );
            false
        }
        Some(c) if !c.methods.contains(&Method::Theory) => {
            let methods: Vec<&str> = c.methods.iter().map(|m| m.as_str()).collect();
            let msg = format!(
                "criterion '{r}' does not accept a theory test (its methods: {}); add \"theory\" to its methods or leave it out of the test",
                methods.join(", ")
            );
            ctx.error(&n.span, field, msg);
            false
        }
        Some(_) => true,
    }
}
