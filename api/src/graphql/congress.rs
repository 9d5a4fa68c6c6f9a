//! The congress's own cycle (docs/congress.md): meetings with the deputies present, and
//! livelihood projects from proposal to the vote to the project they became.

use async_graphql::{Context, Enum, ID, InputObject, Object};

use super::args::id_of;
use super::context;
use super::error::GqlResult;
use super::loaders::{
    MeetingAttendeesKey, MeetingCandidatesKey, MeetingKey, ProjectCandidateKey, ProjectKey,
    SuggestionKey,
};
use super::organizations::{Person, required_person};
use super::projects::Project;
use super::scalars::{Date, to_id};
use super::suggestions::Suggestion;
use crate::service::congress::{self, NewCandidate, NewMeeting, Tally};
use crate::service::views::{CandidateView, MeetingView};

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jiandu_domain::congress::MeetingKind")]
pub enum MeetingKind {
    /// 人民代表大会会议
    CongressSession,
    /// 主席团会议
    PresidiumMeeting,
    /// 听取政府工作汇报 / 专项工作报告
    ReportHearing,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jiandu_domain::congress::CandidateSource")]
pub enum CandidateSource {
    DeputySuggestion,
    Government,
    Constituents,
    Other,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jiandu_domain::congress::CandidateStatus")]
pub enum CandidateStatus {
    Proposed,
    /// 初定候选: on the list put to the vote
    Shortlisted,
    Passed,
    Rejected,
}

/// 会议: a congress session, a presidium meeting or a report hearing
#[derive(Clone)]
pub struct Meeting(pub MeetingView);

#[Object]
impl Meeting {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn kind(&self) -> MeetingKind {
        self.0.kind.into()
    }

    /// 第二届人民代表大会第一次会议; 听取镇政府关于2026年上半年工作情况的报告
    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn held_on(&self) -> Date {
        Date(self.0.held_on)
    }

    async fn place(&self) -> Option<&str> {
        self.0.place.as_deref()
    }

    /// deputies on the roster on that day (or as entered), and those present
    async fn deputies_total(&self) -> i32 {
        self.0.deputies_total
    }

    async fn deputies_present(&self) -> i32 {
        self.0.deputies_present
    }

    /// a congress session needs more than half of all deputies present
    async fn quorate(&self) -> bool {
        self.0.quorate()
    }

