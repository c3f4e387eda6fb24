// Leaks: create and destroy the widget many times and check that nothing stays behind.
//
// Counters, read after forced garbage collection (CDP HeapProfiler.collectGarbage, several times):
//   - Memory.getDOMCounters: documents, nodes, jsEventListeners (the whole renderer, detached nodes
//     included until collected);
//   - Runtime.getHeapUsage and Performance.getMetrics JSHeapUsedSize;
//   - the wasm instance: its linear memory size (WebAssembly.Memory buffer byteLength; it never
//     shrinks, so any growth after warm-up is Rust memory that was never freed) and the number of
//     live slots in wasm-bindgen's externref table (every JsValue the Rust side holds: listeners'
//     closures, elements, timers). The glue does not export its instance, so an init script wraps
//     WebAssembly.instantiate/instantiateStreaming to catch it: test instrumentation only;
//   - DOMDebugger.getEventListeners on document, window, visualViewport and the covered <img>, by
//     type (a first check proves these probes do see a live overlay's listeners).
// Scenarios: (a) attach/destroy, (b) element insert/remove with `results`, (c) results swaps and
// popover open/close on one element, (d) element insert/remove with `src`, half of them removed
// while the request is in flight. Each is measured at baseline, half-way and at the end: a leak
// grows in both halves, JIT warm-up only in the first.
// Warm-up cycles run before the baseline (JIT, lazily made shared state such as the constructable
// stylesheet, the wasm heap's high-water mark). The page is our own context, without the harness's
// pave-* event recorder (which keeps every event and would look like a leak).
//
// Run: node --test tests/page/leak.test.mjs   (needs dist/ and www/generated/photos; 70–90 s on
// the shared 2-core machine, of which (a) ~20–30 s and (b) ~15–27 s)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, browser, closeBrowser, readFixture } from './harness.mjs';

const CYCLES_ATTACH = 1000;
const CYCLES_ELEMENT = 1000;
const CYCLES_RESULTS = 200;
const CYCLES_POPOVER = 200;
const CYCLES_SRC = 200;
const WARMUP = 30;
// Every Nth cycle waits for the frame that places the markers and checks they show; the others
// tear down with that frame still pending. Both paths must leave nothing behind.
const SAMPLE_EVERY = 5;

