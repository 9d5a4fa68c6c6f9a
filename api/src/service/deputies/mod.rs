//! Deputies (docs/deputies.md): the roster the presidium keeps (代表名册) — a person's level, term,
//! constituency, group and the villages they link — and the duties a deputy logs beside what is
//! recorded elsewhere: visits to constituents (走访选民) and training (培训学习). A deputy logs their
//! own; the presidium logs for any deputy on its roster. A deputy reads their own duties; the
//! presidium, leaders and readers above read every deputy's.

mod records;

use std::collections::HashSet;

use chrono::NaiveDate;
use jiandu_domain::deputies::{self as rules, DeputyLevel, DutyActivityKind, MAX_VILLAGES};
use jiandu_domain::validate::{self, limits};
use jiandu_domain::{Denied, Reason, Role, Text, field};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use super::kernel::audit::Action;
use super::kernel::command::{Audit, Command};
use super::kernel::tables;
use super::views::{ActivityView, DeputyView, PersonView};
use super::{Actor, Ctx};
use crate::entity::deputy_profile::{self as profile, Villages};
use crate::entity::{Stored, duty_activity, person};
use crate::error::AppError;

pub use self::records::{
    RecordView, Signed, deputy_record, deputy_records, figures_of, suggestions_signed,
};

/// A deputy's profile as the presidium sets it.
pub struct ProfileInput {
    pub level: DeputyLevel,
    pub term: String,
    pub constituency: Option<String>,
    pub group: Option<String>,
    pub villages: Vec<String>,
    /// Serving (在任) unless said otherwise.
    pub active: Option<bool>,
}

/// The villages as given, each named once, in order.
fn villages_of(raw: &[String]) -> Result<Vec<String>, AppError> {
    let mut villages: Vec<String> = Vec::with_capacity(raw.len());
    for name in raw {
        let name = Text::parse(field::VILLAGES, name, limits::NAME)?.into_string();
        if !villages.contains(&name) {
            villages.push(name);
        }
    }
    if villages.len() > MAX_VILLAGES {
        return Err(AppError::invalid(
            field::VILLAGES,
            Reason::TooMany { max: MAX_VILLAGES },
            format!("a deputy links at most {MAX_VILLAGES} villages"),
        ));
    }
    Ok(villages)
}

/// Puts a person of the actor's organisation on the roster, or changes their profile.
#[tracing::instrument(skip_all, fields(actor = %actor.username, %person_id))]
pub async fn set_deputy_profile(
    ctx: &Ctx,
    actor: &Actor,
    person_id: Uuid,
    input: ProfileInput,
) -> Result<PersonView, AppError> {
    let organization = actor.organization_id();
    actor
        .access
        .check_manage(organization, "the roster of deputies")?;
    let term = Text::parse(field::TERM, &input.term, limits::NAME)?;
    let constituency = Text::parse_optional(
        field::CONSTITUENCY,
        input.constituency.as_deref(),
        limits::NAME,
    )?;
    let group = Text::parse_optional(field::GROUP, input.group.as_deref(), limits::NAME)?;
    let villages = Villages(villages_of(&input.villages)?);
    let mut cmd = Command::begin(ctx, actor).await?;
    let who = cmd
        .refer::<person::Entity>(organization, person_id, field::PERSON_ID)
        .await?;
    let existing = profile::Entity::find()
        .filter(profile::Column::PersonId.eq(person_id))
        .one(cmd.db())
        .await?;
    let now = cmd.now;
    let (term, constituency, group) = (
        term.into_string(),
        constituency.map(Text::into_string),
        group.map(Text::into_string),
    );
    match existing {
        Some(row) => {
            let current = cmd
                .load_managed::<profile::Entity>(row.id, Some(row.version), "the roster")
                .await?;
            let mut next = current.edit();
            next.level = Set(Stored(input.level));
            next.term = Set(term);
            next.constituency = Set(constituency);
            next.group_name = Set(group);
            next.villages = Set(villages);
            next.active = Set(input.active.unwrap_or(current.row.active));
            cmd.update(&current, next, Audit::new(Action::DeputyProfileSet))
                .await?;
        }
        None => {
            let row = profile::ActiveModel {
                id: Set(jiandu_domain::new_id()),
                organization_id: Set(organization),
                person_id: Set(person_id),
                level: Set(Stored(input.level)),
                term: Set(term),
                constituency: Set(constituency),
                group_name: Set(group),
                villages: Set(villages),
                active: Set(input.active.unwrap_or(true)),
                version: Set(1),
                updated_at: Set(now),
            };
            cmd.create::<profile::Entity>(row, Audit::new(Action::DeputyProfileSet))
                .await?;
        }
    }
    cmd.finish(PersonView::from(who)).await
}

