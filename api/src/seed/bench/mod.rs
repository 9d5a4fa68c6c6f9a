//! A large, realistic, deterministic data set for benchmarks (`jiandu bench-data`): an
//! organisation tree of 1, 30 or 300 townships, each with ~40 projects of ~25 milestones in trees
//! up to three levels, deadlines spread around a day, every state, reschedules, progress reports,
//! inspections and findings, a year of deputies' suggestions and letters and visits. Rows go in by the thousand in one transaction per township, not
//! through the use cases: the point is volume, and the same seed gives the same data.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel};
use uuid::Uuid;

use jiandu_domain::Role;

use crate::entity::{Stored, app_user, organization, person};
use crate::error::AppError;
use crate::service::Ctx;
use crate::service::accounts::hash_password;

mod deputies;
mod suggestions;
mod township;

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
    pub suggestions: usize,
    pub contacts: usize,
    /// Deputies on the rosters, and the duties they logged.
    pub deputies: usize,
    pub duties: usize,
}

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

/// Inserts `rows` a few hundred to a statement.
async fn insert_all<M, A>(db: &impl ConnectionTrait, rows: Vec<M>) -> Result<(), AppError>
where
    M: IntoActiveModel<A>,
    A: ActiveModelTrait + Send,
{
    let mut rows = rows
        .into_iter()
        .map(|row| row.into_active_model().reset_all())
        .peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(800).collect();
        A::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
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
    let (mut people, mut users) = (Vec::new(), Vec::new());
    if let Some(city) = city {
        organizations.push(organization_row(city, "市人大常委会", None, g.now));
        let (person, user) = presidium_rows(&mut g, city, "bench-city");
        people.push(person);
        users.push(user);
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
        let (person, user) = presidium_rows(&mut g, county, &format!("bench-county-{c}"));
        people.push(person);
        users.push(user);
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
    insert_all(&*txn, organizations).await?;
    insert_all(&*txn, people).await?;
    insert_all(&*txn, users).await?;
    txn.commit().await?;

    for (town, tag) in towns {
        let txn = ctx.db.begin_write().await?;
        township::generate(&*txn, &mut g, town, &tag).await?;
        txn.commit().await?;
    }
    ctx.organizations.invalidate().await;
    ctx.people.invalidate().await;
    ctx.units.invalidate().await;
    let txn = ctx.db.begin_write().await?;
    let rules = crate::service::workdays::Rules::load(ctx).await?;
    crate::service::workdays::roll_due_dates(
        &*txn,
        &rules,
        crate::service::workdays::Scope::Everything,
    )
    .await?;
    txn.commit().await?;
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

/// The presidium account of `org` with the person who holds it (every account but a viewer's
/// names one).
fn presidium_rows(
    g: &mut Generator,
    org: Uuid,
    username: &str,
) -> (person::Model, app_user::Model) {
    let person = person::Model {
        id: g.id(),
        organization_id: org,
        name: "人大办主任".to_string(),
        title: None,
        unit_id: None,
        created_at: g.now,
    };
    let user = user_row(g, org, username, Role::Presidium, Some(person.id));
    (person, user)
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
        disabled_at: None,
        must_change_password: false,
        version: 1,
        updated_at: None,
    }
}
