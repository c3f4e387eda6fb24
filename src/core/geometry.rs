//! Where a replaced element (`<img>`, `<canvas>`, `<video>`) actually draws its picture, and how to
//! turn PAVE's photo percentages into element-local pixels and back.
//!
//! Everything here is a pure function of numbers the DOM layer measured, so it runs and is tested
//! on the host. Conventions, shared by every type in this module:
//!
//! - Lengths are CSS px, fractional (the DOM reports sub-pixel layout).
//! - "Element-local" coordinates have their origin at the element's top-left *border* corner and
//!   use its untransformed layout size. Transforms are handled separately by [`ScreenMap`].
//! - Zero, NaN, infinite and not-yet-loaded sizes are explicit states ([`GeometryError`],
//!   `Option`, fallbacks), never NaN outputs or divisions by zero.
//!
//! The rules follow CSS Images 3 (`object-fit`, `object-position`), CSS Images 5
//! (`object-view-box`, as Chromium paints it) and CSS Values 4 (`<position>`).

#[allow(unused_imports)]
use crate::prelude::*;

use crate::core::float::finite;

use core::fmt;

/// A width and height in CSS px.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Size {
    /// Horizontal extent.
    pub width: f64,
    /// Vertical extent.
    pub height: f64,
}

impl Size {
    /// A size from its two extents.
    pub const fn new(width: f64, height: f64) -> Self {
        Self { width, height }
    }
}

/// A point in CSS px. Which space it lives in (element-local or viewport) is up to the caller.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    /// Distance to the right of the origin.
    pub x: f64,
    /// Distance below the origin.
    pub y: f64,
}

impl Point {
    /// A point from its coordinates.
    pub const fn new(x: f64, y: f64) -> Self {
        Self { x, y }
    }
}

/// An axis-aligned rectangle: top-left corner plus size, in CSS px.
///
/// The size is not forced to be non-negative here; functions that produce rectangles document
/// what they guarantee.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Horizontal extent.
    pub width: f64,
    /// Vertical extent.
    pub height: f64,
}

impl Rect {
    /// What clips nothing: a rectangle far larger than any page.
    pub const UNBOUNDED: Rect = Rect::new(-1e9, -1e9, 2e9, 2e9);

    /// A rectangle from its left edge, top edge, width and height.
    pub const fn new(x: f64, y: f64, width: f64, height: f64) -> Self {
        Self { x, y, width, height }
    }

    /// The part of `self` inside `other` (empty, at its corner, when they don't meet).
    pub fn intersect(&self, other: Rect) -> Rect {
        let x = self.x.max(other.x);
        let y = self.y.max(other.y);
        let right = self.right().min(other.right());
        let bottom = self.bottom().min(other.bottom());
        Rect::new(x, y, (right - x).max(0.0), (bottom - y).max(0.0))
    }

    /// The right edge (`x + width`).
    pub fn right(&self) -> f64 {
        self.x + self.width
    }

    /// The bottom edge (`y + height`).
    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }

    /// The size of the rectangle.
    pub fn size(&self) -> Size {
        Size::new(self.width, self.height)
    }

    /// The centre point.
    pub fn center(&self) -> Point {
        Point::new(self.x + self.width / 2.0, self.y + self.height / 2.0)
    }

    /// Whether `p` lies inside the rectangle. Edges count as inside, so a marker placed exactly at
    /// 0% or 100% of a picture that fills its box is still shown. NaN coordinates are never inside.
    pub fn contains(&self, p: Point) -> bool {
        p.x >= self.x && p.x <= self.right() && p.y >= self.y && p.y <= self.bottom()
    }
}

/// Widths of the four sides of a box edge (border or padding), in CSS px.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Edges {
    /// Top side.
    pub top: f64,
    /// Right side.
    pub right: f64,
    /// Bottom side.
    pub bottom: f64,
    /// Left side.
    pub left: f64,
}

impl Edges {
    /// The same width on all four sides.
    pub const fn uniform(width: f64) -> Self {
        Self { top: width, right: width, bottom: width, left: width }
    }

    /// `left + right`.
    pub fn horizontal(&self) -> f64 {
        self.left + self.right
    }

    /// `top + bottom`.
    pub fn vertical(&self) -> f64 {
        self.top + self.bottom
    }

    fn is_valid(&self) -> bool {
        is_length(self.top) && is_length(self.right) && is_length(self.bottom) && is_length(self.left)
    }
}

/// The layout box of a replaced element, as the DOM layer measures it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ElementBox {
    /// Border-box width before transforms (fractional, e.g. from `getBoundingClientRect()` of an
    /// untransformed element, or computed `width` plus border and padding).
    pub width: f64,
    /// Border-box height before transforms.
    pub height: f64,
    /// Computed border widths.
    pub border: Edges,
    /// Computed padding widths.
    pub padding: Edges,
}

impl ElementBox {
    /// The CSS content box in element-local coordinates: the area a replaced element's picture is
    /// sized against and clipped to.
    ///
    /// Total on purpose so hit tests can call it on anything: a NaN, infinite or negative input
    /// (or an edge sum that overflows) counts as 0, so the rectangle is always finite; and when border plus padding exceed the border box the size is 0 (as in CSS),
    /// never negative. [`content_rect`] is the strict variant that reports such inputs instead.
    pub fn content_box(&self) -> Rect {
        let border = sanitize_edges(self.border);
        let padding = sanitize_edges(self.padding);
        let width = sanitize_length(self.width) - border.horizontal() - padding.horizontal();
        let height = sanitize_length(self.height) - border.vertical() - padding.vertical();
        Rect::new(
            // Two huge finite edges can still add up to infinity.
            sanitize_length(border.left + padding.left),
            sanitize_length(border.top + padding.top),
            // Border and padding wider than the box (or overflowing to infinity) leave nothing.
            width.max(0.0),
            height.max(0.0),
        )
    }

    fn is_valid(&self) -> bool {
        is_length(self.width) && is_length(self.height) && self.border.is_valid() && self.padding.is_valid()
    }
}

/// The `object-fit` property: how the picture is sized inside the content box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ObjectFit {
    /// Stretch to exactly the content box, ignoring aspect ratio. CSS's initial value.
    #[default]
    Fill,
    /// Scale, keeping aspect ratio, to the largest size that fits inside the content box.
    Contain,
    /// Scale, keeping aspect ratio, to the smallest size that covers the content box (the excess
    /// is clipped).
    Cover,
    /// Natural size, no scaling.
    None,
    /// Whichever of `None` and `Contain` is smaller.
    ScaleDown,
}

impl ObjectFit {
    /// Reads a computed `object-fit` keyword. Case-insensitive and trimmed; anything unknown gives
    /// [`ObjectFit::Fill`], the initial value, which is what the browser does with it too.
    pub fn parse(value: &str) -> Self {
        let value = value.trim();
        let is = |keyword: &str| value.eq_ignore_ascii_case(keyword);
        if is("contain") {
            Self::Contain
        } else if is("cover") {
            Self::Cover
        } else if is("none") {
            Self::None
        } else if is("scale-down") {
            Self::ScaleDown
        } else {
            Self::Fill
        }
    }
}

/// One axis of a computed `<position>`: a percentage of the free space plus a length.
///
/// `offset = percent / 100 * (container - drawn) + px`. This pair expresses every form
/// `object-position` accepts, e.g. `right 10px` is `100% - 10px` and `center` is `50% + 0px`,
/// which is also how CSS defines the computed value.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LengthPercentage {
    /// Percentage of the free space (`container - drawn`), 0–100 for the usual range.
    pub percent: f64,
    /// Length added after the percentage is resolved, in CSS px.
    pub px: f64,
}

impl LengthPercentage {
    /// A percentage plus a length.
    pub const fn new(percent: f64, px: f64) -> Self {
        Self { percent, px }
    }

    /// A pure percentage.
    pub const fn percent(percent: f64) -> Self {
        Self { percent, px: 0.0 }
    }

    /// A pure length in px.
    pub const fn px(px: f64) -> Self {
        Self { percent: 0.0, px }
    }

    /// The offset this value gives when `free_space` (container minus drawn size, may be
    /// negative) is available.
    pub fn resolve(&self, free_space: f64) -> f64 {
        self.percent / 100.0 * free_space + self.px
    }

    fn is_finite(&self) -> bool {
        finite(self.percent) && finite(self.px)
    }

    fn add(self, other: Self, sign: f64) -> Self {
        Self::new(self.percent + sign * other.percent, self.px + sign * other.px)
    }

    /// `100% - self`: an offset measured from the right or bottom edge.
    fn far_edge_offset(self) -> Self {
        Self::new(100.0 - self.percent, -self.px)
    }
}

/// The `object-position` property: where the picture sits inside the content box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ObjectPosition {
    /// Horizontal offset of the picture's left edge from the content box's left edge.
    pub x: LengthPercentage,
    /// Vertical offset of the picture's top edge from the content box's top edge.
    pub y: LengthPercentage,
}

impl Default for ObjectPosition {
    /// `50% 50%`, CSS's initial value.
    fn default() -> Self {
        Self::CENTER
    }
}

impl ObjectPosition {
    /// `50% 50%`: centred, CSS's initial value.
    pub const CENTER: Self = Self { x: LengthPercentage::percent(50.0), y: LengthPercentage::percent(50.0) };

    /// Reads an `object-position` value: the computed form the browser returns (`"50% 50%"`,
    /// `"0px 10px"`, `"calc(100% - 10px) 20%"`) and the author syntax (1 to 4 values with
    /// `left`/`center`/`right`/`top`/`bottom`, either order when unambiguous, edge offsets such as
    /// `right 10px bottom 20%`). Three-value forms are accepted because Chrome still parses them.
    ///
    /// Only `%` and `px` (and a unitless `0`) are understood; `calc()` may add and subtract those.
    /// Font- or viewport-relative units (`em`, `rem`, `vw`, …) and other math functions cannot be
    /// resolved without the page, so they make the value invalid. Anything invalid gives
    /// [`ObjectPosition::CENTER`], the initial value. Never panics and never returns a
    /// non-finite number.
    pub fn parse(value: &str) -> Self {
        parse_position(value).unwrap_or(Self::CENTER)
    }

    fn is_finite(&self) -> bool {
        self.x.is_finite() && self.y.is_finite()
    }
}

/// The `object-view-box` property (CSS Images 5, Chromium 104+): the part of the picture's natural
/// content that `object-fit` and `object-position` fit into the content box, as if it were the
/// whole picture. The rest of the picture is scaled and moved with it, and still painted where it
/// falls inside the content box.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ObjectViewBox {
    /// Insets from the natural picture's top, right, bottom and left edges (percentages of its
    /// natural height for top and bottom, of its width for right and left). All zero for `none`:
    /// the whole picture, as the browser takes `none` and a view box of all of it alike.
    pub insets: [LengthPercentage; 4],
}

