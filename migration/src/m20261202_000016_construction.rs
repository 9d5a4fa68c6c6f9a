//! Construction projects (工程建设项目): a bridge or a road is finished with 竣工, other
//! supervised work with 办结, and the year-end report writes each its own way. Projects already
//! stored are not construction until someone says so.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("project"))
                    .add_column(
                        ColumnDef::new(Alias::new("construction"))
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("project"))
                    .drop_column(Alias::new("construction"))
                    .to_owned(),
            )
            .await
    }
}
