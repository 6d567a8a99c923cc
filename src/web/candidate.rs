//! The candidate's pages, made for a phone: their progress in plain language (what is met, what
//! is left and how it could be shown), and their certificates to download, share, and add to a
//! LinkedIn profile.
//!
//! A candidate sees only their own: progress through [`crate::http::progress::my_evaluations`],
//! downloads through [`crate::http::certificates::find_accessible`] with `own_only`, so another
//! candidate's certificate answers 404.

use actix_web::{get, web};
use askama::Template;
use base64::Engine;
use chrono::Datelike;

use super::page::{Page, WebResult, render, urlencode};
use super::session::Session;
use crate::auth::Role;
use crate::db::models::CredentialRow;
use crate::db::queries::{candidates, credentials, organisations};
use crate::engine::ids::{QualificationCode, UnitCode};
use crate::http::certificates::{find_accessible, json_response, jwt_response, pdf_response, status_of};
use crate::http::extract::{AppState, db};
use crate::http::progress::{ProgressView, my_evaluations, progress_view};
use crate::i18n::Tr;
use crate::service::certificates::credential_url;

/// A criterion still to show, and the ways it could be shown.
pub struct Missing {
    text: String,
    how: String,
    /// Why the records so far do not show it, with the assessor's reasons.
    why: Vec<String>,
}

/// One unit, as the candidate reads it.
pub struct UnitCard {
    code: String,
    title: String,
    /// `confirmed`, `provisional`, `in-progress` or `not-started`.
    status: String,
    /// The status in a few words.
    label: String,
    /// `ok`, `info` or `warn`: the tag's colour (the label says it in words too).
    class: &'static str,
    /// The engine's sentence about the unit.
    explanation: String,
    met: Vec<String>,
    missing: Vec<Missing>,
}

/// A qualification aimed at, and what it still needs.
pub struct QualificationCard {
    title: String,
    status: String,
    label: String,
    /// Each rule not yet met, with what could close it.
    missing: Vec<String>,
    /// The sentence before `closing`.
    closing_intro: Option<String>,
    /// The smallest sets of units that would complete it.
    closing: Vec<String>,
    /// Said when not every combination could be tried.
    capped_note: Option<String>,
}

/// One assessment.
pub struct AssessmentCard {
    id: String,
    framework: String,
    qualification: Option<QualificationCard>,
    units: Vec<UnitCard>,
}

fn unit_card(v: &ProgressView, u: &crate::http::progress::UnitProgress, tr: Tr) -> UnitCard {
    let (label, class) = match u.status.as_str() {
        "confirmed" => (tr.t("candidate-unit-confirmed"), "ok"),
        "provisional" => (tr.t("candidate-unit-provisional"), "info"),
        "in-progress" => {
            (tr.t2("candidate-unit-in-progress", "met", &u.criteria_met, "total", &u.criteria_total), "warn")
        }
        _ => (tr.t("candidate-unit-not-started"), "warn"),
    };
    let confirmed = u.status == "confirmed";
    let met = u.criteria.iter().filter(|c| c.met || confirmed).map(|c| c.text.clone()).collect();
    let missing = u
        .criteria
        .iter()
        .filter(|c| !c.met && !confirmed)
        .map(|c| {
            let methods: Vec<&str> = v
                .gaps
                .iter()
                .chain(&v.other_gaps)
                .find(|g| g.criterion == c.id)
                .map(|g| g.methods.iter().map(|m| m.label.as_str()).collect())
                .unwrap_or_default();
            let why = c
                .records
                .iter()
                .filter(|r| !r.counts)
                .flat_map(|r| std::iter::once(r.explanation.clone()).chain(r.reasons.iter().cloned()))
                .collect();
            Missing { text: c.text.clone(), how: tr.t1("candidate-how", "methods", &methods.join(", ")), why }
        })
        .collect();
    UnitCard {
        code: u.code.clone(),
        title: u.title.clone(),
        status: u.status.clone(),
        label,
        class,
        explanation: u.explanation.clone(),
        met,
        missing,
    }
}

