//! The engine behind `<pave-hotspots>` and `HotspotOverlay.attach()`: owns the shadow DOM, the
//! data, and every listener, observer, timer and closure it creates.
//!
//! Each entry point (a JS call, an event, a timer, a fetch completing) borrows the state through
//! [`run`], which never panics on re-entry, and applies effects that can call back into JS
//! (dispatching events, moving focus) only after the borrow ends, so a listener may call any
//! method. Page changes are batched into one animation frame that reads the page once, decides
//! with the pure core, then writes only what changed.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::core::float::finite;

use alloc::rc::{Rc, Weak};
use core::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    AbortController, CssStyleDeclaration, Document, Element, Event, HtmlElement, HtmlImageElement, Node, ShadowRoot,
    Window,
};

use super::fetch::{self, FetchError};
use super::handles::{Listener, Moves, Mutations, Passes, Timeout};
use super::js::{self, damage_detail, english, load_detail, obj, photo_code, set_attr, set_css};
use super::measure;
use super::view::{self, Skeleton};
use crate::core::geometry::{
    content_rect, element_map, is_visible, overflow_clip, percent_to_px, snap_to_device_pixels, Perspective, Point,
    Rect, ScreenMap, Size,
};
use crate::core::i18n::Lang;
use crate::core::layout::{
    centroid, clusters, find_by_name, fit_fan, keep_in, place_popover, reach, select_photo, spread, PhotoQuery,
    Placement,
};
use crate::core::loose::Value;
use crate::core::model::{
    self, overflow_reason, Malformed, Outcome, Position, Reason, Results, SkipReason, MAX_BODY_BYTES,
};
use crate::core::num::{css, matrix, uint};
use crate::core::policy::{
    is_transient, photo_url_allowed, retry_after_ms, retry_delay_ms, Backoff, PollClock, UrlParts, MAX_RETRY_AFTER_MS,
};
use crate::core::words::DamageGroup;

type Shared = Rc<RefCell<Inner>>;
type WeakShared = Weak<RefCell<Inner>>;

#[wasm_bindgen::prelude::wasm_bindgen(module = "/js/request.js")]
extern "C" {
    /// A photo's URL resolved against `base`: `[href, protocol, hostname, origin]`, or `None`
    /// when it isn't one (see js/request.js).
    #[wasm_bindgen(js_name = resolveUrl)]
    fn resolve_url(url: &str, base: &str) -> Option<js_sys::Array>;
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/js/markers.js")]
extern "C" {
    /// The page's `[origin, hostname, base URL]`, what photos' URLs are resolved and checked
    /// against (see js/markers.js). One import, where web-sys's `Location` and `Node::base_uri`
    /// cost three, each with its own string result.
    #[wasm_bindgen(js_name = pageUrl)]
    fn page_url() -> js_sys::Array;
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/js/measure.js")]
extern "C" {
    /// The page's window: `self`, where `web_sys::window()` looks first (its three other lookups,
    /// for where there is no `self`, are of no use to a widget: they cost 0.3 KB). A function
    /// rather than a `thread_local_v2` static, whose lazy cell and its panics cost 0.1 KB.
    #[wasm_bindgen(js_name = pageWindow)]
    fn page_window() -> Option<JsValue>;
}

/// The visible state, as `pave-state` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Nothing asked for yet.
    Idle,
    /// A request is under way.
    Loading,
    /// PAVE is still inspecting; we ask again later.
    Inspecting,
    /// Damages are shown.
    Ready,
    /// No damage to show.
    Empty,
    /// Something failed; see the error.
    Error,
}

impl Phase {
    fn key(self) -> &'static str {
        match self {
            Phase::Idle => "idle",
            Phase::Loading => "loading",
            Phase::Inspecting => "inspecting",
            Phase::Ready => "ready",
            Phase::Empty => "empty",
            Phase::Error => "error",
        }
    }
}

/// `pave-error`'s kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request failed.
    Network,
    /// The request took longer than `timeout`.
    Timeout,
    /// The proxy answered with an error status.
    Http,
    /// No such session.
    NotFound,
    /// The data could not be read.
    Malformed,
    /// The inspection didn't finish within `poll-timeout`.
    NotInspectedTimeout,
}

impl ErrorKind {
    fn key(self) -> &'static str {
        match self {
            Self::Network => "network",
            Self::Timeout => "timeout",
            Self::Http => "http",
            Self::NotFound => "not-found",
            Self::Malformed => "malformed",
            Self::NotInspectedTimeout => "not-inspected-timeout",
        }
    }
}

/// How the damage list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListMode {
    Open,
    Closed,
    None,
}

/// Where data comes from, for polling and `reload()`.
#[derive(Clone)]
enum Source {
    None,
    Url(String),
    Inline(JsValue),
}

struct Config {
    lang: Lang,
    timeout_ms: u32,
    poll_timeout_ms: u32,
    list: ListMode,
    for_id: Option<String>,
    photo: Option<String>,
    photo_map: Vec<(String, String)>,
    /// `heading-level`: "1"–"6".
    heading_level: String,
}

/// Something to do once the state is no longer borrowed.
enum Effect {
    Dispatch(&'static str, JsValue),
    /// `pave-open` of this damage (`Some`) or `pave-close` (`None`) is dispatched next: what the
    /// page has been told is open, which `destroy()` closes.
    Announce(Option<usize>),
    Focus(HtmlElement),
    /// Focus, scrolling `el` into view if it is out of it (keyboard moves between markers).
    FocusAndShow(HtmlElement),
    /// Focus `el` only if nothing else took focus (after an outside click).
    FocusIfIdle(HtmlElement),
}

/// One cluster badge on the shown photo.
struct Cluster {
    members: Vec<usize>,
    button: HtmlElement,
    /// When fanned out: how far (our px) the fan is moved to keep its markers in view.
    shift: Point,
    /// Where the badge was written (% of the picture), if it was.
    at: Option<Point>,
}

/// What a pass read, for its write. (One per widget, kept from its read to its write: not boxed.)
#[allow(clippy::large_enum_variant)]
enum Read {
    /// Nothing changed since the last pass: nothing to write.
    Same,
    /// No data: nothing shows.
    Hide,
    /// The picture shows none of the photos (a spin's frame between two of them): nothing shows,
    /// and nothing was measured.
    Leave,
    /// Draw from this.
    Draw(Reading),
}

/// What a pass measured.
struct Reading {
    measured: Option<measure::Target>,
    space: ScreenMap,
    tilt: Option<Perspective>,
    clip: Rect,
    viewport: Rect,
    marker_size: f64,
    popover: Option<Rect>,
    zoom: f64,
}

/// Everything a pass reads: when it equals the last pass's, there is nothing to write.
#[derive(Clone, PartialEq)]
struct Inputs {
    target: Option<measure::Target>,
    origin: Rect,
    /// How our containing block is scaled, turned or skewed (`[a, b, c, d]`; a change of a 3-D
    /// tilt changes these too).
    space: [f64; 4],
    /// How the picture's ancestors are (`[a, b, c, d]`).
    ancestors: [f64; 4],
    clip: Rect,
    viewport: Rect,
    marker_size: f64,
    popover: Option<Size>,
    /// The host's effective CSS zoom (1 unless a popover is open).
    zoom: f64,
    dpr: f64,
    version: u64,
}

/// Where this frame puts the picture: element-local px → viewport (`screen`), our containing
/// block's px → viewport (`space`), the layer's turn (`turned`, identity unless the picture's own
/// transform turns it) and size, and our px per viewport px.
struct Placed {
    screen: ScreenMap,
    space: ScreenMap,
    turned: ScreenMap,
    layer: Size,
    scale: f64,
}

/// The last values written, so a frame writes only what changed.
#[derive(Default)]
struct Written {
    layer_hidden: bool,
    layer: [f64; 4],
    /// The part of the picture the page shows (not cropped by `object-fit`), as the `inset` of
    /// the layer's focus ring, in % of the layer.
    seen: [f64; 4],
    /// The layer's turn (`[a, b, c, d]` of its `matrix()`), when the picture's own transform
    /// turns, skews or mirrors it.
    turn: Option<ScreenMap>,
    /// How the picture is turned, skewed or mirrored on screen, all transforms included (for
    /// the close-up, which shows it the same way).
    on_screen: Option<ScreenMap>,
    photo: Option<usize>,
    /// Per damage: hidden by crop, filter or cluster; `None` when unknown (write it next frame).
    hidden: Vec<Option<bool>>,
}

/// The widget's state. See the module docs.
pub struct Inner {
    weak: WeakShared,
    window: Window,
    doc: Document,
    host: HtmlElement,
    root: ShadowRoot,
    attached: bool,
    started: bool,
    destroyed: bool,
    /// Whether [`run_dyn`] is sending our effects out (listeners may call back meanwhile).
    performing: bool,
    /// In a call of the page's made while the focus is where it mustn't take it from (a field
    /// being typed in, a frame: see [`Inner::focusing`]).
    typing: bool,
    cfg: Config,
    v: Skeleton,

    // The picture we cover.
    target: Option<Element>,
    target_style: Option<CssStyleDeclaration>,
    /// Ancestors of the target that clip it (scroll containers).
    clippers: Vec<Clipper>,
    /// The linear part of the transforms of the target's ancestors (found with `clippers`).
    ancestors: ScreenMap,
    /// Whether the open popover's marker has been in view since it opened (see `render`).
    anchor_seen: bool,
    /// The state version `clippers` was found at.
    clippers_version: Option<u64>,
    target_listeners: Vec<Listener>,
    /// The picture's attributes: those that name another photo, and the rest; and its ancestors'
    /// (`ancestry`), which may turn it without moving its box.
    target_mutations: [Option<Mutations>; 3],
    /// The picture's attributes that name its photo (`src`, `srcset`, `sizes`,
    /// `data-pave-photo`) when last seen: one set again to the same value names the same photo.
    swap_key: String,
    /// The picture's ancestors in the flat tree, up to the root, whose attributes are watched,
    /// and the shadow roots it is inside, whose scrolls are listened for (`ancestry_scrolls`:
    /// scroll events never leave a shadow root).
    ancestry: Vec<Node>,
    ancestry_scrolls: Vec<Listener>,
    /// Moves of the picture and of our origin probe that change no size (no other signal).
    moves: [Option<Moves>; 2],
    awaiting_target: Option<Mutations>,
    /// The widget's place in the page's passes (frames and resizes: see `js/moves.js`).
    passes: Option<Passes>,
    page_listeners: Vec<Listener>,
    root_listeners: Vec<Listener>,
    /// A pass is asked for and hasn't written yet.
    frame: bool,
    /// What the current pass read, for its write, and the state version it read at.
    reading: Option<(Read, u64)>,

    // Data.
    source: Source,
    phase: Phase,
    /// The last error (what the status line says in the `error` phase).
    error: ErrorKind,
    results: Option<Results>,
    safe_urls: Vec<Option<String>>,
    /// Every photo's `url` resolved against the page, for matching `currentSrc`.
    resolved_urls: Vec<String>,
    generation: u32,
    abort: Option<AbortController>,
    timed_out: bool,
    request_timer: Option<Timeout>,
    /// Runs while the status line's live region is newer than a screen reader notices: words
    /// written into a region as it comes are not read out (NVDA), so they wait for it.
    status_timer: Option<Timeout>,
    /// The status line's first words are written by the next pass, among its writes (written
    /// from the timer, the next pass's reads would lay the page out again for them: a forced
    /// layout).
    status_due: bool,
    poll_timer: Option<Timeout>,
    /// Whether `poll_timer` is a poll (else a retry of a first load).
    timer_polls: bool,
    poll_attempt: u32,
    /// Retries so far of the current request after transient answers (see `retry`).
    retry_attempt: u32,
    /// The damage whose `pave-open` the page was last told of, until its `pave-close`.
    announced: Option<usize>,
    /// `src` as last set (non-empty), which `results = null` goes back to.
    src: Option<String>,
    /// Polling's clock (hidden time left out).
    poll_clock: PollClock,
    /// A poll or retry put off while the page is hidden (`Some(polling)`), asked once it shows.
    deferred: Option<bool>,

    // Rendering.
    photo_layers: Vec<HtmlElement>,
    markers: Vec<HtmlElement>,
    rows: Vec<HtmlElement>,
    filter_buttons: Vec<HtmlElement>,
    clusters: Vec<Cluster>,
    /// Per damage: the cluster it is in, if any.
    cluster_of: Vec<Option<usize>>,
    /// Per damage: its place in its photo's reading order (and so in the arrows' order).
    rank: Vec<usize>,
    /// The shown photo's buttons changed (shown, hidden, clustered): its tab stop is placed again.
    restop: bool,
    /// A damage whose popover closed onto the layer while its photo was on its way (Esc before
    /// the spin's frame came): its marker takes the focus when that photo shows, if the layer
    /// still has it.
    owed_focus: Option<usize>,
    /// The photo last asked for by `pave-photo-request` while the picture showed another, until
    /// the picture's photo changes.
    asked: Option<usize>,
    expanded: Option<usize>,
    /// Bumped by every change of our own state; part of a pass's inputs.
    version: u64,
    /// What the last pass measured and knew: an identical next pass has nothing to write.
    last_inputs: Option<Inputs>,
    written: Written,
    open: Option<usize>,
    opener: Option<HtmlElement>,
    /// Where focus last was inside the widget (`None` once it went elsewhere on the page): given
    /// back after a move, which drops it to `<body>`.
    focused: Option<HtmlElement>,
    /// A damage asked for on a photo the built-in viewer isn't showing: it opens when the viewer
    /// shows its photo (unless the user closes the popover or opens another first), with focus
    /// to return to `pending_opener`. (Over a page's picture, it opens at once.)
    pending_open: Option<usize>,
    pending_opener: Option<HtmlElement>,
    /// Where the focus was when it was asked for (a page's button, whose `open()` it was).
    pending_from: Option<Element>,
    filter: Option<DamageGroup>,
    viewer_photo: usize,
    effects: Vec<Effect>,
}

/// Runs `f` on the state if it is alive and not already borrowed, then applies its effects.
/// Re-entrant calls (a JS listener calling back while we dispatch) are safe because effects
/// run after the borrow ends; a call arriving during a borrow is dropped rather than panicking.
/// (Generic only in this shell: the work is done once, in [`run_dyn`], for every call site.)
fn run<R>(weak: &WeakShared, f: impl FnOnce(&mut Inner) -> R) -> Option<R> {
    let mut f = Some(f);
    let mut result = None;
    run_dyn(weak, &mut |inner| {
        if let Some(f) = f.take() {
            result = Some(f(inner));
        }
    });
    result
}

/// [`run`]'s work, out of line and not generic. (A call that returns nothing and moves nothing
/// into its work calls it directly.)
#[inline(never)]
fn run_dyn(weak: &WeakShared, f: &mut dyn FnMut(&mut Inner)) {
    let mut f = Some(f);
    // Then the effects that listeners' calls left meanwhile, until a batch leaves none.
    loop {
        let Some(rc) = weak.upgrade() else { return };
        let (effects, host) = {
            let Ok(mut inner) = rc.try_borrow_mut() else { return };
            if inner.destroyed {
                return;
            }
            if let Some(f) = f.take() {
                f(&mut inner);
                // A call from a listener of ours while our effects go out (a `pave-error`
                // listener setting another `src`): its effects go out after those, in order, so
                // the last `pave-state` the page hears is the state (not the `error` after the
                // new `loading`).
                if inner.performing {
                    return;
                }
            }
            let effects = core::mem::take(&mut inner.effects);
            inner.performing = !effects.is_empty();
            if effects.is_empty() {
                return;
            }
            (effects, inner.host.clone())
        };
        drop(rc);
        perform(effects, &host, Some(weak));
    }
}

/// Applies effects once the state is no longer borrowed. Kept out of line: `run` is generic and
/// inlined at each of its ~30 call sites, and this loop is most of its code.
#[inline(never)]
fn perform(effects: Vec<Effect>, host: &HtmlElement, weak: Option<&WeakShared>) {
    // Only the last move of focus in a batch is made: one before it (back to a closing popover's
    // marker, then into the next popover) would pass through an element and act on it (focus
    // on a marker outside the open popover closes it).
    let last_focus = effects.iter().rposition(|e| matches!(e, Effect::Focus(_)));
    for (k, effect) in effects.iter().enumerate() {
        // A listener may have destroyed the widget: nothing more goes out (`destroy()` itself
        // sends the `pave-close` the page is owed, with no `weak`).
        let inner = weak.and_then(Weak::upgrade);
        if weak.is_some() && inner.as_ref().is_none_or(|rc| rc.try_borrow().map_or(true, |i| i.destroyed)) {
            break;
        }
        match effect {
            Effect::Announce(open) => {
                if let Some(mut i) = inner.as_ref().and_then(|rc| rc.try_borrow_mut().ok()) {
                    i.announced = *open;
                }
            }
            Effect::Dispatch(name, detail) => {
                let _ = js::dispatch(host, name, detail);
            }
            Effect::Focus(el) if Some(k) == last_focus => focus(el),
            Effect::Focus(_) => {}
            Effect::FocusAndShow(el) => {
                let _ = js::focus(el, true);
            }
            Effect::FocusIfIdle(el) => {
                if js::focus_idle(host) {
                    focus(el);
                }
            }
        }
    }
}

/// What a listener, observer, watch, timer or animation frame was made for. One closure type serves them all (made by
/// [`on_event`] or [`on_call`]), so wasm-bindgen's glue for a closure is made twice in all rather
/// than once per kind of callback.
#[derive(Clone, Copy)]
enum Signal {
    /// The read of a pass (every widget on the page reads before any writes: see `js/moves.js`).
    Read,
    /// The write of a pass.
    Write,
    /// `timeout` ran out for the request of this generation (see `Inner::generation`).
    TimedOut(u32),
    /// The status line's live region is old enough to be heard: its words are written.
    Announce,
    /// Ask `src` again (a poll, when `true`, or a retry), unless the source changed since this
    /// generation.
    Refetch(u32, bool),
    /// Measure again in the next frame: a window or visual-viewport resize (pinch-zoom), a load
    /// of an image or font that may shift layout.
    Measure,
    /// Scrolling anywhere (capture catches scroll containers; the shadow roots the picture or the
    /// element is in are listened on too): unless the scrolled box holds neither, measure again
    /// in the next frame, where the picture is from our origin first (see `read`).
    Scroll,
    /// The visual viewport panned (a pinch-zoomed page): what can be seen moved, not the layout;
    /// only an open popover, kept inside what can be seen, cares.
    Pan,
    /// The picture loaded, failed, or its video size changed: what it shows may have changed.
    Changed,
    /// A ResizeObserver report (after layout, before paint: placing the markers right there
    /// costs no forced layout and lands in the frame of the resize): the pass that follows at once
    /// finds the clipping ancestors again.
    Resized,
    /// Print starting or ending (the page laid out again with no frame and no ResizeObserver
    /// report until printing is done): measure and write now.
    Print,
    /// The picture or our origin may have moved or turned without a resize: a move seen by
    /// `js/moves.js`, or a frame of an animation that may be moving it (read in that frame's
    /// pass). Its ancestors are read again.
    Moved,
    /// The same for a change to an attribute of an ancestor of the picture.
    Restyled,
    /// An element was added where `for`'s id may now be found.
    TargetAppeared,
    /// Our viewer's picture loaded (after we changed its `src`).
    PhotoChanged,
    /// An attribute of the picture that names its photo was set (maybe to the value it had).
    Swapped,
    /// The page was hidden or shows again: polling waits while it is hidden.
    Visibility,
    /// Something went fullscreen, or fullscreen ended.
    Fullscreen,
    /// A click in our root (delegated: one listener, not one per marker).
    Click,
    /// A key in our root.
    Key,
    /// Focus moved to one of our elements: kept, to give it back after a move (a move from one of
    /// our elements to another doesn't reach the document: both are the host seen from there).
    Focus,
    /// A click anywhere on the page: outside an open popover, it closes it.
    PageClick,
    /// Focus moved anywhere on the page: out of an open popover, it closes it (without moving
    /// focus back: a non-modal popover must not cover what the keyboard user is now on, WCAG
    /// 2.4.11).
    PageFocus,
}

/// A listener's callback: does `s` with its event.
fn on_event(weak: &WeakShared, s: Signal) -> impl FnMut(Event) + 'static {
    let weak = weak.clone();
    move |e| {
        run_dyn(&weak, &mut |i| i.signal(s, Some(&e)));
    }
}

