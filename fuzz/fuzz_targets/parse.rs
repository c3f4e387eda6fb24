//! Any bytes, with any status, through `model::parse_bytes`: no panic, and what comes out keeps
//! the model's promises. Also a differential check: the same JSON read as text and read as an
//! already-parsed tree (the browser's `JSON.parse` → object path) must mean the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pave_hotspots::core::loose::Value;
use pave_hotspots::core::model::{
    parse_bytes, parse_str, parse_value, Outcome, MAX_DAMAGES, MAX_PHOTOS, MAX_TEXT_CHARS,
};

/// The first input byte picks the status, so seeds are `[selector] ++ body`.
const STATUSES: [Option<u16>; 16] = [
    Some(200),
    Some(200),
    Some(200),
    Some(200),
    Some(400),
    Some(404),
    Some(500),
    Some(204),
    Some(201),
    None,
    Some(302),
    Some(401),
    Some(429),
    Some(502),
    Some(299),
    Some(0),
];

fn clipped(t: &str) -> bool {
    t.chars().count() <= MAX_TEXT_CHARS + 1
}

fn check(outcome: &Outcome) {
    match outcome {
        Outcome::Results(r) => {
            assert!(r.photos.len() <= MAX_PHOTOS);
            assert!(r.damages.len() <= MAX_DAMAGES);
            for (i, d) in r.damages.iter().enumerate() {
                assert_eq!(d.index, i);
                assert!(d.photo < r.photos.len());
                assert!(d.x.is_finite() && d.y.is_finite(), "{d:?}");
                assert!((0.0..=100.0).contains(&d.x) && (0.0..=100.0).contains(&d.y), "{d:?}");
                assert!(!d.x.is_sign_negative() && !d.y.is_sign_negative(), "negative zero: {d:?}");
                for t in [&d.component, &d.name, &d.description, &d.tolerance, &d.repair_method] {
                    assert!(clipped(t));
                }
                let _ = (d.title(), d.component_words());
            }
            let mut next = 0;
            for p in &r.photos {
                assert_eq!(p.damages.start, next);
                assert!(p.damages.end >= p.damages.start);
                assert!(clipped(&p.label));
                next = p.damages.end;
            }
            assert_eq!(next, r.damages.len());
            for s in &r.skipped {
                let _ = s.reason.to_string();
            }
            let _ = r.group_counts();
        }
        Outcome::Malformed(m) => {
            let _ = m.to_string();
        }
        Outcome::NoDamage { message } | Outcome::NotInspected { message } | Outcome::NotFound { message } => {
            assert!(message.as_deref().is_none_or(clipped));
        }
        Outcome::Rejected { message, .. } => assert!(message.as_deref().is_none_or(clipped)),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((selector, body)) = data.split_first() else { return };
    let status = STATUSES[usize::from(selector % 16)];
    let outcome = parse_bytes(status, body);
    check(&outcome);

    let Ok(text) = std::str::from_utf8(body) else { return };
    assert_eq!(parse_str(status, text), outcome, "parse_bytes and parse_str disagree");
    // Text → serde_json's own tree → our tree, as the browser does with JSON.parse's object.
    // Skipped where the text path's own rules decide first (BOM, blank body, size).
    let trimmed = text.strip_prefix('\u{feff}').unwrap_or(text);
    if trimmed.trim().is_empty() || text.len() > pave_hotspots::core::model::MAX_BODY_BYTES {
        return;
    }
    // The widget reads text with its own reader (core::json): whatever serde_json reads, it must
    // read to the same tree, and then to the same outcome.
    let mut de = serde_json::Deserializer::from_str(trimmed);
    if let Ok(reference) = Value::deserialize_capped(&mut de).and_then(|v| de.end().map(|()| v)) {
        let own = pave_hotspots::core::json::parse(trimmed, &|s: &str| s.parse::<f64>().ok());
        assert_eq!(own.as_ref().ok(), Some(&reference), "core::json and serde_json disagree on {trimmed:?}");
        assert_eq!(
            pave_hotspots::core::model::parse_text(status, text, |t| pave_hotspots::core::json::parse(
                t,
                &|s: &str| s.parse::<f64>().ok()
            )),
            outcome,
            "the widget's reading differs"
        );
    }
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(trimmed) {
        if let Ok(tree) = Value::deserialize_capped(json) {
            let via_tree = parse_value(status, tree);
            check(&via_tree);
            assert_eq!(via_tree, outcome, "text and tree disagree on {trimmed:?}");
        }
    }
});