impl ObjectViewBox {
    /// `none`, the initial value: the whole picture is fitted.
    pub const NONE: Self = Self { insets: [LengthPercentage::px(0.0); 4] };

    /// Reads a computed `object-view-box`: `none`, or `inset()` with 1 to 4 values (`inset(10%)`,
    /// `inset(10px 20% 0px 5px)`), which is also how Chromium reports `rect()` and `xywh()`
    /// (`xywh(1px 10% 100px 50%)` computes to `inset(10% calc(100% - 101px) 40% 1px)`). A `round`
    /// radius is ignored: it doesn't move the box. Only `%`, `px` and `calc()` sums of them are
    /// understood; anything else (a browser without the property reports `""`) gives
    /// [`ObjectViewBox::NONE`]. Never panics. (A `calc()` whose sum overflows holds an infinity,
    /// which [`content_rect`] then reports as [`GeometryError::Invalid`].)
    pub fn parse(value: &str) -> Self {
        parse_inset(value).unwrap_or(Self::NONE)
    }

    /// The view box in the natural picture's px (for [`content_rect`]): the insets resolved
    /// against the `natural` size. `None` for a box that is empty or inverted (the insets meet or
    /// cross), which Chromium takes as `none`; `none` itself gives the whole picture, which fits
    /// as no view box does. (Chromium also rounds the box's edges outward to its layout unit,
    /// 1/64 px; that is left out.)
    pub fn resolve(&self, natural: Size) -> Option<Rect> {
        let [top, right, bottom, left] = self.insets;
        let (w, h) = (natural.width, natural.height);
        let (x, y) = (left.resolve(w), top.resolve(h));
        let b = Rect::new(x, y, w - x - right.resolve(w), h - y - bottom.resolve(h));
        // (NaN fails the test too.)
        (b.width > 0.0 && b.height > 0.0).then_some(b)
    }
}

/// Why there is no picture rectangle to place markers on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeometryError {
    /// The natural size is zero: the image has not loaded yet, is broken, or the video has no
    /// frame yet. Try again on `load` / `loadedmetadata`.
    NotLoaded,
    /// The element's content box has zero width or height (e.g. `display: none`, or padding and
    /// border fill it), so nothing of the picture is visible.
    EmptyBox,
    /// An input was NaN, infinite or negative, or the result would not be finite.
    Invalid,
}

impl fmt::Display for GeometryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotLoaded => "the picture has no natural size yet (not loaded or broken)",
            Self::EmptyBox => "the element's content box is empty",
            Self::Invalid => "a length was NaN, infinite or negative, or the result overflowed",
        })
    }
}

impl core::error::Error for GeometryError {}

/// The rectangle, element-local, where the element draws its picture (the "concrete object"),
/// per CSS Images 3: `object-fit` sizes it against the content box, then `object-position` places
/// it, measured from the content box's top-left corner. With an `object-view-box`, they size and
/// place the view box instead, and the rectangle is the whole picture around it, scaled alike.
///
/// `view_box` is the picture's `object-view-box` in its natural px, from
/// [`ObjectViewBox::resolve`]; `None` fits the whole picture.
///
/// This is the drawn picture, not the CSS content box ([`ElementBox::content_box`]): with `cover`
/// or `none` it may extend beyond the content box, where the browser clips it (see
/// [`is_visible`]).
///
/// `natural` is the picture's natural size (`naturalWidth`/`naturalHeight`, `videoWidth`/
/// `videoHeight`, or a canvas's `width`/`height`); zero means "not loaded".
///
/// Errors are checked in this order: [`GeometryError::Invalid`], [`GeometryError::NotLoaded`],
/// [`GeometryError::EmptyBox`]. An `Ok` rectangle has finite coordinates and a positive size.
pub fn content_rect(
    el: &ElementBox,
    natural: Size,
    fit: ObjectFit,
    position: &ObjectPosition,
    view_box: Option<&Rect>,
) -> Result<Rect, GeometryError> {
    if !el.is_valid() || !is_length(natural.width) || !is_length(natural.height) || !position.is_finite() {
        return Err(GeometryError::Invalid);
    }
    if natural.width == 0.0 || natural.height == 0.0 {
        return Err(GeometryError::NotLoaded);
    }
    let content = el.content_box();
    if content.width == 0.0 || content.height == 0.0 {
        return Err(GeometryError::EmptyBox);
    }
    // `object-fit` and `object-position` size and place the view box; the whole picture is
    // scaled alike around it. (Without one, `b` is the whole picture: `W / W` is exactly 1 and
    // `b.x` is 0, so this is the fitted rectangle to the last bit.)
    let b = view_box.copied().unwrap_or(Rect::new(0.0, 0.0, natural.width, natural.height));
    let drawn = concrete_object_size(content.size(), b.size(), fit);
    let rect = Rect::new(
        content.x + position.x.resolve(content.width - drawn.width) - b.x * (drawn.width / b.width),
        content.y + position.y.resolve(content.height - drawn.height) - b.y * (drawn.height / b.height),
        drawn.width * (natural.width / b.width),
        drawn.height * (natural.height / b.height),
    );
    // Finite inputs can still overflow (e.g. a 1e-300 px natural size scaled up); report it
    // rather than hand out infinities. The size may also underflow to 0 for absurd ratios.
    let all_finite = finite(rect.x) && finite(rect.y) && finite(rect.width) && finite(rect.height);
    if all_finite && rect.width > 0.0 && rect.height > 0.0 {
        Ok(rect)
    } else {
        Err(GeometryError::Invalid)
    }
}

/// The drawn size for `fit`. Both sizes are positive and finite (checked by the caller).
fn concrete_object_size(content: Size, natural: Size, fit: ObjectFit) -> Size {
    let scale_x = content.width / natural.width;
    let scale_y = content.height / natural.height;
    // Scale so the limiting axis lands exactly on the content box edge (instead of multiplying
    // both axes by the scale), so `contain` touches the box with no rounding gap.
    let scaled = |use_x: bool| {
        if use_x {
            Size::new(content.width, natural.height * scale_x)
        } else {
            Size::new(natural.width * scale_y, content.height)
        }
    };
    match fit {
        ObjectFit::Fill => content,
        ObjectFit::Contain => scaled(scale_x <= scale_y),
        ObjectFit::Cover => scaled(scale_x >= scale_y),
        ObjectFit::None => natural,
        // Both candidates keep the aspect ratio, so "smaller" is decided by the contain scale.
        ObjectFit::ScaleDown => {
            if scale_x.min(scale_y) < 1.0 {
                scaled(scale_x <= scale_y)
            } else {
                natural
            }
        }
    }
}

/// A PAVE position (percent of the photo, x from its left edge, y from its top edge) as an
/// element-local point, given the drawn picture `rect` from [`content_rect`].
///
/// Percentages outside 0–100 give points outside the picture. Non-finite input gives non-finite
/// output: the model validates PAVE percentages before they get here.
pub fn percent_to_px(rect: &Rect, x_pct: f64, y_pct: f64) -> Point {
    Point::new(rect.x + x_pct / 100.0 * rect.width, rect.y + y_pct / 100.0 * rect.height)
}

/// The inverse of [`percent_to_px`]: an element-local point as PAVE percentages `(x, y)` of the
/// drawn picture `rect`. `None` when the rectangle has no positive finite size (nothing to divide
/// by) or the result is not finite.
pub fn px_to_percent(rect: &Rect, p: Point) -> Option<(f64, f64)> {
    let usable = |len: f64| finite(len) && len > 0.0;
    if !usable(rect.width) || !usable(rect.height) {
        return None;
    }
    let x = (p.x - rect.x) / rect.width * 100.0;
    let y = (p.y - rect.y) / rect.height * 100.0;
    (finite(x) && finite(y)).then_some((x, y))
}

/// Whether an element-local point is visible: inside the element's content box. Replaced
/// content is clipped to the content box by default (`overflow: clip`), so a point of the picture
/// cropped away by `cover` or `none` is not visible. Points exactly on the edge are visible.
///
/// An `object-view-box` clips nothing more: Chromium paints the picture outside the view box as
/// ink overflow, so where it falls inside the content box (beside a view box letterboxed by
/// `contain`) it shows, and its points are visible.
pub fn is_visible(el: &ElementBox, p: Point) -> bool {
    el.content_box().contains(p)
}

/// Maps element-local points to viewport points and back: a 2-D affine map, in the order of
/// CSS's `matrix(a, b, c, d, e, f)`: `x' = a·x + c·y + e`, `y' = b·x + d·y + f`.
///
/// [`ScreenMap::from_bounding_box`] recovers axis-aligned scale and translation from an element's
/// layout size and transformed bounding box, like floating-ui's `getScale`: a bounding box alone
/// can't tell a turned element from a scaled one. [`ScreenMap::from_points`] measures a turned,
/// skewed or mirrored space from where three of its points land, and [`element_map`] puts the two
/// together with the element's own transform.
///
/// Always invertible: a map that would not be (a scale of 0 or beyond a million, a NaN) keeps its
/// translation and gets the identity's linear part instead, so [`ScreenMap::inverse`] never divides by zero.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScreenMap {
    a: f64,
    b: f64,
    c: f64,
    d: f64,
    e: f64,
    f: f64,
}

impl Default for ScreenMap {
    /// The identity: no transform, element at the viewport origin.
    fn default() -> Self {
        Self::IDENTITY
    }
}

impl ScreenMap {
    /// No scale, no translation.
    pub const IDENTITY: Self = Self { a: 1.0, b: 0.0, c: 0.0, d: 1.0, e: 0.0, f: 0.0 };

    /// The map of CSS's `matrix(a, b, c, d, e, f)`, made invertible (see the type's notes).
    pub fn new(a: f64, b: f64, c: f64, d: f64, e: f64, f: f64) -> Self {
        let finite_or_zero = |v: f64| if finite(v) { v } else { 0.0 };
        let (e, f) = (finite_or_zero(e), finite_or_zero(f));
        // Beyond these a page shows nothing usable, and products of the entries could overflow.
        let det = a * d - b * c;
        if !(det.abs() > 1e-12 && [a, b, c, d].iter().all(|v| v.abs() < 1e6)) {
            return Self { e, f, ..Self::IDENTITY };
        }
        Self { a, b, c, d, e, f }
    }

    /// The map for an element whose layout (border-box, untransformed) size is `layout` and whose
    /// transformed bounding box in the viewport is `bounding`.
    ///
    /// Defended like floating-ui: a scale that comes out 0, NaN or infinite (a collapsed or
    /// unmeasured element) falls back to 1.0, and a non-finite bounding box corner to 0.
    pub fn from_bounding_box(layout: Size, bounding: Rect) -> Self {
        let scale = |transformed: f64, untransformed: f64| {
            let s = transformed / untransformed;
            if s == 0.0 || !finite(s) {
                1.0
            } else {
                s
            }
        };
        Self::new(
            scale(bounding.width, layout.width),
            0.0,
            0.0,
            scale(bounding.height, layout.height),
            bounding.x,
            bounding.y,
        )
    }

