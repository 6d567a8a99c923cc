//! Hostile and well-formed PDFs, built byte by byte, through the bounded reader.
