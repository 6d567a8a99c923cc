//! A gap report aimed at the qualification an assessment targets: for each rule not yet met,
//! the units that could still close it, and the smallest sets of units that would complete the
//! qualification.
//!
//! Policy: a unit is suggested only if achieving it can change a rule that does not hold yet
//! (a missing mandatory unit, a member of a group still short, any of the qualification's
//! units while total credits are short, a unit at or above the level of a credits-at-level rule
//! still short). Units outside the qualification, already achieved, or unable to move an open
//! rule are never suggested.
//!
//! Finding the smallest sets is a covering problem, exponential in the worst case, so the
//! search is bounded: it tries sets by size (from a lower bound, with branch-and-bound on
//! credits and group counts), keeps at most [`MAX_SETS`] sets of the smallest size and of one
//! unit more, and stops after [`SEARCH_BUDGET`] steps. When it stops early the report says so,
//! and still offers one set that completes the qualification (every open unit, then pruned
//! until each one is needed), if there is one.

use std::collections::HashSet;

use super::evaluate::{Gap, Outcome};
use super::framework::{Framework, Qualification, Unit};
use super::ids::{QualificationCode, UnitCode};
use super::rules::{self, Shortfall};

/// At most this many sets are offered.
pub const MAX_SETS: usize = 3;

/// At most this many search steps (a step is one partial set considered).
pub const SEARCH_BUDGET: usize = 20_000;

/// One rule of the qualification that does not hold, and the units that could still move it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    /// The rule and how far off it is.
    pub shortfall: Shortfall,
    /// Units not yet achieved that count toward this rule, in framework order.
    pub units: Vec<UnitCode>,
}

/// A set of units that, once achieved, completes the qualification; no unit in it can be left
/// out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosingSet {
    /// The units, in framework order.
    pub units: Vec<UnitCode>,
    /// Their credits together.
    pub credits: u32,
}

/// The gap report aimed at one qualification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetReport {
    /// The qualification.
    pub qualification: QualificationCode,
    /// Rules not yet met (counting provisional units as achieved), in rule order.
    pub needs: Vec<Need>,
    /// The smallest sets that complete the qualification, by number of units, then credits,
    /// then framework order; empty when every rule holds or nothing can complete it.
    pub closing: Vec<ClosingSet>,
    /// True when the search stopped at its budget: smaller or cheaper sets may exist.
    pub capped: bool,
    /// Unmet criteria of the units that count toward an open rule, in framework order.
    pub gaps: Vec<Gap>,
    /// Unmet criteria of every other unit not yet achieved (credit accumulation only).
    pub other_gaps: Vec<Gap>,
}

impl TargetReport {
    /// The units any [`Need`] names, each once.
    pub fn counting_units(&self) -> HashSet<&UnitCode> {
        self.needs.iter().flat_map(|n| n.units.iter()).collect()
    }
}

/// The report for qualification `code` of `fw`, from an evaluation `outcome` of it; `None` if
/// the framework has no such qualification.
pub fn report(fw: &Framework, outcome: &Outcome, code: &QualificationCode) -> Option<TargetReport> {
    let q = fw.qualification(code)?;
    let achieved: Vec<UnitCode> =
        outcome.units.iter().filter(|u| u.status.is_achieved()).map(|u| u.unit.clone()).collect();
    Some(report_for(fw, q, &achieved, &outcome.gaps))
}

