//! A lazy, bounded reader for PDFs from anyone: bytes in, objects out, only those asked for.
//!
//! The PDF posted to the verification endpoints may be built to hurt. So nothing is parsed
//! eagerly: the xref (tables or streams, along the `/Prev` chain) says where objects are, and
//! an object is parsed from its offset, or from its object stream, only when requested. Each
//! read carries a [`Limits`] budget for the whole request: objects resolved, bytes
//! decompressed across all streams, nesting inside an object, tree depth, tokens and text
//! runs. Passing one is [`PdfError::TooComplex`] naming it, never a hang or an abort.
//! A broken xref is an error; there is no fallback scan of the whole file.

mod filter;
pub(crate) mod lex;
mod page;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use lex::{Dict, Lexer, Obj, Parser, Stream, Tok};

pub use page::printed_text;

use super::PdfError;

/// The caps of one read (one request).
#[derive(Debug, Clone)]
pub(crate) struct Limits {
    /// Indirect objects parsed.
    pub(crate) objects: u64,
    /// Bytes produced by all streams decoded, together.
    pub(crate) decompressed: u64,
    /// Arrays and dictionaries inside one another in one object.
    pub(crate) depth: u32,
    /// Levels of a name tree or page tree.
    pub(crate) tree_depth: u32,
    /// Tokens in one object.
    pub(crate) tokens_per_object: u64,
    /// Tokens in all objects parsed (content streams are not kept, so they count as bytes).
    pub(crate) tokens: u64,
    /// Text runs returned by [`printed_text`].
    pub(crate) runs: u64,
    /// Sections in the xref `/Prev` chain.
    pub(crate) xref_sections: u64,
    /// Entries in all xref sections.
    pub(crate) xref_entries: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            objects: 10_000,
            decompressed: 16 * 1024 * 1024,
            depth: 64,
            tree_depth: 32,
            tokens_per_object: 100_000,
            tokens: 250_000,
            runs: 100_000,
            xref_sections: 32,
            xref_entries: 250_000,
        }
    }
}

/// Pointers to objects are nested (an object stream's `/Length` may be indirect); this many is
/// plenty for a real file and keeps the recursion shallow for a hostile one.
const MAX_NESTED_RESOLVES: usize = 8;

pub(crate) fn malformed(what: impl Into<String>) -> PdfError {
    PdfError::Read(what.into())
}

pub(crate) fn too_complex(limit: &'static str, max: u64) -> PdfError {
    PdfError::TooComplex { limit, max }
}

pub(crate) fn unsupported(what: impl Into<String>) -> PdfError {
    PdfError::UnsupportedFilter(what.into())
}

#[derive(Debug, Clone, Copy)]
enum Entry {
    InFile(usize),
    InStream { stream: u32, index: usize },
}

/// A decompressed object stream: its objects' numbers and offsets, and their text.
struct ObjStm {
    data: Vec<u8>,
    offsets: Vec<(u32, usize)>,
}

pub(crate) struct Reader<'a> {
    pdf: &'a [u8],
    pub(crate) limits: Limits,
    xref: HashMap<u32, Entry>,
    root: Option<u32>,
    objects: HashMap<u32, Rc<Obj>>,
    objstms: HashMap<u32, Rc<ObjStm>>,
    resolving: Vec<u32>,
    resolved: u64,
    entries: u64,
    decompressed: u64,
    tokens: u64,
}

impl<'a> Reader<'a> {
    /// Reads the xref chain; no object is parsed yet.
    pub(crate) fn open(pdf: &'a [u8], limits: Limits) -> Result<Self, PdfError> {
        let mut r = Reader {
            pdf,
            limits,
            xref: HashMap::new(),
            root: None,
            objects: HashMap::new(),
            objstms: HashMap::new(),
            resolving: Vec::new(),
            resolved: 0,
            entries: 0,
            decompressed: 0,
            tokens: 0,
        };
        r.read_xref()?;
        Ok(r)
    }

