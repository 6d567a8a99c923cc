//! The top of the file, units, learning outcomes and assessment criteria.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use super::read::{Ctx, Fields, ident, index, int, level, list, non_empty, string, text, title};
use super::tree::Node;
use super::{quals, theory_tests};
use crate::engine::framework::{Criterion, Framework, LearningOutcome, Method, Unit};
use crate::engine::ids::{CriterionId, FrameworkId, FrameworkVersion, UnitCode};
use crate::engine::level::Level;

const ROOT: &[&str] = &[
    "id",
    "version",
    "awarding_body",
    "default_currency_years",
    "title",
    "description",
    "units",
    "qualifications",
    "theory_tests",
];
const UNIT: &[&str] =
    &["code", "level", "credits", "currency_years", "validity_years", "title", "description", "outcomes"];
const OUTCOME: &[&str] = &["id", "text", "criteria"];
const CRITERION: &[&str] = &["id", "text", "methods"];

/// Range of `currency_years`, `validity_years` and `default_currency_years`.
pub(super) const YEARS: (i64, i64) = (1, 50);

const METHODS: &str = "practical, theory, employer-reference, work-certificate, portfolio, \
                       witness-testimony, professional-discussion";

/// What the qualification checks need to know about a unit, kept even when the unit itself
/// has errors so that one mistake in a unit does not turn into "unknown unit" elsewhere.
pub(super) struct UnitFacts {
    /// `None` if the code is not a valid [`UnitCode`] (already reported).
    pub code: Option<UnitCode>,
    pub credits: Option<u16>,
    pub level: Option<Level>,
    span: Range<usize>,
}

/// Units by code as written.
pub(super) type Known = HashMap<String, UnitFacts>;

/// The file-wide fallback for units without their own `currency_years`.
#[derive(Clone, Copy)]
enum DefaultCurrency {
    Absent,
    /// Set but wrong; already reported, so units do not report a missing window again.
    Invalid,
    Years(u8),
}

/// Reads the whole framework. `None` means at least one problem was reported.
pub(super) fn framework(ctx: &mut Ctx<'_>, root: &Node) -> Option<Framework> {
    let f = ctx.table(root, "", ROOT, "a table")?;
    let id = f.require(ctx, "id").and_then(|n| ident(ctx, n, "id", FrameworkId::parse));
    let version = f.require(ctx, "version").and_then(|n| ident(ctx, n, "version", FrameworkVersion::parse));
    let awarding_body = f.require(ctx, "awarding_body").and_then(|n| non_empty(ctx, n, "awarding_body"));
    let title = f.require(ctx, "title").and_then(|n| title(ctx, n, "title"));
    let description = f.require(ctx, "description").and_then(|n| text(ctx, n, "description"));
    let default_currency = match f.get("default_currency_years") {
        None => DefaultCurrency::Absent,
        Some(n) => match int(ctx, n, "default_currency_years", YEARS.0, YEARS.1) {
            Some(y) => DefaultCurrency::Years(y as u8),
            None => DefaultCurrency::Invalid,
        },
    };
    let mut known = Known::new();
    let units = units(ctx, &f, default_currency, &mut known);
    let qualifications = quals::qualifications(ctx, &f, &known);
    let read: Vec<Unit> = units.iter().flatten().flatten().cloned().collect();
    let theory_tests = theory_tests::theory_tests(ctx, &f, &known, &read);
    let units: Option<Vec<Unit>> = units.and_then(|u| u.into_iter().collect());
    Some(Framework {
        id: id?,
        version: version?,
        title: title?,
        awarding_body: awarding_body?,
        description: description?,
        units: units?,
        qualifications: qualifications?,
        theory_tests: theory_tests?,
    })
}

/// Every unit, `None` for one with errors; `None` if the list itself is unusable.
fn units(
    ctx: &mut Ctx<'_>,
    f: &Fields<'_>,
    default: DefaultCurrency,
    known: &mut Known,
) -> Option<Vec<Option<Unit>>> {
    let Some(node) = f.get("units") else {
        f.missing(ctx, "units", "missing: a framework needs at least one [[units]] table");
        return None;
    };
    let items = list(ctx, node, "units")?;
    if items.is_empty() {
        ctx.error(&node.span, "units", "a framework needs at least one unit");
        return None;
    }
    Some(items.iter().enumerate().map(|(i, n)| unit(ctx, n, &index("units", i), default, known)).collect())
}

fn unit(
    ctx: &mut Ctx<'_>,
    node: &Node,
    path: &str,
    default: DefaultCurrency,
    known: &mut Known,
) -> Option<Unit> {
    let u = ctx.table(node, path, UNIT, "a [[units]] table")?;
    let level = u.require(ctx, "level").and_then(|n| level(ctx, n, &u.field("level")));
    let credits =
        u.require(ctx, "credits").and_then(|n| int(ctx, n, &u.field("credits"), 1, 60)).map(|c| c as u16);
    let code = unit_code(ctx, &u, known, credits, level);
    let currency_years = match (u.get("currency_years"), default) {
        (Some(n), _) => int(ctx, n, &u.field("currency_years"), YEARS.0, YEARS.1).map(|y| y as u8),
        (None, DefaultCurrency::Years(y)) => Some(y),
        (None, DefaultCurrency::Invalid) => None,
        (None, DefaultCurrency::Absent) => {
            let msg = "missing: no currency window for this unit; set currency_years here \
                       or default_currency_years at the top of the file";
            u.missing(ctx, "currency_years", msg);
            None
        }
    };
    let validity_years = match u.get("validity_years") {
        Some(n) => int(ctx, n, &u.field("validity_years"), YEARS.0, YEARS.1).map(|y| Some(y as u8)),
        None => Some(None),
    };
    let title = u.require(ctx, "title").and_then(|n| title(ctx, n, &u.field("title")));
    let description = u.require(ctx, "description").and_then(|n| text(ctx, n, &u.field("description")));
    let outcomes = outcomes(ctx, &u);
    Some(Unit {
        code: code?,
        title: title?,
        description: description?,
        level: level?,
        credits: credits?,
        currency_years: currency_years?,
        validity_years: validity_years?,
        outcomes: outcomes?,
    })
}

