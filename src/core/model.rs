//! The PAVE results model: one response (status and body) in, one typed [`Outcome`] out.
//!
//! PAVE answers `GET /v1/hotspots/:session_key` in five shapes (see `tests/fixtures/pave/`):
//! results (200, `success: true`), no damage (200, `success: false`, empty `data`), not yet
//! inspected (400), not found (404), and anything else, which we call malformed. The reading is
//! tolerant the way the upstream is: coordinates under `coodrs` (sic) or `coords`, numbers sent as
//! strings, optional fields missing, unknown fields ignored. A damage that can't be placed is
//! skipped and reported in [`Results::skipped`]; it never sinks the rest.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::core::float::finite;

use core::fmt;
use core::ops::Range;

use super::i18n::Lang;
use super::loose::{Overflow, Value, MAX_DEPTH};
use super::num::push_uint;
use super::words::{component_words, component_words_in, DamageGroup, PhotoCode, Severity};

/// The largest body accepted, in bytes. The 27-damage sample is 9 KB; 10,000 damages are
/// about 2.6 MB.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;
/// The most photos one response may list.
pub const MAX_PHOTOS: usize = 100;
/// The most damages one response may list, across all photos.
pub const MAX_DAMAGES: usize = 10_000;
/// At most this many skipped items are reported one by one ([`Results::skipped`]); the rest
/// are only counted ([`Results::skipped_total`]), so a body of junk can't flood the page.
pub const MAX_SKIPPED_REPORTED: usize = 100;
/// Text fields longer than this many characters are cut (with "…"): they are shown in a
/// popover, and no PAVE field comes near it.
pub const MAX_TEXT_CHARS: usize = 500;

/// What one PAVE response means.
// One Outcome is made per response and moved once: boxing the results would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Inspection results: photos with their damages.
    Results(Results),
    /// The inspection found nothing (PAVE's `success: false` with empty `data`).
    NoDamage {
        /// PAVE's message, if it sent one.
        message: Option<String>,
    },
    /// PAVE's 400 "This session is not yet inspected.": the same call succeeds later.
    NotInspected {
        /// PAVE's message, if it sent one.
        message: Option<String>,
    },
    /// No such session (404).
    NotFound {
        /// PAVE's message, if it sent one.
        message: Option<String>,
    },
    /// Any other HTTP status: the proxy or upstream refused or failed.
    Rejected {
        /// The HTTP status.
        status: u16,
        /// A message from the body (`message` or `error`), if there was one.
        message: Option<String>,
    },
    /// Not a PAVE response we can read.
    Malformed(Malformed),
}

/// Why a body could not be read, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Malformed {
    /// What is wrong.
    pub reason: Reason,
    /// Where it is wrong.
    pub at: Position,
}

/// What is wrong with a malformed body.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// The body is empty (or only white space).
    Empty,
    /// The body is larger than [`MAX_BODY_BYTES`].
    TooLarge {
        /// The body's size in bytes (at least; a stream may have been cut off).
        bytes: usize,
    },
    /// The body is not UTF-8 text.
    NotUtf8,
    /// The body is not JSON; the parser's words.
    Syntax(String),
    /// Arrays and objects nest deeper than the model allows.
    TooDeep,
    /// The body holds too many values, photos or damages.
    TooMany {
        /// Of what: "values", "photos" or "damages".
        what: &'static str,
        /// The cap.
        limit: usize,
    },
    /// A field has the wrong type.
    WrongType {
        /// What the field should be: "an object", "an array".
        expected: &'static str,
    },
    /// Valid JSON, but none of PAVE's response shapes.
    NotPave,
}

/// Where in a body something is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    /// Nowhere in particular (the whole body).
    Body,
    /// A line and column of the text, both from 1.
    Text {
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
    },
    /// A path into the JSON tree: `data[2].inspection_data[5].coodrs`.
    Path(String),
}

/// One photo of the inspection.
#[derive(Debug, Clone, PartialEq)]
pub struct Photo {
    /// PAVE's `photo_code`, if it sent a usable one.
    pub code: Option<PhotoCode>,
    /// PAVE's `photo_label` ("Front"), or the code table's label when missing.
    pub label: String,
    /// The photo's `url` as sent (checked for safety where it is used, not here).
    pub url: String,
    /// This photo's damages: indices into [`Results::damages`].
    pub damages: Range<usize>,
}

