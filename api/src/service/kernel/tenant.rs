//! The tenant rule, in one place: a user reads the rows of their organisation and of those below
//! it, and anything else does not exist for them. Every read of an organisation's table starts
//! here — a list from [`Readable::select`], a row by id from [`Readable::find`], a cached row
//! through [`Readable::may_read`] — so no query can forget the filter.

use sea_orm::sea_query::{SelectStatement, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PrimaryKeyTrait, QueryFilter, QuerySelect,
    QueryTrait, Select, Value,
};
use uuid::Uuid;

use crate::error::AppError;

/// A table whose rows each belong to one organisation (registered in [`super::tables`]).
pub trait Owned: EntityTrait<PrimaryKey: PrimaryKeyTrait<ValueType: From<Uuid>>> {
    /// What a client calls a row, in messages ("milestone not found").
    const NAME: &'static str;
    /// The primary key column.
    const ID: Self::Column;
    /// The organisation column.
    const ORGANIZATION: Self::Column;

    fn organization_of(row: &Self::Model) -> Uuid;
}

/// Rows of `E` in one of `organizations`: the one SQL form of the tenant filter.
pub fn belongs_to<E: Owned>(organizations: &[Uuid]) -> SimpleExpr {
    E::ORGANIZATION.is_in(organizations.iter().copied().map(Value::from))
}

/// The organisations one request may read from: all the actor may read, or a subtree of them
/// the request narrowed to. Only [`Actor::reads`] makes one, so holding one means the check was
/// made.
#[derive(Debug, Clone)]
pub struct Readable {
    /// Sorted, so that the same set always makes the same statement and cache key.
    organizations: Vec<Uuid>,
}

impl Readable {
    pub(super) fn new(mut organizations: Vec<Uuid>) -> Self {
        organizations.sort_unstable();
        Readable { organizations }
    }

    pub fn organizations(&self) -> &[Uuid] {
        &self.organizations
    }

    pub fn may_read(&self, organization: Uuid) -> bool {
        self.organizations.binary_search(&organization).is_ok()
    }

    /// The filter that keeps rows of `E` to these organisations.
    pub fn filter<E: Owned>(&self) -> SimpleExpr {
        belongs_to::<E>(&self.organizations)
    }

    /// Rows of `E` in these organisations.
    pub fn select<E: Owned>(&self) -> Select<E> {
        E::find().filter(self.filter::<E>())
    }

    /// One row of `E` by id, or NOT_FOUND when there is none here: a row of an organisation
    /// the actor may not read is not told apart from one that does not exist.
    pub async fn find<E: Owned>(
        &self,
        db: &impl ConnectionTrait,
        id: Uuid,
    ) -> Result<E::Model, AppError> {
        E::find_by_id(id)
            .one(db)
            .await?
            .filter(|row| self.may_read(E::organization_of(row)))
            .ok_or_else(|| AppError::not_found(E::NAME))
    }

    /// Rows of `E` with these ids, leaving out those the actor may not read.
    pub fn by_ids<E: Owned>(&self, ids: &[Uuid]) -> Select<E> {
        self.select::<E>()
            .filter(E::ID.is_in(ids.iter().copied().map(Value::from)))
    }

    /// The ids among `ids` of rows of `E` the actor may read, as a subquery: for the rows that
    /// hang off them (deadline changes, participants), which carry no organisation of their own.
    pub fn ids_among<E: Owned>(&self, ids: &[Uuid]) -> SelectStatement {
        self.by_ids::<E>(ids)
            .select_only()
            .column(E::ID)
            .into_query()
    }

    /// Rows of `C`, which carry no organisation of their own, hanging off (through `owner`) the
    /// records of `E` among `ids` the actor may read.
    pub fn hanging_off<E: Owned, C: EntityTrait>(
        &self,
        owner: C::Column,
        ids: &[Uuid],
    ) -> Select<C> {
        C::find().filter(owner.in_subquery(self.ids_among::<E>(ids)))
    }

    /// The links hanging off the readable rows of `E` among `ids` (a suggestion's co-signers,
    /// a letter's receivers), each as the pair `pair` makes of its row: (owner, other).
    pub async fn pairs<E: Owned, C: EntityTrait>(
        &self,
        db: &impl ConnectionTrait,
        owner: C::Column,
        ids: &[Uuid],
        pair: impl Fn(C::Model) -> (Uuid, Uuid),
    ) -> Result<Vec<(Uuid, Uuid)>, AppError> {
        let rows = self.hanging_off::<E, C>(owner, ids).all(db).await?;
        Ok(rows.into_iter().map(pair).collect())
    }
}
