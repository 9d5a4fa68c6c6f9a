//! Findings (整改事项): what an inspection found to be rectified, by a named leader by a date.
//! The responsible leader rectifies and resolves; a deputy or the presidium — never the one who
//! resolved it — verifies or sends it back. Deadlines move only with a reason on record.

use chrono::NaiveDate;
use jiandu_domain::Reason;
use jiandu_domain::field;
use jiandu_domain::inspection::FindingStep;
use jiandu_domain::validate::{self, limits};
use jiandu_domain::{DeadlineState, FindingStatus, Text};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::filter::{self, Todays};
use super::kernel::command::{Audit, Command};
use super::page::{Page, PageRequest};
use super::views::{DeadlineChangeView, FindingView};
use super::{Actor, Ctx};
use super::{deadlines, duties};
use crate::entity::{Stored, finding, finding_deadline_change};
use crate::error::AppError;
use crate::service::kernel::audit::Action;
use crate::service::kernel::tables;

#[derive(Default, Clone)]
pub struct FindingFilter {
    pub organization_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
    pub leader_id: Option<Uuid>,
    pub status: Option<Vec<FindingStatus>>,
    pub deadline_state: Option<Vec<DeadlineState>>,
    pub as_of: Option<NaiveDate>,
    /// Imported past their deadline and awaiting the presidium's confirmation.
    pub historical: Option<bool>,
}

/// Findings are listed by deadline, then id.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FindingKey(NaiveDate, Uuid);

fn key(f: &FindingView) -> FindingKey {
    FindingKey(f.due_by, f.id)
}

/// Moves a finding along its life: RECTIFYING and RESOLVED by the responsible leader (or the
/// presidium); VERIFIED, or back to RECTIFYING, by a deputy or the presidium who did not resolve
/// it. A resolution needs its text and a rejection its reason.
#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn update_finding(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    status: FindingStatus,
    resolution: Option<&str>,
    note: Option<&str>,
) -> Result<FindingView, AppError> {
    let resolution = Text::parse_optional(field::RESOLUTION, resolution, limits::DESCRIPTION)?;
    let note = Text::note(note)?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let current = cmd
        .load::<finding::Entity, _>(id, Some(expected_version), |f| {
            authorise(actor, f, f.status.0.step_to(status)?)
        })
        .await?;
    let step = current.before.status.step_to(status)?;
    if let (FindingStep::Accept | FindingStep::Reject, Some(resolver)) =
        (step, current.row.resolved_by)
    {
        duties::check_not_own(cmd.db(), actor, resolver, "a rectification they resolved").await?;
    }
    let before = &current.before;
    let mut next = current.edit();
    next.status = Set(Stored(status));
    // A step on an imported item is the presidium's word that it is live again.
    next.historical = Set(false);
    let audit = match step {
        FindingStep::Start => {
            Audit::new(Action::FindingStart).with("note", note.map(Text::into_string))
        }
        FindingStep::Resolve => {
            let resolution = resolution.ok_or_else(|| {
                AppError::required(field::RESOLUTION, "say how the finding was rectified")
            })?;
            let now = cmd.now;
            next.resolution = Set(Some(resolution.into_string()));
            next.resolved_at = Set(Some(now));
            next.resolved_on = Set(Some(actor.zone_of(before.organization_id).date_of(now)));
            next.resolved_by = Set(Some(actor.user_id()));
            super::extensions::withdraw_when_done(
                &mut cmd,
                super::extensions::ItemOf::Finding(before.id),
            )
            .await?;
            Audit::new(Action::FindingResolve).with("note", note.map(Text::into_string))
        }
        FindingStep::Reject => {
            // A rejection's reason may come as `note` or, for older clients, as `resolution`.
            let Some(remark) = note.or(resolution) else {
                return Err(AppError::required(
                    field::NOTE,
                    "say why the rectification is not accepted",
                ));
            };
            next.resolved_at = Set(None);
            next.resolved_on = Set(None);
            next.resolved_by = Set(None);
            // Kept with the step too: a later check replaces the finding's own note.
            let audit = Audit::new(Action::FindingReject).with("note", remark.as_str());
            next.verification_note = Set(Some(remark.into_string()));
            audit
        }
        FindingStep::Accept => {
            let remark = note.or(resolution).map(Text::into_string);
            next.verification_note = Set(remark.clone());
            Audit::new(Action::FindingAccept).with("note", remark)
        }
    };
    cmd.finish_update(&current, next, audit).await
}

/// Who may take a finding a step: the responsible leader (or the presidium) rectifies and
/// resolves; a deputy or the presidium who did not resolve it verifies or sends it back.
fn authorise(actor: &Actor, f: &finding::Model, step: FindingStep) -> Result<(), AppError> {
    match step {
        FindingStep::Start | FindingStep::Resolve => Ok(actor
            .access
            .check_answer(f.organization_id, f.responsible_leader_id)?),
        FindingStep::Accept | FindingStep::Reject => {
            actor
                .access
                .check_inspect(f.organization_id, "verify a rectification")?;
            if f.resolved_by == Some(actor.user_id()) {
                return Err(AppError::Forbidden(
                    "nobody verifies their own resolution; another deputy or the presidium must"
                        .into(),
                ));
            }
            Ok(())
        }
    }
}

