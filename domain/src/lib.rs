//! The rules of supervision, with no IO: what a deadline means in an organisation's time zone,
//! which state and light a milestone or finding is in, how lights and progress roll up a tree,
//! which status may follow which, who may do what, and what counts as valid input.
//!
//! Every query, filter, report and job in Jiandu answers "is it late?" through this crate, so the
//! answer is the same everywhere.

pub mod access;
pub mod congress;
pub mod deadline;
pub mod deputies;
pub mod evidence;
pub mod extension;
pub mod field;
pub mod import;
pub mod inspection;
pub mod notice;
pub mod reason;
pub mod report;
pub mod rollup;
pub mod settings;
pub mod status;
pub mod suggestion;
pub mod time;
pub mod validate;
pub mod workdays;

pub use access::{Access, Denied, Role};
pub use deadline::{DeadlineState, Light, Pace, Today, Tracked};
pub use extension::ExtensionStatus;
pub use inspection::{FindingStatus, InspectionKind, Rating};
pub use notice::{DeliveryStatus, NoticeKind, NoticeLevel, WebhookKind};
pub use status::{Closure, MilestoneStatus, ProjectOrigin, ProjectStatus};
pub use time::Zone;
pub use validate::{Invalid, Reason, Text};
pub use workdays::{DayKind, WorkCalendar};

/// A new time-ordered identifier (UUID v7), so primary keys index in creation order.
pub fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}
