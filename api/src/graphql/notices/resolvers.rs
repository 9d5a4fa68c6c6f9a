//! The notices' filter and inputs, and their queries and mutations (the day's scan run by hand, signing for and answering a notice, supervision orders, webhooks).

use super::{Notice, NoticeConnection, Webhook};
use crate::graphql::args::{id_of, targets};
use crate::graphql::connection::{self};
use crate::graphql::context;
use crate::graphql::error::GqlResult;
use crate::graphql::scalars::{Date, NoticeKind, NoticeLevel, WebhookKind, parse_id};
use crate::service::notices::webhooks::{self};
use crate::service::notices::{self, NoticeFilter as Filter, scan};
use crate::service::page::PageRequest;
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

#[derive(InputObject)]
pub struct CreateWebhookInput {
    url: String,
    kind: WebhookKind,
    /// the notice kinds to send (default: all)
    kinds: Option<Vec<NoticeKind>>,
    /// GENERIC: a Standard Webhooks secret (whsec_ and base64), required; DINGTALK, FEISHU:
    /// the robot's signing secret, if it has one; WECOM: none
    secret: Option<String>,
}

#[derive(InputObject, Default)]
pub struct NoticeFilter {
    kind: Option<Vec<NoticeKind>>,
    level: Option<Vec<NoticeLevel>>,
    recipient_id: Option<ID>,
    subject_id: Option<ID>,
    /// only notices addressed to the caller's person
    mine: Option<bool>,
    unacknowledged: Option<bool>,
}

impl NoticeFilter {
    fn into_service(self) -> async_graphql::Result<Filter> {
        Ok(Filter {
            kind: self.kind.map(|k| k.into_iter().map(Into::into).collect()),
            level: self.level.map(|l| l.into_iter().map(Into::into).collect()),
            recipient_id: self.recipient_id.map(id_of("recipientId")).transpose()?,
            subject_id: self.subject_id.map(id_of("subjectId")).transpose()?,
            mine: self.mine.unwrap_or(false),
            unacknowledged: self.unacknowledged.unwrap_or(false),
        })
    }
}

#[derive(Default)]
pub struct NoticesQuery;

#[Object]
impl NoticesQuery {
    /// Notices in the organisations the caller may read, newest first.
    #[graphql(complexity = "connection::cost(first, child_complexity)")]
    async fn notices(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<NoticeFilter>,
    ) -> async_graphql::Result<NoticeConnection> {
        let (service, actor) = context::signed(ctx)?;
        let page = PageRequest::new(first, after.as_deref()).gql()?;
        let filter = filter.unwrap_or_default().into_service()?;
        notices::list_notices(service, actor, filter, page)
            .await
            .answer()
    }

    /// presidium: where its notices are also posted
    async fn webhooks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Webhook>> {
        let actor = context::actor(ctx)?;
        let found = webhooks::list_webhooks(context::service(ctx)?, actor)
            .await
            .gql()?;
        Ok(found.into_iter().map(Webhook).collect())
    }

    async fn notice(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Notice>> {
        let actor = context::actor(ctx)?;
        let Ok(id) = parse_id("id", &id) else {
            return Ok(None);
        };
        let found = notices::notices_by_ids(context::service(ctx)?, actor, &[id])
            .await
            .gql()?;
        Ok(found.into_iter().next().map(Notice))
    }
}

/// the result of one run of the daily notice scan
#[derive(SimpleObject)]
pub struct NoticeRun {
    as_of: Date,
    issued: i32,
    reminders: i32,
    urges: i32,
    orders: i32,
    copies: i32,
}

impl From<scan::NoticeRun> for NoticeRun {
    fn from(run: scan::NoticeRun) -> Self {
        let int = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
        NoticeRun {
            as_of: Date(run.as_of),
            issued: int(run.issued()),
            reminders: int(run.reminders),
            urges: int(run.urges),
            orders: int(run.orders),
            copies: int(run.copies),
        }
    }
}

#[derive(Default)]
pub struct NoticesMutation;

#[Object]
impl NoticesMutation {
    /// presidium: issue a supervision order (督办单) by hand
    async fn issue_supervision_order(
        &self,
        ctx: &Context<'_>,
        entity_id: ID,
        reply_due: Date,
        body: Option<String>,
    ) -> async_graphql::Result<Notice> {
        let actor = context::actor(ctx)?;
        let id = id_of("entityId")(entity_id)?;
        let service = context::service(ctx)?;
        let view =
            notices::issue_supervision_order(service, actor, id, reply_due.0, body.as_deref())
                .await
                .gql()?;
        Ok(Notice(view))
    }

    /// presidium: run the daily notice scan now (it is safe to run twice: nothing is issued
    /// twice); on a rest day it issues nothing
    async fn run_notices_now(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
        organization_id: Option<ID>,
    ) -> async_graphql::Result<NoticeRun> {
        let actor = context::actor(ctx)?;
        let organization = organization_id.map(id_of("organizationId")).transpose()?;
        let service = context::service(ctx)?;
        let run = scan::run_now(service, actor, organization, as_of.map(|d| d.0))
            .await
            .gql()?;
        Ok(run.into())
    }

    /// presidium: post the organisation's notices (of the kinds given) to a webhook too
    async fn create_webhook(
        &self,
        ctx: &Context<'_>,
        input: CreateWebhookInput,
    ) -> async_graphql::Result<Webhook> {
        let (service, actor) = context::signed(ctx)?;
        let new = webhooks::NewWebhook {
            url: input.url,
            kind: input.kind.into(),
            kinds: input.kinds.map(|k| k.into_iter().map(Into::into).collect()),
            secret: input.secret,
        };
        webhooks::create_webhook(service, actor, new).await.answer()
    }

    /// presidium: stop posting to a webhook (what was delivered stays on record)
    async fn delete_webhook(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<bool> {
        let actor = context::actor(ctx)?;
        let id = id_of("id")(id)?;
        webhooks::delete_webhook(context::service(ctx)?, actor, id)
            .await
            .gql()
    }

    /// 签收, by the recipient
    async fn acknowledge_notice(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Notice> {
        let (service, actor) = context::signed(ctx)?;
        let id = id_of("id")(id)?;
        notices::acknowledge_notice(service, actor, id)
            .await
            .answer()
    }

    /// all or nothing: the recipient signs for several notices at once (签收), each with its own
    /// history; a refusal names the notice
    async fn acknowledge_notices(
        &self,
        ctx: &Context<'_>,
        ids: Vec<ID>,
    ) -> async_graphql::Result<Vec<Notice>> {
        let (service, actor) = context::signed(ctx)?;
        let ids = targets(&ids, "notice")?;
        let acknowledged = notices::acknowledge_notices(service, actor, &ids)
            .await
            .gql()?;
        Ok(acknowledged.into_iter().map(Notice::from).collect())
    }

    /// The recipient answers (a supervision order's 办理情况); answering acknowledges it too.
    async fn reply_to_notice(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reply: String,
    ) -> async_graphql::Result<Notice> {
        let (service, actor) = context::signed(ctx)?;
        let id = id_of("id")(id)?;
        notices::reply_to_notice(service, actor, id, &reply)
            .await
            .answer()
    }
}