    /// Runs `f` with a fresh per-object token count, then charges it to the request.
    fn parse<T>(
        &mut self,
        buf: &[u8],
        pos: usize,
        f: impl FnOnce(&mut Parser<'_, '_>) -> Result<T, PdfError>,
    ) -> Result<T, PdfError> {
        let mut count = 0u64;
        let mut p = Parser {
            lex: Lexer::new(buf, pos),
            tokens: &mut count,
            max_tokens: self.limits.tokens_per_object,
            max_depth: self.limits.depth,
        };
        let out = f(&mut p);
        self.tokens += count;
        if self.tokens > self.limits.tokens {
            return Err(too_complex("tokens in all objects", self.limits.tokens));
        }
        out
    }

    fn read_xref(&mut self) -> Result<(), PdfError> {
        let pdf = self.pdf;
        let tail = &pdf[pdf.len().saturating_sub(1024)..];
        let at = tail
            .windows(9)
            .rposition(|w| w == b"startxref")
            .ok_or_else(|| malformed("no startxref near the end of the file"))?;
        let mut lex = Lexer::new(tail, at + 9);
        let Ok(Some(Tok::Int(first))) = lex.next() else { return Err(malformed("startxref has no offset")) };
        let mut next = Some(first);
        let mut seen = HashSet::new();
        while let Some(offset) = next.take() {
            let offset = usize::try_from(offset)
                .ok()
                .filter(|&o| o < pdf.len())
                .ok_or_else(|| malformed(format!("xref offset {offset} is outside the file")))?;
            if !seen.insert(offset) {
                return Err(malformed("the xref /Prev chain loops back on itself"));
            }
            if seen.len() as u64 > self.limits.xref_sections {
                return Err(too_complex("xref sections", self.limits.xref_sections));
            }
            let trailer = self.xref_section(offset)?;
            if self.root.is_none()
                && let Some(Obj::Ref(root)) = trailer.get(b"Root")
            {
                self.root = Some(*root);
            }
            next = trailer.get(b"Prev").and_then(Obj::as_int);
        }
        Ok(())
    }

    /// Reads one xref section (a table, with a hybrid file's `/XRefStm`, or a stream) and
    /// returns its trailer. Sections are read newest first, so an entry already known wins.
    fn xref_section(&mut self, offset: usize) -> Result<Dict, PdfError> {
        let pdf = self.pdf;
        let mut lex = Lexer::new(pdf, offset);
        if lex.next()? == Some(Tok::Keyword(b"xref")) {
            let trailer = self.xref_table(lex)?;
            if let Some(stm) = trailer.get(b"XRefStm").and_then(Obj::as_int) {
                let stm = usize::try_from(stm).map_err(|_| malformed("bad /XRefStm"))?;
                self.xref_stream(stm)?;
            }
            return Ok(trailer);
        }
        self.xref_stream(offset)
    }

    fn add_entry(&mut self, num: u32, entry: Option<Entry>) -> Result<(), PdfError> {
        // Counted as read, not as kept: free and repeated entries cost parsing too.
        self.entries += 1;
        if self.entries > self.limits.xref_entries {
            return Err(too_complex("xref entries", self.limits.xref_entries));
        }
        // Free entries are not recorded: an object freed by an update is then found in an
        // older section, a harmless leniency that keeps the map to live objects.
        if let Some(e) = entry {
            self.xref.entry(num).or_insert(e);
        }
        Ok(())
    }

