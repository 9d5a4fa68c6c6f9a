//! One generated township: units, people, accounts, ~40 projects with their milestone trees,
//! history, inspections and findings, and a year of suggestions and letters, drawn from the
//! generator's random numbers in a fixed order (so the same seed gives the same rows).

mod inspections;

use chrono::Duration;
use rand::Rng;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use jiandu_domain::{
    ExtensionStatus, InspectionKind, MilestoneStatus, ProjectOrigin, ProjectStatus, Role,
};

use super::{Generator, insert_all, noon, user_row};
use crate::entity::{
    Stored, deadline_change, extension_request, finding, inspection, inspection_participant,
    milestone, person, progress_report, project, unit,
};
use crate::error::AppError;
use inspections::inspection;

const PROJECTS_PER_TOWN: usize = 40;
const UNITS: [&str; 4] = ["党政办", "经发办", "社会事务办", "村建办"];
const STEPS: [&str; 5] = ["方案设计", "立项审批", "招标采购", "主体施工", "附属设施"];
const KINDS: [InspectionKind; 3] = [
    InspectionKind::Visit,
    InspectionKind::Check,
    InspectionKind::Evaluation,
];

/// Who works in the township, for the rows that name them.
struct Town {
    id: Uuid,
    leaders: Vec<Uuid>,
    deputies: Vec<Uuid>,
    units: Vec<Uuid>,
    /// The presidium account that "did" everything generated.
    actor: Uuid,
}

/// The rows of the township's work, inserted table by table at the end.
#[derive(Default)]
struct Rows {
    projects: Vec<project::Model>,
    milestones: Vec<milestone::Model>,
    changes: Vec<deadline_change::Model>,
    reports: Vec<progress_report::Model>,
    inspections: Vec<inspection::Model>,
    participants: Vec<inspection_participant::Model>,
    findings: Vec<finding::Model>,
    extensions: Vec<extension_request::Model>,
}

pub(super) async fn generate(
    db: &impl ConnectionTrait,
    g: &mut Generator,
    town: Uuid,
    tag: &str,
) -> Result<(), AppError> {
    let town = staff(db, g, town, tag).await?;
    let mut rows = Rows::default();
    for p in 0..PROJECTS_PER_TOWN {
        let project = project(g, &town, &mut rows, tag, p);
        // An inspection on about every other project, with findings.
        if p % 2 == 0 {
            inspection(g, &town, &mut rows, project, p);
        }
    }
    g.counts.projects += rows.projects.len();
    g.counts.milestones += rows.milestones.len();
    let parents: std::collections::HashSet<Uuid> =
        rows.milestones.iter().filter_map(|m| m.parent_id).collect();
    for m in &mut rows.milestones {
        m.is_item = !parents.contains(&m.id);
    }
    g.counts.findings += rows.findings.len();
    insert_all(db, rows.projects).await?;
    insert_all(db, rows.milestones).await?;
    insert_all(db, rows.changes).await?;
    insert_all(db, rows.reports).await?;
    insert_all(db, rows.inspections).await?;
    insert_all(db, rows.participants).await?;
    insert_all(db, rows.findings).await?;
    insert_all(db, rows.extensions).await?;
    let people = super::suggestions::People {
        town: town.id,
        leaders: &town.leaders,
        deputies: &town.deputies,
        units: &town.units,
        actor: town.actor,
    };
    let year = super::suggestions::generate(g, &people);
    g.counts.suggestions += year.suggestions.len();
    g.counts.contacts += year.contacts.len();
    insert_all(db, year.suggestions).await?;
    insert_all(db, year.answers).await?;
    insert_all(db, year.sequences).await?;
    insert_all(db, year.contacts).await?;
    insert_all(db, year.receivers).await?;
    let roster = super::deputies::generate(g, town.id, &town.deputies, &town.units, town.actor);
    g.counts.deputies += roster.profiles.len();
    g.counts.duties += roster.activities.len();
    insert_all(db, roster.people).await?;
    insert_all(db, roster.profiles).await?;
    insert_all(db, roster.activities).await?;
    Ok(())
}

