//! Constituents' letters and visits (来信来访): logged by a deputy or the presidium with who
//! received them; transferred (转办) by the presidium to a unit with a reply date, replied to,
//! closed. The constituent's name and phone are personal information: only the presidium reads
//! them ([`for_reader`]); every other reader gets none, in every answer.

use chrono::NaiveDate;
use jiandu_domain::Reason;
use jiandu_domain::Text;
use jiandu_domain::field;
use jiandu_domain::report::ContactFigures;
use jiandu_domain::suggestion::{ContactKind, ContactStatus, ContactStep};
use jiandu_domain::validate::{self, limits};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::kernel::command::{Audit, Command};
use super::kernel::tenant::belongs_to;
use super::page::{Page, PageRequest};
use super::views::ContactView;
use super::{Actor, Ctx};
use crate::entity::{Stored, constituent_contact, contact_receiver, person, unit};
use crate::error::AppError;
use crate::service::kernel::audit::Action;
use crate::service::kernel::tables;

pub struct NewContact {
    pub kind: ContactKind,
    pub received_on: NaiveDate,
    pub constituent_name: Option<String>,
    pub constituent_phone: Option<String>,
    pub summary: String,
    pub received_by: Vec<Uuid>,
}

/// `view` as `actor` may read it: without the constituent's name and phone unless the actor is
/// of the presidium of the organisation that received it (not another role, not the county above,
/// which reads its townships' records).
pub fn for_reader(actor: &Actor, mut view: ContactView) -> ContactView {
    let own_presidium = actor
        .access
        .check_manage(view.organization_id, "letters and visits")
        .is_ok();
    if !own_presidium {
        view.constituent_name = None;
        view.constituent_phone = None;
    }
    view
}

#[tracing::instrument(skip_all, fields(actor = %actor.username))]
pub async fn log_contact(
    ctx: &Ctx,
    actor: &Actor,
    new: NewContact,
) -> Result<ContactView, AppError> {
    check_log(actor)?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let row = log_in(&mut cmd, actor, new).await?;
    cmd.finish(for_reader(actor, ContactView::from(row))).await
}

/// What logging a letter or visit asks of the actor: a deputy or the presidium.
pub(super) fn check_log(actor: &Actor) -> Result<(), AppError> {
    actor
        .access
        .check_inspect(actor.organization_id(), "log letters and visits")?;
    Ok(())
}

/// Logs `new` in `cmd` with who received it, for a caller that has checked the actor may
/// ([`check_log`]): alone, or with the visit it came from.
pub(super) async fn log_in(
    cmd: &mut Command<'_>,
    actor: &Actor,
    new: NewContact,
) -> Result<constituent_contact::Model, AppError> {
    let summary = Text::parse(field::SUMMARY, &new.summary, limits::DESCRIPTION)?;
    let name = Text::parse_optional(
        field::CONSTITUENT_NAME,
        new.constituent_name.as_deref(),
        limits::NAME,
    )?;
    let phone = Text::parse_optional(
        field::CONSTITUENT_PHONE,
        new.constituent_phone.as_deref(),
        32,
    )?;
    let organization = actor.organization_id();
    if new.received_by.is_empty() {
        return Err(AppError::required(
            field::RECEIVED_BY_IDS,
            "name who received it",
        ));
    }
    if new.received_by.len() > 20 {
        return Err(AppError::invalid(
            field::RECEIVED_BY_IDS,
            Reason::TooMany { max: 20 },
            "names more than 20",
        ));
    }
    let received_on = validate::past_day(
        field::RECEIVED_ON,
        new.received_on,
        cmd.today_in(organization),
    )?;
    let mut receivers = Vec::with_capacity(new.received_by.len());
    for &id in &new.received_by {
        if !receivers.contains(&id) {
            cmd.refer::<person::Entity>(organization, id, "receivedByIds")
                .await?;
            receivers.push(id);
        }
    }
    let now = cmd.now;
    let row = constituent_contact::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        organization_id: Set(organization),
        kind: Set(Stored(new.kind)),
        received_on: Set(received_on),
        constituent_name: Set(name.map(Text::into_string)),
        constituent_phone: Set(phone.map(Text::into_string)),
        summary: Set(summary.into_string()),
        status: Set(Stored(ContactStatus::Open)),
        transferred_to: Set(None),
        reply_due: Set(None),
        reply: Set(None),
        replied_on: Set(None),
        closed_on: Set(None),
        created_by: Set(actor.user_id()),
        created_at: Set(now),
        version: Set(1),
        updated_at: Set(now),
    };
    let row = cmd
        .create::<constituent_contact::Entity>(row, Audit::new(Action::ContactLog))
        .await?;
    let rows = receivers
        .iter()
        .map(|&person_id| contact_receiver::ActiveModel {
            contact_id: Set(row.id),
            person_id: Set(person_id),
        });
    contact_receiver::Entity::insert_many(rows)
        .exec_without_returning(cmd.db())
        .await?;
    Ok(row)
}

