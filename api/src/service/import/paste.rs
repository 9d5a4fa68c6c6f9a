//! 批量添加节点: rows copied from Excel or WPS and pasted into a project (docs/import.md) — tab
//! between cells (节点, 上级节点, 责任领导, 责任单位, 期限, or the columns a header row names),
//! read with the same words, dates and names as an imported ledger and added in one command,
//! all or nothing.

use chrono::Datelike;
use jiandu_domain::import::{Field, Problem, Value, field_of};
use jiandu_domain::{Reason, field};
use uuid::Uuid;

use super::workbook::Sheet;
use super::{Failure, Mappings, RowOutcome, answer, known, plan, write};
use crate::entity::project;
use crate::error::AppError;
use crate::service::kernel::command::Command;
use crate::service::milestones;
use crate::service::views::MilestoneView;
use crate::service::{Actor, Ctx};

/// Rows one paste may add: a project's plan, not a county's ledger (import that as a file).
pub const MAX_PASTED_ROWS: usize = 500;

/// The columns of rows pasted without a header row of their own.
const COLUMNS: [&str; 5] = ["节点", "上级节点", "责任领导", "责任单位", "期限"];

/// What a paste added, or with `dry_run` would add.
pub struct MilestoneBatch {
    pub dry_run: bool,
    /// The milestones made, parents first (none for a dry run).
    pub created: Vec<MilestoneView>,
    pub rows: Vec<RowOutcome>,
}

/// Adds the milestones `text` (rows pasted from a spreadsheet) describes to the project
/// `project_id`; the presidium of its organisation only.
pub async fn add_milestones(
    ctx: &Ctx,
    actor: &Actor,
    project_id: Uuid,
    text: &str,
    dry_run: bool,
) -> Result<MilestoneBatch, Failure> {
    let mut cmd = Command::begin(ctx, actor).await?;
    let project = actor
        .readable()
        .find::<project::Entity>(cmd.db(), project_id)
        .await?;
    let organization = project.organization_id;
    actor
        .access
        .check_manage(organization, "this project's milestones")
        .map_err(AppError::from)?;
    if project.status.0.is_closed() {
        let closed = AppError::invalid(
            field::PROJECT_ID,
            Reason::WrongState,
            "the project is closed",
        );
        return Err(closed.into());
    }
    let sheet = sheet_of(text, &project.title)?;
    let today = actor.today_in(organization, ctx.now(), None);
    // A plan pasted today: 年底前, 三季度, 8月31日 are this year's.
    let lines = answer::Lines {
        ledger: answer::lines_of(&sheet, Some(today.year()), today)?,
        ..answer::Lines::default()
    };
    // Only this project's milestones are looked among: every row is the project's.
    let mut known = known(&cmd, organization, &Mappings::default()).await?;
    known.projects.retain(|(id, _, _)| *id == project_id);
    known.milestones.retain(|m| m.project_id == project_id);
    let plan = plan::plan(&lines.ledger, &[], &[], &known).map_err(Failure::Rows)?;
    if !plan.projects.is_empty() {
        // Every row names this project; one it does not find is a project it must not make.
        let unmatched = AppError::invalid(
            field::PROJECT_ID,
            Reason::WrongState,
            "the project's title could not be matched; add the milestones one by one",
        );
        return Err(unmatched.into());
    }
    let done = answer::outcome(&lines, &plan, today, dry_run);
    if dry_run {
        return Ok(MilestoneBatch {
            dry_run,
            created: Vec::new(),
            rows: done.rows,
        });
    }
    let ids: Vec<Uuid> = plan.milestones.iter().map(|m| m.id).collect();
    let zone = actor.zone_of(organization);
    write::write(
        &mut cmd,
        actor,
        organization,
        zone,
        &lines.ledger,
        &plan,
        today,
    )
    .await?;
    cmd.finish(()).await?;
    let mut created = milestones::milestones_by_ids(ctx, actor, &ids).await?;
    created.sort_by_key(|m| ids.iter().position(|id| *id == m.id));
    Ok(MilestoneBatch {
        dry_run,
        created,
        rows: done.rows,
    })
}

