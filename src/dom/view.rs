//! The widget's nodes inside its shadow root: built once (status, list frame, popover, viewer)
//! or once per data load (markers, list rows). Text from PAVE is only ever set with
//! `textContent` or as an attribute value, never parsed as HTML.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::core::float::finite;

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, DocumentFragment, HtmlElement, HtmlImageElement, ShadowRoot};

use super::js::set_attr;
use crate::core::detail::push_field;
use crate::core::geometry::Point;
use crate::core::i18n::{Labels, Lang};
use crate::core::layout::reading_order;
use crate::core::model::{Damage, Results};
use crate::core::words::DamageGroup;

/// Nodes that live as long as the widget.
pub struct Skeleton {
    /// An invisible box at the containing block's origin, 10 px wide and as tall as
    /// `--pave-marker-size`, with three empty points at (0, 0), (100, 0) and (0, 100) px:
    /// measuring them tells where our absolutely positioned layer's coordinates start, how
    /// they are scaled, turned or skewed, and how big a marker is.
    pub origin: HtmlElement,
    /// An invisible box of no height whose width the page's passes flip to have a pass in this
    /// frame: the page's ResizeObserver reports it after the frame's layout (js/moves.js).
    pub soon: HtmlElement,
    /// The overlay: placed over the picture's content rectangle each frame.
    pub layer: HtmlElement,
    /// The state line (part `status`).
    pub status: HtmlElement,
    /// Its live text.
    pub status_text: HtmlElement,
    /// Its Retry button.
    pub retry: HtmlElement,
    /// The damage list (part `list`).
    pub list: HtmlElement,
    /// The list's disclosure button.
    pub list_toggle: HtmlElement,
    /// The list's collapsible body.
    pub list_body: HtmlElement,
    /// The popover (part `popover`).
    pub popover: Popover,
    /// The photo viewer, when the element shows the photos itself.
    pub viewer: Option<Viewer>,
}

/// The popover's nodes.
pub struct Popover {
    /// The dialog.
    pub root: HtmlElement,
    /// The close-up's frame and picture.
    pub closeup: HtmlElement,
    /// The close-up picture.
    pub closeup_img: HtmlImageElement,
    /// Damage name.
    pub title: HtmlElement,
    /// Component in words.
    pub component: HtmlElement,
    /// Tolerance value.
    pub tolerance: HtmlElement,
    /// Repair method value.
    pub repair: HtmlElement,
    /// Group and severity value.
    pub group: HtmlElement,
    /// Photo label value.
    pub photo: HtmlElement,
    /// "3 of 27".
    pub counter: HtmlElement,
    /// Buttons whose labels follow the language.
    pub close: HtmlElement,
    /// Previous.
    pub prev: HtmlElement,
    /// Next.
    pub next: HtmlElement,
    /// The `<dt>` labels: tolerance, repair, group, photo.
    pub terms: [HtmlElement; 4],
}

/// The built-in photo viewer (no `for`).
pub struct Viewer {
    /// The figure.
    pub figure: HtmlElement,
    /// The stage the overlay covers.
    pub stage: HtmlElement,
    /// The photo.
    pub img: HtmlImageElement,
    /// "Front · 10 damages".
    pub label: HtmlElement,
    /// Previous photo.
    pub prev: HtmlElement,
    /// Next photo.
    pub next: HtmlElement,
}

/// Builds the skeleton into `root` (see js/markers.js, which holds its table). With `viewer`, the
/// overlay lives inside the viewer's stage (so it shares the picture's containing block);
/// otherwise beside the list.
pub fn skeleton(root: &ShadowRoot, viewer: bool, labels: &Labels) -> Result<Skeleton, JsValue> {
    let made = build_skeleton(root, viewer)?;
    // Taken out in table order.
    let mut k = 0;
    let mut next = || take(&made, &mut k);
    let (figure, stage, img) = (next(), next(), next());
    let (origin, layer) = (next(), next());
    let (_caption, photo_prev, photo_label, photo_next) = (next(), next(), next(), next());
    let (status, status_text, retry) = (next(), next(), next());
    let (list, list_toggle, list_body) = (next(), next(), next());
    let (root_el, close, closeup, closeup_img, title, component, _dl) =
        (next(), next(), next(), next(), next(), next(), next());
    let (t0, tolerance, t1, repair, t2, group, t3, photo) =
        (next(), next(), next(), next(), next(), next(), next(), next());
    let (_nav, prev, counter, next_button) = (next(), next(), next(), next());
    let (_p0, _p1, _p2, soon) = (next(), next(), next(), next());
    retry.set_text_content(Some(labels.retry()));
    let popover = Popover {
        root: root_el,
        closeup,
        closeup_img: closeup_img.unchecked_into(),
        title,
        component,
        tolerance,
        repair,
        group,
        photo,
        counter,
        close,
        prev,
        next: next_button,
        terms: [t0, t1, t2, t3],
    };
    label_popover(&popover, labels);
    let viewer = viewer.then(|| Viewer {
        figure,
        stage,
        img: img.unchecked_into(),
        label: photo_label,
        prev: photo_prev,
        next: photo_next,
    });
    Ok(Skeleton { origin, soon, layer, status, status_text, retry, list, list_toggle, list_body, popover, viewer })
}