/// An observer's or watch's callback: does `s`.
fn on_call(weak: &WeakShared, s: Signal) -> impl FnMut() + 'static {
    let weak = weak.clone();
    move || {
        run_dyn(&weak, &mut |i| i.signal(s, None));
    }
}

/// Focuses `el` without scrolling it into view.
fn focus(el: &HtmlElement) {
    let _ = js::focus(el, false);
}

/// The engine. JS holds one per element (or per `attach()`).
pub struct Widget {
    inner: Shared,
}

impl Widget {
    /// Builds the shadow DOM in `root`, `host`'s open shadow root, empty (the JS shell makes it
    /// and gives it the stylesheet: see js/engine.js). `attached` is `HotspotOverlay.attach()`'s
    /// mode: no list and no status line unless asked for.
    pub fn new(host: HtmlElement, root: ShadowRoot, attached: bool, viewer: bool) -> Result<Widget, JsValue> {
        let window = page_window()
            .and_then(|s| s.dyn_into::<Window>().ok())
            .ok_or_else(|| JsValue::from_str("pave-hotspots needs a window"))?;
        let doc = window.document().ok_or_else(|| JsValue::from_str("pave-hotspots needs a document"))?;
        let cfg = Config {
            lang: Lang::En,
            timeout_ms: 10_000,
            poll_timeout_ms: 600_000,
            list: if attached { ListMode::None } else { ListMode::Closed },
            for_id: None,
            photo: None,
            photo_map: Vec::new(),
            heading_level: "3".to_owned(),
        };
        let v = view::skeleton(&root, viewer, &cfg.lang.labels())?;
        let inner = Rc::new(RefCell::new(Inner {
            weak: Weak::new(),
            window,
            doc,
            host,
            root,
            attached,
            started: false,
            destroyed: false,
            performing: false,
            typing: false,
            cfg,
            v,
            target: None,
            target_style: None,
            clippers: Vec::new(),
            ancestors: ScreenMap::IDENTITY,
            clippers_version: None,
            anchor_seen: false,
            target_listeners: Vec::new(),
            target_mutations: [None, None, None],
            swap_key: String::new(),
            ancestry: Vec::new(),
            ancestry_scrolls: Vec::new(),
            moves: [None, None],
            awaiting_target: None,
            passes: None,
            page_listeners: Vec::new(),
            root_listeners: Vec::new(),
            frame: false,
            reading: None,
            source: Source::None,
            phase: Phase::Idle,
            error: ErrorKind::Network,
            results: None,
            safe_urls: Vec::new(),
            resolved_urls: Vec::new(),
            generation: 0,
            abort: None,
            timed_out: false,
            request_timer: None,
            status_timer: None,
            status_due: false,
            poll_timer: None,
            timer_polls: false,
            poll_attempt: 0,
            retry_attempt: 0,
            announced: None,
            src: None,
            poll_clock: PollClock::default(),
            deferred: None,
            photo_layers: Vec::new(),
            markers: Vec::new(),
            rows: Vec::new(),
            filter_buttons: Vec::new(),
            clusters: Vec::new(),
            cluster_of: Vec::new(),
            rank: Vec::new(),
            restop: false,
            owed_focus: None,
            asked: None,
            expanded: None,
            version: 0,
            last_inputs: None,
            written: Written { layer_hidden: true, ..Written::default() },
            open: None,
            opener: None,
            focused: None,
            pending_open: None,
            pending_opener: None,
            pending_from: None,
            filter: None,
            viewer_photo: 0,
            effects: Vec::new(),
        }));
        {
            let mut i = inner.try_borrow_mut().map_err(|_| JsValue::from_str("busy"))?;
            i.weak = Rc::downgrade(&inner);
            i.status_timer = Timeout::new(100, on_call(&i.weak, Signal::Announce)).ok();
            i.listen_root();
            i.relabel();
        }
        Ok(Widget { inner })
    }

    fn weak(&self) -> WeakShared {
        Rc::downgrade(&self.inner)
    }

    /// Starts: finds the target and loads the data given so far. Setters before this only
    /// record; after it they act.
    pub fn start(&self) -> Result<(), JsValue> {
        run(&self.weak(), |i| {
            if i.started {
                return Ok(());
            }
            i.started = true;
            i.listen_page()?;
            i.resolve_target();
            i.load();
            i.schedule();
            Ok(())
        })
        .unwrap_or(Ok(()))
    }

    /// The element was moved in the DOM (disconnected and connected again in one task: a
    /// framework's keyed re-order, a portal). Data, list, filter and open damage stay; the picture
    /// is found again in the element's tree (which may be another one now), the popover the
    /// browser hid when its host left the document shows again, focus the move dropped to
    /// `<body>` comes back, and everything is measured anew.
    pub fn moved(&self) {
        run_dyn(&self.weak(), &mut Inner::moved);
    }

    /// An attribute changed (`None`: removed).
    pub fn set_attribute(&self, name: &str, value: Option<String>) {
        run(&self.weak(), |i| i.attribute(name, value));
    }

    /// The `results` property: an object, a JSON string, or null/undefined to clear.
    pub fn set_results(&self, value: JsValue) {
        run(&self.weak(), |i| {
            // The same object or string again is no change (as for any property in Lit, which
            // sets an object binding on every render): the popover, the filter and the focus
            // stay. `reload()` reads it again (an object changed in place).
            if matches!(&i.source, Source::Inline(old) if *old == value) {
                return;
            }
            i.source = if value.is_null() || value.is_undefined() {
                // Back to `src` (the attribute, or `HotspotOverlay`'s option: its host has none).
                i.src.clone().map_or(Source::None, Source::Url)
            } else {
                Source::Inline(value)
            };
            if i.started {
                i.load();
            }
        });
    }

    /// The `photoMap` property: `{ "frame-05.jpg": 5, … }`.
    pub fn set_photo_map(&self, value: JsValue) {
        run_dyn(&self.weak(), &mut |i| {
            let map = read_photo_map(&value);
            if map != i.cfg.photo_map {
                i.cfg.photo_map = map;
                i.photo_changed();
            }
        });
    }

    /// Covers a given element (`attach()`), or none.
    pub fn set_target(&self, target: Option<Element>) {
        run(&self.weak(), |i| {
            i.set_target(target);
            i.schedule();
        });
    }

    /// Opens the popover of damage `index` (turning to its photo first if needed).
    pub fn open(&self, index: usize) -> Result<(), JsValue> {
        run(&self.weak(), |i| {
            let total = i.results.as_ref().map_or(0, |r| r.damages.len());
            if index >= total {
                return Err(JsValue::from(js_sys::RangeError::new(&{
                    let mut m = String::from("pave-hotspots: no damage ");
                    m.push_str(&uint(index as u64));
                    m.push_str(" (there are ");
                    m.push_str(&uint(total as u64));
                    m.push(')');
                    m
                })));
            }
            i.page_call(|i| i.open_damage(index, None));
            Ok(())
        })
        .unwrap_or(Ok(()))
    }

    /// Closes the popover.
    pub fn close(&self) {
        run_dyn(&self.weak(), &mut |i| i.page_call(Inner::dismiss));
    }

    /// Opens the next damage (after the open one, or the first).
    pub fn next(&self) {
        run_dyn(&self.weak(), &mut |i| i.page_call(|i| i.step(1)));
    }

    /// Opens the previous damage.
    pub fn previous(&self) {
        run_dyn(&self.weak(), &mut |i| i.page_call(|i| i.step(-1)));
    }

    /// Loads the data again.
    pub fn reload(&self) {
        run_dyn(&self.weak(), &mut |i| {
            i.poll_attempt = 0;
            i.poll_clock.started = 0.0;
            i.load();
        });
    }

    /// Where a point of the shown photo lands, in CSS px from the image element's top-left
    /// border corner, or `None` when it is not visible (cropped), no photo shows (no data, or a
    /// frame between the inspected angles) or the picture isn't laid out.
    pub fn to_pixels(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        run(&self.weak(), |i| {
            let el = i.target.clone()?;
            let style = i.target_style.clone()?;
            let t = measure::target(&el, &style);
            i.shown_photo(i.results.as_ref()?, t.data_photo.as_deref(), &t.current_src)?;
            let rect = content_rect(&t.element, t.natural, t.fit, &t.position, t.view_box.as_ref()).ok()?;
            let p = percent_to_px(&rect, x, y);
            (finite(x) && finite(y) && is_visible(&t.element, p)).then_some((p.x, p.y))
        })
        .flatten()
    }

    /// The visible state's name.
    pub fn state(&self) -> &'static str {
        run(&self.weak(), |i| i.phase.key()).unwrap_or("idle")
    }

    /// Removes every node, listener, observer, timer and closure. Calling it twice is fine.
    pub fn destroy(&self) {
        // Take everything out under the borrow, drop it after: dropping closures may run JS.
        let (taken, events, host) = {
            let Ok(mut i) = self.inner.try_borrow_mut() else {
                return;
            };
            if i.destroyed {
                return;
            }
            i.destroyed = true;
            let taken = i.teardown();
            (taken, core::mem::take(&mut i.effects), i.host.clone())
        };
        drop(taken);
        // The `pave-close` of a popover open when the widget went: every `pave-open` has its close.
        perform(events, &host, None);
    }
}

impl Drop for Widget {
    fn drop(&mut self) {
        self.destroy();
    }
}

/// What teardown takes out of the state, dropped after the borrow ends.
type Taken = (
    Vec<Listener>,
    [Option<Mutations>; 3],
    Option<Mutations>,
    [Option<Moves>; 2],
    Option<Passes>,
    [Option<Timeout>; 3],
);

/// `photoMap`, as the JS shell hands it over: a plain array of `[frame URL, photo name]` string
/// pairs (the shell reads the page's object or Map, where a throwing getter can be caught).
fn read_photo_map(value: &JsValue) -> Vec<(String, String)> {
    let mut map = Vec::new();
    if let Some(pairs) = value.dyn_ref::<js_sys::Array>() {
        for pair in pairs.iter() {
            let Ok(pair) = pair.dyn_into::<js_sys::Array>() else { continue };
            let Some(url) = pair.get(0).as_string() else { continue };
            if let Some(name) = pair.get(1).as_string() {
                map.push((url, name));
            }
        }
    }
    map
}

/// Whether two turns are the same (to a millionth: a resize leaves float noise in them).
fn same_turn(a: Option<ScreenMap>, b: Option<ScreenMap>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.abcd().iter().zip(b.abcd()).all(|(x, y)| (x - y).abs() < 1e-6),
        (a, b) => a.is_none() && b.is_none(),
    }
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `performance.now()` of the page's window (`self`, as [`page_window`]): one import, where
    /// web-sys's `Window::performance` and `Performance::now` cost two and an optional object.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn perf_now() -> f64;
}

impl Inner {
    // ---- Wiring ---------------------------------------------------------------------------

    /// One delegated listener per event type on the shadow root, not one per marker.
    fn listen_root(&mut self) {
        let mut out = Vec::with_capacity(4);
        for (kind, s) in [("click", Signal::Click), ("keydown", Signal::Key), ("focusin", Signal::Focus)] {
            out.push(Listener::new(self.root.as_ref(), kind, false, on_event(&self.weak, s)));
        }
        self.root_listeners = out;
        // The popover lives in the top layer but is still inside our root: its events reach the
        // root listeners above.
        if let Some(viewer) = &self.v.viewer {
            let load = Listener::new(viewer.img.as_ref(), "load", false, on_event(&self.weak, Signal::PhotoChanged));
            self.root_listeners.push(load);
        }
    }

    /// Page-wide events (see [`Signal`]), the watch on our origin's moves and the
    /// ResizeObserver.
    fn listen_page(&mut self) -> Result<(), JsValue> {
        // What each does: see `Signal`.
        let print = self.window.match_media("print").ok().flatten();
        let vv = self.window.visual_viewport();
        let doc: &web_sys::EventTarget = self.doc.as_ref();
        let vv: Option<&web_sys::EventTarget> = vv.as_ref().map(|v| v.as_ref());
        let targets = [
            (Some(doc), "scroll", true, Signal::Scroll),
            (Some(doc), "load", true, Signal::Measure),
            (Some(self.window.as_ref()), "resize", true, Signal::Measure),
            (Some(doc), "click", true, Signal::PageClick),
            (Some(doc), "focusin", true, Signal::PageFocus),
            (Some(doc), "visibilitychange", false, Signal::Visibility),
            (Some(doc), "fullscreenchange", false, Signal::Fullscreen),
            (print.as_ref().map(|q| q.as_ref()), "change", false, Signal::Print),
            (vv, "resize", false, Signal::Measure),
            (vv, "scroll", false, Signal::Pan),
            // The popover changes size by itself too, its close-up failing (hidden: see
            // js/engine.js) or a retry of it loading after it was placed: placed again, not
            // left off its marker or over it. (Not a ResizeObserver's: a popover cut to its room
            // in that callback would be a ResizeObserver loop error.)
            (Some(self.v.popover.root.as_ref()), "load", true, Signal::Pan),
            (Some(self.v.popover.root.as_ref()), "error", true, Signal::Pan),
        ];
        let mut out = Vec::with_capacity(targets.len());
        for (target, kind, capture, s) in targets {
            let Some(target) = target else { continue };
            out.push(Listener::new(target, kind, capture, on_event(&self.weak, s)));
        }
        self.page_listeners = out;
        let origin: Element = self.v.origin.clone().into();
        self.moves[0] = self.watch_moves(&origin);
        let w = &self.weak;
        let passes = Passes::new(on_call(w, Signal::Read), on_call(w, Signal::Write), on_call(w, Signal::Resized))?;
        self.observe_own(&passes);
        self.passes = Some(passes);
        Ok(())
    }

    /// What the ResizeObserver watches besides the picture: the body (the page's layout) and our
    /// origin probe, which is as tall as `--pave-marker-size`: the page changing the property at
    /// any time (a class, a media query, a theme switch) resizes the probe, and the markers are
    /// clustered again for their new size in that frame.
    fn observe_own(&self, passes: &Passes) {
        if let Some(body) = self.doc.body() {
            passes.observe(&body);
        }
        passes.observe(self.v.origin.as_ref());
    }

    /// Measures again when `el` moves without a resize (which the ResizeObserver would tell).
    /// (Not in the built-in viewer: its overlay shares the picture's containing block.)
    fn watch_moves(&self, el: &Element) -> Option<Moves> {
        if self.v.viewer.is_some() {
            return None;
        }
        Moves::new(el, on_call(&self.weak, Signal::Moved)).ok()
    }

