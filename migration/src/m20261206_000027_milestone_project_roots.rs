//! A project's top-level milestones found by the project: the board reads the roots of fifty
//! projects at once (`project_id IN (…) AND parent_id IS NULL`), which SQLite otherwise answers
//! from the parent index — every root of every project — at ten times the cost
//! (docs/benchmarks.md).

use sea_orm_migration::prelude::*;

use crate::common::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Milestone {
    Table,
}

const NAME: &str = "ix_milestone_project_parent";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(index(NAME, Milestone::Table, &["project_id", "parent_id"]))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(NAME).table(Milestone::Table).to_owned())
            .await
    }
}
