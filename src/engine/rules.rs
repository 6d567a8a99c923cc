//! Rules of combination: which rule of a qualification a set of achieved units still misses.

use std::collections::HashSet;

use super::framework::{Framework, Qualification, Unit};
use super::ids::UnitCode;
use super::level::Level;

/// One rule that does not hold, with how far off it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shortfall {
    /// A mandatory unit is not achieved.
    MandatoryUnit(UnitCode),
    /// Too few units achieved in an optional group.
    OptionalGroup {
        /// Index of the group in the qualification.
        group: usize,
        /// Units needed.
        need: u32,
        /// Units achieved.
        have: u32,
    },
    /// Too few credits in total.
    Credits {
        /// Credits needed.
        need: u32,
        /// Credits achieved.
        have: u32,
    },
    /// Too few credits at or above a level.
    CreditsAtLevel {
        /// The level.
        level: Level,
        /// Credits needed.
        need: u32,
        /// Credits achieved.
        have: u32,
    },
}

/// The rules of `q` that `achieved` does not satisfy; empty means the qualification holds.
///
/// Shortfalls come in rule order: mandatory units (each once, in the order listed), optional
/// groups, total credits, then credits at each level. Credits count each of the
/// qualification's units once, whichever rules name it; a code unknown to `framework` counts
/// as achieved for the unit rules if listed in `achieved`, but brings no credits.
pub fn shortfalls(framework: &Framework, q: &Qualification, achieved: &[UnitCode]) -> Vec<Shortfall> {
    let achieved: HashSet<&UnitCode> = achieved.iter().collect();
    shortfalls_with(q, |c| framework.unit(c), |c| achieved.contains(c))
}

/// True when achieving every unit of `q` satisfies all its rules. Rules are monotone, so this
/// is exactly "some set of units satisfies them".
pub fn satisfiable(framework: &Framework, q: &Qualification) -> bool {
    // Only units that exist can be achieved.
    shortfalls_with(q, |c| framework.unit(c), |c| framework.unit(c).is_some()).is_empty()
}

/// [`shortfalls`] with the unit lookup and the achieved test supplied by the caller, so the
/// evaluator can reuse the maps it already built.
pub(super) fn shortfalls_with<'f>(
    q: &Qualification,
    unit: impl Fn(&UnitCode) -> Option<&'f Unit>,
    achieved: impl Fn(&UnitCode) -> bool,
) -> Vec<Shortfall> {
    let rules = &q.rules;
    let mut out = Vec::new();
    let mandatory = &rules.mandatory;
    for (i, code) in mandatory.iter().enumerate() {
        if !mandatory[..i].contains(code) && !achieved(code) {
            out.push(Shortfall::MandatoryUnit(code.clone()));
        }
    }
    for (group, g) in rules.optional_groups.iter().enumerate() {
        let have =
            g.units.iter().enumerate().filter(|&(i, c)| !g.units[..i].contains(c) && achieved(c)).count();
        let have = u32::try_from(have).unwrap_or(u32::MAX);
        if have < g.min_units {
            out.push(Shortfall::OptionalGroup { group, need: g.min_units, have });
        }
    }
    if rules.min_credits.is_none() && rules.min_credits_at_level.is_empty() {
        return out;
    }
    let counted: Vec<&Unit> = rules.units().into_iter().filter(|c| achieved(c)).filter_map(unit).collect();
    let credits_from = |min: Option<Level>| -> u32 {
        counted.iter().filter(|u| min.is_none_or(|l| u.level >= l)).map(|u| u32::from(u.credits)).sum()
    };
    if let Some(need) = rules.min_credits {
        let have = credits_from(None);
        if have < need {
            out.push(Shortfall::Credits { need, have });
        }
    }
    for lc in &rules.min_credits_at_level {
        let have = credits_from(Some(lc.level));
        if have < lc.credits {
            out.push(Shortfall::CreditsAtLevel { level: lc.level, need: lc.credits, have });
        }
    }
    out
}
