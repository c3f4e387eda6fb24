//! Every malformed or hostile response in `tests/corpus/` through `parse_bytes`, as a proxy would
//! hand it over: no panic, and the outcome the manifest names (see `tests/corpus/README.md`).
//! The browser reads the same corpus in `tests/page/corpus.test.mjs`.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use pave_hotspots::core::model::{parse_bytes, Outcome, Position, Reason, MAX_TEXT_CHARS};
use serde_json::Value as Json;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join("corpus")
}

/// One manifest entry, with the host's view of the expectation (`expect` merged with `host`).
struct Entry {
    name: String,
    status: u16,
    expect: Json,
    bug: Option<String>,
    raw: Json,
}

fn manifest() -> Vec<Entry> {
    let text = std::fs::read_to_string(corpus_dir().join("manifest.json")).unwrap();
    let json: Json = serde_json::from_str(&text).unwrap();
    json["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let name = e["file"].as_str().or_else(|| e["name"].as_str()).expect("an entry needs `file` or `name`");
            let mut expect = e["expect"].clone();
            if let (Some(over), Some(base)) = (e["host"].as_object(), expect.as_object_mut()) {
                // An override replaces the expectation's class and its details.
                if over.contains_key("class") {
                    base.clear();
                }
                base.extend(over.clone());
            }
            Entry {
                name: name.to_owned(),
                status: u16::try_from(e["status"].as_u64().unwrap()).unwrap(),
                expect,
                bug: e["host_bug"]
                    .as_str()
                    .map(|id| format!("{id}: {}", json["bugs"][id].as_str().unwrap_or("(undescribed)"))),
                raw: e.clone(),
            }
        })
        .collect()
}

/// The entry's body: its file, or what its generator makes.
fn body(entry: &Entry) -> Vec<u8> {
    match entry.raw.get("generate") {
        Some(g) => generate(g),
        None => std::fs::read(corpus_dir().join(&entry.name)).unwrap(),
    }
}

