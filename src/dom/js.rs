//! Small helpers over web-sys and js-sys: creating elements, setting text safely, building
//! plain objects for event details.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement};

use crate::core::model::{Damage, Photo, Results};

/// Creates `<tag class="class">`.
pub fn el(doc: &Document, tag: &str, class: &str) -> Result<HtmlElement, JsValue> {
    let e: HtmlElement = doc.create_element(tag)?.unchecked_into();
    if !class.is_empty() {
        e.set_class_name(class);
    }
    Ok(e)
}

/// Creates `<tag class="class">` with `text` as its text content (never parsed as HTML).
pub fn text_el(doc: &Document, tag: &str, class: &str, text: &str) -> Result<HtmlElement, JsValue> {
    let e = el(doc, tag, class)?;
    e.set_text_content(Some(text));
    Ok(e)
}

/// Creates a `<button type="button">` with an action for the delegated click handler.
pub fn button(doc: &Document, class: &str, action: &str, text: &str) -> Result<HtmlElement, JsValue> {
    let b = text_el(doc, "button", class, text)?;
    b.set_attribute("type", "button")?;
    b.set_attribute("data-action", action)?;
    Ok(b)
}

/// Sets several attributes.
pub fn attrs(e: &Element, pairs: &[(&str, &str)]) -> Result<(), JsValue> {
    for (k, v) in pairs {
        e.set_attribute(k, v)?;
    }
    Ok(())
}

/// Sets or removes a boolean-ish attribute.
pub fn toggle_attr(e: &Element, name: &str, on: bool) {
    let _ = if on { e.set_attribute(name, "") } else { e.remove_attribute(name) };
}

/// A plain object from key/value pairs.
pub fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

/// A string value, or `null` when empty.
pub fn str_or_null(s: &str) -> JsValue {
    if s.is_empty() {
        JsValue::NULL
    } else {
        JsValue::from_str(s)
    }
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

/// The object events and `pave-load` describe a damage with.
pub fn damage_detail(results: &Results, d: &Damage) -> JsValue {
    let photo = results.photo_of(d);
    obj(&[
        ("index", num(d.index)),
        ("photoCode", photo_code(photo)),
        ("photoLabel", JsValue::from_str(photo.map_or("", |p| p.label.as_str()))),
        ("group", JsValue::from_str(d.group.key())),
        ("component", JsValue::from_str(&d.component)),
        ("componentText", JsValue::from_str(&d.component_words())),
        ("name", JsValue::from_str(&d.name)),
        ("description", JsValue::from_str(&d.description)),
        ("tolerance", JsValue::from_str(&d.tolerance)),
        ("repairMethod", JsValue::from_str(&d.repair_method)),
        ("severity", JsValue::from_str(d.severity.key())),
        ("x", JsValue::from_f64(d.x)),
        ("y", JsValue::from_f64(d.y)),
    ])
}

/// `pave-load`'s detail: `{ photos, damages, skipped, skippedTotal }` (`skipped` lists the first
/// items left out; `skippedTotal` counts them all).
pub fn load_detail(results: Option<&Results>) -> JsValue {
    let photos = Array::new();
    let damages = Array::new();
    let skipped = Array::new();
    if let Some(r) = results {
        for p in &r.photos {
            photos.push(&obj(&[
                ("code", photo_code(Some(p))),
                ("label", JsValue::from_str(&p.label)),
                ("url", JsValue::from_str(&p.url)),
                ("damages", num(p.damages.len())),
            ]));
        }
        for d in &r.damages {
            damages.push(&damage_detail(r, d));
        }
        for s in &r.skipped {
            skipped.push(&obj(&[
                ("path", JsValue::from_str(&s.path)),
                ("reason", JsValue::from_str(&s.reason.message())),
            ]));
        }
    }
    obj(&[
        ("photos", photos.into()),
        ("damages", damages.into()),
        ("skipped", skipped.into()),
        ("skippedTotal", num(results.map_or(0, |r| r.skipped_total))),
    ])
}
