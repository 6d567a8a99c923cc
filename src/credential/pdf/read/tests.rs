//! Hostile and well-formed PDFs, built byte by byte, through the bounded reader. Each attack
//! asserts which error it gets, and finishes under a generous ceiling that only guards
//! against a hang coming back.

use std::fmt::Write as _;
use std::io::Write as _;
use std::time::{Duration, Instant};

use flate2::Compression;
use flate2::write::ZlibEncoder;

use super::super::PdfError;
use super::super::attach::embedded_credential_with;
use super::page::printed_text_with;
use super::{Limits, printed_text};

const CREDENTIAL: &[u8] = br#"{"name":"S\u00e1mi ok","proof":{"proofValue":"z58DAdFfa9"}}"#;
const CEILING: Duration = Duration::from_secs(2);

fn zlib(data: &[u8]) -> Vec<u8> {
    zlib_at(data, Compression::fast())
}

/// As small as zlib gets: about a thousandth, which is what makes a bomb.
fn bomb(data: &[u8]) -> Vec<u8> {
    zlib_at(data, Compression::best())
}

fn zlib_at(data: &[u8], level: Compression) -> Vec<u8> {
    let mut z = ZlibEncoder::new(Vec::new(), level);
    z.write_all(data).expect("compress");
    z.finish().expect("compress")
}

/// A PDF written object by object, with offsets noted for the xref.
struct Pdf {
    out: Vec<u8>,
    offsets: Vec<(u32, usize)>,
}

impl Pdf {
    fn new() -> Self {
        Pdf { out: b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec(), offsets: Vec::new() }
    }

    fn obj(&mut self, num: u32, body: &str) -> &mut Self {
        self.offsets.push((num, self.out.len()));
        write!(self.out, "{num} 0 obj\n{body}\nendobj\n").expect("write");
        self
    }

    fn stream(&mut self, num: u32, dict: &str, data: &[u8]) -> &mut Self {
        self.offsets.push((num, self.out.len()));
        write!(self.out, "{num} 0 obj\n<<{dict} /Length {}>>\nstream\n", data.len()).expect("write");
        self.out.extend_from_slice(data);
        self.out.extend_from_slice(b"\nendstream\nendobj\n");
        self
    }

    /// An object stream holding `objs`; `padding` spaces follow them (a bomb's payload).
    fn objstm(&mut self, num: u32, objs: &[(u32, &str)], padding: usize) -> &mut Self {
        let data = objstm_data(objs, padding);
        self.stream(
            num,
            &format!("/Type /ObjStm /N {} /First {} /Filter /FlateDecode", objs.len(), data.1),
            &zlib(&data.0),
        )
    }

    fn size(&self) -> u32 {
        self.offsets.iter().map(|(n, _)| n + 1).max().unwrap_or(1)
    }

    /// A classic xref table section with `trailer` (without `/Size`), and where it starts.
    fn xref_table(&mut self, trailer: &str) -> usize {
        let at = self.out.len();
        let size = self.size();
        let mut s = format!("xref\n0 {size}\n0000000000 65535 f \n");
        for n in 1..size {
            match self.offsets.iter().rev().find(|(m, _)| *m == n) {
                Some((_, off)) => writeln!(s, "{off:010} 00000 n "),
                None => writeln!(s, "0000000000 00000 f "),
            }
            .expect("write");
        }
        write!(s, "trailer\n<<{trailer} /Size {size}>>\n").expect("write");
        self.out.extend_from_slice(s.as_bytes());
        at
    }

    fn finish(mut self, trailer: &str) -> Vec<u8> {
        let at = self.xref_table(trailer);
        write!(self.out, "startxref\n{at}\n%%EOF\n").expect("write");
        self.out
    }

