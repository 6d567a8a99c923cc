//! Rules of combination: which rule of a qualification a set of achieved units still misses.

use super::framework::{Framework, Qualification};
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
pub fn shortfalls(framework: &Framework, q: &Qualification, achieved: &[UnitCode]) -> Vec<Shortfall> {
    let _ = (framework, q, achieved);
    unimplemented!("engine helper")
}
