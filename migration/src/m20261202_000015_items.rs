//! Items, not parents (docs/rules.md §3): a leaf milestone is one supervised item (督办事项) and a
//! parent only sums up its children, so every count reads `is_item`. Filled from the tree
//! already kept (a milestone with a child is no item); the counts' and the overdue list's
//! indexes carry it, so that they still read no rows.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::common::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The indexes that gain `is_item`, with their columns before it.
const INDEXES: [(&str, &[&str]); 2] = [
    (
        "ix_milestone_org_status_due_by",
        &[
            "organization_id",
            "status",
            "due_by",
            "project_id",
            "start_date",
            "progress",
        ],
    ),
    (
        "ix_milestone_org_leader_unit",
        &[
            "organization_id",
            "responsible_leader_id",
            "responsible_unit_id",
            "status",
            "due_by",
            "completed_on",
            "on_time_due_by",
        ],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("milestone"))
                    .add_column(
                        ColumnDef::new(Alias::new("is_item"))
                            .boolean()
                            .not_null()
                            .default(true),
                    )
                    .to_owned(),
            )
            .await?;
        let children = Query::select()
            .column(Alias::new("parent_id"))
            .from_as(Alias::new("milestone"), Alias::new("child"))
            .and_where(Expr::col((Alias::new("child"), Alias::new("parent_id"))).is_not_null())
            .to_owned();
        manager
            .get_connection()
            .execute(
                &Query::update()
                    .table(Alias::new("milestone"))
                    .value(Alias::new("is_item"), false)
                    .and_where(Expr::col(Alias::new("id")).in_subquery(children))
                    .to_owned(),
            )
            .await?;
        for (name, columns) in INDEXES {
            rebuild(manager, name, &[columns, &["is_item"]].concat()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, columns) in INDEXES {
            rebuild(manager, name, columns).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("milestone"))
                    .drop_column(Alias::new("is_item"))
                    .to_owned(),
            )
            .await
    }
}

async fn rebuild(
    manager: &SchemaManager<'_>,
    name: &str,
    columns: &[&'static str],
) -> Result<(), DbErr> {
    manager
        .drop_index(
            Index::drop()
                .name(name)
                .table(Alias::new("milestone"))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(index(name, Alias::new("milestone"), columns))
        .await
}