/// Moves an open finding's deadline; the original and every move with its reason stay on record.
#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn reschedule_finding(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    new_deadline: NaiveDate,
    reason: &str,
) -> Result<FindingView, AppError> {
    let reason = Text::reason(reason)?;
    let new_deadline = validate::plausible_date(field::NEW_DEADLINE, new_deadline)?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let current = cmd
        .load_managed::<finding::Entity>(id, Some(expected_version), "a finding's deadline")
        .await?;
    let before = &current.before;
    if !before.status.is_open() {
        return Err(AppError::invalid(
            field::STATUS,
            Reason::WrongState,
            format!("a {} finding cannot be rescheduled", before.status),
        ));
    }
    let mut next =
        deadlines::moved(&cmd, &current, new_deadline, &reason, actor.user_id(), None).await?;
    next.historical = Set(false);
    let audit = Audit::new(Action::FindingReschedule).with("reason", reason.as_str());
    cmd.finish_update(&current, next, audit).await
}

pub async fn findings_by_ids(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<FindingView>, AppError> {
    tables::by_ids::<finding::Entity>(actor, ids, ctx.db.conn()).await
}

fn in_list_order(query: sea_orm::Select<finding::Entity>) -> sea_orm::Select<finding::Entity> {
    query
        .order_by_asc(finding::Column::DueBy)
        .order_by_asc(finding::Column::Id)
}

/// The findings of each inspection, by deadline.
pub async fn findings_of_inspections(
    ctx: &Ctx,
    actor: &Actor,
    inspection_ids: &[Uuid],
) -> Result<Vec<FindingView>, AppError> {
    let readable = actor.readable().select::<finding::Entity>();
    tables::all(
        in_list_order(
            readable.filter(finding::Column::InspectionId.is_in(inspection_ids.iter().copied())),
        ),
        ctx.db.conn(),
    )
    .await
}

/// The findings of each project, by deadline.
pub async fn findings_of_projects(
    ctx: &Ctx,
    actor: &Actor,
    project_ids: &[Uuid],
) -> Result<Vec<FindingView>, AppError> {
    if let Some(kept) = super::kept::findings_of_projects(ctx, actor, project_ids).await {
        return Ok(kept);
    }
    let readable = actor.readable().select::<finding::Entity>();
    tables::all(
        in_list_order(
            readable.filter(finding::Column::ProjectId.is_in(project_ids.iter().copied())),
        ),
        ctx.db.conn(),
    )
    .await
}

pub async fn deadline_changes_of(
    ctx: &Ctx,
    actor: &Actor,
    finding_ids: &[Uuid],
) -> Result<Vec<(Uuid, DeadlineChangeView)>, AppError> {
    use finding_deadline_change::{Column, Entity};
    Ok(actor
        .readable()
        .hanging_off::<finding::Entity, Entity>(Column::FindingId, finding_ids)
        .order_by_asc(finding_deadline_change::Column::ChangedAt)
        .order_by_asc(finding_deadline_change::Column::Id)
        .all(ctx.db.conn())
        .await?
        .into_iter()
        .map(|m| (m.finding_id, DeadlineChangeView::from(m)))
        .collect())
}

/// Findings matching `filter`, by deadline, as indexed SQL.
pub async fn list_findings(
    ctx: &Ctx,
    actor: &Actor,
    filter: FindingFilter,
    page: PageRequest<FindingKey>,
) -> Result<Page<FindingView>, AppError> {
    use finding::Column as C;
    let readable = actor.reads(filter.organization_id)?;
    let mut condition = Condition::all().add(readable.filter::<finding::Entity>());
    if let Some(project_id) = filter.project_id {
        condition = condition.add(C::ProjectId.eq(project_id));
    }
    if let Some(leader_id) = filter.leader_id {
        condition = condition.add(C::ResponsibleLeaderId.eq(leader_id));
    }
    if let Some(status) = &filter.status {
        condition = condition.add(C::Status.is_in(status.iter().copied().map(Stored)));
    }
    if let Some(historical) = filter.historical {
        condition = condition.add(C::Historical.eq(historical));
    }
    if let Some(states) = &filter.deadline_state {
        let todays = Todays::new(actor, readable.organizations(), ctx.now(), filter.as_of);
        condition = condition.add(filter::finding_states(states, &todays));
    }
    let base = finding::Entity::find().filter(condition);
    let total = base.clone().count(ctx.db.conn()).await?;
    let mut query = in_list_order(base).limit(page.first + 1);
    if let Some(FindingKey(due_by, id)) = page.after {
        let col = |c: C| Expr::col((finding::Entity, c));
        query = query.filter(
            Condition::any()
                .add(col(C::DueBy).gt(due_by))
                .add(col(C::DueBy).eq(due_by).and(col(C::Id).gt(id))),
        );
    }
    let rows = tables::all(query, ctx.db.conn()).await?;
    Ok(Page::from_rows(rows, page.first, total, key))
}

/// Pages through a project's already ordered findings with the same cursors as `list_findings`.
pub fn page_in_memory(items: Vec<FindingView>, page: PageRequest<FindingKey>) -> Page<FindingView> {
    let after = page.after.map(|FindingKey(_, id)| id);
    Page::in_memory(items, page.first, after, |f| f.id, key)
}
