// Installed as an init script, before any page script runs: times every callback a library
// hands to the browser (requestAnimationFrame, Resize/Mutation/IntersectionObserver, timers, and
// listeners for the few events that fire during the bench), so a run can add up the main-thread
// time a library spent after the call that triggered it. The bench's own callbacks are marked
// with OWN and are not counted. Overhead: two performance.now() calls per library callback.
(() => {
  const now = () => performance.now();
  const OWN = Symbol.for('pave-bench.own');
  const B = (window.__bench = {
    OWN,
    lib: 0, // ms spent in library callbacks since the last reset
    calls: 0, // how many library callbacks ran
    rafs: 0, // how many of them were requestAnimationFrame callbacks
    sinceRaf: 0, // library ms since the last rAF callback of the current frame ended
    lastRafEnd: 0, // when the last rAF callback (anyone's) ended
    depth: 0,
    reset() {
      B.lib = 0; B.calls = 0; B.rafs = 0; B.sinceRaf = 0;
    },
  });

  const timed = (fn, kind) => {
    if (typeof fn !== 'function' || fn[OWN]) return fn;
    return function (...args) {
      if (B.depth) return fn.apply(this, args);
      B.depth = 1;
      const t0 = now();
      try {
        return fn.apply(this, args);
      } finally {
        const dt = now() - t0;
        B.depth = 0;
        B.lib += dt;
        B.sinceRaf += dt;
        B.calls += 1;
        if (kind === 'raf') B.rafs += 1;
      }
    };
  };

  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = function requestAnimationFrame(cb) {
    const inner = timed(cb, 'raf');
    return raf((t) => {
      try {
        inner(t);
      } finally {
        B.lastRafEnd = now();
        B.sinceRaf = 0;
      }
    });
  };

  const setTimeoutOrig = window.setTimeout.bind(window);
  window.setTimeout = function setTimeout(fn, ms, ...rest) {
    return setTimeoutOrig(timed(fn, 'timer'), ms, ...rest);
  };

  for (const name of ['ResizeObserver', 'MutationObserver', 'IntersectionObserver']) {
    const Orig = window[name];
    if (!Orig) continue;
    const Sub = { [name]: class extends Orig {
      constructor(cb, ...rest) {
        super(timed(cb, name), ...rest);
      }
    } }[name];
    window[name] = Sub;
  }

  // Only the event types that fire during the bench are wrapped: wrapping the thousands of
  // per-marker mouseenter/focus/keydown listeners some libraries add would bill them for the
  // wrapper's own cost.
  const TYPES = new Set(['load', 'error', 'resize', 'scroll', 'loadeddata', 'transitionend', 'animationend']);
  const proto = EventTarget.prototype;
  const add = proto.addEventListener;
  const remove = proto.removeEventListener;
  const wrapped = new WeakMap();
  proto.addEventListener = function addEventListener(type, listener, options) {
    if (typeof listener === 'function' && !listener[OWN] && TYPES.has(type)) {
      let w = wrapped.get(listener);
      if (!w) {
        w = timed(listener, 'event');
        wrapped.set(listener, w);
      }
      listener = w;
    }
    return add.call(this, type, listener, options);
  };
  proto.removeEventListener = function removeEventListener(type, listener, options) {
    return remove.call(this, type, (typeof listener === 'function' && wrapped.get(listener)) || listener, options);
  };
})();
