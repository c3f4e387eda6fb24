// Passes for every widget on the page at once: all of them read (measure), then all of them write.
// Each widget measuring and writing in turn would force a layout per widget, its reads coming after
// the previous one's writes; this way N widgets measure one layout. A pass runs in an animation
// frame for the widgets that asked for one, and in the callback of the page's one ResizeObserver
// for those whose picture, page or probe changed size (so markers are right in the frame of the
// resize). src/dom/handles.rs (`Passes`) keeps the control `watch` returns:
//   control(true)     a pass in the next frame (once, however often asked)
//   control(1)        a pass in the frame after the next: it reads the layout the next one made
//                     (after a change the page made to an ancestor's style or class: reading it
//                     before that frame's layout would force one)
//   control(element)  also a pass whenever `element` changes size (`resized()` first)
//   control(null)     no more sizes watched
//   control(false)    the end: nothing more is called
// `follow(tick, on)`: while on, `tick()` runs at the start of every frame's pass, before the reads
// (js/moves.js, while an animation may be moving a picture: what it asks for is read this frame).
const asked = new Map(); // read → write
const later = new Map(); // the same, for the frame after the next
const ticks = new Set();
const sizes = new Map(); // element → the watches of its size
let frame = 0;
let current = null;
let observer = null;

const run = (list) => {
  current = list;
  for (const read of list.keys()) read();
  for (const write of list.values()) write();
  current = null;
};

const request = () => {
  frame ||= requestAnimationFrame(flush);
};

function flush() {
  // (Asked for during the pass: the next frame.)
  frame = -1;
  try {
    for (const tick of [...ticks]) tick();
    const list = new Map(asked);
    asked.clear();
    // (Those that pass now read the change they asked to read later: they're done.)
    for (const [read, write] of later) if (!list.has(read)) asked.set(read, write);
    later.clear();
    run(list);
  } finally {
    frame = 0;
    if (asked.size || later.size || ticks.size) request();
  }
}

function resized(entries) {
  const watches = new Set(entries.flatMap((e) => [...(sizes.get(e.target) ?? [])]));
  const list = new Map();
  for (const w of watches) {
    w.resized();
    list.set(w.read, w.write);
    // (This pass, after layout, is the one it asked for, now or later.)
    asked.delete(w.read);
    later.delete(w.read);
  }
  if (frame > 0 && !asked.size && !later.size && !ticks.size) {
    cancelAnimationFrame(frame);
    frame = 0;
  }
  run(list);
}

export function follow(tick, on) {
  if (!on) return ticks.delete(tick);
  ticks.add(tick);
  request();
}

export function watch(read, write, resizedCb) {
  const w = { read, write, resized: resizedCb, els: new Set() };
  const unwatch = () => {
    for (const el of w.els) {
      const set = sizes.get(el);
      set.delete(w);
      if (!set.size) {
        sizes.delete(el);
        observer.unobserve(el);
      }
    }
    w.els.clear();
  };
  let ended = false;
  return (arg) => {
    if (ended) return;
    if (arg === true || arg === 1) {
      (arg === 1 ? later : asked).set(read, write);
      request();
    } else if (arg === false) {
      ended = true;
      asked.delete(read);
      later.delete(read);
      current?.delete(read);
      unwatch();
    } else if (arg === null) {
      unwatch();
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
}