/// Units, six leaders and six deputies, and an account of each role.
async fn staff(
    db: &impl ConnectionTrait,
    g: &mut Generator,
    id: Uuid,
    tag: &str,
) -> Result<Town, AppError> {
    let now = g.now;
    let units: Vec<unit::Model> = UNITS
        .iter()
        .map(|name| unit::Model {
            id: g.id(),
            organization_id: id,
            name: name.to_string(),
            created_at: now,
            head_id: None,
        })
        .collect();
    let mut people = Vec::new();
    for i in 0..12 {
        let (name, title) = if i < 6 {
            ("领导", "副镇长")
        } else {
            ("代表", "人大代表")
        };
        people.push(person::Model {
            id: g.id(),
            organization_id: id,
            name: format!("{name}{i}"),
            title: Some(title.to_string()),
            unit_id: Some(units[i % units.len()].id),
            created_at: now,
        });
    }
    let leaders: Vec<Uuid> = people[..6].iter().map(|p| p.id).collect();
    let deputies: Vec<Uuid> = people[6..].iter().map(|p| p.id).collect();
    let chair = person::Model {
        id: g.id(),
        organization_id: id,
        name: "主席".to_string(),
        title: Some("人大主席".to_string()),
        unit_id: Some(units[0].id),
        created_at: now,
    };
    let accounts = [
        ("p", Role::Presidium, Some(chair.id)),
        ("l", Role::Leader, Some(leaders[0])),
        ("d", Role::Deputy, Some(deputies[0])),
        ("v", Role::Viewer, None),
    ];
    let users: Vec<_> = accounts
        .into_iter()
        .map(|(letter, role, person)| {
            user_row(g, id, &format!("bench-{letter}-{tag}"), role, person)
        })
        .collect();
    let town = Town {
        id,
        leaders,
        deputies,
        units: units.iter().map(|u| u.id).collect(),
        actor: users[0].id,
    };
    insert_all(db, units).await?;
    people.push(chair);
    insert_all(db, people).await?;
    insert_all(db, users).await?;
    Ok(town)
}

/// One project with five steps, each with three or four sub-steps, the first of which has a
/// further step: ~25 nodes. Returns the project's id.
fn project(g: &mut Generator, town: &Town, rows: &mut Rows, tag: &str, p: usize) -> Uuid {
    let id = g.id();
    let closed = g.rng.random_bool(0.1);
    let start = g.day(-300, -30);
    rows.projects.push(project::Model {
        id,
        organization_id: town.id,
        title: format!("民生实事项目{tag}-{p}"),
        description: Some("年度民生实事票决项目".into()),
        origin: Stored(ProjectOrigin::ALL[p % ProjectOrigin::ALL.len()]),
        location: Some(format!("第{}村", p % 12 + 1)),
        construction: p.is_multiple_of(2),
        status: Stored(if closed {
            ProjectStatus::Completed
        } else {
            ProjectStatus::InProgress
        }),
        lead_leader_id: Some(town.leaders[p % town.leaders.len()]),
        planned_start: Some(start),
        planned_end: Some(start + Duration::days(400)),
        completed_on: closed.then(|| g.day(-60, 0)),
        version: 1,
        created_at: g.now,
        updated_at: g.now,
    });
    let project = Project { id, closed };
    for (s, step) in STEPS.iter().enumerate() {
        let root = node(g, town, rows, &project, None, step);
        let children = if s % 2 == 0 { 4 } else { 3 };
        for c in 0..children {
            let child = node(
                g,
                town,
                rows,
                &project,
                Some(root),
                &format!("{step}{}", c + 1),
            );
            if c == 0 {
                let title = format!("{step}{}-1", c + 1);
                node(g, town, rows, &project, Some(child), &title);
            }
        }
    }
    id
}

/// The project a milestone is generated for.
struct Project {
    id: Uuid,
    /// A completed project's milestones are all done.
    closed: bool,
}

