// Shared pieces of the page tests: a static + scriptable HTTP server on 127.0.0.1, and headless
// Debian Chromium through playwright-core (never a downloaded browser).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.css': 'text/css',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Starts a server on 127.0.0.1:0. `mounts` maps URL prefixes to directories; `pages` maps paths
 * to HTML strings; `handler(req, res, url)` may answer anything first (return true when it did).
 */
export async function serve({ mounts = {}, pages = {}, handler, headers = {} } = {}) {
  // PAVE_TEST_DIST=<dir> serves another build as /dist/ (to see a test fail on the build before a fix).
  const allMounts = { '/dist/': resolve(process.env.PAVE_TEST_DIST ?? join(ROOT, 'dist')), '/photos/': join(ROOT, 'www', 'generated', 'photos'),
    '/fixtures/': join(ROOT, 'tests', 'fixtures', 'pave'), '/node_modules/': join(ROOT, 'node_modules'), ...mounts };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    try {
      if (handler && (await handler(req, res, url))) return;
      if (pages[url.pathname] !== undefined) {
        res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-store', ...headers });
        res.end(pages[url.pathname]);
        return;
      }
      for (const [prefix, dir] of Object.entries(allMounts)) {
        if (!url.pathname.startsWith(prefix)) continue;
        const file = normalize(join(dir, decodeURIComponent(url.pathname.slice(prefix.length))));
        if (!file.startsWith(dir + sep) && file !== dir) break;
        const info = await stat(file).catch(() => null);
        if (!info?.isFile()) break;
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store', ...headers });
        res.end(await readFile(file));
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    } catch (error) {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }) };
}

/** Answers `res` with a JSON text (`body`), never cached. */
export function sendJson(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(body);
}

let browserPromise = null;
/** One browser per test file. */
export function browser() {
  browserPromise ??= chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return browserPromise;
}

export async function closeBrowser() {
  if (browserPromise) (await browserPromise).close();
  browserPromise = null;
}

/**
 * A new page that records console errors, page errors and every pave-* event (in `page.events()`).
 * Uncaught errors fail the test that reads `page.errors()`.
 */
export async function newPage(options = {}) {
  const context = await (await browser()).newContext({ viewport: { width: 1000, height: 800 }, ...options });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(`console: ${m.text()}`); });
  await page.addInitScript(() => {
    // A ResizeObserver loop ("completed with undelivered notifications") reaches the page as a
    // window error event, not as an uncaught exception: reported as a console error, it counts.
    window.addEventListener('error', (e) => { if (/ResizeObserver/.test(e.message)) console.error(`window error: ${e.message}`); });
    window.__paveEvents = [];
    for (const type of ['pave-load', 'pave-state', 'pave-error', 'pave-open', 'pave-close', 'pave-photo-request']) {
      document.addEventListener(type, (e) => window.__paveEvents.push({ type, detail: JSON.parse(JSON.stringify(e.detail ?? null)), target: e.target?.id ?? null }));
    }
  });
  page.errors = () => errors;
  page.events = (type) => page.evaluate((t) => window.__paveEvents.filter((e) => !t || e.type === t), type);
  page.clearEvents = () => page.evaluate(() => { window.__paveEvents.length = 0; });
  page.closeAll = () => context.close();
  return page;
}

/** Waits for an event of `type` (already seen or future) matching `pred`, returning its detail. */
export async function waitForEvent(page, type, pred = () => true, timeout = 10000) {
  const start = Date.now();
  for (;;) {
    const events = await page.events(type);
    const hit = events.find((e) => pred(e.detail));
    if (hit) return hit.detail;
    if (Date.now() - start > timeout) throw new Error(`no ${type} event within ${timeout} ms; saw ${JSON.stringify(await page.events())}`);
    await page.waitForTimeout(25);
  }
}