/// The node at `k` in [`skeleton`]'s list, and on to the next. Out of line, whatever the
/// inliner's mood: it is taken 39 times, and inlined in each it made `skeleton` 1.2 KB larger.
#[inline(never)]
fn take(nodes: &js_sys::Array, k: &mut u32) -> HtmlElement {
    let node = nodes.get(*k).unchecked_into();
    *k += 1;
    node
}

/// Sets the popover's own labels in a language.
pub fn label_popover(p: &Popover, labels: &Labels) {
    set_attr(&p.close, "aria-label", labels.close());
    set_attr(&p.prev, "aria-label", labels.previous());
    set_attr(&p.next, "aria-label", labels.next());
    set_attr(&p.closeup_img, "alt", labels.close_up());
    for (dt, text) in
        p.terms.iter().zip([labels.tolerance(), labels.repair_method(), labels.group_term(), labels.photo()])
    {
        dt.set_text_content(Some(text));
    }
}

/// What a photo is called for people: PAVE's code table words, else its label.
pub fn photo_words(results: &Results, photo: usize, lang: Lang) -> String {
    let Some(p) = results.photos.get(photo) else {
        return String::new();
    };
    if let Some(words) = p.code.and_then(|c| c.words_in(lang)) {
        return words.to_owned();
    }
    let mut label = String::with_capacity(p.label.len());
    for c in p.label.chars() {
        label.push(if c == '_' { ' ' } else { c });
    }
    label
}

/// A damage's title: PAVE's description (else its damage name in words), else the name of its
/// group ("Body"), never empty: it names the popover and the marker. With whether it is PAVE's
/// (English) words rather than the widget's.
pub fn title(d: &Damage, labels: &Labels) -> (String, bool) {
    let t = d.title();
    if t.trim().is_empty() {
        (labels.group(d.group).to_owned(), false)
    } else {
        (t, true)
    }
}

/// A marker's accessible name: "Scraped — rear left door, 2 of 27".
pub fn marker_name(d: &Damage, total: usize, labels: &Labels) -> String {
    let (mut name, _) = title(d, labels);
    let (component, _) = d.component_words_in(labels.lang);
    if !component.is_empty() {
        name.push_str(" — ");
        // (German nouns keep their capital.)
        if labels.lang == Lang::De {
            name.push_str(&component);
        } else {
            name.push_str(&crate::core::words::decapitalize(&component));
        }
    }
    name.push_str(", ");
    name.push_str(&labels.fill(labels.n_of_total(), d.index + 1, total));
    name
}

#[wasm_bindgen(module = "/js/markers.js")]
extern "C" {
    /// Builds the widget's lasting nodes into `root` (see js/markers.js); returns them in order.
    #[wasm_bindgen(js_name = buildSkeleton, catch)]
    fn build_skeleton(root: &ShadowRoot, viewer: bool) -> Result<js_sys::Array, JsValue>;

    /// Builds a photo's container of markers into `fragment` from `text`, `lens` and `nums`
    /// (see js/markers.js); returns the container, then the markers' buttons.
    #[wasm_bindgen(js_name = buildMarkers, catch)]
    fn build_markers(
        fragment: &DocumentFragment,
        text: &str,
        lens: &[u32],
        nums: &[f64],
    ) -> Result<js_sys::Array, JsValue>;

    /// Builds the damage list's filters and rows into `body` from `text`, `lens` and `nums`
    /// (see js/markers.js); returns its filter buttons and its rows.
    #[wasm_bindgen(js_name = buildList, catch)]
    fn build_list(
        body: &HtmlElement,
        level: &str,
        text: &str,
        lens: &[u32],
        nums: &[u32],
    ) -> Result<js_sys::Array, JsValue>;

    /// Puts the tab stop of a photo's buttons on `to` if it is one of them, else, if the stop no
    /// longer shows, on the first that does (see js/markers.js). Returns where the focus goes
    /// when `focused` is one of them that hid: the stop, or the layer.
    pub fn rove(
        container: &HtmlElement,
        to: Option<&HtmlElement>,
        focused: Option<&HtmlElement>,
    ) -> Option<HtmlElement>;
}

/// `v` rounded to 4 decimals: JavaScript then writes it in at most 4 decimals too.
fn round4(v: f64) -> f64 {
    if finite(v) {
        (v * 1e4).round() / 1e4
    } else {
        0.0
    }
}

/// What [`markers`] builds.
pub struct Markers {
    /// The containers, ready to append to the overlay layer.
    pub fragment: DocumentFragment,
    /// One container per photo, by photo index.
    pub containers: Vec<HtmlElement>,
    /// The markers, by damage index.
    pub markers: Vec<HtmlElement>,
    /// Each damage's place in its photo's reading order.
    pub rank: Vec<usize>,
}

