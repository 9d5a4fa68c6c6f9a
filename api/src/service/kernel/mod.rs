//! The kernel every use case stands on, apart from the features built on it:
//!
//! - [`command`]: the write kernel — transaction, actor, the target loaded within what the actor
//!   may read at the version the client saw, the write, its audit event, the commit;
//! - [`tables`]: the tables written through the kernel, each registered once;
//! - [`tenant`]: the tenant rule (what an actor may read), the one SQL form of it;
//! - [`actor`]: the acting user, their organisations' zones and rules;
//! - [`audit`]: the audit trail written with every change, and read back as history;
//! - [`cache`] and [`memo`]: small tables and computed figures kept in memory;
//! - [`sequences`]: numbers handed out in order (督办单 and suggestion numbers);
//! - [`idempotency`]: a retried mutation answered once.
//!
//! The kernel imports no feature module except the working-day rules an actor carries
//! (`service::workdays`); see docs/architecture.md.

pub mod action;
pub mod actor;
pub mod audit;
pub mod cache;
pub mod command;
pub mod idempotency;
pub mod memo;
pub mod sequences;
pub mod tables;
pub mod tenant;
