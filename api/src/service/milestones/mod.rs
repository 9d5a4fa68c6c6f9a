//! Milestones (推进时间节点): the tree a project is split into, with a responsible leader, unit
//! and deadline each, and their whole life: progress reports, reschedules, completion,
//! verification and cancellation. The commands are in `commands`, the reads in `queries`; here
//! are the types and the tree rules both use.

use chrono::NaiveDate;
use jiandu_domain::{DeadlineState, MilestoneStatus, Reason, field};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::kernel::command::{Audit, Command, Current};
use super::views::MilestoneView;
use crate::db::Event;
use crate::entity::{Stored, milestone};
use crate::error::AppError;

mod commands;
mod historical;
mod queries;
mod reports;
mod sign_off;

pub use commands::*;
pub use historical::*;
pub use queries::*;
pub use reports::*;
pub use sign_off::*;

/// How deep a milestone tree may grow: project → task → sub-task → step.
const MAX_DEPTH: usize = 4;

pub struct NewMilestone {
    pub project_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub title: String,
    pub description: Option<String>,
    pub responsible_leader_id: Uuid,
    pub responsible_unit_id: Uuid,
    pub responsible_person_id: Option<Uuid>,
    pub start_date: Option<NaiveDate>,
    pub deadline: NaiveDate,
    pub weight: Option<i64>,
}

/// Changes to a milestone; for clearable fields `Some(None)` clears and `None` keeps.
#[derive(Default)]
pub struct MilestoneChanges {
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    pub responsible_leader_id: Option<Uuid>,
    pub responsible_unit_id: Option<Uuid>,
    pub responsible_person_id: Option<Option<Uuid>>,
    pub start_date: Option<Option<NaiveDate>>,
}

#[derive(Default, Clone, PartialEq, Eq)]
pub struct MilestoneFilter {
    pub organization_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
    pub leader_id: Option<Uuid>,
    pub unit_id: Option<Uuid>,
    pub status: Option<Vec<MilestoneStatus>>,
    pub deadline_state: Option<Vec<DeadlineState>>,
    pub deadline_from: Option<NaiveDate>,
    pub deadline_to: Option<NaiveDate>,
    pub as_of: Option<NaiveDate>,
    /// Only the imported items awaiting the presidium's word (or only the others).
    pub historical: Option<bool>,
}

/// The sort key of milestone lists: the day each is due by, then title, then id (compared in
/// that order, as the lists' SQL orders them).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MilestoneKey(NaiveDate, String, Uuid);

impl MilestoneKey {
    pub fn of(m: &MilestoneView) -> MilestoneKey {
        MilestoneKey(m.due_by, m.title.clone(), m.id)
    }
}

fn key(m: &MilestoneView) -> MilestoneKey {
    MilestoneKey::of(m)
}

/// Writes `next` through the kernel as the command's last write and, when status or progress
/// moved, works out the ancestors' progress again; commits and answers the new state.
async fn save(
    mut cmd: Command<'_>,
    current: &Current<milestone::Entity>,
    next: milestone::ActiveModel,
    audit: Audit,
) -> Result<MilestoneView, AppError> {
    let after = write(&mut cmd, current, next, audit).await?;
    cmd.finish(after).await
}

/// [`save`] within a command that goes on (a batch step).
async fn write(
    cmd: &mut Command<'_>,
    current: &Current<milestone::Entity>,
    next: milestone::ActiveModel,
    audit: Audit,
) -> Result<MilestoneView, AppError> {
    let after = cmd.update(current, next, audit).await?;
    if after.status != current.before.status || after.progress != current.before.progress {
        refresh_ancestors(cmd, after.parent_id).await?;
    }
    Ok(after)
}

async fn children(
    db: &impl ConnectionTrait,
    parent_id: Uuid,
) -> Result<Vec<milestone::Model>, AppError> {
    Ok(milestone::Entity::find()
        .filter(milestone::Column::ParentId.eq(parent_id))
        .all(db)
        .await?)
}

/// Refuses to end a milestone while any of its sub-milestones is still open (OPEN_CHILDREN, with
/// how many); `first` says what to do with them first ("cancel them", "complete or cancel them").
async fn no_open_children(
    db: &impl ConnectionTrait,
    id: Uuid,
    first: &str,
) -> Result<(), AppError> {
    let count = children(db, id)
        .await?
        .iter()
        .filter(|c| c.status.0.is_open())
        .count();
    if count == 0 {
        return Ok(());
    }
    Err(AppError::invalid(
        field::ID,
        Reason::OpenChildren { count },
        format!("{count} sub-milestone(s) are still open; {first} first"),
    ))
}

/// Recomputes the progress of every ancestor from its children, bottom up; subscribers hear of
/// each ancestor that moved.
pub(crate) async fn refresh_ancestors(
    cmd: &mut Command<'_>,
    mut parent_id: Option<Uuid>,
) -> Result<(), AppError> {
    for _ in 0..MAX_DEPTH {
        let Some(id) = parent_id else { break };
        let Some(parent) = milestone::Entity::find_by_id(id).one(cmd.db()).await? else {
            break;
        };
        let shares = children(cmd.db(), id).await?.into_iter().map(|c| {
            let v = MilestoneView::from(c);
            jiandu_domain::rollup::Share {
                progress: v.progress,
                weight: v.weight,
                closure: v.status.closure(v.completed_on),
            }
        });
        let status = parent.status.0;
        if let Some(mean) = jiandu_domain::rollup::mean_progress(shares)
            && status.is_open()
            && i32::from(mean) != parent.progress
        {
            let mut next: milestone::ActiveModel = parent.clone().into();
            next.progress = Set(i32::from(mean));
            if status == MilestoneStatus::NotStarted && mean > 0 {
                next.status = Set(Stored(MilestoneStatus::InProgress));
            }
            next.update(cmd.db()).await?;
            cmd.announce(Event::MilestoneChanged {
                milestone: id,
                organization: parent.organization_id,
            });
        }
        parent_id = parent.parent_id;
    }
    Ok(())
}
