//! `--fixtures DIR`: answers shaped like PAVE's, from files, with no key and no network.
//!
//! Layout (for a session key `KEY` that passed validation):
//! - `DIR/KEY.json` → 200 with the file's bytes (a result with damages, or PAVE's no-damage body).
//! - `DIR/KEY.pending.json` beside it → the first N calls that reach the files (the
//!   `--fixture-pending-calls`, default 2) answer 400 with this file's bytes, later ones the
//!   `KEY.json`. Alone, without a `KEY.json`, the session stays "not yet inspected" forever.
//! - any other valid key → 404 `{"message": "Session KEY cannot be found."}`, as PAVE says it.
//!
//! Calls answered from the proxy's cache do not reach the files and so do not count.

use std::collections::HashMap;
use std::io::ErrorKind;
use std::path::PathBuf;
use std::sync::Mutex;

use axum::http::StatusCode;
use bytes::Bytes;

use crate::config::CachePolicy;
use crate::outcome::{Answer, Failure, Outcome};

pub(crate) struct Fixtures {
    dir: PathBuf,
    pending_calls: u32,
    policy: CachePolicy,
    /// Pending answers given so far, per session that has a `.pending.json`.
    served_pending: Mutex<HashMap<String, u32>>,
}

impl Fixtures {
    pub(crate) fn new(dir: PathBuf, pending_calls: u32, policy: CachePolicy) -> Fixtures {
        Fixtures { dir, pending_calls, policy, served_pending: Mutex::new(HashMap::new()) }
    }

    /// Answers for an already validated session key (so it is a safe file-name stem).
    pub(crate) async fn fetch(&self, key: &str) -> Outcome {
        match self.answer(key).await {
            Ok((status, body)) => Outcome::Answer(Answer::new(status, body, &self.policy).into()),
            Err(failure) => Outcome::Failure(failure),
        }
    }

    async fn answer(&self, key: &str) -> Result<(StatusCode, Bytes), Failure> {
        let result = read(self.dir.join(format!("{key}.json"))).await?;
        let pending = read(self.dir.join(format!("{key}.pending.json"))).await?;
        match (result, pending) {
            (None, None) => Ok((StatusCode::NOT_FOUND, not_found_body(key))),
            (None, Some(pending)) => Ok((StatusCode::BAD_REQUEST, pending)),
            (Some(result), None) => Ok((StatusCode::OK, result)),
            (Some(result), Some(pending)) => {
                let mut served = self.served_pending.lock().unwrap_or_else(|e| e.into_inner());
                let count = served.entry(key.to_owned()).or_insert(0);
                if *count < self.pending_calls {
                    *count += 1;
                    Ok((StatusCode::BAD_REQUEST, pending))
                } else {
                    Ok((StatusCode::OK, result))
                }
            }
        }
    }
}

/// PAVE's words for an unknown session, built with serde so that no key could break the JSON.
fn not_found_body(key: &str) -> Bytes {
    let message = format!("Session {key} cannot be found.");
    Bytes::from(serde_json::json!({ "message": message }).to_string())
}

async fn read(path: PathBuf) -> Result<Option<Bytes>, Failure> {
    match tokio::fs::read(&path).await {
        Ok(bytes) => Ok(Some(Bytes::from(bytes))),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(_) => Err(Failure::Fixture),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_body_is_pave_shaped() {
        assert_eq!(
            not_found_body("UDB-0000000000"),
            Bytes::from_static(br#"{"message":"Session UDB-0000000000 cannot be found."}"#)
        );
    }
}
