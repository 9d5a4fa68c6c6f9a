//! Notices (提醒 → 催办 → 督办单): the inbox, and supervision orders issued, acknowledged and
//! answered.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::accounts::{User, user};
use super::args::id_of;
use super::connection::{self, connection};
use super::context;
use super::error::GqlResult;
use super::findings::Finding;
use super::loaders::{
    FindingKey, MilestoneKey, NoticeCopiesKey, NoticeDeliveriesKey, PersonAccountsKey,
    SuggestionKey,
};
use super::milestones::Milestone;
use super::organizations::{Organization, Person, organization, required_person};
use super::scalars::{Date, DeliveryStatus, NoticeKind, NoticeLevel, WebhookKind, parse_id, to_id};
use super::suggestions::Suggestion;
use crate::service::notices::webhooks::{self, DeliveryView, WebhookView};
use crate::service::notices::{self, NoticeFilter as Filter, scan};
use crate::service::page::PageRequest;
use crate::service::views::NoticeView;

/// A notice addressed to a person about one item: 提醒 (blue), 催办 (yellow) or 督办单 (red).
#[derive(Clone)]
pub struct Notice(pub NoticeView);

impl From<NoticeView> for Notice {
    fn from(view: NoticeView) -> Self {
        Notice(view)
    }
}

#[Object]
impl Notice {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// a supervision order's number, e.g. 思人督〔2026〕3号
    async fn number(&self) -> Option<&str> {
        self.0.number.as_deref()
    }

    async fn kind(&self) -> NoticeKind {
        self.0.kind.into()
    }

    async fn level(&self) -> NoticeLevel {
        self.0.level.into()
    }

    async fn organization(&self, ctx: &Context<'_>) -> async_graphql::Result<Organization> {
        organization(ctx, self.0.organization_id).await
    }

    async fn recipient(&self, ctx: &Context<'_>) -> async_graphql::Result<Person> {
        required_person(ctx, self.0.recipient_id).await
    }

