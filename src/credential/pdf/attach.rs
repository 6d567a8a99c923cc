//! The signed credential as a PDF file attachment, and reading it back.
//!
//! Written as an `/EmbeddedFiles` name-tree entry `credential.json` (MIME
//! `application/ld+json`) and listed in the catalog's `/AF` with relationship `Alternative`,
//! the PDF/A-3 way of saying "the same content, machine-readable". Reading accepts any PDF
//! with an embedded file of that name, wherever it sits in the name tree, and caps the
//! decompressed size: the PDF may come from anyone.

use chrono::NaiveDate;
use lopdf::{Dictionary, Document, LoadOptions, Object, Stream, StringFormat};

use super::PdfError;

/// The attachment's file name.
const FILE_NAME: &str = "credential.json";
/// Far above any real credential, far below a decompression bomb.
const MAX_BYTES: usize = 16 * 1024 * 1024;
/// Name trees in real PDFs are a few levels deep; this stops reference cycles.
const MAX_DEPTH: usize = 16;

fn text(s: &str) -> Object {
    Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
}

/// Embeds `json` as `credential.json`, dated `issued_on`.
pub(super) fn attach_credential(
    doc: &mut Document,
    json: &[u8],
    issued_on: NaiveDate,
) -> Result<(), PdfError> {
    let date = issued_on.format("D:%Y%m%d000000Z").to_string();
    let mut params = Dictionary::new();
    params.set("Size", Object::Integer(json.len() as i64));
    params.set("ModDate", text(&date));
    let mut file = Dictionary::new();
    file.set("Type", Object::Name(b"EmbeddedFile".to_vec()));
    file.set("Subtype", Object::Name(b"application/ld+json".to_vec()));
    file.set("Params", Object::Dictionary(params));
    let stream_id = doc.add_object(Stream::new(file, json.to_vec()));

    let mut ef = Dictionary::new();
    ef.set("F", Object::Reference(stream_id));
    ef.set("UF", Object::Reference(stream_id));
    let mut spec = Dictionary::new();
    spec.set("Type", Object::Name(b"Filespec".to_vec()));
    spec.set("F", text(FILE_NAME));
    spec.set("UF", text(FILE_NAME));
    spec.set("Desc", text("Signed credential (Open Badges 3.0, JSON-LD)"));
    spec.set("AFRelationship", Object::Name(b"Alternative".to_vec()));
    spec.set("EF", Object::Dictionary(ef));
    let spec_id = doc.add_object(spec);

    let mut tree = Dictionary::new();
    tree.set("Names", Object::Array(vec![text(FILE_NAME), Object::Reference(spec_id)]));
    let mut names = Dictionary::new();
    names.set("EmbeddedFiles", Object::Dictionary(tree));
    let names_id = doc.add_object(names);
    // printpdf writes neither /Names nor /AF, so setting them replaces nothing.
    let catalog = doc.catalog_mut().map_err(PdfError::Write)?;
    catalog.set("Names", Object::Reference(names_id));
    catalog.set("AF", Object::Array(vec![Object::Reference(spec_id)]));
    Ok(())
}

/// The embedded credential of a PDF made by `render` (or any PDF with an embedded file named
/// credential.json), for offline verification.
pub fn embedded_credential(pdf: &[u8]) -> Result<Vec<u8>, PdfError> {
    let options = LoadOptions::with_max_decompressed_size(MAX_BYTES);
    let doc = Document::load_mem_with_options(pdf, options).map_err(PdfError::Read)?;
    let spec = find_spec(&doc).ok_or(PdfError::NoCredential)?;
    let ef = spec.get_deref(b"EF", &doc).and_then(Object::as_dict).map_err(|_| PdfError::NoCredential)?;
    let stream = ef
        .get_deref(b"UF", &doc)
        .or_else(|_| ef.get_deref(b"F", &doc))
        .and_then(Object::as_stream)
        .map_err(|_| PdfError::NoCredential)?;
    stream.decompressed_content_with_limit(MAX_BYTES).map_err(PdfError::Read)
}

/// The file specification of `credential.json` in the catalog's `/EmbeddedFiles` tree.
fn find_spec(doc: &Document) -> Option<&Dictionary> {
    let names = doc.catalog().ok()?.get_deref(b"Names", doc).ok()?.as_dict().ok()?;
    let root = names.get_deref(b"EmbeddedFiles", doc).ok()?.as_dict().ok()?;
    search(doc, root, 0)
}

fn search<'a>(doc: &'a Document, node: &'a Dictionary, depth: usize) -> Option<&'a Dictionary> {
    if depth > MAX_DEPTH {
        return None;
    }
    if let Ok(pairs) = node.get(b"Names").and_then(Object::as_array) {
        for pair in pairs.chunks(2) {
            let [key, value] = pair else { continue };
            let Ok(spec) = doc.dereference(value).and_then(|(_, o)| o.as_dict()) else { continue };
            let named = |o: Result<&Object, lopdf::Error>| {
                o.ok().and_then(|o| o.as_str().ok()).is_some_and(is_file_name)
            };
            if named(Ok(key)) || named(spec.get(b"UF")) || named(spec.get(b"F")) {
                return Some(spec);
            }
        }
    }
    let kids = node.get(b"Kids").and_then(Object::as_array).ok()?;
    kids.iter()
        .filter_map(|kid| doc.dereference(kid).ok()?.1.as_dict().ok())
        .find_map(|kid| search(doc, kid, depth + 1))
}

/// Whether a PDF text string (PDFDocEncoding/ASCII or UTF-16BE with BOM) says `credential.json`.
fn is_file_name(bytes: &[u8]) -> bool {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => {
            let units: Vec<u16> = utf16.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
            String::from_utf16(&units).is_ok_and(|s| s == FILE_NAME)
        }
        None => bytes == FILE_NAME.as_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_match_in_both_pdf_text_encodings() {
        assert!(is_file_name(b"credential.json"));
        let utf16: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("credential.json".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert!(is_file_name(&utf16));
        assert!(!is_file_name(b"credential.json.txt"));
    }
}
