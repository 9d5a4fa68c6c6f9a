//! The year-end figures for the work report (人大工作总结): inspections, items, findings,
//! projects, suggestions, letters and visits, and the congress's own cycle.

use async_graphql::Object;
use jiandu_domain::report::{YearFigures, percent};

use super::KindCount;
use crate::graphql::args::int;
use crate::service::documents::year_report_url;
use uuid::Uuid;

/// The year-end figures for the work report (人大工作总结).
pub struct AnnualReport {
    /// The organisation whose scope they count.
    pub(super) organization: Uuid,
    pub(super) figures: YearFigures,
}

impl From<(Uuid, YearFigures)> for AnnualReport {
    fn from((organization, figures): (Uuid, YearFigures)) -> Self {
        AnnualReport {
            organization,
            figures,
        }
    }
}

#[Object]
impl AnnualReport {
    async fn year(&self) -> i32 {
        self.figures.year
    }

    /// Inspections visited in the year.
    async fn inspections(&self) -> i32 {
        int(self.figures.inspections())
    }

    /// Every kind, zeros included.
    async fn inspections_by_kind(&self) -> Vec<KindCount> {
        self.figures
            .inspections_by_kind
            .iter()
            .map(|(kind, n)| KindCount {
                kind: (*kind).into(),
                count: int(*n),
            })
            .collect()
    }

    /// supervised items (leaf milestones) whose on-time deadline, as rolled off rest days, falls in
    /// the year; CANCELLED excluded
    async fn items_due(&self) -> i32 {
        int(self.figures.items_due)
    }

    /// of itemsDue, those concluded (办结: signed off, or reported done where sign-off is not
    /// required) on or before their on-time deadline
    async fn items_closed_on_time(&self) -> i32 {
        int(self.figures.items_closed_on_time)
    }

    /// 按期办结率: itemsClosedOnTime / itemsDue, 0..1; null when none was due
    async fn on_time_closed_rate(&self) -> Option<f64> {
        self.figures.on_time_closed_rate()
    }

    #[graphql(deprecation = "the same as itemsDue")]
    async fn milestones_due(&self) -> i32 {
        int(self.figures.items_due)
    }

    #[graphql(deprecation = "the same as itemsClosedOnTime")]
    async fn milestones_done_on_time(&self) -> i32 {
        int(self.figures.items_closed_on_time)
    }

    /// 按期办结率 = itemsClosedOnTime / itemsDue, 0..1 (the same as onTimeClosedRate); null when
    /// nothing was due
    async fn on_time_rate(&self) -> Option<f64> {
        self.figures.on_time_closed_rate()
    }

    /// The on-time rate as the report writes it, e.g. "91.7%".
    async fn on_time_rate_text(&self) -> Option<String> {
        self.figures.on_time_closed_rate().map(percent)
    }

    /// Findings raised by the year's inspections.
    async fn findings_raised(&self) -> i32 {
        int(self.figures.findings_raised)
    }

    /// Of findingsRaised, those reported rectified or verified since (one cohort).
    async fn findings_resolved(&self) -> i32 {
        int(self.figures.findings_resolved)
    }

    /// findings raised in the year that are verified (one cohort): 已整改落实
    async fn findings_verified(&self) -> i32 {
        int(self.figures.findings_verified)
    }

    /// 整改率: findingsVerified / findingsRaised, 0..1; null when none was raised
    async fn rectification_rate(&self) -> Option<f64> {
        self.figures.rectification_rate()
    }

    /// Projects completed in the year, construction projects included.
    async fn projects_completed(&self) -> i32 {
        int(self.figures.projects_completed)
    }

    /// Of projectsCompleted, construction projects (工程建设项目): 竣工 in the summary
    async fn construction_projects_completed(&self) -> i32 {
        int(self.figures.construction_completed)
    }

    /// the year's deputies' suggestions (代表建议办理)
    async fn suggestions(&self) -> crate::graphql::suggestion_stats::SuggestionStats {
        crate::graphql::suggestion_stats::SuggestionStats(self.figures.suggestions.clone())
    }

    /// the year's letters and visits (来信来访)
    async fn contacts(&self) -> crate::graphql::contacts::ContactStats {
        crate::graphql::contacts::ContactStats(self.figures.contacts.clone())
    }

    /// meetings held in the year, of every kind
    async fn meetings_held(&self) -> i32 {
        int(self.figures.congress.meetings_held)
    }

    /// REPORT_HEARING meetings in the year (听取政府工作汇报N次)
    async fn reports_heard(&self) -> i32 {
        int(self.figures.congress.reports_heard)
    }

    /// livelihood-project candidates put to a vote in the year, and those that passed
    async fn livelihood_projects_voted(&self) -> i32 {
        int(self.figures.congress.voted)
    }

    async fn livelihood_projects_passed(&self) -> i32 {
        int(self.figures.congress.passed)
    }

    /// (满意 + 基本满意) ÷ votes cast over the year's assessments; null when none
    async fn assessment_satisfaction_rate(&self) -> Option<f64> {
        self.figures.congress.satisfaction_rate()
    }

    /// the points of the deliberation opinions sent in the year, and those judged carried out
    /// (落实)
    async fn opinion_points(&self) -> i32 {
        int(self.figures.congress.opinion_points)
    }

    async fn opinion_points_implemented(&self) -> i32 {
        int(self.figures.congress.opinion_points_implemented)
    }

    /// serving deputies on the roster, and those with at least one duty activity in the year
    async fn deputies_total(&self) -> i32 {
        int(self.figures.deputies.total)
    }

    async fn deputies_active(&self) -> i32 {
        int(self.figures.deputies.active)
    }

    /// the year's figures and sentences as a .docx (工作总结（数据部分）), for those who may read it
    async fn document_url(&self) -> String {
        year_report_url(self.organization, self.figures.year)
    }

    /// a paragraph in Chinese, in the style of a work report, built from the figures above
    async fn summary(&self) -> String {
        self.figures.summary()
    }
}