    /// copied to (the recipient's superior when an order went unacknowledged)
    async fn copied_to(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Person>> {
        let ids = context::load_all(ctx, NoticeCopiesKey(self.0.id)).await?;
        let mut people = Vec::with_capacity(ids.len());
        for id in ids.iter().copied() {
            people.push(required_person(ctx, id).await?);
        }
        Ok(people)
    }

    /// Whether the recipient has an account to read it with; without one it waits in the
    /// presidium's inbox (and reaches the office's group chat by webhook).
    async fn recipient_has_account(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let accounts = context::load_all(ctx, PersonAccountsKey(self.0.recipient_id)).await?;
        Ok(accounts.iter().any(|u| !u.disabled))
    }

    /// the notice as a Word document in official layout (GET with the bearer token or the
    /// workbench's session)
    async fn document_url(&self) -> String {
        crate::service::documents::notice_url(self.0.id)
    }

    /// every place it went and how: the inbox, and each webhook, with its attempts
    async fn deliveries(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Delivery>> {
        let rows = context::load_all(ctx, NoticeDeliveriesKey(self.0.id)).await?;
        Ok(rows.iter().cloned().map(Delivery).collect())
    }

    async fn milestone(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Milestone>> {
        let key = self.0.milestone_id.map(MilestoneKey);
        Ok(context::load_opt(ctx, key).await?.map(Milestone::from))
    }

    async fn finding(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Finding>> {
        let key = self.0.finding_id.map(FindingKey);
        Ok(context::load_opt(ctx, key).await?.map(Finding))
    }

    /// the deputy's suggestion it is about, when it is about one
    async fn suggestion(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Suggestion>> {
        let key = self.0.suggestion_id.map(SuggestionKey);
        Ok(context::load_opt(ctx, key).await?.map(Suggestion))
    }

    /// the letter or visit it is about, when one transferred to a unit awaits its reply (the
    /// constituent's name and phone as the reader may see them)
    async fn contact(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<super::contacts::ConstituentContact>> {
        let key = self.0.contact_id.map(super::loaders::ContactKey);
        Ok(context::load_opt(ctx, key)
            .await?
            .map(super::contacts::ConstituentContact::from))
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn body(&self) -> &str {
        &self.0.body
    }

    async fn issued_at(&self) -> DateTime<Utc> {
        self.0.issued_at
    }

    /// null when issued by the daily schedule
    async fn issued_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        match self.0.issued_by {
            Some(id) => Ok(Some(user(ctx, id).await?)),
            None => Ok(None),
        }
    }

    /// a supervision order's reply deadline
    async fn reply_due(&self) -> Option<Date> {
        self.0.reply_due.map(Date)
    }

    /// 签收
    async fn acknowledged_at(&self) -> Option<DateTime<Utc>> {
        self.0.acknowledged_at
    }

    async fn acknowledged_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        match self.0.acknowledged_by {
            Some(id) => Ok(Some(user(ctx, id).await?)),
            None => Ok(None),
        }
    }

    async fn reply(&self) -> Option<&str> {
        self.0.reply.as_deref()
    }

    async fn replied_at(&self) -> Option<DateTime<Utc>> {
        self.0.replied_at
    }
}

connection!(NoticeConnection, NoticeEdge, Notice);

/// One place a notice went: the in-app inbox, or a webhook.
pub struct Delivery(DeliveryView);

#[Object]
impl Delivery {
    /// `inbox`, or `webhook:GENERIC`, `webhook:WECOM`, `webhook:DINGTALK`, `webhook:FEISHU`
    async fn channel(&self) -> &str {
        &self.0.channel
    }

    /// where it went (a webhook's address without its query, which may hold a key)
    async fn target(&self) -> &str {
        &self.0.target
    }

    async fn status(&self) -> DeliveryStatus {
        self.0.status.into()
    }

    async fn attempts(&self) -> i32 {
        self.0.attempts
    }

    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }

    async fn delivered_at(&self) -> Option<DateTime<Utc>> {
        self.0.delivered_at
    }
}

/// Where an organisation's notices are also posted.
pub struct Webhook(WebhookView);

#[Object]
impl Webhook {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// the address, without its query (a group robot's key is there)
    async fn url(&self) -> String {
        webhooks::shown(&self.0.url)
    }

    async fn kind(&self) -> WebhookKind {
        self.0.kind.into()
    }

    /// notice kinds sent to it
    async fn kinds(&self) -> Vec<NoticeKind> {
        self.0.kinds.iter().copied().map(Into::into).collect()
    }

    async fn active(&self) -> bool {
        self.0.active
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

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
        let actor = context::actor(ctx)?;
        let page = PageRequest::new(first, after.as_deref()).gql()?;
        let filter = filter.unwrap_or_default().into_service()?;
        let page = notices::list_notices(context::service(ctx)?, actor, filter, page)
            .await
            .gql()?;
        Ok(page.into())
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
        let actor = context::actor(ctx)?;
        let new = webhooks::NewWebhook {
            url: input.url,
            kind: input.kind.into(),
            kinds: input.kinds.map(|k| k.into_iter().map(Into::into).collect()),
            secret: input.secret,
        };
        let view = webhooks::create_webhook(context::service(ctx)?, actor, new)
            .await
            .gql()?;
        Ok(Webhook(view))
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
        let actor = context::actor(ctx)?;
        let id = id_of("id")(id)?;
        let view = notices::acknowledge_notice(context::service(ctx)?, actor, id)
            .await
            .gql()?;
        Ok(Notice(view))
    }

    /// The recipient answers (a supervision order's 办理情况); answering acknowledges it too.
    async fn reply_to_notice(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reply: String,
    ) -> async_graphql::Result<Notice> {
        let actor = context::actor(ctx)?;
        let id = id_of("id")(id)?;
        let view = notices::reply_to_notice(context::service(ctx)?, actor, id, &reply)
            .await
            .gql()?;
        Ok(Notice(view))
    }
}