/// The report for `q` when `achieved` are the units achieved (confirmed or provisional) and
/// `gaps` the unmet criteria of the others.
pub fn report_for(fw: &Framework, q: &Qualification, achieved: &[UnitCode], gaps: &[Gap]) -> TargetReport {
    let done: HashSet<&UnitCode> = achieved.iter().collect();
    // Open units of the qualification, in framework order, each once.
    let open: Vec<&Unit> = {
        let listed: HashSet<&UnitCode> = q.rules.units().into_iter().collect();
        fw.units.iter().filter(|u| listed.contains(&u.code) && !done.contains(&u.code)).collect()
    };
    let needs: Vec<Need> = rules::shortfalls(fw, q, achieved)
        .into_iter()
        .map(|shortfall| {
            let counts = |u: &Unit| match &shortfall {
                Shortfall::MandatoryUnit(c) => &u.code == c,
                Shortfall::OptionalGroup { group, .. } => {
                    q.rules.optional_groups.get(*group).is_some_and(|g| g.units.contains(&u.code))
                }
                Shortfall::Credits { .. } => true,
                Shortfall::CreditsAtLevel { level, .. } => u.level >= *level,
            };
            let units = open.iter().filter(|u| counts(u)).map(|u| u.code.clone()).collect();
            Need { shortfall, units }
        })
        .collect();
    let (closing, capped) =
        if needs.is_empty() { (Vec::new(), false) } else { Search::new(fw, q, &done, &open).run() };
    let counting: HashSet<&UnitCode> = needs.iter().flat_map(|n| n.units.iter()).collect();
    let (aimed, other): (Vec<&Gap>, Vec<&Gap>) =
        gaps.iter().partition(|g| counting.contains(&g.criterion.unit));
    TargetReport {
        qualification: q.code.clone(),
        needs,
        closing,
        capped,
        gaps: aimed.into_iter().cloned().collect(),
        other_gaps: other.into_iter().cloned().collect(),
    }
}

/// One open unit as the search sees it.
struct Cand<'f> {
    unit: &'f Unit,
    /// Position in the framework, the tie-break after credits.
    at: usize,
    credits: u32,
    /// Per credits-at-level rule: does this unit count toward it.
    at_level: Vec<bool>,
    /// Per optional group: is this unit a member.
    groups: Vec<bool>,
}

/// What is still owed once the missing mandatory units are counted in.
#[derive(Clone)]
struct Owed {
    credits: i64,
    at_level: Vec<i64>,
    groups: Vec<i64>,
}

impl Owed {
    fn settled(&self) -> bool {
        self.credits <= 0 && self.at_level.iter().all(|&c| c <= 0) && self.groups.iter().all(|&g| g <= 0)
    }

    fn take(&mut self, c: &Cand<'_>) {
        self.credits -= i64::from(c.credits);
        for (owed, counts) in self.at_level.iter_mut().zip(&c.at_level) {
            if *counts {
                *owed -= i64::from(c.credits);
            }
        }
        for (owed, member) in self.groups.iter_mut().zip(&c.groups) {
            if *member {
                *owed -= 1;
            }
        }
    }
}

struct Search<'f> {
    /// Missing mandatory units: in every set.
    forced: Vec<&'f Unit>,
    /// The other open units that can move an open rule, most credits first.
    cands: Vec<Cand<'f>>,
    /// What the candidates still owe once `forced` are achieved.
    owed: Owed,
    /// False when a mandatory unit is missing from the framework: nothing completes it.
    possible: bool,
    /// Framework position of each unit, for ordering.
    position: Vec<&'f UnitCode>,
    steps: usize,
}

/// A set found, ranked by credits, then its units' framework positions.
type Ranked = (u32, Vec<usize>, Vec<usize>);

/// The best sets of one size found so far, at most `room`, kept sorted.
struct Best {
    room: usize,
    sets: Vec<Ranked>,
}

impl Best {
    fn would_take(&self, key: &(u32, Vec<usize>)) -> bool {
        self.sets.len() < self.room || self.sets.last().is_some_and(|(c, o, _)| (c, o) > (&key.0, &key.1))
    }

    fn take(&mut self, set: Ranked) {
        let at = self.sets.partition_point(|s| (s.0, &s.1) <= (set.0, &set.1));
        self.sets.insert(at, set);
        self.sets.truncate(self.room);
    }
}

