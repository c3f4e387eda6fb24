// Tells when an element moves on the page without changing size: a margin or a transform changes,
// content above it grows, a :hover rule scales it (or the window goes to a screen of another pixel
// ratio, below). No event says so, but an IntersectionObserver whose root is shrunk (or grown) to
// the element's own box does, as soon as the box leaves it (the way floating-ui's autoUpdate
// detects layout shifts). The root is the page's root element rather than the viewport, so
// scrolling the page, which moves everything alike, is no move here (the engine follows scrolling
// by itself). An element whose containing blocks skip the root element (positioned against the
// initial containing block), or that a scroll box hides whole, reports 0 at once and is not watched
// until its size changes: its moves come from its own attributes, which the engine watches, or show
// at the next scroll or resize. The engine (src/dom/handles.rs, `Moves`) keeps the returned
// control: `control(true)` (after each frame that measured the element) starts over when the
// element's size changed (or it had no box), `control(false)` stops for good.
import { follow } from './frames.js';

export function watchMoves(el, onMove, onFrame) {
  let io = null;
  let size = '';
  let ended = false;
  const sizeOf = (box) => `${box.width} ${box.height}`;
  const stop = () => {
    io?.disconnect();
    io = null;
  };
  const arm = (threshold) => {
    stop();
    const box = el.getBoundingClientRect();
    size = sizeOf(box);
    // No box (display: none, not in the page): the next frame that measures it looks again.
    if (!el.isConnected || !box.width || !box.height) return;
    const root = el.ownerDocument.documentElement;
    const page = root.getBoundingClientRect();
    const inset = (v) => `${-Math.floor(v)}px`;
    let first = true;
    const away = (r) => r.x !== box.x || r.y !== box.y || r.width !== box.width || r.height !== box.height;
    const moved = () => {
      arm(1);
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
  // leaves no report: while one runs, the engine measures in every frame (`onFrame`: now, in
  // this frame, after the browser has moved the animations on: js/frames.js runs the tick first).
  let running = 0;
  let following = false;
  const tick = () => {
    // (An element removed mid-transition sends its end to no one: none left running is the end.)
    if (el.ownerDocument.getAnimations?.().length === 0) running = 0;
    following = running > 0 && !ended;
    follow(tick, following);
    onFrame();
  };
  const animates = (e) => {
    let n = el;
    while (n && n !== e.target) n = n.parentNode ?? n.host;
    if (!n) return;
    running = Math.max(0, running + (/run|start/.test(e.type) ? 1 : -1));
    if (!following) follow(tick, (following = true));
  };
  const ANIMATION_EVENTS = ['transitionrun', 'transitionend', 'transitioncancel', 'animationstart', 'animationend', 'animationcancel'];
  for (const type of ANIMATION_EVENTS) el.ownerDocument.addEventListener(type, animates, true);
  // (A resize leaves the root at the old box, where the element may now move unseen.)
  return (on) => {
    if (!on) {
      ended = true;
      stop();
      follow(tick, false);
      ratio.removeEventListener('change', onRatio);
      for (const type of ANIMATION_EVENTS) el.ownerDocument.removeEventListener(type, animates, true);
    } else if (!ended && size !== sizeOf(el.getBoundingClientRect())) {
      arm(1);
    }
  };
}
