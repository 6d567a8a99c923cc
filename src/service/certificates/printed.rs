//! What the printed (PDF) certificate says, gathered from the database in the reader's language.

use super::{capitalized, corrupt, credential_url};
use crate::credential::pdf;
use crate::db::DbConnection;
use crate::db::models::CredentialRow;
use crate::db::queries::{candidates, organisations};
use crate::engine::framework::Unit;
use crate::engine::ids::UnitCode;
use crate::engine::{Lang, explain};
use crate::service::ServiceError;
use crate::service::frameworks::FrameworkCache;

/// What the PDF of certificate `row` prints, in `lang`.
pub fn pdf_document(
    conn: &mut DbConnection,
    cache: &FrameworkCache,
    public_url: &str,
    row: &CredentialRow,
    lang: Lang,
) -> Result<pdf::CertificateDocument, ServiceError> {
    use crate::db::queries::{decisions, users};
    let framework = cache.get(conn, &row.framework_id, &row.framework_version)?;
    let candidate = candidates::find_in_org(conn, &row.organisation_id, &row.candidate_id)?;
    let organisation = organisations::find_by_id(conn, &row.organisation_id)?;
    let decision = decisions::find_in_org(conn, &row.organisation_id, &row.decision_id)?;
    let name_of = |conn: &mut DbConnection, id: Option<&str>| -> Result<String, ServiceError> {
        Ok(match id {
            Some(id) => users::find_by_id(conn, id)?.display_name,
            None => String::new(),
        })
    };
    let assessor = name_of(conn, Some(&decision.submitted_by))?;
    let verifier = name_of(conn, decision.verifier_id.as_deref())?;
    let item = |u: &Unit| pdf::CertificateItem {
        code: u.code.to_string(),
        title: u.title.get(lang).to_owned(),
        level: capitalized(&explain::level(u.level, lang)),
        credits: u32::from(u.credits),
    };
    // What the PDF prints about the holder and the units comes from the signed credential,
    // the record of the award: a name changed since prints as it was certified.
    let credential: serde_json::Value = serde_json::from_str(&row.document).map_err(corrupt)?;
    let (kind, qualification, items) = if row.kind == "qualification" {
        let q = crate::engine::ids::QualificationCode::parse(&row.achievement_code)
            .ok()
            .and_then(|c| framework.qualification(&c))
            .ok_or_else(|| {
                corrupt(format!("qualification {} is not in its framework", row.achievement_code))
            })?;
        // The units are the ones the signed credential lists, not the candidate's achievements
        // looked up again: those carry their own timestamps and could disagree with the credential.
        let items: Vec<pdf::CertificateItem> = crate::credential::ob::listed_units(&credential)
            .into_iter()
            .map(|listed| match UnitCode::parse(&listed.code).ok().and_then(|c| framework.unit(&c)) {
                Some(u) => item(u),
                None => pdf::CertificateItem {
                    level: listed.level.map(|l| capitalized(&explain::level(l, lang))).unwrap_or_default(),
                    credits: listed.credits.unwrap_or_default(),
                    code: listed.code,
                    title: listed.title,
                },
            })
            .collect();
        if items.is_empty() {
            return Err(corrupt(format!("qualification certificate {} lists no units", row.id)));
        }
        (pdf::CertificateKind::Qualification, Some(q.title.get(lang).to_owned()), items)
    } else {
        let u = UnitCode::parse(&row.achievement_code)
            .ok()
            .and_then(|c| framework.unit(&c).cloned())
            .ok_or_else(|| corrupt(format!("unit {} is not in its framework", row.achievement_code)))?;
        (pdf::CertificateKind::Units, None, vec![item(&u)])
    };
    Ok(pdf::CertificateDocument {
        lang,
        kind,
        organisation: organisation.name,
        candidate: crate::credential::ob::holder_name(&credential)
            .map_or(candidate.display_name, str::to_owned),
        framework: format!("{} ({})", framework.title.get(lang), framework.version),
        qualification,
        items,
        // The dates as the credential writes them, in the issuer's offset: its local dates,
        // which the pages must print for the comparison with the attachment to agree.
        issued_on: local_date(&credential, "validFrom").unwrap_or_else(|| row.issued_at.date()),
        valid_until: local_date(&credential, "validUntil").or_else(|| row.valid_until.map(|t| t.date())),
        results: crate::credential::ob::result_lines(&credential),
        quality: crate::credential::ob::quality_lines(&credential),
        assessor,
        verifier,
        certificate_number: row.id.to_uppercase(),
        verify_url: credential_url(public_url, &row.id),
        credential_json: row.document.clone().into_bytes(),
    })
}

/// The calendar date of a credential's timestamp `field`, in the offset it is written with.
fn local_date(credential: &serde_json::Value, field: &str) -> Option<chrono::NaiveDate> {
    credential[field]
        .as_str()
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map(|d| d.date_naive())
}
