// The <pave-hotspots> custom element: a few lines of JS around the Rust engine (a JS class can't
// be written in Rust). Defining it is a separate, idempotent call.
import { boot, guard, crashed, live, photoMapEntries, create } from './engine.js';

const ATTRIBUTES = ['for', 'src', 'results', 'photo', 'lang', 'timeout', 'poll-timeout', 'list', 'heading-level'];

// On a server (SSR) there is no HTMLElement: the module must still import without throwing.
const Base = globalThis.HTMLElement ?? class {};

export class PaveHotspotsElement extends Base {
  static observedAttributes = ATTRIBUTES;
  #engine = null;
  #results = undefined;
  #photoMap = undefined;

  connectedCallback() {
    // A property set before the element was defined sits on the instance: move it to the class.
    for (const name of ['results', 'photoMap']) {
      if (Object.prototype.hasOwnProperty.call(this, name)) {
        const value = this[name];
        delete this[name];
        this[name] = value;
      }
    }
    boot().then(() => this.#connect(), (error) => crashed(this, error, 'network'));
  }

  disconnectedCallback() {
    this.#disconnect();
  }

  attributeChangedCallback(name, old, value) {
    if (!this.#engine) return;
    // With or without `for` are two layouts (overlay or own viewer): rebuild when it flips.
    if (name === 'for' && (old === null) !== (value === null)) {
      this.#disconnect();
      this.#connect();
      return;
    }
    guard(this, () => this.#engine.set(name, value));
  }

  #connect() {
    if (!this.isConnected || this.#engine) return;
    const engine = guard(this, () => create(this, false, !this.hasAttribute('for')));
    if (!engine) return;
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
  }

  #disconnect() {
    const engine = this.#engine;
    this.#engine = null;
    live.delete(this);
    if (engine) guard(this, () => { engine.destroy(); engine.free(); });
  }

  #call(fn, fallback) {
    return this.#engine ? guard(this, () => fn(this.#engine)) ?? fallback : fallback;
  }

  /** The results JSON (object or JSON string). Setting it replaces data loaded from `src`. */
  get results() { return this.#results; }
  set results(value) {
    this.#results = value;
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
  get state() { return this.#call((e) => e.state(), 'idle'); }

  open(index) { this.#call((e) => e.open(index)); }
  close() { this.#call((e) => e.close()); }
  next() { this.#call((e) => e.next()); }
  previous() { this.#call((e) => e.previous()); }
  reload() { this.#call((e) => e.reload()); }
  toPixels(x, y) { return this.#call((e) => e.toPixels(x, y), null); }
}

/** Defines <pave-hotspots> (or another name). Calling it again, or loading the script twice, is harmless. */
export function defineElement(name = 'pave-hotspots') {
  if (typeof customElements === 'undefined') return undefined;
  if (!customElements.get(name)) {
    customElements.define(name, class extends PaveHotspotsElement {});
  }
  return customElements.get(name);
}
