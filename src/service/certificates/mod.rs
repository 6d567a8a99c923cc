//! Issuing certificates for a verified decision, and the status list behind revocation.
//!
//! Policy: a certificate is issued only from a `VerifiedDecision`, inside the transaction that
//! confirms it; the signed document is stored byte for byte. It changes only when its signing
//! key is declared compromised ([`resign_after_compromise`]): then the old bytes go to the
//! history. Revocation and suspension set a bit at a random index in the organisation's list
//! and re-sign the list at once.

mod printed;
mod status;

pub use printed::pdf_document;
use status::status_list;
pub use status::{StatusChange, StatusRequest, change_status, published_list, refresh_lists};
pub(crate) use status::{hold_list, resign_list};

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Datelike, NaiveDateTime, Timelike, Utc};
use rand::Rng;
use serde_json::Value;

use super::ServiceError;
use super::frameworks::FrameworkCache;
use super::keys;
use crate::credential::keys::MasterKey;
use crate::credential::ob::{
    self, Achieved, Claim, CriterionResult, EvidenceSummary, Issuer, Scope, StatusEntry, Subject,
};
use crate::credential::{did, jwt, proof};
use crate::db::models::{Assessment, CredentialRow, Decision};
use crate::db::queries::{candidates, credentials as q, organisations, records};
use crate::db::{DbConnection, DbError};
use crate::engine::explain;
use crate::engine::framework::{Framework, Method, Unit};
use crate::engine::ids::UnitCode;
use crate::engine::records::RecordBody;
use crate::engine::{Lang, VerifiedDecision};
use crate::i18n::Tr;

/// What issuing needs besides the database.
pub struct Issuing<'a> {
    /// Opens signing keys.
    pub master: &'a MasterKey,
    /// Base URL of the service.
    pub public_url: &'a str,
    /// Framework versions.
    pub cache: &'a FrameworkCache,
    /// How long a signed status list is valid (`validUntil - validFrom`).
    pub list_validity: chrono::Duration,
    /// When a certificate is issued.
    pub clock: super::clock::Clock,
}

/// The status purpose every credential carries.
pub const REVOCATION: &str = "revocation";

/// URL of an organisation's status list credential.
pub fn status_list_url(public_url: &str, org: &str) -> String {
    format!("{public_url}/status/{org}/{REVOCATION}")
}

/// URL of a credential, which is also its public verification page.
pub fn credential_url(public_url: &str, id: &str) -> String {
    format!("{public_url}/v/{id}")
}

/// The DID of an organisation as issuer.
pub fn issuer_did(public_url: &str, org: &str) -> String {
    did::did_web(public_url, &["issuers", org])
}

fn to_utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

fn corrupt(e: impl std::fmt::Display) -> ServiceError {
    DbError::Corrupt(e.to_string()).into()
}

/// The text with its first letter in upper case (method and level names start sentences).
fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A random free index: indexes say nothing about order of issue or who holds them.
fn free_index(conn: &mut DbConnection, org: &str, size: i64) -> Result<i64, ServiceError> {
    let mut rng = rand::thread_rng();
    for _ in 0..64 {
        let i = rng.gen_range(0..size);
        if !q::index_taken(conn, org, i)? {
            return Ok(i);
        }
    }
    Err(DbError::Conflict("the status list is full; it needs a second list".into()).into())
}

fn criteria_narrative(unit: &Unit, lang: Lang) -> String {
    unit.criteria().map(|c| format!("{} {}", c.id, c.text.get(lang))).collect::<Vec<_>>().join("\n")
}

