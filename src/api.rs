//! The wasm-bindgen exports the JavaScript shell (`js/`) calls. Every method returns normally
//! or throws a JS exception; none can panic on input.

#[allow(unused_imports)]
use crate::prelude::*;

use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement, ShadowRoot};

use crate::dom::widget::Widget;

/// One widget instance: the engine behind a `<pave-hotspots>` element or an `attach()`.
#[wasm_bindgen]
pub struct Engine {
    widget: Widget,
}

#[wasm_bindgen]
impl Engine {
    /// Builds the widget's shadow DOM in `root`, `host`'s open shadow root, empty (js/engine.js
    /// makes it and gives it the stylesheet made from [`Engine::css`]). `attached`: made by
    /// `HotspotOverlay.attach()`. `viewer`: the element shows the PAVE photos itself (no `for`).
    #[wasm_bindgen(constructor)]
    pub fn new(host: HtmlElement, root: ShadowRoot, attached: bool, viewer: bool) -> Result<Engine, JsValue> {
        Ok(Engine { widget: Widget::new(host, root, attached, viewer)? })
    }

    /// Every other method of the engine, by its number in the shell's list (js/engine.js, which
    /// names them on `Engine.prototype`): one export, one wrapper and one glue method for them
    /// all, where each had its own. `a` and `b` are the method's arguments.
    pub fn call(&self, method: u8, a: JsValue, b: JsValue) -> Result<JsValue, JsValue> {
        match method {
            0 => return Ok(JsValue::from_str(self.css())),
            1 => self.start()?,
            2 => self.moved(),
            3 => self.set(&a.as_string().unwrap_or_default(), b.as_string()),
            4 => self.set_results(a),
            5 => self.set_photo_map(a),
            6 => self.set_target(if a.is_null() || a.is_undefined() { None } else { Some(a.unchecked_into()) }),
            7 => self.open(a.as_f64().unwrap_or(f64::NAN))?,
            8 => self.close(),
            9 => self.next(),
            10 => self.previous(),
            11 => self.reload(),
            12 => return Ok(self.to_pixels(a.as_f64().unwrap_or(f64::NAN), b.as_f64().unwrap_or(f64::NAN))),
            13 => return Ok(JsValue::from_str(self.state())),
            14 => self.destroy(),
            _ => {}
        }
        Ok(JsValue::UNDEFINED)
    }
}

/// The methods [`Engine::call`] stands for, for Rust (the tests).
impl Engine {
    /// The widget's stylesheet (src/dom/style.css, minified), which the shell makes a
    /// constructable stylesheet of, once per page, for every widget's shadow root.
    pub fn css(&self) -> &'static str {
        crate::dom::style::CSS
    }

    /// Starts watching and loading; setters before this only record.
    pub fn start(&self) -> Result<(), JsValue> {
        self.widget.start()
    }

    /// The element was moved in the DOM (disconnected and connected again in one task).
    pub fn moved(&self) {
        self.widget.moved();
    }

    /// An attribute changed (`null`: removed). `HotspotOverlay`'s `setPhoto` is `photo` here.
    pub fn set(&self, name: &str, value: Option<String>) {
        self.widget.set_attribute(name, value);
    }

    /// The `results` property: an object, a JSON string, or null.
    pub fn set_results(&self, value: JsValue) {
        self.widget.set_results(value);
    }

    /// The `photoMap` property.
    pub fn set_photo_map(&self, value: JsValue) {
        self.widget.set_photo_map(value);
    }

    /// The element to cover (`attach()`).
    pub fn set_target(&self, target: Option<Element>) {
        self.widget.set_target(target);
    }

    /// Opens damage `index` (0-based, document order across photos).
    pub fn open(&self, index: f64) -> Result<(), JsValue> {
        if !(index.is_finite() && index >= 0.0 && index.fract() == 0.0 && index < 1e9) {
            return Err(js_sys::RangeError::new("pave-hotspots: open(index) takes a damage index: 0, 1, 2…").into());
        }
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        self.widget.open(index as usize)
    }

    /// Closes the popover.
    pub fn close(&self) {
        self.widget.close();
    }

    /// Opens the next damage.
    pub fn next(&self) {
        self.widget.next();
    }

    /// Opens the previous damage.
    pub fn previous(&self) {
        self.widget.previous();
    }

    /// Loads the data again.
    pub fn reload(&self) {
        self.widget.reload();
    }

    /// `{x, y}` in CSS px from the image's top-left border corner, or null when not visible.
    pub fn to_pixels(&self, x: f64, y: f64) -> JsValue {
        match self.widget.to_pixels(x, y) {
            Some((px, py)) => crate::dom::js::obj(&[("x", JsValue::from_f64(px)), ("y", JsValue::from_f64(py))]),
            None => JsValue::NULL,
        }
    }

    /// The visible state: idle, loading, inspecting, ready, empty or error.
    pub fn state(&self) -> &'static str {
        self.widget.state()
    }

    /// Removes everything the widget made. Idempotent.
    pub fn destroy(&self) {
        self.widget.destroy();
    }
}
