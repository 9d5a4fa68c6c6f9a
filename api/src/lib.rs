//! The Jiandu server: configuration, command line, HTTP (poem) and GraphQL (async-graphql) over
//! services that apply the rules of `jiandu_domain` to a SQLite or PostgreSQL database.
//!
//! Requests flow one way: `http` → `graphql` (or the workbench's pages, `web`) → `service` →
//! `entity`.

pub mod app;
pub mod cli;
pub mod config;
pub mod db;
pub mod entity;
pub mod error;
pub mod files;
pub mod graphql;
pub mod http;
pub mod seed;
pub mod service;
pub mod telemetry;
pub mod web;

pub use app::App;
pub use config::Config;
