//! A month's bulletin keeps the number it was given when first drawn up (思人通〔2026〕N号),
//! taken from its organisation's own sequence of the year — not the orders' (思人督).

use jiandu_domain::notice;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use uuid::Uuid;

use crate::entity::{bulletin_number, bulletin_sequence};
use crate::error::AppError;
use crate::service::kernel::command::Command;
use crate::service::kernel::sequences::Counter;
use crate::service::{Actor, Ctx};

/// The number of `organization`'s bulletin of `year`-`month`: the one it was given, or the
/// next of the year's sequence now (one bulletin at a time per organisation takes one, so two
/// replicas drawing up the same month at once give it one number).
pub(super) async fn number_of(
    ctx: &Ctx,
    actor: &Actor,
    organization: Uuid,
    name: &str,
    year: i32,
    month: u32,
) -> Result<String, AppError> {
    let month = i32::try_from(month).unwrap_or_default();
    let written = |n: i32| notice::bulletin_number(&notice::short_name(name), year, n);
    let key = (organization, year, month);
    if let Some(given) = bulletin_number::Entity::find_by_id(key)
        .one(ctx.db.conn())
        .await?
    {
        return Ok(written(given.number));
    }
    let mut cmd = Command::begin(ctx, actor).await?;
    // A number is not a figure: the kept dashboards stay as they are.
    cmd.outside_figures();
    let mut counter = Counter::<bulletin_sequence::Entity>::lock(&cmd, organization, year).await?;
    // Looked at again under the counter's lock: another may have numbered it meanwhile.
    if let Some(given) = bulletin_number::Entity::find_by_id(key)
        .one(cmd.db())
        .await?
    {
        return Ok(written(given.number));
    }
    let number = counter.take();
    bulletin_number::ActiveModel {
        organization_id: Set(organization),
        year: Set(year),
        month: Set(month),
        number: Set(number),
        numbered_at: Set(cmd.now),
    }
    .insert(cmd.db())
    .await?;
    counter.save(&cmd).await?;
    cmd.finish(written(number)).await
}