/// One damage, placed on its photo.
#[derive(Debug, Clone, PartialEq)]
pub struct Damage {
    /// Position in document order across all photos, from 0 (skipped items don't count).
    pub index: usize,
    /// Index of its photo in [`Results::photos`].
    pub photo: usize,
    /// The damage group.
    pub group: DamageGroup,
    /// PAVE's `component` code ("DOOR_REAR_LEFT").
    pub component: String,
    /// PAVE's `damage_name` code ("SCRAPED_MEDIUM").
    pub name: String,
    /// PAVE's `description`: the damage name for people ("Scraped").
    pub description: String,
    /// PAVE's `tolerance` ("5 to 6 inches").
    pub tolerance: String,
    /// PAVE's `repair_method` ("Refinish").
    pub repair_method: String,
    /// Severity read from the damage name.
    pub severity: Severity,
    /// Percent of the photo's width from its left edge, 0–100.
    pub x: f64,
    /// Percent of the photo's height from its top edge, 0–100.
    pub y: f64,
}

impl Damage {
    /// The component in words ("Rear left door").
    pub fn component_words(&self) -> String {
        component_words(&self.component)
    }

    /// The component in words of `lang` ("Porte arrière gauche"), and whether they are: a part
    /// the table lacks reads in English (false), to be marked `lang="en"`.
    pub fn component_words_in(&self, lang: Lang) -> (String, bool) {
        component_words_in(&self.component, lang)
    }

    /// What a person calls this damage: the description, or the damage code in words when PAVE
    /// sent no description.
    pub fn title(&self) -> String {
        if self.description.trim().is_empty() {
            component_words(&self.name)
        } else {
            self.description.clone()
        }
    }
}

/// The session PAVE reports (its key may differ from the one in the photo URLs).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Session {
    /// `session_key`.
    pub key: Option<String>,
    /// `inspect_started_at`.
    pub started_at: Option<String>,
    /// `inspect_ended_at`.
    pub ended_at: Option<String>,
    /// `condition_report` URL.
    pub condition_report: Option<String>,
    /// `landing_page` URL.
    pub landing_page: Option<String>,
}

/// The vehicle PAVE reports.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Vehicle {
    /// `vin`.
    pub vin: Option<String>,
    /// `year` (number or string).
    pub year: Option<String>,
    /// `make`.
    pub make: Option<String>,
    /// `model`.
    pub model: Option<String>,
}

/// A damage (or photo) left out, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    /// Where it was: `data[2].inspection_data[5]`.
    pub path: String,
    /// Why it was left out.
    pub reason: SkipReason,
}

/// Why an item was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// The item is not an object.
    NotAnObject,
    /// Neither `coodrs` nor `coords` is an object.
    NoCoordinates,
    /// A coordinate is missing or not a number.
    NotANumber(Axis),
    /// A coordinate is NaN or infinite.
    NotFinite(Axis),
    /// A coordinate lies outside 0–100.
    OutOfRange(Axis),
    /// A photo's `inspection_data` is not an array.
    DamagesNotAList,
    /// A photo's `url` may not be loaded (not https:, see [`super::policy`]); its damages are
    /// still shown over the page's own image, but the URL is not used.
    UnsafeUrl,
}

/// A coordinate axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    /// x, from the left edge.
    X,
    /// y, from the top edge.
    Y,
}

/// A successful inspection.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Results {
    /// The photos, in document order.
    pub photos: Vec<Photo>,
    /// Every placed damage, in document order; [`Photo::damages`] ranges index into it.
    pub damages: Vec<Damage>,
    /// Items left out, with why (the first [`MAX_SKIPPED_REPORTED`]).
    pub skipped: Vec<Skipped>,
    /// How many items were left out in all.
    pub skipped_total: usize,
    /// PAVE's message ("27 damages found on the vehicle.").
    pub message: Option<String>,
    /// The session, when PAVE sent one.
    pub session: Option<Session>,
    /// The vehicle, when PAVE sent one.
    pub vehicle: Option<Vehicle>,
}

