//! Explanations of outcomes for people, in Swedish, Finnish and English.
//!
//! Policy: plain, kind language. Many candidates come through social services after a long
//! line of setbacks, so nothing here says "failed": a criterion is met or *not yet* met, and
//! every text about a gap says how far along the candidate already is.

use chrono::{Datelike, NaiveDate};

use super::evaluate::{QualificationStatus, UnitStatus, Verdict};
use super::framework::{EvidenceKind, Framework, Method, Qualification};
use super::ids::UnitCode;
use super::lang::Lang;
use super::level::Level;
use super::rules::Shortfall;

/// Picks the text for `lang`; keeps the three translations of a sentence side by side.
fn pick<T>(lang: Lang, sv: T, fi: T, en: T) -> T {
    match lang {
        Lang::Sv => sv,
        Lang::Fi => fi,
        Lang::En => en,
    }
}

/// How a record bears on a criterion, as one sentence.
pub fn verdict(v: &Verdict, lang: Lang) -> String {
    match v {
        Verdict::Counts => pick(
            lang,
            "Visar att kriteriet är uppfyllt.",
            "Osoittaa, että kriteeri täyttyy.",
            "Shows that the criterion is met.",
        )
        .to_owned(),
        Verdict::MethodNotAccepted { method: m } => {
            let m = method(*m, lang);
            pick(
                lang,
                format!("Ramverket godtar inte den här metoden ({m}) för kriteriet, så den räknas inte här."),
                format!(
                    "Tätä menetelmää ({m}) ei hyväksytä tämän kriteerin osoittamiseen, joten sitä ei oteta tässä huomioon."
                ),
                format!(
                    "The framework does not accept this method ({m}) for the criterion, so it does not count here."
                ),
            )
        }
        Verdict::BelowPassMark { score, pass_mark } => pick(
            lang,
            format!(
                "Resultatet var {score} poäng och {pass_mark} behövs, så kriteriet är ännu inte uppfyllt."
            ),
            format!("Tulos oli {score} pistettä ja tarvitaan {pass_mark}, joten kriteeri ei vielä täyty."),
            format!(
                "The score was {score} points and {pass_mark} are needed, so the criterion is not yet met."
            ),
        ),
        Verdict::ObservedNotYetMet => pick(
            lang,
            "Observerat vid ett praktiskt prov: ännu inte uppfyllt.",
            "Havainnoitu käytännön näytössä: ei vielä täyty.",
            "Observed in a practical test: not yet met.",
        )
        .to_owned(),
        Verdict::NotCurrent { issued_on, window_years: n } => {
            let d = date(*issued_on, lang);
            pick(
                lang,
                format!("Underlaget är från {d} och räknas bara om det är högst {n} år gammalt."),
                match n {
                    1 => format!(
                        "Näyttö on päivätty {d}, ja se otetaan huomioon vain, jos se on enintään vuoden vanha."
                    ),
                    n => format!(
                        "Näyttö on päivätty {d}, ja se otetaan huomioon vain, jos se on enintään {n} vuotta vanha."
                    ),
                },
                match n {
                    1 => format!("The evidence is from {d}; it counts only if it is at most 1 year old."),
                    n => format!("The evidence is from {d}; it counts only if it is at most {n} years old."),
                },
            )
        }
        Verdict::NotAccepted { failed } => {
            let parts: Vec<&str> = failed.iter().map(|p| vasr_part(p, lang)).collect();
            let list = join(&parts, pick(lang, "och", "ja", "and"));
            pick(
                lang,
                format!("Underlaget uppfyller ännu inte kraven på {list}."),
                format!("Näyttö ei vielä täytä näitä vaatimuksia: {list}."),
                format!("The evidence does not yet meet the requirements of {list}."),
            )
        }
        Verdict::FutureDated { date: d } => {
            let d = date(*d, lang);
            pick(
                lang,
                format!("Daterat {d}, efter bedömningsdagen, så det räknas inte ännu."),
                format!("Päivätty {d}, arviointipäivän jälkeen, joten sitä ei vielä oteta huomioon."),
                format!("Dated {d}, after the assessment date, so it does not count yet."),
            )
        }
    }
}