    /// Measures again when an attribute of an ancestor of the picture changes (its `style`, a
    /// `class`, a `data-state`): a turn or a mirror of a wrapper may leave the picture's box where
    /// it was (nothing else tells). And hears the scrolls inside the shadow roots the picture or
    /// the element is in, which never reach the document.
    /// (Not in the built-in viewer, whose picture is ours.)
    fn watch_ancestry(&mut self, ancestry: Vec<Node>) {
        let same = ancestry.len() == self.ancestry.len()
            && ancestry.iter().zip(&self.ancestry).all(|(a, b)| a.is_same_node(Some(b)));
        if same || self.v.viewer.is_some() {
            return;
        }
        let m = Mutations::new(on_call(&self.weak, Signal::Restyled)).ok();
        let mut scrolls = Vec::new();
        let listen = |n: &Node| Listener::new(n, "scroll", true, on_event(&self.weak, Signal::Scroll));
        for n in &ancestry {
            if n.dyn_ref::<ShadowRoot>().is_some() {
                scrolls.push(listen(n));
            } else if let Some(m) = &m {
                let _ = m.attributes(n, "");
            }
        }
        // And those the element is in but the picture is not (a component's scroll box that
        // holds the element alone).
        let mut n = flat_up(&self.host);
        while let Some(cur) = n {
            if cur.dyn_ref::<ShadowRoot>().is_some() && !ancestry.iter().any(|a| a.is_same_node(Some(&cur))) {
                scrolls.push(listen(&cur));
            }
            n = flat_up(&cur);
        }
        self.target_mutations[2] = m;
        self.ancestry = ancestry;
        self.ancestry_scrolls = scrolls;
    }

    /// Finds the element to cover: our own viewer image, or `for`'s id in the host's tree
    /// (waiting for it to appear if the page renders it later).
    fn resolve_target(&mut self) {
        if self.attached {
            return;
        }
        if let Some(viewer) = &self.v.viewer {
            let img: Element = viewer.img.clone().unchecked_into();
            self.set_target(Some(img));
            return;
        }
        let Some(id) = self.cfg.for_id.clone().filter(|id| !id.is_empty()) else {
            self.set_target(None);
            return;
        };
        let root_node = self.host.get_root_node();
        let found = if let Some(doc) = root_node.dyn_ref::<Document>() {
            doc.get_element_by_id(&id)
        } else if let Some(shadow) = root_node.dyn_ref::<ShadowRoot>() {
            shadow.get_element_by_id(&id)
        } else {
            self.doc.get_element_by_id(&id)
        };
        match found {
            Some(el) => {
                self.awaiting_target = None;
                self.set_target(Some(el));
            }
            None => {
                self.set_target(None);
                if let Ok(m) = Mutations::new(on_call(&self.weak, Signal::TargetAppeared)) {
                    let node: &Node = root_node.as_ref();
                    if m.subtree(node).is_ok() {
                        self.awaiting_target = Some(m);
                    }
                }
            }
        }
    }

    fn set_target(&mut self, target: Option<Element>) {
        let same = match (&self.target, &target) {
            (Some(a), Some(b)) => a.is_same_node(Some(b.as_ref())),
            (None, None) => true,
            _ => false,
        };
        if same {
            return;
        }
        if let (Some(passes), Some(old)) = (&self.passes, &self.target) {
            // (The new target is added below; the body and our probe stay as they are.)
            passes.unobserve(old);
        }
        self.target_listeners.clear();
        self.target_mutations = [None, None, None];
        self.ancestry.clear();
        self.ancestry_scrolls.clear();
        self.moves[1] = None;
        // (Another picture's ancestors are found anew.)
        self.clippers_version = None;
        // (`swap_key` holds what the old picture's attributes named when last seen.)
        let (was, key) = (self.target.as_ref().map(Element::tag_name), core::mem::take(&mut self.swap_key));
        self.target = target.clone();
        self.swap_key = self.swap_key();
        // A framework's re-render that made the picture again as it was (the same id, element
        // and attributes: the same photo) keeps the markers as they are, with the open popover
        // and the focus. Any other picture hides them until it is measured.
        if was.is_none() || was != self.target.as_ref().map(Element::tag_name) || key != self.swap_key {
            self.hide_now();
        }
        self.target_style = target.as_ref().and_then(|t| measure::computed_style(&self.window, t));
        let Some(el) = target else { return };
        if let Some(passes) = &self.passes {
            passes.observe(&el);
        }
        self.moves[1] = self.watch_moves(&el);
        let target_ref: &web_sys::EventTarget = el.as_ref();
        // A load or a new video size only changes what is measured: the old markers were already
        // hidden when the src changed.
        // (`pave-decoded`: js/measure.js's, for a picture decoded off the main thread.)
        for kind in ["load", "error", "loadeddata", "resize", "pave-decoded"] {
            self.target_listeners.push(Listener::new(target_ref, kind, false, on_event(&self.weak, Signal::Changed)));
        }
        // A spin viewer swaps `src` (or `srcset`, or `data-pave-photo`): hide the old photo's
        // markers in the mutation's microtask, before the browser can paint them over the new
        // picture, then place the new ones in the next frame. Its size, style, class or `hidden`
        // only change what the next frame measures (a page's own style change must not close the
        // popover the user is reading); its `id`, which picture `for` names.
        let watches = [
            ("src srcset sizes data-pave-photo", Signal::Swapped),
            ("width height style class hidden id", Signal::Changed),
        ];
        for (slot, (names, signal)) in self.target_mutations.iter_mut().zip(watches) {
            *slot =
                Mutations::new(on_call(&self.weak, signal)).ok().filter(|m| m.attributes(el.as_ref(), names).is_ok());
        }
        if let Some(m) = &self.target_mutations[0] {
            m.sources(&el);
        }
    }

    /// Moved in the DOM (or a container of ours was): the browser hid the open popover (a
    /// popover taken out of the document is), and focus in it fell to `<body>`.
    fn moved(&mut self) {
        if !self.started {
            return;
        }
        self.resolve_target();
        // The watch on our origin starts over from where it is now.
        let origin: Element = self.v.origin.clone().into();
        self.moves[0] = self.watch_moves(&origin);
        if self.open.is_some() {
            self.show_popover(self.opener.clone());
        }
        if let Some(el) = self.focused.clone().filter(|el| el.is_connected()) {
            self.effects.push(Effect::FocusIfIdle(el));
        }
        self.clippers_version = None;
        // (The shadow roots the element is in are listened on again.)
        self.ancestry.clear();
        self.schedule();
    }

    fn attribute(&mut self, name: &str, value: Option<String>) {
        match name {
            "for" => {
                self.cfg.for_id = value.map(|v| v.trim().to_owned());
                if self.started {
                    self.resolve_target();
                    self.schedule();
                }
            }
            "src" => {
                let src = value.filter(|v| !v.trim().is_empty());
                // The same again (`setSrc()` with the URL it has): no new request; `reload()` is that.
                if src == self.src {
                    return;
                }
                self.src = src;
                // Results passed in win over `src` (as at start): a new `src` is where the data
                // comes from once they are cleared.
                if matches!(self.source, Source::Inline(_)) {
                    return;
                }
                self.source = self.src.clone().map_or(Source::None, Source::Url);
                if self.started {
                    self.load();
                }
            }
            "results" => {
                // Removed: back to `src`, as `results = null` does.
                self.source = match value {
                    Some(text) => Source::Inline(JsValue::from_str(&text)),
                    None => self.src.clone().map_or(Source::None, Source::Url),
                };
                if self.started {
                    self.load();
                }
            }
            "photo" => {
                let photo = value.filter(|v| !v.trim().is_empty());
                // `setPhoto()` from a viewer's frame loop, with the photo it already named. (Our
                // own viewer may have turned away from it with its previous/next: it turns back.)
                if photo == self.cfg.photo && self.v.viewer.is_none() {
                    return;
                }
                self.cfg.photo = photo;
                if self.v.viewer.is_some() {
                    if let (Some(r), Some(name)) = (&self.results, &self.cfg.photo) {
                        if let Some(p) = find_by_name(&r.photos, name) {
                            self.show_viewer_photo(p);
                        }
                    }
                }
                self.photo_changed();
            }
            "lang" => {
                self.cfg.lang = Lang::parse(value.as_deref().unwrap_or(""));
                self.relabel();
            }
            "timeout" => {
                self.cfg.timeout_ms = read_ms(value.as_deref(), 10_000);
            }
            "poll-timeout" => {
                self.cfg.poll_timeout_ms = read_ms(value.as_deref(), 600_000);
            }
            "heading-level" => {
                let level = value.as_deref().map(str::trim).filter(|v| matches!(*v, "1" | "2" | "3" | "4" | "5" | "6"));
                self.cfg.heading_level = level.unwrap_or("3").to_owned();
                set_attr(&self.v.popover.title, "aria-level", &self.cfg.heading_level);
                self.relabel();
            }
            "list" => {
                self.cfg.list = match value.as_deref().map(str::trim) {
                    Some("open") | Some("") => ListMode::Open,
                    Some("none") | Some("hidden") => ListMode::None,
                    Some(_) => ListMode::Closed,
                    None if self.attached => ListMode::None,
                    None => ListMode::Closed,
                };
                self.apply_list_mode();
            }
            _ => {}
        }
    }

    // ---- Data -----------------------------------------------------------------------------

    /// Starts over from the current source: aborts what is in flight and clears what is shown.
    fn load(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        if let Some(a) = self.abort.take() {
            a.abort();
        }
        self.request_timer = None;
        self.poll_timer = None;
        self.deferred = None;
        self.poll_attempt = 0;
        self.retry_attempt = 0;
        self.poll_clock.started = 0.0;
        match self.source.clone() {
            Source::None => {
                self.clear_data();
                self.set_phase(Phase::Idle);
            }
            Source::Url(url) => {
                self.clear_data();
                self.fetch(url, false);
            }
            Source::Inline(value) => {
                let outcome = parse_inline(&value);
                self.apply(outcome, false);
            }
        }
    }

    fn fetch(&mut self, url: String, polling: bool) {
        let gen = self.generation;
        let Ok(controller) = AbortController::new() else {
            self.fail(ErrorKind::Network, "AbortController is not available".into(), None);
            return;
        };
        let signal = controller.signal();
        self.abort = Some(controller);
        self.timed_out = false;
        if !polling {
            self.set_phase(Phase::Loading);
        }
        self.request_timer = Timeout::new(self.cfg.timeout_ms, on_call(&self.weak, Signal::TimedOut(gen))).ok();
        let weak = self.weak.clone();
        let host: JsValue = self.host.clone().into();
        fetch::get(&host, &url, &signal, MAX_BODY_BYTES, move |result| {
            run(&weak, |i| {
                if i.generation != gen {
                    return;
                }
                i.request_timer = None;
                i.abort = None;
                match result {
                    Ok(f) if is_transient(f.status) && i.retry(polling, f.retry_after.as_deref()) => {}
                    Ok(f) => {
                        i.retry_attempt = 0;
                        i.apply(model::parse_body(Some(f.status), &f.body, json_tree), true);
                    }
                    Err(FetchError::Aborted) if i.timed_out => {
                        let mut m = String::from("no response within ");
                        m.push_str(&uint(u64::from(i.cfg.timeout_ms)));
                        m.push_str(" ms");
                        i.fail(ErrorKind::Timeout, m, None);
                    }
                    Err(FetchError::Aborted) => {}
                    Err(FetchError::TooLarge(bytes)) => {
                        let m = Malformed { reason: Reason::TooLarge { bytes }, at: Position::Body };
                        i.fail(ErrorKind::Malformed, m.message(), None);
                    }
                    Err(FetchError::Network(message)) => i.fail(ErrorKind::Network, message, None),
                }
            });
        });
    }

    /// Shows an outcome. `from_url`: it came from `src` (so "not yet inspected" polls).
    fn apply(&mut self, outcome: Outcome, from_url: bool) {
        // What was shown goes, whatever comes.
        self.clear_data();
        match outcome {
            Outcome::Results(results) if !results.damages.is_empty() => {
                self.poll_attempt = 0;
                self.show_results(results);
            }
            Outcome::Results(results) if !results.skipped.is_empty() => {
                let mut m = String::from("none of the damages could be placed (");
                m.push_str(&uint(results.skipped.len() as u64));
                m.push_str(" skipped; the first: ");
                if let Some(s) = results.skipped.first() {
                    m.push_str(&s.path);
                    m.push_str(": ");
                    m.push_str(&s.reason.message());
                }
                m.push(')');
                self.fail(ErrorKind::Malformed, m, None);
            }
            Outcome::Results(_) | Outcome::NoDamage { .. } => {
                self.effects.push(Effect::Dispatch("pave-load", load_detail(None)));
                self.set_phase(Phase::Empty);
            }
            Outcome::NotInspected { .. } => {
                self.set_phase(Phase::Inspecting);
                if from_url {
                    self.schedule_poll();
                }
            }
            Outcome::NotFound { message } => {
                let m = message.unwrap_or_else(|| "the session cannot be found".into());
                self.fail(ErrorKind::NotFound, m, Some(404));
            }
            Outcome::Rejected { status, message } => {
                let mut m = String::from("HTTP ");
                m.push_str(&uint(u64::from(status)));
                if let Some(msg) = message {
                    m.push_str(": ");
                    m.push_str(&msg);
                }
                self.fail(ErrorKind::Http, m, Some(status));
            }
            Outcome::Malformed(m) => {
                self.fail(ErrorKind::Malformed, m.message(), None);
            }
        }
    }

    /// After a transient answer (busy, rate limited, out of time): asks `src` again later, the
    /// phase unchanged, if the retries and `Retry-After` allow it (see core::policy). Never past
    /// a polling deadline. Returns false to show the answer (its error) instead.
    fn retry(&mut self, polling: bool, retry_after: Option<&str>) -> bool {
        let server_wait = retry_after.and_then(|v| {
            let date = js_sys::Date::parse(v);
            retry_after_ms(v, js_sys::Date::now(), (!date.is_nan()).then_some(date))
        });
        let limit = if polling && self.poll_clock.started > 0.0 {
            self.poll_time_left(self.poll_clock.waited(perf_now()))
        } else {
            MAX_RETRY_AFTER_MS
        };
        let Some(delay) = retry_delay_ms(self.retry_attempt, server_wait, js_sys::Math::random(), limit) else {
            self.retry_attempt = 0;
            return false;
        };
        self.retry_attempt += 1;
        self.fetch_later(delay, polling);
        true
    }

    /// Asks `src` again in `delay` ms (a poll, or a retry), unless the source changes meanwhile.
    fn fetch_later(&mut self, delay: u32, polling: bool) {
        if self.doc.hidden() {
            // (Hidden from the start, a tab opened in the background, tells no change.)
            self.poll_clock.hidden(perf_now());
            self.poll_timer = None;
            self.deferred = Some(polling);
            return;
        }
        self.poll_timer = Timeout::new(delay, on_call(&self.weak, Signal::Refetch(self.generation, polling))).ok();
        self.deferred = None;
        self.timer_polls = polling;
    }