    fn xref_table(&mut self, mut lex: Lexer<'a>) -> Result<Dict, PdfError> {
        let bad = || malformed("broken xref table");
        loop {
            match lex.next()? {
                Some(Tok::Keyword(b"trailer")) => break,
                Some(Tok::Int(start)) => {
                    let Some(Tok::Int(count)) = lex.next()? else { return Err(bad()) };
                    let start = u32::try_from(start).map_err(|_| bad())?;
                    // The claimed count only bounds a loop over tokens actually present.
                    for i in 0..count.max(0) {
                        let (Some(Tok::Int(off)), Some(Tok::Int(_)), Some(Tok::Keyword(kind))) =
                            (lex.next()?, lex.next()?, lex.next()?)
                        else {
                            return Err(bad());
                        };
                        let num = u32::try_from(i).ok().and_then(|i| start.checked_add(i)).ok_or_else(bad)?;
                        let entry = match kind {
                            b"n" => Some(Entry::InFile(usize::try_from(off).map_err(|_| bad())?)),
                            b"f" => None,
                            _ => return Err(bad()),
                        };
                        self.add_entry(num, entry)?;
                    }
                }
                _ => return Err(bad()),
            }
        }
        let pos = lex.pos;
        let pdf = self.pdf;
        match self.parse(pdf, pos, |p| p.object())? {
            Obj::Dict(d) => Ok(d),
            _ => Err(malformed("the trailer is not a dictionary")),
        }
    }

    fn xref_stream(&mut self, offset: usize) -> Result<Dict, PdfError> {
        let pdf = self.pdf;
        let (_, obj, start) = self.parse(pdf, offset, lex::indirect_at)?;
        let (Obj::Dict(dict), Some(start)) = (obj, start) else {
            return Err(malformed(format!("no xref table or stream at byte {offset}")));
        };
        if dict.get(b"Type").and_then(Obj::as_name) != Some(b"XRef") {
            return Err(malformed(format!("no xref table or stream at byte {offset}")));
        }
        // The xref cannot be used to find its own /Length, so it must be direct.
        let len =
            dict.get(b"Length").and_then(Obj::as_int).ok_or_else(|| malformed("xref stream /Length"))?;
        let stream = self.stream_at(dict, start, len)?;
        let data = self.decode(&stream, None)?;
        let dict = &stream.dict;
        let w: Vec<usize> = dict
            .get(b"W")
            .and_then(Obj::as_array)
            .map(|a| a.iter().filter_map(Obj::as_int).filter_map(|v| usize::try_from(v).ok()).collect())
            .unwrap_or_default();
        if w.len() != 3 || w.iter().any(|&v| v > 8) || w.iter().sum::<usize>() == 0 {
            return Err(malformed("bad xref stream /W"));
        }
        let size = dict.get(b"Size").and_then(Obj::as_int).unwrap_or(0);
        let index: Vec<i64> = match dict.get(b"Index").and_then(Obj::as_array) {
            Some(a) => a.iter().filter_map(Obj::as_int).collect(),
            None => vec![0, size],
        };
        let width: usize = w.iter().sum();
        let mut rows = data.chunks_exact(width);
        let field = |row: &[u8], from: usize, n: usize| {
            row[from..from + n].iter().fold(0u64, |acc, &b| acc << 8 | u64::from(b))
        };
        for pair in index.chunks_exact(2) {
            let start = u32::try_from(pair[0]).map_err(|_| malformed("bad xref stream /Index"))?;
            for i in 0..pair[1].max(0) {
                let Some(row) = rows.next() else { break };
                let kind = if w[0] == 0 { 1 } else { field(row, 0, w[0]) };
                let (f2, f3) = (field(row, w[0], w[1]), field(row, w[0] + w[1], w[2]));
                let num = u32::try_from(i)
                    .ok()
                    .and_then(|i| start.checked_add(i))
                    .ok_or_else(|| malformed("bad xref stream /Index"))?;
                let entry = match kind {
                    1 => usize::try_from(f2).ok().map(Entry::InFile),
                    2 => match (u32::try_from(f2), usize::try_from(f3)) {
                        (Ok(stream), Ok(index)) => Some(Entry::InStream { stream, index }),
                        _ => None,
                    },
                    _ => None,
                };
                self.add_entry(num, entry)?;
            }
        }
        Ok(stream.dict.clone())
    }