impl Results {
    /// Records an item left out (one by one only up to [`MAX_SKIPPED_REPORTED`]).
    pub fn skip(&mut self, path: String, reason: SkipReason) {
        self.skipped_total += 1;
        if self.skipped.len() < MAX_SKIPPED_REPORTED {
            self.skipped.push(Skipped { path, reason });
        }
    }

    /// The damages of one photo.
    pub fn damages_of(&self, photo: usize) -> &[Damage] {
        self.photos.get(photo).and_then(|p| self.damages.get(p.damages.clone())).unwrap_or(&[])
    }

    /// The photo a damage is on.
    pub fn photo_of(&self, damage: &Damage) -> Option<&Photo> {
        self.photos.get(damage.photo)
    }

    /// How many damages each group has, in [`DamageGroup::ALL`] order.
    pub fn group_counts(&self) -> [usize; DamageGroup::ALL.len()] {
        let mut counts = [0; DamageGroup::ALL.len()];
        for d in &self.damages {
            if let Some(c) = counts.get_mut(d.group.ordinal()) {
                *c += 1;
            }
        }
        counts
    }
}

/// Reads a response given as text, as it came over HTTP. `status` is the HTTP status, or
/// `None` for JSON the page passed in (then only the body's shape decides).
#[cfg(not(target_arch = "wasm32"))]
pub fn parse_str(status: Option<u16>, body: &str) -> Outcome {
    parse_text(status, body, serde_tree)
}

/// serde_json's reading of a text into the capped tree (host builds).
#[cfg(not(target_arch = "wasm32"))]
fn serde_tree(text: &str) -> Result<Value, Malformed> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Value::deserialize_capped(&mut de).and_then(|v| de.end().map(|()| v));
    value.map_err(|e| {
        let message = e.to_string();
        let reason = match Overflow::from_message(&message) {
            Some(o) => overflow_reason(o),
            None => Reason::Syntax(strip_position(&message).to_owned()),
        };
        Malformed { reason, at: Position::Text { line: e.line(), column: e.column() } }
    })
}

/// Reads a response given as raw bytes: checks size and encoding, then as [`parse_str`].
#[cfg(not(target_arch = "wasm32"))]
pub fn parse_bytes(status: Option<u16>, body: &[u8]) -> Outcome {
    parse_body(status, body, serde_tree)
}

/// Reads a response given as bytes, as it came over HTTP: size, encoding, then [`parse_text`].
/// The widget's fetch and the host's [`parse_bytes`] share it, so both read every body alike.
pub fn parse_body(status: Option<u16>, body: &[u8], to_tree: impl FnOnce(&str) -> Result<Value, Malformed>) -> Outcome {
    if body.len() > MAX_BODY_BYTES {
        return malformed(Reason::TooLarge { bytes: body.len() }, Position::Body);
    }
    match decode(body) {
        Ok(text) => parse_text(status, text, to_tree),
        // An error page in some other encoding is still that error.
        Err(_) if is_error_status(status) => parse_value(status, Value::Null),
        Err(m) => Outcome::Malformed(m),
    }
}

/// Whether an HTTP status alone says what happened (anything outside 2xx), so an unreadable
/// body doesn't matter.
fn is_error_status(status: Option<u16>) -> bool {
    matches!(status, Some(s) if !(200..300).contains(&s))
}

/// A body's bytes as UTF-8 text, or where the first invalid byte is.
pub fn decode(body: &[u8]) -> Result<&str, Malformed> {
    core::str::from_utf8(body).map_err(|e| {
        let before = body.get(..e.valid_up_to()).unwrap_or(&[]);
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let column = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        Malformed { reason: Reason::NotUtf8, at: Position::Text { line, column } }
    })
}