/// The pasted rows as a sheet of the project titled `project`: a first row of headers read as
/// such (a project column in it is set aside: every row is this project's), else the columns of
/// [`COLUMNS`]; rows numbered as pasted, blank ones skipped.
fn sheet_of(text: &str, project: &str) -> Result<Sheet, Failure> {
    let mut rows = rows_of(text);
    rows.retain(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
    let headed = rows.first().is_some_and(|(_, cells)| {
        let named = cells.iter().filter(|c| field_of(c).is_some()).count();
        named * 2 > cells.iter().filter(|c| !c.trim().is_empty()).count()
    });
    let (header_row, header) = if headed {
        let (row, cells) = rows.remove(0);
        (row, cells)
    } else {
        (0, COLUMNS.iter().map(|c| (*c).to_string()).collect())
    };
    if rows.is_empty() {
        let none = AppError::required(field::ROWS, "paste the rows copied from the spreadsheet");
        return Err(none.into());
    }
    if rows.len() > MAX_PASTED_ROWS {
        return Err(AppError::invalid(
            field::ROWS,
            Reason::TooMany {
                max: MAX_PASTED_ROWS,
            },
            format!("at most {MAX_PASTED_ROWS} rows at once; import a longer plan as a ledger"),
        )
        .into());
    }
    // A project column may stay in the rows copied; each must name this project.
    let mut others: Vec<Problem> = Vec::new();
    for (c, column) in header.iter().enumerate() {
        if field_of(column) != Some(Field::Project) {
            continue;
        }
        for (row, cells) in &rows {
            let named = cells.get(c).map_or("", |v| v.trim());
            if !named.is_empty() && named != project {
                others.push(Problem {
                    row: *row,
                    column: column.trim().to_string(),
                    reason: format!("「{named}」不是本项目（{project}），请只粘贴本项目的行"),
                });
            }
        }
    }
    if !others.is_empty() {
        return Err(Failure::Rows(others));
    }
    let kept: Vec<usize> = (0..header.len())
        .filter(|&c| field_of(&header[c]) != Some(Field::Project))
        .collect();
    let mut columns = vec!["项目名称".to_string()];
    columns.extend(kept.iter().map(|&c| header[c].clone()));
    let rows = rows
        .into_iter()
        .map(|(row, cells)| {
            let mut values = vec![Value::Text(project.to_string())];
            values.extend(kept.iter().map(|&c| match cells.get(c).map(|v| v.trim()) {
                None | Some("") => Value::Empty,
                Some(text) => Value::Text(text.to_string()),
            }));
            (row, values)
        })
        .collect();
    Ok(Sheet {
        year: None,
        header_row,
        header: columns,
        rows,
    })
}

/// Rows of cells as Excel and WPS put them on the clipboard, each with its number (from 1): a
/// tab between cells, a line break between rows, and a cell holding either (or a quote) in
/// quotes, a quote in it doubled. A cell that only begins with a quote ("两违"整治) is text.
fn rows_of(text: &str) -> Vec<(u32, Vec<String>)> {
    let chars: Vec<char> = text.chars().collect();
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut at = 0;
    while at < chars.len() {
        let c = chars[at];
        let starts_cell = at == 0 || matches!(chars[at - 1], '\t' | '\n');
        if c == '"'
            && starts_cell
            && let Some(end) = closing_quote(&chars, at + 1)
        {
            cell.extend(chars[at + 1..end].iter());
            cell = cell.replace("\"\"", "\"");
            at = end + 1;
            continue;
        }
        match c {
            '\t' => row.push(std::mem::take(&mut cell)),
            '\r' => {}
            '\n' => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            _ => cell.push(c),
        }
        at += 1;
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    (1..).zip(rows).collect()
}

/// Where a quoted cell opened just before `from` closes: a quote not doubled, followed by a
/// tab, a line break or the end; `None` when there is none (the quote was text).
fn closing_quote(chars: &[char], from: usize) -> Option<usize> {
    let mut at = from;
    while at < chars.len() {
        if chars[at] == '"' {
            if chars.get(at + 1) == Some(&'"') {
                at += 2;
                continue;
            }
            return matches!(chars.get(at + 1), None | Some('\t' | '\n' | '\r')).then_some(at);
        }
        at += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_read_as_a_spreadsheet_copies_them() {
        let text = "桥面铺装\t主体工程\t李明\t村建办\t2027-06-30\r\n\
                    \"廊亭\n彩绘\"\t\t李明\t村建办\t年底前\r\n\
                    \r\n\
                    \"说\"\"明\"\"\"\t\t\t\t";
        let rows = rows_of(text);
        assert_eq!(rows.len(), 4);
        assert_eq!(
            rows[0].1,
            ["桥面铺装", "主体工程", "李明", "村建办", "2027-06-30"]
        );
        assert_eq!(rows[1].1[0], "廊亭\n彩绘");
        assert_eq!(rows[1].1[4], "年底前");
        assert_eq!(rows[2], (3, vec![String::new()]));
        assert_eq!(rows[3].1[0], "说\"明\"");
        // A cell that only begins with a quote, and a quote never closed, are text.
        let rows = rows_of("\"两违\"整治\t李明\n\"未完\t陈刚\n");
        assert_eq!(rows[0].1, ["\"两违\"整治", "李明"]);
        assert_eq!(rows[1].1, ["\"未完", "陈刚"]);
    }

    #[test]
    fn a_header_row_names_the_columns_and_a_project_column_is_set_aside() {
        let text = "项目名称\t期限\t节点\t责任单位\t责任领导\n风雨桥\t2027-06-30\t桥面铺装\t村建办\t李明\n";
        let sheet = sheet_of(text, "风雨桥").unwrap_or_else(|_| panic!("read"));
        assert_eq!(
            sheet.header,
            ["项目名称", "期限", "节点", "责任单位", "责任领导"]
        );
        assert_eq!(sheet.header_row, 1);
        assert_eq!(sheet.rows.len(), 1);
        assert_eq!(sheet.rows[0].0, 2);
        assert_eq!(sheet.rows[0].1[0], Value::Text("风雨桥".into()));
        assert_eq!(sheet.rows[0].1[1], Value::Text("2027-06-30".into()));

        let other = text.replace("\n风雨桥", "\n另一个项目");
        match sheet_of(&other, "风雨桥") {
            Err(Failure::Rows(problems)) => {
                assert_eq!(
                    (problems[0].row, problems[0].column.as_str()),
                    (2, "项目名称")
                );
            }
            _ => panic!("a row of another project is refused"),
        }
        let plain = sheet_of("桥面铺装\t\t李明\t村建办\t2027-06-30", "风雨桥")
            .unwrap_or_else(|_| panic!("read"));
        assert_eq!(plain.header[1..], COLUMNS.map(String::from));
        assert_eq!(plain.rows[0].1[2], Value::Empty, "no parent");
        assert!(sheet_of("\n\t\n", "风雨桥").is_err());
    }
}
