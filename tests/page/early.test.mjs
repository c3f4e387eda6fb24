// The data at `src` is fetched while the wasm loads (js/request.js): the server holds the wasm
// back until the test lets it go, and records every request to the proxy and whether the browser
// gave it up before it was answered.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serve, newPage, closeBrowser, html, settle, waitForEvent, readFixture, ROOT, sendJson } from './harness.mjs';

let server;
let sample;
let wasm;
/** Every /api/ request: { path, at, answered, aborted }. */
let requests = [];
/** The wasm waits for this. */
let wasmGate = Promise.resolve();
let releaseWasm = () => {};
let wasmSentAt = null;

function holdWasm() {
  wasmGate = new Promise((resolve) => { releaseWasm = resolve; });
  wasmSentAt = null;
}

const single = (photo) => JSON.stringify({ success: true, data: [JSON.parse(sample).data[photo]] });

before(async () => {
  sample = await readFixture('results-27-damages.json');
  wasm = await readFile(join(ROOT, 'dist', 'pave-hotspots.wasm'));
  const img = '<img id="spin" src="/photos/frame-01.svg" data-pave-photo="5" style="width:600px" alt="">';
  server = await serve({
    pages: {
      '/early.html': html(`${img}<pave-hotspots id="w" for="spin" src="/api/results"></pave-hotspots>`),
      '/viewer.html': html(`<div style="width:600px"><pave-hotspots id="w" list="none" src="/api/results"></pave-hotspots></div><p id="after">Text below.</p>`),
      '/a.html': html(`${img}<pave-hotspots id="w" for="spin" src="/api/a"></pave-hotspots>`),
      '/hold.html': html(`${img}<pave-hotspots id="w" for="spin" src="/api/hold" timeout="400"></pave-hotspots>`),
      '/overlay.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>overlay</title></head><body>${img}
<script type="module">
import { HotspotOverlay } from '/dist/pave-hotspots.js';
window.overlay = HotspotOverlay.attach(document.getElementById('spin'), { src: '/api/results' });
</script></body></html>`,
    },
    async handler(req, res, url) {
      if (url.pathname === '/dist/pave-hotspots.wasm') {
        await wasmGate;
        wasmSentAt = Date.now();
        res.writeHead(200, { 'content-type': 'application/wasm', 'cache-control': 'no-store' });
        res.end(wasm);
        return true;
      }
      if (!url.pathname.startsWith('/api/')) return false;
      const r = { path: url.pathname, at: Date.now(), answered: false, aborted: false };
      requests.push(r);
      res.on('close', () => { if (!r.answered) r.aborted = true; });
      const json = (body) => {
        r.answered = true;
        sendJson(res, 200, body);
      };
      switch (url.pathname) {
        case '/api/results': json(sample); break;
        case '/api/a': json(single(0)); break; // Left: 3 damages
        case '/api/b': json(single(1)); break; // Front: 10 damages
        case '/api/hold': break; // never answered
        default: r.answered = true; res.writeHead(404); res.end('{}');
      }
      return true;
    },
  });
});
after(async () => { releaseWasm(); await server?.close(); await closeBrowser(); });

/** Opens `path` with the wasm held back until the proxy request(s) for `paths` have arrived. */
async function openHeld(path) {
  requests = [];
  holdWasm();
  const page = await newPage();
  await page.goto(`${server.url}${path}`);
  return page;
}

/** Waits until the proxy has been asked for `path` (`what` names it in the failure). */
const requested = (path, what) => until(() => requests.some((r) => r.path === path), what);

async function until(pred, what, ms = 5000) {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}; requests: ${JSON.stringify(requests)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('the data at src is requested while the wasm loads, once, and shows', async () => {
  const page = await openHeld('/early.html');
  // The request goes out although the wasm has not even been sent yet.
  await requested('/api/results', 'the early request');
  assert.equal(wasmSentAt, null);
  releaseWasm();
  const load = await waitForEvent(page, 'pave-load');
  assert.equal(load.damages.length, 27);
  assert.equal(await page.evaluate(() => document.getElementById('w').state), 'ready');
  assert.deepEqual((await page.events('pave-state')).map((e) => e.detail.state), ['loading', 'ready']);
  // The engine took the early request over: one request in all.
  assert.deepEqual(requests.map((r) => r.path), ['/api/results']);
  // Later loads are the engine's own requests.
  await page.clearEvents();
  await page.evaluate(() => document.getElementById('w').reload());
  await waitForEvent(page, 'pave-load');
  assert.deepEqual(requests.map((r) => r.path), ['/api/results', '/api/results']);
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('src changed while the wasm loads: the first request is dropped, the new one is taken over', async () => {
  const page = await openHeld('/a.html');
  await requested('/api/a', 'the request for a');
  await page.evaluate(() => document.getElementById('w').setAttribute('src', '/api/b'));
  await requested('/api/b', 'the request for b');
  // The same src set again asks for nothing new (checked with the requests below).
  await page.evaluate(() => document.getElementById('w').setAttribute('src', '/api/b'));
  releaseWasm();
  const load = await waitForEvent(page, 'pave-load');
  assert.deepEqual(load.photos.map((p) => p.code), [5], 'the data of the new src');
  assert.equal(load.damages.length, 10);
  assert.deepEqual(requests.map((r) => r.path), ['/api/a', '/api/b'], 'one request per src, none from the engine itself');
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('inline results set while the wasm loads replace the early request', async () => {
  const page = await openHeld('/hold.html');
  await requested('/api/hold', 'the early request');
  await page.evaluate((text) => { document.getElementById('w').results = text; }, single(1));
  await until(() => requests[0].aborted, 'the early request to be aborted');
  releaseWasm();
  const load = await waitForEvent(page, 'pave-load');
  assert.equal(load.damages.length, 10);
  assert.equal(requests.length, 1, 'no request from the engine: inline results win');
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('an early request that never answers times out, and is aborted', async () => {
  const page = await openHeld('/hold.html');
  await requested('/api/hold', 'the early request');
  releaseWasm();
  const error = await waitForEvent(page, 'pave-error');
  assert.equal(error.kind, 'timeout');
  assert.match(error.message, /400 ms/);
  await until(() => requests[0].aborted, 'the request to be aborted');
  assert.equal(requests.length, 1);
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('an element removed while the wasm loads aborts its early request', async () => {
  const page = await openHeld('/hold.html');
  await requested('/api/hold', 'the early request');
  await page.evaluate(() => document.getElementById('w').remove());
  await until(() => requests[0].aborted, 'the request to be aborted');
  releaseWasm();
  await page.waitForFunction(() => window.__paveEvents !== undefined);
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('open() and close() called while the wasm loads run when it has loaded, the last of each', async () => {
  const page = await openHeld('/hold.html');
  await requested('/api/hold', 'the early request');
  await page.evaluate((text) => {
    const w = document.getElementById('w');
    w.results = text; // inline: the data is there when the engine starts
    w.open(2);
    w.close();
    w.open(4); // the last open() wins, and runs after the close() queued before it
  }, single(1));
  releaseWasm();
  const opened = await waitForEvent(page, 'pave-open');
  assert.equal(opened.index, 4);
  await page.waitForTimeout(200);
  assert.deepEqual((await page.events('pave-open')).map((e) => e.detail.index), [4]);
  assert.equal(await page.evaluate(() => document.getElementById('w').shadowRoot.querySelector('.marker[aria-expanded="true"]')?.dataset.index), '4');
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('a queued open() of a damage that does not exist is reported when it runs, and the other calls still run', async () => {
  const page = await openHeld('/hold.html');
  await requested('/api/hold', 'the early request');
  await page.evaluate((text) => {
    const w = document.getElementById('w');
    w.results = text;
    w.open(99);
    w.next();
  }, single(1));
  releaseWasm();
  const opened = await waitForEvent(page, 'pave-open');
  assert.equal(opened.index, 0, 'next() with nothing open opens the first damage');
  await page.waitForFunction(() => true);
  const errors = page.errors();
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.match(errors[0], /pave-hotspots: no damage 99 \(there are 10\)/);
  await page.closeAll();
});

test('a close() queued after an open() calls it off; a reload() before the engine starts asks for nothing more', async () => {
  let page = await openHeld('/hold.html');
  await requested('/api/hold', 'the early request');
  await page.evaluate((text) => {
    const w = document.getElementById('w');
    w.results = text;
    w.open(1);
    w.close();
  }, single(1));
  releaseWasm();
  await waitForEvent(page, 'pave-load');
  await settle(page);
  await settle(page);
  // (Its photo isn't shown: it opened at once all the same, and closed.)
  const told = (await page.events()).map((e) => e.type).filter((t) => t === 'pave-open' || t === 'pave-close');
  assert.ok(['', 'pave-open pave-close'].includes(told.join(' ')), `told: ${told}`);
  assert.equal(await page.evaluate(() => document.getElementById('w').shadowRoot.querySelector('[popover]').matches(':popover-open')), false);
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
  // The data at src is fetched while the wasm loads: a reload() then fetches it once, not twice.
  page = await openHeld('/early.html');
  await requested('/api/results', 'the early request');
  await page.evaluate(() => document.getElementById('w').reload());
  releaseWasm();
  await waitForEvent(page, 'pave-load');
  await page.waitForTimeout(300);
  assert.deepEqual(requests.map((r) => r.path), ['/api/results']);
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('HotspotOverlay.attach with src requests the data while the wasm loads', async () => {
  const page = await openHeld('/overlay.html');
  await requested('/api/results', 'the early request');
  assert.equal(wasmSentAt, null);
  releaseWasm();
  const load = await waitForEvent(page, 'pave-load');
  assert.equal(load.damages.length, 27);
  await page.waitForFunction(() => window.overlay.state === 'ready');
  assert.deepEqual(requests.map((r) => r.path), ['/api/results']);
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test("the built-in viewer keeps its photo's room while the wasm loads: the text below doesn't jump down when it comes", async () => {
  const page = await openHeld('/viewer.html');
  await page.evaluate(() => customElements.whenDefined('pave-hotspots'));
  const below = () => page.evaluate(() => document.getElementById('after').getBoundingClientRect().top);
  const held = await below();
  // The stage, 600 px wide at 4:3, and the caption's 38 px, before the engine.
  assert.ok(held >= 450 + 38, `the text below while the wasm loads: ${held}`);
  releaseWasm();
  await waitForEvent(page, 'pave-load');
  await settle(page);
  const shown = await below();
  assert.ok(Math.abs(shown - held) <= 40, `the text below moved from ${held} to ${shown} px when the viewer came`);
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});
