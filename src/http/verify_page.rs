//! The HTML of the public verification page. Server-rendered, no scripts, readable on a phone.

use super::verify::VerificationView;
use crate::engine::Lang;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn t(lang: Lang, sv: &'static str, fi: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Sv => sv,
        Lang::Fi => fi,
        Lang::En => en,
    }
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1b1b1b;\
background:#f6f7f9;line-height:1.5}main{max-width:44rem;margin:0 auto;padding:1rem}\
.verdict{border-radius:.5rem;padding:1rem 1.25rem;margin:1rem 0;color:#fff;font-size:1.35rem;font-weight:600}\
.ok{background:#17663a}.bad{background:#a4161a}.warn{background:#8a5a00}\
dl{display:grid;grid-template-columns:minmax(8rem,auto) 1fr;gap:.35rem 1rem;background:#fff;padding:1rem;\
border-radius:.5rem}dt{font-weight:600}dd{margin:0}nav a{margin-right:.75rem}table{border-collapse:collapse;\
width:100%;background:#fff}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;font-size:.9rem}\
@media (max-width:30rem){dl{grid-template-columns:1fr}}";

fn page(lang: Lang, title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width,initial-scale=1\"><meta name=\"robots\" content=\"noindex\"><title>{}</title>\
         <style>{STYLE}</style></head><body><main>{body}</main></body></html>",
        lang.tag(),
        esc(title)
    )
}

fn switch(id: &str, lang: Lang) -> String {
    let links: Vec<String> = [(Lang::Sv, "Svenska"), (Lang::Fi, "Suomi"), (Lang::En, "English")]
        .iter()
        .map(|(l, name)| {
            if *l == lang {
                format!("<strong lang=\"{}\">{name}</strong>", l.tag())
            } else {
                format!("<a href=\"/v/{}?lang={}\" lang=\"{}\">{name}</a>", esc(id), l.tag(), l.tag())
            }
        })
        .collect();
    format!("<nav aria-label=\"{}\">{}</nav>", t(lang, "Språk", "Kieli", "Language"), links.join(" "))
}

/// The page for certificate `id`.
pub fn render(id: &str, v: &VerificationView, lang: Lang) -> String {
    let class = match v.outcome.as_str() {
        "genuine" => "ok",
        "suspended" | "expired" | "not-yet-valid" | "status-unavailable" => "warn",
        _ => "bad",
    };
    let mut body = switch(id, lang);
    body.push_str(&format!(
        "<h1>{}</h1>",
        t(lang, "Kontroll av intyg", "Todistuksen tarkistus", "Certificate check")
    ));
    body.push_str(&format!("<p class=\"verdict {class}\" role=\"status\">{}</p>", esc(&v.headline)));
    if let Some(reason) = &v.status_reason {
        body.push_str(&format!(
            "<p><strong>{}:</strong> {}{}</p>",
            t(lang, "Anledning", "Syy", "Reason"),
            esc(reason),
            v.status_since
                .as_deref()
                .map(|s| format!(" ({})", esc(&s[..10.min(s.len())])))
                .unwrap_or_default()
        ));
    }
    if let Some(c) = &v.certificate {
        let mut rows = Vec::new();
        let mut row = |label: &str, value: &Option<String>| {
            if let Some(v) = value {
                rows.push(format!("<dt>{label}</dt><dd>{}</dd>", esc(v)));
            }
        };
        row(t(lang, "Utfärdat till", "Saaja", "Issued to"), &c.holder);
        row(t(lang, "Utfärdat av", "Myöntäjä", "Issued by"), &c.issuer);
        row(t(lang, "Avser", "Koskee", "For"), &c.achievement);
        row(t(lang, "Beskrivning", "Kuvaus", "Description"), &c.description);
        row(t(lang, "Nivå", "Taso", "Level"), &c.level);
        row(t(lang, "Poäng", "Osaamispisteet", "Credits"), &c.credits.map(|x| format!("{x}")));
        row(
            t(lang, "Utfärdat", "Myönnetty", "Issued"),
            &c.valid_from.as_ref().map(|s| s.chars().take(10).collect()),
        );
        row(
            t(lang, "Giltigt till", "Voimassa", "Valid until"),
            &c.valid_until.as_ref().map(|s| s.chars().take(10).collect()),
        );
        body.push_str(&format!("<dl>{}</dl>", rows.join("")));
        if !c.covers.is_empty() {
            body.push_str(&format!("<h2>{}</h2><ul>", t(lang, "Omfattar", "Sisältää", "Covers")));
            for line in &c.covers {
                body.push_str(&format!("<li>{}</li>", esc(line)));
            }
            body.push_str("</ul>");
        }
    }
    body.push_str(&format!(
        "<h2>{}</h2><table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        t(lang, "Kontroller", "Tarkistukset", "Checks"),
        t(lang, "Kontroll", "Tarkistus", "Check"),
        t(lang, "Resultat", "Tulos", "Result"),
        t(lang, "Detaljer", "Tiedot", "Details"),
    ));
    for c in &v.checks {
        let result = match c.result.as_str() {
            "passed" => t(lang, "godkänd", "kunnossa", "passed"),
            "failed" => t(lang, "underkänd", "ei kunnossa", "failed"),
            _ => t(lang, "ej kontrollerad", "ei tarkistettu", "not checked"),
        };
        body.push_str(&format!(
            "<tr><td>{}</td><td>{result}</td><td>{}</td></tr>",
            esc(&c.name),
            esc(&c.detail)
        ));
    }
    body.push_str("</tbody></table>");
    body.push_str(&format!(
        "<p><a href=\"/v/{}/credential.json\">{}</a></p>",
        esc(id),
        t(
            lang,
            "Ladda ner det signerade intyget (JSON)",
            "Lataa allekirjoitettu todistus (JSON)",
            "Download the signed credential (JSON)"
        )
    ));
    page(lang, &v.headline, &body)
}

/// The page for an id that names no certificate.
pub fn not_found(lang: Lang) -> String {
    let h = t(lang, "Intyget finns inte", "Todistusta ei löydy", "No such certificate");
    let p = t(
        lang,
        "Kontrollera att adressen är rätt avskriven, eller skanna QR-koden på intyget igen.",
        "Tarkista, että osoite on kirjoitettu oikein, tai skannaa todistuksen QR-koodi uudelleen.",
        "Check that the address was copied correctly, or scan the QR code on the certificate again.",
    );
    page(lang, h, &format!("<h1>{h}</h1><p class=\"verdict bad\" role=\"status\">{h}</p><p>{p}</p>"))
}