    /// Ends with an xref stream (object `num`, PNG Up predictor) listing the objects written
    /// and `in_streams` as (object, object stream, index).
    fn finish_with_xref_stream(mut self, num: u32, in_streams: &[(u32, u32, u32)], trailer: &str) -> Vec<u8> {
        let at = self.out.len();
        self.offsets.push((num, at));
        let size = self.size().max(in_streams.iter().map(|e| e.0 + 1).max().unwrap_or(0));
        let mut rows: Vec<[u8; 7]> = Vec::new();
        for n in 0..size {
            let mut row = [0u8; 7];
            if let Some((_, off)) = self.offsets.iter().find(|(m, _)| *m == n) {
                row[0] = 1;
                row[1..5].copy_from_slice(&u32::try_from(*off).expect("offset").to_be_bytes());
            } else if let Some((_, stm, idx)) = in_streams.iter().find(|e| e.0 == n) {
                row[0] = 2;
                row[1..5].copy_from_slice(&stm.to_be_bytes());
                row[5..7].copy_from_slice(&u16::try_from(*idx).expect("index").to_be_bytes());
            }
            rows.push(row);
        }
        let mut predicted = Vec::new();
        let mut prev = [0u8; 7];
        for row in &rows {
            predicted.push(2);
            predicted.extend(row.iter().zip(prev).map(|(b, p)| b.wrapping_sub(p)));
            prev = *row;
        }
        let dict = format!(
            "/Type /XRef /Size {size} /W [1 4 2] /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >> {trailer}"
        );
        self.offsets.pop();
        self.stream(num, &dict, &zlib(&predicted));
        write!(self.out, "startxref\n{at}\n%%EOF\n").expect("write");
        self.out
    }
}

/// An object stream's decompressed text and its `/First`.
fn objstm_data(objs: &[(u32, &str)], padding: usize) -> (Vec<u8>, usize) {
    let mut body = String::new();
    let mut header = String::new();
    for (n, text) in objs {
        write!(header, "{n} {} ", body.len()).expect("write");
        body.push_str(text);
        body.push(' ');
    }
    let first = header.len();
    let mut data = (header + &body).into_bytes();
    data.resize(data.len() + padding, b' ');
    (data, first)
}

/// Catalog 1 and the objects of a credential file spec 20 and its stream 21.
fn with_credential(pdf: &mut Pdf) {
    pdf.obj(20, "<< /Type /Filespec /F (credential.json) /UF (credential.json) /EF << /F 21 0 R >> >>");
    pdf.stream(21, "/Type /EmbeddedFile", CREDENTIAL);
}

fn timed<T>(f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    assert!(start.elapsed() < CEILING, "took {:?}", start.elapsed());
    out
}

fn credential(pdf: &[u8]) -> Result<Vec<u8>, PdfError> {
    timed(|| embedded_credential_with(pdf, Limits::default()))
}

fn assert_too_complex<T: std::fmt::Debug>(got: Result<T, PdfError>, limit: &str, max: u64) {
    match got {
        Err(PdfError::TooComplex { limit: l, max: m }) if l == limit && m == max => {}
        other => panic!("expected TooComplex {{ {limit}, {max} }}, got {other:?}"),
    }
}

#[test]
fn a_name_tree_listing_the_same_kid_100_times_on_10_levels_is_walked_once() {
    let mut pdf = Pdf::new();
    pdf.obj(1, "<< /Type /Catalog /Names << /EmbeddedFiles 2 0 R >> >>");
    // Node 2 + i lists node 3 + i a hundred times; without a visited set that is 100^10 visits.
    for level in 0..10 {
        let kids = format!("{} 0 R ", 3 + level).repeat(100);
        pdf.obj(2 + level, &format!("<< /Kids [{kids}] >>"));
    }
    pdf.obj(12, "<< /Names [(credential.json) 20 0 R] >>");
    with_credential(&mut pdf);
    let pdf = pdf.finish("/Root 1 0 R");
    assert_eq!(credential(&pdf).expect("credential"), CREDENTIAL);
}

#[test]
fn a_name_tree_cycle_ends_with_no_credential() {
    let mut pdf = Pdf::new();
    pdf.obj(1, "<< /Type /Catalog /Names << /EmbeddedFiles 2 0 R >> >>");
    pdf.obj(2, "<< /Kids [3 0 R 2 0 R] >>");
    pdf.obj(3, "<< /Kids [2 0 R 3 0 R] /Names [(other.json) 4 0 R] >>");
    pdf.obj(4, "<< /Type /Filespec /F (other.json) >>");
    let pdf = pdf.finish("/Root 1 0 R");
    assert!(matches!(credential(&pdf), Err(PdfError::NoCredential)));
}

