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

super::unrelated!();
