//! Values taken from people and programs, parsed once so that nothing further in can hold a bad
//! one: names, e-mail addresses, free text and dates.
//!
//! Parse, don't validate: the JSON API, the pages and the CLI all reach storage through the use
//! cases in `service/`, whose signatures take these types (or run these parsers), so a new entry
//! point cannot forget them. Pure: no HTTP, SQL, file or clock.
//!
//! Why these rules:
//! - NUL is refused everywhere: PostgreSQL cannot store it in `text` (SQLite can), so the two
//!   backends would answer differently. Other control characters are refused too (they hide
//!   text in logs and pages); newline and tab are allowed only in multi-line text.
//! - Every text has a length cap in characters, so a 200,000-character name is refused before
//!   it reaches a page, a PDF or a credential.
//! - A name needs at least one visible character: a name of only zero-width or other format
//!   characters prints as nothing.
//! - Dates lie within 1900-01-01..=2100-12-31: PostgreSQL's `date` ends at 4713 BC where SQLite
//!   stores anything, and nothing this service records is older or later.
//! - E-mail addresses are compared as NFC, then lower-cased with Rust's `to_lowercase` (full
//!   Unicode lower case). That is not the full Unicode case fold (`ß` stays `ß`), but it is
//!   stable, idempotent and what addresses were stored with before, so old rows still match.

use std::fmt;

use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

/// Why a value was refused. `code()` is stable: the API reports it, the pages translate it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputError {
    /// A NUL or another control character (newline and tab only where text has lines).
    ControlCharacter,
    /// More characters than the field takes.
    TooLong {
        /// The most characters allowed.
        max: usize,
    },
    /// Empty, or nothing visible.
    Blank,
    /// Not an e-mail address.
    NotAnEmail,
    /// A date outside 1900-01-01..=2100-12-31.
    DateOutOfRange,
    /// Not a time zone of the IANA database (`Europe/Stockholm`).
    UnknownTimeZone,
}

impl InputError {
    /// The stable code of the problem (`control-character`, `too-long`, `blank`, `email`,
    /// `date-out-of-range`, `time-zone`).
    pub fn code(self) -> &'static str {
        match self {
            InputError::ControlCharacter => "control-character",
            InputError::TooLong { .. } => "too-long",
            InputError::Blank => "blank",
            InputError::NotAnEmail => "email",
            InputError::DateOutOfRange => "date-out-of-range",
            InputError::UnknownTimeZone => "time-zone",
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::ControlCharacter => {
                f.write_str("contains a NUL or another control character, which is not allowed here")
            }
            InputError::TooLong { max } => write!(f, "longer than {max} characters"),
            InputError::Blank => f.write_str("must contain at least one visible character"),
            InputError::NotAnEmail => f.write_str("not an e-mail address"),
            InputError::DateOutOfRange => write!(f, "must lie between {FIRST_DATE} and {LAST_DATE}"),
            InputError::UnknownTimeZone => f.write_str(
                "not a time zone of the IANA database, such as Europe/Stockholm or Europe/Helsinki",
            ),
        }
    }
}

impl std::error::Error for InputError {}

/// The most characters of a person's or an organisation's name.
pub const NAME_MAX: usize = 200;
/// The most characters of a one-line text: a title, an issuer, a file name.
pub const LINE_MAX: usize = 500;
/// The most characters of a multi-line text: notes, descriptions, comments, reasons.
pub const TEXT_MAX: usize = 20_000;
/// The most characters of an e-mail address (RFC 5321's path limit).
pub const EMAIL_MAX: usize = 254;
/// The longest reason for one part of an evidence judgement: a few sentences, not a report.
pub const REASON_MAX: usize = 1_000;
/// The earliest date taken.
pub const FIRST_DATE: NaiveDate = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a valid date");
/// The latest date taken.
pub const LAST_DATE: NaiveDate = NaiveDate::from_ymd_opt(2100, 12, 31).expect("a valid date");

fn refuse_controls(s: &str, multiline: bool) -> Result<(), InputError> {
    let allowed = |c: char| multiline && matches!(c, '\n' | '\t' | '\r');
    if s.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(InputError::ControlCharacter);
    }
    Ok(())
}