    /// Does what a listener, observer, watch, timer or frame was made for (see [`Signal`]); `e`
    /// is its event.
    fn signal(&mut self, s: Signal, e: Option<&Event>) {
        match (s, e) {
            // (A load or a resize may change styles too, through media or container queries: the
            // clipping ancestors are read again.)
            (Signal::Measure, _) => {
                self.clippers_version = None;
                self.schedule_measure();
            }
            // A box that holds neither the picture nor us (a carousel, a chat, a side panel)
            // moved nothing of ours. (Scrolls inside a shadow root never reach the document: those
            // of the shadow roots the picture or the element is in are listened for there,
            // `watch_ancestry`.)
            (Signal::Scroll, e) => {
                // (The page's own scroll, the document's, needs no walk up the tree: 0.15 ms per
                // scrolled frame with 12 widgets.)
                let scrolled = e.and_then(Event::target).and_then(|t| t.dyn_into::<Element>().ok());
                if scrolled.is_none_or(|s| {
                    composed_contains(&s, &self.host) || self.target.as_ref().is_some_and(|t| composed_contains(&s, t))
                }) {
                    self.schedule_measure();
                }
            }
            (Signal::Read, _) => self.reading = Some((self.read(), self.version)),
            (Signal::Write, _) => {
                self.frame = false;
                // Changed since it read (by a listener of another widget's write in this pass):
                // read again, now.
                let read = match self.reading.take() {
                    Some((read, at)) if at == self.version => read,
                    _ => self.read(),
                };
                self.write(read);
                if core::mem::take(&mut self.status_due) {
                    self.set_phase(self.phase);
                }
            }
            (Signal::Announce, _) => {
                self.status_timer = None;
                self.status_due = true;
                self.schedule_measure();
                // (No pass to come, not started: now.)
                if !self.frame {
                    self.status_due = false;
                    self.set_phase(self.phase);
                }
            }
            (Signal::TimedOut(gen), _) if gen == self.generation => {
                self.timed_out = true;
                if let Some(a) = &self.abort {
                    a.abort();
                }
            }
            (Signal::Refetch(gen, polling), _) if gen == self.generation => {
                if let Source::Url(url) = self.source.clone() {
                    self.fetch(url, polling);
                }
            }
            (Signal::Pan, _) if self.open.is_some() => self.schedule_measure(),
            // (Its `id` too: a gallery that moves `for`'s id to another picture.)
            (Signal::Changed, _) => {
                self.resolve_target();
                self.schedule();
                self.restyled();
                self.viewer_loaded();
            }
            (Signal::Resized, _) => self.clippers_version = None,
            (Signal::Print, _) => {
                self.clippers_version = None;
                let read = self.read();
                self.write(read);
            }
            // (In the next frame's pass. After a change to an ancestor, reading there forces the
            // layout the browser would make next anyway, once for all widgets. Put off until after
            // that layout, into the ResizeObserver's callback, where a resize it causes has its
            // pass too, the pass would write after the layout and the browser lay out and pre-paint
            // the markers again: a resize of 1,000 markers took 1.3 ms more, and 12 cards' the
            // same, in interleaved bench runs.)
            (Signal::Moved, _) => {
                self.clippers_version = None;
                self.schedule_measure();
            }
            (Signal::Restyled, _) => {
                self.clippers_version = None;
                self.schedule_measure();
                self.restyled();
            }
            (Signal::TargetAppeared, _) => {
                self.resolve_target();
                self.schedule();
            }
            (Signal::PhotoChanged, _) => self.photo_changed(),
            (Signal::Swapped, _) => {
                // A spin viewer's loop that sets the same `src` or `data-pave-photo` again on
                // every frame changed nothing: hiding would make the markers blink, or never show.
                let key = self.swap_key();
                if key != self.swap_key {
                    self.swap_key = key;
                    self.photo_changed();
                }
            }
            (Signal::Visibility, _) => self.on_visibility(),
            (Signal::Fullscreen, _) => self.on_fullscreen(),
            (Signal::Click, Some(e)) => self.on_click(e),
            (Signal::Key, Some(e)) => self.on_key(e),
            (Signal::Focus, Some(e)) => {
                self.focused = e.target().and_then(|t| t.dyn_into().ok());
                // The shown photo's marker or badge that takes the focus becomes its tab stop
                // (Tab out and Shift+Tab back return to it).
                if let Some(c) = self.written.photo.and_then(|p| self.photo_layers.get(p)) {
                    view::rove(c, self.focused.as_ref(), None);
                }
                // Focus moved out of the open popover to another of our elements (Tab on to the
                // markers or the list, which the popover may cover: WCAG 2.4.11) closes it, as a
                // move to the page does. Not to its opener or its marker (Shift+Tab back, or a
                // click on the marker, which closes it).
                if let (Some(i), Some(t)) = (self.open, &self.focused) {
                    let node: &web_sys::Node = t.as_ref();
                    let keep = self.v.popover.root.contains(Some(node))
                        || self.opener.as_ref().is_some_and(|o| o.is_same_node(Some(node)))
                        || self.markers.get(i).is_some_and(|m| m.is_same_node(Some(node)));
                    if !keep {
                        self.close_popover(false);
                    }
                }
            }
            (Signal::PageClick, Some(e)) => self.on_document_click(e),
            (Signal::PageFocus, Some(e)) => {
                let path = e.composed_path();
                if !path.includes(self.host.as_ref(), 0) {
                    self.focused = None;
                }
                if self.open.is_some() && !path.includes(self.v.popover.root.as_ref(), 0) {
                    self.close_popover(false);
                }
            }
            _ => {}
        }
    }

    /// The page was hidden or shows again.
    fn on_visibility(&mut self) {
        let t = perf_now();
        if self.doc.hidden() {
            self.poll_clock.hidden(t);
            // A poll or retry waiting: put off until the page shows.
            if self.poll_timer.take().is_some() {
                self.deferred = Some(self.timer_polls);
            }
            return;
        }
        self.poll_clock.shown(t);
        if let (Some(polling), Source::Url(url)) = (self.deferred.take(), self.source.clone()) {
            self.fetch(url, polling);
        }
    }

    /// Something went fullscreen, or fullscreen ended.
    fn on_fullscreen(&mut self) {
        self.clippers_version = None;
        self.schedule_measure();
        if self.open.is_none() {
            return;
        }
        let shown = self.doc.fullscreen_element().is_none_or(|fs| composed_contains(&fs.into(), &self.host));
        if !shown {
            // Its markers are under the fullscreen element: nothing to point at.
            self.close_popover(false);
            return;
        }
        // The last element shown in the top layer is drawn on top: show the popover again.
        let had_focus = self.focus_in(&self.v.popover.root.clone());
        self.hide_popover();
        self.show_popover(self.opener.clone());
        if had_focus {
            self.effects.push(Effect::Focus(self.v.popover.root.clone()));
        }
    }

    fn schedule_poll(&mut self) {
        let t = perf_now();
        if self.poll_clock.started == 0.0 {
            self.poll_clock.started = t;
        }
        let waited = self.poll_clock.waited(t);
        if waited >= f64::from(self.cfg.poll_timeout_ms) {
            let mut m = String::from("the inspection was not finished after ");
            // (In seconds when it is a whole number of them: `poll-timeout="1500"` is 1500 ms.)
            let ms = self.cfg.poll_timeout_ms;
            let whole = ms % 1000 == 0;
            m.push_str(&uint(u64::from(if whole { ms / 1000 } else { ms })));
            m.push_str(if whole { " s" } else { " ms" });
            self.fail(ErrorKind::NotInspectedTimeout, m, Some(400));
            return;
        }
        let delay = Backoff::default().delay_ms(self.poll_attempt, js_sys::Math::random());
        // Never wait past the deadline: the last poll lands on it.
        let delay = delay.min(self.poll_time_left(waited).max(1));
        self.poll_attempt = self.poll_attempt.saturating_add(1);
        self.fetch_later(delay, true);
    }

    /// Ms left before `poll-timeout`, `waited` ms after polling started.
    fn poll_time_left(&self, waited: f64) -> u32 {
        // In [0, poll_timeout_ms], a u32: the cast can't wrap.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let left = (f64::from(self.cfg.poll_timeout_ms) - waited).max(0.0) as u32;
        left
    }

    fn fail(&mut self, kind: ErrorKind, message: String, status: Option<u16>) {
        let detail = obj(&[
            ("kind", JsValue::from_str(kind.key())),
            ("message", JsValue::from_str(&message)),
            ("status", status.map_or(JsValue::UNDEFINED, |s| JsValue::from_f64(f64::from(s)))),
        ]);
        self.error = kind;
        self.effects.push(Effect::Dispatch("pave-error", detail));
        self.set_phase(Phase::Error);
    }

    fn set_phase(&mut self, phase: Phase) {
        let labels = &self.cfg.lang.labels();
        let text = match phase {
            Phase::Idle => "",
            Phase::Loading => labels.loading(),
            Phase::Inspecting => labels.inspecting(),
            Phase::Empty => labels.no_damage(),
            Phase::Ready => "",
            Phase::Error => match self.error {
                ErrorKind::Network => labels.error_network(),
                ErrorKind::Timeout => labels.error_timeout(),
                ErrorKind::Http => labels.error_http(),
                ErrorKind::NotFound => labels.not_found(),
                ErrorKind::Malformed => labels.error_malformed(),
                ErrorKind::NotInspectedTimeout => labels.error_inspection_timeout(),
            },
        };
        let count;
        let text = if phase == Phase::Ready {
            count = labels.damage_count(self.results.as_ref().map_or(0, |r| r.damages.len()));
            &count
        } else {
            text
        };
        // A live region: the same words written again (every poll while PAVE inspects, a
        // relabel) would be read out again. (None while it is new: see `status_timer`.)
        if self.status_timer.is_none() && self.v.status_text.text_content().as_deref() != Some(text) {
            self.v.status_text.set_text_content(Some(text));
        }
        set_attr(&self.v.status, "data-state", phase.key());
        // Retrying inline data would only read the same bytes again.
        let hide = phase != Phase::Error || !matches!(self.source, Source::Url(_));
        // Retry hides itself while loading (pressed, or `reload()`): the focus on it stays on the
        // status line it belongs to.
        if hide && self.focus_in(&self.v.retry.clone()) {
            self.effects.push(Effect::Focus(self.v.status_text.clone()));
        }
        self.v.retry.set_hidden(hide);
        // In attach() mode the page owns the visible UI and listens to events: the status line is
        // there for screen readers only (a live region that exists before its text changes, so
        // it is announced), and Retry is left to the page.
        if self.attached {
            set_attr(&self.v.status, "data-quiet", "");
            self.v.retry.set_hidden(true);
        }
        if phase != self.phase {
            self.phase = phase;
            self.effects.push(Effect::Dispatch("pave-state", obj(&[("state", JsValue::from_str(phase.key()))])));
        }
    }

    /// Removes the markers and list of the previous data.
    fn clear_data(&mut self) {
        // Focus on a marker or in the popover stays in the widget: hidePopover() (in
        // close_popover) would drop it to <body>, and the markers are about to go.
        let had_focus = self.focus_in(&self.v.layer.clone())
            || self.focus_in(&self.v.popover.root.clone())
            || self.v.viewer.as_ref().is_some_and(|v| self.focus_in(&v.figure));
        // The list goes too (built again for the next data).
        let list_focus = self.focus_in(&self.v.list.clone());
        self.close_popover(false);
        self.collapse(false);
        self.drop_clusters();
        for layer in &self.photo_layers {
            layer.remove();
        }
        self.photo_layers.clear();
        self.markers.clear();
        self.rows.clear();
        self.filter_buttons.clear();
        self.v.list_body.replace_children_with_node_0();
        self.v.list.set_hidden(true);
        self.results = None;
        self.safe_urls.clear();
        self.resolved_urls.clear();
        self.cancel_pending();
        // (Damage and photo numbers of the data that goes.)
        (self.owed_focus, self.asked) = (None, None);
        self.filter = None;
        // (What is written on the layer itself stays: it is still there.)
        let Written { layer_hidden, layer, seen, turn, .. } = self.written;
        self.written = Written { layer_hidden, layer, seen, turn, ..Written::default() };
        if let Some(viewer) = &self.v.viewer {
            viewer.figure.set_hidden(true);
            let _ = viewer.img.remove_attribute("src");
        }
        self.label_layer(None);
        if had_focus && self.v.viewer.is_none() {
            // As in hide_now: the empty layer keeps the focus; the next markers show in it.
            self.show_layer();
            self.effects.push(Effect::Focus(self.v.layer.clone()));
        } else {
            self.hide_now();
            if had_focus {
                // The built-in viewer hides with its layer: the status line, which tells what
                // happened to the data, takes the focus.
                self.effects.push(Effect::Focus(self.v.status_text.clone()));
            }
        }
        if list_focus {
            self.effects.push(Effect::Focus(self.v.status_text.clone()));
        }
    }

    fn show_results(&mut self, mut results: Results) {
        let labels = &self.cfg.lang.labels();
        // Photo URLs are only used (close-ups, the viewer) when safe.
        let page_parts = page_url();
        let page_part = |k| page_parts.get(k).as_string().unwrap_or_default();
        let (page_origin, page_host, base) = (page_part(0), page_part(1), page_part(2));
        let page = UrlParts { protocol: "", hostname: &page_host, origin: &page_origin };
        self.resolved_urls.clear();
        let mut unsafe_urls: Vec<usize> = Vec::new();
        self.safe_urls.clear();
        for (p, photo) in results.photos.iter().enumerate() {
            let safe = if photo.url.trim().is_empty() {
                self.resolved_urls.push(String::new());
                None
            } else {
                let parsed = resolve_url(photo.url.trim(), &base);
                let part = |k| parsed.as_ref().and_then(|a| a.get(k).as_string()).unwrap_or_default();
                let href = part(0);
                self.resolved_urls.push(href.clone());
                let ok = parsed.is_some() && {
                    let parts = UrlParts { protocol: &part(1), hostname: &part(2), origin: &part(3) };
                    photo_url_allowed(&parts, &page).is_ok()
                };
                if ok {
                    Some(href)
                } else {
                    unsafe_urls.push(p);
                    None
                }
            };
            self.safe_urls.push(safe);
        }
        for &p in &unsafe_urls {
            // (Nor is it handed on in `pave-load`'s photos: a page making links or thumbnails of
            // them would make a `javascript:` one.)
            if let Some(photo) = results.photos.get_mut(p) {
                photo.url.clear();
            }
            let mut path = String::from("data[");
            path.push_str(&uint(p as u64));
            path.push_str("].url");
            results.skip(path, SkipReason::UnsafeUrl);
        }
        let built = view::markers(&self.doc, &results, labels).and_then(|m| {
            self.v.layer.append_child(&m.fragment)?;
            Ok((m.containers, m.markers, m.rank))
        });
        let (layers, markers, rank) = match built {
            Ok(b) => b,
            Err(_) => {
                self.fail(ErrorKind::Malformed, "the markers could not be built".into(), None);
                return;
            }
        };
        self.photo_layers = layers;
        self.markers = markers;
        self.cluster_of = vec![None; rank.len()];
        self.rank = rank;
        // (Built buttons show: only those to hide are written. The first pass switches to a
        // photo, which puts its tab stop on a button.)
        self.written.hidden = vec![Some(false); results.damages.len()];
        self.written.photo = None;
        // The rows are built when the list first opens (see `ensure_list`): a closed list costs
        // one line of text, whatever the number of damages.
        self.v.list_toggle.set_text_content(Some(&view::summary(&results, labels)));
        self.effects.push(Effect::Dispatch("pave-load", load_detail(Some(&results))));
        let first_photo = self
            .cfg
            .photo
            .as_deref()
            .and_then(|name| find_by_name(&results.photos, name))
            .or_else(|| results.photos.iter().position(|p| !p.damages.is_empty()))
            .unwrap_or(0);
        self.results = Some(results);
        self.apply_list_mode();
        self.set_phase(Phase::Ready);
        if self.v.viewer.is_some() {
            self.show_viewer_photo(first_photo);
        }
        self.schedule();
    }

    fn apply_list_mode(&mut self) {
        let has = self.results.is_some();
        let in_list = self.focus_in(&self.v.list.clone());
        let none = !has || self.cfg.list == ListMode::None;
        self.v.list.set_hidden(none);
        let open = self.cfg.list == ListMode::Open;
        if open {
            self.ensure_list();
        }
        self.v.list_body.set_hidden(!open);
        set_attr(&self.v.list_toggle, "aria-expanded", if open { "true" } else { "false" });
        // Focus in what hides would fall to <body>: to the list's toggle, else the status line.
        if in_list && (none || !open) {
            self.effects.push(Effect::Focus(if none { &self.v.status_text } else { &self.v.list_toggle }.clone()));
        }
    }

    /// Builds the list's filters and rows if they aren't yet (the list is about to show).
    fn ensure_list(&mut self) {
        let Some(r) = &self.results else { return };
        if !self.rows.is_empty() || r.damages.is_empty() {
            return;
        }
        let labels = &self.cfg.lang.labels();
        self.v.list_body.replace_children_with_node_0();
        if let Ok((filters, rows)) = view::list_rows(&self.v.list_body, r, labels, &self.cfg.heading_level) {
            self.rows = rows;
            self.filter_buttons = filters;
        }
        self.apply_filter_marks();
        if let Some(row) = self.open.and_then(|i| self.rows.get(i)) {
            set_attr(row, "aria-current", "true");
        }
    }

    /// Rewrites every label in the current language.
    fn relabel(&mut self) {
        let labels = &self.cfg.lang.labels();
        // The language of the widget's own words, marked on its top-level elements: never on the
        // host, whose `lang` attribute is the page's (writing it would also overwrite a `lang`
        // the page set before the engine started).
        let tag = self.cfg.lang.tag();
        let tops = [&self.v.layer, &self.v.status, &self.v.list, &self.v.popover.root];
        for el in tops.into_iter().chain(self.v.viewer.as_ref().map(|v| &v.figure)) {
            set_attr(el, "lang", tag);
            // Our words read left to right in every language we have, on a right-to-left page too.
            set_attr(el, "dir", "ltr");
        }
        self.label_layer(self.written.photo);
        self.v.retry.set_text_content(Some(labels.retry()));
        view::label_popover(&self.v.popover, labels);
        if let Some(viewer) = &self.v.viewer {
            set_attr(&viewer.prev, "aria-label", labels.previous_photo());
            set_attr(&viewer.next, "aria-label", labels.next_photo());
        }
        if let Some(r) = &self.results {
            let total = r.damages.len();
            for (d, m) in r.damages.iter().zip(&self.markers) {
                set_attr(m, "aria-label", &view::marker_name(d, total, labels));
            }
            self.v.list_toggle.set_text_content(Some(&view::summary(r, labels)));
        }
        // Rows built in the old language are built again (now if the list shows, else when it opens).
        if !self.rows.is_empty() {
            // Focus on a row or a filter goes to the same one, built again.
            let active = self.root.active_element();
            let at = |list: &[HtmlElement]| {
                list.iter().position(|e| active.as_ref().is_some_and(|a| e.contains(Some(a.as_ref()))))
            };
            let (row, filter) = (at(&self.rows), at(&self.filter_buttons));
            self.rows.clear();
            self.filter_buttons.clear();
            self.v.list_body.replace_children_with_node_0();
            if !self.v.list_body.hidden() {
                self.ensure_list();
            }
            let again = row.and_then(|k| self.rows.get(k)).or_else(|| filter.and_then(|k| self.filter_buttons.get(k)));
            if let Some(el) = again {
                self.effects.push(Effect::Focus(el.clone()));
            }
        }
        self.set_phase(self.phase);
        if let Some(i) = self.open {
            self.fill_popover(i);
        }
        // The badges are renamed where they are (rebuilding them would fold a fanned-out one and
        // move the keyboard's focus off its member).
        for c in &self.clusters {
            set_attr(&c.button, "aria-label", &labels.fill(labels.cluster(), c.members.len(), 0));
        }
        self.update_viewer_label();
    }

    // ---- Photo changes and the frame --------------------------------------------------------

