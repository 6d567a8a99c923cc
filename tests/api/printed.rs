//! The printed PDF agrees with the credential attached to it: every kind of certificate, in
//! every language, downloaded as the candidate does, read back with poppler's `pdftotext` and
//! compared with the attachment. Expected values come from the credential, never from here.

use serde_json::{Value, json};
use validera::credential::ob::{self, ListedUnit};
use validera::credential::pdf::{Field, TextRun, printed_differences};
use validera::engine::{Lang, explain};
use validera::i18n::Tr;

use crate::both_backends;
use crate::helpers::{Backend, Org, TestApp, spawn_app};

/// A candidate whose language is `lang`, with DBS-01, DBS-02 and DBS-04 confirmed and the
/// qualification DBS awarded; returns the candidate's token, certificates and id.
async fn certified_in(app: &TestApp, org: &Org, name: &str, lang: Lang) -> (String, Vec<Value>, String) {
    let email = format!("{}@candidates.test", name.to_lowercase().replace(' ', "."));
    let body = app
        .post(
            "/api/candidates",
            &org.assessor.token,
            json!({"display_name": name, "email": email, "language": lang.tag()}),
        )
        .await
        .expect(201);
    let cand = body["candidate"]["id"].as_str().unwrap().to_owned();
    let otp = body["one_time_password"].as_str().unwrap().to_owned();
    let tok = crate::certificates::certify(app, org, &cand, &email, &otp).await;
    let certs = app.get("/api/me/certificates", &tok).await.expect(200).as_array().unwrap().clone();
    (tok, certs, cand)
}

fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", file.to_str().unwrap(), "-"])
        .output()
        .unwrap_or_else(|e| panic!("pdftotext is needed for this test (Debian: poppler-utils): {e}"));
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The runs a PDF's pages print, as poppler reads them: `pdftotext -bbox` words, joined into
/// one run where words sit on one baseline a space apart. A column gap in our layout is at least
/// 12 points, a space a third of the font size. The baseline is the word box's bottom less the
/// descent of DejaVu Sans (0.236 em of the box's 1.164 em).
fn poppler_runs(pdf: &[u8]) -> Vec<TextRun> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8", file.to_str().unwrap(), "-"])
        .output()
        .unwrap_or_else(|e| panic!("pdftotext is needed for this test (Debian: poppler-utils): {e}"));
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    let html = String::from_utf8(out.stdout).unwrap();
    let attr = |tag: &str, name: &str| -> f32 {
        let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[at..].split('"').next().unwrap().parse().unwrap()
    };
    let unescape = |t: &str| {
        t.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&")
    };
    // (page, baseline, size, x, x_end, text)
    let mut words: Vec<(usize, f32, f32, f32, f32, String)> = Vec::new();
    for (page, chunk) in html.split("<page ").skip(1).enumerate() {
        let height = attr(chunk, "height");
        for w in chunk.split("<word ").skip(1) {
            let (tag, rest) = w.split_once('>').unwrap();
            let text = unescape(rest.split("</word>").next().unwrap());
            let (y_min, y_max) = (attr(tag, "yMin"), attr(tag, "yMax"));
            let size = (y_max - y_min) / 1.164;
            let baseline = height - (y_max - 0.236 * size);
            words.push((page, baseline, size, attr(tag, "xMin"), attr(tag, "xMax"), text));
        }
    }
    words.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)).then(a.3.total_cmp(&b.3)));
    let mut runs: Vec<(TextRun, f32, f32)> = Vec::new();
    for (page, y, size, x, end, text) in words {
        match runs.last_mut() {
            Some((run, run_end, run_size))
                if run.page == page
                    && (run.y - y).abs() < 0.1
                    && (*run_size - size).abs() < 0.1
                    && x - *run_end < 0.5 * size =>
            {
                run.text = format!("{} {text}", run.text);
                *run_end = end;
            }
            _ => runs.push((TextRun { page, x, y, text }, end, size)),
        }
    }
    runs.into_iter().map(|(r, ..)| r).collect()
}

