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
        known: impl Iterator<Item = (Uuid, &'a str)>,
        place: Option<&'a str>,
        kind: NameKind,
        mappings: &HashMap<String, Uuid>,
    ) -> Self {
        let known: Vec<(Uuid, &'a str)> = known.collect();
        let key = |name: &str| place.map_or_else(|| name.to_string(), |p| name_key(name, p));
        let mut by_key: HashMap<String, Vec<(Uuid, &str)>> = HashMap::new();
        for (id, name) in &known {
            by_key.entry(key(name)).or_default().push((*id, *name));
        }
        // Mapped as written (a name written exactly as a record's is that record).
        let mapped = mappings
            .iter()
            .filter_map(|(written, to)| {
                let record = known.iter().find(|(id, _)| id == to)?;
                Some((written.trim().to_string(), *record))
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

/// The organisation's people, units and projects by name, and those the import makes new: shared
/// by every sheet, so that a leader new in one sheet is the same person in the next.
pub(super) struct Registry<'a> {
    people: Names<'a>,
    units: Names<'a>,
    projects: Names<'a>,
}

/// What a registry made new, once every sheet is placed.
pub(super) struct Made {
    pub(super) people: Vec<(Uuid, String)>,
    pub(super) units: Vec<(Uuid, String)>,
    pub(super) projects: Vec<(Uuid, String)>,
    /// People and units named otherwise than any record is: new, or matched by key or mapping.
    pub(super) new_names: Vec<NewName>,
}

impl<'a> Registry<'a> {
    pub(super) fn new(known: &'a Known) -> Self {
        let place = Some(known.place.as_str());
        let records = |list: &'a [(Uuid, String)]| list.iter().map(|(id, n)| (*id, n.as_str()));
        Registry {
            people: Names::new(
                records(&known.people),
                place,
                NameKind::Person,
                &known.mappings.people,
            ),
            units: Names::new(
                records(&known.units),
                place,
                NameKind::Unit,
                &known.mappings.units,
            ),
            projects: Names::new(
                known.projects.iter().map(|(id, n, _)| (*id, n.as_str())),
                None,
                NameKind::Unit,
                &HashMap::new(),
            ),
        }
    }

    pub(super) fn finish(self) -> Made {
        let mut new_names = self.people.noted;
        new_names.extend(self.units.noted);
        Made {
            people: self.people.new,
            units: self.units.new,
            projects: self.projects.new,
            new_names,
        }
    }

    /// The record `name` names among `kind`'s (made new by the first row naming it, which
    /// then says so in `also`), or `None` when two records share it.
    pub(super) fn id(
        &mut self,
        kind: Kind,
        name: &str,
        also: &mut Vec<String>,
    ) -> Result<Uuid, String> {
        let (names, what) = match kind {
            Kind::Project => (&mut self.projects, "项目"),
            Kind::Leader => (&mut self.people, "责任领导"),
            Kind::Person => (&mut self.people, "具体责任人"),
            Kind::Deputy => (&mut self.people, "代表"),
            Kind::Unit => (&mut self.units, "责任单位"),
        };
        match names.resolve(name) {
            Named::Found(id) => Ok(id),
            Named::New(id) => {
                also.push(format!("新建{what}「{name}」"));
                Ok(id)
            }
            Named::Shared(n) => Err(format!(
                "本单位有{n}个名为「{name}」的{what}，无法确定是哪一个"
            )),
        }
    }
}

/// What a name in a row is.
#[derive(Clone, Copy)]
pub(super) enum Kind {
    Project,
    Leader,
    Person,
    Deputy,
    Unit,
}

/// Places every row of `lines` among the registry's, noting to `planner` each name it cannot
/// place and each row that adds to a closed project.
pub(super) fn place(
    lines: &[Line],
    known: &Known,
    registry: &mut Registry,
    planner: &mut Planner,
) -> Vec<Option<Placed>> {
    let mut placements: Vec<Option<Placed>> = Vec::with_capacity(lines.len());
    for line in lines {
        let mut also = Vec::new();
        let mut ok = true;
        let mut name = |kind: Kind, field: Field, name: &str| {
            registry
                .id(kind, name, &mut also)
                .map_err(|why| {
                    planner.problem(line, field, why);
                    ok = false;
                })
                .ok()
        };
        let project = name(Kind::Project, Field::Project, &line.project);
        let leader = name(Kind::Leader, Field::Leader, &line.leader);
        let unit = name(Kind::Unit, Field::Unit, &line.unit);
        let person = line
            .person
            .as_deref()
            .map(|p| name(Kind::Person, Field::Person, p));
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
    placements
}