    /// the deputies named present (none when only their number was given)
    async fn attendees(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Person>> {
        let ids = context::load_all(ctx, MeetingAttendeesKey(self.0.id)).await?;
        let mut people = Vec::with_capacity(ids.len());
        for id in ids {
            people.push(required_person(ctx, id).await?);
        }
        Ok(people)
    }

    /// the candidates voted on at it
    async fn candidates(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<LivelihoodCandidate>> {
        let found = context::load_all(ctx, MeetingCandidatesKey(self.0.id)).await?;
        Ok(found.iter().cloned().map(LivelihoodCandidate).collect())
    }

    /// the deliberation opinions made at it (a report hearing), in the order recorded
    async fn opinions(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::opinions::DeliberationOpinion>> {
        super::opinions::of_meeting(ctx, self.0.id).await
    }

    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// 民生实事候选项目: proposed, shortlisted, voted on; a passed one became a project
#[derive(Clone)]
pub struct LivelihoodCandidate(pub CandidateView);

#[Object]
impl LivelihoodCandidate {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn year(&self) -> i32 {
        self.0.year
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    async fn source(&self) -> CandidateSource {
        self.0.source.into()
    }

    /// the deputy's suggestion it came from
    async fn suggestion(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Suggestion>> {
        let Some(id) = self.0.suggestion_id else {
            return Ok(None);
        };
        Ok(context::load(ctx, SuggestionKey(id)).await?.map(Suggestion))
    }

    async fn status(&self) -> CandidateStatus {
        self.0.status.into()
    }

    /// the congress session it was voted on
    async fn meeting(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Meeting>> {
        let Some(id) = self.0.meeting_id else {
            return Ok(None);
        };
        Ok(context::load(ctx, MeetingKey(id)).await?.map(Meeting))
    }

    async fn votes_for(&self) -> Option<i32> {
        self.0.votes_for
    }

    async fn votes_against(&self) -> Option<i32> {
        self.0.votes_against
    }

    async fn abstentions(&self) -> Option<i32> {
        self.0.abstentions
    }

    /// 决议 number, e.g. 思人决〔2026〕1号
    async fn resolution_number(&self) -> Option<&str> {
        self.0.resolution_number.as_deref()
    }

    /// the project made when it passed (origin LIVELIHOOD_VOTE)
    async fn project(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Project>> {
        let Some(id) = self.0.project_id else {
            return Ok(None);
        };
        Ok(context::load(ctx, ProjectKey(id)).await?.map(Project))
    }

    async fn version(&self) -> i32 {
        self.0.version
    }
}

#[derive(InputObject)]
pub struct CreateMeetingInput {
    kind: MeetingKind,
    title: String,
    held_on: Date,
    place: Option<String>,
    /// the deputies present, by name
    attendee_ids: Option<Vec<ID>>,
    /// all the deputies there are
    deputies_total: Option<i32>,
    /// how many were present, when they are not named (attendeeIds)
    deputies_present: Option<i32>,
}

#[derive(InputObject)]
pub struct ProposeCandidateInput {
    year: i32,
    title: String,
    description: Option<String>,
    source: CandidateSource,
    /// with source DEPUTY_SUGGESTION: the suggestion it comes from
    suggestion_id: Option<ID>,
}

#[derive(InputObject)]
pub struct RecordVoteInput {
    /// the congress session the ballots were cast at
    meeting_id: ID,
    votes_for: i32,
    votes_against: i32,
    abstentions: i32,
    /// the resolution's number; the year's next 思人决〔2026〕N号 when absent
    resolution_number: Option<String>,
}

#[derive(Default)]
pub struct CongressQuery;

#[Object]
impl CongressQuery {
    /// meetings the caller may read, of a year or all, newest first
    async fn meetings(
        &self,
        ctx: &Context<'_>,
        year: Option<i32>,
    ) -> async_graphql::Result<Vec<Meeting>> {
        let (service, actor) = context::signed(ctx)?;
        let found = congress::meetings(service, actor, year).await.gql()?;
        Ok(found.into_iter().map(Meeting).collect())
    }

    async fn meeting(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Meeting>> {
        context::actor(ctx)?;
        let Ok(id) = super::scalars::parse_id("id", &id) else {
            return Ok(None);
        };
        Ok(context::load(ctx, MeetingKey(id)).await?.map(Meeting))
    }

    /// a year's livelihood candidates, from proposal to the vote, in the order proposed
    async fn livelihood_candidates(
        &self,
        ctx: &Context<'_>,
        year: i32,
    ) -> async_graphql::Result<Vec<LivelihoodCandidate>> {
        let (service, actor) = context::signed(ctx)?;
        let found = congress::candidates_of_year(service, actor, year)
            .await
            .gql()?;
        Ok(found.into_iter().map(LivelihoodCandidate).collect())
    }
}

#[derive(Default)]
pub struct CongressMutation;

#[Object]
impl CongressMutation {
    /// presidium: a meeting held, with the deputies present (named, or counted)
    async fn create_meeting(
        &self,
        ctx: &Context<'_>,
        input: CreateMeetingInput,
    ) -> async_graphql::Result<Meeting> {
        let (service, actor) = context::signed(ctx)?;
        let attendee_ids = input
            .attendee_ids
            .unwrap_or_default()
            .into_iter()
            .map(id_of("attendeeIds"))
            .collect::<async_graphql::Result<Vec<_>>>()?;
        let new = NewMeeting {
            kind: input.kind.into(),
            title: input.title,
            held_on: input.held_on.0,
            place: input.place,
            attendee_ids,
            deputies_total: input.deputies_total,
            deputies_present: input.deputies_present,
        };
        congress::create_meeting(service, actor, new).await.answer()
    }

    /// presidium: a livelihood project proposed for a year's vote
    async fn propose_candidate(
        &self,
        ctx: &Context<'_>,
        input: ProposeCandidateInput,
    ) -> async_graphql::Result<LivelihoodCandidate> {
        let (service, actor) = context::signed(ctx)?;
        let new = NewCandidate {
            year: input.year,
            title: input.title,
            description: input.description,
            source: input.source.into(),
            suggestion_id: input.suggestion_id.map(id_of("suggestionId")).transpose()?,
        };
        congress::propose_candidate(service, actor, new)
            .await
            .answer()
    }

    /// presidium: on the list put to the vote (初定候选)
    async fn shortlist_candidate(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
    ) -> async_graphql::Result<LivelihoodCandidate> {
        let (service, actor, id) = context::signed_on(ctx, &id, "candidate")?;
        congress::shortlist_candidate(service, actor, id, expected_version)
            .await
            .answer()
    }

    /// presidium: a shortlisted candidate's tally; passes with votesFor > half of all deputies,
    /// then becomes a project
    async fn record_vote(
        &self,
        ctx: &Context<'_>,
        candidate_id: ID,
        expected_version: i32,
        input: RecordVoteInput,
    ) -> async_graphql::Result<LivelihoodCandidate> {
        let (service, actor, id) = context::signed_on(ctx, &candidate_id, "candidate")?;
        let tally = Tally {
            meeting_id: id_of("meetingId")(input.meeting_id)?,
            votes_for: input.votes_for,
            votes_against: input.votes_against,
            abstentions: input.abstentions,
            resolution_number: input.resolution_number,
        };
        congress::record_vote(service, actor, id, expected_version, tally)
            .await
            .answer()
    }
}

impl From<MeetingView> for Meeting {
    fn from(view: MeetingView) -> Self {
        Meeting(view)
    }
}

impl From<CandidateView> for LivelihoodCandidate {
    fn from(view: CandidateView) -> Self {
        LivelihoodCandidate(view)
    }
}

/// The candidate a project was made from.
pub async fn candidate_of(
    ctx: &Context<'_>,
    project: uuid::Uuid,
) -> async_graphql::Result<Option<LivelihoodCandidate>> {
    let found = context::load_all(ctx, ProjectCandidateKey(project)).await?;
    Ok(found.first().cloned().map(LivelihoodCandidate))
}
