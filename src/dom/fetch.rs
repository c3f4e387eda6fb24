//! Our own small fetch module: a GET with an abort signal and a body-size cap, read as bytes.
//!
//! It started over gloo-net, kept to this one function so it could be swapped; it now calls
//! web-sys fetch directly: gloo-net (and the `http` crate and error formatting it brings) cost
//! the shipped binary 7.6 KB of wasm and 5 KB of JS glue for one GET. Nothing else changed.

#[allow(unused_imports)]
use crate::prelude::*;

use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, ReadableStreamDefaultReader};

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
}

/// GETs `url`, reading at most `max_bytes` of body. Content types are not checked: proxies
/// send PAVE's JSON as `application/json`, `text/plain` or nothing, and the model reads all.
pub async fn get(url: &str, signal: &AbortSignal, max_bytes: usize) -> Result<Fetched, FetchError> {
    let failed = |e: wasm_bindgen::JsValue| {
        if signal.aborted() {
            FetchError::Aborted
        } else {
            FetchError::Network(e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_default())
        }
    };
    let init = web_sys::RequestInit::new();
    init.set_signal(Some(signal));
    let headers = web_sys::Headers::new().map_err(failed)?;
    headers.set("Accept", "application/json").map_err(failed)?;
    init.set_headers(&headers);
    let window = web_sys::window().ok_or_else(|| FetchError::Network("no window".into()))?;
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str_and_init(url, &init)).await.map_err(failed)?.unchecked_into();
    let status = response.status();

    // A declared length over the cap fails before reading anything.
    let declared = response.headers().get("content-length").ok().flatten().and_then(|v| v.trim().parse::<usize>().ok());
    if let Some(len) = declared.filter(|len| *len > max_bytes) {
        return Err(FetchError::TooLarge(len));
    }

    let mut body = Vec::with_capacity(declared.unwrap_or(0).min(max_bytes));
    let Some(stream) = response.body() else {
        return Ok(Fetched { status, body });
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
    Ok(Fetched { status, body })
}
