//! The acting user as every use case sees them: who they are, what they may read, the zone and
//! rules of each organisation they may read.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, Utc};
use jiandu_domain::validate::Reason;
use jiandu_domain::{Access, Zone, field};
use uuid::Uuid;

use super::tenant::Readable;
use crate::entity::organization;
use crate::error::AppError;
use crate::service::workdays;

/// The signed-in user: who they are, what they may read, the zone of every organisation they
/// may read (so "today" is right for each) and the rules each judges its items by.
#[derive(Clone)]
pub struct Actor {
    pub access: Access,
    pub username: String,
    /// Every readable organisation with its zone and parent.
    scope: Arc<Scope>,
    pub rules: workdays::Rules,
    /// The person who holds the account, when the request's sign-in read them with it (the
    /// workbench's header names them).
    pub holder: Option<Holder>,
}

/// What a user of one organisation may read: it and every organisation below it, each with its
/// zone and parent.
pub struct Scope {
    /// As `Access` holds it.
    pub readable: HashSet<Uuid>,
    organizations: HashMap<Uuid, ReadableOrg>,
    sorted: Readable,
}

impl Scope {
    fn of(table: &[organization::Model], root: Uuid) -> Scope {
        let parents: HashMap<Uuid, Option<Uuid>> =
            table.iter().map(|o| (o.id, o.parent_id)).collect();
        let readable = jiandu_domain::access::subtree(&parents, root);
        let organizations = table
            .iter()
            .filter(|o| readable.contains(&o.id))
            .map(|o| {
                let zone = o.timezone.parse::<Zone>().unwrap_or_default();
                let org = ReadableOrg {
                    zone,
                    parent_id: o.parent_id,
                };
                (o.id, org)
            })
            .collect();
        Scope {
            sorted: Readable::new(readable.iter().copied().collect()),
            readable,
            organizations,
        }
    }
}

/// Each organisation's [`Scope`], worked out once for each reading of the organisations' table
/// (a write or the cache's time to live reads it again) rather than on every request.
#[derive(Default)]
pub struct Scopes {
    kept: Mutex<KeptScopes>,
}

/// The table the scopes were worked out from, and the scopes by organisation.
type KeptScopes = (
    Option<Arc<Vec<organization::Model>>>,
    HashMap<Uuid, Arc<Scope>>,
);

impl Scopes {
    /// The scope of `root` in `table` (the organisations' table as last read).
    pub fn of(&self, table: &Arc<Vec<organization::Model>>, root: Uuid) -> Arc<Scope> {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        let (seen, scopes) = &mut *kept;
        // The table read before is held here, so another reading cannot share its address.
        if !seen.as_ref().is_some_and(|seen| Arc::ptr_eq(seen, table)) {
            *seen = Some(table.clone());
            scopes.clear();
        }
        scopes
            .entry(root)
            .or_insert_with(|| Arc::new(Scope::of(table, root)))
            .clone()
    }
}

/// The person behind an account, as a page's header names them: 周敏（人大主席）.
#[derive(Debug, Clone)]
pub struct Holder {
    pub name: String,
    pub title: Option<String>,
}

#[derive(Debug, Clone, Copy)]
pub struct ReadableOrg {
    pub zone: Zone,
    pub parent_id: Option<Uuid>,
}

impl Actor {
    pub fn new(
        access: Access,
        username: String,
        scope: Arc<Scope>,
        rules: workdays::Rules,
    ) -> Self {
        Actor {
            access,
            username,
            scope,
            rules,
            holder: None,
        }
    }

    /// The same actor, held by `holder`.
    pub fn held_by(self, holder: Option<Holder>) -> Self {
        Actor { holder, ..self }
    }

    pub fn user_id(&self) -> Uuid {
        self.access.user_id
    }

    pub fn organization_id(&self) -> Uuid {
        self.access.organization_id
    }

    /// A readable organisation's zone and parent.
    pub fn organization(&self, organization_id: Uuid) -> Option<&ReadableOrg> {
        self.scope.organizations.get(&organization_id)
    }

    pub fn zone_of(&self, organization_id: Uuid) -> Zone {
        self.organization(organization_id)
            .map(|org| org.zone)
            .unwrap_or_default()
    }

