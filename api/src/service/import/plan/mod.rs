//! What an import would do, decided before anything is written: which projects, milestones,
//! people and units each row finds already there and which it creates, and every row that cannot
//! be placed (a name two people share, a parent that is not there or is closed, a tree too deep,
//! the same milestone twice). Pure: the organisation's records come in as [`Known`].

use std::collections::{HashMap, HashSet};

use jiandu_domain::import::{Field, FindingLine, Line, Problem, SuggestionLine, export_name};
use uuid::Uuid;

mod names;
mod records;

use names::{Made, Registry, place};
pub use records::{KnownRecords, NewFinding, NewInspection, NewSuggestion};

/// How deep a milestone tree may grow (as `milestones::MAX_DEPTH`).
const MAX_DEPTH: usize = 4;

/// The importing organisation's records an import is matched against.
#[derive(Default)]
pub struct Known {
    /// The place its name is for (思蒙镇), which people's and units' names may leave out.
    pub place: String,
    /// Names the presidium said are existing records.
    pub mappings: Mappings,
    /// (id, title, closed)
    pub projects: Vec<(Uuid, String, bool)>,
    pub milestones: Vec<KnownMilestone>,
    pub people: Vec<(Uuid, String)>,
    pub units: Vec<(Uuid, String)>,
    /// The inspections, findings and suggestions the other sheets are matched against.
    pub records: KnownRecords,
}

/// Names in a ledger mapped to records of the organisation: as written → the record's id.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Mappings {
    pub people: HashMap<String, Uuid>,
    pub units: HashMap<String, Uuid>,
}

/// Whether a name is a person's or a unit's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    Person,
    Unit,
}

/// A person or unit a ledger names otherwise than any record is: new (`matched_to` empty), or
/// matched to the record named `matched_to` by its key or the presidium's mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewName {
    pub kind: NameKind,
    pub name: String,
    pub matched_to: Option<String>,
}

pub struct KnownMilestone {
    pub id: Uuid,
    pub project_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub title: String,
    pub open: bool,
    pub is_item: bool,
}

/// A milestone to create: from a row, or a parent only named in its children's 上级节点.
pub struct NewNode {
    pub id: Uuid,
    pub project_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub title: String,
    /// The row it comes from; `None` for a parent only named (it takes its first child's leader
    /// and unit, and its latest child's deadline).
    pub line: Option<usize>,
    pub leader_id: Uuid,
    pub unit_id: Uuid,
    pub person_id: Option<Uuid>,
    pub is_item: bool,
    pub depth: usize,
}

/// What one row does.
pub struct RowPlan {
    pub row: u32,
    pub created: bool,
    /// What the row creates besides its milestone, in words ("新建项目「…」").
    pub also: Vec<String>,
}

#[derive(Default)]
pub struct Plan {
    pub people: Vec<(Uuid, String)>,
    pub units: Vec<(Uuid, String)>,
    pub projects: Vec<(Uuid, String)>,
    pub new_names: Vec<NewName>,
    /// Parents before their children.
    pub milestones: Vec<NewNode>,
    /// Milestones already there that get their first children.
    pub new_parents: Vec<Uuid>,
    pub rows: Vec<RowPlan>,
    /// The findings sheet's: inspections to record, findings under them, and each row's plan.
    pub inspections: Vec<NewInspection>,
    pub findings: Vec<NewFinding>,
    pub finding_rows: Vec<RowPlan>,
    /// The suggestions sheet's.
    pub suggestions: Vec<NewSuggestion>,
    pub suggestion_rows: Vec<RowPlan>,
}

/// Where a row's milestone hangs.
#[derive(Clone, Copy)]
enum Parent {
    Top,
    Row(usize),
    Known(Uuid),
    Named(usize),
}

struct Planner {
    problems: Vec<Problem>,
}

impl Planner {
    fn problem(&mut self, line: &Line, field: Field, reason: String) {
        self.problems.push(Problem {
            row: line.row,
            column: export_name(field).to_string(),
            reason,
        });
    }
}