// Tolerances after GC: "no growth beyond noise".
const MAX_NODES = 20;
const MAX_LISTENERS = 5;
const MAX_HEAP = 300 * 1024;
const MAX_HEAP_SECOND_HALF = 100 * 1024;
const MAX_WASM_GROWTH = 64 * 1024; // one wasm page
const MAX_EXTERNREFS = 5;

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>leak</title></head><body>
<img id="spin" src="/photos/frame-01.svg" data-pave-photo="5" width="800" height="600" alt="car">
<script type="module">
import { HotspotOverlay } from '/dist/pave-hotspots.js';
window.HotspotOverlay = HotspotOverlay;
</script></body></html>`;

// Catches the wasm instance the glue makes, to read its memory and externref table.
function catchWasm() {
  window.__wasm = null;
  const keep = (result) => {
    const instance = result instanceof WebAssembly.Instance ? result : result?.instance;
    // The externref table is found by type (the shipped build shortens export names): the one
    // table the instance exports. Should a second appear, nothing is caught and the test says so.
    const tables = instance ? Object.values(instance.exports).filter((v) => v instanceof WebAssembly.Table) : [];
    if (instance?.exports?.memory && tables.length === 1) window.__wasm = { memory: instance.exports.memory, externrefs: tables[0] };
    return result;
  };
  const streaming = WebAssembly.instantiateStreaming;
  const plain = WebAssembly.instantiate;
  WebAssembly.instantiateStreaming = (...args) => streaming.apply(WebAssembly, args).then(keep);
  WebAssembly.instantiate = (...args) => plain.apply(WebAssembly, args).then(keep);
}

let server;
let page;
let cdp;
const errors = [];

before(async () => {
  server = await serve({ pages: { '/leak.html': PAGE } });
  const context = await (await browser()).newContext({ viewport: { width: 1000, height: 800 } });
  page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // Chromium asks for /favicon.ico by itself; our server has none.
    if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  await page.addInitScript(catchWasm);
  cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(`${server.url}/leak.html`);
  const sample = await readFixture('results-27-damages.json');
  await page.evaluate((text) => {
    window.__results = JSON.parse(text);
    // A second data set for the results-swapping cycles: photo 5 only, fewer damages.
    const other = JSON.parse(text);
    other.data = other.data.filter((p) => p.photo_code === 5);
    other.data[0].inspection_data = other.data[0].inspection_data.slice(0, 6);
    window.__results2 = other;
  }, sample);
  await page.waitForFunction(() => window.HotspotOverlay && document.getElementById('spin').complete);
  // The wasm loads on first use: one attach boots it.
  const caught = await page.evaluate(async () => {
    const o = window.HotspotOverlay.attach(document.getElementById('spin'), { results: window.__results });
    await o.ready;
    o.destroy();
    return window.__wasm !== null;
  });
  assert.ok(caught, 'the init script caught the wasm instance');
});

after(async () => {
  await page?.context().close();
  await closeBrowser();
  await server?.close();
});

async function gc() {
  for (let k = 0; k < 4; k++) {
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    await cdp.send('HeapProfiler.collectGarbage');
  }
}

/** Event listeners on document, window and visualViewport, counted by type. */
async function pageListeners() {
  const out = {};
  for (const expr of ['document', 'window', 'visualViewport', "document.getElementById('spin')"]) {
    const { result } = await cdp.send('Runtime.evaluate', { expression: expr, objectGroup: 'leak' });
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
    const counts = {};
    for (const l of listeners) counts[l.type] = (counts[l.type] ?? 0) + 1;
    out[expr.startsWith('document.get') ? 'img#spin' : expr] = counts;
  }
  await cdp.send('Runtime.releaseObjectGroup', { objectGroup: 'leak' });
  return out;
}

async function measure() {
  await gc();
  const dom = await cdp.send('Memory.getDOMCounters');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const wasm = await page.evaluate(() => {
    const table = window.__wasm.externrefs;
    let live = 0;
    const kinds = {};
    // Slots 0 and 1024..1027 are wasm-bindgen's reserved constants; freed slots hold undefined/null.
    for (let k = 0; k < table.length; k++) {
      if (k === 0 || (k >= 1024 && k <= 1027)) continue;
      const v = table.get(k);
      if (v === undefined || v === null) continue;
      live += 1;
      const kind = typeof v === 'object' || typeof v === 'function' ? (v.constructor?.name ?? typeof v) : typeof v;
      kinds[kind] = (kinds[kind] ?? 0) + 1;
    }
    return { memory: window.__wasm.memory.buffer.byteLength, tableLength: table.length, externrefs: live, kinds };
  });
  return {
    documents: dom.documents, nodes: dom.nodes, jsEventListeners: dom.jsEventListeners,
    heapUsed: heap.usedSize, jsHeapUsed: metrics.find((m) => m.name === 'JSHeapUsedSize')?.value,
    wasmMemory: wasm.memory, externrefTable: wasm.tableLength, externrefs: wasm.externrefs, externrefKinds: wasm.kinds,
    listeners: await pageListeners(),
  };
}

function delta(before, after) {
  const keys = ['documents', 'nodes', 'jsEventListeners', 'heapUsed', 'jsHeapUsed', 'wasmMemory', 'externrefTable', 'externrefs'];
  return Object.fromEntries(keys.map((k) => [k, after[k] - before[k]]));
}

function report(t, label, before, after, extra = '') {
  const d = delta(before, after);
  t.diagnostic(`${label}${extra}`);
  t.diagnostic(`  before: documents ${before.documents}, nodes ${before.nodes}, jsEventListeners ${before.jsEventListeners}, `
    + `heap ${before.heapUsed} B (JSHeapUsedSize ${before.jsHeapUsed}), wasm memory ${before.wasmMemory} B, `
    + `externrefs live ${before.externrefs} / table ${before.externrefTable}`);
  t.diagnostic(`  after:  documents ${after.documents}, nodes ${after.nodes}, jsEventListeners ${after.jsEventListeners}, `
    + `heap ${after.heapUsed} B (JSHeapUsedSize ${after.jsHeapUsed}), wasm memory ${after.wasmMemory} B, `
    + `externrefs live ${after.externrefs} / table ${after.externrefTable}`);
  t.diagnostic(`  delta:  ${JSON.stringify(d)}`);
  t.diagnostic(`  live externrefs by kind: before ${JSON.stringify(before.externrefKinds)}; after ${JSON.stringify(after.externrefKinds)}`);
  t.diagnostic(`  page listeners before ${JSON.stringify(before.listeners)}; after ${JSON.stringify(after.listeners)}`);
  return d;
}

function assertNoGrowth(d, before, after) {
  assert.equal(d.documents, 0, 'documents back to baseline');
  assert.ok(d.nodes <= MAX_NODES, `nodes grew by ${d.nodes} (> ${MAX_NODES})`);
  assert.ok(d.jsEventListeners <= MAX_LISTENERS, `JS event listeners grew by ${d.jsEventListeners} (> ${MAX_LISTENERS})`);
  assert.ok(d.heapUsed <= MAX_HEAP, `JS heap grew by ${d.heapUsed} B (> ${MAX_HEAP})`);
  assert.ok(d.wasmMemory <= MAX_WASM_GROWTH, `wasm memory grew by ${d.wasmMemory} B (> ${MAX_WASM_GROWTH})`);
  assert.ok(d.externrefs <= MAX_EXTERNREFS, `live externrefs grew by ${d.externrefs} (> ${MAX_EXTERNREFS})`);
  assert.deepEqual(after.listeners, before.listeners, 'document/window/visualViewport/img listeners by type are back to baseline');
  assert.deepEqual(after.externrefKinds, before.externrefKinds, 'the values the wasm side holds are the baseline\'s');
}

// ---- The cycles, run inside the page ------------------------------------------------------------

/** HotspotOverlay.attach(img, { results }) → ready → destroy(), n times. */
function attachCycles(n, every) {
  return page.evaluate(async ({ n, every }) => {
    const img = document.getElementById('spin');
    const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    let sampled = 0;
    for (let k = 0; k < n; k++) {
      const overlay = window.HotspotOverlay.attach(img, { results: window.__results });
      await overlay.ready;
      if (overlay.state !== 'ready') throw new Error(`cycle ${k}: state ${overlay.state}`);
      if (k % every === 0) {
        await frames();
        const shown = [...overlay.element.shadowRoot.querySelectorAll('.marker')].filter((m) => !m.hidden && !m.closest('[hidden]')).length;
        if (shown !== 10) throw new Error(`cycle ${k}: ${shown} markers shown, expected 10`);
        sampled += 1;
      }
      overlay.destroy();
      if (overlay.element.isConnected) throw new Error(`cycle ${k}: host still in the document`);
    }
    return { sampled };
  }, { n, every });
}

/** Insert a <pave-hotspots for="spin"> with `results` set, wait for pave-load, remove; n times. */
function elementCycles(n, every) {
  return page.evaluate(async ({ n, every }) => {
    const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    let sampled = 0;
    for (let k = 0; k < n; k++) {
      const el = document.createElement('pave-hotspots');
      el.setAttribute('for', 'spin');
      el.results = window.__results;
      let timer;
      const loaded = new Promise((resolve, reject) => {
        el.addEventListener('pave-load', resolve, { once: true });
        timer = setTimeout(() => reject(new Error(`cycle ${k}: no pave-load within 5 s`)), 5000);
      });
      document.body.append(el);
      await loaded;
      clearTimeout(timer);
      if (k % every === 0) {
        await frames();
        const shown = [...el.shadowRoot.querySelectorAll('.marker')].filter((m) => !m.hidden && !m.closest('[hidden]')).length;
        if (shown !== 10) throw new Error(`cycle ${k}: ${shown} markers shown, expected 10`);
        sampled += 1;
      }
      el.remove();
    }
    return { sampled };
  }, { n, every });
}

/**
 * Warm-up, baseline, the cycles in two halves (measured after each), report. A leak grows in both
 * halves; JIT warm-up (compiled code, inline caches: tens of KB) shows in the first half only.
 */
async function measureAround(t, label, warm, cycles, n) {
  await warm();
  const before = await measure();
  const started = Date.now();
  const first = await cycles(Math.floor(n / 2));
  const half = await measure();
  const second = await cycles(n - Math.floor(n / 2));
  const ms = Date.now() - started;
  const after = await measure();
  const info = [first, second].filter(Boolean).map((i) => JSON.stringify(i)).join(' + ');
  const d = report(t, label, before, after, ` — ${ms} ms for the cycles (with two measurements)${info ? `; ${info}` : ''}`);
  const secondHalf = delta(half, after);
  t.diagnostic(`  heap growth by half: first ${half.heapUsed - before.heapUsed} B, second ${secondHalf.heapUsed} B; `
    + `nodes ${half.nodes - before.nodes} / ${secondHalf.nodes}; listeners ${half.jsEventListeners - before.jsEventListeners} / ${secondHalf.jsEventListeners}`);
  assert.ok(secondHalf.heapUsed <= MAX_HEAP_SECOND_HALF, `JS heap grew by ${secondHalf.heapUsed} B in the second half (> ${MAX_HEAP_SECOND_HALF}): a steady leak`);
  return { before, after, d };
}

test(`(a) ${CYCLES_ATTACH} × HotspotOverlay.attach → ready → destroy leaves nothing behind`, async (t) => {
  // Sanity: the probes see a live overlay's page listeners (so "back to baseline" means something).
  const idle = await pageListeners();
  await page.evaluate(async () => {
    window.__live = window.HotspotOverlay.attach(document.getElementById('spin'), { results: window.__results });
    await window.__live.ready;
  });
  const live = await pageListeners();
  await page.evaluate(() => { window.__live.destroy(); window.__live = null; });
  const gone = await pageListeners();
  t.diagnostic(`page listeners: idle ${JSON.stringify(idle)}; one overlay alive ${JSON.stringify(live)}; after destroy ${JSON.stringify(gone)}`);
  for (const [target, type] of [['document', 'scroll'], ['document', 'load'], ['document', 'click'], ['window', 'resize'], ['visualViewport', 'resize'],
    ['img#spin', 'load'], ['img#spin', 'error']]) {
    assert.equal((live[target][type] ?? 0) - (idle[target][type] ?? 0), 1, `a live overlay has one ${target} ${type} listener`);
  }
  assert.deepEqual(gone, idle, 'destroy removes the overlay\'s document/window listeners');

  const { before, after, d } = await measureAround(t, `attach/destroy × ${CYCLES_ATTACH}`,
    () => attachCycles(WARMUP, 1), (n) => attachCycles(n, SAMPLE_EVERY), CYCLES_ATTACH);
  assertNoGrowth(d, before, after);
  assert.deepEqual(errors, []);
});

test(`(b) ${CYCLES_ELEMENT} × insert/remove <pave-hotspots for=… results> leaves nothing behind`, async (t) => {
  const { before, after, d } = await measureAround(t, `element insert/remove × ${CYCLES_ELEMENT}`,
    () => elementCycles(WARMUP, 1), (n) => elementCycles(n, SAMPLE_EVERY), CYCLES_ELEMENT);
  assertNoGrowth(d, before, after);
  assert.deepEqual(errors, []);
});

test(`(c) ${CYCLES_RESULTS} results changes and ${CYCLES_POPOVER} popover open/close cycles on one element`, async (t) => {
  await page.evaluate(async () => {
    const el = document.createElement('pave-hotspots');
    el.id = 'one';
    el.setAttribute('for', 'spin');
    el.setAttribute('list', 'open');
    el.results = window.__results;
    const loaded = new Promise((r) => el.addEventListener('pave-load', r, { once: true }));
    document.body.append(el);
    await loaded;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  });

  // Swap results (two data sets, alternately; an even count so the baseline's data is back).
  const swap = (n) => page.evaluate(async (n) => {
    const el = document.getElementById('one');
    const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    for (let k = 0; k < n; k++) {
      const data = k % 2 === 0 ? window.__results2 : window.__results;
      let got = null;
      const on = (e) => { got = e.detail; };
      el.addEventListener('pave-load', on);
      el.results = data;
      el.removeEventListener('pave-load', on);
      const want = k % 2 === 0 ? 6 : 27;
      if (!got || got.damages.length !== want) throw new Error(`swap ${k}: pave-load ${got && got.damages.length}, expected ${want}`);
      if (k % 5 === 0) await frames();
    }
  }, n);
  const swapped = await measureAround(t, `results swap × ${CYCLES_RESULTS}`, () => swap(WARMUP - (WARMUP % 2)), swap, CYCLES_RESULTS);

  // Open by clicking a marker, close four different ways, in turn.
  const popover = (n) => page.evaluate(async (n) => {
    const el = document.getElementById('one');
    const root = el.shadowRoot;
    const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const events = [];
    const record = (e) => events.push(`${e.type}:${e.detail.index}`);
    el.addEventListener('pave-open', record);
    el.addEventListener('pave-close', record);
    try {
      for (let k = 0; k < n; k++) {
        const index = 3 + (k % 10);
        const marker = root.querySelector(`.marker[data-index="${index}"]`);
        if (!marker || marker.hidden) throw new Error(`cycle ${k}: marker ${index} not shown`);
        marker.click();
        if (events.at(-1) !== `pave-open:${index}`) throw new Error(`cycle ${k}: no pave-open (${events.slice(-3)})`);
        await frames();
        switch (k % 4) {
          case 0: el.close(); break;
          case 1: root.querySelector('.popover button[data-action="close"]').click(); break;
          case 2: root.querySelector('.popover').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true })); break;
          default: document.body.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true })); break;
        }
        if (events.at(-1) !== `pave-close:${index}`) throw new Error(`cycle ${k}: no pave-close (way ${k % 4}; ${events.slice(-3)})`);
      }
    } finally {
      el.removeEventListener('pave-open', record);
      el.removeEventListener('pave-close', record);
    }
    return { events: events.length };
  }, n);
  const opened = await measureAround(t, `popover open/close × ${CYCLES_POPOVER}`, () => popover(WARMUP), popover, CYCLES_POPOVER);

  // Finally the element goes: its listeners go with it.
  await page.evaluate(() => document.getElementById('one').remove());
  const removed = await measure();
  report(t, 'after removing the element', opened.after, removed);

  assertNoGrowth(swapped.d, swapped.before, swapped.after);
  assertNoGrowth(opened.d, opened.before, opened.after);
  assert.deepEqual(errors, []);
});

test(`(d) ${CYCLES_SRC} × <pave-hotspots src=…> removed while its request is in flight, or after it loaded`, async (t) => {
  // The fetch path: an AbortController, a timeout timer and a future that outlive nothing.
  const srcCycles = (n) => page.evaluate(async (n) => {
    let aborted = 0;
    let loaded = 0;
    for (let k = 0; k < n; k++) {
      const el = document.createElement('pave-hotspots');
      el.setAttribute('for', 'spin');
      el.setAttribute('src', '/fixtures/results-27-damages.json');
      const wanted = k % 2 === 0 ? 'loading' : 'ready';
      let timer;
      const reached = new Promise((resolve, reject) => {
        el.addEventListener('pave-state', function on(e) {
          if (e.detail.state === wanted) { el.removeEventListener('pave-state', on); resolve(); }
        });
        timer = setTimeout(() => reject(new Error(`cycle ${k}: no ${wanted} state within 5 s`)), 5000);
      });
      document.body.append(el);
      await reached;
      clearTimeout(timer);
      el.remove();
      if (wanted === 'loading') aborted += 1; else loaded += 1;
    }
    // Let aborted requests settle before anything is measured.
    await new Promise((r) => setTimeout(r, 50));
    return { removedWhileLoading: aborted, removedAfterLoad: loaded };
  }, n);
  const { before, after, d } = await measureAround(t, `element with src insert/remove × ${CYCLES_SRC}`,
    () => srcCycles(WARMUP), srcCycles, CYCLES_SRC);
  assertNoGrowth(d, before, after);
  assert.deepEqual(errors, []);
});