/// The generators named in the manifest. `tests/page/corpus.test.mjs` has the same ones.
fn generate(g: &Json) -> Vec<u8> {
    let n = |key: &str| usize::try_from(g[key].as_u64().unwrap_or_else(|| panic!("generator needs `{key}`"))).unwrap();
    match g["kind"].as_str().unwrap() {
        // A valid, empty result padded with one long string to exactly `bytes`.
        "pad" => {
            let (head, tail) = (r#"{"success":true,"data":[],"pad":""#, r#""}"#);
            let mut s = String::from(head);
            s.push_str(&"x".repeat(n("bytes") - head.len() - tail.len()));
            s.push_str(tail);
            s.into_bytes()
        }
        // One photo with `count` minimal damages.
        "damages" => {
            let items: Vec<String> = (0..n("count"))
                .map(|i| format!(r#"{{"coodrs":{{"x":{},"y":{}}}}}"#, i % 100, (i / 100) % 100))
                .collect();
            format!(
                r#"{{"success":true,"message":"generated","data":[{{"photo_code":5,"photo_label":"Front","url":"","inspection_data":[{}]}}]}}"#,
                items.join(",")
            )
            .into_bytes()
        }
        // `count` photos of one damage each.
        "photos" => {
            let photos: Vec<String> = (0..n("count"))
                .map(|i| format!(r#"{{"photo_code":{i},"inspection_data":[{{"coodrs":{{"x":50,"y":50}}}}]}}"#))
                .collect();
            format!(r#"{{"success":true,"data":[{}]}}"#, photos.join(",")).into_bytes()
        }
        // One good damage, then `count` junk items (zeros) to be skipped.
        "junk" => {
            let junk = vec!["0"; n("count")].join(",");
            format!(r#"{{"success":true,"data":[{{"photo_code":5,"inspection_data":[{{"coodrs":{{"x":50,"y":50}}}},{junk}]}}]}}"#)
                .into_bytes()
        }
        "deep" => {
            let depth = n("depth");
            let deep = match g["shape"].as_str().unwrap() {
                "array" | "bare-array" => "[".repeat(depth) + &"]".repeat(depth),
                "object" => r#"{"a":"#.repeat(depth) + "null" + &"}".repeat(depth),
                "unclosed" => return "[".repeat(depth).into_bytes(),
                other => panic!("unknown deep shape {other}"),
            };
            if g["shape"] == "bare-array" {
                deep.into_bytes()
            } else {
                format!(r#"{{"success":true,"data":[],"deep":{deep}}}"#).into_bytes()
            }
        }
        // One damage whose `field` (description or photo_label) is `unit` repeated.
        "long-text" => {
            let unit = serde_json::to_string(g["unit"].as_str().unwrap()).unwrap();
            let long = format!("\"{}\"", unit.trim_matches('"').repeat(n("repeat")));
            let (label, description) = match g["field"].as_str().unwrap() {
                "photo_label" => (long.as_str(), r#""Scraped""#),
                "description" => (r#""Front""#, long.as_str()),
                other => panic!("unknown long-text field {other}"),
            };
            format!(
                r#"{{"success":true,"message":"long","data":[{{"photo_code":5,"photo_label":{label},"url":"","inspection_data":[{{"damage_group":"BODY","component":"DOOR_REAR_LEFT","description":{description},"coodrs":{{"x":50,"y":50}}}}]}}]}}"#
            )
            .into_bytes()
        }
        other => panic!("unknown generator {other}"),
    }
}

/// `None` when `outcome` is what `expect` says, else why not.
fn mismatch(outcome: &Outcome, expect: &Json, status: u16) -> Option<String> {
    let class = expect["class"].as_str().unwrap();
    let count = |key: &str| expect[key].as_u64().map(|v| usize::try_from(v).unwrap());
    let ok = match (class, outcome) {
        ("results", Outcome::Results(r)) => {
            // `skipped` lists the first MAX_SKIPPED_REPORTED; `skipped_total` counts them all.
            Some(r.damages.len()) == count("damages")
                && Some(r.skipped_total) == count("skipped")
                && r.skipped.len() == r.skipped_total.min(pave_hotspots::core::model::MAX_SKIPPED_REPORTED)
        }
        ("empty-results", Outcome::Results(r)) => r.damages.is_empty() && r.skipped_total == 0,
        ("no-damage", Outcome::NoDamage { .. }) => true,
        ("inspecting", Outcome::NotInspected { .. }) => true,
        ("not-found", Outcome::NotFound { .. }) => true,
        ("http", Outcome::Rejected { status: s, .. }) => {
            u64::from(*s) == expect["status"].as_u64().unwrap_or(status.into())
        }
        ("malformed", Outcome::Malformed(m)) => m.to_string().contains(expect["reason"].as_str().unwrap()),
        _ => false,
    };
    (!ok).then(|| format!("expected {expect}, got {}", describe(outcome)))
}

fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Results(r) => {
            let mut s = format!("results: {} damages, {} skipped", r.damages.len(), r.skipped_total);
            for k in r.skipped.iter().take(8) {
                let _ = write!(s, "; {}: {}", k.path, k.reason);
            }
            s
        }
        Outcome::Malformed(m) => format!("malformed: {m}"),
        other => format!("{other:?}"),
    }
}

/// What must hold for any outcome, whatever the manifest says: finite coordinates in range,
/// consistent indices and ranges, text clipped.
fn check_invariants(outcome: &Outcome) -> Result<(), String> {
    let clipped = |t: &str| t.chars().count() <= MAX_TEXT_CHARS + 1;
    match outcome {
        Outcome::Results(r) => {
            for (i, d) in r.damages.iter().enumerate() {
                if d.index != i || d.photo >= r.photos.len() {
                    return Err(format!("damage {i}: index {} photo {}", d.index, d.photo));
                }
                if !(d.x.is_finite() && d.y.is_finite() && (0.0..=100.0).contains(&d.x) && (0.0..=100.0).contains(&d.y))
                {
                    return Err(format!("damage {i}: ({}, {})", d.x, d.y));
                }
                if d.x.is_sign_negative() || d.y.is_sign_negative() {
                    return Err(format!("damage {i}: negative zero"));
                }
                let texts = [&d.component, &d.name, &d.description, &d.tolerance, &d.repair_method];
                if !texts.iter().all(|t| clipped(t)) {
                    return Err(format!("damage {i}: text not clipped"));
                }
            }
            let mut next = 0;
            for (p, photo) in r.photos.iter().enumerate() {
                if photo.damages.start != next || photo.damages.end < photo.damages.start || !clipped(&photo.label) {
                    return Err(format!("photo {p}: range {:?}", photo.damages));
                }
                next = photo.damages.end;
            }
            if next != r.damages.len() {
                return Err("photo ranges don't cover the damages".into());
            }
            if !r.message.as_deref().is_none_or(clipped) {
                return Err("message not clipped".into());
            }
        }
        Outcome::NoDamage { message } | Outcome::NotInspected { message } | Outcome::NotFound { message } => {
            if !message.as_deref().is_none_or(clipped) {
                return Err("message not clipped".into());
            }
        }
        Outcome::Rejected { message, .. } => {
            if !message.as_deref().is_none_or(clipped) {
                return Err("message not clipped".into());
            }
        }
        Outcome::Malformed(m) => {
            // Formatting must not panic either.
            let _ = m.to_string();
        }
    }
    Ok(())
}

/// Runs one entry; `Err` says what went wrong (a panic counts).
fn run(entry: &Entry, bytes: &[u8]) -> Result<(), String> {
    let outcome = catch_unwind(AssertUnwindSafe(|| parse_bytes(Some(entry.status), bytes)))
        .map_err(|_| "parse_bytes panicked".to_owned())?;
    check_invariants(&outcome)?;
    mismatch(&outcome, &entry.expect, entry.status).map_or(Ok(()), Err)
}

#[test]
fn every_corpus_entry_reads_as_the_manifest_says() {
    let entries = manifest();
    assert!(entries.len() >= 60, "the corpus has {} entries", entries.len());
    let mut failures = Vec::new();
    let mut known = Vec::new();
    for entry in &entries {
        let result = run(entry, &body(entry));
        match (&entry.bug, result) {
            (None, Ok(())) => {}
            (None, Err(why)) => failures.push(format!("{}: {why}", entry.name)),
            // A known bug: `known_bugs` (ignored) asserts the right behaviour.
            (Some(bug), Err(why)) => known.push(format!("{}: {why}\n    {bug}", entry.name)),
            (Some(_), Ok(())) => {
                failures.push(format!("{}: marked as a host bug but passes: drop its `host_bug`", entry.name))
            }
        }
    }
    for k in &known {
        eprintln!("known bug: {k}");
    }
    assert!(failures.is_empty(), "{} of {} entries failed:\n{}", failures.len(), entries.len(), failures.join("\n"));
}

/// The page may pass any of these bodies as the `results` property (no status): nothing panics
/// and the invariants hold.
#[test]
fn every_corpus_body_without_a_status_is_safe() {
    for entry in manifest() {
        let bytes = body(&entry);
        let outcome = catch_unwind(AssertUnwindSafe(|| parse_bytes(None, &bytes)))
            .unwrap_or_else(|_| panic!("{}: parse_bytes(None, …) panicked", entry.name));
        if let Err(why) = check_invariants(&outcome) {
            panic!("{}: {why}", entry.name);
        }
    }
}

/// Depth 100,000 must be refused by the model's cap (32 levels) before serde_json's own recursion
/// limit (128) or the stack: the reason is `TooDeep` (serde_json's limit would give a syntax
/// error), reported at the 33rd bracket, on a thread with a 256 KiB stack (a debug build needs
/// 64–128 KiB for the 33 levels; 100,000 levels would need hundreds of MiB).
#[test]
fn depth_one_hundred_thousand_stops_at_the_cap_on_a_small_stack() {
    let deep_arrays = generate(&serde_json::json!({"kind": "deep", "shape": "bare-array", "depth": 100_000}));
    let deep_objects = generate(&serde_json::json!({"kind": "deep", "shape": "object", "depth": 100_000}));
    let outcomes = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || (parse_bytes(Some(200), &deep_arrays), parse_bytes(Some(200), &deep_objects)))
        .unwrap()
        .join()
        .expect("parsing overflowed a 64 KiB stack");
    let Outcome::Malformed(m) = outcomes.0 else { panic!("{:?}", outcomes.0) };
    assert_eq!(m.reason, Reason::TooDeep);
    // The 33rd `[` is where the cap trips.
    assert_eq!(m.at, Position::Text { line: 1, column: 33 });
    let Outcome::Malformed(m) = outcomes.1 else { panic!("{:?}", outcomes.1) };
    assert_eq!(m.reason, Reason::TooDeep);
}

/// The manifest is well formed: unique names, files that exist, known classes, and every file
/// in the directory listed.
#[test]
fn the_manifest_lists_every_file() {
    let entries = manifest();
    let mut names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len(), "duplicate names in the manifest");
    let classes = ["results", "empty-results", "no-damage", "inspecting", "not-found", "http", "malformed"];
    for e in &entries {
        for side in ["expect", "host", "browser"] {
            if let Some(class) = e.raw[side]["class"].as_str() {
                assert!(classes.contains(&class), "{}: unknown class {class}", e.name);
            }
        }
        if e.raw.get("file").is_some() {
            assert!(corpus_dir().join(&e.name).is_file(), "{} is missing", e.name);
        }
    }
    for file in std::fs::read_dir(corpus_dir()).unwrap() {
        let file = file.unwrap().file_name().into_string().unwrap();
        if file != "manifest.json" && file != "README.md" {
            assert!(names.contains(&file.as_str()), "{file} is not in the manifest");
        }
    }
}

/// `layout::spread` turns a cluster into offsets; its spacing comes from the page's
/// `--pave-marker-size` (bounded below, not above). Found by `fuzz/` (target `layout`).
#[test]
fn spread_survives_absurd_spacing() {
    use pave_hotspots::core::layout::spread;
    for spacing in [1e300, 1e306, 8.9e307, f64::MAX] {
        for n in [2, 12, 13, 154] {
            let offsets = spread(n, spacing);
            assert!(
                offsets.iter().all(|p| p.x.is_finite() && p.y.is_finite()),
                "spread({n}, {spacing:e}) = {offsets:?}"
            );
        }
    }
}
