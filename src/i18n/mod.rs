//! Message catalogues (Project Fluent, one `.ftl` file per area and language, compiled into the
//! binary), and dates and numbers in each locale's format. Every text a person reads comes from
//! here: the pages, the verification report, the engine's explanations, the PDF certificate.
//! Pure: no IO, so the engine and the credential code may use it.
//!
//! Swedish is the reference catalogue: a test checks that Finnish and English have exactly the
//! same message ids, and that every id the code uses exists.

use std::sync::LazyLock;

use chrono::{NaiveDate, NaiveDateTime, Timelike};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::engine::Lang;

/// The areas, one `.ftl` file each per language.
pub const AREAS: [&str; 13] = [
    "common",
    "public",
    "assessor",
    "verifier",
    "candidate",
    "admin",
    "engine",
    "pdf",
    "certificate",
    "panel",
    "plans",
    "eqa",
    "coaching",
];

macro_rules! sources {
    ($lang:literal) => {
        [
            include_str!(concat!("locales/", $lang, "/common.ftl")),
            include_str!(concat!("locales/", $lang, "/public.ftl")),
            include_str!(concat!("locales/", $lang, "/assessor.ftl")),
            include_str!(concat!("locales/", $lang, "/verifier.ftl")),
            include_str!(concat!("locales/", $lang, "/candidate.ftl")),
            include_str!(concat!("locales/", $lang, "/admin.ftl")),
            include_str!(concat!("locales/", $lang, "/engine.ftl")),
            include_str!(concat!("locales/", $lang, "/pdf.ftl")),
            include_str!(concat!("locales/", $lang, "/certificate.ftl")),
            include_str!(concat!("locales/", $lang, "/panel.ftl")),
            include_str!(concat!("locales/", $lang, "/plans.ftl")),
            include_str!(concat!("locales/", $lang, "/eqa.ftl")),
            include_str!(concat!("locales/", $lang, "/coaching.ftl")),
        ]
    };
}

/// The catalogue sources of `lang`, in the order of [`AREAS`].
pub fn sources(lang: Lang) -> [&'static str; AREAS.len()] {
    match lang {
        Lang::Sv => sources!("sv"),
        Lang::Fi => sources!("fi"),
        Lang::En => sources!("en"),
    }
}

struct Catalogues {
    sv: FluentBundle<FluentResource>,
    fi: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let id: unic_langid::LanguageIdentifier = lang.tag().parse().expect("sv, fi and en are valid tags");
    let mut b = FluentBundle::new_concurrent(vec![id]);
    // Isolation marks (U+2068/U+2069) around arguments help right-to-left scripts, which none of
    // our languages are; in HTML they only get in the way of copying text.
    b.set_use_isolating(false);
    for (area, src) in AREAS.iter().zip(sources(lang)) {
        let res = FluentResource::try_new(src.to_owned())
            .unwrap_or_else(|(_, e)| panic!("locales/{}/{area}.ftl does not parse: {e:?}", lang.tag()));
        b.add_resource(res)
            .unwrap_or_else(|e| panic!("locales/{}/{area}.ftl repeats a message id: {e:?}", lang.tag()));
    }
    b
}

static CATALOGUES: LazyLock<Catalogues> =
    LazyLock::new(|| Catalogues { sv: bundle(Lang::Sv), fi: bundle(Lang::Fi), en: bundle(Lang::En) });

/// Translates for one language. Cheap to copy; templates reach it as `page.tr`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr {
    /// The language texts are in.
    pub lang: Lang,
}

impl Tr {
    /// A translator for `lang`.
    pub fn new(lang: Lang) -> Self {
        Tr { lang }
    }

