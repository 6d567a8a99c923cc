//! Bounds on what a credential in hand may make a verifier do.
//!
//! Policy: a presented credential comes from anyone, and the expensive steps (JSON-LD
//! expansion, RDFC-1.0) grow with its size and shape. Every bound is checked on the parsed
//! JSON before any canonicalization starts, and the number of quads once more after expansion
//! (a small JSON can expand to many quads through `@graph`, lists and language maps). The
//! defaults are far above what any issuer writes into one achievement credential (validera's
//! largest, a qualification with twenty units, is about 12 KB, 300 JSON values and 150 quads)
//! and far below what makes a check cost more than a few milliseconds.

use serde_json::Value;

/// The bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of JSON text (a VC-JWT's decoded payload, or the attachment of a PDF, counts too).
    pub max_bytes: usize,
    /// Nesting of arrays and objects.
    pub max_depth: usize,
    /// JSON values of every kind, counted once each.
    pub max_nodes: usize,
    /// RDF quads after expansion, before canonicalization.
    pub max_quads: usize,
    /// Entries of `proof`.
    pub max_proofs: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_bytes: 256 * 1024, max_depth: 32, max_nodes: 10_000, max_quads: 5_000, max_proofs: 4 }
    }
}

/// Which bound a credential broke, and the bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LimitExceeded {
    /// Too many bytes.
    #[error("the credential is larger than {0} bytes")]
    Bytes(usize),
    /// Nested too deep.
    #[error("the credential nests arrays and objects deeper than {0} levels")]
    Depth(usize),
    /// Too many values.
    #[error("the credential has more than {0} JSON values")]
    Nodes(usize),
    /// Too many quads.
    #[error("the credential expands to more than {0} RDF statements")]
    Quads(usize),
    /// Too many proofs.
    #[error("the credential has more than {0} proofs")]
    Proofs(usize),
}

impl LimitExceeded {
    /// A stable name of the bound, for problem documents and logs.
    pub fn name(self) -> &'static str {
        match self {
            LimitExceeded::Bytes(_) => "max-bytes",
            LimitExceeded::Depth(_) => "max-depth",
            LimitExceeded::Nodes(_) => "max-nodes",
            LimitExceeded::Quads(_) => "max-quads",
            LimitExceeded::Proofs(_) => "max-proofs",
        }
    }
}

impl Limits {
    /// Checks the size of JSON text before it is parsed.
    pub fn check_bytes(&self, len: usize) -> Result<(), LimitExceeded> {
        if len > self.max_bytes { Err(LimitExceeded::Bytes(self.max_bytes)) } else { Ok(()) }
    }

    /// Checks depth, node count and proofs of a parsed credential. Iterative, so a deep value
    /// cannot exhaust the stack here either.
    pub fn check_json(&self, doc: &Value) -> Result<(), LimitExceeded> {
        let proofs = match doc.get("proof") {
            Some(Value::Array(a)) => a.len(),
            Some(_) => 1,
            None => 0,
        };
        if proofs > self.max_proofs {
            return Err(LimitExceeded::Proofs(self.max_proofs));
        }
        let mut nodes = 0usize;
        let mut stack: Vec<(&Value, usize)> = vec![(doc, 1)];
        while let Some((v, depth)) = stack.pop() {
            nodes += 1;
            if nodes > self.max_nodes {
                return Err(LimitExceeded::Nodes(self.max_nodes));
            }
            let children: Box<dyn Iterator<Item = &Value>> = match v {
                Value::Array(a) => Box::new(a.iter()),
                Value::Object(o) => Box::new(o.values()),
                _ => continue,
            };
            if depth > self.max_depth {
                return Err(LimitExceeded::Depth(self.max_depth));
            }
            stack.extend(children.map(|c| (c, depth + 1)));
        }
        Ok(())
    }

    /// Parses JSON text within the bounds.
    pub fn parse(&self, text: &[u8]) -> Result<Value, ParseError> {
        self.check_bytes(text.len())?;
        // serde_json stops at 128 levels on its own, before our depth check could run; say
        // which bound that is rather than pass on a parser message.
        let doc: Value = serde_json::from_slice(text).map_err(|e| {
            if e.to_string().starts_with("recursion limit exceeded") {
                ParseError::Limit(LimitExceeded::Depth(self.max_depth))
            } else {
                ParseError::Json(e.to_string())
            }
        })?;
        self.check_json(&doc)?;
        Ok(doc)
    }
}

/// Why JSON text was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Over a bound.
    #[error(transparent)]
    Limit(#[from] LimitExceeded),
    /// Not JSON.
    #[error("not valid JSON: {0}")]
    Json(String),
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn nested(depth: usize) -> String {
        "[".repeat(depth) + &"]".repeat(depth)
    }

    #[test]
    fn each_bound_is_named_when_broken() {
        let l = Limits { max_bytes: 1000, max_depth: 4, max_nodes: 20, max_quads: 10, max_proofs: 2 };
        assert_eq!(l.parse(&[b' '; 1001]), Err(ParseError::Limit(LimitExceeded::Bytes(1000))));
        assert_eq!(l.parse(nested(4).as_bytes()).map(|_| ()), Ok(()));
        assert_eq!(l.parse(nested(5).as_bytes()), Err(ParseError::Limit(LimitExceeded::Depth(4))));
        let many: Vec<u32> = (0..20).collect();
        assert_eq!(l.check_json(&json!(many)), Err(LimitExceeded::Nodes(20)));
        assert_eq!(l.check_json(&json!({"proof": [{}, {}, {}]})), Err(LimitExceeded::Proofs(2)));
        assert_eq!(l.check_json(&json!({"proof": [{}, {}]})), Ok(()));
    }

    #[test]
    fn json_deeper_than_the_parser_allows_is_a_depth_limit_not_a_parser_message() {
        let l = Limits::default();
        let deep = nested(100_000);
        assert_eq!(l.parse(deep.as_bytes()), Err(ParseError::Limit(LimitExceeded::Depth(l.max_depth))));
    }

    #[test]
    fn the_credentials_validera_issues_are_far_within_the_defaults() {
        let doc: Value =
            serde_json::from_str(include_str!("testdata/achievement.signed.json")).expect("test data");
        let l = Limits::default();
        let text = doc.to_string();
        assert!(text.len() * 10 < l.max_bytes, "{} bytes", text.len());
        let tight = Limits { max_nodes: l.max_nodes / 10, max_depth: 10, ..l };
        assert_eq!(tight.check_json(&doc), Ok(()));
    }
}
