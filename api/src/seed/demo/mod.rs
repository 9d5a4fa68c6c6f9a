//! The Simeng sample (docs/rules.md §7): the three livelihood projects the town's congress voted in
//! 2021, split into milestones with leaders and units, in a mix of states relative to the day it
//! is loaded: done on time, done late and verified, rescheduled, overdue, due soon, behind pace;
//! and the deputies' inspections with their findings; the year's deputies' suggestions and
//! constituents' letters and visits (`suggestions`, `contacts`); the congress's session that
//! voted the projects in, its report hearings with their opinions and the bridge's assessment
//! (`congress`); the roster of deputies and their year of visits and trainings (`deputies`). The
//! sample is data (`data`); loading it walks that data through the same use cases the API calls,
//! as its users would have (the projects, their items and inspections in `entered`).

mod congress;
mod contacts;
mod data;
mod deputies;
mod entered;
mod suggestions;
mod visits;

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use uuid::Uuid;

use self::data::{ACCOUNTS, COUNTY, HEADS, PEOPLE, PROJECTS, UNITS};
use self::visits::INSPECTIONS;
use crate::error::AppError;
use crate::service::accounts::{self, NewUser};
use crate::service::notices::{self as notice_service, NoticeFilter, scan};
use crate::service::organizations::{self, NewOrganization, NewPerson, UnitChanges};
use crate::service::page::PageRequest;
use crate::service::{Actor, Ctx};

pub const DEMO_PASSWORD: &str = "jiandu-demo";
pub const DEMO_ORG: &str = "思蒙镇人大主席团";
pub use data::ON_A_REST_DAY;

/// Loads the sample unless the database already has accounts; prints the demo accounts.
pub async fn load_if_empty(ctx: &Ctx) -> anyhow::Result<()> {
    if accounts::user_count(ctx).await? > 0 {
        println!("The database already has data; the demo sample was not loaded again.");
    } else {
        load(ctx).await?;
        println!("Loaded the Simeng (思蒙镇) 2021 sample.");
    }
    println!("Demo accounts (password `{DEMO_PASSWORD}`):");
    for account in &ACCOUNTS {
        println!("  {:<12} {}", account.username, account.about);
    }
    Ok(())
}

/// What the sample's names stand for once entered.
struct Town<'a> {
    ctx: &'a Ctx,
    today: NaiveDate,
    calendar: std::sync::Arc<jiandu_domain::WorkCalendar>,
    org: Uuid,
    county: Uuid,
    units: HashMap<&'static str, Uuid>,
    people: HashMap<&'static str, Uuid>,
    accounts: HashMap<&'static str, Actor>,
    projects: HashMap<&'static str, Uuid>,
    milestones: HashMap<&'static str, Uuid>,
}

/// A name the sample uses without defining it: a mistake in `data`, not in the user's data.
fn undefined(kind: &str, name: &str) -> AppError {
    AppError::internal(anyhow::anyhow!("the demo names an unknown {kind} `{name}`"))
}

fn named<'m, T>(map: &'m HashMap<&str, T>, kind: &str, name: &str) -> Result<&'m T, AppError> {
    map.get(name).ok_or_else(|| undefined(kind, name))
}

