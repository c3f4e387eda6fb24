//! Property tests for `core::geometry`: the picture rectangle, percentages, visibility, the screen
//! maps (transforms included) and the `object-position` parser, each checked on hundreds of generated cases.
// proptest is a host-only dev-dependency; the browser test run must not try to build this file.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use pave_hotspots::core::geometry::{
    content_rect, element_map, is_visible, percent_to_px, px_to_percent, Edges, ElementBox, GeometryError,
    LengthPercentage, ObjectFit, ObjectPosition, ObjectViewBox, Perspective, Point, Rect, ScreenMap, Size,
};
use proptest::prelude::*;

const CASES: u32 = 512;

/// Relative closeness with an absolute floor, so values near 0 compare sensibly.
fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance * a.abs().max(b.abs()).max(1.0)
}

fn all_finite(r: &Rect) -> bool {
    r.x.is_finite() && r.y.is_finite() && r.width.is_finite() && r.height.is_finite()
}

// --- Strategies ------------------------------------------------------------------------------

fn any_fit() -> impl Strategy<Value = ObjectFit> {
    prop_oneof![
        Just(ObjectFit::Fill),
        Just(ObjectFit::Contain),
        Just(ObjectFit::Cover),
        Just(ObjectFit::None),
        Just(ObjectFit::ScaleDown),
    ]
}

fn edges(max: f64) -> impl Strategy<Value = Edges> {
    (0.0..max, 0.0..max, 0.0..max, 0.0..max).prop_map(|(top, right, bottom, left)| Edges { top, right, bottom, left })
}

/// A realistic element: content box 1–3000 px each way, plus border and padding.
fn element() -> impl Strategy<Value = ElementBox> {
    (1.0..3000.0f64, 1.0..3000.0f64, edges(20.0), edges(40.0)).prop_map(|(content_w, content_h, border, padding)| {
        ElementBox {
            width: content_w + border.horizontal() + padding.horizontal(),
            height: content_h + border.vertical() + padding.vertical(),
            border,
            padding,
        }
    })
}

fn natural() -> impl Strategy<Value = Size> {
    (1.0..8000.0f64, 1.0..8000.0f64).prop_map(|(w, h)| Size::new(w, h))
}

/// Positions that keep a picture no larger than the box inside it: 0–100% with no length.
fn inner_position() -> impl Strategy<Value = ObjectPosition> {
    (0.0..=100.0f64, 0.0..=100.0f64)
        .prop_map(|(x, y)| ObjectPosition { x: LengthPercentage::percent(x), y: LengthPercentage::percent(y) })
}

fn any_position() -> impl Strategy<Value = ObjectPosition> {
    (-50.0..150.0f64, -500.0..500.0f64, -50.0..150.0f64, -500.0..500.0f64).prop_map(|(xp, xl, yp, yl)| ObjectPosition {
        x: LengthPercentage::new(xp, xl),
        y: LengthPercentage::new(yp, yl),
    })
}

/// Any f64 at all, with the troublesome ones (0, −0, NaN, ±∞, subnormal, huge) made common.
fn nasty() -> impl Strategy<Value = f64> {
    prop_oneof![
        prop::num::f64::ANY,
        prop_oneof![
            Just(0.0),
            Just(-0.0),
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
            Just(f64::MIN_POSITIVE),
            Just(5e-324),
            Just(1e-310),
            Just(f64::MAX),
            Just(-1.0),
        ],
        0.0..5000.0f64,
    ]
}

fn nasty_edges() -> impl Strategy<Value = Edges> {
    (nasty(), nasty(), nasty(), nasty()).prop_map(|(top, right, bottom, left)| Edges { top, right, bottom, left })
}

fn nasty_element() -> impl Strategy<Value = ElementBox> {
    (nasty(), nasty(), nasty_edges(), nasty_edges()).prop_map(|(width, height, border, padding)| ElementBox {
        width,
        height,
        border,
        padding,
    })
}

fn nasty_position() -> impl Strategy<Value = ObjectPosition> {
    (nasty(), nasty(), nasty(), nasty()).prop_map(|(xp, xl, yp, yl)| ObjectPosition {
        x: LengthPercentage::new(xp, xl),
        y: LengthPercentage::new(yp, yl),
    })
}

/// Words and fragments `object-position` values are made of, valid and not, to be glued into
/// strings that reach deep into the parser (random unicode rarely gets past the first token).
fn css_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        prop_oneof![
            Just("left"),
            Just("RIGHT"),
            Just("top"),
            Just("bottom"),
            Just("center"),
            Just("calc("),
            Just("("),
            Just(")"),
            Just("+"),
            Just("-"),
            Just("*"),
            Just(","),
            Just("0"),
            Just("1e"),
            Just("e5"),
            Just("."),
            Just("em"),
            Just("px"),
            Just("%"),
            Just(" "),
            Just("\t"),
            Just("é"),
        ]
        .prop_map(String::from),
        (-1e6..1e6f64).prop_map(|v| format!("{v}px")),
        (-1e3..1e3f64).prop_map(|v| format!("{v}%")),
        any::<f64>().prop_map(|v| format!("{v:e}%")),
    ]
}