/// Per method: how many criteria of `units` the decision's records showed, and the last date;
/// and per criterion of `units` (in the framework's order), the method and date of the last
/// record that showed it.
fn evidence(
    conn: &mut DbConnection,
    decision: &Decision,
    framework: &Framework,
    units: &[&UnitCode],
    lang: Lang,
) -> Result<(Vec<EvidenceSummary>, Vec<CriterionResult>), ServiceError> {
    let based_on: Vec<String> = serde_json::from_str(&decision.based_on).map_err(corrupt)?;
    let revisions = records::list_revisions(conn, &decision.assessment_id)?;
    let mut by_method: BTreeMap<Method, (usize, chrono::NaiveDate)> = BTreeMap::new();
    let mut shown: BTreeMap<String, (Method, chrono::NaiveDate)> = BTreeMap::new();
    for rev in revisions.iter().filter(|r| based_on.contains(&r.id)) {
        let rec = rev.to_engine()?;
        let (method, refs): (Method, Vec<_>) = match &rec.body {
            RecordBody::Mapping(_) => continue,
            RecordBody::Theory(t) if t.score.passed() => (Method::Theory, t.criteria.clone()),
            RecordBody::Theory(_) => continue,
            RecordBody::Practical(p) => {
                (Method::Practical, p.items.iter().filter(|i| i.met).map(|i| i.criterion.clone()).collect())
            }
            RecordBody::Evidence(e) if e.judgement.accepted() => {
                (Method::Evidence(e.kind), e.criteria.clone())
            }
            RecordBody::Evidence(_) => continue,
        };
        for r in refs.iter().filter(|r| units.contains(&&r.unit)) {
            let entry = shown.entry(r.to_string()).or_insert((method, rec.date));
            if rec.date > entry.1 {
                *entry = (method, rec.date);
            }
        }
        let n = refs.iter().filter(|r| units.contains(&&r.unit)).count();
        if n > 0 {
            let entry = by_method.entry(method).or_insert((0, rec.date));
            entry.0 += n;
            entry.1 = entry.1.max(rec.date);
        }
    }
    let tr = Tr::new(lang);
    let results = units
        .iter()
        .filter_map(|code| framework.unit(code))
        .flat_map(|u| u.criteria().map(move |c| (u.criterion_ref(c).to_string(), c)))
        .filter_map(|(reference, c)| {
            let (method, date) = shown.get(&reference)?;
            let how = tr.ta(
                "certificate-criterion-shown",
                &[
                    ("method", capitalized(&explain::method(*method, lang)).into()),
                    ("date", tr.date(date).into()),
                ],
            );
            Some(CriterionResult { name: format!("{reference} {}", c.text.get(lang)), reference, shown: how })
        })
        .collect();
    let summaries = by_method
        .into_iter()
        .map(|(m, (n, date))| {
            let name = capitalized(&explain::method(m, lang));
            let description =
                tr.ta("certificate-evidence", &[("count", n.into()), ("date", tr.date(&date).into())]);
            EvidenceSummary { name, description }
        })
        .collect();
    Ok((summaries, results))
}

/// The quality assurance chain behind `decision`, by role and the organisation's local date:
/// the assessor's proposal, the internal verifier's confirmation (`confirmed_at`), and the
/// external quality assurer's agreement when the certificates waited for it. Names only when
/// the organisation allows it (`names`): the roles are what a reader needs to trust the
/// result, and a name is personal data the people may not want published.
#[expect(clippy::too_many_arguments, reason = "each is a separate fact of the chain")]
fn quality_chain(
    conn: &mut DbConnection,
    org: &str,
    decision: &Decision,
    verifier: &str,
    confirmed_at: NaiveDateTime,
    zone: chrono_tz::Tz,
    names: bool,
    tr: Tr,
) -> Result<Vec<EvidenceSummary>, ServiceError> {
    let sample = crate::db::queries::eqa::find_sample(conn, org, &decision.id)?;
    let day = |t: NaiveDateTime| tr.date(&super::clock::local(zone, to_utc(t)).date_naive());
    let mut step = |role: &str, did: &str, t: NaiveDateTime, who: Option<&str>| {
        let role = tr.t(role);
        let name = match who {
            // The assurer may be an account of the awarding body, not of `org`.
            Some(id) if names => {
                let person = crate::db::queries::users::find_by_id(conn, id)?.display_name;
                tr.t2("certificate-qa-role-named", "role", &role, "name", &person)
            }
            _ => role,
        };
        Ok::<_, ServiceError>(EvidenceSummary { name, description: tr.t1(did, "date", &day(t)) })
    };
    let mut chain = vec![
        step(
            "certificate-qa-assessor",
            "certificate-qa-assessed",
            decision.submitted_at,
            Some(&decision.submitted_by),
        )?,
        step(
            "certificate-qa-verifier",
            "certificate-qa-verified",
            decision.verified_at.unwrap_or(confirmed_at),
            Some(verifier),
        )?,
    ];
    if let Some(s) = sample
        && s.status == crate::db::queries::eqa::AGREED
        && let Some(at) = s.decided_at
    {
        chain.push(step("certificate-qa-assurer", "certificate-qa-agreed", at, s.assurer_id.as_deref())?);
    }
    Ok(chain)
}

fn valid_until(from: DateTime<Utc>, years: Option<u8>) -> Option<DateTime<Utc>> {
    years.and_then(|y| {
        from.with_year(from.year() + i32::from(y))
            .or_else(|| from.checked_add_signed(chrono::Duration::days(365 * i64::from(y))))
    })
}

struct Draft {
    scope: Scope,
    code: String,
    achieved: Achieved,
    units: Vec<UnitCode>,
    validity_years: Option<u8>,
}

