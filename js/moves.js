// Tells when an element moves on the screen without changing size: a margin or a transform
// changes, content above it grows, a :hover rule scales it. No event says so, but an
// IntersectionObserver whose root is shrunk to the element's own box does, as soon as the box
// leaves it (the way floating-ui's autoUpdate detects layout shifts). The engine
// (src/dom/handles.rs, `Moves`) keeps the returned control: `control(true)` looks again when
// nothing is watched (the element had no box), `control(false)` stops for good.
export function watchMoves(el, onMove) {
  let io = null;
  let timer = 0;
  const stop = () => {
    clearTimeout(timer);
    timer = 0;
    io?.disconnect();
    io = null;
  };
  const arm = (threshold) => {
    stop();
    const box = el.getBoundingClientRect();
    // No box (display: none, not in the page): the next frame that measures it looks again.
    if (!el.isConnected || !box.width || !box.height) return;
    const page = el.ownerDocument.documentElement;
    const inset = (v) => `${-Math.floor(v)}px`;
    const options = {
      rootMargin: [box.top, page.clientWidth - box.right, page.clientHeight - box.bottom, box.left].map(inset).join(' '),
      threshold,
    };
    let first = true;
    const moved = () => {
      arm(1);
      onMove();
    };
    const seen = (entries) => {
      const ratio = entries[entries.length - 1].intersectionRatio;
      const wasFirst = first;
      first = false;
      if (ratio !== threshold) {
        if (!wasFirst) moved();
        // Partly clipped (by a scroll box, or by rounding): what changes now is that ratio.
        else if (ratio > 0) arm(ratio);
        // Clipped whole: nothing can be seen to move; look again in a second.
        else timer = setTimeout(() => arm(1e-7), 1000);
        return;
      }
      // Under load a report may still say 1 for a box that has moved.
      const now = el.getBoundingClientRect();
      if (now.x !== box.x || now.y !== box.y || now.width !== box.width || now.height !== box.height) moved();
    };
    try {
      io = new IntersectionObserver(seen, { ...options, root: el.ownerDocument });
    } catch {
      io = new IntersectionObserver(seen, options); // no Document root (older browsers)
    }
    io.observe(el);
  };
  arm(1);
  return (on) => {
    if (!on) stop();
    else if (!io && !timer) arm(1);
  };
}
