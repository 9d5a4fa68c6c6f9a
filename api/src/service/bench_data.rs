//! A large, realistic, deterministic data set for benchmarks (`jiandu bench-data`): an
//! organisation tree of 1, 30 or 300 townships, each with ~40 projects of ~25 milestones in trees
//! up to three levels, deadlines spread around a day, every state, reschedules, progress reports,
//! inspections and findings. Rows go in by the thousand in one transaction per township, not
//! through the use cases: the point is volume, and the same seed gives the same data.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel};
use uuid::Uuid;

use jiandu_domain::{
    FindingStatus, InspectionKind, MilestoneStatus, ProjectOrigin, ProjectStatus, Rating, Role,
};

use super::Ctx;
use super::accounts::hash_password;
use crate::entity::{
    Stored, app_user, deadline_change, finding, inspection, inspection_participant, milestone,
    organization, person, progress_report, project, unit,
};
use crate::error::AppError;

/// The password of every generated account.
pub const BENCH_PASSWORD: &str = "bench-password";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// One township.
    Town,
    /// A county of 30 townships.
    County,
    /// A city of 10 counties of 30 townships.
    City,
}

impl std::str::FromStr for Scale {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "town" => Ok(Scale::Town),
            "county" => Ok(Scale::County),
            "city" => Ok(Scale::City),
            other => Err(format!("`{other}` is not a scale: town, county or city")),
        }
    }
}

/// What was generated, for the benchmark to find its way around.
#[derive(Debug, Default)]
pub struct Generated {
    pub organizations: usize,
    pub projects: usize,
    pub milestones: usize,
    pub findings: usize,
}

const PROJECTS_PER_TOWN: usize = 40;
const UNITS: [&str; 4] = ["党政办", "经发办", "社会事务办", "村建办"];
const STEPS: [&str; 6] = [
    "方案设计",
    "立项审批",
    "招标采购",
    "主体施工",
    "附属设施",
    "竣工验收",
];

struct Generator {
    rng: StdRng,
    today: NaiveDate,
    now: DateTime<Utc>,
    password_hash: String,
    counts: Generated,
}

fn noon(day: NaiveDate) -> DateTime<Utc> {
    // Noon in Asia/Shanghai is 04:00 UTC.
    Utc.from_utc_datetime(&day.and_time(NaiveTime::from_hms_opt(4, 0, 0).unwrap_or_default()))
}

impl Generator {
    fn id(&mut self) -> Uuid {
        uuid::Builder::from_random_bytes(self.rng.random()).into_uuid()
    }

    fn day(&mut self, from: i64, to: i64) -> NaiveDate {
        self.today + Duration::days(self.rng.random_range(from..=to))
    }
}

async fn insert_all<A, C>(db: &C, rows: Vec<A>) -> Result<(), AppError>
where
    A: ActiveModelTrait + Send,
    C: ConnectionTrait,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(800).collect();
        A::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

fn active<M: IntoActiveModel<A>, A: ActiveModelTrait>(model: M) -> A {
    model.into_active_model().reset_all()
}

