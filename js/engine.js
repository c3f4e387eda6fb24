// Loads the wasm engine once per page and keeps one rule: if the instance ever traps (which the
// Rust side is written never to do), every widget shows its error state instead of breaking the
// page, and no further call reaches the dead instance.
import init, { Engine, __guard } from '../pkg/pave_hotspots.js';
import { watchTaps } from './taps.js';

let booting = null;
let dead = null;
__guard(guard);

// The engine's methods, by their number in this list: one wasm export stands for them all
// (`call` in src/api.rs), with the method's arguments (`toPixels` takes numbers: the shell turns
// its arguments into numbers, as a wasm number parameter did).
'css start moved set setResults setPhotoMap setTarget open close next previous reload toPixels state destroy'
  .split(' ').forEach((name, method) => {
    Engine.prototype[name] = function (a, b) {
      return this.call(method, a, b);
    };
  });

/** Every host with a live engine (elements in shadow roots too), for the trap fallback. */
export const live = new Set();

// The script that ran this one, where a bundler left no `import.meta` to find the wasm beside
// (esbuild's IIFE and CommonJS output make it `{}`): read as it runs, the only time it can be.
const script = import.meta.url ? undefined : globalThis.document?.currentScript?.src;

/** Starts loading the wasm (once). `wasmUrl` overrides where the .wasm file is. */
export function boot(wasmUrl) {
  // Beside the glue (its default), else beside the script that ran it.
  const url = wasmUrl || (!import.meta.url && script && new URL('pave-hotspots.wasm', script));
  // A load that failed (a network error, a 503) is tried again by the next widget or call: on a
  // long-lived page one failure must not be for good.
  booting ??= (url || import.meta.url ? init(url ? { module_or_path: url } : undefined) : Promise.reject(new Error(
    'pave-hotspots.wasm can\'t be found: this bundle has no import.meta to find it by (call loadEngine(url) first)',
  ))).catch((error) => {
    booting = null;
    // (Which file, where the browser's words don't say: a CDN without CORS, a page in its place.)
    const file = String(url || 'pave-hotspots.wasm');
    const message = error?.message ?? String(error);
    throw message.includes(file) ? error : new Error(`${message} (${file})`, { cause: error });
  });
  return booting;
}

/**
 * Runs `fn`, turning a wasm trap into the widget's error state on `host` (`null` for a callback
 * of the page's into the wasm: a listener, a timeout, an observer, a response; the build routes
 * them all here).
 */
export function guard(host, fn) {
  if (dead) return undefined;
  try {
    return fn();
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) {
      dead = error;
      // One instance serves every widget on the page: all of them are gone.
      new Set(host ? [host, ...live] : live).forEach((el) => crashed(el, error));
      live.clear();
      return undefined;
    }
    throw error;
  }
}

// What the status line says when the engine is not there to say it (it has the words of
// everything else): the wasm could not be loaded, or it trapped.
const WORDS = {
  en: ['The damage viewer could not be loaded.', 'The damage viewer stopped working. Please reload the page.'],
  fr: ['Le visualiseur de dommages n’a pas pu être chargé.', 'Le visualiseur de dommages a cessé de fonctionner. Veuillez recharger la page.'],
  es: ['No se pudo cargar el visor de daños.', 'El visor de daños dejó de funcionar. Vuelva a cargar la página.'],
  de: ['Die Schadensansicht konnte nicht geladen werden.', 'Die Schadensansicht funktioniert nicht mehr. Bitte laden Sie die Seite neu.'],
};

/**
 * Shows the error state without the engine, and tells the page. `kind` is `network` when the
 * wasm could not be fetched, else `malformed` (a trap comes from data the engine choked on).
 */
export function crashed(host, error, kind = 'malformed') {
  // (An element whose wasm never loaded has no shadow root yet: it gets one for its status line,
  // which the engine takes over when a retry loads. Not an overlay's host, a <div> at the end of
  // its container, whose status line would be nowhere near the picture.)
  let root = host.shadowRoot;
  if (!root && host.localName.includes('-')) root = host.attachShadow({ mode: 'open' });
  if (root) {
    // In the widget's language: the one its status line was in (a trap), else the element's
    // `lang`, read as the engine reads it (src/core/i18n.rs: the primary subtag, else English).
    const tag = root.querySelector('[part=status]')?.lang || host.getAttribute('lang') || '';
    const lang = /^(fr|es|de)(?![^-_])/i.exec(tag.trim())?.[1].toLowerCase() ?? 'en';
    const p = document.createElement('p');
    p.setAttribute('part', 'status');
    p.setAttribute('role', 'status');
    p.lang = lang;
    root.replaceChildren(p);
    // (Words written into a live region as it comes are not read out: they come a moment after.)
    setTimeout(() => { p.textContent = WORDS[lang][kind === 'network' ? 0 : 1]; }, 100);
  }
  host.dispatchEvent(new CustomEvent('pave-state', { bubbles: true, composed: true, detail: { state: 'error' } }));
  host.dispatchEvent(new CustomEvent('pave-error', {
    bubbles: true, composed: true, detail: { kind, message: String(error?.message ?? error) },
  }));
}

