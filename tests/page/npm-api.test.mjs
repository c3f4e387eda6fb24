// HotspotOverlay as a spin provider drives it (an audit of the npm API): values of the wrong type
// get a TypeError at once and never reach the engine (a non-string `src` used to trap the shared
// wasm instance, killing every widget on the page), `results: null` means "from `src`", reads are
// not queued before the engine exists, a failed load answers `state === 'error'`, and nothing is
// dispatched after a listener destroyed the overlay. Each test failed on the build before its fix
// (PAVE_TEST_DIST=<dir> runs them on another build).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serve, newPage, closeBrowser, readFixture, sendJson, resultsAt, ROOT } from './harness.mjs';

let server;
let sample;
let requests = 0;
let wasmTries = 0;
let failDistOnce = false;
// /api/old: asked, and given up by the page before it answered (?wait=ms holds the answer).
let oldAsked = 0;
let oldAborted = 0;

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
      // A viewer's wrapper inside a panel (a tab, a lightbox, Vue's <KeepAlive>) that the page
      // takes out and puts back later.
      '/panel.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>
<div id="panel"><div id="wrap"><img id="spin" src="/photos/frame-01.svg" data-pave-photo="5" style="display:block;width:600px" alt="car"></div></div>
<script type="module">import { HotspotOverlay } from '/dist/pave-hotspots.js'; window.HotspotOverlay = HotspotOverlay;</script>
</body></html>`,
      // No element: the overlay is the first to load the engine (from where it says).
      '/bare.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>
<img id="spin" src="/photos/frame-01.svg" data-pave-photo="5" style="display:block;width:600px" alt="car">
<script type="module">import { HotspotOverlay } from '/dist/pave-hotspots.js'; window.HotspotOverlay = HotspotOverlay;</script>
</body></html>`,
    },
    handler: async (req, res, url) => {
      // The package's own .wasm, failing once when a test says so.
      if (url.pathname === '/dist/pave-hotspots.wasm' && failDistOnce) {
        failDistOnce = false;
        res.writeHead(503);
        res.end('busy');
        return true;
      }
      // A host that answers every path with its page (a single-page app's catch-all).
      if (url.pathname === '/spa.wasm') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>Shop</title>');
        return true;
      }
      // A .wasm that fails once (a 503 on a busy CDN), then loads.
      if (url.pathname === '/flaky.wasm') {
        wasmTries += 1;
        if (wasmTries === 1) {
          res.writeHead(503);
          res.end('busy');
        } else {
          res.writeHead(200, { 'content-type': 'application/wasm' });
          res.end(await readFile(join(process.env.PAVE_TEST_DIST ?? join(ROOT, 'dist'), 'pave-hotspots.wasm')));
        }
        return true;
      }
      // A .wasm that takes its time: calls made while it loads.
      if (url.pathname === '/slow.wasm') {
        await new Promise((r) => setTimeout(r, 800));
        res.writeHead(200, { 'content-type': 'application/wasm' });
        res.end(await readFile(join(process.env.PAVE_TEST_DIST ?? join(ROOT, 'dist'), 'pave-hotspots.wasm')));
        return true;
      }
      if (url.pathname === '/api/old') {
        oldAsked += 1;
        res.on('close', () => { if (!res.writableFinished) oldAborted += 1; });
        await new Promise((r) => setTimeout(r, Number(url.searchParams.get('wait') ?? 0)));
        if (!res.destroyed) sendJson(res, 200, sample);
        return true;
      }
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
      // Types as index.d.ts declares them: accepted before and ignored, or 10 s for '2e3'.
      'src {}': () => HotspotOverlay.attach(img, { src: {} }),
      'results 42': () => HotspotOverlay.attach(img, { results: 42 }),
      'results []': () => HotspotOverlay.attach(img, { results: [] }),
      'photo {}': () => HotspotOverlay.attach(img, { results: '{}', photo: {} }),
      'lang true': () => HotspotOverlay.attach(img, { results: '{}', lang: true }),
      'wasmUrl {}': () => HotspotOverlay.attach(img, { results: '{}', wasmUrl: {} }),
      'list ["open"]': () => HotspotOverlay.attach(img, { results: '{}', list: ['open'] }),
      'timeout "2e3"': () => HotspotOverlay.attach(img, { results: '{}', timeout: '2e3' }),
      'timeout true': () => HotspotOverlay.attach(img, { results: '{}', timeout: true }),
      'options []': () => HotspotOverlay.attach(img, []),
      'container fragment': () => HotspotOverlay.attach(img, { results: '{}', container: document.createDocumentFragment() }),
      'container document': () => HotspotOverlay.attach(img, { results: '{}', container: document }),
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
  for (const [name, option] of [['src {}', 'src'], ['results 42', 'results'], ['results []', 'results'], ['photo {}', 'photo'], ['lang true', 'lang'], ['wasmUrl {}', 'wasmUrl'], ['list ["open"]', 'list'], ['timeout "2e3"', 'timeout'], ['timeout true', 'timeout']]) {
    assert.match(out[name], new RegExp(`^TypeError: HotspotOverlay.attach: options.${option} has the wrong type`), name);
  }
  assert.match(out['options []'], /^TypeError: HotspotOverlay.attach: options must be an object/);
  assert.match(out['container fragment'], /^TypeError: HotspotOverlay.attach: options.container must be an element or a shadow root/);
  assert.match(out['container document'], /^TypeError: HotspotOverlay.attach: options.container must be an element or a shadow root/);
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
    // (The load is tried again, and fails again.)
    const o = HotspotOverlay.attach(document.getElementById('spin'), { src: '/api/results', wasmUrl: '/no-such.wasm' });
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