/// The markers of every photo: one container per photo (shown one at a time), markers in
/// reading order inside it. Returns the containers, the markers by damage index, and each
/// damage's place in its photo's reading order.
pub fn markers(doc: &Document, results: &Results, labels: &Labels) -> Result<Markers, JsValue> {
    let fragment = doc.create_document_fragment();
    let total = results.damages.len();
    let mut rank = vec![0; total];
    let mut containers = Vec::with_capacity(results.photos.len());
    let mut by_index: Vec<Option<HtmlElement>> = vec![None; total];
    for (p, _) in results.photos.iter().enumerate() {
        let damages = results.damages_of(p);
        let mut points = Vec::with_capacity(damages.len());
        for d in damages {
            points.push(Point::new(d.x, d.y));
        }
        // Rows: damages within 3 % of the photo's height read left to right.
        let order = reading_order(&points, 3.0);
        let mut text = String::new();
        let mut lens = Vec::with_capacity(order.len() * 3);
        let mut nums = Vec::with_capacity(order.len() * 3);
        let mut indexes = Vec::with_capacity(order.len());
        for (place, i) in order.iter().enumerate() {
            let Some(d) = damages.get(*i) else { continue };
            if let Some(r) = rank.get_mut(d.index) {
                *r = place;
            }
            push_field(&mut text, &mut lens, d.group.key());
            push_field(&mut text, &mut lens, d.severity.key());
            push_field(&mut text, &mut lens, &marker_name(d, total, labels));
            nums.extend_from_slice(&[d.index as f64, round4(d.x), round4(d.y)]);
            indexes.push(d.index);
        }
        // The photo's container, then its markers.
        let built = build_markers(&fragment, &text, &lens, &nums)?;
        for (k, &index) in indexes.iter().enumerate() {
            let m = u32::try_from(k + 1).ok().and_then(|k| built.get(k).dyn_into::<HtmlElement>().ok());
            if let (Some(slot), Some(m)) = (by_index.get_mut(index), m) {
                *slot = Some(m);
            }
        }
        containers.push(built.get(0).unchecked_into());
    }
    let mut markers = Vec::with_capacity(by_index.len());
    for m in by_index {
        markers.push(m.ok_or_else(|| JsValue::from_str("marker"))?);
    }
    Ok(Markers { fragment, containers, markers, rank })
}

/// "27 damages · Body 22 · Part 3 · Wheel 2".
pub fn summary(results: &Results, labels: &Labels) -> String {
    let mut s = labels.damage_count(results.damages.len());
    for (g, n) in DamageGroup::ALL.iter().zip(results.group_counts()) {
        if n > 0 {
            // (No line starts with the dot, nor parts a group from its count.)
            s.push_str("\u{a0}· ");
            s.push_str(labels.group(*g));
            s.push('\u{a0}');
            labels.push_num(&mut s, n as u64);
        }
    }
    s
}

/// The list's body, built into `body` (empty): group filters, then rows grouped by photo.
/// Returns the filter buttons and the rows by damage index.
pub fn list_rows(
    body: &HtmlElement,
    results: &Results,
    labels: &Labels,
    heading_level: &str,
) -> Result<(Vec<HtmlElement>, Vec<HtmlElement>), JsValue> {
    // What js/markers.js's buildList builds from: see there.
    let mut text = String::new();
    let mut lens = Vec::new();
    let mut nums = Vec::new();
    push_field(&mut text, &mut lens, labels.filter());
    push_field(&mut text, &mut lens, labels.all());
    let at = nums.len();
    nums.push(0);
    for (g, n) in DamageGroup::ALL.iter().zip(results.group_counts()) {
        if n > 0 {
            let mut label = labels.group(*g).to_owned();
            label.push_str("\u{a0}(");
            labels.push_num(&mut label, n as u64);
            label.push(')');
            push_field(&mut text, &mut lens, g.key());
            push_field(&mut text, &mut lens, &label);
            if let Some(count) = nums.get_mut(at) {
                *count += 1;
            }
        }
    }
    let at = nums.len();
    nums.push(0);
    for (p, _) in results.photos.iter().enumerate() {
        let damages = results.damages_of(p);
        if damages.is_empty() {
            continue;
        }
        if let Some(count) = nums.get_mut(at) {
            *count += 1;
        }
        push_field(&mut text, &mut lens, &photo_words(results, p, labels.lang));
        nums.push(u32::try_from(damages.len()).unwrap_or(0));
        for d in damages {
            let (what, pave) = title(d, labels);
            let (words, translated) = d.component_words_in(labels.lang);
            push_field(&mut text, &mut lens, d.group.key());
            push_field(&mut text, &mut lens, &what);
            push_field(&mut text, &mut lens, &words);
            nums.push(u32::try_from(d.index).unwrap_or(u32::MAX));
            nums.push(u32::from(pave) | u32::from(!translated) << 1);
        }
    }
    let built = build_list(body, heading_level, &text, &lens, &nums)?;
    let list = |k: u32| {
        let mut out = Vec::new();
        if let Ok(items) = built.get(k).dyn_into::<js_sys::Array>() {
            for item in items.iter() {
                out.push(item.unchecked_into());
            }
        }
        out
    };
    Ok((list(0), list(1)))
}