    fn bundle(&self) -> &'static FluentBundle<FluentResource> {
        let c = &*CATALOGUES;
        match self.lang {
            Lang::Sv => &c.sv,
            Lang::Fi => &c.fi,
            Lang::En => &c.en,
        }
    }

    fn format(&self, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        let b = self.bundle();
        let Some(pattern) = b.get_message(id).and_then(|m| m.value()) else {
            // The catalogue test makes this unreachable for ids written in the code; show the id
            // rather than failing the page.
            tracing::warn!(id, lang = self.lang.tag(), "missing message");
            return id.to_owned();
        };
        let mut errors = Vec::new();
        let text = b.format_pattern(pattern, args, &mut errors).into_owned();
        if !errors.is_empty() {
            tracing::warn!(id, ?errors, "message formatted with errors");
        }
        text
    }

    /// The message `id`.
    pub fn t(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// The message `id` with one string argument.
    pub fn t1(&self, id: &str, name: &str, value: &dyn std::fmt::Display) -> String {
        let mut args = FluentArgs::new();
        args.set(name, FluentValue::from(value.to_string()));
        self.format(id, Some(&args))
    }

    /// The message `id` with two string arguments.
    pub fn t2(
        &self,
        id: &str,
        name: &str,
        value: &dyn std::fmt::Display,
        name2: &str,
        value2: &dyn std::fmt::Display,
    ) -> String {
        let mut args = FluentArgs::new();
        args.set(name, FluentValue::from(value.to_string()));
        args.set(name2, FluentValue::from(value2.to_string()));
        self.format(id, Some(&args))
    }

    /// The message `id` with named arguments. Numbers stay numbers, so a message can choose a
    /// plural form by any of them (`{ $years -> [one] … *[other] … }`), not only by `$count`.
    pub fn ta(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fa = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fa.set(*name, value.clone());
        }
        self.format(id, Some(&fa))
    }

    /// The message `id` with a count, for plural forms (`{ $count -> [one] … *[other] … }`).
    pub fn count(&self, id: &str, count: usize) -> String {
        let mut args = FluentArgs::new();
        args.set("count", FluentValue::from(count));
        self.format(id, Some(&args))
    }

    /// A date as people write it: `2026-11-27` (sv), `27.11.2026` (fi), `27 November 2026` (en).
    pub fn date(&self, d: &NaiveDate) -> String {
        crate::engine::explain::date(*d, self.lang)
    }

    /// A date and time of day (UTC, which the page says).
    pub fn datetime(&self, t: &NaiveDateTime) -> String {
        let time = match self.lang {
            Lang::Fi => format!("{}.{:02}", t.hour(), t.minute()),
            _ => format!("{:02}:{:02}", t.hour(), t.minute()),
        };
        format!("{} {time} UTC", self.date(&t.date()))
    }

    /// A number with the locale's decimal sign and digit grouping: `1 234,5` (sv, fi; the
    /// group separator is a no-break space) or `1,234.5` (en). At most two decimals.
    pub fn number(&self, x: f64) -> String {
        let (group, decimal) = match self.lang {
            Lang::Sv | Lang::Fi => ('\u{a0}', ','),
            Lang::En => (',', '.'),
        };
        let rounded = (x * 100.0).round() / 100.0;
        let text = format!("{:.2}", rounded.abs());
        let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
        let frac = frac.trim_end_matches('0');
        let mut out = String::new();
        if rounded < 0.0 {
            out.push('-');
        }
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(group);
            }
            out.push(c);
        }
        if !frac.is_empty() {
            out.push(decimal);
            out.push_str(frac);
        }
        out
    }
}

