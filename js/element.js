// The <pave-hotspots> custom element: a few lines of JS around the Rust engine (a JS class can't
// be written in Rust). Defining it is a separate, idempotent call.
import { boot, guard, crashed, live, photoMapEntries, create, release, damageIndex, isDead } from './engine.js';
import { requestEarly, dropEarly } from './request.js';

const ATTRIBUTES = ['for', 'src', 'results', 'photo', 'lang', 'timeout', 'poll-timeout', 'list', 'heading-level'];

// On a server (SSR) there is no HTMLElement: the module must still import without throwing.
const Base = globalThis.HTMLElement ?? class {};

export class PaveHotspotsElement extends Base {
  static observedAttributes = ATTRIBUTES;
  #engine = null;
  #results = undefined;
  #photoMap = undefined;
  #waiting = false; // connected, the engine not made yet (the wasm is loading)
  #failed = false; // the wasm could not be loaded
  #queue = new Map(); // open(), close(), next(), previous() called while the wasm loads: the last of each runs then

  connectedCallback() {
    // Moved (a framework's keyed re-order, a portal): disconnected and connected again in one
    // task. The engine stays, with its data and state; it finds its picture again and measures.
    if (this.#engine && !this.#foreign()) {
      guard(this, () => this.#engine.moved());
      return;
    }
    // (Taken into another window's document, an iframe's: that one is not ours. See #connect.)
    this.#disconnect();
    // A property set before the element was defined sits on the instance: move it to the class.
    for (const name of ['results', 'photoMap']) {
      if (Object.prototype.hasOwnProperty.call(this, name)) {
        const value = this[name];
        delete this[name];
        try {
          this[name] = value;
        } catch (error) {
          // (A bad photoMap: reported, and the element starts without it.)
          queueMicrotask(() => { throw error; });
        }
      }
    }
    this.#load();
  }

  /** Loads the wasm, then starts. A load that failed is tried again by reload() or when put back. */
  #load() {
    this.#failed = false;
    this.#waiting = true;
    this.#early();
    // The built-in viewer's photo takes its room at once, not when the wasm has come: the page
    // below doesn't jump down by the photo's height then (a layout shift, which Core Web Vitals
    // count). Its stage, empty, until the engine empties the root and builds it. (CSSOM, which
    // a strict style-src allows.)
    if (!this.hasAttribute('for') && !this.shadowRoot) {
      const stage = document.createElement('div');
      stage.style.cssText = 'aspect-ratio:var(--pave-viewer-aspect,4/3);margin-bottom:38px;background:var(--pave-viewer-bg,#eef0f2);border-radius:var(--pave-radius,10px)';
      this.attachShadow({ mode: 'open' }).append(stage);
    }
    boot().then(() => this.#connect(), (error) => {
      // (Taken out of the page meanwhile: nothing to show; put back, it loads again.)
      if (!this.#waiting) return;
      this.#waiting = false;
      this.#failed = true;
      this.#queue.clear();
      dropEarly(this);
      crashed(this, error, 'network');
    });
  }

  disconnectedCallback() {
    this.#waiting = false;
    dropEarly(this);
    // Released once the task's DOM changes are done, unless it was put back meanwhile (a move).
    queueMicrotask(() => {
      if (!this.isConnected) this.#disconnect();
    });
  }

