//! The monthly bulletin (通报); each notice's own document is `Notice.documentUrl`.

use async_graphql::{Context, ID, Object};

use super::args::id_of;
use super::context;
use super::error::GqlResult;
use super::organizations::{Organization, organization};
use super::scalars::Date;
use crate::service::documents::{self, BulletinView};

/// a monthly bulletin (通报): the red items by unit and leader, those done on time, the month's
/// figures
pub struct Bulletin(BulletinView);

#[Object]
impl Bulletin {
    async fn year(&self) -> i32 {
        self.0.year
    }

    async fn month(&self) -> i32 {
        i32::try_from(self.0.month).unwrap_or_default()
    }

    async fn organization(&self, ctx: &Context<'_>) -> async_graphql::Result<Organization> {
        organization(ctx, self.0.organization_id).await
    }

    /// the day it reports on: the month's last, or today while the month runs
    async fn as_of(&self) -> Date {
        Date(self.0.as_of)
    }

    /// 思人通〔2026〕N号: its own sequence per organisation and year, given when the month's
    /// bulletin is first drawn up and kept
    async fn number(&self) -> &str {
        &self.0.number
    }

    /// the title, e.g. 关于2026年3月重点事项督办情况的通报
    async fn title(&self) -> &str {
        &self.0.document.title
    }

    /// the whole text as printed, line by line
    async fn text(&self) -> String {
        self.0.document.text()
    }

    /// the bulletin as a Word document in official layout
    async fn document_url(&self) -> String {
        documents::bulletin_url(self.0.organization_id, self.0.year, self.0.month)
    }
}

#[derive(Default)]
pub struct DocumentsQuery;

#[Object]
impl DocumentsQuery {
    /// The month's bulletin of an organisation (the caller's own when absent) and those below
    /// it. A month that has not begun is VALIDATION_FAILED.
    async fn bulletin(
        &self,
        ctx: &Context<'_>,
        year: i32,
        month: i32,
        organization_id: Option<ID>,
    ) -> async_graphql::Result<Bulletin> {
        let actor = context::actor(ctx)?;
        let organization = organization_id.map(id_of("organizationId")).transpose()?;
        let month = u32::try_from(month).unwrap_or(0);
        let bulletin =
            documents::bulletin(context::service(ctx)?, actor, year, month, organization)
                .await
                .gql()?;
        Ok(Bulletin(bulletin))
    }
}
