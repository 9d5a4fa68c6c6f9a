//! The write kernel: every mutation runs through a [`Command`], which owns the steps a command
//! must not forget, so that a command is its own rule and these calls:
//!
//! - [`Command::begin`]: the transaction, the acting user and the one clock reading (`now`);
//! - [`Command::load`]: the target, only within what the actor may read (NOT_FOUND otherwise),
//!   only if the command's permission check allows it (FORBIDDEN otherwise), at the version the
//!   client saw (CONFLICT otherwise), declaring its organisation changed;
//! - [`Command::create`] / [`Command::update`]: the row written (an update guarded by its
//!   version, so a concurrent change is a CONFLICT, never overwritten) and its audit event with
//!   the state before and after;
//! - [`Command::finish`]: the commit, and forgetting the cached tables the command changed.
//!
//! Dropping a command without `finish` rolls everything back.

use chrono::{DateTime, Utc};
use jiandu_domain::Reason;
use jiandu_domain::validate::MOST_IN_A_BATCH;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, IntoActiveModel, QueryFilter, TryIntoModel,
    Value,
};
use uuid::Uuid;

use super::actor::Actor;
pub use super::audit::Audit;
use super::audit::{self, Change};
use super::tables::{CachedTable, Versioned, Written};
use super::tenant::Owned;
use crate::db::{Event, WriteTxn};
use crate::entity::milestone;
use crate::error::AppError;
use crate::service::Ctx;

/// A record as loaded for a command: the row, to build the next state from, and the view the
/// audit event records as "before".
pub struct Current<E: Written> {
    pub row: E::Model,
    pub before: E::View,
}

impl<E: Written> Current<E> {
    /// The row as an active model, to set the changed fields on.
    pub fn edit(&self) -> E::ActiveModel
    where
        E::Model: Clone,
    {
        self.row.clone().into_active_model()
    }
}

/// One mutation in progress; see the module documentation.
pub struct Command<'a> {
    pub ctx: &'a Ctx,
    /// Who acts; `None` for the command line and first start-up.
    actor: Option<&'a Actor>,
    /// The one clock reading of the command: every time it stores is this one.
    pub now: DateTime<Utc>,
    txn: WriteTxn,
    forget: Vec<CachedTable>,
}

impl<'a> Command<'a> {
    pub async fn begin(ctx: &'a Ctx, actor: &'a Actor) -> Result<Self, AppError> {
        Self::start(ctx, Some(actor)).await
    }

    /// A command with no signed-in actor: the command line and first start-up.
    pub async fn unattended(ctx: &'a Ctx) -> Result<Self, AppError> {
        Self::start(ctx, None).await
    }

    async fn start(ctx: &'a Ctx, actor: Option<&'a Actor>) -> Result<Self, AppError> {
        Ok(Command {
            ctx,
            actor,
            now: ctx.now(),
            txn: ctx.db.begin_write().await?,
            forget: Vec::new(),
        })
    }

