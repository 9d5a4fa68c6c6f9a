//! The monthly bulletin (通报): the month's figures, the items red at its end by unit and leader,
//! and the units whose every item due in the month was done on time.

use jiandu_domain::Reason;
use jiandu_domain::field;
use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Days, NaiveDate};
use jiandu_domain::{DeadlineState, Light, MilestoneStatus, NoticeKind};
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use super::{Block, Document, chinese_number};
use crate::entity::{Stored, milestone, notice, project};
use crate::error::AppError;
use crate::service::kernel::tenant::belongs_to;
use crate::service::views::MilestoneView;
use crate::service::{Actor, Ctx};

/// A month's bulletin of one organisation (and those below it).
pub struct BulletinView {
    pub year: i32,
    pub month: u32,
    pub organization_id: Uuid,
    /// The day it reports on: the month's last, or today while the month runs.
    pub as_of: NaiveDate,
    pub document: Document,
}

/// An item red on the bulletin's day.
struct Late {
    title: String,
    project: String,
    leader: String,
    due_by: NaiveDate,
    days: i64,
    progress: u8,
}

/// The bulletin of `year`-`month` for `organization_id` (the actor's own when absent).
pub async fn bulletin(
    ctx: &Ctx,
    actor: &Actor,
    year: i32,
    month: u32,
    organization_id: Option<Uuid>,
) -> Result<BulletinView, AppError> {
    let (root, readable) = actor.reads_year(year, organization_id)?;
    let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(|| {
        AppError::invalid(
            field::MONTH,
            Reason::OutOfRange { min: 1, max: 12 },
            "must be between 1 and 12",
        )
    })?;
    let orgs = readable.organizations();
    let today = actor.today_in(root, ctx.now(), None);
    if first > today {
        return Err(AppError::invalid(
            field::MONTH,
            Reason::InFuture { today },
            format!("has not begun (today is {today})"),
        ));
    }
    let last = first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(first);
    let as_of = last.min(today);

    let items: Vec<MilestoneView> = milestone::Entity::find()
        .filter(belongs_to::<milestone::Entity>(orgs))
        .filter(milestone::Column::IsItem.eq(true))
        .filter(milestone::Column::Status.ne(Stored(MilestoneStatus::Cancelled)))
        .filter(
            Condition::any()
                .add(milestone::Column::DueBy.lte(last))
                .add(milestone::Column::OnTimeDueBy.lte(last)),
        )
        .filter(
            Condition::any()
                .add(milestone::Column::CompletedOn.is_null())
                .add(milestone::Column::CompletedOn.gte(first)),
        )
        .all(ctx.db.conn())
        .await?
        .into_iter()
        .map(MilestoneView::from)
        .collect();

    let people = ctx.people.all(&ctx.db).await?;
    let units = ctx.units.all(&ctx.db).await?;
    let person = |id: Uuid| {
        people
            .iter()
            .find(|p| p.id == id)
            .map_or_else(String::new, |p| p.name.clone())
    };
    let unit = |id: Uuid| {
        units
            .iter()
            .find(|u| u.id == id)
            .map_or_else(String::new, |u| u.name.clone())
    };
    let project_ids: Vec<Uuid> = items.iter().map(|m| m.project_id).collect();
    let projects: HashMap<Uuid, String> = project::Entity::find()
        .filter(project::Column::Id.is_in(project_ids))
        .all(ctx.db.conn())
        .await?
        .into_iter()
        .map(|p| (p.id, p.title))
        .collect();

    let mut late_by_unit: BTreeMap<String, Vec<Late>> = BTreeMap::new();
    // Per unit: items due in the month, and of them done on time.
    let mut due_by_unit: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let (mut due, mut on_time, mut red) = (0u32, 0u32, 0u32);
    for item in &items {
        let day = actor.rules.today(item.organization_id, as_of);
        let tracked = item.tracked();
        let unit_name = unit(item.responsible_unit_id);
        if tracked.light(&day) == Light::Red {
            red += 1;
            late_by_unit
                .entry(unit_name.clone())
                .or_default()
                .push(Late {
                    title: item.title.clone(),
                    project: projects.get(&item.project_id).cloned().unwrap_or_default(),
                    leader: person(item.responsible_leader_id),
                    due_by: item.due_by,
                    days: tracked.days_overdue(as_of),
                    progress: item.progress,
                });
        }
        if (first..=last).contains(&item.on_time_due_by) {
            due += 1;
            let done = tracked.deadline_state(&day) == DeadlineState::DoneOnTime;
            on_time += u32::from(done);
            let counts = due_by_unit.entry(unit_name).or_default();
            counts.0 += 1;
            counts.1 += u32::from(done);
        }
    }

    let issued = |kind: NoticeKind| {
        notice::Entity::find()
            .filter(belongs_to::<notice::Entity>(orgs))
            .filter(notice::Column::Kind.eq(Stored(kind)))
            .filter(notice::Column::IssuedOn.between(first, last))
    };
    let reminders = issued(NoticeKind::Reminder).count(ctx.db.conn()).await?;
    let urges = issued(NoticeKind::Urge).count(ctx.db.conn()).await?;
    let orders = issued(NoticeKind::SupervisionOrder)
        .count(ctx.db.conn())
        .await?;
    let signed = issued(NoticeKind::SupervisionOrder)
        .filter(notice::Column::AcknowledgedAt.is_not_null())
        .count(ctx.db.conn())
        .await?;

    let organization = ctx
        .organizations
        .find(&ctx.db, root, |o| o.id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let issuer = jiandu_domain::notice::issuer(&organization);
    let md = |d: NaiveDate| format!("{}月{}日", d.month(), d.day());

    let mut body = vec![
        Block::Paragraph(format!("现将{year}年{month}月重点事项督办情况通报如下。")),
        Block::Heading("一、总体情况".into()),
        Block::Paragraph(format!(
            "本月到期{due}项，按期办结{on_time}项{}；截至{}，逾期未办结{red}项。\
             本月发出提醒{reminders}次、催办{urges}次、督办单{orders}份，督办单已签收{signed}份。",
            rate(on_time, due),
            md(as_of)
        )),
        Block::Heading("二、逾期未办结事项".into()),
    ];
    if late_by_unit.is_empty() {
        body.push(Block::Paragraph("本月无逾期未办结事项。".into()));
    }
    for (n, (unit_name, late)) in late_by_unit.iter().enumerate() {
        body.push(Block::Subheading(format!(
            "（{}）{}（{}项）",
            chinese_number(n + 1),
            if unit_name.is_empty() {
                "未定单位"
            } else {
                unit_name
            },
            late.len()
        )));
        for (i, item) in late.iter().enumerate() {
            body.push(Block::Paragraph(format!(
                "{}. {}（{}），责任领导{}，完成时限{}，已逾期{}天，当前进度{}%。",
                i + 1,
                item.title,
                item.project,
                item.leader,
                md(item.due_by),
                item.days,
                item.progress
            )));
        }
    }
    body.push(Block::Heading("三、按期办结的单位".into()));
    let praised: Vec<&str> = due_by_unit
        .iter()
        .filter(|(name, (due, done))| {
            due == done && !late_by_unit.contains_key(*name) && !name.is_empty()
        })
        .map(|(name, _)| name.as_str())
        .collect();
    body.push(Block::Paragraph(if praised.is_empty() {
        "本月没有到期事项全部按期办结的单位。".into()
    } else {
        format!(
            "{}本月到期事项全部按期办结，予以通报表扬。",
            praised.join("、")
        )
    }));
    body.push(Block::Heading("四、工作要求".into()));
    let report_by = last.checked_add_days(Days::new(10)).unwrap_or(last);
    body.push(Block::Paragraph(format!(
        "请各责任单位和责任领导对照通报事项，逐项落实整改，于{}前将整改情况书面报{issuer}。",
        md(report_by)
    )));

    Ok(BulletinView {
        year,
        month,
        organization_id: root,
        as_of,
        document: Document {
            issuer: Some(issuer.clone()),
            number: None,
            title: format!("关于{year}年{month}月重点事项督办情况的通报"),
            addressee: Some("各责任单位、各责任领导：".into()),
            body,
            signature: issuer,
            date: as_of,
            copied_to: Vec::new(),
        },
    })
}

/// "，按期办结率50%" (to a whole per cent), or nothing when nothing was due.
fn rate(done: u32, due: u32) -> String {
    if due == 0 {
        return String::new();
    }
    let percent = (f64::from(done) * 100.0 / f64::from(due)).round();
    format!("，按期办结率{percent}%")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_on_time_rate_is_a_whole_per_cent_and_absent_when_nothing_was_due() {
        assert_eq!(super::rate(1, 2), "，按期办结率50%");
        assert_eq!(super::rate(2, 3), "，按期办结率67%");
        assert_eq!(super::rate(0, 0), "");
    }

    #[test]
    fn parts_are_numbered_in_chinese() {
        let numbers: Vec<String> = [1, 9, 10, 11, 20, 35, 120]
            .into_iter()
            .map(super::super::chinese_number)
            .collect();
        assert_eq!(numbers, ["一", "九", "十", "十一", "二十", "三十五", "120"]);
    }
}