impl<'f> Search<'f> {
    fn new(fw: &'f Framework, q: &'f Qualification, done: &HashSet<&UnitCode>, open: &[&'f Unit]) -> Self {
        let rules = &q.rules;
        let mut possible = true;
        let mut forced: Vec<&Unit> = Vec::new();
        for code in &rules.mandatory {
            if done.contains(code) || forced.iter().any(|u| &u.code == code) {
                continue;
            }
            match fw.unit(code) {
                Some(u) => forced.push(u),
                None => possible = false,
            }
        }
        let after: Vec<UnitCode> =
            done.iter().map(|c| (*c).clone()).chain(forced.iter().map(|u| u.code.clone())).collect();
        let mut owed = Owed {
            credits: 0,
            at_level: vec![0; rules.min_credits_at_level.len()],
            groups: vec![0; rules.optional_groups.len()],
        };
        for s in rules::shortfalls(fw, q, &after) {
            match s {
                // Only a unit the framework lacks; `possible` already says so.
                Shortfall::MandatoryUnit(_) => {}
                Shortfall::OptionalGroup { group, need, have } => {
                    owed.groups[group] = i64::from(need) - i64::from(have);
                }
                Shortfall::Credits { need, have } => owed.credits = i64::from(need) - i64::from(have),
                Shortfall::CreditsAtLevel { level, need, have } => {
                    // Rules at one level repeat the same sum; the first one short stands for all.
                    for (i, lc) in rules.min_credits_at_level.iter().enumerate() {
                        if lc.level == level && lc.credits == need {
                            owed.at_level[i] = i64::from(need) - i64::from(have);
                        }
                    }
                }
            }
        }
        let mut cands: Vec<Cand<'f>> = open
            .iter()
            .filter(|u| !forced.iter().any(|f| f.code == u.code))
            .map(|u| Cand {
                unit: u,
                at: fw.units.iter().position(|f| f.code == u.code).unwrap_or(usize::MAX),
                credits: u32::from(u.credits),
                at_level: rules.min_credits_at_level.iter().map(|lc| u.level >= lc.level).collect(),
                groups: rules.optional_groups.iter().map(|g| g.units.contains(&u.code)).collect(),
            })
            .filter(|c| {
                // A unit that moves no rule still owed cannot be part of a smallest set.
                owed.credits > 0
                    || c.at_level.iter().zip(&owed.at_level).any(|(counts, o)| *counts && *o > 0)
                    || c.groups.iter().zip(&owed.groups).any(|(member, o)| *member && *o > 0)
            })
            .collect();
        // Most credits first, so the first free slots of a partial set bound what it can reach.
        cands.sort_by_key(|c| std::cmp::Reverse(c.credits));
        let position = fw.units.iter().map(|u| &u.code).collect();
        Search { forced, cands, owed, possible, position, steps: 0 }
    }

    fn run(mut self) -> (Vec<ClosingSet>, bool) {
        if !self.possible {
            return (Vec::new(), false);
        }
        if self.owed.settled() {
            return (vec![self.set(&[])], false);
        }
        if self.pruned().is_none() {
            // Not even every open unit together completes it.
            return (Vec::new(), false);
        }
        let mut found: Vec<Vec<usize>> = Vec::new();
        let mut capped = false;
        let mut smallest = None;
        for size in self.lower_bound()..=self.cands.len() {
            if smallest.is_some_and(|s| size > s + 1) || found.len() >= MAX_SETS {
                break;
            }
            let mut best = Best { room: MAX_SETS - found.len(), sets: Vec::new() };
            let owed = self.owed.clone();
            capped = !self.combos(0, size, &mut Vec::new(), owed, &mut best);
            if smallest.is_none() && !best.sets.is_empty() {
                smallest = Some(size);
            }
            found.extend(best.sets.into_iter().map(|(_, _, s)| s));
            if capped {
                break;
            }
        }
        if found.is_empty() && capped {
            found.extend(self.pruned());
        }
        (found.iter().map(|s| self.set(s)).collect(), capped)
    }

    /// Fewest candidates that could settle what is owed: each group's shortfall, and for each
    /// credit rule the count of the largest units it takes.
    fn lower_bound(&self) -> usize {
        let mut bound = self.owed.groups.iter().map(|&g| g.max(0) as usize).max().unwrap_or(0);
        let mut credit_rule = |owed: i64, counts: &dyn Fn(&Cand<'_>) -> bool| {
            let mut left = owed;
            let mut n = 0;
            for c in self.cands.iter().filter(|c| counts(c)) {
                if left <= 0 {
                    break;
                }
                left -= i64::from(c.credits);
                n += 1;
            }
            bound = bound.max(n);
        };
        credit_rule(self.owed.credits, &|_| true);
        for (i, &owed) in self.owed.at_level.iter().enumerate() {
            credit_rule(owed, &|c: &Cand<'_>| c.at_level[i]);
        }
        bound.max(1)
    }

    /// Every combination of `size` candidates from `start` on that settles `owed` and from
    /// which none can be left out, offered to `out`; false if the budget ran out first.
    fn combos(
        &mut self,
        start: usize,
        size: usize,
        chosen: &mut Vec<usize>,
        owed: Owed,
        out: &mut Best,
    ) -> bool {
        self.steps += 1;
        if self.steps > SEARCH_BUDGET {
            return false;
        }
        let slots = size - chosen.len();
        if slots == 0 {
            if owed.settled() {
                let key = (self.credits(chosen), self.order(chosen));
                // A set of this size may contain one of a smaller size: not needed then.
                if out.would_take(&key) && self.minimal(chosen) {
                    out.take((key.0, key.1, chosen.clone()));
                }
            }
            return true;
        }
        if !self.reachable(start, slots, &owed) {
            return true;
        }
        for i in start..=self.cands.len() - slots {
            let mut next = owed.clone();
            next.take(&self.cands[i]);
            chosen.push(i);
            let within = self.combos(i + 1, size, chosen, next, out);
            chosen.pop();
            if !within {
                return false;
            }
        }
        true
    }

    /// Whether `slots` more candidates from `start` on could settle `owed`: candidates come most
    /// credits first, so the first eligible ones are the most any choice could add.
    fn reachable(&self, start: usize, slots: usize, owed: &Owed) -> bool {
        let rest = &self.cands[start..];
        let most = |counts: &dyn Fn(&Cand<'_>) -> bool| -> i64 {
            rest.iter().filter(|c| counts(c)).take(slots).map(|c| i64::from(c.credits)).sum()
        };
        if owed.credits > 0 && most(&|_| true) < owed.credits {
            return false;
        }
        for (i, &o) in owed.at_level.iter().enumerate() {
            if o > 0 && most(&|c: &Cand<'_>| c.at_level[i]) < o {
                return false;
            }
        }
        owed.groups.iter().enumerate().all(|(g, &o)| {
            o <= 0 || (o as usize <= slots && rest.iter().filter(|c| c.groups[g]).count() >= o as usize)
        })
    }

    /// True if no candidate of `set` can be left out.
    fn minimal(&self, set: &[usize]) -> bool {
        (0..set.len()).all(|skip| {
            let mut owed = self.owed.clone();
            set.iter().enumerate().filter(|(j, _)| *j != skip).for_each(|(_, &i)| owed.take(&self.cands[i]));
            !owed.settled()
        })
    }

    /// Every candidate, then each dropped (fewest credits first) while the rest still settles.
    fn pruned(&self) -> Option<Vec<usize>> {
        let mut set: Vec<usize> = (0..self.cands.len()).collect();
        let mut all = self.owed.clone();
        set.iter().for_each(|&i| all.take(&self.cands[i]));
        if !all.settled() {
            return None;
        }
        for i in (0..self.cands.len()).rev() {
            let mut without = self.owed.clone();
            set.iter().filter(|&&j| j != i).for_each(|&j| without.take(&self.cands[j]));
            if without.settled() {
                set.retain(|&j| j != i);
            }
        }
        Some(set)
    }

    fn credits(&self, set: &[usize]) -> u32 {
        set.iter().map(|&i| self.cands[i].credits).sum()
    }

    /// The set's framework positions, sorted: the tie-break after credits.
    fn order(&self, set: &[usize]) -> Vec<usize> {
        let mut at: Vec<usize> = set.iter().map(|&i| self.cands[i].at).collect();
        at.sort_unstable();
        at
    }

    fn at(&self, code: &UnitCode) -> usize {
        self.position.iter().position(|c| *c == code).unwrap_or(usize::MAX)
    }

    fn set(&self, chosen: &[usize]) -> ClosingSet {
        let mut units: Vec<&Unit> =
            self.forced.iter().copied().chain(chosen.iter().map(|&i| self.cands[i].unit)).collect();
        units.sort_by_key(|u| self.at(&u.code));
        let credits = units.iter().map(|u| u32::from(u.credits)).sum();
        ClosingSet { units: units.into_iter().map(|u| u.code.clone()).collect(), credits }
    }
}
