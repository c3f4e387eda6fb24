//! Layout decisions, as pure functions: which photo an image shows, the order markers are read
//! in, which markers merge into a cluster, how a cluster spreads out, and where a popover goes.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::core::float::finite;

use super::geometry::{Point, Rect, Size};
use super::model::Photo;
use super::words::{same_words, PhotoCode};

/// What is known about the picture an image element shows now, to pick the PAVE photo.
#[derive(Debug, Clone, Copy, Default)]
pub struct PhotoQuery<'a> {
    /// The element's `photo` attribute (a code or label), or `setPhoto()`'s argument.
    pub photo: Option<&'a str>,
    /// The image's `data-pave-photo` attribute.
    pub data_photo: Option<&'a str>,
    /// `photoMap` entries: a frame's URL (full, or a file name, or a path tail) → a photo name.
    pub photo_map: &'a [(String, String)],
    /// The image's `currentSrc` (absolute URL), empty when none.
    pub current_src: &'a str,
    /// The photos' `url`s resolved against the page (absolute), by photo index; a photo missing
    /// here is compared by its `url` as sent.
    pub resolved_urls: &'a [String],
}

/// Which of `photos` the image shows, or `None` (a spin frame between the inspected angles).
///
/// The first match wins, in this order: `photo`, `data-pave-photo`, a `photoMap` entry for
/// `currentSrc`, a photo whose `url` equals `currentSrc` (PRODUCT.md). A source that is given but
/// names a photo the results lack is no match: the next source may still name the picture. One
/// that says `none` ends the search: no photo (a viewer zoomed in on a frame that names its photo).
pub fn select_photo(photos: &[Photo], query: &PhotoQuery<'_>) -> Option<usize> {
    let src = query.current_src;
    let mapped = query.photo_map.iter().filter(|(key, _)| !src.is_empty() && url_matches(key, src));
    for name in [query.photo, query.data_photo].into_iter().flatten().chain(mapped.map(|(_, name)| name.as_str())) {
        match given(Some(name)) {
            Some(name) if name.eq_ignore_ascii_case("none") => return None,
            Some(name) => {
                if let Some(i) = find_by_name(photos, name) {
                    return Some(i);
                }
            }
            None => {}
        }
    }
    photos.iter().enumerate().position(|(i, p)| {
        let url = query.resolved_urls.get(i).filter(|u| !u.is_empty()).unwrap_or(&p.url);
        !src.is_empty() && *url == src
    })
}

/// A name that is set: not missing, blank or "auto".
fn given(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty() && !s.eq_ignore_ascii_case("auto"))
}

/// A photo by code ("5") or label ("Front", "front_left"), as PAVE's table or the photo's own
/// `photo_label` names it.
pub fn find_by_name(photos: &[Photo], name: &str) -> Option<usize> {
    let code = PhotoCode::parse(name);
    photos
        .iter()
        .position(|p| code.is_some() && p.code == code)
        .or_else(|| photos.iter().position(|p| !p.label.is_empty() && same_words(&p.label, name)))
}

/// Whether a `photoMap` key names the frame at `src`: the full URL, or a tail of its path
/// ("frame-05.jpg", "spin/frame-05.jpg"). The fragments don't count, nor does the query of `src`
/// unless the key names one: `spin.jpg?frame=5` matches that frame only.
pub fn url_matches(key: &str, src: &str) -> bool {
    let key = key.trim();
    if key.is_empty() {
        return false;
    }
    if key == src {
        return true;
    }
    let (path, query) = path_and_query(src);
    let (key_path, key_query) = path_and_query(key);
    if key_query.is_some() && key_query != query {
        return false;
    }
    if key_path == path {
        return true;
    }
    // Leading "./" and "/" go (a loop, not `trim_start_matches("./")`: no substring searcher in wasm).
    let mut tail = key_path;
    while let Some(rest) = tail.strip_prefix("./").or_else(|| tail.strip_prefix('/')) {
        tail = rest;
    }
    !tail.is_empty()
        && path.len() > tail.len()
        && path.ends_with(tail)
        && path.as_bytes().get(path.len() - tail.len() - 1) == Some(&b'/')
}

/// A URL's part before `?`, and its query, without the fragment.
fn path_and_query(url: &str) -> (&str, Option<&str>) {
    // (`['#']`, not `'#'`: see core/mod.rs.)
    let url = url.split(['#']).next().unwrap_or(url);
    match url.split_once(['?']) {
        Some((path, query)) => (path, Some(query)),
        None => (url, None),
    }
}

/// The order markers are read in: top to bottom, then left to right within a row. Points whose
/// `y` differ by less than `row_tolerance` share a row, so two damages at nearly the same height
/// read left to right. Returns indices into `points`.
pub fn reading_order(points: &[Point], row_tolerance: f64) -> Vec<usize> {
    let mut order = Vec::with_capacity(points.len());
    for (i, p) in points.iter().enumerate() {
        order.push((p.y, 0.0, i));
    }
    sort_keyed(&mut order);
    let tolerance = if finite(row_tolerance) { row_tolerance.max(0.0) } else { 0.0 };
    let mut rows: Vec<Vec<(f64, f64, usize)>> = Vec::new();
    let mut row_top = f64::NEG_INFINITY;
    for &(y, _, i) in &order {
        let x = points.get(i).map_or(0.0, |p| p.x);
        match rows.last_mut() {
            Some(row) if y - row_top < tolerance => row.push((x, 0.0, i)),
            _ => {
                row_top = y;
                rows.push(vec![(x, 0.0, i)]);
            }
        }
    }
    let mut read = Vec::with_capacity(points.len());
    for row in &mut rows {
        sort_keyed(row);
        for &(_, _, i) in row.iter() {
            read.push(i);
        }
    }
    read
}

