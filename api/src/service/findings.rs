//! Findings (整改事项): what an inspection found to be rectified, by a named leader by a date.
//! The responsible leader rectifies and resolves; a deputy or the presidium — never the one who
//! resolved it — verifies or sends it back. Deadlines move only with a reason on record.

use chrono::{DateTime, NaiveDate, Utc};
use jiandu_domain::inspection::FindingStep;
use jiandu_domain::validate::{self, limits};
use jiandu_domain::{DeadlineState, FindingStatus, Text};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TryIntoModel,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::audit::{self, Change};
use super::filter::{self, Todays};
use super::page::{Page, PageRequest};
use super::views::{DeadlineChangeView, FindingView};
use super::{Actor, Ctx};
use crate::entity::{finding, finding_deadline_change};
use crate::error::AppError;

#[derive(Default, Clone)]
pub struct FindingFilter {
    pub organization_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
    pub leader_id: Option<Uuid>,
    pub status: Option<Vec<FindingStatus>>,
    pub deadline_state: Option<Vec<DeadlineState>>,
    pub as_of: Option<NaiveDate>,
}

/// Findings are listed by deadline, then id.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FindingKey(NaiveDate, Uuid);

fn key(f: &FindingView) -> FindingKey {
    FindingKey(f.deadline, f.id)
}

async fn load(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
) -> Result<finding::Model, AppError> {
    let current = finding::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|f| actor.scope.can_read(f.organization_id))
        .ok_or_else(|| AppError::not_found("finding"))?;
    if current.version == expected_version {
        Ok(current)
    } else {
        Err(AppError::stale("the finding"))
    }
}

