//! Deliberation opinions (审议意见, docs/congress.md): at a report hearing the presidium records its
//! opinions point by point and sends them (交办) to a responsible leader with a reply deadline —
//! `opinionReplyDays` working days on unless given — and the leader is told at once by a notice.
//! The leader answers with feedback on every point (反馈; the written reply attached to the
//! opinion), and the presidium judges every point (落实 / 部分落实 / 未落实). The reply deadline
//! has the states, lights and ladder of every deadline: the daily scan reminds, urges and orders
//! on an opinion still awaiting its reply.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use jiandu_domain::congress::{MAX_POINTS, MeetingKind, OpinionStatus, PointJudgement};
use jiandu_domain::validate::{self, limits};
use jiandu_domain::{Reason, Role, Text, field};
use sea_orm::{EntityTrait, Set};
use uuid::Uuid;

use super::super::kernel::audit::Action;
use super::super::kernel::command::{Audit, Command};
use super::super::notices::{self, webhooks};
use super::super::views::{MeetingView, OpinionView};
use super::super::{Actor, Ctx};
use crate::entity::deliberation_opinion::{self as opinion, Point, Points};
use crate::entity::{Stored, meeting, notice, organization, person};
use crate::error::AppError;

/// An opinion as the presidium records it.
pub struct NewOpinion {
    pub meeting_id: Uuid,
    pub title: String,
    pub points: Vec<String>,
    pub responsible_leader_id: Uuid,
    /// The day its written reply is due; `opinionReplyDays` working days after today when absent.
    pub reply_deadline: Option<NaiveDate>,
}

/// Records an opinion made at a report hearing of the actor's organisation and sends it to its
/// responsible leader, who is told by a notice in the same command.
#[tracing::instrument(skip_all, fields(actor = %actor.username))]
pub async fn record_opinion(
    ctx: &Ctx,
    actor: &Actor,
    new: NewOpinion,
) -> Result<OpinionView, AppError> {
    let organization = actor.organization_id();
    actor
        .access
        .check_manage(organization, "deliberation opinions")?;
    let title = Text::parse(field::TITLE, &new.title, limits::TITLE)?;
    let points = points_of(&new.points)?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let hearing = MeetingView::from(
        cmd.refer::<meeting::Entity>(organization, new.meeting_id, field::MEETING_ID)
            .await?,
    );
    if hearing.kind != MeetingKind::ReportHearing {
        return Err(AppError::invalid(
            field::MEETING_ID,
            Reason::WrongState,
            "deliberation opinions are made at a report hearing",
        ));
    }
    let leader = cmd
        .refer::<person::Entity>(
            organization,
            new.responsible_leader_id,
            field::RESPONSIBLE_LEADER_ID,
        )
        .await?;
    if super::outside_the_government(cmd.db(), organization)
        .await?
        .contains(&leader.id)
    {
        return Err(AppError::invalid(
            field::RESPONSIBLE_LEADER_ID,
            Reason::NotInList,
            "answers for the government: a deputy or the presidium's own member cannot; choose a \
             leader",
        ));
    }
    let today = cmd.today_in(organization);
    let rules = cmd.rules().await?;
    let reply_deadline = match new.reply_deadline {
        Some(day) => {
            let day = validate::plausible_date(field::REPLY_DEADLINE, day)?;
            if day <= today {
                return Err(AppError::invalid(
                    field::REPLY_DEADLINE,
                    Reason::TooEarly { date: today },
                    format!("must be after today ({today}): the reply needs time to be written"),
                ));
            }
            day
        }
        None => rules
            .calendar
            .nth_workday_after(today, rules.settings_of(organization).opinion_reply_days),
    };
    let due_by = rules.due_by(organization, reply_deadline);
    // Sent when already due soon, the notice that sends it is its reminder too.
    let due_soon = due_by <= rules.today(organization, today).due_soon_until;
    let now = cmd.now;
    let row = opinion::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        organization_id: Set(organization),
        meeting_id: Set(hearing.id),
        title: Set(title.into_string()),
        points: Set(points),
        responsible_leader_id: Set(leader.id),
        sent_on: Set(today),
        reply_deadline: Set(reply_deadline),
        due_by: Set(due_by),
        status: Set(Stored(OpinionStatus::Sent)),
        answered_on: Set(None),
        answered_by: Set(None),
        judged_on: Set(None),
        judged_by: Set(None),
        created_by: Set(actor.user_id()),
        created_at: Set(now),
        version: Set(1),
        updated_at: Set(now),
    };
    let row = cmd
        .create::<opinion::Entity>(row, Audit::new(Action::OpinionRecord))
        .await?;
    let org = organization::Entity::find_by_id(organization)
        .one(cmd.db())
        .await?
        .ok_or_else(|| AppError::not_found("organisation"))?;
    let sent = notices::opinion_sent(&row, &hearing, (&leader.name, &org.name), due_soon, now);
    cmd.create_many::<notice::Entity>(std::slice::from_ref(&sent), Audit::new(Action::NoticeIssue))
        .await?;
    webhooks::enqueue(&mut cmd, std::slice::from_ref(&sent)).await?;
    cmd.finish(OpinionView::from(row)).await
}

