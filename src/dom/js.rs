//! Small helpers over web-sys and js-sys (setting attributes and styles, building plain objects
//! and event details), and the engine's calls into js/markers.js, which builds its elements.

#[allow(unused_imports)]
use crate::prelude::*;

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use web_sys::{CssStyleDeclaration, Element, Event, HtmlElement};

use crate::core::detail::{pack_load, pack_one, Packed};
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

/// The detail of an event about one damage: `{ index, photoCode, damage }` (see [`pack_one`]).
pub fn damage_detail(results: &Results, d: &Damage) -> JsValue {
    made(&pack_one(results, d), true)
}

/// `pave-load`'s detail: `{ photos, damages, skipped, skippedTotal }` (see [`pack_load`]).
pub fn load_detail(results: Option<&Results>) -> JsValue {
    // No results reads as empty results: empty lists, nothing skipped.
    made(&pack_load(results.unwrap_or(&Results::default())), false)
}

/// The objects js/markers.js's `detail` makes of `p`: the load's detail, or an event's about its
/// one damage.
fn made(p: &Packed, one: bool) -> JsValue {
    detail(&p.text, &p.lens, &p.nums, one).unwrap_or(JsValue::NULL)
}

#[wasm_bindgen(module = "/js/markers.js")]
extern "C" {
    /// `pave-load`'s detail from `text`, `lens` and `nums` (see [`pack_load`]), or when `one` the
    /// detail of an event about its one damage (see js/markers.js).
    #[wasm_bindgen(catch)]
    fn detail(text: &str, lens: &[u32], nums: &[f64], one: bool) -> Result<JsValue, JsValue>;

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

    /// Whether the focus is in an editable field of `host`'s document (see js/markers.js).
    pub fn typing(host: &HtmlElement) -> bool;

    /// Whether focus is nowhere in particular (on `<body>`, or none) or in the widget (`host`):
    /// not in something else of the page's, where the user went on (see js/markers.js).
    #[wasm_bindgen(js_name = focusIdle)]
    pub fn focus_idle(host: &HtmlElement) -> bool;

    /// The attributes of the picture `el` that name its photo, and what the `<source>`s of the
    /// `<picture>` it is in say of it, as one string: an image's `src` resolved, `srcset`, `sizes`,
    /// `data-pave-photo` (see js/markers.js).
    #[wasm_bindgen(js_name = swapKey)]
    pub fn swap_key(el: &Element) -> String;

    /// The key of keydown `e`, or "" with Alt, Ctrl or Meta held (see js/markers.js). One import:
    /// web-sys's `KeyboardEvent`, its type check and its four getters cost five.
    #[wasm_bindgen(js_name = keyOf)]
    pub fn key_of(e: &Event) -> String;
}