/// Sorts by the first key, then the second, then the index: the one sort of the layout code.
/// A bottom-up merge sort of our own, with no index that can panic: core's sorts bring about
/// 4 KB of wasm each, with bounds-check panics and the formatting behind them.
fn sort_keyed(items: &mut Vec<(f64, f64, usize)>) {
    let before = |p: &(f64, f64, usize), q: &(f64, f64, usize)| {
        p.0.total_cmp(&q.0).then(p.1.total_cmp(&q.1)).then(p.2.cmp(&q.2)) == core::cmp::Ordering::Less
    };
    let n = items.len();
    let mut width = 1usize;
    while width < n {
        let mut out = Vec::with_capacity(n);
        let mut start = 0;
        while start < n {
            let mid = start.saturating_add(width).min(n);
            let end = mid.saturating_add(width).min(n);
            let mut left = items.get(start..mid).unwrap_or(&[]).iter().peekable();
            let mut right = items.get(mid..end).unwrap_or(&[]).iter().peekable();
            loop {
                let next = match (left.peek(), right.peek()) {
                    (Some(a), Some(b)) if before(b, a) => right.next(),
                    (Some(_), _) => left.next(),
                    (None, _) => right.next(),
                };
                match next {
                    Some(item) => out.push(*item),
                    None => break,
                }
            }
            start = end;
        }
        *items = out;
        width = width.saturating_mul(2);
    }
}