    /// The picture's attributes that name its photo (see `swap_key`) and its `<picture>`'s
    /// sources, as one string read by js/markers.js (an image's `src` resolved: `img.src =
    /// img.src` writes the absolute URL over a relative one, the same picture).
    fn swap_key(&self) -> String {
        self.target.as_ref().map(js::swap_key).unwrap_or_default()
    }

    /// The picture may have changed: hide at once, place again before the next paint (in this
    /// frame when the page changed it in an animation-frame callback, as a viewer's frame loop
    /// does: not a frame without markers on every change).
    fn photo_changed(&mut self) {
        // The same photo named another way (its label for its code, a data-pave-photo the map
        // agrees with, a sharper copy of the frame): nothing to hide, the pass places it again.
        // Or the spin turned back to it before the frame it turned to loaded (a step back from a
        // damage on another photo): its popover stays open. (Named by its `src` while it loads:
        // the browser paints the last frame until then.)
        let same = self.written.photo.is_some() && self.photo_now(true) == self.written.photo;
        if !same {
            self.hide_now();
        }
        self.schedule();
        if let Some(p) = &self.passes {
            p.soon(&self.v.soon);
        }
    }

    /// The page changed an attribute of the picture or of an ancestor: a viewer zooming or
    /// panning in its animation frames has each step drawn with the markers where it puts the
    /// photo (see js/moves.js).
    fn restyled(&self) {
        if let Some(p) = self.passes.as_ref().filter(|_| self.started) {
            p.moved();
        }
    }

    fn hide_now(&mut self) {
        // (Focus still in a just-closed popover is on its way to the layer: keep the layer too.
        // One open for a photo not shown stays open, its focus too.)
        let attached = self.attached();
        if self.focus_in(&self.v.layer.clone()) || (attached && self.focus_in(&self.v.popover.root.clone())) {
            // A hidden element loses focus to <body>. Hide the markers, keep the (empty,
            // focusable) layer, and give it the focus: the next picture's markers follow it.
            if attached {
                self.close_popover(false);
            }
            self.empty_layer();
            self.effects.push(Effect::Focus(self.v.layer.clone()));
            return;
        }
        self.hide_layer();
    }

    /// Leaves the layer shown and empty, for the focus it has or takes: the markers of the photo
    /// written go, and its name no longer names that photo (until the next picture is measured
    /// and shown). (A hidden layer takes no focus where `[hidden]` is `display: none`, Safari
    /// before 18.)
    fn empty_layer(&mut self) {
        self.collapse(false);
        if let Some(shown) = self.written.photo.take().and_then(|p| self.photo_layers.get(p)) {
            shown.set_hidden(true);
        }
        self.label_layer(None);
        self.show_layer();
    }

    /// Hides the layer (once).
    fn hide_layer(&mut self) {
        if !self.written.layer_hidden {
            self.v.layer.set_hidden(true);
            self.written.layer_hidden = true;
        }
    }

    /// Shows the layer (once).
    fn show_layer(&mut self) {
        if self.written.layer_hidden {
            self.v.layer.set_hidden(false);
            self.written.layer_hidden = false;
        }
    }

    /// Forgets what was written to markers, so the next frame writes every one.
    fn invalidate_markers(&mut self) {
        self.written.hidden.iter_mut().for_each(|h| *h = None);
    }

    /// Our own state changed: render in the next frame, whatever the page does.
    fn schedule(&mut self) {
        self.version = self.version.wrapping_add(1);
        self.schedule_measure();
    }

    /// The page may have moved (scroll, resize, a load): measure in the next frame, and write
    /// only if something measured changed.
    fn schedule_measure(&mut self) {
        if self.frame || !self.started {
            return;
        }
        if let Some(p) = &self.passes {
            p.request();
            self.frame = true;
        }
    }

    /// A pass's read: measures the page (and writes nothing, so that every widget on the page
    /// reads one layout).
    fn read(&mut self) -> Read {
        // No data, no markers: nothing to measure either.
        if self.results.is_none() {
            return Read::Hide;
        }
        if !self.attached && self.v.viewer.is_none() && self.target.as_ref().is_some_and(|el| !el.is_connected()) {
            // The page replaced the image (a framework re-render): find it again by id, and
            // measure that one now.
            self.resolve_target();
        }
        // A loaded picture that shows none of the photos, as its attributes and URL say (most
        // frames of a turning spin): no markers to place, nothing to measure. (With a popover
        // open, the pass keeps it in the viewport.)
        if self.open.is_none()
            && self.v.viewer.is_none()
            && self
                .target
                .as_ref()
                .and_then(|t| t.dyn_ref::<HtmlImageElement>())
                .is_some_and(HtmlImageElement::complete)
            && self.photo_now(false).is_none()
        {
            return Read::Leave;
        }
        let origin = measure::rect_of(&self.v.origin);
        // Positions are compared relative to our own origin: scrolling the page moves the picture
        // and our layer alike, and then there is nothing to write.
        let shift = |r: Rect| Rect::new(r.x - origin.x, r.y - origin.y, r.width, r.height);
        let fresh = self.clippers_version == Some(self.version);
        // Where the picture can be seen at all: scroll containers around the image clip it, and
        // our layer (which may live outside them) must clip the same way. Found anew each frame:
        // a page may change an ancestor's overflow at any time.
        // Reading every ancestor's computed style costs; scrolling doesn't change it, so the list
        // is found again only when our state changed or the page's layout did (a resize).
        if !fresh {
            let ancestry;
            (self.clippers, self.ancestors, ancestry) = match &self.target {
                Some(t) => clipping_ancestors(t),
                None => (Vec::new(), ScreenMap::IDENTITY, Vec::new()),
            };
            self.clippers_version = Some(self.version);
            self.watch_ancestry(ancestry);
        }
        let clip = self.clippers.iter().fold(Rect::UNBOUNDED, |acc, c| {
            let [x, y, w, h, layout_w, layout_h, cx, cy, cw, ch] = measure::scroll_box(&c.element);
            let bounding = Rect::new(x, y, w, h);
            let map = ScreenMap::from_bounding_box(Size::new(layout_w, layout_h), bounding);
            let [top, right, bottom, left] = c.margin;
            acc.intersect(overflow_clip(
                &map,
                Rect::new(cx - left, cy - top, cw + left + right, ch + top + bottom),
                c.x,
                c.y,
            ))
        });
        // Nothing changed since the last pass read but what scrolling or a resize of the page
        // changes (no state changed; nothing moved, loaded or resized but in a frame whose pass
        // had read it already: each finds the clipping ancestors again): if the picture is where
        // it was from our origin, our markers' size is the same and so is the part of it the
        // scroll boxes around it show, a scroll moved both alike (the page's, or one of a box
        // holding both: which may bring the picture into view, or take it out), or the last pass
        // read this layout already, and nothing else can have changed. (Not with a popover open:
        // it is placed in the viewport.) A sticky or fixed picture, a box scrolled under the
        // picture alone, a resize after that pass: read on.
        if let (true, None, Some(el), Some(Inputs { target: Some(t), origin: o, clip: seen, .. })) =
            (fresh, self.open, &self.target, &self.last_inputs)
        {
            let bounding = shift(measure::rect_of(el));
            if bounding == t.bounding && o.size() == origin.size() && shift(clip).intersect(bounding) == *seen {
                return Read::Same;
            }
        }
        let measured = match (&self.target, &self.target_style) {
            (Some(el), Some(style)) if el.is_connected() => Some(measure::target(el, style)),
            _ => None,
        };
        let (space, tilt) = measure::probe_map(&self.v.origin);
        let viewport = measure::viewport(&self.window, &self.v.popover.root);
        // The markers' size in our own px: the origin probe is as tall as `--pave-marker-size`
        // (in any unit, `calc()` included), 10 px wide, drawn in our space: its bounding box is
        // 10·(|a| + |b|) + size·(|c| + |d|) around. Markers are at least 24 px.
        let [a, b, c, d] = space.abcd();
        let marker_size = Some((origin.width + origin.height - 10.0 * (a.abs() + b.abs())) / (c.abs() + d.abs()))
            .filter(|s| finite(*s) && *s > 0.0)
            .map_or(28.0, |s| s.max(24.0))
            .min(200.0);
        let popover = self.open.map(|_| self.popover_extent());
        // CSS `zoom` on an ancestor reaches the popover in the top layer too, scaling the px it
        // is placed by: it is zoomed back to 1 (placement is in the viewport's px; `open_damage`
        // does so before the first measure).
        let zoom = if self.open.is_some() { measure::css_zoom(&self.host) } else { 1.0 };
        // Nothing measured changed and no state changed since the last pass: nothing to write.
        // (Scrolling, loads elsewhere on the page and body resizes mostly end here.) Positions
        // relative to our origin (`shift`); only an open popover (placed in viewport coordinates)
        // needs the absolute ones.
        let inputs = Inputs {
            target: measured.clone().map(|mut t| {
                t.bounding = shift(t.bounding);
                t
            }),
            origin: if self.open.is_some() { origin } else { Rect::new(0.0, 0.0, origin.width, origin.height) },
            space: space.abcd(),
            ancestors: self.ancestors.abcd(),
            // What the scroll boxes show of the picture: all that decides which markers show.
            clip: measured.as_ref().map_or(Rect::default(), |t| shift(clip).intersect(shift(t.bounding))),
            viewport: if self.open.is_some() { viewport } else { Rect::default() },
            marker_size,
            popover: popover.map(|p| p.size()),
            zoom,
            dpr: self.window.device_pixel_ratio(),
            version: self.version,
        };
        if self.last_inputs.as_ref() == Some(&inputs) {
            return Read::Same;
        }
        self.last_inputs = Some(inputs);
        // Move watches start over after a resize, or once a hidden element has a box (either
        // changes what was measured, so a frame that changed nothing skips this): now, while
        // layout is fresh, before anything is written.
        self.moves.iter().flatten().for_each(Moves::wake);
        Read::Draw(Reading { measured, space, tilt, clip, viewport, marker_size, popover, zoom })
    }

    /// A pass's write: decides from what was read, and writes what changed.
    fn write(&mut self, read: Read) {
        // The browser hides an open popover taken out of the document (silently): a container of
        // an overlay's that the page moved, which a pass sees as a move. (The element hears of
        // its own moves.)
        // (Asked of the browser only while a popover is open: a pass runs in every frame of a spin.)
        if self.open.is_some()
            && !self.v.popover.root.matches(":popover-open").unwrap_or(true)
            && self.host.is_connected()
        {
            self.moved();
        }
        let r = match read {
            Read::Same => return,
            Read::Hide => return self.hide_now(),
            Read::Leave => {
                self.leave_photo();
                return self.hide_now();
            }
            Read::Draw(r) => r,
        };
        let Reading { measured, space, tilt, clip, viewport, marker_size, popover, zoom } = r;
        let [a, b, c, d] = space.abcd();
        // A picture loading the photo whose markers it showed (a spin turned back to it before
        // the frame it turned to came: a step back to a damage on it) keeps their popover open:
        // they show again once it has loaded.
        let rendered = measured.as_ref().is_some_and(|t| t.rendered);
        let back = rendered && self.written.photo.is_some() && self.photo_now(true) == self.written.photo;
        let Some(t) = measured.filter(|t| t.rendered && t.settled) else {
            if back && self.open.is_some() && !self.focus_in(&self.v.layer.clone()) {
                self.hide_layer();
            } else {
                self.hide_now();
                // A picture taken away or hidden (a lightbox closed) shows no photo: a popover
                // beside one of its markers closes with them. (Not one loading its next frame.)
                if !rendered {
                    self.leave_photo();
                }
            }
            return self.keep_popover(popover, viewport);
        };
        let Some(results) = self.results.as_ref() else {
            self.hide_now();
            return;
        };
        let photo = self.shown_photo(results, t.data_photo.as_deref(), &t.current_src);
        let rect = content_rect(&t.element, t.natural, t.fit, &t.position, t.view_box.as_ref()).ok();
        let (Some(photo), Some(rect)) = (photo, rect) else {
            self.leave_photo();
            self.hide_now();
            return self.keep_popover(popover, viewport);
        };
        let (screen, place) = element_map(
            &space,
            &self.ancestors,
            &t.own,
            Size::new(t.element.width, t.element.height),
            t.bounding,
            tilt.as_ref(),
        );
        // Our px per viewport px (uniform: for sizes and offsets).
        let scale = (a * d - b * c).abs().sqrt();
        // The layer covers the picture, in our containing block's px. Its sides are the
        // picture's top and left edges; when the picture's own transform turns, skews or
        // mirrors them, the layer is turned by `turn` (unit columns: no scale) from its corner.
        let corner = place.map(Point::new(rect.x, rect.y));
        let (width, height) = (place.scale_x() * rect.width, place.scale_y() * rect.height);
        let turn = place.turn();
        let turned = turn.unwrap_or_default();
        let mut layer = [corner.x, corner.y, width, height];
        if screen.is_translation() && turn.is_none() {
            // Untransformed pictures are painted snapped to device pixels: follow them exactly (unless
            // our layer must turn to undo a turn of ours alone: the corners are then not its sides).
            // (Under a transform the browser rasterises in the element's own space; no snapping.)
            let drawn = snap_to_device_pixels(screen.map_rect(rect), self.window.device_pixel_ratio());
            let top_left = space.inverse(Point::new(drawn.x, drawn.y));
            let bottom_right = space.inverse(Point::new(drawn.right(), drawn.bottom()));
            layer = [top_left.x, top_left.y, bottom_right.x - top_left.x, bottom_right.y - top_left.y];
        }
        let on_screen = screen.turn();
        if !same_turn(on_screen, self.written.on_screen) {
            self.written.on_screen = on_screen;
            // (An open popover's close-up turns with the picture.)
            self.turn_closeup();
        }

        // Which markers show: visible in the picture (not cropped), in the filter.
        let damages = results.damages_of(photo);
        let first = damages.first().map_or(0, |d| d.index);
        let mut local = Vec::with_capacity(damages.len());
        // Clusters by on-screen distance between visible markers.
        let mut shown = Vec::with_capacity(damages.len());
        let mut visible_idx = Vec::new();
        let mut visible_pts = Vec::new();
        // (The open damage's point cropped away: its popover has nothing to stand beside.)
        let mut cropped = false;
        for (k, d) in damages.iter().enumerate() {
            let p = percent_to_px(&rect, d.x, d.y);
            let sp = screen.map(p);
            let inside = is_visible(&t.element, p);
            cropped |= !inside && self.open == Some(d.index);
            let show = inside && clip.contains(sp) && self.filter.is_none_or(|g| g == d.group);
            local.push(p);
            shown.push(show);
            if show {
                visible_idx.push(k);
                visible_pts.push(sp);
            }
        }
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for g in clusters(&visible_pts, marker_size) {
            if g.len() > 1 {
                let mut members = Vec::with_capacity(g.len());
                for k in g {
                    if let Some(k) = visible_idx.get(k) {
                        members.push(first + k);
                    }
                }
                groups.push(members);
            }
        }

        // Write.
        if self.written.photo != Some(photo) {
            self.switch_photo(photo);
        }
        self.show_layer();
        if self.written.layer.iter().zip(&layer).any(|(a, b)| (a - b).abs() > 0.001) {
            let style = self.v.layer.style();
            set_css(&style, "left", layer[0], "px");
            set_css(&style, "top", layer[1], "px");
            set_css(&style, "width", layer[2], "px");
            set_css(&style, "height", layer[3], "px");
            self.written.layer = layer;
        }
        // The focus ring of the layer (which focus falls back to) rings what can be seen of the
        // picture, not the part `object-fit: cover` crops away (or a viewer's stage clips).
        let crop = rect.intersect(t.element.content_box());
        let pct = |v: f64, of: f64| if of > 0.0 { v / of * 100.0 } else { 0.0 };
        // (`inset`'s order: top, right, bottom, left.)
        let ring = [
            pct(crop.y - rect.y, rect.height),
            pct(rect.right() - crop.right(), rect.width),
            pct(rect.bottom() - crop.bottom(), rect.height),
            pct(crop.x - rect.x, rect.width),
        ];
        if self.written.seen.iter().zip(&ring).any(|(a, b)| (a - b).abs() > 0.001) {
            let mut inset = String::new();
            for v in ring {
                inset.push_str(&css(v, "% "));
            }
            let _ = self.v.layer.style().set_property("--_s", &inset);
            self.written.seen = ring;
        }
        if !same_turn(self.written.turn, turn) {
            let style = self.v.layer.style();
            js::toggle_attr(&self.v.layer, "data-turned", turn.is_some());
            match turn {
                Some(k) => {
                    // The layer's turn, and its inverse for what sits on it.
                    let (x, y) = (k.inverse(Point::new(1.0, 0.0)), k.inverse(Point::new(0.0, 1.0)));
                    let _ = style.set_property("transform", &matrix(k.abcd()));
                    let _ = style.set_property("--_k", &matrix([x.x, x.y, y.x, y.y]));
                }
                None => {
                    let _ = style.remove_property("transform");
                }
            }
            self.written.turn = turn;
        }
        // Fanned-out clusters stay inside what can be seen of the page (and of the picture's
        // scroll boxes).
        let seen = viewport.intersect(clip);
        let placed = Placed { screen, space, turned, layer: Size::new(layer[2], layer[3]), scale };
        self.write_clusters(photo, groups, first, &shown, &local, &rect, marker_size, &placed, seen);
        for (k, on) in shown.iter().enumerate() {
            let index = first + k;
            let clustered = self.cluster_of.get(index).copied().flatten().is_some_and(|c| self.expanded != Some(c));
            let hidden = !on || clustered;
            if self.written.hidden.get(index) != Some(&Some(hidden)) {
                if let Some(m) = self.markers.get(index) {
                    m.set_hidden(hidden);
                }
                self.restop = true;
                if let Some(slot) = self.written.hidden.get_mut(index) {
                    *slot = Some(hidden);
                }
            }
        }

        if core::mem::take(&mut self.restop) {
            // (To where this pass is about to move the focus, if among them: one move, not two.)
            let to = self.effects.iter().rev().find_map(|e| match e {
                Effect::Focus(el) | Effect::FocusAndShow(el) => Some(el),
                _ => None,
            });
            // (Focus on a marker that a crop or a filter hid would fall to <body>: it goes on
            // with the tab stop, to the first marker still shown, or the layer.)
            if let Some(lost) = self.photo_layers.get(photo).and_then(|c| view::rove(c, to, self.focused.as_ref())) {
                self.effects.push(Effect::FocusIfIdle(lost));
            }
        }

        // A damage asked for on this photo (the built-in viewer turned to it) opens now that it
        // shows, unless the user went on to something else on the page meanwhile (focus in a
        // form field: it would take it). Focus still where it was asked from (a page's button
        // that called `open()`) is no going on: it opens, and the focus stays there.
        if self.open_pending(photo) {
            return;
        }
        if let (Some(i), Some(at)) = (self.open, popover) {
            let size = at.size();
            let place = match self.anchor_of(i, &placed, &rect, marker_size).filter(|_| !cropped) {
                // Once its marker has been in view, the popover leaves with it when it scrolls
                // away. Until then (opened from the list or by `open()` for a marker out of view)
                // it stays in the viewport, where the user is looking.
                Some(anchor) => {
                    let room = reach(anchor, viewport);
                    self.anchor_seen |= room == viewport;
                    place_popover(anchor, size, if self.anchor_seen { room } else { viewport }, 10.0, 8.0)
                }
                // Open for a photo not shown, or its point cropped away (a viewer zoomed in
                // elsewhere): where it was, inside a viewport that may have shrunk since.
                None => keep_in(at, viewport, 8.0),
            };
            set_css(&self.v.popover.root.style(), "zoom", 1.0 / zoom, "");
            self.put_popover(&place);
            // Narrowed (a pinch-zoomed phone): it is taller now than it was measured, so it
            // is measured and placed again in the next frame.
            if size.width > place.max.width + 0.5 {
                self.schedule_measure();
            }
        }
    }

