//! The names a list prints for the ids its rows carry: projects' titles, people's and units'
//! names (those two from the cached tables).

use std::collections::HashMap;

use uuid::Uuid;

use crate::error::AppError;
use crate::service::{Actor, Ctx, accounts, organizations, projects};

pub struct Names {
    projects: HashMap<Uuid, String>,
    people: HashMap<Uuid, String>,
    units: HashMap<Uuid, String>,
}

impl Names {
    /// The names of the `projects` and of every person and unit the actor may read.
    pub async fn of(ctx: &Ctx, actor: &Actor, projects: &[Uuid]) -> Result<Names, AppError> {
        let titles = if projects.is_empty() {
            HashMap::new()
        } else {
            projects::projects_by_ids(ctx, actor, projects)
                .await?
                .into_iter()
                .map(|p| (p.id, p.title))
                .collect()
        };
        Ok(Names {
            projects: titles,
            people: organizations::readable_people(ctx, actor)
                .await?
                .into_iter()
                .map(|p| (p.id, p.name))
                .collect(),
            units: organizations::readable_units(ctx, actor)
                .await?
                .into_iter()
                .map(|u| (u.id, u.name))
                .collect(),
        })
    }

    pub fn project(&self, id: &Uuid) -> String {
        self.projects.get(id).cloned().unwrap_or_default()
    }

    /// A person's name, or "—" for one the actor may not read.
    pub fn person(&self, id: &Uuid) -> String {
        self.people.get(id).cloned().unwrap_or_else(|| "—".into())
    }

    pub fn unit(&self, id: &Uuid) -> String {
        self.units.get(id).cloned().unwrap_or_else(|| "—".into())
    }

    /// People or units as a form's choices, by name.
    pub fn choices(names: &HashMap<Uuid, String>) -> Vec<(Uuid, String)> {
        let mut choices: Vec<(Uuid, String)> =
            names.iter().map(|(id, name)| (*id, name.clone())).collect();
        choices.sort_by(|a, b| a.1.cmp(&b.1));
        choices
    }

    pub fn people(&self) -> &HashMap<Uuid, String> {
        &self.people
    }

    pub fn units(&self) -> &HashMap<Uuid, String> {
        &self.units
    }
}

/// How the pages call the holder of each account in `user_ids`: the person, with their title
/// (周敏（人大主席）); an account of nobody (a VIEWER's office) by its name.
pub async fn holders(
    ctx: &Ctx,
    actor: &Actor,
    user_ids: &[Uuid],
) -> Result<HashMap<Uuid, String>, AppError> {
    let users = accounts::users_by_ids(ctx, actor, user_ids).await?;
    let person_ids: Vec<Uuid> = users.iter().filter_map(|u| u.person_id).collect();
    let people: HashMap<Uuid, String> = organizations::people_by_ids(ctx, actor, &person_ids)
        .await?
        .into_iter()
        .map(|p| {
            let called = match p.title {
                Some(title) => format!("{}（{title}）", p.name),
                None => p.name,
            };
            (p.id, called)
        })
        .collect();
    Ok(users
        .into_iter()
        .map(|u| {
            let called = u
                .person_id
                .and_then(|id| people.get(&id).cloned())
                .unwrap_or(u.username);
            (u.id, called)
        })
        .collect())
}
