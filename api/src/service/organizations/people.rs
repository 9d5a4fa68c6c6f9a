//! The people of an organisation: leaders, deputies, staff, whom items and notices name.

use jiandu_domain::field;
use std::collections::HashSet;

use jiandu_domain::Text;
use jiandu_domain::validate::limits;
use sea_orm::{QueryOrder, Set};
use uuid::Uuid;

use crate::entity::{person, unit};
use crate::error::AppError;
use crate::service::kernel::audit::Action;
use crate::service::kernel::command::{Audit, Command};
use crate::service::kernel::tables;
use crate::service::views::PersonView;
use crate::service::{Actor, Ctx};

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
    insert_person(ctx, Some(actor), organization_id, input).await
}

/// Adds a person to `organization_id`, for a signed-in actor or (the command line, first
/// start-up) none.
pub async fn insert_person(
    ctx: &Ctx,
    actor: Option<&Actor>,
    organization_id: Uuid,
    input: NewPerson,
) -> Result<PersonView, AppError> {
    let name = Text::parse(field::NAME, &input.name, limits::NAME)?;
    let title = Text::parse_optional(field::TITLE, input.title.as_deref(), limits::NAME)?;
    let mut cmd = match actor {
        Some(actor) => Command::begin(ctx, actor).await?,
        None => Command::unattended(ctx).await?,
    };
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

/// The deputies of the actor's organisation, by name: the people who hold a DEPUTY account or
/// are titled as one (人大代表), since many deputies never sign in. Whom a suggestion may name
/// as its lead deputy or co-signers.
pub async fn deputies(ctx: &Ctx, actor: &Actor) -> Result<Vec<PersonView>, AppError> {
    let organization = actor.organization_id();
    let people: Vec<PersonView> = readable_people(ctx, actor)
        .await?
        .into_iter()
        .filter(|p| p.organization_id == organization)
        .collect();
    let ids: Vec<Uuid> = people.iter().map(|p| p.id).collect();
    let with_accounts: HashSet<Uuid> =
        crate::service::accounts::accounts_of_people(ctx, actor, &ids)
            .await?
            .into_iter()
            .filter(|account| account.role == jiandu_domain::Role::Deputy)
            .filter_map(|account| account.person_id)
            .collect();
    Ok(people
        .into_iter()
        .filter(|p| {
            with_accounts.contains(&p.id)
                || p.title
                    .as_deref()
                    .is_some_and(|title| title.contains("代表"))
        })
        .collect())
}

/// One person, if the actor may read them, when the people are in memory: the outer `None` when
/// they are not (ask [`person_by_id`]).
pub fn person_kept(ctx: &Ctx, actor: &Actor, id: Uuid) -> Option<Option<PersonView>> {
    let found = ctx.people.find_fresh(id, |p| p.id)?;
    Some(
        found
            .filter(|p| actor.readable().may_read(p.organization_id))
            .map(PersonView::from),
    )
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