/// The text checks every source shares, then `to_tree` (serde_json on the host, `JSON.parse`
/// in the browser) and [`parse_value`].
pub fn parse_text(status: Option<u16>, body: &str, to_tree: impl FnOnce(&str) -> Result<Value, Malformed>) -> Outcome {
    if body.len() > MAX_BODY_BYTES {
        return malformed(Reason::TooLarge { bytes: body.len() }, Position::Body);
    }
    // A byte-order mark is not white space to JSON parsers, but editors and some servers add it.
    let text = body.strip_prefix('\u{feff}').unwrap_or(body);
    if text.trim().is_empty() {
        // An empty error body still says what its status says.
        return if is_error_status(status) {
            parse_value(status, Value::Null)
        } else {
            malformed(Reason::Empty, Position::Body)
        };
    }
    match to_tree(text) {
        Ok(tree) => parse_value(status, tree),
        // A 400, 404 or 500 with an HTML error page is still that status (PAVE's own 400 is
        // JSON; an HTML one comes from something in between).
        Err(_) if is_error_status(status) => parse_value(status, Value::Null),
        Err(m) => Outcome::Malformed(m),
    }
}

/// The reason for a broken cap.
pub fn overflow_reason(o: Overflow) -> Reason {
    match o {
        Overflow::TooDeep => Reason::TooDeep,
        Overflow::TooManyValues => Reason::TooMany { what: "values", limit: super::loose::MAX_VALUES as usize },
    }
}

#[cfg(not(target_arch = "wasm32"))]
/// serde_json ends its messages with " at line L column C", which [`Position`] already says.
fn strip_position(message: &str) -> &str {
    message.rfind(" at line ").map_or(message, |i| message.get(..i).unwrap_or(message))
}

fn malformed(reason: Reason, at: Position) -> Outcome {
    Outcome::Malformed(Malformed { reason, at })
}

/// Reads a response already turned into a tree (from a JavaScript object the page passed in,
/// or from parsed text).
pub fn parse_value(status: Option<u16>, mut body: Value) -> Outcome {
    let message = body.get("message").and_then(Value::as_text).map(clip);
    match status {
        None | Some(200..=299) => {}
        Some(400) if says_not_inspected(&body) => return Outcome::NotInspected { message },
        Some(404) => return Outcome::NotFound { message },
        Some(status) => {
            let message = message.or_else(|| body.get("error").and_then(Value::as_text).map(clip));
            return Outcome::Rejected { status, message };
        }
    }
    let Value::Map(_) = body else {
        return malformed(Reason::WrongType { expected: "an object" }, Position::Body);
    };
    let data = body.get("data");
    let success = body.get("success").and_then(Value::as_bool);
    match (success, data) {
        // Photos, whatever `success` says; none, unless `success` is false (no damage).
        (success, Some(Value::List(photos))) if !photos.is_empty() || success != Some(false) => {
            read_results(&mut body, message)
        }
        (Some(false), None | Some(Value::List(_) | Value::Null)) => Outcome::NoDamage { message },
        (Some(_), Some(_)) => malformed(Reason::WrongType { expected: "an array" }, Position::Path("data".into())),
        _ if says_not_inspected(&body) => Outcome::NotInspected { message },
        _ if says_not_found(&body) => Outcome::NotFound { message },
        _ => malformed(Reason::NotPave, Position::Body),
    }
}

/// PAVE's 400 body: `{"code": 400, "message": "This session is not yet inspected.", …}`.
fn says_not_inspected(body: &Value) -> bool {
    let message = body.get("message").and_then(Value::as_text).unwrap_or_default();
    let code = body.get("code").and_then(Value::as_number);
    contains_ignore_case(&message, "not yet inspected") || (code == Some(400.0) && message.is_empty())
}

/// PAVE's 404 body: `{"message": "Session X cannot be found."}`.
fn says_not_found(body: &Value) -> bool {
    let message = body.get("message").and_then(Value::as_text).unwrap_or_default();
    let code = body.get("code").and_then(Value::as_number);
    contains_ignore_case(&message, "cannot be found") || code == Some(404.0)
}

