//! The `livelihood_candidate` table: a livelihood project (民生实事) proposed, shortlisted and put
//! to the deputies' vote, with its tally, its resolution and the project it became.

use jiandu_domain::congress::{CandidateSource, CandidateStatus};
use sea_orm::entity::prelude::*;

use super::Stored;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "livelihood_candidate")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub year: i32,
    pub title: String,
    pub description: Option<String>,
    pub source: Stored<CandidateSource>,
    /// The deputy's suggestion it came from.
    pub suggestion_id: Option<Uuid>,
    pub status: Stored<CandidateStatus>,
    /// The congress session it was voted on.
    pub meeting_id: Option<Uuid>,
    pub votes_for: Option<i32>,
    pub votes_against: Option<i32>,
    pub abstentions: Option<i32>,
    /// 思人决〔2026〕1号
    pub resolution_number: Option<String>,
    /// The project made when it passed.
    pub project_id: Option<Uuid>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

super::unrelated!();
