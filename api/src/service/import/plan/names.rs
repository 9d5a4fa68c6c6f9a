//! Each row's project, leader, unit and person: looked up by name among the organisation's
//! records (people and units by their key, without the organisation's place name, spaces and
//! punctuation, or as the presidium mapped the name), or made new by the first row that names
//! them; a name two records share places nothing.

use std::collections::{HashMap, HashSet};

use jiandu_domain::import::{Field, Line, name_key};
use uuid::Uuid;

use super::{Known, NameKind, NewName, Planner};

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
    /// People and units named otherwise than any record is: new, or matched by key or mapping.
    pub(super) new_names: Vec<NewName>,
}

/// A name looked up among the organisation's, or made new by the first row that uses it.
enum Named {
    Found(Uuid),
    New(Uuid),
    Shared(usize),
}

struct Names<'a> {
    /// The place name keys leave out; `None` for projects, matched by their title as written.
    place: Option<&'a str>,
    kind: NameKind,
    known: HashMap<String, Vec<(Uuid, &'a str)>>,
    /// Keys the presidium mapped to a record: (its id, its name).
    mapped: HashMap<String, (Uuid, &'a str)>,
    made: HashMap<String, Uuid>,
    new: Vec<(Uuid, String)>,
    /// Names as written that are not a record's name, once each.
    noted: Vec<NewName>,
    seen: HashSet<String>,
}

impl<'a> Names<'a> {
    fn new(
        known: &'a [(Uuid, String)],
        place: Option<&'a str>,
        kind: NameKind,
        mappings: &HashMap<String, Uuid>,
    ) -> Self {
        let key = |name: &str| place.map_or_else(|| name.to_string(), |p| name_key(name, p));
        let mut by_key: HashMap<String, Vec<(Uuid, &str)>> = HashMap::new();
        for (id, name) in known {
            by_key
                .entry(key(name))
                .or_default()
                .push((*id, name.as_str()));
        }
        // Mapped as written (a name written exactly as a record's is that record).
        let mapped = mappings
            .iter()
            .filter_map(|(written, to)| {
                let record = known.iter().find(|(id, _)| id == to)?;
                Some((written.trim().to_string(), (record.0, record.1.as_str())))
            })
            .collect();
        Names {
            place,
            kind,
            known: by_key,
            mapped,
            made: HashMap::new(),
            new: Vec::new(),
            noted: Vec::new(),
            seen: HashSet::new(),
        }
    }

    fn resolve(&mut self, name: &str) -> Named {
        let key = self
            .place
            .map_or_else(|| name.to_string(), |place| name_key(name, place));
        let known = self.known.get(&key).map_or(&[][..], Vec::as_slice);
        // A name written exactly as one record's is that record, whatever others its key finds;
        // else the record the presidium mapped it to; else the records its key finds.
        let exact: Vec<_> = known.iter().filter(|(_, n)| *n == name).collect();
        if exact.is_empty()
            && let Some(&(id, record)) = self.mapped.get(name.trim())
        {
            self.note(name, Some(record));
            return Named::Found(id);
        }
        match (known, exact.as_slice()) {
            (_, [(id, _)]) | ([(id, _)], []) => {
                let (id, record) = (*id, known.iter().find(|(i, _)| *i == *id).map(|k| k.1));
                self.note(name, record);
                Named::Found(id)
            }
            (_, [_, _, ..]) => Named::Shared(exact.len()),
            ([_, _, ..], []) => Named::Shared(known.len()),
            ([], _) => match self.made.get(&key) {
                Some(id) => Named::Found(*id),
                None => {
                    let id = jiandu_domain::new_id();
                    self.made.insert(key, id);
                    self.new.push((id, name.to_string()));
                    self.note(name, None);
                    Named::New(id)
                }
            },
        }
    }

    /// Notes `name` (once) where it is not the name of the record it is `matched` to.
    fn note(&mut self, name: &str, matched: Option<&str>) {
        if matched == Some(name) || self.place.is_none() || !self.seen.insert(name.to_string()) {
            return;
        }
        self.noted.push(NewName {
            kind: self.kind,
            name: name.to_string(),
            matched_to: matched.map(str::to_string),
        });
    }
}

/// Places every row of `lines` among `known`, noting to `planner` each name it cannot place and
/// each row that adds to a closed project.
pub(super) fn place(lines: &[Line], known: &Known, planner: &mut Planner) -> Placements {
    let place = Some(known.place.as_str());
    let mut people = Names::new(
        &known.people,
        place,
        NameKind::Person,
        &known.mappings.people,
    );
    let mut units = Names::new(&known.units, place, NameKind::Unit, &known.mappings.units);
    let known_projects: Vec<(Uuid, String)> = known
        .projects
        .iter()
        .map(|(id, title, _)| (*id, title.clone()))
        .collect();
    let no_mappings = HashMap::new();
    let mut projects = Names::new(&known_projects, None, NameKind::Unit, &no_mappings);

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

    let mut new_names = people.noted;
    new_names.extend(units.noted);
    Placements {
        rows: placements,
        people: people.new,
        units: units.new,
        projects: projects.new,
        new_names,
    }
}
