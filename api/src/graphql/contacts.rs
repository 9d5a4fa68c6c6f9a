//! Constituents' letters and visits (来信来访): logged, transferred to a unit, replied, closed.
//! The constituent's name and phone reach the presidium only.

use async_graphql::{Context, Enum, ID, InputObject, Object};

use super::args::id_of;
use super::connection::{self, connection};
use super::context;
use super::error::GqlResult;
use super::loaders::ContactReceiversKey;
use super::organizations::{Person, Unit, required_person, unit};
use super::scalars::{Date, DeadlineState, to_id};
use crate::graphql::connection::shows;
use jiandu_domain::report::ContactFigures;

use crate::service::contacts::{self, NewContact};
use crate::service::page::PageRequest;
use crate::service::views::ContactView;

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jiandu_domain::suggestion::ContactKind")]
pub enum ContactKind {
    /// 来访
    Visit,
    /// 来信
    Letter,
    /// 来电
    Phone,
    /// 网上留言
    Online,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jiandu_domain::suggestion::ContactStatus")]
pub enum ContactStatus {
    Open,
    Transferred,
    Replied,
    Closed,
}

/// 来访来信: a constituent's visit, letter, call or message, received by deputies or presidium
/// staff
#[derive(Clone)]
pub struct ConstituentContact(ContactView);

#[Object]
impl ConstituentContact {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn kind(&self) -> ContactKind {
        self.0.kind.into()
    }

    async fn received_on(&self) -> Date {
        Date(self.0.received_on)
    }

    /// who came or wrote; visible to the presidium only (personal information)
    async fn constituent_name(&self) -> Option<&str> {
        self.0.constituent_name.as_deref()
    }

    /// visible to the presidium only (personal information)
    async fn constituent_phone(&self) -> Option<&str> {
        self.0.constituent_phone.as_deref()
    }

    async fn summary(&self) -> &str {
        &self.0.summary
    }

    async fn received_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Person>> {
        let ids = context::load_all(ctx, ContactReceiversKey(self.0.id)).await?;
        let mut people = Vec::with_capacity(ids.len());
        for id in ids {
            people.push(required_person(ctx, id).await?);
        }
        Ok(people)
    }

    async fn status(&self) -> ContactStatus {
        self.0.status.into()
    }

    async fn transferred_to(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Unit>> {
        unit(ctx, self.0.transferred_to).await
    }

    async fn reply_due(&self) -> Option<Date> {
        self.0.reply_due.map(Date)
    }

    async fn deadline_state(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
    ) -> async_graphql::Result<Option<DeadlineState>> {
        let Some(tracked) = self.0.tracked() else {
            return Ok(None);
        };
        let timing = context::timing(ctx, self.0.organization_id, tracked, as_of.map(|d| d.0))?;
        Ok(Some(timing.state().into()))
    }

    async fn reply(&self) -> Option<&str> {
        self.0.reply.as_deref()
    }

    async fn replied_on(&self) -> Option<Date> {
        self.0.replied_on.map(Date)
    }

    async fn version(&self) -> i32 {
        self.0.version
    }
}

connection!(
    ConstituentContactConnection,
    ConstituentContactEdge,
    ConstituentContact
);

shows!(ConstituentContact: ContactView);

#[derive(InputObject)]
pub struct LogContactInput {
    kind: ContactKind,
    received_on: Date,
    constituent_name: Option<String>,
    constituent_phone: Option<String>,
    summary: String,
    received_by_ids: Vec<ID>,
}

#[derive(Default)]
pub struct ContactsQuery;

#[Object]
impl ContactsQuery {
    /// Letters and visits the caller may read, newest received first.
    #[graphql(complexity = "connection::cost(first, child_complexity)")]
    async fn contacts(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        year: Option<i32>,
        status: Option<Vec<ContactStatus>>,
    ) -> async_graphql::Result<ConstituentContactConnection> {
        let (service, actor) = context::signed(ctx)?;
        let page = PageRequest::new(first, after.as_deref()).gql()?;
        let statuses = status.map(|list| list.into_iter().map(Into::into).collect());
        contacts::list_contacts(service, actor, year, statuses, page)
            .await
            .answer()
    }
}

#[derive(Default)]
pub struct ContactsMutation;

#[Object]
impl ContactsMutation {
    /// a deputy or the presidium logs a visit, letter, call or message
    async fn log_contact(
        &self,
        ctx: &Context<'_>,
        input: LogContactInput,
    ) -> async_graphql::Result<ConstituentContact> {
        let actor = context::actor(ctx)?;
        let received_by = input
            .received_by_ids
            .into_iter()
            .map(id_of("receivedByIds"))
            .collect::<async_graphql::Result<Vec<_>>>()?;
        let new = NewContact {
            kind: input.kind.into(),
            received_on: input.received_on.0,
            constituent_name: input.constituent_name,
            constituent_phone: input.constituent_phone,
            summary: input.summary,
            received_by,
        };
        let view = contacts::log_contact(context::service(ctx)?, actor, new)
            .await
            .gql()?;
        Ok(ConstituentContact(contacts::for_reader(actor, view)))
    }

    /// presidium: 转办 to a unit, to be replied to by `replyDue`
    async fn transfer_contact(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        unit_id: ID,
        reply_due: Date,
    ) -> async_graphql::Result<ConstituentContact> {
        let (service, actor, id) = context::signed_on(ctx, &id, "contact")?;
        let unit = id_of("unitId")(unit_id)?;
        contacts::transfer_contact(service, actor, id, expected_version, unit, reply_due.0)
            .await
            .answer()
    }

    /// presidium: the reply given to the constituent
    async fn reply_contact(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        reply: String,
        replied_on: Date,
    ) -> async_graphql::Result<ConstituentContact> {
        let (service, actor, id) = context::signed_on(ctx, &id, "contact")?;
        contacts::reply_contact(service, actor, id, expected_version, &reply, replied_on.0)
            .await
            .answer()
    }

    /// presidium
    async fn close_contact(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
    ) -> async_graphql::Result<ConstituentContact> {
        let (service, actor, id) = context::signed_on(ctx, &id, "contact")?;
        contacts::close_contact(service, actor, id, expected_version)
            .await
            .answer()
    }
}

/// a year's letters and visits
pub struct ContactStats(pub ContactFigures);

fn int(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

#[Object]
impl ContactStats {
    /// 来访
    async fn visits(&self) -> i32 {
        int(self.0.visits)
    }

    /// 来信
    async fn letters(&self) -> i32 {
        int(self.0.letters)
    }

    /// 来电
    async fn calls(&self) -> i32 {
        int(self.0.calls)
    }

    /// 网上留言
    async fn online(&self) -> i32 {
        int(self.0.online)
    }

    /// replied to, of every kind
    async fn replied(&self) -> i32 {
        int(self.0.replied)
    }

    /// replied / (letters + online + transferred)
    async fn reply_rate(&self) -> Option<f64> {
        self.0.reply_rate()
    }
}
