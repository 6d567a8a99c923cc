pub mod auth;
pub mod config;
pub mod db;
pub mod engine;
pub mod service;
pub mod telemetry;