/// One milestone with a state drawn around `today`: done (on time or late), cancelled, overdue,
/// due soon, behind pace or upcoming; some rescheduled, most with progress reports.
fn node(
    g: &mut Generator,
    town: &Town,
    rows: &mut Rows,
    project: &Project,
    parent: Option<Uuid>,
    title: &str,
) -> Uuid {
    let id = g.id();
    let deadline = g.day(-150, 150);
    let start = deadline - Duration::days(g.rng.random_range(20..120));
    let rescheduled = g.rng.random_bool(0.15);
    let original = if rescheduled {
        deadline - Duration::days(g.rng.random_range(5..40))
    } else {
        deadline
    };
    let roll: f64 = g.rng.random();
    let (status, progress, completed_on) = if project.closed || (deadline < g.today && roll < 0.7) {
        let on = (deadline + Duration::days(g.rng.random_range(-10..8))).min(g.today);
        // Most finished items are signed off; some wait for it, checked or not.
        let status = if roll < 0.1 {
            MilestoneStatus::Verified
        } else if roll < 0.25 {
            MilestoneStatus::Done
        } else {
            MilestoneStatus::Closed
        };
        (status, 100, Some(on))
    } else if roll >= 0.95 {
        (MilestoneStatus::Cancelled, 0, None)
    } else if start > g.today {
        (MilestoneStatus::NotStarted, 0, None)
    } else {
        let progress = g.rng.random_range(0..=95);
        (MilestoneStatus::InProgress, progress, None)
    };
    // Moved today: a late change when the original deadline had already passed.
    let late = rescheduled && g.today > original;
    // A few open items have an extension request waiting for the presidium.
    if status.is_open() && deadline >= g.today && (0.7..0.76).contains(&roll) {
        rows.extensions.push(extension_request::Model {
            id: g.id(),
            organization_id: town.id,
            milestone_id: Some(id),
            finding_id: None,
            requested_by: town.actor,
            requested_at: g.now,
            current_deadline: deadline,
            proposed_deadline: deadline + Duration::days(g.rng.random_range(7..30)),
            reason: "受天气影响，申请顺延".into(),
            status: Stored(ExtensionStatus::Pending),
            decided_by: None,
            decided_at: None,
            decision_note: None,
            approved_deadline: None,
            version: 1,
            updated_at: g.now,
        });
    }
    if rescheduled {
        rows.changes.push(deadline_change::Model {
            id: g.id(),
            milestone_id: id,
            from_date: original,
            to_date: deadline,
            reason: "汛期影响施工，节点顺延".into(),
            changed_by: town.actor,
            changed_at: g.now,
            extension_request_id: None,
            late_change: late,
        });
    }
    if progress > 0 {
        for step in 1..=g.rng.random_range(1..4) {
            rows.reports.push(progress_report::Model {
                id: g.id(),
                milestone_id: id,
                progress: progress * step / 3,
                note: Some("按计划推进".into()),
                reported_by: town.actor,
                reported_at: g.now,
            });
        }
    }
    rows.milestones.push(milestone::Model {
        id,
        organization_id: town.id,
        project_id: project.id,
        parent_id: parent,
        title: title.to_string(),
        description: None,
        responsible_leader_id: town.leaders[g.rng.random_range(0..town.leaders.len())],
        responsible_unit_id: town.units[g.rng.random_range(0..town.units.len())],
        responsible_person_id: None,
        start_date: Some(start),
        deadline,
        original_deadline: original,
        on_time_deadline: if late { original } else { deadline },
        // Rolled off rest days once every row is in (`workdays::roll_due_dates`).
        due_by: deadline,
        on_time_due_by: if late { original } else { deadline },
        is_item: true,
        times_rescheduled: i32::from(rescheduled),
        status: Stored(status),
        progress,
        weight: 1,
        completed_at: completed_on.map(noon),
        completed_on,
        completed_by: None,
        completion_backdated: false,
        signed_off_by: (status == MilestoneStatus::Closed).then_some(town.actor),
        signed_off_at: (status == MilestoneStatus::Closed)
            .then(|| completed_on.map(|on| noon(on + Duration::days(2))))
            .flatten(),
        historical: false,
        long_term: false,
        version: 1,
        created_at: g.now,
        updated_at: g.now,
    });
    id
}
