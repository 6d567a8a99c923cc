//! OCN levels: Entry 1–3 below Level 1–8, ordered, with their EQF reference level.

use std::fmt;
use std::str::FromStr;

/// A level of a unit. `Entry(1) < Entry(3) < Level(1) < Level(8)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Level(u8); // rank 0..=10: E1, E2, E3, 1..8

/// A level outside Entry 1–3 and Level 1–8.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("level '{0}' is out of range: expected E1, E2, E3 or 1 to 8")]
pub struct LevelOutOfRange(pub String);

impl Level {
    /// Entry level `n` (1–3).
    pub fn entry(n: u8) -> Result<Level, LevelOutOfRange> {
        match n {
            1..=3 => Ok(Level(n - 1)),
            _ => Err(LevelOutOfRange(format!("E{n}"))),
        }
    }

    /// Level `n` (1–8).
    pub fn numbered(n: u8) -> Result<Level, LevelOutOfRange> {
        match n {
            1..=8 => Ok(Level(n + 2)),
            _ => Err(LevelOutOfRange(n.to_string())),
        }
    }

    /// Every level, lowest first.
    pub fn all() -> impl Iterator<Item = Level> {
        (0..=10).map(Level)
    }

    /// True for Entry 1–3.
    pub fn is_entry(self) -> bool {
        self.0 < 3
    }

    /// The EQF level this OCN level is referenced to (Entry 1–3 → 1, Level n → n + 1 up to
    /// Level 4, then equal), following the UK RQF referencing that OCN levels come from.
    pub fn eqf(self) -> u8 {
        match self.0 {
            0..=2 => 1,
            r => {
                let n = r - 2;
                if n <= 4 { n + 1 } else { n }
            }
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_entry() { write!(f, "E{}", self.0 + 1) } else { write!(f, "{}", self.0 - 2) }
    }
}

impl FromStr for Level {
    type Err = LevelOutOfRange;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let err = || LevelOutOfRange(s.to_owned());
        let lower = t.to_ascii_lowercase();
        if let Some(rest) = lower.strip_prefix("entry").or_else(|| lower.strip_prefix('e')) {
            let n: u8 = rest.trim().parse().map_err(|_| err())?;
            Level::entry(n).map_err(|_| err())
        } else {
            let n: u8 = lower.strip_prefix("level").unwrap_or(&lower).trim().parse().map_err(|_| err())?;
            Level::numbered(n).map_err(|_| err())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_levels_sort_below_level_one() {
        assert!(Level::entry(3).unwrap() < Level::numbered(1).unwrap());
        assert!(Level::numbered(1).unwrap() < Level::numbered(8).unwrap());
    }

    #[test]
    fn levels_parse_and_display_round_trip() {
        for l in Level::all() {
            assert_eq!(l.to_string().parse::<Level>(), Ok(l));
        }
        assert_eq!("Entry 2".parse::<Level>(), Level::entry(2));
        assert!("E4".parse::<Level>().is_err());
        assert!("9".parse::<Level>().is_err());
    }

    #[test]
    fn eqf_reference_follows_rqf() {
        assert_eq!(Level::entry(3).unwrap().eqf(), 1);
        assert_eq!(Level::numbered(1).unwrap().eqf(), 2);
        assert_eq!(Level::numbered(4).unwrap().eqf(), 5);
        assert_eq!(Level::numbered(5).unwrap().eqf(), 5);
        assert_eq!(Level::numbered(8).unwrap().eqf(), 8);
    }
}
