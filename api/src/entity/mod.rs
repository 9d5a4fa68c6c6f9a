//! sea-orm models, one per table. Only `service` uses them; the API speaks in service views.

pub mod app_user;
pub mod audit_event;
pub mod deadline_change;
pub mod milestone;
pub mod organization;
pub mod person;
pub mod progress_report;
pub mod project;
pub mod session;
pub mod unit;
