//! Our own small fetch module: a GET with an abort signal and a body-size cap, read as bytes.
//!
//! It started over gloo-net, kept to this one function so it could be swapped; it now calls
//! `fetch` through js/request.js: gloo-net (and the `http` crate and error formatting it brings)
//! cost the shipped binary 7.6 KB of wasm and 5 KB of JS glue for one GET. The request itself is
//! made in JS so that the page can start it before the engine has loaded (see js/request.js).

#[allow(unused_imports)]
use crate::prelude::*;

use js_sys::Uint8Array;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, ReadableStreamDefaultReader};

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
    /// `fetch(url)` with `Accept: application/json` and `signal`, or the request the page
    /// started for `host` before the engine existed, when it is for `url` (see js/request.js).
    #[wasm_bindgen(catch)]
    fn request(host: &JsValue, url: &str, signal: &AbortSignal) -> Result<js_sys::Promise, JsValue>;
}

/// GETs `url` for the widget on `host`, reading at most `max_bytes` of body. Content types are
/// not checked: proxies send PAVE's JSON as `application/json`, `text/plain` or nothing, and the
/// model reads all.
pub async fn get(host: &JsValue, url: &str, signal: &AbortSignal, max_bytes: usize) -> Result<Fetched, FetchError> {
    let failed = |e: JsValue| {
        if signal.aborted() {
            FetchError::Aborted
        } else {
            FetchError::Network(e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_default())
        }
    };
    let response: web_sys::Response =
        JsFuture::from(request(host, url, signal).map_err(failed)?).await.map_err(failed)?.unchecked_into();
    let status = response.status();
    let retry_after = if is_transient(status) { response.headers().get("retry-after").ok().flatten() } else { None };

    // A declared length over the cap fails before reading anything.
    let declared = response.headers().get("content-length").ok().flatten().and_then(|v| v.trim().parse::<usize>().ok());
    if let Some(len) = declared.filter(|len| *len > max_bytes) {
        return Err(FetchError::TooLarge(len));
    }

    let mut body = Vec::with_capacity(declared.unwrap_or(0).min(max_bytes));
    let Some(stream) = response.body() else {
        return Ok(Fetched { status, body, retry_after });
    };
    let reader: ReadableStreamDefaultReader =
        stream.get_reader().dyn_into().map_err(|_| FetchError::Network("the response body cannot be read".into()))?;
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(failed)?;
        let done = js_sys::Reflect::get(&chunk, &"done".into()).ok().is_some_and(|d| d.is_truthy());
        if done {
            break;
        }
        let Ok(value) = js_sys::Reflect::get(&chunk, &"value".into()) else {
            break;
        };
        let Ok(bytes) = value.dyn_into::<Uint8Array>() else {
            break;
        };
        let len = bytes.length() as usize;
        if body.len() + len > max_bytes {
            let _ = reader.cancel();
            return Err(FetchError::TooLarge(body.len() + len));
        }
        // `to_vec`, not `copy_to`: the latter's length assert brings formatting into the wasm.
        body.extend_from_slice(&bytes.to_vec());
    }
    Ok(Fetched { status, body, retry_after })
}