test('open() right after ready, in a pave-load listener or after setPhoto(): no pave-photo-request for the photo the picture shows', async () => {
  const p = await open();
  const out = await p.evaluate(async (nextEvent) => {
    const next = (0, eval)(nextEvent);
    const img = document.getElementById('spin');
    const logOf = (o) => {
      const log = [];
      for (const t of ['pave-photo-request', 'pave-open']) o.addEventListener(t, (e) => log.push(`${t} ${e.detail.index}`));
      return log;
    };
    const out = {};
    // In the pave-load listener (the README's advice: the data is there at pave-load).
    const a = HotspotOverlay.attach(img, { src: '/api/results' });
    const la = logOf(a);
    a.addEventListener('pave-load', () => a.open(5), { once: true });
    await next(a, 'pave-open');
    out.load = la;
    a.destroy();
    // Queued before ready (results inline: there when the engine starts), and after setPhoto(7)
    // in the same task.
    const results = await (await fetch('/api/results')).text();
    const b = HotspotOverlay.attach(img, { results });
    const lb = logOf(b);
    b.open(4);
    await next(b, 'pave-open');
    b.setPhoto(7);
    b.open(14);
    await next(b, 'pave-open');
    out.queued = lb;
    b.destroy();
    return out;
  }, nextEvent);
  assert.deepEqual(out, { load: ['pave-open 5'], queued: ['pave-open 4', 'pave-open 14'] });
  await p.closeAll();
});

test('the same photo named another way (its label, data-pave-photo as the map says) keeps the open popover; an overlay whose container the page moves keeps it too', async () => {
  const p = await open();
  const out = await p.evaluate(async (nextEvent) => {
    const next = (0, eval)(nextEvent);
    const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const wrap = document.createElement('div');
    const img = document.getElementById('spin');
    document.body.prepend(wrap);
    const o = HotspotOverlay.attach(img, { src: '/api/results', photoMap: { 'frame-01.svg': 5 }, container: wrap });
    await next(o, 'pave-load');
    await frames();
    const log = [];
    for (const t of ['pave-open', 'pave-close']) o.addEventListener(t, (e) => log.push(`${t} ${e.detail.index}`));
    const isOpen = () => o.element.shadowRoot.querySelector('[part=popover]').matches(':popover-open');
    o.open(5);
    await frames();
    const out = {};
    for (const [name, change] of [
      ['setPhoto("Front")', () => o.setPhoto('Front')],
      ['setPhoto(5)', () => o.setPhoto(5)],
      ['data-pave-photo 5 (as the map)', () => { img.dataset.pavePhoto = '5'; }],
    ]) {
      change();
      await frames();
      out[name] = isOpen();
    }
    // A viewer moves its wrapper (into a lightbox, say): somewhere else on the page.
    const lightbox = document.createElement('div');
    lightbox.style.cssText = 'padding:40px';
    document.body.append(lightbox);
    lightbox.append(wrap);
    await frames();
    await frames();
    out.moved = isOpen();
    out.log = [...log];
    o.destroy();
    return out;
  }, nextEvent);
  assert.deepEqual(out, { 'setPhoto("Front")': true, 'setPhoto(5)': true, 'data-pave-photo 5 (as the map)': true, moved: true, log: ['pave-open 5'] });
  await p.closeAll();
});

