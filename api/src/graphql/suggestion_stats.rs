//! `suggestionStats`: a year's figures of deputies' suggestions, each rate with its formula.

use async_graphql::{Context, ID, Object};
use jiandu_domain::report::SuggestionFigures;

use super::args::id_of;
use super::context;
use super::error::GqlResult;
use crate::graphql::connection::shows;
use crate::service::suggestions;

/// figures for a year, with the formula of each rate in its description
pub struct SuggestionStats(pub SuggestionFigures);

shows!(SuggestionStats: SuggestionFigures);

fn int(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

#[Object]
impl SuggestionStats {
    /// registered in the year, withdrawn ones left out
    async fn received(&self) -> i32 {
        int(self.0.received)
    }

    async fn assigned(&self) -> i32 {
        int(self.0.assigned)
    }

    async fn answered(&self) -> i32 {
        int(self.0.answered)
    }

    /// answered by the first deadline
    async fn answered_on_time(&self) -> i32 {
        int(self.0.answered_on_time)
    }

    async fn concluded(&self) -> i32 {
        int(self.0.concluded)
    }

    /// concluded / assigned
    async fn concluded_rate(&self) -> Option<f64> {
        self.0.concluded_rate()
    }

    /// answered / assigned
    async fn answer_rate(&self) -> Option<f64> {
        self.0.answer_rate()
    }

    /// met in person / answered
    async fn met_rate(&self) -> Option<f64> {
        self.0.met_rate()
    }

    /// the latest answer's class A
    #[graphql(name = "classA")]
    async fn class_a(&self) -> i32 {
        int(self.0.classes[0])
    }

    #[graphql(name = "classB")]
    async fn class_b(&self) -> i32 {
        int(self.0.classes[1])
    }

    #[graphql(name = "classC")]
    async fn class_c(&self) -> i32 {
        int(self.0.classes[2])
    }

    #[graphql(name = "classD")]
    async fn class_d(&self) -> i32 {
        int(self.0.classes[3])
    }

    /// SATISFIED + BASICALLY_SATISFIED / feedback given, on the latest round
    async fn satisfied_rate(&self) -> Option<f64> {
        self.0.satisfied_rate()
    }

    /// redone (重办) after a dissatisfied rating
    async fn redone(&self) -> i32 {
        int(self.0.redone)
    }
}

#[derive(Default)]
pub struct SuggestionStatsQuery;

#[Object]
impl SuggestionStatsQuery {
    /// The year's suggestions of an organisation (the caller's own when absent) and those below.
    async fn suggestion_stats(
        &self,
        ctx: &Context<'_>,
        year: i32,
        organization_id: Option<ID>,
    ) -> async_graphql::Result<SuggestionStats> {
        let (service, actor) = context::signed(ctx)?;
        let organization = organization_id.map(id_of("organizationId")).transpose()?;
        suggestions::stats(service, actor, year, organization)
            .await
            .answer()
    }
}