/// Fills an empty database with the data set of `scale`, reproducibly from `seed`, with
/// deadlines spread around `today`.
pub async fn generate(
    ctx: &Ctx,
    scale: Scale,
    seed: u64,
    today: NaiveDate,
) -> Result<Generated, AppError> {
    let mut g = Generator {
        rng: StdRng::seed_from_u64(seed),
        today,
        now: noon(today),
        password_hash: hash_password(BENCH_PASSWORD.into()).await?,
        counts: Generated::default(),
    };
    let (counties, towns_per_county) = match scale {
        Scale::Town => (0, 1),
        Scale::County => (1, 30),
        Scale::City => (10, 30),
    };
    let txn = ctx.db.begin_write().await?;
    let city = (scale == Scale::City).then(|| g.id());
    let mut organizations = Vec::new();
    let mut users = Vec::new();
    if let Some(city) = city {
        organizations.push(organization_row(city, "市人大常委会", None, g.now));
        users.push(user_row(&mut g, city, "bench-city", Role::Presidium, None));
    }
    let mut parents = Vec::new();
    for c in 0..counties {
        let county = g.id();
        organizations.push(organization_row(
            county,
            &format!("第{}县人大常委会", c + 1),
            city,
            g.now,
        ));
        users.push(user_row(
            &mut g,
            county,
            &format!("bench-county-{c}"),
            Role::Presidium,
            None,
        ));
        parents.push(Some(county));
    }
    if parents.is_empty() {
        parents.push(None);
    }
    let mut towns = Vec::new();
    for (c, parent) in parents.iter().enumerate() {
        for t in 0..towns_per_county {
            let town = g.id();
            organizations.push(organization_row(
                town,
                &format!("第{}县第{}镇", c + 1, t + 1),
                *parent,
                g.now,
            ));
            towns.push((town, format!("{c}-{t}")));
        }
    }
    g.counts.organizations = organizations.len();
    insert_all(
        &*txn,
        organizations
            .into_iter()
            .map(active)
            .collect::<Vec<organization::ActiveModel>>(),
    )
    .await?;
    insert_all(
        &*txn,
        users
            .into_iter()
            .map(active)
            .collect::<Vec<app_user::ActiveModel>>(),
    )
    .await?;
    txn.commit().await?;

    for (town, tag) in towns {
        let txn = ctx.db.begin_write().await?;
        township(&*txn, &mut g, town, &tag).await?;
        txn.commit().await?;
    }
    ctx.organizations.invalidate().await;
    ctx.people.invalidate().await;
    ctx.units.invalidate().await;
    // As after any bulk load: statistics for the planner (and, on PostgreSQL, the visibility
    // map that lets the dashboard's covering indexes answer without reading rows), so the
    // first measurement is not taken before autovacuum has looked.
    let settle = match ctx.db.backend() {
        sea_orm::DatabaseBackend::Postgres => "VACUUM (ANALYZE)",
        _ => "ANALYZE",
    };
    ctx.db.conn().execute_unprepared(settle).await?;
    Ok(g.counts)
}

fn organization_row(
    id: Uuid,
    name: &str,
    parent: Option<Uuid>,
    now: DateTime<Utc>,
) -> organization::Model {
    organization::Model {
        id,
        name: name.to_string(),
        timezone: "Asia/Shanghai".to_string(),
        parent_id: parent,
        created_at: now,
    }
}

fn user_row(
    g: &mut Generator,
    org: Uuid,
    username: &str,
    role: Role,
    person: Option<Uuid>,
) -> app_user::Model {
    app_user::Model {
        id: g.id(),
        organization_id: org,
        username: username.to_string(),
        password_hash: g.password_hash.clone(),
        role: Stored(role),
        person_id: person,
        created_at: g.now,
    }
}