test('destroyed while the wasm fails to load, or by a listener of a queued call: nothing is dispatched after, nothing throws; a failed load is tried again by the next attach', async () => {
  const p = await newPage();
  await p.goto(server.url + '/bare.html');
  await p.waitForFunction(() => window.HotspotOverlay);
  wasmTries = 0;
  const out = await p.evaluate(async () => {
    const img = document.getElementById('spin');
    const seen = [];
    // The first load fails (503): destroyed before it does, the overlay says nothing.
    const a = HotspotOverlay.attach(img, { src: '/api/results', wasmUrl: '/flaky.wasm' });
    for (const t of ['pave-state', 'pave-error']) a.addEventListener(t, (e) => seen.push(t));
    a.destroy();
    await a.ready;
    // The next attach loads it (the second try succeeds); a listener of a queued call destroys it.
    const results = await (await fetch('/api/results')).text();
    const b = HotspotOverlay.attach(img, { results, wasmUrl: '/flaky.wasm' });
    b.addEventListener('pave-photo-request', () => b.destroy());
    b.open(14); // on another photo than the picture's
    b.setPhoto(5);
    b.next();
    await b.ready;
    return { seen, stateA: a.state, stateB: b.state };
  });
  assert.deepEqual(out, { seen: [], stateA: 'idle', stateB: 'idle' });
  assert.equal(wasmTries, 2);
  assert.deepEqual(p.errors(), []);
  await p.closeAll();
});

test('a wasm URL answered with a page (a catch-all route) or refused by CORS: the error names the file, not only the browser\'s words', async () => {
  const p = await newPage();
  await p.goto(server.url + '/bare.html');
  const messages = await p.evaluate(async (other) => {
    const { loadEngine } = await import('/dist/index.js');
    const out = [];
    for (const url of ['/spa.wasm', `${other}/dist/pave-hotspots.wasm`]) {
      out.push(await loadEngine(url).then(() => 'loaded', (e) => e.message));
    }
    return out;
  }, server.url.replace('127.0.0.1', 'localhost'));
  assert.match(messages[0], /magic word.*\(\/spa\.wasm\)$/, messages[0]);
  assert.match(messages[1], /Failed to fetch.*\(http:\/\/localhost:\d+\/dist\/pave-hotspots\.wasm\)$/, messages[1]);
  await p.closeAll();
});

test('an element whose wasm failed to load starts when it is put back in the page, and says so (state ready, not error)', async () => {
  failDistOnce = true;
  const p = await newPage();
  await p.goto(server.url + '/bare.html');
  await p.waitForFunction(() => window.HotspotOverlay);
  const out = await p.evaluate(async () => {
    const results = await (await fetch('/api/results')).text();
    const el = document.createElement('pave-hotspots');
    el.setAttribute('for', 'spin');
    el.results = results;
    const states = [];
    el.addEventListener('pave-state', (e) => states.push(e.detail.state));
    document.body.append(el);
    await new Promise((r) => el.addEventListener('pave-error', r, { once: true }));
    const failed = el.state;
    el.remove();
    document.body.append(el);
    await new Promise((r) => { el.addEventListener('pave-load', r, { once: true }); setTimeout(r, 8000); });
    return { failed, now: el.state, states };
  });
  assert.deepEqual(out, { failed: 'error', now: 'ready', states: ['error', 'ready'] });
  await p.closeAll();
});

