//! Certificate tests. Text, page images and the QR code are checked with real readers:
//! `pdftotext`, `pdftoppm` (Debian `poppler-utils`) and `zbarimg` (Debian `zbar-tools`).
//! A missing tool fails the test with the package to install; it never skips.

use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;

use super::*;

const SAMI_NAME: &str = "Áilu Ŋuvttoš Đorgu";
const URL: &str = "https://validera.example.se/v/4f1c2b9e-7d3a-4e6b-9a1f-2c8d5e7b3a60";
const CREDENTIAL: &[u8] = br#"{"@context":["https://www.w3.org/ns/credentials/v2"],"name":"S\u00e1mi ok","proof":{"proofValue":"z58DAdFfa9"}}"#;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

fn item(code: &str, title: &str, level: &str, credits: u32) -> CertificateItem {
    CertificateItem { code: code.into(), title: title.into(), level: level.into(), credits }
}

fn sample(lang: Lang) -> CertificateDocument {
    let (org, framework, items) = match lang {
        Lang::Sv => (
            "Kommunalförbundet Norrlandskusten – Validering och vuxenutbildning",
            "Lager och logistik",
            vec![
                item("LL-101", "Godsmottagning och inlagring", "Nivå 2", 3),
                item("LL-102", "Plock, packning och utleverans med handdator och lagersystem", "Nivå 2", 4),
                item("LL-105", "Säker manuell hantering och ergonomi", "Nivå 1", 2),
            ],
        ),
        Lang::Fi => (
            "Ohcejoga gielda – Utsjoen kunta",
            "Varastotyö ja logistiikka",
            vec![
                item("LL-101", "Tavaran vastaanotto ja hyllytys", "Taso 2", 3),
                item(
                    "LL-102",
                    "Keräily, pakkaus ja lähettäminen käsipäätteellä ja varastojärjestelmällä",
                    "Taso 2",
                    4,
                ),
                item("LL-105", "Turvallinen taakkojen käsittely ja ergonomia", "Taso 1", 2),
            ],
        ),
        Lang::En => (
            "Norrland Coast Municipal Federation – Validation and Adult Education",
            "Warehouse and logistics",
            vec![
                item("LL-101", "Goods receipt and put-away", "Level 2", 3),
                item("LL-102", "Picking, packing and dispatch with handheld terminal and WMS", "Level 2", 4),
                item("LL-105", "Safe manual handling and ergonomics", "Level 1", 2),
            ],
        ),
    };
    CertificateDocument {
        lang,
        kind: CertificateKind::Units,
        organisation: org.into(),
        candidate: SAMI_NAME.into(),
        framework: framework.into(),
        qualification: None,
        items,
        issued_on: date(2026, 11, 27),
        valid_until: None,
        assessor: "Maja Lindqvist".into(),
        verifier: "Juhani Mäkelä".into(),
        results: vec![],
        quality: vec![],
        certificate_number: "VAL-2026-000417".into(),
        verify_url: URL.into(),
        credential_json: CREDENTIAL.to_vec(),
    }
}

/// Runs a poppler or zbar tool; a missing tool is a failure naming the Debian package.
fn run(tool: &str, package: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("`{tool}` is needed by this test ({e}); install it: apt-get install {package}")
    });
    assert!(out.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("tool output is UTF-8")
}

fn write_pdf(dir: &Path, pdf: &[u8]) -> String {
    let path = dir.join("certificate.pdf");
    std::fs::write(&path, pdf).expect("write PDF");
    path.to_string_lossy().into_owned()
}

