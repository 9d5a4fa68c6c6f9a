//! Deputies (docs/deputies.md): the roster (`Person.deputy`, `setDeputyProfile`, `deputies`) and
//! the duties they log (`logDutyActivity`, `dutyActivities`).

use async_graphql::{Context, Enum, ID, InputObject, Object};

use super::args::{id_of, int};
use super::contacts::{ConstituentContact, ContactKind};
use super::context;
use super::error::GqlResult;
use super::loaders::{ContactKey, DeputyProfileKey, SuggestionKey};
use super::organizations::{Person, required_person};
use super::scalars::{Date, to_id};
use super::suggestions::Suggestion;
use crate::service::deputies::{
    self, NewActivity, ProfileInput, RaisedContact, RaisedSuggestion, RecordView,
};
use crate::service::documents;
use crate::service::views::{ActivityView, DeputyView};

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jiandu_domain::deputies::DeputyLevel")]
pub enum DeputyLevel {
    /// 镇人大代表
    Township,
    /// 县人大代表
    County,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jiandu_domain::deputies::DutyActivityKind")]
pub enum DutyActivityKind {
    /// 走访选民 / 联系群众
    ConstituentVisit,
    /// 培训学习
    Training,
}

/// 代表名册: a person on the roster of deputies
pub struct DeputyProfile(DeputyView);

#[Object]
impl DeputyProfile {
    async fn level(&self) -> DeputyLevel {
        self.0.level.into()
    }

    /// 届, e.g. 第二届
    async fn term(&self) -> &str {
        &self.0.term
    }

    /// 选区
    async fn constituency(&self) -> Option<&str> {
        self.0.constituency.as_deref()
    }

    /// 代表小组
    async fn group(&self) -> Option<&str> {
        self.0.group.as_deref()
    }

    /// the villages the deputy links (分工联系到村), in order
    async fn villages(&self) -> &[String] {
        &self.0.villages
    }

    /// 在任
    async fn active(&self) -> bool {
        self.0.active
    }
}

/// A person's place on the roster, if they are on one the caller may read.
pub async fn profile_of(
    ctx: &Context<'_>,
    person: uuid::Uuid,
) -> async_graphql::Result<Option<DeputyProfile>> {
    let found = context::load_all(ctx, DeputyProfileKey(person)).await?;
    Ok(found.first().cloned().map(DeputyProfile))
}

/// 履职活动: a visit to constituents or a training a deputy logged
pub struct DutyActivity(ActivityView);

#[Object]
impl DutyActivity {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn kind(&self) -> DutyActivityKind {
        self.0.kind.into()
    }

    async fn deputy(&self, ctx: &Context<'_>) -> async_graphql::Result<Person> {
        required_person(ctx, self.0.deputy_id).await
    }

    async fn on(&self) -> Date {
        Date(self.0.on)
    }

    async fn village(&self) -> Option<&str> {
        self.0.village.as_deref()
    }

    /// whether the village is one the deputy links, as the roster said when it was logged;
    /// null without a village
    async fn village_linked(&self) -> Option<bool> {
        self.0.village_linked
    }

    /// what was raised, or what the training was about
    async fn topic(&self) -> &str {
        &self.0.topic
    }

    async fn people(&self) -> Option<i32> {
        self.0.people
    }

    async fn hours(&self) -> Option<f64> {
        self.0.hours()
    }

