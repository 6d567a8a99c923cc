//! A participant's development plan as a PDF, for them to keep or print: the goal, how it is
//! going, and every step with its status. Pure like the certificate: the caller passes every
//! text already in the participant's language, and nothing here reads the clock or storage.
//!
//! No credential is attached and no QR code printed: the plan is the participant's own working
//! paper, not something anyone verifies.

use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

use super::PdfError;
use super::draw::{Meta, draw_pages};
use super::fonts::{Face, Metrics};
use super::layout::{BOTTOM, Item, MARGIN, PAGE_H, PAGE_W, Page};

/// A plan as printed, every text already in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanDocument {
    /// The organisation, printed small at the top.
    pub organisation: String,
    /// "My plan".
    pub title: String,
    pub participant: String,
    /// "Printed 5 December 2026", as the reader writes dates.
    pub printed: String,
    /// The day it was printed (the document's date).
    pub printed_on: NaiveDate,
    /// "The plan was closed on …", if it is.
    pub closed: Option<String>,
    pub goal_heading: String,
    /// The goal, or the words for a missing one.
    pub goal: String,
    pub progress_heading: String,
    pub progress: String,
    pub steps_heading: String,
    /// The words for a plan without steps, printed in place of the list.
    pub no_steps: String,
    pub steps: Vec<PlanStepLine>,
}

/// One step as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanStepLine {
    pub text: String,
    /// "Under way", "Reached – the unit is confirmed", …
    pub status: String,
    /// Facts, each "Label: value" (who, date, support, units).
    pub details: Vec<String>,
    /// The note, line by line.
    pub note: Vec<String>,
}

const WIDTH: f32 = PAGE_W - 2.0 * MARGIN;
const INDENT: f32 = 22.0;
const INK: [f32; 3] = [0.12, 0.14, 0.16];
const MUTED: [f32; 3] = [0.36, 0.40, 0.43];
const ACCENT: [f32; 3] = [0.05, 0.31, 0.36];

fn clean(s: &str) -> String {
    s.nfc().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

struct Flow<'a> {
    m: &'a Metrics,
    pages: Vec<Page>,
    /// Distance of the cursor from the top of the page.
    y: f32,
}

impl Flow<'_> {
    /// Starts a new page when `h` more points would pass the bottom line.
    fn room(&mut self, h: f32) {
        if self.y + h > BOTTOM {
            self.pages.push(Vec::new());
            self.y = MARGIN;
        }
    }

    /// A wrapped paragraph at `x`, `w` wide; the cursor moves below it.
    fn text(&mut self, face: Face, size: f32, color: [f32; 3], x: f32, w: f32, text: &str) {
        let lh = size * 1.45;
        for line in self.m.wrap(face, size, &clean(text), w) {
            self.room(lh);
            let baseline = self.y + (lh + 0.73 * size) / 2.0;
            let page = self.pages.last_mut().expect("a page");
            page.push(Item::Text { face, size, color, x, y: PAGE_H - baseline, text: line });
            self.y += lh;
        }
    }

    fn gap(&mut self, h: f32) {
        self.y += h;
    }
}

/// Renders `doc` as an A4 PDF of as many pages as the steps need.
pub fn render_plan(doc: &PlanDocument) -> Result<Vec<u8>, PdfError> {
    let m = Metrics::load()?;
    let mut f = Flow { m: &m, pages: vec![Vec::new()], y: MARGIN };
    f.text(Face::Regular, 9.0, MUTED, MARGIN, WIDTH, &doc.organisation);
    f.text(Face::Bold, 20.0, ACCENT, MARGIN, WIDTH, &doc.title);
    f.text(Face::Bold, 13.0, INK, MARGIN, WIDTH, &doc.participant);
    f.text(Face::Regular, 9.0, MUTED, MARGIN, WIDTH, &doc.printed);
    if let Some(c) = &doc.closed {
        f.text(Face::Regular, 10.0, INK, MARGIN, WIDTH, c);
    }
    f.gap(10.0);
    f.text(Face::Bold, 13.0, ACCENT, MARGIN, WIDTH, &doc.goal_heading);
    f.text(Face::Regular, 11.0, INK, MARGIN, WIDTH, &doc.goal);
    f.gap(8.0);
    f.text(Face::Bold, 13.0, ACCENT, MARGIN, WIDTH, &doc.progress_heading);
    f.text(Face::Regular, 11.0, INK, MARGIN, WIDTH, &doc.progress);
    f.gap(8.0);
    f.text(Face::Bold, 13.0, ACCENT, MARGIN, WIDTH, &doc.steps_heading);
    if doc.steps.is_empty() {
        f.text(Face::Regular, 11.0, INK, MARGIN, WIDTH, &doc.no_steps);
    }
    for (i, s) in doc.steps.iter().enumerate() {
        f.gap(6.0);
        // Keeps a step's first lines with its number.
        f.room(48.0);
        let top = f.y;
        f.text(Face::Bold, 11.0, ACCENT, MARGIN, INDENT, &format!("{}.", i + 1));
        f.y = top;
        let x = MARGIN + INDENT;
        let w = WIDTH - INDENT;
        f.text(Face::Bold, 11.0, INK, x, w, &s.text);
        f.text(Face::Regular, 10.0, ACCENT, x, w, &s.status);
        for d in &s.details {
            f.text(Face::Regular, 9.5, MUTED, x, w, d);
        }
        for n in &s.note {
            f.text(Face::Regular, 9.5, INK, x, w, n);
        }
    }
    let meta = Meta {
        title: format!("{} – {}", doc.title, doc.participant),
        author: doc.organisation.clone(),
        subject: doc.title.clone(),
        identifier: String::new(),
        date: doc.printed_on,
    };
    let mut pdf = draw_pages(&meta, &f.pages, &m)?;
    pdf.compress();
    let mut out = Vec::new();
    pdf.save_to(&mut out).map_err(|e| PdfError::Write(e.into()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(steps: usize) -> PlanDocument {
        PlanDocument {
            organisation: "Esbo stad".into(),
            title: "Min plan".into(),
            participant: "Åsa Öberg".into(),
            printed: "Utskriven 5 december 2026".into(),
            printed_on: NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(),
            closed: None,
            goal_heading: "Mitt mål".into(),
            goal: "Ett jobb i ett kök".into(),
            progress_heading: "Hur det går".into(),
            progress: "1 av 2 steg klara".into(),
            steps_heading: "Alla steg".into(),
            no_steps: "Planen har inga steg än.".into(),
            steps: (1..=steps)
                .map(|i| PlanStepLine {
                    text: format!("Steg nummer {i}"),
                    status: "Pågår".into(),
                    details: vec!["Vem gör det: Deltagaren".into()],
                    note: vec!["En anteckning".into()],
                })
                .collect(),
        }
    }

    #[test]
    fn a_long_plan_flows_onto_more_pages_and_every_step_prints_once() {
        let pdf = render_plan(&doc(60)).unwrap();
        let runs = super::super::printed_text(&pdf).unwrap();
        assert!(runs.iter().map(|r| r.page).max().unwrap() >= 1, "60 steps need more than one page");
        for i in 1..=60 {
            let text = format!("Steg nummer {i}");
            assert_eq!(runs.iter().filter(|r| r.text == text).count(), 1, "{text}");
        }
        assert!(runs.iter().any(|r| r.text == "Åsa Öberg"));
    }
}