/// Reads the unit's code, refusing a code used by an earlier unit, and records the unit.
fn unit_code(
    ctx: &mut Ctx<'_>,
    u: &Fields<'_>,
    known: &mut Known,
    credits: Option<u16>,
    level: Option<Level>,
) -> Option<UnitCode> {
    let node = u.require(ctx, "code")?;
    let field = u.field("code");
    let raw = string(ctx, node, &field)?;
    if let Some(first) = known.get(raw) {
        let line = ctx.line(&first.span);
        ctx.error(&node.span, &field, format!("duplicate unit code '{raw}': already used on line {line}"));
        return None;
    }
    let code = UnitCode::parse(raw).map_err(|e| ctx.error(&node.span, &field, e.to_string())).ok();
    known.insert(raw.to_owned(), UnitFacts { code: code.clone(), credits, level, span: node.span.clone() });
    code
}

/// Ids seen so far in one unit, with where they were first written.
#[derive(Default)]
struct Seen {
    outcomes: HashMap<String, Range<usize>>,
    criteria: HashMap<String, Range<usize>>,
}

/// Reports `raw` if it was already seen; otherwise remembers it.
fn first_use(
    ctx: &mut Ctx<'_>,
    seen: &mut HashMap<String, Range<usize>>,
    raw: &str,
    node: &Node,
    field: &str,
    what: &str,
) -> bool {
    if let Some(first) = seen.get(raw) {
        let line = ctx.line(first);
        ctx.error(
            &node.span,
            field,
            format!("duplicate {what} '{raw}' in this unit: already used on line {line}"),
        );
        return false;
    }
    seen.insert(raw.to_owned(), node.span.clone());
    true
}

fn outcomes(ctx: &mut Ctx<'_>, u: &Fields<'_>) -> Option<Vec<LearningOutcome>> {
    let field = u.field("outcomes");
    let Some(node) = u.get("outcomes") else {
        u.missing(ctx, "outcomes", "missing: a unit needs at least one [[units.outcomes]] learning outcome");
        return None;
    };
    let items = list(ctx, node, &field)?;
    if items.is_empty() {
        ctx.error(&node.span, &field, "a unit needs at least one learning outcome");
        return None;
    }
    let mut seen = Seen::default();
    let built: Vec<Option<LearningOutcome>> =
        items.iter().enumerate().map(|(i, n)| outcome(ctx, n, &index(&field, i), &mut seen)).collect();
    built.into_iter().collect()
}

fn outcome(ctx: &mut Ctx<'_>, node: &Node, path: &str, seen: &mut Seen) -> Option<LearningOutcome> {
    let o = ctx.table(node, path, OUTCOME, "a [[units.outcomes]] table")?;
    let id = o.require(ctx, "id").and_then(|n| {
        let field = o.field("id");
        let id = non_empty(ctx, n, &field)?;
        first_use(ctx, &mut seen.outcomes, &id, n, &field, "outcome id").then_some(id)
    });
    let text = o.require(ctx, "text").and_then(|n| text(ctx, n, &o.field("text")));
    let field = o.field("criteria");
    let criteria = match o.get("criteria") {
        None => {
            let msg = "missing: a learning outcome needs at least one [[units.outcomes.criteria]] criterion";
            o.missing(ctx, "criteria", msg);
            None
        }
        Some(n) => list(ctx, n, &field).and_then(|items| {
            if items.is_empty() {
                ctx.error(&n.span, &field, "a learning outcome needs at least one assessment criterion");
                return None;
            }
            let built: Vec<Option<Criterion>> =
                items.iter().enumerate().map(|(i, c)| criterion(ctx, c, &index(&field, i), seen)).collect();
            built.into_iter().collect()
        }),
    };
    Some(LearningOutcome { id: id?, text: text?, criteria: criteria? })
}

fn criterion(ctx: &mut Ctx<'_>, node: &Node, path: &str, seen: &mut Seen) -> Option<Criterion> {
    let c = ctx.table(node, path, CRITERION, "a [[units.outcomes.criteria]] table")?;
    let id = c.require(ctx, "id").and_then(|n| {
        let field = c.field("id");
        let id = ident(ctx, n, &field, CriterionId::parse)?;
        first_use(ctx, &mut seen.criteria, id.as_str(), n, &field, "criterion id").then_some(id)
    });
    let text = c.require(ctx, "text").and_then(|n| text(ctx, n, &c.field("text")));
    let methods = methods(ctx, &c);
    Some(Criterion { id: id?, text: text?, methods: methods? })
}

fn methods(ctx: &mut Ctx<'_>, c: &Fields<'_>) -> Option<BTreeSet<Method>> {
    let field = c.field("methods");
    let Some(node) = c.get("methods") else {
        c.missing(ctx, "methods", format!("missing: list at least one assessment method ({METHODS})"));
        return None;
    };
    let items = list(ctx, node, &field)?;
    if items.is_empty() {
        ctx.error(&node.span, &field, format!("no assessment method: list at least one of {METHODS}"));
        return None;
    }
    let parsed: Vec<Option<Method>> = items
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let field = index(&field, i);
            let name = string(ctx, n, &field)?;
            name.parse::<Method>().map_err(|e| ctx.error(&n.span, &field, e.to_string())).ok()
        })
        .collect();
    parsed.into_iter().collect()
}
