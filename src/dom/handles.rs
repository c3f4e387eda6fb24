//! Handles that own a browser resource and release it when dropped, gloo-style: an event
//! listener, a timeout, the page's passes (frames and resizes), an observer. The widget keeps every one as a field,
//! so `destroy()` (dropping them) leaves nothing registered behind. There is no `forget()`.

#[allow(unused_imports)]
use crate::prelude::*;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Event, EventTarget, MutationObserver};

/// An event listener, removed on drop.
#[must_use = "the listener is removed when this is dropped"]
pub struct Listener {
    target: EventTarget,
    kind: &'static str,
    capture: bool,
    closure: Closure<dyn FnMut(Event)>,
}

impl Listener {
    /// Listens for `kind` on `target`, in the capture phase if `capture`. (No `passive` flag:
    /// it changes only what `preventDefault` does, which no listener of ours calls but the
    /// `keydown` one, and none of the events listened for blocks scrolling.) `addEventListener`
    /// throws for none of our targets and callbacks: were a page to patch it into one that
    /// does, that one listener would be missing, and the widget would go on without it.
    pub fn new(target: &EventTarget, kind: &'static str, capture: bool, f: impl FnMut(Event) + 'static) -> Listener {
        let closure = Closure::<dyn FnMut(Event)>::new(f);
        let _ = target.add_event_listener_with_callback_and_bool(kind, closure.as_ref().unchecked_ref(), capture);
        Listener { target: target.clone(), kind, capture, closure }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.target.remove_event_listener_with_callback_and_bool(
            self.kind,
            self.closure.as_ref().unchecked_ref(),
            self.capture,
        );
    }
}

/// A `setTimeout`, cleared on drop.
#[must_use = "timeouts cancel on drop"]
pub struct Timeout {
    id: i32,
    _closure: Closure<dyn FnMut()>,
}

impl Timeout {
    /// Calls `f` once after `ms` milliseconds. (`FnMut`, not `FnOnce`: the widget's callbacks
    /// all have one closure type, whose glue is then made once.)
    pub fn new(ms: u32, f: impl FnMut() + 'static) -> Result<Timeout, JsValue> {
        let closure = Closure::<dyn FnMut()>::new(f);
        let ms = i32::try_from(ms).unwrap_or(i32::MAX);
        let id = set_timeout(closure.as_ref().unchecked_ref(), ms)?;
        Ok(Timeout { id, _closure: closure })
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        clear_timeout(self.id);
    }
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The page's `setTimeout` (the global one: `web_sys::window()` would find the global object
    /// through four lookups and a type check, for the same function).
    #[wasm_bindgen(catch, js_name = setTimeout)]
    fn set_timeout(f: &js_sys::Function, ms: i32) -> Result<i32, JsValue>;

    /// The page's `clearTimeout`.
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: i32);
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/js/moves.js")]
extern "C" {
    /// The widget's place in the page's passes; returns its control (see js/moves.js).
    #[wasm_bindgen(catch)]
    fn watch(
        read: &js_sys::Function,
        write: &js_sys::Function,
        resized: &js_sys::Function,
    ) -> Result<js_sys::Function, JsValue>;
}

/// The widget's place in the page's passes (js/moves.js): every widget on the page reads, then
/// every widget writes, in an animation frame (when asked) and in the page's one ResizeObserver
/// callback (when a watched element changed size). Ends on drop.
#[must_use = "the passes end when this is dropped"]
pub struct Passes {
    control: js_sys::Function,
    _closures: [Closure<dyn FnMut()>; 3],
}

impl Passes {
    /// `read` measures, `write` writes from what was read; `resized` comes first in a resize's pass.
    pub fn new(
        read: impl FnMut() + 'static,
        write: impl FnMut() + 'static,
        resized: impl FnMut() + 'static,
    ) -> Result<Passes, JsValue> {
        let closures = [
            Closure::<dyn FnMut()>::new(read),
            Closure::<dyn FnMut()>::new(write),
            Closure::<dyn FnMut()>::new(resized),
        ];
        let [r, w, z] = &closures;
        let control = watch(r.as_ref().unchecked_ref(), w.as_ref().unchecked_ref(), z.as_ref().unchecked_ref())?;
        Ok(Passes { control, _closures: closures })
    }

    fn tell(&self, v: &JsValue) {
        let _ = self.control.call1(&JsValue::UNDEFINED, v);
    }

    /// A pass in the next animation frame (once, however often asked before it).
    pub fn request(&self) {
        self.tell(&JsValue::TRUE);
    }

