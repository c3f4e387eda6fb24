// If the wasm instance ever traps (the Rust side is written so that it never does), every widget
// on the page shows its error state and tells the page, instead of breaking it; calls after that
// do nothing and throw nothing. The trap is simulated at the one place the JS shell meets wasm.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { serve, newPage, closeBrowser, waitForEvent, ROOT, readFixture } from './harness.mjs';

let server;
before(async () => {
  server = await serve({
    mounts: { '/js/': join(ROOT, 'js'), '/pkg/': join(ROOT, 'pkg') },
    async handler(req, res, url) {
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
          import { guard } from '/js/engine.js';
          defineElement();
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
