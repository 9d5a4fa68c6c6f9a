//! Figures derived from the data (a county's dashboard takes five grouped scans), kept for as
//! long as nothing has been written since they were computed.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Derived values by key, each tagged with the [`crate::db::Changes`] number it was computed
/// under; a value is served only while that number is unchanged and it is younger than the
/// time to live (which bounds what a missed change can cost, and what midnight leaves behind).
pub struct Memo<K, V> {
    entries: Arc<Mutex<HashMap<K, Entry<V>>>>,
    ttl: Duration,
    /// More keys than this and the memo drops what is stale, or starts over.
    capacity: usize,
}

struct Entry<V> {
    changes: u64,
    at: Instant,
    value: V,
}

impl<K, V> Clone for Memo<K, V> {
    fn clone(&self) -> Self {
        Memo {
            entries: self.entries.clone(),
            ttl: self.ttl,
            capacity: self.capacity,
        }
    }
}

impl<K: Eq + Hash, V: Clone> Memo<K, V> {
    /// Keys (organisations × days asked about) a memo holds unless told otherwise.
    const CAPACITY: usize = 4096;

    /// A memo whose values live at most `ttl`; zero turns it off.
    pub fn new(ttl: Duration) -> Self {
        Memo::with_capacity(ttl, Self::CAPACITY)
    }

    /// A memo of at most `capacity` keys.
    pub fn with_capacity(ttl: Duration, capacity: usize) -> Self {
        Memo {
            entries: Arc::default(),
            ttl,
            capacity,
        }
    }

    pub fn get(&self, key: &K, changes: u64) -> Option<V> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|entry| entry.changes == changes && entry.at.elapsed() < self.ttl)
            .map(|entry| entry.value.clone())
    }

    /// Keeps `value`, computed from data read after [`crate::db::Changes`] said `changes`.
    pub fn put(&self, key: K, changes: u64, value: V) {
        if self.ttl.is_zero() {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= self.capacity {
            entries.retain(|_, entry| entry.changes == changes && entry.at.elapsed() < self.ttl);
            if entries.len() >= self.capacity {
                entries.clear();
            }
        }
        let at = Instant::now();
        entries.insert(key, Entry { changes, at, value });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_served_until_the_data_changes() {
        let memo = Memo::new(Duration::from_secs(60));
        memo.put("county", 7, 42);
        assert_eq!(memo.get(&"county", 7), Some(42));
        assert_eq!(memo.get(&"county", 8), None, "a write happened since");
        assert_eq!(memo.get(&"town", 7), None);
    }

    #[test]
    fn a_value_expires_and_zero_turns_the_memo_off() {
        let memo = Memo::new(Duration::from_millis(1));
        memo.put("county", 1, 42);
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(memo.get(&"county", 1), None);
        let off = Memo::new(Duration::ZERO);
        off.put("county", 1, 42);
        assert_eq!(off.get(&"county", 1), None);
    }

    #[test]
    fn the_memo_stays_bounded() {
        let memo = Memo::new(Duration::from_secs(60));
        for key in 0..(Memo::<usize, usize>::CAPACITY * 2) {
            memo.put(key, 1, key);
        }
        assert!(memo.entries.lock().unwrap().len() <= Memo::<usize, usize>::CAPACITY);
    }
}