  attributeChangedCallback(name, old, value) {
    // Set again to the value it had: nothing changed (no new request for `src`). Not `for`, read
    // again (the page may have put a new element under that id), nor `photo`, which turns the
    // built-in viewer back to that photo after its own previous/next (the engine knows).
    if (old === value && name !== 'for' && name !== 'photo') return;
    if (!this.#engine) {
      if (name === 'src' || name === 'results') this.#early();
      return;
    }
    // With or without `for` are two layouts (overlay or own viewer): rebuild when it flips.
    if (name === 'for' && (old === null) !== (value === null)) {
      this.#disconnect();
      this.#connect();
      return;
    }
    guard(this, () => this.#engine.set(name, value));
  }

  /**
   * While the wasm loads, the data at `src` is already being fetched (js/request.js): the engine
   * takes the request over when it starts. Not when inline results replace it.
   */
  #early() {
    if (!this.#waiting) return;
    const src = this.getAttribute('src');
    const inline = this.hasAttribute('results') || (this.#results !== undefined && this.#results !== null);
    if (src && src.trim() && !inline) requestEarly(this, src);
    else dropEarly(this);
  }

  /**
   * In a document of another window than this script's (an iframe's, after `adoptNode`): that
   * window's elements are not of our HTMLElement. (Not `window` compared: a micro-frontend's
   * sandbox, qiankun's, hands its scripts a proxy of it.)
   */
  #foreign() {
    const win = this.ownerDocument.defaultView;
    return !!win && !(this instanceof win.HTMLElement);
  }

  #connect() {
    if (!this.isConnected || this.#engine) return;
    this.#waiting = false;
    // The engine measures and listens in this script's window, and knows its element types
    // only: in another, it is told, not shown broken. (Put back, it starts again.)
    if (this.#foreign()) {
      this.#failed = true;
      dropEarly(this);
      crashed(this, new Error('pave-hotspots: the element was moved into another window (an iframe); load pave-hotspots in that window and make the element there'), 'network');
      return;
    }
    const engine = guard(this, () => create(this, false, !this.hasAttribute('for')));
    if (!engine) {
      dropEarly(this);
      return;
    }
    this.#engine = engine;
    live.add(this);
    guard(this, () => {
      for (const name of ATTRIBUTES) {
        if (this.hasAttribute(name) && name !== 'src' && name !== 'results') engine.set(name, this.getAttribute(name));
      }
      if (this.#photoMap !== undefined) engine.setPhotoMap(photoMapEntries(this.#photoMap));
      if (this.hasAttribute('src')) engine.set('src', this.getAttribute('src'));
      if (this.hasAttribute('results')) engine.set('results', this.getAttribute('results'));
      if (this.#results !== undefined && this.#results !== null) engine.setResults(this.#results);
      engine.start();
    });
    // Each on its own: one that throws (open(99)) is reported without dropping the others.
    const queued = [...this.#queue.values()];
    this.#queue.clear();
    for (const fn of queued) {
      try {
        guard(this, () => fn(engine));
      } catch (error) {
        queueMicrotask(() => { throw error; });
      }
    }
  }

  #disconnect() {
    const engine = this.#engine;
    this.#engine = null;
    live.delete(this);
    if (engine) release(this, engine);
  }

  #call(fn, fallback, name) {
    if (this.#engine) return guard(this, () => fn(this.#engine)) ?? fallback;
    if (name && !this.#failed) {
      this.#queue.delete(name);
      this.#queue.set(name, fn);
    }
    return fallback;
  }

  /** The results JSON (object or JSON string). Setting it replaces data loaded from `src`. */
  get results() { return this.#results; }
  set results(value) {
    this.#results = value;
    this.#early();
    this.#call((e) => e.setResults(value ?? null));
  }

  /** Frame URL (full URL or file name) → PAVE photo code or label. */
  get photoMap() { return this.#photoMap; }
  set photoMap(value) {
    const entries = photoMapEntries(value); // throws a TypeError for what isn't a map
    this.#photoMap = value;
    this.#call((e) => e.setPhotoMap(entries));
  }

  /** The visible state: idle, loading, inspecting, ready, empty or error. */
  get state() { return this.#failed || isDead() ? 'error' : this.#call((e) => e.state(), 'idle'); }

  open(index) { this.#call((e) => e.open(damageIndex(index)), undefined, 'open'); }
  close() { this.#call((e) => e.close(), undefined, 'close'); }
  next() { this.#call((e) => e.next(), undefined, 'next'); }
  previous() { this.#call((e) => e.previous(), undefined, 'previous'); }
  // (Before the engine starts there is nothing to load again: it loads the data when it starts.
  // After the wasm failed to load, it is the wasm that is loaded again.)
  reload() {
    if (this.#failed && this.isConnected) this.#load();
    else this.#call((e) => e.reload());
  }
  toPixels(x, y) { return this.#call((e) => e.toPixels(+x, +y), null); }
}

/** Defines <pave-hotspots> (or another name). Calling it again, or loading the script twice, is harmless. */
export function defineElement(name = 'pave-hotspots') {
  // (On a server or in a worker: nothing to define; the class, as its type says.)
  if (typeof customElements === 'undefined') return PaveHotspotsElement;
  const taken = customElements.get(name);
  if (!taken) customElements.define(name, class extends PaveHotspotsElement {});
  // (Another copy of this script's is as good: the page loaded it twice.)
  else if (typeof taken.prototype.toPixels !== 'function') {
    console.warn(`pave-hotspots: <${name}> is already defined by another script; its elements won't show damages (defineElement('another-name') can)`);
  }
  return customElements.get(name);
}
