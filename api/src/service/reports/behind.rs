//! The records behind a figure of the year (docs/reports.md): click 11 on the 年度报告 page and
//! see those 11 suggestions. Each list is chosen by the very condition its figure is counted by,
//! so the two cannot disagree.

use std::collections::HashMap;

use chrono::NaiveDate;
use jiandu_domain::InspectionKind;
use jiandu_domain::report::Label;
use jiandu_domain::suggestion::{ContactKind, SuggestionStatus};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::annual::{
    closed_on_time, findings_raised_in, inspections_in, items_due_in, verified, year_span,
};
use crate::entity::{
    Stored, constituent_contact, finding, inspection, milestone, project, suggestion,
};
use crate::error::AppError;
use crate::service::kernel::tenant::belongs_to;
use crate::service::{Actor, Ctx};

/// A figure of the year whose records can be listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    /// Inspections visited in the year, of one kind or all.
    Inspections(Option<InspectionKind>),
    ItemsDue,
    ItemsClosedOnTime,
    FindingsRaised,
    FindingsVerified,
    /// Suggestions received in the year (withdrawn ones left out), and those concluded.
    Suggestions,
    SuggestionsConcluded,
    Visits,
    Letters,
}

impl Figure {
    /// Every figure, as the report page lists them.
    pub const ALL: [Figure; 13] = [
        Figure::Inspections(None),
        Figure::Inspections(Some(InspectionKind::Visit)),
        Figure::Inspections(Some(InspectionKind::Check)),
        Figure::Inspections(Some(InspectionKind::Evaluation)),
        Figure::Inspections(Some(InspectionKind::LawEnforcement)),
        Figure::ItemsDue,
        Figure::ItemsClosedOnTime,
        Figure::FindingsRaised,
        Figure::FindingsVerified,
        Figure::Suggestions,
        Figure::SuggestionsConcluded,
        Figure::Visits,
        Figure::Letters,
    ];