fn css_soup() -> impl Strategy<Value = String> {
    prop::collection::vec((css_fragment(), any::<bool>()), 0..12).prop_map(|parts| {
        let mut s = String::new();
        for (part, space) in parts {
            s.push_str(&part);
            if space {
                s.push(' ');
            }
        }
        s
    })
}

/// A valid `object-position` string in one of many spellings, with the value it must parse to.
fn valid_position() -> impl Strategy<Value = (String, ObjectPosition)> {
    let amount = prop_oneof![
        (-200.0..200.0f64).prop_map(|v| (format!("{v}%"), LengthPercentage::percent(v))),
        (-2000.0..2000.0f64).prop_map(|v| (format!("{v}px"), LengthPercentage::px(v))),
        (-200.0..200.0f64, 0.0..2000.0f64)
            .prop_map(|(p, l)| { (format!("calc({p}% + {l}px)"), LengthPercentage::new(p, l),) }),
        (-200.0..200.0f64, 0.0..2000.0f64)
            .prop_map(|(p, l)| { (format!("calc({p}% - {l}px)"), LengthPercentage::new(p, -l),) }),
        (-200.0..200.0f64, -2000.0..2000.0f64)
            .prop_map(|(p, l)| { (format!("calc({l:e}px + {p:e}%)"), LengthPercentage::new(p, l),) }),
    ];
    let far = |v: LengthPercentage| LengthPercentage::new(100.0 - v.percent, -v.px);
    prop_oneof![
        // Two plain values.
        (amount.clone(), amount.clone())
            .prop_map(|((xs, x), (ys, y))| { (format!("{xs} {ys}"), ObjectPosition { x, y }) }),
        // Four values, either axis first.
        (any::<bool>(), any::<bool>(), any::<bool>(), amount.clone(), amount).prop_map(
            move |(right, bottom, y_first, (xs, x), (ys, y))| {
                let h = format!("{} {xs}", if right { "right" } else { "left" });
                let v = format!("{} {ys}", if bottom { "bottom" } else { "top" });
                let text = if y_first { format!("{v} {h}") } else { format!("{h} {v}") };
                let x = if right { far(x) } else { x };
                let y = if bottom { far(y) } else { y };
                (text, ObjectPosition { x, y })
            }
        ),
    ]
}

/// A view box well inside a `natural` picture: insets in px, each side under 45 % of it.
fn view_box_in(natural: Size) -> impl Strategy<Value = [f64; 4]> {
    let (w, h) = (natural.width * 0.45, natural.height * 0.45);
    (0.0..h, 0.0..w, 0.0..h, 0.0..w).prop_map(|(top, right, bottom, left)| [top, right, bottom, left])
}

/// A picture and a view box inside it.
fn natural_and_view_box() -> impl Strategy<Value = (Size, [f64; 4])> {
    natural().prop_flat_map(|n| (Just(n), view_box_in(n)))
}

/// A computed `inset(…)` with 1 to 4 values (px, %, or a `calc()` of both), optionally rounded,
/// with the four insets it must parse to.
fn valid_inset() -> impl Strategy<Value = (String, [LengthPercentage; 4])> {
    let amount = prop_oneof![
        (-100.0..200.0f64).prop_map(|v| (format!("{v}%"), LengthPercentage::percent(v))),
        (-2000.0..2000.0f64).prop_map(|v| (format!("{v}px"), LengthPercentage::px(v))),
        (0.0..200.0f64, 0.0..2000.0f64)
            .prop_map(|(p, l)| (format!("calc({p}% - {l}px)"), LengthPercentage::new(p, -l))),
    ];
    (prop::collection::vec(amount, 1..=4), any::<bool>()).prop_map(|(values, round)| {
        let text: Vec<String> = values.iter().map(|(t, _)| t.clone()).collect();
        let v: Vec<LengthPercentage> = values.iter().map(|(_, v)| *v).collect();
        // As `margin` spreads them: bottom copies top, left copies right, right copies top.
        let side = |i: usize| {
            v[if i < v.len() {
                i
            } else if i == 3 && v.len() > 1 {
                1
            } else {
                0
            }]
        };
        let insets = [side(0), side(1), side(2), side(3)];
        let round = if round { " round 4px 10%" } else { "" };
        (format!("inset({}{round})", text.join(" ")), insets)
    })
}

fn same_position(a: &ObjectPosition, b: &ObjectPosition) -> bool {
    let t = 1e-12;
    close(a.x.percent, b.x.percent, t)
        && close(a.x.px, b.x.px, t)
        && close(a.y.percent, b.y.percent, t)
        && close(a.y.px, b.y.px, t)
}

