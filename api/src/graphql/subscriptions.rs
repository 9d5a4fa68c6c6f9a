//! Subscriptions (over graphql-transport-ws at `/graphql/ws`): notices as they are issued and
//! milestones as they change, written on this replica or any other.

use std::future::ready;
use std::sync::Arc;

use async_graphql::{Context, ID, Subscription as Subscribe};
use futures::{Stream, StreamExt, stream};
use tokio::sync::broadcast::{self, error::RecvError};
use uuid::Uuid;

use super::args::id_of;
use super::context;
use super::loaders::ProjectKey;
use super::milestones::Milestone;
use super::notices::Notice;
use crate::db::Event;
use crate::service::{Actor, Ctx, milestones, notices};

#[derive(Default)]
pub struct Subscription;

#[Subscribe]
impl Subscription {
    /// notices addressed to the signed-in user's person, as they are issued (on any replica)
    async fn notice_issued(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = Notice> + use<>> {
        let (service, actor) = (context::service(ctx)?.clone(), context::shared_actor(ctx)?);
        let me = actor.access.person_id;
        let heard = heard(service.db.events().subscribe()).filter_map(move |event| {
            let wanted = match event {
                Event::NoticeIssued {
                    notice,
                    person,
                    organization,
                } if Some(person) == me && actor.access.can_read(organization) => Some(notice),
                _ => None,
            };
            let (service, actor) = (service.clone(), actor.clone());
            async move {
                let id = wanted?;
                let found = notices::notices_by_ids(&service, &actor, &[id]).await;
                Some(Notice::from(read(found, "a notice")?.into_iter().next()?))
            }
        });
        Ok(heard)
    }

    /// any change to a milestone the caller may read
    async fn milestone_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "only this project's milestones")] project_id: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = Milestone> + use<>> {
        let (service, actor) = (context::service(ctx)?.clone(), context::shared_actor(ctx)?);
        let project = project_id.map(id_of("projectId")).transpose()?;
        if let Some(project) = project {
            context::load_required(ctx, ProjectKey(project), "project").await?;
        }
        let reader = actor.clone();
        let heard = heard(service.db.events().subscribe())
            .filter_map(move |event| {
                ready(match event {
                    Event::MilestoneChanged {
                        milestone,
                        organization,
                    } if reader.access.can_read(organization) => Some(milestone),
                    _ => None,
                })
            })
            .filter_map(move |id| changed_milestone(service.clone(), actor.clone(), id, project));
        Ok(heard)
    }
}

async fn changed_milestone(
    service: Ctx,
    actor: Arc<Actor>,
    id: Uuid,
    project: Option<Uuid>,
) -> Option<Milestone> {
    let found = milestones::milestones_by_ids(&service, &actor, &[id]).await;
    read(found, "a milestone")?
        .into_iter()
        .find(|m| project.is_none_or(|p| m.project_id == p))
        .map(Milestone::from)
}

/// What a lookup found; a failure (the database away) costs the subscriber that one event and
/// goes to the log.
fn read<T>(found: Result<T, crate::error::AppError>, what: &str) -> Option<T> {
    found
        .inspect_err(|error| tracing::warn!(%error, "a subscription could not read {what}"))
        .ok()
}

/// Every event published from now on. A subscriber that falls more than the backlog behind
/// misses the oldest (and the log says how many); the inbox keeps every notice regardless.
fn heard(receiver: broadcast::Receiver<Event>) -> impl Stream<Item = Event> {
    stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(event) => return Some((event, receiver)),
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "a subscriber fell behind and missed events");
                }
                Err(RecvError::Closed) => return None,
            }
        }
    })
}
