// HotspotOverlay: the same engine without the element, for spin viewers that own their DOM.
import { boot, guard, crashed, live, photoMapEntries, create, release, damageIndex, isDead } from './engine.js';
import { requestEarly, dropEarly } from './request.js';

const OPTION_ATTRIBUTES = { photo: 'photo', lang: 'lang', timeout: 'timeout', pollTimeout: 'poll-timeout', list: 'list', headingLevel: 'heading-level' };

const ms = (v) => v > 0 && v < 2 ** 32 && Number.isInteger(v);
/** What the options with a range accept (checked at attach(): a RangeError naming the option). */
const RANGES = { list: (v) => /^(open|closed|none)$/.test(v), headingLevel: (v) => /^[1-6]$/.test(v), timeout: ms, pollTimeout: ms };
const isText = (v) => typeof v == 'string' || v instanceof URL;
const isNumber = (v) => typeof v == 'number';
/** The type each option takes (as index.d.ts declares it): else a TypeError naming the option. */
const TYPES = {
  src: isText, wasmUrl: isText, lang: isText, list: isText,
  photo: (v) => isText(v) || isNumber(v),
  headingLevel: isNumber, timeout: isNumber, pollTimeout: isNumber,
  results: (v) => typeof v == 'string' || (typeof v == 'object' && !Array.isArray(v)),
};

/** Every option attach() reads: another key is a typo to warn about (`lnag`), not an error. */
const OPTIONS = [...Object.keys(OPTION_ATTRIBUTES), 'src', 'results', 'photoMap', 'container', 'wasmUrl'];

/** A string option as the engine takes it: `null` for none, else its text (a `URL` → its href). */
const text = (value) => (value === undefined || value === null ? null : String(value));

// The host is a plain <div>: a custom element inside it (never shown: the host's shadow root has
// no slot) hears when it leaves the page or comes back, as <pave-hotspots> itself does (a viewer
// that empties its wrapper with innerHTML = '' or rebuilds it; a page that moves it). What to do
// is a property of each instance, so a second copy of this script, which finds the name taken,
// works too.
const HEAR = Symbol.for('pave-hotspots.hear');
const SENTINEL = 'pave-hotspots-sentinel';
function sentinel(hear) {
  if (!customElements.get(SENTINEL)) {
    customElements.define(SENTINEL, class extends HTMLElement {
      connectedCallback() { this[HEAR]?.(true); }
      disconnectedCallback() { this[HEAR]?.(false); }
    });
  }
  const s = document.createElement(SENTINEL);
  s.hidden = true;
  s[HEAR] = hear;
  return s;
}

