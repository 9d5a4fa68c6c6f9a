//! One row's cells as the reader reads them: text, dates (also as offices word them), whole
//! numbers and the status, each with the problem, in the sheet's words, when it cannot be read.

use chrono::{Datelike, NaiveDate};

use super::columns::excel_serial;
use super::{Field, Problem, Reader, Value, export_name, office_date, one_line, parse_status};
use crate::status::MilestoneStatus;

/// One row's cells being read, with the problems found so far.
pub(super) struct Cells<'a> {
    pub(super) reader: &'a Reader,
    pub(super) row: u32,
    pub(super) cells: &'a [Value],
    pub(super) problems: Vec<Problem>,
    /// How worded cells were read (for the preview).
    pub(super) readings: Vec<String>,
    /// A date cell said 长期 / 持续推进.
    pub(super) long_term: bool,
}

impl Cells<'_> {
    /// The field's column header and value (Empty when the column is absent or the row short).
    pub(super) fn get(&self, field: Field) -> Option<(&str, &Value)> {
        let (_, index, header) = self.reader.columns.iter().find(|(f, _, _)| *f == field)?;
        Some((header, self.cells.get(*index).unwrap_or(&Value::Empty)))
    }

    pub(super) fn header_of(&self, field: Field) -> String {
        self.get(field)
            .map_or_else(|| export_name(field).to_string(), |(h, _)| h.to_string())
    }

    pub(super) fn problem(&mut self, field: Field, reason: String) {
        let column = self.header_of(field);
        self.problems.push(Problem {
            row: self.row,
            column,
            reason,
        });
    }

    pub(super) fn missing(&mut self, field: Field) {
        self.problem(field, "不能为空".into());
    }

    pub(super) fn missing_because(&mut self, field: Field, reason: &str) {
        self.problem(field, reason.into());
    }

    /// The cell as text (numbers as written), if not empty.
    pub(super) fn said(&self, field: Field) -> Option<String> {
        let (_, value) = self.get(field)?;
        (!value.is_empty()).then(|| one_line(&value.shown()))
    }

    pub(super) fn text(
        &mut self,
        field: Field,
        max_chars: usize,
        required: bool,
    ) -> Option<String> {
        let Some(text) = self.said(field) else {
            if required {
                self.missing(field);
            }
            return None;
        };
        match crate::Text::parse("", &text, max_chars) {
            Ok(text) => Some(text.into_string()),
            Err(_) if text.chars().count() > max_chars => {
                self.problem(field, format!("超过{max_chars}个字"));
                None
            }
            Err(_) => {
                self.problem(field, "含有不可见的控制字符".into());
                None
            }
        }
    }

    pub(super) fn date(&mut self, field: Field) -> Option<NaiveDate> {
        let value = self.get(field)?.1.clone();
        let day = match &value {
            Value::Empty => return None,
            Value::Text(text) if text.trim().is_empty() => return None,
            Value::Date(day) => Some(*day),
            Value::Text(text) => match office_date(text, self.reader.year) {
                Some(read) if read.worded => {
                    let long = if read.long_term { "（长期）" } else { "" };
                    self.readings.push(format!(
                        "「{}」→ {}年{}月{}日{long}",
                        text.trim(),
                        read.day.year(),
                        read.day.month(),
                        read.day.day()
                    ));
                    self.long_term |= read.long_term;
                    Some(read.day)
                }
                read => read.map(|r| r.day),
            },
            Value::Number(n) => excel_serial(*n),
        };
        let shown = value.shown();
        match day.map(|d| crate::validate::plausible_date("", d)) {
            Some(Ok(day)) => Some(day),
            Some(Err(_)) => {
                self.problem(field, format!("{shown} 不在2000年至2100年之间"));
                None
            }
            None => {
                self.problem(
                    field,
                    // Words a year would make a date ask for the year; others are no date.
                    match office_date(&shown, Some(2000)).filter(|_| self.reader.year.is_none()) {
                        None => format!("「{shown}」不是日期（可写作 2021-08-31、2021年8月31日、8月底前、年底前、三季度 或 长期）"),
                        Some(_) => format!("「{shown}」不是完整的日期：没有年份时，请在表头上方的标题中写明年份（如“2021年重点工作督办台账”），或导入时选择年份"),
                    },
                );
                None
            }
        }
    }

    pub(super) fn whole(
        &mut self,
        field: Field,
        range: std::ops::RangeInclusive<u32>,
    ) -> Option<u32> {
        let (_, value) = self.get(field)?;
        let number = match value {
            Value::Empty => return None,
            Value::Number(n) => Some(*n),
            Value::Text(text) if text.trim().is_empty() => return None,
            Value::Text(text) => text
                .trim()
                .trim_end_matches(['%', '％'])
                .parse::<f64>()
                .ok(),
            Value::Date(_) => None,
        };
        let shown = value.shown();
        match number {
            Some(n)
                if n.fract() == 0.0
                    && n >= f64::from(*range.start())
                    && n <= f64::from(*range.end()) =>
            {
                Some(n as u32)
            }
            _ => {
                self.problem(
                    field,
                    format!("「{shown}」不是{}到{}的整数", range.start(), range.end()),
                );
                None
            }
        }
    }

    pub(super) fn status(&mut self) -> Option<(MilestoneStatus, bool)> {
        let text = self.said(Field::Status)?;
        let status = parse_status(&text);
        if status.is_none() {
            self.problem(
                Field::Status,
                format!("「{text}」不是节点状态（未开始、推进中、已报办结（待销号）、已核验（待销号）、已销号、已取消）"),
            );
        }
        status
    }
}