fn assessment_card(v: &ProgressView, tr: Tr) -> AssessmentCard {
    let qualification = v.qualification.as_deref().and_then(|code| {
        let q = v.qualifications.iter().find(|q| q.code == code)?;
        let label = match q.status.as_str() {
            "awarded" => tr.t("candidate-qualification-awarded"),
            "provisional" => tr.t("candidate-qualification-provisional"),
            _ => tr.t("candidate-qualification-not-yet"),
        };
        let target = v.target.as_ref().filter(|t| t.code == code);
        Some(QualificationCard {
            title: q.title.clone(),
            status: q.status.clone(),
            label,
            missing: match target {
                Some(t) => t.needs.iter().map(|n| n.explanation.clone()).collect(),
                None => q.missing.clone(),
            },
            closing_intro: target.and_then(|t| t.closing_intro.clone()),
            closing: target
                .map(|t| t.closing.iter().map(|c| c.explanation.clone()).collect())
                .unwrap_or_default(),
            capped_note: target.and_then(|t| t.capped_note.clone()),
        })
    });
    AssessmentCard {
        id: v.assessment_id.clone(),
        framework: v.framework_title.clone(),
        qualification,
        units: v.units.iter().map(|u| unit_card(v, u, tr)).collect(),
    }
}

#[derive(Template)]
#[template(path = "candidate/progress.html", config = "src/web/askama.toml")]
struct Progress {
    page: Page,
    assessments: Vec<AssessmentCard>,
    certificates: usize,
}

/// The candidate's progress in every assessment, in their language.
#[get("/candidate")]
pub async fn progress_page(state: web::Data<AppState>, s: Session) -> WebResult {
    s.require(&[Role::Candidate])?;
    let evs = my_evaluations(&state, &s.who).await?;
    let tr = s.tr();
    let assessments = evs.iter().map(|e| assessment_card(&progress_view(e, s.lang), tr)).collect();
    let user = s.who.user.id.clone();
    let held = db(&state, move |conn| {
        let cand = candidates::find_by_user(conn, &user)?;
        Ok(credentials::list_for_candidate(conn, &cand.id)?.len())
    })
    .await?;
    render(&Progress { page: s.page("candidate-title"), assessments, certificates: held })
}

/// One certificate, ready for the page.
pub struct CertificateCard {
    id: String,
    title: String,
    kind: String,
    framework: String,
    issued: String,
    valid_until: Option<String>,
    /// `valid`, `suspended`, `revoked` or `expired`.
    status: String,
    status_text: String,
    class: &'static str,
    reason: Option<String>,
    share_url: String,
    linkedin: String,
    /// The share URL as a QR code (an SVG data URI).
    qr: Option<String>,
}

/// The "Add to profile" address of LinkedIn's own form, filled in; nothing is sent by us.
pub fn linkedin_url(name: &str, organisation: &str, row: &CredentialRow, share_url: &str) -> String {
    let mut url = format!(
        "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name={}&organizationName={}&issueYear={}&issueMonth={}",
        urlencode(name),
        urlencode(organisation),
        row.issued_at.year(),
        row.issued_at.month()
    );
    if let Some(until) = row.valid_until {
        url.push_str(&format!("&expirationYear={}&expirationMonth={}", until.year(), until.month()));
    }
    url.push_str(&format!("&certUrl={}&certId={}", urlencode(share_url), urlencode(&row.id)));
    url
}

/// `url` as a QR code in an `<img src>`: an SVG data URI (the CSP allows `img-src data:`).
pub fn qr_data_uri(url: &str) -> Option<String> {
    let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M).ok()?;
    let svg = code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(160, 160).build();
    Some(format!("data:image/svg+xml;base64,{}", base64::engine::general_purpose::STANDARD.encode(svg)))
}

#[derive(Template)]
#[template(path = "candidate/certificates.html", config = "src/web/askama.toml")]
struct Certificates {
    page: Page,
    certificates: Vec<CertificateCard>,
}

