//! Copies upward (抄送): a supervision order left unsigned for the organisation's
//! `acknowledgeWithinWorkingDays` goes to the recipient's superior as well, once.

use std::collections::HashSet;

use chrono::NaiveDate;
use jiandu_domain::NoticeKind;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::db::Event;
use crate::entity::{Stored, finding, milestone, notice, notice_copy, project};
use crate::error::AppError;
use crate::service::kernel::audit::Action;
use crate::service::kernel::audit::Change;
use crate::service::kernel::command::Command;
use crate::service::workdays::Rules;

/// Copies each order left unacknowledged for `acknowledgeWithinWorkingDays` to the recipient's
/// superior — the head of their unit, else the lead leader of the item's project — once.
pub(super) async fn copy_upward(
    cmd: &mut Command<'_>,
    rules: &Rules,
    organization: Uuid,
    day: NaiveDate,
) -> Result<u32, AppError> {
    let within = rules
        .settings_of(organization)
        .acknowledge_within_working_days;
    let waiting = notice::Entity::find()
        .filter(notice::Column::OrganizationId.eq(organization))
        .filter(notice::Column::Kind.eq(Stored(NoticeKind::SupervisionOrder)))
        .filter(notice::Column::AcknowledgedAt.is_null())
        .all(cmd.db())
        .await?;
    let late: Vec<notice::Model> = waiting
        .into_iter()
        .filter(|n| rules.calendar.workdays_between(n.issued_on, day) >= within)
        .collect();
    if late.is_empty() {
        return Ok(0);
    }
    let copied: HashSet<(Uuid, Uuid)> = notice_copy::Entity::find()
        .filter(notice_copy::Column::NoticeId.is_in(late.iter().map(|n| n.id)))
        .all(cmd.db())
        .await?
        .into_iter()
        .map(|c| (c.notice_id, c.person_id))
        .collect();
    let people = cmd.ctx.people.all(&cmd.ctx.db).await?;
    let units = cmd.ctx.units.all(&cmd.ctx.db).await?;
    let head_of = |person: Uuid| {
        let unit = people.iter().find(|p| p.id == person)?.unit_id?;
        units.iter().find(|u| u.id == unit)?.head_id
    };
    let mut copies = 0;
    for n in late {
        let project = match (n.milestone_id, n.finding_id) {
            (Some(m), _) => milestone::Entity::find_by_id(m)
                .one(cmd.db())
                .await?
                .map(|m| m.project_id),
            (None, Some(f)) => finding::Entity::find_by_id(f)
                .one(cmd.db())
                .await?
                .and_then(|f| f.project_id),
            (None, None) => None,
        };
        let lead = match project {
            Some(p) => project::Entity::find_by_id(p)
                .one(cmd.db())
                .await?
                .and_then(|p| p.lead_leader_id),
            None => None,
        };
        let superior = head_of(n.recipient_id)
            .filter(|head| *head != n.recipient_id)
            .or(lead.filter(|lead| *lead != n.recipient_id));
        let Some(superior) = superior else { continue };
        if copied.contains(&(n.id, superior)) {
            continue;
        }
        notice_copy::ActiveModel {
            notice_id: Set(n.id),
            person_id: Set(superior),
            copied_at: Set(cmd.now),
        }
        .insert(cmd.db())
        .await?;
        cmd.announce(Event::NoticeIssued {
            notice: n.id,
            person: superior,
            organization,
        });
        cmd.record(Change {
            organization_id: organization,
            action: Action::NoticeCopy,
            entity_type: "Notice",
            entity_id: n.id,
            before: None,
            after: Some(serde_json::json!({ "copiedTo": superior, "number": n.number })),
        })
        .await?;
        copies += 1;
    }
    Ok(copies)
}