/// One township: units, people, accounts, ~40 projects with their milestone trees, history,
/// inspections and findings.
async fn township(
    db: &impl ConnectionTrait,
    g: &mut Generator,
    town: Uuid,
    tag: &str,
) -> Result<(), AppError> {
    let now = g.now;
    let units: Vec<unit::Model> = UNITS
        .iter()
        .map(|name| unit::Model {
            id: g.id(),
            organization_id: town,
            name: name.to_string(),
            created_at: now,
        })
        .collect();
    let mut people = Vec::new();
    for i in 0..12 {
        let title = if i < 6 { "副镇长" } else { "人大代表" };
        people.push(person::Model {
            id: g.id(),
            organization_id: town,
            name: format!("{}{i}", if i < 6 { "领导" } else { "代表" }),
            title: Some(title.to_string()),
            unit_id: Some(units[i % units.len()].id),
            created_at: now,
        });
    }
    let leaders: Vec<Uuid> = people[..6].iter().map(|p| p.id).collect();
    let deputies: Vec<Uuid> = people[6..].iter().map(|p| p.id).collect();
    let presidium = user_row(g, town, &format!("bench-p-{tag}"), Role::Presidium, None);
    let users = vec![
        presidium.clone(),
        user_row(
            g,
            town,
            &format!("bench-l-{tag}"),
            Role::Leader,
            Some(leaders[0]),
        ),
        user_row(
            g,
            town,
            &format!("bench-d-{tag}"),
            Role::Deputy,
            Some(deputies[0]),
        ),
        user_row(g, town, &format!("bench-v-{tag}"), Role::Viewer, None),
    ];
    let actor = presidium.id;
    let unit_ids: Vec<Uuid> = units.iter().map(|u| u.id).collect();
    insert_all(
        db,
        units
            .into_iter()
            .map(active)
            .collect::<Vec<unit::ActiveModel>>(),
    )
    .await?;
    insert_all(
        db,
        people
            .into_iter()
            .map(active)
            .collect::<Vec<person::ActiveModel>>(),
    )
    .await?;
    insert_all(
        db,
        users
            .into_iter()
            .map(active)
            .collect::<Vec<app_user::ActiveModel>>(),
    )
    .await?;

    let mut projects = Vec::new();
    let mut milestones = Vec::new();
    let mut changes = Vec::new();
    let mut reports = Vec::new();
    let mut inspections = Vec::new();
    let mut participants = Vec::new();
    let mut findings = Vec::new();
    for p in 0..PROJECTS_PER_TOWN {
        let project_id = g.id();
        let closed = g.rng.random_bool(0.1);
        let start = g.day(-300, -30);
        projects.push(project::Model {
            id: project_id,
            organization_id: town,
            title: format!("民生实事项目{tag}-{p}"),
            description: Some("年度民生实事票决项目".into()),
            origin: Stored(ProjectOrigin::ALL[p % ProjectOrigin::ALL.len()]),
            location: Some(format!("第{}村", p % 12 + 1)),
            status: Stored(if closed {
                ProjectStatus::Completed
            } else {
                ProjectStatus::InProgress
            }),
            lead_leader_id: Some(leaders[p % leaders.len()]),
            planned_start: Some(start),
            planned_end: Some(start + Duration::days(400)),
            completed_on: closed.then(|| g.day(-60, 0)),
            version: 1,
            created_at: now,
            updated_at: now,
        });
        // Five steps, each with three or four sub-steps, some with a further step: ~25 nodes.
        for (s, step) in STEPS.iter().take(5).enumerate() {
            let root = node(
                g,
                town,
                project_id,
                None,
                step,
                &leaders,
                &unit_ids,
                closed,
                &mut milestones,
                &mut changes,
                &mut reports,
                actor,
            );
            let children = if s % 2 == 0 { 4 } else { 3 };
            for c in 0..children {
                let child = node(
                    g,
                    town,
                    project_id,
                    Some(root),
                    &format!("{step}{}", c + 1),
                    &leaders,
                    &unit_ids,
                    closed,
                    &mut milestones,
                    &mut changes,
                    &mut reports,
                    actor,
                );
                if c == 0 {
                    node(
                        g,
                        town,
                        project_id,
                        Some(child),
                        &format!("{step}{}-1", c + 1),
                        &leaders,
                        &unit_ids,
                        closed,
                        &mut milestones,
                        &mut changes,
                        &mut reports,
                        actor,
                    );
                }
            }
        }
        // An inspection on about every other project, with findings.
        if p % 2 == 0 {
            let inspection_id = g.id();
            let visited_on = g.day(-200, -1);
            inspections.push(inspection::Model {
                id: inspection_id,
                organization_id: town,
                kind: Stored(
                    [
                        InspectionKind::Visit,
                        InspectionKind::Check,
                        InspectionKind::Evaluation,
                    ][p % 3],
                ),
                project_id: Some(project_id),
                topic: None,
                visited_on,
                location: None,
                summary: "代表视察项目推进情况".into(),
                rating: Some(Stored(Rating::BasicallySatisfied)),
                recorded_by: actor,
                recorded_at: now,
            });
            for d in deputies.iter().take(3) {
                participants.push(inspection_participant::Model {
                    inspection_id,
                    person_id: *d,
                });
            }
            for _ in 0..g.rng.random_range(0..4) {
                let deadline = visited_on + Duration::days(g.rng.random_range(7..90));
                let resolved = deadline < g.today && g.rng.random_bool(0.7);
                let resolved_on = resolved
                    .then(|| (deadline + Duration::days(g.rng.random_range(-5..10))).min(g.today));
                findings.push(finding::Model {
                    id: g.id(),
                    organization_id: town,
                    inspection_id,
                    project_id: Some(project_id),
                    milestone_id: None,
                    description: "施工现场安全防护不到位".into(),
                    responsible_leader_id: leaders[g.rng.random_range(0..leaders.len())],
                    responsible_unit_id: unit_ids[g.rng.random_range(0..unit_ids.len())],
                    deadline,
                    original_deadline: deadline,
                    times_rescheduled: 0,
                    status: Stored(if resolved {
                        FindingStatus::Resolved
                    } else {
                        FindingStatus::Open
                    }),
                    resolution: resolved.then(|| "已整改".to_string()),
                    resolved_at: resolved_on.map(noon),
                    resolved_on,
                    resolved_by: resolved.then_some(actor),
                    verification_note: None,
                    version: 1,
                    created_at: now,
                    updated_at: now,
                });
            }
        }
    }
    g.counts.projects += projects.len();
    g.counts.milestones += milestones.len();
    g.counts.findings += findings.len();
    insert_all(
        db,
        projects
            .into_iter()
            .map(active)
            .collect::<Vec<project::ActiveModel>>(),
    )
    .await?;
    insert_all(
        db,
        milestones
            .into_iter()
            .map(active)
            .collect::<Vec<milestone::ActiveModel>>(),
    )
    .await?;
    insert_all(
        db,
        changes
            .into_iter()
            .map(active)
            .collect::<Vec<deadline_change::ActiveModel>>(),
    )
    .await?;
    insert_all(
        db,
        reports
            .into_iter()
            .map(active)
            .collect::<Vec<progress_report::ActiveModel>>(),
    )
    .await?;
    insert_all(
        db,
        inspections
            .into_iter()
            .map(active)
            .collect::<Vec<inspection::ActiveModel>>(),
    )
    .await?;
    insert_all(
        db,
        participants
            .into_iter()
            .map(active)
            .collect::<Vec<inspection_participant::ActiveModel>>(),
    )
    .await?;
    insert_all(
        db,
        findings
            .into_iter()
            .map(active)
            .collect::<Vec<finding::ActiveModel>>(),
    )
    .await?;
    Ok(())
}

