//! The on-time deadline and late changes (docs/rules.md §3): a move of a deadline made after the
//! deadline in force had passed is a late change, and an item's on-time deadline is the latest
//! deadline set before the previous one had passed. Filled from the history already kept: each
//! move is judged on the day it was made in its organisation's zone.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;
use sea_orm_migration::sea_orm::prelude::Uuid;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// An item table, the table its moves are kept in, and the column naming the item there.
const HISTORIES: [(&str, &str, &str); 2] = [
    ("milestone", "deadline_change", "milestone_id"),
    ("finding", "finding_deadline_change", "finding_id"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (items, changes, _) in HISTORIES {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(items))
                        .add_column(
                            ColumnDef::new(Alias::new("on_time_deadline"))
                                .date()
                                .not_null()
                                .default("2000-01-01"),
                        )
                        .to_owned(),
                )
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(changes))
                        .add_column(
                            ColumnDef::new(Alias::new("late_change"))
                                .boolean()
                                .not_null()
                                .default(false),
                        )
                        .to_owned(),
                )
                .await?;
        }
        for (items, changes, item) in HISTORIES {
            fill(manager, items, changes, item).await?;
        }
        // The dashboard counts judge finished items against the on-time deadline: their index
        // carries it, so that they still read no rows.
        counts_index(manager, true).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        counts_index(manager, false).await?;
        for (items, changes, _) in HISTORIES {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(changes))
                        .drop_column(Alias::new("late_change"))
                        .to_owned(),
                )
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(items))
                        .drop_column(Alias::new("on_time_deadline"))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

/// One kept move, with what judging it needs.
struct Move {
    id: Uuid,
    item: Uuid,
    original: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
    at: DateTime<Utc>,
    zone: chrono_tz::Tz,
}

async fn fill(
    manager: &SchemaManager<'_>,
    items: &str,
    changes: &str,
    item: &str,
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    // Items never moved are on time against their original deadline.
    db.execute(
        &Query::update()
            .table(Alias::new(items))
            .value(
                Alias::new("on_time_deadline"),
                Expr::col(Alias::new("original_deadline")),
            )
            .to_owned(),
    )
    .await?;
    let c = |col: &str| (Alias::new(changes), Alias::new(col));
    let i = |col: &str| (Alias::new(items), Alias::new(col));
    let select = Query::select()
        .expr_as(Expr::col(c("id")), Alias::new("id"))
        .expr_as(Expr::col(c(item)), Alias::new("item"))
        .expr_as(Expr::col(i("original_deadline")), Alias::new("original"))
        .expr_as(Expr::col(c("from_date")), Alias::new("from_date"))
        .expr_as(Expr::col(c("to_date")), Alias::new("to_date"))
        .expr_as(Expr::col(c("changed_at")), Alias::new("changed_at"))
        .expr_as(
            Expr::col((Alias::new("organization"), Alias::new("timezone"))),
            Alias::new("timezone"),
        )
        .from(Alias::new(changes))
        .inner_join(Alias::new(items), Expr::col(i("id")).equals(c(item)))
        .inner_join(
            Alias::new("organization"),
            Expr::col((Alias::new("organization"), Alias::new("id"))).equals(i("organization_id")),
        )
        .order_by(c(item), Order::Asc)
        .order_by(c("changed_at"), Order::Asc)
        .order_by(c("id"), Order::Asc)
        .to_owned();
    let mut moves = Vec::new();
    for row in db.query_all(&select).await? {
        let zone: String = row.try_get("", "timezone")?;
        moves.push(Move {
            id: row.try_get("", "id")?,
            item: row.try_get("", "item")?,
            original: row.try_get("", "original")?,
            from: row.try_get("", "from_date")?,
            to: row.try_get("", "to_date")?,
            at: row.try_get("", "changed_at")?,
            zone: zone.parse().unwrap_or(chrono_tz::Asia::Shanghai),
        });
    }
    for history in moves.chunk_by(|a, b| a.item == b.item) {
        let mut on_time = history[0].original;
        for change in history {
            let made_on = change.at.with_timezone(&change.zone).date_naive();
            if made_on > change.from {
                db.execute(
                    &Query::update()
                        .table(Alias::new(changes))
                        .value(Alias::new("late_change"), true)
                        .and_where(Expr::col(Alias::new("id")).eq(change.id))
                        .to_owned(),
                )
                .await?;
            } else {
                on_time = change.to;
            }
        }
        if on_time != history[0].original {
            db.execute(
                &Query::update()
                    .table(Alias::new(items))
                    .value(Alias::new("on_time_deadline"), on_time)
                    .and_where(Expr::col(Alias::new("id")).eq(history[0].item))
                    .to_owned(),
            )
            .await?;
        }
    }
    Ok(())
}

/// The dashboard counts' index, with the on-time deadline or as migration 5 made it.
async fn counts_index(manager: &SchemaManager<'_>, on_time: bool) -> Result<(), DbErr> {
    const NAME: &str = "ix_milestone_org_leader_unit";
    manager
        .drop_index(
            Index::drop()
                .name(NAME)
                .table(Alias::new("milestone"))
                .to_owned(),
        )
        .await?;
    let mut columns = vec![
        "organization_id",
        "responsible_leader_id",
        "responsible_unit_id",
        "status",
        "deadline",
        "completed_on",
    ];
    if on_time {
        columns.push("on_time_deadline");
    }
    manager
        .create_index(crate::common::index(
            NAME,
            Alias::new("milestone"),
            &columns,
        ))
        .await
}
