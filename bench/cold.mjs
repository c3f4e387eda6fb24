// Task "load": a dealer page's first visit, from navigation to the sample's markers on screen.
// Each run is a fresh browser context (empty HTTP cache, no compiled-code cache) loading one small
// page: PRODUCT.md's dealer page for ours (an <img>, <pave-hotspots for src>, the script tag), the
// same picture and data for js-cloudimage-hotspot (its script tag, then the page's fetch, the
// bench's glue (bench/glue.js) and construct, as its README shows) and for the floor (its code
// inline). Files are served gzip -9 encoded, as a
// CDN would. Measured twice: on loopback, and under a mobile network (Lighthouse's "slow 4G":
// 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, applied by Chromium to every request); the
// CPU is not slowed.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

export const PROFILES = {
  loopback: null,
  'slow 4G': { offline: false, latency: 150, downloadThroughput: (1.6e6 / 8) * 0.9, uploadThroughput: (750e3 / 8) * 0.9 },
};

const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

/**
 * The first-visit pages and the files they load, under /cold/. `dist` is the snapshot of dist/;
 * `theirs` js-cloudimage-hotspot's dist/; `sample` the results JSON text.
 */
export function coldSite({ root, dist, theirs, sample }) {
  const files = new Map();
  const add = (path, bytes) => files.set(path, { type: TYPES[path.slice(path.lastIndexOf('.'))], body: gzipSync(bytes, { level: 9 }) });
  add('/cold/dist/pave-hotspots.js', readFileSync(join(dist, 'pave-hotspots.js')));
  add('/cold/dist/pave-hotspots.wasm', readFileSync(join(dist, 'pave-hotspots.wasm')));
  add('/cold/theirs.min.js', readFileSync(join(theirs, 'dist', 'js-cloudimage-hotspot.min.js')));
  add('/cold/results.json', Buffer.from(sample));
  const floor = readFileSync(join(root, 'bench', 'floor.js'), 'utf8');
  // The glue as a page would carry it: a classic script, its comments left out.
  const glue = readFileSync(join(root, 'bench', 'glue.js'), 'utf8').replace(/^\s*(\/\/|\/\*\*).*\n/gm, '').replace(/^export /gm, '');

  // Done when the markers are in the DOM over a loaded picture and a frame has been rendered
  // since: checked after every frame (rAF, then a task posted from it) from the page's start.
  const probe = (done) => `<script>(() => {
  const done = ${done};
  const ch = new MessageChannel();
  const tick = () => ch.port2.postMessage(0);
  ch.port1.onmessage = () => { if (done()) window.__cold = { t: performance.now() }; else requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
})();</script>`;
  const page = (head, body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>first visit</title>
<style>body { margin: 0; font: 16px/1.4 sans-serif } img { display: block; width: 900px; height: auto } .stage { width: 900px }</style>
${head}</head><body>${body}</body></html>`;
  const imgDone = "(img) => !!img && img.complete && img.naturalWidth > 0";

  const oursDone = probe(`() => { const el = document.querySelector('pave-hotspots'); const l = el?.shadowRoot?.querySelector('.layer');
    return (${imgDone})(document.getElementById('spin')) && !!l && !l.hidden && l.querySelectorAll('.photo:not([hidden]) .marker').length === 10; }`);
  const oursBody = `<img id="spin" src="/photos/frame-01.svg" alt="" data-pave-photo="5">
<pave-hotspots for="spin" src="/cold/results.json"></pave-hotspots>
<script type="module" src="/cold/dist/pave-hotspots.js"></script>`;
  const pages = {
    '/cold/ours.html': page(oursDone, oursBody),
    // The same page with the README's preload hint: the wasm downloads beside the script.
    '/cold/ours-pre.html': page(`${oursDone}
<link rel="preload" href="/cold/dist/pave-hotspots.wasm" as="fetch" crossorigin>`, oursBody),
    '/cold/theirs.html': page(
      probe(`() => { const s = document.getElementById('c'); const m = s.querySelector('.ci-hotspot-markers');
    return (${imgDone})(s.querySelector('img')) && !!m && m.childElementCount === 27; }`),
      `<div id="c" class="stage"></div>
<script src="/cold/theirs.min.js"></script>
<script>
${glue}
fetch('/cold/results.json').then((r) => r.json()).then((results) => {
  new CIHotspot.CIHotspot(document.getElementById('c'), { src: '/photos/frame-01.svg', alt: '', lazyLoad: false, pulse: false, trigger: 'click', hotspots: toHotspots(results) });
});
</script>`,
    ),
    '/cold/floor.html': page(
      probe(`() => { const h = document.querySelector('.stage > div'); return (${imgDone})(document.getElementById('spin')) && !!h?.shadowRoot?.querySelector('.layer'); }`),
      `<div class="stage"><img id="spin" src="/photos/frame-01.svg" alt=""></div>
<script type="module">
${floor}
fetch('/cold/results.json').then((r) => r.json()).then((results) => {
  const photo = results.data.find((p) => p.photo_code === 5);
  floorRoot(document.querySelector('.stage'), floorSheet()).append(floorGroup(photo.inspection_data));
});
</script>`,
    ),
  };

  /** Serves the gzip-encoded files (a server handler: true when it answered). */
  const handler = (req, res, url) => {
    const f = files.get(url.pathname);
    if (!f) return false;
    res.writeHead(200, { 'content-type': f.type, 'content-encoding': 'gzip', 'content-length': f.body.length, 'cache-control': 'no-store' });
    res.end(f.body);
    return true;
  };
  return { pages, handler };
}

/** One first visit of `lib`'s page under `profile`: ms to markers, main-thread ms, bytes. */
export async function coldRun({ chromium, baseUrl, lib, profile }) {
  const context = await chromium.newContext({ viewport: { width: 1280, height: 1000 } });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (PROFILES[profile]) await cdp.send('Network.emulateNetworkConditions', PROFILES[profile]);
    await page.goto(`${baseUrl}/cold/${lib}.html`, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__cold, null, { timeout: 60_000, polling: 100 });
    const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const seen = await page.evaluate(() => {
      const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
      return {
        t: window.__cold.t,
        bytes: entries.reduce((n, e) => n + (e.transferSize || 0), 0),
        requests: entries.length,
      };
    });
    return {
      ok: errors.length === 0,
      errors,
      toMarkers: seen.t,
      main: metrics.TaskDuration * 1000,
      script: metrics.ScriptDuration * 1000,
      bytes: seen.bytes,
      requests: seen.requests,
    };
  } finally {
    await context.close();
  }
}
