//! The `deliberation_opinion` table: a deliberation opinion (审议意见) recorded at a report
//! hearing and sent to a responsible leader, its points with their feedback and judgements, and
//! the reply deadline that climbs the notice ladder.

use jiandu_domain::congress::{OpinionStatus, PointJudgement};
use sea_orm::FromJsonQueryResult;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use super::Stored;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deliberation_opinion")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    /// The report hearing it was recorded at.
    pub meeting_id: Uuid,
    pub title: String,
    pub points: Points,
    pub responsible_leader_id: Uuid,
    /// 交办: the organisation's day it was sent.
    pub sent_on: Date,
    pub reply_deadline: Date,
    /// The day the reply deadline is due by (off a rest day when the organisation says so).
    pub due_by: Date,
    pub status: Stored<OpinionStatus>,
    pub answered_on: Option<Date>,
    pub answered_by: Option<Uuid>,
    pub judged_on: Option<Date>,
    pub judged_by: Option<Uuid>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

/// An opinion's points, in the order they were made: they belong to it and change with it, under
/// its version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct Points(pub Vec<Point>);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Point {
    pub id: Uuid,
    pub text: String,
    /// The government's feedback on it (反馈).
    pub feedback: Option<String>,
    /// The presidium's judgement (落实 / 部分落实 / 未落实).
    pub judgement: Option<Stored<PointJudgement>>,
}

super::unrelated!();
