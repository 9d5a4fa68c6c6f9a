//! The `app_user` table.

use jiandu_domain::Role;
use sea_orm::entity::prelude::*;

use super::Stored;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "app_user")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub username: String,
    pub password_hash: String,
    pub role: Stored<Role>,
    pub person_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    /// Set while the account is disabled: it cannot sign in, and had its sessions ended.
    pub disabled_at: Option<DateTimeUtc>,
    /// After a reset and on first start: the next sign-in may only choose a new password.
    pub must_change_password: bool,
    pub version: i32,
    pub updated_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The person who holds the account (none for a read-only account of nobody).
    #[sea_orm(
        belongs_to = "super::person::Entity",
        from = "Column::PersonId",
        to = "super::person::Column::Id"
    )]
    Holder,
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Holder.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
