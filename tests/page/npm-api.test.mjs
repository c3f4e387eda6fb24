// HotspotOverlay as a spin provider drives it (an audit of the npm API): values of the wrong type
// get a TypeError at once and never reach the engine (a non-string `src` used to trap the shared
// wasm instance, killing every widget on the page), `results: null` means "from `src`", reads are
// not queued before the engine exists, a failed load answers `state === 'error'`, and nothing is
// dispatched after a listener destroyed the overlay. Each test failed on the build before its fix
// (PAVE_TEST_DIST=<dir> runs them on another build).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serve, newPage, closeBrowser, readFixture, sendJson } from './harness.mjs';

let server;
let sample;
let requests = 0;

before(async () => {
  sample = await readFixture('results-27-damages.json');
  server = await serve({
    pages: {
      '/api.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>
<img id="spin" src="/photos/frame-01.svg" data-pave-photo="5" style="display:block;width:600px" alt="car">
<img id="other" src="/photos/frame-01.svg" data-pave-photo="5" style="display:block;width:300px" alt="car">
<pave-hotspots id="el" for="other" src="/api/results"></pave-hotspots>
<script type="module">import { HotspotOverlay } from '/dist/pave-hotspots.js'; window.HotspotOverlay = HotspotOverlay;</script>
</body></html>`,
      // No element: the overlay is the first to load the engine (from where it says).
      '/bare.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>
<img id="spin" src="/photos/frame-01.svg" data-pave-photo="5" style="display:block;width:600px" alt="car">
<script type="module">import { HotspotOverlay } from '/dist/pave-hotspots.js'; window.HotspotOverlay = HotspotOverlay;</script>
</body></html>`,
    },
    handler: (req, res, url) => {
      if (url.pathname !== '/api/results') return false;
      requests += 1;
      sendJson(res, 200, sample);
      return true;
    },
  });
});

after(async () => {
  await closeBrowser();
  await server?.close();
});

async function open() {
  const p = await newPage();
  await p.goto(server.url + '/api.html');
  await p.waitForFunction(() => window.HotspotOverlay && document.getElementById('el').state === 'ready');
  return p;
}

/** Resolves with the first `type` event on `overlay` (or `null` after `ms`). */
const nextEvent = `(overlay, type, ms = 5000) => new Promise((r) => {
  overlay.addEventListener(type, (e) => r(e.detail), { once: true });
  setTimeout(() => r(null), ms);
})`;

test('src as a URL object loads from it; setSrc(42) is asked as "42": neither reaches the engine as a non-string, every widget on the page lives on', async () => {
  const p = await open();
  const out = await p.evaluate(async (nextEvent) => {
    const next = (0, eval)(nextEvent);
    const o = HotspotOverlay.attach(document.getElementById('spin'), { src: new URL('/api/results', location.href) });
    const loaded = await next(o, 'pave-load');
    const failed = next(o, 'pave-error');
    o.setSrc(42);
    const error = await failed;
    return { damages: loaded?.damages.length ?? null, error: error?.kind ?? null, element: document.getElementById('el').state };
  }, nextEvent);
  assert.deepEqual(out, { damages: 27, error: 'not-found', element: 'ready' });
  assert.deepEqual(p.errors(), []);
  await p.closeAll();
});

test('results: null is "no results": the data comes from src; setResults(null) goes back to src', async () => {
  const p = await open();
  const before = requests;
  const out = await p.evaluate(async (nextEvent) => {
    const next = (0, eval)(nextEvent);
    const o = HotspotOverlay.attach(document.getElementById('spin'), { src: '/api/results', results: null });
    const first = await next(o, 'pave-load');
    const inline = JSON.parse(JSON.stringify(await (await fetch('/api/results')).json()));
    inline.data = inline.data.slice(0, 1);
    const second = next(o, 'pave-load');
    o.setResults(inline);
    const few = (await second)?.damages.length ?? null;
    const third = next(o, 'pave-load');
    o.setResults(null);
    const back = (await third)?.damages.length ?? null;
    return { first: first?.damages.length ?? null, few, back, state: o.state };
  }, nextEvent);
  assert.equal(out.first, 27);
  assert.ok(out.few > 0 && out.few < 27);
  assert.deepEqual({ back: out.back, state: out.state }, { back: 27, state: 'ready' });
  assert.equal(requests - before, 3, 'src twice, and the test\'s own fetch');
  await p.closeAll();
});

