//! What events tell of the results: `pave-load`'s detail and the damage of the other events,
//! packed as texts end to end with their lengths, and numbers, for js/markers.js's `detail`,
//! which makes the objects. One definition of their order serves the DOM layer and anything else
//! that hands the model to JavaScript.
//!
//! Packed, not written as JSON text: nothing has to be escaped or parsed again (with thousands of
//! damages, one text and two arrays crossing into JavaScript cost far less than a JSON text, and
//! far less than a dozen small strings and property writes per damage), and the coordinates
//! cross as numbers (JSON text would need float formatting in the wasm).

#[allow(unused_imports)]
use crate::prelude::*;

use super::model::{Damage, Results};
use super::words::PhotoCode;

/// Texts end to end, the length of each in UTF-16 code units (JavaScript's), and numbers: what
/// js/markers.js's builders read, each in its own order.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Packed {
    /// The texts, end to end.
    pub text: String,
    /// Each text's length in UTF-16 code units.
    pub lens: Vec<u32>,
    /// The numbers.
    pub nums: Vec<f64>,
}

impl Packed {
    /// Appends a text.
    pub fn field(&mut self, s: &str) {
        push_field(&mut self.text, &mut self.lens, s);
    }

    /// Appends a count or an index.
    fn count(&mut self, n: usize) {
        #[allow(clippy::cast_precision_loss)]
        self.nums.push(n as f64);
    }

    /// Appends a photo code, or −1 for none (`null` in JavaScript).
    fn code(&mut self, code: Option<PhotoCode>) {
        self.nums.push(code.map_or(-1.0, |c| f64::from(c.0)));
    }
}

/// Appends `s` to `text` and its length in UTF-16 code units (JavaScript's) to `lens`.
pub fn push_field(text: &mut String, lens: &mut Vec<u32>, s: &str) {
    text.push_str(s);
    lens.push(u32::try_from(s.encode_utf16().count()).unwrap_or(u32::MAX));
}

/// The texts of a damage, in the order js/markers.js names them: `photoLabel`, `group`,
/// `component`, `componentText`, `name`, `description`, `tolerance`, `repairMethod`, `severity`.
/// Its numbers: `index`, `photoCode` (−1: `null`), `x`, `y`.
fn pack_damage(p: &mut Packed, r: &Results, d: &Damage) {
    let photo = r.photo_of(d);
    p.count(d.index);
    p.code(photo.and_then(|p| p.code));
    p.field(photo.map_or("", |p| p.label.as_str()));
    p.field(d.group.key());
    p.field(&d.component);
    p.field(&d.component_words());
    p.field(&d.name);
    p.field(&d.description);
    p.field(&d.tolerance);
    p.field(&d.repair_method);
    p.field(d.severity.key());
    p.nums.push(d.x);
    p.nums.push(d.y);
}

/// `pave-load`'s detail, `{ photos, damages, skipped, skippedTotal }` (`skipped` lists the first
/// items left out; `skippedTotal` counts them all). Numbers: how many photos, then each photo's
/// code and number of damages; how many damages, then each damage's (see [`pack_damage`]); how
/// many items skipped, and how many in all. Texts: each photo's label and URL, each damage's,
/// each skipped item's path and reason.
pub fn pack_load(r: &Results) -> Packed {
    let mut p = Packed {
        text: String::with_capacity(64 + r.damages.len() * 160),
        lens: Vec::with_capacity(2 * r.photos.len() + 9 * r.damages.len() + 2 * r.skipped.len()),
        nums: Vec::with_capacity(4 + 2 * r.photos.len() + 4 * r.damages.len()),
    };
    p.count(r.photos.len());
    for photo in &r.photos {
        p.code(photo.code);
        p.field(&photo.label);
        p.field(&photo.url);
        p.count(photo.damages.len());
    }
    p.count(r.damages.len());
    for d in &r.damages {
        pack_damage(&mut p, r, d);
    }
    p.count(r.skipped.len());
    for s in &r.skipped {
        p.field(&s.path);
        p.field(&s.reason.message());
    }
    p.count(r.skipped_total);
    p
}

