//! The three interface languages and localized texts from frameworks.

use std::fmt;
use std::str::FromStr;

/// An interface language. Swedish is the default: most users are Swedish municipalities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// Swedish.
    #[default]
    Sv,
    /// Finnish.
    Fi,
    /// English.
    En,
}

impl Lang {
    /// All languages, in the order they are offered.
    pub const ALL: [Lang; 3] = [Lang::Sv, Lang::Fi, Lang::En];

    /// The BCP 47 tag (`sv`, `fi`, `en`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::Fi => "fi",
            Lang::En => "en",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// Error for a language tag we do not speak.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language '{0}': expected sv, fi or en")]
pub struct UnknownLang(pub String);

impl FromStr for Lang {
    type Err = UnknownLang;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // Accept region subtags (`sv-FI`, `fi_FI`): Finland-Swedish readers are Swedish readers.
        let primary = s.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "sv" => Ok(Lang::Sv),
            "fi" => Ok(Lang::Fi),
            "en" => Ok(Lang::En),
            _ => Err(UnknownLang(s.to_owned())),
        }
    }
}

/// A short name that must exist in all three languages (framework, unit, qualification titles).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title {
    /// Swedish.
    pub sv: String,
    /// Finnish.
    pub fi: String,
    /// English.
    pub en: String,
}

impl Title {
    /// The title in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Sv => &self.sv,
            Lang::Fi => &self.fi,
            Lang::En => &self.en,
        }
    }
}

/// A longer text (description, outcome, criterion). Swedish and English are required; Finnish
/// is optional because frameworks are usually written in Swedish first and translated later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// Swedish.
    pub sv: String,
    /// Finnish, if translated.
    pub fi: Option<String>,
    /// English.
    pub en: String,
}

impl Text {
    /// The text in `lang`; a missing Finnish text falls back to English, which Finnish readers
    /// read more widely than Swedish.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Sv => &self.sv,
            Lang::Fi => self.fi.as_deref().unwrap_or(&self.en),
            Lang::En => &self.en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_subtags_map_to_their_language() {
        assert_eq!("sv-FI".parse::<Lang>(), Ok(Lang::Sv));
        assert_eq!("fi_FI".parse::<Lang>(), Ok(Lang::Fi));
        assert_eq!("EN".parse::<Lang>(), Ok(Lang::En));
        assert!("de".parse::<Lang>().is_err());
    }

    #[test]
    fn missing_finnish_text_falls_back_to_english() {
        let t = Text { sv: "hej".into(), fi: None, en: "hello".into() };
        assert_eq!(t.get(Lang::Fi), "hello");
    }
}