/// The points as made, each given its id; one at least, each said in words.
fn points_of(raw: &[String]) -> Result<Points, AppError> {
    if raw.is_empty() {
        return Err(AppError::required(
            field::POINTS,
            "an opinion makes at least one point",
        ));
    }
    if raw.len() > MAX_POINTS {
        return Err(AppError::invalid(
            field::POINTS,
            Reason::TooMany { max: MAX_POINTS },
            format!("an opinion makes at most {MAX_POINTS} points"),
        ));
    }
    let mut points = Vec::with_capacity(raw.len());
    for text in raw {
        let text = Text::parse(field::POINTS, text, limits::DESCRIPTION)?;
        points.push(Point {
            id: jiandu_domain::new_id(),
            text: text.into_string(),
            feedback: None,
            judgement: None,
        });
    }
    Ok(Points(points))
}

/// The leader's written reply: feedback on every point, given on `answered_on`.
pub struct OpinionAnswer {
    pub answered_on: NaiveDate,
    pub feedback: Vec<(Uuid, String)>,
}

/// The leader it was sent to (or the presidium, entering a reply that came on paper) answers
/// an opinion awaiting its reply, point by point.
#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn answer_opinion(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    answer: OpinionAnswer,
) -> Result<OpinionView, AppError> {
    let mut feedback = HashMap::with_capacity(answer.feedback.len());
    for (point, text) in answer.feedback {
        if feedback.insert(point, text).is_some() {
            return Err(twice(field::FEEDBACK, point));
        }
    }
    let mut cmd = Command::begin(ctx, actor).await?;
    let current = cmd
        .load::<opinion::Entity, _>(id, Some(expected_version), |o| {
            actor
                .access
                .check_answer_opinion(o.organization_id, o.responsible_leader_id)
        })
        .await?;
    let status = current.row.status.0;
    if status != OpinionStatus::Sent {
        return Err(wrong_state(status, "answered"));
    }
    let organization = current.row.organization_id;
    let today = cmd.today_in(organization);
    let answered_on = validate::past_day(field::ANSWERED_ON, answer.answered_on, today)?;
    // The leader may date a reply a few days back, as a completion; the presidium enters a
    // reply that came on paper on the day it came.
    if actor.access.role != Role::Presidium {
        let days = cmd.rules().await?.settings_of(organization).backdate_days;
        let earliest = today - chrono::Duration::days(i64::from(days));
        if answered_on < earliest {
            return Err(AppError::invalid(
                field::ANSWERED_ON,
                Reason::BackdateLimit { days },
                format!(
                    "a reply entered late may be dated at most {days} days back ({earliest}); \
                     an earlier date is for the presidium to enter"
                ),
            ));
        }
    }
    if answered_on < current.row.sent_on {
        return Err(AppError::invalid(
            field::ANSWERED_ON,
            Reason::TooEarly {
                date: current.row.sent_on,
            },
            "must not be before the day the opinion was sent",
        ));
    }
    let points = each_point(
        &current.row.points,
        field::FEEDBACK,
        feedback,
        |p, text, at| {
            p.feedback = Some(Text::parse(at, &text, limits::DESCRIPTION)?.into_string());
            Ok(())
        },
    )?;
    let mut next = current.edit();
    next.points = Set(points);
    next.status = Set(Stored(OpinionStatus::Answered));
    next.answered_on = Set(Some(answered_on));
    next.answered_by = Set(Some(actor.user_id()));
    cmd.finish_update(&current, next, Audit::new(Action::OpinionAnswer))
        .await
}

