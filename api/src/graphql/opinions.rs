//! Deliberation opinions (审议意见, docs/congress.md): recorded at a report hearing and sent to a
//! responsible leader, answered point by point, judged point by point; the reply deadline is
//! judged like every deadline.

use async_graphql::{Context, Enum, ID, InputObject, Object};

use super::args::id_of;
use super::attachments::{Attachment, attachments};
use super::congress::Meeting;
use super::context;
use super::error::GqlResult;
use super::loaders::{AttachmentsKey, MeetingKey, MeetingOpinionsKey};
use super::organizations::{Person, required_person};
use super::scalars::{Date, DeadlineState, Light, to_id};
use crate::service::congress::{self, NewOpinion, OpinionAnswer};
use crate::service::views::{OpinionView, PointView};

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jiandu_domain::congress::OpinionStatus")]
pub enum OpinionStatus {
    /// 交办: sent, its written reply awaited
    Sent,
    /// 反馈: answered on every point
    Answered,
    /// every point judged by the presidium
    Judged,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jiandu_domain::congress::PointJudgement")]
pub enum PointJudgement {
    /// 落实
    Implemented,
    /// 部分落实
    Partly,
    /// 未落实
    NotImplemented,
}

/// one point of an opinion, with the government's feedback and the presidium's judgement
pub struct OpinionPoint(PointView);

#[Object]
impl OpinionPoint {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn text(&self) -> &str {
        &self.0.text
    }

    /// 反馈: what the government did about it
    async fn feedback(&self) -> Option<&str> {
        self.0.feedback.as_deref()
    }