fn cap(s: &str, max: usize) -> Result<(), InputError> {
    // Counting stops just past the cap, so a huge input costs no more than a short one.
    if s.chars().nth(max).is_some() {
        return Err(InputError::TooLong { max });
    }
    Ok(())
}

/// True for characters that print as something: not whitespace, and not a format character
/// (zero-width space, joiners, direction marks, the byte-order mark, soft hyphen).
fn visible(c: char) -> bool {
    !c.is_whitespace()
        && !matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
            | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
            | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}' | '\u{E0000}'..='\u{E0FFF}')
}

/// A one-line text of at most `max` characters, trimmed; empty is allowed.
pub fn line(s: &str, max: usize) -> Result<String, InputError> {
    refuse_controls(s, false)?;
    let s = s.trim();
    cap(s, max)?;
    Ok(s.to_owned())
}

/// A one-line text of at most `max` characters with at least one visible character, trimmed.
pub fn required_line(s: &str, max: usize) -> Result<String, InputError> {
    let s = line(s, max)?;
    if !s.chars().any(visible) {
        return Err(InputError::Blank);
    }
    Ok(s)
}

/// A text that may have several lines (newline and tab allowed) of at most `max` characters;
/// kept as written, since its line breaks and indentation are the author's.
pub fn text(s: &str, max: usize) -> Result<String, InputError> {
    refuse_controls(s, true)?;
    cap(s, max)?;
    Ok(s.to_owned())
}

