//! sea-orm models, one per table. Only `service` uses them; the API speaks in service views.

pub mod app_user;
pub mod attachment;
pub mod audit_event;
pub mod calendar_feed;
pub mod constituent_contact;
pub mod contact_receiver;
pub mod deadline_change;
pub mod extension_request;
pub mod finding;
pub mod finding_deadline_change;
pub mod idempotency_key;
pub mod inspection;
pub mod inspection_milestone;
pub mod inspection_participant;
pub mod milestone;
pub mod notice;
pub mod notice_copy;
pub mod notice_delivery;
pub mod notice_sequence;
pub mod organization;
pub mod organization_settings;
pub mod person;
pub mod progress_report;
pub mod project;
pub mod session;
mod stored;
pub mod suggestion;
pub mod suggestion_answer;
pub mod suggestion_co_unit;
pub mod suggestion_cosigner;
pub mod suggestion_sequence;
pub mod unit;
pub mod webhook;
pub mod work_calendar_day;

pub use stored::Stored;
