//! A loose JSON value: what any JSON text or JavaScript value becomes before the model reads it.
//!
//! PAVE's responses are read tolerantly (numbers sent as strings, missing fields, unknown fields),
//! and one bad damage must not sink the other twenty-six. Deserialising straight into typed structs
//! would make serde reject the whole body on the first surprise, so every input is first turned
//! into this small tree, under caps on depth and size, and the model interprets the tree by hand.
//!
//! The same [`Deserialize`](serde::Deserialize) code serves both sources: `serde_json` on the host
//! and `serde-wasm-bindgen` over a value from the browser's `JSON.parse` in the widget.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::core::float::finite;

#[cfg(not(target_arch = "wasm32"))]
use core::cell::Cell;
#[cfg(not(target_arch = "wasm32"))]
use core::fmt;

#[cfg(not(target_arch = "wasm32"))]
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

/// How deep arrays and objects may nest. PAVE's deepest path is four levels
/// (`data[].inspection_data[].coodrs.x`), so this leaves room for any sane extension while
/// keeping recursion far from the wasm stack's end.
pub const MAX_DEPTH: u32 = 32;

/// How many values (of any kind, nested ones included) one input may hold. 10,000 damages of
/// about twenty values each fit with room to spare.
pub const MAX_VALUES: u32 = 400_000;

/// A JSON value as read, before interpretation.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null` (and JavaScript's `undefined`).
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// Any number. JSON integers beyond 2^53 lose precision, as they do in JavaScript.
    Number(f64),
    /// A string.
    Text(String),
    /// An array.
    List(Vec<Value>),
    /// An object, with its entries in input order. Duplicate keys are kept; [`Value::get`] reads
    /// the last one, as `JSON.parse` does.
    Map(Vec<(String, Value)>),
}

/// Why a tree could not be built: the input broke a cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overflow {
    /// Arrays and objects nest deeper than [`MAX_DEPTH`].
    TooDeep,
    /// More than [`MAX_VALUES`] values.
    TooManyValues,
}

impl Overflow {
    const DEEP: &'static str = "pave:too-deep";
    const MANY: &'static str = "pave:too-many-values";

    /// The marker a cap's error message carries through a deserializer, which only keeps text.
    #[cfg(not(target_arch = "wasm32"))]
    fn marker(self) -> &'static str {
        match self {
            Self::TooDeep => Self::DEEP,
            Self::TooManyValues => Self::MANY,
        }
    }

    /// Recognises a cap's marker in a deserializer's error message.
    pub fn from_message(message: &str) -> Option<Self> {
        if message.contains(Self::DEEP) {
            Some(Self::TooDeep)
        } else if message.contains(Self::MANY) {
            Some(Self::TooManyValues)
        } else {
            None
        }
    }
}

impl Value {
    /// The value of `key` in an object (the last one when the key repeats), or `None`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Self::Map(entries) => entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// [`Value::get`] for changing the value.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        match self {
            Self::Map(entries) => entries.iter_mut().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Whether this is `null` (or was `undefined`).
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The items of an array, or `None`.
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Self::List(items) => Some(items),
            _ => None,
        }
    }

    /// A number, read tolerantly: a JSON number, or a string holding one (surrounding white
    /// space allowed). `None` for anything else, "NaN" and "1e999" included. A JSON number may
    /// still be infinite (`JSON.parse` reads `1e999` as Infinity): callers decide what that means.
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Self::Number(n) => Some(*n),
            // Not `str::parse`: its tables would cost the wasm binary several KB, and it reads
            // "inf" and "NaN" as numbers where JSON has none.
            Self::Text(s) => super::geometry::parse_decimal(s),
            _ => None,
        }
    }

    /// A boolean, read tolerantly: `true`/`false`, the strings "true"/"false", or 1/0.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Bool(b) => Some(*b),
            Self::Text(s) => match s.trim() {
                t if t.eq_ignore_ascii_case("true") => Some(true),
                t if t.eq_ignore_ascii_case("false") => Some(false),
                _ => None,
            },
            Self::Number(n) if *n == 1.0 => Some(true),
            Self::Number(n) if *n == 0.0 => Some(false),
            _ => None,
        }
    }

    /// Text, read tolerantly: a string, or an integer written as digits (PAVE sends some
    /// numeric fields either way). `None` for anything else, fractions included: writing a
    /// float as text would pull float formatting into the shipped binary for no reader's gain.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Self::Text(s) => Some(s.clone()),
            Self::Number(n) => integer_text(*n),
            _ => None,
        }
    }

    /// [`Value::as_text`] that moves a string out (leaving it empty) instead of copying it.
    pub fn take_text(&mut self) -> Option<String> {
        match self {
            Self::Text(s) => Some(core::mem::take(s)),
            _ => self.as_text(),
        }
    }

    /// Builds a tree from any serde deserializer under the caps, or says which cap it broke
    /// (other failures keep the deserializer's own error).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn deserialize_capped<'de, D>(deserializer: D) -> Result<Value, D::Error>
    where
        D: de::Deserializer<'de>,
    {
        let budget = Cell::new(MAX_VALUES);
        Seed { depth: 0, budget: &budget }.deserialize(deserializer)
    }
}