    async fn judgement(&self) -> Option<PointJudgement> {
        self.0.judgement.map(Into::into)
    }
}

/// 审议意见: opinions made at a report hearing, sent to a responsible leader for a written reply
#[derive(Clone)]
pub struct DeliberationOpinion(pub OpinionView);

#[Object]
impl DeliberationOpinion {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// the report hearing it was made at
    async fn meeting(&self, ctx: &Context<'_>) -> async_graphql::Result<Meeting> {
        context::load_required(ctx, MeetingKey(self.0.meeting_id), "meeting")
            .await
            .map(Meeting)
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    /// in the order they were made
    async fn points(&self) -> Vec<OpinionPoint> {
        self.0.points.iter().cloned().map(OpinionPoint).collect()
    }

    async fn responsible_leader(&self, ctx: &Context<'_>) -> async_graphql::Result<Person> {
        required_person(ctx, self.0.responsible_leader_id).await
    }

    /// 交办: the day it was sent
    async fn sent_on(&self) -> Date {
        Date(self.0.sent_on)
    }

    async fn reply_deadline(&self) -> Date {
        Date(self.0.reply_deadline)
    }

    /// the day the reply is due by (off a rest day when the organisation says so)
    async fn due_by(&self) -> Date {
        Date(self.0.due_by)
    }

    /// the reply deadline's state, on the organisation's today or on `asOf`
    async fn deadline_state(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
    ) -> async_graphql::Result<DeadlineState> {
        let timing = context::timing(
            ctx,
            self.0.organization_id,
            self.0.tracked(),
            as_of.map(|d| d.0),
        )?;
        Ok(timing.state().into())
    }

    async fn light(&self, ctx: &Context<'_>, as_of: Option<Date>) -> async_graphql::Result<Light> {
        let timing = context::timing(
            ctx,
            self.0.organization_id,
            self.0.tracked(),
            as_of.map(|d| d.0),
        )?;
        Ok(timing.own_light().into())
    }

    async fn answered_on(&self) -> Option<Date> {
        self.0.answered_on.map(Date)
    }

    async fn judged_on(&self) -> Option<Date> {
        self.0.judged_on.map(Date)
    }

    async fn status(&self) -> OpinionStatus {
        self.0.status.into()
    }

    /// the written reply and any papers with it
    async fn attachments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Attachment>> {
        attachments(ctx, AttachmentsKey(self.0.id)).await
    }

    /// Bumped by every change; pass it back as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

impl From<OpinionView> for DeliberationOpinion {
    fn from(view: OpinionView) -> Self {
        DeliberationOpinion(view)
    }
}

/// The opinions made at a meeting, in the order recorded.
pub async fn of_meeting(
    ctx: &Context<'_>,
    meeting: uuid::Uuid,
) -> async_graphql::Result<Vec<DeliberationOpinion>> {
    let found = context::load_all(ctx, MeetingOpinionsKey(meeting)).await?;
    Ok(found.iter().cloned().map(DeliberationOpinion).collect())
}

#[derive(InputObject)]
pub struct RecordOpinionInput {
    /// a report hearing of the caller's organisation
    meeting_id: ID,
    title: String,
    /// the points, in order (1 to 30)
    points: Vec<String>,
    responsible_leader_id: ID,
    /// `opinionReplyDays` working days after today when absent
    reply_deadline: Option<Date>,
}

#[derive(InputObject)]
pub struct PointFeedbackInput {
    point_id: ID,
    feedback: String,
}

#[derive(InputObject)]
pub struct PointJudgementInput {
    point_id: ID,
    judgement: PointJudgement,
}

#[derive(Default)]
pub struct OpinionsQuery;

#[Object]
impl OpinionsQuery {
    /// deliberation opinions the caller may read, sent in a year or all, newest first
    async fn opinions(
        &self,
        ctx: &Context<'_>,
        year: Option<i32>,
    ) -> async_graphql::Result<Vec<DeliberationOpinion>> {
        let (service, actor) = context::signed(ctx)?;
        let found = congress::opinions(service, actor, year).await.gql()?;
        Ok(found.into_iter().map(DeliberationOpinion).collect())
    }
}

#[derive(Default)]
pub struct OpinionsMutation;

#[Object]
impl OpinionsMutation {
    /// presidium: opinions made at a report hearing, sent at once to the responsible leader (a
    /// notice tells them)
    async fn record_opinion(
        &self,
        ctx: &Context<'_>,
        input: RecordOpinionInput,
    ) -> async_graphql::Result<DeliberationOpinion> {
        let (service, actor) = context::signed(ctx)?;
        let new = NewOpinion {
            meeting_id: id_of("meetingId")(input.meeting_id)?,
            title: input.title,
            points: input.points,
            responsible_leader_id: id_of("responsibleLeaderId")(input.responsible_leader_id)?,
            reply_deadline: input.reply_deadline.map(|d| d.0),
        };
        congress::record_opinion(service, actor, new).await.answer()
    }

    /// the responsible leader (or the presidium, entering a reply that came on paper): feedback
    /// on every point
    async fn answer_opinion(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        answered_on: Date,
        feedback: Vec<PointFeedbackInput>,
    ) -> async_graphql::Result<DeliberationOpinion> {
        let (service, actor, id) = context::signed_on(ctx, &id, "deliberation opinion")?;
        let feedback = feedback
            .into_iter()
            .map(|f| Ok((id_of("pointId")(f.point_id)?, f.feedback)))
            .collect::<async_graphql::Result<Vec<_>>>()?;
        let answer = OpinionAnswer {
            answered_on: answered_on.0,
            feedback,
        };
        congress::answer_opinion(service, actor, id, expected_version, answer)
            .await
            .answer()
    }

    /// presidium: a judgement on every point of an answered opinion
    async fn judge_opinion(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        judgements: Vec<PointJudgementInput>,
    ) -> async_graphql::Result<DeliberationOpinion> {
        let (service, actor, id) = context::signed_on(ctx, &id, "deliberation opinion")?;
        let judgements = judgements
            .into_iter()
            .map(|j| Ok((id_of("pointId")(j.point_id)?, j.judgement.into())))
            .collect::<async_graphql::Result<Vec<_>>>()?;
        congress::judge_opinion(service, actor, id, expected_version, judgements)
            .await
            .answer()
    }
}
