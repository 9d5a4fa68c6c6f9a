//! A project's light in SQL: the worst of its items' and its open findings', ranked and
//! grouped for the projects list and the dashboards' figures.

use jiandu_domain::rollup::Tally;
use jiandu_domain::{DeadlineState, FindingStatus, Light, MilestoneStatus, Today};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query, SelectStatement, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, DatabaseBackend, EntityTrait};
use uuid::Uuid;

use super::{
    Todays, Tracking, finding_states, milestone_red, milestone_tallies, milestone_yellow_or_worse,
    open, statuses,
};
use crate::entity::{finding, milestone, project};
use crate::service::kernel::tenant::belongs_to;

fn project_has<E: EntityTrait>(
    entity: E,
    project_id: E::Column,
    condition: Condition,
) -> SimpleExpr {
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(entity.table_ref())
            .and_where(
                Expr::col(project_id.as_column_ref())
                    .equals((project::Entity, project::Column::Id)),
            )
            .cond_where(condition)
            .to_owned(),
    )
}

fn project_has_milestone(condition: Condition) -> SimpleExpr {
    project_has(milestone::Entity, milestone::Column::ProjectId, condition)
}

fn project_has_finding(condition: Condition) -> SimpleExpr {
    project_has(finding::Entity, finding::Column::ProjectId, condition)
}

/// Projects whose light on `today` is `light`: the SQL twin of `rollup::project_light` over the
/// milestones' own lights.
pub fn project_light(backend: DatabaseBackend, light: Light, today: &Today) -> Condition {
    use jiandu_domain::ProjectStatus;
    let closed: Vec<&str> = ProjectStatus::CLOSED.iter().map(|s| s.as_str()).collect();
    let active = project::Column::Status.is_not_in(closed.clone());
    let findings = Tracking::findings();
    let red = Condition::any()
        .add(project_has_milestone(milestone_red(backend, today)))
        .add(project_has_finding(
            findings.state(DeadlineState::Overdue, today),
        ));
    let yellow = Condition::any()
        .add(project_has_milestone(milestone_yellow_or_worse(
            backend, today,
        )))
        .add(project_has_finding(
            Condition::all()
                .add(finding::Column::Status.is_in(findings.open.clone()))
                .add(finding::Column::DueBy.lte(today.due_soon_until)),
        ));
    match light {
        Light::Grey => Condition::all().add(project::Column::Status.is_in(closed)),
        Light::Red => Condition::all().add(active).add(red),
        Light::Yellow => Condition::all().add(active).add(red.not()).add(yellow),
        Light::Green => Condition::all()
            .add(active)
            .add(red.not())
            .add(yellow.not()),
    }
}

/// Projects with any of `lights`, each by its own organisation's today.
pub fn project_lights(backend: DatabaseBackend, lights: &[Light], todays: &Todays) -> Condition {
    todays.each(project::Column::OrganizationId, |today| {
        lights.iter().fold(Condition::any(), |any, &light| {
            any.add(project_light(backend, light, today))
        })
    })
}

/// The rank of a light for `MAX`: GREEN 1, YELLOW 2, RED 3 (GREY is the project's own status).
fn light_rank(red: Condition, yellow: Condition) -> Expr {
    Expr::case(red, Expr::val(3))
        .case(yellow, Expr::val(2))
        .finally(Expr::val(1))
        .into()
}

/// Each project's worst open-milestone and open-finding light, as `(project_id, rank)` rows: the
/// `GROUP BY` twin of `rollup::project_light` that reads each open row once, for aggregates over
/// many projects.
pub fn worst_light_by_project(
    backend: DatabaseBackend,
    organizations: &[Uuid],
    todays: &Todays,
) -> (SelectStatement, SelectStatement) {
    use milestone::Column as M;
    let milestones = Query::select()
        .column(M::ProjectId)
        .expr_as(
            Func::max(light_rank(
                todays.each(M::OrganizationId, |today| milestone_red(backend, today)),
                todays.each(M::OrganizationId, |today| {
                    milestone_yellow_or_worse(backend, today)
                }),
            )),
            Alias::new("rank"),
        )
        .from(milestone::Entity)
        .and_where(belongs_to::<milestone::Entity>(organizations))
        .and_where(M::Status.is_in(statuses(&MilestoneStatus::OPEN)))
        .group_by_col(M::ProjectId)
        .to_owned();
    let findings = finding_rank_by_project(
        Condition::all().add(belongs_to::<finding::Entity>(organizations)),
        todays,
    );
    (milestones, findings)
}

/// Each project's worst open-finding light among the findings in `scope`, as `(project_id,
/// rank)` rows.
pub fn finding_rank_by_project(scope: Condition, todays: &Todays) -> SelectStatement {
    use finding::Column as F;
    let open: Vec<&str> = FindingStatus::OPEN.iter().map(|s| s.as_str()).collect();
    let finding_yellow = todays.each(F::OrganizationId, |today| {
        Condition::all().add(F::DueBy.lte(today.due_soon_until))
    });
    Query::select()
        .column(F::ProjectId)
        .expr_as(
            Func::max(light_rank(
                finding_states(&[DeadlineState::Overdue], todays),
                finding_yellow,
            )),
            Alias::new("rank"),
        )
        .from(finding::Entity)
        .cond_where(scope)
        .and_where(F::Status.is_in(open))
        .and_where(F::ProjectId.is_not_null())
        .group_by_col(F::ProjectId)
        .to_owned()
}

/// Each project's counts of its supervised items (one `n{i}` column per [`Tally`], in
/// [`Tally::ALL`] order) and its worst open-milestone light (`rank`: 3 red, 2 yellow, 1 green, 0
/// nothing open), over the milestones in `scope`, one row per project: what a list of projects
/// shows, in one pass over their milestones.
pub fn figures_by_project(
    backend: DatabaseBackend,
    scope: Condition,
    todays: &Todays,
) -> SelectStatement {
    use milestone::Column as M;
    let mut select = Query::select()
        .column(M::ProjectId)
        .from(milestone::Entity)
        .cond_where(scope)
        .group_by_col(M::ProjectId)
        .to_owned();
    for (i, tally) in Tally::ALL.iter().enumerate() {
        let counted = Condition::all()
            .add(M::IsItem.eq(true))
            .add(milestone_tallies(*tally, todays));
        select.expr_as(
            Func::sum(Expr::case(counted, Expr::val(1)).finally(Expr::val(0))),
            Alias::new(format!("n{i}")),
        );
    }
    let rank = Expr::case(
        todays.each(M::OrganizationId, |today| milestone_red(backend, today)),
        Expr::val(3),
    )
    .case(
        todays.each(M::OrganizationId, |today| {
            milestone_yellow_or_worse(backend, today)
        }),
        Expr::val(2),
    )
    .case(open(), Expr::val(1))
    .finally(Expr::val(0));
    select.expr_as(Func::max(rank), Alias::new("rank"));
    select
}