    /// An open popover that no marker of the photo shown anchors: where it is, inside a viewport
    /// that may have changed (one just opened, still off-screen, comes in).
    fn keep_popover(&mut self, popover: Option<Rect>, viewport: Rect) {
        if let (Some(_), Some(at)) = (self.open, popover) {
            self.put_popover(&keep_in(at, viewport, 8.0));
        }
    }

    /// Opens the damage asked for on `photo` (see the pass), if any; whether it did.
    fn open_pending(&mut self, photo: usize) -> bool {
        let Some(i) = self.pending_open.filter(|&i| results_photo(self.results.as_ref(), i) == Some(photo)) else {
            return false;
        };
        self.pending_open = None;
        let opener = self.pending_opener.take();
        let from = self.pending_from.take();
        let idle = js::focus_idle(&self.host);
        // (Nodes compared as nodes: `==` of web-sys types takes an import of its own, Object.is.)
        let still_on = |f: &Element| f.is_same_node(self.doc.active_element().as_ref().map(AsRef::as_ref));
        if idle || from.as_ref().is_some_and(still_on) {
            // (Leaving it there, as the call did.)
            self.focusing(!idle, |s| s.open_damage(i, opener));
            return true;
        }
        false
    }

    /// Whether the built-in viewer's photo could not be loaded (js/engine.js marks it), or has
    /// no URL it may load.
    fn viewer_broken(&self) -> bool {
        self.v.viewer.as_ref().is_some_and(|v| v.img.has_attribute("data-broken"))
    }

    /// The built-in viewer's photo failed or loaded: the stage says so, or no more; a damage
    /// waiting for that photo opens all the same, beside its row (as one for a photo the page
    /// doesn't show).
    fn viewer_loaded(&mut self) {
        self.say_broken();
        if self.viewer_broken() {
            self.open_pending(self.viewer_photo);
        }
    }

    /// The stage's words for a photo that could not be loaded (style.css shows them), in the
    /// language of the moment.
    fn say_broken(&self) {
        if let Some(v) = &self.v.viewer {
            if self.viewer_broken() {
                set_attr(&v.stage, "data-broken", self.cfg.lang.labels().photo_failed());
            } else {
                let _ = v.stage.remove_attribute("data-broken");
            }
        }
    }

    /// The popover's box, as tall as its content even when cut to its room and scrolling inside
    /// (placed by that, not by the cut: it would go back and forth between the two).
    fn popover_extent(&self) -> Rect {
        let root = &self.v.popover.root;
        let r = measure::rect_of(root);
        Rect::new(r.x, r.y, r.width, r.height + f64::from(root.scroll_height() - root.client_height()))
    }

    /// Writes where the popover goes.
    fn put_popover(&self, place: &Placement) {
        let style = self.v.popover.root.style();
        set_css(&style, "left", place.x, "px");
        set_css(&style, "top", place.y, "px");
        set_css(&style, "max-width", place.max.width, "px");
        set_css(&style, "max-height", place.max.height, "px");
    }

    /// Whether the open damage is on the photo shown (its popover beside its marker), rather than
    /// opened for a photo the page doesn't show (yet).
    fn attached(&self) -> bool {
        self.open.is_some_and(|i| self.on_shown_photo(i))
    }

    /// Whether damage `i` is on the photo whose markers were last written.
    fn on_shown_photo(&self, i: usize) -> bool {
        results_photo(self.results.as_ref(), i) == self.written.photo
    }

    /// Which photo of `results` the measured picture `t` shows, if any.
    /// The photo the picture names now, from what says so without a layout (its attributes, its
    /// `currentSrc`): what the next pass will show, before it has run. A picture still loading
    /// names the photo of its `src` when `loading`, else none (its currentSrc may be the last one's).
    fn photo_now(&self, loading: bool) -> Option<usize> {
        let results = self.results.as_ref()?;
        let t = self.target.as_ref()?;
        let current_src = match t.dyn_ref::<HtmlImageElement>() {
            Some(img) if !img.complete() => match loading {
                true => img.src(),
                false => return None,
            },
            Some(img) => img.current_src(),
            None => {
                t.dyn_ref::<web_sys::HtmlMediaElement>().map(web_sys::HtmlMediaElement::current_src).unwrap_or_default()
            }
        };
        self.shown_photo(results, t.get_attribute("data-pave-photo").as_deref(), &current_src)
    }

    fn shown_photo(&self, results: &Results, data_photo: Option<&str>, current_src: &str) -> Option<usize> {
        if self.v.viewer.is_some() {
            return Some(self.viewer_photo).filter(|p| *p < results.photos.len());
        }
        let query = PhotoQuery {
            photo: self.cfg.photo.as_deref(),
            data_photo,
            photo_map: &self.cfg.photo_map,
            current_src,
            resolved_urls: &self.resolved_urls,
        };
        select_photo(&results.photos, &query)
    }

    /// The viewport rectangle of damage `i`'s marker (or its cluster badge when collapsed).
    fn anchor_of(&self, i: usize, placed: &Placed, rect: &Rect, size: f64) -> Option<Rect> {
        let screen = &placed.screen;
        let r = self.results.as_ref()?;
        let d = r.damages.get(i)?;
        // (A damage on a photo the page doesn't show has no marker to be beside.)
        if Some(d.photo) != self.written.photo {
            return None;
        }
        let half = size * placed.scale / 2.0;
        let around = |p: Point| Rect::new(p.x - half, p.y - half, 2.0 * half, 2.0 * half);
        let mut p = screen.map(percent_to_px(rect, d.x, d.y));
        if let Some(c) = self.clusters.iter().position(|c| c.members.contains(&i)) {
            let members = &self.clusters.get(c)?.members;
            let center = centroid(
                members.iter().filter_map(|m| r.damages.get(*m)).map(|d| screen.map(percent_to_px(rect, d.x, d.y))),
            );
            p = center;
            if self.expanded == Some(c) {
                // The whole fan and its badge: the popover of one of its markers lies beside
                // them, not over the others (which could then be reached only by next/previous).
                let shift = self.clusters.get(c)?.shift;
                return Some(spread(members.len(), size + 6.0).iter().fold(around(center), |all, off| {
                    let to = placed.space.linear().map(Point::new(off.x + shift.x, off.y + shift.y));
                    let m = around(Point::new(center.x + to.x, center.y + to.y));
                    let (x, y) = (all.x.min(m.x), all.y.min(m.y));
                    Rect::new(x, y, all.right().max(m.right()) - x, all.bottom().max(m.bottom()) - y)
                }));
            }
        }
        Some(around(p))
    }

    /// Shows photo `photo`'s markers and hides the previous photo's, keeping focus inside.
    fn switch_photo(&mut self, photo: usize) {
        let focus_was_inside = self.focus_in(&self.v.layer.clone());
        if let Some(old) = self.written.photo.and_then(|p| self.photo_layers.get(p)) {
            old.set_hidden(true);
        }
        self.collapse(false);
        self.drop_clusters();
        // The spin turned away from the open damage's photo: it closes. (One open for another
        // photo stays open until its own shows, or the user closes it.)
        if self.attached() {
            self.close_popover(false);
        }
        if let Some(new) = self.photo_layers.get(photo) {
            new.set_hidden(false);
        }
        self.written.photo = Some(photo);
        self.restop = true;
        self.label_layer(Some(photo));
        // (The page turned: whatever was asked for is settled.)
        self.asked = None;
        // (Whatever the focus did since, what it was owed is settled.)
        let owed = self.owed_focus.take().filter(|&i| results_photo(self.results.as_ref(), i) == Some(photo));
        if focus_was_inside {
            // The focused marker belonged to the old picture: keep focus on the overlay, never
            // on <body>; or, where a popover closed onto it while this photo was on its way, on
            // that damage's marker (a hidden one, cropped or in a cluster, takes no focus: it
            // stays on the layer).
            let to = owed.and_then(|i| self.markers.get(i)).unwrap_or(&self.v.layer).clone();
            self.effects.push(Effect::Focus(to));
        }
    }

    /// Names the overlay: "Damage markers: Front", or "Damage markers" when no photo shows.
    fn label_layer(&self, photo: Option<usize>) {
        let mut name = self.cfg.lang.labels().markers().to_owned();
        if let (Some(r), Some(photo)) = (&self.results, photo) {
            // (French puts a space before a colon.)
            name.push_str(if self.cfg.lang == Lang::Fr { "\u{a0}: " } else { ": " });
            name.push_str(&view::photo_words(r, photo, self.cfg.lang));
        }
        set_attr(&self.v.layer, "aria-label", &name);
    }

    /// No photo shows now (a frame between inspected angles).
    fn leave_photo(&mut self) {
        self.label_layer(None);
        // (One open for another photo stays: a spin turning to it passes frames between.)
        if self.attached() {
            self.close_popover(false);
        }
        if let Some(old) = self.written.photo.take().and_then(|p| self.photo_layers.get(p)) {
            old.set_hidden(true);
        }
        self.collapse(false);
        self.drop_clusters();
    }

    #[allow(clippy::too_many_arguments)]
    fn write_clusters(
        &mut self,
        photo: usize,
        groups: Vec<Vec<usize>>,
        first: usize,
        shown: &[bool],
        local: &[Point],
        rect: &Rect,
        marker_size: f64,
        placed: &Placed,
        seen: Rect,
    ) {
        let (screen, scale, lin) = (&placed.screen, placed.scale, placed.space.linear());
        let same =
            groups.len() == self.clusters.len() && groups.iter().zip(&self.clusters).all(|(g, c)| *g == c.members);
        if !same {
            self.regroup(photo, groups, first, shown);
        }
        // Badges sit at their members' centroid (in % of the picture, like the markers).
        let pct = |i: usize| {
            local
                .get(i - first)
                .map(|p| Point::new((p.x - rect.x) / rect.width * 100.0, (p.y - rect.y) / rect.height * 100.0))
        };
        for (c, cluster) in self.clusters.iter_mut().enumerate() {
            let center = centroid(cluster.members.iter().filter_map(|m| pct(*m)));
            if cluster.at.is_none_or(|at| (at.x - center.x).abs() > 1e-6 || (at.y - center.y).abs() > 1e-6) {
                let style = cluster.button.style();
                set_css(&style, "left", center.x, "%");
                set_css(&style, "top", center.y, "%");
                cluster.at = Some(center);
            }
            if self.expanded == Some(c) {
                // Members fan out around the badge; offsets in our own (unscaled) px.
                let offsets = spread(cluster.members.len(), marker_size + 6.0);
                let on_screen = screen
                    .map(Point::new(rect.x + center.x / 100.0 * rect.width, rect.y + center.y / 100.0 * rect.height));
                let scaled = offsets.iter().map(|o| lin.map(*o));
                let shift = fit_fan(on_screen, scaled, marker_size * scale / 2.0 + 4.0, seen);
                cluster.shift = lin.inverse(shift);
                for (m, off) in cluster.members.iter().zip(offsets) {
                    let (Some(marker), Some(p)) = (self.markers.get(*m), pct(*m)) else {
                        continue;
                    };
                    // From the member's point to the badge's, along the (maybe turned) layer.
                    let to = placed.turned.map(Point::new(
                        (center.x - p.x) / 100.0 * placed.layer.width,
                        (center.y - p.y) / 100.0 * placed.layer.height,
                    ));
                    let dx = to.x + off.x + cluster.shift.x;
                    let dy = to.y + off.y + cluster.shift.y;
                    let s = marker.style();
                    set_css(&s, "--dx", dx, "px");
                    set_css(&s, "--dy", dy, "px");
                }
            }
        }
    }

    /// Makes the badges those of `groups` (each a cluster's members), keeping every badge whose
    /// cluster is unchanged (its place in the DOM, focus, fan-out): a resize that splits or joins
    /// a few clusters writes for those few.
    /// `shown[k]`: whether damage `at + k` (of this photo) shows.
    #[inline(never)]
    fn regroup(&mut self, photo: usize, groups: Vec<Vec<usize>>, at: usize, shown: &[bool]) {
        // The fanned-out cluster, unless it stays as it is, folds (its members' fan offsets go);
        // a new cluster holding its first member fans out again below.
        let expanded = self.expanded.and_then(|e| self.clusters.get(e));
        let kept_expanded = expanded.is_some_and(|c| groups.contains(&c.members));
        let expanded_first = expanded.and_then(|c| c.members.first().copied());
        if !kept_expanded {
            self.collapse(false);
        }
        let focused = self.root.active_element();
        // (Its index among the old clusters; `self.expanded` becomes its index among the new.)
        let was_expanded = self.expanded.take();
        let mut old: Vec<Option<Cluster>> = core::mem::take(&mut self.clusters).into_iter().map(Some).collect();
        let labels = &self.cfg.lang.labels();
        for members in groups {
            // Clusters are disjoint: an unchanged one is found by its first member.
            let was = members.first().and_then(|f| self.cluster_of.get(*f).copied().flatten());
            let same = was.and_then(|k| old.get_mut(k)).filter(|c| c.as_ref().is_some_and(|c| c.members == members));
            if let Some(cluster) = same.and_then(Option::take) {
                if was.is_some() && was == was_expanded {
                    self.expanded = Some(self.clusters.len());
                }
                self.clusters.push(cluster);
                continue;
            }
            // In the DOM (and so in Tab order) right before its first member in reading order.
            let first = members
                .iter()
                .min_by_key(|m| self.rank.get(**m).copied().unwrap_or(usize::MAX))
                .and_then(|m| self.markers.get(*m));
            let label = labels.fill(labels.cluster(), members.len(), 0);
            let Ok(b) = js::build_cluster(members.len(), &label, self.photo_layers.get(photo), first) else {
                continue;
            };
            self.clusters.push(Cluster { members, button: b, shift: Point::default(), at: None });
            self.restop = true;
        }
        self.cluster_of.iter_mut().for_each(|c| *c = None);
        for (k, cluster) in self.clusters.iter().enumerate() {
            for m in &cluster.members {
                if let Some(slot) = self.cluster_of.get_mut(*m) {
                    *slot = Some(k);
                }
            }
        }
        // Badges of clusters that split or joined go. Focus on one moves to where its first
        // member is now: the badge it is in, or its own marker (or, hidden, the layer).
        for gone in old.iter().flatten() {
            if focused.as_ref().is_some_and(|f| f.is_same_node(Some(gone.button.as_ref()))) {
                let first = gone.members.first().copied().unwrap_or(usize::MAX);
                let now = self.cluster_of.get(first).copied().flatten().and_then(|c| self.clusters.get(c));
                let alone =
                    self.markers.get(first).filter(|_| first.checked_sub(at).and_then(|k| shown.get(k)) == Some(&true));
                let target = now.map(|c| &c.button).or(alone).unwrap_or(&self.v.layer);
                self.effects.push(Effect::Focus(target.clone()));
            }
            gone.button.remove();
        }
        // The open popover's damage stays shown by its popover: a cluster it joined fans out (as
        // `open()` does for a clustered damage). Else a fanned-out cluster that changed fans out
        // again as the new cluster holding its first member.
        let open_in = self.open.and_then(|i| self.cluster_of.get(i).copied().flatten());
        let fan = open_in.or_else(|| {
            let f = expanded_first.filter(|_| !kept_expanded)?;
            self.clusters.iter().position(|c| c.members.first() == Some(&f))
        });
        if let Some(c) = fan.filter(|c| self.expanded != Some(*c)) {
            self.expand(c);
        }
    }

