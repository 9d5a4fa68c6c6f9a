//! The bulletin in words, part by part, as an office files it: dates with the year, each late
//! thing with its deadline and days, and a part that has nothing in it says so.

use chrono::Days;

use super::{Late, Month};
use crate::service::documents::{Block, Document, chinese_number, written_date};

/// The bulletin laid out: 一、总体情况 to the closing 工作要求.
pub(super) fn document(m: &Month) -> Document {
    let mut parts: Vec<(&str, Vec<Block>)> = vec![
        ("总体情况", vec![Block::Paragraph(overview(m))]),
        ("逾期未办结事项", overdue(m)),
        (
            "进度滞后事项",
            listed(&m.behind, "本月无进度滞后事项。", item),
        ),
        (
            "视察发现问题整改情况",
            with_opening(
                format!(
                    "本月视察检查发现问题{}个，整改完成{}个{}。",
                    m.findings.0,
                    m.findings.1,
                    if m.findings_late.is_empty() {
                        "，无逾期未整改问题".to_string()
                    } else {
                        format!("；逾期未整改{}个", m.findings_late.len())
                    }
                ),
                listed(&m.findings_late, "", finding),
            ),
        ),
        (
            "代表建议办理情况",
            with_opening(
                format!(
                    "本月登记代表建议{}件，答复{}件{}。",
                    m.suggestions.0,
                    m.suggestions.1,
                    if m.suggestions_late.is_empty() {
                        "，无逾期未答复建议".to_string()
                    } else {
                        format!("；逾期未答复{}件", m.suggestions_late.len())
                    }
                ),
                listed(&m.suggestions_late, "", suggestion),
            ),
        ),
        ("按期办结的单位", vec![Block::Paragraph(praised(m))]),
    ];
    let report_by = m.last.checked_add_days(Days::new(10)).unwrap_or(m.last);
    parts.push((
        "工作要求",
        vec![Block::Paragraph(format!(
            "请各责任单位和责任领导对照通报事项，逐项落实整改，于{}前将整改情况书面报{}。",
            written_date(report_by),
            m.issuer
        ))],
    ));
    let mut body = vec![Block::Paragraph(format!(
        "现将{}年{}月重点事项督办情况通报如下。",
        m.year, m.month
    ))];
    for (n, (heading, blocks)) in parts.into_iter().enumerate() {
        body.push(Block::Heading(format!(
            "{}、{heading}",
            chinese_number(n + 1)
        )));
        body.extend(blocks);
    }
    Document {
        issuer: Some(m.issuer.clone()),
        number: Some(m.number.clone()),
        title: format!("关于{}年{}月重点事项督办情况的通报", m.year, m.month),
        addressee: Some("各责任单位、各责任领导：".into()),
        body,
        signature: m.issuer.clone(),
        date: m.as_of,
        copied_to: Vec::new(),
        printed_by: None,
    }
}

fn overview(m: &Month) -> String {
    let late: usize = m.late_by_unit.values().map(Vec::len).sum();
    let waiting = if m.awaiting_sign_off > 0 {
        format!("；另有{}项已报办结待销号", m.awaiting_sign_off)
    } else {
        String::new()
    };
    let [reminders, urges, orders, signed] = m.notices;
    format!(
        "本月到期{}项，按期办结{}项{}{waiting}。截至{}，逾期未办结{late}项，进度滞后{}项。\
         本月发出提醒{reminders}次、催办{urges}次、督办单{orders}份，督办单已签收{signed}份。",
        m.due,
        m.on_time,
        rate(m.on_time, m.due),
        written_date(m.as_of),
        m.behind.len()
    )
}

fn overdue(m: &Month) -> Vec<Block> {
    if m.late_by_unit.is_empty() {
        return vec![Block::Paragraph("本月无逾期未办结事项。".into())];
    }
    let mut blocks = Vec::new();
    for (n, (unit, late)) in m.late_by_unit.iter().enumerate() {
        blocks.push(Block::Subheading(format!(
            "（{}）{}（{}项）",
            chinese_number(n + 1),
            if unit.is_empty() {
                "未定单位"
            } else {
                unit
            },
            late.len()
        )));
        blocks.extend(listed(late, "", item));
    }
    blocks
}

fn with_opening(opening: String, mut rest: Vec<Block>) -> Vec<Block> {
    rest.insert(0, Block::Paragraph(opening));
    rest
}

/// `late` numbered 1., 2., … each said by `say`; `none` when there is nothing (and nothing
/// when `none` is empty).
fn listed(late: &[Late], none: &str, say: fn(&Late) -> String) -> Vec<Block> {
    if late.is_empty() {
        return if none.is_empty() {
            Vec::new()
        } else {
            vec![Block::Paragraph(none.into())]
        };
    }
    late.iter()
        .enumerate()
        .map(|(i, l)| Block::Paragraph(format!("{}. {}", i + 1, say(l))))
        .collect()
}

fn item(l: &Late) -> String {
    let progress = l.progress.unwrap_or(0);
    if l.days > 0 {
        format!(
            "{}（{}），责任领导{}，完成时限{}，已逾期{}天，当前进度{progress}%。",
            l.title,
            l.of,
            l.leader,
            written_date(l.due_by),
            l.days
        )
    } else {
        format!(
            "{}（{}），责任领导{}，完成时限{}，当前进度{progress}%，进度滞后。",
            l.title,
            l.of,
            l.leader,
            written_date(l.due_by)
        )
    }
}

fn finding(l: &Late) -> String {
    let of = if l.of.is_empty() {
        String::new()
    } else {
        format!("（{}）", l.of)
    };
    format!(
        "{}{of}，责任领导{}，整改时限{}，已逾期{}天。",
        l.title,
        l.leader,
        written_date(l.due_by),
        l.days
    )
}

fn suggestion(l: &Late) -> String {
    let mut text = l.title.clone();
    if !l.of.is_empty() {
        text.push_str(&format!("，承办单位{}", l.of));
    }
    if !l.leader.is_empty() {
        text.push_str(&format!("，责任领导{}", l.leader));
    }
    format!(
        "{text}，答复期限{}，已逾期{}天。",
        written_date(l.due_by),
        l.days
    )
}

fn praised(m: &Month) -> String {
    let praised: Vec<&str> = m
        .due_by_unit
        .iter()
        .filter(|(name, (due, done))| {
            due == done && !m.late_by_unit.contains_key(*name) && !name.is_empty()
        })
        .map(|(name, _)| name.as_str())
        .collect();
    if praised.is_empty() {
        "本月没有到期事项全部按期办结的单位。".into()
    } else {
        format!(
            "{}本月到期事项全部按期办结，予以通报表扬。",
            praised.join("、")
        )
    }
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
            .map(crate::service::documents::chinese_number)
            .collect();
        assert_eq!(numbers, ["一", "九", "十", "十一", "二十", "三十五", "120"]);
    }
}
