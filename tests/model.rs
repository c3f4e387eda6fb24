//! The results model against every PAVE fixture, and properties over generated input.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use pave_hotspots::core::json;
use pave_hotspots::core::loose::Value;
use pave_hotspots::core::model::{parse_bytes, parse_str, Outcome, Position, Reason, Results};
use pave_hotspots::core::words::{DamageGroup, PhotoCode, Severity};
use proptest::prelude::*;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/pave/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn sample() -> Results {
    match parse_str(Some(200), &fixture("results-27-damages.json")) {
        Outcome::Results(r) => r,
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_sample_parses_exactly() {
    let r = sample();
    let shape: Vec<_> = r.photos.iter().map(|p| (p.code, p.label.as_str(), p.damages.len())).collect();
    assert_eq!(
        shape,
        [
            (Some(PhotoCode(4)), "Left", 3),
            (Some(PhotoCode(5)), "Front", 10),
            (Some(PhotoCode(7)), "Right", 11),
            (Some(PhotoCode(8)), "Rear", 3),
        ]
    );
    assert_eq!(r.damages.len(), 27);
    assert!(r.skipped.is_empty());
    assert_eq!(r.message.as_deref(), Some("27 damages found on the vehicle."));
    assert_eq!(r.photos[0].url, "https://images-cdn.paveapi.com/UDB/UDB-512D3TASIY/UDB-512D3TASIY_04_TVL.jpg");

    let first = &r.damages[0];
    assert_eq!(first.group, DamageGroup::Wheel);
    assert_eq!(first.component, "WHEEL_FRONT_LEFT");
    assert_eq!(first.name, "CURB_RASH_MINOR");
    assert_eq!(first.description, "Curb Rash");
    assert_eq!(first.tolerance, "1/8 to 1/2 inch - NAAA Acceptable");
    assert_eq!(first.repair_method, "Refinish");
    assert_eq!(first.severity, Severity::Minor);
    assert_eq!((first.x, first.y), (17.43, 27.37));

    let second = &r.damages[1];
    assert_eq!(second.component_words(), "Rear left door");
    assert_eq!(second.title(), "Scraped");

    let last = r.damages.last().unwrap();
    assert_eq!((last.index, last.photo, last.x, last.y), (26, 3, 48.62, 28.35));
    assert_eq!(last.component, "TRUNK_REAR_UNIQUE");

    // Indices are document order and photo ranges tile the list.
    for (i, d) in r.damages.iter().enumerate() {
        assert_eq!(d.index, i);
        assert!(r.photos[d.photo].damages.contains(&i));
    }
    assert_eq!(r.group_counts()[DamageGroup::Body.ordinal()], 22);
    assert_eq!(r.group_counts()[DamageGroup::Part.ordinal()], 3);
    assert_eq!(r.group_counts()[DamageGroup::Wheel.ordinal()], 2);

    // The session key inside differs from the one in the photo URLs: both are kept as sent.
    let session = r.session.unwrap();
    assert_eq!(session.key.as_deref(), Some("UDB-CJDQF4DJYM"));
    assert_eq!(session.ended_at.as_deref(), Some("2023-05-30T21:19:07+00:00"));
    let vehicle = r.vehicle.unwrap();
    assert_eq!(vehicle.year.as_deref(), Some("2009"));
    assert_eq!(vehicle.make.as_deref(), Some("BMW"));
    assert_eq!(vehicle.model.as_deref(), Some("3 SERIES"));
}

#[test]
fn the_sample_reads_the_same_without_a_status() {
    let with = sample();
    let Outcome::Results(without) = parse_str(None, &fixture("results-27-damages.json")) else { panic!() };
    assert_eq!(with, without);
}

#[test]
fn no_damage() {
    let body = fixture("no-damage.json");
    for status in [None, Some(200)] {
        assert_eq!(
            parse_str(status, &body),
            Outcome::NoDamage { message: Some("No damages found on the vehicle".into()) }
        );
    }
}

#[test]
fn the_no_damage_body_as_printed_in_the_docs_is_malformed() {
    let Outcome::Malformed(m) = parse_str(Some(200), &fixture("no-damage-as-printed-in-docs.txt")) else {
        panic!("must be malformed")
    };
    assert!(matches!(m.reason, Reason::Syntax(_)));
    // The missing comma after `"data": []` is found at the start of line 4.
    assert!(matches!(m.at, Position::Text { line: 4, .. }), "{:?}", m.at);
    assert!(m.to_string().starts_with("the response is not valid JSON"));
}

#[test]
fn not_yet_inspected() {
    let body = fixture("not-yet-inspected.json");
    for status in [None, Some(400)] {
        assert_eq!(
            parse_str(status, &body),
            Outcome::NotInspected { message: Some("This session is not yet inspected.".into()) }
        );
    }
}

#[test]
fn not_found() {
    let body = fixture("session-not-found.json");
    for status in [None, Some(404)] {
        assert_eq!(
            parse_str(status, &body),
            Outcome::NotFound { message: Some("Session UDB-0000000000 cannot be found.".into()) }
        );
    }
}

/// JSON trees of any shape, to check the model never panics and keeps its invariants.
fn json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, Into::into)),
        (-1000i64..1000).prop_map(serde_json::Value::from),
        "[a-z0-9 ._-]{0,12}".prop_map(serde_json::Value::from),
        prop_oneof![Just("NaN"), Just("Infinity"), Just("-1e999"), Just("50"), Just(" 12.5 ")]
            .prop_map(serde_json::Value::from),
    ];
    let keys = prop_oneof![
        Just("success".to_owned()),
        Just("data".to_owned()),
        Just("message".to_owned()),
        Just("photo_code".to_owned()),
        Just("inspection_data".to_owned()),
        Just("coodrs".to_owned()),
        Just("coords".to_owned()),
        Just("x".to_owned()),
        Just("y".to_owned()),
        Just("code".to_owned()),
        "[a-z]{1,6}",
    ];
    leaf.prop_recursive(6, 200, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(serde_json::Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..8)
                .prop_map(|kv| serde_json::Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Results-shaped trees: a valid envelope with random damages inside.
fn results_json() -> impl Strategy<Value = serde_json::Value> {
    let coord = prop_oneof![
        (-50.0f64..150.0).prop_map(serde_json::Value::from),
        "[0-9.]{1,6}".prop_map(serde_json::Value::from),
        Just(serde_json::Value::Null),
        Just(serde_json::Value::from("NaN")),
    ];
    let damage = (coord.clone(), coord, any::<bool>()).prop_map(|(x, y, misspelled)| {
        let key = if misspelled { "coodrs" } else { "coords" };
        serde_json::json!({ "damage_group": "BODY", key: { "x": x, "y": y } })
    });
    let photo = (0u16..20, prop::collection::vec(damage, 0..12))
        .prop_map(|(code, damages)| serde_json::json!({ "photo_code": code, "inspection_data": damages }));
    prop::collection::vec(photo, 0..6).prop_map(|photos| serde_json::json!({ "success": true, "data": photos }))
}

/// serde_json's reading of a text into the tree: the reference the widget's own reader is held to.
fn serde_tree(text: &str) -> Option<Value> {
    let mut de = serde_json::Deserializer::from_str(text);
    let v = Value::deserialize_capped(&mut de).ok()?;
    de.end().ok()?;
    Some(v)
}

fn own_tree(text: &str) -> Option<Value> {
    json::parse(text, &|s: &str| s.parse::<f64>().ok()).ok()
}

#[test]
fn the_widgets_reader_agrees_with_serde_on_every_fixture() {
    for name in ["results-27-damages.json", "no-damage.json", "not-yet-inspected.json", "session-not-found.json"] {
        let text = fixture(name);
        assert_eq!(own_tree(&text), serde_tree(&text), "{name}");
        assert!(own_tree(&text).is_some());
    }
    assert!(own_tree(&fixture("no-damage-as-printed-in-docs.txt")).is_none());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_widgets_reader_agrees_with_serde_on_any_tree(tree in json(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&tree).unwrap() } else { tree.to_string() };
        prop_assert_eq!(own_tree(&text), serde_tree(&text));
    }

    #[test]
    fn what_serde_reads_the_widget_reads_alike(text in "[\\[\\]{}\",:0-9a-z.eE+ \\\\-]{0,40}") {
        if let Some(reference) = serde_tree(&text) {
            prop_assert_eq!(own_tree(&text), Some(reference));
        }
    }

    #[test]
    fn any_text_gives_an_outcome(body in ".{0,200}", status in prop::option::of(100u16..600)) {
        let _ = parse_str(status, &body);
    }

    #[test]
    fn any_bytes_give_an_outcome(body in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = parse_bytes(None, &body);
    }

    #[test]
    fn any_tree_gives_an_outcome(tree in json()) {
        let _ = parse_str(None, &tree.to_string());
    }

    #[test]
    fn placed_damages_keep_the_invariants(tree in results_json()) {
        let body = tree.to_string();
        let Outcome::Results(r) = parse_str(Some(200), &body) else {
            return Err(TestCaseError::fail("results-shaped input must give results"));
        };
        let total: usize = tree["data"].as_array().unwrap().iter()
            .map(|p| p["inspection_data"].as_array().unwrap().len()).sum();
        prop_assert_eq!(r.damages.len() + r.skipped.len(), total);
        let mut next = 0;
        for (p, photo) in r.photos.iter().enumerate() {
            prop_assert_eq!(photo.damages.start, next);
            next = photo.damages.end;
            for d in r.damages_of(p) {
                prop_assert_eq!(d.photo, p);
                prop_assert!(d.x.is_finite() && (0.0..=100.0).contains(&d.x));
                prop_assert!(d.y.is_finite() && (0.0..=100.0).contains(&d.y));
            }
        }
        prop_assert_eq!(next, r.damages.len());
    }
}