/// The presidium judges every point of an answered opinion; a judged one may be judged again
/// (a point carried out later).
#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn judge_opinion(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    judgements: Vec<(Uuid, PointJudgement)>,
) -> Result<OpinionView, AppError> {
    let mut judged = HashMap::with_capacity(judgements.len());
    for (point, judgement) in judgements {
        if judged.insert(point, judgement).is_some() {
            return Err(twice(field::JUDGEMENTS, point));
        }
    }
    let mut cmd = Command::begin(ctx, actor).await?;
    let current = cmd
        .load_managed::<opinion::Entity>(id, Some(expected_version), "deliberation opinions")
        .await?;
    let status = current.row.status.0;
    if status == OpinionStatus::Sent {
        return Err(wrong_state(
            status,
            "judged before its reply (answer it first)",
        ));
    }
    let points = each_point(&current.row.points, field::JUDGEMENT, judged, |p, j, _| {
        p.judgement = Some(Stored(j));
        Ok(())
    })?;
    let mut next = current.edit();
    next.points = Set(points);
    next.status = Set(Stored(OpinionStatus::Judged));
    next.judged_on = Set(Some(cmd.today_in(current.row.organization_id)));
    next.judged_by = Set(Some(actor.user_id()));
    cmd.finish_update(&current, next, Audit::new(Action::OpinionJudge))
        .await
}

/// `points` with `given` applied to each: every point named once, and only the opinion's. A
/// point left out, or a value `apply` refuses, is named by its place: `points.1.feedback` is the
/// second point's feedback.
fn each_point<T>(
    points: &Points,
    field: &str,
    mut given: HashMap<Uuid, T>,
    apply: impl Fn(&mut Point, T, &str) -> Result<(), AppError>,
) -> Result<Points, AppError> {
    let known: HashSet<Uuid> = points.0.iter().map(|p| p.id).collect();
    if let Some(stranger) = given.keys().find(|id| !known.contains(id)) {
        return Err(AppError::invalid(
            field::POINT_ID,
            Reason::UnknownRecord,
            format!("{stranger} is not a point of this opinion"),
        ));
    }
    let mut next = points.clone();
    for (i, point) in next.0.iter_mut().enumerate() {
        let at = format!("{}.{i}.{field}", field::POINTS);
        let value = given.remove(&point.id).ok_or_else(|| {
            AppError::required(
                &at,
                format!("every point is answered: point {} is missing", i + 1),
            )
        })?;
        apply(point, value, &at)?;
    }
    Ok(next)
}

fn twice(field: &str, point: Uuid) -> AppError {
    AppError::invalid(
        field,
        Reason::Other,
        format!("point {point} is given twice"),
    )
}

fn wrong_state(status: OpinionStatus, step: &str) -> AppError {
    AppError::invalid(
        field::STATUS,
        Reason::WrongState,
        format!("a {status} opinion cannot be {step}"),
    )
}
