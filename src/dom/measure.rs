//! Reading the page: everything the core needs to know about the image element, read in one
//! pass (each read after a write would force another layout).

#[allow(unused_imports)]
use crate::prelude::*;

use crate::core::float::finite;

use web_sys::{CssStyleDeclaration, Element, Window};

use crate::core::geometry::{
    Edges, ElementBox, ObjectFit, ObjectPosition, ObjectViewBox, Perspective, Point, Rect, ScreenMap, Size,
};

/// What one frame knows about the image element.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// Border box size and box edges, untransformed.
    pub element: ElementBox,
    /// The transformed bounding box in the viewport.
    pub bounding: Rect,
    /// The picture's natural size (zero while not loaded).
    pub natural: Size,
    /// `object-fit`.
    pub fit: ObjectFit,
    /// `object-position`.
    pub position: ObjectPosition,
    /// `object-view-box`, in the picture's natural px (none for an element that isn't replaced:
    /// it doesn't apply there).
    pub view_box: Option<Rect>,
    /// The element's own transform (`transform`, `rotate`, `scale`, `translate` about
    /// `transform-origin`), in its local px.
    pub own: ScreenMap,
    /// Whether the picture on screen is the one the element's attributes ask for: false while
    /// an `<img>` loads a new `src` (the old picture may still be drawn).
    pub settled: bool,
    /// The picture's URL (`currentSrc`), empty for a canvas.
    pub current_src: String,
    /// The element's `data-pave-photo`.
    pub data_photo: Option<String>,
    /// Whether the element is rendered at all (connected, not `display: none`).
    pub rendered: bool,
}

/// Reads `el`, with its computed style `style` (kept from frame to frame: the object is live).
pub fn target(el: &Element, style: &CssStyleDeclaration) -> Target {
    let mut b = [0.0; 16];
    box_of(el, style, &mut b);
    let [x, y, w, h, bt, br, bb, bl, pt, pr, pb, pl, width, height, border_box, has_rects] = b;
    let bounding = Rect::new(x, y, w, h);
    let px = |v: f64| Some(v).filter(|v| finite(*v));
    let len = |v: f64| px(v).unwrap_or(0.0);
    let border = Edges { top: len(bt), right: len(br), bottom: len(bb), left: len(bl) };
    let padding = Edges { top: len(pt), right: len(pr), bottom: len(pb), left: len(pl) };
    // The resolved `width`/`height` are fractional layout sizes that ignore transforms (unlike
    // the bounding box, and unlike offsetWidth, which rounds to integers). They measure the box
    // `box-sizing` names.
    let extra = |a: f64, b: f64, c: f64, d: f64| if border_box == 1.0 { 0.0 } else { a + b + c + d };
    let (width, height) = (px(width), px(height));
    // No client rects: `display: none`, or not in the document.
    let rendered = has_rects == 1.0 && width.is_some() && height.is_some();
    let element = ElementBox {
        width: width.unwrap_or(0.0) + extra(border.left, border.right, padding.left, padding.right),
        height: height.unwrap_or(0.0) + extra(border.top, border.bottom, padding.top, padding.bottom),
        border,
        padding,
    };
    let fit = ObjectFit::parse(&style.get_property_value("object-fit").unwrap_or_default());
    let position = ObjectPosition::parse(&style.get_property_value("object-position").unwrap_or_default());
    let mut view_box = ObjectViewBox::parse(&style.get_property_value("object-view-box").unwrap_or_default());
    let mut m = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
    own_transform(style, element.width, element.height, &mut m);
    let own = ScreenMap::new(m[0], m[1], m[2], m[3], m[4], m[5]);
    // Flattened to nothing (`scale(0)`, turned edge-on about x or y): no picture to mark.
    let rendered = rendered && (m[0] * m[3] - m[1] * m[2]).abs() > 1e-9;
    let data_photo = el.get_attribute("data-pave-photo");

    let mut p = [0.0; 3];
    let current_src = picture_of(el, &mut p);
    let [natural_width, natural_height, settled] = p;
    let natural = if settled < 0.0 {
        // Any other element (a div with a background, an <svg>): its content box is the picture.
        view_box = ObjectViewBox::NONE;
        element.content_box().size()
    } else {
        Size::new(natural_width, natural_height)
    };
    let settled = settled != 0.0;
    let view_box = view_box.resolve(natural);
    Target { element, bounding, natural, fit, position, view_box, own, settled, current_src, data_photo, rendered }
}

/// The viewport's size in CSS px, without scrollbars when the root has them.
///
/// On a pinch-zoomed page (visual viewport scale above 1) it is the part the user sees: the
/// visual viewport, in the layout viewport's coordinates (those of `getBoundingClientRect` and
/// `position: fixed`). Less a notched phone's safe areas, read from `el`'s style (see
/// js/measure.js).
pub fn viewport(window: &Window, el: &Element) -> Rect {
    let mut r = [0.0; 4];
    viewport_rect(window, &mut r, el);
    let [x, y, width, height] = r;
    Rect::new(x, y, width, height)
}

