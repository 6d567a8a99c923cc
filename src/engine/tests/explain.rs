//! Examples of explanations, each shown in Swedish, Finnish and English.

use expect_test::{Expect, expect};

use super::fixtures::*;
use crate::engine::evaluate::{QualificationStatus, UnitStatus, Verdict};
use crate::engine::explain;
use crate::engine::framework::{EvidenceKind, Method};
use crate::engine::lang::Lang;
use crate::engine::level::Level;
use crate::engine::rules::Shortfall;

#[track_caller]
fn check(f: impl Fn(Lang) -> String, expect: Expect) {
    let all: Vec<String> = Lang::ALL.into_iter().map(|l| format!("{l}: {}", f(l))).collect();
    expect.assert_eq(&(all.join("\n") + "\n"));
}

fn verdict(v: Verdict) -> impl Fn(Lang) -> String {
    move |l| explain::verdict(&v, l)
}

/// Explains `s` for the `shop` qualification, whose units have real titles here.
fn qualification_status(s: QualificationStatus) -> impl Fn(Lang) -> String {
    let mut fw = shop();
    fw.units[0].title = title("Livsmedelshygien", "Elintarvikehygienia", "Food hygiene");
    fw.units[1].title = title("Kassahantering", "Kassan käsittely", "Till handling");
    fw.units[2].title = title("Lagerarbete", "Varastotyö", "Warehouse work");
    fw.qualifications[0].title = title("Butiksbiträde", "Myyjä", "Shop assistant");
    fw.qualifications[0].rules.optional_groups[0].title = title("Valbara", "Valinnaiset", "Options");
    move |l| explain::qualification_status(&s, &fw.qualifications[0], &fw, l)
}

