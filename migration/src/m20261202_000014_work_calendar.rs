//! Settings for every rule and the working-day calendar (docs/rules.md §4): the rest of an
//! organisation's settings (defaults for existing rows), a table of the days the State Council's
//! notices arrange (holidays and make-up working days), and each milestone's and finding's
//! stored `due_by` and `on_time_due_by` — the deadline and the on-time deadline moved past rest
//! days when the organisation says so — which the indexed filters now range over. They are
//! filled here with the deadlines themselves; the server rolls them off rest days when it loads
//! the calendar into the empty table on its first start (see `service::workdays`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WorkCalendarDay {
    Table,
    Day,
    Kind,
    Name,
    SetByOperator,
    UpdatedAt,
}

/// The settings added, with their defaults.
const SETTINGS: [(&str, i32); 9] = [
    ("due_soon_working_days", 3),
    ("behind_pace_yellow_points", 20),
    ("behind_pace_red_points", 40),
    ("notice_hour", 9),
    ("urge_every_working_days", 3),
    ("order_after_working_days_overdue", 5),
    ("acknowledge_within_working_days", 2),
    ("suggestion_answer_working_days", 60),
    ("suggestion_redo_days", 15),
];
const SWITCHES: [&str; 2] = ["roll_deadlines_off_rest_days", "sign_off_required"];

/// Each tracked table's date and what it is due by.
const DUE: [(&str, &str, &str); 4] = [
    ("milestone", "deadline", "due_by"),
    ("milestone", "on_time_deadline", "on_time_due_by"),
    ("finding", "deadline", "due_by"),
    ("finding", "on_time_deadline", "on_time_due_by"),
];

/// The deadline-state indexes: the same columns with `due_by` where `deadline` was.
const INDEXES: [(&str, &str, &[&str]); 7] = [
    (
        "ix_milestone_org_status_deadline",
        "milestone",
        &[
            "organization_id",
            "status",
            "deadline",
            "project_id",
            "start_date",
            "progress",
        ],
    ),
    (
        "ix_milestone_leader_status_deadline",
        "milestone",
        &["responsible_leader_id", "status", "deadline"],
    ),
    (
        "ix_milestone_unit_status_deadline",
        "milestone",
        &["responsible_unit_id", "status", "deadline"],
    ),
    (
        "ix_milestone_org_leader_unit",
        "milestone",
        &[
            "organization_id",
            "responsible_leader_id",
            "responsible_unit_id",
            "status",
            "deadline",
            "completed_on",
            "on_time_deadline",
        ],
    ),
    (
        "ix_finding_org_status_deadline",
        "finding",
        &["organization_id", "status", "deadline"],
    ),
    (
        "ix_finding_project_status_deadline",
        "finding",
        &["project_id", "status", "deadline"],
    ),
    (
        "ix_finding_leader_status_deadline",
        "finding",
        &["responsible_leader_id", "status", "deadline"],
    ),
];

/// An index's new name and columns: `deadline` → `due_by`, `on_time_deadline` → `on_time_due_by`.
fn due_by_index(name: &str, columns: &[&'static str]) -> (String, Vec<&'static str>) {
    let columns = columns
        .iter()
        .map(|&column| match column {
            "deadline" => "due_by",
            "on_time_deadline" => "on_time_due_by",
            other => other,
        })
        .collect();
    (name.replace("_deadline", "_due_by"), columns)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WorkCalendarDay::Table)
                    .col(date(WorkCalendarDay::Day).primary_key())
                    .col(string_len(WorkCalendarDay::Kind, 16))
                    .col(string_len_null(WorkCalendarDay::Name, 64))
                    .col(boolean(WorkCalendarDay::SetByOperator))
                    .col(timestamp_with_time_zone(WorkCalendarDay::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        for (column, default) in SETTINGS {
            add(
                manager,
                "organization_settings",
                ColumnDef::new(Alias::new(column))
                    .integer()
                    .not_null()
                    .default(default),
            )
            .await?;
        }
        for column in SWITCHES {
            add(
                manager,
                "organization_settings",
                ColumnDef::new(Alias::new(column))
                    .boolean()
                    .not_null()
                    .default(true),
            )
            .await?;
        }
        for (table, from, due) in DUE {
            add(
                manager,
                table,
                ColumnDef::new(Alias::new(due))
                    .date()
                    .not_null()
                    .default("2000-01-01"),
            )
            .await?;
            manager
                .get_connection()
                .execute(
                    &Query::update()
                        .table(Alias::new(table))
                        .value(Alias::new(due), Expr::col(Alias::new(from)))
                        .to_owned(),
                )
                .await?;
        }
        for (name, table, columns) in INDEXES {
            drop_index(manager, name, table).await?;
            let (name, columns) = due_by_index(name, columns);
            manager
                .create_index(index(&name, Alias::new(table), &columns))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, columns) in INDEXES {
            drop_index(manager, &due_by_index(name, columns).0, table).await?;
            manager
                .create_index(index(name, Alias::new(table), columns))
                .await?;
        }
        for (table, _, due) in DUE {
            drop_column(manager, table, due).await?;
        }
        for column in SWITCHES
            .into_iter()
            .chain(SETTINGS.iter().map(|(column, _)| *column))
        {
            drop_column(manager, "organization_settings", column).await?;
        }
        manager
            .drop_table(Table::drop().table(WorkCalendarDay::Table).to_owned())
            .await
    }
}

async fn add(
    manager: &SchemaManager<'_>,
    table: &str,
    column: &mut ColumnDef,
) -> Result<(), DbErr> {
    manager
        .alter_table(
            Table::alter()
                .table(Alias::new(table))
                .add_column(column.to_owned())
                .to_owned(),
        )
        .await
}

async fn drop_column(manager: &SchemaManager<'_>, table: &str, column: &str) -> Result<(), DbErr> {
    manager
        .alter_table(
            Table::alter()
                .table(Alias::new(table))
                .drop_column(Alias::new(column))
                .to_owned(),
        )
        .await
}

async fn drop_index(manager: &SchemaManager<'_>, name: &str, table: &str) -> Result<(), DbErr> {
    manager
        .drop_index(Index::drop().name(name).table(Alias::new(table)).to_owned())
        .await
}