/// Markers whose centres lie closer than `distance` merge, transitively: what is returned is
/// the connected groups (single linkage), each a list of indices into `points` in ascending
/// order, groups ordered by their first member. Runs in about linear time on a grid.
pub fn clusters(points: &[Point], distance: f64) -> Vec<Vec<usize>> {
    let n = points.len();
    let mut parent = Vec::with_capacity(n);
    for i in 0..n {
        parent.push(i);
    }
    if finite(distance) && distance > 0.0 && n > 1 {
        // Cells of side d/√2: two points in one cell are always closer than d, so a cell's
        // points join at once, and only the 5×5 neighbourhood needs pairwise checks.
        let cell = distance / core::f64::consts::SQRT_2;
        // Cell coordinates are whole numbers below 1e12 in magnitude: exact as f64.
        let key = |p: Point| -> Option<(f64, f64)> {
            let (cx, cy) = ((p.x / cell).floor(), (p.y / cell).floor());
            let ok = |v: f64| finite(v) && v.abs() < 1e12;
            // `+ 0.0` turns -0.0 into 0.0: one cell, one key.
            (ok(cx) && ok(cy)).then_some((cx + 0.0, cy + 0.0))
        };
        let mut cells = Vec::with_capacity(n);
        for (i, p) in points.iter().enumerate() {
            if let Some((cx, cy)) = key(*p) {
                cells.push((cx, cy, i));
            }
        }
        sort_keyed(&mut cells);
        // Runs of one cell: (key, start, end) into `cells`.
        let mut runs: Vec<((f64, f64), usize, usize)> = Vec::new();
        for (pos, &(cx, cy, _)) in cells.iter().enumerate() {
            match runs.last_mut() {
                Some((rk, _, end)) if *rk == (cx, cy) => *end = pos + 1,
                _ => runs.push(((cx, cy), pos, pos + 1)),
            }
        }
        let members = |start: usize, end: usize| cells.get(start..end).unwrap_or(&[]).iter().map(|(_, _, i)| *i);
        for &(_, start, end) in &runs {
            let mut it = members(start, end);
            if let Some(first) = it.next() {
                for other in it {
                    union(&mut parent, first, other);
                }
            }
        }
        let d2 = distance * distance;
        let close = |a: usize, b: usize| match (points.get(a), points.get(b)) {
            (Some(p), Some(q)) => {
                let (dx, dy) = (p.x - q.x, p.y - q.y);
                dx * dx + dy * dy < d2
            }
            _ => false,
        };
        // Each unordered pair of neighbouring cells once: from a cell, the two below it in its
        // column and the five of each of the two columns to its right. `runs` is sorted by
        // column, then row, and so are these neighbourhoods: the first run of column cx + k
        // from row cy − 2 (cy + 1 in its own column) never comes before the previous cell's.
        // So one cursor per column walks `runs` once, with no search.
        let mut cursors = [0usize; 3];
        for &((cx, cy), start, end) in &runs {
            for (k, cursor) in (0u8..).zip(cursors.iter_mut()) {
                let column = cx + f64::from(k);
                let (from, to) = if k == 0 { (cy + 1.0, cy + 2.0) } else { (cy - 2.0, cy + 2.0) };
                while runs.get(*cursor).is_some_and(|&((x, y), ..)| x < column || (x == column && y < from)) {
                    *cursor += 1;
                }
                let mut r = *cursor;
                while let Some(&((x, y), s2, e2)) = runs.get(r) {
                    if x != column || y > to {
                        break;
                    }
                    r += 1;
                    let (Some(a0), Some(b0)) = (members(start, end).next(), members(s2, e2).next()) else {
                        continue;
                    };
                    if find(&mut parent, a0) == find(&mut parent, b0) {
                        continue;
                    }
                    'pairs: for a in members(start, end) {
                        for b in members(s2, e2) {
                            if close(a, b) {
                                union(&mut parent, a, b);
                                break 'pairs;
                            }
                        }
                    }
                }
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut slot_of_root: Vec<usize> = vec![usize::MAX; n];
    for i in 0..n {
        let root = find(&mut parent, i);
        match slot_of_root.get(root).copied() {
            Some(slot) if slot != usize::MAX => {
                if let Some(g) = groups.get_mut(slot) {
                    g.push(i);
                }
            }
            _ => {
                if let Some(s) = slot_of_root.get_mut(root) {
                    *s = groups.len();
                }
                groups.push(vec![i]);
            }
        }
    }
    groups
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while let Some(&p) = parent.get(i) {
        if p == i {
            break;
        }
        // Path halving keeps the trees flat.
        let grand = parent.get(p).copied().unwrap_or(p);
        if let Some(slot) = parent.get_mut(i) {
            *slot = grand;
        }
        i = grand;
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        // The smaller index becomes the root, so results don't depend on visiting order.
        let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
        if let Some(slot) = parent.get_mut(hi) {
            *slot = lo;
        }
    }
}

/// The centre of a group of points (their mean).
pub fn centroid(points: impl IntoIterator<Item = Point>) -> Point {
    let mut sum = Point::default();
    let mut n = 0.0;
    for p in points {
        sum.x += p.x;
        sum.y += p.y;
        n += 1.0;
    }
    if n == 0.0 {
        return sum;
    }
    Point::new(sum.x / n, sum.y / n)
}

/// `(cos, sin)` of `2π / n` for n = 2…12: a circle of markers without trigonometry, whose
/// routines would cost the wasm binary about 5 KB.
const TURN: [(f64, f64); 11] = [
    (-1.0, 0.0),
    (-0.4999999999999998, 0.8660254037844387),
    (0.0, 1.0),
    (0.30901699437494745, 0.9510565162951535),
    (0.5000000000000001, 0.8660254037844386),
    (0.6234898018587336, 0.7818314824680298),
    (core::f64::consts::FRAC_1_SQRT_2, core::f64::consts::FRAC_1_SQRT_2),
    (0.766044443118978, 0.6427876096865393),
    (0.8090169943749475, 0.5877852522924731),
    (0.8412535328311812, 0.5406408174555976),
    (0.8660254037844387, 0.49999999999999994),
];

/// `(cos, sin)` of the golden angle, π(3 − √5).
const GOLDEN: (f64, f64) = (-0.7373688780783197, 0.6754902942615238);

/// How far to move a fanned-out cluster (markers at `center` + each of `offsets`, `half` px from
/// centre to edge) so that every marker lies inside `bounds`, what can be seen: like Floating UI's
/// `shift`, the whole fan moves and keeps its shape. Along an axis where the fan is larger than
/// `bounds`, its left or top edge goes to the bounds' edge. Zero when it fits already.
pub fn fit_fan(center: Point, offsets: impl IntoIterator<Item = Point>, half: f64, bounds: Rect) -> Point {
    let half = if finite(half) { half.max(0.0) } else { 0.0 };
    let (mut lo, mut hi) = (Point::new(f64::INFINITY, f64::INFINITY), Point::new(f64::NEG_INFINITY, f64::NEG_INFINITY));
    for o in offsets {
        lo = Point::new(lo.x.min(o.x), lo.y.min(o.y));
        hi = Point::new(hi.x.max(o.x), hi.y.max(o.y));
    }
    Point::new(
        shift_into(center.x + lo.x - half, center.x + hi.x + half, bounds.x, bounds.right()),
        shift_into(center.y + lo.y - half, center.y + hi.y + half, bounds.y, bounds.bottom()),
    )
}

/// How far to move `[lo, hi]` to lie inside `[min, max]` (to start at `min` if it is longer).
fn shift_into(lo: f64, hi: f64, min: f64, max: f64) -> f64 {
    let shift = if lo < min {
        min - lo
    } else if hi > max {
        (max - hi).max(min - lo)
    } else {
        0.0
    };
    if finite(shift) {
        shift
    } else {
        0.0
    }
}

/// Where the `n` markers of an expanded cluster go, as offsets from its centre, at least
/// `spacing` apart: up to 12 on a circle (first at twelve o'clock, clockwise), more on a
/// sunflower (Vogel) spiral, which packs any number evenly.
pub fn spread(n: usize, spacing: f64) -> Vec<Point> {
    // (An absurd spacing would overflow the arithmetic: no marker is a kilometre wide.)
    let spacing = if finite(spacing) && spacing > 0.0 { spacing.min(1e6) } else { 28.0 };
    let rotate = |p: Point, (c, s): (f64, f64)| Point::new(p.x * c - p.y * s, p.x * s + p.y * c);
    if n <= 12 {
        let Some(&turn) = TURN.get(n.saturating_sub(2)) else {
            return vec![Point::default(); n];
        };
        // The chord between neighbours, 2r·sin(π/n), equals the spacing; sin(π/n) follows from
        // cos(2π/n) by the half-angle formula.
        let half_sin = ((1.0 - turn.0) / 2.0).sqrt();
        let radius = (spacing / (2.0 * half_sin)).max(spacing);
        let mut p = Point::new(0.0, -radius);
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(p);
            p = rotate(p, turn);
        }
        return out;
    }
    // r = c·√(k + ½), turning by the golden angle each step; c = 0.66·spacing keeps every pair at
    // least `spacing` apart (checked for n up to 200 in the tests).
    let c = 0.66 * spacing;
    let mut u = Point::new(0.0, -1.0);
    let mut out = Vec::with_capacity(n);
    for k in 0..n {
        #[allow(clippy::cast_precision_loss)]
        let r = c * (k as f64 + 0.5).sqrt();
        out.push(Point::new(u.x * r, u.y * r));
        u = rotate(u, GOLDEN);
    }
    out
}

/// Which side of its anchor a popover sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Below the anchor.
    Bottom,
    /// Above the anchor.
    Top,
    /// To the right.
    Right,
    /// To the left.
    Left,
}

/// Where a popover goes, in viewport px.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// The side of the anchor it ended on.
    pub side: Side,
    /// The largest size it may take (the viewport less margins): set as max-width/max-height so
    /// a popover larger than the screen scrolls inside instead of leaving it.
    pub max: Size,
}