fn drafts(
    framework: &Framework,
    v: &VerifiedDecision,
    confirmed: &[UnitCode],
    lang: Lang,
    public_url: &str,
) -> Vec<Draft> {
    let fw_url = format!("{public_url}/frameworks/{}/{}", framework.id, framework.version);
    let field = format!("{} {}", framework.title.get(lang), framework.version);
    let mut out: Vec<Draft> = v
        .decision()
        .units()
        .iter()
        .filter_map(|code| framework.unit(code))
        .map(|u| Draft {
            scope: Scope::Unit,
            code: u.code.to_string(),
            achieved: Achieved {
                scope: Scope::Unit,
                id: format!("{fw_url}/units/{}", u.code),
                code: u.code.to_string(),
                name: u.title.get(lang).to_owned(),
                description: u.description.get(lang).to_owned(),
                criteria_narrative: criteria_narrative(u, lang),
                level: u.level,
                credits: u32::from(u.credits),
                field_of_study: field.clone(),
                units: vec![],
            },
            units: vec![u.code.clone()],
            validity_years: u.validity_years,
        })
        .collect();
    if let Some(q) = v.decision().qualification().and_then(|c| framework.qualification(c)) {
        let achieved: Vec<&Unit> = q
            .rules
            .units()
            .into_iter()
            .filter(|c| confirmed.contains(c) || v.decision().units().contains(c))
            .filter_map(|c| framework.unit(c))
            .collect();
        out.push(Draft {
            scope: Scope::Qualification,
            code: q.code.to_string(),
            achieved: Achieved {
                scope: Scope::Qualification,
                id: format!("{fw_url}/qualifications/{}", q.code),
                code: q.code.to_string(),
                name: q.title.get(lang).to_owned(),
                description: q.description.get(lang).to_owned(),
                criteria_narrative: achieved
                    .iter()
                    .map(|u| format!("{} {} ({})", u.code, u.title.get(lang), explain::level(u.level, lang)))
                    .collect::<Vec<_>>()
                    .join("\n"),
                level: achieved.iter().map(|u| u.level).max().unwrap_or(framework.units[0].level),
                credits: achieved.iter().map(|u| u32::from(u.credits)).sum(),
                field_of_study: field.clone(),
                units: achieved
                    .iter()
                    .map(|u| (u.code.to_string(), u.title.get(lang).to_owned(), u32::from(u.credits)))
                    .collect(),
            },
            units: achieved.iter().map(|u| u.code.clone()).collect(),
            validity_years: q.validity_years,
        });
    }
    out
}