/// The viewport rectangle of an element.
pub fn rect_of(el: &Element) -> Rect {
    let mut r = [0.0; 4];
    bounding_rect(el, &mut r);
    let [x, y, width, height] = r;
    Rect::new(x, y, width, height)
}

/// How our layer's containing block lies in the viewport, from where the origin probe's points
/// land (see `view::Skeleton::origin`): any 2-D transform of the page around us, turns and skews
/// included, from three; the perspective of a plane tilted in 3-D, if any, from the fourth.
pub fn probe_map(origin: &Element) -> (ScreenMap, Option<Perspective>) {
    let mut p = [0.0; 8];
    probe_points(origin, &mut p);
    let [x0, y0, x1, y1, x2, y2, x3, y3] = p;
    let (o, x, y) = (Point::new(x0, y0), Point::new(x1, y1), Point::new(x2, y2));
    (ScreenMap::from_points(o, x, y, 100.0), Perspective::from_points(o, x, y, Point::new(x3, y3), 100.0))
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/js/measure.js")]
extern "C" {
    /// Writes the element's own transform into `out`, `[a, b, c, d, e, f]`, or leaves it (see
    /// js/measure.js).
    #[wasm_bindgen(js_name = ownTransform)]
    fn own_transform(style: &CssStyleDeclaration, width: f64, height: f64, out: &mut [f64]);
    /// Writes the origin probe's four points into `out`, `[x0, y0, x1, y1, x2, y2, x3, y3]`.
    #[wasm_bindgen(js_name = probePoints)]
    fn probe_points(origin: &Element, out: &mut [f64]);
    /// Writes [`viewport`] into `out`, `[x, y, width, height]`, less the safe areas `el`'s style
    /// holds (see js/measure.js).
    #[wasm_bindgen(js_name = viewport)]
    fn viewport_rect(window: &Window, out: &mut [f64], el: &Element);
    /// Writes the picture's bounding client rectangle, border, padding, `width`, `height`,
    /// `box-sizing` and whether it has client rects into `out` (see js/measure.js).
    #[wasm_bindgen(js_name = boxOf)]
    fn box_of(el: &Element, style: &CssStyleDeclaration, out: &mut [f64]);
    /// Writes what an ancestor of the picture does to it into `out`: whether its `overflow-x`
    /// and its `overflow-y` clip (1 or 0), then its own transform, `[a, b, c, d, e, f]`, of
    /// which the linear part counts, then how far out of its box it clips on each side; `out` is
    /// left where it has no computed style (see js/measure.js).
    #[wasm_bindgen(js_name = ancestorOf)]
    pub fn ancestor_of(el: &Element, out: &mut [f64]);
    /// Writes the natural size of the picture `el` shows into `out`, and whether it is the one
    /// its attributes ask for (1 or 0; −1: not an image, canvas or video); returns its URL (see
    /// js/measure.js).
    #[wasm_bindgen(js_name = pictureOf)]
    fn picture_of(el: &Element, out: &mut [f64]) -> String;
    /// Writes [`scroll_box`] into `out` (see js/measure.js).
    #[wasm_bindgen(js_name = scrollBoxOf)]
    fn scroll_box_of(el: &Element, out: &mut [f64]);
    /// Writes `el`'s bounding client rectangle into `out`, `[x, y, width, height]`.
    #[wasm_bindgen(js_name = boundingRect)]
    fn bounding_rect(el: &Element, out: &mut [f64]);
    /// Writes [`css_zoom`] into `out`, `[zoom]`, or leaves it (see js/measure.js).
    #[wasm_bindgen(js_name = zoomOf)]
    fn zoom_of(el: &Element, out: &mut [f64]);
}

/// A scroll box around the picture: its bounding client rectangle `[x, y, width, height]`, the
/// untransformed size of its border box (`offsetWidth`, `offsetHeight`; the bounding box's for an
/// element without one, SVG), for a [`ScreenMap`](crate::core::geometry::ScreenMap) with the
/// bounding box, and its client box (`clientLeft`, `clientTop`, `clientWidth`, `clientHeight`).
pub fn scroll_box(el: &Element) -> [f64; 10] {
    let mut b = [0.0; 10];
    scroll_box_of(el, &mut b);
    b
}

/// The computed style of `el` (a live object: reading it later reads the current style).
pub fn computed_style(window: &Window, el: &Element) -> Option<CssStyleDeclaration> {
    window.get_computed_style(el).ok().flatten()
}

/// `el`'s effective CSS zoom (`currentCSSZoom`: the product of `zoom` on it and its ancestors);
/// 1 where the browser doesn't tell, or tells nonsense.
pub fn css_zoom(el: &Element) -> f64 {
    let mut z = [1.0];
    zoom_of(el, &mut z);
    let [z] = z;
    z
}