/// The name of one judged part of VASR (`valid`, `authentic`, `sufficient`, `reliable`), as a
/// noun; an unknown name is shown as given rather than dropped.
fn vasr_part(part: &str, lang: Lang) -> &str {
    match part {
        "valid" => pick(lang, "giltighet", "pätevyys", "validity"),
        "authentic" => pick(lang, "äkthet", "aitous", "authenticity"),
        "sufficient" => pick(lang, "tillräcklighet", "riittävyys", "sufficiency"),
        "reliable" => pick(lang, "tillförlitlighet", "luotettavuus", "reliability"),
        other => other,
    }
}

/// "a, b and c".
fn join(items: &[&str], and: &str) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} {and} {last}", init.join(", ")),
    }
}

/// A unit's status, as one sentence.
pub fn unit_status(s: UnitStatus, lang: Lang) -> String {
    match s {
        UnitStatus::Confirmed => pick(
            lang,
            "Uppfylld och bekräftad av en intern kontrollant.",
            "Täyttyy, ja sisäinen varmentaja on vahvistanut sen.",
            "Met and confirmed by an internal verifier.",
        )
        .to_owned(),
        UnitStatus::Provisional => pick(
            lang,
            "Alla kriterier är uppfyllda; väntar på bekräftelse av en intern kontrollant.",
            "Kaikki kriteerit täyttyvät; odottaa sisäisen varmentajan vahvistusta.",
            "All criteria met; awaiting confirmation by an internal verifier.",
        )
        .to_owned(),
        UnitStatus::InProgress { met, total } => pick(
            lang,
            format!("{met} av {total} kriterier är uppfyllda hittills."),
            format!("Kriteereistä täyttyy tähän mennessä {met}/{total}."),
            format!("{met} of {total} criteria met so far."),
        ),
        UnitStatus::NotStarted => pick(
            lang,
            "Inga kriterier är uppfyllda ännu.",
            "Yksikään kriteeri ei vielä täyty.",
            "No criteria met yet.",
        )
        .to_owned(),
    }
}

