//! The comparison over runs laid out exactly as the PDF prints them: each text item of
//! `layout` is one run at its position, which is what a reader extracts from the file.

use chrono::{DateTime, Utc};

use super::super::fonts::Metrics;
use super::super::layout::{self, Item};
use super::super::{CertificateDocument, CertificateItem};
use super::*;
use crate::credential::ob::{self, Scope};
use crate::engine::Level;

/// A credential (in `lang`) and the document that prints it (in `print`), agreeing.
fn pair(kind: CertificateKind, lang: Lang, print: Lang, units: usize) -> (Value, CertificateDocument) {
    let tr = Tr::new(lang);
    let mut claim = ob::tests::sample();
    claim.valid_from = DateTime::parse_from_rfc3339("2026-11-27T23:30:05Z").unwrap().with_timezone(&Utc);
    claim.valid_until = Some(claim.valid_from + chrono::Duration::days(365 * 3));
    let levels = [Level::numbered(2).unwrap(), Level::entry(3).unwrap(), Level::numbered(1).unwrap()];
    let all: Vec<(String, String, u32, Level)> = (0..units)
        .map(|i| {
            let title =
                format!("Enhet {i} för {} med en rätt lång titel som radbryts i tabellen", lang.tag());
            (format!("DBS-{:02}", i + 1), title, (i as u32 % 5) + 1, levels[i % 3])
        })
        .collect();
    match kind {
        CertificateKind::Units => {
            let (code, title, credits, level) = all[0].clone();
            claim.name = format!("{}: {title}", tr.t("certificate-name-unit"));
            claim.achieved.code = code;
            claim.achieved.name = title;
            claim.achieved.credits = credits;
            claim.achieved.level = level;
        }
        CertificateKind::Qualification => {
            claim.name = format!("{}: Digitala grundfärdigheter", tr.t("certificate-name-qualification"));
            claim.achieved.scope = Scope::Qualification;
            claim.achieved.code = "DBS".into();
            claim.achieved.name = "Digitala grundfärdigheter".into();
            claim.achieved.credits = all.iter().map(|u| u.2).sum();
            claim.achieved.criteria_narrative = all
                .iter()
                .map(|(c, t, _, l)| format!("{c} {t} ({})", explain::level(*l, lang)))
                .collect::<Vec<_>>()
                .join("\n");
            claim.achieved.units = all.iter().map(|(c, t, n, _)| (c.clone(), t.clone(), *n)).collect();
        }
    }
    let credential = ob::build(&claim);
    let shown = if kind == CertificateKind::Units { &all[..1] } else { &all[..] };
    let words = |l: Level| {
        let w = explain::level(l, print);
        let mut c = w.chars();
        c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
    };
    let doc = CertificateDocument {
        lang: print,
        kind,
        organisation: claim.issuer.name.clone(),
        candidate: claim.subject.name.clone(),
        framework: "Digitala grundfärdigheter (2026.1)".into(),
        qualification: (kind == CertificateKind::Qualification).then(|| claim.achieved.name.clone()),
        items: shown
            .iter()
            .map(|(code, title, credits, level)| CertificateItem {
                code: code.clone(),
                title: title.clone(),
                level: words(*level),
                credits: *credits,
            })
            .collect(),
        issued_on: claim.valid_from.date_naive(),
        valid_until: claim.valid_until.map(|d| d.date_naive()),
        assessor: "Maja Lindqvist".into(),
        verifier: "Juhani Mäkelä".into(),
        // What the credential states per criterion and about its QA chain prints between the
        // table and the closing block; the comparison must still find both.
        results: ob::result_lines(&credential),
        quality: ob::quality_lines(&credential),
        certificate_number: "3F6C".into(),
        verify_url: claim.id.clone(),
        credential_json: Vec::new(),
    };
    (credential, doc)
}

/// The runs a PDF reader extracts from the rendered `doc`: one per text item.
fn runs(doc: &CertificateDocument) -> Vec<TextRun> {
    let m = Metrics::load().unwrap();
    let pages = layout::layout(doc, &m).unwrap();
    pages
        .iter()
        .enumerate()
        .flat_map(|(page, items)| {
            items.iter().filter_map(move |it| match it {
                Item::Text { x, y, text, .. } => Some(TextRun { page, x: *x, y: *y, text: text.clone() }),
                _ => None,
            })
        })
        .collect()
}

