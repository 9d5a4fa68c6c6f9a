//! The GraphQL API: one module per area, each with its Query and Mutation, merged here.

pub mod accounts;
pub mod attachments;
pub mod connection;
pub mod context;
pub mod error;
pub mod findings;
pub mod history;
pub mod inspections;
pub mod loaders;
pub mod milestones;
pub mod projects;
pub mod reports;
pub mod scalars;

use async_graphql::{EmptySubscription, MergedObject, Schema, SchemaBuilder};

use crate::service::Ctx;
use crate::service::accounts::LoginLimiter;

#[derive(MergedObject, Default)]
pub struct Query(
    accounts::AccountsQuery,
    projects::ProjectsQuery,
    milestones::MilestonesQuery,
    inspections::InspectionsQuery,
    findings::FindingsQuery,
    reports::ReportsQuery,
    history::HistoryQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(
    accounts::AccountsMutation,
    projects::ProjectsMutation,
    milestones::MilestonesMutation,
    inspections::InspectionsMutation,
    findings::FindingsMutation,
    attachments::AttachmentsMutation,
    reports::ReportsMutation,
);

pub type JianduSchema = Schema<Query, Mutation, EmptySubscription>;

/// Limits every request is held to.
#[derive(Debug, Clone)]
pub struct QueryLimits {
    pub depth: usize,
    pub complexity: usize,
    pub recursive_depth: usize,
    pub directives: usize,
}

impl Default for QueryLimits {
    fn default() -> Self {
        QueryLimits {
            depth: 12,
            complexity: 20_000,
            recursive_depth: 32,
            directives: 8,
        }
    }
}

/// The schema without data, for printing the SDL.
pub fn schema_builder() -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
}

/// The schema the server runs.
pub fn build_schema(ctx: Ctx, limits: &QueryLimits) -> JianduSchema {
    schema_builder()
        .data(ctx)
        .data(LoginLimiter::default())
        .limit_depth(limits.depth)
        .limit_complexity(limits.complexity)
        .limit_recursive_depth(limits.recursive_depth)
        .limit_directives(limits.directives)
        .disable_suggestions()
        .extension(error::ErrorCodes)
        .finish()
}

/// The public API as SDL (what `jiandu schema` prints and `schema.graphql` holds).
pub fn sdl() -> String {
    schema_builder().finish().sdl()
}
