//! Organisation settings: what the rules of one organisation read.

use async_graphql::{Context, ID, InputObject, Object};

use super::accounts::{Organization, organization};
use super::args::optional_id;
use super::context;
use super::error::GqlResult;
use super::loaders::SettingsKey;
use crate::service::settings::{self, SettingsChanges};

/// 组织设置: what the rules of one organisation read; a new organisation has the defaults.
pub struct OrganizationSettings(pub jiandu_domain::settings::Settings);

#[Object]
impl OrganizationSettings {
    /// how many days back the one who answers for an item may date its completion when reporting
    /// it late (补报); the presidium may go further (default 7, 0–90)
    async fn backdate_days(&self) -> i32 {
        i32::try_from(self.0.backdate_days).unwrap_or(i32::MAX)
    }
}

#[derive(InputObject)]
pub struct OrganizationSettingsInput {
    backdate_days: Option<i32>,
}

/// The settings of an organisation the caller may read (one query for all asked in an answer).
pub async fn of(
    ctx: &Context<'_>,
    organization_id: uuid::Uuid,
) -> async_graphql::Result<OrganizationSettings> {
    context::load_required(ctx, SettingsKey(organization_id), "organisation")
        .await
        .map(OrganizationSettings)
}

#[derive(Default)]
pub struct SettingsMutation;

#[Object]
impl SettingsMutation {
    /// presidium: changes its own organisation's settings (the caller's when no id is given);
    /// those left out stay as they are
    async fn update_organization_settings(
        &self,
        ctx: &Context<'_>,
        organization_id: Option<ID>,
        input: OrganizationSettingsInput,
    ) -> async_graphql::Result<Organization> {
        let actor = context::actor(ctx)?;
        let organization_id = optional_id("organizationId", organization_id.as_ref())?;
        let changes = SettingsChanges {
            backdate_days: input.backdate_days.map(i64::from),
        };
        let id = settings::update(context::service(ctx)?, actor, organization_id, changes)
            .await
            .gql()?;
        organization(ctx, id).await
    }
}
