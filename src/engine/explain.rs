//! Explanations of outcomes for people, in Swedish, Finnish and English. The wording is in the
//! catalogues (`explain-…` in `engine.ftl`); this module chooses the message and its arguments.
//!
//! Policy: plain, kind language. Many candidates come through social services after a long
//! line of setbacks, so nothing here says "failed": a criterion is met or *not yet* met, and
//! every text about a gap says how far along the candidate already is.

use chrono::{Datelike, NaiveDate};

use super::evaluate::{EntryWarning, QualificationStatus, UnitStatus, Verdict};
use super::framework::{EvidenceKind, Framework, Method, Qualification};
use super::ids::UnitCode;
use super::lang::Lang;
use super::level::Level;
use super::rules::Shortfall;
use super::target::{ClosingSet, Need, TargetReport};
use crate::i18n::Tr;

/// How a record bears on a criterion, as one sentence.
pub fn verdict(v: &Verdict, lang: Lang) -> String {
    let tr = Tr::new(lang);
    match v {
        Verdict::Counts => tr.t("explain-counts"),
        Verdict::MethodNotAccepted { method: m } => {
            tr.t1("explain-method-not-accepted", "method", &method(*m, lang))
        }
        Verdict::BelowPassMark { score, pass_mark } => tr
            .ta("explain-below-pass-mark", &[("score", (*score).into()), ("pass-mark", (*pass_mark).into())]),
        Verdict::ObservedNotYetMet => tr.t("explain-observed-not-yet-met"),
        Verdict::NotCurrent { issued_on, window_years } => tr.ta(
            "explain-not-current",
            &[("date", date(*issued_on, lang).into()), ("years", (*window_years).into())],
        ),
        Verdict::NotAccepted { failed } => {
            let parts: Vec<String> = failed.iter().map(|p| vasr_part(p, &tr)).collect();
            tr.t1("explain-not-accepted", "parts", &join(&parts, &tr))
        }
        Verdict::FutureDated { date: d } => tr.t1("explain-future-dated", "date", &date(*d, lang)),
    }
}

/// A warning given when a record is added, as a sentence that says the record was kept.
pub fn entry_warning(w: &EntryWarning, lang: Lang) -> String {
    let tr = Tr::new(lang);
    match w {
        EntryWarning::MethodNotAccepted { criterion, method: m, accepted, .. } => {
            let accepted: Vec<String> = accepted.iter().map(|a| method(*a, lang)).collect();
            tr.ta(
                "explain-warning-method-not-accepted",
                &[
                    ("criterion", criterion.to_string().into()),
                    ("method", method(*m, lang).into()),
                    ("accepted", join(&accepted, &tr).into()),
                ],
            )
        }
        EntryWarning::PracticalOnly { criterion, .. } => {
            tr.t1("explain-warning-practical-only", "criterion", &criterion.to_string())
        }
        EntryWarning::NotCurrent { unit, issued_on, window_years } => tr.ta(
            "explain-warning-not-current",
            &[
                ("unit", unit.to_string().into()),
                ("date", date(*issued_on, lang).into()),
                ("years", (*window_years).into()),
            ],
        ),
    }
}

/// The assessor's reason for judging one part of VACSR (`valid`, `authentic`, `current`,
/// `sufficient`, `reliable`), worded for the candidate.
pub fn judgement_reason(part: &str, reason: &str, lang: Lang) -> String {
    let tr = Tr::new(lang);
    tr.ta(
        "explain-judgement-reason",
        &[("part", vasr_part(part, &tr).into()), ("reason", reason.to_owned().into())],
    )
}

/// The name of one judged part of VACSR, as a noun (`current` included).
pub fn judgement_part(part: &str, lang: Lang) -> String {
    vasr_part(part, &Tr::new(lang))
}

/// The name of one judged part of VASR (`valid`, `authentic`, `sufficient`, `reliable`), as a
/// noun; an unknown name is shown as given rather than dropped.
fn vasr_part(part: &str, tr: &Tr) -> String {
    match part {
        "valid" => tr.t("explain-vasr-valid"),
        "authentic" => tr.t("explain-vasr-authentic"),
        "sufficient" => tr.t("explain-vasr-sufficient"),
        "reliable" => tr.t("explain-vasr-reliable"),
        "current" => tr.t("explain-vasr-current"),
        other => other.to_owned(),
    }
}

/// "a, b and c".
fn join(items: &[String], tr: &Tr) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {} {last}", init.join(", "), tr.t("explain-and")),
    }
}

