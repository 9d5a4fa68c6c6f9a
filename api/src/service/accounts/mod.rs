//! User accounts: creating them, who they are, what they may read. Signing in and out is in
//! `sign_in`; passwords, sessions and disabling accounts in `manage`.

mod kept;
mod limiter;
mod manage;
mod sign_in;

pub use kept::KeptSessions;
pub use limiter::LoginLimiter;
pub use manage::*;
pub use sign_in::*;

use jiandu_domain::Reason;
use jiandu_domain::field;

use jiandu_domain::validate::limits;
use jiandu_domain::{Access, Role, Text};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use uuid::Uuid;

use super::kernel::command::{Audit, Command};
use super::views::UserView;
use super::{Actor, Ctx};
use crate::entity::{Stored, app_user, person};
use crate::error::{AppError, OnConstraint};
use crate::service::kernel::audit::Action;

const MIN_PASSWORD_CHARS: usize = 8;
const MAX_PASSWORD_CHARS: usize = 256;

/// Builds the actor for a user: the organisations they may read and their zones.
pub async fn actor_for(ctx: &Ctx, user: UserView) -> Result<Actor, AppError> {
    let table = ctx.organizations.all(&ctx.db).await?;
    let scope = ctx.scopes.of(&table, user.organization_id);
    let access = Access {
        user_id: user.id,
        person_id: user.person_id,
        role: user.role,
        organization_id: user.organization_id,
        readable: scope.readable.clone(),
    };
    let rules = super::workdays::Rules::load(ctx).await?;
    Ok(Actor::new(access, user.username, scope, rules))
}

/// A password a user may choose: long enough to resist guessing, short enough to hash cheaply.
fn parse_password(field: &str, password: &str) -> Result<(), AppError> {
    let chars = password.chars().count();
    if (MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&chars) {
        Ok(())
    } else {
        Err(AppError::invalid(
            field,
            Reason::Length {
                min: MIN_PASSWORD_CHARS,
                max: MAX_PASSWORD_CHARS,
            },
            format!("must be {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters"),
        ))
    }
}

pub struct NewUser {
    pub username: String,
    pub password: String,
    pub role: Role,
    pub person_id: Option<Uuid>,
    /// The next sign-in may only choose a new password (the first admin's account).
    pub must_change_password: bool,
}

/// A presidium creates an account in its own organisation.
pub async fn create_user(ctx: &Ctx, actor: &Actor, input: NewUser) -> Result<UserView, AppError> {
    actor
        .access
        .check_manage(actor.organization_id(), "accounts")?;
    insert_user(ctx, Some(actor), actor.organization_id(), input).await
}

/// Creates an account without a signed-in actor: the command line and first start-up.
pub async fn insert_user(
    ctx: &Ctx,
    actor: Option<&Actor>,
    organization_id: Uuid,
    input: NewUser,
) -> Result<UserView, AppError> {
    let username = jiandu_domain::access::username_key(&input.username);
    let username = Text::parse(field::USERNAME, &username, limits::USERNAME)?.into_string();
    if !username
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'))
    {
        return Err(AppError::invalid(
            field::USERNAME,
            Reason::Characters,
            "may contain only letters, digits, '_', '.' and '-'",
        ));
    }
    if input.role.names_a_person() && input.person_id.is_none() {
        return Err(AppError::invalid(
            field::PERSON_ID,
            jiandu_domain::validate::Reason::Required,
            format!(
                "a {} account must name the person who holds it (only a VIEWER account may not)",
                input.role
            ),
        ));
    }
    parse_password("password", &input.password)?;
    let password_hash = hash_password(input.password).await?;
    let mut cmd = match actor {
        Some(actor) => Command::begin(ctx, actor).await?,
        None => Command::unattended(ctx).await?,
    };
    if let Some(person_id) = input.person_id {
        cmd.refer::<person::Entity>(organization_id, person_id, "personId")
            .await?;
        // One account per person: a second one (say, a leader's deputy account) would let
        // them check their own work.
        let held = app_user::Entity::find()
            .filter(app_user::Column::OrganizationId.eq(organization_id))
            .filter(app_user::Column::PersonId.eq(person_id))
            .count(cmd.db())
            .await?;
        if held > 0 {
            return Err(AppError::Conflict(
                "this person already has an account in this organisation".into(),
            ));
        }
    }
    // Names are stored as told apart; one written before that rule may differ only in case.
    let taken = app_user::Entity::find()
        .filter(Expr::expr(Func::lower(Expr::col(app_user::Column::Username))).eq(&username))
        .count(cmd.db())
        .await?;
    if taken > 0 {
        return Err(AppError::Conflict("that username is taken".into()));
    }
    let now = cmd.now;
    let row = app_user::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        organization_id: Set(organization_id),
        username: Set(username),
        password_hash: Set(password_hash),
        role: Set(Stored(input.role)),
        person_id: Set(input.person_id),
        created_at: Set(now),
        disabled_at: Set(None),
        must_change_password: Set(input.must_change_password),
        version: Set(1),
        updated_at: Set(None),
    }
    .insert(cmd.db())
    .await
    .on_constraint("that username is taken", "personId")?;
    cmd.created::<app_user::Entity>(&row, Audit::new(Action::UserCreate))
        .await?;
    cmd.finish(UserView::from(row)).await
}

pub async fn users_by_ids(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<UserView>, AppError> {
    let rows = actor
        .readable()
        .by_ids::<app_user::Entity>(ids)
        .all(ctx.db.conn())
        .await?;
    Ok(rows.into_iter().map(UserView::from).collect())
}

/// The oldest enabled presidium account of `organization`: who the command line acts as when it
/// does what only the presidium may (`jiandu import ledger`).
pub async fn first_presidium(ctx: &Ctx, organization: Uuid) -> Result<Option<UserView>, AppError> {
    use sea_orm::QueryOrder;
    Ok(app_user::Entity::find()
        .filter(app_user::Column::OrganizationId.eq(organization))
        .filter(app_user::Column::Role.eq(Stored(Role::Presidium)))
        .filter(app_user::Column::DisabledAt.is_null())
        .order_by_asc(app_user::Column::CreatedAt)
        .order_by_asc(app_user::Column::Id)
        .one(ctx.db.conn())
        .await?
        .map(UserView::from))
}

pub async fn user_count(ctx: &Ctx) -> Result<u64, AppError> {
    use sea_orm::PaginatorTrait;
    Ok(app_user::Entity::find().count(ctx.db.conn()).await?)
}

/// The accounts of each person the actor may read (a notice says whether its recipient can read
/// it).
pub async fn accounts_of_people(
    ctx: &Ctx,
    actor: &Actor,
    person_ids: &[Uuid],
) -> Result<Vec<UserView>, AppError> {
    let rows = actor
        .readable()
        .select::<app_user::Entity>()
        .filter(app_user::Column::PersonId.is_in(person_ids.iter().copied()))
        .all(ctx.db.conn())
        .await?;
    Ok(rows.into_iter().map(UserView::from).collect())
}

pub async fn find_user(ctx: &Ctx, user_id: Uuid) -> Result<Option<UserView>, AppError> {
    Ok(app_user::Entity::find_by_id(user_id)
        .one(ctx.db.conn())
        .await?
        .map(UserView::from))
}
