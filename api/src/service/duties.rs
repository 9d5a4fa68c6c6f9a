//! Separation of duties, by person rather than by account: whoever did a piece of work (reported
//! a milestone done, resolved a finding) does not also check it, through this account or another
//! account of the same person.

use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

use super::Actor;
use crate::entity::app_user;
use crate::error::AppError;

/// FORBIDDEN when the account `doer`, or its person, is the actor's: they may not check `what`.
pub async fn check_not_own(
    db: &impl ConnectionTrait,
    actor: &Actor,
    doer: Uuid,
    what: &str,
) -> Result<(), AppError> {
    let same_person = match actor.access.person_id {
        Some(person) if doer != actor.user_id() => app_user::Entity::find_by_id(doer)
            .one(db)
            .await?
            .is_some_and(|account| account.person_id == Some(person)),
        _ => false,
    };
    if doer == actor.user_id() || same_person {
        return Err(AppError::Forbidden(format!(
            "nobody checks {what}, through any of their accounts; another deputy or the \
             presidium must"
        )));
    }
    Ok(())
}