test('a wasm that failed to load is loaded again by reload(), on the element and on an overlay, and by an overlay put back in the page', async () => {
  const attempt = async (body) => {
    const p = await newPage();
    await p.goto(server.url + '/bare.html');
    await p.waitForFunction(() => window.HotspotOverlay);
    const out = await p.evaluate(body);
    assert.deepEqual(p.errors(), []);
    await p.closeAll();
    return out;
  };
  // Until the engine has loaded, `state` answers idle or error: what each step saw, with the
  // events that came.
  failDistOnce = true;
  const element = await attempt(async () => {
    const results = await (await fetch('/api/results')).text();
    const el = document.createElement('pave-hotspots');
    el.setAttribute('for', 'spin');
    el.setAttribute('lang', 'es-MX');
    el.results = results;
    const seen = [];
    for (const t of ['pave-state', 'pave-error', 'pave-load']) el.addEventListener(t, (e) => seen.push(e.detail.state ?? e.detail.kind ?? t));
    const event = (type) => new Promise((r) => { el.addEventListener(type, r, { once: true }); setTimeout(r, 8000); });
    document.body.append(el);
    await event('pave-error');
    const failed = el.state;
    // The status line under the picture says so, as it does for every other error (a moment
    // after its live region comes, to be read out).
    await new Promise((r) => setTimeout(r, 200));
    // (In the element's language: the words of the engine that did not load are not needed.)
    const line = el.shadowRoot?.querySelector('[part="status"]');
    const status = [line?.lang, line?.textContent];
    el.reload();
    await event('pave-load');
    return { failed, status, now: el.state, markers: el.shadowRoot.querySelectorAll('[part~="marker"]').length, seen };
  });
  assert.deepEqual(element, { failed: 'error', status: ['es', 'No se pudo cargar el visor de daños.'], now: 'ready', markers: 27, seen: ['error', 'network', 'pave-load', 'ready'] });
  for (const how of ['reload()', 'put back']) {
    wasmTries = 0;
    const overlay = await attempt(async (how) => {
      const results = await (await fetch('/api/results')).text();
      const wrap = document.createElement('div');
      document.body.append(wrap);
      const o = HotspotOverlay.attach(document.getElementById('spin'), { results, wasmUrl: '/flaky.wasm', container: wrap });
      const seen = [];
      for (const t of ['pave-state', 'pave-error', 'pave-load']) o.addEventListener(t, (e) => seen.push(e.detail.state ?? e.detail.kind ?? t));
      await o.ready;
      const failed = o.state;
      const loaded = new Promise((r) => { o.addEventListener('pave-load', r, { once: true }); setTimeout(r, 8000); });
      if (how === 'reload()') {
        o.reload();
      } else {
        wrap.remove();
        await null;
        document.body.append(wrap);
      }
      await loaded;
      return { failed, now: o.state, markers: o.element.shadowRoot.querySelectorAll('[part~="marker"]').length, seen };
    }, how);
    assert.deepEqual(overlay, { failed: 'error', now: 'ready', markers: 27, seen: ['error', 'network', 'pave-load', 'ready'] }, how);
    assert.equal(wasmTries, 2, how);
  }
});

test('an overlay with a list: focus on a row when the data is replaced goes to a status line that shows', async () => {
  const p = await open();
  const out = await p.evaluate(async (nextEvent) => {
    const next = (0, eval)(nextEvent);
    const results = await (await fetch('/api/results')).text();
    const o = HotspotOverlay.attach(document.getElementById('spin'), { results, list: 'open' });
    await next(o, 'pave-load');
    o.element.shadowRoot.querySelector('#pave-list-body [data-index="1"]').focus();
    // (New data: the same string again would change nothing.)
    o.setResults(`${results}\n`);
    await next(o, 'pave-load');
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const a = o.element.shadowRoot.activeElement;
    const box = a?.getBoundingClientRect();
    o.destroy();
    return { focused: a?.getAttribute('role') ?? a?.className, width: box?.width ?? 0 };
  }, nextEvent);
  assert.equal(out.focused, 'status');
  assert.ok(out.width > 20, JSON.stringify(out));
  await p.closeAll();
});