    /// The map that takes `(0, 0)` to `origin`, `(unit, 0)` to `x` and `(0, unit)` to `y`: a
    /// space measured through three points placed in it (any 2-D transform: turned, skewed,
    /// mirrored).
    pub fn from_points(origin: Point, x: Point, y: Point, unit: f64) -> Self {
        Self::new(
            (x.x - origin.x) / unit,
            (x.y - origin.y) / unit,
            (y.x - origin.x) / unit,
            (y.y - origin.y) / unit,
            origin.x,
            origin.y,
        )
    }

    /// `self` after `inner`: the map that applies `inner` first.
    pub fn then(&self, inner: &ScreenMap) -> Self {
        let Self { a, b, c, d, .. } = *self;
        let o = self.map(Point::new(inner.e, inner.f));
        Self::new(
            a * inner.a + c * inner.b,
            b * inner.a + d * inner.b,
            a * inner.c + c * inner.d,
            b * inner.c + d * inner.d,
            o.x,
            o.y,
        )
    }

    /// The map without its translation (for directions and offsets).
    pub fn linear(&self) -> Self {
        Self { e: 0.0, f: 0.0, ..*self }
    }

    /// `[a, b, c, d]`, the linear part, as CSS's `matrix()` lists it.
    pub fn abcd(&self) -> [f64; 4] {
        [self.a, self.b, self.c, self.d]
    }

    /// Where the element's top-left border corner is in the viewport.
    pub fn origin(&self) -> Point {
        Point::new(self.e, self.f)
    }

    /// Viewport px per element-local px along the element's x axis. Finite and never 0.
    pub fn scale_x(&self) -> f64 {
        (self.a * self.a + self.b * self.b).sqrt()
    }

    /// Viewport px per element-local px along the element's y axis. Finite and never 0.
    pub fn scale_y(&self) -> f64 {
        (self.c * self.c + self.d * self.d).sqrt()
    }

    /// The map's turn, skew or mirror without its scale or translation (its columns cut to unit
    /// length), if it has one.
    pub fn turn(&self) -> Option<ScreenMap> {
        let (x, y) = (self.scale_x(), self.scale_y());
        let t = ScreenMap::new(self.a / x, self.b / x, self.c / y, self.d / y, 0.0, 0.0);
        (!t.is_translation()).then_some(t)
    }

    /// Whether the map is a translation only (to a sliver: computed sizes carry a few digits).
    pub fn is_translation(&self) -> bool {
        (self.a - 1.0).abs() < 1e-3 && (self.d - 1.0).abs() < 1e-3 && self.b.abs() < 1e-3 && self.c.abs() < 1e-3
    }

    /// Element-local → viewport.
    pub fn map(&self, p: Point) -> Point {
        Point::new(self.a * p.x + self.c * p.y + self.e, self.b * p.x + self.d * p.y + self.f)
    }

    /// Viewport → element-local (e.g. a pointer event's `clientX`/`clientY`).
    pub fn inverse(&self, p: Point) -> Point {
        let det = self.a * self.d - self.b * self.c;
        let (x, y) = (p.x - self.e, p.y - self.f);
        Point::new((self.d * x - self.c * y) / det, (self.a * y - self.b * x) / det)
    }

    /// The bounding box of a local rectangle through the map, as `getBoundingClientRect()` gives
    /// it for a turned element.
    pub fn bounding_box(&self, local: Rect) -> Rect {
        corners_box(local, |p| self.map(p))
    }

    /// Element-local rectangle → viewport, for a map without turns or mirrors (from
    /// [`ScreenMap::from_bounding_box`], or a translation): its two corners.
    pub fn map_rect(&self, local: Rect) -> Rect {
        let p = self.map(Point::new(local.x, local.y));
        let q = self.map(Point::new(local.right(), local.bottom()));
        Rect::new(p.x, p.y, q.x - p.x, q.y - p.y)
    }
}

/// The bounding box of a rectangle's four corners through `map`.
fn corners_box(local: Rect, map: impl Fn(Point) -> Point) -> Rect {
    let corners = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)]
        .map(|(u, v)| map(Point::new(local.x + u * local.width, local.y + v * local.height)));
    let (x0, x1) = corners.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.x), b.max(p.x)));
    let (y0, y1) = corners.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.y), b.max(p.y)));
    Rect::new(x0, y0, x1 - x0, y1 - y0)
}

/// A perspective of the plane our layer and the picture share (a card tilted in 3-D by
/// `perspective() rotateY()`): `(x, y) ↦ ((a x + c y + e) / w, (b x + d y + f) / w)`, `w = g x +
/// h y + 1`, from local px to the viewport. An affine map can't hold it: markers placed by one
/// drift by tens of px at a tilt of 20°.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Perspective {
    a: f64,
    b: f64,
    c: f64,
    d: f64,
    e: f64,
    f: f64,
    g: f64,
    h: f64,
}

impl Perspective {
    /// From where the local points (0, 0), (`unit`, 0), (0, `unit`) and (`unit`, `unit`) land in
    /// the viewport (the origin probe's four points). `None` when they are a parallelogram to a
    /// hundredth of a px (no perspective: a [`ScreenMap`] says it exactly) or make no usable map.
    pub fn from_points(origin: Point, x: Point, y: Point, xy: Point, unit: f64) -> Option<Self> {
        // Heckbert's square-to-quad map, corners in order (0,0), (1,0), (1,1), (0,1).
        let (p0, p1, p2, p3) = (origin, x, xy, y);
        let (dx3, dy3) = (p0.x - p1.x + p2.x - p3.x, p0.y - p1.y + p2.y - p3.y);
        if dx3.abs() < 0.01 && dy3.abs() < 0.01 {
            return None;
        }
        let (dx1, dy1, dx2, dy2) = (p1.x - p2.x, p1.y - p2.y, p3.x - p2.x, p3.y - p2.y);
        let den = dx1 * dy2 - dx2 * dy1;
        let g = (dx3 * dy2 - dx2 * dy3) / den;
        let h = (dx1 * dy3 - dx3 * dy1) / den;
        let m = Self {
            a: (p1.x - p0.x + g * p1.x) / unit,
            b: (p1.y - p0.y + g * p1.y) / unit,
            c: (p3.x - p0.x + h * p3.x) / unit,
            d: (p3.y - p0.y + h * p3.y) / unit,
            e: p0.x,
            f: p0.y,
            g: g / unit,
            h: h / unit,
        };
        let all = [m.a, m.b, m.c, m.d, m.e, m.f, m.g, m.h];
        (unit > 0.0 && all.iter().all(|v| finite(*v) && v.abs() < 1e9)).then_some(m)
    }

    /// Local → viewport (a point behind the viewer, where the page shows nothing, stays put).
    pub fn map(&self, p: Point) -> Point {
        let w = self.g * p.x + self.h * p.y + 1.0;
        if w <= 1e-9 {
            return p;
        }
        Point::new((self.a * p.x + self.c * p.y + self.e) / w, (self.b * p.x + self.d * p.y + self.f) / w)
    }

    /// The affine map that agrees with this one at local point `p` and around it (its tangent):
    /// for sizes, directions and placements near `p`.
    pub fn at(&self, p: Point) -> ScreenMap {
        let w = self.g * p.x + self.h * p.y + 1.0;
        let q = self.map(p);
        if w <= 1e-9 {
            return ScreenMap::IDENTITY;
        }
        // d(map)/dx = (a − g·X, b − g·Y) / w; d(map)/dy = (c − h·X, d − h·Y) / w.
        let (a, b) = ((self.a - self.g * q.x) / w, (self.b - self.g * q.y) / w);
        let (c, d) = ((self.c - self.h * q.x) / w, (self.d - self.h * q.y) / w);
        let lin = ScreenMap::new(a, b, c, d, 0.0, 0.0);
        let o = lin.map(p);
        ScreenMap::new(a, b, c, d, q.x - o.x, q.y - o.y)
    }

    /// The bounding box of a local rectangle through the map, as `getBoundingClientRect()` gives
    /// it for an element in the tilted plane.
    pub fn bounding_box(&self, local: Rect, inner: &ScreenMap) -> Rect {
        corners_box(local, |p| self.map(inner.map(p)))
    }

    /// Where an element of the tilted plane lies in its local px, from its bounding box: the
    /// translation `t` that puts a `layout`-sized box, drawn by `own` (its own transform, about its
    /// top-left corner) and moved by `t`, where the page draws it. A few steps of Newton's method
    /// on the box's centre, from the tangent at the box's first guess.
    pub fn locate(&self, own: &ScreenMap, layout: Size, bounding: Rect) -> Point {
        let local = Rect::new(0.0, 0.0, layout.width, layout.height);
        let centre = own.map(Point::new(layout.width / 2.0, layout.height / 2.0));
        let want = bounding.center();
        let first = self.at(Point::new(0.0, 0.0)).inverse(want);
        let mut t = Point::new(first.x - centre.x, first.y - centre.y);
        for _ in 0..12 {
            let moved = ScreenMap::new(1.0, 0.0, 0.0, 1.0, t.x, t.y).then(own);
            let got = self.bounding_box(local, &moved).center();
            let (ex, ey) = (want.x - got.x, want.y - got.y);
            if ex.abs() < 1e-4 && ey.abs() < 1e-4 {
                break;
            }
            let step = self.at(moved.map(Point::new(layout.width / 2.0, layout.height / 2.0))).linear();
            let d = step.inverse(Point::new(ex, ey));
            t = Point::new(t.x + d.x, t.y + d.y);
        }
        t
    }
}