#[track_caller]
fn differences(runs: &[TextRun], credential: &Value, lang: Lang) -> Vec<Difference> {
    let p = printed_differences(runs, credential, None).expect("recognised as a validera PDF");
    assert_eq!(p.lang, lang, "the language of the pages");
    p.differences
}

#[track_caller]
fn only(diffs: &[Difference], field: Field) -> &Difference {
    assert_eq!(diffs.len(), 1, "{diffs:#?}");
    assert_eq!(diffs[0].field, field, "{diffs:#?}");
    &diffs[0]
}

const KINDS: [CertificateKind; 2] = [CertificateKind::Units, CertificateKind::Qualification];

#[test]
fn an_unaltered_certificate_agrees_with_its_credential_in_every_language_and_kind() {
    for lang in Lang::ALL {
        for kind in KINDS {
            let (c, doc) = pair(kind, lang, lang, 5);
            assert_eq!(differences(&runs(&doc), &c, lang), vec![], "{lang} {kind:?}");
        }
    }
}

#[test]
fn another_holders_name_is_named() {
    for lang in Lang::ALL {
        for kind in KINDS {
            let (c, mut doc) = pair(kind, lang, lang, 3);
            doc.candidate = "Åsa Berg".into();
            let d = differences(&runs(&doc), &c, lang);
            let d = only(&d, Field::Holder);
            assert_eq!(d.printed.as_deref(), Some("Åsa Berg"));
            assert_eq!(d.credential.as_deref(), ob::holder_name(&c));
        }
    }
}

#[test]
fn a_units_credits_and_the_total_are_compared_separately() {
    for lang in Lang::ALL {
        let (c, mut doc) = pair(CertificateKind::Qualification, lang, lang, 5);
        doc.items[2].credits += 10;
        let d = differences(&runs(&doc), &c, lang);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert_eq!(d[0].field, Field::UnitCredits);
        assert_eq!(d[0].unit.as_deref(), Some("DBS-03"));
        assert_eq!(d[0].printed, Some(doc.items[2].credits.to_string()));
        assert_eq!(d[1].field, Field::Total);

        // Only the total altered on the page.
        let (c, doc) = pair(CertificateKind::Qualification, lang, lang, 5);
        let mut r = runs(&doc);
        let total = Tr::new(lang).t("pdf-total");
        let y = r.iter().find(|x| x.text == total).unwrap().y;
        let sum = c["credentialSubject"]["creditsEarned"].to_string();
        let value = r.iter_mut().find(|x| x.y == y && x.text == sum).unwrap();
        value.text = "60".into();
        let d = differences(&r, &c, lang);
        let d = only(&d, Field::Total);
        assert_eq!((d.printed.as_deref(), d.credential.as_deref()), (Some("60"), Some(sum.as_str())));
    }
}

#[test]
fn an_empty_or_short_unit_table_names_every_missing_unit() {
    for lang in Lang::ALL {
        let (c, mut doc) = pair(CertificateKind::Qualification, lang, lang, 5);
        let dropped = doc.items.remove(3);
        let d = differences(&runs(&doc), &c, lang);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert_eq!((d[0].field, d[0].unit.as_deref()), (Field::Unit, Some(dropped.code.as_str())));
        assert_eq!(d[0].printed, None);
        assert_eq!(d[1].field, Field::Total);

        doc.items.clear();
        let d = differences(&runs(&doc), &c, lang);
        assert_eq!(d.iter().filter(|d| d.field == Field::Unit).count(), 5, "{d:#?}");
        let total = d.iter().find(|d| d.field == Field::Total).unwrap();
        assert_eq!(total.printed.as_deref(), Some("0"));
    }
}

