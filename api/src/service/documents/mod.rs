//! Documents ready to print and stamp: each notice, and the monthly bulletin (通报), as text and
//! as a Word file in official-document layout (written by `service::formats::docx`).

mod bulletin;
mod duty_report;
mod year_report;

pub use bulletin::{BulletinView, bulletin};
pub use duty_report::{duty_report, duty_report_url};
pub use year_report::{townships, year_report, year_report_url};

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use super::notices::{copies_of, notices_by_ids};
use super::views::NoticeView;
use super::{Actor, Ctx};
use crate::error::AppError;

/// An official document: the issuing organisation's mark, the number, the title, whom it is
/// addressed to, the text, the signature and date, and whom it is copied to.
#[derive(Debug, Clone)]
pub struct Document {
    /// 发文机关标志, e.g. 思蒙镇人大主席团, in red over a red rule; none for a person's own
    /// report (a deputy's 述职报告).
    pub issuer: Option<String>,
    /// 发文字号, e.g. 思人督〔2026〕3号.
    pub number: Option<String>,
    pub title: String,
    /// 主送, e.g. 李明同志：
    pub addressee: Option<String>,
    pub body: Vec<Block>,
    /// 落款.
    pub signature: String,
    /// 成文日期.
    pub date: NaiveDate,
    /// 抄送.
    pub copied_to: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(String),
    /// 一、… in 黑体.
    Heading(String),
    /// （一）… in 楷体.
    Subheading(String),
    Table(Table),
}

/// A table with ruled cells: its header row (repeated on each page) and its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Document {
    /// The date as documents write it: 2026年3月13日.
    pub fn date_text(&self) -> String {
        written_date(self.date)
    }

    /// The document as plain text, line by line as printed.
    pub fn text(&self) -> String {
        let mut lines = Vec::new();
        if let Some(issuer) = &self.issuer {
            lines.push(issuer.clone());
            lines.extend(self.number.clone());
            lines.push(String::new());
        }
        lines.push(self.title.clone());
        lines.push(String::new());
        lines.extend(self.addressee.clone());
        for block in &self.body {
            match block {
                Block::Paragraph(text) | Block::Heading(text) | Block::Subheading(text) => {
                    // Indented two characters, as printed.
                    lines.push(format!("　　{text}"));
                }
                Block::Table(table) => {
                    for row in std::iter::once(&table.header).chain(&table.rows) {
                        lines.push(row.join("　"));
                    }
                }
            }
        }
        lines.push(String::new());
        lines.push(self.signature.clone());
        lines.push(self.date_text());
        if !self.copied_to.is_empty() {
            lines.push(String::new());
            lines.push(format!("抄送：{}。", self.copied_to.join("，")));
        }
        lines.join("\n")
    }

    /// A file name for it: the number (if any) and the title, without characters file systems
    /// refuse.
    pub fn file_name(&self) -> String {
        let name = match &self.number {
            Some(number) => format!("{number} {}", self.title),
            None => self.title.clone(),
        };
        let name: String = name
            .chars()
            .map(|c| match c {
                '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
                c if c.is_control() => '_',
                c => c,
            })
            .take(80)
            .collect();
        format!("{name}.docx")
    }
}

/// A date as documents write it: 2026年3月13日.
pub fn written_date(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// Where notice `id`'s document is downloaded.
pub fn notice_url(id: Uuid) -> String {
    format!("/documents/notices/{id}.docx")
}

/// Where an organisation's bulletin of a month is downloaded.
pub fn bulletin_url(organization: Uuid, year: i32, month: u32) -> String {
    format!("/documents/bulletins/{organization}/{year}-{month:02}.docx")
}

/// Paragraphs of `text`, one per non-empty line.
pub fn paragraphs(text: &str) -> Vec<Block> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| Block::Paragraph(line.to_string()))
        .collect()
}

/// The notice `id` as a document, for a user who may read it.
pub async fn notice_document(ctx: &Ctx, actor: &Actor, id: Uuid) -> Result<Document, AppError> {
    let notice = notices_by_ids(ctx, actor, &[id])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::not_found("notice"))?;
    let people = ctx.people.all(&ctx.db).await?;
    let name_of = |id: Uuid| {
        people
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    };
    let copied_to = copies_of(ctx, actor, &[id])
        .await?
        .into_iter()
        .map(|(_, person)| name_of(person))
        .collect();
    let organization = ctx
        .organizations
        .find(&ctx.db, notice.organization_id, |o| o.id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    Ok(of_notice(
        &notice,
        &organization,
        &name_of(notice.recipient_id),
        copied_to,
    ))
}