/// Where an element's picture lands, given what can be measured of it: `layer` maps our own
/// layer's containing block to the viewport (see [`ScreenMap::from_points`]), `ancestors` is the
/// linear part of the transforms of the element's ancestors (their computed `transform`,
/// `rotate`, `scale` and `translate`, composed; CSS `zoom` and scales that come of no transform
/// need not be in it), `own` is the element's own transform in its local px (`transform`,
/// `rotate`, … about `transform-origin`), `layout` its untransformed border box size and
/// `bounding` its transformed bounding box.
///
/// Returns `(screen, place)`: element-local → viewport, and element-local → our containing
/// block's px. The element's own transform and its ancestors' are followed exactly (turns,
/// skews and mirrors included), whether or not our layer shares them: a turn of our layer alone
/// (a transform on the widget itself) is turned back. What no transform accounts for (CSS
/// `zoom`, a scale left out of `ancestors`) is recovered from the bounding box as a scale, and
/// the place from its centre.
///
/// With `tilt`, our layer lies in a plane the page tilts in 3-D (see [`Perspective`]), taken to be
/// the picture's too (a tilted card holding both): the picture is found in the plane's own px from
/// its bounding box and placed there (with its own transform), and the browser draws both alike;
/// `ancestors` is left out (what it holds of a tilt is flattened) and `screen` is the plane's
/// tangent map at the picture's centre. A transform between the plane and the picture alone (a
/// wrapper's zoom inside a tilted card) is not followed then.
pub fn element_map(
    layer: &ScreenMap,
    ancestors: &ScreenMap,
    own: &ScreenMap,
    layout: Size,
    bounding: Rect,
    tilt: Option<&Perspective>,
) -> (ScreenMap, ScreenMap) {
    if let Some(tilt) = tilt {
        let t = tilt.locate(own, layout, bounding);
        let place = ScreenMap::new(1.0, 0.0, 0.0, 1.0, t.x, t.y).then(own);
        let centre = place.map(Point::new(layout.width / 2.0, layout.height / 2.0));
        return (tilt.at(centre).then(&place), place);
    }
    let [la, lb, lc, ld] = ancestors.abcd();
    let [oa, ob, oc, od] = own.abcd();
    let (w, h) = (layout.width, layout.height);
    let (bw, bh) = (bounding.width, bounding.height);
    // The bounding box of the w×h box through `ancestors · diag(sx, sy) · own` gives the unknown
    // scale. With `own` axis-aligned the box's two sides are linear in (sx, sy).
    let (p, q, r, u) = ((la * oa).abs() * w, (lc * od).abs() * h, (lb * oa).abs() * w, (ld * od).abs() * h);
    let det = p * u - q * r;
    let usable = |s: f64| finite(s) && s > 0.0;
    let mut scale = None;
    if ob.abs() < 1e-9 && oc.abs() < 1e-9 && det.abs() > 1e-6 * (p + q) * (r + u) {
        let (sx, sy) = ((bw * u - q * bh) / det, (p * bh - r * bw) / det);
        if usable(sx) && usable(sy) {
            scale = Some((sx, sy));
        }
    }
    // Otherwise (a turn of 45° makes a square's box and a rectangle's alike; a turned element
    // inside a scaled one) the scale is taken as the same on both axes.
    let (sx, sy) = scale.unwrap_or_else(|| {
        let m = ancestors.linear().then(own);
        let [a, b, c, d] = m.abcd();
        let s = (bw + bh) / ((a.abs() + b.abs()) * w + (c.abs() + d.abs()) * h);
        let s = if usable(s) { s } else { 1.0 };
        (s, s)
    });
    // Element-local → our layer's space: ancestors · diag(sx, sy) · own, turned back by our
    // layer's own linear part (which cancels what the two share), then placed.
    let back = layer.linear();
    let (x, y) = (back.inverse(Point::new(la, lb)), back.inverse(Point::new(lc, ld)));
    let placed =
        ScreenMap::new(x.x, x.y, y.x, y.y, 0.0, 0.0).then(&ScreenMap::new(sx, 0.0, 0.0, sy, 0.0, 0.0)).then(own);
    // The bounding box's centre is where the element's centre lands, whatever the transform.
    let centre = placed.map(Point::new(w / 2.0, h / 2.0));
    let at = layer.inverse(bounding.center());
    let [a, b, c, d] = placed.abcd();
    let place = ScreenMap::new(a, b, c, d, placed.e + at.x - centre.x, placed.f + at.y - centre.y);
    (layer.then(&place), place)
}

/// Where an element that clips its overflow lets its content show, in the viewport: its padding
/// box (`client`: `clientLeft`, `clientTop`, `clientWidth`, `clientHeight`, in its own
/// untransformed px) through the element's transforms (`map`, from its border box), so a scaled
/// scroll box clips at its scaled edges. An axis that does not clip (`overflow-x: clip` beside
/// `overflow-y: visible`) is left unbounded.
pub fn overflow_clip(map: &ScreenMap, client: Rect, clips_x: bool, clips_y: bool) -> Rect {
    let r = map.map_rect(client);
    let all = Rect::UNBOUNDED;
    let (x, width) = if clips_x { (r.x, r.width) } else { (all.x, all.width) };
    let (y, height) = if clips_y { (r.y, r.height) } else { (all.y, all.height) };
    Rect::new(x, y, width, height)
}

// ---------------------------------------------------------------------------------------------
// Small numeric helpers.

/// A usable measured length: finite and not negative. (Out of line: LLVM turns the test into
/// integer operations on the bits, with two 10-byte constants, at each of its dozen callers.)
#[inline(never)]
fn is_length(v: f64) -> bool {
    v.is_finite() && v >= 0.0
}

fn sanitize_length(v: f64) -> f64 {
    if is_length(v) {
        v
    } else {
        0.0
    }
}

fn sanitize_edges(e: Edges) -> Edges {
    Edges {
        top: sanitize_length(e.top),
        right: sanitize_length(e.right),
        bottom: sanitize_length(e.bottom),
        left: sanitize_length(e.left),
    }
}

// ---------------------------------------------------------------------------------------------
// `<position>` parsing. Allocation-free: values are at most four tokens, kept in fixed arrays.

