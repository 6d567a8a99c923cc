//! Timestamps on the wire. The database keeps them as naive UTC; a client must not have to
//! guess the zone, so every one leaves as RFC 3339 with the `Z` offset the OpenAPI `date-time`
//! format promises.

use chrono::{NaiveDateTime, SecondsFormat};
use serde::Serializer;

/// The RFC 3339 text of a naive UTC time.
pub fn format(t: &NaiveDateTime) -> String {
    t.and_utc().to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Serializes a naive UTC time as RFC 3339 with `Z`.
pub fn serialize<S: Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format(t))
}

/// Serializes an optional naive UTC time as RFC 3339 with `Z`, or null.
pub fn option<S: Serializer>(t: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&format(t)),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_naive_time_leaves_with_the_utc_offset() {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 12, 4)
            .and_then(|d| d.and_hms_micro_opt(19, 26, 0, 881_056))
            .expect("a valid time");
        let text = format(&t);
        assert_eq!(text, "2026-12-04T19:26:00.881056Z");
        let back = chrono::DateTime::parse_from_rfc3339(&text).expect("RFC 3339");
        assert_eq!(back.naive_utc(), t);
    }

    #[test]
    fn a_missing_time_is_null() {
        let mut out = Vec::new();
        option(&None, &mut serde_json::Serializer::new(&mut out)).expect("serializes");
        assert_eq!(out, b"null");
    }
}
