//! The `constituent_contact` table: a constituent's visit, letter, call or message (来信来访). The
//! constituent's name and phone are personal information: the service shows them to the
//! presidium only.

use jiandu_domain::suggestion::{ContactKind, ContactStatus};
use sea_orm::entity::prelude::*;

use super::Stored;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "constituent_contact")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub kind: Stored<ContactKind>,
    pub received_on: Date,
    pub constituent_name: Option<String>,
    pub constituent_phone: Option<String>,
    pub summary: String,
    pub status: Stored<ContactStatus>,
    pub transferred_to: Option<Uuid>,
    pub reply_due: Option<Date>,
    pub reply: Option<String>,
    pub replied_on: Option<Date>,
    pub closed_on: Option<Date>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

super::unrelated!();