/// Issues a credential for each unit of the verified decision and for its qualification.
/// Runs inside the caller's transaction.
pub fn issue(
    conn: &mut DbConnection,
    ctx: &Issuing<'_>,
    assessment: &Assessment,
    decision: &Decision,
    verified: &VerifiedDecision,
    confirmed_before: &[UnitCode],
) -> Result<Vec<CredentialRow>, ServiceError> {
    let org = &assessment.organisation_id;
    let framework = ctx.cache.get(conn, &assessment.framework_id, &assessment.framework_version)?;
    let candidate = candidates::find_in_org(conn, org, &assessment.candidate_id)?;
    let organisation = organisations::find_by_id(conn, org)?;
    let lang: Lang = candidate.language.parse().unwrap_or_default();
    let tr = Tr::new(lang);
    // The list first: it is held to the end, so indexes are allocated one issue at a time,
    // and the key read after it is the one a compromise or rotation that held it left active.
    let list = status_list(conn, ctx, org)?;
    let (kid, key) = keys::active(conn, ctx.master, org)?;
    let issuer = Issuer {
        id: issuer_did(ctx.public_url, org),
        name: organisation.name.clone(),
        url: format!("{}/issuers/{org}", ctx.public_url),
    };
    let (identifier, identifier_type) = match &candidate.email {
        Some(e) => (e.clone(), "emailAddress"),
        None => (candidate.id.clone(), "sourcedId"),
    };
    // Credentials state times to the second; the stored row agrees with the document. They
    // are written with the organisation's offset, so `validFrom`'s date is its local date.
    let now = ctx.clock.now();
    let zone = super::clock::zone_of(&organisation)?;
    let offset = *super::clock::local(zone, now).offset();
    let names = organisation.names_in_credentials;
    // The decision row may be the one read before confirmation: the verifier comes from the
    // verified decision.
    let verifier = verified.verifier().0.as_str();
    let quality = quality_chain(conn, org, decision, verifier, now.naive_utc(), zone, names, tr)?;
    let mut issued = Vec::new();
    for d in drafts(&framework, verified, confirmed_before, lang, ctx.public_url) {
        let id = uuid::Uuid::new_v4().to_string();
        let index = free_index(conn, org, list.size)?;
        let unit_refs: Vec<&UnitCode> = d.units.iter().collect();
        let (evidence, results) = evidence(conn, decision, &framework, &unit_refs, lang)?;
        let label = match d.scope {
            Scope::Unit => tr.t("certificate-name-unit"),
            Scope::Qualification => tr.t("certificate-name-qualification"),
        };
        let claim = Claim {
            id: credential_url(ctx.public_url, &id),
            name: format!("{label}: {}", d.achieved.name),
            issuer: issuer.clone(),
            valid_from: now,
            valid_until: valid_until(now, d.validity_years),
            subject: Subject {
                name: candidate.display_name.clone(),
                identifier: identifier.clone(),
                identifier_type,
                salt: URL_SAFE_NO_PAD.encode(rand::thread_rng().r#gen::<[u8; 16]>()),
            },
            achieved: d.achieved,
            evidence,
            quality: quality.clone(),
            results,
            status: StatusEntry {
                list_url: status_list_url(ctx.public_url, org),
                index: index.unsigned_abs(),
            },
        };
        let unsigned = ob::build_at(&claim, offset);
        let signed: Value =
            proof::sign(&unsigned, &key, &format!("{}#{kid}", issuer.id), now).map_err(corrupt)?;
        let token = jwt::sign(&unsigned, &kid, &key).map_err(corrupt)?;
        let row = CredentialRow {
            id,
            organisation_id: org.clone(),
            candidate_id: candidate.id.clone(),
            decision_id: decision.id.clone(),
            kind: match d.scope {
                Scope::Unit => "unit",
                Scope::Qualification => "qualification",
            }
            .to_owned(),
            achievement_code: d.code,
            framework_id: assessment.framework_id.clone(),
            framework_version: assessment.framework_version.clone(),
            key_id: kid.clone(),
            status_index: index,
            document: serde_json::to_string(&signed).map_err(corrupt)?,
            jwt: token,
            issued_at: now.naive_utc(),
            valid_until: claim.valid_until.map(|t| t.naive_utc()),
            revoked_at: None,
            revocation_reason: None,
            suspended_at: None,
            suspension_reason: None,
            version: 1,
        };
        q::insert_credential(conn, &row)?;
        tracing::info!(credential_id = %row.id, kind = %row.kind, code = %row.achievement_code, "certificate issued");
        issued.push(row);
    }
    Ok(issued)
}

/// Re-signs with `(new_kid, new_key)` every credential of `org` that `compromised` signed
/// before `from`: same id and content, a new proof and VC-JWT. The bytes each had before go to
/// the history. Credentials `compromised` signed on or after `from` are left as they are: they
/// must fail verification. Runs in the caller's transaction; returns how many it re-signed.
pub(crate) fn resign_after_compromise(
    conn: &mut DbConnection,
    ctx: &Issuing<'_>,
    org: &str,
    compromised: &str,
    from: NaiveDateTime,
    (new_kid, new_key): (&str, &ed25519_dalek::SigningKey),
) -> Result<usize, ServiceError> {
    let rows = q::list_signed_before(conn, org, compromised, from)?;
    let now = to_utc(super::now()).with_nanosecond(0).unwrap_or_else(Utc::now);
    for row in &rows {
        let mut unsigned: Value = serde_json::from_str(&row.document).map_err(corrupt)?;
        unsigned
            .as_object_mut()
            .ok_or_else(|| corrupt("a stored credential is not an object"))?
            .remove("proof");
        // The key must belong to the issuer the credential names: the DID it was issued under,
        // even if the service's URL has changed since.
        let issuer =
            unsigned["issuer"]["id"].as_str().map_or_else(|| issuer_did(ctx.public_url, org), str::to_owned);
        let signed = proof::sign(&unsigned, new_key, &format!("{issuer}#{new_kid}"), now).map_err(corrupt)?;
        let token = jwt::sign(&unsigned, new_kid, new_key).map_err(corrupt)?;
        q::insert_history(
            conn,
            &crate::db::models::CredentialHistoryRow {
                id: uuid::Uuid::new_v4().to_string(),
                credential_id: row.id.clone(),
                key_id: row.key_id.clone(),
                document: row.document.clone(),
                jwt: row.jwt.clone(),
                replaced_at: now.naive_utc(),
                reason: format!("key {compromised} compromised"),
            },
        )?;
        q::replace_signed(conn, &row.id, new_kid, &serde_json::to_string(&signed).map_err(corrupt)?, &token)?;
    }
    if !rows.is_empty() {
        tracing::warn!(organisation_id = %org, compromised, count = rows.len(), "certificates re-signed after key compromise");
    }
    Ok(rows.len())
}
