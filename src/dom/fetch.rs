//! Our own small fetch module: a GET with an abort signal and a body-size cap, read as bytes.
//!
//! It started over gloo-net, kept to this one function so it could be swapped; it now calls
//! `get` of js/request.js: gloo-net (and the `http` crate and error formatting it brings) cost
//! the shipped binary 7.6 KB of wasm and 5 KB of JS glue for one GET. The request itself is made
//! in JS so that the page can start it before the engine has loaded (see js/request.js), and the
//! body is read there too, handing the engine one callback with the result: an `async` reader in
//! Rust (the futures executor, its task queue, a state machine of every `await`, and the
//! formatting that their `RefCell` panics bring) cost 3.8 KB gzip more.

#[allow(unused_imports)]
use crate::prelude::*;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use web_sys::AbortSignal;

use crate::core::policy::is_transient;

/// Why a fetch produced no response.
#[derive(Debug, Clone, PartialEq)]
pub enum FetchError {
    /// The network failed (DNS, refused, CORS, offline); the browser's words.
    Network(String),
    /// The signal was aborted (a newer request, `destroy()`, or the timeout: the caller knows
    /// which).
    Aborted,
    /// The body is larger than the cap.
    TooLarge(usize),
}

/// A response: status and body bytes.
#[derive(Debug)]
pub struct Fetched {
    /// The HTTP status.
    pub status: u16,
    /// The body, at most the cap.
    pub body: Vec<u8>,
    /// `Retry-After`, when the status is one worth retrying (see core::policy::is_transient).
    pub retry_after: Option<String>,
}

#[wasm_bindgen(module = "/js/request.js")]
extern "C" {
    /// GETs `url` for `host` (the request the page started early, or a new one with `signal`)
    /// and reads at most `max` bytes of its body, then calls `done` once; see js/request.js for
    /// what `done` is given.
    #[wasm_bindgen(js_name = get)]
    fn get_then(host: &JsValue, url: &str, signal: &AbortSignal, max: usize, done: JsValue);
}

/// GETs `url` for the widget on `host`, reading at most `max_bytes` of body, and calls `done`
/// with the result (never synchronously). Content types are not checked: proxies send PAVE's
/// JSON as `application/json`, `text/plain` or nothing, and the model reads all.
pub fn get(
    host: &JsValue,
    url: &str,
    signal: &AbortSignal,
    max_bytes: usize,
    done: impl FnOnce(Result<Fetched, FetchError>) + 'static,
) {
    // js/request.js's `done(status, body, text, over)`: a body means a response (and `text` its
    // `Retry-After`); else `over` bytes is a body over the cap, `text` the network's error, and
    // neither an abort.
    // (`text` comes as a JsValue, read here: a string argument costs the closure's glue a
    // conversion of its own.)
    let done = Closure::once_into_js(move |status: u16, body: Option<Vec<u8>>, text: JsValue, over: usize| {
        let text = text.as_string();
        done(match body {
            Some(body) => Ok(Fetched { status, body, retry_after: text.filter(|_| is_transient(status)) }),
            None if over > 0 => Err(FetchError::TooLarge(over)),
            None => text.map_or(Err(FetchError::Aborted), |m| Err(FetchError::Network(m))),
        });
    });
    get_then(host, url, signal, max_bytes, done);
}