/**
 * `photoMap` as the engine takes it: `[[frame URL or file name, photo code or label], …]` from an
 * object or a Map. Read here, where a page object that throws can be reported to the caller.
 */
export function photoMapEntries(map) {
  if (map === null || map === undefined) return null;
  if (typeof map !== 'object' || Array.isArray(map)) {
    throw new TypeError('pave-hotspots: photoMap must be an object or a Map');
  }
  const entries = map instanceof Map ? [...map.entries()] : Object.entries(map);
  return entries.map(([key, name]) => {
    if (typeof name !== 'string' && !(Number.isInteger(name) && name >= 0)) {
      throw new TypeError(`pave-hotspots: photoMap["${key}"] must be a photo code or label`);
    }
    return [urlForm(String(key)), String(name)];
  });
}

/**
 * A photoMap key written the way the browser writes `currentSrc`, by the same URL parser:
 * `frame 05.jpg` and `frame%2005.jpg` both become `frame%2005.jpg`; a full URL becomes its `href`.
 */
function urlForm(key) {
  const k = key.trim();
  try {
    if (/^[a-z][a-z\d+.-]*:/i.test(k)) return new URL(k).href;
    const u = new URL(k, 'http://h/');
    return u.pathname.slice(1) + u.search + u.hash;
  } catch {
    return key;
  }
}

/** `open()`'s index as the engine takes it: a number, or NaN (a RangeError) for anything else. */
export const damageIndex = (index) => (typeof index === 'number' ? index : NaN);

let sheet;
const watched = new WeakSet();

/**
 * What happens in a shadow root that needs no engine call: taps (js/taps.js); a double-click on
 * anything of ours but the built-in viewer's photo (the page's as much as ours) stays with us (a
 * spin viewer around the element zooms on one: a double-click on a marker opened it and then
 * zoomed the car away under it); a close-up picture that can't be loaded (PAVE's URL expired,
 * blocked by the page's img-src policy, the network gone for a moment) is marked, and its box
 * hidden, instead of showing an empty frame: the engine asks for it again when a damage of that
 * photo opens, and it shows once loaded.
 */
function watch(root) {
  if (watched.has(root)) return;
  watched.add(root);
  watchTaps(root);
  // (Heard on the host: a double-click pressed on one of ours and released on another, say a
  // marker and the popover its first click opened over it, is the host's own, not in the root.)
  root.host.addEventListener('dblclick', (e) => e.composedPath()[0].matches('[part=image]') || e.stopPropagation());
  // A photo that can't be loaded is marked: the close-up's box hides (a retry that loads shows
  // it again; the engine drops the mark when the popover turns to a damage without a close-up),
  // the built-in viewer's says so (the engine hears the same event, after this).
  for (const type of ['error', 'load']) {
    root.addEventListener(type, ({ target: img }) => {
      const closeup = img.matches?.('.closeup img');
      if (!closeup && !img.matches?.('[part=image]') || (type == 'load' && !img.hasAttribute('data-broken'))) return;
      img.toggleAttribute('data-broken', type == 'error');
      if (closeup) img.parentNode.hidden = type == 'error';
    }, true);
  }
}

/**
 * A new engine on `host`, in its open shadow root (made if there is none: an element whose wasm
 * could not be loaded has one for its status line), emptied. Every widget on the page adopts one
 * stylesheet, made from the first engine's CSS text.
 */
export function create(host, attached, viewer) {
  const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  root.replaceChildren();
  const engine = new Engine(host, root, attached, viewer);
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(engine.css());
  }
  root.adoptedStyleSheets = [sheet];
  watch(root);
  return engine;
}

/**
 * Destroys `engine` now and frees its memory once the JS stack is empty: a `pave-*` listener may
 * remove the element or destroy the overlay from inside the very call that dispatched its event,
 * and wasm-bindgen refuses to free an object while a call into it is running.
 */
export function release(host, engine) {
  guard(host, () => engine.destroy());
  queueMicrotask(() => guard(host, () => engine.free()));
}

export function isDead() {
  return dead !== null;
}

