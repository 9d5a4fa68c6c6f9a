//! A domain value kept in a text column under its code (`NOT_STARTED`, `PRESIDIUM`, …): the
//! column is typed in the entity, so no service parses a stored status, and a code the domain
//! does not know fails the read itself (a database error, so INTERNAL wherever it happens).
//!
//! One generic wrapper rather than a sea-orm active enum per domain enum: the domain crate knows
//! no IO (so its enums cannot carry sea-orm's traits), and a second copy of every variant list
//! would be one more place to forget a variant. The strings are the ones already stored, so no
//! migration changes data.

use std::fmt::Display;
use std::str::FromStr;
use std::sync::Arc;

use sea_orm::sea_query::{ArrayType, ColumnType, Nullable, ValueType, ValueTypeErr};
use sea_orm::{ColIdx, DbErr, QueryResult, TryGetError, TryGetable, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stored<T>(pub T);

impl<T> From<T> for Stored<T> {
    fn from(value: T) -> Self {
        Stored(value)
    }
}

/// A stored code that is not one of the domain's.
#[derive(Debug, thiserror::Error)]
#[error("unexpected stored value `{value}` for {of}")]
struct UnknownCode {
    value: String,
    of: &'static str,
}

fn decode<T: FromStr>(value: String) -> Result<T, UnknownCode> {
    value.parse().map_err(|_| UnknownCode {
        value,
        of: std::any::type_name::<T>(),
    })
}

impl<T: Display> From<Stored<T>> for Value {
    fn from(stored: Stored<T>) -> Self {
        Value::String(Some(stored.0.to_string()))
    }
}

impl<T: FromStr> TryGetable for Stored<T> {
    fn try_get_by<I: ColIdx>(row: &QueryResult, index: I) -> Result<Self, TryGetError> {
        let text = String::try_get_by(row, index)?;
        decode(text).map(Stored).map_err(|error| {
            TryGetError::DbErr(DbErr::TryIntoErr {
                from: "String",
                into: std::any::type_name::<T>(),
                source: Arc::new(error),
            })
        })
    }
}

impl<T: FromStr> ValueType for Stored<T> {
    fn try_from(value: Value) -> Result<Self, ValueTypeErr> {
        let text = <String as ValueType>::try_from(value)?;
        decode(text).map(Stored).map_err(|_| ValueTypeErr)
    }

    fn type_name() -> String {
        std::any::type_name::<T>().to_owned()
    }

    fn array_type() -> ArrayType {
        ArrayType::String
    }

    fn column_type() -> ColumnType {
        ColumnType::Text
    }
}

/// Inside a JSON column (an opinion's points) a value is kept under its code too.
impl<T: Display> serde::Serialize for Stored<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de, T: FromStr> serde::Deserialize<'de> for Stored<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        decode(text).map(Stored).map_err(serde::de::Error::custom)
    }
}

impl<T> Nullable for Stored<T> {
    fn null() -> Value {
        Value::String(None)
    }
}

#[cfg(test)]
mod tests {
    use jiandu_domain::MilestoneStatus;

    use super::*;

    #[test]
    fn a_value_is_stored_under_its_code_and_an_unknown_code_is_refused() {
        assert_eq!(
            Value::from(Stored(MilestoneStatus::InProgress)),
            Value::String(Some("IN_PROGRESS".into()))
        );
        let read = <Stored<MilestoneStatus> as ValueType>::try_from(Value::from("DONE"));
        assert_eq!(read.ok(), Some(Stored(MilestoneStatus::Done)));
        assert!(<Stored<MilestoneStatus> as ValueType>::try_from(Value::from("done")).is_err());
    }
}