/// The profiles of the people `ids` who are on a roster the actor may read.
pub async fn profiles_of(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<DeputyView>, AppError> {
    tables::all(
        actor
            .readable()
            .select::<profile::Entity>()
            .filter(profile::Column::PersonId.is_in(ids.iter().copied())),
        ctx.db.conn(),
    )
    .await
}

/// The roster the actor may read: every deputy, serving or not, by group.
pub async fn roster(ctx: &Ctx, actor: &Actor) -> Result<Vec<DeputyView>, AppError> {
    tables::all(
        actor
            .readable()
            .select::<profile::Entity>()
            .order_by_asc(profile::Column::OrganizationId)
            .order_by_asc(profile::Column::GroupName)
            .order_by_asc(profile::Column::Id),
        ctx.db.conn(),
    )
    .await
}

/// A duty as it is logged.
pub struct NewActivity {
    pub kind: DutyActivityKind,
    /// The deputy; the caller's own person when absent.
    pub deputy_id: Option<Uuid>,
    pub on: NaiveDate,
    pub village: Option<String>,
    pub topic: String,
    pub people: Option<i32>,
    pub hours: Option<f64>,
}

/// Logs a visit or a training: a deputy their own, the presidium any serving deputy's of its
/// roster. A village the deputy does not link is taken, and marked so.
#[tracing::instrument(skip_all, fields(actor = %actor.username))]
pub async fn log_duty_activity(
    ctx: &Ctx,
    actor: &Actor,
    new: NewActivity,
) -> Result<ActivityView, AppError> {
    let organization = actor.organization_id();
    actor.access.check_inspect(organization, "log duties")?;
    let own = actor.access.person_id;
    let deputy = new
        .deputy_id
        .or(own)
        .ok_or_else(|| AppError::required(field::DEPUTY_ID, "name the deputy"))?;
    if actor.access.role == Role::Deputy && Some(deputy) != own {
        return Err(AppError::Forbidden(
            "a deputy logs their own duties; the presidium logs for others".into(),
        ));
    }
    let topic = Text::parse(field::TOPIC, &new.topic, limits::DESCRIPTION)?;
    let village = Text::parse_optional(field::VILLAGE, new.village.as_deref(), limits::NAME)?
        .map(Text::into_string);
    let people = new
        .people
        .map(|n| rules::people(field::PEOPLE, n))
        .transpose()?;
    let minutes = new
        .hours
        .map(|h| rules::minutes_of(field::HOURS, h))
        .transpose()?;
    match new.kind {
        DutyActivityKind::Training if minutes.is_none() => {
            return Err(AppError::required(
                field::HOURS,
                "a training says how many hours it took",
            ));
        }
        DutyActivityKind::Training if people.is_some() || village.is_some() => {
            let field = if people.is_some() {
                field::PEOPLE
            } else {
                field::VILLAGE
            };
            return Err(AppError::invalid(
                field,
                Reason::NotForThisKind,
                "a training counts no people met and no village visited",
            ));
        }
        _ => {}
    }
    let on = validate::plausible_date(field::ON, new.on)?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let on = validate::past_day(field::ON, on, cmd.today_in(organization))?;
    let serving = profile::Entity::find()
        .filter(profile::Column::PersonId.eq(deputy))
        .filter(profile::Column::OrganizationId.eq(organization))
        .filter(profile::Column::Active.eq(true))
        .one(cmd.db())
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                field::DEPUTY_ID,
                Reason::NotInList,
                "not a serving deputy on this organisation's roster",
            )
        })?;
    let village_linked = village
        .as_ref()
        .map(|v| serving.villages.0.iter().any(|linked| linked == v));
    let row = duty_activity::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        organization_id: Set(organization),
        deputy_id: Set(deputy),
        kind: Set(Stored(new.kind)),
        held_on: Set(on),
        village: Set(village),
        village_linked: Set(village_linked),
        topic: Set(topic.into_string()),
        people: Set(people),
        minutes: Set(minutes),
        created_by: Set(actor.user_id()),
        created_at: Set(cmd.now),
    };
    let row = cmd
        .create::<duty_activity::Entity>(row, Audit::new(Action::DutyActivityLog))
        .await?;
    cmd.finish(ActivityView::from(row)).await
}

/// The duties logged in `year` the actor may read, of one deputy or all, newest first: a deputy
/// reads only their own.
pub async fn duty_activities(
    ctx: &Ctx,
    actor: &Actor,
    year: i32,
    deputy_id: Option<Uuid>,
) -> Result<Vec<ActivityView>, AppError> {
    use duty_activity::Column as C;
    let year = super::import::ledger_year(year)?;
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Ok(Vec::new());
    };
    let mut query = actor
        .readable()
        .select::<duty_activity::Entity>()
        .filter(C::HeldOn.between(first, last));
    let deputies: Option<HashSet<Uuid>> = match (actor.access.role, deputy_id) {
        (Role::Deputy, asked) => {
            let own = actor.access.person_id;
            // Another deputy's duties are not theirs to read: none.
            Some(
                own.filter(|me| asked.is_none_or(|a| a == *me))
                    .into_iter()
                    .collect(),
            )
        }
        (_, Some(asked)) => Some(HashSet::from([asked])),
        (_, None) => None,
    };
    if let Some(deputies) = deputies {
        query = query.filter(C::DeputyId.is_in(deputies));
    }
    tables::all(
        query
            .order_by_desc(C::HeldOn)
            .order_by_desc(C::CreatedAt)
            .order_by_desc(C::Id),
        ctx.db.conn(),
    )
    .await
}

/// Why a role may not read a deputy's own duties, for a page that asks.
pub fn reads_all(actor: &Actor) -> Result<(), Denied> {
    if actor.access.role == Role::Deputy {
        Err(Denied::Forbidden(
            "a deputy reads their own duties only".into(),
        ))
    } else {
        Ok(())
    }
}