/// A person's name: one line, at most [`NAME_MAX`] characters, at least one visible one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    /// Parses a name as typed (surrounding space is dropped).
    pub fn parse(s: &str) -> Result<Self, InputError> {
        required_line(s, NAME_MAX).map(Self)
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for PersonName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// An organisation's name: the same rules as a person's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationName(String);

impl OrganisationName {
    /// Parses a name as typed.
    pub fn parse(s: &str) -> Result<Self, InputError> {
        required_line(s, NAME_MAX).map(Self)
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address in the one form it is stored and compared in: trimmed, NFC, lower case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Parses an address as typed. Only the shape is checked (something, `@`, a domain with no
    /// space); whether it receives mail is not this type's business.
    pub fn parse(s: &str) -> Result<Self, InputError> {
        refuse_controls(s, false)?;
        let s = normalise_email(s);
        cap(&s, EMAIL_MAX)?;
        let Some((local, domain)) = s.rsplit_once('@') else {
            return Err(InputError::NotAnEmail);
        };
        if local.is_empty() || domain.is_empty() || !s.chars().all(visible) {
            return Err(InputError::NotAnEmail);
        }
        Ok(Self(s))
    }

    /// An address already in normal form as stored, for looking it up again; no check.
    pub fn from_normalised(s: &str) -> Self {
        Self(s.to_owned())
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The normal form of an address, checked or not: trimmed, NFC, lower case. Used for new
/// addresses, for sign-in, and (at start-up) for addresses stored before this rule.
pub fn normalise_email(s: &str) -> String {
    s.trim().nfc().collect::<String>().to_lowercase()
}

/// A date within [`FIRST_DATE`]..=[`LAST_DATE`].
pub fn date(d: NaiveDate) -> Result<NaiveDate, InputError> {
    if (FIRST_DATE..=LAST_DATE).contains(&d) { Ok(d) } else { Err(InputError::DateOutOfRange) }
}

/// The reason for one part of an evidence judgement: multi-line text of at most
/// [`REASON_MAX`] characters, trimmed; `None` when nothing visible is left.
pub fn reason(s: &str) -> Result<Option<String>, InputError> {
    let t = text(s, REASON_MAX)?;
    let t = t.trim();
    Ok((!t.is_empty()).then(|| t.to_owned()))
}

/// A time zone by its IANA name, exactly as the database spells it (`Europe/Helsinki`).
pub fn time_zone(s: &str) -> Result<chrono_tz::Tz, InputError> {
    s.trim().parse().map_err(|_| InputError::UnknownTimeZone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_bounded_text_and_blank_is_none() {
        assert_eq!(
            reason("  Signed by the manager.\nChecked by phone. "),
            Ok(Some("Signed by the manager.\nChecked by phone.".into()))
        );
        assert_eq!(reason(" \n "), Ok(None));
        assert_eq!(reason("a\0b"), Err(InputError::ControlCharacter));
        assert_eq!(reason(&"x".repeat(REASON_MAX + 1)), Err(InputError::TooLong { max: REASON_MAX }));
        assert!(reason(&"x".repeat(REASON_MAX)).is_ok());
    }

    #[test]
    fn time_zones_are_iana_names() {
        assert_eq!(time_zone("Europe/Helsinki"), Ok(chrono_tz::Europe::Helsinki));
        assert_eq!(time_zone(" Europe/Stockholm "), Ok(chrono_tz::Europe::Stockholm));
        for bad in ["", "CET+1", "Europe/Uppsala", "europe/stockholm", "Europe/Stockholm\0"] {
            assert_eq!(time_zone(bad), Err(InputError::UnknownTimeZone), "{bad:?}");
        }
    }

    #[test]
    fn names_refuse_controls_blanks_and_length() {
        assert_eq!(PersonName::parse("  Åsa Öberg ").unwrap().as_str(), "Åsa Öberg");
        assert_eq!(PersonName::parse("A\0b"), Err(InputError::ControlCharacter));
        assert_eq!(PersonName::parse("A\nb"), Err(InputError::ControlCharacter));
        assert_eq!(PersonName::parse("\u{200B}\u{200B}"), Err(InputError::Blank));
        assert_eq!(PersonName::parse(" \u{FEFF} "), Err(InputError::Blank));
        assert_eq!(PersonName::parse(""), Err(InputError::Blank));
        assert_eq!(PersonName::parse(&"x".repeat(200_000)), Err(InputError::TooLong { max: NAME_MAX }));
        assert!(PersonName::parse(&"å".repeat(NAME_MAX)).is_ok());
        assert!(OrganisationName::parse("Org\u{7}").is_err());
    }

    #[test]
    fn multi_line_text_keeps_newlines_and_tabs_only() {
        assert_eq!(text("a\n\tb\r\n", 100).unwrap(), "a\n\tb\r\n");
        assert_eq!(text("a\0b", 100), Err(InputError::ControlCharacter));
        assert_eq!(text("a\u{1b}[31m", 100), Err(InputError::ControlCharacter));
        assert_eq!(line("a\tb", 100), Err(InputError::ControlCharacter));
        assert_eq!(text("abc", 2), Err(InputError::TooLong { max: 2 }));
        assert_eq!(line("  ", 10).unwrap(), "");
        assert_eq!(required_line("  ", 10), Err(InputError::Blank));
    }

    #[test]
    fn e_mail_addresses_are_nfc_and_lower_case() {
        let composed = EmailAddress::parse("\u{e5}sa@Kommun.test").unwrap();
        let decomposed = EmailAddress::parse(" A\u{30a}SA@kommun.TEST ").unwrap();
        assert_eq!(composed, decomposed);
        assert_eq!(composed.as_str(), "\u{e5}sa@kommun.test");
        for bad in ["", "no-at", "@x.test", "a@", "a b@x.test", "a@x\u{200B}.test"] {
            assert_eq!(EmailAddress::parse(bad), Err(InputError::NotAnEmail), "{bad:?}");
        }
        assert_eq!(EmailAddress::parse("a\0@x.test"), Err(InputError::ControlCharacter));
        let long = format!("{}@x.test", "a".repeat(250));
        assert_eq!(EmailAddress::parse(&long), Err(InputError::TooLong { max: EMAIL_MAX }));
    }

    #[test]
    fn dates_lie_in_the_twentieth_and_twenty_first_centuries() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert!(date(d(1900, 1, 1)).is_ok());
        assert!(date(d(2100, 12, 31)).is_ok());
        assert_eq!(date(d(1899, 12, 31)), Err(InputError::DateOutOfRange));
        assert_eq!(date(d(2101, 1, 1)), Err(InputError::DateOutOfRange));
        assert_eq!(date(d(-5000, 1, 1)), Err(InputError::DateOutOfRange));
        assert_eq!(date(d(9999, 1, 1)), Err(InputError::DateOutOfRange));
    }
}