    /// the suggestion the visit raised in the same step, if it did
    async fn suggestion(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Suggestion>> {
        let key = self.0.suggestion_id.map(SuggestionKey);
        Ok(context::load_opt(ctx, key).await?.map(Suggestion))
    }

    /// the letter or visit logged from the visit in the same step, if one was (the
    /// constituent's name and phone as the reader may see them)
    async fn contact(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<ConstituentContact>> {
        let key = self.0.contact_id.map(ContactKey);
        Ok(context::load_opt(ctx, key)
            .await?
            .map(ConstituentContact::from))
    }
}

impl From<ActivityView> for DutyActivity {
    fn from(view: ActivityView) -> Self {
        DutyActivity(view)
    }
}

/// 履职档案: a deputy's year in figures
pub struct DeputyRecord(RecordView);

#[Object]
impl DeputyRecord {
    async fn deputy(&self, ctx: &Context<'_>) -> async_graphql::Result<Person> {
        required_person(ctx, self.0.person_id).await
    }

    async fn year(&self) -> i32 {
        self.0.year
    }

    /// inspections they took part in
    async fn inspections(&self) -> i32 {
        int(self.0.figures.inspections)
    }

    /// suggestions they led or co-signed, received in the year (withdrawn ones left out)
    async fn suggestions(&self) -> i32 {
        int(self.0.figures.suggestions)
    }

    /// letters and visits they received
    async fn contacts_received(&self) -> i32 {
        int(self.0.figures.contacts_received)
    }

    async fn constituent_visits(&self) -> i32 {
        int(self.0.figures.constituent_visits)
    }

    async fn trainings(&self) -> i32 {
        int(self.0.figures.trainings)
    }

    async fn training_hours(&self) -> f64 {
        self.0.figures.training_hours()
    }

    /// meetings they were named present at
    async fn meetings_attended(&self) -> i32 {
        int(self.0.figures.meetings_attended)
    }

    /// the sum of the counted activities (inspections, suggestions, contacts, visits, trainings,
    /// meetings attended)
    async fn total(&self) -> i32 {
        int(self.0.figures.total())
    }

    /// 述职报告 draft (.docx) from the record: the deputy's yearly report to their constituents
    async fn document_url(&self) -> String {
        documents::duty_report_url(self.0.person_id, self.0.year)
    }
}

#[derive(InputObject)]
pub struct DeputyProfileInput {
    level: DeputyLevel,
    term: String,
    constituency: Option<String>,
    group: Option<String>,
    villages: Option<Vec<String>>,
    /// serving unless false; unchanged when absent on a deputy already on the roster
    active: Option<bool>,
}

#[derive(InputObject)]
pub struct LogDutyActivityInput {
    kind: DutyActivityKind,
    /// defaults to the caller's own person
    deputy_id: Option<ID>,
    on: Date,
    village: Option<String>,
    topic: String,
    /// how many people a visit met (1–10 000)
    people: Option<i32>,
    /// more than 0, at most 24; required for a training
    hours: Option<f64>,
    /// a visit only: a suggestion it raised, registered with it in one step (led by the deputy,
    /// received on the day of the visit, between sessions); refusals name `suggestion.title`, …
    suggestion: Option<VisitSuggestionInput>,
    /// a visit only: a letter or visit (来信来访) taken in on it, logged with it in one step
    /// (received by the deputy on the day of the visit); refusals name `contact.summary`, …
    contact: Option<VisitContactInput>,
}

/// a suggestion raised on a visit to constituents
#[derive(InputObject)]
pub struct VisitSuggestionInput {
    title: String,
    content: String,
    category: Option<String>,
    co_signer_ids: Option<Vec<ID>>,
}

/// a letter or visit taken in on a visit to constituents
#[derive(InputObject)]
pub struct VisitContactInput {
    kind: ContactKind,
    constituent_name: Option<String>,
    constituent_phone: Option<String>,
    summary: String,
}

#[derive(Default)]
pub struct DeputiesQuery;

#[Object]
impl DeputiesQuery {
    /// the roster the caller may read: every deputy, serving or not, by group
    async fn deputies(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Person>> {
        let (service, actor) = context::signed(ctx)?;
        let roster = deputies::roster(service, actor).await.gql()?;
        if roster.len() > context::LARGE_LIST {
            context::large_answer(ctx).await?;
        }
        let mut people = Vec::with_capacity(roster.len());
        for deputy in roster {
            people.push(required_person(ctx, deputy.person_id).await?);
        }
        Ok(people)
    }

    /// presidium and readers: every deputy on the roster's year; a deputy: their own
    async fn deputy_records(
        &self,
        ctx: &Context<'_>,
        year: i32,
    ) -> async_graphql::Result<Vec<DeputyRecord>> {
        let (service, actor) = context::signed(ctx)?;
        let found = deputies::deputy_records(service, actor, year).await.gql()?;
        if found.len() > context::LARGE_LIST {
            context::large_answer(ctx).await?;
        }
        Ok(found.into_iter().map(DeputyRecord).collect())
    }

    /// one deputy's year; a deputy reads only their own
    async fn deputy_record(
        &self,
        ctx: &Context<'_>,
        person_id: ID,
        year: i32,
    ) -> async_graphql::Result<DeputyRecord> {
        let (service, actor) = context::signed(ctx)?;
        let person = super::args::target(&person_id, "deputy")?;
        deputies::deputy_record(service, actor, person, year)
            .await
            .gql()
            .map(DeputyRecord)
    }

    /// duties logged in a year, of one deputy or all, newest first; a deputy reads their own
    async fn duty_activities(
        &self,
        ctx: &Context<'_>,
        year: i32,
        deputy_id: Option<ID>,
    ) -> async_graphql::Result<Vec<DutyActivity>> {
        let (service, actor) = context::signed(ctx)?;
        let deputy = deputy_id.map(id_of("deputyId")).transpose()?;
        let found = deputies::duty_activities(service, actor, year, deputy)
            .await
            .gql()?;
        Ok(found.into_iter().map(DutyActivity).collect())
    }
}

#[derive(Default)]
pub struct DeputiesMutation;

#[Object]
impl DeputiesMutation {
    /// presidium: puts a person of its organisation on the roster, or changes their profile
    async fn set_deputy_profile(
        &self,
        ctx: &Context<'_>,
        person_id: ID,
        input: DeputyProfileInput,
    ) -> async_graphql::Result<Person> {
        let (service, actor) = context::signed(ctx)?;
        let person = id_of("personId")(person_id)?;
        let profile = ProfileInput {
            level: input.level.into(),
            term: input.term,
            constituency: input.constituency,
            group: input.group,
            villages: input.villages.unwrap_or_default(),
            active: input.active,
        };
        deputies::set_deputy_profile(service, actor, person, profile)
            .await
            .answer()
    }

    /// a deputy logs their own visit or training; the presidium any serving deputy's
    async fn log_duty_activity(
        &self,
        ctx: &Context<'_>,
        input: LogDutyActivityInput,
    ) -> async_graphql::Result<DutyActivity> {
        let (service, actor) = context::signed(ctx)?;
        let new = NewActivity {
            kind: input.kind.into(),
            deputy_id: input.deputy_id.map(id_of("deputyId")).transpose()?,
            on: input.on.0,
            village: input.village,
            topic: input.topic,
            people: input.people,
            hours: input.hours,
            suggestion: input
                .suggestion
                .map(|s| {
                    Ok::<_, async_graphql::Error>(RaisedSuggestion {
                        title: s.title,
                        content: s.content,
                        category: s.category,
                        co_signer_ids: s
                            .co_signer_ids
                            .unwrap_or_default()
                            .into_iter()
                            .map(id_of("suggestion.coSignerIds"))
                            .collect::<Result<_, _>>()?,
                    })
                })
                .transpose()?,
            contact: input.contact.map(|c| RaisedContact {
                kind: c.kind.into(),
                constituent_name: c.constituent_name,
                constituent_phone: c.constituent_phone,
                summary: c.summary,
            }),
        };
        deputies::log_duty_activity(service, actor, new)
            .await
            .answer()
    }
}