#[test]
fn a_unit_not_in_the_credential_and_a_wrong_level_are_named() {
    for lang in Lang::ALL {
        let (c, mut doc) = pair(CertificateKind::Units, lang, lang, 1);
        doc.items[0].level = pair(CertificateKind::Units, lang, lang, 3).1.items[0].level.replace('2', "4");
        doc.items.push(CertificateItem {
            code: "XX-9".into(),
            title: "Tillagd".into(),
            level: "E1".into(),
            credits: 0,
        });
        let d = differences(&runs(&doc), &c, lang);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert_eq!((d[0].field, d[0].unit.as_deref()), (Field::UnitLevel, Some("DBS-01")));
        assert_eq!(d[0].printed, Some(doc.items[0].level.clone()));
        assert_eq!(
            (d[1].field, d[1].unit.as_deref(), d[1].credential.as_ref()),
            (Field::Unit, Some("XX-9"), None)
        );
    }
}

#[test]
fn dates_number_and_title_are_compared_in_the_pages_language() {
    for lang in Lang::ALL {
        let (c, mut doc) = pair(CertificateKind::Units, lang, lang, 1);
        doc.issued_on = doc.issued_on.succ_opt().unwrap();
        let d = differences(&runs(&doc), &c, lang);
        let d = only(&d, Field::Issued);
        assert_eq!(d.credential, Some(Tr::new(lang).date(&doc.issued_on.pred_opt().unwrap())));

        let (c, mut doc) = pair(CertificateKind::Units, lang, lang, 1);
        doc.valid_until = None;
        let d = differences(&runs(&doc), &c, lang);
        assert_eq!(only(&d, Field::ValidUntil).printed, None);

        let (c, mut doc) = pair(CertificateKind::Units, lang, lang, 1);
        doc.certificate_number = "9A9A".into();
        let d = differences(&runs(&doc), &c, lang);
        // The closing block and the page footer both print it; one difference says so.
        let d = only(&d, Field::Number);
        assert_eq!((d.printed.as_deref(), d.credential.as_deref()), (Some("9A9A"), Some("3F6C")));

        let (c, mut doc) = pair(CertificateKind::Units, lang, lang, 1);
        doc.verify_url = "https://validera.example/v/9a9a".into();
        let d = differences(&runs(&doc), &c, lang);
        assert_eq!(only(&d, Field::Url).printed, Some(doc.verify_url.clone()));

        let (c, mut doc) = pair(CertificateKind::Units, lang, lang, 1);
        doc.items[0].title = "Något annat".into();
        let d = differences(&runs(&doc), &c, lang);
        assert_eq!(only(&d, Field::UnitTitle).printed.as_deref(), Some("Något annat"));

        let (c, mut doc) = pair(CertificateKind::Qualification, lang, lang, 2);
        doc.qualification = Some("Lager och logistik".into());
        let d = differences(&runs(&doc), &c, lang);
        assert_eq!(only(&d, Field::Achievement).printed.as_deref(), Some("Lager och logistik"));
    }
}

#[test]
fn a_long_unit_table_over_several_pages_is_read_whole() {
    for lang in Lang::ALL {
        let (c, mut doc) = pair(CertificateKind::Qualification, lang, lang, 40);
        let r = runs(&doc);
        assert!(r.iter().map(|x| x.page).max().unwrap() >= 2, "the table needs three pages or more");
        assert_eq!(differences(&r, &c, lang), vec![]);
        // A running head naming someone else.
        let mut r = runs(&doc);
        let name = ob::holder_name(&c).unwrap().to_owned();
        let head = r.iter_mut().find(|x| x.page == 2 && x.text.contains(&name)).expect("a running head");
        head.text = head.text.replace(&name, "Åsa Berg");
        let d = differences(&r, &c, lang);
        assert_eq!(only(&d, Field::Holder).printed.as_deref(), Some("Åsa Berg"));
        // A row dropped from a later page is missed.
        let dropped = doc.items.remove(35);
        let d = differences(&runs(&doc), &c, lang);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert_eq!((d[0].field, d[0].unit.as_deref()), (Field::Unit, Some(dropped.code.as_str())));
    }
}

#[test]
fn printed_in_another_language_the_units_numbers_and_names_are_still_compared() {
    let (c, doc) = pair(CertificateKind::Qualification, Lang::Sv, Lang::Fi, 4);
    let mut doc = doc;
    for item in &mut doc.items {
        item.title = format!("{} suomeksi", item.code);
    }
    doc.qualification = Some("Digitaaliset perustaidot".into());
    assert_eq!(differences(&runs(&doc), &c, Lang::Fi), vec![]);
    doc.items[0].credits += 1;
    doc.candidate = "Matti Meikäläinen".into();
    let d = differences(&runs(&doc), &c, Lang::Fi);
    let fields: Vec<Field> = d.iter().map(|d| d.field).collect();
    assert_eq!(fields, [Field::Holder, Field::UnitCredits, Field::Total]);
}