    /// Its name in an address: `/report/<slug>`.
    pub fn slug(self) -> &'static str {
        match self {
            Figure::Inspections(None) => "inspections",
            Figure::Inspections(Some(InspectionKind::Visit)) => "visits-inspected",
            Figure::Inspections(Some(InspectionKind::Check)) => "checks",
            Figure::Inspections(Some(InspectionKind::Evaluation)) => "evaluations",
            Figure::Inspections(Some(InspectionKind::LawEnforcement)) => "law-enforcement",
            Figure::ItemsDue => "items-due",
            Figure::ItemsClosedOnTime => "items-closed-on-time",
            Figure::FindingsRaised => "findings",
            Figure::FindingsVerified => "findings-verified",
            Figure::Suggestions => "suggestions",
            Figure::SuggestionsConcluded => "suggestions-concluded",
            Figure::Visits => "constituent-visits",
            Figure::Letters => "letters",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Figure> {
        Figure::ALL.into_iter().find(|f| f.slug() == slug)
    }

    /// What the list is, as its heading says it.
    pub fn title(self) -> String {
        match self {
            Figure::Inspections(None) => "视察检查".into(),
            Figure::Inspections(Some(kind)) => kind.label().into(),
            Figure::ItemsDue => "应完成督办事项".into(),
            Figure::ItemsClosedOnTime => "按期办结的督办事项".into(),
            Figure::FindingsRaised => "视察检查发现的问题".into(),
            Figure::FindingsVerified => "已整改落实的问题".into(),
            Figure::Suggestions => "代表建议".into(),
            Figure::SuggestionsConcluded => "已办结的代表建议".into(),
            Figure::Visits => "群众来访".into(),
            Figure::Letters => "群众来信".into(),
        }
    }
}

/// One record behind a figure: its day, what it is, where it stands, and its page.
#[derive(Debug, Clone)]
pub struct Behind {
    pub on: NaiveDate,
    pub title: String,
    pub state: String,
    pub organization_id: Uuid,
    pub href: Option<String>,
}

/// The records behind `figure` of `year` in `organization_id`'s scope (the actor's own when
/// absent), by day.
pub async fn behind(
    ctx: &Ctx,
    actor: &Actor,
    year: i32,
    organization_id: Option<Uuid>,
    figure: Figure,
) -> Result<Vec<Behind>, AppError> {
    let (_, readable) = actor.reads_year(year, organization_id)?;
    let orgs = readable.organizations();
    let span = year_span(year)?;
    let db = ctx.db.conn();
    let mut rows: Vec<Behind> = match figure {
        Figure::Inspections(kind) => {
            let mut condition = inspections_in(orgs, span);
            if let Some(kind) = kind {
                condition = condition.add(inspection::Column::Kind.eq(kind.as_str()));
            }
            let found = inspection::Entity::find().filter(condition).all(db).await?;
            let projects = project_titles(ctx, found.iter().filter_map(|i| i.project_id)).await?;
            found
                .into_iter()
                .map(|i| Behind {
                    on: i.visited_on,
                    title: i
                        .topic
                        .clone()
                        .or_else(|| i.project_id.and_then(|p| projects.get(&p).cloned()))
                        .unwrap_or_else(|| i.summary.clone()),
                    state: i.kind.0.label().into(),
                    organization_id: i.organization_id,
                    href: i.project_id.map(|p| format!("/projects/{p}")),
                })
                .collect()
        }
        Figure::ItemsDue | Figure::ItemsClosedOnTime => {
            let mut condition = items_due_in(orgs, span);
            if figure == Figure::ItemsClosedOnTime {
                condition = condition.add(closed_on_time(actor, orgs, span.1));
            }
            let found = milestone::Entity::find().filter(condition).all(db).await?;
            let projects = project_titles(ctx, found.iter().map(|m| m.project_id)).await?;
            found
                .into_iter()
                .map(|m| Behind {
                    on: m.on_time_due_by,
                    title: match projects.get(&m.project_id) {
                        Some(project) => format!("{project}·{}", m.title),
                        None => m.title.clone(),
                    },
                    state: m.status.0.label().into(),
                    organization_id: m.organization_id,
                    href: Some(format!("/milestones/{}", m.id)),
                })
                .collect()
        }
        Figure::FindingsRaised | Figure::FindingsVerified => {
            let mut condition = findings_raised_in(orgs, span);
            if figure == Figure::FindingsVerified {
                condition = condition.add(verified());
            }
            finding::Entity::find()
                .filter(condition)
                .all(db)
                .await?
                .into_iter()
                .map(|f| Behind {
                    on: f.on_time_due_by,
                    title: f.description,
                    state: f.status.0.label().into(),
                    organization_id: f.organization_id,
                    href: Some(format!("/findings/{}", f.id)),
                })
                .collect()
        }
        Figure::Suggestions | Figure::SuggestionsConcluded => {
            let mut condition = Condition::all()
                .add(belongs_to::<suggestion::Entity>(orgs))
                .add(suggestion::Column::Year.eq(year))
                .add(suggestion::Column::Status.ne(Stored(SuggestionStatus::Withdrawn)));
            if figure == Figure::SuggestionsConcluded {
                condition = condition
                    .add(suggestion::Column::Status.eq(Stored(SuggestionStatus::Concluded)));
            }
            suggestion::Entity::find()
                .filter(condition)
                .all(db)
                .await?
                .into_iter()
                .map(|s| Behind {
                    on: s.received_on,
                    title: format!("{}号 {}", s.number, s.title),
                    state: s.status.0.label().into(),
                    organization_id: s.organization_id,
                    href: Some(format!("/suggestions/{}", s.id)),
                })
                .collect()
        }
        Figure::Visits | Figure::Letters => {
            let kind = if figure == Figure::Visits {
                ContactKind::Visit
            } else {
                ContactKind::Letter
            };
            constituent_contact::Entity::find()
                .filter(belongs_to::<constituent_contact::Entity>(orgs))
                .filter(constituent_contact::Column::ReceivedOn.between(span.0, span.1))
                .filter(constituent_contact::Column::Kind.eq(Stored(kind)))
                .order_by_asc(constituent_contact::Column::ReceivedOn)
                .all(db)
                .await?
                .into_iter()
                .map(|c| Behind {
                    on: c.received_on,
                    // The summary only: the constituent's name and phone stay with the presidium.
                    title: c.summary,
                    state: if c.replied_on.is_some() {
                        "已答复".into()
                    } else {
                        "未答复".into()
                    },
                    organization_id: c.organization_id,
                    href: Some("/contacts".into()),
                })
                .collect()
        }
    };
    rows.sort_by(|a, b| a.on.cmp(&b.on).then_with(|| a.title.cmp(&b.title)));
    Ok(rows)
}

/// The titles of `ids`' projects.
async fn project_titles(
    ctx: &Ctx,
    ids: impl Iterator<Item = Uuid>,
) -> Result<HashMap<Uuid, String>, AppError> {
    let mut ids: Vec<Uuid> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(project::Entity::find()
        .filter(project::Column::Id.is_in(ids))
        .all(ctx.db.conn())
        .await?
        .into_iter()
        .map(|p| (p.id, p.title))
        .collect())
}
