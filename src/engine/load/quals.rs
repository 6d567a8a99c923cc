//! Qualifications and their rules of combination, including the check that some combination
//! of units can satisfy each rule.

use std::collections::HashMap;
use std::ops::Range;

use super::read::{Ctx, Fields, ident, index, int, level, list, string, text, title};
use super::tree::{Kind, Node};
use super::units::{Known, UnitFacts, YEARS};
use crate::engine::framework::{LevelCredits, OptionalGroup, Qualification, Rules};
use crate::engine::ids::{QualificationCode, UnitCode};
use crate::engine::level::Level;

const QUALIFICATION: &[&str] = &[
    "code",
    "title",
    "description",
    "validity_years",
    "mandatory",
    "min_credits",
    "optional_groups",
    "min_credits_at_level",
];
const GROUP: &[&str] = &["title", "min_units", "units"];
const LEVEL_CREDITS: &[&str] = &["level", "credits"];
const NO_LIMIT: i64 = u32::MAX as i64;

/// Reads `[[qualifications]]`; a framework without any is valid (credit accumulation only).
pub(super) fn qualifications(ctx: &mut Ctx<'_>, f: &Fields<'_>, known: &Known) -> Option<Vec<Qualification>> {
    let Some(node) = f.get("qualifications") else { return Some(Vec::new()) };
    let items = list(ctx, node, "qualifications")?;
    let mut codes = HashMap::new();
    let built: Vec<Option<Qualification>> = items
        .iter()
        .enumerate()
        .map(|(i, n)| qualification(ctx, n, &index("qualifications", i), known, &mut codes))
        .collect();
    built.into_iter().collect()
}

/// The units one qualification's rules name so far.
struct Listed<'k> {
    known: &'k Known,
    /// Where each unit was first listed, as a field path.
    first: HashMap<String, String>,
    /// Units in the order listed, each once.
    units: Vec<&'k UnitFacts>,
    /// Unit references written, valid or not.
    written: usize,
    /// False once a reference failed: credit sums would then be wrong, and a second error
    /// about them would only be a consequence of the first.
    complete: bool,
}

impl Listed<'_> {
    /// Resolves one reference to a unit.
    fn unit(&mut self, ctx: &mut Ctx<'_>, node: &Node, field: &str) -> Option<UnitCode> {
        self.written += 1;
        let resolved = self.resolve(ctx, node, field);
        self.complete &= resolved.is_some();
        resolved
    }

    fn resolve(&mut self, ctx: &mut Ctx<'_>, node: &Node, field: &str) -> Option<UnitCode> {
        let raw = string(ctx, node, field)?;
        let Some(facts) = self.known.get(raw) else {
            ctx.error(&node.span, field, format!("unknown unit '{raw}': no [[units]] table has this code"));
            return None;
        };
        if let Some(first) = self.first.get(raw) {
            let msg =
                format!("unit '{raw}' is listed twice in this qualification's rules (first at {first})");
            ctx.error(&node.span, field, msg);
            return None;
        }
        self.first.insert(raw.to_owned(), field.to_owned());
        self.units.push(facts);
        // An invalid code was reported at the unit itself.
        facts.code.clone()
    }

    /// Resolves a list of references.
    fn units(&mut self, ctx: &mut Ctx<'_>, node: &Node, field: &str) -> Option<Vec<UnitCode>> {
        let items = list(ctx, node, field)?;
        let codes: Vec<Option<UnitCode>> =
            items.iter().enumerate().map(|(i, n)| self.unit(ctx, n, &index(field, i))).collect();
        codes.into_iter().collect()
    }

    /// Credits of the listed units at or above `floor`, if every unit's credits and level are
    /// known.
    fn credits(&self, floor: Option<Level>) -> Option<u32> {
        if !self.complete {
            return None;
        }
        self.units.iter().try_fold(0u32, |sum, u| {
            let counts = match floor {
                Some(floor) => u.level? >= floor,
                None => true,
            };
            Some(sum + if counts { u32::from(u.credits?) } else { 0 })
        })
    }
}

fn qualification(
    ctx: &mut Ctx<'_>,
    node: &Node,
    path: &str,
    known: &Known,
    codes: &mut HashMap<String, Range<usize>>,
) -> Option<Qualification> {
    let q = ctx.table(node, path, QUALIFICATION, "a [[qualifications]] table")?;
    let code = q.require(ctx, "code").and_then(|n| {
        let field = q.field("code");
        let code = ident(ctx, n, &field, QualificationCode::parse)?;
        if let Some(first) = codes.get(code.as_str()) {
            let line = ctx.line(first);
            ctx.error(
                &n.span,
                &field,
                format!("duplicate qualification code '{code}': already used on line {line}"),
            );
            return None;
        }
        codes.insert(code.as_str().to_owned(), n.span.clone());
        Some(code)
    });
    let title = q.require(ctx, "title").and_then(|n| title(ctx, n, &q.field("title")));
    let description = q.require(ctx, "description").and_then(|n| text(ctx, n, &q.field("description")));
    let validity_years = match q.get("validity_years") {
        Some(n) => int(ctx, n, &q.field("validity_years"), YEARS.0, YEARS.1).map(|y| Some(y as u8)),
        None => Some(None),
    };
    let rules = rules(ctx, &q, known);
    Some(Qualification {
        code: code?,
        title: title?,
        description: description?,
        validity_years: validity_years?,
        rules: rules?,
    })
}

