//! The service's clock and an organisation's calendar.
//!
//! Policy: "today" is always the organisation's local date, never the server's UTC date: a
//! record dated with the local date just after midnight in Stockholm or Helsinki is not in the
//! future. Every use case that needs a date asks [`org_today`]; the engine takes the date as an
//! argument and stays pure. The clock is injected (`Settings::clock`) so tests can stand at
//! 00:30 local time; instants that guard security (token lifetimes, sign-in delays, status-list
//! validity) keep the system clock.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use chrono_tz::Tz;

use super::ServiceError;
use crate::db::DbConnection;
use crate::db::queries::organisations;

/// The time zone of a new organisation.
pub const DEFAULT_TIME_ZONE: Tz = chrono_tz::Europe::Stockholm;

/// Where the current instant comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    /// The system clock.
    #[default]
    System,
    /// Always this instant (tests).
    Fixed(DateTime<Utc>),
}

impl Clock {
    /// The current instant, to the second.
    pub fn now(self) -> DateTime<Utc> {
        use chrono::Timelike;
        let t = match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => t,
        };
        t.with_nanosecond(0).unwrap_or(t)
    }
}

/// The local date in `tz` at `now`.
pub fn today(tz: Tz, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&tz).date_naive()
}

/// `now` as local time in `tz`, with the offset then in force (what a certificate states).
pub fn local(tz: Tz, now: DateTime<Utc>) -> DateTime<FixedOffset> {
    now.with_timezone(&tz).fixed_offset()
}

/// The time zone a stored organisation row names; an unreadable one is corrupt data.
pub fn zone_of(org: &crate::db::models::Organisation) -> Result<Tz, ServiceError> {
    crate::input::time_zone(&org.time_zone).map_err(|_| {
        crate::db::DbError::Corrupt(format!("organisation {} has time zone '{}'", org.id, org.time_zone))
            .into()
    })
}

/// The time zone of organisation `org`.
pub fn org_zone(conn: &mut DbConnection, org: &str) -> Result<Tz, ServiceError> {
    zone_of(&organisations::find_by_id(conn, org)?)
}

/// Today in organisation `org` at `now`.
pub fn org_today(conn: &mut DbConnection, org: &str, now: DateTime<Utc>) -> Result<NaiveDate, ServiceError> {
    Ok(today(org_zone(conn, org)?, now))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn half_past_midnight_local_is_already_the_next_day() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        // Winter: Stockholm is UTC+1, Helsinki UTC+2.
        assert_eq!(today(chrono_tz::Europe::Stockholm, at("2026-11-30T23:30:00Z")), d);
        assert_eq!(today(chrono_tz::Europe::Helsinki, at("2026-11-30T22:30:00Z")), d);
        assert_eq!(today(chrono_tz::UTC, at("2026-11-30T23:30:00Z")), d.pred_opt().unwrap());
        // Summer time moves midnight an hour earlier.
        assert_eq!(
            today(chrono_tz::Europe::Stockholm, at("2026-06-30T22:30:00Z")),
            NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()
        );
        assert_eq!(
            today(chrono_tz::Europe::Stockholm, at("2026-06-30T21:30:00Z")),
            NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()
        );
    }

    #[test]
    fn local_time_carries_the_offset_in_force() {
        let t = local(chrono_tz::Europe::Helsinki, at("2026-11-30T22:30:00Z"));
        assert_eq!(t.to_rfc3339(), "2026-12-01T00:30:00+02:00");
        let t = local(chrono_tz::Europe::Helsinki, at("2026-06-30T21:30:00Z"));
        assert_eq!(t.to_rfc3339(), "2026-07-01T00:30:00+03:00");
    }

    #[test]
    fn a_fixed_clock_stands_still_and_drops_fractions() {
        let c = Clock::Fixed(at("2026-11-30T23:30:00.123Z"));
        assert_eq!(c.now(), at("2026-11-30T23:30:00Z"));
        assert_eq!(c.now(), c.now());
    }
}
