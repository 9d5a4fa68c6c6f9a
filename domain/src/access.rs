//! Who may do what (docs/rules.md §1): a user reads their organisation and those below it, writes only
//! in their own, and what they may write depends on their role. Anything outside what they may
//! read does not exist for them.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use crate::status::string_enum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// 主席团 / 人大办 staff: everything in their organisation.
    Presidium,
    /// 人大代表: read, inspect, verify completed milestones.
    Deputy,
    /// 责任领导: read; report on and complete what they are responsible for.
    Leader,
    /// County staff or a public board: read only.
    Viewer,
}

string_enum!(Role {
    Presidium = "PRESIDIUM",
    Deputy = "DEPUTY",
    Leader = "LEADER",
    Viewer = "VIEWER",
});

impl Role {
    /// Whether an account of this role must name the person who holds it. Separation of duties
    /// goes by person (whoever reported work does not check it, through any account), so an
    /// account that does or checks work cannot be nobody; a read-only account may be an office's.
    pub fn names_a_person(self) -> bool {
        !matches!(self, Role::Viewer)
    }
}

/// The outcome of an access check, before it becomes an API error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denied {
    /// The record is outside what the user may read: for them it does not exist.
    NotFound,
    /// The user can see it but may not do this.
    Forbidden(String),
}

/// The signed-in user, as far as access rules care.
#[derive(Debug, Clone)]
pub struct Access {
    pub user_id: Uuid,
    pub person_id: Option<Uuid>,
    pub role: Role,
    pub organization_id: Uuid,
    /// The user's organisation and every organisation below it.
    pub readable: HashSet<Uuid>,
}

impl Access {
    pub fn can_read(&self, organization_id: Uuid) -> bool {
        self.readable.contains(&organization_id)
    }

    fn in_own(&self, organization_id: Uuid, what: &str) -> Result<(), Denied> {
        if !self.can_read(organization_id) {
            Err(Denied::NotFound)
        } else if organization_id != self.organization_id {
            Err(Denied::Forbidden(format!(
                "{what} belongs to another organisation; only its own presidium may change it"
            )))
        } else {
            Ok(())
        }
    }

    /// Presidium work: people, units, users, projects, milestones, reschedules.
    pub fn check_manage(&self, organization_id: Uuid, what: &str) -> Result<(), Denied> {
        self.in_own(organization_id, what)?;
        if self.role == Role::Presidium {
            Ok(())
        } else {
            Err(Denied::Forbidden(format!(
                "only the presidium may change {what}"
            )))
        }
    }

    /// Reporting progress on or completing a milestone: the presidium, or a leader who is its
    /// responsible leader or person.
    pub fn check_report(
        &self,
        organization_id: Uuid,
        responsible: &[Option<Uuid>],
    ) -> Result<(), Denied> {
        self.in_own(organization_id, "this milestone")?;
        let own = self.person_id.is_some() && responsible.contains(&self.person_id);
        match self.role {
            Role::Presidium => Ok(()),
            Role::Leader if own => Ok(()),
            Role::Leader => Err(Denied::Forbidden(
                "a leader may report only on milestones they are responsible for".into(),
            )),
            _ => Err(Denied::Forbidden(
                "only the responsible leader or the presidium may report on a milestone".into(),
            )),
        }
    }

    /// Accepting or rejecting a completed milestone: deputies and the presidium.
    pub fn check_verify(&self, organization_id: Uuid) -> Result<(), Denied> {
        self.in_own(organization_id, "this milestone")?;
        match self.role {
            Role::Presidium | Role::Deputy => Ok(()),
            _ => Err(Denied::Forbidden(
                "only deputies or the presidium may verify a milestone".into(),
            )),
        }
    }
}

impl Access {
    /// Recording an inspection, raising findings, checking a rectification: deputies and the
    /// presidium of the organisation.
    pub fn check_inspect(&self, organization_id: Uuid, what: &str) -> Result<(), Denied> {
        self.in_own(organization_id, what)?;
        match self.role {
            Role::Presidium | Role::Deputy => Ok(()),
            _ => Err(Denied::Forbidden(format!(
                "only deputies or the presidium may {what}"
            ))),
        }
    }

