//! The units of an organisation (村建办, 经发办), each with its head.

use jiandu_domain::field;

use jiandu_domain::Text;
use jiandu_domain::validate::limits;
use sea_orm::{ActiveModelTrait, QueryOrder, Set};
use uuid::Uuid;

use crate::entity::{person, unit};
use crate::error::{AppError, OnConstraint};
use crate::service::kernel::audit::Action;
use crate::service::kernel::audit::{self, Change};
use crate::service::kernel::command::{Audit, Command};
use crate::service::kernel::tables;
use crate::service::kernel::tables::CachedTable;
use crate::service::views::UnitView;
use crate::service::{Actor, Ctx};

pub async fn create_unit(ctx: &Ctx, actor: &Actor, name: &str) -> Result<UnitView, AppError> {
    let organization_id = actor.organization_id();
    actor.access.check_manage(organization_id, "units")?;
    let name = Text::parse(field::NAME, name, limits::NAME)?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let row = unit::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        organization_id: Set(organization_id),
        name: Set(name.into_string()),
        created_at: Set(cmd.now),
        head_id: Set(None),
    }
    .insert(cmd.db())
    .await
    .on_constraint("a unit with that name exists", "name")?;
    cmd.created::<unit::Entity>(&row, Audit::new(Action::UnitCreate))
        .await?;
    cmd.finish(UnitView::from(row)).await
}

pub struct UnitChanges {
    pub name: Option<String>,
    /// `Some(None)` clears the head.
    pub head_id: Option<Option<Uuid>>,
}

/// The presidium renames a unit of its organisation or names its head (a person of the same
/// organisation), to whom unanswered supervision orders are copied.
#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn update_unit(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    changes: UnitChanges,
) -> Result<UnitView, AppError> {
    let name = changes
        .name
        .as_deref()
        .map(|name| Text::parse(field::NAME, name, limits::NAME))
        .transpose()?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let row = actor.readable().find::<unit::Entity>(cmd.db(), id).await?;
    actor.access.check_manage(row.organization_id, "units")?;
    if let Some(Some(head)) = changes.head_id {
        cmd.refer::<person::Entity>(row.organization_id, head, "headId")
            .await?;
    }
    let before = UnitView::from(row.clone());
    let mut next: unit::ActiveModel = row.into();
    if let Some(name) = name {
        next.name = Set(name.into_string());
    }
    if let Some(head) = changes.head_id {
        next.head_id = Set(head);
    }
    let after = next
        .update(cmd.db())
        .await
        .on_constraint("a unit with that name exists", "name")?;
    let after = UnitView::from(after);
    cmd.record(Change {
        organization_id: after.organization_id,
        action: Action::UnitUpdate,
        entity_type: "Unit",
        entity_id: id,
        before: audit::snapshot(&before),
        after: audit::snapshot(&after),
    })
    .await?;
    cmd.outside_figures();
    cmd.forget(CachedTable::Units);
    cmd.finish(after).await
}

pub async fn list_units(ctx: &Ctx, actor: &Actor) -> Result<Vec<UnitView>, AppError> {
    tables::all(
        actor
            .readable()
            .select::<unit::Entity>()
            .order_by_asc(unit::Column::Name),
        ctx.db.conn(),
    )
    .await
}

/// The units the actor may read, by name, from the cached table (a page's lists and names).
pub async fn readable_units(ctx: &Ctx, actor: &Actor) -> Result<Vec<UnitView>, AppError> {
    let mut units: Vec<UnitView> = ctx
        .units
        .all(&ctx.db)
        .await?
        .iter()
        .filter(|u| actor.readable().may_read(u.organization_id))
        .cloned()
        .map(UnitView::from)
        .collect();
    units.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(units)
}

/// One unit, if the actor may read it, when the units are in memory: the outer `None` when they
/// are not (ask [`unit_by_id`]).
pub fn unit_kept(ctx: &Ctx, actor: &Actor, id: Uuid) -> Option<Option<UnitView>> {
    let found = ctx.units.find_fresh(id, |u| u.id)?;
    Some(
        found
            .filter(|u| actor.readable().may_read(u.organization_id))
            .map(UnitView::from),
    )
}

/// One unit, if the actor may read it: a binary search in the cached table (kept in id order),
/// so there is nothing to batch (and no batching delay to wait for).
pub async fn unit_by_id(ctx: &Ctx, actor: &Actor, id: Uuid) -> Result<Option<UnitView>, AppError> {
    Ok(ctx
        .units
        .find(&ctx.db, id, |u| u.id)
        .await?
        .filter(|u| actor.readable().may_read(u.organization_id))
        .map(UnitView::from))
}
