//! Example and property tests of the engine: evaluation, rules of combination, explanations.

mod entry;
mod evaluate;
mod explain;
mod fixtures;
mod props;
mod rules;
mod statuses;
mod target;
