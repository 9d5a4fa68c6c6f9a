//! Organisations and the people and units in them: the tree of organisations here, units in
//! [`units`], people in [`people`].

use jiandu_domain::field;

use jiandu_domain::validate::{Reason, limits};
use jiandu_domain::{Text, Zone};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::kernel::command::{Audit, Command};
use super::views::OrganizationView;
use super::{Actor, Ctx};
use crate::entity::organization;
use crate::error::{AppError, OnConstraint};
use crate::service::kernel::audit::Action;
use crate::service::kernel::tables;

mod people;
mod units;

pub use people::{
    NewPerson, create_person, deputies, insert_person, list_people, people_by_ids, person_by_id,
    person_kept, readable_people,
};
pub use units::{
    UnitChanges, create_unit, list_units, readable_units, unit_by_id, unit_kept, update_unit,
};

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
        .organization(parent_id)
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
            .map_err(|e| AppError::invalid(field::TIMEZONE, Reason::NotInList, e.to_string()))?,
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
        return Err(AppError::invalid(
            field::PARENT_ID,
            Reason::UnknownRecord,
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
