//! Organisations, units and people.

use async_graphql::{Context, ID, InputObject, Object};

use super::args::optional_id;
use super::context;
use super::error::GqlResult;
use super::loaders::OrganizationKey;
use super::scalars::to_id;
use crate::error::AppError;
use crate::graphql::connection::shows;
use crate::service::organizations::{self, NewOrganization, NewPerson};
use crate::service::views::{OrganizationView, PersonView, UnitView};

#[derive(Clone)]
pub struct Organization(pub OrganizationView);

shows!(Organization: OrganizationView);

#[Object]
impl Organization {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// IANA zone in which this organisation's deadlines fall.
    async fn timezone(&self) -> &str {
        &self.0.timezone
    }

    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organization>> {
        let parent = self.0.parent_id.map(OrganizationKey);
        Ok(context::load_opt(ctx, parent).await?.map(Organization))
    }

    /// The organisations directly below this one (a county's townships), by name.
    async fn children(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Organization>> {
        let actor = context::actor(ctx)?;
        let list = organizations::children_of(context::service(ctx)?, actor, self.0.id)
            .await
            .gql()?;
        Ok(list.into_iter().map(Organization).collect())
    }

    async fn settings(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<super::settings::OrganizationSettings> {
        super::settings::of(ctx, self.0.id).await
    }
}

/// Loads an organisation the caller may read; used by every `organization` field.
pub async fn organization(
    ctx: &Context<'_>,
    id: uuid::Uuid,
) -> async_graphql::Result<Organization> {
    context::load_required(ctx, OrganizationKey(id), "organisation")
        .await
        .map(Organization)
}

/// Loads a person by id, if readable.
pub async fn person(
    ctx: &Context<'_>,
    id: Option<uuid::Uuid>,
) -> async_graphql::Result<Option<Person>> {
    let Some(id) = id else { return Ok(None) };
    let (service, actor) = (context::service(ctx)?, context::actor(ctx)?);
    if let Some(found) = organizations::person_kept(service, actor, id) {
        return Ok(found.map(Person));
    }
    // On the heap: the table's read would otherwise sit in the future of every object with a
    // person among its fields.
    let found = Box::pin(organizations::person_by_id(service, actor, id));
    Ok(found.await.gql()?.map(Person))
}

/// A person a record names and cannot be without (its responsible leader).
pub async fn required_person(ctx: &Context<'_>, id: uuid::Uuid) -> async_graphql::Result<Person> {
    person(ctx, Some(id))
        .await?
        .ok_or_else(|| AppError::not_found("person"))
        .gql()
}

/// A unit a record names and cannot be without (its responsible unit).
pub async fn required_unit(ctx: &Context<'_>, id: uuid::Uuid) -> async_graphql::Result<Unit> {
    unit(ctx, Some(id))
        .await?
        .ok_or_else(|| AppError::not_found("unit"))
        .gql()
}

pub async fn unit(
    ctx: &Context<'_>,
    id: Option<uuid::Uuid>,
) -> async_graphql::Result<Option<Unit>> {
    let Some(id) = id else { return Ok(None) };
    let (service, actor) = (context::service(ctx)?, context::actor(ctx)?);
    if let Some(found) = organizations::unit_kept(service, actor, id) {
        return Ok(found.map(Unit));
    }
    let found = Box::pin(organizations::unit_by_id(service, actor, id));
    Ok(found.await.gql()?.map(Unit))
}

/// 职责单位
#[derive(Clone)]
pub struct Unit(pub UnitView);

shows!(Unit: UnitView);

#[Object]
impl Unit {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn organization(&self, ctx: &Context<'_>) -> async_graphql::Result<Organization> {
        organization(ctx, self.0.organization_id).await
    }

    /// the unit's head, to whom unanswered supervision orders are copied
    async fn head(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person(ctx, self.0.head_id).await
    }
}

/// A leader, staff member or deputy.
#[derive(Clone)]
pub struct Person(pub PersonView);

shows!(Person: PersonView);

#[Object]
impl Person {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// e.g. 副镇长
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }

    async fn unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Unit>> {
        unit(ctx, self.0.unit_id).await
    }

    async fn organization(&self, ctx: &Context<'_>) -> async_graphql::Result<Organization> {
        organization(ctx, self.0.organization_id).await
    }

    /// their place on the roster of deputies (代表名册), when they are on one
    async fn deputy(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<super::deputies::DeputyProfile>> {
        super::deputies::profile_of(ctx, self.0.id).await
    }
}

#[derive(InputObject)]
pub struct CreateOrganizationInput {
    name: String,
    /// IANA zone, e.g. Asia/Shanghai (the server's default when absent)
    timezone: Option<String>,
    /// defaults to the caller's organisation
    parent_id: Option<ID>,
}

#[derive(InputObject)]
pub struct CreateUnitInput {
    name: String,
}

/// Only the fields given change; `headId: null` clears the head.
#[derive(InputObject)]
pub struct UpdateUnitInput {
    name: Option<String>,
    head_id: async_graphql::MaybeUndefined<ID>,
}

#[derive(InputObject)]
pub struct CreatePersonInput {
    name: String,
    title: Option<String>,
    unit_id: Option<ID>,
}

#[derive(Default)]
pub struct OrganizationsQuery;

#[Object]
impl OrganizationsQuery {
    /// The caller's organisation and every organisation below it.
    async fn organizations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Organization>> {
        let actor = context::actor(ctx)?;
        let list = organizations::list_organizations(context::service(ctx)?, actor)
            .await
            .gql()?;
        Ok(list.into_iter().map(Organization).collect())
    }

    async fn units(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Unit>> {
        let actor = context::actor(ctx)?;
        let list = organizations::list_units(context::service(ctx)?, actor)
            .await
            .gql()?;
        Ok(list.into_iter().map(Unit).collect())
    }

    async fn people(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Person>> {
        let actor = context::actor(ctx)?;
        let list = organizations::list_people(context::service(ctx)?, actor)
            .await
            .gql()?;
        if list.len() > context::LARGE_LIST {
            context::large_answer(ctx).await?;
        }
        Ok(list.into_iter().map(Person).collect())
    }
}

#[derive(Default)]
pub struct OrganizationsMutation;

#[Object]
impl OrganizationsMutation {
    async fn create_organization(
        &self,
        ctx: &Context<'_>,
        input: CreateOrganizationInput,
    ) -> async_graphql::Result<Organization> {
        let (service, actor) = context::signed(ctx)?;
        let parent_id = optional_id("parentId", input.parent_id.as_ref())?;
        organizations::create_organization(
            service,
            actor,
            NewOrganization {
                name: input.name,
                timezone: input.timezone,
                parent_id,
            },
        )
        .await
        .answer()
    }

    async fn create_unit(
        &self,
        ctx: &Context<'_>,
        input: CreateUnitInput,
    ) -> async_graphql::Result<Unit> {
        let (service, actor) = context::signed(ctx)?;
        organizations::create_unit(service, actor, &input.name)
            .await
            .answer()
    }

    /// presidium: rename a unit or name its head (负责人)
    async fn update_unit(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateUnitInput,
    ) -> async_graphql::Result<Unit> {
        let (service, actor) = context::signed(ctx)?;
        let id = super::args::id_of("id")(id)?;
        let head = match input.head_id {
            async_graphql::MaybeUndefined::Undefined => None,
            async_graphql::MaybeUndefined::Null => Some(None),
            async_graphql::MaybeUndefined::Value(head) => {
                Some(Some(super::args::id_of("headId")(head)?))
            }
        };
        let changes = organizations::UnitChanges {
            name: input.name,
            head_id: head,
        };
        organizations::update_unit(service, actor, id, changes)
            .await
            .answer()
    }

    async fn create_person(
        &self,
        ctx: &Context<'_>,
        input: CreatePersonInput,
    ) -> async_graphql::Result<Person> {
        let (service, actor) = context::signed(ctx)?;
        let unit_id = optional_id("unitId", input.unit_id.as_ref())?;
        organizations::create_person(
            service,
            actor,
            NewPerson {
                name: input.name,
                title: input.title,
                unit_id,
            },
        )
        .await
        .answer()
    }
}
