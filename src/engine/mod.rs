//! The assessment engine: competence frameworks, a candidate's records, and the rules that turn
//! one into an outcome.
//!
//! Policy: pure code. Nothing here knows about HTTP, SQL, files or the clock; dates and texts
//! come in as arguments, so every rule can be tested with one-line inputs.

pub mod decision;
pub mod evaluate;
pub mod explain;
pub mod framework;
pub mod ids;
pub mod lang;
pub mod level;
pub mod load;
pub mod records;
pub mod rules;
pub mod sampling;
pub mod target;
#[cfg(test)]
mod tests;

pub use decision::{DecisionError, ProvisionalDecision, VerifiedDecision};
pub use evaluate::{Outcome, evaluate};
pub use framework::Framework;
pub use lang::Lang;
pub use level::Level;
