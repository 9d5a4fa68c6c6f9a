//! Documents ready to print and stamp — each notice, the monthly bulletin (通报), a deputy's
//! 述职报告 and the year's figures (工作总结（数据部分）) — as text and as a Word file in
//! official-document layout (written by `service::formats::docx`).

mod bulletin;
mod duty_report;
mod order;
mod year_report;

pub use bulletin::{BulletinView, bulletin};
pub use duty_report::{duty_report, duty_report_url};
pub use order::{notice_document, of_notice, paragraphs};
pub use year_report::{townships, year_report, year_report_url};

use chrono::NaiveDate;
use uuid::Uuid;

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
    /// 印发机关: who printed it (a supervision order's organisation), dated the document's day,
    /// in the 版记 at its foot.
    pub printed_by: Option<String>,
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
        if !self.copied_to.is_empty() || self.printed_by.is_some() {
            lines.push(String::new());
        }
        if !self.copied_to.is_empty() {
            lines.push(format!("抄送：{}。", self.copied_to.join("，")));
        }
        if let Some(printer) = &self.printed_by {
            lines.push(self.printed_line(printer));
        }
        lines.join("\n")
    }

    /// The 印发 line: the organisation, then the day it was printed.
    pub fn printed_line(&self, printer: &str) -> String {
        format!("{printer}\u{3000}\u{3000}{}印发", self.date_text())
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

pub use jiandu_domain::notice::written_date;

/// Where notice `id`'s document is downloaded.
pub fn notice_url(id: Uuid) -> String {
    format!("/documents/notices/{id}.docx")
}

/// Where an organisation's bulletin of a month is downloaded.
pub fn bulletin_url(organization: Uuid, year: i32, month: u32) -> String {
    format!("/documents/bulletins/{organization}/{year}-{month:02}.docx")
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