/// Writes `next` if nobody changed the finding since `expected_version`, and records the change.
async fn save(
    db: &impl ConnectionTrait,
    actor: &Actor,
    before: &FindingView,
    mut next: finding::ActiveModel,
    now: DateTime<Utc>,
    action: &'static str,
    remark: Option<(&str, &str)>,
) -> Result<FindingView, AppError> {
    next.version = Set(before.version + 1);
    let updated = finding::Entity::update_many()
        .set(next.clone())
        .filter(finding::Column::Id.eq(before.id))
        .filter(finding::Column::Version.eq(before.version))
        .exec(db)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::stale("the finding"));
    }
    let after = FindingView::try_from(next.try_into_model()?)?;
    let mut snapshot = audit::snapshot(&after);
    if let (Some(object), Some((name, text))) =
        (snapshot.as_mut().and_then(|s| s.as_object_mut()), remark)
    {
        object.insert(name.to_string(), serde_json::json!(text));
    }
    audit::record(
        db,
        Some(actor.user_id()),
        now,
        Change {
            organization_id: before.organization_id,
            action,
            entity_type: "Finding",
            entity_id: before.id,
            before: audit::snapshot(before),
            after: snapshot,
        },
    )
    .await?;
    Ok(after)
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
    let resolution = Text::parse_optional("resolution", resolution, limits::DESCRIPTION)?;
    let note = Text::parse_optional("note", note, limits::NOTE)?;
    let mut txn = ctx.db.begin_write().await?;
    let current = load(&*txn, actor, id, expected_version).await?;
    txn.within(current.organization_id);
    let before = FindingView::try_from(current.clone())?;
    let step = before.status.step_to(status)?;
    let now = ctx.now();
    let mut next = current.into_active_model();
    next.status = Set(status.as_str().to_string());
    next.updated_at = Set(now);
    let (action, remark) = match step {
        FindingStep::Start => {
            actor
                .scope
                .check_answer(before.organization_id, before.responsible_leader_id)?;
            ("finding.start", note.map(Text::into_string))
        }
        FindingStep::Resolve => {
            actor
                .scope
                .check_answer(before.organization_id, before.responsible_leader_id)?;
            let resolution = resolution.ok_or_else(|| {
                AppError::validation("resolution", "say how the finding was rectified")
            })?;
            next.resolution = Set(Some(resolution.into_string()));
            next.resolved_at = Set(Some(now));
            next.resolved_on = Set(Some(actor.zone_of(before.organization_id).date_of(now)));
            next.resolved_by = Set(Some(actor.user_id()));
            ("finding.resolve", note.map(Text::into_string))
        }
        FindingStep::Accept | FindingStep::Reject => {
            actor
                .scope
                .check_inspect(before.organization_id, "verify a rectification")?;
            if before.resolved_by == Some(actor.user_id()) {
                return Err(AppError::Forbidden(
                    "nobody verifies their own resolution; another deputy or the presidium must"
                        .into(),
                ));
            }
            // A rejection's reason may come as `note` or, for older clients, as `resolution`.
            let remark = note.or(resolution);
            if step == FindingStep::Reject {
                let Some(remark) = remark else {
                    return Err(AppError::validation(
                        "note",
                        "say why the rectification is not accepted",
                    ));
                };
                next.resolved_at = Set(None);
                next.resolved_on = Set(None);
                next.resolved_by = Set(None);
                next.verification_note = Set(Some(remark.into_string()));
                ("finding.reject", None)
            } else {
                next.verification_note = Set(remark.map(Text::into_string));
                ("finding.accept", None)
            }
        }
    };
    let remark = remark.as_deref().map(|text| ("note", text));
    let after = save(&*txn, actor, &before, next, now, action, remark).await?;
    txn.commit().await?;
    Ok(after)
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
    let reason = Text::parse("reason", reason, limits::NOTE)?;
    let new_deadline = validate::plausible_date("newDeadline", new_deadline)?;
    let mut txn = ctx.db.begin_write().await?;
    let current = load(&*txn, actor, id, expected_version).await?;
    txn.within(current.organization_id);
    actor
        .scope
        .check_manage(current.organization_id, "a finding's deadline")?;
    let before = FindingView::try_from(current.clone())?;
    if !before.status.is_open() {
        return Err(AppError::validation(
            "status",
            format!("a {} finding cannot be rescheduled", before.status),
        ));
    }
    if new_deadline == before.deadline {
        return Err(AppError::validation(
            "newDeadline",
            "is the current deadline",
        ));
    }
    let now = ctx.now();
    finding_deadline_change::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        finding_id: Set(id),
        from_date: Set(before.deadline),
        to_date: Set(new_deadline),
        reason: Set(reason.as_str().to_string()),
        changed_by: Set(actor.user_id()),
        changed_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    let mut next = current.into_active_model();
    next.deadline = Set(new_deadline);
    next.times_rescheduled = Set(before.times_rescheduled + 1);
    next.updated_at = Set(now);
    let after = save(
        &*txn,
        actor,
        &before,
        next,
        now,
        "finding.reschedule",
        Some(("reason", reason.as_str())),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

pub async fn findings_by_ids(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<FindingView>, AppError> {
    query(actor)
        .filter(finding::Column::Id.is_in(ids.iter().copied()))
        .all(ctx.db.conn())
        .await?
        .into_iter()
        .map(FindingView::try_from)
        .collect()
}

fn query(actor: &Actor) -> sea_orm::Select<finding::Entity> {
    finding::Entity::find()
        .filter(finding::Column::OrganizationId.is_in(actor.scope.readable.iter().copied()))
}

fn in_list_order(query: sea_orm::Select<finding::Entity>) -> sea_orm::Select<finding::Entity> {
    query
        .order_by_asc(finding::Column::Deadline)
        .order_by_asc(finding::Column::Id)
}

/// The findings of each inspection, by deadline.
pub async fn findings_of_inspections(
    ctx: &Ctx,
    actor: &Actor,
    inspection_ids: &[Uuid],
) -> Result<Vec<FindingView>, AppError> {
    in_list_order(
        query(actor).filter(finding::Column::InspectionId.is_in(inspection_ids.iter().copied())),
    )
    .all(ctx.db.conn())
    .await?
    .into_iter()
    .map(FindingView::try_from)
    .collect()
}

/// The findings of each project, by deadline.
pub async fn findings_of_projects(
    ctx: &Ctx,
    actor: &Actor,
    project_ids: &[Uuid],
) -> Result<Vec<FindingView>, AppError> {
    in_list_order(
        query(actor).filter(finding::Column::ProjectId.is_in(project_ids.iter().copied())),
    )
    .all(ctx.db.conn())
    .await?
    .into_iter()
    .map(FindingView::try_from)
    .collect()
}

pub async fn deadline_changes_of(
    ctx: &Ctx,
    finding_ids: &[Uuid],
) -> Result<Vec<(Uuid, DeadlineChangeView)>, AppError> {
    Ok(finding_deadline_change::Entity::find()
        .filter(finding_deadline_change::Column::FindingId.is_in(finding_ids.iter().copied()))
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
    let organizations = actor.organizations_in(filter.organization_id)?;
    let mut condition =
        Condition::all().add(C::OrganizationId.is_in(organizations.iter().copied()));
    if let Some(project_id) = filter.project_id {
        condition = condition.add(C::ProjectId.eq(project_id));
    }
    if let Some(leader_id) = filter.leader_id {
        condition = condition.add(C::ResponsibleLeaderId.eq(leader_id));
    }
    if let Some(status) = &filter.status {
        condition = condition.add(C::Status.is_in(status.iter().map(|s| s.as_str())));
    }
    if let Some(states) = &filter.deadline_state {
        let todays = Todays::new(actor, &organizations, ctx.now(), filter.as_of);
        condition = condition.add(filter::finding_states(
            states,
            &todays,
            ctx.settings.due_soon_days,
        ));
    }
    let base = finding::Entity::find().filter(condition);
    let total = base.clone().count(ctx.db.conn()).await?;
    let mut query = in_list_order(base).limit(page.first + 1);
    if let Some(FindingKey(deadline, id)) = page.after {
        let col = |c: C| Expr::col((finding::Entity, c));
        query = query.filter(
            Condition::any()
                .add(col(C::Deadline).gt(deadline))
                .add(col(C::Deadline).eq(deadline).and(col(C::Id).gt(id))),
        );
    }
    let rows = query
        .all(ctx.db.conn())
        .await?
        .into_iter()
        .map(FindingView::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_rows(rows, page.first, total, key))
}

/// Pages through a project's already ordered findings with the same cursors as `list_findings`.
pub fn page_in_memory(items: Vec<FindingView>, page: PageRequest<FindingKey>) -> Page<FindingView> {
    let after = page.after.map(|FindingKey(_, id)| id);
    Page::in_memory(items, page.first, after, |f| f.id, key)
}