/// The text of a rendered PDF in content order (`pdftotext -raw`), with lines joined by spaces.
fn text_of(doc: &CertificateDocument) -> String {
    let pdf = render(doc).expect("render");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_pdf(dir.path(), &pdf);
    run("pdftotext", "poppler-utils", &["-raw", "-enc", "UTF-8", &path, "-"])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn text_is_searchable_with_sami_name_unit_titles_and_url() {
    for lang in Lang::ALL {
        let doc = sample(lang);
        let text = text_of(&doc);
        for expected in
            [SAMI_NAME, URL, &doc.framework, &doc.certificate_number, &doc.assessor, &doc.verifier]
        {
            assert!(text.contains(expected), "{lang}: {expected:?} not in {text}");
        }
        for it in &doc.items {
            assert!(text.contains(&it.title), "{lang}: unit title {:?} not in {text}", it.title);
        }
    }
}

#[test]
fn labels_dates_and_total_are_in_the_readers_language() {
    let cases = [
        (
            Lang::Sv,
            [
                "Intyg",
                "Utfärdat 2026-11-27",
                "Summa poäng 9",
                "Kontrollera äktheten:",
                "Intern kvalitetssäkrare",
            ],
        ),
        (
            Lang::Fi,
            [
                "Todistus",
                "Myönnetty 27.11.2026",
                "Osaamispisteet yhteensä 9",
                "Tarkista aitous:",
                "Sisäinen varmentaja",
            ],
        ),
        (
            Lang::En,
            [
                "Certificate",
                "Issued 27 November 2026",
                "Total credits 9",
                "Verify authenticity:",
                "Internal verifier",
            ],
        ),
    ];
    for (lang, expected) in cases {
        let text = text_of(&sample(lang));
        for e in expected {
            assert!(text.contains(e), "{lang}: {e:?} not in {text}");
        }
    }
}

#[test]
fn qualification_certificate_names_the_qualification_and_validity() {
    let mut doc = sample(Lang::Fi);
    doc.kind = CertificateKind::Qualification;
    doc.qualification = Some("Varastotyöntekijä".into());
    doc.valid_until = Some(date(2031, 11, 27));
    let text = text_of(&doc);
    for e in
        ["Tutkintotodistus", "on suorittanut tutkinnon Varastotyöntekijä", "Voimassaolo päättyy 27.11.2031"]
    {
        assert!(text.contains(e), "{e:?} not in {text}");
    }
}

#[test]
fn names_typed_with_combining_accents_are_found_as_composed_letters() {
    let mut doc = sample(Lang::Sv);
    doc.candidate = "A\u{301}ilu Ŋuvttos\u{30c} Đorgu".into();
    assert!(text_of(&doc).contains(SAMI_NAME));
}

#[test]
fn qr_code_decodes_to_the_verify_url() {
    let pdf = render(&sample(Lang::Sv)).expect("render");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_pdf(dir.path(), &pdf);
    let prefix = dir.path().join("page").to_string_lossy().into_owned();
    run("pdftoppm", "poppler-utils", &["-r", "60", "-png", "-singlefile", &path, &prefix]);
    let decoded = run(
        "zbarimg",
        "zbar-tools",
        &["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", &format!("{prefix}.png")],
    );
    assert_eq!(decoded.trim_end(), URL);
}

#[test]
fn credential_round_trips_byte_for_byte() {
    let pdf = render(&sample(Lang::En)).expect("render");
    assert_eq!(embedded_credential(&pdf).expect("embedded credential"), CREDENTIAL);
}

#[test]
fn attachment_is_listed_with_mime_type_and_af() {
    let pdf = render(&sample(Lang::En)).expect("render");
    let doc = lopdf::Document::load_mem(&pdf).expect("parse");
    let catalog = doc.catalog().expect("catalog");
    let af = catalog.get(b"AF").and_then(lopdf::Object::as_array).expect("/AF");
    let spec = doc.dereference(&af[0]).and_then(|(_, o)| o.as_dict()).expect("file spec");
    assert_eq!(spec.get(b"UF").and_then(lopdf::Object::as_str).expect("/UF"), b"credential.json");
    let ef = spec.get(b"EF").and_then(lopdf::Object::as_dict).expect("/EF");
    let stream = ef.get_deref(b"F", &doc).and_then(lopdf::Object::as_stream).expect("stream");
    assert_eq!(
        stream.dict.get(b"Subtype").and_then(lopdf::Object::as_name).expect("MIME"),
        b"application/ld+json"
    );
}

#[test]
fn a_pdf_without_attachment_says_so() {
    let plain = printpdf::PdfDocument::new("plain")
        .with_pages(vec![printpdf::PdfPage::new(printpdf::Mm(210.0), printpdf::Mm(297.0), Vec::new())])
        .save(&printpdf::PdfSaveOptions::default(), &mut Vec::new());
    let err = embedded_credential(&plain).expect_err("no attachment");
    assert!(matches!(err, PdfError::NoCredential), "{err:?}");
    assert_eq!(err.to_string(), "the PDF has no embedded file named credential.json");
    assert!(matches!(embedded_credential(b"not a pdf"), Err(PdfError::Read(_))));
}

/// Forty units with titles that wrap.
fn long(lang: Lang) -> CertificateDocument {
    let mut doc = sample(lang);
    doc.items = (1..=40)
        .map(|i| item(&format!("LL-{i:03}"), &format!("Enhet nummer {i} med en lång titel som måste radbrytas i tabellens kolumn för enhetens namn"), "Nivå 3", i))
        .collect();
    doc
}

#[test]
fn a_long_unit_table_flows_onto_more_pages() {
    let doc = long(Lang::Sv);
    let pdf = render(&doc).expect("render");
    let pages = lopdf::Document::load_mem(&pdf).expect("parse").get_pages().len();
    assert!(pages >= 3, "expected the table to flow over pages, got {pages}");
    let text = text_of(&doc);
    for i in [1, 20, 40] {
        assert!(text.contains(&format!("LL-{i:03}")), "unit {i} missing");
    }
    assert!(text.contains(&format!("Sida {pages} av {pages}")), "no page count in {text}");
    assert!(text.contains("Summa poäng 820") && text.contains(URL));
}

#[test]
fn fonts_are_embedded_as_small_subsets() {
    let pdf = render(&sample(Lang::Sv)).expect("render");
    assert!(pdf.len() < 120_000, "PDF is {} bytes", pdf.len());
    let dir = tempfile::tempdir().expect("temp dir");
    let fonts = run("pdffonts", "poppler-utils", &[&write_pdf(dir.path(), &pdf)]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "{fonts}");
    assert!(rows.iter().all(|r| r.contains(" yes ")), "not embedded: {fonts}");
}

#[test]
fn dates_follow_each_languages_convention() {
    let d = date(2026, 3, 5);
    assert_eq!(labels::date(Lang::Sv, d), "2026-03-05");
    assert_eq!(labels::date(Lang::Fi, d), "5.3.2026");
    assert_eq!(labels::date(Lang::En, d), "5 March 2026");
}

#[test]
fn wrapping_keeps_lines_within_width_and_breaks_long_words() {
    let m = fonts::Metrics::load().expect("fonts");
    let lines = m.wrap(
        fonts::Face::Regular,
        10.0,
        "kort text och https://example.org/a/very/long/path/without/any/spaces/at/all",
        100.0,
    );
    assert!(lines.len() >= 3, "{lines:?}");
    assert!(lines.iter().all(|l| m.wrap(fonts::Face::Regular, 10.0, l, 100.0).len() == 1));
    assert_eq!(m.wrap(fonts::Face::Bold, 10.0, "", 100.0), vec![String::new()]);
}

/// Whether some consecutive runs, joined by spaces, print `text` (a wrapped title spans lines).
fn printed_as_runs(runs: &[TextRun], text: &str) -> bool {
    (0..runs.len()).any(|i| {
        let mut joined = String::new();
        runs[i..].iter().any(|r| {
            if !joined.is_empty() {
                joined.push(' ');
            }
            joined.push_str(&r.text);
            joined == text
        })
    })
}

/// A Swedish certificate for a candidate whose name has åäö and Sami letters.
fn swedish_with_sami_name() -> CertificateDocument {
    let mut doc = sample(Lang::Sv);
    doc.candidate = "Åsa-Märta Ŋuvttoš Öhrström".into();
    doc.verifier = "Jovnna Šaltto".into();
    doc
}

#[test]
fn printed_text_reads_back_every_field_of_a_certificate() {
    let doc = swedish_with_sami_name();
    let runs = printed_text(&render(&doc).expect("render")).expect("printed text");
    let mut expected = vec![doc.candidate.clone(), doc.certificate_number.clone(), doc.verifier.clone()];
    for it in &doc.items {
        expected.extend([it.code.clone(), it.title.clone(), it.level.clone(), it.credits.to_string()]);
    }
    for e in &expected {
        assert!(printed_as_runs(&runs, e), "{e:?} is not printed as runs: {runs:#?}");
    }
}

#[test]
fn printed_text_returns_each_laid_out_line_where_it_was_placed() {
    let metrics = fonts::Metrics::load().expect("fonts");
    for doc in [swedish_with_sami_name(), long(Lang::Fi)] {
        let pages = layout::layout(&doc, &metrics).expect("layout");
        let placed: Vec<(usize, f32, f32, &str)> = pages
            .iter()
            .enumerate()
            .flat_map(|(n, items)| items.iter().map(move |item| (n, item)))
            .filter_map(|(n, item)| match item {
                layout::Item::Text { x, y, text, .. } => Some((n, *x, *y, text.as_str())),
                _ => None,
            })
            .collect();
        let runs = printed_text(&render(&doc).expect("render")).expect("printed text");
        assert_eq!(runs.len(), placed.len(), "{runs:#?}");
        for (run, (page, x, y, text)) in runs.iter().zip(placed) {
            assert_eq!((run.page, run.text.as_str()), (page, text));
            assert!((run.x - x).abs() < 0.01 && (run.y - y).abs() < 0.01, "{run:?} placed at {x}, {y}");
        }
    }
}

#[test]
fn printed_text_has_the_words_pdftotext_finds() {
    for doc in [swedish_with_sami_name(), long(Lang::Sv)] {
        let pdf = render(&doc).expect("render");
        let runs = printed_text(&pdf).expect("printed text");
        let ours: std::collections::BTreeSet<&str> =
            runs.iter().flat_map(|r| r.text.split_whitespace()).collect();
        let dir = tempfile::tempdir().expect("temp dir");
        let poppler =
            run("pdftotext", "poppler-utils", &["-enc", "UTF-8", &write_pdf(dir.path(), &pdf), "-"]);
        let theirs: std::collections::BTreeSet<&str> = poppler.split_whitespace().collect();
        assert_eq!(ours, theirs);
        assert!(doc.candidate.split_whitespace().all(|w| ours.contains(w)), "{ours:?}");
    }
}

#[test]
fn a_certificate_rewritten_with_xref_and_object_streams_reads_the_same() {
    let doc = swedish_with_sami_name();
    let pdf = render(&doc).expect("render");
    let mut modern = Vec::new();
    lopdf::Document::load_mem(&pdf)
        .expect("parse")
        .save_modern(&mut modern)
        .expect("save with object streams");
    assert!(modern.windows(5).any(|w| w == b"/XRef"), "no xref stream");
    assert!(modern.windows(7).any(|w| w == b"/ObjStm"), "no object stream");
    assert_eq!(embedded_credential(&modern).expect("credential"), CREDENTIAL);
    assert_eq!(printed_text(&modern).expect("text"), printed_text(&pdf).expect("text"));
}