    fn stream_at(&self, dict: Dict, start: usize, len: i64) -> Result<Rc<Stream>, PdfError> {
        let end = usize::try_from(len)
            .ok()
            .and_then(|l| start.checked_add(l))
            .filter(|&e| e <= self.pdf.len())
            .ok_or_else(|| malformed("a stream runs past the end of the file"))?;
        Ok(Rc::new(Stream { dict, start, end }))
    }

    /// The document catalog.
    pub(crate) fn catalog(&mut self) -> Result<Rc<Obj>, PdfError> {
        let root = self.root.ok_or_else(|| malformed("the trailer has no /Root"))?;
        let catalog = self.get(root)?;
        if catalog.as_dict().is_none() {
            return Err(malformed("the catalog is not a dictionary"));
        }
        Ok(catalog)
    }

    /// Object `num`, parsed on first request; an object the xref does not list is null.
    pub(crate) fn get(&mut self, num: u32) -> Result<Rc<Obj>, PdfError> {
        if let Some(o) = self.objects.get(&num) {
            return Ok(o.clone());
        }
        let Some(&entry) = self.xref.get(&num) else { return Ok(Rc::new(Obj::Null)) };
        if self.resolving.contains(&num) {
            return Err(malformed(format!("object {num} is needed to read itself")));
        }
        if self.resolving.len() >= MAX_NESTED_RESOLVES {
            return Err(too_complex("nested references", MAX_NESTED_RESOLVES as u64));
        }
        self.resolved += 1;
        if self.resolved > self.limits.objects {
            return Err(too_complex("objects", self.limits.objects));
        }
        self.resolving.push(num);
        let obj = match entry {
            Entry::InFile(offset) => self.parse_in_file(num, offset),
            Entry::InStream { stream, index } => self.parse_in_stream(num, stream, index),
        };
        self.resolving.pop();
        let obj = Rc::new(obj?);
        self.objects.insert(num, obj.clone());
        Ok(obj)
    }

    fn parse_in_file(&mut self, num: u32, offset: usize) -> Result<Obj, PdfError> {
        let pdf = self.pdf;
        if offset >= pdf.len() {
            return Err(malformed(format!("object {num} is listed outside the file")));
        }
        let (found, obj, start) = self.parse(pdf, offset, lex::indirect_at)?;
        if found != num {
            return Err(malformed(format!("the xref points object {num} at object {found}")));
        }
        let (Obj::Dict(dict), Some(start)) = (&obj, start) else { return Ok(obj) };
        let len = match dict.get(b"Length") {
            Some(Obj::Int(l)) => *l,
            Some(Obj::Ref(r)) => self.get(*r)?.as_int().ok_or_else(|| malformed("stream /Length"))?,
            _ => return Err(malformed("stream /Length")),
        };
        Ok(Obj::Stream(self.stream_at(dict.clone(), start, len)?))
    }

    fn parse_in_stream(&mut self, num: u32, stream: u32, index: usize) -> Result<Obj, PdfError> {
        let stm = self.objstm(stream)?;
        let offset = match stm.offsets.get(index) {
            Some(&(n, off)) if n == num => off,
            _ => stm
                .offsets
                .iter()
                .find(|(n, _)| *n == num)
                .map(|(_, off)| *off)
                .ok_or_else(|| malformed(format!("object {num} is not in object stream {stream}")))?,
        };
        self.parse(&stm.data, offset, |p| p.object())
    }