/// Whether `haystack` contains `needle`, ASCII letters in any case. A plain window compare: str's
/// substring searcher would bring about 4 KB of wasm for two short needles.
fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    needle.is_empty() || haystack.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Reads `body`, whose `data` is an array, moving its texts into the results.
fn read_results(body: &mut Value, message: Option<String>) -> Outcome {
    let photos = match body.get_mut("data") {
        Some(Value::List(photos)) => photos.as_mut_slice(),
        _ => &mut [],
    };
    if photos.len() > MAX_PHOTOS {
        return malformed(Reason::TooMany { what: "photos", limit: MAX_PHOTOS }, Position::Path("data".into()));
    }
    let mut results = Results { message, ..Results::default() };
    for (p, photo) in photos.iter_mut().enumerate() {
        let Value::Map(_) = photo else {
            results.skip(path(&[("data", p)], ""), SkipReason::NotAnObject);
            continue;
        };
        let code = photo
            .get("photo_code")
            .and_then(Value::as_number)
            .filter(|n| finite(*n) && n.fract() == 0.0 && (0.0..=f64::from(u16::MAX)).contains(n))
            .map(|n| {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                PhotoCode(n as u16)
            });
        let label = text(photo, "photo_label")
            .filter(|l| !l.trim().is_empty())
            .or_else(|| code.and_then(PhotoCode::pave_label).map(str::to_owned))
            .unwrap_or_default();
        let url = text(photo, "url").unwrap_or_default();
        let photo_index = results.photos.len();
        let first = results.damages.len();

        let items = match photo.get_mut("inspection_data") {
            Some(Value::List(items)) => items.as_mut_slice(),
            None | Some(Value::Null) => &mut [],
            Some(_) => {
                results.skip(path(&[("data", p)], ".inspection_data"), SkipReason::DamagesNotAList);
                &mut []
            }
        };
        for (d, item) in items.iter_mut().enumerate() {
            match read_damage(item) {
                Ok(mut damage) => {
                    if results.damages.len() >= MAX_DAMAGES {
                        return malformed(
                            Reason::TooMany { what: "damages", limit: MAX_DAMAGES },
                            Position::Path(path(&[("data", p), ("inspection_data", d)], "")),
                        );
                    }
                    damage.index = results.damages.len();
                    damage.photo = photo_index;
                    results.damages.push(damage);
                }
                Err(reason) => results.skip(path(&[("data", p), ("inspection_data", d)], ""), reason),
            }
        }
        results.photos.push(Photo { code, label, url, damages: first..results.damages.len() });
    }
    results.session = body.get_mut("session").filter(|s| matches!(s, Value::Map(_))).map(|s| Session {
        key: text(s, "session_key"),
        started_at: text(s, "inspect_started_at"),
        ended_at: text(s, "inspect_ended_at"),
        condition_report: text(s, "condition_report"),
        landing_page: text(s, "landing_page"),
    });
    results.vehicle = body.get_mut("vehicle").filter(|v| matches!(v, Value::Map(_))).map(|v| Vehicle {
        vin: text(v, "vin"),
        year: text(v, "year"),
        make: text(v, "make"),
        model: text(v, "model"),
    });
    Outcome::Results(results)
}

fn read_damage(item: &mut Value) -> Result<Damage, SkipReason> {
    let Value::Map(_) = item else {
        return Err(SkipReason::NotAnObject);
    };
    let coords = [item.get("coodrs"), item.get("coords")]
        .into_iter()
        .flatten()
        .find(|c| matches!(c, Value::Map(_)))
        .ok_or(SkipReason::NoCoordinates)?;
    let x = coordinate(coords, "x", Axis::X)?;
    let y = coordinate(coords, "y", Axis::Y)?;
    let name = text(item, "damage_name").unwrap_or_default();
    Ok(Damage {
        index: 0,
        photo: 0,
        group: DamageGroup::from_code(&text(item, "damage_group").unwrap_or_default()),
        component: text(item, "component").unwrap_or_default(),
        severity: Severity::from_damage_name(&name),
        name,
        description: text(item, "description").unwrap_or_default(),
        tolerance: text(item, "tolerance").unwrap_or_default(),
        repair_method: text(item, "repair_method").unwrap_or_default(),
        x,
        y,
    })
}

fn coordinate(coords: &Value, key: &str, axis: Axis) -> Result<f64, SkipReason> {
    let n = coords.get(key).and_then(Value::as_number).ok_or(SkipReason::NotANumber(axis))?;
    if !finite(n) {
        return Err(SkipReason::NotFinite(axis));
    }
    if !(0.0..=100.0).contains(&n) {
        return Err(SkipReason::OutOfRange(axis));
    }
    // -0.0 is in range; keep signs out of later arithmetic.
    Ok(n + 0.0)
}