/// What a step on a contact changes.
enum Change {
    Transfer { unit: Uuid, reply_due: NaiveDate },
    Reply { text: String, on: NaiveDate },
    Close,
}

async fn step(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    change: Change,
) -> Result<ContactView, AppError> {
    let mut cmd = Command::begin(ctx, actor).await?;
    let current = cmd
        .load_managed::<constituent_contact::Entity>(
            id,
            Some(expected_version),
            "this letter or visit",
        )
        .await?;
    let organization = current.row.organization_id;
    let today = cmd.today_in(organization);
    let mut next = current.edit();
    let (status, action) = match change {
        Change::Transfer { unit, reply_due } => {
            cmd.refer::<unit::Entity>(organization, unit, "unitId")
                .await?;
            let reply_due = validate::plausible_date(field::REPLY_DUE, reply_due)?;
            if reply_due < today {
                return Err(AppError::invalid(
                    field::REPLY_DUE,
                    Reason::TooEarly { date: today },
                    format!("must not be before today ({today})"),
                ));
            }
            next.transferred_to = Set(Some(unit));
            next.reply_due = Set(Some(reply_due));
            (
                current.before.status.after(ContactStep::Transfer)?,
                Action::ContactTransfer,
            )
        }
        Change::Reply { text, on } => {
            let text = Text::parse(field::REPLY, &text, limits::DESCRIPTION)?;
            let on = validate::past_day(field::REPLIED_ON, on, today)?;
            if on < current.row.received_on {
                return Err(AppError::invalid(
                    field::REPLIED_ON,
                    Reason::TooEarly {
                        date: current.row.received_on,
                    },
                    "must not be before the day it was received",
                ));
            }
            next.reply = Set(Some(text.into_string()));
            next.replied_on = Set(Some(on));
            (
                current.before.status.after(ContactStep::Reply)?,
                Action::ContactReply,
            )
        }
        Change::Close => {
            next.closed_on = Set(Some(today));
            (
                current.before.status.after(ContactStep::Close)?,
                Action::ContactClose,
            )
        }
    };
    next.status = Set(Stored(status));
    let after = cmd.update(&current, next, Audit::new(action)).await?;
    cmd.finish(for_reader(actor, after)).await
}

pub async fn transfer_contact(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    unit: Uuid,
    reply_due: NaiveDate,
) -> Result<ContactView, AppError> {
    step(
        ctx,
        actor,
        id,
        expected_version,
        Change::Transfer { unit, reply_due },
    )
    .await
}

pub async fn reply_contact(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    reply: &str,
    replied_on: NaiveDate,
) -> Result<ContactView, AppError> {
    let change = Change::Reply {
        text: reply.to_string(),
        on: replied_on,
    };
    step(ctx, actor, id, expected_version, change).await
}

pub async fn close_contact(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
) -> Result<ContactView, AppError> {
    step(ctx, actor, id, expected_version, Change::Close).await
}