    /// Object stream `num`, decompressed on first need and kept for the request.
    fn objstm(&mut self, num: u32) -> Result<Rc<ObjStm>, PdfError> {
        if let Some(s) = self.objstms.get(&num) {
            return Ok(s.clone());
        }
        let obj = self.get(num)?;
        let stream =
            obj.as_stream().ok_or_else(|| malformed(format!("object {num} is not an object stream")))?;
        let first = stream.dict.get(b"First").and_then(Obj::as_int);
        let count = stream.dict.get(b"N").and_then(Obj::as_int);
        let (Some(first), Some(count)) = (first, count) else {
            return Err(malformed(format!("object stream {num} lacks /First or /N")));
        };
        let data = self.decode(stream, None)?;
        let first = usize::try_from(first).ok().filter(|&f| f <= data.len());
        let first = first.ok_or_else(|| malformed(format!("object stream {num} has a bad /First")))?;
        let header = &data[..first];
        let offsets = self.parse(header, 0, |p| {
            let mut offsets = Vec::new();
            for _ in 0..count.max(0) {
                let (Some(Tok::Int(n)), Some(Tok::Int(off))) = (p.token()?, p.token()?) else { break };
                match (u32::try_from(n), usize::try_from(off)) {
                    (Ok(n), Ok(off)) if first + off < data.len() => offsets.push((n, first + off)),
                    _ => return Err(malformed(format!("object stream {num} has a bad header"))),
                }
            }
            Ok(offsets)
        })?;
        let stm = Rc::new(ObjStm { data, offsets });
        self.objstms.insert(num, stm.clone());
        Ok(stm)
    }

    /// `o` itself, or the object it refers to.
    pub(crate) fn resolve(&mut self, o: &Obj) -> Result<Rc<Obj>, PdfError> {
        match o {
            Obj::Ref(r) => self.get(*r),
            other => Ok(Rc::new(other.clone())),
        }
    }

    /// The value under `key` in `dict`, resolved; null when absent.
    pub(crate) fn key(&mut self, dict: &Dict, key: &[u8]) -> Result<Rc<Obj>, PdfError> {
        match dict.get(key) {
            Some(o) => self.resolve(o),
            None => Ok(Rc::new(Obj::Null)),
        }
    }

    /// The decoded bytes of `stream`, charged to the request's budget; `cap` is a tighter
    /// limit for this stream alone, with its name.
    pub(crate) fn decode(
        &mut self,
        stream: &Stream,
        cap: Option<(&'static str, u64)>,
    ) -> Result<Vec<u8>, PdfError> {
        let filters = self.key(&stream.dict, b"Filter")?;
        let parms = self.key(&stream.dict, b"DecodeParms")?;
        let filters: Vec<Obj> = match &*filters {
            Obj::Null => Vec::new(),
            Obj::Array(a) => a.clone(),
            other => vec![other.clone()],
        };
        let mut data = Cow::Borrowed(&self.pdf[stream.start..stream.end]);
        for (i, filter) in filters.iter().enumerate() {
            let parm = match &*parms {
                Obj::Array(a) => a.get(i).cloned().unwrap_or(Obj::Null),
                other => other.clone(),
            };
            let parm = self.resolve(&parm)?;
            let name = self.resolve(filter)?;
            match name.as_name() {
                Some(b"FlateDecode" | b"Fl") => {
                    let left = self.limits.decompressed.saturating_sub(self.decompressed);
                    let limit = match cap {
                        Some((name, max)) if max < left => (name, max),
                        _ => ("decompressed bytes", self.limits.decompressed),
                    };
                    let out =
                        filter::inflate(&data, left.min(limit.1))?.ok_or(too_complex(limit.0, limit.1))?;
                    data = Cow::Owned(filter::unpredict(out, parm.as_dict())?);
                }
                Some(other) => return Err(unsupported(String::from_utf8_lossy(other))),
                None => return Err(malformed("a stream /Filter is not a name")),
            }
        }
        self.charge(&data, cap)?;
        Ok(data.into_owned())
    }

    fn charge(&mut self, data: &[u8], cap: Option<(&'static str, u64)>) -> Result<(), PdfError> {
        if let Some((name, max)) = cap
            && data.len() as u64 > max
        {
            return Err(too_complex(name, max));
        }
        self.decompressed += data.len() as u64;
        if self.decompressed > self.limits.decompressed {
            return Err(too_complex("decompressed bytes", self.limits.decompressed));
        }
        Ok(())
    }
}
