//! A notice as a document (docs/reports.md), a supervision order (督办单) as an office files it:
//! dates written 2026年11月30日, the deadline, the days overdue and the reply date always said —
//! under a text the presidium wrote itself too — and the 版记 (抄送, then 印发 with the
//! organisation and the day) between rules.

use chrono::NaiveDate;
use jiandu_domain::NoticeKind;
use uuid::Uuid;

use super::{Block, Document, written_date};
use crate::error::AppError;
use crate::service::notices::{copies_of, notices_by_ids};
use crate::service::views::NoticeView;
use crate::service::{Actor, Ctx};

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
/// as the addressee; one that does not is addressed to the recipient. A supervision order says
/// its deadline, days overdue and reply date when its text does not, and is printed (印发) by
/// its organisation on the day it is issued.
pub fn of_notice(
    notice: &NoticeView,
    organization: &str,
    recipient: &str,
    copied_to: Vec<String>,
) -> Document {
    let text = written_dates(&notice.body);
    let mut body = paragraphs(&text);
    let addressee = match body.first() {
        Some(Block::Paragraph(first)) if first.ends_with('：') && first.chars().count() <= 30 => {
            let first = first.clone();
            body.remove(0);
            first
        }
        _ => format!("{recipient}同志："),
    };
    let issuer = jiandu_domain::notice::issuer(organization);
    let order = notice.kind == NoticeKind::SupervisionOrder;
    if order && let Some(facts) = facts(notice, &text, &issuer) {
        body.push(Block::Paragraph(facts));
    }
    Document {
        number: notice.number.clone(),
        title: notice.title.clone(),
        addressee: Some(addressee),
        body,
        signature: issuer.clone(),
        printed_by: order.then(|| issuer.clone()),
        issuer: Some(issuer),
        date: notice.issued_on,
        copied_to,
    }
}

/// What an order must say and `text` (its body, dates written out) does not: the deadline and
/// the days overdue on the day it was issued, and the day to reply by.
fn facts(notice: &NoticeView, text: &str, issuer: &str) -> Option<String> {
    let mut said = Vec::new();
    if let Some(due) = notice.due_by
        && !text.contains(&written_date(due))
    {
        let late = (notice.issued_on - due).num_days();
        said.push(if late > 0 {
            format!(
                "该事项完成时限为{}，截至{}已逾期{late}天",
                written_date(due),
                written_date(notice.issued_on)
            )
        } else {
            format!("该事项完成时限为{}，尚未逾期", written_date(due))
        });
    }
    if let Some(reply) = notice.reply_due
        && !text.contains(&written_date(reply))
    {
        said.push(format!(
            "请于{}前将办理情况书面回复{issuer}",
            written_date(reply)
        ));
    }
    (!said.is_empty()).then(|| format!("{}。", said.join("。")))
}

/// `text` with every day written 2026-11-30 written as documents write it: 2026年11月30日.
pub fn written_dates(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let candidate: String = chars[i..chars.len().min(i + 10)].iter().collect();
        let standalone = i == 0 || !chars[i - 1].is_ascii_digit();
        let ends = chars.get(i + 10).is_none_or(|c| !c.is_ascii_digit());
        match NaiveDate::parse_from_str(&candidate, "%Y-%m-%d") {
            Ok(day) if candidate.len() == 10 && standalone && ends => {
                out.push_str(&written_date(day));
                i += 10;
            }
            _ => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
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
            due_by: NaiveDate::from_ymd_opt(2026, 3, 6),
            title: "关于督办“风雨桥·桥面铺装”的通知".into(),
            body: body.into(),
            issued_at: Utc::now(),
            issued_on: NaiveDate::from_ymd_opt(2026, 3, 13).unwrap(),
            issued_by: None,
            reply_due: NaiveDate::from_ymd_opt(2026, 3, 20),
            acknowledged_at: None,
            acknowledged_by: None,
            reply: None,
            replied_at: None,
            version: 1,
        }
    }

    #[test]
    fn an_order_keeps_its_addressee_writes_its_dates_and_closes_with_copies_and_printing() {
        let document = of_notice(
            &order(
                "李明同志：\n你负责的“桥面铺装”应于2026-03-06前办结，现已逾期7天。\n\n请于2026-03-20前回复思蒙镇。",
            ),
            "思蒙镇",
            "李明",
            vec!["王建国".into(), "陈刚".into()],
        );
        assert_eq!(document.addressee.as_deref(), Some("李明同志："));
        assert_eq!(
            document.text(),
            "思蒙镇人大主席团\n思人督〔2026〕3号\n\n关于督办“风雨桥·桥面铺装”的通知\n\n李明同志：\n\
             \u{3000}\u{3000}你负责的“桥面铺装”应于2026年3月6日前办结，现已逾期7天。\n\
             \u{3000}\u{3000}请于2026年3月20日前回复思蒙镇。\n\n思蒙镇人大主席团\n\
             2026年3月13日\n\n抄送：王建国，陈刚。\n思蒙镇人大主席团\u{3000}\u{3000}2026年3月13日印发"
        );
        assert_eq!(
            document.file_name(),
            "思人督〔2026〕3号 关于督办“风雨桥·桥面铺装”的通知.docx"
        );
    }

    #[test]
    fn an_order_in_the_presidiums_own_words_still_says_its_deadline_lateness_and_reply_date() {
        let document = of_notice(&order("请抓紧办理：桥面/护栏"), "丹棱县", "李明", vec![]);
        assert_eq!(document.addressee.as_deref(), Some("李明同志："));
        assert_eq!(document.issuer.as_deref(), Some("丹棱县人大常委会"));
        assert_eq!(
            document.body,
            vec![
                Block::Paragraph("请抓紧办理：桥面/护栏".into()),
                Block::Paragraph(
                    "该事项完成时限为2026年3月6日，截至2026年3月13日已逾期7天。\
                     请于2026年3月20日前将办理情况书面回复丹棱县人大常委会。"
                        .into()
                )
            ]
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

    #[test]
    fn only_whole_days_are_written_out() {
        assert_eq!(
            written_dates("于2026-11-30前，编号12026-11-301不动，2026-13-01也不动"),
            "于2026年11月30日前，编号12026-11-301不动，2026-13-01也不动"
        );
        assert_eq!(written_dates("截至 2026-01-05。"), "截至 2026年1月5日。");
    }

    #[test]
    fn a_reminder_is_not_given_an_orders_closing() {
        let mut reminder = order("请抓紧。");
        reminder.kind = NoticeKind::Reminder;
        reminder.number = None;
        let document = of_notice(&reminder, "思蒙镇", "李明", vec![]);
        assert_eq!(document.body, vec![Block::Paragraph("请抓紧。".into())]);
        assert!(document.printed_by.is_none());
    }
}
