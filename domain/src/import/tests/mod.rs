//! The import's reading of cells and rows, case by case.

use super::*;
use crate::import::columns::excel_serial;

mod office;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn header(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| n.to_string()).collect()
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

#[test]
fn dates_are_read_as_offices_type_them() {
    for typed in [
        "2021-08-31",
        "2021/8/31",
        "2021.8.31",
        "2021年8月31日",
        "2021 年 8 月 31 日",
        "2021年08月31",
    ] {
        assert_eq!(parse_date_text(typed), Some(day(2021, 8, 31)), "{typed}");
    }
    for wrong in [
        "2021年13月1日",
        "8月31日",
        "2021.8",
        "21.8.31",
        "2021-02-30",
        "明年",
        "",
    ] {
        assert_eq!(parse_date_text(wrong), None, "{wrong}");
    }
    assert_eq!(excel_serial(44439.0), Some(day(2021, 8, 31)));
    assert_eq!(excel_serial(44439.5), None);
    assert_eq!(parse_date_text("20210831"), Some(day(2021, 8, 31)));
    assert_eq!(excel_serial(20210831.0), Some(day(2021, 8, 31)));
    assert_eq!(excel_serial(20211331.0), None);
}

#[test]
fn headers_match_by_name_in_the_exports_words_or_a_variant() {
    assert_eq!(field_of("项目名称"), Some(Field::Project));
    assert_eq!(field_of(" 项 目 "), Some(Field::Project));
    assert_eq!(field_of("督办事项"), Some(Field::Title));
    assert_eq!(field_of("完成\n时限"), Some(Field::Deadline));
    assert_eq!(field_of("进度（%）"), Some(Field::Progress));
    assert_eq!(field_of("*责任单位"), Some(Field::Unit));
    assert_eq!(field_of("序号"), None);
    assert!(Reader::is_header(&header(&["序号", "项目", "督办事项"])));
    assert!(!Reader::is_header(&header(&[
        "2021年西门镇重点项目督办台账"
    ])));
}

#[test]
fn a_header_without_the_needed_columns_names_them() {
    let Err(problems) = Reader::new(2, &header(&["项目", "节点", "责任领导"])) else {
        panic!("a header without unit and deadline was accepted");
    };
    let columns: Vec<&str> = problems.iter().map(|p| p.column.as_str()).collect();
    assert_eq!(columns, ["责任单位", "当前期限"]);
    assert!(problems.iter().all(|p| p.row == 2));
    let Err(problems) = Reader::new(
        1,
        &header(&["项目", "节点", "责任领导", "责任单位", "期限", "完成时限"]),
    ) else {
        panic!("two deadline columns were accepted");
    };
    assert_eq!(problems[0].column, "完成时限");
}

#[test]
fn a_row_in_a_variant_layout_is_read_by_column_name_not_position() {
    let reader = Reader::new(
        1,
        &header(&[
            "完成时限",
            "责任单位",
            "督办事项",
            "序号",
            "项目",
            "责任领导",
        ]),
    )
    .unwrap();
    let line = reader
        .line(
            4,
            &[
                text("2021年8月31日"),
                text("镇建设办"),
                text("桥面\n铺装"),
                Value::Number(3.0),
                text("廊桥"),
                text("陈刚"),
            ],
            day(2021, 9, 1),
        )
        .unwrap();
    assert_eq!(line.project, "廊桥");
    assert_eq!(line.title, "桥面铺装");
    assert_eq!(line.unit, "镇建设办");
    assert_eq!(line.leader, "陈刚");
    assert_eq!(line.deadline, day(2021, 8, 31));
    assert_eq!(line.original_deadline, day(2021, 8, 31));
    assert_eq!(
        (line.status, line.progress, line.times_rescheduled),
        (MilestoneStatus::NotStarted, None, 0)
    );
}

#[test]
fn every_bad_cell_of_a_row_is_named_with_its_column() {
    let reader = Reader::new(
        1,
        &header(&[
            "项目名称",
            "节点",
            "责任领导",
            "责任单位",
            "当前期限",
            "进度(%)",
            "状态",
        ]),
    )
    .unwrap();
    let problems = reader
        .line(
            7,
            &[
                text("廊桥"),
                Value::Empty,
                text("陈刚"),
                text("建设办"),
                text("2021年13月1日"),
                Value::Number(120.0),
                text("差不多了"),
            ],
            day(2021, 9, 1),
        )
        .unwrap_err();
    let columns: Vec<&str> = problems.iter().map(|p| p.column.as_str()).collect();
    assert_eq!(columns, ["节点", "当前期限", "状态", "进度(%)"]);
    assert!(problems.iter().all(|p| p.row == 7));
    assert_eq!(problems[0].to_string(), "第7行「节点」：不能为空");
    assert!(
        problems[1].reason.contains("2021年13月1日"),
        "{}",
        problems[1].reason
    );
}