#[test]
fn a_unit_certificate_carrying_a_qualification_credential_is_named() {
    let (c, _) = pair(CertificateKind::Qualification, Lang::En, Lang::En, 1);
    let (_, doc) = pair(CertificateKind::Units, Lang::En, Lang::En, 1);
    let d = differences(&runs(&doc), &c, Lang::En);
    assert_eq!(d[0].field, Field::Kind, "{d:#?}");
}

#[test]
fn pages_that_are_not_ours_are_not_compared() {
    let (c, doc) = pair(CertificateKind::Units, Lang::Sv, Lang::Sv, 1);
    assert_eq!(printed_differences(&[], &c, None), Err(ForeignPdf));
    let foreign: Vec<TextRun> = ["Certificate", "Åsa Berg", "has completed", "Total credits", "6"]
        .iter()
        .enumerate()
        .map(|(i, t)| TextRun { page: 0, x: 56.0, y: 700.0 - 20.0 * i as f32, text: (*t).into() })
        .collect();
    assert_eq!(printed_differences(&foreign, &c, Some(Lang::En)), Err(ForeignPdf));
    // Our pages with the labels taken away are no longer recognisable as ours.
    let lead = Tr::new(Lang::Sv).t("pdf-lead");
    let r: Vec<TextRun> = runs(&doc).into_iter().filter(|r| r.text != lead).collect();
    assert_eq!(printed_differences(&r, &c, None), Err(ForeignPdf));
}

#[test]
fn a_difference_is_described_in_the_readers_language() {
    let d = Difference {
        field: Field::UnitCredits,
        unit: Some("DBS-03".into()),
        printed: Some("13".into()),
        credential: Some("3".into()),
    };
    for lang in Lang::ALL {
        let s = d.describe(lang);
        assert!(s.contains("DBS-03") && s.contains("13") && s.contains('3'), "{s}");
    }
    assert_ne!(d.describe(Lang::Sv), d.describe(Lang::En));
}

#[test]
fn a_long_address_and_number_wrapped_across_lines_are_read_whole() {
    for lang in Lang::ALL {
        let (mut c, mut doc) = pair(CertificateKind::Units, lang, lang, 1);
        let id = "0123456789abcdef".repeat(5);
        c["id"] = Value::String(format!("https://validera.example/v/{id}"));
        doc.verify_url = format!("https://validera.example/v/{id}");
        doc.certificate_number = id.to_uppercase();
        let r = runs(&doc);
        let verify = Tr::new(lang).t("pdf-verify");
        assert!(r.iter().any(|x| x.text == verify), "the label stands alone on its line");
        assert_eq!(differences(&r, &c, lang), vec![]);
        doc.verify_url.push('x');
        let d = differences(&runs(&doc), &c, lang);
        assert_eq!(only(&d, Field::Url).printed, Some(doc.verify_url.clone()));
    }
}

#[test]
fn pages_flooded_with_runs_are_read_in_one_pass() {
    // Hundreds of thousands of runs in the credits column and on their own pages: quadratic
    // grouping would take minutes here; the answer is the same either way.
    let (c, doc) = pair(CertificateKind::Units, Lang::En, Lang::En, 1);
    let mut r = runs(&doc);
    let (x3, _) = super::columns()[3];
    let header_y = r.iter().find(|x| x.text == Tr::new(Lang::En).t("pdf-code")).unwrap().y;
    for i in 0..100_000 {
        let y = header_y - 1.0 - (i as f32) * 0.001;
        r.push(TextRun { page: 0, x: x3 + 20.0, y, text: "1".into() });
        r.push(TextRun { page: 3 + i, x: 56.0, y: 800.0, text: "x".into() });
    }
    let d = differences(&r, &c, Lang::En);
    assert!(d.iter().any(|d| d.field == Field::UnitCredits || d.field == Field::Unit), "{:?}", &d[..3]);
}