/// Node `first + i` has the single kid `first + i + 1`, `depth` times.
fn chain(pdf: &mut Pdf, first: u32, depth: u32, node: impl Fn(u32) -> String) {
    for i in 0..depth {
        pdf.obj(first + i, &node(first + i + 1));
    }
}

#[test]
fn a_name_tree_10000_levels_deep_is_too_complex() {
    let mut pdf = Pdf::new();
    pdf.obj(1, "<< /Type /Catalog /Names << /EmbeddedFiles 100 0 R >> >>");
    chain(&mut pdf, 100, 10_000, |kid| format!("<< /Kids [{kid} 0 R] >>"));
    let pdf = pdf.finish("/Root 1 0 R");
    assert_too_complex(credential(&pdf), "tree levels", 32);
}

#[test]
fn a_page_tree_10000_levels_deep_is_too_complex() {
    let mut pdf = Pdf::new();
    pdf.obj(1, "<< /Type /Catalog /Pages 100 0 R >>");
    chain(&mut pdf, 100, 10_000, |kid| format!("<< /Type /Pages /Count 1 /Kids [{kid} 0 R] >>"));
    let pdf = pdf.finish("/Root 1 0 R");
    assert_too_complex(timed(|| printed_text(&pdf)), "tree levels", 32);
}

#[test]
fn more_objects_than_the_limit_is_too_complex() {
    let mut pdf = Pdf::new();
    pdf.obj(1, "<< /Type /Catalog /Names << /EmbeddedFiles 2 0 R >> >>");
    let kids: String = (0..10_001).map(|i| format!("{} 0 R ", 100 + i)).collect();
    pdf.obj(2, &format!("<< /Kids [{kids}] >>"));
    for i in 0..10_001 {
        pdf.obj(100 + i, "<< /Names [] >>");
    }
    let pdf = pdf.finish("/Root 1 0 R");
    assert_too_complex(credential(&pdf), "objects", 10_000);
}

#[test]
fn three_object_streams_of_15_mb_trip_the_total_budget() {
    // The three streams carry the same bytes: each holds objects 1 to 3, and the xref takes
    // object n from stream 9 + n, so the catalog, /Names and /EmbeddedFiles need all three.
    let objs = [
        (1, "<< /Type /Catalog /Names 2 0 R >>"),
        (2, "<< /EmbeddedFiles 3 0 R >>"),
        (3, "<< /Names [(credential.json) 20 0 R] >>"),
    ];
    let (data, first) = objstm_data(&objs, 15 * 1024 * 1024);
    let packed = bomb(&data);
    let dict = format!("/Type /ObjStm /N 3 /First {first} /Filter /FlateDecode");
    let mut pdf = Pdf::new();
    for stm in 10..13 {
        pdf.stream(stm, &dict, &packed);
    }
    with_credential(&mut pdf);
    assert!(pdf.out.len() < 60_000, "the bomb is small: {} bytes", pdf.out.len());
    let pdf = pdf.finish_with_xref_stream(30, &[(1, 10, 0), (2, 11, 1), (3, 12, 2)], "/Root 1 0 R");
    assert_too_complex(credential(&pdf), "decompressed bytes", Limits::default().decompressed);
}

#[test]
fn a_flate_bomb_as_the_embedded_file_is_too_complex() {
    let mut pdf = Pdf::new();
    pdf.obj(1, "<< /Type /Catalog /Names << /EmbeddedFiles << /Names [(credential.json) 20 0 R] >> >> >>");
    pdf.obj(20, "<< /Type /Filespec /F (credential.json) /EF << /F 21 0 R >> >>");
    pdf.stream(21, "/Type /EmbeddedFile /Filter /FlateDecode", &bomb(&vec![b'{'; 17 * 1024 * 1024]));
    let pdf = pdf.finish("/Root 1 0 R");
    assert_too_complex(credential(&pdf), "bytes in credential.json", super::super::attach::MAX_BYTES);
}

#[test]
fn arrays_100000_deep_in_an_object_are_too_complex() {
    for (open, close) in [("[", "]"), ("<< /A ", ">>")] {
        let mut pdf = Pdf::new();
        let deep = format!("{}{}", open.repeat(100_000), close.repeat(100_000));
        pdf.obj(1, &format!("<< /Type /Catalog /X {deep} >>"));
        let pdf = pdf.finish("/Root 1 0 R");
        assert_too_complex(credential(&pdf), "nesting levels in an object", 64);
    }
}

