//! The working-day calendar: which days are working days, and the holidays' names.

use async_graphql::{Context, Enum, Object, SimpleObject};

use super::context;
use super::error::GqlResult;
use super::scalars::Date;
use crate::service::workdays;

/// WORKDAY: a working day (including a weekend made a working day, 调休上班); REST_DAY: a
/// weekend or public holiday
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum DayKind {
    Workday,
    RestDay,
}

impl From<jiandu_domain::DayKind> for DayKind {
    fn from(kind: jiandu_domain::DayKind) -> Self {
        match kind {
            jiandu_domain::DayKind::Workday => DayKind::Workday,
            jiandu_domain::DayKind::RestDay => DayKind::RestDay,
        }
    }
}

/// One day of the calendar.
#[derive(SimpleObject)]
pub struct CalendarDay {
    date: Date,
    kind: DayKind,
    /// the holiday or make-up day's name (国庆节, 春节调休…); null for an ordinary weekday or
    /// weekend
    name: Option<String>,
}

#[derive(Default)]
pub struct WorkdaysQuery;

#[Object]
impl WorkdaysQuery {
    /// the days from `from` to `to` (at most 366), each a working day or a rest day under the
    /// State Council's arrangements (Monday–Friday for a year not yet published)
    async fn work_calendar(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
    ) -> async_graphql::Result<Vec<CalendarDay>> {
        context::actor(ctx)?;
        let days = workdays::calendar_days(context::service(ctx)?, from.0, to.0)
            .await
            .gql()?;
        Ok(days
            .into_iter()
            .map(|day| CalendarDay {
                date: Date(day.date),
                kind: day.kind.into(),
                name: day.name,
            })
            .collect())
    }
}