impl Town<'_> {
    /// The working day `offset` days from today, or the last one before it: the sample's days
    /// keep off weekends and holidays (an order-keeping move, so what was on time stays on time),
    /// and it tells the same story on any day of the week.
    fn day(&self, offset: i64) -> NaiveDate {
        let mut day = self.today + Duration::days(offset);
        for _ in 0..31 {
            if self.calendar.is_workday(day) {
                break;
            }
            day -= Duration::days(1);
        }
        day
    }

    /// A rest day near `offset` days from today — a public holiday within a month when the
    /// calendar knows one, else the next weekend — for the milestone whose deadline falls on
    /// one: it is due by the next working day.
    fn rest_day_near(&self, offset: i64) -> NaiveDate {
        let around = self.today + Duration::days(offset);
        let holiday = (-30..=30)
            .map(|n| around + Duration::days(n))
            .filter(|day| *day > self.today && !self.calendar.is_workday(*day))
            .filter(|day| self.calendar.name(*day).is_some())
            .min_by_key(|day| (*day - around).num_days().abs());
        holiday.unwrap_or_else(|| {
            (0..7)
                .map(|n| around + Duration::days(n))
                .find(|day| !self.calendar.is_workday(*day))
                .unwrap_or(around)
        })
    }

    /// The working day `n` working days before today.
    fn working_days_back(&self, n: u32) -> NaiveDate {
        let mut day = self.today;
        for _ in 0..n {
            day -= Duration::days(1);
            while !self.calendar.is_workday(day) {
                day -= Duration::days(1);
            }
        }
        day
    }

    /// Noon on that day in the sample's zone (Beijing time, UTC+8).
    fn noon(&self, offset: i64) -> chrono::DateTime<chrono::Utc> {
        let noon = self.day(offset).and_hms_opt(4, 0, 0).unwrap_or_default();
        noon.and_utc()
    }

    fn unit(&self, name: &str) -> Result<Uuid, AppError> {
        named(&self.units, "unit", name).copied()
    }

    fn person(&self, name: &str) -> Result<Uuid, AppError> {
        named(&self.people, "person", name).copied()
    }

    fn account(&self, username: &str) -> Result<&Actor, AppError> {
        named(&self.accounts, "account", username)
    }

    fn milestone(&self, title: &str) -> Result<Uuid, AppError> {
        named(&self.milestones, "milestone", title).copied()
    }

    fn project(&self, title: &str) -> Result<Uuid, AppError> {
        named(&self.projects, "project", title).copied()
    }

    /// The presidium account that enters the sample.
    fn presidium(&self) -> Result<&Actor, AppError> {
        self.account(ACCOUNTS[0].username)
    }

    async fn add_account(&mut self, account: &data::Account, org: Uuid) -> Result<(), AppError> {
        let person = account.person.map(|name| self.person(name)).transpose()?;
        let user = accounts::insert_user(
            self.ctx,
            None,
            org,
            NewUser {
                username: account.username.into(),
                password: DEMO_PASSWORD.into(),
                role: account.role,
                person_id: person,
                must_change_password: false,
            },
        )
        .await?;
        let actor = accounts::actor_for(self.ctx, user).await?;
        self.accounts.insert(account.username, actor);
        Ok(())
    }
}

pub async fn load(ctx: &Ctx) -> anyhow::Result<()> {
    // The county's standing committee above the town, whose read-only account sees the town.
    let county = organizations::insert_organization(
        ctx,
        None,
        NewOrganization {
            name: COUNTY.into(),
            timezone: Some("Asia/Shanghai".into()),
            parent_id: None,
        },
    )
    .await?;
    let org = organizations::insert_organization(
        ctx,
        None,
        NewOrganization {
            name: DEMO_ORG.into(),
            timezone: Some("Asia/Shanghai".into()),
            parent_id: Some(county.id),
        },
    )
    .await?;
    let mut town = Town {
        ctx,
        today: jiandu_domain::Zone::DEFAULT.date_of(ctx.now()),
        calendar: ctx.calendar.get(&ctx.db).await?,
        org: org.id,
        county: county.id,
        units: HashMap::new(),
        people: HashMap::new(),
        accounts: HashMap::new(),
        projects: HashMap::new(),
        milestones: HashMap::new(),
    };
    // The presidium's account names 周敏, who holds it; she is added first, since everything
    // else is entered through her account (before the units, so without hers).
    let chair = ACCOUNTS[0].person.unwrap_or_default();
    let title = PEOPLE
        .iter()
        .find(|p| p.0 == chair)
        .map(|p| p.1.to_string());
    let holder = NewPerson {
        name: chair.into(),
        title,
        unit_id: None,
    };
    let holder = organizations::insert_person(ctx, None, org.id, holder).await?;
    town.people.insert(chair, holder.id);
    town.add_account(&ACCOUNTS[0], org.id).await?;
    staff(&mut town).await?;
    congress::hold_session(&mut town).await?;
    for project in &PROJECTS {
        entered::enter_project(&mut town, project).await?;
    }
    for inspection in &INSPECTIONS {
        entered::enter_inspection(&town, inspection).await?;
    }
    suggestions::enter_suggestions(&town).await?;
    contacts::enter_contacts(&town).await?;
    congress::hear_and_assess(&town).await?;
    deputies::enter_deputies(&town).await?;
    notices(&town).await?;
    Ok(())
}

