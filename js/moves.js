// Two watches the engine keeps (src/dom/handles.rs: `Passes`, `Moves`) in one module: the passes
// of every widget on the page, and the moves of a picture that no resize tells. (As two modules,
// one importing the other, wasm-bindgen-test's page stalled at "Loading scripts" about one run in
// ten; as one, never in 40.)
//
// Passes for every widget on the page at once: all of them read (measure), then all of them write.
// Each widget measuring and writing in turn would force a layout per widget, its reads coming after
// the previous one's writes; this way N widgets measure one layout. A pass runs in an animation
// frame for the widgets that asked for one, and in the callback of the page's one ResizeObserver
// for those whose picture, page or probe changed size (so markers are right in the frame of the
// resize). src/dom/handles.rs (`Passes`) keeps the control `watch` returns:
//   control(true)     a pass in the next frame (once, however often asked)
//   control(1)        the same for a change of the page's to the picture or an ancestor: after
//                     it, our animation frame runs after the page's (see `hot`)
//   control([box])    a pass in this frame if its rendering is still to come, else the next: the
//                     page changed the picture in an animation-frame callback (a viewer's frame
//                     loop), after ours had run or been put off to the next frame. `box`, a box
//                     of the widget's own, changes size, and the page's one ResizeObserver reports
//                     it after this frame's layout, before its paint (unless our frame's pass
//                     comes first, which puts it back).
//   control(element)  also a pass whenever `element` changes size (`resized()` first, unless the
//                     widget's pass ran in this frame's animation frame already)
//   control([[element]]) no longer a pass when `element` changes size
//   control(false)    the end: nothing more is called
// `follow(tick, on)`: while on, `tick()` runs at the start of every frame's pass, before the reads
// (`watchMoves` below, while an animation may be moving a picture: what it asks for is read this
// frame).
const asked = new Map(); // read → write
const ticks = new Set();
const sizes = new Map(); // element → the watches of its size
// read → the frame whose pass ran it last (document.timeline's time: the same in a frame's
// animation-frame and ResizeObserver callbacks)
const ran = new WeakMap();
let frame = 0;
let current = null;
let observer = null;
let observing = false; // in the ResizeObserver's callback
// From our animation frame to the end of that frame's rendering (a message is a task: it comes
// after it), and how many frames more ours runs after the page changed the picture or an ancestor
// (a fifth of a second: nothing asked for while nothing moves). While a viewer zooms or pans in
// its own animation frames, ours, asked for after its own, runs after it: each step is drawn with
// the markers where it puts the photo.
let inFrame = false;
let hot = 0;
let frameEnd = null;

const run = (list) => {
  current = list;
  for (const read of list.keys()) read();
  for (const write of list.values()) write();
  current = null;
};

// Watches whose box was poked for a pass in this frame (`control([box])`) and not reported since.
const poked = new Set();

const request = () => {
  frame ||= requestAnimationFrame(flush);
};

function flush() {
  // (Asked for during the pass: the next frame.)
  frame = -1;
  inFrame = true;
  frameEnd ??= new MessageChannel();
  frameEnd.port1.onmessage ??= () => { inFrame = false; };
  frameEnd.port2.postMessage(0);
  try {
    for (const tick of [...ticks]) tick();
    const list = new Map(asked);
    asked.clear();
    // A box poked before this pass (the page's frame callback ran before ours) is put back as it
    // was: this pass is the one it asked for, and its size, unchanged, leaves the layout clean
    // for our reads (poked, it had to be laid out again: a turning viewer forced a layout in
    // every frame), and no report comes.
    for (const w of poked) {
      if (!list.has(w.read)) continue;
      w.soon.style.width = w.before;
      poked.delete(w);
    }
    run(list);
    for (const read of list.keys()) ran.set(read, document.timeline.currentTime);
  } finally {
    frame = 0;
    hot -= 1;
    if (asked.size || ticks.size || hot > 0) request();
  }
}

function resized(entries) {
  observing = true;
  try {
    report(entries);
  } finally {
    observing = false;
  }
}

function report(entries) {
  const watches = new Set();
  const list = new Map();
  for (const e of entries) {
    for (const w of sizes.get(e.target) ?? []) {
      // A widget's own box poked for a pass this frame: the pass, unless a frame's has run since.
      if (e.target !== w.soon) watches.add(w);
      else {
        poked.delete(w);
        w.shown = e.contentRect.width;
        if (asked.has(w.read)) list.set(w.read, w.write);
      }
    }
  }
  for (const w of watches) {
    // Its pass ran in this frame's animation frame, after what the page changed before it: this
    // one checks that the picture is where that one found it (the engine reads on if not), and
    // the clipping ancestors are not read again.
    if (ran.get(w.read) !== document.timeline.currentTime) w.resized();
    list.set(w.read, w.write);
  }
  // (This pass, after layout, is the one they asked for.)
  for (const read of list.keys()) asked.delete(read);
  run(list);
  // (Our animation frame goes on a while after the page changed the picture, see `hot`.)
  if (frame > 0 && !asked.size && !ticks.size && hot <= 0) {
    cancelAnimationFrame(frame);
    frame = 0;
  }
}

