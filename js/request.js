// The engine's one HTTP request, a GET of the results at `src`, and the reading of its body (`get`,
// called by src/dom/fetch.rs). It lives in JS so that the request can start before the engine exists: the element
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

/**
 * The engine's GET (src/dom/fetch.rs): `request`, then the body read as bytes, at most `max` of
 * them. Calls `done` once, with
 *   (status, body, retryAfter)  the response (`body` a Uint8Array, `retryAfter` the header or null),
 *   (0, undefined, undefined, bytes)  a body over `max`: its declared length, or what was read when
 *                               it went over (the read is cancelled),
 *   (0, undefined, message)     the request failed (the error's message, '' when not an Error),
 *   (0)                         `signal` aborted it.
 */
export async function get(host, url, signal, max, done) {
  let result;
  try {
    // Never synchronously, even when the page's fetch throws at once (a wrapper of its own): the
    // engine calls this in the middle of a step and takes the answer after it.
    await null;
    result = await read(await request(host, url, signal), max);
  } catch (e) {
    result = signal.aborted ? [0] : [0, undefined, e instanceof Error ? e.message : ''];
  }
  done(...result);
}

async function read(response, max) {
  const { status, headers, body } = response;
  const retryAfter = headers.get('retry-after');
  // A declared length over the cap fails before reading anything, and the body is let go (a
  // length that isn't a number is no declaration: the read below still stops at the cap).
  const length = Number(headers.get('content-length')?.trim() || 0);
  if (length > max) {
    body?.cancel().catch(() => {});
    return [0, undefined, undefined, Math.min(length, 0xffffffff)];
  }
  // No stream: a fetch polyfill's response (whatwg-fetch has no `body`), or none to read.
  if (!body) {
    const all = new Uint8Array(await response.arrayBuffer());
    return all.length > max ? [0, undefined, undefined, Math.min(all.length, 0xffffffff)] : [status, all, retryAfter];
  }
  const reader = body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    // (Bytes of another window's, too: a page that took its fetch from an iframe.)
    if (done || !ArrayBuffer.isView(value)) break;
    if (size + value.length > max) {
      reader.cancel();
      return [0, undefined, undefined, size + value.length];
    }
    chunks.push(value);
    size += value.length;
  }
  // One array for the glue to copy into wasm memory.
  const all = new Uint8Array(size);
  size = 0;
  for (const chunk of chunks) {
    all.set(chunk, size);
    size += chunk.length;
  }
  return [status, all, retryAfter];
}

/**
 * A photo's URL from PAVE resolved against the page's base URL (src/dom/widget.rs), as
 * [href, protocol, hostname, origin]; nothing when it isn't a URL.
 */
export function resolveUrl(url, base) {
  try {
    const u = new URL(url, base);
    return [u.href, u.protocol, u.hostname, u.origin];
  } catch {}
}