/// A unit's status, as one sentence.
pub fn unit_status(s: UnitStatus, lang: Lang) -> String {
    let tr = Tr::new(lang);
    match s {
        UnitStatus::Confirmed => tr.t("explain-unit-confirmed"),
        UnitStatus::Provisional => tr.t("explain-unit-provisional"),
        UnitStatus::InProgress { met, total } => {
            tr.ta("explain-unit-in-progress", &[("met", met.into()), ("total", total.into())])
        }
        UnitStatus::NotStarted => tr.t("explain-unit-not-started"),
    }
}

/// A qualification's status: one line, then one line per shortfall starting with `– `.
pub fn qualification_status(
    s: &QualificationStatus,
    q: &Qualification,
    fw: &Framework,
    lang: Lang,
) -> String {
    let tr = Tr::new(lang);
    let title = q.title.get(lang);
    match s {
        QualificationStatus::Awarded => tr.t1("explain-qualification-awarded", "title", &title),
        QualificationStatus::Provisional => tr.t1("explain-qualification-provisional", "title", &title),
        QualificationStatus::NotYet(shortfalls) => {
            let mut out = tr.t1("explain-qualification-not-yet", "title", &title);
            for sf in shortfalls {
                out.push_str("\n– ");
                out.push_str(&shortfall(sf, q, fw, lang));
            }
            out
        }
    }
}

/// One rule of combination not yet met, as one sentence naming units by their titles.
pub fn shortfall(s: &Shortfall, q: &Qualification, fw: &Framework, lang: Lang) -> String {
    let tr = Tr::new(lang);
    match s {
        Shortfall::MandatoryUnit(code) => {
            tr.t1("explain-shortfall-mandatory", "unit", &unit_name(code, fw, lang))
        }
        Shortfall::OptionalGroup { group, need, have } => {
            let g = q.rules.optional_groups.get(*group);
            let name = g.map_or_else(|| tr.t("explain-optional-units"), |g| g.title.get(lang).to_owned());
            let choices: Vec<String> =
                g.map(|g| g.units.iter().map(|c| unit_name(c, fw, lang)).collect()).unwrap_or_default();
            tr.ta(
                "explain-shortfall-optional-group",
                &[
                    ("name", name.into()),
                    ("need", (*need).into()),
                    ("have", (*have).into()),
                    ("choices", join(&choices, &tr).into()),
                ],
            )
        }
        Shortfall::Credits { need, have } => {
            tr.ta("explain-shortfall-credits", &[("need", (*need).into()), ("have", (*have).into())])
        }
        Shortfall::CreditsAtLevel { level: l, need, have } => tr.ta(
            "explain-shortfall-credits-at-level",
            &[("level", level(*l, lang).into()), ("need", (*need).into()), ("have", (*have).into())],
        ),
    }
}

/// One rule of a targeted qualification not yet met, and what could close it: the mandatory
/// unit itself; the group's units not yet achieved; for a credit rule, the units that count
/// toward it (the sets that close it are [`closing_set`]'s).
pub fn need(n: &Need, q: &Qualification, fw: &Framework, lang: Lang) -> String {
    let tr = Tr::new(lang);
    let units = |codes: &[UnitCode]| -> String {
        let names: Vec<String> = codes.iter().map(|c| unit_name(c, fw, lang)).collect();
        join(&names, &tr)
    };
    match &n.shortfall {
        Shortfall::OptionalGroup { group, need, have } => {
            let name = q
                .rules
                .optional_groups
                .get(*group)
                .map_or_else(|| tr.t("explain-optional-units"), |g| g.title.get(lang).to_owned());
            tr.ta(
                "explain-shortfall-optional-group",
                &[
                    ("name", name.into()),
                    ("need", (*need).into()),
                    ("have", (*have).into()),
                    ("choices", units(&n.units).into()),
                ],
            )
        }
        s @ (Shortfall::Credits { .. } | Shortfall::CreditsAtLevel { .. }) if !n.units.is_empty() => {
            let rule = shortfall(s, q, fw, lang);
            format!("{rule} {}", tr.t1("explain-need-units-that-count", "units", &units(&n.units)))
        }
        s => shortfall(s, q, fw, lang),
    }
}

/// The sentence before the sets that would complete a targeted qualification; `None` when
/// every rule holds.
pub fn closing_intro(r: &TargetReport, q: &Qualification, lang: Lang) -> Option<String> {
    if r.needs.is_empty() {
        return None;
    }
    let tr = Tr::new(lang);
    let title = q.title.get(lang);
    Some(match r.closing.len() {
        0 => tr.t1("explain-closing-none", "title", &title),
        n => tr.ta("explain-closing-intro", &[("title", title.into()), ("count", n.into())]),
    })
}