/// Digits of an integral, finite number within ±2^53, or `None`.
fn integer_text(n: f64) -> Option<String> {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    if !finite(n) || n.fract() != 0.0 || n.abs() > EXACT {
        return None;
    }
    let mut s = String::new();
    if n < 0.0 {
        s.push('-');
    }
    // The range check above makes the cast exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    super::num::push_uint(&mut s, n.abs() as u64);
    Some(s)
}

#[cfg(not(target_arch = "wasm32"))]
/// Carries the depth and the shared value budget down the tree.
#[derive(Clone, Copy)]
struct Seed<'b> {
    depth: u32,
    budget: &'b Cell<u32>,
}

#[cfg(not(target_arch = "wasm32"))]
impl Seed<'_> {
    fn take<E: de::Error>(&self) -> Result<(), E> {
        match self.budget.get().checked_sub(1) {
            Some(left) => {
                self.budget.set(left);
                Ok(())
            }
            None => Err(E::custom(Overflow::TooManyValues.marker())),
        }
    }

    fn child<E: de::Error>(&self) -> Result<Self, E> {
        if self.depth >= MAX_DEPTH {
            return Err(E::custom(Overflow::TooDeep.marker()));
        }
        Ok(Seed { depth: self.depth + 1, budget: self.budget })
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.take()?;
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.take()?;
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.take()?;
        #[allow(clippy::cast_precision_loss)]
        Ok(Value::Number(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.take()?;
        #[allow(clippy::cast_precision_loss)]
        Ok(Value::Number(v as f64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.take()?;
        Ok(Value::Number(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.take()?;
        Ok(Value::Text(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.take()?;
        Ok(Value::Text(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.take()?;
        let child = self.child()?;
        // size_hint comes from the input: trust it only up to what the budget allows.
        let hint = seq.size_hint().unwrap_or(0).min(self.budget.get() as usize).min(4096);
        let mut items = Vec::with_capacity(hint);
        while let Some(item) = seq.next_element_seed(child)? {
            items.push(item);
        }
        Ok(Value::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.take()?;
        let child = self.child()?;
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(child)?;
            entries.push((key, value));
        }
        Ok(Value::Map(entries))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<Value, serde_json::Error> {
        Value::deserialize_capped(&mut serde_json::Deserializer::from_str(json))
    }

    #[test]
    fn reads_every_kind() {
        let v = read(r#"{"a": [1, -2.5, "x", true, null], "b": {}}"#).unwrap();
        assert_eq!(
            v.get("a"),
            Some(&Value::List(vec![
                Value::Number(1.0),
                Value::Number(-2.5),
                Value::Text("x".into()),
                Value::Bool(true),
                Value::Null,
            ]))
        );
        assert_eq!(v.get("b"), Some(&Value::Map(vec![])));
        assert_eq!(v.get("c"), None);
    }

    #[test]
    fn last_duplicate_key_wins_like_json_parse() {
        let v = read(r#"{"k": 1, "k": 2}"#).unwrap();
        assert_eq!(v.get("k"), Some(&Value::Number(2.0)));
        let mut v = read(r#"{"k": "first", "k": "last", "n": 7, "f": 2.5}"#).unwrap();
        assert_eq!(v.get_mut("k").and_then(Value::take_text).as_deref(), Some("last"));
        // Moved out, not copied: what is left is empty, and the first "k" is untouched.
        assert_eq!(v.get("k"), Some(&Value::Text(String::new())));
        assert_eq!(v, read(r#"{"k": "first", "k": "", "n": 7, "f": 2.5}"#).unwrap());
        assert_eq!(v.get_mut("n").and_then(Value::take_text).as_deref(), Some("7"));
        assert_eq!(v.get_mut("f").and_then(Value::take_text), None);
        assert_eq!(Value::Null.get_mut("k"), None);
    }

    #[test]
    fn numbers_and_booleans_are_read_tolerantly() {
        assert_eq!(Value::Text(" 17.43 ".into()).as_number(), Some(17.43));
        assert_eq!(Value::Text("abc".into()).as_number(), None);
        assert_eq!(Value::Text("NaN".into()).as_number(), None);
        assert_eq!(Value::Text("1e999".into()).as_number(), None);
        assert_eq!(Value::Text("TRUE".into()).as_bool(), Some(true));
        assert_eq!(Value::Number(0.0).as_bool(), Some(false));
        assert_eq!(Value::Number(3.0).as_text().as_deref(), Some("3"));
        assert_eq!(Value::Number(-42.0).as_text().as_deref(), Some("-42"));
        assert_eq!(Value::Number(2.5).as_text(), None);
        assert_eq!(Value::Number(f64::INFINITY).as_text(), None);
    }

    #[test]
    fn depth_is_capped() {
        let ok = "[".repeat(MAX_DEPTH as usize) + &"]".repeat(MAX_DEPTH as usize);
        assert!(read(&ok).is_ok());
        let deep = "[".repeat(MAX_DEPTH as usize + 1) + &"]".repeat(MAX_DEPTH as usize + 1);
        let err = read(&deep).unwrap_err().to_string();
        assert_eq!(Overflow::from_message(&err), Some(Overflow::TooDeep));
    }

    #[test]
    fn value_count_is_capped() {
        let many = format!("[{}0]", "0,".repeat(MAX_VALUES as usize));
        let err = read(&many).unwrap_err().to_string();
        assert_eq!(Overflow::from_message(&err), Some(Overflow::TooManyValues));
    }
}
