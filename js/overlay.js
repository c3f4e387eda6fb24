// HotspotOverlay: the same engine without the element, for spin viewers that own their DOM.
import { boot, guard, crashed, live, photoMapEntries, create, release, damageIndex } from './engine.js';
import { requestEarly, dropEarly } from './request.js';

const OPTION_ATTRIBUTES = { photo: 'photo', lang: 'lang', timeout: 'timeout', pollTimeout: 'poll-timeout', list: 'list', headingLevel: 'heading-level' };

export const HotspotOverlay = {
  /**
   * Covers `target` (an <img>, <canvas> or <video>) with damage markers.
   * Returns at once; the engine starts when the wasm has loaded (`overlay.ready`).
   */
  attach(target, options = {}) {
    if (!(target instanceof Element)) throw new TypeError('HotspotOverlay.attach(target): target must be an element');
    const host = document.createElement('div');
    host.setAttribute('data-pave-hotspots', '');
    (options.container ?? document.body).append(host);
    let engine = null;
    let destroyed = false;
    const queue = [];
    const call = (fn, fallback) => {
      if (destroyed) return fallback;
      if (!engine) { queue.push(fn); return fallback; }
      return guard(host, () => fn(engine)) ?? fallback;
    };
    // The data is fetched while the wasm loads; the engine takes the request over (js/request.js).
    if (options.results === undefined && typeof options.src === 'string' && options.src.trim()) requestEarly(host, options.src);
    const ready = boot(options.wasmUrl).then(() => {
      if (destroyed) return;
      engine = guard(host, () => create(host, true, false));
      if (!engine) {
        dropEarly(host);
        return;
      }
      live.add(host);
      guard(host, () => {
        for (const [key, attr] of Object.entries(OPTION_ATTRIBUTES)) {
          if (options[key] !== undefined && options[key] !== null) engine.set(attr, String(options[key]));
        }
        if (options.photoMap) engine.setPhotoMap(photoMapEntries(options.photoMap));
        engine.setTarget(target);
        if (options.results !== undefined) engine.setResults(options.results);
        else if (options.src) engine.set('src', options.src);
        engine.start();
      });
      // Calls made before the engine was ready run now, each on its own: one that throws (say
      // open(99)) is reported without dropping the others or rejecting `ready`.
      for (const fn of queue.splice(0)) {
        try {
          guard(host, () => fn(engine));
        } catch (error) {
          queueMicrotask(() => { throw error; });
        }
      }
    }, (error) => {
      dropEarly(host);
      crashed(host, error, 'network');
    });

    return {
      element: host,
      ready,
      get state() { return call((e) => e.state(), 'idle'); },
      open: (index) => call((e) => e.open(damageIndex(index))),
      close: () => call((e) => e.close()),
      next: () => call((e) => e.next()),
      previous: () => call((e) => e.previous()),
      reload: () => call((e) => e.reload()),
      toPixels: (x, y) => call((e) => e.toPixels(x, y), null),
      setPhoto: (photo) => call((e) => e.setPhoto(photo === undefined || photo === null ? null : String(photo))),
      setPhotoMap: (map) => {
        const entries = photoMapEntries(map); // a bad map throws here, to the caller
        return call((e) => e.setPhotoMap(entries));
      },
      setResults: (results) => call((e) => e.setResults(results ?? null)),
      setSrc: (src) => call((e) => e.set('src', src ?? null)),
      addEventListener: (type, listener, opts) => host.addEventListener(type, listener, opts),
      removeEventListener: (type, listener, opts) => host.removeEventListener(type, listener, opts),
      destroy() {
        if (destroyed) return;
        destroyed = true;
        if (engine) release(host, engine);
        dropEarly(host);
        engine = null;
        live.delete(host);
        queue.length = 0;
        host.remove();
      },
    };
  },
};
