//! pave-hotspots: clickable PAVE damage hotspots over the photos of a car.
//!
//! The crate has three rooms:
//! - [`core`]: pure Rust with no web-sys, tested on the host. The PAVE results model, the words
//!   shown to people, the geometry of a replaced element's picture, and layout decisions.
//! - `dom` (wasm32 only): a thin layer over web-sys that measures the page, then writes to it,
//!   inside a shadow root.
//! - `api` (wasm32 only): the wasm-bindgen exports the custom-element shell in `js/` calls.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

#[cfg(target_arch = "wasm32")]
pub mod api;
pub mod core;
#[cfg(target_arch = "wasm32")]
pub mod dom;
