//! Signing in, slowed per account: after a few failures for one e-mail, its next attempt must
//! wait a delay that doubles with each further failure, up to a cap. A wait is answered at
//! once, without checking the password, so guessing costs the guesser time rather than the
//! server work; the cap keeps an attacker from locking the real person out for long, and there
//! is never a lockout. The failures live in the database, so every instance sees them, and
//! are keyed by the normalised e-mail whether or not it has an account, so unknown e-mails are
//! slowed alike and neither the answers nor their timing tell which accounts exist.

use chrono::{Duration, NaiveDateTime};

use super::ServiceError;
use super::accounts::authenticate;
use crate::db::models::{SignInFailure, User};
use crate::db::queries::sign_in_failures;
use crate::db::{self, DbConnection, DbError};

/// How sign-ins are slowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInPolicy {
    /// Failures within `window` that cost nothing.
    pub free_failures: u32,
    /// How far back failures count.
    pub window: Duration,
    /// The wait after the last free failure; each further failure doubles it.
    pub first_delay: Duration,
    /// The longest wait.
    pub max_delay: Duration,
}

impl Default for SignInPolicy {
    fn default() -> Self {
        SignInPolicy {
            free_failures: 5,
            window: Duration::minutes(15),
            first_delay: Duration::seconds(1),
            max_delay: Duration::seconds(30),
        }
    }
}

impl SignInPolicy {
    /// The wait after `failures` failures in the window, if any.
    pub fn delay(&self, failures: usize) -> Option<Duration> {
        let over = failures.checked_sub(self.free_failures as usize)?;
        // 2^20 seconds is far past any sensible cap; beyond it the doubling only risks overflow.
        let factor = 1i32 << over.min(20);
        Some((self.first_delay * factor).min(self.max_delay))
    }

    /// How long a sign-in at `now` must still wait, given the counting failures' times (latest
    /// first).
    pub fn wait(&self, failures: &[NaiveDateTime], now: NaiveDateTime) -> Option<Duration> {
        let until = *failures.first()? + self.delay(failures.len())?;
        (now < until).then(|| until - now)
    }
}

/// How a sign-in ended.
#[derive(Debug)]
pub enum SignIn {
    /// The password was right and the account active.
    Accepted(Box<User>),
    /// Wrong e-mail, wrong password or an inactive account (deliberately not told apart);
    /// recorded.
    Refused,
    /// Too many recent failures for this e-mail: try again after this many whole seconds. The
    /// password was not checked.
    Wait(u64),
}

/// Signs in `email` with `password` from client `address` at `now`, under `policy`.
pub fn sign_in(
    conn: &mut DbConnection,
    policy: &SignInPolicy,
    email: &str,
    password: &str,
    address: &str,
    now: NaiveDateTime,
) -> Result<SignIn, ServiceError> {
    // What cannot be an address (a NUL, say) is refused before anything is stored: the two
    // backends would disagree about it.
    let key = super::accounts::email_address(email)?.as_str().to_owned();
    if password.contains('\0') {
        return Err(ServiceError::input("password", crate::input::InputError::ControlCharacter));
    }
    // The attempt is recorded as a failure before the (slow) password check, in the same
    // transaction as the look at earlier failures, so guesses sent in parallel cannot all slip
    // through on the same count.
    let mut attempt = SignInFailure {
        id: uuid::Uuid::new_v4().to_string(),
        email: key.clone(),
        seq: 0,
        address: address.to_owned(),
        failed_at: now,
        cleared: false,
    };
    let checked = db::write(conn, |conn| {
        // The number first, then the count: under PostgreSQL's read committed each statement
        // sees the commits made before it, so an attempt that commits between the two
        // statements is either counted here or holds the number taken here.
        attempt.seq = sign_in_failures::next_seq(conn, &key)?;
        let failures = sign_in_failures::counting_since(conn, &key, now - policy.window)?;
        if let Some(wait) = policy.wait(&failures, now) {
            return Ok::<_, ServiceError>(Some(wait));
        }
        sign_in_failures::insert(conn, &attempt)?;
        Ok(None)
    });
    let wait = match checked {
        // Another attempt for this e-mail took the same number a moment ago: it goes first.
        Err(ServiceError::Db(DbError::Duplicate(_))) => Some(Duration::seconds(1)),
        other => other?,
    };
    if let Some(wait) = wait {
        let millis = wait.num_milliseconds().max(1) as u64;
        tracing::warn!(address, "sign-in refused unchecked: too many recent failures for this e-mail");
        return Ok(SignIn::Wait(millis.div_ceil(1000)));
    }
    match authenticate(conn, &key, password)? {
        Some(user) => {
            db::write(conn, |conn| {
                sign_in_failures::delete(conn, &attempt.id)?;
                sign_in_failures::clear(conn, &key)
            })?;
            Ok(SignIn::Accepted(Box::new(user)))
        }
        None => {
            tracing::warn!(address, "sign-in failed");
            Ok(SignIn::Refused)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap().naive_utc()
    }

    #[test]
    fn the_delay_starts_after_the_free_failures_doubles_and_stops_at_the_cap() {
        let p = SignInPolicy::default();
        let delays: Vec<_> = (0..=12).map(|n| p.delay(n).map(|d| d.num_seconds())).collect();
        assert_eq!(
            delays,
            [
                None,
                None,
                None,
                None,
                None,
                Some(1),
                Some(2),
                Some(4),
                Some(8),
                Some(16),
                Some(30),
                Some(30),
                Some(30)
            ]
        );
        assert_eq!(p.delay(10_000), Some(Duration::seconds(30)), "no overflow far past the cap");
    }

    #[test]
    fn the_wait_runs_from_the_latest_failure_and_ends() {
        let p = SignInPolicy::default();
        let six: Vec<_> = (0..6).rev().map(at).collect();
        assert_eq!(p.wait(&six, at(5)), Some(Duration::seconds(2)));
        assert_eq!(p.wait(&six, at(6)), Some(Duration::seconds(1)));
        assert_eq!(p.wait(&six, at(7)), None);
        assert_eq!(p.wait(&six[..4], at(5)), None, "four failures are free");
        assert_eq!(p.wait(&[], at(5)), None);
    }
}
