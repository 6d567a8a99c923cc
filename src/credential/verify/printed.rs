//! The `printed` check: whether a PDF's pages print what its attached credential says.
//!
//! Policy: the signature proves the attachment, not the paper. For a PDF the report always
//! says which: the pages agree, they differ (outcome `pdf-mismatch`, naming each difference),
//! or they could not be compared and only the attachment was checked.

use super::{Builder, Outcome, Report, SEVERITY, detail};
use crate::credential::pdf::{ForeignPdf, Printed, printed_differences, printed_text};
use crate::engine::Lang;

/// Reads the pages of `pdf`, when a PDF was presented, compares them with the credential the
/// report read (in `lang`'s labels, or whichever language the pages are in), and adds the
/// `printed` check. Pages that cannot be read, or a report without a credential, leave only the
/// attachment checked.
pub fn check_printed_pages(report: &mut Report, pdf: Option<&[u8]>, lang: Option<Lang>) {
    let printed = pdf.map(|pdf| match (printed_text(pdf).ok(), &report.credential) {
        (Some(runs), Some(c)) => printed_differences(&runs, c, lang),
        _ => Err(ForeignPdf),
    });
    add_printed_check(report, printed);
}

/// How many differences the report names; the rest are counted.
const MAX_LISTED: usize = 20;

/// Adds the `printed` check to `report`, the verification of the credential attached to a PDF.
/// `printed` is `None` when no PDF was presented (a credential as JSON or a VC-JWT): then
/// there are no pages and no check. A difference makes the verdict `pdf-mismatch` unless a
/// more serious failure (malformed, forged) already stands.
pub fn add_printed_check(report: &mut Report, printed: Option<Result<Printed, ForeignPdf>>) {
    let Some(printed) = printed else { return };
    let mut b = Builder { checks: Vec::new(), failures: Vec::new() };
    match printed {
        Err(ForeignPdf) => b.skip(
            "printed",
            detail(
                "printed-foreign",
                None,
                "only the attached credential was checked; the printed pages of this PDF were not compared with it",
            ),
        ),
        Ok(p) if p.differences.is_empty() => {
            b.pass("printed", detail("printed-agrees", None, "what is printed agrees with the credential"))
        }
        Ok(p) => {
            // Pages made to differ everywhere must not make the report as long as they are.
            let listed = |lang| {
                let mut v: Vec<String> = p.differences.iter().take(MAX_LISTED).map(|d| d.describe(lang)).collect();
                if p.differences.len() > MAX_LISTED {
                    v.push(format!("… (+{})", p.differences.len() - MAX_LISTED));
                }
                v
            };
            let english = listed(crate::engine::Lang::En);
            // Named with the PDF's own language, as the reader sees them on paper.
            let shown = listed(p.lang);
            b.fail(
                "printed",
                Outcome::PdfMismatch,
                detail(
                    "printed-differs",
                    Some(shown.join("; ")),
                    format!("what is printed differs from the credential: {}", english.join("; ")),
                ),
            );
        }
    }
    let rank = |o: Outcome| SEVERITY.iter().position(|x| *x == o).unwrap_or(SEVERITY.len());
    for o in b.failures {
        if rank(o) < rank(report.outcome) {
            report.outcome = o;
        }
    }
    report.checks.extend(b.checks);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential::pdf::{Difference, Field};
    use crate::credential::verify::CheckResult;
    use crate::credential::verify::Status;
    use crate::engine::Lang;

    fn report(outcome: Outcome) -> Report {
        Report { outcome, checks: Vec::new(), credential: None, status: Some(Status::Clear) }
    }

    fn differing() -> Printed {
        Printed {
            lang: Lang::Sv,
            differences: vec![Difference {
                field: Field::Holder,
                unit: None,
                printed: Some("Åsa Berg".into()),
                credential: Some("Áilu Ŋuvttoš".into()),
            }],
        }
    }

    #[test]
    fn differing_pages_turn_a_genuine_credential_into_a_pdf_mismatch() {
        for before in [Outcome::Genuine, Outcome::StatusUnavailable, Outcome::Expired, Outcome::Revoked] {
            let mut r = report(before);
            add_printed_check(&mut r, Some(Ok(differing())));
            assert_eq!(r.outcome, Outcome::PdfMismatch, "after {before:?}");
            let c = &r.checks[0];
            assert_eq!((c.name, c.result, c.code), ("printed", CheckResult::Failed, "printed-differs"));
            let arg = c.arg.as_deref().unwrap();
            assert!(arg.contains("Åsa Berg") && arg.contains("innehavare"), "{arg}");
            assert!(c.detail.contains("holder"), "{}", c.detail);
        }
    }

    #[test]
    fn a_flood_of_differences_is_named_up_to_a_limit_and_counted() {
        let mut p = differing();
        p.differences = vec![p.differences[0].clone(); MAX_LISTED + 5];
        let mut r = report(Outcome::Genuine);
        add_printed_check(&mut r, Some(Ok(p)));
        let arg = r.checks[0].arg.as_deref().unwrap();
        assert_eq!(arg.matches("Åsa Berg").count(), MAX_LISTED);
        assert!(arg.ends_with("… (+5)"), "{arg}");
    }

    #[test]
    fn a_forged_or_malformed_credential_stays_so() {
        for before in [Outcome::Forged, Outcome::Malformed] {
            let mut r = report(before);
            add_printed_check(&mut r, Some(Ok(differing())));
            assert_eq!(r.outcome, before);
            assert_eq!(r.checks[0].result, CheckResult::Failed);
        }
    }

    #[test]
    fn agreeing_foreign_and_absent_pages_leave_the_verdict() {
        let mut r = report(Outcome::Genuine);
        add_printed_check(&mut r, Some(Ok(Printed { lang: Lang::Fi, differences: vec![] })));
        assert_eq!(
            (r.outcome, r.checks[0].result, r.checks[0].code),
            (Outcome::Genuine, CheckResult::Passed, "printed-agrees")
        );

        let mut r = report(Outcome::Genuine);
        add_printed_check(&mut r, Some(Err(ForeignPdf)));
        assert_eq!(r.outcome, Outcome::Genuine);
        assert_eq!((r.checks[0].result, r.checks[0].code), (CheckResult::NotChecked, "printed-foreign"));
        assert!(r.checks[0].detail.contains("only the attached credential was checked"));

        let mut r = report(Outcome::Genuine);
        add_printed_check(&mut r, None);
        assert!(r.checks.is_empty());
    }
}
