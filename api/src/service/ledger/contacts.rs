//! The ledger's 来信来访 sheet: every letter and visit the reader may see, by the day received,
//! with the unit it was transferred to and its reply as of the ledger's day. The constituent's
//! name and phone only for the presidium of the organisation that received it (as
//! `contacts::for_reader` says).

use jiandu_domain::{DeadlineState, Light};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{QueryFilter, QueryOrder, QuerySelect};

use super::Ledger;
use crate::entity::constituent_contact;
use crate::error::AppError;
use crate::service::kernel::tables;
use crate::service::views::ContactView;

/// A letter or visit as the 来信来访 sheet prints it.
pub struct ContactRow {
    pub contact: ContactView,
    pub transferred_to: Option<String>,
    /// Where its reply stands, for one transferred with a reply deadline.
    pub state: Option<DeadlineState>,
    pub light: Light,
}

/// Letters and visits read together.
const CONTACTS_PER_PAGE: u64 = 500;

impl Ledger {
    /// The next page of letters and visits, by the day received; empty once all have been read.
    /// A project's ledger holds none.
    pub async fn next_contacts(&mut self) -> Result<Vec<ContactRow>, AppError> {
        use constituent_contact::Column as C;
        if self.contacts_done || self.project_id.is_some() {
            return Ok(Vec::new());
        }
        let mut query = self.readable.select::<constituent_contact::Entity>();
        if let Some((on, id)) = self.contacts_after {
            query = query.filter(
                Expr::tuple([Expr::col(C::ReceivedOn), Expr::col(C::Id)])
                    .gt(Expr::tuple([Expr::value(on), Expr::value(id)])),
            );
        }
        let contacts: Vec<ContactView> = tables::all(
            query
                .order_by_asc(C::ReceivedOn)
                .order_by_asc(C::Id)
                .limit(CONTACTS_PER_PAGE),
            self.ctx.db.conn(),
        )
        .await?;
        self.contacts_done = (contacts.len() as u64) < CONTACTS_PER_PAGE;
        self.contacts_after = contacts.last().map(|c| (c.received_on, c.id));
        Ok(contacts
            .into_iter()
            .map(|mut contact| {
                if !self.personal.contains(&contact.organization_id) {
                    contact.constituent_name = None;
                    contact.constituent_phone = None;
                }
                let today = self.today_of(contact.organization_id);
                let tracked = contact.tracked();
                ContactRow {
                    transferred_to: contact
                        .transferred_to
                        .map(|unit| Self::name(&self.units, unit)),
                    state: tracked.as_ref().map(|t| t.deadline_state(&today)),
                    light: tracked.map_or(Light::Grey, |t| t.light(&today)),
                    contact,
                }
            })
            .collect())
    }
}
