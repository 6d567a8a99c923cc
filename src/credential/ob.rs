//! The Open Badges 3.0 `AchievementCredential` for a verified decision, before it is signed.
//!
//! Policy: the credential says what was achieved in Open Badges terms (`achievementType`,
//! `creditsAvailable`/`creditsEarned`, an EQF `alignment`, `evidence`) and carries as little
//! personal data as it needs: the candidate's name, and a salted hash instead of an e-mail.
//! Every term used is defined by the VC v2 and OB 3.0.3 contexts (checked when signing, in
//! JSON-LD safe mode).

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::engine::Level;

/// The VC Data Model 2.0 context; first in every credential.
pub const VC_V2_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
/// The Open Badges 3.0.3 context.
pub const OB_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// The Open Badges extensions context; defines `1EdTechJsonSchemaValidator2019`.
pub const OB_EXTENSIONS: &str = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json";
/// The official JSON Schema of an `AchievementCredential`, named in `credentialSchema` so that
/// verifiers check the shape as well as the signature.
pub const OB_SCHEMA: &str =
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";

/// What a credential certifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One unit of a framework (an OCN unit, shown as a competency).
    Unit,
    /// A whole qualification, its rules of combination met.
    Qualification,
}

/// The issuing organisation.
#[derive(Debug, Clone)]
pub struct Issuer {
    /// Its DID (`did:web:…`), the controller of its signing keys.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its public profile page.
    pub url: String,
}

/// The candidate, as little as the credential needs.
#[derive(Debug, Clone)]
pub struct Subject {
    /// Name as it should appear on the certificate.
    pub name: String,
    /// E-mail, or another stable identifier; only its salted hash is published.
    pub identifier: String,
    /// `emailAddress` or `sourcedId`.
    pub identifier_type: &'static str,
    /// Random salt for the hash, stored with the credential.
    pub salt: String,
}

/// What was achieved.
#[derive(Debug, Clone)]
pub struct Achieved {
    /// Unit or qualification.
    pub scope: Scope,
    /// A URL identifying the unit or qualification in its framework version.
    pub id: String,
    /// Its code in the framework.
    pub code: String,
    /// Its title.
    pub name: String,
    /// What it covers.
    pub description: String,
    /// The criteria, as a narrative (one line per assessment criterion, or per rule).
    pub criteria_narrative: String,
    /// OCN level (for a qualification: the highest level of its units).
    pub level: Level,
    /// Credit value.
    pub credits: u32,
    /// The framework's title and version, as `fieldOfStudy`.
    pub field_of_study: String,
    /// The units covered, for a qualification: (code, title, credits).
    pub units: Vec<(String, String, u32)>,
}

/// Methods that showed the achievement, summarised (never the evidence itself).
#[derive(Debug, Clone)]
pub struct EvidenceSummary {
    /// e.g. "Practical observation".
    pub name: String,
    /// e.g. "3 criteria observed by an assessor in a practical test, 2026-11-20".
    pub description: String,
}

/// The `genre` of the evidence entries that state the quality assurance chain.
pub const QUALITY_ASSURANCE: &str = "Quality assurance";

/// How one criterion was shown, as the credential states it: never the evidence itself.
#[derive(Debug, Clone)]
pub struct CriterionResult {
    /// Its reference in the framework, `UNIT/criterion` (`DBS-01/1.1`).
    pub reference: String,
    /// The reference and the criterion's text.
    pub name: String,
    /// How and when it was shown, in words (method and date).
    pub shown: String,
}

/// The status-list entry of a credential.
#[derive(Debug, Clone)]
pub struct StatusEntry {
    /// URL of the status list credential.
    pub list_url: String,
    /// Index in the list.
    pub index: u64,
}