/// A qualification's status: one line, then one line per shortfall starting with `– `.
pub fn qualification_status(
    s: &QualificationStatus,
    q: &Qualification,
    fw: &Framework,
    lang: Lang,
) -> String {
    let title = q.title.get(lang);
    match s {
        QualificationStatus::Awarded => pick(
            lang,
            format!("{title}: alla krav är uppfyllda och bekräftade."),
            format!("{title}: kaikki vaatimukset täyttyvät, ja ne on vahvistettu."),
            format!("{title}: all requirements met and confirmed."),
        ),
        QualificationStatus::Provisional => pick(
            lang,
            format!("{title}: alla krav är uppfyllda; väntar på bekräftelse av en intern kontrollant."),
            format!("{title}: kaikki vaatimukset täyttyvät; odottaa sisäisen varmentajan vahvistusta."),
            format!("{title}: all requirements met; awaiting confirmation by an internal verifier."),
        ),
        QualificationStatus::NotYet(shortfalls) => {
            let mut out = pick(
                lang,
                format!("{title}: några krav är ännu inte uppfyllda."),
                format!("{title}: osa vaatimuksista ei vielä täyty."),
                format!("{title}: some requirements are not yet met."),
            );
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
    match s {
        Shortfall::MandatoryUnit(code) => {
            let u = unit_name(code, fw, lang);
            pick(
                lang,
                format!("Den obligatoriska enheten {u} är ännu inte uppfylld."),
                format!("Pakollinen yksikkö {u} ei vielä täyty."),
                format!("The mandatory unit {u} is not yet met."),
            )
        }
        Shortfall::OptionalGroup { group, need, have } => {
            let g = q.rules.optional_groups.get(*group);
            let name = g
                .map_or(pick(lang, "Valbara enheter", "Valinnaiset yksiköt", "Optional units"), |g| {
                    g.title.get(lang)
                });
            let choices: Vec<String> =
                g.map(|g| g.units.iter().map(|c| unit_name(c, fw, lang)).collect()).unwrap_or_default();
            let choices: Vec<&str> = choices.iter().map(String::as_str).collect();
            let choices = join(&choices, pick(lang, "och", "ja", "and"));
            let are = if *need == 1 { "is" } else { "are" };
            pick(
                lang,
                format!(
                    "{name}: minst {need} av enheterna behövs (uppfyllda hittills: {have}). Välj bland: {choices}."
                ),
                format!(
                    "{name}: yksiköistä tarvitaan vähintään {need} (täyttynyt tähän mennessä: {have}). Vaihtoehdot: {choices}."
                ),
                format!(
                    "{name}: at least {need} of the units {are} needed (met so far: {have}). Choose from: {choices}."
                ),
            )
        }
        Shortfall::Credits { need, have } => pick(
            lang,
            format!("Poäng hittills: {have} av de {need} som behövs."),
            format!("Osaamispisteet tähän mennessä: {have}/{need}."),
            format!("Credits so far: {have} of the {need} needed."),
        ),
        Shortfall::CreditsAtLevel { level: l, need, have } => {
            let l = level(*l, lang);
            pick(
                lang,
                format!("Poäng på {l} eller högre hittills: {have} av de {need} som behövs."),
                format!("Osaamispisteet ({l} tai ylempi) tähän mennessä: {have}/{need}."),
                format!("Credits at {l} or above so far: {have} of the {need} needed."),
            )
        }
    }
}

/// "Title (CODE)", or the bare code for a unit the framework does not have.
fn unit_name(code: &UnitCode, fw: &Framework, lang: Lang) -> String {
    fw.unit(code).map_or_else(|| code.to_string(), |u| format!("{} ({code})", u.title.get(lang)))
}

/// A level in words, in the nominative: sv "nivå 3" / "instegsnivå 1", fi "taso 3" /
/// "lähtötaso 1", en "Level 3" / "Entry 1".
pub fn level(l: Level, lang: Lang) -> String {
    let shown = l.to_string();
    match shown.strip_prefix('E') {
        Some(n) => pick(lang, format!("instegsnivå {n}"), format!("lähtötaso {n}"), format!("Entry {n}")),
        None => pick(lang, format!("nivå {shown}"), format!("taso {shown}"), format!("Level {shown}")),
    }
}

/// The name of a method, in lower case, to use inside a sentence.
pub fn method(m: Method, lang: Lang) -> &'static str {
    match m {
        Method::Practical => pick(lang, "praktiskt prov", "käytännön näyttö", "practical test"),
        Method::Theory => pick(lang, "teoriprov", "teoriakoe", "theory test"),
        Method::Evidence(EvidenceKind::EmployerReference) => {
            pick(lang, "referens från arbetsgivare", "työnantajan suositus", "employer reference")
        }
        Method::Evidence(EvidenceKind::WorkCertificate) => {
            pick(lang, "arbetsintyg", "työtodistus", "work certificate")
        }
        Method::Evidence(EvidenceKind::Portfolio) => {
            pick(lang, "portfolio eller produkt", "portfolio tai tuotos", "portfolio or product")
        }
        Method::Evidence(EvidenceKind::WitnessTestimony) => {
            pick(lang, "vittnesintyg", "todistajan lausunto", "witness testimony")
        }
        Method::Evidence(EvidenceKind::ProfessionalDiscussion) => {
            pick(lang, "yrkessamtal", "ammatillinen keskustelu", "professional discussion")
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
        assert_eq!(join(&["a"], "och"), "a");
        assert_eq!(join(&["a", "b", "c"], "ja"), "a, b ja c");
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
