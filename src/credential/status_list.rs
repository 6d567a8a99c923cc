//! W3C Bitstring Status List: the bitstring, and its `encodedList` form (multibase base64url,
//! a leading `u`, of the GZIP of the bits). Bit 0 is the most significant bit of the first byte.

use std::io::{Read, Write};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;

/// The smallest list the specification allows (16 KiB): one entry's status then says nothing
/// about whose credential it is.
pub const MIN_ENTRIES: usize = 131_072;

/// Errors decoding an `encodedList`.
#[derive(Debug, thiserror::Error)]
pub enum StatusListError {
    /// Not multibase base64url (`u…`).
    #[error("encodedList is not multibase base64url")]
    Encoding,
    /// Not GZIP.
    #[error("encodedList is not GZIP data")]
    Gzip,
    /// An index beyond the list.
    #[error("index {0} is beyond the list of {1} entries")]
    OutOfRange(usize, usize),
}

/// A bitstring of statuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitstring(Vec<u8>);

impl Bitstring {
    /// `entries` bits, all clear; rounded up to whole bytes.
    pub fn new(entries: usize) -> Bitstring {
        Bitstring(vec![0; entries.div_ceil(8)])
    }

    /// From stored bytes.
    pub fn from_bytes(bytes: Vec<u8>) -> Bitstring {
        Bitstring(bytes)
    }

    /// The raw bytes, for storage.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len() * 8
    }

    /// True for a list with no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The bit at `index`.
    pub fn get(&self, index: usize) -> Result<bool, StatusListError> {
        let byte = self.0.get(index / 8).ok_or(StatusListError::OutOfRange(index, self.len()))?;
        Ok(byte & (0x80 >> (index % 8)) != 0)
    }

    /// Sets the bit at `index` to `value`.
    pub fn set(&mut self, index: usize, value: bool) -> Result<(), StatusListError> {
        let len = self.len();
        let byte = self.0.get_mut(index / 8).ok_or(StatusListError::OutOfRange(index, len))?;
        let mask = 0x80 >> (index % 8);
        if value {
            *byte |= mask;
        } else {
            *byte &= !mask;
        }
        Ok(())
    }

    /// The `encodedList` value.
    pub fn encode(&self) -> String {
        let mut gz = GzEncoder::new(Vec::new(), Compression::best());
        gz.write_all(&self.0).expect("writing to a Vec cannot fail");
        format!("u{}", URL_SAFE_NO_PAD.encode(gz.finish().expect("finishing a Vec cannot fail")))
    }

    /// Parses an `encodedList` value.
    pub fn decode(encoded: &str) -> Result<Bitstring, StatusListError> {
        let b64 = encoded.strip_prefix('u').ok_or(StatusListError::Encoding)?;
        let gz = URL_SAFE_NO_PAD.decode(b64.trim_end_matches('=')).map_err(|_| StatusListError::Encoding)?;
        let mut bits = Vec::new();
        GzDecoder::new(&gz[..]).read_to_end(&mut bits).map_err(|_| StatusListError::Gzip)?;
        Ok(Bitstring(bits))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_zero_is_the_most_significant_bit_of_the_first_byte() {
        let mut b = Bitstring::new(16);
        b.set(0, true).unwrap();
        b.set(9, true).unwrap();
        assert_eq!(b.as_bytes(), &[0b1000_0000, 0b0100_0000]);
        assert!(b.get(0).unwrap() && b.get(9).unwrap() && !b.get(1).unwrap());
        b.set(0, false).unwrap();
        assert_eq!(b.as_bytes()[0], 0);
    }

    #[test]
    fn encoded_lists_round_trip_and_start_with_u() {
        let mut b = Bitstring::new(MIN_ENTRIES);
        b.set(94_567, true).unwrap();
        let e = b.encode();
        assert!(e.starts_with('u'));
        assert!(e.len() < 200, "an almost empty list compresses well: {}", e.len());
        let d = Bitstring::decode(&e).unwrap();
        assert_eq!(d.len(), MIN_ENTRIES);
        assert!(d.get(94_567).unwrap());
    }

    #[test]
    fn out_of_range_and_bad_encodings_are_errors() {
        let mut b = Bitstring::new(8);
        assert!(b.set(8, true).is_err());
        assert!(Bitstring::decode("zabc").is_err());
        assert!(Bitstring::decode("uAAAA").is_err());
    }
}
