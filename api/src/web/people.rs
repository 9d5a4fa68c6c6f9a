//! 人员与账号: the presidium keeps its organisation's units and people, and their accounts —
//! opens one with a one-time password (shown once, to hand over; changed at the first sign-in),
//! resets a forgotten password the same way, disables the account of someone who has left and
//! enables it again. Other roles are refused, as the API refuses them.

use jiandu_domain::field;
use std::collections::HashMap;

use askama::Template;
use jiandu_domain::Role;
use poem::web::{Data, Path};
use poem::{Response, handler};
use serde::Deserialize;
use uuid::Uuid;

use super::form::{self, Refusal, page_steps};
use super::page::{self, Me, Page, Posted, Signed, role_name};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::accounts::{self, NewUser};
use crate::service::organizations::{self, NewPerson, UnitChanges};
use crate::service::views::UserView;
use crate::service::{Actor, Ctx};

pub struct PersonRow {
    pub id: Uuid,
    pub name: String,
    pub title: String,
    pub unit: String,
    pub account: Option<Account>,
}

pub struct Account {
    pub id: Uuid,
    pub username: String,
    pub role: &'static str,
    pub state: &'static str,
    pub disabled: bool,
    pub mine: bool,
}

/// A one-time password to hand over, shown on this answer only.
pub struct Handed {
    pub username: String,
    pub password: String,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    units: Vec<(Uuid, String)>,
    /// Each unit with its head's id (to whom unanswered supervision orders are copied).
    heads: Vec<(Uuid, String, Option<Uuid>)>,
    people: Vec<PersonRow>,
    /// Accounts of nobody on the list (the first admin's, a county office's).
    others: Vec<Account>,
    /// People without an account, for the form that opens one.
    unaccounted: Vec<(Uuid, String)>,
    roles: [(&'static str, &'static str); 4],
    handed: Option<Handed>,
    refusal: Option<Refusal>,
    draft: PeopleForm,
}

/// Every form's fields; each form posts the ones it has, and a refused one is shown again.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PeopleForm {
    name: String,
    unit_name: String,
    title: String,
    unit: String,
    username: String,
    role: String,
    person: String,
    head: String,
}

const ROLES: [Role; 4] = [Role::Leader, Role::Deputy, Role::Presidium, Role::Viewer];

fn role_value(role: Role) -> &'static str {
    match role {
        Role::Presidium => "PRESIDIUM",
        Role::Deputy => "DEPUTY",
        Role::Leader => "LEADER",
        Role::Viewer => "VIEWER",
    }
}

fn parse_role(value: &str) -> Result<Role, AppError> {
    ROLES
        .into_iter()
        .find(|role| role_value(*role) == value)
        .ok_or_else(|| AppError::not_in_list(field::ROLE))
}

async fn render(
    state: &AppState,
    signed: &Signed,
    handed: Option<Handed>,
    refusal: Option<Refusal>,
    draft: PeopleForm,
) -> Response {
    let ctx = &state.ctx;
    let actor = &signed.actor;
    let loaded = async {
        // The accounts list checks that the actor is this organisation's presidium.
        let users = accounts::list_users(ctx, actor).await?;
        let people = organizations::list_people(ctx, actor).await?;
        let units = organizations::list_units(ctx, actor).await?;
        Ok::<_, AppError>((users, people, units))
    }
    .await;
    let (users, people, units) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return page::error_page(Some(&signed.me), &error),
    };
    let own = actor.organization_id();
    let units: Vec<_> = units
        .into_iter()
        .filter(|u| u.organization_id == own)
        .collect();
    let heads = units
        .iter()
        .map(|u| (u.id, u.name.clone(), u.head_id))
        .collect();
    let units: Vec<(Uuid, String)> = units.into_iter().map(|u| (u.id, u.name)).collect();
    let unit_names: HashMap<Uuid, &str> = units.iter().map(|(id, n)| (*id, n.as_str())).collect();
    let account = |u: &UserView| Account {
        id: u.id,
        username: u.username.clone(),
        role: role_name(u.role),
        state: if u.disabled {
            "已停用"
        } else if u.must_change_password {
            "待首次登录改密"
        } else {
            "正常"
        },
        disabled: u.disabled,
        mine: u.id == actor.user_id(),
    };
    let mut accounts_of: HashMap<Uuid, Account> = users
        .iter()
        .filter_map(|u| Some((u.person_id?, account(u))))
        .collect();
    let people: Vec<PersonRow> = people
        .into_iter()
        .filter(|p| p.organization_id == own)
        .map(|p| PersonRow {
            account: accounts_of.remove(&p.id),
            unit: p
                .unit_id
                .and_then(|id| unit_names.get(&id).copied())
                .unwrap_or("—")
                .to_string(),
            title: p.title.unwrap_or_default(),
            id: p.id,
            name: p.name,
        })
        .collect();
    page::render(
        form::status_of(refusal.as_ref()),
        &PeoplePage {
            me: Some(&signed.me),
            nav: "people",
            unaccounted: people
                .iter()
                .filter(|p| p.account.is_none())
                .map(|p| (p.id, p.name.clone()))
                .collect(),
            others: users
                .iter()
                .filter(|u| u.person_id.is_none())
                .map(account)
                .collect(),
            roles: ROLES.map(|r| (role_value(r), role_name(r))),
            units,
            heads,
            people,
            handed,
            refusal,
            draft,
        },
    )
}

