// If the wasm instance ever traps (the Rust side is written so that it never does), every widget
// on the page shows its error state and tells the page, instead of breaking it; calls after that
// do nothing and throw nothing. The trap is simulated at the one place the JS shell's methods
// meet wasm, and made for real in a callback of the page's (a response that arrives when the
// wasm's memory is full).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { serve, newPage, closeBrowser, waitForEvent, ROOT, readFixture } from './harness.mjs';

/** Until every widget's status line has its words (written a moment after its live region comes: js/engine.js, crashed). */
const worded = (page) => page.waitForFunction(() => [...document.querySelectorAll('pave-hotspots, [data-pave-hotspots]')]
  .every((el) => !el.shadowRoot || el.shadowRoot.querySelector('[part="status"]')?.textContent));

let server;
before(async () => {
  server = await serve({
    mounts: { '/js/': join(ROOT, 'js'), '/pkg/': join(ROOT, 'pkg') },
    async handler(req, res, url) {
      // A body under the widget's 4 MiB cap, too large for a wasm memory that can't grow.
      if (url.pathname === '/big.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(`${' '.repeat(4_000_000)}{}`);
        return true;
      }
      if (url.pathname !== '/pkg/pave-hotspots.wasm') return false;
      res.writeHead(200, { 'content-type': 'application/wasm' });
      res.end(await readFile(join(ROOT, 'dist', 'pave-hotspots.wasm')));
      return true;
    },
    pages: {
      '/trap.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>trap</title></head><body>
        <img id="spin" src="/photos/frame-01.svg" data-pave-photo="5" style="width:500px" alt="">
        <pave-hotspots id="a" for="spin"></pave-hotspots><pave-hotspots id="b" for="spin"></pave-hotspots>
        <script type="module">
          import { defineElement } from '/js/element.js';
          import { guard, boot } from '/js/engine.js';
          import { HotspotOverlay } from '/js/overlay.js';
          defineElement();
          window.boot = boot;
          window.HotspotOverlay = HotspotOverlay;
          window.trap = () => guard(document.getElementById('a'), () => { throw new WebAssembly.RuntimeError('unreachable'); });
          window.ordinary = () => guard(document.getElementById('a'), () => { throw new TypeError('a page mistake'); });
        </script></body></html>`,
    },
  });
});
after(async () => { await server?.close(); await closeBrowser(); });

test('a trap turns every widget into its error state, and later calls are inert', async () => {
  const page = await newPage();
  await page.goto(`${server.url}/trap.html`);
  const sample = await readFixture('results-27-damages.json');
  await page.waitForFunction(() => customElements.get('pave-hotspots') && window.trap);
  await page.evaluate((s) => { document.getElementById('a').results = s; document.getElementById('b').results = s; }, sample);
  await waitForEvent(page, 'pave-load', () => true);
  // An ordinary JS error is not a trap: it propagates and nothing else changes.
  assert.equal(await page.evaluate(() => { try { window.ordinary(); return 'no error'; } catch (e) { return e.name; } }), 'TypeError');
  assert.equal(await page.evaluate(() => document.getElementById('a').state), 'ready');
  await page.clearEvents();
  await page.evaluate(() => window.trap());
  const errors = await page.events('pave-error');
  assert.deepEqual(errors.map((e) => [e.target, e.detail.kind]).sort(), [['a', 'malformed'], ['b', 'malformed']]);
  const states = await page.events('pave-state');
  assert.ok(states.every((e) => e.detail.state === 'error'));
  await worded(page);
  const shown = await page.evaluate(() => ['a', 'b'].map((id) => {
    const root = document.getElementById(id).shadowRoot;
    return [root.querySelectorAll('.marker').length, root.querySelector('[part="status"]')?.textContent];
  }));
  for (const [markers, text] of shown) {
    assert.equal(markers, 0);
    assert.match(text, /stopped working/);
  }
  // After the trap: methods are inert, no exception reaches the page.
  const after = await page.evaluate(() => {
    const a = document.getElementById('a');
    a.open(0); a.next(); a.close(); a.reload();
    a.setAttribute('src', '/fixtures/results-27-damages.json');
    return a.toPixels(50, 50);
  });
  assert.equal(after, null);
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('after a trap, each status line says so in its widget\'s language: an element\'s lang, an overlay\'s lang option', async () => {
  const page = await newPage();
  await page.goto(`${server.url}/trap.html`);
  const sample = await readFixture('results-27-damages.json');
  await page.waitForFunction(() => customElements.get('pave-hotspots') && window.trap);
  await page.evaluate((s) => {
    document.getElementById('b').setAttribute('lang', 'de-AT');
    document.getElementById('a').results = s;
    document.getElementById('b').results = s;
    window.HotspotOverlay.attach(document.getElementById('spin'), { results: s, lang: 'fr' });
  }, sample);
  await page.waitForFunction(() => [...document.querySelectorAll('pave-hotspots, [data-pave-hotspots]')].every((el) => el.shadowRoot?.querySelector('.marker')));
  await page.evaluate(() => window.trap());
  await worded(page);
  const shown = await page.evaluate(() => [...document.querySelectorAll('pave-hotspots, [data-pave-hotspots]')].map((el) => {
    const p = el.shadowRoot.querySelector('[part="status"]');
    return [el.id || el.localName, p.lang, p.textContent];
  }));
  assert.deepEqual(shown, [
    ['a', 'en', 'The damage viewer stopped working. Please reload the page.'],
    ['b', 'de', 'Die Schadensansicht funktioniert nicht mehr. Bitte laden Sie die Seite neu.'],
    ['div', 'fr', 'Le visualiseur de dommages a cessé de fonctionner. Veuillez recharger la page.'],
  ]);
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('a trap in a callback of the page\'s into the wasm (the response, when the wasm\'s memory is full) turns every widget into its error state too', async () => {
  const page = await newPage();
  await page.goto(`${server.url}/trap.html`);
  const sample = await readFixture('results-27-damages.json');
  await page.waitForFunction(() => customElements.get('pave-hotspots') && window.trap);
  await page.evaluate((s) => { document.getElementById('b').results = s; }, sample);
  await waitForEvent(page, 'pave-load', () => true);
  // The wasm's memory grown from outside to the 4 GiB limit: the allocator can't get more, and
  // the glue's copy of a large body into it traps, inside the callback that hands it over.
  const pages = await page.evaluate(async () => {
    const { memory } = await window.boot();
    for (let step = 1024; step >= 1;) {
      try {
        memory.grow(step);
      } catch {
        step >>= 1;
      }
    }
    return memory.buffer.byteLength / 65536;
  });
  assert.equal(pages, 65536);
  await page.clearEvents();
  await page.evaluate(() => document.getElementById('a').setAttribute('src', '/big.json'));
  await waitForEvent(page, 'pave-error');
  // (Both are told in the same call; the events come through the harness a moment apart.)
  await page.waitForTimeout(200);
  const errors = await page.events('pave-error');
  assert.deepEqual(errors.map((e) => [e.target, e.detail.kind]).sort(), [['a', 'malformed'], ['b', 'malformed']]);
  await worded(page);
  const shown = await page.evaluate(() => ['a', 'b'].map((id) => {
    const el = document.getElementById(id);
    return [el.state, el.shadowRoot.querySelectorAll('.marker').length, el.shadowRoot.querySelector('[part="status"]')?.textContent];
  }));
  for (const [state, markers, text] of shown) {
    assert.equal(state, 'error');
    assert.equal(markers, 0);
    assert.match(text, /stopped working/);
  }
  // The page's callbacks no longer reach the dead instance: a resize, a click, nothing throws.
  await page.setViewportSize({ width: 900, height: 700 });
  await page.mouse.click(200, 100);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});
