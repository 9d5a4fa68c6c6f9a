//! End-to-end tests of the public API over HTTP. One binary, so it links once.
#![allow(clippy::unwrap_used)] // a test that meets the unexpected should stop there

mod access;
mod accounts;
mod agreement;
mod annual;
mod backdating;
mod bench_data;
mod browsers;
mod cli;
mod concurrency;
mod counting;
mod crash;
mod demo;
mod deputies;
mod duties;
mod evidence;
mod extensions;
mod faults;
mod fuzz;
mod hostile;
mod idempotency;
mod input;
mod leaders;
mod names;
mod on_time;
mod overload;
mod queries;
mod resilience;
mod sign_in;
mod sign_off;
mod slow_clients;
mod story;
mod tenancy;
mod time;
mod workdays;
