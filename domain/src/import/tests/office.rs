//! A row as an office writes it: its own headers, deadlines and states in words.

use super::{day, header, text};
use crate::import::*;
use crate::status::MilestoneStatus;

#[test]
fn an_offices_own_words_are_read_and_said_back() {
    let reader = Reader::new(
        3,
        &header(&[
            "序号",
            "重点工作",
            "目标任务",
            "牵头领导",
            "承办单位",
            "时间节点",
            "进展情况",
            "备注",
        ]),
    )
    .unwrap()
    .in_year(Some(2021));
    let today = day(2026, 12, 7);
    let row = |deadline: &str, progress: &str| {
        vec![
            text("1"),
            text("湿地公园风雨桥"),
            text("桥体建设"),
            text("李明"),
            text("社会事务办"),
            text(deadline),
            text(progress),
            text("无"),
        ]
    };
    let line = reader.line(4, &row("8月底前", "正在推进"), today).unwrap();
    assert_eq!(line.deadline, day(2021, 8, 31));
    assert_eq!(line.status, MilestoneStatus::InProgress);
    assert_eq!(line.readings, ["「8月底前」→ 2021年8月31日"]);
    assert_eq!(
        line.note.as_deref(),
        Some("正在推进"),
        "the words kept as a note"
    );

    let line = reader.line(5, &row("长期坚持", ""), today).unwrap();
    assert_eq!(line.deadline, day(2021, 12, 31));
    assert!(line.long_term);
    assert_eq!(line.status, MilestoneStatus::NotStarted);

    let done = reader
        .line(6, &row("三季度", "已完工待验收"), today)
        .unwrap();
    assert_eq!(done.deadline, day(2021, 9, 30));
    assert_eq!(
        done.status,
        MilestoneStatus::Done,
        "reported done, to be signed off"
    );
    assert_eq!(done.completed_on, Some(day(2021, 9, 30)), "on its deadline");
    assert!(done.backdated, "补录");
    assert_eq!(done.progress, Some(100));

    let share = reader
        .line(7, &row("年底前", "完成投资的60%"), today)
        .unwrap();
    assert_eq!(share.deadline, day(2021, 12, 31));
    assert_eq!(share.status, MilestoneStatus::InProgress);
    assert_eq!(share.progress, Some(60));

    // Due later than today and said done: done today, not on a day still to come.
    let early = reader
        .line(8, &row("2027年6月底", "已完成"), today)
        .unwrap();
    assert_eq!(early.completed_on, Some(today));
}

#[test]
fn a_date_without_a_year_asks_for_one() {
    let reader = Reader::new(
        1,
        &header(&["项目", "督办事项", "责任领导", "责任单位", "完成时限"]),
    )
    .unwrap();
    let cells = [
        text("风雨桥"),
        text("桥体建设"),
        text("李明"),
        text("村建办"),
        text("年底前"),
    ];
    let problems = reader.line(2, &cells, day(2026, 12, 7)).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].reason.contains("年份"),
        "{}",
        problems[0].reason
    );
}