/// Contacts are listed newest received first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ContactKey(NaiveDate, Uuid);

pub async fn list_contacts(
    ctx: &Ctx,
    actor: &Actor,
    year: Option<i32>,
    statuses: Option<Vec<ContactStatus>>,
    page: PageRequest<ContactKey>,
) -> Result<Page<ContactView>, AppError> {
    use constituent_contact::Column as C;
    let readable = actor.reads(None)?;
    let mut condition = Condition::all().add(readable.filter::<constituent_contact::Entity>());
    if let Some(year) = year {
        let (first, last) = year_span(year)?;
        condition = condition.add(C::ReceivedOn.between(first, last));
    }
    if let Some(statuses) = statuses {
        condition = condition.add(C::Status.is_in(statuses.into_iter().map(Stored)));
    }
    let base = constituent_contact::Entity::find().filter(condition);
    let total = base.clone().count(ctx.db.conn()).await?;
    let mut query = base
        .order_by_desc(C::ReceivedOn)
        .order_by_desc(C::Id)
        .limit(page.first + 1);
    if let Some(ContactKey(on, id)) = page.after {
        query = query.filter(
            Condition::any()
                .add(C::ReceivedOn.lt(on))
                .add(C::ReceivedOn.eq(on).and(C::Id.lt(id))),
        );
    }
    let rows = tables::all(query, ctx.db.conn())
        .await?
        .into_iter()
        .map(|view| for_reader(actor, view))
        .collect();
    Ok(Page::from_rows(
        rows,
        page.first,
        total,
        |c: &ContactView| ContactKey(c.received_on, c.id),
    ))
}

/// The letters and visits of `ids` the actor may read, as they may read them.
pub async fn contacts_by_ids(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<ContactView>, AppError> {
    let found: Vec<ContactView> =
        tables::by_ids::<constituent_contact::Entity>(actor, ids, ctx.db.conn()).await?;
    Ok(found.into_iter().map(|c| for_reader(actor, c)).collect())
}

/// Who received each contact, as (contact, person) pairs.
pub async fn receivers_of(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, Uuid)>, AppError> {
    tables::links::<contact_receiver::Entity>(actor, ids, ctx.db.conn()).await
}

/// The year's figures of the letters and visits received in `organizations` in `year`.
pub async fn figures_of(
    ctx: &Ctx,
    organizations: &[Uuid],
    year: i32,
) -> Result<ContactFigures, AppError> {
    use constituent_contact::Column as C;
    let (first, last) = year_span(year)?;
    let rows = constituent_contact::Entity::find()
        .filter(belongs_to::<constituent_contact::Entity>(organizations))
        .filter(C::ReceivedOn.between(first, last))
        .all(ctx.db.conn())
        .await?;
    let mut figures = ContactFigures::default();
    for c in &rows {
        let replied = c.replied_on.is_some();
        match c.kind.0 {
            ContactKind::Visit => figures.visits += 1,
            ContactKind::Letter => {
                figures.letters += 1;
                figures.letters_replied += u64::from(replied);
            }
            ContactKind::Phone => figures.calls += 1,
            ContactKind::Online => figures.online += 1,
        }
        figures.replied += u64::from(replied);
        let expects = matches!(c.kind.0, ContactKind::Letter | ContactKind::Online)
            || c.transferred_to.is_some();
        figures.expecting_reply += u64::from(expects);
        figures.expecting_replied += u64::from(expects && replied);
    }
    Ok(figures)
}

/// The first and last day of `year`; IMPLAUSIBLE_DATE for a year no calendar has.
fn year_span(year: i32) -> Result<(NaiveDate, NaiveDate), AppError> {
    NaiveDate::from_ymd_opt(year, 1, 1)
        .zip(NaiveDate::from_ymd_opt(year, 12, 31))
        .ok_or_else(|| {
            AppError::invalid(field::YEAR, Reason::Implausible, "is not a calendar year")
        })
}