    /// Answering a finding (rectifying, resolving) or adding evidence to a record: the presidium,
    /// or the leader responsible for it.
    pub fn check_answer(&self, organization_id: Uuid, responsible: Uuid) -> Result<(), Denied> {
        self.in_own(organization_id, "this finding")?;
        match self.role {
            Role::Presidium => Ok(()),
            Role::Leader if self.person_id == Some(responsible) => Ok(()),
            _ => Err(Denied::Forbidden(
                "only the responsible leader or the presidium may answer a finding".into(),
            )),
        }
    }
}

impl Access {
    /// Registering a suggestion: a deputy their own (as its lead deputy), the presidium any.
    pub fn check_register_suggestion(
        &self,
        organization_id: Uuid,
        lead_deputy: Uuid,
    ) -> Result<(), Denied> {
        self.in_own(organization_id, "suggestions")?;
        match self.role {
            Role::Presidium => Ok(()),
            Role::Deputy if self.person_id == Some(lead_deputy) => Ok(()),
            _ => Err(Denied::Forbidden(
                "a deputy registers their own suggestions; the presidium registers any".into(),
            )),
        }
    }

    /// Rating a suggestion's answer or withdrawing it: its lead deputy, or the presidium on
    /// their behalf (a paper form).
    pub fn check_lead_deputy(
        &self,
        organization_id: Uuid,
        lead_deputy: Uuid,
        what: &str,
    ) -> Result<(), Denied> {
        self.in_own(organization_id, "this suggestion")?;
        match self.role {
            Role::Presidium => Ok(()),
            Role::Deputy if self.person_id == Some(lead_deputy) => Ok(()),
            _ => Err(Denied::Forbidden(format!(
                "only the lead deputy or the presidium may {what}"
            ))),
        }
    }

    /// Answering a suggestion: the leader it was assigned to, or the presidium.
    pub fn check_answer_suggestion(
        &self,
        organization_id: Uuid,
        responsible: Option<Uuid>,
    ) -> Result<(), Denied> {
        self.in_own(organization_id, "this suggestion")?;
        match self.role {
            Role::Presidium => Ok(()),
            Role::Leader if responsible.is_some() && self.person_id == responsible => Ok(()),
            _ => Err(Denied::Forbidden(
                "only the leader it is assigned to or the presidium may answer a suggestion".into(),
            )),
        }
    }

    /// Answering a deliberation opinion: the leader it was sent to, or the presidium entering the
    /// written reply that came on paper.
    pub fn check_answer_opinion(
        &self,
        organization_id: Uuid,
        responsible: Uuid,
    ) -> Result<(), Denied> {
        self.in_own(organization_id, "this deliberation opinion")?;
        match self.role {
            Role::Presidium => Ok(()),
            Role::Leader if self.person_id == Some(responsible) => Ok(()),
            _ => Err(Denied::Forbidden(
                "only the leader it was sent to or the presidium may answer a deliberation opinion"
                    .into(),
            )),
        }
    }
}

/// `root` and every organisation below it, given each organisation's parent.
pub fn subtree(parents: &HashMap<Uuid, Option<Uuid>>, root: Uuid) -> HashSet<Uuid> {
    let mut children: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (&id, &parent) in parents {
        if let Some(parent) = parent {
            children.entry(parent).or_default().push(id);
        }
    }
    let mut seen = HashSet::from([root]);
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        for &child in children.get(&id).into_iter().flatten() {
            if seen.insert(child) {
                stack.push(child);
            }
        }
    }
    seen
}

/// A username as accounts are told apart and signed in with: trimmed, in Unicode's compatibility
/// form (full-width ｒｅｎｄａ is renda) and case folded (RENDA is renda), so that no two
/// accounts differ only in what a person cannot see or does not type on purpose.
pub fn username_key(raw: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    raw.nfkc().collect::<String>().trim().to_lowercase()
}

#[cfg(test)]
mod tests {

    #[test]
    fn usernames_differing_only_in_width_case_or_spaces_are_one() {
        for same in [
            "renda",
            "RENDA",
            "Renda",
            "ｒｅｎｄａ",
            "ＲＥＮＤＡ",
            " renda\u{3000}",
        ] {
            assert_eq!(username_key(same), "renda", "{same:?}");
        }
        assert_eq!(username_key("李明-2"), "李明-2");
    }
    use super::*;

    fn ids() -> (Uuid, Uuid, Uuid, Uuid) {
        (
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
        )
    }