test('an overlay whose host a viewer takes out of the page (innerHTML = \'\'): released with pave-close, idle; put back, it starts again with the last setPhoto; moved within a task, it keeps everything', async () => {
  const p = await open();
  const data = JSON.parse(sample);
  const right = data.data.flatMap((ph) => ph.inspection_data.map((_, k) => ph.photo_code)).flatMap((code, i) => (code === 7 ? [String(i)] : []));
  const out = await p.evaluate(async (nextEvent) => {
    const next = (0, eval)(nextEvent);
    const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const wrap = document.createElement('div');
    document.body.prepend(wrap);
    const o = HotspotOverlay.attach(document.getElementById('spin'), { src: '/api/results', container: wrap });
    await next(o, 'pave-load');
    await frames();
    const log = [];
    for (const t of ['pave-open', 'pave-close', 'pave-load']) o.addEventListener(t, () => log.push(t));
    // The shown photo's markers (some may be in a cluster), in index order.
    const shown = () => [...o.element.shadowRoot.querySelectorAll('.photo:not([hidden]) .marker')].map((m) => m.dataset.index).sort((a, b) => a - b);
    o.open(5);
    await frames();
    const host = o.element;
    wrap.innerHTML = ''; // the viewer empties its wrapper to rebuild it
    await frames();
    const away = { state: o.state, log: log.splice(0), connected: host.isConnected };
    o.setPhoto(7); // while away: the photo it starts with when it comes back
    wrap.append(host);
    await next(o, 'pave-load');
    await frames();
    const back = { state: o.state, log: log.splice(0), shown: shown() };
    // Moved elsewhere in one task (into a lightbox): a move, not a removal.
    o.open(Number(back.shown.at(-1)));
    await frames();
    const lightbox = document.createElement('div');
    document.body.append(lightbox);
    lightbox.append(wrap);
    await frames();
    await frames();
    const moved = { state: o.state, log: log.splice(0), open: o.element.shadowRoot.querySelector('[part=popover]').matches(':popover-open') };
    o.destroy();
    return { away, back, moved };
  }, nextEvent);
  assert.deepEqual(out.away, { state: 'idle', log: ['pave-open', 'pave-close'], connected: false });
  assert.deepEqual(out.back, { state: 'ready', log: ['pave-load'], shown: right });
  assert.deepEqual(out.moved, { state: 'ready', log: ['pave-open'], open: true });
  assert.deepEqual(p.errors(), []);
  await p.closeAll();
});

test('an overlay in a panel the page takes out and puts back later (a tab, a lightbox, <KeepAlive>): released meanwhile, then back with its markers, in the wrapper the page put back', async () => {
  const p = await newPage();
  await p.goto(server.url + '/panel.html');
  await p.waitForFunction(() => window.HotspotOverlay);
  const out = await p.evaluate(async (nextEvent) => {
    const next = (0, eval)(nextEvent);
    const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const wrap = document.getElementById('wrap');
    const panel = document.getElementById('panel');
    const o = HotspotOverlay.attach(document.getElementById('spin'), { src: '/api/results', container: wrap });
    await next(o, 'pave-load');
    await frames();
    const markers = () => o.element.shadowRoot.querySelectorAll('.photo:not([hidden]) .marker').length;
    const before = { state: o.state, markers: markers() };
    panel.remove();
    await frames();
    const away = { state: o.state, inWrap: o.element.parentNode === wrap };
    document.body.prepend(panel);
    await next(o, 'pave-load');
    await frames();
    const back = { state: o.state, inWrap: o.element.parentNode === wrap, markers: markers() };
    o.destroy();
    return { before, away, back, gone: o.element.isConnected };
  }, nextEvent);
  assert.ok(out.before.markers > 0, JSON.stringify(out));
  assert.deepEqual(out.away, { state: 'idle', inWrap: true });
  assert.deepEqual(out.back, { state: 'ready', inWrap: true, markers: out.before.markers });
  assert.equal(out.gone, false, 'destroy() takes the host out');
  assert.deepEqual(p.errors(), []);
  await p.closeAll();
});

test('destroy() called by a pave-close listener while an overlay taken out of the page is released: released once, no error', async () => {
  const p = await newPage();
  await p.goto(server.url + '/panel.html');
  await p.waitForFunction(() => window.HotspotOverlay);
  const closes = await p.evaluate(async (nextEvent) => {
    const next = (0, eval)(nextEvent);
    const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const o = HotspotOverlay.attach(document.getElementById('spin'), { src: '/api/results', container: document.getElementById('wrap') });
    await next(o, 'pave-load');
    await frames();
    o.open(Number(o.element.shadowRoot.querySelector('.photo:not([hidden]) .marker').dataset.index));
    await frames();
    let n = 0;
    o.addEventListener('pave-close', () => { n++; o.destroy(); });
    o.element.remove();
    await frames();
    await frames();
    return n;
  }, nextEvent);
  assert.equal(closes, 1);
  assert.deepEqual(p.errors(), []);
  await p.closeAll();
});

