// The engine's one HTTP request, a GET of the results at `src` (src/dom/fetch.rs reads the
// response). It lives in JS so that the request can start before the engine exists: the element
// (js/element.js) and HotspotOverlay.attach start it while the wasm downloads, and keep it on the
// host under EARLY; the engine's first request for the same URL takes it over, so the data and the
// wasm arrive in parallel and there is still one request. wasm-bindgen copies this file under
// pkg/snippets/ for the glue; scripts/build.mjs bundles that one copy for the shell too, and
// Symbol.for keeps a second copy (the shell run from js/ unbundled) reading the same key.
export const EARLY = Symbol.for('pave-hotspots.early-request');

const init = (signal) => ({ headers: { Accept: 'application/json' }, signal });

/** Starts the GET of `url` for `host`'s engine-to-be, replacing (aborting) one for another URL. */
export function requestEarly(host, url) {
  if (host[EARLY]?.url === url) return;
  dropEarly(host);
  const controller = new AbortController();
  const response = fetch(url, init(controller.signal));
  // A failure is reported by the engine when it takes the request over; unused, it is dropped.
  response.catch(() => {});
  host[EARLY] = { url, controller, response };
}

/** Aborts and forgets `host`'s early request, if any. */
export function dropEarly(host) {
  const early = host[EARLY];
  if (!early) return;
  delete host[EARLY];
  early.controller.abort();
}

/**
 * The engine's GET of `url` for `host`: the early request when it is for this URL (taken over
 * once: `signal` now aborts it), else a new request with `signal`.
 */
export function request(host, url, signal) {
  const early = host[EARLY];
  if (early && early.url === url) {
    delete host[EARLY];
    if (signal.aborted) early.controller.abort();
    else signal.addEventListener('abort', () => early.controller.abort(), { once: true });
    return early.response;
  }
  dropEarly(host);
  return fetch(url, init(signal));
}
