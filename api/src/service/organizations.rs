//! Organisations and the people and units in them.

use jiandu_domain::field;
use std::collections::HashSet;

use jiandu_domain::validate::{Reason, limits};
use jiandu_domain::{Text, Zone};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::kernel::audit::{self, Change};
use super::kernel::command::{Audit, Command};
use super::kernel::tables::CachedTable;
use super::views::{OrganizationView, PersonView, UnitView};
use super::{Actor, Ctx};
use crate::entity::{organization, person, unit};
use crate::error::{AppError, OnConstraint};
use crate::service::kernel::audit::Action;
use crate::service::kernel::tables;

pub struct NewOrganization {
    pub name: String,
    pub timezone: Option<String>,
    pub parent_id: Option<Uuid>,
}

/// A presidium adds an organisation below its own (a county adds its townships).
pub async fn create_organization(
    ctx: &Ctx,
    actor: &Actor,
    input: NewOrganization,
) -> Result<OrganizationView, AppError> {
    let parent_id = input.parent_id.unwrap_or(actor.organization_id());
    actor
        .access
        .check_manage(parent_id, "the organisation tree")?;
    // Two levels: a county's standing committee adds its townships; a township has none below
    // it. A county itself is made on the command line.
    let below_another = actor
        .organizations
        .get(&parent_id)
        .is_some_and(|org| org.parent_id.is_some());
    if below_another {
        return Err(AppError::Forbidden(
            "a township has no organisations below it; the county adds townships".into(),
        ));
    }
    insert_organization(
        ctx,
        Some(actor),
        NewOrganization {
            parent_id: Some(parent_id),
            ..input
        },
    )
    .await
}

/// Creates an organisation without a signed-in actor: the command line and first start-up.
pub async fn insert_organization(
    ctx: &Ctx,
    actor: Option<&Actor>,
    input: NewOrganization,
) -> Result<OrganizationView, AppError> {
    let name = Text::parse(field::NAME, &input.name, limits::NAME)?;
    let zone = match input
        .timezone
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(tz) => tz
            .parse::<Zone>()
            .map_err(|e| AppError::validation(field::TIMEZONE, e.to_string()))?,
        None => ctx.limits.default_zone,
    };
    let mut cmd = match actor {
        Some(actor) => Command::begin(ctx, actor).await?,
        None => Command::unattended(ctx).await?,
    };
    if let Some(parent_id) = input.parent_id {
        below(&cmd, parent_id, ctx.limits.max_child_organizations).await?;
    }
    let row = organization::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        name: Set(name.into_string()),
        timezone: Set(zone.name().to_string()),
        parent_id: Set(input.parent_id),
        created_at: Set(cmd.now),
    }
    .insert(cmd.db())
    .await
    .on_constraint(
        "an organisation below the same parent already has that name",
        "name",
    )?;
    cmd.created::<organization::Entity>(&row, Audit::new(Action::OrganizationCreate))
        .await?;
    cmd.finish(OrganizationView::from(row)).await
}

/// Room below `parent_id` for one more organisation, at most `most` in all. The parent's row is
/// written (to itself) first, so that two at once are counted one after the other.
async fn below(cmd: &Command<'_>, parent_id: Uuid, most: u32) -> Result<(), AppError> {
    let held = organization::Entity::update_many()
        .col_expr(
            organization::Column::Name,
            Expr::col(organization::Column::Name),
        )
        .filter(organization::Column::Id.eq(parent_id))
        .exec(cmd.db())
        .await?;
    if held.rows_affected == 0 {
        return Err(AppError::validation(
            field::PARENT_ID,
            "no such organisation",
        ));
    }
    let children = organization::Entity::find()
        .filter(organization::Column::ParentId.eq(parent_id))
        .count(cmd.db())
        .await?;
    if children >= u64::from(most) {
        return Err(AppError::invalid(
            field::PARENT_ID,
            Reason::OutOfRange {
                min: 0,
                max: i64::from(most),
            },
            format!(
                "already has {children} organisations below it, the most allowed \
                 (--max-child-organizations)"
            ),
        ));
    }
    Ok(())
}

/// Every organisation with this name (names are unique only below one parent), for the
/// command line, which has no signed-in user.
pub async fn organizations_named(ctx: &Ctx, name: &str) -> Result<Vec<OrganizationView>, AppError> {
    let rows = organization::Entity::find()
        .filter(organization::Column::Name.eq(name.trim()))
        .order_by_asc(organization::Column::Id)
        .all(ctx.db.conn())
        .await?;
    Ok(rows.into_iter().map(OrganizationView::from).collect())
}

