//! Arbitrary numbers and strings through the geometry core: the CSS parsers, the picture
//! rectangle, percent ↔ px and visibility. No panic, no NaN or infinity in anything `Ok`/`Some`,
//! and percent → px → percent comes back within floating-point tolerance.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use pave_hotspots::core::geometry::{
    content_rect, is_visible, parse_decimal, parse_px, percent_to_px, px_to_percent, Edges, ElementBox, ObjectFit,
    ObjectPosition, ObjectViewBox, Point, Rect, ScreenMap, Size,
};

#[derive(Arbitrary, Debug)]
struct Input {
    fit: String,
    position: String,
    view_box: String,
    length: String,
    width: f64,
    height: f64,
    border: [f64; 4],
    padding: [f64; 4],
    natural: (f64, f64),
    percent: (f64, f64),
    point: (f64, f64),
    bounding: [f64; 4],
}

fn edges(e: [f64; 4]) -> Edges {
    Edges { top: e[0], right: e[1], bottom: e[2], left: e[3] }
}

fn finite_rect(r: &Rect) -> bool {
    r.x.is_finite() && r.y.is_finite() && r.width.is_finite() && r.height.is_finite()
}

/// How far a percentage may drift in percent → px → percent: a few ulps of the largest term,
/// relative to the size divided by.
fn tolerance(origin: f64, px: f64, size: f64) -> f64 {
    1e-9 + 16.0 * f64::EPSILON * (origin.abs() + px.abs() + size) / size * 100.0
}

fuzz_target!(|input: Input| {
    let fit = ObjectFit::parse(&input.fit);
    let position = ObjectPosition::parse(&input.position);
    // Documented: never a non-finite number, whatever the string.
    for v in [position.x.percent, position.x.px, position.y.percent, position.y.px] {
        assert!(v.is_finite(), "{:?} → {position:?}", input.position);
    }
    let view_box = ObjectViewBox::parse(&input.view_box);
    if let Some(v) = parse_px(&input.length) {
        assert!(v.is_finite(), "{:?} → {v}", input.length);
    }
    if let Some(v) = parse_decimal(&input.length) {
        assert!(v.is_finite(), "{:?} → {v}", input.length);
        // Where the standard parser reads the same plain decimal, the two agree closely.
        let plain = input.length.trim();
        let decimal_chars = plain.bytes().all(|b| b.is_ascii_digit() || b".eE+-".contains(&b));
        if decimal_chars {
            if let Ok(std) = plain.parse::<f64>() {
                if std.is_finite() && std.abs() > 1e-290 {
                    let err = (v - std).abs() / std.abs();
                    assert!(err <= 1e-12, "{plain:?}: parse_decimal {v:e}, std {std:e}");
                }
            }
        }
    }

    let el = ElementBox {
        width: input.width,
        height: input.height,
        border: edges(input.border),
        padding: edges(input.padding),
    };
    let content = el.content_box();
    assert!(finite_rect(&content) && content.width >= 0.0 && content.height >= 0.0, "{el:?} → {content:?}");

    let natural = Size::new(input.natural.0, input.natural.1);
    if let Ok(rect) = content_rect(&el, natural, fit, &position, view_box.resolve(natural).as_ref()) {
        assert!(finite_rect(&rect) && rect.width > 0.0 && rect.height > 0.0, "{rect:?}");
        let (x, y) = input.percent;
        // Subnormal sizes (a 1e257 px picture in a 1 px box) have too few digits to round-trip.
        let normal = rect.width >= 1e-290 && rect.height >= 1e-290;
        if x.is_finite() && y.is_finite() && normal {
            let p = percent_to_px(&rect, x, y);
            if p.x.is_finite() && p.y.is_finite() {
                let Some((bx, by)) = px_to_percent(&rect, p) else {
                    panic!("px_to_percent refused a finite point {p:?} on {rect:?}");
                };
                assert!((bx - x).abs() <= tolerance(rect.x, p.x, rect.width), "x: {x} → {} → {bx} on {rect:?}", p.x);
                assert!((by - y).abs() <= tolerance(rect.y, p.y, rect.height), "y: {y} → {} → {by} on {rect:?}", p.y);
            }
        }
    }

    let rect = Rect::new(input.bounding[0], input.bounding[1], input.bounding[2], input.bounding[3]);
    let point = Point::new(input.point.0, input.point.1);
    if let Some((x, y)) = px_to_percent(&rect, point) {
        assert!(x.is_finite() && y.is_finite());
    }
    if is_visible(&el, point) {
        assert!(point.x.is_finite() && point.y.is_finite());
        assert!(content.contains(point));
    }
    let map = ScreenMap::from_bounding_box(Size::new(input.width, input.height), rect);
    assert!(map.scale_x().is_finite() && map.scale_x() != 0.0);
    assert!(map.scale_y().is_finite() && map.scale_y() != 0.0);
    assert!(map.origin().x.is_finite() && map.origin().y.is_finite());
});
