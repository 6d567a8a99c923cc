//! Stream filters: FlateDecode with a hard output cap, and the PNG and TIFF predictors that
//! xref streams use. Certificates need nothing else, so other filters are refused.

use std::io::Read;

use flate2::read::ZlibDecoder;

use super::super::PdfError;
use super::lex::Dict;
use super::malformed;

/// Inflates `data` to at most `cap` bytes; `Ok(None)` means the output would pass the cap.
/// Reading through `take` stops the inflater itself, so a bomb never gets to allocate.
pub(crate) fn inflate(data: &[u8], cap: u64) -> Result<Option<Vec<u8>>, PdfError> {
    let mut out = Vec::new();
    ZlibDecoder::new(data)
        .take(cap.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| malformed(format!("a compressed stream is corrupt: {e}")))?;
    Ok((out.len() as u64 <= cap).then_some(out))
}

fn param(parms: Option<&Dict>, key: &[u8], default: i64) -> i64 {
    parms.and_then(|p| p.get(key)).and_then(|o| o.as_int()).unwrap_or(default)
}

/// Undoes a `/Predictor` from the filter's `/DecodeParms`; the output is never longer than
/// the input, so it needs no budget of its own.
pub(crate) fn unpredict(data: Vec<u8>, parms: Option<&Dict>) -> Result<Vec<u8>, PdfError> {
    let predictor = param(parms, b"Predictor", 1);
    if predictor == 1 {
        return Ok(data);
    }
    let colors = param(parms, b"Colors", 1);
    let bpc = param(parms, b"BitsPerComponent", 8);
    let columns = param(parms, b"Columns", 1);
    let bad = || malformed("bad predictor parameters");
    if !(1..=32).contains(&colors) || ![1, 2, 4, 8, 16].contains(&bpc) || columns < 1 {
        return Err(bad());
    }
    let bits = colors.checked_mul(bpc).and_then(|b| b.checked_mul(columns)).ok_or_else(bad)?;
    let row = usize::try_from((bits + 7) / 8).map_err(|_| bad())?;
    // A row longer than the whole stream is a claim, not data; refuse it before allocating.
    if row > data.len() {
        return Err(malformed("predictor rows are longer than the stream"));
    }
    let bpp = usize::try_from((colors * bpc + 7) / 8).map_err(|_| bad())?.max(1);
    match predictor {
        2 => tiff(data, row, bpc, bpp),
        10..=15 => png(&data, row, bpp),
        other => Err(super::unsupported(format!("predictor {other}"))),
    }
}

fn tiff(mut data: Vec<u8>, row: usize, bpc: i64, bpp: usize) -> Result<Vec<u8>, PdfError> {
    if bpc != 8 {
        return Err(super::unsupported(format!("TIFF predictor with {bpc} bits per component")));
    }
    for line in data.chunks_mut(row) {
        for i in bpp..line.len() {
            line[i] = line[i].wrapping_add(line[i - bpp]);
        }
    }
    Ok(data)
}

fn png(data: &[u8], row: usize, bpp: usize) -> Result<Vec<u8>, PdfError> {
    let mut out = Vec::with_capacity(data.len());
    let mut prev = vec![0u8; row];
    for chunk in data.chunks(row + 1) {
        let (&kind, line) = chunk.split_first().ok_or_else(|| malformed("empty predictor row"))?;
        let mut cur = line.to_vec();
        for i in 0..cur.len() {
            let left = if i >= bpp { cur[i - bpp] } else { 0 };
            let up = prev[i];
            let up_left = if i >= bpp { prev[i - bpp] } else { 0 };
            let add = match kind {
                0 => 0,
                1 => left,
                2 => up,
                3 => ((u16::from(left) + u16::from(up)) / 2) as u8,
                4 => paeth(left, up, up_left),
                other => return Err(malformed(format!("unknown PNG row filter {other}"))),
            };
            cur[i] = cur[i].wrapping_add(add);
        }
        out.extend_from_slice(&cur);
        prev[..cur.len()].copy_from_slice(&cur);
    }
    Ok(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = ((p - i16::from(a)).abs(), (p - i16::from(b)).abs(), (p - i16::from(c)).abs());
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}
