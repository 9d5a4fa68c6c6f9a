//! Jiandu's schema as a history of hand-written migrations. They never derive tables from entity
//! definitions: a migration that has landed describes the past and is not edited again. The same
//! statements run on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod common;
mod m20261128_000001_core;
mod m20261128_000002_inspections;
mod m20261128_000003_reports;
mod m20261128_000004_idempotency;
mod m20261128_000005_figures_indexes;
mod m20261129_000006_duties;
mod m20261201_000007_accounts;
mod m20261201_000008_backdating;
mod m20261201_000009_sibling_names;
mod m20261201_000010_extensions;
mod m20261201_000011_on_time_deadline;
mod m20261201_000012_sign_off;
mod m20261201_000013_accepted_are_signed_off;
mod m20261202_000014_work_calendar;
mod m20261202_000015_items;
mod m20261202_000016_construction;
mod m20261203_000017_notices;
mod m20261203_000018_deliveries;
mod m20261203_000019_suggestions;
mod m20261203_000020_notice_suggestion;
mod m20261203_000021_suggestion_on_time_deadline;
mod m20261203_000022_notice_contact;
mod m20261206_000023_delivery_targets;
mod m20261206_000024_account_holders;
mod m20261206_000025_historical_items;
mod m20261206_000026_import_drafts;
mod m20261206_000027_milestone_project_roots;
mod m20261207_000028_historical_records;
mod m20261207_000029_meetings_and_votes;
mod m20261207_000030_assessments;
mod m20261207_000031_opinions;
mod m20261207_000032_deputies;
mod m20261207_000033_visit_raises;
mod m20261207_000034_bulletin_numbers;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_core::Migration),
            Box::new(m20261128_000002_inspections::Migration),
            Box::new(m20261128_000003_reports::Migration),
            Box::new(m20261128_000004_idempotency::Migration),
            Box::new(m20261128_000005_figures_indexes::Migration),
            Box::new(m20261129_000006_duties::Migration),
            Box::new(m20261201_000007_accounts::Migration),
            Box::new(m20261201_000008_backdating::Migration),
            Box::new(m20261201_000009_sibling_names::Migration),
            Box::new(m20261201_000010_extensions::Migration),
            Box::new(m20261201_000011_on_time_deadline::Migration),
            Box::new(m20261201_000012_sign_off::Migration),
            Box::new(m20261201_000013_accepted_are_signed_off::Migration),
            Box::new(m20261202_000014_work_calendar::Migration),
            Box::new(m20261202_000015_items::Migration),
            Box::new(m20261202_000016_construction::Migration),
            Box::new(m20261203_000017_notices::Migration),
            Box::new(m20261203_000018_deliveries::Migration),
            Box::new(m20261203_000019_suggestions::Migration),
            Box::new(m20261203_000020_notice_suggestion::Migration),
            Box::new(m20261203_000021_suggestion_on_time_deadline::Migration),
            Box::new(m20261203_000022_notice_contact::Migration),
            Box::new(m20261206_000023_delivery_targets::Migration),
            Box::new(m20261206_000024_account_holders::Migration),
            Box::new(m20261206_000025_historical_items::Migration),
            Box::new(m20261206_000026_import_drafts::Migration),
            Box::new(m20261206_000027_milestone_project_roots::Migration),
            Box::new(m20261207_000028_historical_records::Migration),
            Box::new(m20261207_000029_meetings_and_votes::Migration),
            Box::new(m20261207_000030_assessments::Migration),
            Box::new(m20261207_000031_opinions::Migration),
            Box::new(m20261207_000032_deputies::Migration),
            Box::new(m20261207_000033_visit_raises::Migration),
            Box::new(m20261207_000034_bulletin_numbers::Migration),
        ]
    }
}