test('a page whose fetch throws at once (a wrapper of its own): pave-error network, not loading for ever', async () => {
  const p = await open();
  const out = await p.evaluate(async () => {
    const el = document.getElementById('el');
    const real = window.fetch;
    window.fetch = (url, init) => {
      if (String(url).includes('blocked')) throw new TypeError('blocked by the page');
      return real(url, init);
    };
    const error = new Promise((r) => { el.addEventListener('pave-error', (e) => r(e.detail), { once: true }); setTimeout(() => r(null), 3000); });
    el.setAttribute('src', '/api/results?blocked');
    const detail = await error;
    window.fetch = real;
    return { kind: detail?.kind, message: detail?.message, state: el.state };
  });
  assert.deepEqual(out, { kind: 'network', message: 'blocked by the page', state: 'error' });
  assert.deepEqual(p.errors(), []);
  await p.closeAll();
});

test('setResults() or setSrc() before the engine has started: it starts with them, as if called before anything ran (no pave-load of the data replaced, no request for the src replaced)', async () => {
  const few = resultsAt([{ code: 5, points: [[10, 10], [50, 50]] }]);
  const run = async (page, body) => {
    oldAsked = 0;
    oldAborted = 0;
    const before = requests;
    const seen = await page.evaluate(([body, data]) => (0, eval)(body)(data), [body, { few, one: resultsAt([{ code: 5, points: [[10, 10]] }]) }]);
    // (Time for a request the early one would have been.)
    await page.waitForTimeout(300);
    return { seen, oldAsked, oldAborted, asked: requests - before };
  };
  // The overlay's events, as 'load(N)' and states, until its ready and a moment after.
  const watch = `(o) => {
    const seen = [];
    o.addEventListener('pave-load', (e) => seen.push('load(' + e.detail.damages.length + ')'));
    o.addEventListener('pave-state', (e) => seen.push(e.detail.state));
    return seen;
  }`;
  const settled = (o, seen) => o.ready.then(() => new Promise((r) => setTimeout(() => { o.destroy(); r(seen); }, 500)));
  const p = await open();
  const out = {};
  // The wasm is there (the element loaded it): the calls of the same script still come first.
  out.results = await run(p, `(async ({ few, one }) => {
    const o = HotspotOverlay.attach(document.getElementById('spin'), { results: one });
    const seen = (${watch})(o);
    o.setResults(few);
    return (${settled})(o, seen);
  })`);
  out.srcThenResults = await run(p, `(async ({ few }) => {
    const o = HotspotOverlay.attach(document.getElementById('spin'), { src: '/api/old' });
    const seen = (${watch})(o);
    o.setResults(few);
    return (${settled})(o, seen);
  })`);
  out.srcThenSrc = await run(p, `(async () => {
    const o = HotspotOverlay.attach(document.getElementById('spin'), { src: '/api/old' });
    const seen = (${watch})(o);
    o.setSrc('/api/results');
    return (${settled})(o, seen);
  })`);
  out.srcThenSrcThenResults = await run(p, `(async ({ few }) => {
    const o = HotspotOverlay.attach(document.getElementById('spin'), { src: '/api/old' });
    const seen = (${watch})(o);
    o.setSrc('/api/results');
    o.setResults(few);
    return (${settled})(o, seen);
  })`);
  // setResults(null) after: back to the src of attach(), asked once.
  out.backToSrc = await run(p, `(async ({ few }) => {
    const o = HotspotOverlay.attach(document.getElementById('spin'), { src: '/api/old' });
    const seen = (${watch})(o);
    o.setResults(few);
    o.setResults(null);
    return (${settled})(o, seen);
  })`);
  await p.closeAll();
  // The wasm still loading when the page replaces the data: the request made meanwhile is given up.
  const q = await newPage();
  await q.goto(server.url + '/bare.html');
  await q.waitForFunction(() => window.HotspotOverlay);
  out.whileLoading = await run(q, `(async ({ few }) => {
    const o = HotspotOverlay.attach(document.getElementById('spin'), { src: '/api/old?wait=600', wasmUrl: '/slow.wasm' });
    const seen = (${watch})(o);
    await new Promise((r) => setTimeout(r, 200));
    o.setResults(few);
    return (${settled})(o, seen);
  })`);
  assert.deepEqual(q.errors(), []);
  await q.closeAll();
  assert.deepEqual(out, {
    results: { seen: ['load(2)', 'ready'], oldAsked: 0, oldAborted: 0, asked: 0 },
    srcThenResults: { seen: ['load(2)', 'ready'], oldAsked: 0, oldAborted: 0, asked: 0 },
    srcThenSrc: { seen: ['loading', 'load(27)', 'ready'], oldAsked: 0, oldAborted: 0, asked: 1 },
    srcThenSrcThenResults: { seen: ['load(2)', 'ready'], oldAsked: 0, oldAborted: 0, asked: 0 },
    backToSrc: { seen: ['loading', 'load(27)', 'ready'], oldAsked: 1, oldAborted: 0, asked: 0 },
    whileLoading: { seen: ['load(2)', 'ready'], oldAsked: 1, oldAborted: 1, asked: 0 },
  });
});

