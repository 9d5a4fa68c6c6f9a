//! The `suggestion_answer` table: one answer per round of a suggestion, with the lead deputy's
//! rating of it.

use jiandu_domain::Rating;
use jiandu_domain::suggestion::AnswerClass;
use sea_orm::entity::prelude::*;

use super::Stored;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "suggestion_answer")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub suggestion_id: Uuid,
    pub round: i32,
    pub answered_on: Date,
    pub answer_class: Stored<AnswerClass>,
    pub text: String,
    pub met_deputy: bool,
    pub answered_by: Uuid,
    pub answered_at: DateTimeUtc,
    pub feedback: Option<Stored<Rating>>,
    pub feedback_note: Option<String>,
    pub feedback_on: Option<Date>,
    pub feedback_by: Option<Uuid>,
}

super::unrelated!();