/// Decides what importing the ledger's `lines`, and the `findings` and `suggestions` of the
/// export's other sheets, into an organisation holding `known` does, or every row that cannot be
/// imported and why.
pub fn plan(
    lines: &[Line],
    findings: &[FindingLine],
    suggestions: &[SuggestionLine],
    known: &Known,
) -> Result<Plan, Vec<Problem>> {
    let mut registry = Registry::new(known);
    let ledger = plan_ledger(lines, known, &mut registry);
    let mut records = Planner {
        problems: Vec::new(),
    };
    let mut plan = ledger.unwrap_or_else(|problems| {
        records.problems = problems;
        Plan::default()
    });
    records::plan_findings(findings, known, &mut registry, &mut records, &mut plan);
    records::plan_suggestions(suggestions, known, &mut registry, &mut records, &mut plan);
    if !records.problems.is_empty() {
        return Err(records.problems);
    }
    let Made {
        people,
        units,
        projects,
        new_names,
    } = registry.finish();
    plan.people = people;
    plan.units = units;
    plan.projects = projects;
    plan.new_names = new_names;
    Ok(plan)
}

/// The ledger sheet's part of [`plan`].
fn plan_ledger(
    lines: &[Line],
    known: &Known,
    registry: &mut Registry,
) -> Result<Plan, Vec<Problem>> {
    let mut planner = Planner {
        problems: Vec::new(),
    };
    let placements = place(lines, known, registry, &mut planner);
    let mut plan = Plan::default();

    // The same milestone twice in the file.
    let mut seen: HashMap<(Uuid, &str, Option<&str>), u32> = HashMap::new();
    for (line, placed) in lines.iter().zip(&placements) {
        let Some(placed) = placed else { continue };
        let key = (placed.project, line.title.as_str(), line.parent.as_deref());
        if let Some(first) = seen.insert(key, line.row) {
            planner.problem(line, Field::Title, format!("与第{first}行是同一个节点"));
        }
    }

    // Looked up by id, and by project and title, in the records and in the file.
    let known_by_id: HashMap<Uuid, &KnownMilestone> =
        known.milestones.iter().map(|m| (m.id, m)).collect();
    let mut known_by_title: HashMap<(Uuid, &str), Vec<&KnownMilestone>> = HashMap::new();
    for m in &known.milestones {
        known_by_title
            .entry((m.project_id, m.title.as_str()))
            .or_default()
            .push(m);
    }
    let mut rows_by_title: HashMap<(Uuid, &str), Vec<usize>> = HashMap::new();
    for (index, (line, placed)) in lines.iter().zip(&placements).enumerate() {
        if let Some(placed) = placed {
            rows_by_title
                .entry((placed.project, line.title.as_str()))
                .or_default()
                .push(index);
        }
    }
    let is_known_item = |id: Uuid| known_by_id.get(&id).is_some_and(|m| m.is_item);

    // Where each row hangs: a row of the file with that title in the same project, else a
    // milestone already there, else a parent made from the name.
    let mut named_parents: Vec<(Uuid, String, usize)> = Vec::new(); // (project, title, first child)
    let mut named_at: HashMap<(Uuid, &str), usize> = HashMap::new();
    let mut parents: Vec<Parent> = vec![Parent::Top; lines.len()];
    for (index, line) in lines.iter().enumerate() {
        let (Some(placed), Some(parent)) = (&placements[index], &line.parent) else {
            continue;
        };
        let key = (placed.project, parent.as_str());
        let in_file = rows_by_title.get(&key).map_or(&[][..], Vec::as_slice);
        let already = known_by_title.get(&key).map_or(&[][..], Vec::as_slice);
        parents[index] = match (in_file, already) {
            ([row], _) => Parent::Row(*row),
            ([], [m]) if !m.open => {
                planner.problem(
                    line,
                    Field::Parent,
                    format!("上级节点「{parent}」已办结或取消，不能再添加下级节点"),
                );
                continue;
            }
            ([], [m]) => Parent::Known(m.id),
            ([], []) => Parent::Named(*named_at.entry(key).or_insert_with(|| {
                named_parents.push((placed.project, parent.clone(), index));
                named_parents.len() - 1
            })),
            _ => {
                planner.problem(
                    line,
                    Field::Parent,
                    format!("本项目有多个名为「{parent}」的节点，无法确定是哪一个"),
                );
                continue;
            }
        };
    }
    if !planner.problems.is_empty() {
        return Err(planner.problems);
    }

    // Ids and depths, parents first; a row already there keeps its id and changes nothing.
    let depth_of_known = |mut id: Uuid| {
        let mut depth = 1;
        while let Some(parent) = known_by_id.get(&id).and_then(|m| m.parent_id) {
            depth += 1;
            id = parent;
            if depth > MAX_DEPTH {
                break;
            }
        }
        depth
    };
    let named_ids: Vec<Uuid> = named_parents
        .iter()
        .map(|_| jiandu_domain::new_id())
        .collect();
    // (id, depth, existed) per row, resolved on demand (a row's parent may come after it).
    let mut resolved: Vec<Option<(Uuid, usize, bool)>> = vec![None; lines.len()];
    for start in 0..lines.len() {
        let mut chain = vec![start];
        while let Some(&at) = chain.last() {
            if resolved[at].is_some() {
                chain.pop();
                continue;
            }
            let (parent_id, parent_depth) = match parents[at] {
                Parent::Top => (None, 0),
                Parent::Known(id) => (Some(id), depth_of_known(id)),
                Parent::Named(n) => (Some(named_ids[n]), 1),
                Parent::Row(row) => match resolved[row] {
                    Some((id, depth, _)) => (Some(id), depth),
                    None if chain.contains(&row) || chain.len() > MAX_DEPTH => {
                        let line = &lines[at];
                        planner.problem(line, Field::Parent, "上级节点相互引用，形成了循环".into());
                        return Err(planner.problems);
                    }
                    None => {
                        chain.push(row);
                        continue;
                    }
                },
            };
            let line = &lines[at];
            let existing = placements[at]
                .as_ref()
                .and_then(|p| known_by_title.get(&(p.project, line.title.as_str())))
                .and_then(|same| same.iter().find(|m| m.parent_id == parent_id));
            resolved[at] = Some(match existing {
                Some(m) => (m.id, parent_depth + 1, true),
                None => (jiandu_domain::new_id(), parent_depth + 1, false),
            });
            chain.pop();
        }
    }

    // Rows that get a new child.
    let mut has_new_child = vec![false; lines.len()];
    for (parent, resolved) in parents.iter().zip(&resolved) {
        if let Parent::Row(row) = parent
            && !resolved.is_some_and(|r| r.2)
        {
            has_new_child[*row] = true;
        }
    }
    let mut new_parents = HashSet::new();
    for (index, line) in lines.iter().enumerate() {
        let (Some(placed), Some((id, depth, existed))) = (&placements[index], resolved[index])
        else {
            continue;
        };
        if depth > MAX_DEPTH && !existed {
            planner.problem(line, Field::Parent, format!("节点最多{MAX_DEPTH}层"));
        }
        let has_children = has_new_child[index];
        let mut also = placed.also.clone();
        if let Parent::Named(n) = parents[index]
            && named_parents[n].2 == index
        {
            also.push(format!("新建上级节点「{}」", named_parents[n].1));
        }
        plan.rows.push(RowPlan {
            row: line.row,
            created: !existed,
            also,
        });
        if existed {
            if has_children && is_known_item(id) && new_parents.insert(id) {
                plan.new_parents.push(id);
            }
            continue;
        }
        plan.milestones.push(NewNode {
            id,
            project_id: placed.project,
            parent_id: match parents[index] {
                Parent::Top => None,
                Parent::Known(id) => Some(id),
                Parent::Named(n) => Some(named_ids[n]),
                Parent::Row(row) => resolved[row].map(|r| r.0),
            },
            title: line.title.clone(),
            line: Some(index),
            leader_id: placed.leader,
            unit_id: placed.unit,
            person_id: placed.person,
            is_item: !has_children,
            depth,
        });
        if let Parent::Known(parent) = parents[index]
            && is_known_item(parent)
            && new_parents.insert(parent)
        {
            plan.new_parents.push(parent);
        }
    }
    if !planner.problems.is_empty() {
        return Err(planner.problems);
    }
    for ((project_id, title, first_child), id) in named_parents.into_iter().zip(named_ids) {
        let child = placements[first_child].as_ref();
        plan.milestones.push(NewNode {
            id,
            project_id,
            parent_id: None,
            title,
            line: None,
            leader_id: child.map_or(Uuid::nil(), |c| c.leader),
            unit_id: child.map_or(Uuid::nil(), |c| c.unit),
            person_id: None,
            is_item: false,
            depth: 1,
        });
    }
    plan.milestones.sort_by_key(|node| node.depth);
    Ok(plan)
}