#[handler]
pub async fn show(signed: Signed, Data(state): Data<&AppState>) -> Page {
    Ok(render(state, &signed, None, None, PeopleForm::default()).await)
}

page_steps! {
    /// What the presidium does with an account (`/people/accounts/<id>/<step>`).
    pub enum AccountStep {
        Reset = "reset",
        Disable = "disable",
        Enable = "enable",
    }
}

/// What a form on the page asks for.
enum Ask {
    Unit,
    Person,
    Account,
    Head(Uuid),
    Reset(Uuid),
    Disable(Uuid),
    Enable(Uuid),
}

impl Ask {
    /// The form a refusal is shown next to.
    fn form(&self) -> &'static str {
        match self {
            Ask::Unit | Ask::Head(_) => "unit",
            Ask::Person => "person",
            Ask::Account => "account",
            Ask::Reset(_) | Ask::Disable(_) | Ask::Enable(_) => "accounts",
        }
    }
}

/// Does what `ask` asks; a password made for someone comes back to be shown once.
async fn take(
    ctx: &Ctx,
    actor: &Actor,
    ask: &Ask,
    f: &PeopleForm,
) -> Result<Option<Handed>, AppError> {
    match ask {
        Ask::Unit => {
            organizations::create_unit(ctx, actor, &f.unit_name).await?;
        }
        Ask::Head(unit) => {
            let changes = UnitChanges {
                name: None,
                head_id: Some(form::optional_id(field::HEAD_ID, &f.head)?),
            };
            organizations::update_unit(ctx, actor, *unit, changes).await?;
        }
        Ask::Person => {
            let input = NewPerson {
                name: f.name.clone(),
                title: form::optional_text(&f.title),
                unit_id: form::optional_id(field::UNIT_ID, &f.unit)?,
            };
            organizations::create_person(ctx, actor, input).await?;
        }
        Ask::Account => {
            let password = accounts::one_time_password();
            let input = NewUser {
                username: f.username.clone(),
                password: password.clone(),
                role: parse_role(&f.role)?,
                person_id: form::optional_id(field::PERSON_ID, &f.person)?,
                must_change_password: true,
            };
            let user = accounts::create_user(ctx, actor, input).await?;
            return Ok(Some(Handed {
                username: user.username,
                password,
            }));
        }
        Ask::Reset(id) => {
            let password = accounts::reset_password(ctx, actor, *id).await?;
            let username = accounts::users_by_ids(ctx, actor, &[*id])
                .await?
                .into_iter()
                .next()
                .map(|u| u.username)
                .unwrap_or_default();
            return Ok(Some(Handed { username, password }));
        }
        Ask::Disable(id) => {
            accounts::disable_user(ctx, actor, *id).await?;
        }
        Ask::Enable(id) => {
            accounts::enable_user(ctx, actor, *id).await?;
        }
    }
    Ok(None)
}

async fn answer(state: &AppState, posted: Posted<PeopleForm>, ask: Ask) -> Page {
    let Posted {
        signed, form: f, ..
    } = posted;
    Ok(match take(&state.ctx, &signed.actor, &ask, &f).await {
        // The password is shown on this answer, never in an address or a later page.
        Ok(Some(handed)) => render(state, &signed, Some(handed), None, f).await,
        Ok(None) => page::redirect("/people"),
        Err(error) => {
            let refusal = Refusal::new(ask.form(), &error);
            render(state, &signed, None, Some(refusal), f).await
        }
    })
}

#[handler]
pub async fn add_unit(posted: Posted<PeopleForm>, Data(state): Data<&AppState>) -> Page {
    answer(state, posted, Ask::Unit).await
}

#[handler]
pub async fn add_person(posted: Posted<PeopleForm>, Data(state): Data<&AppState>) -> Page {
    answer(state, posted, Ask::Person).await
}

#[handler]
pub async fn open_account(posted: Posted<PeopleForm>, Data(state): Data<&AppState>) -> Page {
    answer(state, posted, Ask::Account).await
}

/// Names the head (负责人) of the unit `id`, or none.
#[handler]
pub async fn unit_head(
    posted: Posted<PeopleForm>,
    Data(state): Data<&AppState>,
    Path(id): Path<String>,
) -> Page {
    let id = id.parse::<Uuid>().unwrap_or_default();
    answer(state, posted, Ask::Head(id)).await
}

/// `reset` (a new one-time password), `disable` or `enable` the account `id`.
#[handler]
pub async fn account_step(
    posted: Posted<PeopleForm>,
    Data(state): Data<&AppState>,
    Path((id, step)): Path<(String, String)>,
) -> Page {
    let id = id.parse::<Uuid>().unwrap_or_default();
    let step: AccountStep = step.parse().map_err(|error| posted.signed.refuse(&error))?;
    let ask = match step {
        AccountStep::Reset => Ask::Reset(id),
        AccountStep::Disable => Ask::Disable(id),
        AccountStep::Enable => Ask::Enable(id),
    };
    answer(state, posted, ask).await
}