export const HotspotOverlay = {
  /**
   * Covers `target` (an <img>, <canvas> or <video>, or any element whose content box shows the
   * frame) with damage markers.
   * Returns at once; the engine starts when the wasm has loaded (`overlay.ready`).
   */
  attach(target, options = {}) {
    // Wrong arguments are the caller's to hear about, now: not a widget that stays idle.
    const fail = (what) => { throw new TypeError(`HotspotOverlay.attach: ${what}`); };
    if (!(typeof Element !== 'undefined' && target instanceof Element)) {
      fail(target?.nodeType === 1 ? 'target is in another window: import pave-hotspots there' : 'target must be an element');
    }
    if (typeof options !== 'object' || !options || Array.isArray(options)) fail('options must be an object');
    const container = options.container ?? document.body;
    // (A shadow root is a container too; a detached fragment or a document is not, nor an element
    // whose children don't show, where the overlay would be ready and never seen: the picture
    // itself, a canvas, a built-in element with a `src` (an image, a video, a frame, an input).
    // A custom element with a `src`, a viewer that shows what it holds, is one.)
    if (!(container instanceof Element || container instanceof ShadowRoot) || ('src' in container || container.localName == 'canvas') && !container.localName.includes('-')) {
      fail('options.container must be an element or a shadow root that shows its children');
    }
    for (const [key, ok] of Object.entries(TYPES)) {
      const v = options[key];
      if (v != null && !ok(v)) fail(`options.${key} has the wrong type (${Array.isArray(v) ? 'array' : typeof v})`);
    }
    for (const [key, ok] of Object.entries(RANGES)) {
      const v = options[key];
      if (v != null && !ok(v)) throw new RangeError(`HotspotOverlay.attach: options.${key} is out of range: ${v}`);
    }
    for (const key of Object.keys(options)) {
      if (!OPTIONS.includes(key)) console.warn(`HotspotOverlay.attach: unknown option ${key} is ignored (options: ${OPTIONS.join(', ')})`);
    }
    // What an engine starts with: the options, as the setters changed them since (the last call
    // of each, as if they had all been made before anything ran), in a copy of the page's object.
    options = { ...options };
    let photoMap = photoMapEntries(options.photoMap); // a bad map throws a TypeError here
    let src = text(options.src);
    let results = options.results ?? undefined; // null: none, as if left out
    const host = document.createElement('div');
    host.setAttribute('data-pave-hotspots', '');
    let engine = null;
    let booted = false;
    let destroyed = false;
    let failed = false;
    // Calls made before the engine is ready, by name: the last of each wins (a viewer calling
    // open() every frame while the wasm loads queues one call, not thousands).
    const queue = new Map();
    // `fn` on the engine, if there is one (none before it starts, while the host is out of the
    // page, once destroyed): a setter's value is then the one the next engine starts with.
    const tell = (fn) => engine && guard(host, () => fn(engine));
    const call = (name, fn) => {
      if (destroyed || failed) return;
      if (engine) return tell(fn);
      queue.delete(name);
      queue.set(name, fn);
    };
    // The engine, on a host in the page: made when the wasm has loaded, and again when the host
    // comes back after it left.
    const start = () => {
      engine = guard(host, () => create(host, true, false));
      if (!engine) {
        dropEarly(host);
        return;
      }
      live.add(host);
      guard(host, () => {
        for (const [key, attr] of Object.entries(OPTION_ATTRIBUTES)) {
          if (options[key] != null) engine.set(attr, String(options[key]));
        }
        if (photoMap) engine.setPhotoMap(photoMap);
        engine.setTarget(target);
        if (src !== null) engine.set('src', src);
        if (results !== undefined) engine.setResults(results);
        engine.start();
      });
      // Calls made before the engine was ready run now, each on its own: one that throws (say
      // open(99)) is reported without dropping the others or rejecting `ready`.
      const queued = [...queue.values()];
      queue.clear();
      for (const fn of queued) {
        // (A listener of a queued call may have destroyed the overlay.)
        if (destroyed) break;
        try {
          guard(host, () => fn(engine));
        } catch (error) {
          queueMicrotask(() => { throw error; });
        }
      }
    };
    // Taken out of the page (not put back before the next microtask checkpoint, i.e. by the same
    // script, which is a move): the engine is released as the element's is (a popover open is
    // closed, with pave-close), and the overlay is idle until the host is put back.
    const hears = sentinel((connected) => {
      if (destroyed) return;
      if (connected) {
        if (engine) guard(host, () => engine.moved());
        else if (booted) start();
        else if (failed) load(); // (the wasm could not be loaded: tried again, as the element does)
        return;
      }
      queueMicrotask(() => {
        if (destroyed || host.isConnected || !engine) return;
        // (Taken first: a pave-close listener may call destroy() from inside the release.)
        const e = engine;
        engine = null;
        live.delete(host);
        release(host, e);
      });
    });
    // While the wasm loads, the data at `src` is fetched (js/request.js): the engine takes the
    // request over when it starts. Not when results replace it, nor while no wasm is loading.
    // Asked after the caller's script (a microtask): a setSrc() or setResults() right after
    // attach() asks nothing for the data it replaces.
    const early = () => queueMicrotask(() => booted || failed || destroyed || (results === undefined && src?.trim() ? requestEarly(host, src) : dropEarly(host)));
    // Loads the wasm, then starts. After a failed load, reload() or the host put back in the page
    // tries again.
    const load = () => {
      failed = false;
      early();
      return boot(options.wasmUrl).then(() => {
        if (destroyed) return;
        booted = true;
        if (host.isConnected) start();
        else dropEarly(host);
      }, (error) => {
        if (destroyed) return;
        failed = true;
        queue.clear();
        dropEarly(host);
        crashed(host, error, 'network');
      });
    };
    host.append(hears);
    container.append(host);
    const ready = load();

    return {
      element: host,
      ready,
      // (Reads are never queued: before the engine they answer at once.)
      get state() {
        if (failed || isDead()) return 'error';
        return tell((e) => e.state()) || 'idle';
      },
      toPixels: (x, y) => tell((e) => e.toPixels(+x, +y)) ?? null,
      open: (index) => call('open', (e) => e.open(damageIndex(index))),
      close: () => call('close', (e) => e.close()),
      next: () => call('next', (e) => e.next()),
      previous: () => call('previous', (e) => e.previous()),
      // (Before the engine starts there is nothing to load again: it loads the data when it
      // starts. After the wasm failed to load, it is the wasm that is loaded again.)
      reload: () => {
        if (failed && !destroyed) load();
        else tell((e) => e.reload());
      },
      setPhoto: (photo) => {
        options.photo = photo;
        tell((e) => e.set('photo', text(photo)));
      },
      setPhotoMap: (map) => {
        photoMap = photoMapEntries(map); // a bad map throws here, to the caller
        tell((e) => e.setPhotoMap(photoMap));
      },
      // (And the early request follows, while the wasm loads.)
      setResults: (value) => {
        results = value ?? undefined;
        tell((e) => e.setResults(value ?? null));
        early();
      },
      setSrc: (value) => {
        src = text(value);
        tell((e) => e.set('src', src));
        early();
      },
      addEventListener: host.addEventListener.bind(host),
      removeEventListener: host.removeEventListener.bind(host),
      destroy() {
        if (destroyed) return;
        destroyed = true;
        const e = engine;
        engine = null;
        if (e) release(host, e);
        dropEarly(host);
        live.delete(host);
        queue.clear();
        // (Nothing of the page's is kept by an overlay object the page holds on to.)
        photoMap = results = null;
        delete hears[HEAR];
        host.remove();
      },
    };
  },
};
