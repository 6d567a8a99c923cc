//! Which confirmed decisions external quality assurance samples.
//!
//! Policy: deterministic, so a sample can be predicted and tested, and needs no random source.
//! Each assessor's decisions on a framework are numbered in the order they are confirmed
//! (1, 2, …). The first `first_n` are sampled; after them, decision `n` of the rest (counted
//! from 1) is sampled when `⌊n·p/100⌋` exceeds `⌊(n−1)·p/100⌋`, which samples exactly
//! `p` of every 100 and spreads them evenly: at 50 % every second, at 10 % every tenth, at
//! 100 % all, at 0 % none.

/// A percentage, 0 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Percent(u8);

impl Percent {
    /// `value` if it is between 0 and 100.
    pub fn new(value: i64) -> Option<Self> {
        u8::try_from(value).ok().filter(|v| *v <= 100).map(Percent)
    }

    /// The number, 0 to 100.
    pub fn get(self) -> u8 {
        self.0
    }
}

/// How a framework's decisions are sampled, and whether certificates wait for the assurer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SamplingPlan {
    /// Each assessor's first decisions sampled without exception.
    pub first_n: u32,
    /// The share of the later ones sampled.
    pub then_percent: Percent,
    /// Certificates of a sampled decision are issued only when the assurer agrees.
    pub eqa_required: bool,
}

impl SamplingPlan {
    /// A plan that samples nothing: what a framework has until someone sets one.
    pub const NONE: SamplingPlan = SamplingPlan { first_n: 0, then_percent: Percent(0), eqa_required: false };

    /// Whether an assessor's `position`-th confirmed decision (1 = first) is sampled.
    pub fn samples(&self, position: u64) -> bool {
        let first = u64::from(self.first_n);
        if position == 0 {
            return false;
        }
        if position <= first {
            return true;
        }
        let n = position - first;
        let p = u64::from(self.then_percent.0);
        n * p / 100 > (n - 1) * p / 100
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(first_n: u32, percent: i64) -> SamplingPlan {
        SamplingPlan { first_n, then_percent: Percent::new(percent).unwrap(), eqa_required: false }
    }

    fn sampled(p: SamplingPlan, upto: u64) -> Vec<u64> {
        (1..=upto).filter(|n| p.samples(*n)).collect()
    }

    #[test]
    fn the_first_n_are_sampled_then_every_kth() {
        assert_eq!(sampled(plan(2, 50), 8), vec![1, 2, 4, 6, 8]);
        assert_eq!(sampled(plan(1, 25), 9), vec![1, 5, 9]);
        assert_eq!(sampled(plan(0, 100), 3), vec![1, 2, 3]);
        assert_eq!(sampled(plan(3, 0), 10), vec![1, 2, 3]);
        assert_eq!(sampled(SamplingPlan::NONE, 10), Vec::<u64>::new());
    }

    #[test]
    fn a_percentage_samples_that_share_of_every_hundred() {
        for p in [0, 1, 7, 33, 50, 99, 100] {
            let n = sampled(plan(0, p), 300).len();
            assert_eq!(n as i64, 3 * p, "{p} %");
        }
    }

    #[test]
    fn percentages_outside_0_to_100_are_refused() {
        assert!(Percent::new(-1).is_none());
        assert!(Percent::new(101).is_none());
        assert_eq!(Percent::new(100).map(Percent::get), Some(100));
    }
}
