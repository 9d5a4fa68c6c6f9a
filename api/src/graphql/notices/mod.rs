//! Notices (提醒 → 催办 → 督办单): the inbox, and supervision orders issued, acknowledged and
//! answered.

mod resolvers;

pub use resolvers::{NoticesMutation, NoticesQuery};

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};

use crate::graphql::accounts::{User, user};
use crate::graphql::connection::connection;
use crate::graphql::connection::shows;
use crate::graphql::context;
use crate::graphql::findings::Finding;
use crate::graphql::loaders::{
    FindingKey, MilestoneKey, NoticeCopiesKey, NoticeDeliveriesKey, PersonAccountsKey,
    SuggestionKey,
};
use crate::graphql::milestones::Milestone;
use crate::graphql::organizations::{Organization, Person, organization, required_person};
use crate::graphql::scalars::{Date, DeliveryStatus, NoticeKind, NoticeLevel, WebhookKind, to_id};
use crate::graphql::suggestions::Suggestion;
use crate::service::notices::webhooks::{self, DeliveryView, WebhookView};
use crate::service::views::NoticeView;

/// A notice addressed to a person about one item: 提醒 (blue), 催办 (yellow) or 督办单 (red).
#[derive(Clone)]
pub struct Notice(pub NoticeView);

shows!(Notice: NoticeView);

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

    /// the deliberation opinion it is about, when one sent to its leader awaits the reply
    async fn opinion(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<super::opinions::DeliberationOpinion>> {
        let key = self.0.opinion_id.map(super::loaders::OpinionKey);
        Ok(context::load_opt(ctx, key)
            .await?
            .map(super::opinions::DeliberationOpinion))
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

    /// where it went: `inbox`, or the webhook's scheme and host (never its path, query or
    /// credentials, which may hold a key)
    async fn target(&self) -> &str {
        &self.0.target
    }

    async fn status(&self) -> DeliveryStatus {
        self.0.status.into()
    }

    async fn attempts(&self) -> i32 {
        self.0.attempts
    }

    /// that the last attempt failed, and whether it is tried again (why is in the server's log)
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }

    async fn delivered_at(&self) -> Option<DateTime<Utc>> {
        self.0.delivered_at
    }
}

/// Where an organisation's notices are also posted.
pub struct Webhook(WebhookView);

shows!(Webhook: WebhookView);

#[Object]
impl Webhook {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// the address's scheme and host only (a group robot's key is in its path or query)
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