/// `notice` laid out as a document: a body that opens with its addressee (李明同志：) keeps it
/// as the addressee; one that does not is addressed to the recipient.
pub fn of_notice(
    notice: &NoticeView,
    organization: &str,
    recipient: &str,
    copied_to: Vec<String>,
) -> Document {
    let mut body = paragraphs(&notice.body);
    let addressee = match body.first() {
        Some(Block::Paragraph(first)) if first.ends_with('：') && first.chars().count() <= 30 => {
            let first = first.clone();
            body.remove(0);
            first
        }
        _ => format!("{recipient}同志："),
    };
    let issuer = jiandu_domain::notice::issuer(organization);
    Document {
        number: notice.number.clone(),
        title: notice.title.clone(),
        addressee: Some(addressee),
        body,
        signature: issuer.clone(),
        issuer: Some(issuer),
        date: notice.issued_on,
        copied_to,
    }
}

/// 一, 二, … 九十九 (the numbering of a document's parts).
pub(crate) fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0 => "零".into(),
        1..=9 => DIGITS[n].into(),
        10..=19 => format!("十{}", DIGITS[n % 10]),
        20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, Utc};
    use jiandu_domain::{NoticeKind, NoticeLevel};
    use uuid::Uuid;

    use super::*;

    fn order(body: &str) -> NoticeView {
        let id = Uuid::from_u128(1);
        NoticeView {
            id,
            organization_id: id,
            kind: NoticeKind::SupervisionOrder,
            level: NoticeLevel::Red,
            number: Some("思人督〔2026〕3号".into()),
            recipient_id: id,
            milestone_id: Some(id),
            finding_id: None,
            suggestion_id: None,
            contact_id: None,
            opinion_id: None,
            subject_id: id,
            title: "关于督办“桥面铺装”的通知".into(),
            body: body.into(),
            issued_at: Utc::now(),
            issued_on: NaiveDate::from_ymd_opt(2026, 3, 13).unwrap(),
            issued_by: None,
            reply_due: None,
            acknowledged_at: None,
            acknowledged_by: None,
            reply: None,
            replied_at: None,
            version: 1,
        }
    }

    #[test]
    fn a_notice_keeps_its_addressee_and_lists_its_copies() {
        let document = of_notice(
            &order("李明同志：\n你负责的“桥面铺装”已逾期。\n\n请于3月20日前回复。"),
            "思蒙镇",
            "李明",
            vec!["王建国".into(), "陈刚".into()],
        );
        assert_eq!(document.addressee.as_deref(), Some("李明同志："));
        assert_eq!(
            document.text(),
            "思蒙镇人大主席团\n思人督〔2026〕3号\n\n关于督办“桥面铺装”的通知\n\n李明同志：\n\
             \u{3000}\u{3000}你负责的“桥面铺装”已逾期。\n\u{3000}\u{3000}请于3月20日前回复。\n\n思蒙镇人大主席团\n\
             2026年3月13日\n\n抄送：王建国，陈刚。"
        );
        assert_eq!(
            document.file_name(),
            "思人督〔2026〕3号 关于督办“桥面铺装”的通知.docx"
        );
    }

    #[test]
    fn a_body_without_an_addressee_is_addressed_to_the_recipient() {
        let document = of_notice(&order("请抓紧办理：桥面/护栏"), "丹棱县", "李明", vec![]);
        assert_eq!(document.addressee.as_deref(), Some("李明同志："));
        assert_eq!(document.issuer.as_deref(), Some("丹棱县人大常委会"));
        assert_eq!(
            document.body,
            vec![Block::Paragraph("请抓紧办理：桥面/护栏".into())]
        );
        let mut named = document.clone();
        named.title = "a/b:c".into();
        assert_eq!(named.file_name(), "思人督〔2026〕3号 a_b_c.docx");
        assert!(
            crate::service::formats::docx::render(&document)
                .unwrap()
                .starts_with(b"PK")
        );
    }
}