    /// The transaction, for the reads and the rows of a command's own rule.
    pub fn db(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// Declares that the command changes rows of `organization` (see [`WriteTxn::within`]).
    pub fn within(&mut self, organization: Uuid) {
        self.txn.within(organization);
    }

    /// Declares that the command changes nothing any figure is derived from.
    pub fn outside_figures(&mut self) {
        self.txn.outside_figures();
    }

    /// Forgets the cached copy of `table` once the command commits.
    pub fn forget(&mut self, table: CachedTable) {
        if !self.forget.contains(&table) {
            self.forget.push(table);
        }
    }

    /// The rules `organization`'s items are judged by: the actor's, or as stored for a command
    /// without one.
    pub async fn rules(&self) -> Result<crate::service::workdays::Rules, AppError> {
        match self.actor {
            Some(actor) => Ok(actor.rules.clone()),
            None => crate::service::workdays::Rules::load(self.ctx).await,
        }
    }

    /// Today in `organization`'s zone at the command's clock.
    pub fn today_in(&self, organization: Uuid) -> chrono::NaiveDate {
        match self.actor {
            Some(actor) => actor.today_in(organization, self.now, None),
            None => self.ctx.limits.default_zone.date_of(self.now),
        }
    }

    fn actor_id(&self) -> Option<Uuid> {
        self.actor.map(Actor::user_id)
    }

    /// [`Command::load`] of a record only its own organisation's presidium may change; `what`
    /// names it in the refusal.
    pub async fn load_managed<E: Versioned>(
        &mut self,
        id: Uuid,
        expected_version: Option<i32>,
        what: &str,
    ) -> Result<Current<E>, AppError>
    where
        E::Model: Clone,
    {
        let access = self.actor.map(|actor| &actor.access);
        self.load::<E, _>(id, expected_version, |row| match access {
            Some(access) => access.check_manage(E::organization_of(row), what),
            None => Ok(()),
        })
        .await
    }

    /// Loads the record `id` for the actor to change: only within what they may read
    /// (NOT_FOUND), only if `authorise` allows them this change (FORBIDDEN, or the rule's own
    /// error), and only at `expected_version` when one is given (CONFLICT).
    pub async fn load<E: Versioned, D: Into<AppError>>(
        &mut self,
        id: Uuid,
        expected_version: Option<i32>,
        authorise: impl FnOnce(&E::Model) -> Result<(), D>,
    ) -> Result<Current<E>, AppError>
    where
        E::Model: Clone,
    {
        let actor = self
            .actor
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("a load needs an actor")))?;
        let row = actor.readable().find::<E>(self.db(), id).await?;
        if E::COUNTED {
            self.within(E::organization_of(&row));
        }
        authorise(&row).map_err(Into::into)?;
        if expected_version.is_some_and(|v| v != E::version_of(&row)) {
            return Err(AppError::stale(E::NAME));
        }
        Ok(Current {
            before: E::View::from(row.clone()),
            row,
        })
    }

    /// The row `id` of `E` in `organization`, which a command refers to through `field`:
    /// VALIDATION_FAILED when there is none there.
    pub async fn refer<E: Owned>(
        &self,
        organization: Uuid,
        id: Uuid,
        field: &str,
    ) -> Result<E::Model, AppError> {
        E::find_by_id(id)
            .one(self.db())
            .await?
            .filter(|row| E::organization_of(row) == organization)
            .ok_or_else(|| {
                AppError::invalid(
                    field,
                    Reason::UnknownRecord,
                    format!("no such {} in this organisation", E::NAME),
                )
            })
    }

    /// Inserts a new record and records its creation.
    pub async fn create<E: Written>(
        &mut self,
        row: E::ActiveModel,
        audit: Audit,
    ) -> Result<E::Model, AppError>
    where
        E::Model: Clone,
    {
        let row = row.insert(self.db()).await?;
        self.created::<E>(&row, audit).await?;
        Ok(row)
    }

    /// Inserts many new records, a few hundred to a statement, and records each one's
    /// creation with `audit`.
    pub async fn create_many<E: Written>(
        &mut self,
        rows: &[E::Model],
        audit: Audit,
    ) -> Result<(), AppError>
    where
        E::Model: Clone,
    {
        let mut changes = Vec::with_capacity(rows.len());
        for row in rows {
            let organization_id = E::organization_of(row);
            if E::COUNTED {
                self.within(organization_id);
            }
            changes.push(Change {
                organization_id,
                action: audit.action,
                entity_type: E::KIND,
                entity_id: E::id_of(row),
                before: None,
                after: audit.after(&E::View::from(row.clone())),
            });
        }
        if let Some(table) = E::CACHED
            && !rows.is_empty()
        {
            self.forget(table);
        }
        for change in &changes {
            self.announce_change(change);
        }
        let active: Vec<E::ActiveModel> = rows
            .iter()
            .cloned()
            .map(IntoActiveModel::into_active_model)
            .collect();
        for chunk in active.chunks(audit::ROWS_PER_INSERT) {
            E::insert_many(chunk.to_vec())
                .exec_without_returning(self.db())
                .await?;
        }
        audit::record_many(self.db(), self.actor_id(), self.now, changes).await
    }

    /// Records the creation of a row inserted by the command's own rule (one whose insert
    /// needs its own error handling).
    pub async fn created<E: Written>(
        &mut self,
        row: &E::Model,
        audit: Audit,
    ) -> Result<(), AppError>
    where
        E::Model: Clone,
    {
        let organization_id = E::organization_of(row);
        if E::COUNTED {
            self.within(organization_id);
        }
        if let Some(table) = E::CACHED {
            self.forget.push(table);
        }
        let view = E::View::from(row.clone());
        self.record(Change {
            organization_id,
            action: audit.action,
            entity_type: E::KIND,
            entity_id: E::id_of(row),
            before: None,
            after: audit.after(&view),
        })
        .await
    }

    /// Writes `next` over `current` unless someone changed the record since it was loaded
    /// (CONFLICT), bumping its version, and records the change; returns the new state.
    pub async fn update<E: Versioned>(
        &mut self,
        current: &Current<E>,
        mut next: E::ActiveModel,
        audit: Audit,
    ) -> Result<E::View, AppError>
    where
        E::Model: Clone,
        E::ActiveModel: TryIntoModel<E::Model>,
    {
        let version = E::version_of(&current.row);
        next.try_set(E::VERSION, Value::from(version + 1))?;
        next.try_set(E::UPDATED_AT, Value::from(self.now))?;
        let id = E::id_of(&current.row);
        let updated = E::update_many()
            .set(next.clone())
            .filter(E::ID.eq(id))
            .filter(E::VERSION.eq(version))
            .exec(self.db())
            .await?;
        if updated.rows_affected != 1 {
            return Err(AppError::stale(E::NAME));
        }
        let after = E::View::from(next.try_into_model()?);
        self.record(Change {
            organization_id: E::organization_of(&current.row),
            action: audit.action,
            entity_type: E::KIND,
            entity_id: id,
            before: audit::snapshot(&current.before),
            after: audit.after(&after),
        })
        .await?;
        Ok(after)
    }

    /// Records a change that is not a row of its own (a feed rotated, files attached).
    pub async fn record(&mut self, change: Change) -> Result<(), AppError> {
        self.announce_change(&change);
        audit::record(self.db(), self.actor_id(), self.now, change).await
    }

    /// Tells subscribers of `event` once the command commits.
    pub fn announce(&mut self, event: Event) {
        self.txn.announce(event);
    }

    /// A change to a milestone is heard by `milestoneChanged`'s subscribers.
    fn announce_change(&mut self, change: &Change) {
        if change.entity_type == <milestone::Entity as Written>::KIND {
            self.announce(Event::MilestoneChanged {
                milestone: change.entity_id,
                organization: change.organization_id,
            });
        }
    }

    /// [`Command::update`] as a command's last write: commits and answers the new state.
    pub async fn finish_update<E: Versioned>(
        mut self,
        current: &Current<E>,
        next: E::ActiveModel,
        audit: Audit,
    ) -> Result<E::View, AppError>
    where
        E::Model: Clone,
        E::ActiveModel: TryIntoModel<E::Model>,
    {
        let after = self.update(current, next, audit).await?;
        self.finish(after).await
    }

    /// Commits, and hands back what the command answers.
    pub async fn finish<T>(self, answer: T) -> Result<T, AppError> {
        let Command {
            ctx, txn, forget, ..
        } = self;
        txn.commit().await?;
        for table in forget {
            match table {
                CachedTable::Organizations => ctx.organizations.invalidate().await,
                CachedTable::People => {
                    ctx.people.invalidate().await;
                    // A session's holder is named from the people list.
                    ctx.sessions.clear();
                }
                CachedTable::Units => ctx.units.invalidate().await,
                CachedTable::OrganizationSettings => ctx.organization_settings.invalidate().await,
            }
        }
        Ok(answer)
    }
}

/// The items of a batch step, each once, at most [`MOST_IN_A_BATCH`].
pub fn batch<T: Copy>(items: &[T], id: impl Fn(&T) -> Uuid) -> Result<Vec<T>, AppError> {
    if items.len() > MOST_IN_A_BATCH {
        return Err(AppError::invalid(
            "items",
            Reason::TooMany {
                max: MOST_IN_A_BATCH,
            },
            format!("at most {MOST_IN_A_BATCH} at once"),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    Ok(items
        .iter()
        .copied()
        .filter(|item| seen.insert(id(item)))
        .collect())
}
