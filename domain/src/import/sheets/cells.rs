//! One row of the export's other sheets being read: text, dates, whole numbers and choices of
//! a label, each with the problem, in the sheet's words, when it cannot be read.

use chrono::NaiveDate;

use super::Table;
use crate::Text;
use crate::import::columns::excel_serial;
use crate::import::{Problem, Value, one_line, parse_date_text};
use crate::report::Label;

/// One row's cells being read, with the problems found so far.
pub(super) struct Cells<'a> {
    pub(super) table: &'a Table,
    pub(super) row: u32,
    pub(super) cells: &'a [Value],
    pub(super) problems: Vec<Problem>,
}

impl Cells<'_> {
    pub(super) fn value(&self, column: &str) -> &Value {
        self.table
            .columns
            .iter()
            .find(|(name, _)| *name == column)
            .and_then(|(_, at)| *at)
            .and_then(|at| self.cells.get(at))
            .unwrap_or(&Value::Empty)
    }

    pub(super) fn problem(&mut self, column: &str, reason: String) {
        self.problems.push(Problem {
            row: self.row,
            column: format!("{}：{column}", self.table.sheet),
            reason,
        });
    }

    pub(super) fn said(&self, column: &str) -> Option<String> {
        let value = self.value(column);
        (!value.is_empty()).then(|| one_line(&value.shown()))
    }

    pub(super) fn text(&mut self, column: &str, max_chars: usize) -> Option<String> {
        let text = self.said(column)?;
        match Text::parse("", &text, max_chars) {
            Ok(text) => Some(text.into_string()),
            Err(_) if text.chars().count() > max_chars => {
                self.problem(column, format!("超过{max_chars}个字"));
                None
            }
            Err(_) => {
                self.problem(column, "含有不可见的控制字符".into());
                None
            }
        }
    }

    /// A long text cell as written, its line breaks kept (a finding's words, its
    /// rectification): trimmed, `\r\n` read as `\n`.
    pub(super) fn long_text(&mut self, column: &str, max_chars: usize) -> Option<String> {
        let value = self.value(column).clone();
        if value.is_empty() {
            return None;
        }
        let text = kept_lines(&value.shown());
        match Text::parse("", &text, max_chars) {
            Ok(text) => Some(text.into_string()),
            Err(_) if text.chars().count() > max_chars => {
                self.problem(column, format!("超过{max_chars}个字"));
                None
            }
            Err(_) => {
                self.problem(column, "含有不可见的控制字符".into());
                None
            }
        }
    }

    pub(super) fn required_text(&mut self, column: &str, max_chars: usize) -> Option<String> {
        let text = self.text(column, max_chars);
        if text.is_none() && self.said(column).is_none() {
            self.problem(column, "不能为空".into());
        }
        text
    }

    pub(super) fn date(&mut self, column: &str, required: bool) -> Option<NaiveDate> {
        let value = self.value(column).clone();
        let day = match &value {
            value if value.is_empty() => {
                if required {
                    self.problem(column, "不能为空".into());
                }
                return None;
            }
            Value::Date(day) => Some(*day),
            Value::Text(text) => parse_date_text(text),
            Value::Number(n) => excel_serial(*n),
            Value::Empty => None,
        };
        match day.map(|d| crate::validate::plausible_date("", d)) {
            Some(Ok(day)) => Some(day),
            Some(Err(_)) => {
                let shown = value.shown();
                self.problem(column, format!("{shown} 不在2000年至2100年之间"));
                None
            }
            None => {
                let shown = value.shown();
                self.problem(
                    column,
                    format!("「{shown}」不是日期（可写作 2021-08-31 或 2021年8月31日）"),
                );
                None
            }
        }
    }

    pub(super) fn whole(&mut self, column: &str, most: u32) -> Option<u32> {
        let value = self.value(column);
        let number = match value {
            value if value.is_empty() => return None,
            Value::Number(n) => Some(*n),
            Value::Text(text) => text.trim().parse::<f64>().ok(),
            _ => None,
        };
        match number {
            Some(n) if n.fract() == 0.0 && (0.0..=f64::from(most)).contains(&n) => Some(n as u32),
            _ => {
                let shown = value.shown();
                self.problem(column, format!("「{shown}」不是0到{most}的整数"));
                None
            }
        }
    }

    pub(super) fn choice<T: Label + Copy>(
        &mut self,
        column: &str,
        all: &[T],
        words: &str,
    ) -> Option<T> {
        let Some(said) = self.said(column) else {
            self.problem(column, "不能为空".into());
            return None;
        };
        let found = all.iter().copied().find(|s| s.label() == said);
        if found.is_none() {
            self.problem(column, format!("「{said}」不是可用的状态（{words}）"));
        }
        found
    }
}

/// Text with its line breaks as `\n` and no space around it: how a finding's words are compared.
pub fn kept_lines(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim()
        .to_string()
}