/** A page that loads the dist script and holds `body`. */
export function html(body, { head = '' } = {}) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>test</title>${head}</head><body>${body}
<script type="module" src="/dist/pave-hotspots.js"></script></body></html>`;
}

/** Runs `js` (a function body) with `root`, the first `pave-hotspots`'s shadow root, in scope. */
export const inRoot = (page, js) => page.evaluate(`(() => { const root = document.querySelector('pave-hotspots').shadowRoot; ${js} })()`);

/** Centres of the shown markers (viewport px), by data-index. */
export function markerCentres(page, selector = 'pave-hotspots') {
  return page.evaluate((sel) => {
    const host = document.querySelector(sel);
    const out = {};
    for (const m of host.shadowRoot.querySelectorAll('.marker')) {
      if (m.closest('[hidden]') || m.hidden) continue;
      const r = m.getBoundingClientRect();
      out[m.dataset.index] = { x: r.left + r.width / 2, y: r.top + r.height / 2, w: r.width, h: r.height };
    }
    return out;
  }, selector);
}

/**
 * Counts the widgets' whole measures of their pictures from now on (each reads its picture's
 * border once: js/measure.js, boxOf). Returns `reads()`, which resolves to the count since the
 * last call.
 */
export async function countWholeReads(page) {
  await page.evaluate(() => {
    const get = CSSStyleDeclaration.prototype.getPropertyValue;
    window.paveWholeReads = 0;
    CSSStyleDeclaration.prototype.getPropertyValue = function (name) {
      if (name === 'border-top-width') window.paveWholeReads++;
      return get.call(this, name);
    };
  });
  return () => page.evaluate(() => {
    const n = window.paveWholeReads;
    window.paveWholeReads = 0;
    return n;
  });
}

/**
 * A screenshot of `clip` (the whole viewport without one) as pixels, decoded in the page:
 * `{ width, height, data }`, `data` RGBA, 4 bytes a pixel, at the screenshot's scale.
 */
export async function screenshotPixels(page, clip) {
  const png = await page.screenshot(clip ? { clip } : {});
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = new OffscreenCanvas(img.width, img.height);
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    return { width: img.width, height: img.height, data: [...ctx.getImageData(0, 0, img.width, img.height).data] };
  }, png.toString('base64'));
}

/** Two animation frames: what the widget scheduled has been written. */
export function settle(page) {
  return page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/**
 * Waits until the widget's CSS transitions (a cluster fanning out, a focus ring) have ended, at
 * most `timeout` ms, then fails naming those still running. Transitions of elements that are not
 * rendered are left out: the browser does not advance them inside skipped content (a photo turned
 * away is `content-visibility: hidden`), so theirs would never settle while it stays away.
 */
export function transitionsDone(page, { selector = 'pave-hotspots', timeout = 5000 } = {}) {
  return page.evaluate(async ({ selector, timeout }) => {
    const running = document.querySelector(selector).shadowRoot.getAnimations()
      .filter((a) => a instanceof CSSTransition && a.effect?.target?.checkVisibility());
    let timer;
    const late = new Promise((_, reject) => {
      timer = setTimeout(() => {
        const left = running.filter((a) => a.playState !== 'finished' && a.playState !== 'idle')
          .map((a) => `${a.effect.target.className}: ${a.transitionProperty}`);
        reject(new Error(`transitions still running after ${timeout} ms: ${left.join(', ')}`));
      }, timeout);
    });
    // A transition cancelled on the way (its element restyled) is over too.
    const ended = Promise.all(running.map((a) => a.finished.catch(() => null)));
    try { await Promise.race([ended, late]); } finally { clearTimeout(timer); }
  }, { selector, timeout });
}

/**
 * PAVE results for tests: one photo per `{ code, points, url }`, a damage at each `[x, y]` percent
 * of it (groups in turn body, part, wheel).
 */
/** mulberry32, a small seeded PRNG for the randomised tests (chaos*.test.mjs). */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (xs) => xs[Math.floor(next() * xs.length)];
  /** Picks from `[weight, value]` pairs. */
  const weighted = (pairs) => {
    let r = next() * pairs.reduce((s, [w]) => s + w, 0);
    for (const [w, v] of pairs) { if ((r -= w) < 0) return v; }
    return pairs[pairs.length - 1][1];
  };
  return { next, int, pick, weighted };
}

/** The seeds a randomised test runs: `CHAOS_SEED=n` one, `CHAOS_SEEDS=a-b` a range, else `defaults`. */
export function chaosSeeds(defaults) {
  if (process.env.CHAOS_SEEDS) {
    const [a, b] = process.env.CHAOS_SEEDS.split('-').map(Number);
    return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  }
  return process.env.CHAOS_SEED ? [Number(process.env.CHAOS_SEED)] : defaults;
}

export function resultsAt(photos) {
  return {
    success: true,
    message: 'test',
    data: photos.map(({ code, points, url = '' }) => ({
      photo_code: code,
      photo_label: `P${code}`,
      url,
      inspection_data: points.map(([x, y], i) => ({
        damage_group: ['BODY', 'PART', 'WHEEL'][i % 3],
        component: 'DOOR_REAR_LEFT',
        damage_name: 'SCRAPED_MEDIUM',
        description: `Damage ${i}`,
        tolerance: '5 to 6 inches',
        repair_method: 'Refinish',
        coodrs: { x, y },
      })),
    })),
  };
}

export async function readFixture(name) {
  return readFile(join(ROOT, 'tests', 'fixtures', 'pave', name), 'utf8');
}