    /// Removes every cluster badge (their members show again when the next pass says so).
    fn drop_clusters(&mut self) {
        for c in &self.clusters {
            c.button.remove();
        }
        self.clusters.clear();
        self.cluster_of.iter_mut().for_each(|c| *c = None);
    }

    fn expand(&mut self, c: usize) {
        self.collapse(false);
        let Some(cluster) = self.clusters.get(c) else {
            return;
        };
        set_attr(&cluster.button, "aria-expanded", "true");
        self.expanded = Some(c);
        // Members show at once (so focus can land on them; the next frame, before any paint, fans
        // them out); the badge stays as the way back.
        for m in &cluster.members {
            if let Some(marker) = self.markers.get(*m) {
                marker.set_hidden(false);
            }
            if let Some(slot) = self.written.hidden.get_mut(*m) {
                *slot = Some(false);
            }
        }
    }

    fn collapse(&mut self, refocus: bool) {
        let Some(c) = self.expanded.take() else {
            return;
        };
        let Some(cluster) = self.clusters.get(c) else {
            return;
        };
        set_attr(&cluster.button, "aria-expanded", "false");
        for m in &cluster.members {
            if let Some(marker) = self.markers.get(*m) {
                let s = marker.style();
                let _ = s.remove_property("--dx");
                let _ = s.remove_property("--dy");
            }
            if let Some(slot) = self.written.hidden.get_mut(*m) {
                *slot = None;
            }
        }
        if refocus {
            self.effects.push(Effect::Focus(cluster.button.clone()));
        }
        self.schedule();
    }

    // ---- The popover ------------------------------------------------------------------------

    /// Opens damage `i`: at once when its photo shows, else after asking for (or turning to)
    /// its photo.
    fn open_damage(&mut self, i: usize, opener: Option<HtmlElement>) {
        let Some(photo) = results_photo(self.results.as_ref(), i) else {
            return;
        };
        let (mut away, mut fresh, mut turn, mut ask) = (false, false, false, false);
        // (A step to a damage on another photo gives focus back, when it closes, to the marker
        // it was opened from.)
        let before = self.opener.clone();
        if self.written.photo != Some(photo) || self.written.layer_hidden {
            // The built-in viewer turns to its photo. An open popover goes on to it now, where it
            // is, and beside its marker once the photo has come, as over a spin (it closed while
            // the photo loaded, and the arrows pressed meanwhile were lost); a closed one opens
            // then.
            if self.v.viewer.is_some() && self.open.is_some() {
                (away, turn) = (true, true);
            } else if self.v.viewer.is_some() {
                self.show_viewer_photo(photo);
                // (A photo that can't be loaded shows no markers: it opens now, beside its row.)
                if !self.viewer_broken() {
                    // (The open popover, if any, keeps its own opener until then.)
                    self.pending_open = Some(i);
                    self.pending_opener = opener;
                    self.pending_from = self.doc.active_element();
                    self.schedule();
                    return;
                }
                away = true;
            // (Not for the photo the picture already names, which the next pass shows: only
            // the first pass after a load or a swap is still to come.)
            } else if self.photo_now(true) != Some(photo) {
                // It opens all the same, now: beside what opened it until the page shows its
                // photo (a spin turning to it), then beside its marker. A page that shows one
                // photo only still shows every damage, with its close-up of PAVE's photo.
                (ask, away) = (true, true);
            } else {
                // The picture names its photo but the last pass found it hidden or taken away: so
                // does this one, in the middle of the screen, as for a photo not shown.
                away = self.last_inputs.as_ref().is_some_and(|i| i.target.as_ref().is_none_or(|t| !t.rendered));
            }
        } else {
            // A spin that swaps its frame only once it has loaded still shows this photo, on its
            // way to one asked for before (a step to a damage on another photo and straight
            // back): it is asked back, or it would turn away under the open popover.
            ask = self.open.is_some() && self.asked.is_some_and(|p| p != photo);
        }
        if ask {
            self.asked = Some(photo);
            let r = self.results.as_ref();
            let p = r.and_then(|r| r.photos.get(photo));
            self.effects.push(Effect::Dispatch(
                "pave-photo-request",
                obj(&[
                    ("photoCode", photo_code(p)),
                    ("photoLabel", JsValue::from_str(p.map_or("", |p| p.label.as_str()))),
                    ("index", js::num(i)),
                ]),
            ));
        }
        // (One still waiting for its photo is called off: this one is what the user wants now.)
        self.cancel_pending();
        match self.open {
            // Shown from closed: off-screen (as style.css has it at first) until the pass places
            // it, not hit-tested unseen where it last was until the next frame, over what a quick
            // double-click's second press was meant for.
            // Zoomed back to 1 at once (see `read`): measured at an ancestor's `zoom: 2`, its
            // width (capped by the viewport's) is not twice its own, and it was placed by it off
            // its marker or past the viewport's edge.
            None => {
                let style = self.v.popover.root.style();
                set_css(&style, "left", -1e5, "px");
                set_css(&style, "zoom", 1.0 / measure::css_zoom(&self.host), "");
                fresh = true;
            }
            // Turned to another damage: where it is seen until the pass moves it (a double-click
            // on its next button goes on by two).
            Some(o) if o != i => self.close_popover(false),
            _ => {}
        }
        // A damage inside a collapsed cluster: fan the cluster out so its marker shows.
        if let Some(c) = self.clusters.iter().position(|c| c.members.contains(&i)) {
            if self.expanded != Some(c) {
                self.expand(c);
            }
        }
        self.fill_popover(i);
        self.open = Some(i);
        self.show_popover(opener.clone());
        if turn {
            self.show_viewer_photo(photo);
        }
        if let Some(m) = self.markers.get(i) {
            set_attr(m, "aria-expanded", "true");
        }
        if let Some(row) = self.rows.get(i) {
            set_attr(row, "aria-current", "true");
        }
        if away && fresh {
            // Placed now: no pass may (the picture may show no photo at all). Beside what opened
            // it (its list row), else in the middle of the screen (`open()`).
            let seen = measure::viewport(&self.window, &self.v.popover.root);
            let size = self.popover_extent().size();
            let mid = seen.center();
            let by = opener.as_ref().map(|o| measure::rect_of(o)).filter(|r| r.width > 0.0).unwrap_or(Rect::new(
                mid.x,
                mid.y - size.height / 2.0 - 10.0,
                0.0,
                0.0,
            ));
            self.put_popover(&place_popover(by, size, seen, 10.0, 8.0));
        }
        self.opener = opener.or(if away { before } else { None }).or_else(|| self.markers.get(i).cloned());
        self.anchor_seen = false;
        self.popover_focus(self.v.popover.root.clone());
        self.damage_event("pave-open", i);
        self.schedule();
    }

    /// Shows the open damage's popover in the top layer (again, after a move: the browser hides
    /// a popover whose host leaves the document).
    fn show_popover(&self, opener: Option<HtmlElement>) {
        self.v.popover.root.set_hidden(false);
        // `source` puts the popover right after its opener in Tab order where supported;
        // older browsers ignore the argument.
        let source = opener.as_ref().or_else(|| self.open.and_then(|i| self.markers.get(i)));
        let _ = js::popover(&self.v.popover.root, true, source);
    }

    /// Hides our popover from the top layer (see [`js::popover`]).
    fn hide_popover(&self) {
        let _ = js::popover(&self.v.popover.root, false, None);
    }

    /// Queues `pave-open` or `pave-close` for damage `i`: `{ index, photoCode, damage }`.
    fn damage_event(&mut self, name: &'static str, i: usize) {
        let Some(r) = &self.results else { return };
        let Some(d) = r.damages.get(i) else { return };
        let detail = damage_detail(r, d);
        self.effects.push(Effect::Announce((name == "pave-open").then_some(i)));
        self.effects.push(Effect::Dispatch(name, detail));
    }

    fn fill_popover(&mut self, i: usize) {
        let Some(r) = &self.results else { return };
        let Some(d) = r.damages.get(i) else { return };
        let labels = &self.cfg.lang.labels();
        let p = &self.v.popover;
        let (title, pave) = view::title(d, labels);
        p.title.set_text_content(Some(&title));
        english(&p.title, pave);
        let (words, translated) = d.component_words_in(self.cfg.lang);
        p.component.set_text_content(Some(&words));
        english(&p.component, !translated);
        p.tolerance.set_text_content(Some(if d.tolerance.is_empty() { "—" } else { &d.tolerance }));
        p.repair.set_text_content(Some(if d.repair_method.is_empty() { "—" } else { &d.repair_method }));
        let mut group = labels.group(d.group).to_owned();
        if let Some(s) = labels.severity(d.severity) {
            group.push_str(" · ");
            group.push_str(s);
        }
        p.group.set_text_content(Some(&group));
        p.photo.set_text_content(Some(&view::photo_words(r, d.photo, self.cfg.lang)));
        p.counter.set_text_content(Some(&labels.fill(labels.n_of_total(), i + 1, r.damages.len())));
        // Previous/next step through the damages the list's filter keeps: none besides this one,
        // no buttons.
        let filter = self.filter;
        let single = !r.damages.iter().enumerate().any(|(k, d)| k != i && filter.is_none_or(|g| d.group == g));
        p.prev.set_hidden(single);
        p.next.set_hidden(single);

        // The close-up: the picture the page shows (already loaded), else the photo's own safe
        // URL; none at all when neither is usable.
        let shown_src = self
            .target
            .as_ref()
            .and_then(|t| t.dyn_ref::<HtmlImageElement>())
            .map(HtmlImageElement::current_src)
            .filter(|s| !s.is_empty() && self.written.photo == Some(d.photo));
        // (Nor the URL the built-in viewer just failed to load: the popover would shrink under
        // its placement when it fails again.)
        let failed = self.viewer_broken() && self.viewer_photo == d.photo;
        let src = shown_src.or_else(|| self.safe_urls.get(d.photo).cloned().flatten()).filter(|_| !failed);
        match src {
            Some(src) => {
                // A picture that failed to load (js/engine.js marks it) shows no empty box: it is
                // asked for again, the box hidden until it loads (js/engine.js shows it then).
                let img = &p.closeup_img;
                let broken = img.has_attribute("data-broken");
                if img.src() != src {
                    let _ = img.remove_attribute("data-broken");
                    set_attr(img, "src", &src);
                } else if broken {
                    set_attr(img, "src", &src);
                }
                p.closeup.set_hidden(img.has_attribute("data-broken"));
                // The damage at the close-up's centre whatever its width (the popover's width is
                // the page's to theme, and narrower on a small screen) and whatever the photo's
                // shape (its own: the stylesheet gives it a width only), and the picture turned
                // about it as the page shows it (a mirrored picture's close-up is mirrored too):
                // the stylesheet moves it by -x %, -y % of its own size and turns it about x %, y %.
                let s = img.style();
                set_css(&s, "--x", d.x, "%");
                set_css(&s, "--y", d.y, "%");
                self.turn_closeup();
            }
            None => {
                // (A retry of a broken picture that loads now doesn't show it here.)
                let _ = p.closeup_img.remove_attribute("data-broken");
                p.closeup.set_hidden(true);
            }
        }
    }

    /// Turns the close-up's picture as the page shows it.
    fn turn_closeup(&self) {
        let turn = self.written.on_screen.map_or_else(|| "scale(1)".into(), |t| matrix(t.abcd()));
        let _ = self.v.popover.closeup_img.style().set_property("--t", &turn);
    }

    /// The user (or `close()`) closes the popover: a damage still waiting for its photo (asked
    /// for by next/previous while the page didn't turn the spin) is called off too, or it would
    /// open by itself later, when that photo shows.
    fn dismiss(&mut self) {
        self.cancel_pending();
        self.close_popover(true);
    }

    fn cancel_pending(&mut self) {
        self.pending_open = None;
        self.pending_opener = None;
        self.pending_from = None;
    }

    fn close_popover(&mut self, restore_focus: bool) {
        let Some(i) = self.open.take() else { return };
        let root = &self.v.popover.root;
        self.hide_popover();
        root.set_hidden(true);
        if let Some(m) = self.markers.get(i) {
            set_attr(m, "aria-expanded", "false");
        }
        if let Some(row) = self.rows.get(i) {
            let _ = row.remove_attribute("aria-current");
        }
        let opener = self.opener.take();
        // Focus inside a popover that hides would fall to <body>: it always goes somewhere.
        let had_focus = self.focus_in(&self.v.popover.root.clone());
        if restore_focus || had_focus {
            let target = self.focus_back(i, opener);
            self.owed_focus = target.is_none().then_some(i);
            // (The layer hidden while a picture loads: shown, empty, to take it.)
            if target.is_none() && self.written.layer_hidden {
                self.empty_layer();
            }
            self.popover_focus(target.unwrap_or_else(|| self.v.layer.clone()));
        }
        self.damage_event("pave-close", i);
    }

    /// Where the focus goes back to from damage `i`'s popover: what opened it; if that is hidden
    /// now (a collapsed cluster, another photo), the nearest thing still shown. (A step to another
    /// photo: its own marker, now that it shows.) `None`: the layer.
    fn focus_back(&self, i: usize, opener: Option<HtmlElement>) -> Option<HtmlElement> {
        let own = self.on_shown_photo(i) && !self.written.layer_hidden;
        opener
            .filter(|o| o.is_connected() && o.closest("[hidden]").ok().flatten().is_none())
            .or_else(|| self.markers.get(i).filter(|m| own && !m.hidden()).cloned())
            .or_else(|| self.clusters.iter().find(|c| c.members.contains(&i)).map(|c| c.button.clone()))
    }

    /// A call of the page's (`open()`, `next()`, `close()`…): it moves the focus as the user's
    /// would (into the popover a page's button opened, say), but not out of a field the user is
    /// typing in (a timer's `open()` would take the rest of an e-mail address), a frame or a
    /// page's widget (js/markers.js `typing`).
    fn page_call(&mut self, act: impl FnOnce(&mut Self)) {
        self.focusing(js::typing(&self.host), act);
    }

    /// Does `act`, whose moves of the focus into or out of the popover are made only where
    /// nothing else has the focus when `typing` (see [`Self::popover_focus`]).
    fn focusing(&mut self, typing: bool, act: impl FnOnce(&mut Self)) {
        self.typing = typing;
        act(self);
        self.typing = false;
    }

    /// Moves the focus into the popover or back out of it (see [`Self::focusing`]).
    fn popover_focus(&mut self, el: HtmlElement) {
        self.effects.push(if self.typing { Effect::FocusIfIdle(el) } else { Effect::Focus(el) });
    }

    /// Opens the next (`+1`) or previous (`-1`) damage in the filter, across photos.
    fn step(&mut self, dir: i32) {
        let Some(r) = &self.results else { return };
        let total = r.damages.len();
        if total == 0 {
            return;
        }
        // (From the one waiting for its photo, if any: a second step before the turn goes on.)
        let start = self.pending_open.or(self.open);
        let filter = self.filter;
        let ok = |k: usize| filter.is_none_or(|g| r.damages.get(k).is_some_and(|d| d.group == g));
        let mut k = match start {
            Some(s) => s,
            None if dir > 0 => total - 1,
            None => 0,
        };
        for _ in 0..total {
            k = if dir > 0 { (k + 1).checked_rem(total) } else { (k + total - 1).checked_rem(total) }.unwrap_or(0);
            // Back round to the open damage: nothing else to go to.
            if Some(k) == self.open {
                return;
            }
            if ok(k) {
                // Focus returns to the new damage's own row when the list opened it, else to
                // its marker.
                let from_list =
                    self.opener.as_ref().is_some_and(|o| self.rows.iter().any(|r| r.is_same_node(Some(o.as_ref()))));
                let opener = if from_list { self.rows.get(k).cloned() } else { None };
                self.open_damage(k, opener);
                return;
            }
        }
    }

    // ---- Input --------------------------------------------------------------------------------

    fn on_click(&mut self, e: &Event) {
        let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        let Ok(Some(actor)) = target.closest("[data-action]") else {
            return;
        };
        let Some(actor) = actor.dyn_into::<HtmlElement>().ok() else {
            return;
        };
        let action = actor.get_attribute("data-action").unwrap_or_default();
        let index = actor.get_attribute("data-index").and_then(|s| s.parse::<usize>().ok());
        match (action.as_str(), index) {
            ("open", Some(i)) => {
                if self.open == Some(i) {
                    self.close_popover(true);
                } else {
                    self.open_damage(i, Some(actor));
                }
            }
            ("cluster", _) => {
                if let Some(c) = self.clusters.iter().position(|c| c.button.is_same_node(Some(actor.as_ref()))) {
                    if self.expanded == Some(c) {
                        self.collapse(true);
                    } else {
                        self.expand(c);
                        // Focus the first member so the keyboard continues among them.
                        if let Some(m) =
                            self.clusters.get(c).and_then(|c| c.members.first()).and_then(|m| self.markers.get(*m))
                        {
                            self.effects.push(Effect::Focus(m.clone()));
                        }
                        self.schedule();
                    }
                }
            }
            ("close", _) => self.dismiss(),
            ("prev", _) => self.step(-1),
            ("next", _) => self.step(1),
            ("retry", _) => {
                self.poll_attempt = 0;
                self.poll_clock.started = 0.0;
                self.load();
            }
            ("toggle-list", _) => {
                let open = actor.get_attribute("aria-expanded").as_deref() != Some("true");
                if open {
                    self.ensure_list();
                }
                set_attr(&actor, "aria-expanded", if open { "true" } else { "false" });
                self.v.list_body.set_hidden(!open);
            }
            ("filter", _) => {
                let key = actor.get_attribute("data-group").unwrap_or_default();
                self.filter = DamageGroup::ALL.iter().copied().find(|g| g.key() == key);
                self.apply_filter_marks();
                // The open damage (or one waiting for its photo) that the filter leaves out
                // closes; one it keeps gets previous/next for what the filter keeps.
                let filter = self.filter;
                let out = |i: Option<usize>, r: Option<&Results>| {
                    let d = i.and_then(|i| r.and_then(|r| r.damages.get(i)));
                    d.is_some_and(|d| filter.is_some_and(|g| d.group != g))
                };
                if out(self.pending_open, self.results.as_ref()) {
                    self.cancel_pending();
                }
                if out(self.open, self.results.as_ref()) {
                    self.close_popover(false);
                } else if let Some(i) = self.open {
                    self.fill_popover(i);
                }
                self.schedule();
            }
            ("photo-prev", _) | ("photo-next", _) => {
                let n = self.results.as_ref().map_or(0, |r| r.photos.len());
                if n > 0 {
                    let p = if action == "photo-next" { self.viewer_photo + 1 } else { self.viewer_photo + n - 1 };
                    let p = p.checked_rem(n).unwrap_or(0);
                    self.close_popover(false);
                    self.show_viewer_photo(p);
                }
            }
            _ => {}
        }
    }

