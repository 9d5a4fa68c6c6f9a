//! The export's other two sheets placed: each finding under the inspection its project and day
//! name (one already recorded, or one recorded now for the rows that share them), each
//! suggestion by its number; a row already there is left as it is.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use jiandu_domain::import::{
    FINDINGS_SHEET, FindingLine, Problem, SUGGESTIONS_SHEET, SuggestionLine,
};
use uuid::Uuid;

use super::names::{Kind, Registry};
use super::{Known, Plan, Planner, RowPlan};

/// The organisation's inspections, findings and suggestions, as the other sheets match them.
#[derive(Default)]
pub struct KnownRecords {
    /// (id, project, day visited), in the order recorded.
    pub inspections: Vec<(Uuid, Option<Uuid>, NaiveDate)>,
    /// (inspection, description)
    pub findings: HashSet<(Uuid, String)>,
    /// (year, sequence) of every suggestion.
    pub suggestions: HashSet<(i32, i32)>,
}

/// An inspection to record for findings whose project and day no recorded one has.
pub struct NewInspection {
    pub id: Uuid,
    pub project_id: Option<Uuid>,
    pub visited_on: NaiveDate,
}

/// A finding to create from the findings sheet's row `line`.
pub struct NewFinding {
    pub id: Uuid,
    pub line: usize,
    pub inspection_id: Uuid,
    pub project_id: Option<Uuid>,
    pub leader_id: Uuid,
    pub unit_id: Uuid,
}

/// A suggestion to create from the suggestions sheet's row `line`.
pub struct NewSuggestion {
    pub id: Uuid,
    pub line: usize,
    pub lead_deputy_id: Uuid,
    pub unit_id: Option<Uuid>,
    pub leader_id: Option<Uuid>,
}

impl Planner {
    fn on_sheet(&mut self, sheet: &str, row: u32, column: &str, reason: String) {
        self.problems.push(Problem {
            row,
            column: format!("{sheet}：{column}"),
            reason,
        });
    }
}

/// Places the findings sheet's rows: their project (made new when no record or ledger row has
/// it), leader and unit by name, and their inspection by project and day.
pub(super) fn plan_findings(
    lines: &[FindingLine],
    known: &Known,
    registry: &mut Registry,
    planner: &mut Planner,
    plan: &mut Plan,
) {
    let mut inspections: HashMap<(Option<Uuid>, NaiveDate), (Uuid, bool)> = HashMap::new();
    for (id, project, day) in &known.records.inspections {
        inspections.entry((*project, *day)).or_insert((*id, true));
    }
    let mut seen: HashMap<(Uuid, &str), u32> = HashMap::new();
    for (index, line) in lines.iter().enumerate() {
        let mut also = Vec::new();
        let mut name = |kind: Kind, column: &str, name: &str, also: &mut Vec<String>| {
            registry
                .id(kind, name, also)
                .map_err(|why| planner.on_sheet(FINDINGS_SHEET, line.row, column, why))
                .ok()
        };
        let project = match &line.project {
            Some(title) => name(Kind::Project, "项目名称", title, &mut also).map(Some),
            None => Some(None),
        };
        let leader = name(Kind::Leader, "责任领导", &line.leader, &mut also);
        let unit = name(Kind::Unit, "责任单位", &line.unit, &mut also);
        let (Some(project), Some(leader), Some(unit)) = (project, leader, unit) else {
            continue;
        };
        let (inspection, recorded) = *inspections
            .entry((project, line.inspected_on))
            .or_insert_with(|| {
                let id = jiandu_domain::new_id();
                plan.inspections.push(NewInspection {
                    id,
                    project_id: project,
                    visited_on: line.inspected_on,
                });
                (id, false)
            });
        if let Some(first) = seen.insert((inspection, line.description.as_str()), line.row) {
            planner.on_sheet(
                FINDINGS_SHEET,
                line.row,
                "整改事项",
                format!("与第{first}行是同一次检查的同一个整改事项"),
            );
            continue;
        }
        let exists = recorded
            && known.records.findings.contains(&(
                inspection,
                jiandu_domain::import::kept_lines(&line.description),
            ));
        plan.finding_rows.push(RowPlan {
            row: line.row,
            created: !exists,
            also,
        });
        if !exists {
            plan.findings.push(NewFinding {
                id: jiandu_domain::new_id(),
                line: index,
                inspection_id: inspection,
                project_id: project,
                leader_id: leader,
                unit_id: unit,
            });
        }
    }
    // Only inspections some new finding is under are recorded.
    let used: HashSet<Uuid> = plan.findings.iter().map(|f| f.inspection_id).collect();
    plan.inspections.retain(|i| used.contains(&i.id));
}

/// Places the suggestions sheet's rows: a number already the organisation's is that suggestion,
/// left as it is; the deputy, unit and leader by name.
pub(super) fn plan_suggestions(
    lines: &[SuggestionLine],
    known: &Known,
    registry: &mut Registry,
    planner: &mut Planner,
    plan: &mut Plan,
) {
    let mut seen: HashMap<(i32, i32), u32> = HashMap::new();
    for (index, line) in lines.iter().enumerate() {
        if let Some(first) = seen.insert((line.year, line.sequence), line.row) {
            planner.on_sheet(
                SUGGESTIONS_SHEET,
                line.row,
                "编号",
                format!("与第{first}行编号相同"),
            );
            continue;
        }
        if known
            .records
            .suggestions
            .contains(&(line.year, line.sequence))
        {
            plan.suggestion_rows.push(RowPlan {
                row: line.row,
                created: false,
                also: Vec::new(),
            });
            continue;
        }
        let mut also = Vec::new();
        let mut ok = true;
        let mut name = |kind: Kind, column: &str, name: &str| {
            registry
                .id(kind, name, &mut also)
                .map_err(|why| {
                    planner.on_sheet(SUGGESTIONS_SHEET, line.row, column, why);
                    ok = false;
                })
                .ok()
        };
        let deputy = name(Kind::Deputy, "领衔代表", &line.lead_deputy);
        let unit = line
            .unit
            .as_deref()
            .and_then(|u| name(Kind::Unit, "主办单位", u));
        let leader = line
            .leader
            .as_deref()
            .and_then(|l| name(Kind::Leader, "分管领导", l));
        let Some(deputy) = deputy.filter(|_| ok) else {
            continue;
        };
        plan.suggestion_rows.push(RowPlan {
            row: line.row,
            created: true,
            also,
        });
        plan.suggestions.push(NewSuggestion {
            id: jiandu_domain::new_id(),
            line: index,
            lead_deputy_id: deputy,
            unit_id: unit,
            leader_id: leader,
        });
    }
}
