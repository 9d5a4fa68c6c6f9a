//! The acting user as every use case sees them: who they are, what they may read, the zone and
//! rules of each organisation they may read.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use jiandu_domain::validate::Reason;
use jiandu_domain::{Access, Zone, field};
use uuid::Uuid;

use super::tenant::Readable;
use crate::error::AppError;
use crate::service::workdays;

/// The signed-in user: who they are, what they may read, the zone of every organisation they
/// may read (so "today" is right for each) and the rules each judges its items by.
#[derive(Clone)]
pub struct Actor {
    pub access: Access,
    pub username: String,
    /// Every readable organisation with its zone and parent.
    pub organizations: HashMap<Uuid, ReadableOrg>,
    pub rules: workdays::Rules,
    /// The person who holds the account, when the request's sign-in read them with it (the
    /// workbench's header names them).
    pub holder: Option<Holder>,
    readable: Readable,
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
        organizations: HashMap<Uuid, ReadableOrg>,
        rules: workdays::Rules,
    ) -> Self {
        let readable = Readable::new(access.readable.iter().copied().collect());
        Actor {
            access,
            username,
            organizations,
            rules,
            holder: None,
            readable,
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

    pub fn zone_of(&self, organization_id: Uuid) -> Zone {
        self.organizations
            .get(&organization_id)
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
        &self.readable
    }

    /// The readable organisations, or only `organization_id` and those below it when given (which
    /// must itself be readable).
    pub fn reads(&self, organization_id: Option<Uuid>) -> Result<Readable, AppError> {
        match organization_id {
            None => Ok(self.readable.clone()),
            Some(id) if self.readable.may_read(id) => {
                let parents: HashMap<Uuid, Option<Uuid>> = self
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
            .organizations
            .iter()
            .filter(|(org, info)| {
                info.parent_id == Some(organization_id) && self.readable.may_read(**org)
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