/// `pdf` with its attachment replaced by `credential`: the pages printed for one person, the
/// credential of another.
fn with_attachment(pdf: &[u8], credential: &[u8]) -> Vec<u8> {
    let mut doc = lopdf::Document::load_mem(pdf).unwrap();
    let mut swapped = 0;
    for object in doc.objects.values_mut() {
        if let lopdf::Object::Stream(s) = object
            && s.dict.get(b"Type").and_then(lopdf::Object::as_name).is_ok_and(|n| n == b"EmbeddedFile")
        {
            s.set_plain_content(credential.to_vec());
            swapped += 1;
        }
    }
    assert_eq!(swapped, 1, "one embedded file");
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// The English report of `POST /api/verify` on a PDF.
async fn verify_pdf(app: &TestApp, pdf: &[u8]) -> Value {
    let resp = app
        .client
        .post(format!("{}/api/verify", app.address))
        .header("content-type", "application/pdf")
        .header("accept-language", "en")
        .body(pdf.to_vec())
        .send()
        .await
        .unwrap();
    TestApp::reply(resp).await.expect(200)
}

/// The same PDF with every page's content replaced by a line of other text: a PDF validera did
/// not lay out, carrying a genuine credential.
fn with_foreign_pages(pdf: &[u8]) -> Vec<u8> {
    let mut doc = lopdf::Document::load_mem(pdf).unwrap();
    let pages: Vec<_> = doc.get_pages().into_values().collect();
    for page in pages {
        let content =
            lopdf::Stream::new(lopdf::Dictionary::new(), b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET".to_vec());
        let id = doc.add_object(content);
        doc.get_object_mut(page)
            .unwrap()
            .as_dict_mut()
            .unwrap()
            .set("Contents", lopdf::Object::Reference(id));
    }
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// "Nivå 2", "Taso 2", "Level 2": the level as the certificate prints it.
fn level_words(l: validera::engine::Level, lang: Lang) -> String {
    let w = explain::level(l, lang);
    let mut c = w.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

fn holder(c: &Value) -> String {
    c["credentialSubject"]["identifier"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["identityType"] == "name")
        .unwrap()["identityHash"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn day(c: &Value, field: &str, lang: Lang) -> Option<String> {
    let d = chrono::DateTime::parse_from_rfc3339(c[field].as_str()?).unwrap().date_naive();
    Some(Tr::new(lang).date(&d))
}

/// The line of `text` that starts with `label` in the left margin column.
fn labelled<'a>(text: &'a str, label: &str) -> Vec<&'a str> {
    text.lines().filter(|l| l.trim_start().starts_with(label)).collect()
}

/// Compares the printed text of one certificate with its credential; `lang` is the language
/// of the pages and of the credential (both the candidate's).
#[track_caller]
fn assert_prints_its_credential(text: &str, c: &Value, lang: Lang) {
    let tr = Tr::new(lang);
    let units: Vec<ListedUnit> = ob::listed_units(c);
    assert!(!units.is_empty(), "the credential lists units: {c:#}");

    assert!(text.contains(&holder(c)), "holder {} in\n{text}", holder(c));
    if ob::is_qualification(c) {
        let name = c["credentialSubject"]["achievement"]["name"].as_str().unwrap();
        assert!(squash(text).contains(&squash(name)), "qualification {name} in\n{text}");
        assert!(text.contains(&tr.t("pdf-title-qualification")), "{text}");
    }

    // The unit rows: one line per unit starts with its code; the title may wrap onto the
    // following lines, up to the next row or the total.
    let lines: Vec<&str> = text.lines().collect();
    let row_of = |code: &str| lines.iter().position(|l| l.split_whitespace().next() == Some(code));
    let starts: Vec<usize> = units.iter().map(|u| row_of(&u.code).unwrap_or(usize::MAX)).collect();
    let total_label = tr.t("pdf-total");
    let total_at = lines.iter().position(|l| l.trim_start().starts_with(&total_label)).expect("a total line");
    let code_like = |l: &str| {
        l.split_whitespace().next().is_some_and(|w| w.len() > 3 && w.starts_with("DBS-") && !w.contains('.'))
    };
    let printed_rows = lines[..total_at].iter().filter(|l| code_like(l)).count();
    assert_eq!(printed_rows, units.len(), "one printed row per unit the credential lists:\n{text}");
    for (u, &start) in units.iter().zip(&starts) {
        assert_ne!(start, usize::MAX, "unit {} is printed:\n{text}", u.code);
        let end = starts.iter().copied().filter(|&s| s > start).min().unwrap_or(total_at).min(total_at);
        let first = lines[start];
        let credits = u.credits.expect("the credential states the unit's credits");
        assert_eq!(
            first.split_whitespace().last(),
            Some(credits.to_string().as_str()),
            "credits of {} on its row: {first}",
            u.code
        );
        // Title and level may both wrap within their columns, so the row is compared as its
        // words: code, title, level and credits, each word once, nothing else.
        let level = level_words(u.level.expect("the credential states the unit's level"), lang);
        let mut printed: Vec<&str> = lines[start..end].iter().flat_map(|l| l.split_whitespace()).collect();
        let mut expected: Vec<String> = [u.code.clone(), u.title.clone(), level.clone(), credits.to_string()]
            .iter()
            .flat_map(|s| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
            .collect();
        printed.sort_unstable();
        expected.sort_unstable();
        assert_eq!(printed, expected, "row of {} ({level}): {:#?}", u.code, &lines[start..end]);
    }
    let earned = c["credentialSubject"]["creditsEarned"].as_u64().unwrap();
    assert_eq!(earned, units.iter().map(|u| u64::from(u.credits.unwrap())).sum::<u64>());
    assert_eq!(
        lines[total_at].split_whitespace().last(),
        Some(earned.to_string().as_str()),
        "{}",
        lines[total_at]
    );

    let number = c["id"].as_str().unwrap().rsplit('/').next().unwrap().to_uppercase();
    let number_lines = labelled(text, &tr.t("pdf-number"));
    assert!(number_lines.len() >= 2, "in the closing block and the footer:\n{text}");
    assert!(number_lines.iter().all(|l| l.contains(&number)), "{number} on {number_lines:?}");

    let issued = day(c, "validFrom", lang).unwrap();
    assert!(
        labelled(text, &tr.t("pdf-issued")).iter().any(|l| l.contains(&issued)),
        "issued {issued}:\n{text}"
    );
    let until = labelled(text, &tr.t("pdf-valid-until"));
    match day(c, "validUntil", lang) {
        Some(d) => assert!(until.iter().any(|l| l.contains(&d)), "valid until {d}:\n{text}"),
        None => assert!(until.is_empty(), "no expiry printed when the credential has none: {until:?}"),
    }
}

async fn every_certificate_prints_what_its_credential_says_in_every_language(backend: Backend) {
    // Arrange: one candidate per language, each awarded three units and the qualification.
    let app = spawn_app(backend).await;
    let org = app.org("Tryckkommun").await;
    for (lang, name) in [(Lang::Sv, "Áilu Ŋuvttoš"), (Lang::Fi, "Matti Meikäläinen"), (Lang::En, "Jane Doe")]
    {
        let (token, certs, _) = certified_in(&app, &org, name, lang).await;
        assert_eq!(certs.iter().filter(|c| c["kind"] == "unit").count(), 3);
        assert_eq!(certs.iter().filter(|c| c["kind"] == "qualification").count(), 1);
        for cert in &certs {
            // Act: the candidate downloads the PDF, in their own language.
            let id = cert["id"].as_str().unwrap();
            let pdf = app.bytes(&format!("/api/certificates/{id}/certificate.pdf"), Some(&token)).await;
            let attached = validera::credential::pdf::embedded_credential(&pdf).expect("credential attached");
            let credential: Value = serde_json::from_slice(&attached).unwrap();

            // Assert
            assert_eq!(credential["id"], cert["share_url"]);
            assert!(
                credential["name"].as_str().unwrap().starts_with(&Tr::new(lang).t(
                    if cert["kind"] == "unit" {
                        "certificate-name-unit"
                    } else {
                        "certificate-name-qualification"
                    }
                )),
                "the credential is in the candidate's language"
            );
            assert_prints_its_credential(&pdftotext(&pdf), &credential, lang);
            // Our comparison, over the pages as poppler reads them, finds nothing to report.
            let printed =
                printed_differences(&poppler_runs(&pdf), &credential, None).expect("our own layout");
            assert_eq!((printed.lang, printed.differences), (lang, vec![]), "{id}");
            // Printed in another language (unit titles from the framework's translation), what
            // the credential states in any language still agrees.
            for other in Lang::ALL.into_iter().filter(|l| *l != lang) {
                let path = format!("/api/certificates/{id}/certificate.pdf?lang={}", other.tag());
                let pdf = app.bytes(&path, Some(&token)).await;
                let printed = printed_differences(&poppler_runs(&pdf), &credential, None).unwrap();
                assert_eq!((printed.lang, printed.differences), (other, vec![]), "{id} in {other}");
            }
        }
    }
}

async fn a_posted_pdf_is_compared_with_its_pages_or_says_only_its_attachment_was_checked(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let org = app.org("Bilagekommun").await;
    let (token, certs, _) = certified_in(&app, &org, "Jane Doe", Lang::En).await;
    let id = certs[0]["id"].as_str().unwrap();
    let pdf = app.bytes(&format!("/api/certificates/{id}/certificate.pdf"), Some(&token)).await;

    // Act: the API
    let report = verify_pdf(&app, &pdf).await;

    // Assert: our own pages are read back and agree with the attachment.
    let printed = report["checks"].as_array().unwrap().iter().find(|c| c["name"] == "printed").unwrap();
    assert_eq!(
        (report["outcome"].as_str(), printed["result"].as_str()),
        (Some("genuine"), Some("passed")),
        "{report:#}"
    );
    // Pages validera did not lay out are not compared, and the report says so.
    let pdf = with_foreign_pages(&pdf);
    let report = verify_pdf(&app, &pdf).await;
    let printed = report["checks"].as_array().unwrap().iter().find(|c| c["name"] == "printed").unwrap();
    assert_eq!(printed["result"], "not-checked", "{report:#}");
    assert!(printed["detail"].as_str().unwrap().contains("only the attached credential was checked"));
    // A credential posted as JSON has no pages, and no such check.
    let json = app.bytes(&format!("/v/{id}/credential.json"), None).await;
    let resp = app
        .client
        .post(format!("{}/api/verify", app.address))
        .header("content-type", "application/json")
        .body(json)
        .send()
        .await
        .unwrap();
    let report = TestApp::reply(resp).await.expect(200);
    assert_eq!(report["outcome"], "genuine");
    assert!(report["checks"].as_array().unwrap().iter().all(|c| c["name"] != "printed"), "{report:#}");

    // The employer's check page says it in words, in Swedish here.
    let b = app.browser();
    b.get("/check?lang=sv").await.expect(200);
    let page = b
        .post_multipart("/check", |f| {
            f.part(
                "file",
                reqwest::multipart::Part::bytes(pdf)
                    .file_name("certificate.pdf")
                    .mime_str("application/pdf")
                    .unwrap(),
            )
        })
        .await;
    let body = page.expect(200);
    assert!(body.contains("id=\"printed-not-compared\""), "{body}");
    assert!(body.contains(&Tr::new(Lang::Sv).t("verify-printed-not-compared")), "{body}");
    assert!(body.contains(&Tr::new(Lang::Sv).t("check-printed")), "{body}");
}

async fn pages_printed_for_one_person_with_anothers_credential_are_told_apart(backend: Backend) {
    // Arrange: two candidates' qualification certificates; the PDF printed for the first,
    // carrying the second's genuine credential.
    let app = spawn_app(backend).await;
    let org = app.org("Bytkommun").await;
    let mut pdfs = Vec::new();
    for name in ["Áilu Ŋuvttoš", "Åsa Berg"] {
        let (token, certs, _) = certified_in(&app, &org, name, Lang::Sv).await;
        let q = certs.iter().find(|c| c["kind"] == "qualification").unwrap();
        let id = q["id"].as_str().unwrap();
        pdfs.push(app.bytes(&format!("/api/certificates/{id}/certificate.pdf"), Some(&token)).await);
    }
    let other = validera::credential::pdf::embedded_credential(&pdfs[1]).unwrap();
    let swapped = with_attachment(&pdfs[0], &other);
    let other: Value = serde_json::from_slice(&other).unwrap();

    // Act
    let printed = printed_differences(&poppler_runs(&swapped), &other, Some(Lang::Sv)).unwrap();

    // Assert: the holder, the number and the address differ, named with both values.
    let holder = printed.differences.iter().find(|d| d.field == Field::Holder).expect("holder differs");
    assert_eq!(holder.printed.as_deref(), Some("Áilu Ŋuvttoš"));
    assert_eq!(holder.credential.as_deref(), Some("Åsa Berg"));
    let number = printed.differences.iter().find(|d| d.field == Field::Number).expect("number differs");
    let other_number = other["id"].as_str().unwrap().rsplit('/').next().unwrap().to_uppercase();
    assert_eq!(number.credential.as_deref(), Some(other_number.as_str()));
    let url = printed.differences.iter().find(|d| d.field == Field::Url).expect("address differs");
    assert_eq!(url.credential.as_deref(), other["id"].as_str());
    assert!(
        printed.differences.iter().all(|d| matches!(d.field, Field::Holder | Field::Number | Field::Url)),
        "{printed:#?}"
    );

    // The API reads the pages too: a distinct outcome, naming what differs.
    let report = verify_pdf(&app, &swapped).await;
    let check = report["checks"].as_array().unwrap().iter().find(|c| c["name"] == "printed").unwrap();
    assert_eq!(
        (report["outcome"].as_str(), check["result"].as_str()),
        (Some("pdf-mismatch"), Some("failed")),
        "{report:#}"
    );
    assert!(
        check["detail"].as_str().unwrap().contains("Áilu Ŋuvttoš"),
        "the difference is named: {report:#}"
    );
}

async fn a_holder_renamed_after_the_award_is_printed_as_certified(backend: Backend) {
    // Arrange: the candidate's name is corrected after the certificates were issued.
    let app = spawn_app(backend).await;
    let org = app.org("Namnkommun").await;
    let (token, certs, cand) = certified_in(&app, &org, "Aili Nyberg", Lang::Sv).await;
    let version =
        app.get(&format!("/api/candidates/{cand}"), &org.admin.token).await.expect(200)["version"].clone();
    app.patch(
        &format!("/api/candidates/{cand}"),
        &org.admin.token,
        json!({"display_name": "Aili Nyberg-Sara", "version": version}),
    )
    .await
    .expect(200);

    // Act
    let id = certs.iter().find(|c| c["kind"] == "qualification").unwrap()["id"].as_str().unwrap();
    let pdf = app.bytes(&format!("/api/certificates/{id}/certificate.pdf"), Some(&token)).await;

    // Assert: the PDF prints the name the credential certifies, so the two agree.
    let credential: Value =
        serde_json::from_slice(&validera::credential::pdf::embedded_credential(&pdf).unwrap()).unwrap();
    assert_eq!(ob::holder_name(&credential), Some("Aili Nyberg"));
    assert!(!pdftotext(&pdf).contains("Nyberg-Sara"));
    let printed = printed_differences(&poppler_runs(&pdf), &credential, None).unwrap();
    assert_eq!(printed.differences, vec![]);
}

both_backends!(
    a_holder_renamed_after_the_award_is_printed_as_certified,
    pages_printed_for_one_person_with_anothers_credential_are_told_apart,
    every_certificate_prints_what_its_credential_says_in_every_language,
    a_posted_pdf_is_compared_with_its_pages_or_says_only_its_attachment_was_checked,
);
