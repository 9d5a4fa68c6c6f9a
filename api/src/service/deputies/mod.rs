//! Deputies (docs/deputies.md): the roster the presidium keeps (代表名册) — a person's level, term,
//! constituency, group and the villages they link — and the duties a deputy logs beside what is
//! recorded elsewhere: visits to constituents (走访选民) and training (培训学习). A deputy logs their
//! own; the presidium logs for any deputy on its roster. A deputy reads their own duties; the
//! presidium, leaders and readers above read every deputy's.

mod duties;
mod records;

use jiandu_domain::deputies::{DeputyLevel, MAX_VILLAGES};
use jiandu_domain::validate::limits;
use jiandu_domain::{Reason, Text, field};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use super::kernel::audit::Action;
use super::kernel::command::{Audit, Command};
use super::kernel::tables;
use super::views::{DeputyView, PersonView};
use super::{Actor, Ctx};
use crate::entity::deputy_profile::{self as profile, Villages};
use crate::entity::{Stored, person};
use crate::error::AppError;

pub use self::duties::{
    NewActivity, RaisedContact, RaisedSuggestion, duty_activities, log_duty_activity, reads_all,
};
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