/// The organisation `id`, for the command line.
pub async fn organization_by_id(
    ctx: &Ctx,
    id: uuid::Uuid,
) -> Result<Option<OrganizationView>, AppError> {
    Ok(organization::Entity::find_by_id(id)
        .one(ctx.db.conn())
        .await?
        .map(OrganizationView::from))
}

pub async fn list_organizations(
    ctx: &Ctx,
    actor: &Actor,
) -> Result<Vec<OrganizationView>, AppError> {
    organizations_by_ids(ctx, actor, actor.readable().organizations()).await
}

/// The organisations directly below `parent` that the actor may read, by name (from the cached
/// organisation table: a county's townships, asked for on every dashboard).
pub async fn children_of(
    ctx: &Ctx,
    actor: &Actor,
    parent: Uuid,
) -> Result<Vec<OrganizationView>, AppError> {
    let all = ctx.organizations.all(&ctx.db).await?;
    let mut children: Vec<OrganizationView> = all
        .iter()
        .filter(|o| o.parent_id == Some(parent) && actor.readable().may_read(o.id))
        .cloned()
        .map(OrganizationView::from)
        .collect();
    children.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(children)
}

pub async fn organizations_by_ids(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<OrganizationView>, AppError> {
    tables::all(
        actor
            .readable()
            .by_ids::<organization::Entity>(ids)
            .order_by_asc(organization::Column::Name),
        ctx.db.conn(),
    )
    .await
}

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

pub struct NewPerson {
    pub name: String,
    pub title: Option<String>,
    pub unit_id: Option<Uuid>,
}

pub async fn create_person(
    ctx: &Ctx,
    actor: &Actor,
    input: NewPerson,
) -> Result<PersonView, AppError> {
    let organization_id = actor.organization_id();
    actor.access.check_manage(organization_id, "people")?;
    let name = Text::parse(field::NAME, &input.name, limits::NAME)?;
    let title = Text::parse_optional(field::TITLE, input.title.as_deref(), limits::NAME)?;
    let mut cmd = Command::begin(ctx, actor).await?;
    if let Some(unit_id) = input.unit_id {
        cmd.refer::<unit::Entity>(organization_id, unit_id, "unitId")
            .await?;
    }
    let row = person::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        organization_id: Set(organization_id),
        name: Set(name.into_string()),
        title: Set(title.map(Text::into_string)),
        unit_id: Set(input.unit_id),
        created_at: Set(cmd.now),
    };
    let row = cmd
        .create::<person::Entity>(row, Audit::new(Action::PersonCreate))
        .await?;
    cmd.finish(PersonView::from(row)).await
}

pub async fn list_people(ctx: &Ctx, actor: &Actor) -> Result<Vec<PersonView>, AppError> {
    tables::all(
        actor
            .readable()
            .select::<person::Entity>()
            .order_by_asc(person::Column::Name),
        ctx.db.conn(),
    )
    .await
}

/// The people the actor may read, by name, from the cached table (a page's lists and names).
pub async fn readable_people(ctx: &Ctx, actor: &Actor) -> Result<Vec<PersonView>, AppError> {
    let mut people: Vec<PersonView> = ctx
        .people
        .all(&ctx.db)
        .await?
        .iter()
        .filter(|p| actor.readable().may_read(p.organization_id))
        .cloned()
        .map(PersonView::from)
        .collect();
    people.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(people)
}

/// One person, if the actor may read them; like [`unit_by_id`].
pub async fn person_by_id(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
) -> Result<Option<PersonView>, AppError> {
    Ok(ctx
        .people
        .find(&ctx.db, id, |p| p.id)
        .await?
        .filter(|p| actor.readable().may_read(p.organization_id))
        .map(PersonView::from))
}

pub async fn people_by_ids(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<PersonView>, AppError> {
    let wanted: HashSet<&Uuid> = ids.iter().collect();
    Ok(ctx
        .people
        .all(&ctx.db)
        .await?
        .iter()
        .filter(|p| wanted.contains(&p.id) && actor.readable().may_read(p.organization_id))
        .cloned()
        .map(PersonView::from)
        .collect())
}