/// A set of units that would complete a qualification: each unit with its level and credits,
/// then the credits together.
pub fn closing_set(set: &ClosingSet, fw: &Framework, lang: Lang) -> String {
    let tr = Tr::new(lang);
    let items: Vec<String> = set
        .units
        .iter()
        .map(|code| match fw.unit(code) {
            Some(u) => tr.ta(
                "explain-closing-unit",
                &[
                    ("title", u.title.get(lang).into()),
                    ("code", code.as_str().into()),
                    ("level", level(u.level, lang).into()),
                    ("credits", u.credits.into()),
                ],
            ),
            None => code.to_string(),
        })
        .collect();
    tr.ta("explain-closing-set", &[("units", join(&items, &tr).into()), ("credits", set.credits.into())])
}

/// Said when the search for closing sets stopped at its budget.
pub fn closing_capped(lang: Lang) -> String {
    Tr::new(lang).t("explain-closing-capped")
}

/// "Title (CODE)", or the bare code for a unit the framework does not have.
fn unit_name(code: &UnitCode, fw: &Framework, lang: Lang) -> String {
    fw.unit(code).map_or_else(|| code.to_string(), |u| format!("{} ({code})", u.title.get(lang)))
}

/// A level in words, in the nominative: sv "nivå 3" / "instegsnivå 1", fi "taso 3" /
/// "lähtötaso 1", en "Level 3" / "Entry 1".
pub fn level(l: Level, lang: Lang) -> String {
    let tr = Tr::new(lang);
    let shown = l.to_string();
    match shown.strip_prefix('E') {
        Some(n) => tr.t1("explain-level-entry", "level", &n),
        None => tr.t1("explain-level", "level", &shown),
    }
}

/// The level that [`level`] words as `words` in any language, read back from a credential
/// or a printed certificate (any case).
pub fn parse_level(words: &str) -> Option<Level> {
    let words = words.trim().to_lowercase();
    Level::all().find(|&l| Lang::ALL.iter().any(|&lang| level(l, lang).to_lowercase() == words))
}

/// The name of a method, in lower case, to use inside a sentence.
pub fn method(m: Method, lang: Lang) -> String {
    let tr = Tr::new(lang);
    match m {
        Method::Practical => tr.t("explain-method-practical"),
        Method::Theory => tr.t("explain-method-theory"),
        Method::Evidence(EvidenceKind::EmployerReference) => tr.t("explain-method-employer-reference"),
        Method::Evidence(EvidenceKind::WorkCertificate) => tr.t("explain-method-work-certificate"),
        Method::Evidence(EvidenceKind::Portfolio) => tr.t("explain-method-portfolio"),
        Method::Evidence(EvidenceKind::WitnessTestimony) => tr.t("explain-method-witness-testimony"),
        Method::Evidence(EvidenceKind::ProfessionalDiscussion) => {
            tr.t("explain-method-professional-discussion")
        }
    }
}

/// A date as people in `lang` write it: sv `2026-11-27`, fi `27.11.2026`, en `27 November 2026`.
pub fn date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Sv => d.format("%Y-%m-%d").to_string(),
        Lang::Fi => format!("{}.{}.{}", d.day(), d.month(), d.year()),
        Lang::En => d.format("%-d %B %Y").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_follow_each_locale() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(date(d, Lang::Sv), "2026-11-27");
        assert_eq!(date(d, Lang::Fi), "27.11.2026");
        assert_eq!(date(d, Lang::En), "27 November 2026");
        let d = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        assert_eq!(date(d, Lang::Fi), "5.3.2026");
        assert_eq!(date(d, Lang::En), "5 March 2026");
    }

    #[test]
    fn lists_join_with_the_local_and() {
        let list = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(join(&list(&["a"]), &Tr::new(Lang::Sv)), "a");
        assert_eq!(join(&list(&["a", "b", "c"]), &Tr::new(Lang::Fi)), "a, b ja c");
    }

    #[test]
    fn no_text_says_failed() {
        let all = [
            Verdict::BelowPassMark { score: 1, pass_mark: 2 },
            Verdict::ObservedNotYetMet,
            Verdict::NotAccepted { failed: vec!["valid"] },
        ];
        for lang in Lang::ALL {
            for v in &all {
                let t = verdict(v, lang).to_lowercase();
                for word in ["fail", "underkän", "hylät", "misslyck"] {
                    assert!(!t.contains(word), "{t}");
                }
            }
        }
    }
}