#[test]
fn the_exports_state_columns_are_read_back() {
    let reader = Reader::new(
        1,
        &header(&[
            "项目名称",
            "节点",
            "上级节点",
            "责任领导",
            "责任单位",
            "原定期限",
            "当前期限",
            "调整次数",
            "状态",
            "完成日期",
            "期限状态",
            "逾期天数",
            "进度(%)",
            "最新进展",
        ]),
    )
    .unwrap();
    let line = reader
        .line(
            3,
            &[
                text("廊桥"),
                text("桥面铺装"),
                text("主体工程"),
                text("陈刚"),
                text("建设办"),
                Value::Date(day(2021, 6, 30)),
                Value::Date(day(2021, 8, 31)),
                Value::Number(2.0),
                text("已报办结（待销号，补报）"),
                Value::Date(day(2021, 9, 3)),
                text("逾期完成"),
                Value::Number(5.0),
                Value::Number(100.0),
                text("已完工"),
            ],
            day(2021, 9, 10),
        )
        .unwrap();
    assert_eq!(line.parent.as_deref(), Some("主体工程"));
    assert_eq!(
        (
            line.original_deadline,
            line.deadline,
            line.times_rescheduled
        ),
        (day(2021, 6, 30), day(2021, 8, 31), 2)
    );
    assert_eq!((line.status, line.backdated), (MilestoneStatus::Done, true));
    assert_eq!(line.completed_on, Some(day(2021, 9, 3)));
    // Done five days late: on time meant by 2021-08-29 (the deadline was moved after that).
    assert_eq!(line.on_time_deadline, day(2021, 8, 29));
    assert_eq!(
        (line.progress, line.note.as_deref()),
        (Some(100), Some("已完工"))
    );
}

#[test]
fn a_completion_needs_a_finished_status_and_a_past_day() {
    let reader = Reader::new(
        1,
        &header(&[
            "项目",
            "节点",
            "责任领导",
            "责任单位",
            "期限",
            "状态",
            "完成日期",
        ]),
    )
    .unwrap();
    let row = |status: &str, done: Value| {
        reader.line(
            2,
            &[
                text("廊桥"),
                text("验收"),
                text("陈刚"),
                text("建设办"),
                text("2021.8.31"),
                text(status),
                done,
            ],
            day(2021, 9, 1),
        )
    };
    assert_eq!(
        row("已销号", Value::Empty).unwrap_err()[0].column,
        "完成日期"
    );
    assert_eq!(
        row("推进中", text("2021.8.20")).unwrap_err()[0].column,
        "完成日期"
    );
    assert!(
        row("已销号", text("2021.9.2")).unwrap_err()[0]
            .reason
            .contains("还没有到")
    );
    let done = row("", text("2021.8.20")).unwrap();
    assert_eq!(
        (done.status, done.completed_on),
        (MilestoneStatus::Closed, Some(day(2021, 8, 20)))
    );
    assert_eq!(
        row("已完成", text("2021.8.20")).unwrap().status,
        MilestoneStatus::Closed
    );
}

#[test]
fn statuses_are_read_in_the_exports_words_and_plain_ones() {
    for &status in MilestoneStatus::ALL {
        assert_eq!(parse_status(status.label()), Some((status, false)));
    }
    assert_eq!(
        parse_status("已销号（补报）"),
        Some((MilestoneStatus::Closed, true))
    );
    assert_eq!(
        parse_status("进行中"),
        Some((MilestoneStatus::InProgress, false))
    );
    assert_eq!(parse_status("好"), None);
}

#[test]
fn a_line_break_inside_a_cell_joins_chinese_and_spaces_latin() {
    assert_eq!(one_line(" 桥面\n铺装 "), "桥面铺装");
    assert_eq!(one_line("LED\nlights"), "LED lights");
    assert_eq!(one_line("路灯\r\n100 盏"), "路灯 100 盏");
}

#[test]
fn a_parent_only_named_is_finished_when_all_its_children_are() {
    use MilestoneStatus::*;
    let on = |d: u32| Some(day(2021, 8, d));
    assert_eq!(
        parent_state(&[(Closed, on(3)), (InProgress, None)]),
        (NotStarted, None)
    );
    assert_eq!(
        parent_state(&[(Closed, on(3)), (Done, on(9)), (Cancelled, None)]),
        (Done, on(9))
    );
    assert_eq!(
        parent_state(&[(Closed, on(3)), (Closed, on(1))]),
        (Closed, on(3))
    );
    assert_eq!(
        parent_state(&[(Cancelled, None), (Cancelled, None)]),
        (Cancelled, None)
    );
    assert_eq!(parent_state(&[]), (NotStarted, None));
}
