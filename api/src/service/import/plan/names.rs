//! Each row's project, leader, unit and person: looked up by name among the organisation's
//! records, or made new by the first row that names them; a name two records share places
//! nothing.

use std::collections::HashMap;

use jiandu_domain::import::{Field, Line};
use uuid::Uuid;

use super::{Known, Planner};

/// A row's project, leader, unit and person, and what it creates besides its milestone.
pub(super) struct Placed {
    pub(super) project: Uuid,
    pub(super) leader: Uuid,
    pub(super) unit: Uuid,
    pub(super) person: Option<Uuid>,
    pub(super) also: Vec<String>,
}

/// Each row's placing (`None` where a name could not be placed), and the people, units and
/// projects the rows make new.
pub(super) struct Placements {
    pub(super) rows: Vec<Option<Placed>>,
    pub(super) people: Vec<(Uuid, String)>,
    pub(super) units: Vec<(Uuid, String)>,
    pub(super) projects: Vec<(Uuid, String)>,
}

/// A name looked up among the organisation's, or made new by the first row that uses it.
enum Named {
    Found(Uuid),
    New(Uuid),
    Shared(usize),
}

struct Names<'a> {
    known: HashMap<&'a str, Vec<Uuid>>,
    made: HashMap<String, Uuid>,
    new: Vec<(Uuid, String)>,
}

impl<'a> Names<'a> {
    fn new(known: &'a [(Uuid, String)]) -> Self {
        let mut by_name: HashMap<&str, Vec<Uuid>> = HashMap::new();
        for (id, name) in known {
            by_name.entry(name.as_str()).or_default().push(*id);
        }
        Names {
            known: by_name,
            made: HashMap::new(),
            new: Vec::new(),
        }
    }

    fn resolve(&mut self, name: &str) -> Named {
        match self.known.get(name).map(Vec::as_slice) {
            Some([id]) => Named::Found(*id),
            Some(ids) if ids.len() > 1 => Named::Shared(ids.len()),
            _ => match self.made.get(name) {
                Some(id) => Named::Found(*id),
                None => {
                    let id = jiandu_domain::new_id();
                    self.made.insert(name.to_string(), id);
                    self.new.push((id, name.to_string()));
                    Named::New(id)
                }
            },
        }
    }
}

/// Places every row of `lines` among `known`, noting to `planner` each name it cannot place and
/// each row that adds to a closed project.
pub(super) fn place(lines: &[Line], known: &Known, planner: &mut Planner) -> Placements {
    let mut people = Names::new(&known.people);
    let mut units = Names::new(&known.units);
    let known_projects: Vec<(Uuid, String)> = known
        .projects
        .iter()
        .map(|(id, title, _)| (*id, title.clone()))
        .collect();
    let mut projects = Names::new(&known_projects);

    let mut placements: Vec<Option<Placed>> = Vec::with_capacity(lines.len());
    for line in lines {
        let mut also = Vec::new();
        let mut ok = true;
        let mut name =
            |names: &mut Names, field: Field, name: &str, what: &str| match names.resolve(name) {
                Named::Found(id) => Some(id),
                Named::New(id) => {
                    also.push(format!("新建{what}「{name}」"));
                    Some(id)
                }
                Named::Shared(n) => {
                    planner.problem(
                        line,
                        field,
                        format!("本单位有{n}个名为「{name}」的{what}，无法确定是哪一个"),
                    );
                    ok = false;
                    None
                }
            };
        let project = name(&mut projects, Field::Project, &line.project, "项目");
        let leader = name(&mut people, Field::Leader, &line.leader, "责任领导");
        let unit = name(&mut units, Field::Unit, &line.unit, "责任单位");
        let person = line
            .person
            .as_deref()
            .map(|p| name(&mut people, Field::Person, p, "具体责任人"));
        if let Some(id) = project
            && known
                .projects
                .iter()
                .any(|(p, _, closed)| *p == id && *closed)
        {
            planner.problem(
                line,
                Field::Project,
                format!("项目「{}」已结束，不能再添加节点", line.project),
            );
            ok = false;
        }
        placements.push(match (ok, project, leader, unit, person) {
            (true, Some(project), Some(leader), Some(unit), None) => Some(Placed {
                project,
                leader,
                unit,
                person: None,
                also,
            }),
            (true, Some(project), Some(leader), Some(unit), Some(Some(person))) => Some(Placed {
                project,
                leader,
                unit,
                person: Some(person),
                also,
            }),
            _ => None,
        });
    }

    Placements {
        rows: placements,
        people: people.new,
        units: units.new,
        projects: projects.new,
    }
}