    /// `today` in an organisation's zone, or `as_of` when given.
    pub fn today_in(
        &self,
        organization_id: Uuid,
        now: DateTime<Utc>,
        as_of: Option<NaiveDate>,
    ) -> NaiveDate {
        self.zone_of(organization_id).today(now, as_of)
    }

    /// The day (today in the organisation's zone, or `as_of`) as `organization_id`'s rules see
    /// it: what its items' states and lights are judged on.
    pub fn judging_day(
        &self,
        organization_id: Uuid,
        now: DateTime<Utc>,
        as_of: Option<NaiveDate>,
    ) -> jiandu_domain::Today {
        self.rules
            .today(organization_id, self.today_in(organization_id, now, as_of))
    }

    /// Every organisation the actor may read.
    pub fn readable(&self) -> &Readable {
        &self.scope.sorted
    }

    /// The readable organisations, or only `organization_id` and those below it when given (which
    /// must itself be readable).
    pub fn reads(&self, organization_id: Option<Uuid>) -> Result<Readable, AppError> {
        match organization_id {
            None => Ok(self.readable().clone()),
            Some(id) if self.readable().may_read(id) => {
                let parents: HashMap<Uuid, Option<Uuid>> = self
                    .scope
                    .organizations
                    .iter()
                    .map(|(&org, info)| (org, info.parent_id))
                    .collect();
                Ok(Readable::new(
                    jiandu_domain::access::subtree(&parents, id)
                        .into_iter()
                        .collect(),
                ))
            }
            Some(_) => Err(AppError::not_found("organisation")),
        }
    }

    /// The readable organisations directly below `organization_id` (a county's townships).
    pub fn children_of(&self, organization_id: Uuid) -> Vec<Uuid> {
        let mut children: Vec<Uuid> = self
            .scope
            .organizations
            .iter()
            .filter(|(org, info)| {
                info.parent_id == Some(organization_id) && self.readable().may_read(**org)
            })
            .map(|(org, _)| *org)
            .collect();
        children.sort_unstable();
        children
    }

    /// The organisation a year's figures are asked of (the actor's own when not given) and what
    /// the actor may read from it down; a year outside 2000–2100 is refused.
    pub fn reads_year(
        &self,
        year: i32,
        organization_id: Option<Uuid>,
    ) -> Result<(Uuid, Readable), AppError> {
        const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;
        if !YEARS.contains(&year) {
            let range = Reason::OutOfRange {
                min: i64::from(*YEARS.start()),
                max: i64::from(*YEARS.end()),
            };
            return Err(AppError::invalid(
                field::YEAR,
                range,
                "must be between 2000 and 2100",
            ));
        }
        let root = organization_id.unwrap_or(self.organization_id());
        Ok((root, self.reads(Some(root))?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn organization(parent_id: Option<Uuid>, timezone: &str) -> organization::Model {
        organization::Model {
            id: Uuid::now_v7(),
            name: "思蒙镇".into(),
            timezone: timezone.into(),
            parent_id,
            created_at: Utc::now(),
        }
    }

    #[test]
    fn a_scope_is_worked_out_once_for_each_reading_of_the_organisations() {
        let county = organization(None, "Asia/Shanghai");
        let town = organization(Some(county.id), "Asia/Urumqi");
        let table = Arc::new(vec![county.clone(), town.clone()]);
        let scopes = Scopes::default();

        let of_county = scopes.of(&table, county.id);
        assert_eq!(of_county.readable, HashSet::from([county.id, town.id]));
        assert_eq!(of_county.sorted.organizations().len(), 2);
        let town_zone = of_county.organizations[&town.id].zone;
        assert_eq!(town_zone, "Asia/Urumqi".parse::<Zone>().unwrap());
        let of_town = scopes.of(&table, town.id);
        assert_eq!(of_town.readable, HashSet::from([town.id]));
        assert_eq!(of_town.organizations[&town.id].parent_id, Some(county.id));
        assert!(Arc::ptr_eq(&of_county, &scopes.of(&table, county.id)));

        // The table read again (after a write: a new township) gives a new scope.
        let added = organization(Some(county.id), "Asia/Shanghai");
        let again = Arc::new(vec![county.clone(), town, added.clone()]);
        let now = scopes.of(&again, county.id);
        assert!(now.readable.contains(&added.id));
        assert_eq!(now.sorted.organizations().len(), 3);
    }
}