/// A text field, tolerating numbers, cut to [`MAX_TEXT_CHARS`]: moved out of `obj` (each field
/// is read once).
fn text(obj: &mut Value, key: &str) -> Option<String> {
    obj.get_mut(key).and_then(Value::take_text).map(clip)
}

fn clip(text: String) -> String {
    // (A text of no more bytes than the cap has no more characters either: most texts, and no
    // walk over their characters.)
    if text.len() <= MAX_TEXT_CHARS {
        return text;
    }
    match text.char_indices().nth(MAX_TEXT_CHARS) {
        Some((cut, _)) => {
            let mut s = text.get(..cut).unwrap_or(&text).to_owned();
            s.push('…');
            s
        }
        None => text,
    }
}

/// `data[2].inspection_data[5]` + `tail`.
fn path(steps: &[(&str, usize)], tail: &str) -> String {
    let mut out = String::new();
    for (i, (key, index)) in steps.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        out.push_str(key);
        out.push('[');
        push_uint(&mut out, *index as u64);
        out.push(']');
    }
    out.push_str(tail);
    out
}

// Messages are built by hand rather than with `write!`: `core::fmt` is the largest thing a
// small wasm binary can pull in, and these strings are shown in the widget.

impl Reason {
    /// The reason in words.
    pub fn message(&self) -> String {
        let mut m = String::new();
        match self {
            Self::Empty => m.push_str("the response is empty"),
            Self::TooLarge { bytes } => {
                m.push_str("the response is too large (");
                push_uint(&mut m, *bytes as u64);
                m.push_str(" bytes; the limit is ");
                push_uint(&mut m, MAX_BODY_BYTES as u64);
                m.push(')');
            }
            Self::NotUtf8 => m.push_str("the response is not UTF-8 text"),
            Self::Syntax(message) => {
                m.push_str("the response is not valid JSON: ");
                m.push_str(message);
            }
            Self::TooDeep => {
                m.push_str("the response nests deeper than ");
                push_uint(&mut m, u64::from(MAX_DEPTH));
                m.push_str(" levels");
            }
            Self::TooMany { what, limit } => {
                m.push_str("the response has more than ");
                push_uint(&mut m, *limit as u64);
                m.push(' ');
                m.push_str(what);
            }
            Self::WrongType { expected } => {
                m.push_str("expected ");
                m.push_str(expected);
            }
            Self::NotPave => m.push_str("this is not a PAVE hotspots response (no `success` and `data`)"),
        }
        m
    }
}

impl Position {
    /// The position in words (empty for the whole body).
    pub fn message(&self) -> String {
        let mut m = String::new();
        match self {
            Self::Body => {}
            Self::Text { line, column } => {
                m.push_str("line ");
                push_uint(&mut m, *line as u64);
                m.push_str(", column ");
                push_uint(&mut m, *column as u64);
            }
            Self::Path(p) => m.push_str(p),
        }
        m
    }
}

impl Malformed {
    /// "the response is not valid JSON: … (at line 4, column 5)".
    pub fn message(&self) -> String {
        let mut m = self.reason.message();
        if self.at != Position::Body {
            m.push_str(" (at ");
            m.push_str(&self.at.message());
            m.push(')');
        }
        m
    }
}

