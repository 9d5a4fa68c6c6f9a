//! Numbers taken per organisation and year without a gap or a duplicate (督办单 思人督〔2026〕3号,
//! suggestions 2026-007, bulletins 思人通〔2026〕2号): a counter row, locked from [`Counter::lock`] until the command commits,
//! so that commands of one organisation take their numbers one after another, and a command that
//! rolls back gives its numbers back.

use std::marker::PhantomData;

use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

use super::command::Command;
use crate::entity::{bulletin_sequence, notice_sequence, resolution_sequence, suggestion_sequence};
use crate::error::AppError;

/// A counter table: one row per organisation and year with the last number taken.
pub(crate) trait Sequence: EntityTrait {
    const ORGANIZATION: Self::Column;
    const YEAR: Self::Column;
    const LAST: Self::Column;
}

macro_rules! sequences {
    ($($table:ident),+) => {$(
        impl Sequence for $table::Entity {
            const ORGANIZATION: $table::Column = $table::Column::OrganizationId;
            const YEAR: $table::Column = $table::Column::Year;
            const LAST: $table::Column = $table::Column::LastNumber;
        }
    )+};
}

sequences!(
    bulletin_sequence,
    notice_sequence,
    resolution_sequence,
    suggestion_sequence
);

/// The counter of one organisation and year, held by a command.
pub(crate) struct Counter<S: Sequence> {
    organization: Uuid,
    year: i32,
    last: i32,
    taken: bool,
    table: PhantomData<S>,
}

impl<S: Sequence> Counter<S> {
    pub(crate) async fn lock(
        cmd: &Command<'_>,
        organization: Uuid,
        year: i32,
    ) -> Result<Counter<S>, AppError> {
        let db = cmd.db();
        let mut first = Query::insert();
        first
            .into_table(S::default())
            .columns([S::ORGANIZATION, S::YEAR, S::LAST])
            .values_panic([organization.into(), year.into(), 0.into()])
            .on_conflict(
                OnConflict::columns([S::ORGANIZATION, S::YEAR])
                    .do_nothing()
                    .to_owned(),
            );
        db.execute(&first).await?;
        // Writing the row (to itself) holds its lock until the commit.
        let mut hold = Query::update();
        hold.table(S::default())
            .value(S::LAST, Expr::col(S::LAST))
            .and_where(Expr::col(S::ORGANIZATION).eq(organization))
            .and_where(Expr::col(S::YEAR).eq(year))
            .returning_col(S::LAST);
        let row = db
            .query_one(&hold)
            .await?
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("no counter row")))?;
        Ok(Counter {
            organization,
            year,
            last: row.try_get::<i32>("", "last_number")?,
            taken: false,
            table: PhantomData,
        })
    }

    /// The next number.
    pub(crate) fn take(&mut self) -> i32 {
        self.taken = true;
        self.last += 1;
        self.last
    }

    /// Numbers up to `number` are taken (by records brought in with theirs): the next is after.
    pub(crate) fn taken_up_to(&mut self, number: i32) {
        if number > self.last {
            self.last = number;
            self.taken = true;
        }
    }

    /// Keeps the numbers taken (within the command: nothing is kept if it rolls back).
    pub(crate) async fn save(self, cmd: &Command<'_>) -> Result<(), AppError> {
        if !self.taken {
            return Ok(());
        }
        let mut save = Query::update();
        save.table(S::default())
            .value(S::LAST, self.last)
            .and_where(Expr::col(S::ORGANIZATION).eq(self.organization))
            .and_where(Expr::col(S::YEAR).eq(self.year));
        cmd.db().execute(&save).await?;
        Ok(())
    }
}