#[test]
fn an_xref_prev_loop_is_an_error() {
    let mut pdf = Pdf::new();
    pdf.obj(1, "<< /Type /Catalog >>");
    // Section a's /Prev is written as zeros of the width of an offset, then patched to b.
    let a = pdf.xref_table("/Root 1 0 R /Prev 0000000000");
    let b = pdf.xref_table(&format!("/Root 1 0 R /Prev {a}"));
    let mut out = pdf.out;
    let at = out.windows(16).position(|w| w == b"/Prev 0000000000").expect("placeholder") + 6;
    out[at..at + 10].copy_from_slice(format!("{b:010}").as_bytes());
    write!(out, "startxref\n{b}\n%%EOF\n").expect("write");
    match credential(&out) {
        Err(PdfError::Read(msg)) => assert!(msg.contains("loops"), "{msg}"),
        other => panic!("expected a /Prev loop error, got {other:?}"),
    }
}

#[test]
fn a_stream_whose_length_is_itself_is_an_error() {
    let mut pdf = Pdf::new();
    pdf.obj(1, "<< /Type /Catalog /Names << /EmbeddedFiles << /Names [(credential.json) 20 0 R] >> >> >>");
    pdf.obj(20, "<< /Type /Filespec /F (credential.json) /EF << /F 21 0 R >> >>");
    pdf.obj(21, "<< /Length 21 0 R >>\nstream\nabc\nendstream");
    let pdf = pdf.finish("/Root 1 0 R");
    assert!(matches!(credential(&pdf), Err(PdfError::Read(m)) if m.contains("needed to read itself")));
}

#[test]
fn filters_other_than_flate_are_refused_by_name() {
    let mut pdf = Pdf::new();
    pdf.obj(1, "<< /Type /Catalog /Names << /EmbeddedFiles << /Names [(credential.json) 20 0 R] >> >> >>");
    pdf.obj(20, "<< /Type /Filespec /F (credential.json) /EF << /F 21 0 R >> >>");
    pdf.stream(21, "/Filter /LZWDecode", b"\x80\x0b");
    let pdf = pdf.finish("/Root 1 0 R");
    assert!(matches!(credential(&pdf), Err(PdfError::UnsupportedFilter(f)) if f == "LZWDecode"));
}

#[test]
fn garbage_and_a_missing_xref_are_read_errors() {
    assert!(matches!(credential(b"%PDF-1.7\nno xref here"), Err(PdfError::Read(_))));
    assert!(matches!(credential(b"%PDF-1.7\nstartxref\n999999\n%%EOF"), Err(PdfError::Read(_))));
    assert!(matches!(credential(b"%PDF-1.7\nstartxref\n0\n%%EOF"), Err(PdfError::Read(_))));
}