fn rules(ctx: &mut Ctx<'_>, q: &Fields<'_>, known: &Known) -> Option<Rules> {
    let mut listed = Listed { known, first: HashMap::new(), units: Vec::new(), written: 0, complete: true };
    let pools_count = q.get("min_credits").is_some() || q.get("min_credits_at_level").is_some();
    let mandatory = match q.get("mandatory") {
        Some(n) => listed.units(ctx, n, &q.field("mandatory")),
        None => Some(Vec::new()),
    };
    let optional_groups = match q.get("optional_groups") {
        Some(n) => {
            let field = q.field("optional_groups");
            list(ctx, n, &field).and_then(|items| {
                let groups: Vec<Option<OptionalGroup>> = items
                    .iter()
                    .enumerate()
                    .map(|(i, g)| group(ctx, g, &index(&field, i), &mut listed, pools_count))
                    .collect();
                groups.into_iter().collect()
            })
        }
        None => Some(Vec::new()),
    };
    let names_units = listed.written > 0;
    if !names_units {
        let msg =
            "this qualification names no units: add mandatory units or [[qualifications.optional_groups]]";
        ctx.error(&q.span, &q.path, msg);
        listed.complete = false;
    }
    let min_credits = match q.get("min_credits") {
        Some(n) => {
            let field = q.field("min_credits");
            let min = int(ctx, n, &field, 1, NO_LIMIT).map(|c| c as u32);
            min.filter(|&min| reachable(ctx, n, &field, min, listed.credits(None), None)).map(Some)
        }
        None => Some(None),
    };
    let min_credits_at_level = match q.get("min_credits_at_level") {
        Some(n) => {
            let field = q.field("min_credits_at_level");
            list(ctx, n, &field).and_then(|items| {
                let rules: Vec<Option<LevelCredits>> = items
                    .iter()
                    .enumerate()
                    .map(|(i, r)| at_level(ctx, r, &index(&field, i), &listed))
                    .collect();
                rules.into_iter().collect()
            })
        }
        None => Some(Vec::new()),
    };
    if !names_units {
        return None;
    }
    Some(Rules {
        mandatory: mandatory?,
        optional_groups: optional_groups?,
        min_credits: min_credits?,
        min_credits_at_level: min_credits_at_level?,
    })
}

/// One optional group; `pools_count` is true when the qualification has a credit rule, so that a
/// group with `min_units = 0` (a credit pool) adds to something.
fn group(
    ctx: &mut Ctx<'_>,
    node: &Node,
    path: &str,
    listed: &mut Listed<'_>,
    pools_count: bool,
) -> Option<OptionalGroup> {
    let g = ctx.table(node, path, GROUP, "a [[qualifications.optional_groups]] table")?;
    let title = g.require(ctx, "title").and_then(|n| title(ctx, n, &g.field("title")));
    let units_node = g.require(ctx, "units");
    let units = units_node.and_then(|n| listed.units(ctx, n, &g.field("units")));
    let min_units = g.require(ctx, "min_units").and_then(|n| {
        let field = g.field("min_units");
        let min = int(ctx, n, &field, 0, NO_LIMIT)? as u32;
        let len = units_node.and_then(|u| match &u.kind {
            Kind::Array(items) => Some(items.len()),
            _ => None,
        });
        if min == 0 && !pools_count {
            // A credit pool only means something when a credit rule counts its units.
            let msg = "a group with min_units = 0 is a credit pool: its units count only toward \
                       min_credits or min_credits_at_level, and this qualification has neither";
            ctx.error(&n.span, &field, msg);
            return None;
        }
        match len {
            Some(len) if min as usize > len => {
                let msg = format!(
                    "no combination can satisfy this: min_units is {min} but the group lists only {len} unit{}",
                    if len == 1 { "" } else { "s" }
                );
                ctx.error(&n.span, &field, msg);
                None
            }
            _ => Some(min),
        }
    });
    Some(OptionalGroup { title: title?, min_units: min_units?, units: units? })
}

fn at_level(ctx: &mut Ctx<'_>, node: &Node, path: &str, listed: &Listed<'_>) -> Option<LevelCredits> {
    let r = ctx.table(node, path, LEVEL_CREDITS, "a [[qualifications.min_credits_at_level]] table")?;
    let level = r.require(ctx, "level").and_then(|n| level(ctx, n, &r.field("level")));
    let credits = r.require(ctx, "credits").and_then(|n| {
        let field = r.field("credits");
        let credits = int(ctx, n, &field, 1, NO_LIMIT)? as u32;
        let available = level.and_then(|l| listed.credits(Some(l)));
        reachable(ctx, n, &field, credits, available, level).then_some(credits)
    });
    Some(LevelCredits { level: level?, credits: credits? })
}

/// False, after reporting it, if `needed` exceeds the credits `available` from all the
/// qualification's units (at or above `level`); unknown availability is not checked.
fn reachable(
    ctx: &mut Ctx<'_>,
    node: &Node,
    field: &str,
    needed: u32,
    available: Option<u32>,
    level: Option<Level>,
) -> bool {
    let Some(available) = available.filter(|&a| needed > a) else { return true };
    let msg = match level {
        None => format!(
            "no combination can satisfy this: {needed} credits needed but all units of this \
             qualification together give only {available}"
        ),
        Some(l) => format!(
            "no combination can satisfy this: {needed} credits needed at level {l} or above but \
             this qualification's units at that level give only {available}"
        ),
    };
    ctx.error(&node.span, field, msg);
    false
}