#[test]
fn counts() {
    check(
        verdict(Verdict::Counts),
        expect![[r#"
        sv: Visar att kriteriet är uppfyllt.
        fi: Osoittaa, että kriteeri täyttyy.
        en: Shows that the criterion is met.
    "#]],
    );
}

#[test]
fn method_not_accepted() {
    check(
        verdict(Verdict::MethodNotAccepted { method: Method::Evidence(EvidenceKind::WorkCertificate) }),
        expect![[r#"
            sv: Ramverket godtar inte den här metoden (arbetsintyg) för kriteriet, så den räknas inte här.
            fi: Tätä menetelmää (työtodistus) ei hyväksytä tämän kriteerin osoittamiseen, joten sitä ei oteta tässä huomioon.
            en: The framework does not accept this method (work certificate) for the criterion, so it does not count here.
        "#]],
    );
}

#[test]
fn below_pass_mark() {
    check(
        verdict(Verdict::BelowPassMark { score: 14, pass_mark: 18 }),
        expect![[r#"
        sv: Resultatet var 14 poäng och 18 behövs, så kriteriet är ännu inte uppfyllt.
        fi: Tulos oli 14 pistettä ja tarvitaan 18, joten kriteeri ei vielä täyty.
        en: The score was 14 points and 18 are needed, so the criterion is not yet met.
    "#]],
    );
}

#[test]
fn observed_not_yet_met() {
    check(
        verdict(Verdict::ObservedNotYetMet),
        expect![[r#"
        sv: Observerat vid ett praktiskt prov: ännu inte uppfyllt.
        fi: Havainnoitu käytännön näytössä: ei vielä täyty.
        en: Observed in a practical test: not yet met.
    "#]],
    );
}

#[test]
fn not_current() {
    check(
        verdict(Verdict::NotCurrent { issued_on: d("2019-03-05"), window_years: 5 }),
        expect![[r#"
        sv: Underlaget är från 2019-03-05 och räknas bara om det är högst 5 år gammalt.
        fi: Näyttö on päivätty 5.3.2019, ja se otetaan huomioon vain, jos se on enintään 5 vuotta vanha.
        en: The evidence is from 5 March 2019; it counts only if it is at most 5 years old.
    "#]],
    );
    check(
        verdict(Verdict::NotCurrent { issued_on: d("2019-03-05"), window_years: 1 }),
        expect![[r#"
        sv: Underlaget är från 2019-03-05 och räknas bara om det är högst 1 år gammalt.
        fi: Näyttö on päivätty 5.3.2019, ja se otetaan huomioon vain, jos se on enintään vuoden vanha.
        en: The evidence is from 5 March 2019; it counts only if it is at most 1 year old.
    "#]],
    );
}

#[test]
fn not_accepted() {
    check(
        verdict(Verdict::NotAccepted { failed: vec!["authentic"] }),
        expect![[r#"
        sv: Underlaget uppfyller ännu inte kraven på äkthet.
        fi: Näyttö ei vielä täytä näitä vaatimuksia: aitous.
        en: The evidence does not yet meet the requirements of authenticity.
    "#]],
    );
    check(
        verdict(Verdict::NotAccepted { failed: vec!["valid", "sufficient", "reliable"] }),
        expect![[r#"
        sv: Underlaget uppfyller ännu inte kraven på giltighet, tillräcklighet och tillförlitlighet.
        fi: Näyttö ei vielä täytä näitä vaatimuksia: pätevyys, riittävyys ja luotettavuus.
        en: The evidence does not yet meet the requirements of validity, sufficiency and reliability.
    "#]],
    );
}

#[test]
fn future_dated() {
    check(
        verdict(Verdict::FutureDated { date: d("2026-11-28") }),
        expect![[r#"
        sv: Daterat 2026-11-28, efter bedömningsdagen, så det räknas inte ännu.
        fi: Päivätty 28.11.2026, arviointipäivän jälkeen, joten sitä ei vielä oteta huomioon.
        en: Dated 28 November 2026, after the assessment date, so it does not count yet.
    "#]],
    );
}

#[test]
fn unit_statuses() {
    let all = [
        UnitStatus::Confirmed,
        UnitStatus::Provisional,
        UnitStatus::InProgress { met: 3, total: 10 },
        UnitStatus::NotStarted,
    ];
    check(
        |l| all.iter().map(|s| explain::unit_status(*s, l)).collect::<Vec<_>>().join(" | "),
        expect![[r#"
        sv: Uppfylld och bekräftad av en intern kvalitetssäkrare. | Alla kriterier är uppfyllda; väntar på bekräftelse av en intern kvalitetssäkrare. | 3 av 10 kriterier är uppfyllda hittills. | Inga kriterier är uppfyllda ännu.
        fi: Täyttyy, ja sisäinen varmentaja on vahvistanut sen. | Kaikki kriteerit täyttyvät; odottaa sisäisen varmentajan vahvistusta. | Kriteereistä täyttyy tähän mennessä 3/10. | Yksikään kriteeri ei vielä täyty.
        en: Met and confirmed by an internal verifier. | All criteria met; awaiting confirmation by an internal verifier. | 3 of 10 criteria met so far. | No criteria met yet.
    "#]],
    );
}

#[test]
fn awarded() {
    check(
        qualification_status(QualificationStatus::Awarded),
        expect![[r#"
        sv: Butiksbiträde: alla krav är uppfyllda och bekräftade.
        fi: Myyjä: kaikki vaatimukset täyttyvät, ja ne on vahvistettu.
        en: Shop assistant: all requirements met and confirmed.
    "#]],
    );
}

#[test]
fn provisional() {
    check(
        qualification_status(QualificationStatus::Provisional),
        expect![[r#"
        sv: Butiksbiträde: alla krav är uppfyllda; väntar på bekräftelse av en intern kvalitetssäkrare.
        fi: Myyjä: kaikki vaatimukset täyttyvät; odottaa sisäisen varmentajan vahvistusta.
        en: Shop assistant: all requirements met; awaiting confirmation by an internal verifier.
    "#]],
    );
}

#[test]
fn not_yet_with_every_kind_of_shortfall() {
    let s = QualificationStatus::NotYet(vec![
        Shortfall::MandatoryUnit(code("A")),
        Shortfall::OptionalGroup { group: 0, need: 1, have: 0 },
        Shortfall::Credits { need: 8, have: 3 },
        Shortfall::CreditsAtLevel { level: level(3), need: 4, have: 0 },
        Shortfall::CreditsAtLevel { level: Level::entry(3).unwrap(), need: 4, have: 0 },
    ]);
    check(
        qualification_status(s),
        expect![[r#"
            sv: Butiksbiträde: några krav är ännu inte uppfyllda.
            – Den obligatoriska enheten Livsmedelshygien (A) är ännu inte uppfylld.
            – Valbara: minst 1 av enheterna behövs (uppfyllda hittills: 0). Välj bland: Kassahantering (B) och Lagerarbete (C).
            – Poäng hittills: 3 av de 8 som behövs.
            – Poäng på nivå 3 eller högre hittills: 0 av de 4 som behövs.
            – Poäng på instegsnivå 3 eller högre hittills: 0 av de 4 som behövs.
            fi: Myyjä: osa vaatimuksista ei vielä täyty.
            – Pakollinen yksikkö Elintarvikehygienia (A) ei vielä täyty.
            – Valinnaiset: yksiköistä tarvitaan vähintään 1 (täyttynyt tähän mennessä: 0). Vaihtoehdot: Kassan käsittely (B) ja Varastotyö (C).
            – Osaamispisteet tähän mennessä: 3/8.
            – Osaamispisteet (taso 3 tai ylempi) tähän mennessä: 0/4.
            – Osaamispisteet (lähtötaso 3 tai ylempi) tähän mennessä: 0/4.
            en: Shop assistant: some requirements are not yet met.
            – The mandatory unit Food hygiene (A) is not yet met.
            – Options: at least 1 of the units is needed (met so far: 0). Choose from: Till handling (B) and Warehouse work (C).
            – Credits so far: 3 of the 8 needed.
            – Credits at Level 3 or above so far: 0 of the 4 needed.
            – Credits at Entry 3 or above so far: 0 of the 4 needed.
        "#]],
    );
}

/// The catalogue chooses "is"/"are" by `$need`; the test above needs only one unit.
#[test]
fn optional_group_needing_two_units() {
    check(
        qualification_status(QualificationStatus::NotYet(vec![Shortfall::OptionalGroup {
            group: 0,
            need: 2,
            have: 1,
        }])),
        expect![[r#"
            sv: Butiksbiträde: några krav är ännu inte uppfyllda.
            – Valbara: minst 2 av enheterna behövs (uppfyllda hittills: 1). Välj bland: Kassahantering (B) och Lagerarbete (C).
            fi: Myyjä: osa vaatimuksista ei vielä täyty.
            – Valinnaiset: yksiköistä tarvitaan vähintään 2 (täyttynyt tähän mennessä: 1). Vaihtoehdot: Kassan käsittely (B) ja Varastotyö (C).
            en: Shop assistant: some requirements are not yet met.
            – Options: at least 2 of the units are needed (met so far: 1). Choose from: Till handling (B) and Warehouse work (C).
        "#]],
    );
}

#[test]
fn methods() {
    let all = [Method::Practical, Method::Theory].into_iter().chain(EvidenceKind::ALL.map(Method::Evidence));
    let all: Vec<Method> = all.collect();
    check(
        |l| all.iter().map(|m| explain::method(*m, l)).collect::<Vec<_>>().join(", "),
        expect![[r#"
        sv: praktiskt prov, teoriprov, referens från arbetsgivare, arbetsintyg, portfolio eller produkt, vittnesintyg, yrkessamtal
        fi: käytännön näyttö, teoriakoe, työnantajan suositus, työtodistus, portfolio tai tuotos, todistajan lausunto, ammatillinen keskustelu
        en: practical test, theory test, employer reference, work certificate, portfolio or product, witness testimony, professional discussion
    "#]],
    );
}
