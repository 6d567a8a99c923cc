//! The fixed wording of the certificate, from the catalogues (`pdf-…` in `pdf.ftl`).
//!
//! Everything else on the page comes from the caller, already in the reader's language.

use chrono::NaiveDate;

use super::CertificateKind;
use crate::engine::Lang;
use crate::i18n::Tr;

/// One language's labels, looked up once per document.
pub(super) struct Labels {
    pub title_units: String,
    pub title_qualification: String,
    pub lead: String,
    pub after_name_units: String,
    pub after_name_qualification: String,
    pub framework: String,
    pub qualification: String,
    pub code: String,
    pub unit: String,
    pub level: String,
    pub credits: String,
    pub total: String,
    pub issued: String,
    pub valid_until: String,
    pub assessor: String,
    pub verifier: String,
    pub number: String,
    pub verify: String,
    pub signed_note: String,
    pub continued: String,
    pub results: String,
    pub quality: String,
}

/// The labels for `lang`.
pub(super) fn labels(lang: Lang) -> Labels {
    let tr = Tr::new(lang);
    Labels {
        title_units: tr.t("pdf-title-units"),
        title_qualification: tr.t("pdf-title-qualification"),
        lead: tr.t("pdf-lead"),
        after_name_units: tr.t("pdf-after-name-units"),
        after_name_qualification: tr.t("pdf-after-name-qualification"),
        framework: tr.t("pdf-framework"),
        qualification: tr.t("pdf-qualification"),
        code: tr.t("pdf-code"),
        unit: tr.t("pdf-unit"),
        level: tr.t("pdf-level"),
        credits: tr.t("pdf-credits"),
        total: tr.t("pdf-total"),
        issued: tr.t("pdf-issued"),
        valid_until: tr.t("pdf-valid-until"),
        assessor: tr.t("pdf-assessor"),
        verifier: tr.t("pdf-verifier"),
        number: tr.t("pdf-number"),
        verify: tr.t("pdf-verify"),
        signed_note: tr.t("pdf-signed-note"),
        continued: tr.t("pdf-continued"),
        results: tr.t("pdf-results"),
        quality: tr.t("pdf-quality"),
    }
}

impl Labels {
    /// The large title for a kind of certificate.
    pub fn title(&self, kind: CertificateKind) -> &str {
        match kind {
            CertificateKind::Units => &self.title_units,
            CertificateKind::Qualification => &self.title_qualification,
        }
    }
}

/// "Sida 1 av 2", "Sivu 1/2", "Page 1 of 2".
pub(super) fn page_of(lang: Lang, page: usize, pages: usize) -> String {
    Tr::new(lang).ta("pdf-page-of", &[("page", page.into()), ("pages", pages.into())])
}

/// A date as readers of `lang` write it: `2026-11-27`, `27.11.2026`, `27 November 2026`; the
/// same as on the pages, so the certificate and the verification page agree.
pub(super) fn date(lang: Lang, d: NaiveDate) -> String {
    Tr::new(lang).date(&d)
}
