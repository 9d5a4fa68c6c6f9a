//! The findings and suggestions on the 历史事项 page: brought in open and past their deadline
//! from a workbook's 整改事项 and 代表建议办理台账 sheets, quiet until the presidium confirms each.

use jiandu_domain::report::Label;
use uuid::Uuid;

use super::names::Names;
use crate::error::AppError;
use crate::service::findings::{self, FindingFilter};
use crate::service::page::PageRequest;
use crate::service::suggestions::{self, SuggestionFilter};
use crate::service::{Actor, Ctx};

/// A historical finding or suggestion as the page lists it.
pub struct RecordRow {
    pub id: Uuid,
    pub version: i32,
    /// Where its own page is: /findings/… or /suggestions/….
    pub href: String,
    pub title: String,
    /// Its project (a finding's), or its lead unit (a suggestion's).
    pub place: String,
    pub leader: String,
    pub due_by: String,
    pub status: &'static str,
}

/// The historical findings and suggestions of the actor's organisation, each by deadline.
pub async fn load(ctx: &Ctx, actor: &Actor) -> Result<(Vec<RecordRow>, Vec<RecordRow>), AppError> {
    let own = Some(actor.organization_id());
    let found = findings::list_findings(
        ctx,
        actor,
        FindingFilter {
            organization_id: own,
            historical: Some(true),
            ..FindingFilter::default()
        },
        PageRequest::largest(),
    )
    .await?;
    let asked = suggestions::list_suggestions(
        ctx,
        actor,
        SuggestionFilter {
            historical: Some(true),
            ..SuggestionFilter::default()
        },
        PageRequest::largest(),
    )
    .await?;
    let projects: Vec<Uuid> = found
        .items
        .iter()
        .filter_map(|(_, f)| f.project_id)
        .collect();
    let names = Names::of(ctx, actor, &projects).await?;
    let findings = found
        .items
        .into_iter()
        .map(|(_, f)| RecordRow {
            id: f.id,
            version: f.version,
            href: format!("/findings/{}", f.id),
            place: f
                .project_id
                .map_or_else(|| "专题检查".to_string(), |p| names.project(&p)),
            leader: format!(
                "{}（{}）",
                names.person(&f.responsible_leader_id),
                names.unit(&f.responsible_unit_id)
            ),
            due_by: f.due_by.to_string(),
            status: f.status.label(),
            title: f.description,
        })
        .collect();
    let mut suggestions: Vec<RecordRow> = asked
        .items
        .into_iter()
        .filter(|(_, s)| s.organization_id == actor.organization_id())
        .map(|(_, s)| RecordRow {
            id: s.id,
            version: s.version,
            href: format!("/suggestions/{}", s.id),
            title: format!("{} {}", s.number, s.title),
            place: s.lead_unit_id.map(|u| names.unit(&u)).unwrap_or_default(),
            leader: s
                .responsible_leader_id
                .map(|p| names.person(&p))
                .unwrap_or_default(),
            due_by: s.due_by.map(|d| d.to_string()).unwrap_or_default(),
            status: s.status.label(),
        })
        .collect();
    suggestions.sort_by(|a, b| a.due_by.cmp(&b.due_by));
    Ok((findings, suggestions))
}