/// One milestone with a state drawn around `today`: done (on time or late), cancelled, overdue,
/// due soon, behind pace or upcoming; some rescheduled, most with progress reports.
#[allow(clippy::too_many_arguments)]
fn node(
    g: &mut Generator,
    town: Uuid,
    project_id: Uuid,
    parent: Option<Uuid>,
    title: &str,
    leaders: &[Uuid],
    units: &[Uuid],
    project_closed: bool,
    milestones: &mut Vec<milestone::Model>,
    changes: &mut Vec<deadline_change::Model>,
    reports: &mut Vec<progress_report::Model>,
    actor: Uuid,
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
    let (status, progress, completed_on) = if project_closed || (deadline < g.today && roll < 0.7) {
        let on = (deadline + Duration::days(g.rng.random_range(-10..8))).min(g.today);
        let status = if roll < 0.3 {
            MilestoneStatus::Verified
        } else {
            MilestoneStatus::Done
        };
        (status, 100, Some(on))
    } else if roll >= 0.95 {
        (MilestoneStatus::Cancelled, 0, None)
    } else if start > g.today {
        (MilestoneStatus::NotStarted, 0, None)
    } else {
        (
            MilestoneStatus::InProgress,
            g.rng.random_range(0..=95),
            None,
        )
    };
    if rescheduled {
        changes.push(deadline_change::Model {
            id: g.id(),
            milestone_id: id,
            from_date: original,
            to_date: deadline,
            reason: "汛期影响施工，节点顺延".into(),
            changed_by: actor,
            changed_at: g.now,
        });
    }
    if progress > 0 {
        for step in 1..=g.rng.random_range(1..4) {
            reports.push(progress_report::Model {
                id: g.id(),
                milestone_id: id,
                progress: progress * step / 3,
                note: Some("按计划推进".into()),
                reported_by: actor,
                reported_at: g.now,
            });
        }
    }
    milestones.push(milestone::Model {
        id,
        organization_id: town,
        project_id,
        parent_id: parent,
        title: title.to_string(),
        description: None,
        responsible_leader_id: leaders[g.rng.random_range(0..leaders.len())],
        responsible_unit_id: units[g.rng.random_range(0..units.len())],
        responsible_person_id: None,
        start_date: Some(start),
        deadline,
        original_deadline: original,
        times_rescheduled: i32::from(rescheduled),
        status: Stored(status),
        progress,
        weight: 1,
        completed_at: completed_on.map(noon),
        completed_on,
        version: 1,
        created_at: g.now,
        updated_at: g.now,
    });
    id
}
