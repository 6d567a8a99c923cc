//! Signed certificates: keys, the Open Badges 3.0 credential, its proofs, status lists.
//!
//! Policy: no actix and no diesel. Functions take keys, times and documents as arguments;
//! nothing here reads the clock, the network or the database.

pub mod did;
pub mod keys;
pub mod pdf;
pub mod status_list;
