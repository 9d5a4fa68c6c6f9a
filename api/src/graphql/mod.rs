//! The GraphQL API: one module per area, each with its Query and Mutation, merged here.

pub mod accounts;
mod args;
mod assessments;
pub mod attachments;
pub mod carried;
pub mod congress;
pub mod connection;
pub mod contacts;
pub mod context;
mod deadlines;
pub mod deputies;
pub mod documents;
pub mod error;
pub mod extensions;
pub mod findings;
pub mod history;
pub mod imports;
pub mod inspections;
pub mod loaders;
pub mod milestones;
pub mod notices;
pub mod opinions;
pub mod organizations;
pub mod projects;
pub mod reports;
pub mod scalars;
pub mod settings;
pub mod shape;
pub mod subscriptions;
pub mod suggestion_stats;
pub mod suggestions;
pub mod workdays;

use async_graphql::{MergedObject, Schema, SchemaBuilder};

pub use self::subscriptions::Subscription;

use crate::service::Ctx;

#[derive(MergedObject, Default)]
pub struct Query(
    organizations::OrganizationsQuery,
    accounts::AccountsQuery,
    projects::ProjectsQuery,
    milestones::MilestonesQuery,
    inspections::InspectionsQuery,
    findings::FindingsQuery,
    extensions::ExtensionsQuery,
    notices::NoticesQuery,
    documents::DocumentsQuery,
    suggestions::SuggestionsQuery,
    suggestion_stats::SuggestionStatsQuery,
    contacts::ContactsQuery,
    reports::ReportsQuery,
    history::HistoryQuery,
    workdays::WorkdaysQuery,
    imports::ImportsQuery,
    congress::CongressQuery,
    opinions::OpinionsQuery,
    deputies::DeputiesQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(
    organizations::OrganizationsMutation,
    accounts::AccountsMutation,
    settings::SettingsMutation,
    projects::ProjectsMutation,
    milestones::MilestonesMutation,
    inspections::InspectionsMutation,
    findings::FindingsMutation,
    extensions::ExtensionsMutation,
    notices::NoticesMutation,
    suggestions::SuggestionsMutation,
    contacts::ContactsMutation,
    attachments::AttachmentsMutation,
    imports::ImportsMutation,
    imports::HistoricalMutation,
    reports::ReportsMutation,
    congress::CongressMutation,
    assessments::AssessmentsMutation,
    opinions::OpinionsMutation,
    deputies::DeputiesMutation,
);

pub type JianduSchema = Schema<Query, Mutation, Subscription>;

/// Limits every request is held to.
#[derive(Debug, Clone)]
pub struct QueryLimits {
    pub depth: usize,
    pub complexity: usize,
    pub recursive_depth: usize,
    pub directives: usize,
    /// Longest query text, in bytes.
    pub document_bytes: usize,
    /// Most aliased fields in one document.
    pub aliases: usize,
    /// Most selections (fields and fragments) in one document, fragments counted once.
    pub selections: usize,
    /// Turns on the test hooks (`testPanic`, `testSlow` aliases) in a build with the
    /// `test-hooks` feature; ignored otherwise, so a build that happens to include the feature
    /// still runs without them unless asked.
    pub test_hooks: bool,
}

impl Default for QueryLimits {
    fn default() -> Self {
        QueryLimits {
            depth: 12,
            complexity: 20_000,
            recursive_depth: 32,
            directives: 8,
            document_bytes: 32 * 1024,
            aliases: 30,
            selections: 1000,
            test_hooks: false,
        }
    }
}

/// The schema without data, for printing the SDL.
pub fn schema_builder() -> SchemaBuilder<Query, Mutation, Subscription> {
    Schema::build(Query::default(), Mutation::default(), Subscription)
}

/// In test builds, resolving any field aliased `testPanic` panics and any field aliased
/// `testSlow` first waits two seconds, so the end-to-end tests can show that a panicking resolver
/// costs one request and that a shutdown lets a request in flight finish. Not in the schema, and
/// not in a build without the `test-hooks` feature.
#[cfg(feature = "test-hooks")]
mod test_hooks {
    use std::sync::Arc;

    use async_graphql::extensions::{
        Extension, ExtensionContext, ExtensionFactory, NextResolve, ResolveInfo,
    };
    use async_graphql::{ServerResult, Value};

    pub struct PanicOnAlias;

    impl ExtensionFactory for PanicOnAlias {
        fn create(&self) -> Arc<dyn Extension> {
            Arc::new(PanicOnAlias)
        }
    }

    #[async_trait::async_trait]
    impl Extension for PanicOnAlias {
        async fn resolve(
            &self,
            ctx: &ExtensionContext<'_>,
            info: ResolveInfo<'_>,
            next: NextResolve<'_>,
        ) -> ServerResult<Option<Value>> {
            match info.alias {
                Some("testPanic") => panic!("a resolver panicked on purpose (test hook)"),
                Some("testSlow") => tokio::time::sleep(std::time::Duration::from_secs(2)).await,
                _ => {}
            }
            next.run(ctx, info).await
        }
    }
}

/// The schema the server runs.
pub fn build_schema(ctx: Ctx, limits: &QueryLimits) -> JianduSchema {
    let builder = schema_builder();
    #[cfg(feature = "test-hooks")]
    let builder = if limits.test_hooks {
        builder.extension(test_hooks::PanicOnAlias)
    } else {
        builder
    };
    builder
        .data(ctx)
        .limit_depth(limits.depth)
        .limit_complexity(limits.complexity)
        .limit_recursive_depth(limits.recursive_depth)
        .limit_directives(limits.directives)
        .disable_suggestions()
        .finish()
}

/// The public API as SDL (what `jiandu schema` prints and `schema.graphql` holds).
pub fn sdl() -> String {
    schema_builder().finish().sdl()
}
