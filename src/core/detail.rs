//! The JSON text of the damage objects events carry and of `pave-load`'s detail. Written here, as
//! text, so one definition of their shape serves the DOM layer (which has the browser parse it in
//! one call, then sets the coordinates as numbers: JSON text would need float formatting) and
//! anything else that hands the model to JavaScript.

#[allow(unused_imports)]
use crate::prelude::*;

use super::json::push_str_literal;
use super::model::{Damage, Results};
use super::num::push_uint;
use super::words::PhotoCode;

/// One damage as a JSON object, without its coordinates. The one definition of the damage's
/// shape in events.
pub fn push_damage(j: &mut String, r: &Results, d: &Damage) {
    let photo = r.photo_of(d);
    j.push_str("{\"index\":");
    push_uint(j, d.index as u64);
    j.push_str(",\"photoCode\":");
    push_code(j, photo.and_then(|p| p.code));
    field(j, "photoLabel", photo.map_or("", |p| p.label.as_str()));
    field(j, "group", d.group.key());
    field(j, "component", &d.component);
    field(j, "componentText", &d.component_words());
    field(j, "name", &d.name);
    field(j, "description", &d.description);
    field(j, "tolerance", &d.tolerance);
    field(j, "repairMethod", &d.repair_method);
    field(j, "severity", d.severity.key());
    j.push('}');
}

/// `pave-load`'s detail as JSON text: `{ photos, damages, skipped, skippedTotal }` (`skipped`
/// lists the first items left out; `skippedTotal` counts them all), damages without their
/// coordinates.
pub fn load_json(r: &Results) -> String {
    let mut j = String::with_capacity(64 + r.damages.len() * 360);
    j.push_str("{\"photos\":");
    push_list(&mut j, &r.photos, |j, p| {
        j.push_str("{\"code\":");
        push_code(j, p.code);
        field(j, "label", &p.label);
        field(j, "url", &p.url);
        j.push_str(",\"damages\":");
        push_uint(j, p.damages.len() as u64);
        j.push('}');
    });
    j.push_str(",\"damages\":");
    push_list(&mut j, &r.damages, |j, d| push_damage(j, r, d));
    j.push_str(",\"skipped\":");
    push_list(&mut j, &r.skipped, |j, s| {
        j.push('{');
        push_str_literal(j, "path");
        j.push(':');
        push_str_literal(j, &s.path);
        field(j, "reason", &s.reason.message());
        j.push('}');
    });
    j.push_str(",\"skippedTotal\":");
    push_uint(&mut j, r.skipped_total as u64);
    j.push('}');
    j
}

/// A photo code as JSON: its number, or `null`.
fn push_code(j: &mut String, code: Option<PhotoCode>) {
    match code {
        Some(c) => push_uint(j, u64::from(c.0)),
        None => j.push_str("null"),
    }
}

/// `[item,item,…]` into a JSON text, each item written by `item`.
fn push_list<T>(j: &mut String, items: &[T], mut item: impl FnMut(&mut String, &T)) {
    j.push('[');
    for (n, x) in items.iter().enumerate() {
        if n > 0 {
            j.push(',');
        }
        item(j, x);
    }
    j.push(']');
}

/// `,"key":"value"` into a JSON text.
fn field(j: &mut String, key: &str, value: &str) {
    j.push(',');
    push_str_literal(j, key);
    j.push(':');
    push_str_literal(j, value);
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::model::{parse_str, Outcome};

    fn sample() -> Results {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/pave/results-27-damages.json"
        ))
        .unwrap();
        match parse_str(Some(200), &text) {
            Outcome::Results(r) => r,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn load_json_is_json_with_every_photo_and_damage() {
        let r = sample();
        let v: serde_json::Value = serde_json::from_str(&load_json(&r)).unwrap();
        assert_eq!(v["photos"].as_array().unwrap().len(), r.photos.len());
        assert_eq!(v["damages"].as_array().unwrap().len(), 27);
        assert_eq!(v["skippedTotal"], 0);
        let d = &v["damages"][3];
        let want = &r.damages[3];
        assert_eq!(d["index"], 3);
        assert_eq!(d["photoCode"], u64::from(r.photos[want.photo].code.unwrap().0));
        assert_eq!(d["tolerance"], want.tolerance.as_str());
        assert_eq!(d["componentText"], want.component_words().as_str());
        assert!(d.get("x").is_none(), "coordinates are set as numbers by the caller");
    }

    #[test]
    fn hostile_text_stays_text() {
        let mut r = sample();
        r.damages[0].description = "\"}],\u{2028}<img onerror=x>\\\u{0}".to_owned();
        r.photos[0].code = None;
        let v: serde_json::Value = serde_json::from_str(&load_json(&r)).unwrap();
        assert_eq!(v["damages"][0]["description"], "\"}],\u{2028}<img onerror=x>\\\u{0}");
        assert_eq!(v["photos"][0]["code"], serde_json::Value::Null);
        let mut one = String::new();
        push_damage(&mut one, &r, &r.damages[0]);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&one).unwrap(), v["damages"][0]);
    }
}
