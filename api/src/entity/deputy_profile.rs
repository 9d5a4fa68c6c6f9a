//! The `deputy_profile` table: a person on the roster of deputies (代表名册) — level, term,
//! constituency, group, the villages they link and whether they serve.

use jiandu_domain::deputies::DeputyLevel;
use sea_orm::FromJsonQueryResult;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use super::Stored;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deputy_profile")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    /// One profile a person.
    pub person_id: Uuid,
    pub level: Stored<DeputyLevel>,
    /// 届: 第二届
    pub term: String,
    /// 选区
    pub constituency: Option<String>,
    /// 代表小组
    pub group_name: Option<String>,
    pub villages: Villages,
    /// 在任; false once the term or the mandate ended.
    pub active: bool,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

/// The villages a deputy links (分工联系到村), in the order given.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct Villages(pub Vec<String>);

super::unrelated!();