/// `calc()` nesting we follow before giving up, so hostile input cannot exhaust the stack.
const MAX_CALC_DEPTH: u32 = 8;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Keyword {
    Left,
    Right,
    Top,
    Bottom,
    Center,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Item {
    Keyword(Keyword),
    Value(LengthPercentage),
}

/// A keyword with its optional edge offset, as in `right 10px`.
type Piece = (Keyword, Option<LengthPercentage>);

const CENTER_LP: LengthPercentage = LengthPercentage::percent(50.0);

fn parse_position(value: &str) -> Option<ObjectPosition> {
    let mut items: [Option<Item>; 4] = [None; 4];
    for (i, token) in TopLevelTokens::new(value).enumerate() {
        // More than four tokens: `get_mut` returns None and the value is invalid.
        *items.get_mut(i)? = Some(parse_item(token)?);
    }
    let position = match items {
        [Some(a), None, None, None] => one_value(a),
        [Some(a), Some(b), None, None] => two_values(a, b),
        [Some(_), Some(_), Some(_), _] => edge_offsets(&items),
        _ => None,
    }?;
    position.is_finite().then_some(position)
}

fn parse_item(token: &str) -> Option<Item> {
    let is = |keyword: &str| token.eq_ignore_ascii_case(keyword);
    let keyword = if is("left") {
        Keyword::Left
    } else if is("right") {
        Keyword::Right
    } else if is("top") {
        Keyword::Top
    } else if is("bottom") {
        Keyword::Bottom
    } else if is("center") {
        Keyword::Center
    } else {
        return parse_term(token, 0).map(Item::Value);
    };
    Some(Item::Keyword(keyword))
}

/// `left` etc. alone: the other axis is centred. A lone length is horizontal.
fn one_value(item: Item) -> Option<ObjectPosition> {
    let (x, y) = match item {
        Item::Value(x) => (x, CENTER_LP),
        Item::Keyword(Keyword::Top | Keyword::Bottom) => (CENTER_LP, keyword_value(item)?),
        Item::Keyword(_) => (keyword_value(item)?, CENTER_LP),
    };
    Some(ObjectPosition { x, y })
}

/// Two keywords may come in either order (`top right`); otherwise the first value is horizontal
/// and the second vertical (`left 10px` means x = 0%, y = 10px).
fn two_values(a: Item, b: Item) -> Option<ObjectPosition> {
    if let (Item::Keyword(ka), Item::Keyword(kb)) = (a, b) {
        return assign_axes((ka, None), (kb, None));
    }
    let x = match a {
        Item::Keyword(Keyword::Top | Keyword::Bottom) => return None,
        _ => keyword_value(a)?,
    };
    let y = match b {
        Item::Keyword(Keyword::Left | Keyword::Right) => return None,
        _ => keyword_value(b)?,
    };
    Some(ObjectPosition { x, y })
}

/// The 3- and 4-value forms: two keywords, each edge keyword optionally followed by an offset
/// from that edge (`right 10px bottom 20%`, `center top 5px`).
fn edge_offsets(items: &[Option<Item>; 4]) -> Option<ObjectPosition> {
    let mut pieces: [Option<Piece>; 2] = [None; 2];
    let mut count = 0;
    for item in items.iter().flatten() {
        match *item {
            Item::Keyword(keyword) => {
                *pieces.get_mut(count)? = Some((keyword, None));
                count += 1;
            }
            Item::Value(offset) => {
                // An offset must follow an edge keyword that does not have one yet.
                let last = pieces.get_mut(count.checked_sub(1)?)?;
                match last {
                    Some((keyword, slot @ None)) if *keyword != Keyword::Center => {
                        *slot = Some(offset);
                    }
                    _ => return None,
                }
            }
        }
    }
    match pieces {
        [Some(a), Some(b)] => assign_axes(a, b),
        _ => None,
    }
}

/// Decides which piece is horizontal from the keywords, so `top right` works like `right top`.
fn assign_axes(a: Piece, b: Piece) -> Option<ObjectPosition> {
    let horizontal = |k: Keyword| matches!(k, Keyword::Left | Keyword::Right);
    let vertical = |k: Keyword| matches!(k, Keyword::Top | Keyword::Bottom);
    let (x, y) = if horizontal(a.0) || vertical(b.0) { (a, b) } else { (b, a) };
    // After the swap, x must not be vertical and y must not be horizontal (`left right`,
    // `top bottom` are invalid). `center` fits either axis.
    if vertical(x.0) || horizontal(y.0) {
        return None;
    }
    Some(ObjectPosition { x: edge_value(x), y: edge_value(y) })
}

fn edge_value((keyword, offset): Piece) -> LengthPercentage {
    let offset = offset.unwrap_or_default();
    match keyword {
        Keyword::Left | Keyword::Top => offset,
        Keyword::Right | Keyword::Bottom => offset.far_edge_offset(),
        Keyword::Center => CENTER_LP,
    }
}

fn keyword_value(item: Item) -> Option<LengthPercentage> {
    Some(match item {
        Item::Value(v) => v,
        Item::Keyword(k) => edge_value((k, None)),
    })
}

/// A `<length-percentage>`: `12.5%`, `-3px`, a unitless `0`, or a `calc()` (or parenthesised)
/// sum of those.
fn parse_term(token: &str, depth: u32) -> Option<LengthPercentage> {
    let inner = token
        .get(..5)
        .filter(|prefix| prefix.eq_ignore_ascii_case("calc("))
        .and_then(|_| token.get(5..))
        .or_else(|| token.strip_prefix('('));
    match inner {
        Some(inner) => parse_sum(inner.strip_suffix(')')?, depth.checked_add(1)?),
        None => parse_dimension(token),
    }
}

/// The insets of a computed `inset(…)`, top, right, bottom, left: 1 to 4 values spread over the
/// sides as `margin` does, and an optional `round …` after them, ignored.
fn parse_inset(value: &str) -> Option<ObjectViewBox> {
    let args = value.trim().strip_prefix("inset(")?.strip_suffix(')')?;
    let mut insets = [LengthPercentage::default(); 4];
    let mut n = 0;
    for token in TopLevelTokens::new(args) {
        // The radii come last, after `round`.
        if token == "round" {
            break;
        }
        // More than four values: `get_mut` returns None and the value is invalid.
        *insets.get_mut(n)? = parse_term(token, 0)?;
        n += 1;
    }
    // A side not given copies the one two before it (right copies top when top is alone).
    for side in n.max(1)..4 {
        *insets.get_mut(side)? = *insets.get(side.saturating_sub(2))?;
    }
    (n > 0).then_some(ObjectViewBox { insets })
}

/// `term (+|-) term …` inside `calc()`. CSS requires whitespace around binary `+` and `-`, so
/// operators are their own tokens.
fn parse_sum(expr: &str, depth: u32) -> Option<LengthPercentage> {
    if depth > MAX_CALC_DEPTH {
        return None;
    }
    let mut total = LengthPercentage::default();
    let mut sign = 1.0;
    let mut expect_term = true;
    for token in TopLevelTokens::new(expr) {
        if expect_term {
            total = total.add(parse_term(token, depth)?, sign);
        } else {
            sign = match token {
                "+" => 1.0,
                "-" => -1.0,
                _ => return None,
            };
        }
        expect_term = !expect_term;
    }
    // An empty `calc()` or a trailing operator leaves us expecting a term.
    (!expect_term).then_some(total)
}

/// Snaps a rectangle's edges to whole device pixels, as browsers do when they paint a replaced
/// element's picture: each edge is rounded (halves up) to a multiple of `1 / dpr` CSS px. Placing
/// markers in the snapped rectangle puts them on the painted picture rather than up to half a
/// device pixel beside it. A `dpr` that is not a positive finite number leaves `rect` as it is.
pub fn snap_to_device_pixels(rect: Rect, dpr: f64) -> Rect {
    if !(finite(dpr) && dpr > 0.0) {
        return rect;
    }
    let snap = |v: f64| (v * dpr + 0.5).floor() / dpr;
    let (x, y) = (snap(rect.x), snap(rect.y));
    Rect::new(x, y, snap(rect.right()) - x, snap(rect.bottom()) - y)
}

/// A computed-style length in px ("12.5px", "0px", "0"), as `getComputedStyle` reports borders,
/// padding and widths. `None` for anything else ("auto", "1em", "").
pub fn parse_px(value: &str) -> Option<f64> {
    match parse_dimension(value.trim()) {
        Some(LengthPercentage { percent, px }) if percent == 0.0 && finite(px) => Some(px),
        _ => None,
    }
}

/// A plain decimal number filling the whole string ("17.43", "-2", "1e3"), white space around it
/// allowed. `None` for anything else, "NaN" and "Infinity" included.
pub fn parse_decimal(value: &str) -> Option<f64> {
    match parse_number(value.trim()) {
        Some((n, "")) => Some(n),
        _ => None,
    }
}

fn parse_dimension(token: &str) -> Option<LengthPercentage> {
    let (value, unit) = parse_number(token)?;
    if unit == "%" {
        Some(LengthPercentage::percent(value))
    } else if unit.eq_ignore_ascii_case("px") || (unit.is_empty() && value == 0.0) {
        Some(LengthPercentage::px(value))
    } else {
        None
    }
}

/// A CSS `<number>` at the start of `s` and the rest of `s` (the unit).
///
/// Hand-written instead of `str::parse::<f64>` because the standard parser is correctly rounded
/// at the price of several KB of tables in the wasm binary; computed styles carry at most about
/// six significant digits, and this is exact to within a few ulps. It also rejects `inf`/`NaN`,
/// which `str::parse` accepts but CSS does not.
fn parse_number(s: &str) -> Option<(f64, &str)> {
    let bytes = s.as_bytes();
    let mut i = 0;
    let byte = |i: usize| bytes.get(i).copied();
    let negative = match byte(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    // Up to 19 significant digits fit in a u64; later digits only shift the exponent.
    let mut mantissa: u64 = 0;
    let mut significant = 0u32;
    let mut exponent: i32 = 0;
    let mut digits = 0u32;
    let mut seen_dot = false;
    while let Some(b) = byte(i) {
        match b {
            b'0'..=b'9' => {
                digits = digits.saturating_add(1);
                if significant < 19 {
                    mantissa = mantissa * 10 + u64::from(b - b'0');
                    if mantissa != 0 {
                        significant += 1;
                    }
                    if seen_dot {
                        exponent = exponent.saturating_sub(1);
                    }
                } else if !seen_dot {
                    exponent = exponent.saturating_add(1);
                }
            }
            b'.' if !seen_dot => seen_dot = true,
            _ => break,
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    // An exponent only if digits follow (`1e3px`), so `1em` stays a number with unit `em`.
    if let Some(b'e' | b'E') = byte(i) {
        let (exp_negative, first_digit) = match byte(i + 1) {
            Some(b'-') => (true, i + 2),
            Some(b'+') => (false, i + 2),
            _ => (false, i + 1),
        };
        if byte(first_digit).is_some_and(|b| b.is_ascii_digit()) {
            let mut e: i32 = 0;
            i = first_digit;
            while let Some(b @ b'0'..=b'9') = byte(i) {
                e = e.saturating_mul(10).saturating_add(i32::from(b - b'0'));
                i += 1;
            }
            exponent = if exp_negative { exponent.saturating_sub(e) } else { exponent.saturating_add(e) };
        }
    }
    // Clamp so `powi` stays cheap; beyond ±400 the result is 0 or infinite anyway.
    let exponent = exponent.max(-400).min(400);
    // At most 19 digits: rounding them to f64 is the intent.
    let m = mantissa as f64;
    let magnitude = if mantissa == 0 {
        // Not `0 * 10^400`, which is NaN.
        0.0
    } else if exponent >= 0 {
        m * 10f64.powi(exponent)
    } else {
        // Divide by an exact power of ten rather than multiply by an inexact 10^-k.
        m / 10f64.powi(-exponent)
    };
    let value = if negative { -magnitude } else { magnitude };
    let rest = s.get(i..)?;
    finite(value).then_some((value, rest))
}

/// Splits on ASCII whitespace that is not inside parentheses, so `calc(100% - 10px) 20%` is two
/// tokens. Unbalanced parentheses leave the tail as one token, which then fails to parse.
struct TopLevelTokens<'a> {
    rest: &'a str,
}

impl<'a> TopLevelTokens<'a> {
    fn new(s: &'a str) -> Self {
        Self { rest: s }
    }
}

impl<'a> Iterator for TopLevelTokens<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let s = self.rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
        if s.is_empty() {
            self.rest = s;
            return None;
        }
        let mut depth = 0u32;
        let mut end = s.len();
        for (i, c) in s.char_indices() {
            match c {
                '(' => depth = depth.saturating_add(1),
                ')' => depth = depth.saturating_sub(1),
                c if c.is_ascii_whitespace() && depth == 0 => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        let (token, rest) = s.split_at_checked(end)?;
        self.rest = rest;
        Some(token)
    }
}

#[cfg(test)]
mod px_tests {
    use super::*;

    #[test]
    fn snapping_rounds_edges_to_device_pixels() {
        let r = snap_to_device_pixels(Rect::new(10.3, 20.5, 100.4, 50.2), 1.0);
        assert_eq!(r, Rect::new(10.0, 21.0, 101.0, 50.0));
        let r = snap_to_device_pixels(Rect::new(10.3, 20.5, 100.4, 50.2), 2.0);
        assert_eq!(r, Rect::new(10.5, 20.5, 100.0, 50.0));
        let r = snap_to_device_pixels(Rect::new(-3.5, -0.2, 1.0, 1.0), 1.0);
        assert_eq!(r, Rect::new(-3.0, 0.0, 1.0, 1.0));
        let same = Rect::new(1.25, 2.5, 3.0, 4.0);
        assert_eq!(snap_to_device_pixels(same, f64::NAN), same);
        assert_eq!(snap_to_device_pixels(same, 0.0), same);
    }

    #[test]
    fn computed_lengths_and_numbers() {
        assert_eq!(parse_px("12.5px"), Some(12.5));
        assert_eq!(parse_px(" 0px "), Some(0.0));
        assert_eq!(parse_px("0"), Some(0.0));
        assert_eq!(parse_px("auto"), None);
        assert_eq!(parse_px("50%"), None);
        assert_eq!(parse_px("1em"), None);
        assert_eq!(parse_decimal(" 17.43 "), Some(17.43));
        assert_eq!(parse_decimal("-2"), Some(-2.0));
        assert_eq!(parse_decimal("1e3"), Some(1000.0));
        assert_eq!(parse_decimal("12px"), None);
        assert_eq!(parse_decimal("NaN"), None);
        assert_eq!(parse_decimal(""), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EPS: f64 = 1e-9;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= EPS * (1.0 + a.abs().max(b.abs()))
    }

    #[track_caller]
    fn assert_rect(actual: Rect, expected: Rect) {
        assert!(
            close(actual.x, expected.x)
                && close(actual.y, expected.y)
                && close(actual.width, expected.width)
                && close(actual.height, expected.height),
            "{actual:?} != {expected:?}"
        );
    }

    #[track_caller]
    fn assert_position(value: &str, x: (f64, f64), y: (f64, f64)) {
        let p = ObjectPosition::parse(value);
        assert_eq!((p.x.percent, p.x.px, p.y.percent, p.y.px), (x.0, x.1, y.0, y.1), "parsing {value:?}");
    }

    /// 400×300 border box, 10px border, 5px padding: content box (15, 15, 370, 270).
    fn photo_box() -> ElementBox {
        ElementBox { width: 400.0, height: 300.0, border: Edges::uniform(10.0), padding: Edges::uniform(5.0) }
    }

    const WIDE: Size = Size::new(1000.0, 500.0);

    fn rect(fit: ObjectFit, position: &str) -> Rect {
        content_rect(&photo_box(), WIDE, fit, &ObjectPosition::parse(position), None).expect("valid inputs")
    }

    #[test]
    fn content_box_subtracts_border_and_padding() {
        assert_rect(photo_box().content_box(), Rect::new(15.0, 15.0, 370.0, 270.0));
    }

    #[test]
    fn content_box_is_clamped_and_total() {
        let tiny = ElementBox { width: 20.0, height: 10.0, border: Edges::uniform(10.0), padding: Edges::uniform(5.0) };
        assert_rect(tiny.content_box(), Rect::new(15.0, 15.0, 0.0, 0.0));
        let broken = ElementBox {
            width: f64::NAN,
            height: f64::INFINITY,
            border: Edges::uniform(-3.0),
            padding: Edges::uniform(f64::NEG_INFINITY),
        };
        assert_rect(broken.content_box(), Rect::new(0.0, 0.0, 0.0, 0.0));
        // Found by the property tests: MAX + MAX overflows to infinity.
        let huge =
            ElementBox { border: Edges::uniform(f64::MAX), padding: Edges::uniform(f64::MAX), ..ElementBox::default() };
        assert_rect(huge.content_box(), Rect::new(0.0, 0.0, 0.0, 0.0));
    }

    #[test]
    fn fill_stretches_to_the_content_box() {
        assert_rect(rect(ObjectFit::Fill, "50% 50%"), Rect::new(15.0, 15.0, 370.0, 270.0));
        // Position is irrelevant when there is no free space.
        assert_rect(rect(ObjectFit::Fill, "right 10px bottom 20px"), Rect::new(5.0, -5.0, 370.0, 270.0));
    }

    #[test]
    fn contain_letterboxes() {
        // Scale 370/1000 = 0.37 → 370×185, free space 0×85.
        assert_rect(rect(ObjectFit::Contain, "50% 50%"), Rect::new(15.0, 57.5, 370.0, 185.0));
        assert_rect(rect(ObjectFit::Contain, "left top"), Rect::new(15.0, 15.0, 370.0, 185.0));
        assert_rect(rect(ObjectFit::Contain, "right bottom"), Rect::new(15.0, 100.0, 370.0, 185.0));
        assert_rect(rect(ObjectFit::Contain, "0px 10px"), Rect::new(15.0, 25.0, 370.0, 185.0));
        assert_rect(rect(ObjectFit::Contain, "center 25%"), Rect::new(15.0, 36.25, 370.0, 185.0));
    }

    #[test]
    fn contain_pillarboxes_a_tall_picture() {
        // 500×1000 in 370×270: scale 0.27 → 135×270, free space 235×0.
        let r = content_rect(&photo_box(), Size::new(500.0, 1000.0), ObjectFit::Contain, &ObjectPosition::CENTER, None);
        assert_rect(r.expect("valid"), Rect::new(132.5, 15.0, 135.0, 270.0));
    }

    #[test]
    fn cover_crops() {
        // Scale 270/500 = 0.54 → 540×270, free space −170×0.
        assert_rect(rect(ObjectFit::Cover, "50% 50%"), Rect::new(-70.0, 15.0, 540.0, 270.0));
        assert_rect(rect(ObjectFit::Cover, "left top"), Rect::new(15.0, 15.0, 540.0, 270.0));
        assert_rect(rect(ObjectFit::Cover, "right top"), Rect::new(-155.0, 15.0, 540.0, 270.0));
        assert_rect(rect(ObjectFit::Cover, "right 10px bottom 20px"), Rect::new(-165.0, -5.0, 540.0, 270.0));
    }

    #[test]
    fn none_uses_the_natural_size() {
        // Free space −630×−230.
        assert_rect(rect(ObjectFit::None, "50% 50%"), Rect::new(-300.0, -100.0, 1000.0, 500.0));
        assert_rect(rect(ObjectFit::None, "0px 0px"), Rect::new(15.0, 15.0, 1000.0, 500.0));
        assert_rect(rect(ObjectFit::None, "calc(100% - 10px) 20%"), Rect::new(-625.0, -31.0, 1000.0, 500.0));
    }

    #[test]
    fn scale_down_picks_the_smaller() {
        // Larger than the box: behaves like contain.
        assert_rect(rect(ObjectFit::ScaleDown, "50% 50%"), Rect::new(15.0, 57.5, 370.0, 185.0));
        // Smaller than the box: natural size, centred in the 270×220 free space.
        let small =
            content_rect(&photo_box(), Size::new(100.0, 50.0), ObjectFit::ScaleDown, &ObjectPosition::CENTER, None);
        assert_rect(small.expect("valid"), Rect::new(150.0, 125.0, 100.0, 50.0));
        let small_left = content_rect(
            &photo_box(),
            Size::new(100.0, 50.0),
            ObjectFit::ScaleDown,
            &ObjectPosition::parse("left bottom"),
            None,
        );
        assert_rect(small_left.expect("valid"), Rect::new(15.0, 235.0, 100.0, 50.0));
    }

    #[test]
    fn errors_are_explicit_states() {
        let el = photo_box();
        let center = ObjectPosition::CENTER;
        let fit = ObjectFit::Contain;
        assert_eq!(content_rect(&el, Size::new(0.0, 0.0), fit, &center, None), Err(GeometryError::NotLoaded));
        assert_eq!(content_rect(&el, Size::new(10.0, 0.0), fit, &center, None), Err(GeometryError::NotLoaded));
        assert_eq!(content_rect(&el, Size::new(f64::NAN, 5.0), fit, &center, None), Err(GeometryError::Invalid));
        assert_eq!(content_rect(&el, Size::new(-1.0, 5.0), fit, &center, None), Err(GeometryError::Invalid));
        let hidden = ElementBox::default();
        assert_eq!(content_rect(&hidden, WIDE, fit, &center, None), Err(GeometryError::EmptyBox));
        let full_of_padding = ElementBox { padding: Edges::uniform(200.0), ..el };
        assert_eq!(content_rect(&full_of_padding, WIDE, fit, &center, None), Err(GeometryError::EmptyBox));
        let infinite = ElementBox { width: f64::INFINITY, ..el };
        assert_eq!(content_rect(&infinite, WIDE, fit, &center, None), Err(GeometryError::Invalid));
        let bad_position = ObjectPosition { x: LengthPercentage::px(f64::NAN), y: LengthPercentage::default() };
        assert_eq!(content_rect(&el, WIDE, fit, &bad_position, None), Err(GeometryError::Invalid));
        // Finite but absurd: the scale overflows.
        let overflow = content_rect(&el, Size::new(1e-310, 1.0), ObjectFit::Cover, &center, None);
        assert_eq!(overflow, Err(GeometryError::Invalid));
    }

    #[track_caller]
    fn assert_view_box(value: &str, insets: [(f64, f64); 4]) {
        let got = ObjectViewBox::parse(value).insets.map(|v| (v.percent, v.px));
        assert_eq!(got, insets, "parsing {value:?}");
    }

    #[test]
    fn computed_view_boxes_from_chromium() {
        // What getComputedStyle(img).getPropertyValue('object-view-box') gave in Chromium 148 for
        // `inset(…)`, `rect(…)` and `xywh(…)` (the last two compute to `inset(…)`).
        let px = |v: f64| (0.0, v);
        let pct = |v: f64| (v, 0.0);
        assert_view_box("inset(10px 20% 0px 5px)", [px(10.0), pct(20.0), px(0.0), px(5.0)]);
        assert_view_box("inset(10%)", [pct(10.0); 4]);
        assert_view_box("inset(0px)", [px(0.0); 4]);
        assert_view_box("inset(10px 20px)", [px(10.0), px(20.0), px(10.0), px(20.0)]);
        assert_view_box("inset(10px 20px 30px)", [px(10.0), px(20.0), px(30.0), px(20.0)]);
        assert_view_box("inset(0.5px 1.25% 30px 0px)", [px(0.5), pct(1.25), px(30.0), px(0.0)]);
        assert_view_box("inset(-10px)", [px(-10.0); 4]);
        assert_view_box("inset(10px round 5px)", [px(10.0); 4]);
        assert_view_box("inset(calc(10% + 5px) 0px 0px)", [(10.0, 5.0), px(0.0), px(0.0), px(0.0)]);
        // rect(1px 10% 100px 50%) and xywh(95px 20px 60px 60px) with a radius:
        assert_view_box("inset(1px 90% calc(100% - 100px) 50%)", [px(1.0), pct(90.0), (100.0, -100.0), pct(50.0)]);
        assert_view_box(
            "inset(20px calc(100% - 155px) calc(100% - 80px) 95px round 3px)",
            [px(20.0), (100.0, -155.0), (100.0, -80.0), px(95.0)],
        );
        // rect(auto auto auto auto):
        assert_view_box("inset(0%)", [pct(0.0); 4]);
    }

    #[test]
    fn other_view_boxes_are_none() {
        for value in [
            "none",
            "",
            "inset()",
            "inset(round 5px)",
            "inset(10px",
            "inset(1px 2px 3px 4px 5px)",
            "inset(16px 1em)",
            "inset(min(10px, 5%))",
            "inset(left)",
            "rect(1px 2px 3px 4px)",
            "xywh(1px 2px 3px 4px)",
            "circle(10px)",
            "inset(calc(10px * 2))",
        ] {
            assert_eq!(ObjectViewBox::parse(value), ObjectViewBox::NONE, "parsing {value:?}");
        }
    }

    #[test]
    fn view_boxes_resolve_against_the_natural_size() {
        let resolve = |value: &str| ObjectViewBox::parse(value).resolve(WIDE);
        assert_eq!(resolve("inset(10px 20% 0px 5px)"), Some(Rect::new(5.0, 10.0, 795.0, 490.0)));
        assert_eq!(resolve("inset(10%)"), Some(Rect::new(100.0, 50.0, 800.0, 400.0)));
        assert_eq!(resolve("inset(-10px)"), Some(Rect::new(-10.0, -10.0, 1020.0, 520.0)));
        assert_eq!(resolve("none"), Some(Rect::new(0.0, 0.0, 1000.0, 500.0)));
        // Empty or inverted: Chromium ignores the view box.
        assert_eq!(resolve("inset(50% 0px)"), None);
        assert_eq!(resolve("inset(0px 60% 0px 60%)"), None);
        assert_eq!(ObjectViewBox::parse("inset(calc(1e308px + 1e308px))").resolve(WIDE), None);
    }

    #[test]
    fn the_view_box_is_fitted_and_the_picture_scaled_around_it() {
        let fitted = |fit: ObjectFit, view_box: &str| {
            let view_box = ObjectViewBox::parse(view_box).resolve(WIDE);
            content_rect(&photo_box(), WIDE, fit, &ObjectPosition::CENTER, view_box.as_ref()).expect("valid")
        };
        // The middle 500×500 of the 1000×500 picture, contained in 370×270: 270×270 at x = 65, so
        // the whole picture is 540×270 with the view box's left edge (250 px in) at 65.
        assert_rect(fitted(ObjectFit::Contain, "inset(0px 25%)"), Rect::new(-70.0, 15.0, 540.0, 270.0));
        // The same box stretched by fill: 370 px for 500, the picture 740 px wide.
        assert_rect(fitted(ObjectFit::Fill, "inset(0px 250px)"), Rect::new(-170.0, 15.0, 740.0, 270.0));
        // none: the view box at its natural size, centred (x = 15 + (370 − 500) / 2 = −50).
        assert_rect(fitted(ObjectFit::None, "inset(0px 25%)"), Rect::new(-300.0, -100.0, 1000.0, 500.0));
        assert_rect(fitted(ObjectFit::None, "inset(0px 0px 0px 500px)"), Rect::new(-550.0, -100.0, 1000.0, 500.0));
        // A view box of all of the picture, or none, is no view box at all, to the last bit.
        for fit in [ObjectFit::Contain, ObjectFit::Cover, ObjectFit::ScaleDown] {
            assert_eq!(fitted(fit, "inset(0px)"), rect(fit, "50% 50%"));
            assert_eq!(fitted(fit, "none"), rect(fit, "50% 50%"));
        }
    }

    #[test]
    fn outside_the_view_box_the_picture_still_shows_inside_the_content_box() {
        // The top half, 1000×250, contained in 370×270: 370×92.5 at y = 103.75. The bottom half
        // hangs below it, to y = 288.75, and is painted down to the content box's edge (285).
        let el = photo_box();
        let view_box = ObjectViewBox::parse("inset(0px 0px 50% 0px)").resolve(WIDE);
        let r = content_rect(&el, WIDE, ObjectFit::Contain, &ObjectPosition::CENTER, view_box.as_ref()).expect("valid");
        assert_rect(r, Rect::new(15.0, 103.75, 370.0, 185.0));
        assert!(is_visible(&el, percent_to_px(&r, 50.0, 25.0)));
        assert!(is_visible(&el, percent_to_px(&r, 50.0, 75.0)));
        assert!(!is_visible(&el, percent_to_px(&r, 50.0, 99.0)));
        // Filled, the view box is the content box: what lies outside it is cut off.
        let r = content_rect(&el, WIDE, ObjectFit::Fill, &ObjectPosition::CENTER, view_box.as_ref()).expect("valid");
        assert!(is_visible(&el, percent_to_px(&r, 50.0, 49.0)));
        assert!(!is_visible(&el, percent_to_px(&r, 50.0, 51.0)));
    }

    #[test]
    fn object_fit_keywords() {
        assert_eq!(ObjectFit::parse("contain"), ObjectFit::Contain);
        assert_eq!(ObjectFit::parse(" Cover "), ObjectFit::Cover);
        assert_eq!(ObjectFit::parse("NONE"), ObjectFit::None);
        assert_eq!(ObjectFit::parse("scale-down"), ObjectFit::ScaleDown);
        assert_eq!(ObjectFit::parse("fill"), ObjectFit::Fill);
        assert_eq!(ObjectFit::parse(""), ObjectFit::Fill);
        assert_eq!(ObjectFit::parse("scale down"), ObjectFit::Fill);
        assert_eq!(ObjectFit::parse("inherit"), ObjectFit::Fill);
    }

    #[test]
    fn computed_positions_from_chrome() {
        // The computed forms the WPT test css-images/parsing/object-position-computed.html expects.
        assert_position("50% 50%", (50.0, 0.0), (50.0, 0.0));
        assert_position("0px 0px", (0.0, 0.0), (0.0, 0.0));
        assert_position("10% 50%", (10.0, 0.0), (50.0, 0.0));
        assert_position("70% 60px", (70.0, 0.0), (0.0, 60.0));
        assert_position("-20% -30px", (-20.0, 0.0), (0.0, -30.0));
        assert_position("40px 0%", (0.0, 40.0), (0.0, 0.0));
        assert_position("calc(100% - 20px) calc(100% - 10px)", (100.0, -20.0), (100.0, -10.0));
        assert_position("calc(100% + 10px) 0%", (100.0, 10.0), (0.0, 0.0));
        assert_position("calc(100% - 10px) 20%", (100.0, -10.0), (20.0, 0.0));
        assert_position("calc(-10px + 100%) 20%", (100.0, -10.0), (20.0, 0.0));
        assert_position("calc(50% - -4.5px) 1.25px", (50.0, 4.5), (0.0, 1.25));
        assert_position("CALC( 30%  +  2px ) 0", (30.0, 2.0), (0.0, 0.0));
        assert_position("calc(10% + (20px - 5%)) 0", (5.0, 20.0), (0.0, 0.0));
        assert_position("1e-05px 1.5E2%", (0.0, 1e-5), (150.0, 0.0));
    }

    #[test]
    fn author_positions() {
        assert_position("left top", (0.0, 0.0), (0.0, 0.0));
        assert_position("top left", (0.0, 0.0), (0.0, 0.0));
        assert_position("top right", (100.0, 0.0), (0.0, 0.0));
        assert_position("top", (50.0, 0.0), (0.0, 0.0));
        assert_position("bottom", (50.0, 0.0), (100.0, 0.0));
        assert_position("right", (100.0, 0.0), (50.0, 0.0));
        assert_position("center", (50.0, 0.0), (50.0, 0.0));
        assert_position("25%", (25.0, 0.0), (50.0, 0.0));
        assert_position("center left", (0.0, 0.0), (50.0, 0.0));
        assert_position("bottom center", (50.0, 0.0), (100.0, 0.0));
        assert_position("left 10px", (0.0, 0.0), (0.0, 10.0));
        assert_position("10px top", (0.0, 10.0), (0.0, 0.0));
        assert_position("right 10px bottom 20px", (100.0, -10.0), (100.0, -20.0));
        assert_position("bottom 20% right 10px", (100.0, -10.0), (80.0, 0.0));
        assert_position("right 30% top 60px", (70.0, 0.0), (0.0, 60.0));
        assert_position("left 5px top", (0.0, 5.0), (0.0, 0.0));
        assert_position("center top 5px", (50.0, 0.0), (0.0, 5.0));
        assert_position("Right  10PX\tBOTTOM 0", (100.0, -10.0), (100.0, 0.0));
    }

    #[test]
    fn invalid_positions_fall_back_to_center() {
        for value in [
            "",
            "   ",
            "garbage",
            "1em 2em",
            "10rem",
            "10vw 0px",
            "10 20",
            "left right",
            "top bottom",
            "top 10px",
            "10px left",
            "center 10px top",
            "left 10px right 10px",
            "left 10px 20px",
            "10px 10px 10px 10px",
            "50% 50% 50% 50% 50%",
            "inherit",
            "calc(100%-10px) 0",
            "calc(100% - ) 0",
            "calc() 0",
            "calc(100% - 10px 0",
            "min(10px, 5%) 0",
            "calc(2 * 10px) 0",
            "NaN% 0",
            "inf 0",
            "1e999px 0",
            "50%, 50%",
            "((((((((((((1px)))))))))))) 0",
            "50% 50% )",
            "é ü",
        ] {
            assert_eq!(ObjectPosition::parse(value), ObjectPosition::CENTER, "parsing {value:?}");
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number("12.5px"), Some((12.5, "px")));
        assert_eq!(parse_number("-.5%"), Some((-0.5, "%")));
        assert_eq!(parse_number("+3"), Some((3.0, "")));
        assert_eq!(parse_number("1em"), Some((1.0, "em")));
        assert_eq!(parse_number("1e3px"), Some((1000.0, "px")));
        assert_eq!(parse_number("2.5e-1"), Some((0.25, "")));
        assert_eq!(parse_number("1e+2"), Some((100.0, "")));
        assert_eq!(parse_number("1e"), Some((1.0, "e")));
        assert_eq!(parse_number("0.1"), Some((0.1, "")));
        assert_eq!(parse_number("."), None);
        assert_eq!(parse_number("-"), None);
        assert_eq!(parse_number("px"), None);
        assert_eq!(parse_number("1e400"), None);
        assert_eq!(parse_number("1e-400"), Some((0.0, "")));
        assert_eq!(parse_number("0e400"), Some((0.0, "")));
        let long = "123456789012345678901234567890";
        let (v, rest) = parse_number(long).expect("digits");
        assert!(close(v, 1.2345678901234568e29) && rest.is_empty());
    }

    #[test]
    fn tokens_respect_parentheses() {
        let tokens: Vec<&str> = TopLevelTokens::new("  calc(100% - 10px)\t20% ").collect();
        assert_eq!(tokens, ["calc(100% - 10px)", "20%"]);
        let unbalanced: Vec<&str> = TopLevelTokens::new("calc(1px 2px").collect();
        assert_eq!(unbalanced, ["calc(1px 2px"]);
    }

    #[test]
    fn percent_round_trip() {
        let r = rect(ObjectFit::Contain, "50% 50%");
        let p = percent_to_px(&r, 25.0, 50.0);
        assert!(close(p.x, 15.0 + 92.5) && close(p.y, 57.5 + 92.5));
        let (x, y) = px_to_percent(&r, p).expect("non-empty rect");
        assert!(close(x, 25.0) && close(y, 50.0));
        assert_eq!(px_to_percent(&Rect::new(0.0, 0.0, 0.0, 10.0), p), None);
        assert_eq!(px_to_percent(&Rect::new(0.0, 0.0, 10.0, f64::NAN), p), None);
    }

    #[test]
    fn visibility_is_the_content_box_edges_included() {
        let el = photo_box();
        assert!(is_visible(&el, Point::new(15.0, 15.0)));
        assert!(is_visible(&el, Point::new(385.0, 285.0)));
        assert!(!is_visible(&el, Point::new(14.9, 100.0)));
        assert!(!is_visible(&el, Point::new(100.0, 285.1)));
        assert!(!is_visible(&el, Point::new(f64::NAN, 100.0)));
        // A marker at 5% of a covered picture is cropped away.
        let covered = rect(ObjectFit::Cover, "50% 50%");
        assert!(!is_visible(&el, percent_to_px(&covered, 5.0, 50.0)));
        assert!(is_visible(&el, percent_to_px(&covered, 50.0, 50.0)));
    }

    #[test]
    fn screen_map_scales_and_translates() {
        let map = ScreenMap::from_bounding_box(Size::new(400.0, 300.0), Rect::new(100.0, 50.0, 800.0, 150.0));
        assert_eq!((map.scale_x(), map.scale_y()), (2.0, 0.5));
        assert_eq!(map.map(Point::new(10.0, 10.0)), Point::new(120.0, 55.0));
        assert_eq!(map.inverse(Point::new(120.0, 55.0)), Point::new(10.0, 10.0));
    }

    #[test]
    fn screen_map_defends_its_scale() {
        let collapsed = ScreenMap::from_bounding_box(Size::new(0.0, 0.0), Rect::new(5.0, 6.0, 0.0, 0.0));
        assert_eq!((collapsed.scale_x(), collapsed.scale_y()), (1.0, 1.0));
        assert_eq!(collapsed.origin(), Point::new(5.0, 6.0));
        let hidden = ScreenMap::from_bounding_box(Size::new(400.0, 300.0), Rect::new(0.0, 0.0, 0.0, 0.0));
        assert_eq!((hidden.scale_x(), hidden.scale_y()), (1.0, 1.0));
        let garbage = ScreenMap::from_bounding_box(
            Size::new(f64::NAN, 1.0),
            Rect::new(f64::NAN, f64::INFINITY, 1.0, f64::INFINITY),
        );
        assert_eq!(garbage, ScreenMap::IDENTITY);
        assert_eq!(ScreenMap::default(), ScreenMap::IDENTITY);
    }

    fn assert_near(got: Point, want: Point) {
        assert!((got.x - want.x).abs() < 1e-9 && (got.y - want.y).abs() < 1e-9, "{got:?} vs {want:?}");
    }

    #[test]
    fn screen_map_composes_and_inverts() {
        // A quarter turn after a translation: (1, 0) → (11, 20) → turned to (-20, 11).
        let turn = ScreenMap::new(0.0, 1.0, -1.0, 0.0, 0.0, 0.0);
        let shift = ScreenMap::new(1.0, 0.0, 0.0, 1.0, 10.0, 20.0);
        let both = turn.then(&shift);
        assert_near(both.map(Point::new(1.0, 0.0)), Point::new(-20.0, 11.0));
        assert_near(both.inverse(Point::new(-20.0, 11.0)), Point::new(1.0, 0.0));
        // Its bounding box of a 10×4 rectangle is 4×10.
        assert_eq!(turn.bounding_box(Rect::new(0.0, 0.0, 10.0, 4.0)), Rect::new(-4.0, 0.0, 4.0, 10.0));
        // Not invertible: keeps the translation, loses the rest.
        assert_eq!(ScreenMap::new(0.0, 0.0, 0.0, 0.0, 3.0, 4.0), ScreenMap::new(1.0, 0.0, 0.0, 1.0, 3.0, 4.0));
        let nan = ScreenMap::new(f64::NAN, 0.0, 0.0, 1.0, f64::INFINITY, 4.0);
        assert_eq!(nan, ScreenMap::new(1.0, 0.0, 0.0, 1.0, 0.0, 4.0));
        // Three measured points: a mirrored space.
        let mirrored =
            ScreenMap::from_points(Point::new(500.0, 10.0), Point::new(400.0, 10.0), Point::new(500.0, 110.0), 100.0);
        assert_near(mirrored.map(Point::new(30.0, 5.0)), Point::new(470.0, 15.0));
        assert!(!mirrored.is_translation() && shift.is_translation());
        // Its turn: a mirror, unscaled; a scale alone has none.
        assert_eq!(
            ScreenMap::new(-3.0, 0.0, 0.0, 2.0, 5.0, 5.0).turn(),
            Some(ScreenMap::new(-1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
        );
        assert_eq!(ScreenMap::new(3.0, 0.0, 0.0, 2.0, 5.0, 5.0).turn(), None);
    }

    #[test]
    fn element_map_follows_turns_shared_with_our_layer() {
        // Our layer's containing block and a 300×200 image inside it at (40, 30), both turned a
        // quarter turn about the viewport point (500, 100).
        let layer = ScreenMap::new(0.0, 1.0, -1.0, 0.0, 500.0, 100.0);
        let truth = layer.then(&ScreenMap::new(1.0, 0.0, 0.0, 1.0, 40.0, 30.0));
        let bounding = truth.bounding_box(Rect::new(0.0, 0.0, 300.0, 200.0));
        let (screen, place) =
            element_map(&layer, &layer.linear(), &ScreenMap::IDENTITY, Size::new(300.0, 200.0), bounding, None);
        assert_near(place.map(Point::new(0.0, 0.0)), Point::new(40.0, 30.0));
        for p in [Point::new(0.0, 0.0), Point::new(300.0, 0.0), Point::new(120.0, 77.0)] {
            assert_near(screen.map(p), truth.map(p));
        }
    }

    #[test]
    fn element_map_turns_back_a_turn_of_our_layer_alone() {
        // A transform on the widget itself: our layer's containing block a quarter turn about
        // (500, 100); the 300×200 image untransformed at (40, 30).
        let layer = ScreenMap::new(0.0, 1.0, -1.0, 0.0, 500.0, 100.0);
        let truth = ScreenMap::new(1.0, 0.0, 0.0, 1.0, 40.0, 30.0);
        let bounding = truth.bounding_box(Rect::new(0.0, 0.0, 300.0, 200.0));
        let (screen, place) =
            element_map(&layer, &ScreenMap::IDENTITY, &ScreenMap::IDENTITY, Size::new(300.0, 200.0), bounding, None);
        for p in [Point::new(0.0, 0.0), Point::new(300.0, 0.0), Point::new(120.0, 77.0)] {
            assert_near(screen.map(p), truth.map(p));
            assert_near(layer.map(place.map(p)), truth.map(p));
        }
        // The layer is turned back a quarter turn in our space.
        assert_near(Point::new(place.a, place.b), Point::new(0.0, -1.0));
    }

    #[test]
    fn element_map_without_turns_is_the_bounding_box_map() {
        // Our layer at (8, 9), unscaled; the image scaled 2× by its own ancestors.
        let layer = ScreenMap::new(1.0, 0.0, 0.0, 1.0, 8.0, 9.0);
        let bounding = Rect::new(100.0, 50.0, 800.0, 150.0);
        let (screen, place) =
            element_map(&layer, &ScreenMap::IDENTITY, &ScreenMap::IDENTITY, Size::new(400.0, 300.0), bounding, None);
        assert_eq!(screen, ScreenMap::from_bounding_box(Size::new(400.0, 300.0), bounding));
        assert_near(place.map(Point::new(0.0, 0.0)), Point::new(92.0, 41.0));
    }

    #[test]
    fn overflow_clips_at_the_scaled_padding_box() {
        // A 400×300 scroll box with a 5 px border, scaled 2× from its corner at (10, 20): its
        // 390×290 padding box shows 780×580 px of content from (20, 30) on screen.
        let scaled = ScreenMap::from_bounding_box(Size::new(400.0, 300.0), Rect::new(10.0, 20.0, 800.0, 600.0));
        let client = Rect::new(5.0, 5.0, 390.0, 290.0);
        assert_eq!(overflow_clip(&scaled, client, true, true), Rect::new(20.0, 30.0, 780.0, 580.0));
        // Halved: the clip halves too, instead of reaching past the box's painted edge.
        let halved = ScreenMap::from_bounding_box(Size::new(400.0, 300.0), Rect::new(0.0, 0.0, 200.0, 150.0));
        assert_eq!(overflow_clip(&halved, client, true, true), Rect::new(2.5, 2.5, 195.0, 145.0));
        // Unscaled, it is the padding box where the box is.
        let plain = ScreenMap::from_bounding_box(Size::new(400.0, 300.0), Rect::new(10.0, 20.0, 400.0, 300.0));
        assert_eq!(overflow_clip(&plain, client, true, true), Rect::new(15.0, 25.0, 390.0, 290.0));
        // `overflow-x: clip; overflow-y: visible` clips left and right only.
        let x_only = overflow_clip(&plain, client, true, false);
        assert_eq!((x_only.x, x_only.width), (15.0, 390.0));
        assert!(x_only.contains(Point::new(100.0, -5000.0)) && x_only.contains(Point::new(100.0, 5000.0)));
        assert!(!x_only.contains(Point::new(500.0, 100.0)));
        let y_only = overflow_clip(&plain, client, false, true);
        assert!(y_only.contains(Point::new(-5000.0, 100.0)) && !y_only.contains(Point::new(100.0, 400.0)));
    }

    /// A card turned 25° about its vertical centre line under `perspective(700px)`, then moved:
    /// what the browser draws, worked out in 3-D.
    fn tilted(p: Point) -> Point {
        let (u, v) = (p.x - 150.0, p.y - 100.0);
        let (sin, cos) = (25f64.to_radians().sin(), 25f64.to_radians().cos());
        let s = 700.0 / (700.0 - u * sin);
        Point::new(190.0 + u * cos * s, 130.0 + v * s)
    }

    fn probe(map: impl Fn(Point) -> Point) -> Option<Perspective> {
        let at = |x, y| map(Point::new(x, y));
        Perspective::from_points(at(0.0, 0.0), at(100.0, 0.0), at(0.0, 100.0), at(100.0, 100.0), 100.0)
    }

    #[test]
    fn a_perspective_from_four_points_is_the_tilt_and_none_without_one() {
        let tilt = probe(tilted).expect("a tilt");
        for (x, y) in [(0.0, 0.0), (300.0, 0.0), (37.0, 180.0), (250.0, 200.0), (-40.0, 55.0)] {
            let (want, got) = (tilted(Point::new(x, y)), tilt.map(Point::new(x, y)));
            assert!((want.x - got.x).abs() < 1e-6 && (want.y - got.y).abs() < 1e-6, "{x},{y}: {got:?} vs {want:?}");
        }
        // Its tangent agrees with it to first order.
        let near = tilt.at(Point::new(120.0, 80.0)).map(Point::new(121.0, 80.5));
        let exact = tilted(Point::new(121.0, 80.5));
        assert!((near.x - exact.x).abs() < 1e-2 && (near.y - exact.y).abs() < 1e-2);
        // Any 2-D transform is a parallelogram: no perspective.
        let turned = ScreenMap::new(0.8, 0.3, -0.4, 1.1, 50.0, 20.0);
        assert_eq!(probe(|p| turned.map(p)), None);
        // Points that make no map (all in one place).
        assert_eq!(probe(|_| Point::new(5.0, 5.0)), None);
    }

    #[test]
    fn a_box_in_a_tilted_plane_is_found_from_its_bounding_box() {
        let tilt = probe(tilted).expect("a tilt");
        for own in [
            ScreenMap::IDENTITY,
            ScreenMap::new(0.94, 0.34, -0.34, 0.94, 0.0, 0.0),
            ScreenMap::new(-1.0, 0.0, 0.0, 1.0, 200.0, 0.0),
        ] {
            let (t, size) = (Point::new(60.0, 45.0), Size::new(200.0, 120.0));
            let placed = ScreenMap::new(1.0, 0.0, 0.0, 1.0, t.x, t.y).then(&own);
            let local = Rect::new(0.0, 0.0, size.width, size.height);
            let bounding = corners_box(local, |p| tilted(placed.map(p)));
            let found = tilt.locate(&own, size, bounding);
            assert!((found.x - t.x).abs() < 1e-3 && (found.y - t.y).abs() < 1e-3, "{own:?}: {found:?}");
            // element_map places it there, in our layer's px, whatever the layer's tangent.
            let (_, place) =
                element_map(&tilt.at(Point::new(0.0, 0.0)), &ScreenMap::IDENTITY, &own, size, bounding, Some(&tilt));
            let corner = place.map(Point::new(0.0, 0.0));
            assert!((corner.x - placed.e).abs() < 1e-3 && (corner.y - placed.f).abs() < 1e-3, "{own:?}: {place:?}");
        }
    }

    #[test]
    fn rectangles_intersect() {
        let a = Rect::new(0.0, 0.0, 100.0, 50.0);
        assert_eq!(a.intersect(Rect::new(50.0, 25.0, 100.0, 100.0)), Rect::new(50.0, 25.0, 50.0, 25.0));
        assert_eq!(a.intersect(Rect::UNBOUNDED), a);
        let apart = a.intersect(Rect::new(200.0, 200.0, 10.0, 10.0));
        assert_eq!((apart.width, apart.height), (0.0, 0.0));
    }
}