/// A one-page document with catalog, names and page objects in an object stream, an xref
/// stream with a PNG predictor, and a page whose font (inherited from /Pages) maps codes
/// through a ToUnicode CMap with a bfrange and a bfchar.
fn modern_pdf() -> Vec<u8> {
    let mut pdf = Pdf::new();
    let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
        1 begincodespacerange <00> <FF> endcodespacerange\n\
        1 beginbfchar <01> <014B> endbfchar\n\
        2 beginbfrange <41> <5A> <0041> <61> <62> [<00E5> <0161>] endbfrange\n\
        endcmap CMapName currentdict /CMap defineresource pop end end";
    pdf.stream(40, "/Filter /FlateDecode", &zlib(cmap));
    let content = b"q 1 0 0 1 10 20 cm BT /F1 12 Tf 72 700 Td (AB\\001) Tj 0 -20 Td [(C) -300 (D)] TJ\n\
        14 TL (ab) ' ET Q BT /F1 9 Tf 1 0 0 1 300 40 Tm <4142> Tj ET\n\
        BT /F1 10 Tf 100 100 Td 2 Tc (AB) Tj [(A) -500 (B)] TJ 50 Tz 3 Ts (A) Tj ET";
    pdf.stream(41, "/Filter /FlateDecode", &zlib(content));
    with_credential(&mut pdf);
    pdf.objstm(
        10,
        &[
            (1, "<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 3 0 R >> >>"),
            (2, "<< /Type /Pages /Count 1 /Kids [4 0 R] /Resources << /Font << /F1 5 0 R >> >> >>"),
            (3, "<< /Kids [6 0 R 7 0 R] >>"),
            (4, "<< /Type /Page /Parent 2 0 R /Contents [41 0 R] >>"),
            (5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 40 0 R /FirstChar 65 /Widths [600 700] >>"),
            (6, "<< /Names [(aaa.txt) null] >>"),
            (7, "<< /Kids [8 0 R] >>"),
            (8, "<< /Names [<FEFF0063007200650064> 20 0 R] >>"),
        ],
        0,
    );
    let in_stream: Vec<(u32, u32, u32)> = (1..=8).map(|n| (n, 10, n - 1)).collect();
    pdf.finish_with_xref_stream(50, &in_stream, "/Root 1 0 R")
}

#[test]
fn an_xref_stream_with_object_streams_and_a_nested_name_tree_yields_the_credential() {
    assert_eq!(credential(&modern_pdf()).expect("credential"), CREDENTIAL);
}

#[test]
fn text_operators_place_runs_and_cmaps_map_codes() {
    let runs = printed_text_with(&modern_pdf(), Limits::default()).expect("text");
    // The last three runs share one text object: each starts where the glyph widths (A 600,
    // B 700 at 10 pt), the character spacing and the TJ adjustment moved the position.
    let expected = [
        (0, 82.0, 720.0, "ABŋ"),
        (0, 82.0, 700.0, "C D"),
        (0, 82.0, 686.0, "åš"),
        (0, 300.0, 40.0, "AB"),
        (0, 100.0, 100.0, "AB"),
        (0, 117.0, 100.0, "A B"),
        (0, 139.0, 103.0, "A"),
    ];
    assert_eq!(runs.len(), expected.len(), "{runs:#?}");
    for (run, (page, x, y, text)) in runs.iter().zip(expected) {
        assert_eq!((run.page, run.text.as_str()), (page, text));
        assert!((run.x - x).abs() < 1e-3 && (run.y - y).abs() < 1e-3, "{run:?} is not at {x}, {y}");
    }
}

#[test]
fn the_object_limit_also_bounds_printed_text() {
    let limits = Limits { objects: 3, ..Limits::default() };
    assert_too_complex(printed_text_with(&modern_pdf(), limits), "objects", 3);
}

/// A one-page document whose content stream is `content`, compressed.
fn one_page(content: &[u8]) -> Vec<u8> {
    let mut pdf = Pdf::new();
    pdf.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
    pdf.obj(2, "<< /Type /Pages /Count 1 /Kids [3 0 R] >>");
    pdf.obj(3, "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>");
    pdf.stream(4, "/Filter /FlateDecode", &bomb(content));
    pdf.finish("/Root 1 0 R")
}

#[test]
fn a_content_stream_bomb_trips_the_total_budget() {
    let pdf = one_page(&vec![b' '; 33 * 1024 * 1024]);
    assert!(pdf.len() < 60_000, "{} bytes", pdf.len());
    assert_too_complex(timed(|| printed_text(&pdf)), "decompressed bytes", Limits::default().decompressed);
}

#[test]
fn more_text_runs_than_the_limit_is_too_complex() {
    let pdf = one_page(&b"BT (a) Tj ET\n".repeat(11));
    let limits = Limits { runs: 10, ..Limits::default() };
    assert_too_complex(printed_text_with(&pdf, limits), "text runs", 10);
    assert_eq!(printed_text(&pdf).expect("text").len(), 11);
}

#[test]
fn an_xref_longer_than_the_limit_is_too_complex() {
    let mut pdf = Pdf::new();
    pdf.obj(1, "<< /Type /Catalog >>");
    let at = pdf.out.len();
    // Free entries are not kept, but reading them is work, so they count.
    let mut xref = String::from("xref\n0 250001\n");
    xref.push_str(&"0000000000 65535 f \n".repeat(250_001));
    write!(xref, "trailer\n<< /Root 1 0 R /Size 250001 >>\nstartxref\n{at}\n%%EOF\n").expect("write");
    pdf.out.extend_from_slice(xref.as_bytes());
    assert_too_complex(credential(&pdf.out), "xref entries", 250_000);
}