/// One damage of `r`, as [`pack_load`] would pack results holding only it (js/markers.js's
/// `detail` then makes the detail of an event about it: `{ index, photoCode, damage }`).
pub fn pack_one(r: &Results, d: &Damage) -> Packed {
    let mut p = Packed::default();
    p.count(0);
    p.count(1);
    pack_damage(&mut p, r, d);
    p.count(0);
    p.count(0);
    p
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

    /// Reads a [`Packed`] back as js/markers.js's `detail` does, into JSON for comparing.
    fn unpack(p: &Packed) -> serde_json::Value {
        use serde_json::{json, Value};
        let units: Vec<u16> = p.text.encode_utf16().collect();
        let (mut at, mut t, mut n) = (0usize, 0usize, 0usize);
        let mut next = || {
            let len = p.lens[t] as usize;
            t += 1;
            at += len;
            Value::String(String::from_utf16(&units[at - len..at]).unwrap())
        };
        let mut num = || {
            n += 1;
            p.nums[n - 1]
        };
        let code = |c: f64| if c < 0.0 { Value::Null } else { json!(c as u64) };
        let photos: Vec<Value> = (0..num() as usize)
            .map(|_| json!({ "code": code(num()), "label": next(), "url": next(), "damages": num() as u64 }))
            .collect();
        let keys = [
            "photoLabel",
            "group",
            "component",
            "componentText",
            "name",
            "description",
            "tolerance",
            "repairMethod",
            "severity",
        ];
        let damages: Vec<Value> = (0..num() as usize)
            .map(|_| {
                let mut d = json!({ "index": num() as u64, "photoCode": code(num()) });
                for k in keys {
                    d[k] = next();
                }
                d["x"] = json!(num());
                d["y"] = json!(num());
                d
            })
            .collect();
        let skipped: Vec<Value> = (0..num() as usize).map(|_| json!({ "path": next(), "reason": next() })).collect();
        let total = num() as u64;
        assert_eq!((t, n, at), (p.lens.len(), p.nums.len(), units.len()), "everything packed is read, once");
        json!({ "photos": photos, "damages": damages, "skipped": skipped, "skippedTotal": total })
    }

    #[test]
    fn load_detail_has_every_photo_and_damage() {
        let r = sample();
        let v = unpack(&pack_load(&r));
        assert_eq!(v["photos"].as_array().unwrap().len(), r.photos.len());
        assert_eq!(v["photos"][0]["label"], r.photos[0].label.as_str());
        assert_eq!(v["damages"].as_array().unwrap().len(), 27);
        assert_eq!(v["skippedTotal"], 0);
        let d = &v["damages"][3];
        let want = &r.damages[3];
        assert_eq!(d["index"], 3);
        assert_eq!(d["photoCode"], u64::from(r.photos[want.photo].code.unwrap().0));
        assert_eq!(d["tolerance"], want.tolerance.as_str());
        assert_eq!(d["componentText"], want.component_words().as_str());
        assert_eq!((d["x"].as_f64().unwrap(), d["y"].as_f64().unwrap()), (want.x, want.y));
        // The one-damage form is the same damage.
        assert_eq!(unpack(&pack_one(&r, want))["damages"][0], *d);
    }

    #[test]
    fn any_text_stays_text() {
        let mut r = sample();
        r.damages[0].description = "\"}],\u{2028}<img onerror=x>\\\u{0}😀é".to_owned();
        r.photos[0].code = None;
        r.skip("data[9]".into(), crate::core::model::SkipReason::NotAnObject);
        let v = unpack(&pack_load(&r));
        assert_eq!(v["damages"][0]["description"], "\"}],\u{2028}<img onerror=x>\\\u{0}😀é");
        assert_eq!(v["photos"][0]["code"], serde_json::Value::Null);
        assert_eq!(v["skipped"][0]["path"], "data[9]");
        assert_eq!(v["skippedTotal"], 1);
    }
}
