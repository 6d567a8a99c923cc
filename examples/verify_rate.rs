//! validera's side of the side-by-side bench (`benches/compare/run.sh`): how many cold Data
//! Integrity verifications (`eddsa-rdfc-2022`: safe-mode JSON-LD, RDFC-1.0, Ed25519) and
//! signatures one thread does per second on a set of unit certificates.
//!
//! - `verify_rate write DIR COUNT`: builds COUNT unit certificates as the service does
//!   (`ob::build`, then `proof::sign`, names with Sami letters and å, ä, ö, nine criteria with a
//!   result each, the QA chain of assessor, internal verifier and assurer), signed
//!   with a fixed test key of the issuer `did:web:validera.example:issuers:bench`; writes
//!   DIR/credentials.jsonl (one per line) and DIR/did.json (the issuer's DID document).
//! - `verify_rate verify DIR SECONDS`: parses and verifies them round-robin for SECONDS.
//! - `verify_rate sign DIR SECONDS`: parses each one without its proof and signs it again.
//!
//! Nothing is remembered between iterations but what the library keeps per process by design
//! (the bundled contexts, and whatever else `credential::` caches); no `ProofCache`. Prints one
//! line, `validera OP count=N seconds=S per_second=R`. Run it on one core: `taskset -c 0`.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use ed25519_dalek::SigningKey;
use serde_json::Value;
use validera::credential::ob::{
    self, Achieved, Claim, CriterionResult, EvidenceSummary, Issuer, Scope, StatusEntry, Subject,
};
use validera::credential::{did, proof};
use validera::engine::Level;

const DID: &str = "did:web:validera.example:issuers:bench";
const KID: &str = "key-1";

fn key() -> SigningKey {
    SigningKey::from_bytes(&[7; 32])
}

fn created() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-27T10:00:00Z").expect("date").with_timezone(&Utc)
}

fn claim(i: usize) -> Claim {
    const GIVEN: [&str; 6] = ["Áilu", "Máret", "Åsa", "Jörgen", "Päivi", "Đuommá"];
    const FAMILY: [&str; 5] = ["Ŋuvttoš", "Sárá", "Öberg", "Mäkelä", "Åström"];
    let unit = i % 7 + 1;
    Claim {
        id: format!("https://validera.example/v/4f1c2b9e-7d3a-4e6b-9a1f-{i:012x}"),
        name: format!("Intyg: Godsmottagning och inlagring, del {unit}"),
        issuer: Issuer {
            id: DID.into(),
            name: "Kommunalförbundet Norrlandskusten".into(),
            url: "https://validera.example/issuers/bench".into(),
        },
        valid_from: created(),
        valid_until: None,
        subject: Subject {
            name: format!("{} {} {i}", GIVEN[i % GIVEN.len()], FAMILY[i % FAMILY.len()]),
            identifier: format!("candidate{i}@example.test"),
            identifier_type: "emailAddress",
            salt: format!("c2FsdHNhbHQ{i}"),
        },
        achieved: Achieved {
            scope: Scope::Unit,
            id: format!("https://validera.example/frameworks/warehouse-logistics/2026.1/units/WHL-0{unit}"),
            code: format!("WHL-0{unit}"),
            name: format!("Godsmottagning och inlagring, del {unit}"),
            description: "Ta emot, kontrollera och lagra gods enligt rutiner.".into(),
            criteria_narrative: (1..=9)
                .map(|c| format!("{unit}.{c} Kontrollera följesedel mot leverans"))
                .collect::<Vec<_>>()
                .join("\n"),
            level: Level::numbered(2).expect("level"),
            credits: 4,
            field_of_study: "Lager och logistik 2026.1".into(),
            units: vec![],
        },
        evidence: vec![EvidenceSummary {
            name: "Praktiskt prov".into(),
            description: "9 bedömningskriterier visade".into(),
        }],
        // As the service issues them now: the QA chain and a result per criterion.
        quality: vec![
            EvidenceSummary { name: "Bedömare".into(), description: "Bedömt 2026-11-26".into() },
            EvidenceSummary {
                name: "Intern verifierare".into(), description: "Bekräftat 2026-11-27".into()
            },
            EvidenceSummary {
                name: "Extern kvalitetssäkrare".into(),
                description: "Instämt 2026-11-27".into(),
            },
        ],
        results: (1..=9)
            .map(|c| {
                let reference = format!("WHL-0{unit}/{unit}.{c}");
                CriterionResult {
                    name: format!("{reference} Kontrollera följesedel mot leverans"),
                    reference,
                    shown: "Praktiskt prov, 2026-11-26".into(),
                }
            })
            .collect(),
        status: StatusEntry {
            list_url: "https://validera.example/status/bench/revocation".into(),
            index: 1000 + i as u64,
        },
    }
}

fn write(dir: &Path, count: usize) {
    let key = key();
    let vm = format!("{DID}#{KID}");
    let mut lines = String::new();
    for i in 0..count {
        let signed = proof::sign(&ob::build(&claim(i)), &key, &vm, created()).expect("sign");
        lines += &serde_json::to_string(&signed).expect("json");
        lines.push('\n');
    }
    let document = did::document(DID, &[(KID.to_owned(), key.verifying_key(), None)]);
    std::fs::write(dir.join("credentials.jsonl"), lines).expect("write credentials.jsonl");
    std::fs::write(dir.join("did.json"), serde_json::to_string_pretty(&document).expect("json"))
        .expect("write did.json");
}

/// Runs `op` on the credentials round-robin for `seconds`; returns how many it did.
fn run(credentials: &[Vec<u8>], seconds: f64, op: impl Fn(&[u8])) -> (u64, f64) {
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(seconds);
    let mut n = 0u64;
    while Instant::now() < deadline {
        op(&credentials[n as usize % credentials.len()]);
        n += 1;
    }
    (n, start.elapsed().as_secs_f64())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: verify_rate write DIR COUNT | verify DIR SECONDS | sign DIR SECONDS";
    let [op, dir, number] = args.as_slice() else { panic!("{usage}") };
    let dir = Path::new(dir);
    if op == "write" {
        write(dir, number.parse().expect("COUNT"));
        return;
    }
    let seconds: f64 = number.parse().expect("SECONDS");
    let text = std::fs::read_to_string(dir.join("credentials.jsonl")).expect("credentials.jsonl");
    let credentials: Vec<Vec<u8>> = text.lines().map(|l| l.as_bytes().to_vec()).collect();
    let key = key();
    let public = key.verifying_key();
    let vm = format!("{DID}#{KID}");
    let (n, elapsed) = match op.as_str() {
        "verify" => run(&credentials, seconds, |bytes| {
            let doc: Value = serde_json::from_slice(bytes).expect("json");
            proof::verify(&doc, |m| (m == vm).then_some(public)).expect("every credential verifies");
        }),
        "sign" => {
            let unsigned: Vec<Vec<u8>> = credentials
                .iter()
                .map(|bytes| {
                    let mut doc: Value = serde_json::from_slice(bytes).expect("json");
                    doc.as_object_mut().expect("object").remove("proof");
                    serde_json::to_vec(&doc).expect("json")
                })
                .collect();
            run(&unsigned, seconds, |bytes| {
                let doc: Value = serde_json::from_slice(bytes).expect("json");
                std::hint::black_box(proof::sign(&doc, &key, &vm, created()).expect("sign"));
            })
        }
        _ => panic!("{usage}"),
    };
    println!("validera {op} count={n} seconds={elapsed:.2} per_second={:.1}", n as f64 / elapsed);
}