/// The viewport a popover is placed in (see [`place_popover`]): `viewport` itself while `anchor`
/// touches it; once the anchor has left it (the page scrolled it away), `viewport` moved just far
/// enough to touch the anchor again. So a popover leaves with its anchor, keeping its place
/// beside it, instead of staying pinned over content it no longer points to (what Floating UI's
/// `hide` middleware exists for), and comes back the same way.
pub fn reach(anchor: Rect, viewport: Rect) -> Rect {
    let follow = |lo: f64, len: f64, a_lo: f64, a_len: f64| {
        let gap_after = a_lo - (lo + len);
        let gap_before = lo - (a_lo + a_len);
        if finite(gap_after) && gap_after > 0.0 {
            lo + gap_after
        } else if finite(gap_before) && gap_before > 0.0 {
            lo - gap_before
        } else {
            lo
        }
    };
    Rect::new(
        follow(viewport.x, viewport.width, anchor.x, anchor.width),
        follow(viewport.y, viewport.height, anchor.y, anchor.height),
        viewport.width,
        viewport.height,
    )
}

/// The least height a popover is cut to, beside its anchor, rather than laid over it.
pub const MIN_POPOVER_HEIGHT: f64 = 140.0;

/// Places a popover of `size` next to `anchor` inside `viewport`, `gap` px away, like Floating
/// UI's `flip` and `shift`: the first side of `Bottom, Top, Right, Left` where it fits wholly;
/// else below or above, where there is more room, cut to that height (`max`, as Floating UI's
/// `size`) when that is at least [`MIN_POPOVER_HEIGHT`]; else the side with the most room. Then
/// shifted along the side to stay `margin` px inside the viewport. The result always lies inside
/// the viewport (`max` tells how far it may grow: it scrolls inside beyond).
pub fn place_popover(anchor: Rect, size: Size, viewport: Rect, gap: f64, margin: f64) -> Placement {
    let fin = |v: f64, d: f64| if finite(v) { v } else { d };
    let margin = fin(margin, 8.0).max(0.0);
    let gap = fin(gap, 8.0).max(0.0);
    let vp = Rect::new(
        fin(viewport.x, 0.0),
        fin(viewport.y, 0.0),
        fin(viewport.width, 0.0).max(0.0),
        fin(viewport.height, 0.0).max(0.0),
    );
    let mut max = Size::new((vp.width - 2.0 * margin).max(0.0), (vp.height - 2.0 * margin).max(0.0));
    let w = fin(size.width, 0.0).max(0.0).min(max.width);
    let mut h = fin(size.height, 0.0).max(0.0).min(max.height);
    let a = Rect::new(fin(anchor.x, vp.x), fin(anchor.y, vp.y), fin(anchor.width, 0.0), fin(anchor.height, 0.0));

    // Room on each side of the anchor, inside the margins.
    let room = |side: Side| match side {
        Side::Bottom => vp.bottom() - margin - (a.bottom() + gap),
        Side::Top => a.y - gap - (vp.y + margin),
        Side::Right => vp.right() - margin - (a.right() + gap),
        Side::Left => a.x - gap - (vp.x + margin),
    };
    let need = |side: Side| match side {
        Side::Bottom | Side::Top => h,
        Side::Right | Side::Left => w,
    };
    let sides = [Side::Bottom, Side::Top, Side::Right, Side::Left];
    // Nowhere it fits whole (a phone's short screen): below or above its anchor, where there is
    // more room, cut to that height (it scrolls inside, as Floating UI's `size` makes it), not
    // moved in over the anchor; over it only when that room is too low to read in.
    let side = match sides.iter().copied().find(|s| room(*s) >= need(*s)) {
        Some(side) => side,
        None => {
            let side = if room(Side::Top) > room(Side::Bottom) { Side::Top } else { Side::Bottom };
            let cut = room(side);
            if cut >= h.min(MIN_POPOVER_HEIGHT) {
                h = h.min(cut);
                max.height = cut;
                side
            } else {
                sides.iter().copied().max_by(|p, q| room(*p).total_cmp(&room(*q))).unwrap_or(Side::Bottom)
            }
        }
    };

    let center = a.center();
    let (x, y) = match side {
        Side::Bottom => (center.x - w / 2.0, a.bottom() + gap),
        Side::Top => (center.x - w / 2.0, a.y - gap - h),
        Side::Right => (a.right() + gap, center.y - h / 2.0),
        Side::Left => (a.x - gap - w, center.y - h / 2.0),
    };
    Placement { side, max, ..keep_in(Rect::new(x, y, w, h), vp, margin) }
}

