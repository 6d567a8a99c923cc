//! Issuing and verifying one certificate, against raw Ed25519 measured in the same run.
//!
//! Run: `cargo bench --bench certificates -- --warm-up-time 1 --measurement-time 3`.
//! Baselines: `ed25519/sign` and `ed25519/verify` of a 64-byte message (what the proofs sign).

use std::hint::black_box;

use chrono::{DateTime, NaiveDate, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ed25519_dalek::{Signer, Verifier};
use validera::credential::ob::{self, Achieved, Claim, EvidenceSummary, Issuer, Scope, StatusEntry, Subject};
use validera::credential::pdf::{self, CertificateDocument, CertificateItem, CertificateKind};
use validera::credential::{canon, jwt, keys, proof};
use validera::engine::{Lang, Level};

const VM: &str = "did:web:validera.example:issuers:org1#key-1";

fn claim() -> Claim {
    Claim {
        id: "https://validera.example/v/4f1c2b9e-7d3a-4e6b-9a1f-2c8d5e7b3a60".into(),
        name: "Intyg: Godsmottagning och inlagring".into(),
        issuer: Issuer {
            id: "did:web:validera.example:issuers:org1".into(),
            name: "Kommunalförbundet Norrlandskusten".into(),
            url: "https://validera.example/issuers/org1".into(),
        },
        valid_from: DateTime::parse_from_rfc3339("2026-11-27T10:00:00Z").expect("date").with_timezone(&Utc),
        valid_until: None,
        subject: Subject {
            name: "Áilu Ŋuvttoš Đorgu".into(),
            identifier: "ailu@example.test".into(),
            identifier_type: "emailAddress",
            salt: "c2FsdHNhbHQ".into(),
        },
        achieved: Achieved {
            scope: Scope::Unit,
            id: "https://validera.example/frameworks/warehouse-logistics/2026.1/units/WHL-01".into(),
            code: "WHL-01".into(),
            name: "Godsmottagning och inlagring".into(),
            description: "Ta emot, kontrollera och lagra gods enligt rutiner.".into(),
            criteria_narrative: (1..=9)
                .map(|i| format!("1.{i} Kontrollera följesedel mot leverans"))
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
        // What every credential now states besides: its QA chain and how each criterion was shown.
        quality: vec![
            EvidenceSummary {
                name: "Bedömare".into(),
                description: "Beslut föreslaget 26 november 2026".into(),
            },
            EvidenceSummary {
                name: "Intern kvalitetssäkrare".into(),
                description: "Bekräftat 27 november 2026".into(),
            },
        ],
        results: (1..=9)
            .map(|i| validera::credential::ob::CriterionResult {
                reference: format!("LOG-02/1.{i}"),
                name: format!("LOG-02/1.{i} Kriterium {i}"),
                shown: "Praktiskt prov, 20 november 2026".into(),
            })
            .collect(),
        status: StatusEntry {
            list_url: "https://validera.example/status/org1/revocation".into(),
            index: 94567,
        },
    }
}

fn pdf_document(credential: &[u8]) -> CertificateDocument {
    CertificateDocument {
        lang: Lang::Sv,
        kind: CertificateKind::Units,
        organisation: "Kommunalförbundet Norrlandskusten".into(),
        candidate: "Áilu Ŋuvttoš Đorgu".into(),
        framework: "Lager och logistik (2026.1)".into(),
        qualification: None,
        items: vec![CertificateItem {
            code: "WHL-01".into(),
            title: "Godsmottagning och inlagring".into(),
            level: "Nivå 2".into(),
            credits: 4,
        }],
        issued_on: NaiveDate::from_ymd_opt(2026, 11, 27).expect("date"),
        valid_until: None,
        assessor: "Maja Lindqvist".into(),
        verifier: "Juhani Mäkelä".into(),
        results: serde_json::from_slice(credential).map(|c| ob::result_lines(&c)).unwrap_or_default(),
        quality: serde_json::from_slice(credential).map(|c| ob::quality_lines(&c)).unwrap_or_default(),
        certificate_number: "4F1C2B9E-7D3A-4E6B-9A1F-2C8D5E7B3A60".into(),
        verify_url: "https://validera.example/v/4f1c2b9e-7d3a-4e6b-9a1f-2c8d5e7b3a60".into(),
        credential_json: credential.to_vec(),
    }
}

fn bench(c: &mut Criterion) {
    let key = keys::generate();
    let public = key.verifying_key();
    let created = DateTime::parse_from_rfc3339("2026-11-27T10:00:00Z").expect("date").with_timezone(&Utc);
    let unsigned = ob::build(&claim());
    let signed = proof::sign(&unsigned, &key, VM, created).expect("sign");
    let signed_bytes = serde_json::to_vec(&signed).expect("json");
    let token = jwt::sign(&unsigned, "key-1", &key).expect("jwt");
    let message = [7u8; 64];
    let signature = key.sign(&message);

    let mut g = c.benchmark_group("ed25519");
    g.bench_function("sign", |b| b.iter(|| key.sign(black_box(&message))));
    g.bench_function("verify", |b| {
        b.iter(|| public.verify(black_box(&message), black_box(&signature)).expect("valid"))
    });
    g.finish();

    let mut g = c.benchmark_group("issue");
    g.bench_function("data-integrity", |b| {
        b.iter(|| proof::sign(black_box(&unsigned), &key, VM, created).expect("sign"))
    });
    g.bench_function("vc-jwt", |b| b.iter(|| jwt::sign(black_box(&unsigned), "key-1", &key).expect("jwt")));
    g.bench_function("pdf", |b| {
        b.iter(|| pdf::render(black_box(&pdf_document(&signed_bytes))).expect("pdf"))
    });
    g.bench_function("all", |b| {
        b.iter(|| {
            let signed = proof::sign(&ob::build(black_box(&claim())), &key, VM, created).expect("sign");
            let bytes = serde_json::to_vec(&signed).expect("json");
            let token = jwt::sign(&unsigned, "key-1", &key).expect("jwt");
            (pdf::render(&pdf_document(&bytes)).expect("pdf"), token)
        })
    });
    g.finish();

    let mut g = c.benchmark_group("verify");
    g.bench_function("data-integrity", |b| {
        b.iter(|| proof::verify(black_box(&signed), |_| Some(public)).expect("valid"))
    });
    g.bench_function("vc-jwt", |b| {
        b.iter(|| jwt::verify(black_box(&token), |_| Some(public)).expect("valid"))
    });
    g.finish();

    // The two canonicalization paths on the same credential: the fast path (what signing and
    // verifying use) and the general JSON-LD processor it falls back to.
    let options = canon::CanonOptions::default();
    let mut g = c.benchmark_group("canonicalize");
    g.bench_function("fast", |b| {
        b.iter(|| canon::canonicalize_with(black_box(&unsigned), &options).expect("canon"))
    });
    g.bench_function("general", |b| {
        b.iter(|| canon::canonicalize_general(black_box(&unsigned), &options).expect("canon"))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
