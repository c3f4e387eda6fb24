//! The design's floor: what the wasm would hold if everything but `src/core` were gone (or were
//! JavaScript). The same `no_std` setup as the shipped build (trap on panic, talc), the same
//! core source files, and just enough exports to keep each part alive: marker positions over an
//! image box (`object-fit`, `object-position`, borders, padding, transforms), clusters and reading
//! order, popover placement and, with the `parser` feature, the tolerant results reader.
#![no_std]
#![allow(missing_docs, dead_code)]

extern crate alloc;

/// What the core's files import as `crate::prelude` (as in the widget's `src/lib.rs`).
mod prelude {
    pub use crate::core::float::Float;
    pub use alloc::borrow::ToOwned;
    pub use alloc::string::String;
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

#[panic_handler]
fn panic(_: &::core::panic::PanicInfo<'_>) -> ! {
    ::core::arch::wasm32::unreachable()
}

#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[path = "../../../src/core/mod.rs"]
pub mod core;

use crate::core::geometry::{
    content_rect, is_visible, percent_to_px, Edges, ElementBox, ObjectFit, ObjectPosition, Point, Rect, ScreenMap, Size,
};
use crate::core::layout;
use alloc::vec::Vec;
use wasm_bindgen::prelude::*;

fn at(v: &[f64], i: usize) -> f64 {
    v.get(i).copied().unwrap_or(0.0)
}

fn rect(v: &[f64], i: usize) -> Rect {
    Rect { x: at(v, i), y: at(v, i + 1), width: at(v, i + 2), height: at(v, i + 3) }
}

fn edges(v: &[f64], i: usize) -> Edges {
    Edges { top: at(v, i), right: at(v, i + 1), bottom: at(v, i + 2), left: at(v, i + 3) }
}

fn points(v: &[f64]) -> Vec<Point> {
    v.chunks_exact(2).map(|c| Point { x: at(c, 0), y: at(c, 1) }).collect()
}

/// Viewport positions (x, y pairs; NaN where clipped) of percentage points over an image:
/// `b` = width, height, border ×4, padding ×4, natural width, height, layout width, height,
/// bounding rect ×4.
#[wasm_bindgen]
pub fn place(b: &[f64], fit: &str, position: &str, pct: &[f64]) -> Vec<f64> {
    let el = ElementBox { width: at(b, 0), height: at(b, 1), border: edges(b, 2), padding: edges(b, 6) };
    let natural = Size { width: at(b, 10), height: at(b, 11) };
    let Ok(picture) = content_rect(&el, natural, ObjectFit::parse(fit), &ObjectPosition::parse(position), None)
    else {
        return Vec::new();
    };
    let map = ScreenMap::from_bounding_box(Size { width: at(b, 12), height: at(b, 13) }, rect(b, 14));
    let mut out = Vec::with_capacity(pct.len());
    for p in points(pct) {
        let local = percent_to_px(&picture, p.x, p.y);
        let shown = if is_visible(&el, local) { map.map(local) } else { Point { x: f64::NAN, y: f64::NAN } };
        out.push(shown.x);
        out.push(shown.y);
    }
    out
}

/// Reading order, then per cluster: its size, centroid, the fanned-out offsets and its members.
#[wasm_bindgen]
pub fn cluster(xy: &[f64], distance: f64, spacing: f64) -> Vec<f64> {
    let pts = points(xy);
    let mut out: Vec<f64> = layout::reading_order(&pts, distance / 2.0).into_iter().map(|i| i as f64).collect();
    for members in layout::clusters(&pts, distance) {
        let c = layout::centroid(members.iter().filter_map(|&m| pts.get(m).copied()));
        out.extend([members.len() as f64, c.x, c.y]);
        for s in layout::spread(members.len(), spacing) {
            out.extend([s.x, s.y]);
        }
        out.extend(members.iter().map(|&m| m as f64));
    }
    out
}

/// A popover's place: x, y, side, max width, max height.
#[wasm_bindgen]
pub fn popover(anchor: &[f64], size: &[f64], viewport: &[f64]) -> Vec<f64> {
    let s = Size { width: at(size, 0), height: at(size, 1) };
    let p = layout::place_popover(rect(anchor, 0), s, rect(viewport, 0), 8.0, 8.0);
    alloc::vec![p.x, p.y, p.side as u8 as f64, p.max.width, p.max.height]
}

/// The results reader: a response's status and text → the model for a JS DOM layer, as the
/// widget hands it over (`pave-load`'s detail packed, `src/core/detail.rs`): `[text, lens, nums]`;
/// or the typed error's message.
#[cfg(feature = "parser")]
#[wasm_bindgen]
pub fn parse(status: u16, body: &str) -> wasm_bindgen::JsValue {
    use crate::core::{detail, json, model};
    let tree = |text: &str| json::parse(text, &|s: &str| Some(js_sys::Number::parse_float(s)).filter(|n| !n.is_nan()));
    match model::parse_text((status != 0).then_some(status), body, tree) {
        model::Outcome::Results(r) => {
            let p = detail::pack_load(&r);
            js_sys::Array::of3(
                &p.text.as_str().into(),
                &js_sys::Uint32Array::from(p.lens.as_slice()),
                &js_sys::Float64Array::from(p.nums.as_slice()),
            )
            .into()
        }
        model::Outcome::Malformed(m) => m.message().as_str().into(),
        _ => "other".into(),
    }
}