    #[test]
    fn a_county_reads_its_townships_but_not_its_neighbours() {
        let (county, town_a, town_b, other) = ids();
        let parents = HashMap::from([
            (county, None),
            (town_a, Some(county)),
            (town_b, Some(county)),
            (other, None),
        ]);
        assert_eq!(
            subtree(&parents, county),
            HashSet::from([county, town_a, town_b])
        );
        assert_eq!(subtree(&parents, town_a), HashSet::from([town_a]));
    }

    fn access(role: Role, org: Uuid, readable: &[Uuid], person: Option<Uuid>) -> Access {
        Access {
            user_id: Uuid::now_v7(),
            person_id: person,
            role,
            organization_id: org,
            readable: readable.iter().copied().collect(),
        }
    }

    #[test]
    fn writes_stay_in_the_own_organisation() {
        let (county, town, elsewhere, _) = ids();
        let presidium = access(Role::Presidium, county, &[county, town], None);
        assert!(presidium.check_manage(county, "x").is_ok());
        assert!(matches!(
            presidium.check_manage(town, "x"),
            Err(Denied::Forbidden(_))
        ));
        assert_eq!(
            presidium.check_manage(elsewhere, "x"),
            Err(Denied::NotFound)
        );
    }

    #[test]
    fn suggestions_are_registered_rated_and_answered_by_those_they_name() {
        let (town, me, someone, elsewhere) = ids();
        let deputy = access(Role::Deputy, town, &[town], Some(me));
        assert!(deputy.check_register_suggestion(town, me).is_ok());
        assert!(deputy.check_register_suggestion(town, someone).is_err());
        assert_eq!(
            deputy.check_register_suggestion(elsewhere, me),
            Err(Denied::NotFound)
        );
        assert!(deputy.check_lead_deputy(town, me, "rate").is_ok());
        assert!(deputy.check_lead_deputy(town, someone, "rate").is_err());
        assert!(deputy.check_answer_suggestion(town, Some(me)).is_err());
        let leader = access(Role::Leader, town, &[town], Some(me));
        assert!(leader.check_answer_suggestion(town, Some(me)).is_ok());
        assert!(leader.check_answer_suggestion(town, Some(someone)).is_err());
        assert!(leader.check_answer_suggestion(town, None).is_err());
        assert!(leader.check_register_suggestion(town, me).is_err());
        let presidium = access(Role::Presidium, town, &[town], None);
        assert!(presidium.check_register_suggestion(town, someone).is_ok());
        assert!(presidium.check_answer_suggestion(town, None).is_ok());
    }

    #[test]
    fn leaders_report_only_on_their_own_milestones() {
        let (town, me, someone, _) = ids();
        let leader = access(Role::Leader, town, &[town], Some(me));
        assert!(leader.check_report(town, &[Some(me), None]).is_ok());
        assert!(
            leader
                .check_report(town, &[Some(someone), Some(me)])
                .is_ok()
        );
        assert!(leader.check_report(town, &[Some(someone), None]).is_err());
        let unlinked = access(Role::Leader, town, &[town], None);
        assert!(unlinked.check_report(town, &[Some(someone), None]).is_err());
        let deputy = access(Role::Deputy, town, &[town], Some(me));
        assert!(deputy.check_report(town, &[Some(me)]).is_err());
        assert!(deputy.check_verify(town).is_ok());
        assert!(leader.check_verify(town).is_err());
        assert!(
            access(Role::Viewer, town, &[town], None)
                .check_verify(town)
                .is_err()
        );
    }

    #[test]
    fn an_opinion_is_answered_by_its_leader_or_the_presidium_only() {
        let (town, leader, other_leader, elsewhere) = ids();
        let his = access(Role::Leader, town, &[town], Some(leader));
        assert!(his.check_answer_opinion(town, leader).is_ok());
        let colleague = access(Role::Leader, town, &[town], Some(other_leader));
        assert!(matches!(
            colleague.check_answer_opinion(town, leader),
            Err(Denied::Forbidden(_))
        ));
        let presidium = access(Role::Presidium, town, &[town], None);
        assert!(presidium.check_answer_opinion(town, leader).is_ok());
        let deputy = access(Role::Deputy, town, &[town], Some(leader));
        assert!(deputy.check_answer_opinion(town, leader).is_err());
        let stranger = access(Role::Presidium, elsewhere, &[elsewhere], None);
        assert!(matches!(
            stranger.check_answer_opinion(town, leader),
            Err(Denied::NotFound)
        ));
    }
}