// --- Properties ------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn percent_px_percent_round_trip(
        x in -2000.0..2000.0f64,
        y in -2000.0..2000.0f64,
        width in 1.0..10000.0f64,
        height in 1.0..10000.0f64,
        x_pct in -50.0..150.0f64,
        y_pct in -50.0..150.0f64,
    ) {
        let rect = Rect::new(x, y, width, height);
        let p = percent_to_px(&rect, x_pct, y_pct);
        let (bx, by) = px_to_percent(&rect, p).expect("positive finite rect");
        prop_assert!(close(bx, x_pct, 1e-9), "{bx} vs {x_pct}");
        prop_assert!(close(by, y_pct, 1e-9), "{by} vs {y_pct}");
    }

    #[test]
    fn px_to_percent_needs_a_positive_size(
        width in nasty(),
        height in nasty(),
        p in (nasty(), nasty()),
    ) {
        let rect = Rect::new(0.0, 0.0, width, height);
        let usable = |v: f64| v.is_finite() && v > 0.0;
        if let Some((x, y)) = px_to_percent(&rect, Point::new(p.0, p.1)) {
            prop_assert!(usable(width) && usable(height));
            prop_assert!(x.is_finite() && y.is_finite());
        }
        if !usable(width) || !usable(height) {
            prop_assert_eq!(px_to_percent(&rect, Point::new(1.0, 1.0)), None);
        }
    }

    #[test]
    fn contain_fits_inside_and_keeps_aspect(
        el in element(), natural in natural(), position in inner_position(),
    ) {
        let c = el.content_box();
        let r = content_rect(&el, natural, ObjectFit::Contain, &position, None).unwrap();
        let tol = 1e-9 * c.width.max(c.height);
        prop_assert!(r.x >= c.x - tol && r.right() <= c.right() + tol, "{r:?} in {c:?}");
        prop_assert!(r.y >= c.y - tol && r.bottom() <= c.bottom() + tol, "{r:?} in {c:?}");
        // One axis touches the box exactly.
        prop_assert!(r.width == c.width || r.height == c.height);
        prop_assert!(close(r.width / r.height, natural.width / natural.height, 1e-9));
    }

    #[test]
    fn cover_covers_and_keeps_aspect(
        el in element(), natural in natural(), position in inner_position(),
    ) {
        let c = el.content_box();
        let r = content_rect(&el, natural, ObjectFit::Cover, &position, None).unwrap();
        let tol = 1e-9 * r.width.max(r.height);
        prop_assert!(r.x <= c.x + tol && r.right() >= c.right() - tol, "{r:?} over {c:?}");
        prop_assert!(r.y <= c.y + tol && r.bottom() >= c.bottom() - tol, "{r:?} over {c:?}");
        prop_assert!(r.width == c.width || r.height == c.height);
        prop_assert!(close(r.width / r.height, natural.width / natural.height, 1e-9));
    }

    #[test]
    fn fill_is_the_content_box(el in element(), natural in natural(), position in inner_position()) {
        let c = el.content_box();
        let r = content_rect(&el, natural, ObjectFit::Fill, &position, None).unwrap();
        prop_assert_eq!(r.size(), c.size());
        // No free space, so a pure percentage position cannot move it.
        prop_assert!(close(r.x, c.x, 1e-12) && close(r.y, c.y, 1e-12), "{r:?} vs {c:?}");
    }

    #[test]
    fn none_is_the_natural_size(el in element(), natural in natural(), position in any_position()) {
        let r = content_rect(&el, natural, ObjectFit::None, &position, None).unwrap();
        prop_assert_eq!(r.size(), natural);
    }

    #[test]
    fn scale_down_is_the_smaller_of_none_and_contain(
        el in element(), natural in natural(), position in any_position(),
    ) {
        let none = content_rect(&el, natural, ObjectFit::None, &position, None).unwrap();
        let contain = content_rect(&el, natural, ObjectFit::Contain, &position, None).unwrap();
        let down = content_rect(&el, natural, ObjectFit::ScaleDown, &position, None).unwrap();
        let expected = if contain.width < none.width { contain } else { none };
        prop_assert!(close(down.width, expected.width, 1e-12), "{down:?} vs {expected:?}");
        prop_assert!(close(down.height, expected.height, 1e-12), "{down:?} vs {expected:?}");
        prop_assert!(close(down.x, expected.x, 1e-12) && close(down.y, expected.y, 1e-12));
    }

    #[test]
    fn fifty_percent_centres_every_fit(el in element(), natural in natural(), fit in any_fit()) {
        let c = el.content_box().center();
        let r = content_rect(&el, natural, fit, &ObjectPosition::CENTER, None).unwrap().center();
        let tol = 1e-9;
        prop_assert!(close(r.x, c.x, tol) && close(r.y, c.y, tol), "{r:?} vs {c:?}");
    }

    #[test]
    fn position_offsets_are_measured_from_the_content_box(
        el in element(), natural in natural(), fit in any_fit(), position in any_position(),
    ) {
        let c = el.content_box();
        let r = content_rect(&el, natural, fit, &position, None).unwrap();
        let x = c.x + position.x.percent / 100.0 * (c.width - r.width) + position.x.px;
        let y = c.y + position.y.percent / 100.0 * (c.height - r.height) + position.y.px;
        prop_assert!(close(r.x, x, 1e-12) && close(r.y, y, 1e-12));
    }

    #[test]
    fn any_numbers_never_give_nan(
        el in nasty_element(),
        natural in (nasty(), nasty()),
        fit in any_fit(),
        position in nasty_position(),
    ) {
        let natural = Size::new(natural.0, natural.1);
        let c = el.content_box();
        prop_assert!(all_finite(&c) && c.width >= 0.0 && c.height >= 0.0, "{c:?}");
        match content_rect(&el, natural, fit, &position, None) {
            Ok(r) => {
                prop_assert!(all_finite(&r), "{r:?}");
                prop_assert!(r.width > 0.0 && r.height > 0.0, "{r:?}");
                let p = percent_to_px(&r, 50.0, 50.0);
                prop_assert!(p.x.is_finite() && p.y.is_finite());
                if let Some((x, y)) = px_to_percent(&r, p) {
                    prop_assert!(x.is_finite() && y.is_finite());
                }
            }
            Err(GeometryError::NotLoaded) => {
                prop_assert!(natural.width == 0.0 || natural.height == 0.0);
            }
            Err(GeometryError::EmptyBox) => prop_assert!(c.width == 0.0 || c.height == 0.0),
            Err(GeometryError::Invalid) => {}
        }
    }

    #[test]
    fn is_visible_is_content_box_contains(el in nasty_element(), x in nasty(), y in nasty()) {
        let p = Point::new(x, y);
        prop_assert_eq!(is_visible(&el, p), el.content_box().contains(p));
    }

    #[test]
    fn is_visible_on_realistic_boxes(
        el in element(), x in -100.0..4000.0f64, y in -100.0..4000.0f64,
    ) {
        let p = Point::new(x, y);
        let c = el.content_box();
        let inside = x >= c.x && x <= c.x + c.width && y >= c.y && y <= c.y + c.height;
        prop_assert_eq!(is_visible(&el, p), inside);
    }

    #[test]
    fn screen_map_inverse_undoes_map(
        layout in (1.0..5000.0f64, 1.0..5000.0f64),
        bbox in (-1e4..1e4f64, -1e4..1e4f64, 0.01..1e4f64, 0.01..1e4f64),
        p in (-1e4..1e4f64, -1e4..1e4f64),
    ) {
        let map = ScreenMap::from_bounding_box(
            Size::new(layout.0, layout.1),
            Rect::new(bbox.0, bbox.1, bbox.2, bbox.3),
        );
        let p = Point::new(p.0, p.1);
        let there_and_back = map.inverse(map.map(p));
        let scale = |s: f64| 1e-9 * (1.0 + 1e4 / s.abs().min(1.0));
        prop_assert!(close(there_and_back.x, p.x, scale(map.scale_x())), "{there_and_back:?} vs {p:?}");
        prop_assert!(close(there_and_back.y, p.y, scale(map.scale_y())), "{there_and_back:?} vs {p:?}");
        let back_and_there = map.map(map.inverse(p));
        prop_assert!(close(back_and_there.x, p.x, 1e-9) && close(back_and_there.y, p.y, 1e-9));
        // The origin of the element lands on the bounding box corner.
        let corner = map.map(Point::new(0.0, 0.0));
        prop_assert_eq!(corner, Point::new(bbox.0, bbox.1));
    }

    #[test]
    fn element_map_recovers_any_2d_transform(
        // Our layer's space: any turn, scale, skew, mirror and place (a transformed ancestor
        // shared by the image and the element).
        turn in -180.0..180.0f64, k in 0.2..5.0f64, skew in -0.6..0.6f64, mirror in any::<bool>(),
        at in (-2000.0..2000.0f64, -2000.0..2000.0f64),
        // The image's own transform: a turn (or none), a mirror, any origin.
        own_turn in prop_oneof![Just(0.0), -180.0..180.0f64], own_mirror in any::<bool>(),
        origin in (0.0..100.0f64, 0.0..100.0f64),
        // A scale and a place between them (an ancestor of the image alone, e.g. a zoom).
        scale in (0.25..4.0f64, 0.25..4.0f64), uniform in any::<bool>(),
        place in (-500.0..500.0f64, -500.0..500.0f64),
        size in (10.0..2000.0f64, 10.0..2000.0f64),
        p in (0.0..1.0f64, 0.0..1.0f64),
    ) {
        let (sin, cos) = turn.to_radians().sin_cos();
        let flip = if mirror { -1.0 } else { 1.0 };
        let layer = ScreenMap::new(k * cos * flip, k * sin * flip, k * (skew * cos - sin), k * (skew * sin + cos), at.0, at.1);
        // (As js/measure.js composes it: about the origin, the turn, then the mirror.)
        let (sin, cos) = own_turn.to_radians().sin_cos();
        let m = if own_mirror { -1.0 } else { 1.0 };
        let about = ScreenMap::new(1.0, 0.0, 0.0, 1.0, origin.0, origin.1);
        let own = about
            .then(&ScreenMap::new(cos * m, sin * m, -sin, cos, 0.0, 0.0))
            .then(&ScreenMap::new(1.0, 0.0, 0.0, 1.0, -origin.0, -origin.1));
        // A scale on both axes unless the image is turned on its own (then a box can't tell).
        let (sx, sy) = if uniform || own_turn != 0.0 { (scale.0, scale.0) } else { scale };
        let truth = layer.then(&ScreenMap::new(sx, 0.0, 0.0, sy, place.0, place.1)).then(&own);
        let bounding = truth.bounding_box(Rect::new(0.0, 0.0, size.0, size.1));
        let (screen, placed) = element_map(&layer, &layer.linear(), &own, Size::new(size.0, size.1), bounding, None);
        // A turn near 45° (with a skew, elsewhere) leaves a box with two readings: then only a
        // uniform scale is recovered.
        let [a, b, c, d] = layer.abcd();
        let conditioned = (a.abs() * d.abs() - b.abs() * c.abs()).abs() > 0.05 * k * k;
        prop_assume!(sx == sy || conditioned);
        let q = Point::new(p.0 * size.0, p.1 * size.1);
        let (got, want) = (screen.map(q), truth.map(q));
        prop_assert!(close(got.x, want.x, 1e-6) && close(got.y, want.y, 1e-6), "{got:?} vs {want:?}");
        let (got, want) = (layer.map(placed.map(q)), want);
        prop_assert!(close(got.x, want.x, 1e-6) && close(got.y, want.y, 1e-6), "{got:?} vs {want:?}");
    }

    #[test]
    fn element_map_follows_ancestors_our_layer_does_not_share(
        // Our layer's space and the image's ancestors, each with its own turn, skew and mirror:
        // a transform on the widget alone, on a wrapper of the image alone, or both.
        turn in -180.0..180.0f64, k in 0.2..5.0f64, skew in -0.6..0.6f64, mirror in any::<bool>(),
        at in (-2000.0..2000.0f64, -2000.0..2000.0f64),
        anc_turn in -180.0..180.0f64, anc_skew in -0.6..0.6f64, anc_mirror in any::<bool>(),
        // The image's own turn, and a zoom no transform tells (CSS `zoom`).
        own_turn in prop_oneof![Just(0.0), -180.0..180.0f64], zoom in 0.25..4.0f64,
        place in (-500.0..500.0f64, -500.0..500.0f64),
        size in (10.0..2000.0f64, 10.0..2000.0f64),
        p in (0.0..1.0f64, 0.0..1.0f64),
    ) {
        let turned = |turn: f64, skew: f64, mirror: bool, k: f64| {
            let (sin, cos) = turn.to_radians().sin_cos();
            let flip = if mirror { -1.0 } else { 1.0 };
            ScreenMap::new(k * cos * flip, k * sin * flip, k * (skew * cos - sin), k * (skew * sin + cos), 0.0, 0.0)
        };
        let l = turned(turn, skew, mirror, k);
        let [la, lb, lc, ld] = l.abcd();
        let layer = ScreenMap::new(la, lb, lc, ld, at.0, at.1);
        let ancestors = turned(anc_turn, anc_skew, anc_mirror, 1.0);
        let own = turned(own_turn, 0.0, false, 1.0);
        let truth = ScreenMap::new(1.0, 0.0, 0.0, 1.0, place.0, place.1)
            .then(&ancestors)
            .then(&ScreenMap::new(zoom, 0.0, 0.0, zoom, 0.0, 0.0))
            .then(&own);
        let bounding = truth.bounding_box(Rect::new(0.0, 0.0, size.0, size.1));
        let (screen, placed) = element_map(&layer, &ancestors, &own, Size::new(size.0, size.1), bounding, None);
        let q = Point::new(p.0 * size.0, p.1 * size.1);
        let want = truth.map(q);
        let tolerance = 1e-6 * (1.0 + zoom * (size.0 + size.1));
        let got = screen.map(q);
        prop_assert!(close(got.x, want.x, tolerance) && close(got.y, want.y, tolerance), "{got:?} vs {want:?}");
        let got = layer.map(placed.map(q));
        prop_assert!(close(got.x, want.x, tolerance) && close(got.y, want.y, tolerance), "{got:?} vs {want:?}");
    }

    #[test]
    fn maps_from_garbage_stay_usable(
        m in (nasty(), nasty(), nasty(), nasty(), nasty(), nasty()),
        o in (nasty(), nasty(), nasty(), nasty(), nasty(), nasty()),
        hull in (nasty(), nasty(), nasty(), nasty()), layout in (nasty(), nasty()),
    ) {
        let layer = ScreenMap::new(m.0, m.1, m.2, m.3, m.4, m.5);
        let own = ScreenMap::new(o.0, o.1, o.2, o.3, o.4, o.5);
        let (screen, place) =
            element_map(&layer, &own, &own, Size::new(layout.0, layout.1), Rect::new(hull.0, hull.1, hull.2, hull.3), None);
        for map in [layer, own, screen, place] {
            let q = map.inverse(map.map(Point::new(10.0, 10.0)));
            prop_assert!(!q.x.is_nan() && !q.y.is_nan(), "{map:?}");
        }
    }

    #[test]
    fn screen_map_scale_is_always_usable(
        layout in (nasty(), nasty()), bbox in (nasty(), nasty(), nasty(), nasty()),
    ) {
        let map = ScreenMap::from_bounding_box(
            Size::new(layout.0, layout.1),
            Rect::new(bbox.0, bbox.1, bbox.2, bbox.3),
        );
        for s in [map.scale_x(), map.scale_y()] {
            prop_assert!(s.is_finite() && s != 0.0, "{s}");
        }
        prop_assert!(map.origin().x.is_finite() && map.origin().y.is_finite());
        let q = map.inverse(Point::new(10.0, 10.0));
        prop_assert!(!q.x.is_nan() && !q.y.is_nan());
    }

    #[test]
    fn a_view_box_is_placed_as_a_picture_of_its_size_would_be(
        el in element(),
        (natural, [top, right, bottom, left]) in natural_and_view_box(),
        fit in any_fit(),
        position in any_position(),
    ) {
        let view_box = ObjectViewBox {
            insets: [LengthPercentage::px(top), LengthPercentage::px(right), LengthPercentage::px(bottom), LengthPercentage::px(left)],
        };
        let b = view_box.resolve(natural).unwrap();
        let whole = content_rect(&el, natural, fit, &position, Some(&b)).unwrap();
        // The oracle: a picture that is only what the view box shows, with no view box.
        let cropped = content_rect(&el, b.size(), fit, &position, None).unwrap();
        // The view box's corners, as percentages of the whole picture, land on that picture's.
        let near = |p: Point, x: f64, y: f64| {
            let tol = 1e-9 * (1.0 + whole.width.max(whole.height) + x.abs().max(y.abs()));
            (p.x - x).abs() <= tol && (p.y - y).abs() <= tol
        };
        let corner = percent_to_px(&whole, left / natural.width * 100.0, top / natural.height * 100.0);
        prop_assert!(near(corner, cropped.x, cropped.y), "{corner:?} vs {cropped:?}");
        let far = percent_to_px(&whole, (natural.width - right) / natural.width * 100.0, (natural.height - bottom) / natural.height * 100.0);
        prop_assert!(near(far, cropped.right(), cropped.bottom()), "{far:?} vs {cropped:?}");
    }

    #[test]
    fn percent_insets_are_of_the_natural_width_and_height(
        el in element(),
        (natural, [top, right, bottom, left]) in natural_and_view_box(),
        fit in any_fit(),
        position in any_position(),
    ) {
        let (w, h) = (natural.width, natural.height);
        let px = ObjectViewBox::parse(&format!("inset({top}px {right}px {bottom}px {left}px)"));
        let pct = ObjectViewBox::parse(&format!(
            "inset({}% {}% {}% {}%)", top / h * 100.0, right / w * 100.0, bottom / h * 100.0, left / w * 100.0,
        ));
        let a = content_rect(&el, natural, fit, &position, px.resolve(natural).as_ref()).unwrap();
        let b = content_rect(&el, natural, fit, &position, pct.resolve(natural).as_ref()).unwrap();
        let tol = 1e-9;
        prop_assert!(close(a.x, b.x, tol) && close(a.y, b.y, tol) && close(a.width, b.width, tol) && close(a.height, b.height, tol), "{a:?} vs {b:?}");
    }

    #[test]
    fn filled_only_the_view_box_shows(
        el in element(),
        (natural, insets) in natural_and_view_box(),
        x in 0.0..=100.0f64,
        y in 0.0..=100.0f64,
    ) {
        let view_box = ObjectViewBox { insets: insets.map(LengthPercentage::px) };
        let b = view_box.resolve(natural).unwrap();
        let r = content_rect(&el, natural, ObjectFit::Fill, &ObjectPosition::CENTER, Some(&b)).unwrap();
        // A point of the photo clearly inside or outside the view box (not within a sliver of its
        // edge, where rounding decides) is shown exactly when it is inside.
        let (nx, ny) = (x / 100.0 * natural.width, y / 100.0 * natural.height);
        let margin = 1e-6 * natural.width.max(natural.height);
        let inside = nx > b.x + margin && nx < b.right() - margin && ny > b.y + margin && ny < b.bottom() - margin;
        let outside = nx < b.x - margin || nx > b.right() + margin || ny < b.y - margin || ny > b.bottom() + margin;
        let shown = is_visible(&el, percent_to_px(&r, x, y));
        if inside {
            prop_assert!(shown, "({x}, {y}) inside {b:?} but hidden");
        }
        if outside {
            prop_assert!(!shown, "({x}, {y}) outside {b:?} but shown");
        }
    }

    #[test]
    fn contained_the_whole_view_box_shows(
        el in element(),
        (natural, insets) in natural_and_view_box(),
        position in inner_position(),
        x in 0.0..=1.0f64,
        y in 0.0..=1.0f64,
    ) {
        let b = ObjectViewBox { insets: insets.map(LengthPercentage::px) }.resolve(natural).unwrap();
        let r = content_rect(&el, natural, ObjectFit::Contain, &position, Some(&b)).unwrap();
        // Any point of the view box, pulled in from its edges by a sliver, is visible.
        let inset = 1e-6;
        let (nx, ny) = (b.x + b.width * (inset + x * (1.0 - 2.0 * inset)), b.y + b.height * (inset + y * (1.0 - 2.0 * inset)));
        let p = percent_to_px(&r, nx / natural.width * 100.0, ny / natural.height * 100.0);
        prop_assert!(is_visible(&el, p), "{p:?} of {r:?} in {:?}", el.content_box());
    }

    #[test]
    fn valid_insets_parse_to_their_value((text, expected) in valid_inset()) {
        let v = ObjectViewBox::parse(&text);
        for (got, want) in v.insets.iter().zip(&expected) {
            prop_assert!(close(got.percent, want.percent, 1e-12) && close(got.px, want.px, 1e-12), "{text:?} → {v:?}");
        }
    }

    #[test]
    fn any_view_box_string_is_safe(s in css_soup(), natural in natural(), el in element(), fit in any_fit()) {
        for text in [format!("inset({s})"), s.clone()] {
            let v = ObjectViewBox::parse(&text);
            let b = v.resolve(natural);
            if let Some(b) = b {
                prop_assert!(b.width > 0.0 && b.height > 0.0, "{text:?} → {b:?}");
            }
            if let Ok(r) = content_rect(&el, natural, fit, &ObjectPosition::CENTER, b.as_ref()) {
                prop_assert!(all_finite(&r) && r.width > 0.0 && r.height > 0.0, "{text:?} → {r:?}");
            }
        }
    }

    #[test]
    fn any_string_parses_without_panic(s in ".{0,64}") {
        let p = ObjectPosition::parse(&s);
        prop_assert!(p.x.percent.is_finite() && p.x.px.is_finite());
        prop_assert!(p.y.percent.is_finite() && p.y.px.is_finite());
        let _ = ObjectFit::parse(&s);
    }

    #[test]
    fn css_like_strings_parse_without_panic(s in css_soup()) {
        let p = ObjectPosition::parse(&s);
        prop_assert!(p.x.percent.is_finite() && p.x.px.is_finite(), "{s:?} → {p:?}");
        prop_assert!(p.y.percent.is_finite() && p.y.px.is_finite(), "{s:?} → {p:?}");
    }

    #[test]
    fn valid_positions_parse_to_their_value((text, expected) in valid_position()) {
        let p = ObjectPosition::parse(&text);
        prop_assert!(same_position(&p, &expected), "{text:?} → {p:?}, expected {expected:?}");
    }

    #[test]
    fn edge_offsets_equal_their_calc_form(x in 0.0..2000.0f64, y in 0.0..2000.0f64) {
        let keywords = ObjectPosition::parse(&format!("right {x}px bottom {y}px"));
        let computed = ObjectPosition::parse(&format!("calc(100% - {x}px) calc(100% - {y}px)"));
        prop_assert!(same_position(&keywords, &computed), "{keywords:?} vs {computed:?}");
    }

    #[test]
    fn numbers_parse_like_std(v in prop::num::f64::POSITIVE | prop::num::f64::NEGATIVE | prop::num::f64::NORMAL | prop::num::f64::ZERO) {
        prop_assume!(v.abs() < 1e300);
        for text in [format!("{v}px 0px"), format!("{v:e}px 0px"), format!("{v:E}px 0px")] {
            let p = ObjectPosition::parse(&text);
            prop_assert!(close(p.x.px, v, 1e-13) || (p.x.px - v).abs() < 1e-290, "{text} → {}", p.x.px);
        }
    }

    #[test]
    fn object_fit_parse_is_case_and_space_insensitive(
        fit in any_fit(), upper in any::<bool>(), pad in "[ \t\n]{0,3}",
    ) {
        let word = match fit {
            ObjectFit::Fill => "fill",
            ObjectFit::Contain => "contain",
            ObjectFit::Cover => "cover",
            ObjectFit::None => "none",
            ObjectFit::ScaleDown => "scale-down",
        };
        let word = if upper { word.to_ascii_uppercase() } else { word.to_owned() };
        prop_assert_eq!(ObjectFit::parse(&format!("{pad}{word}{pad}")), fit);
    }
}

