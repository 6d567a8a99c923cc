//! The integration tests: the real application over HTTP, on SQLite and on PostgreSQL.

mod helpers;

mod admin_pages;
mod assessor_pages;
mod audit;
mod auth;
mod bad_input;
mod browser;
mod candidate_pages;
mod certificates;
mod cli;
mod coaching;
mod concurrency;
mod entry_feedback;
mod frameworks;
mod gaps;
mod health;
mod hostile;
mod instances;
mod interop;
mod local_dates;
mod openapi_contract;
mod ops;
mod pages;
mod panel;
mod plan_pages;
mod plan_story;
mod plans;
mod printed;
mod sessions;
mod status;
mod story;
mod tidy;
mod verifier_pages;
mod verify_contract;