/// Everything a credential says.
#[derive(Debug, Clone)]
pub struct Claim {
    /// The credential's URL (`…/v/{id}`).
    pub id: String,
    /// The credential's name in the holder's language, saying whether it is a unit certificate
    /// or a qualification.
    pub name: String,
    /// Who issues it.
    pub issuer: Issuer,
    /// From when it holds.
    pub valid_from: DateTime<Utc>,
    /// Until when, where the framework limits validity.
    pub valid_until: Option<DateTime<Utc>>,
    /// To whom.
    pub subject: Subject,
    /// For what.
    pub achieved: Achieved,
    /// How it was shown.
    pub evidence: Vec<EvidenceSummary>,
    /// Who quality-assured it, by role and date (names only where the organisation allows):
    /// written as evidence of genre [`QUALITY_ASSURANCE`].
    pub quality: Vec<EvidenceSummary>,
    /// Per criterion, how and when it was shown: the achievement's `resultDescription` and the
    /// subject's `result`, one each.
    pub results: Vec<CriterionResult>,
    /// Where its revocation status is published.
    pub status: StatusEntry,
}

fn datetime(t: DateTime<Utc>, offset: FixedOffset) -> String {
    t.with_timezone(&offset).to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `sha256$` + hex of SHA-256(identifier ‖ salt), as OB 3.0's `IdentityObject` describes.
pub fn identity_hash(identifier: &str, salt: &str) -> String {
    format!("sha256${}", hex::encode(Sha256::digest(format!("{identifier}{salt}").as_bytes())))
}

/// The unsigned credential, its times in UTC.
pub fn build(c: &Claim) -> Value {
    build_at(c, FixedOffset::east_opt(0).expect("UTC is an offset"))
}

/// The unsigned credential, its times written with `offset`: the issuer's local offset at
/// issue, so the date a reader takes from `validFrom` is the issuer's calendar date.
pub fn build_at(c: &Claim, offset: FixedOffset) -> Value {
    let a = &c.achieved;
    let achievement_type = match a.scope {
        Scope::Unit => "Competency",
        Scope::Qualification => "Certificate",
    };
    let eqf = a.level.eqf();
    let achievement = json!({
        "id": a.id,
        "type": ["Achievement"],
        "achievementType": achievement_type,
        "name": a.name,
        "description": a.description,
        "criteria": { "narrative": a.criteria_narrative },
        "creditsAvailable": a.credits,
        "fieldOfStudy": a.field_of_study,
        "humanCode": a.code,
        "alignment": [{
            "type": ["Alignment"],
            "targetName": format!("EQF level {eqf}"),
            "targetDescription": format!("OCN level {}, referenced to level {eqf} of the European Qualifications Framework", a.level),
            "targetUrl": "https://europass.europa.eu/en/description-eight-eqf-levels",
            "targetFramework": "European Qualifications Framework",
            "targetCode": eqf.to_string(),
        }],
    });
    let mut subject = json!({
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": false,
                "identityHash": c.subject.name,
            },
            {
                "type": "IdentityObject",
                "identityType": c.subject.identifier_type,
                "hashed": true,
                "identityHash": identity_hash(&c.subject.identifier, &c.subject.salt),
                "salt": c.subject.salt,
            }
        ],
        "achievement": achievement,
        "creditsEarned": a.credits,
    });
    if !c.results.is_empty() {
        let described = |r: &CriterionResult| format!("{}#criterion-{}", a.id, r.reference);
        subject["achievement"]["resultDescription"] = c
            .results
            .iter()
            .map(|r| {
                json!({
                    "id": described(r),
                    "type": ["ResultDescription"],
                    "name": r.name,
                    "resultType": "Status",
                })
            })
            .collect();
        subject["result"] = c
            .results
            .iter()
            .map(|r| {
                json!({
                    "type": ["Result"],
                    "resultDescription": described(r),
                    "status": "Completed",
                    "value": r.shown,
                })
            })
            .collect();
    }
    if !a.units.is_empty() {
        let lines: Vec<String> =
            a.units.iter().map(|(code, title, credits)| format!("{code} {title} ({credits})")).collect();
        subject["narrative"] = json!(lines.join("\n"));
    }
    let mut credential = json!({
        "@context": [VC_V2_CONTEXT, OB_CONTEXT, OB_EXTENSIONS],
        "id": c.id,
        "type": ["VerifiableCredential", "AchievementCredential"],
        "name": c.name,
        "issuer": {
            "id": c.issuer.id,
            "type": ["Profile"],
            "name": c.issuer.name,
            "url": c.issuer.url,
        },
        "validFrom": datetime(c.valid_from, offset),
        "credentialSubject": subject,
        "evidence": c.evidence.iter().map(|e| json!({
            "type": ["Evidence"],
            "name": e.name,
            "description": e.description,
        })).chain(c.quality.iter().map(|e| json!({
            "type": ["Evidence"],
            "name": e.name,
            "description": e.description,
            "genre": QUALITY_ASSURANCE,
        }))).collect::<Vec<_>>(),
        "credentialSchema": [{ "id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019" }],
        "credentialStatus": {
            "id": format!("{}#{}", c.status.list_url, c.status.index),
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": c.status.index.to_string(),
            "statusListCredential": c.status.list_url,
        },
    });
    if let Some(until) = c.valid_until {
        credential["validUntil"] = json!(datetime(until, offset));
    }
    credential
}

