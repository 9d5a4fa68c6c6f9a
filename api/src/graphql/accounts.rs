//! Accounts and sessions: signing in and out, the caller's own password and sessions, and the
//! presidium's management of its organisation's accounts.

use async_graphql::{ComplexObject, Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::args::{id_of, optional_id};
use super::context;
use super::error::GqlResult;
use super::loaders::UserKey;
use super::organizations::{Organization, Person, organization, person};
use super::scalars::{Role, to_id};
use crate::graphql::connection::shows;
use crate::service::accounts::Caller;
use crate::service::accounts::{self, NewUser, SessionInfoView};
use crate::service::views::UserView;

#[derive(Clone)]
pub struct User(pub UserView);

shows!(User: UserView);

/// A user the caller may read, through the request's DataLoader.
pub async fn user(ctx: &Context<'_>, id: uuid::Uuid) -> async_graphql::Result<User> {
    context::load_required(ctx, UserKey(id), "user")
        .await
        .map(User)
}

#[Object]
impl User {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn username(&self) -> &str {
        &self.0.username
    }

    async fn role(&self) -> Role {
        self.0.role.into()
    }

    async fn person(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person(ctx, self.0.person_id).await
    }

    async fn organization(&self, ctx: &Context<'_>) -> async_graphql::Result<Organization> {
        organization(ctx, self.0.organization_id).await
    }

    /// A disabled account cannot sign in; its sessions and calendar feed ended with it.
    async fn disabled(&self) -> bool {
        self.0.disabled
    }

    /// set after a reset and for the first admin: the next sign-in must choose a new password
    async fn must_change_password(&self) -> bool {
        self.0.must_change_password
    }
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Session {
    /// Send as `Authorization: Bearer <token>`; it is shown only once.
    token: String,
    expires_at: DateTime<Utc>,
    #[graphql(skip)]
    user: UserView,
}

#[ComplexObject]
impl Session {
    async fn user(&self) -> User {
        User(self.user.clone())
    }
}

/// One of the caller's live sessions (a browser, a phone, a script).
pub struct SessionInfo(SessionInfoView);

#[Object]
impl SessionInfo {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn expires_at(&self) -> DateTime<Utc> {
        self.0.expires_at
    }

    /// When a request last came with it, to within five minutes.
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }

    /// The session this request was sent with.
    async fn current(&self) -> bool {
        self.0.current
    }
}

#[derive(InputObject)]
pub struct CreateUserInput {
    username: String,
    password: String,
    role: Role,
    person_id: Option<ID>,
}

#[derive(Default)]
pub struct AccountsQuery;

#[Object]
impl AccountsQuery {
    /// The signed-in user; null without a token.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        if matches!(context::request(ctx)?.caller, Caller::Anonymous) {
            return Ok(None);
        }
        let (actor, ..) = context::account(ctx)?;
        let user = accounts::find_user(context::service(ctx)?, actor.user_id())
            .await
            .gql()?;
        Ok(user.map(User))
    }

    /// presidium: the organisation's accounts
    async fn users(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<User>> {
        let actor = context::actor(ctx)?;
        let list = accounts::list_users(context::service(ctx)?, actor)
            .await
            .gql()?;
        Ok(list.into_iter().map(User).collect())
    }

    /// the caller's own sessions
    async fn sessions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<SessionInfo>> {
        let (actor, token, _) = context::account(ctx)?;
        let list = accounts::sessions(context::service(ctx)?, actor, token)
            .await
            .gql()?;
        Ok(list.into_iter().map(SessionInfo).collect())
    }
}

#[derive(Default)]
pub struct AccountsMutation;

#[Object]
impl AccountsMutation {
    /// Signs in. Failed attempts per username are limited.
    async fn login(
        &self,
        ctx: &Context<'_>,
        username: String,
        password: String,
    ) -> async_graphql::Result<Session> {
        let client = context::request(ctx)?.client;
        let service = context::service(ctx)?;
        let session = accounts::login(service, &service.logins, &username, &password, client)
            .await
            .gql()?;
        Ok(Session {
            token: session.token,
            expires_at: session.expires_at,
            user: session.user,
        })
    }

    /// Revokes the token this request was sent with.
    async fn logout(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let (_, token, _) = context::account(ctx)?;
        accounts::logout(context::service(ctx)?, token).await.gql()
    }

    /// Replaces the caller's password, proving the current one; every other session of theirs
    /// ends. The one thing an account given a one-time password may do.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        current_password: String,
        new_password: String,
    ) -> async_graphql::Result<bool> {
        let (actor, token, _) = context::account(ctx)?;
        let service = context::service(ctx)?;
        accounts::change_password(
            service,
            &service.logins,
            actor,
            token,
            context::request(ctx)?.client,
            &current_password,
            &new_password,
        )
        .await
        .gql()
    }

    /// presidium: returns a one-time password that must be changed at the next sign-in
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
    ) -> async_graphql::Result<String> {
        let actor = context::actor(ctx)?;
        let user_id = id_of("userId")(user_id)?;
        accounts::reset_password(context::service(ctx)?, actor, user_id)
            .await
            .gql()
    }

    /// presidium: ends every session and calendar feed of the user
    async fn disable_user(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<User> {
        let (service, actor) = context::signed(ctx)?;
        let id = id_of("id")(id)?;
        accounts::disable_user(service, actor, id).await.answer()
    }

    async fn enable_user(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<User> {
        let (service, actor) = context::signed(ctx)?;
        let id = id_of("id")(id)?;
        accounts::enable_user(service, actor, id).await.answer()
    }

    /// Ends one of the caller's own sessions; false when it had already ended.
    async fn revoke_session(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<bool> {
        let (actor, ..) = context::account(ctx)?;
        let id = id_of("id")(id)?;
        accounts::revoke_session(context::service(ctx)?, actor, id)
            .await
            .gql()
    }

    /// presidium: an account of its organisation; the password given must be changed at the
    /// account's first sign-in (it was chosen by someone else)
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        input: CreateUserInput,
    ) -> async_graphql::Result<User> {
        let (service, actor) = context::signed(ctx)?;
        let person_id = optional_id("personId", input.person_id.as_ref())?;
        accounts::create_user(
            service,
            actor,
            NewUser {
                username: input.username,
                password: input.password,
                role: input.role.into(),
                person_id,
                must_change_password: true,
            },
        )
        .await
        .answer()
    }
}
