//! The ledger's 审议意见 sheet: every deliberation opinion the reader may see, each organisation's
//! in the order sent, with its hearing, leader and reply deadline as of the ledger's day.

use chrono::NaiveDate;
use jiandu_domain::{DeadlineState, Light};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::Ledger;
use crate::entity::{deliberation_opinion, meeting};
use crate::error::AppError;
use crate::service::kernel::tables;
use crate::service::views::OpinionView;

/// An opinion as the 审议意见 sheet prints it, one row a point.
pub struct OpinionRow {
    pub opinion: OpinionView,
    pub meeting: String,
    pub held_on: Option<NaiveDate>,
    pub leader: String,
    pub state: DeadlineState,
    pub light: Light,
}

/// Opinions read together.
const OPINIONS_PER_PAGE: u64 = 500;

impl Ledger {
    /// The next page of deliberation opinions, by the day sent; empty once all have been read. A
    /// project's ledger holds none (an opinion is the hearing's, not a project's).
    pub async fn next_opinions(&mut self) -> Result<Vec<OpinionRow>, AppError> {
        use deliberation_opinion::Column as C;
        if self.opinions_done || self.project_id.is_some() {
            return Ok(Vec::new());
        }
        let db = self.ctx.db.conn();
        let mut query = self.readable.select::<deliberation_opinion::Entity>();
        if let Some((sent_on, id)) = self.opinions_after {
            query = query.filter(
                Expr::tuple([Expr::col(C::SentOn), Expr::col(C::Id)])
                    .gt(Expr::tuple([Expr::value(sent_on), Expr::value(id)])),
            );
        }
        let opinions: Vec<OpinionView> = tables::all(
            query
                .order_by_asc(C::SentOn)
                .order_by_asc(C::Id)
                .limit(OPINIONS_PER_PAGE),
            db,
        )
        .await?;
        self.opinions_done = (opinions.len() as u64) < OPINIONS_PER_PAGE;
        self.opinions_after = opinions.last().map(|o| (o.sent_on, o.id));
        let meetings: Vec<(Uuid, String, NaiveDate)> = meeting::Entity::find()
            .select_only()
            .columns([
                meeting::Column::Id,
                meeting::Column::Title,
                meeting::Column::HeldOn,
            ])
            .filter(meeting::Column::Id.is_in(opinions.iter().map(|o| o.meeting_id)))
            .into_tuple()
            .all(db)
            .await?;
        Ok(opinions
            .into_iter()
            .map(|o| {
                let today = self.today_of(o.organization_id);
                let tracked = o.tracked();
                let held = meetings.iter().find(|(id, ..)| *id == o.meeting_id);
                OpinionRow {
                    meeting: held.map(|(_, title, _)| title.clone()).unwrap_or_default(),
                    held_on: held.map(|(.., on)| *on),
                    leader: Self::name(&self.people, o.responsible_leader_id),
                    state: tracked.deadline_state(&today),
                    light: tracked.light(&today),
                    opinion: o,
                }
            })
            .collect())
    }
}