/// A plane turned about x (`tilt_x`°) and y (`tilt_y`°) through `about`, seen under a perspective
/// of `distance` px, then moved by `shift`: where the browser draws its point `p`.
fn tilted(p: Point, tilt_x: f64, tilt_y: f64, distance: f64, about: (f64, f64), shift: (f64, f64)) -> Point {
    let (u, v) = (p.x - about.0, p.y - about.1);
    let ((sy, cy), (sx, cx)) = (tilt_y.to_radians().sin_cos(), tilt_x.to_radians().sin_cos());
    // rotateY then rotateX of (u, v, 0), as CSS composes `rotateX() rotateY()`.
    let (x1, z1) = (u * cy, -u * sy);
    let (y2, z2) = (v * cx - z1 * sx, v * sx + z1 * cx);
    let s = distance / (distance - z2);
    Point::new(about.0 + shift.0 + x1 * s, about.1 + shift.1 + y2 * s)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    /// A card tilted in 3-D (perspective, rotateX, rotateY) holding the picture and our layer:
    /// the perspective the probe's four points tell maps every point as the browser draws it,
    /// and the picture, turned or mirrored on its own, is found in the plane from its bounding box.
    #[test]
    fn a_picture_in_a_tilted_plane_is_found_where_it_is(
        // (A card as a hover tilt turns it: about its middle, under a perspective that keeps all of
        // it well in front of the viewer.)
        tilt_x in -30.0..30.0f64,
        tilt_y in -30.0..30.0f64,
        distance in 700.0..3000.0f64,
        about in (100.0..400.0f64, 100.0..300.0f64),
        shift in (-200.0..200.0f64, -200.0..200.0f64),
        at in (0.0..200.0f64, 0.0..150.0f64),
        size in (40.0..300.0f64, 40.0..250.0f64),
        own_turn in prop_oneof![Just(0.0), -180.0..180.0f64],
        own_mirror in any::<bool>(),
    ) {
        let draw = |p: Point| tilted(p, tilt_x, tilt_y, distance, about, shift);
        let probe = |x, y| draw(Point::new(x, y));
        let flat = tilt_x.abs() < 0.5 && tilt_y.abs() < 0.5;
        let Some(tilt) = Perspective::from_points(probe(0.0, 0.0), probe(100.0, 0.0), probe(0.0, 100.0), probe(100.0, 100.0), 100.0) else {
            // None only for a plane all but flat, where a parallelogram says it.
            prop_assert!(flat || (tilt_x.abs() < 2.0 && tilt_y.abs() < 2.0), "no perspective at {tilt_x}°, {tilt_y}°");
            return Ok(());
        };
        for q in [Point::new(0.0, 0.0), Point::new(500.0, 30.0), Point::new(120.0, 350.0)] {
            let (want, got) = (draw(q), tilt.map(q));
            prop_assert!((want.x - got.x).abs() < 1e-4 && (want.y - got.y).abs() < 1e-4, "{q:?}: {got:?} vs {want:?}");
        }
        let (sin, cos) = own_turn.to_radians().sin_cos();
        let m = if own_mirror { -1.0 } else { 1.0 };
        let own = ScreenMap::new(cos * m, sin * m, -sin, cos, 0.0, 0.0);
        let placed = ScreenMap::new(1.0, 0.0, 0.0, 1.0, at.0, at.1).then(&own);
        let corners = [(0.0, 0.0), (size.0, 0.0), (0.0, size.1), (size.0, size.1)].map(|(x, y)| draw(placed.map(Point::new(x, y))));
        let (x0, x1) = corners.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.x), b.max(p.x)));
        let (y0, y1) = corners.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.y), b.max(p.y)));
        let bounding = Rect::new(x0, y0, x1 - x0, y1 - y0);
        let (_, place) = element_map(&tilt.at(Point::new(0.0, 0.0)), &ScreenMap::IDENTITY, &own, Size::new(size.0, size.1), bounding, Some(&tilt));
        for (x, y) in [(0.0, 0.0), (size.0, size.1), (size.0 * 0.3, size.1 * 0.8)] {
            let (want, got) = (placed.map(Point::new(x, y)), place.map(Point::new(x, y)));
            prop_assert!((want.x - got.x).abs() < 1e-2 && (want.y - got.y).abs() < 1e-2, "({x}, {y}): {got:?} vs {want:?}");
        }
    }
}