// What a keyframe of an animation holds that moves nothing: its own keys, and the properties
// that only paint (as getKeyframes() names them).
const STILL = /^(offset|computedOffset|easing|composite|color|opacity|visibility|filter|clipPath|\w+(Color|Shadow)|outline\w*|background\w*|fill|stroke\w*)$/;

export function follow(tick, on) {
  if (!on) return ticks.delete(tick);
  ticks.add(tick);
  request();
}

export function watch(read, write, resizedCb) {
  const w = { read, write, resized: resizedCb, els: new Set() };
  const unwatch = (el) => {
    if (!w.els.delete(el)) return;
    const set = sizes.get(el);
    set.delete(w);
    if (!set.size) {
      sizes.delete(el);
      observer.unobserve(el);
    }
  };
  let ended = false;
  const ask = () => {
    asked.set(read, write);
    request();
  };
  // A pass asked for after a change the page made in an animation-frame callback of its own
  // after ours ran: ours is asked for again, now, after the page's next one, which it asked for
  // already, so that from then on the page's change comes before our pass (while our frame goes
  // on: `hot`).
  const askAfterPage = () => {
    if (inFrame && frame > 0 && !current && !observing) {
      cancelAnimationFrame(frame);
      frame = 0;
    }
    ask();
  };
  const control = (arg) => {
    if (ended) return;
    if (arg === true) ask();
    else if (arg === 1) {
      // The page changed the picture or an ancestor (a viewer's zoom or pan step). Our frame
      // goes on a while (see `hot`), after the page's: each step is drawn with the markers where
      // it puts the photo. (Not a poke of `box`: from the page's ResizeObserver callback, that
      // would be a ResizeObserver loop error.)
      hot = 12;
      askAfterPage();
    } else if (Array.isArray(arg)) {
      const [box] = arg;
      // (One element at a time, never all and some again: observed anew in a ResizeObserver
      // callback, the page's body, shallower than what was being reported, would be a
      // ResizeObserver loop error.)
      if (Array.isArray(box)) return unwatch(box[0]);
      w.soon = box;
      control(box);
      // Ours ran in this frame already: the poke has a pass after this frame's layout, and in
      // the next frame the page's change comes before our pass, which then puts the box back
      // (see `flush`).
      askAfterPage();
      if (!poked.has(w)) {
        w.before = box.style.width;
        poked.add(w);
      }
      // Set to the width it was not last reported at: however often it is poked before the
      // report, the report comes.
      box.style.width = w.shown ? '0px' : '1px';
    } else if (arg === false) {
      ended = true;
      poked.delete(w);
      asked.delete(read);
      current?.delete(read);
      for (const el of w.els) unwatch(el);
    } else if (!w.els.has(arg)) {
      w.els.add(arg);
      observer ??= new ResizeObserver(resized);
      const set = sizes.get(arg);
      if (set) {
        // Watched already: its first report has gone; this watch gets a pass of its own.
        set.add(w);
        resizedCb();
        asked.set(read, write);
        request();
      } else {
        sizes.set(arg, new Set([w]));
        observer.observe(arg);
      }
    }
  };
  return control;
}