impl SkipReason {
    /// Why the item was left out, in words.
    pub fn message(&self) -> String {
        let axis = |a: &Axis| match a {
            Axis::X => "x",
            Axis::Y => "y",
        };
        let coordinate = |a: &Axis, what: &str| {
            let mut m = String::from("coordinate ");
            m.push_str(axis(a));
            m.push_str(what);
            m
        };
        match self {
            Self::NotAnObject => "not an object".into(),
            Self::NoCoordinates => "no coordinates (`coodrs` or `coords`)".into(),
            Self::NotANumber(a) => coordinate(a, " is missing or not a number"),
            Self::NotFinite(a) => coordinate(a, " is not finite"),
            Self::OutOfRange(a) => coordinate(a, " is outside 0–100"),
            Self::DamagesNotAList => "`inspection_data` is not an array".into(),
            Self::UnsafeUrl => {
                "the photo `url` is not loaded: only https: URLs (or http: on the page's origin, or on localhost from a page on localhost) are"
                    .into()
            }
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn contains_ignore_case_is_lowercased_contains(haystack in "[a-cA-C é]{0,14}", needle in "[a-c ]{0,4}") {
            proptest::prop_assert_eq!(contains_ignore_case(&haystack, &needle), haystack.to_ascii_lowercase().contains(&needle));
        }
    }

    fn results(outcome: Outcome) -> Results {
        match outcome {
            Outcome::Results(r) => r,
            other => panic!("expected results, got {other:?}"),
        }
    }

    #[test]
    fn reads_coords_and_strings() {
        let r = results(parse_str(
            None,
            r#"{"success": "true", "data": [{"photo_code": "5", "inspection_data": [
                {"coords": {"x": "12.5", "y": 40}, "damage_group": "PART", "tolerance": 3},
                {"coodrs": {"x": 1, "y": 2}, "coords": {"x": 3, "y": 4}, "extra": [1,2,3]}
            ]}]}"#,
        ));
        assert_eq!(r.photos.len(), 1);
        assert_eq!(r.photos[0].code, Some(PhotoCode(5)));
        assert_eq!(r.photos[0].label, "Front");
        assert_eq!((r.damages[0].x, r.damages[0].y), (12.5, 40.0));
        assert_eq!(r.damages[0].tolerance, "3");
        assert_eq!(r.damages[0].group, DamageGroup::Part);
        assert_eq!((r.damages[1].x, r.damages[1].y), (1.0, 2.0));
        assert_eq!(r.damages[1].index, 1);
        assert!(r.skipped.is_empty());
    }

    #[test]
    fn bad_damages_are_skipped_with_reasons() {
        let r = results(parse_str(
            None,
            r#"{"success": true, "data": [{"photo_code": 4, "inspection_data": [
                {"coodrs": {"x": 10, "y": 10}},
                {"coodrs": {"x": "NaN", "y": 10}},
                {"coodrs": {"x": 10, "y": 101}},
                {"coodrs": {"x": 10}},
                {"coodrs": [1, 2]},
                "junk",
                {"coodrs": {"x": "1e999", "y": 1}},
                {"coodrs": {"x": -0.0, "y": 100}}
            ]}]}"#,
        ));
        assert_eq!(r.damages.len(), 2);
        assert_eq!(r.damages[1].index, 1);
        let reasons: Vec<_> = r.skipped.iter().map(|s| (s.path.as_str(), s.reason)).collect();
        assert_eq!(
            reasons,
            [
                ("data[0].inspection_data[1]", SkipReason::NotANumber(Axis::X)),
                ("data[0].inspection_data[2]", SkipReason::OutOfRange(Axis::Y)),
                ("data[0].inspection_data[3]", SkipReason::NotANumber(Axis::Y)),
                ("data[0].inspection_data[4]", SkipReason::NoCoordinates),
                ("data[0].inspection_data[5]", SkipReason::NotAnObject),
                ("data[0].inspection_data[6]", SkipReason::NotANumber(Axis::X)),
            ]
        );
    }

    #[test]
    fn infinite_numbers_are_skipped() {
        // `JSON.parse` reads 1e999 as Infinity; serde_json refuses it, so build the tree by hand.
        let coords = Value::Map(vec![("x".into(), Value::Number(f64::INFINITY)), ("y".into(), Value::Number(1.0))]);
        let damage = Value::Map(vec![("coodrs".into(), coords)]);
        let photo = Value::Map(vec![("inspection_data".into(), Value::List(vec![damage]))]);
        let body = Value::Map(vec![("success".into(), Value::Bool(true)), ("data".into(), Value::List(vec![photo]))]);
        let Outcome::Results(r) = parse_value(None, body) else { panic!() };
        assert_eq!(r.skipped[0].reason, SkipReason::NotFinite(Axis::X));
    }

    #[test]
    fn statuses_decide_before_bodies() {
        assert!(matches!(parse_str(Some(404), "<html>nope</html>"), Outcome::NotFound { message: None }));
        assert!(matches!(parse_str(Some(500), ""), Outcome::Rejected { status: 500, message: None }));
        assert!(matches!(
            parse_str(Some(502), r#"{"error": "upstream", "message": "bad gateway"}"#),
            Outcome::Rejected { status: 502, message: Some(m) } if m == "bad gateway"
        ));
        assert!(matches!(
            parse_str(Some(400), r#"{"error": "bad_session_key"}"#),
            Outcome::Rejected { status: 400, .. }
        ));
        // A 400 that isn't PAVE's JSON comes from something in between: an HTTP error.
        assert!(matches!(parse_str(Some(400), "{not json"), Outcome::Rejected { status: 400, .. }));
        assert!(matches!(parse_str(Some(204), ""), Outcome::Malformed(Malformed { reason: Reason::Empty, .. })));
    }

    #[test]
    fn text_positions_and_limits() {
        let Outcome::Malformed(m) = parse_str(None, "{\n  \"a\": 1\n  \"b\": 2\n}") else { panic!() };
        assert!(matches!(m.reason, Reason::Syntax(_)));
        assert_eq!(m.at, Position::Text { line: 3, column: 3 });
        let Outcome::Malformed(m) = parse_str(None, "  \n ") else { panic!() };
        assert_eq!(m.reason, Reason::Empty);
        let Outcome::Malformed(m) = parse_str(None, "[1, 2]") else { panic!() };
        assert_eq!(m.reason, Reason::WrongType { expected: "an object" });
        let Outcome::Malformed(m) = parse_str(None, r#"{"hello": "world"}"#) else { panic!() };
        assert_eq!(m.reason, Reason::NotPave);
        let Outcome::Malformed(m) = parse_str(None, r#"{"success": true, "data": {}}"#) else { panic!() };
        assert_eq!(m.at, Position::Path("data".into()));
        let Outcome::Malformed(m) = parse_bytes(None, b"{\"a\":\n\"\xff\"}") else { panic!() };
        assert_eq!((m.reason, m.at), (Reason::NotUtf8, Position::Text { line: 2, column: 2 }));
        let big = vec![b' '; MAX_BODY_BYTES + 1];
        let Outcome::Malformed(m) = parse_bytes(None, &big) else { panic!() };
        assert!(matches!(m.reason, Reason::TooLarge { .. }));
    }

    #[test]
    fn bom_is_ignored_and_text_is_clipped() {
        let long = "é".repeat(MAX_TEXT_CHARS + 10);
        let body = format!(
            "\u{feff}{{\"success\": true, \"data\": [{{\"inspection_data\": [{{\"description\": \"{long}\", \"coodrs\": {{\"x\": 1, \"y\": 1}}}}]}}]}}"
        );
        let r = results(parse_str(None, &body));
        assert_eq!(r.damages[0].description.chars().count(), MAX_TEXT_CHARS + 1);
        assert!(r.damages[0].description.ends_with('…'));
        assert_eq!(r.photos[0].code, None);
    }

    #[test]
    fn too_many_damages_is_an_error() {
        let item = r#"{"coodrs": {"x": 1, "y": 1}},"#;
        let body = format!(
            r#"{{"success": true, "data": [{{"inspection_data": [{}{{"coodrs": {{"x": 1, "y": 1}}}}]}}]}}"#,
            item.repeat(MAX_DAMAGES)
        );
        let Outcome::Malformed(m) = parse_str(None, &body) else { panic!() };
        assert_eq!(m.reason, Reason::TooMany { what: "damages", limit: MAX_DAMAGES });
        let exact = format!(
            r#"{{"success": true, "data": [{{"inspection_data": [{}{{"coodrs": {{"x": 1, "y": 1}}}}]}}]}}"#,
            item.repeat(MAX_DAMAGES - 1)
        );
        assert_eq!(results(parse_str(None, &exact)).damages.len(), MAX_DAMAGES);
    }

    #[test]
    fn messages_read_well() {
        let m = Malformed { reason: Reason::TooMany { what: "photos", limit: 100 }, at: Position::Path("data".into()) };
        assert_eq!(m.to_string(), "the response has more than 100 photos (at data)");
        let m =
            Malformed { reason: Reason::Syntax("EOF while parsing".into()), at: Position::Text { line: 1, column: 9 } };
        assert_eq!(m.to_string(), "the response is not valid JSON: EOF while parsing (at line 1, column 9)");
        assert_eq!(SkipReason::OutOfRange(Axis::Y).to_string(), "coordinate y is outside 0–100");
    }
}
