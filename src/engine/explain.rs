//! Explanations of outcomes for people, in Swedish, Finnish and English.
