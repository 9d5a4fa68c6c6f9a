//! What deputies' inspections of a project saw, as its page lists them: the visits, newest
//! first, and the problems found, each with its light and a link to its page.

use jiandu_domain::Today;
use jiandu_domain::report::Label;
use uuid::Uuid;

use super::board::light_word;
use crate::error::AppError;
use crate::service::{Actor, Ctx, findings, inspections};

pub struct Visit {
    pub on: String,
    pub kind: &'static str,
    pub summary: String,
    pub rating: Option<&'static str>,
    pub found: usize,
}

pub struct Found {
    pub id: Uuid,
    pub description: String,
    pub light: (&'static str, &'static str),
    pub leader: String,
    pub due_by: String,
    pub status: &'static str,
}

#[derive(Default)]
pub struct Inspected {
    pub visits: Vec<Visit>,
    pub found: Vec<Found>,
}

impl Inspected {
    /// The inspections of `project` and the findings they raised, judged on `today`.
    pub async fn of(
        ctx: &Ctx,
        actor: &Actor,
        project: Uuid,
        today: &Today,
        person: impl Fn(Uuid) -> String,
    ) -> Result<Inspected, AppError> {
        let visits = inspections::inspections_of_projects(ctx, actor, &[project]).await?;
        let found = findings::findings_of_projects(ctx, actor, &[project]).await?;
        Ok(Inspected {
            visits: visits
                .into_iter()
                .map(|i| Visit {
                    on: i.visited_on.to_string(),
                    kind: i.kind.label(),
                    found: found.iter().filter(|f| f.inspection_id == i.id).count(),
                    rating: i.rating.map(Label::label),
                    summary: i.summary,
                })
                .collect(),
            found: found
                .into_iter()
                .map(|f| Found {
                    id: f.id,
                    light: light_word(f.tracked().light(today)),
                    leader: person(f.responsible_leader_id),
                    due_by: f.due_by.to_string(),
                    status: f.status.label(),
                    description: f.description,
                })
                .collect(),
        })
    }
}