/// The candidate's certificates: download, share, add to LinkedIn.
#[get("/candidate/certificates")]
pub async fn certificate_list(state: web::Data<AppState>, s: Session) -> WebResult {
    s.require(&[Role::Candidate])?;
    let user = s.who.user.id.clone();
    let tr = s.tr();
    let lang = s.lang;
    let st = state.clone();
    let now = chrono::Utc::now().naive_utc();
    let cards = db(&state, move |conn| {
        let cand = candidates::find_by_user(conn, &user)?;
        let organisation = organisations::find_by_id(conn, &cand.organisation_id)?;
        let zone = crate::service::clock::zone_of(&organisation)?;
        let local = |t: chrono::NaiveDateTime| crate::service::clock::today(zone, t.and_utc());
        let organisation = organisation.name;
        let mut cards = Vec::new();
        for row in credentials::list_for_candidate(conn, &cand.id)?.into_iter().rev() {
            let fw = st.cache.get(conn, &row.framework_id, &row.framework_version)?;
            let (title, kind) = if row.kind == "qualification" {
                let t = QualificationCode::parse(&row.achievement_code)
                    .ok()
                    .and_then(|c| fw.qualification(&c).map(|q| q.title.get(lang).to_owned()));
                (t, tr.t("candidate-kind-qualification"))
            } else {
                let t = UnitCode::parse(&row.achievement_code)
                    .ok()
                    .and_then(|c| fw.unit(&c).map(|u| u.title.get(lang).to_owned()));
                (t, tr.t("candidate-kind-unit"))
            };
            let title = title.unwrap_or_else(|| row.achievement_code.clone());
            let (status, reason) = status_of(&row);
            let status = if status == "valid" && row.valid_until.is_some_and(|u| u < now) {
                "expired"
            } else {
                status
            };
            let (status_text, class) = match status {
                "valid" => (tr.t("candidate-status-valid"), "ok"),
                "suspended" => (tr.t("candidate-status-suspended"), "warn"),
                "expired" => (tr.t("candidate-status-expired"), "warn"),
                _ => (tr.t("candidate-status-revoked"), "bad"),
            };
            let share_url = credential_url(&st.public_url, &row.id);
            cards.push(CertificateCard {
                id: row.id.clone(),
                kind,
                framework: fw.title.get(lang).to_owned(),
                issued: tr.date(&local(row.issued_at)),
                valid_until: row.valid_until.map(|t| tr.date(&local(t))),
                status: status.to_owned(),
                status_text,
                class,
                reason,
                linkedin: linkedin_url(&title, &organisation, &row, &share_url),
                qr: qr_data_uri(&share_url),
                share_url,
                title,
            });
        }
        Ok(cards)
    })
    .await?;
    render(&Certificates { page: s.page("candidate-certificates-title"), certificates: cards })
}

async fn own(
    state: &web::Data<AppState>,
    s: &Session,
    id: String,
) -> Result<CredentialRow, super::page::WebError> {
    s.require(&[Role::Candidate])?;
    Ok(find_accessible(state, &s.who, id, true).await?)
}

/// The certificate as a PDF, in the page's language.
#[get("/candidate/certificates/{id}/certificate.pdf")]
pub async fn pdf(state: web::Data<AppState>, s: Session, id: web::Path<String>) -> WebResult {
    let row = own(&state, &s, id.into_inner()).await?;
    Ok(pdf_response(&state, row, Some(s.lang)).await?)
}

/// The signed credential (JSON-LD), exactly as issued.
#[get("/candidate/certificates/{id}/credential.json")]
pub async fn json(state: web::Data<AppState>, s: Session, id: web::Path<String>) -> WebResult {
    Ok(json_response(own(&state, &s, id.into_inner()).await?))
}

/// The same credential as a VC-JWT.
#[get("/candidate/certificates/{id}/credential.jwt")]
pub async fn jwt(state: web::Data<AppState>, s: Session, id: web::Path<String>) -> WebResult {
    Ok(jwt_response(own(&state, &s, id.into_inner()).await?))
}

/// Registers the candidate's pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(progress_page).service(certificate_list).service(pdf).service(json).service(jwt);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_linkedin_address_is_encoded_and_complete() {
        let row = CredentialRow {
            id: "abc-123".into(),
            organisation_id: "o".into(),
            candidate_id: "c".into(),
            decision_id: "d".into(),
            kind: "unit".into(),
            achievement_code: "DBS-01".into(),
            framework_id: "f".into(),
            framework_version: "1".into(),
            key_id: "k".into(),
            status_index: 0,
            document: String::new(),
            jwt: String::new(),
            issued_at: chrono::NaiveDate::from_ymd_opt(2026, 3, 5).unwrap().and_hms_opt(10, 0, 0).unwrap(),
            valid_until: None,
            revoked_at: None,
            revocation_reason: None,
            suspended_at: None,
            suspension_reason: None,
            version: 1,
        };
        let url = linkedin_url("Städ & hygien", "Kommun A", &row, "https://v.example/v/abc-123");
        assert!(url.starts_with(
            "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=St%C3%A4d%20%26%20hygien&"
        ));
        assert!(url.contains("&organizationName=Kommun%20A&issueYear=2026&issueMonth=3&"));
        assert!(url.ends_with("&certUrl=https%3A//v.example/v/abc-123&certId=abc-123"));
        assert!(!url.contains("expirationYear"));
    }

    #[test]
    fn the_qr_code_is_an_svg_data_uri() {
        let uri = qr_data_uri("https://v.example/v/abc-123").unwrap();
        let b64 = uri.strip_prefix("data:image/svg+xml;base64,").unwrap();
        let svg = String::from_utf8(base64::engine::general_purpose::STANDARD.decode(b64).unwrap()).unwrap();
        assert!(svg.contains("<svg"), "{svg}");
    }
}
