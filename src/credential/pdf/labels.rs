//! The fixed wording of the certificate in Swedish, Finnish and English, and date formats.
//!
//! Everything else on the page comes from the caller, already in the reader's language.
//! Terms follow the engine's explanations: "intern kontrollant" / "sisäinen varmentaja",
//! "enhet" / "yksikkö", "poäng" / "osaamispisteet".

use chrono::NaiveDate;

use super::CertificateKind;
use crate::engine::Lang;

/// One language's labels.
pub(super) struct Labels {
    pub title_units: &'static str,
    pub title_qualification: &'static str,
    pub lead: &'static str,
    pub after_name_units: &'static str,
    pub after_name_qualification: &'static str,
    pub framework: &'static str,
    pub qualification: &'static str,
    pub code: &'static str,
    pub unit: &'static str,
    pub level: &'static str,
    pub credits: &'static str,
    pub total: &'static str,
    pub issued: &'static str,
    pub valid_until: &'static str,
    pub assessor: &'static str,
    pub verifier: &'static str,
    pub number: &'static str,
    pub verify: &'static str,
    pub signed_note: &'static str,
    pub continued: &'static str,
}

const SV: Labels = Labels {
    title_units: "Intyg",
    title_qualification: "Kvalifikationsintyg",
    lead: "Härmed intygas att",
    after_name_units: "har visat den kompetens som beskrivs i enheterna nedan.",
    after_name_qualification: "har uppnått kvalifikationen",
    framework: "Ramverk",
    qualification: "Kvalifikation",
    code: "Kod",
    unit: "Enhet",
    level: "Nivå",
    credits: "Poäng",
    total: "Summa poäng",
    issued: "Utfärdat",
    valid_until: "Giltigt till",
    assessor: "Bedömare",
    verifier: "Intern kontrollant",
    number: "Intygsnummer",
    verify: "Kontrollera äktheten:",
    signed_note: "Intyget är digitalt signerat. Den maskinläsbara versionen är bifogad i PDF-filen.",
    continued: "fortsättning",
};

const FI: Labels = Labels {
    title_units: "Todistus",
    title_qualification: "Tutkintotodistus",
    lead: "Täten todistetaan, että",
    after_name_units: "on osoittanut alla lueteltujen yksiköiden kuvaaman osaamisen.",
    after_name_qualification: "on suorittanut tutkinnon",
    framework: "Osaamiskehys",
    qualification: "Tutkinto",
    code: "Koodi",
    unit: "Yksikkö",
    level: "Taso",
    credits: "Osaamispisteet",
    total: "Osaamispisteet yhteensä",
    issued: "Myönnetty",
    valid_until: "Voimassaolo päättyy",
    assessor: "Arvioija",
    verifier: "Sisäinen varmentaja",
    number: "Todistuksen numero",
    verify: "Tarkista aitous:",
    signed_note: "Todistus on sähköisesti allekirjoitettu. Koneluettava versio on liitetty PDF-tiedostoon.",
    continued: "jatkoa",
};

const EN: Labels = Labels {
    title_units: "Certificate",
    title_qualification: "Certificate of Qualification",
    lead: "This is to certify that",
    after_name_units: "has demonstrated the competence described by the units below.",
    after_name_qualification: "has achieved the qualification",
    framework: "Framework",
    qualification: "Qualification",
    code: "Code",
    unit: "Unit",
    level: "Level",
    credits: "Credits",
    total: "Total credits",
    issued: "Issued",
    valid_until: "Valid until",
    assessor: "Assessor",
    verifier: "Internal verifier",
    number: "Certificate number",
    verify: "Verify authenticity:",
    signed_note: "This certificate is digitally signed. The machine-readable credential is attached to this PDF file.",
    continued: "continued",
};

/// The labels for `lang`.
pub(super) fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Sv => &SV,
        Lang::Fi => &FI,
        Lang::En => &EN,
    }
}

impl Labels {
    /// The large title for a kind of certificate.
    pub fn title(&self, kind: CertificateKind) -> &'static str {
        match kind {
            CertificateKind::Units => self.title_units,
            CertificateKind::Qualification => self.title_qualification,
        }
    }
}

/// "Sida 1 av 2", "Sivu 1/2", "Page 1 of 2".
pub(super) fn page_of(lang: Lang, page: usize, pages: usize) -> String {
    match lang {
        Lang::Sv => format!("Sida {page} av {pages}"),
        Lang::Fi => format!("Sivu {page}/{pages}"),
        Lang::En => format!("Page {page} of {pages}"),
    }
}

/// A date as readers of `lang` write it: `2026-11-27`, `27.11.2026`, `27 November 2026`.
pub(super) fn date(lang: Lang, d: NaiveDate) -> String {
    let pattern = match lang {
        Lang::Sv => "%Y-%m-%d",
        Lang::Fi => "%-d.%-m.%Y",
        Lang::En => "%-d %B %Y",
    };
    d.format(pattern).to_string()
}
