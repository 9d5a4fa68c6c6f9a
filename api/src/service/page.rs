//! Relay-style pages: `first` (default 20, at most 100) items after an opaque cursor. Cursors
//! carry the sort key of the last item (keyset pagination), so pages stay correct while rows are
//! added and cost an index seek, not an offset scan.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiandu_domain::Reason;
use jiandu_domain::field;
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::error::AppError;

pub const DEFAULT_PAGE_SIZE: u64 = 20;
pub const MAX_PAGE_SIZE: u64 = 100;

#[derive(Debug, Clone)]
pub struct PageRequest<K> {
    pub first: u64,
    pub after: Option<K>,
}

impl<K> PageRequest<K> {
    /// The first page of the largest size there is: what a workbench list shows.
    pub fn largest() -> Self {
        PageRequest {
            first: MAX_PAGE_SIZE,
            after: None,
        }
    }
}

impl<K: DeserializeOwned> PageRequest<K> {
    pub fn new(first: Option<i32>, after: Option<&str>) -> Result<Self, AppError> {
        let first = match first {
            None => DEFAULT_PAGE_SIZE,
            Some(n) if (0..=MAX_PAGE_SIZE as i32).contains(&n) => n as u64,
            Some(n) => {
                return Err(AppError::invalid(
                    field::FIRST,
                    Reason::OutOfRange {
                        min: 0,
                        max: MAX_PAGE_SIZE as i64,
                    },
                    format!("must be between 0 and {MAX_PAGE_SIZE}, not {n}"),
                ));
            }
        };
        let after = after.map(decode_cursor).transpose()?;
        Ok(PageRequest { first, after })
    }
}

#[derive(Debug, Clone)]
pub struct Page<T> {
    /// Each item with the cursor that points just past it.
    pub items: Vec<(String, T)>,
    pub has_next_page: bool,
    pub total: u64,
}

impl<T> Page<T> {
    /// Builds a page from up to `first + 1` rows fetched in order; the extra row only tells
    /// whether another page follows.
    pub fn from_rows<K: Serialize>(
        mut rows: Vec<T>,
        first: u64,
        total: u64,
        key: impl Fn(&T) -> K,
    ) -> Self {
        let has_next_page = rows.len() as u64 > first;
        rows.truncate(first as usize);
        let items = rows
            .into_iter()
            .map(|row| (encode_cursor(&key(&row)), row))
            .collect();
        Page {
            items,
            has_next_page,
            total,
        }
    }

    /// Pages through an already ordered list (a record's nested items, loaded whole) with the
    /// same cursors as the list's SQL form: the items after the one with id `after`.
    pub fn in_memory<K: Serialize>(
        items: Vec<T>,
        first: u64,
        after: Option<Uuid>,
        id: impl Fn(&T) -> Uuid,
        key: impl Fn(&T) -> K,
    ) -> Self {
        let total = items.len() as u64;
        let start = after
            .and_then(|after| items.iter().position(|item| id(item) == after))
            .map_or(0, |i| i + 1);
        let rows = items
            .into_iter()
            .skip(start)
            .take(first as usize + 1)
            .collect();
        Page::from_rows(rows, first, total, key)
    }

    pub fn map<U>(self, mut f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(|(c, t)| (c, f(t))).collect(),
            has_next_page: self.has_next_page,
            total: self.total,
        }
    }
}

pub fn encode_cursor(key: &impl Serialize) -> String {
    // Serialising plain keys (dates, strings, ids) cannot fail.
    let json = serde_json::to_vec(key).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(json)
}

pub fn decode_cursor<K: DeserializeOwned>(cursor: &str) -> Result<K, AppError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| {
            AppError::invalid(
                field::AFTER,
                Reason::NotACursor,
                "is not a cursor this list handed out",
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_forgeries_are_refused() {
        let cursor = encode_cursor(&("2026-06-30", "设计", 7));
        let key: (String, String, i32) = decode_cursor(&cursor).unwrap();
        assert_eq!(key, ("2026-06-30".into(), "设计".into(), 7));
        assert!(decode_cursor::<(String, String, i32)>("not-a-cursor!").is_err());
    }

    #[test]
    fn page_size_is_bounded() {
        assert!(PageRequest::<String>::new(Some(101), None).is_err());
        assert!(PageRequest::<String>::new(Some(-1), None).is_err());
        assert_eq!(PageRequest::<String>::new(None, None).unwrap().first, 20);
    }
}
