//! Signed certificates: keys, the Open Badges 3.0 credential, its proofs, status lists.
//!
//! Policy: no web framework and no database access. Functions take keys, times and documents as
//! arguments; nothing here reads the clock, the network or the database.

pub mod canon;
pub mod contexts;
pub mod did;
pub mod error;
pub mod jwt;
pub mod keys;
pub mod limits;
pub mod ob;
pub mod offline;
pub mod pdf;
pub mod proof;
pub mod status_list;
pub mod verify;

#[cfg(test)]
mod test_keys;
#[cfg(test)]
mod w3c_vectors;