/// One unit a credential says was achieved, read back from what [`build`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedUnit {
    /// Its code in the framework.
    pub code: String,
    /// Its title, in the language the credential was issued in.
    pub title: String,
    /// Its level, where the credential states it.
    pub level: Option<Level>,
    /// Its credit value, where the credential states it.
    pub credits: Option<u32>,
}

/// Per criterion result `credential` states, one line: the criterion (its result description's
/// name), and how and when it was shown.
pub fn result_lines(credential: &Value) -> Vec<String> {
    let described: Vec<(&str, &str)> = credential["credentialSubject"]["achievement"]["resultDescription"]
        .as_array()
        .map(|ds| ds.iter().filter_map(|d| Some((d["id"].as_str()?, d["name"].as_str()?))).collect())
        .unwrap_or_default();
    credential["credentialSubject"]["result"]
        .as_array()
        .map(|rs| {
            rs.iter()
                .filter_map(|r| {
                    let id = r["resultDescription"].as_str()?;
                    let name = described.iter().find(|(d, _)| *d == id).map_or(id, |(_, n)| *n);
                    Some(match r["value"].as_str() {
                        Some(v) => format!("{name} – {v}"),
                        None => name.to_owned(),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The quality assurance chain `credential` states, one line per step: `role: what and when`.
pub fn quality_lines(credential: &Value) -> Vec<String> {
    credential["evidence"]
        .as_array()
        .map(|es| {
            es.iter()
                .filter(|e| e["genre"] == QUALITY_ASSURANCE)
                .filter_map(|e| Some(format!("{}: {}", e["name"].as_str()?, e["description"].as_str()?)))
                .collect()
        })
        .unwrap_or_default()
}

/// The holder's name as `credential` states it (the unhashed `name` identity).
pub fn holder_name(credential: &Value) -> Option<&str> {
    credential["credentialSubject"]["identifier"]
        .as_array()?
        .iter()
        .find(|i| i["identityType"] == "name" && i["hashed"] == false)?["identityHash"]
        .as_str()
}

/// Whether `credential` certifies a qualification (`achievementType` `Certificate`) rather than
/// one unit.
pub fn is_qualification(credential: &Value) -> bool {
    credential["credentialSubject"]["achievement"]["achievementType"] == "Certificate"
}

/// The units `credential` says were achieved: for a unit credential the achievement itself, for
/// a qualification one per line of the subject's narrative (`CODE TITLE (credits)`), with the
/// level from the matching line of the criteria (`CODE TITLE (level in words)`). The credential
/// is the record of what was awarded, so the printed certificate lists exactly these.
pub fn listed_units(credential: &Value) -> Vec<ListedUnit> {
    let a = &credential["credentialSubject"]["achievement"];
    let credits = |v: &Value| v.as_u64().and_then(|n| u32::try_from(n).ok());
    if !is_qualification(credential) {
        let Some(code) = a["humanCode"].as_str() else { return Vec::new() };
        let level = a["alignment"][0]["targetDescription"]
            .as_str()
            .and_then(|d| d.strip_prefix("OCN level "))
            .and_then(|d| d.split(',').next())
            .and_then(|l| l.parse().ok());
        return vec![ListedUnit {
            code: code.to_owned(),
            title: a["name"].as_str().unwrap_or_default().to_owned(),
            level,
            credits: credits(&a["creditsAvailable"]),
        }];
    }
    // `CODE TITLE (tail)`: the code has no spaces; the title may contain parentheses of its own.
    fn split(line: &str) -> Option<(&str, &str, &str)> {
        let (code, rest) = line.trim().split_once(' ')?;
        let (title, tail) = rest.strip_suffix(')')?.rsplit_once(" (")?;
        Some((code, title, tail))
    }
    let criteria = a["criteria"]["narrative"].as_str().unwrap_or_default();
    let level_of = |code: &str| {
        criteria
            .lines()
            .filter_map(split)
            .find(|(c, ..)| *c == code)
            .and_then(|(.., words)| crate::engine::explain::parse_level(words))
    };
    credential["credentialSubject"]["narrative"]
        .as_str()
        .unwrap_or_default()
        .lines()
        .filter_map(split)
        .map(|(code, title, n)| ListedUnit {
            code: code.to_owned(),
            title: title.to_owned(),
            level: level_of(code),
            credits: n.parse().ok(),
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn sample() -> Claim {
        Claim {
            id: "https://validera.example/v/3f6c".into(),
            name: "Intyg: Videomöten".into(),
            issuer: Issuer {
                id: "did:web:validera.example:issuers:org1".into(),
                name: "Norrby kommun".into(),
                url: "https://validera.example/issuers/org1".into(),
            },
            valid_from: DateTime::parse_from_rfc3339("2026-11-27T10:00:00Z").unwrap().with_timezone(&Utc),
            valid_until: None,
            subject: Subject {
                name: "Áilu Ŋuvttoš".into(),
                identifier: "ailu@example.test".into(),
                identifier_type: "emailAddress",
                salt: "c2FsdA".into(),
            },
            achieved: Achieved {
                scope: Scope::Unit,
                id: "https://validera.example/frameworks/test-skills/2026.1/units/DBS-04".into(),
                code: "DBS-04".into(),
                name: "Videomöten".into(),
                description: "Delta i videomöten.".into(),
                criteria_narrative: "1.1 Ansluta till ett videomöte".into(),
                level: Level::numbered(2).unwrap(),
                credits: 6,
                field_of_study: "Digitala grundfärdigheter 2026.1".into(),
                units: vec![],
            },
            evidence: vec![EvidenceSummary {
                name: "Praktiskt prov".into(),
                description: "1 kriterium observerat".into(),
            }],
            quality: vec![
                EvidenceSummary {
                    name: "Bedömare".into(),
                    description: "Beslut föreslaget 2026-11-26".into(),
                },
                EvidenceSummary {
                    name: "Intern kvalitetssäkrare".into(),
                    description: "Bekräftat 2026-11-27".into(),
                },
            ],
            results: vec![CriterionResult {
                reference: "DBS-04/1.1".into(),
                name: "DBS-04/1.1 Ansluta till ett videomöte".into(),
                shown: "Praktiskt prov, 2026-11-20".into(),
            }],
            status: StatusEntry {
                list_url: "https://validera.example/status/org1/revocation".into(),
                index: 94567,
            },
        }
    }

    #[test]
    fn criterion_results_point_at_their_descriptions_and_the_qa_chain_is_evidence() {
        let v = build(&sample());
        let described = &v["credentialSubject"]["achievement"]["resultDescription"][0];
        let result = &v["credentialSubject"]["result"][0];
        assert_eq!(described["id"], format!("{}#criterion-DBS-04/1.1", sample().achieved.id));
        assert_eq!(result["resultDescription"], described["id"]);
        assert_eq!(
            (result["status"].as_str(), described["resultType"].as_str()),
            (Some("Completed"), Some("Status"))
        );
        assert_eq!(result["value"], "Praktiskt prov, 2026-11-20");
        let qa: Vec<&Value> =
            v["evidence"].as_array().unwrap().iter().filter(|e| e["genre"] == QUALITY_ASSURANCE).collect();
        assert_eq!(qa.len(), 2);
        assert_eq!(qa[1]["description"], "Bekräftat 2026-11-27");
    }

    #[test]
    fn the_credential_has_the_shape_the_ob_schema_requires() {
        let v = build(&sample());
        assert_eq!(v["@context"][0], VC_V2_CONTEXT);
        assert_eq!(v["@context"][1], OB_CONTEXT);
        assert_eq!(v["type"], json!(["VerifiableCredential", "AchievementCredential"]));
        assert_eq!(v["issuer"]["type"], json!(["Profile"]));
        assert_eq!(v["validFrom"], "2026-11-27T10:00:00Z");
        assert!(v.get("validUntil").is_none());
        let a = &v["credentialSubject"]["achievement"];
        for field in ["id", "type", "name", "description", "criteria"] {
            assert!(a.get(field).is_some(), "achievement.{field}");
        }
        assert_eq!(a["alignment"][0]["targetCode"], "3", "OCN level 2 is EQF level 3");
        assert_eq!(v["credentialStatus"]["statusListIndex"], "94567", "a string of digits");
    }

    #[test]
    fn the_email_is_published_only_as_a_salted_hash() {
        let v = build(&sample());
        let text = v.to_string();
        assert!(!text.contains("ailu@example.test"));
        let ids = &v["credentialSubject"]["identifier"];
        assert_eq!(ids[0]["identityHash"], "Áilu Ŋuvttoš");
        assert_eq!(ids[1]["identityHash"], identity_hash("ailu@example.test", "c2FsdA"));
        assert_ne!(identity_hash("ailu@example.test", "c2FsdA"), identity_hash("ailu@example.test", "other"));
    }

    #[test]
    fn validity_appears_only_where_the_framework_limits_it() {
        let mut c = sample();
        c.valid_until = Some(c.valid_from + chrono::Duration::days(365 * 5));
        assert_eq!(build(&c)["validUntil"], "2031-11-26T10:00:00Z");
    }

    #[test]
    fn times_are_written_in_the_issuers_offset_so_the_date_is_its_local_date() {
        let mut c = sample();
        c.valid_from = DateTime::parse_from_rfc3339("2026-11-30T23:30:00Z").unwrap().with_timezone(&Utc);
        c.valid_until = Some(c.valid_from + chrono::Duration::days(365));
        let v = build_at(&c, FixedOffset::east_opt(3600).unwrap());
        assert_eq!(v["validFrom"], "2026-12-01T00:30:00+01:00");
        assert_eq!(v["validUntil"], "2027-12-01T00:30:00+01:00");
    }

    #[test]
    fn the_units_listed_read_back_as_they_were_written() {
        let unit = build(&sample());
        assert_eq!(
            listed_units(&unit),
            vec![ListedUnit {
                code: "DBS-04".into(),
                title: "Videomöten".into(),
                level: Some(Level::numbered(2).unwrap()),
                credits: Some(6),
            }]
        );
        let mut q = sample();
        q.achieved.scope = Scope::Qualification;
        q.achieved.code = "DBS".into();
        q.achieved.criteria_narrative =
            "DBS-01 Grunder (i praktiken) (instegsnivå 3)\nDBS-04 Videomöten (nivå 2)".into();
        q.achieved.units = vec![
            ("DBS-01".into(), "Grunder (i praktiken)".into(), 3),
            ("DBS-04".into(), "Videomöten".into(), 6),
        ];
        let listed = listed_units(&build(&q));
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[0].title, "Grunder (i praktiken)", "a title's own parentheses survive");
        assert_eq!(listed[0].level, Some(Level::entry(3).unwrap()));
        assert_eq!((listed[1].code.as_str(), listed[1].credits), ("DBS-04", Some(6)));
    }
}
