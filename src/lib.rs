//! pave-hotspots: clickable PAVE damage hotspots over the photos of a car.
//!
//! The crate has three rooms:
//! - [`core`]: pure Rust with no web-sys, tested on the host. The PAVE results model, the words
//!   shown to people, the geometry of a replaced element's picture, and layout decisions.
//! - `dom` (wasm32 only): a thin layer over web-sys that measures the page, then writes to it,
//!   inside a shadow root.
//! - `api` (wasm32 only): the wasm-bindgen exports the custom-element shell in `js/` calls.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]
// On wasm32 only `core` and `alloc` are used: with the `standalone` feature nothing links std.
#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

/// What std's prelude gives, for the `no_std` wasm build (the same types on the host).
mod prelude {
    #[cfg(target_arch = "wasm32")]
    pub use crate::core::float::Float;
    pub use alloc::borrow::ToOwned;
    pub use alloc::string::String;
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

/// The shipped build's panic handler: trap. wasm32-unknown-unknown aborts on panic anyway; trapping
/// here, without formatting the message, keeps std's panic machinery and most of `core::fmt` out
/// of the binary. The page's shell (js/engine.js) catches the trap and falls back for every live
/// widget. (An allocation failure ends here too.)
#[cfg(all(target_arch = "wasm32", feature = "standalone"))]
#[panic_handler]
fn panic(_: &::core::panic::PanicInfo<'_>) -> ! {
    ::core::arch::wasm32::unreachable()
}

/// The shipped build's allocator: talc, which grows wasm memory as needed (smaller and faster than
/// the dlmalloc std would have used; see Cargo.toml).
#[cfg(all(target_arch = "wasm32", feature = "standalone"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(target_arch = "wasm32")]
pub mod api;
pub mod core;
#[cfg(target_arch = "wasm32")]
pub mod dom;