/// Every message id in `src`, in order.
pub fn message_ids(src: &str) -> Vec<String> {
    let res = FluentResource::try_new(src.to_owned()).unwrap_or_else(|(r, _)| r);
    res.entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn every_catalogue_parses_and_the_three_languages_have_the_same_ids() {
        for (i, area) in AREAS.iter().enumerate() {
            let ids = |l: Lang| -> BTreeSet<String> {
                let src = sources(l)[i];
                if let Err((_, errs)) = FluentResource::try_new(src.to_owned()) {
                    panic!("locales/{}/{area}.ftl: {errs:?}", l.tag());
                }
                message_ids(src).into_iter().collect()
            };
            let sv = ids(Lang::Sv);
            for other in [Lang::Fi, Lang::En] {
                let o = ids(other);
                let missing: Vec<_> = sv.difference(&o).collect();
                let extra: Vec<_> = o.difference(&sv).collect();
                assert!(
                    missing.is_empty() && extra.is_empty(),
                    "locales/{}/{area}.ftl: missing {missing:?}, not in sv {extra:?}",
                    other.tag()
                );
            }
        }
        // Building the bundles also refuses an id repeated across files.
        for l in [Lang::Sv, Lang::Fi, Lang::En] {
            assert_ne!(Tr::new(l).t("app-name"), "app-name");
        }
    }

    #[test]
    fn every_message_id_the_code_uses_exists() {
        let known: BTreeSet<String> = sources(Lang::Sv).iter().flat_map(|s| message_ids(s)).collect();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut missing = Vec::new();
        let mut seen = 0;
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let p = entry.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                if !matches!(p.extension().and_then(|e| e.to_str()), Some("html" | "rs")) {
                    continue;
                }
                let text = std::fs::read_to_string(&p).unwrap();
                for id in used_ids(&text) {
                    seen += 1;
                    if !known.contains(&id) {
                        missing.push(format!("{}: {id}", p.display()));
                    }
                }
            }
        }
        // The scan itself works: the shared templates alone use dozens of ids.
        assert!(seen > 50, "only {seen} message ids found in src");
        assert!(missing.is_empty(), "message ids used but not in the catalogues:\n{}", missing.join("\n"));
    }

    #[test]
    fn every_audit_action_has_a_label_in_each_language() {
        for lang in [Lang::Sv, Lang::Fi, Lang::En] {
            let known: BTreeSet<String> = sources(lang).iter().flat_map(|s| message_ids(s)).collect();
            for action in crate::audit::Action::ALL {
                let id = format!("audit-action-{}", action.as_str());
                assert!(known.contains(&id), "no message {id} in {}", lang.tag());
            }
        }
    }

    #[test]
    fn every_check_detail_of_the_verifier_has_a_message() {
        let known: BTreeSet<String> = sources(Lang::Sv).iter().flat_map(|s| message_ids(s)).collect();
        let src = include_str!("../credential/verify/mod.rs");
        let codes: Vec<&str> =
            src.split("detail(\"").skip(1).filter_map(|rest| rest.split('"').next()).collect();
        assert!(codes.len() > 15, "only {} detail codes found", codes.len());
        for code in codes {
            assert!(known.contains(&format!("check-detail-{code}")), "no message check-detail-{code}");
        }
    }

    /// Ids passed as a literal to `t(`, `t1(`, `t2(`, `ta(` or `count(`.
    fn used_ids(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for call in ["t(\"", "t1(\"", "t2(\"", "ta(\"", "count(\""] {
            let mut rest = text;
            while let Some(at) = rest.find(call) {
                let before = rest[..at].chars().last();
                rest = &rest[at + call.len()..];
                // `.t("` or `tr.t("`, not `format("` or `assert("`.
                if before != Some('.') {
                    continue;
                }
                if let Some(end) = rest.find('"') {
                    let id = &rest[..end];
                    if !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                        out.push(id.to_owned());
                    }
                }
            }
        }
        out
    }

    #[test]
    fn numbers_and_dates_follow_the_locale() {
        let sv = Tr::new(Lang::Sv);
        let fi = Tr::new(Lang::Fi);
        let en = Tr::new(Lang::En);
        assert_eq!(sv.number(1234.5), "1\u{a0}234,5");
        assert_eq!(fi.number(7.0), "7");
        assert_eq!(en.number(1234567.25), "1,234,567.25");
        assert_eq!(en.number(-3.5), "-3.5");
        let d = NaiveDate::from_ymd_opt(2026, 11, 7).unwrap();
        assert_eq!(sv.date(&d), "2026-11-07");
        assert_eq!(fi.date(&d), "7.11.2026");
        assert_eq!(en.date(&d), "7 November 2026");
        assert_eq!(fi.datetime(&d.and_hms_opt(9, 5, 0).unwrap()), "7.11.2026 9.05 UTC");
    }

    #[test]
    fn plurals_follow_the_language() {
        let en = Tr::new(Lang::En);
        assert_ne!(en.count("criteria-count", 1), en.count("criteria-count", 2));
    }
}
