//! Turning arguments into what services take, the same way in every module: ids, optional ids,
//! the record a mutation targets, clearable fields, and counts as GraphQL `Int`s.

use async_graphql::{ID, MaybeUndefined};
use uuid::Uuid;

use super::error::GqlResult;
use super::scalars::parse_id;
use crate::error::AppError;

/// An optional id argument; a malformed one is VALIDATION_FAILED on `field`.
pub fn optional_id(field: &str, id: Option<&ID>) -> async_graphql::Result<Option<Uuid>> {
    id.map(|id| parse_id(field, id)).transpose().gql()
}

/// A parser for the id argument `field`, for [`patch`] and `map`.
pub fn id_of(field: &'static str) -> impl Fn(ID) -> async_graphql::Result<Uuid> {
    move |id| parse_id(field, &id).gql()
}

/// The record a mutation acts on: an id that cannot name one is NOT_FOUND, as a missing one is.
pub fn target(id: &ID, what: &str) -> async_graphql::Result<Uuid> {
    parse_id("id", id)
        .map_err(|_| AppError::not_found(what))
        .gql()
}

/// A clearable field: `None` keeps, `Some(None)` clears, `Some(Some(v))` sets.
pub fn patch<T, U>(
    value: MaybeUndefined<T>,
    f: impl FnOnce(T) -> async_graphql::Result<U>,
) -> async_graphql::Result<Option<Option<U>>> {
    Ok(match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(f(v)?)),
    })
}

/// A count or a number of days as a GraphQL `Int`, saturating.
pub fn int(n: impl TryInto<i32>) -> i32 {
    n.try_into().unwrap_or(i32::MAX)
}

/// A record and the version the client saw, for a batch step.
#[derive(async_graphql::InputObject)]
pub struct VersionedId {
    pub id: ID,
    pub expected_version: i32,
}

/// The records a batch step acts on: an id that cannot name one is NOT_FOUND, naming it.
pub fn targets(ids: &[ID], what: &str) -> async_graphql::Result<Vec<Uuid>> {
    ids.iter()
        .map(|id| {
            parse_id("id", id)
                .map_err(|_| AppError::not_found(what).about(&format!("{what} {}", id.as_str())))
        })
        .collect::<Result<Vec<_>, _>>()
        .gql()
}
