//! The printable certificate: an A4 PDF in Swedish, Finnish or English, with a QR code to the
//! public verification page and the signed credential attached as `credential.json`.
//!
//! Policy: pure. The caller passes every text, date and byte; nothing here reads the clock,
//! the network or the database, and the same document renders to the same page. Text is set
//! in the embedded DejaVu Sans (subset per document) so it prints the same everywhere and stays
//! selectable and searchable; names are normalised to NFC first, so a name typed with
//! combining accents is found by a search for the composed letters.
//!
//! Steps: `layout` places text and shapes on pages, `draw` turns them into printpdf
//! operations, `attach` adds the credential as an embedded file (PDF/A-3 style `/AF`).
//! Reading goes the other way and trusts nothing: `read` parses only the objects asked for,
//! within per-request limits, for `embedded_credential` and `printed_text`.

mod attach;
mod compare;
mod draw;
mod fonts;
mod labels;
mod layout;
mod plan;
mod read;
#[cfg(test)]
mod tests;
mod text;

use chrono::NaiveDate;

pub use attach::embedded_credential;
pub use compare::{Difference, Field, ForeignPdf, Printed, printed_differences};
pub use plan::{PlanDocument, PlanStepLine, render_plan};
pub use read::printed_text;
pub use text::TextRun;

use crate::engine::Lang;

/// Everything printed on a certificate, already in the reader's language except the fixed labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateDocument {
    /// The reader's language; picks the fixed labels and the date format.
    pub lang: Lang,
    /// A certificate for units met, or for a whole qualification.
    pub kind: CertificateKind,
    /// The issuing organisation, printed at the top.
    pub organisation: String,
    /// The candidate's full name.
    pub candidate: String,
    /// The framework's title.
    pub framework: String,
    /// The qualification's title; the headline of a [`CertificateKind::Qualification`].
    pub qualification: Option<String>,
    /// The units covered, in the order they are printed.
    pub items: Vec<CertificateItem>,
    /// The day the certificate was issued.
    pub issued_on: NaiveDate,
    /// The last day the certificate is valid, if it expires.
    pub valid_until: Option<NaiveDate>,
    /// The assessor's name.
    pub assessor: String,
    /// The internal verifier's name.
    pub verifier: String,
    /// How each criterion was shown, one line each, as the credential states it.
    pub results: Vec<String>,
    /// The quality assurance chain, one line per step, as the credential states it.
    pub quality: Vec<String>,
    /// The certificate's number, as people quote it.
    pub certificate_number: String,
    /// The public verification URL, printed as text and as a QR code.
    pub verify_url: String,
    /// The signed credential, embedded as the file attachment `credential.json`.
    pub credential_json: Vec<u8>,
}

/// What a certificate attests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateKind {
    /// An "intyg" listing units met.
    Units,
    /// A qualification awarded because its rules of combination hold.
    Qualification,
}

/// One unit on a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateItem {
    /// The unit's code.
    pub code: String,
    /// The unit's title.
    pub title: String,
    /// The level as readers say it: "Nivå 2", "Taso 2", "Level 2", "E3".
    pub level: String,
    /// The unit's credit value.
    pub credits: u32,
}

/// Why a certificate could not be rendered, or its credential not read back.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The embedded font could not be parsed or subset; a build defect, not bad input.
    #[error("the certificate font could not be prepared: {0}")]
    Font(String),
    /// The verification URL does not fit in a QR code.
    #[error("the verification URL cannot be encoded as a QR code: {0}")]
    Qr(#[from] qrcode::types::QrError),
    /// The finished PDF could not be serialised.
    #[error("the PDF could not be written")]
    Write(#[source] lopdf::Error),
    /// The bytes given to [`embedded_credential`] or [`printed_text`] are not a PDF the reader
    /// can follow: no xref, a broken object, a reference to nowhere.
    #[error("not a readable PDF: {0}")]
    Read(String),
    /// Reading the PDF would pass one of the reader's limits (objects, decompressed bytes,
    /// nesting, tree depth, tokens, text runs); the PDF is hostile or far from a certificate.
    #[error("PDF too complex: more than {max} {limit}")]
    TooComplex {
        /// What was counted, in words: "objects", "decompressed bytes", "tree levels", ...
        limit: &'static str,
        /// The limit that was passed.
        max: u64,
    },
    /// A stream the reader needs is encoded with a filter other than FlateDecode.
    #[error("unsupported PDF filter: {0}")]
    UnsupportedFilter(String),
    /// The PDF has no embedded file named `credential.json`.
    #[error("the PDF has no embedded file named credential.json")]
    NoCredential,
}

/// Renders `doc` as an A4 PDF: one page, or more when the unit table is long.
pub fn render(doc: &CertificateDocument) -> Result<Vec<u8>, PdfError> {
    let metrics = fonts::Metrics::load()?;
    let pages = layout::layout(doc, &metrics)?;
    let mut pdf = draw::draw(doc, &pages, &metrics)?;
    attach::attach_credential(&mut pdf, &doc.credential_json, doc.issued_on)?;
    pdf.compress();
    let mut out = Vec::new();
    pdf.save_to(&mut out).map_err(|e| PdfError::Write(e.into()))?;
    Ok(out)
}