test('bad arguments throw a TypeError (a RangeError for a value out of range) naming what is wrong, at once; nothing is left on the page', async () => {
  const p = await open();
  const out = await p.evaluate(() => {
    const img = document.getElementById('spin');
    const tries = {
      'photoMap: "x"': () => HotspotOverlay.attach(img, { results: '{}', photoMap: 'x' }),
      'photoMap value true': () => HotspotOverlay.attach(img, { results: '{}', photoMap: { 'f.jpg': true } }),
      'photoMap as pairs': () => HotspotOverlay.attach(img, { results: '{}', photoMap: [['f.jpg', 5]] }),
      'options null': () => HotspotOverlay.attach(img, null),
      'container "body"': () => HotspotOverlay.attach(img, { results: '{}', container: 'body' }),
      'list "bogus"': () => HotspotOverlay.attach(img, { results: '{}', list: 'bogus' }),
      'headingLevel 9': () => HotspotOverlay.attach(img, { results: '{}', headingLevel: 9 }),
      'timeout -5': () => HotspotOverlay.attach(img, { results: '{}', timeout: -5 }),
      'pollTimeout NaN': () => HotspotOverlay.attach(img, { results: '{}', pollTimeout: NaN }),
    };
    const out = {};
    for (const [name, fn] of Object.entries(tries)) {
      try { fn(); out[name] = 'returned'; } catch (e) { out[name] = `${e.name}: ${e.message}`; }
    }
    out.hosts = document.querySelectorAll('[data-pave-hotspots]').length;
    return out;
  });
  assert.match(out['photoMap: "x"'], /^TypeError: .*photoMap must be an object or a Map/);
  assert.match(out['photoMap value true'], /^TypeError: .*photoMap\["f.jpg"\] must be a photo code or label/);
  assert.match(out['photoMap as pairs'], /^TypeError: .*photoMap must be an object or a Map/);
  assert.match(out['options null'], /^TypeError: HotspotOverlay.attach: options must be an object/);
  assert.match(out['container "body"'], /^TypeError: HotspotOverlay.attach: options.container must be an element/);
  assert.equal(out['list "bogus"'], 'RangeError: HotspotOverlay.attach: options.list is out of range: bogus');
  assert.equal(out['headingLevel 9'], 'RangeError: HotspotOverlay.attach: options.headingLevel is out of range: 9');
  assert.equal(out['timeout -5'], 'RangeError: HotspotOverlay.attach: options.timeout is out of range: -5');
  assert.equal(out['pollTimeout NaN'], 'RangeError: HotspotOverlay.attach: options.pollTimeout is out of range: NaN');
  assert.equal(out.hosts, 0);
  await p.closeAll();
});

test('the wasm failed to load: state says error, reads answer at once, calls are not kept (no growing queue)', async () => {
  const p = await newPage();
  await p.goto(server.url + '/bare.html');
  await p.waitForFunction(() => window.HotspotOverlay);
  const cdp = await p.context().newCDPSession(p);
  const out = await p.evaluate(async () => {
    const o = HotspotOverlay.attach(document.getElementById('spin'), { src: '/api/results', wasmUrl: '/no-such.wasm' });
    await o.ready;
    return { state: o.state };
  });
  assert.equal(out.state, 'error');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize: before } = await cdp.send('Runtime.getHeapUsage');
  await p.evaluate(() => {
    const o = HotspotOverlay.attach(document.getElementById('spin'), { src: '/api/results' });
    window.kept = o;
    return new Promise((done) => {
      // 100,000 frames of a viewer driving it.
      for (let k = 0; k < 100000; k += 1) {
        o.setPhoto(k % 2 ? 5 : 7);
        o.toPixels(50, 50);
        void o.state;
      }
      setTimeout(done, 100);
    });
  });
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize: afterCalls } = await cdp.send('Runtime.getHeapUsage');
  assert.ok(afterCalls - before < 1_000_000, `heap grew by ${afterCalls - before} B over 100,000 frames`);
  assert.equal(await p.evaluate(() => window.kept.state), 'error');
  await p.closeAll();
});

test('a listener destroying the overlay during next(): nothing is dispatched after, and every pave-open the page heard has its pave-close', async () => {
  const p = await open();
  const log = await p.evaluate(async (nextEvent) => {
    const next = (0, eval)(nextEvent);
    const o = HotspotOverlay.attach(document.getElementById('spin'), { src: '/api/results' });
    await next(o, 'pave-load');
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const log = [];
    let destroyed = false;
    o.addEventListener('pave-open', (e) => log.push(`${destroyed ? 'after destroy: ' : ''}open ${e.detail.index}`));
    o.addEventListener('pave-close', (e) => {
      log.push(`${destroyed ? 'after destroy: ' : ''}close ${e.detail.index}`);
      if (!destroyed) { destroyed = true; o.destroy(); }
    });
    o.open(3);
    o.next();
    await new Promise((r) => setTimeout(r, 100));
    return log;
  }, nextEvent);
  assert.deepEqual(log, ['open 3', 'close 3']);
  await p.closeAll();
});

test('on a server (no DOM): the package imports, defineElement() returns the class, attach() throws a TypeError', async () => {
  const dist = process.env.PAVE_TEST_DIST ?? new URL('../../dist/', import.meta.url).pathname;
  const { defineElement, HotspotOverlay } = await import(`${dist.replace(/\/?$/, '/')}index.js`);
  assert.equal(typeof defineElement(), 'function');
  assert.throws(() => HotspotOverlay.attach({}, {}), TypeError);
});

test('an unknown option (a typo such as lnag) is a console warning naming it and the options, not an error; known ones are not warned about', async () => {
  const p = await open();
  const warnings = [];
  p.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  const state = await p.evaluate(async () => {
    const img = document.getElementById('spin');
    const all = { photo: '5', lang: 'fr', timeout: 5000, pollTimeout: 60000, list: 'none', headingLevel: 3, src: null, photoMap: {}, container: document.body };
    HotspotOverlay.attach(img, { results: '{}', ...all }).destroy();
    const overlay = HotspotOverlay.attach(img, { src: '/api/results', lnag: 'fr' });
    await overlay.ready;
    await new Promise((r) => setTimeout(r, 500));
    const s = overlay.state;
    overlay.destroy();
    return s;
  });
  assert.equal(state, 'ready', 'the typo is ignored; the overlay works');
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0], /^HotspotOverlay\.attach: unknown option lnag is ignored \(options: photo, lang, timeout, pollTimeout, list, headingLevel, src, results, photoMap, container, wasmUrl\)$/);
  assert.deepEqual(p.errors(), []);
  await p.closeAll();
});