/// Where a popover now at `at` goes in `viewport`: where it is, moved in only as far as keeps
/// it `margin` inside (one beside nothing on the page, after the viewport shrank).
pub fn keep_in(at: Rect, viewport: Rect, margin: f64) -> Placement {
    let max = Size::new((viewport.width - 2.0 * margin).max(0.0), (viewport.height - 2.0 * margin).max(0.0));
    // (Larger than the room: at its start.)
    let clamp = |v: f64, lo: f64, size: f64, room: f64| v.min(lo + room - size.min(room)).max(lo);
    Placement {
        x: clamp(at.x, viewport.x + margin, at.width, max.width),
        y: clamp(at.y, viewport.y + margin, at.height, max.height),
        side: Side::Bottom,
        max,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(code: u16, label: &str, url: &str) -> Photo {
        Photo { code: Some(PhotoCode(code)), label: label.into(), url: url.into(), damages: 0..0 }
    }

    fn photos() -> Vec<Photo> {
        vec![
            photo(4, "Left", "https://cdn.example/S_04_TVL.jpg"),
            photo(5, "Front", "https://cdn.example/S_05_IC5.jpg"),
            photo(10, "Front_Left", ""),
        ]
    }

    #[test]
    fn photo_attribute_wins_then_data_attribute_then_map_then_url() {
        let map = vec![("frame-05.jpg".to_owned(), "Front".to_owned())];
        let mut q = PhotoQuery {
            photo: Some("4"),
            data_photo: Some("Front"),
            photo_map: &map,
            current_src: "https://cdn.example/S_05_IC5.jpg",
            resolved_urls: &[],
        };
        assert_eq!(select_photo(&photos(), &q), Some(0));
        q.photo = Some("  ");
        assert_eq!(select_photo(&photos(), &q), Some(1));
        q.data_photo = None;
        q.current_src = "https://dealer.example/spin/frame-05.jpg?v=2";
        assert_eq!(select_photo(&photos(), &q), Some(1));
        q.current_src = "https://cdn.example/S_04_TVL.jpg";
        assert_eq!(select_photo(&photos(), &q), Some(0));
        q.current_src = "https://dealer.example/spin/frame-06.jpg";
        assert_eq!(select_photo(&photos(), &q), None);
        q.current_src = "";
        assert_eq!(select_photo(&photos(), &q), None);
    }

    #[test]
    fn relative_photo_urls_match_once_resolved() {
        let mut ps = photos();
        ps[1].url = "/photos/front.svg".into();
        let resolved = vec![String::new(), "https://dealer.example/photos/front.svg".into()];
        let q = PhotoQuery {
            current_src: "https://dealer.example/photos/front.svg",
            resolved_urls: &resolved,
            ..Default::default()
        };
        assert_eq!(select_photo(&ps, &q), Some(1));
        let q = PhotoQuery { current_src: "https://dealer.example/photos/front.svg", ..Default::default() };
        assert_eq!(select_photo(&ps, &q), None);
    }

    #[test]
    fn a_named_photo_the_results_lack_is_no_match() {
        // `photo` names a photo these results lack: the next source that matches decides.
        let q =
            PhotoQuery { photo: Some("Rear"), current_src: "https://cdn.example/S_04_TVL.jpg", ..Default::default() };
        assert_eq!(select_photo(&photos(), &q), Some(0));
        let q = PhotoQuery { photo: Some("99"), data_photo: Some("5"), ..Default::default() };
        assert_eq!(select_photo(&photos(), &q), Some(1));
        // A map entry for this frame naming a missing photo: the URL may still match.
        let map = vec![("S_04_TVL.jpg".to_owned(), "12".to_owned())];
        let q = PhotoQuery { photo_map: &map, current_src: "https://cdn.example/S_04_TVL.jpg", ..Default::default() };
        assert_eq!(select_photo(&photos(), &q), Some(0));
        // Nothing matches: no photo (a frame between the inspected angles).
        let q = PhotoQuery { photo: Some("Rear"), data_photo: Some("Back"), ..Default::default() };
        assert_eq!(select_photo(&photos(), &q), None);
        let q = PhotoQuery { photo: Some("front left"), ..Default::default() };
        assert_eq!(select_photo(&photos(), &q), Some(2));
        let q =
            PhotoQuery { photo: Some("auto"), current_src: "https://cdn.example/S_04_TVL.jpg", ..Default::default() };
        assert_eq!(select_photo(&photos(), &q), Some(0));
    }

    #[test]
    fn none_ends_the_search() {
        // `photo="none"` hides the markers even on a picture that names its photo every other way
        // (a viewer zoomed in: README).
        let src = "https://cdn.example/S_04_TVL.jpg";
        let map = vec![("S_04_TVL.jpg".to_owned(), "Front".to_owned())];
        let all = |photo, data_photo| PhotoQuery {
            photo,
            data_photo,
            photo_map: &map,
            current_src: src,
            ..Default::default()
        };
        assert_eq!(select_photo(&photos(), &all(None, None)), Some(1));
        assert_eq!(select_photo(&photos(), &all(Some("none"), Some("5"))), None);
        assert_eq!(select_photo(&photos(), &all(Some(" NONE "), None)), None);
        assert_eq!(select_photo(&photos(), &all(None, Some("none"))), None);
        // A source before it still wins.
        assert_eq!(select_photo(&photos(), &all(Some("front left"), Some("none"))), Some(2));
        // A frame mapped to none: not the photo whose url it is.
        let none = vec![("S_04_TVL.jpg".to_owned(), "none".to_owned())];
        let q = PhotoQuery { photo_map: &none, current_src: src, ..Default::default() };
        assert_eq!(select_photo(&photos(), &q), None);
    }

    #[test]
    fn map_keys_match_urls_by_tail() {
        let src = "https://dealer.example/cars/spin/frame-05.jpg?w=800#x";
        assert!(url_matches("frame-05.jpg", src));
        assert!(url_matches("spin/frame-05.jpg", src));
        assert!(url_matches("/cars/spin/frame-05.jpg", src));
        assert!(url_matches("https://dealer.example/cars/spin/frame-05.jpg", src));
        assert!(!url_matches("ame-05.jpg", src));
        assert!(!url_matches("frame-5.jpg", src));
        assert!(!url_matches("", src));
        // Leading "./" and "/" in any mix are dropped before the tail match.
        assert!(url_matches("./spin/frame-05.jpg", src));
        assert!(url_matches("././/spin/frame-05.jpg", src));
        assert!(!url_matches("./", src));
        assert!(!url_matches("/", src));
        // A key with a query matches that query only (spin CDNs number frames in the query).
        assert!(url_matches("frame-05.jpg?w=800", src));
        assert!(!url_matches("frame-05.jpg?w=400", src));
        let frame = "https://cdn.example/spin.jpg?frame=2";
        assert!(url_matches("spin.jpg?frame=2", frame));
        assert!(!url_matches("spin.jpg?frame=1", frame));
        assert!(!url_matches("spin.jpg?frame=2", "https://cdn.example/spin.jpg"));
        let map = vec![
            ("spin.jpg?frame=1".to_owned(), "Left".to_owned()),
            ("spin.jpg?frame=2".to_owned(), "Front".to_owned()),
        ];
        let q = PhotoQuery { photo_map: &map, current_src: frame, ..Default::default() };
        assert_eq!(select_photo(&photos(), &q), Some(1));
    }

    #[test]
    fn reading_order_is_rows_then_columns() {
        let pts = [
            Point::new(50.0, 10.0),
            Point::new(10.0, 11.0),
            Point::new(30.0, 40.0),
            Point::new(5.0, 39.0),
            Point::new(90.0, 9.5),
        ];
        assert_eq!(reading_order(&pts, 3.0), [1, 0, 4, 3, 2]);
        assert_eq!(reading_order(&pts, 0.0), [4, 0, 1, 3, 2]);
        assert!(reading_order(&[], 3.0).is_empty());
    }

    #[test]
    fn near_markers_cluster_transitively() {
        let pts = [
            Point::new(0.0, 0.0),
            Point::new(20.0, 0.0),
            Point::new(40.0, 0.0),
            Point::new(100.0, 100.0),
            Point::new(100.0, 123.9),
            Point::new(300.0, 300.0),
        ];
        assert_eq!(clusters(&pts, 24.0), vec![vec![0, 1, 2], vec![3, 4], vec![5]]);
        assert_eq!(clusters(&pts, 0.0).len(), 6);
        let c = centroid(pts.iter().take(3).copied());
        assert_eq!((c.x, c.y), (20.0, 0.0));
    }

    #[test]
    fn popover_flips_and_shifts_inside_the_viewport() {
        let vp = Rect::new(0.0, 0.0, 800.0, 600.0);
        let size = Size::new(300.0, 200.0);
        // Room below: below, centred.
        let p = place_popover(Rect::new(390.0, 100.0, 20.0, 20.0), size, vp, 8.0, 8.0);
        assert_eq!((p.side, p.x, p.y), (Side::Bottom, 250.0, 128.0));
        // Near the bottom: flips above.
        let p = place_popover(Rect::new(390.0, 500.0, 20.0, 20.0), size, vp, 8.0, 8.0);
        assert_eq!((p.side, p.y), (Side::Top, 292.0));
        // Near the left edge: shifted right to the margin.
        let p = place_popover(Rect::new(0.0, 100.0, 20.0, 20.0), size, vp, 8.0, 8.0);
        assert_eq!(p.x, 8.0);
        // Larger than the viewport, the anchor in a corner: below it, cut to the room there.
        let p = place_popover(Rect::new(10.0, 10.0, 5.0, 5.0), Size::new(2000.0, 2000.0), vp, 8.0, 8.0);
        assert_eq!((p.side, p.x, p.y, p.max), (Side::Bottom, 8.0, 23.0, Size::new(784.0, 569.0)));
        // A phone's short screen, the anchor in the middle: not over it, but below it (the more
        // room), cut to that height; above when there is more room there.
        let phone = Rect::new(0.0, 0.0, 375.0, 548.0);
        let tall = Size::new(300.0, 354.0);
        let p = place_popover(Rect::new(256.0, 260.0, 28.0, 28.0), tall, phone, 10.0, 8.0);
        assert_eq!((p.side, p.y, p.max.height), (Side::Bottom, 298.0, 242.0));
        let p = place_popover(Rect::new(256.0, 300.0, 28.0, 28.0), tall, phone, 10.0, 8.0);
        assert_eq!((p.side, p.y, p.max.height), (Side::Top, 8.0, 282.0));
        // Too little room either way to read in: over it, moved inside, as before.
        let p = place_popover(Rect::new(100.0, 80.0, 28.0, 28.0), tall, Rect::new(0.0, 0.0, 375.0, 200.0), 10.0, 8.0);
        assert_eq!((p.y, p.max.height), (8.0, 184.0));
    }

    #[test]
    fn a_popover_beside_nothing_keeps_its_place_inside() {
        let vp = Rect::new(0.0, 0.0, 800.0, 600.0);
        let at = |x, y| Rect::new(x, y, 300.0, 200.0);
        // Inside: where it is.
        let p = keep_in(at(400.0, 300.0), vp, 8.0);
        assert_eq!((p.x, p.y, p.max), (400.0, 300.0, Size::new(784.0, 584.0)));
        // Past the right and bottom edges (the window shrank): in by as much, no more.
        let p = keep_in(at(700.0, 500.0), vp, 8.0);
        assert_eq!((p.x, p.y), (492.0, 392.0));
        // Past the top-left.
        let p = keep_in(at(-50.0, -9.0), vp, 8.0);
        assert_eq!((p.x, p.y), (8.0, 8.0));
        // Larger than the viewport: at its top-left margin, told its maximum.
        let p = keep_in(Rect::new(300.0, 300.0, 2000.0, 2000.0), vp, 8.0);
        assert_eq!((p.x, p.y), (8.0, 8.0));
        // Nonsense in: numbers out.
        let p = keep_in(Rect::new(f64::NAN, f64::INFINITY, f64::NAN, 1.0), vp, 8.0);
        assert!(p.x.is_finite() && p.y.is_finite());
    }

    #[test]
    fn a_fan_at_the_edge_moves_inside() {
        let bounds = Rect::new(0.0, 0.0, 1000.0, 800.0);
        let offsets = spread(4, 34.0);
        // Fits: no move.
        assert_eq!(fit_fan(Point::new(500.0, 400.0), offsets.iter().copied(), 14.0, bounds), Point::new(0.0, 0.0));
        // 30 px from the left edge: moved right until the leftmost marker's edge is at 0.
        let lo = offsets.iter().map(|p| p.x).fold(f64::INFINITY, f64::min);
        let shift = fit_fan(Point::new(30.0, 400.0), offsets.iter().copied(), 14.0, bounds);
        assert!((30.0 + lo - 14.0 + shift.x).abs() < 1e-9 && shift.y == 0.0, "{shift:?}");
        // In the bottom-right corner: moved up and left.
        let shift = fit_fan(Point::new(995.0, 795.0), offsets.iter().copied(), 14.0, bounds);
        assert!(shift.x < 0.0 && shift.y < 0.0);
        // Larger than the bounds: its top-left edge at the bounds' top-left.
        let big = spread(200, 34.0);
        let shift = fit_fan(Point::new(50.0, 50.0), big.iter().copied(), 14.0, Rect::new(0.0, 0.0, 100.0, 100.0));
        let top = big.iter().map(|p| p.y).fold(f64::INFINITY, f64::min);
        assert!((50.0 + top - 14.0 + shift.y).abs() < 1e-9);
        // Nothing to move, or nonsense in: no move.
        assert_eq!(fit_fan(Point::new(1.0, 1.0), [], 14.0, bounds), Point::new(0.0, 0.0));
        assert_eq!(fit_fan(Point::new(f64::NAN, 1.0), offsets.iter().copied(), f64::NAN, bounds).x, 0.0);
    }

    #[test]
    fn a_popover_leaves_with_its_anchor() {
        let vp = Rect::new(0.0, 0.0, 800.0, 600.0);
        let size = Size::new(300.0, 200.0);
        // Touching the viewport: the viewport as it is.
        assert_eq!(reach(Rect::new(390.0, -19.0, 20.0, 20.0), vp), vp);
        assert_eq!(reach(Rect::new(-19.0, 599.0, 20.0, 20.0), vp), vp);
        // Scrolled 500 px above the top: the viewport follows it up, and the popover keeps its
        // place just below the anchor, off screen with it.
        let anchor = Rect::new(390.0, -520.0, 20.0, 20.0);
        assert_eq!(reach(anchor, vp), Rect::new(0.0, -500.0, 800.0, 600.0));
        let p = place_popover(anchor, size, reach(anchor, vp), 8.0, 8.0);
        assert_eq!((p.side, p.x, p.y), (Side::Bottom, 250.0, -492.0));
        // Below and to the right.
        assert_eq!(reach(Rect::new(900.0, 700.0, 20.0, 20.0), vp), Rect::new(100.0, 100.0, 800.0, 600.0));
        // The left edge: it moves along the axis it left by only.
        assert_eq!(reach(Rect::new(-50.0, 300.0, 20.0, 20.0), vp), Rect::new(-30.0, 0.0, 800.0, 600.0));
    }

    #[test]
    fn spread_points_do_not_overlap() {
        for n in [0, 1, 2, 3, 4, 7, 12, 13, 40, 200] {
            let pts = spread(n, 28.0);
            assert_eq!(pts.len(), n);
            for (i, p) in pts.iter().enumerate() {
                for q in pts.iter().skip(i + 1) {
                    let d = ((p.x - q.x).powi(2) + (p.y - q.y).powi(2)).sqrt();
                    assert!(d >= 27.0, "n={n}: {d}");
                }
            }
        }
    }

    /// Property tests against plain implementations (host only: proptest).
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;

        /// Single linkage the slow way: every pair, then groups by smallest member.
        fn clusters_by_brute_force(points: &[Point], distance: f64) -> Vec<Vec<usize>> {
            let n = points.len();
            let mut label: Vec<usize> = (0..n).collect();
            if distance.is_finite() && distance > 0.0 {
                loop {
                    let mut changed = false;
                    for a in 0..n {
                        for b in 0..n {
                            let (p, q) = (points[a], points[b]);
                            let close = (p.x - q.x).powi(2) + (p.y - q.y).powi(2) < distance * distance;
                            if close && label[b] > label[a] {
                                label[b] = label[a];
                                changed = true;
                            }
                        }
                    }
                    if !changed {
                        break;
                    }
                }
            }
            let mut groups: Vec<Vec<usize>> = Vec::new();
            for i in 0..n {
                match groups.iter_mut().find(|g| label[g[0]] == label[i]) {
                    Some(g) => g.push(i),
                    None => groups.push(vec![i]),
                }
            }
            groups
        }

        /// Reading order the plain way: a stable sort by y, rows, then each row by x and, at one x,
        /// in data order.
        fn reading_order_plainly(points: &[Point], tolerance: f64) -> Vec<usize> {
            let mut order: Vec<usize> = (0..points.len()).collect();
            order.sort_by(|a, b| points[*a].y.total_cmp(&points[*b].y));
            let mut rows: Vec<Vec<usize>> = Vec::new();
            let mut top = f64::NEG_INFINITY;
            for i in order {
                if rows.is_empty() || points[i].y - top >= tolerance {
                    top = points[i].y;
                    rows.push(Vec::new());
                }
                rows.last_mut().unwrap().push(i);
            }
            rows.into_iter()
                .flat_map(|mut r| {
                    r.sort_by(|a, b| points[*a].x.total_cmp(&points[*b].x).then(a.cmp(b)));
                    r
                })
                .collect()
        }

        fn coordinate() -> impl proptest::strategy::Strategy<Value = f64> {
            use proptest::prelude::*;
            // Whole and half numbers make exact ties and cell edges common; -0.0 and negatives too.
            prop_oneof![(-40i32..140).prop_map(|v| f64::from(v) / 2.0), -20.0f64..120.0, Just(-0.0), Just(0.0)]
        }

        proptest::proptest! {
            #[test]
            fn a_popover_is_inside_and_beside_its_anchor_when_there_is_room_to_read(
                a in (0.0f64..1200.0, 0.0f64..900.0, 0.0f64..60.0, 0.0f64..60.0),
                s in (100.0f64..500.0, 60.0f64..700.0),
                v in (200.0f64..1300.0, 150.0f64..1000.0),
            ) {
                let vp = Rect::new(0.0, 0.0, v.0, v.1);
                let anchor = Rect::new(a.0.min(v.0 - a.2).max(0.0), a.1.min(v.1 - a.3).max(0.0), a.2, a.3);
                let p = place_popover(anchor, Size::new(s.0, s.1), vp, 10.0, 8.0);
                let (w, h) = (s.0.min(p.max.width), s.1.min(p.max.height));
                let eps = 1e-6;
                proptest::prop_assert!(p.x >= 8.0 - eps && p.x + w <= v.0 - 8.0 + eps, "{:?}", p);
                proptest::prop_assert!(p.y >= 8.0 - eps && p.y + h <= v.1 - 8.0 + eps, "{:?}", p);
                let below = v.1 - 8.0 - (anchor.bottom() + 10.0);
                let above = anchor.y - 10.0 - 8.0;
                if below.max(above) >= s.1.min(MIN_POPOVER_HEIGHT) {
                    let apart = p.x >= anchor.right() - eps || p.x + w <= anchor.x + eps
                        || p.y >= anchor.bottom() - eps || p.y + h <= anchor.y + eps;
                    proptest::prop_assert!(apart, "{:?} over {:?}", p, anchor);
                }
            }

            #[test]
            fn a_popover_kept_in_is_inside_and_moved_only_if_it_was_not(
                a in (-3000.0f64..3000.0, -3000.0f64..3000.0, 0.0f64..1500.0, 0.0f64..1500.0),
                v in (-100.0f64..100.0, -100.0f64..100.0, 0.0f64..2000.0, 0.0f64..2000.0),
            ) {
                let (at, vp) = (Rect::new(a.0, a.1, a.2, a.3), Rect::new(v.0, v.1, v.2, v.3));
                let p = keep_in(at, vp, 8.0);
                let (w, h) = (at.width.min(p.max.width), at.height.min(p.max.height));
                let eps = 1e-6;
                proptest::prop_assert!(p.x >= vp.x + 8.0 - eps && p.y >= vp.y + 8.0 - eps, "{:?}", p);
                if vp.width >= 16.0 && vp.height >= 16.0 {
                    proptest::prop_assert!(p.x + w <= vp.right() - 8.0 + eps && p.y + h <= vp.bottom() - 8.0 + eps, "{:?}", p);
                }
                if at.x >= vp.x + 8.0 && at.right() <= vp.right() - 8.0 {
                    proptest::prop_assert_eq!(p.x, at.x);
                }
                if at.y >= vp.y + 8.0 && at.bottom() <= vp.bottom() - 8.0 {
                    proptest::prop_assert_eq!(p.y, at.y);
                }
            }

            #[test]
            fn reach_touches_the_anchor_and_keeps_a_touching_viewport(
                a in (-5000.0f64..5000.0, -5000.0f64..5000.0, 0.0f64..100.0, 0.0f64..100.0),
                v in (-100.0f64..100.0, -100.0f64..100.0, 0.0f64..2000.0, 0.0f64..2000.0),
            ) {
                let anchor = Rect::new(a.0, a.1, a.2, a.3);
                let vp = Rect::new(v.0, v.1, v.2, v.3);
                let r = reach(anchor, vp);
                proptest::prop_assert_eq!((r.width, r.height), (vp.width, vp.height));
                // The moved viewport touches the anchor on both axes (to rounding).
                let eps = 1e-6;
                proptest::prop_assert!(anchor.x <= r.right() + eps && r.x <= anchor.right() + eps, "{:?} {:?}", anchor, r);
                proptest::prop_assert!(anchor.y <= r.bottom() + eps && r.y <= anchor.bottom() + eps, "{:?} {:?}", anchor, r);
                let touches = anchor.x <= vp.right() && vp.x <= anchor.right()
                    && anchor.y <= vp.bottom() && vp.y <= anchor.bottom();
                if touches {
                    proptest::prop_assert_eq!(r, vp);
                }
                // Moved along an axis only when the anchor is off that axis.
                if anchor.x <= vp.right() && vp.x <= anchor.right() {
                    proptest::prop_assert_eq!(r.x, vp.x);
                }
            }

            #[test]
            fn a_fan_that_can_fit_is_moved_inside(
                n in 2usize..40,
                c in (-200.0f64..1200.0, -200.0f64..1000.0),
                half in 12.0f64..30.0,
            ) {
                let offsets = spread(n, 2.0 * half + 6.0);
                let bounds = Rect::new(0.0, 0.0, 1000.0, 800.0);
                let s = fit_fan(Point::new(c.0, c.1), offsets.iter().copied(), half, bounds);
                for o in &offsets {
                    let (x, y) = (c.0 + o.x + s.x, c.1 + o.y + s.y);
                    proptest::prop_assert!(x - half >= -1e-6 && x + half <= 1000.0 + 1e-6, "x {} ({:?})", x, s);
                    proptest::prop_assert!(y - half >= -1e-6 && y + half <= 800.0 + 1e-6, "y {} ({:?})", y, s);
                }
            }

            #[test]
            fn clusters_match_brute_force(
                pts in proptest::collection::vec((coordinate(), coordinate()), 0..60),
                distance in proptest::prop_oneof![0.5f64..30.0, proptest::strategy::Just(2.0), proptest::strategy::Just(0.0)],
            ) {
                let points: Vec<Point> = pts.iter().map(|&(x, y)| Point::new(x, y)).collect();
                proptest::prop_assert_eq!(clusters(&points, distance), clusters_by_brute_force(&points, distance));
            }

            #[test]
            fn reading_order_matches_the_plain_sorts(
                pts in proptest::collection::vec((coordinate(), coordinate()), 0..60),
                tolerance in 0.0f64..10.0,
            ) {
                let points: Vec<Point> = pts.iter().map(|&(x, y)| Point::new(x, y)).collect();
                proptest::prop_assert_eq!(reading_order(&points, tolerance), reading_order_plainly(&points, tolerance));
            }
        }
    }
}
