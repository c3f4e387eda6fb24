//! Cache lookup plus coalescing: at most one call to the source per session key at a time, and
//! every request for that key waits for the same outcome.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::sync::watch;

use crate::cache::Cache;
use crate::fixtures::Fixtures;
use crate::log::{CacheNote, CacheStatus};
use crate::outcome::{Failure, Outcome};
use crate::upstream::Upstream;

/// Where answers come from.
pub(crate) enum Source {
    Upstream(Upstream),
    Fixtures(Fixtures),
}

impl Source {
    async fn fetch(&self, key: &str) -> Outcome {
        match self {
            Source::Upstream(upstream) => upstream.fetch(key).await,
            Source::Fixtures(fixtures) => fixtures.fetch(key).await,
        }
    }

    pub(crate) fn name(&self) -> &'static str {
        match self {
            Source::Upstream(_) => "upstream",
            Source::Fixtures(_) => "fixtures",
        }
    }
}

type InFlight = watch::Receiver<Option<Outcome>>;

pub(crate) struct Fetcher {
    source: Source,
    cache: Cache,
    in_flight: Mutex<HashMap<String, InFlight>>,
}

impl Fetcher {
    pub(crate) fn new(source: Source, cache: Cache) -> Fetcher {
        Fetcher { source, cache, in_flight: Mutex::new(HashMap::new()) }
    }

    pub(crate) fn source_name(&self) -> &'static str {
        self.source.name()
    }

    /// The outcome for a validated session key, and how the cache was involved (also put in `note`
    /// as soon as it is known, before the outcome is).
    pub(crate) async fn lookup(self: &Arc<Self>, key: &str, note: &CacheNote) -> (Outcome, CacheStatus) {
        if let Some(answer) = self.cache.get(key, Instant::now()) {
            note.set(CacheStatus::Hit);
            return (Outcome::Answer(answer), CacheStatus::Hit);
        }
        let (mut receiver, status) = {
            let mut in_flight = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
            // The leader fills the cache before it leaves `in_flight`, so checking again under this
            // lock closes the gap in which a request would miss both and call upstream twice.
            if let Some(answer) = self.cache.get(key, Instant::now()) {
                note.set(CacheStatus::Hit);
                return (Outcome::Answer(answer), CacheStatus::Hit);
            }
            match in_flight.get(key) {
                Some(receiver) => (receiver.clone(), CacheStatus::Coalesced),
                None => {
                    let (sender, receiver) = watch::channel(None);
                    in_flight.insert(key.to_owned(), receiver.clone());
                    // A task of its own, so the call completes (and is cached) even if the client
                    // that started it goes away.
                    tokio::spawn(self.clone().lead(key.to_owned(), sender));
                    (receiver, CacheStatus::Miss)
                }
            }
        };
        note.set(status);
        let outcome = match receiver.wait_for(Option::is_some).await {
            Ok(outcome) => outcome.clone().unwrap_or(Outcome::Failure(Failure::Internal)),
            Err(_) => Outcome::Failure(Failure::Internal),
        };
        (outcome, status)
    }

    async fn lead(self: Arc<Self>, key: String, sender: watch::Sender<Option<Outcome>>) {
        let guard = LeaveInFlight { fetcher: &self, key: &key };
        let outcome = self.source.fetch(&key).await;
        if let Outcome::Answer(answer) = &outcome {
            self.cache.insert(&key, answer.clone());
        }
        drop(guard);
        // No receiver left is fine: the answer is cached for the next request anyway.
        let _ = sender.send(Some(outcome));
    }
}

/// Removes the key from `in_flight` however the leading task ends.
struct LeaveInFlight<'a> {
    fetcher: &'a Fetcher,
    key: &'a str,
}

impl Drop for LeaveInFlight<'_> {
    fn drop(&mut self) {
        self.fetcher.in_flight.lock().unwrap_or_else(|e| e.into_inner()).remove(self.key);
    }
}
