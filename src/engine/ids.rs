//! Identifiers inside a framework and a candidate's file. Each parses, so a value of these types
//! is always well-formed.

use std::fmt;
use std::str::FromStr;

/// Why an identifier was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// Empty or longer than the limit.
    #[error("{what} must be 1 to {max} characters, got {len}")]
    Length {
        /// Which identifier.
        what: &'static str,
        /// The limit.
        max: usize,
        /// The length given.
        len: usize,
    },
    /// A character outside `A–Z a–z 0–9 . - _`.
    #[error("{what} '{value}' may only contain letters A-Z, digits, '.', '-' and '_'")]
    Charset {
        /// Which identifier.
        what: &'static str,
        /// The value given.
        value: String,
    },
    /// A criterion reference without the `UNIT/criterion` shape.
    #[error("criterion reference '{0}' must look like UNIT/1.2")]
    CriterionRef(String),
}

fn check(what: &'static str, max: usize, s: &str) -> Result<(), IdError> {
    if s.is_empty() || s.len() > max {
        return Err(IdError::Length { what, max, len: s.len() });
    }
    if !s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')) {
        return Err(IdError::Charset { what, value: s.to_owned() });
    }
    Ok(())
}

macro_rules! code_type {
    ($(#[$doc:meta])* $name:ident, $what:literal, $max:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// Parses and checks the identifier.
            pub fn parse(s: &str) -> Result<Self, IdError> {
                check($what, $max, s)?;
                Ok(Self(s.to_owned()))
            }

            /// The identifier as written.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                Self::parse(s)
            }
        }
    };
}

code_type!(
    /// A framework's id, stable across versions (`digital-basic-skills`).
    FrameworkId, "framework id", 64
);
code_type!(
    /// A framework version (`2026.1`). Versions are immutable once used.
    FrameworkVersion, "framework version", 32
);
code_type!(
    /// A unit's code, unique within a framework (`DBS-01`).
    UnitCode, "unit code", 32
);
code_type!(
    /// A criterion's number within its unit (`1.2`: outcome 1, criterion 2).
    CriterionId, "criterion id", 16
);
code_type!(
    /// A qualification's code, unique within a framework.
    QualificationCode, "qualification code", 32
);
code_type!(
    /// A theory test's id, unique within a framework version (`DBS-T1`).
    TheoryTestId, "theory test id", 32
);

/// A criterion anywhere in a framework: its unit and its number, written `DBS-01/1.2`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CriterionRef {
    /// The unit.
    pub unit: UnitCode,
    /// The criterion within the unit.
    pub criterion: CriterionId,
}

impl CriterionRef {
    /// A reference from its parts.
    pub fn new(unit: UnitCode, criterion: CriterionId) -> Self {
        Self { unit, criterion }
    }
}

impl fmt::Display for CriterionRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.unit, self.criterion)
    }
}

impl FromStr for CriterionRef {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        let (u, c) = s.split_once('/').ok_or_else(|| IdError::CriterionRef(s.to_owned()))?;
        Ok(Self { unit: UnitCode::parse(u)?, criterion: CriterionId::parse(c)? })
    }
}

/// A person acting in an assessment (assessor, internal verifier), opaque to the engine.
/// The four-eyes rule compares these.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PersonId(pub String);

/// A record in a candidate's file, opaque to the engine; outcomes cite these as support.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordRef(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn criterion_refs_round_trip() {
        let r: CriterionRef = "DBS-01/1.2".parse().unwrap();
        assert_eq!(r.unit.as_str(), "DBS-01");
        assert_eq!(r.to_string(), "DBS-01/1.2");
    }

    #[test]
    fn bad_codes_are_refused() {
        assert!(UnitCode::parse("").is_err());
        assert!(UnitCode::parse("has space").is_err());
        assert!(UnitCode::parse("å").is_err());
        assert!("DBS-01".parse::<CriterionRef>().is_err());
    }
}
