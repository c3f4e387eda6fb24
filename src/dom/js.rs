//! Small helpers over web-sys and js-sys (setting attributes and styles, building plain objects
//! and event details), and the engine's calls into js/markers.js, which builds its elements.

#[allow(unused_imports)]
use crate::prelude::*;

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use web_sys::{CssStyleDeclaration, Element, HtmlElement};

use crate::core::detail::{load_json, push_damage};
use crate::core::model::{Damage, Photo, Results};
use crate::core::num::css;

/// Sets an attribute, ignoring a failure (a name that is always valid here). One function for
/// the many call sites: inlined, each would drop the error itself.
pub fn set_attr(e: &Element, name: &str, value: &str) {
    let _ = e.set_attribute(name, value);
}

/// Marks `e`'s text as English (`lang="en"`: PAVE's own words, or a name the tables lack, in a
/// widget of another language, read by a screen reader in an English voice), or as the widget's.
pub fn english(e: &Element, on: bool) {
    let _ = if on { e.set_attribute("lang", "en") } else { e.remove_attribute("lang") };
}

/// Sets or removes a boolean-ish attribute.
pub fn toggle_attr(e: &Element, name: &str, on: bool) {
    let _ = if on { e.set_attribute(name, "") } else { e.remove_attribute(name) };
}

/// Sets the style property `name` to `v` in `unit` (see [`css`]). One function for the many
/// call sites: inlined, each would build and free the text itself.
pub fn set_css(style: &CssStyleDeclaration, name: &str, v: f64, unit: &str) {
    let _ = style.set_property(name, &css(v, unit));
}

/// A plain object from key/value pairs.
pub fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

/// `usize` as a JS number.
pub fn num(n: usize) -> JsValue {
    #[allow(clippy::cast_precision_loss)]
    JsValue::from_f64(n as f64)
}

/// A photo's code as a JS number, or `null`.
pub fn photo_code(photo: Option<&Photo>) -> JsValue {
    photo.and_then(|p| p.code).map_or(JsValue::NULL, |c| JsValue::from_f64(f64::from(c.0)))
}

/// The object events and `pave-load` describe a damage with (see [`push_damage`]).
pub fn damage_detail(results: &Results, d: &Damage) -> JsValue {
    let mut j = String::with_capacity(360);
    push_damage(&mut j, results, d);
    with_coordinates(&j, &[d.x, d.y]).unwrap_or(JsValue::NULL)
}

/// `pave-load`'s detail: `{ photos, damages, skipped, skippedTotal }` (see [`load_json`]).
///
/// Built as one JSON text and parsed by the browser: with thousands of damages, one string
/// crossing into JavaScript is far cheaper than a dozen small strings and property writes per
/// damage. The coordinates cross as numbers, in one array (JSON text would need float
/// formatting).
pub fn load_detail(results: Option<&Results>) -> JsValue {
    // No results reads as empty results: empty lists, nothing skipped.
    let empty = Results::default();
    let r = results.unwrap_or(&empty);
    let mut xy = Vec::with_capacity(r.damages.len() * 2);
    for d in &r.damages {
        xy.push(d.x);
        xy.push(d.y);
    }
    with_coordinates(&load_json(r), &xy).unwrap_or(JsValue::NULL)
}

#[wasm_bindgen(module = "/js/markers.js")]
extern "C" {
    /// Parses `json` and sets `x` and `y` from `xy` on each object of its `damages` list, or on
    /// it when it has none (see js/markers.js).
    #[wasm_bindgen(js_name = withCoordinates, catch)]
    fn with_coordinates(json: &str, xy: &[f64]) -> Result<JsValue, JsValue>;

    /// A cluster badge of `n` markers named `label`, in `container` right before the place of
    /// `first` (see js/markers.js).
    #[wasm_bindgen(js_name = buildCluster, catch)]
    pub fn build_cluster(
        n: usize,
        label: &str,
        container: Option<&HtmlElement>,
        first: Option<&HtmlElement>,
    ) -> Result<HtmlElement, JsValue>;

    /// Dispatches the `pave-*` event `name` with `detail` on `host`, bubbling and composed (out
    /// of any shadow root the host is in). One import: web-sys's `CustomEvent` and its
    /// `CustomEventInit` cost one per field and step.
    #[wasm_bindgen(catch)]
    pub fn dispatch(host: &HtmlElement, name: &str, detail: &JsValue) -> Result<(), JsValue>;

    /// Shows `el`, our popover, in the top layer (`source`: its opener, where the browser takes
    /// one) or hides it, where the browser has the Popover API (else it is a `position: fixed`
    /// box shown by `hidden`). See js/markers.js.
    #[wasm_bindgen(catch)]
    pub fn popover(el: &HtmlElement, show: bool, source: Option<&HtmlElement>) -> Result<(), JsValue>;

    /// Focuses `el`, scrolling it into view if need be when `scroll` (else `preventScroll`). One
    /// import: web-sys's `focus`, `focus_with_options` and `FocusOptions` cost four.
    #[wasm_bindgen(catch)]
    pub fn focus(el: &HtmlElement, scroll: bool) -> Result<(), JsValue>;
}
