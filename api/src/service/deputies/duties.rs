//! The duties a deputy logs beside what is recorded elsewhere (docs/deputies.md): visits to
//! constituents (走访选民), which may raise a suggestion and take in a letter or visit in the same
//! step, and training (培训学习). A deputy logs and reads their own; the presidium logs for any
//! deputy serving on its roster; leaders and readers above read every deputy's.

use std::collections::HashSet;

use chrono::NaiveDate;
use jiandu_domain::deputies::{self as rules, DutyActivityKind};
use jiandu_domain::suggestion::{ContactKind, SuggestionSource};
use jiandu_domain::validate::{self, limits};
use jiandu_domain::{Denied, Reason, Role, Text, field};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::entity::deputy_profile as profile;
use crate::entity::{Stored, duty_activity};
use crate::error::AppError;
use crate::service::contacts::{self, NewContact};
use crate::service::kernel::audit::Action;
use crate::service::kernel::command::{Audit, Command};
use crate::service::kernel::tables;
use crate::service::suggestions::{self, NewSuggestion};
use crate::service::views::ActivityView;
use crate::service::{Actor, Ctx};

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
    /// A suggestion the visit raised, registered in the same step: led by the deputy, received
    /// on the day of the visit, between sessions.
    pub suggestion: Option<RaisedSuggestion>,
    /// A letter or visit the visit took in, logged in the same step: received by the deputy on
    /// the day of the visit.
    pub contact: Option<RaisedContact>,
}

/// A suggestion raised from a visit.
pub struct RaisedSuggestion {
    pub title: String,
    pub content: String,
    pub category: Option<String>,
    pub co_signer_ids: Vec<Uuid>,
}

/// A letter or visit taken in on a visit.
pub struct RaisedContact {
    pub kind: ContactKind,
    pub constituent_name: Option<String>,
    pub constituent_phone: Option<String>,
    pub summary: String,
}

/// Logs a visit or a training: a deputy their own, the presidium any serving deputy's of its
/// roster. A village the deputy does not link is taken, and marked so. A visit may raise a
/// suggestion and log a letter or visit with it: all of them written, or none.
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
        DutyActivityKind::Training if new.suggestion.is_some() || new.contact.is_some() => {
            let field = if new.suggestion.is_some() {
                field::SUGGESTION
            } else {
                field::CONTACT
            };
            return Err(AppError::invalid(
                field,
                Reason::NotForThisKind,
                "a training raises no suggestion and takes in no letter or visit",
            ));
        }
        _ => {}
    }
    let on = validate::plausible_date(field::ON, new.on)?;
    let suggestion = new.suggestion.map(|raised| NewSuggestion {
        title: raised.title,
        content: raised.content,
        category: raised.category,
        source: SuggestionSource::Intersession,
        lead_deputy_id: deputy,
        co_signer_ids: raised.co_signer_ids,
        received_on: on,
    });
    let contact = new.contact.map(|raised| NewContact {
        kind: raised.kind,
        received_on: on,
        constituent_name: raised.constituent_name,
        constituent_phone: raised.constituent_phone,
        summary: raised.summary,
        received_by: vec![deputy],
    });
    if let Some(suggestion) = &suggestion {
        suggestions::check_register(actor, suggestion)?;
    }
    if contact.is_some() {
        contacts::check_log(actor)?;
    }
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
    let suggestion_id = match suggestion {
        Some(new) => Some(
            suggestions::register_in(&mut cmd, actor, new)
                .await
                .map_err(|e| e.within(field::SUGGESTION))?
                .id,
        ),
        None => None,
    };
    let contact_id = match contact {
        Some(new) => Some(
            contacts::log_in(&mut cmd, actor, new)
                .await
                .map_err(|e| e.within(field::CONTACT))?
                .id,
        ),
        None => None,
    };
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
        suggestion_id: Set(suggestion_id),
        contact_id: Set(contact_id),
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
    let year = crate::service::import::ledger_year(year)?;
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