    fn apply_filter_marks(&mut self) {
        let key = self.filter.map_or("", DamageGroup::key);
        for b in &self.filter_buttons {
            let on = b.get_attribute("data-group").as_deref() == Some(key);
            set_attr(b, "aria-pressed", if on { "true" } else { "false" });
        }
        for row in &self.rows {
            let shown = key.is_empty() || row.get_attribute("data-group").as_deref() == Some(key);
            if let Some(li) = row.parent_element() {
                js::toggle_attr(&li, "hidden", !shown);
            }
        }
        // Markers follow in the next frame (the filter is part of what decides visibility).
        self.invalidate_markers();
    }

    fn on_key(&mut self, e: &Event) {
        let key = js::key_of(e);
        if key.is_empty() {
            return;
        }
        let target = e.target().and_then(|t| t.dyn_into::<Element>().ok());
        let in_popover = target.as_ref().is_some_and(|t| self.v.popover.root.contains(Some(t.as_ref())));
        // (A cluster badge is among the photo's buttons the arrows step through.)
        let on_marker = target.as_ref().is_some_and(|t| t.matches(".marker, .cluster").unwrap_or(false));
        // A key the widget acts on is spent: a page's own dialog or lightbox around the picture
        // must not close with the Escape that closes ours (as a native <dialog> doesn't), and a
        // spin viewer around the element must not turn with the arrows that move among markers.
        let spent = match key.as_str() {
            "Escape" if self.open.is_some() => {
                self.dismiss();
                true
            }
            // (From the markers: Esc elsewhere, in the list say, is not about a cluster the
            // user left, and is the page's.)
            "Escape" if on_marker && self.expanded.is_some() => {
                self.collapse(true);
                true
            }
            // Up and Down scroll a popover taller than its room (as they would any scroll box):
            // not the page's either, but the browser's to do.
            "ArrowDown" | "ArrowUp" if in_popover && self.popover_scrolls() => {
                e.stop_propagation();
                false
            }
            "ArrowRight" | "ArrowDown" if in_popover => {
                self.step(1);
                true
            }
            "ArrowLeft" | "ArrowUp" if in_popover => {
                self.step(-1);
                true
            }
            "ArrowRight" | "ArrowDown" | "ArrowLeft" | "ArrowUp" | "Home" | "End" if on_marker => {
                self.focus_sibling(&key, target.as_ref());
                true
            }
            _ => false,
        };
        if spent {
            e.prevent_default();
            e.stop_propagation();
        }
    }

    /// Moves focus among the shown photo's visible markers, in reading (DOM) order, from `from`
    /// by an arrow, Home or End `key`.
    fn focus_sibling(&mut self, key: &str, from: Option<&Element>) {
        let Some(container) = self.written.photo.and_then(|p| self.photo_layers.get(p)) else {
            return;
        };
        let Ok(list) = container.query_selector_all("button:not([hidden])") else {
            return;
        };
        let mut items: Vec<HtmlElement> = Vec::new();
        for k in 0..list.length() {
            if let Some(Ok(item)) = list.item(k).map(JsCast::dyn_into) {
                items.push(item);
            }
        }
        let Some(pos) = from.and_then(|t| items.iter().position(|m| m.is_same_node(Some(t.as_ref())))) else {
            return;
        };
        let n = items.len();
        let next = match key {
            "Home" => 0,
            "End" => n.saturating_sub(1),
            "ArrowRight" | "ArrowDown" => (pos + 1).checked_rem(n).unwrap_or(0),
            _ => (pos + n - 1).checked_rem(n).unwrap_or(0),
        };
        if let Some(m) = items.get(next) {
            // Scrolled into view if need be, as Tab would.
            self.effects.push(Effect::FocusAndShow(m.clone()));
        }
    }

    fn on_document_click(&mut self, e: &Event) {
        let path = e.composed_path();
        let inside = path.includes(self.host.as_ref(), 0) || path.includes(self.v.popover.root.as_ref(), 0);
        if inside {
            return;
        }
        // The user went on to the page (blank space too, which takes no focus): a marker a crop
        // hides later takes none back (see `view::rove`). (Not a click of the page's script, which
        // leaves the focus with us: a move of the element keeps it.)
        if self.root.active_element().is_none() {
            self.focused = None;
        }
        if self.open.is_none() && self.expanded.is_none() {
            return;
        }
        if let Some(i) = self.open {
            let back = self.focus_back(i, self.opener.clone()).unwrap_or_else(|| self.v.layer.clone());
            self.cancel_pending();
            self.close_popover(false);
            self.effects.push(Effect::FocusIfIdle(back));
        }
        self.collapse(false);
    }

    /// Whether the open popover's content is taller than its box (it scrolls).
    fn popover_scrolls(&self) -> bool {
        let root = &self.v.popover.root;
        root.scroll_height() > root.client_height() + 1
    }

    fn focus_in(&self, container: &HtmlElement) -> bool {
        self.root.active_element().is_some_and(|a| container.contains(Some(a.as_ref())))
    }

    // ---- The built-in viewer ------------------------------------------------------------------

    fn show_viewer_photo(&mut self, photo: usize) {
        let Some(viewer) = &self.v.viewer else { return };
        let Some(r) = &self.results else { return };
        if photo >= r.photos.len() {
            return;
        }
        self.viewer_photo = photo;
        viewer.figure.set_hidden(false);
        match self.safe_urls.get(photo).cloned().flatten() {
            Some(url) => {
                if viewer.img.src() != url {
                    let _ = viewer.img.remove_attribute("data-broken");
                    set_attr(&viewer.img, "src", &url);
                }
            }
            None => {
                let _ = viewer.img.remove_attribute("src");
                set_attr(&viewer.img, "data-broken", "");
            }
        }
        let many = r.photos.len() > 1;
        viewer.prev.set_hidden(!many);
        viewer.next.set_hidden(!many);
        self.update_viewer_label();
        self.photo_changed();
    }

    fn update_viewer_label(&self) {
        let (Some(viewer), Some(r)) = (&self.v.viewer, &self.results) else {
            return;
        };
        let photo = self.viewer_photo;
        // The picture's alt (relabelled with the rest when `lang` changes): the photo, the car
        // ("Left, 2009 BMW 3 SERIES").
        let mut alt = view::photo_words(r, photo, self.cfg.lang);
        if let Some(v) = &r.vehicle {
            let mut sep = ", ";
            for part in [&v.year, &v.make, &v.model].into_iter().flatten() {
                alt.push_str(sep);
                alt.push_str(part);
                sep = " ";
            }
        }
        set_attr(&viewer.img, "alt", &alt);
        let mut text = view::photo_words(r, photo, self.cfg.lang);
        text.push_str("\u{a0}· ");
        text.push_str(&self.cfg.lang.labels().damage_count(r.damages_of(photo).len()));
        viewer.label.set_text_content(Some(&text));
        self.say_broken();
    }

    // ---- Teardown -----------------------------------------------------------------------------

    fn teardown(&mut self) -> Taken {
        self.generation = self.generation.wrapping_add(1);
        self.frame = false;
        self.reading = None;
        if let Some(a) = self.abort.take() {
            a.abort();
        }
        self.close_popover(false);
        // Nothing is left to focus. The page hears `pave-close` for the damage it was told is
        // open (the one being closed may not have been announced yet: a listener destroying the
        // widget in the middle of a step from one damage to the next).
        self.effects.clear();
        if let Some(i) = self.announced.take() {
            self.damage_event("pave-close", i);
        }
        let mut listeners = core::mem::take(&mut self.page_listeners);
        listeners.append(&mut self.root_listeners);
        listeners.append(&mut self.target_listeners);
        listeners.append(&mut self.ancestry_scrolls);
        let timers = [self.request_timer.take(), self.poll_timer.take(), self.status_timer.take()];
        self.root.replace_children_with_node_0();
        self.root.set_adopted_style_sheets(&js_sys::Array::new());
        // (An overlay's host stays where it is: `destroy()` removes it, in js/overlay.js; one
        // released because it left the page goes back with the wrapper the page puts back.)
        self.results = None;
        self.markers.clear();
        self.rows.clear();
        self.filter_buttons.clear();
        self.clusters.clear();
        self.photo_layers.clear();
        self.target = None;
        self.target_style = None;
        self.clippers.clear();
        self.opener = None;
        self.pending_opener = None;
        self.source = Source::None;
        (
            listeners,
            core::mem::take(&mut self.target_mutations),
            self.awaiting_target.take(),
            core::mem::take(&mut self.moves),
            self.passes.take(),
            timers,
        )
    }
}

/// An ancestor of the picture that clips its overflow, and on which axes.
struct Clipper {
    element: Element,
    /// It clips across (`overflow-x` is not `visible`, or it clips both ways: see js/measure.js).
    x: bool,
    /// It clips down.
    y: bool,
    /// How far out of its padding box it clips, in its px, top, right, bottom, left
    /// (`overflow-clip-margin`; less than 0: inside it).
    margin: [f64; 4],
}

/// Whether `node` is `ancestor` or inside it in the flat tree, where boxes nest (a host holds its
/// shadow tree, a slot what is assigned to it).
#[inline(never)]
fn composed_contains(ancestor: &Node, node: &Node) -> bool {
    let mut n = Some(node.clone());
    while let Some(cur) = n {
        if cur.is_same_node(Some(ancestor)) {
            return true;
        }
        n = flat_up(&cur);
    }
    false
}

/// The ancestors of `el` (crossing shadow roots) that clip their content: any overflow other
/// than `visible`, on either axis. The root element and body are left out: their overflow is the
/// viewport's. (One axis alone clips only with `clip` beside `visible`: any other value turns a
/// `visible` on the other axis into `auto`.) With them, the linear part of the transforms of all
/// of `el`'s ancestors below the body (the body's and the root's are ours too), composed, and
/// the ancestors themselves, up to the root, with the shadow roots between them.
fn clipping_ancestors(el: &Element) -> (Vec<Clipper>, ScreenMap, Vec<Node>) {
    let mut out = Vec::new();
    let mut ancestors = ScreenMap::IDENTITY;
    let mut ancestry = Vec::new();
    let mut node: Option<Node> = flat_parent(el);
    while let Some(n) = node {
        if n.dyn_ref::<ShadowRoot>().is_some() {
            ancestry.push(n.clone());
        }
        let next = flat_up(&n);
        if let Some(e) = n.dyn_ref::<Element>() {
            ancestry.push(n.clone());
            let tag = e.tag_name();
            if tag.eq_ignore_ascii_case("html") || tag.eq_ignore_ascii_case("body") {
                node = next;
                continue;
            }
            // Whether it clips, and how its transform turns, skews, mirrors or scales what it
            // holds (see js/measure.js).
            let mut a = [0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
            measure::ancestor_of(e, &mut a);
            let [x, y, ma, mb, mc, md, _, _, top, right, bottom, left] = a;
            let (x, y) = (x == 1.0, y == 1.0);
            if x || y {
                out.push(Clipper { element: e.clone(), x, y, margin: [top, right, bottom, left] });
            }
            ancestors = ScreenMap::new(ma, mb, mc, md, 0.0, 0.0).then(&ancestors);
        }
        node = next;
    }
    (out, ancestors, ancestry)
}

/// `n`'s parent in the flat tree: a shadow root's host, else [`flat_parent`].
fn flat_up(n: &Node) -> Option<Node> {
    match n.dyn_ref::<ShadowRoot>() {
        Some(shadow) => Some(shadow.host().into()),
        None => n.dyn_ref::<Element>().map_or_else(|| n.parent_node(), flat_parent),
    }
}

/// `el`'s parent in the flat tree, where boxes nest: the slot it is assigned to, if any (a picture
/// slotted into a component whose shadow tree may turn or clip it), else its parent node.
fn flat_parent(el: &Element) -> Option<Node> {
    js_sys::Reflect::get(el.as_ref(), &JsValue::from_str("assignedSlot"))
        .ok()
        .and_then(|s| s.dyn_into::<Node>().ok())
        .or_else(|| el.parent_node())
}

/// The photo index damage `i` is on.
fn results_photo(r: Option<&Results>, i: usize) -> Option<usize> {
    r?.damages.get(i).map(|d| d.photo)
}

/// A duration attribute in ms ("8000"), or the default for anything unreadable.
fn read_ms(value: Option<&str>, default: u32) -> u32 {
    value.and_then(|v| v.trim().parse::<u32>().ok()).filter(|v| *v > 0).unwrap_or(default)
}

/// Response text as a capped tree, read in wasm (see `core::json`); the rare number the exact
/// fast path can't read goes to the browser's `parseFloat`.
fn json_tree(text: &str) -> Result<Value, Malformed> {
    crate::core::json::parse(text, &|s: &str| Some(js_sys::Number::parse_float(s)).filter(|n| !n.is_nan()))
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    // The page's own objects may be Proxies or have getters that throw. An exception thrown
    // through a non-catching import would unwind past our borrow of the state and wedge the
    // widget, so every call that can run page code catches.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array(v: &JsValue) -> Result<bool, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn object_keys(v: &JsValue) -> Result<js_sys::Array, JsValue>;
}

/// A JavaScript value as a capped tree (the same caps as [`Value::deserialize_capped`]).
/// Read tolerantly, like PAVE's JSON: whatever can't be read (a getter or Proxy trap that
/// throws, a symbol, a function) is null, so it sinks only the damage it belongs to.
fn js_tree(js: &JsValue) -> Result<Value, Malformed> {
    let mut budget = crate::core::loose::MAX_VALUES;
    walk(js, 0, &mut budget).map_err(|o| Malformed { reason: overflow_reason(o), at: Position::Body })
}

fn walk(v: &JsValue, depth: u32, budget: &mut u32) -> Result<Value, crate::core::loose::Overflow> {
    use crate::core::loose::{Overflow, MAX_DEPTH};
    *budget = budget.checked_sub(1).ok_or(Overflow::TooManyValues)?;
    // typeof checks: they run no page code.
    if let Some(b) = v.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(n) = v.as_f64() {
        return Ok(Value::Number(n));
    }
    if let Some(s) = v.as_string() {
        return Ok(Value::Text(s));
    }
    if !v.is_object() {
        // null, undefined, symbols, bigints, functions: nothing PAVE sends.
        return Ok(Value::Null);
    }
    if depth >= MAX_DEPTH {
        return Err(Overflow::TooDeep);
    }
    let get = |key: &JsValue| js_sys::Reflect::get(v, key).unwrap_or(JsValue::NULL);
    match is_array(v) {
        Ok(true) => {
            let length = get(&JsValue::from_str("length")).as_f64().unwrap_or(0.0);
            // The value budget, not the claimed length, bounds the work.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let length = length.max(0.0).min(f64::from(u32::MAX)) as u32;
            let mut items = Vec::with_capacity((length as usize).min(4096));
            for i in 0..length {
                let item = js_sys::Reflect::get_u32(v, i).unwrap_or(JsValue::NULL);
                items.push(walk(&item, depth + 1, budget)?);
            }
            Ok(Value::List(items))
        }
        Ok(false) => {
            let Ok(keys) = object_keys(v) else { return Ok(Value::Null) };
            let mut entries = Vec::with_capacity((keys.length() as usize).min(4096));
            for key in keys.iter() {
                let item = walk(&get(&key), depth + 1, budget)?;
                entries.push((key.as_string().unwrap_or_default(), item));
            }
            Ok(Value::Map(entries))
        }
        // A revoked Proxy.
        Err(_) => Ok(Value::Null),
    }
}

/// The `results` property or attribute: a JSON string or an object.
fn parse_inline(value: &JsValue) -> Outcome {
    match value.as_string() {
        // What a framework writes for an object when the element isn't defined yet (React can
        // then only set attributes): say so, not where the JSON fails.
        Some(text) if text == "[object Object]" => Outcome::Malformed(Malformed {
            reason: Reason::WrongType {
                expected: "PAVE's JSON, not \"[object Object]\" (an object given as an attribute: set the `results` property once the element is defined)",
            },
            at: Position::Body,
        }),
        Some(text) => model::parse_text(None, &text, json_tree),
        None => match js_tree(value) {
            Ok(tree) => model::parse_value(None, tree),
            Err(m) => Outcome::Malformed(m),
        },
    }
}