test('a container that shows no children (the <img>, <canvas> or <video> itself, a frame, an <input>) is a TypeError at attach(), not an overlay nobody sees', async () => {
  const p = await open();
  const out = await p.evaluate(() => {
    const img = document.getElementById('spin');
    const out = {};
    for (const tag of ['img', 'canvas', 'video', 'audio', 'iframe', 'embed', 'input']) {
      const container = tag === 'img' ? img : document.body.appendChild(document.createElement(tag));
      try {
        HotspotOverlay.attach(img, { results: '{}', container }).destroy();
        out[tag] = 'returned';
      } catch (e) {
        out[tag] = `${e.name}: ${e.message}`;
      }
    }
    // What can hold it: a wrapper, the body, a shadow root, a custom element (one with a `src` of
    // its own too: a viewer), a <picture>.
    const ok = [];
    const shadow = document.body.appendChild(document.createElement('div')).attachShadow({ mode: 'open' });
    customElements.define('x-spin', class extends HTMLElement { src = '/spin/'; });
    for (const container of [img.parentNode, shadow, document.body.appendChild(document.createElement('x-viewer')), document.body.appendChild(document.createElement('x-spin')), document.body.appendChild(document.createElement('picture'))]) {
      HotspotOverlay.attach(img, { results: '{}', container }).destroy();
      ok.push(container.nodeName);
    }
    out.ok = ok;
    out.hosts = document.querySelectorAll('[data-pave-hotspots]').length;
    return out;
  });
  for (const tag of ['img', 'canvas', 'video', 'audio', 'iframe', 'embed', 'input']) {
    assert.equal(out[tag], 'TypeError: HotspotOverlay.attach: options.container must be an element or a shadow root that shows its children', tag);
  }
  assert.deepEqual(out.ok, ['BODY', '#document-fragment', 'X-VIEWER', 'X-SPIN', 'PICTURE']);
  assert.equal(out.hosts, 0);
  await p.closeAll();
});

test('the options are as index.d.ts declares them: none at all is an idle overlay that setSrc() starts; headingLevel is a number (a string is a TypeError)', async () => {
  const p = await open();
  const out = await p.evaluate(async (nextEvent) => {
    const next = (0, eval)(nextEvent);
    const img = document.getElementById('spin');
    const o = HotspotOverlay.attach(img);
    await o.ready;
    const idle = o.state;
    const loaded = next(o, 'pave-load');
    o.setSrc('/api/results');
    const damages = (await loaded)?.damages.length ?? null;
    o.destroy();
    let level;
    try {
      HotspotOverlay.attach(img, { results: '{}', headingLevel: '2' }).destroy();
      level = 'returned';
    } catch (e) {
      level = `${e.name}: ${e.message}`;
    }
    return { idle, damages, level };
  }, nextEvent);
  assert.deepEqual(out, { idle: 'idle', damages: 27, level: 'TypeError: HotspotOverlay.attach: options.headingLevel has the wrong type (string)' });
  await p.closeAll();
});