/// How many days back the sample's notices start: the daily scan is run for each working day
/// since, at nine in the morning, as the schedule would have.
const NOTICES_SINCE_DAYS: i64 = 21;

/// The notices the last weeks would have issued, scan by scan at nine each working morning;
/// and two supervision orders the presidium issued by hand, at ten: three working days ago for
/// 沿线管网迁改 (陈刚 has not signed for it, so this morning's scan copied it to the 镇长), and
/// yesterday for 桥体及廊亭建设 (李明 signed for it this morning and answered).
async fn notices(town: &Town<'_>) -> Result<(), AppError> {
    let renda = town.presidium()?;
    let hand = [
        (town.working_days_back(3), "沿线管网迁改"),
        (town.working_days_back(1), "桥体及廊亭建设"),
    ];
    let at = |day: NaiveDate, beijing_hour: u32| {
        let hour = beijing_hour - 8;
        town.ctx
            .stopped_at(day.and_hms_opt(hour, 0, 0).unwrap_or_default().and_utc())
    };
    for offset in -NOTICES_SINCE_DAYS..=0 {
        let day = town.today + Duration::days(offset);
        if !town.calendar.is_workday(day) {
            continue;
        }
        scan::run(&at(day, 9), None, town.org, day).await?;
        for (on, title) in hand {
            if on == day {
                let reply_due = town.calendar.nth_workday_after(day, 5);
                let item = town.milestone(title)?;
                notice_service::issue_supervision_order(&at(day, 10), renda, item, reply_due, None)
                    .await?;
            }
        }
    }
    let liming = town.account("liming")?;
    let filter = NoticeFilter {
        kind: Some(vec![jiandu_domain::NoticeKind::SupervisionOrder]),
        mine: true,
        ..NoticeFilter::default()
    };
    let page = PageRequest {
        first: 100,
        after: None,
    };
    let his = notice_service::list_notices(town.ctx, liming, filter, page).await?;
    if let Some((_, order)) = his.items.first() {
        notice_service::acknowledge_notice(town.ctx, liming, order.id).await?;
        let reply = "已约谈施工单位，增加两个作业班组，廊亭和桥面本周内完成，届时报请销号。";
        notice_service::reply_to_notice(town.ctx, liming, order.id, reply).await?;
    }
    Ok(())
}

/// Units, people, and the other accounts (one in the county above the town).
async fn staff(town: &mut Town<'_>) -> Result<(), AppError> {
    let ctx = town.ctx;
    for name in UNITS {
        let unit = organizations::create_unit(ctx, town.presidium()?, name).await?;
        town.units.insert(name, unit.id);
    }
    for (name, title, unit) in PEOPLE {
        if town.people.contains_key(name) {
            continue;
        }
        let person = NewPerson {
            name: name.into(),
            title: Some(title.into()),
            unit_id: Some(town.unit(unit)?),
        };
        let person = organizations::create_person(ctx, town.presidium()?, person).await?;
        town.people.insert(name, person.id);
    }
    for (unit, head) in HEADS {
        let changes = UnitChanges {
            name: None,
            head_id: Some(Some(town.person(head)?)),
        };
        organizations::update_unit(ctx, town.presidium()?, town.unit(unit)?, changes).await?;
    }
    for account in &ACCOUNTS[1..] {
        let org = if account.in_county {
            town.county
        } else {
            town.org
        };
        town.add_account(account, org).await?;
    }
    Ok(())
}
