//! The year's figures as a document (docs/reports.md): 思蒙镇人大主席团2026年工作总结（数据部分）,
//! for staff to paste into their own summary — the year's sentences, then each part's figures in
//! a ruled table with how each is counted, and a county's townships side by side.

use chrono::NaiveDate;
use jiandu_domain::notice;
use jiandu_domain::report::{YearFigures, percent};
use uuid::Uuid;

use super::{Block, Document, Table, chinese_number, written_date};
use crate::error::AppError;
use crate::service::reports::{self, YearTold};
use crate::service::{Actor, Ctx};

/// Where the year's document of `organization` is downloaded.
pub fn year_report_url(organization: Uuid, year: i32) -> String {
    format!("/documents/reports/{organization}/{year}.docx")
}

/// The document of `year` for `organization_id` (the actor's own when absent), for anyone who
/// may read its figures.
pub async fn year_report(
    ctx: &Ctx,
    actor: &Actor,
    year: i32,
    organization_id: Option<Uuid>,
) -> Result<Document, AppError> {
    let told = reports::year_told(ctx, actor, year, organization_id).await?;
    let today = actor.today_in(told.root, ctx.now(), None);
    Ok(draft(&told, today))
}

/// The document laid out: what it is, 一、总体情况 (the year's sentences), one part per group of
/// figures, and the townships' table for a county.
pub fn draft(told: &YearTold, today: NaiveDate) -> Document {
    let figures = &told.figures;
    let issuer = notice::issuer(&figures.organization);
    let year = figures.year;
    let mut body = vec![
        Block::Paragraph(format!(
            "现将{year}年{}人大工作的有关数据汇总如下，供撰写年度工作总结时使用。数据由监督系统按\
             下列口径统计，截至{}。",
            notice::place(&figures.organization),
            written_date(today.min(last_day(year)))
        )),
        Block::Heading("一、总体情况".into()),
        Block::Paragraph(figures.summary()),
    ];
    let parts = reports::parts(figures, None);
    for (i, part) in parts.iter().enumerate() {
        body.push(Block::Heading(format!(
            "{}、{}",
            chinese_number(i + 2),
            part.heading
        )));
        body.push(Block::Table(Table {
            header: vec!["指标".into(), "数值".into(), "统计口径".into()],
            rows: part
                .lines
                .iter()
                .map(|l| vec![l.label.clone(), l.value.clone(), l.formula.clone()])
                .collect(),
        }));
    }
    if !told.below.is_empty() {
        body.push(Block::Heading(format!(
            "{}、各乡镇情况",
            chinese_number(parts.len() + 2)
        )));
        body.push(Block::Table(townships(
            told.below.iter().map(|(_, f)| f.as_ref()),
        )));
    }
    Document {
        issuer: Some(issuer.clone()),
        number: None,
        title: format!("{issuer}{year}年工作总结（数据部分）"),
        addressee: None,
        body,
        signature: issuer,
        date: today,
        copied_to: Vec::new(),
        printed_by: None,
    }
}

fn last_day(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// A county's townships side by side: the figures a county compares them by.
pub fn townships<'a>(below: impl Iterator<Item = &'a YearFigures>) -> Table {
    let rate = |r: Option<f64>| r.map_or_else(|| "—".into(), percent);
    Table {
        header: [
            "乡镇",
            "视察检查",
            "发现问题",
            "整改率",
            "应完成事项",
            "按期办结率",
            "代表建议",
            "办结率",
            "来信来访",
        ]
        .map(String::from)
        .to_vec(),
        rows: below
            .map(|f| {
                vec![
                    notice::place(&f.organization).to_string(),
                    f.inspections().to_string(),
                    f.findings_raised.to_string(),
                    rate(f.rectification_rate()),
                    f.items_due.to_string(),
                    rate(f.on_time_closed_rate()),
                    f.suggestions.received.to_string(),
                    rate(f.suggestions.concluded_rate()),
                    (f.contacts.visits + f.contacts.letters + f.contacts.calls + f.contacts.online)
                        .to_string(),
                ]
            })
            .collect(),
    }
}
