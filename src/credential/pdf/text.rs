//! Text as a PDF page prints it, for comparing a certificate in hand with its credential.

/// One run of text shown on a page: what a text-showing operator (`Tj`, `TJ`, `'`, `"`) drew,
/// decoded to Unicode through the font's `ToUnicode` map, at the text position where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// The page, counted from 0.
    pub page: usize,
    /// Where the run starts, in PDF user space points (origin bottom left).
    pub x: f32,
    /// The run's baseline, in PDF user space points.
    pub y: f32,
    /// The decoded text.
    pub text: String,
}