    /// The page changed an attribute of the picture or of an ancestor: our animation frame goes
    /// on a while, after the page's (js/moves.js).
    pub fn moved(&self) {
        self.tell(&JsValue::from(1));
    }

    /// A pass in this frame if its rendering is still to come (after the page's animation-frame
    /// callbacks: `box_` changes size, which the page's ResizeObserver reports before the paint),
    /// else in the next frame.
    pub fn soon(&self, box_: &web_sys::Element) {
        self.tell(&js_sys::Array::of1(box_));
    }

    /// A pass whenever `el` changes size, too.
    pub fn observe(&self, el: &web_sys::Element) {
        self.tell(el);
    }

    /// No longer a pass when `el` changes size.
    pub fn unobserve(&self, el: &web_sys::Element) {
        self.tell(&js_sys::Array::of1(&js_sys::Array::of1(el)));
    }
}

impl Drop for Passes {
    fn drop(&mut self) {
        self.tell(&JsValue::FALSE);
    }
}

/// A `MutationObserver`, disconnected on drop.
#[must_use = "the observer disconnects when this is dropped"]
pub struct Mutations {
    observer: MutationObserver,
    _closure: Closure<dyn FnMut()>,
}

impl Mutations {
    /// Calls `f` (in a microtask, before the next paint) after mutations of what is observed.
    pub fn new(f: impl FnMut() + 'static) -> Result<Mutations, JsValue> {
        let closure = Closure::<dyn FnMut()>::new(f);
        let observer = MutationObserver::new(closure.as_ref().unchecked_ref())?;
        Ok(Mutations { observer, _closure: closure })
    }

    /// Watches the attributes of `node` that `names` lists, separated by spaces (all of them
    /// for no names).
    pub fn attributes(&self, node: &web_sys::Node, names: &str) -> Result<(), JsValue> {
        observe(&self.observer, node, Some(names))
    }

    /// Watches `node`'s subtree for added and removed children and `id` changes.
    pub fn subtree(&self, node: &web_sys::Node) -> Result<(), JsValue> {
        observe(&self.observer, node, None)
    }

    /// Watches the `<source>`s of the `<picture>` that `img` is in, if it is (what of them
    /// chooses the photo shown).
    pub fn sources(&self, img: &web_sys::Element) {
        sources(img, Some(&self.observer));
    }
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/js/markers.js")]
extern "C" {
    /// `observer.observe(node, …)` with the options [`Mutations::attributes`] (`names`) or
    /// [`Mutations::subtree`] (`None`) ask for (see js/markers.js). One import: web-sys's
    /// `MutationObserverInit` costs one per field.
    #[wasm_bindgen(catch)]
    fn observe(observer: &MutationObserver, node: &web_sys::Node, names: Option<&str>) -> Result<(), JsValue>;

    /// See [`Mutations::sources`] (js/markers.js).
    fn sources(img: &web_sys::Element, observer: Option<&MutationObserver>) -> String;
}

impl Drop for Mutations {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/js/moves.js")]
extern "C" {
    /// Starts watching `element`; returns its control (see js/moves.js).
    #[wasm_bindgen(js_name = watchMoves, catch)]
    fn watch_moves(element: &web_sys::Element, on_move: &js_sys::Function) -> Result<js_sys::Function, JsValue>;
}

/// Watches an element for moves on the screen that change no size (a margin, a transform, a
/// layout shift above it: see js/moves.js), stopped on drop.
#[must_use = "the watch stops when this is dropped"]
pub struct Moves {
    control: js_sys::Function,
    _closure: Closure<dyn FnMut()>,
}

impl Moves {
    /// Calls `moved` when `element` has moved on the page (in a task after the frame), and in
    /// each animation frame while a transition or animation may be moving it (at its start).
    pub fn new(element: &web_sys::Element, moved: impl FnMut() + 'static) -> Result<Moves, JsValue> {
        let closure = Closure::<dyn FnMut()>::new(moved);
        let control = watch_moves(element, closure.as_ref().unchecked_ref())?;
        Ok(Moves { control, _closure: closure })
    }

    /// After a frame that measured the element: starts over if its size changed (the watch is
    /// for moves; a hidden element had none).
    pub fn wake(&self) {
        let _ = self.control.call1(&JsValue::UNDEFINED, &JsValue::TRUE);
    }
}

impl Drop for Moves {
    fn drop(&mut self) {
        let _ = self.control.call1(&JsValue::UNDEFINED, &JsValue::FALSE);
    }
}
