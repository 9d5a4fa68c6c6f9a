//! The congress's own cycle (docs/congress.md): meetings recorded by the presidium with the
//! deputies present ([`create_meeting`]), and livelihood projects chosen by the deputies' vote
//! ([`candidates`]) and judged by their assessment ([`assessments`]), and the deliberation
//! opinions sent to the government ([`opinions`]). Reads are the organisation's and those below
//! it; every write is the presidium's (but a leader's answer to an opinion), audited, and
//! version-checked.

mod assessments;
mod candidates;
mod figures;
mod opinion_reads;
mod opinions;

use chrono::{Datelike, NaiveDate};
use jiandu_domain::congress::MeetingKind;
use jiandu_domain::validate::{self, limits};
use jiandu_domain::{Reason, Text, field};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

pub use self::assessments::{
    NewAssessment, RECTIFICATION, assessments_of_meetings, assessments_of_projects,
    record_assessment,
};
pub use self::candidates::{
    NewCandidate, Tally, candidates_by_ids, candidates_of_meetings, candidates_of_projects,
    candidates_of_year, propose_candidate, record_vote, shortlist_candidate,
};
pub use self::figures::figures_of;
pub use self::opinion_reads::{
    opinions, opinions_by_ids, opinions_of_leader, opinions_of_meetings, outside_the_government,
};
pub use self::opinions::{
    NewOpinion, OpinionAnswer, answer_opinion, judge_opinion, record_opinion,
};
use super::kernel::audit::Action;
use super::kernel::command::{Audit, Command};
use super::kernel::tables;
use super::views::MeetingView;
use super::{Actor, Ctx};
use crate::entity::{Stored, meeting, meeting_attendee, person};
use crate::error::AppError;

/// Deputies a meeting may count: a county's congress is a few hundred.
const MOST_DEPUTIES: i32 = 2_000;

/// A meeting as the presidium records it.
pub struct NewMeeting {
    pub kind: MeetingKind,
    pub title: String,
    pub held_on: NaiveDate,
    pub place: Option<String>,
    /// The deputies present, by name; or only their number (`deputies_present`).
    pub attendee_ids: Vec<Uuid>,
    pub deputies_total: Option<i32>,
    pub deputies_present: Option<i32>,
}

/// Records a meeting held (today or before), with all the deputies and those present: named
/// (their number is the count) or only counted.
#[tracing::instrument(skip_all, fields(actor = %actor.username))]
pub async fn create_meeting(
    ctx: &Ctx,
    actor: &Actor,
    new: NewMeeting,
) -> Result<MeetingView, AppError> {
    let organization = actor.organization_id();
    actor.access.check_manage(organization, "meetings")?;
    let title = Text::parse(field::TITLE, &new.title, limits::TITLE)?;
    let place = Text::parse_optional(field::PLACE, new.place.as_deref(), limits::NAME)?;
    let total = new
        .deputies_total
        .ok_or_else(|| AppError::required(field::DEPUTIES_TOTAL, "how many deputies there are"))?;
    if !(1..=MOST_DEPUTIES).contains(&total) {
        return Err(AppError::invalid(
            field::DEPUTIES_TOTAL,
            Reason::OutOfRange {
                min: 1,
                max: i64::from(MOST_DEPUTIES),
            },
            format!("a congress has 1 to {MOST_DEPUTIES} deputies"),
        ));
    }
    let mut attendees: Vec<Uuid> = Vec::with_capacity(new.attendee_ids.len());
    for id in new.attendee_ids {
        if !attendees.contains(&id) {
            attendees.push(id);
        }
    }
    let present = match (attendees.len(), new.deputies_present) {
        (0, Some(count)) => count,
        (0, None) => {
            return Err(AppError::required(
                field::ATTENDEE_IDS,
                "name the deputies present, or give their number (deputiesPresent)",
            ));
        }
        (named, Some(count)) if usize::try_from(count).ok() != Some(named) => {
            return Err(AppError::invalid(
                field::DEPUTIES_PRESENT,
                Reason::Other,
                format!("{named} deputies are named present, not {count}"),
            ));
        }
        (named, _) => i32::try_from(named).unwrap_or(i32::MAX),
    };
    if !(0..=total).contains(&present) {
        return Err(AppError::invalid(
            field::DEPUTIES_PRESENT,
            Reason::OutOfRange {
                min: 0,
                max: i64::from(total),
            },
            format!("at most the {total} deputies there are"),
        ));
    }
    let mut cmd = Command::begin(ctx, actor).await?;
    let held_on = validate::past_day(field::HELD_ON, new.held_on, cmd.today_in(organization))?;
    for &id in &attendees {
        cmd.refer::<person::Entity>(organization, id, field::ATTENDEE_IDS)
            .await?;
    }
    let now = cmd.now;
    let row = meeting::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        organization_id: Set(organization),
        kind: Set(Stored(new.kind)),
        title: Set(title.into_string()),
        held_on: Set(held_on),
        place: Set(place.map(Text::into_string)),
        deputies_total: Set(total),
        deputies_present: Set(present),
        created_by: Set(actor.user_id()),
        created_at: Set(now),
        version: Set(1),
        updated_at: Set(now),
    };
    let row = cmd
        .create::<meeting::Entity>(row, Audit::new(Action::MeetingCreate))
        .await?;
    if !attendees.is_empty() {
        let rows = attendees
            .iter()
            .map(|&person_id| meeting_attendee::ActiveModel {
                meeting_id: Set(row.id),
                person_id: Set(person_id),
            });
        meeting_attendee::Entity::insert_many(rows)
            .exec_without_returning(cmd.db())
            .await?;
    }
    cmd.finish(MeetingView::from(row)).await
}

/// The meetings the actor may read, of `year` (by the day held) or all, newest first.
pub async fn meetings(
    ctx: &Ctx,
    actor: &Actor,
    year: Option<i32>,
) -> Result<Vec<MeetingView>, AppError> {
    let mut query = actor.readable().select::<meeting::Entity>();
    if let Some(year) = year {
        let first = NaiveDate::from_ymd_opt(year, 1, 1);
        let last = NaiveDate::from_ymd_opt(year, 12, 31);
        if let (Some(first), Some(last)) = (first, last) {
            query = query.filter(meeting::Column::HeldOn.between(first, last));
        }
    }
    tables::all(
        query
            .order_by_desc(meeting::Column::HeldOn)
            .order_by_desc(meeting::Column::Id),
        ctx.db.conn(),
    )
    .await
}

pub async fn meetings_by_ids(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<MeetingView>, AppError> {
    tables::by_ids::<meeting::Entity>(actor, ids, ctx.db.conn()).await
}

/// The deputies named present at each of the meetings `ids` the actor may read.
pub async fn attendees(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, Uuid)>, AppError> {
    tables::links::<meeting_attendee::Entity>(actor, ids, ctx.db.conn()).await
}

/// The year a meeting's votes count in.
pub fn year_of(meeting: &MeetingView) -> i32 {
    meeting.held_on.year()
}
