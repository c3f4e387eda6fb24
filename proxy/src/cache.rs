//! A bounded in-memory cache of answers by session key: least recently used entries are evicted
//! once the bodies kept exceed a byte budget, and expired entries are dropped when met.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::outcome::Answer;

/// Rough per-entry bookkeeping cost, so that many tiny entries still count against the budget.
const ENTRY_OVERHEAD: usize = 256;

pub(crate) struct Cache {
    max_bytes: usize,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<String, Entry>,
    /// Use order: the smallest tick is the least recently used key.
    by_use: BTreeMap<u64, String>,
    next_tick: u64,
    bytes: usize,
}

struct Entry {
    answer: Arc<Answer>,
    tick: u64,
    size: usize,
}

impl Cache {
    pub(crate) fn new(max_bytes: usize) -> Cache {
        Cache { max_bytes, inner: Mutex::new(Inner::default()) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic elsewhere cannot leave the maps half-updated in a way that matters here.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The fresh answer for `key`, marking it as recently used; an expired one is dropped.
    pub(crate) fn get(&self, key: &str, now: Instant) -> Option<Arc<Answer>> {
        let mut inner = self.lock();
        let fresh = inner.entries.get(key).map(|e| e.answer.is_fresh(now))?;
        if !fresh {
            inner.remove(key);
            return None;
        }
        let tick = inner.tick();
        let entry = inner.entries.get_mut(key)?;
        let old = std::mem::replace(&mut entry.tick, tick);
        let answer = entry.answer.clone();
        inner.by_use.remove(&old);
        inner.by_use.insert(tick, key.to_owned());
        Some(answer)
    }

    /// Keeps `answer` under `key` if it has a lifetime and fits the budget.
    pub(crate) fn insert(&self, key: &str, answer: Arc<Answer>) {
        if answer.ttl.is_zero() {
            return;
        }
        let size = answer.body.len() + key.len() + ENTRY_OVERHEAD;
        if size > self.max_bytes {
            return;
        }
        let mut inner = self.lock();
        inner.remove(key);
        while inner.bytes + size > self.max_bytes {
            let Some((_, oldest)) = inner.by_use.pop_first() else {
                break;
            };
            if let Some(gone) = inner.entries.remove(&oldest) {
                inner.bytes -= gone.size;
            }
        }
        let tick = inner.tick();
        inner.by_use.insert(tick, key.to_owned());
        inner.bytes += size;
        inner.entries.insert(key.to_owned(), Entry { answer, tick, size });
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().entries.len()
    }
}

impl Inner {
    fn tick(&mut self) -> u64 {
        self.next_tick += 1;
        self.next_tick
    }

    fn remove(&mut self, key: &str) {
        if let Some(entry) = self.entries.remove(key) {
            self.by_use.remove(&entry.tick);
            self.bytes -= entry.size;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::time::Duration;

    use axum::http::StatusCode;
    use bytes::Bytes;

    use super::*;
    use crate::config::CachePolicy;

    fn answer(body: &str, ttl_s: u64) -> Arc<Answer> {
        let policy = CachePolicy { result_ttl: Duration::from_secs(ttl_s), ..CachePolicy::default() };
        let body = format!(r#"{{"success":true,"pad":"{body}"}}"#);
        Arc::new(Answer::new(StatusCode::OK, Bytes::from(body), &policy))
    }

    #[test]
    fn expired_entries_are_not_served() {
        let cache = Cache::new(1 << 20);
        let a = answer("x", 10);
        let t0 = a.fetched_at;
        cache.insert("K", a);
        assert!(cache.get("K", t0 + Duration::from_secs(9)).is_some());
        assert!(cache.get("K", t0 + Duration::from_secs(10)).is_none());
        assert_eq!(cache.len(), 0);
    }

    #[test]
    fn zero_ttl_is_not_kept() {
        let cache = Cache::new(1 << 20);
        cache.insert("K", answer("x", 0));
        assert_eq!(cache.len(), 0);
    }

    #[test]
    fn least_recently_used_goes_first() {
        let pad = "p".repeat(1000);
        let one = answer(&pad, 60).body.len() + 1 + ENTRY_OVERHEAD;
        let cache = Cache::new(one * 3);
        let now = Instant::now();
        cache.insert("A", answer(&pad, 60));
        cache.insert("B", answer(&pad, 60));
        cache.insert("C", answer(&pad, 60));
        assert!(cache.get("A", now).is_some()); // A is now the most recent
        cache.insert("D", answer(&pad, 60)); // evicts B
        assert!(cache.get("B", now).is_none());
        for k in ["A", "C", "D"] {
            assert!(cache.get(k, now).is_some(), "{k}");
        }
        assert_eq!(cache.len(), 3);
    }

    #[test]
    fn replacing_a_key_keeps_the_books_straight() {
        let cache = Cache::new(10_000);
        for _ in 0..100 {
            cache.insert("K", answer("x", 60));
        }
        assert_eq!(cache.len(), 1);
        let inner = cache.lock();
        assert_eq!(inner.by_use.len(), 1);
        assert!(inner.bytes < 10_000);
    }

    #[test]
    fn oversized_answers_are_not_kept() {
        let cache = Cache::new(100);
        cache.insert("K", answer(&"x".repeat(200), 60));
        assert_eq!(cache.len(), 0);
    }
}
