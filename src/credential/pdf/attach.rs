//! The signed credential as a PDF file attachment, and reading it back.
//!
//! Written as an `/EmbeddedFiles` name-tree entry `credential.json` (MIME
//! `application/ld+json`) and listed in the catalog's `/AF` with relationship `Alternative`,
//! the PDF/A-3 way of saying "the same content, machine-readable". Reading accepts any PDF
//! with an embedded file of that name, wherever it sits in the name tree, and caps the
//! decompressed size: the PDF may come from anyone.

use std::collections::HashSet;
use std::rc::Rc;

use chrono::NaiveDate;
use lopdf::{Dictionary, Document, Object, Stream, StringFormat};

use super::PdfError;
use super::read::lex::Obj;
use super::read::{Limits, Reader};

/// The attachment's file name.
const FILE_NAME: &str = "credential.json";
/// Four times the bound on a credential's JSON (`credential::limits`): what is larger would be
/// refused after inflating anyway, so it is not inflated.
pub(super) const MAX_BYTES: u64 = 1024 * 1024;

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
/// credential.json), for offline verification. Reads through the bounded reader: the PDF may
/// come from anyone.
pub fn embedded_credential(pdf: &[u8]) -> Result<Vec<u8>, PdfError> {
    embedded_credential_with(pdf, Limits::default())
}

pub(super) fn embedded_credential_with(pdf: &[u8], limits: Limits) -> Result<Vec<u8>, PdfError> {
    let mut r = Reader::open(pdf, limits)?;
    let spec = find_spec(&mut r)?.ok_or(PdfError::NoCredential)?;
    let spec = spec.as_dict().ok_or(PdfError::NoCredential)?;
    let ef = r.key(spec, b"EF")?;
    let ef = ef.as_dict().ok_or(PdfError::NoCredential)?;
    let mut file = r.key(ef, b"UF")?;
    if file.as_stream().is_none() {
        file = r.key(ef, b"F")?;
    }
    let stream = file.as_stream().ok_or(PdfError::NoCredential)?;
    r.decode(stream, Some(("bytes in credential.json", MAX_BYTES)))
}

/// The file specification of `credential.json` in the catalog's `/EmbeddedFiles` tree. The
/// tree is walked depth first, each node at most once, so shared or cyclic kids cost nothing.
fn find_spec(r: &mut Reader<'_>) -> Result<Option<Rc<Obj>>, PdfError> {
    let catalog = r.catalog()?;
    let Some(catalog) = catalog.as_dict() else { return Ok(None) };
    let names = r.key(catalog, b"Names")?;
    let Some(names) = names.as_dict() else { return Ok(None) };
    let mut visited = HashSet::new();
    if let Some(Obj::Ref(id)) = names.get(b"EmbeddedFiles") {
        visited.insert(*id);
    }
    let mut stack = vec![(r.key(names, b"EmbeddedFiles")?, 0u32)];
    while let Some((node, depth)) = stack.pop() {
        let Some(node) = node.as_dict() else { continue };
        let pairs = r.key(node, b"Names")?;
        for pair in pairs.as_array().unwrap_or_default().chunks(2) {
            let [key, value] = pair else { continue };
            let key = r.resolve(key)?;
            let spec = r.resolve(value)?;
            let named = |o: Option<&Obj>| o.and_then(Obj::as_str).is_some_and(is_file_name);
            let spec_dict = spec.as_dict();
            if named(Some(&key))
                || named(spec_dict.and_then(|d| d.get(b"UF")))
                || named(spec_dict.and_then(|d| d.get(b"F")))
            {
                return Ok(Some(spec));
            }
        }
        let kids = r.key(node, b"Kids")?;
        let Some(kids) = kids.as_array() else { continue };
        if depth >= r.limits.tree_depth {
            return Err(PdfError::TooComplex { limit: "tree levels", max: u64::from(r.limits.tree_depth) });
        }
        for kid in kids.iter().rev() {
            if let Obj::Ref(id) = kid
                && !visited.insert(*id)
            {
                continue;
            }
            stack.push((r.resolve(kid)?, depth + 1));
        }
    }
    Ok(None)
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
