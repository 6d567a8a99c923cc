//! Benchmark of the PDF certificate: a one-page Swedish certificate of eight units, and a
//! four-page one of forty, each with QR code, subset fonts and the attached credential.
//!
//! Run: `cargo bench --bench pdf -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use validera::credential::pdf::{CertificateDocument, CertificateItem, CertificateKind, render};
use validera::engine::Lang;

fn document(units: u32) -> CertificateDocument {
    let issued_on = NaiveDate::from_ymd_opt(2026, 11, 27).expect("valid date");
    CertificateDocument {
        lang: Lang::Sv,
        kind: CertificateKind::Units,
        organisation: "Kommunalförbundet Norrlandskusten – Validering och vuxenutbildning".into(),
        candidate: "Áilu Ŋuvttoš Đorgu".into(),
        framework: "Lager och logistik".into(),
        qualification: None,
        items: (1..=units)
            .map(|i| CertificateItem {
                code: format!("LL-{i:03}"),
                title: format!("Enhet {i}: plock, packning och utleverans med handdator och lagersystem"),
                level: "Nivå 2".into(),
                credits: 3,
            })
            .collect(),
        issued_on,
        valid_until: None,
        assessor: "Maja Lindqvist".into(),
        verifier: "Juhani Mäkelä".into(),
        results: vec![],
        quality: vec![],
        certificate_number: "VAL-2026-000417".into(),
        verify_url: "https://validera.example.se/v/4f1c2b9e-7d3a-4e6b-9a1f-2c8d5e7b3a60".into(),
        credential_json: vec![b'x'; 4096],
    }
}

fn bench(c: &mut Criterion) {
    for units in [8, 40] {
        let doc = document(units);
        c.bench_function(&format!("render/{units} units"), |b| b.iter(|| render(black_box(&doc))));
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
