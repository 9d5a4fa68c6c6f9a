//! What a notice's recipient does with it: sign for it (签收), one or several at once, and
//! answer it (a supervision order's 办理情况).

use jiandu_domain::Text;
use jiandu_domain::field;
use jiandu_domain::validate::limits;
use sea_orm::Set;
use uuid::Uuid;

use crate::entity::notice;
use crate::error::AppError;
use crate::service::kernel::audit::Action;
use crate::service::kernel::command::{self, Audit, Command};
use crate::service::views::NoticeView;
use crate::service::{Actor, Ctx};

/// Only the notice's recipient acknowledges or answers it; a notice of another organisation is
/// not found.
fn recipient_only(actor: &Actor, n: &notice::Model) -> Result<(), AppError> {
    if actor.access.person_id == Some(n.recipient_id) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only the notice's recipient acknowledges or answers it".into(),
        ))
    }
}

/// 签收: the recipient confirms they have the notice. Acknowledging again changes nothing.
#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn acknowledge_notice(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
) -> Result<NoticeView, AppError> {
    let mut cmd = Command::begin(ctx, actor).await?;
    let acknowledged = acknowledge(&mut cmd, actor, id).await?;
    cmd.finish(acknowledged).await
}

/// The recipient signs for several notices at once (签收 from the list): all or nothing, each
/// with its own history; a refusal names the notice.
#[tracing::instrument(skip_all, fields(actor = %actor.username, notices = ids.len()))]
pub async fn acknowledge_notices(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<NoticeView>, AppError> {
    let ids = command::batch(ids, |id| *id)?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let mut acknowledged = Vec::with_capacity(ids.len());
    for id in ids {
        let notice = acknowledge(&mut cmd, actor, id)
            .await
            .map_err(|e| e.about(&format!("notice {id}")))?;
        acknowledged.push(notice);
    }
    cmd.finish(acknowledged).await
}

/// Signs for one notice within `cmd`; one signed for already is left as it is.
async fn acknowledge(
    cmd: &mut Command<'_>,
    actor: &Actor,
    id: Uuid,
) -> Result<NoticeView, AppError> {
    let current = cmd
        .load::<notice::Entity, _>(id, None, |n| recipient_only(actor, n))
        .await?;
    if current.row.acknowledged_at.is_some() {
        return Ok(current.before);
    }
    let mut next = current.edit();
    next.acknowledged_at = Set(Some(cmd.now));
    next.acknowledged_by = Set(Some(actor.user_id()));
    cmd.update(&current, next, Audit::new(Action::NoticeAcknowledge))
        .await
}

/// The recipient answers the notice (a supervision order's 办理情况); answering acknowledges it
/// too. A later answer replaces the earlier one, which stays in the history.
#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn reply_to_notice(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    reply: &str,
) -> Result<NoticeView, AppError> {
    let reply = Text::parse(field::REPLY, reply, limits::DESCRIPTION)?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let current = cmd
        .load::<notice::Entity, _>(id, None, |n| recipient_only(actor, n))
        .await?;
    let now = cmd.now;
    let mut next = current.edit();
    if current.row.acknowledged_at.is_none() {
        next.acknowledged_at = Set(Some(now));
        next.acknowledged_by = Set(Some(actor.user_id()));
    }
    next.reply = Set(Some(reply.into_string()));
    next.replied_at = Set(Some(now));
    cmd.finish_update(&current, next, Audit::new(Action::NoticeReply))
        .await
}