// Tells when an element moves on the page without changing size: a margin or a transform changes,
// content above it grows, a :hover rule scales it (or the window goes to a screen of another pixel
// ratio, below). No event says so, but an IntersectionObserver whose root is shrunk (or grown) to
// the element's own box does, as soon as the box leaves it (the way floating-ui's autoUpdate
// detects layout shifts). The root is the page's root element rather than the viewport, so
// scrolling the page, which moves everything alike, is no move here (the engine follows scrolling
// by itself). An element whose containing blocks skip the root element (positioned against the
// initial containing block), or that a scroll box hides whole, reports 0 at once and is not watched
// until a pass finds it moved or resized: its moves come from its own attributes, which the engine
// watches, or show at the next scroll or resize. The engine (src/dom/handles.rs, `Moves`) keeps
// the returned control: `control(true)` (after each frame that measured the element) starts over
// when the element's box changed on the page (or it had no box), `control(false)` stops for good.
export function watchMoves(el, onMove) {
  let io = null;
  let at = '';
  let ended = false;
  // Its box on the page (its size, and where it is from the root's: the same at any scroll), and
  // the root's size (the root's margins are in px from its edges).
  const where = (box, page = el.ownerDocument.documentElement.getBoundingClientRect()) =>
    `${box.width} ${box.height} ${box.x - page.x} ${box.y - page.y} ${page.width} ${page.height}`;
  const stop = () => {
    io?.disconnect();
    io = null;
  };
  const arm = (threshold) => {
    stop();
    const root = el.ownerDocument.documentElement;
    const box = el.getBoundingClientRect();
    const page = root.getBoundingClientRect();
    at = where(box, page);
    // No box (display: none, not in the page): the next frame that measures it looks again.
    if (!el.isConnected || !box.width || !box.height) return;
    const inset = (v) => `${-Math.floor(v)}px`;
    let first = true;
    const away = (r) => r.x !== box.x || r.y !== box.y || r.width !== box.width || r.height !== box.height;
    const moved = () => {
      arm(1);
      if (playing()) start();
      onMove();
    };
    io = new IntersectionObserver((entries) => {
      // (A report already queued when the engine stopped the watch: its callback is gone.)
      if (ended) return;
      const { intersectionRatio: ratio, boundingClientRect: seen } = entries[entries.length - 1];
      const wasFirst = first;
      first = false;
      if (ratio !== threshold) {
        // The first report is a baseline, unless the box moved since it was armed (a viewer's
        // zoom or transition changes the transform every frame, after the engine's pass). (A
        // box outside the root's containing blocks is reported empty: not a move.)
        if (!wasFirst || (seen.width && away(seen))) moved();
        // Partly clipped (by a scroll box, or by rounding): what changes now is that ratio.
        else if (ratio > 0) arm(ratio);
        // 0 at once: clipped whole, or outside the root's containing blocks. Nothing to watch.
        else stop();
        return;
      }
      // Under load a report may still say 1 for a box that has moved.
      if (away(el.getBoundingClientRect())) moved();
    }, {
      root,
      rootMargin: [box.top - page.top, page.right - box.right, page.bottom - box.bottom, box.left - page.left].map(inset).join(' '),
      threshold,
    });
    io.observe(el);
  };
  arm(1);
  // A new pixel ratio (the window dragged to another screen) moves the element on the device's
  // pixel grid, where the engine snaps it: nothing else tells. (A range: a ratio such as 1.333…
  // may not be written exactly.)
  let ratio = null;
  const onRatio = () => {
    watchRatio();
    onMove();
  };
  const watchRatio = () => {
    ratio?.removeEventListener('change', onRatio);
    const r = devicePixelRatio;
    ratio = matchMedia(`(min-resolution: ${r - 0.001}dppx) and (max-resolution: ${r + 0.001}dppx)`);
    ratio.addEventListener('change', onRatio);
  };
  watchRatio();
  // A transition or animation of a transform on the element or an ancestor (a viewer's zoom, a
  // turn) moves it every frame with no other sign, and a box that shrinks inside its old one
  // leaves no report: while one plays, the engine measures in every frame (`onMove`: now, in
  // this frame, after the browser has moved the animations on: `follow` runs the tick first).
  // CSS ones announce themselves with events; one played by `element.animate()` sends none and is
  // followed from its first move the watch above sees.
  const up = (n) => n.assignedSlot ?? n.parentNode ?? n.host;
  // Whether animation `a` may move what it animates: any property but those that only paint.
  const moves = (a) => {
    const frames = a.effect?.getKeyframes?.() ?? [];
    return !frames.length || frames.some((f) => Object.keys(f).some((k) => !STILL.test(k)));
  };
  // Whether `t` is the element or holds it (in the flat tree, across shadow roots and slots).
  const holds = (t) => {
    let n = el;
    while (n && n !== t) n = up(n);
    return !!t && !!n;
  };
  // Whether an animation of the element or of what holds it is playing (not paused, not over):
  // asked of the document and of every shadow root on the way up. Not one that can't move it (a
  // colour, a shadow, opacity: a pulse, a skeleton's shimmer, endless on the card around the
  // picture): nothing to measure in every frame then.
  const playing = () => {
    for (let n = el; n; n = up(n)) {
      if ((n.nodeType == 9 || n.nodeType == 11) && n.getAnimations?.().some((a) => a.playState == 'running' && holds(a.effect?.target) && moves(a))) return true;
    }
    return false;
  };
  let following = false;
  const tick = () => {
    following = !ended && playing();
    follow(tick, following);
    onMove();
  };
  const start = () => {
    if (!following && !ended) follow(tick, (following = true));
  };
  const animates = (e) => {
    if (holds(e.target)) start();
  };
  const ANIMATION_EVENTS = ['transitionrun', 'transitionend', 'transitioncancel', 'animationstart', 'animationend', 'animationcancel'];
  for (const type of ANIMATION_EVENTS) el.ownerDocument.addEventListener(type, animates, true);
  // One already playing when the watch starts (a slow pan of `object-position` on the picture,
  // started before the widget came) sent its event before anyone listened.
  if (playing()) start();
  // (A resize leaves the root at the old box, where the element may now move unseen; a move
  // measured by the pass, or a page grown or shrunk around it, would still be reported, and
  // measured again.)
  return (on) => {
    if (!on) {
      ended = true;
      stop();
      follow(tick, false);
      ratio.removeEventListener('change', onRatio);
      for (const type of ANIMATION_EVENTS) el.ownerDocument.removeEventListener(type, animates, true);
    } else if (!ended && at !== where(el.getBoundingClientRect())) {
      arm(1);
    }
  };
}
