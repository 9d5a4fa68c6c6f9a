//! sea-orm models, one per table. Only `service` uses them; the API speaks in service views.

/// The end of a table's model when sea-orm needs no relation from it (the services join by id):
/// an empty `Relation` and the default write behaviour.
macro_rules! unrelated {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    };
}
use unrelated;

/// A table of deadline moves of one kind of item (`$item` names the item's column): where each
/// deadline came from, why it moved, and whether it moved after it had passed.
macro_rules! deadline_moves {
    ($table:literal, $item:ident) => {
        use sea_orm::entity::prelude::*;

        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = $table)]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub id: Uuid,
            pub $item: Uuid,
            pub from_date: Date,
            pub to_date: Date,
            pub reason: String,
            pub changed_by: Uuid,
            pub changed_at: DateTimeUtc,
            /// The extension request whose approval made this move.
            pub extension_request_id: Option<Uuid>,
            /// 逾期后调整: made after the deadline in force had already passed.
            pub late_change: bool,
        }

        super::unrelated!();
    };
}
use deadline_moves;

/// A table of the last number taken, per organisation and year, for one numbered kind.
macro_rules! yearly_numbers {
    ($table:literal) => {
        use sea_orm::entity::prelude::*;

        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = $table)]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub organization_id: Uuid,
            #[sea_orm(primary_key, auto_increment = false)]
            pub year: i32,
            pub last_number: i32,
        }

        super::unrelated!();
    };
}
use yearly_numbers;

pub mod app_user;
pub mod assessment;
pub mod attachment;
pub mod audit_event;
pub mod bulletin_number;
pub mod bulletin_sequence;
pub mod calendar_feed;
pub mod constituent_contact;
pub mod contact_receiver;
pub mod deadline_change;
pub mod deliberation_opinion;
pub mod deputy_profile;
pub mod duty_activity;
pub mod extension_request;
pub mod finding;
pub mod finding_deadline_change;
pub mod idempotency_key;
pub mod import_draft;
pub mod inspection;
pub mod inspection_milestone;
pub mod inspection_participant;
pub mod livelihood_candidate;
pub mod meeting;
pub mod meeting_attendee;
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
pub mod resolution_sequence;
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
