// Pages whose globals and markup an old CMS, a tag manager or a gallery script tampered with:
// Object.prototype and Array.from changed (prototype.js), a fetch polyfill or another window's
// fetch, `for`'s id moved to another picture, the element taken into an iframe's document, the
// tag defined by somebody else first.
// Each test failed on the build before its fix (PAVE_TEST_DIST=<dir> runs them on another build).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serve, newPage, closeBrowser, settle, waitForEvent, readFixture, sendJson, markerCentres, ROOT } from './harness.mjs';

/**
 * The npm entry as a micro-frontend's sandbox (qiankun, import-html-entry) runs it: its code sees
 * `window`, `self` and `globalThis` as a proxy of the page's window.
 */
function sandboxed() {
  const dist = resolve(process.env.PAVE_TEST_DIST ?? join(ROOT, 'dist'));
  const src = readFileSync(join(dist, 'index.js'), 'utf8')
    .replace(/export\{([^}]*)\}\s*;?\s*$/, (_, names) => `window.__pave={${names.split(',').map((p) => { const [a, b] = p.split(' as '); return `${b}:${a}`; }).join(',')}};`)
    .replaceAll('import.meta.url', 'new URL("/dist/index.js", location.href).href');
  return `(function () {
  const real = window;
  const proxy = new Proxy(real, {
    get(t, k) { if (k === 'window' || k === 'self' || k === 'globalThis') return proxy; const v = Reflect.get(t, k); return typeof v === 'function' && !/^[A-Z]/.test(String(k)) ? v.bind(t) : v; },
    set(t, k, v) { t[k] = v; return true; },
  });
  (function (window, self, globalThis) { ${src} }).call(proxy, proxy, proxy, proxy);
})();`;
}

let server;
let sampleText;

/** The front photo, the element, `head` scripts run before the widget's module. */
const page = ({ head = '', body = '', widget = '<pave-hotspots id="w" for="spin" src="/api/results"></pave-hotspots>' } = {}) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>${head}</head><body style="margin:0">
<img id="spin" src="/photos/frame-01.svg" data-pave-photo="5" alt="car" style="display:block;width:600px">${widget}${body}
<script type="module" src="/dist/pave-hotspots.js"></script></body></html>`;

before(async () => {
  sampleText = await readFixture('results-27-damages.json');
  server = await serve({
    pages: {
      // An old library's additions to Object.prototype: a value and a function, enumerable.
      '/proto.html': page({ head: "<script>Object.prototype.foo = 'bar'; Object.prototype.clone = function () { return this; };</script>" }),
      // prototype.js 1.7 (Magento 1): Array.from is $A, which takes no map function.
      '/arrayfrom.html': page({ head: '<script>Array.from = function (it) { return it ? Array.prototype.slice.call(it) : []; };</script>' }),
      // A fetch polyfill (whatwg-fetch): its responses have no `body` stream.
      '/polyfill.html': page({
        head: `<script>
          const native = window.fetch.bind(window);
          // (For the data: the wasm's own request, made by wasm-bindgen's loader, is native.)
          window.fetch = (url, init) => !String(url).includes('/api/') ? native(url, init) : native(url, init).then(async (r) => {
            const bytes = await r.arrayBuffer();
            return { status: r.status, ok: r.ok, headers: r.headers, url: r.url, arrayBuffer: async () => bytes.slice(0), text: async () => new TextDecoder().decode(bytes) };
          });
        </script>`,
      }),
      // A fetch taken from a same-origin iframe: its chunks are that window's Uint8Arrays.
      '/realm.html': page({
        widget: '',
        body: `<iframe id="f" src="/blank.html" style="display:none"></iframe><script>
          document.getElementById('f').addEventListener('load', () => {
            window.fetch = document.getElementById('f').contentWindow.fetch;
            document.body.insertAdjacentHTML('beforeend', '<pave-hotspots id="w" for="spin" src="/api/results"></pave-hotspots>');
          });
        </script>`,
      }),
      '/blank.html': '<!doctype html><title>b</title>',
      '/ids.html': page({ body: '<img id="other" src="/photos/frame-05.svg" data-pave-photo="7" alt="car, right" style="display:block;width:400px">' }),
      '/iframe.html': page({
        widget: '<div id="wrap"><pave-hotspots id="w" for="spin" src="/api/results"></pave-hotspots></div>',
        body: '<iframe id="f" src="/blank.html" style="width:700px;height:300px;border:0"></iframe>',
      }),
      '/sandbox.html': page({ body: '<script src="/sub.js"></script><script>window.__pave.defineElement();</script>' }).replace('<script type="module" src="/dist/pave-hotspots.js"></script>', ''),
      '/taken.html': page({ head: "<script>customElements.define('pave-hotspots', class extends HTMLElement {});</script>" }),
    },
    async handler(req, res, url) {
      if (url.pathname === '/api/results') {
        sendJson(res, 200, sampleText);
        return true;
      }
      if (url.pathname === '/sub.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(sandboxed());
        return true;
      }
      return false;
    },
  });
});
after(async () => { await server?.close(); await closeBrowser(); });

/** pave-load's counts and the markers shown. */
async function loaded(p) {
  const d = await waitForEvent(p, 'pave-load');
  await p.waitForFunction(() => document.getElementById('spin').complete);
  await settle(p); await settle(p);
  return { photos: d.photos.length, damages: d.damages.length, first: d.damages[0]?.name ?? null, shown: Object.keys(await markerCentres(p)).length };
}

test('Object.prototype with enumerable additions (an old library): the widget loads, its elements get no stray attributes', async () => {
  const p = await newPage();
  await p.goto(`${server.url}/proto.html`);
  const got = await loaded(p);
  assert.deepEqual(got, { photos: 4, damages: 27, first: got.first, shown: 10 });
  assert.ok(got.first, 'a damage name');
  const stray = await p.evaluate(() => [...document.getElementById('w').shadowRoot.querySelectorAll('[foo], [clone]')].length);
  assert.equal(stray, 0);
  assert.deepEqual(p.errors(), []);
  await p.closeAll();
});

test("prototype.js's Array.from: the events' details are whole", async () => {
  const p = await newPage();
  await p.goto(`${server.url}/arrayfrom.html`);
  const got = await loaded(p);
  assert.equal(got.damages, 27);
  assert.equal(typeof got.first, 'string');
  await p.evaluate(() => document.getElementById('w').open(0));
  const d = await waitForEvent(p, 'pave-open');
  assert.equal(d?.index, 0);
  assert.equal(typeof d.damage.name, 'string');
  assert.deepEqual(p.errors(), []);
  await p.closeAll();
});

test('a fetch polyfill whose responses have no body stream, and another window\'s fetch: the report is read', async () => {
  for (const path of ['/polyfill.html', '/realm.html']) {
    const p = await newPage();
    await p.goto(`${server.url}${path}`);
    const got = await loaded(p);
    assert.deepEqual([got.damages, got.shown], [27, 10], path);
    assert.deepEqual(await p.events('pave-error'), [], path);
    assert.deepEqual(p.errors(), []);
    await p.closeAll();
  }
});

test("`for`'s id moved to another picture (a gallery): the markers go to it", async () => {
  const p = await newPage();
  await p.goto(`${server.url}/ids.html`);
  assert.equal((await loaded(p)).shown, 10);
  const onOther = async () => {
    const box = await p.evaluate(() => { const r = document.querySelector('img[data-pave-photo="7"]').getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; });
    const c = Object.values(await markerCentres(p, '#w'));
    return c.length > 0 && c.every(({ x, y }) => x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3]) ? c.length : `${JSON.stringify(c.slice(0, 2))} not in ${box}`;
  };
  // The old one gives its id up, then the new one takes it.
  await p.evaluate(() => { document.getElementById('spin').id = 'old'; document.getElementById('other').id = 'spin'; });
  await settle(p); await settle(p);
  // (Some of its 11 damages in clusters, at this width.)
  const got = await onOther();
  assert.ok(typeof got === 'number' && got >= 2, `markers over the picture now named: ${got}`);
  // And back, the new one named first (two with that id for a moment).
  await p.evaluate(() => { document.getElementById('old').id = 'spin'; document.querySelector('img[data-pave-photo="7"]').id = 'x'; });
  await settle(p); await settle(p);
  assert.equal(Object.keys(await markerCentres(p, '#w')).length, 10);
  assert.deepEqual(p.errors(), []);
  await p.closeAll();
});

test("the element taken into an iframe's document says why it can't show there, and starts again when put back", async () => {
  const p = await newPage();
  await p.goto(`${server.url}/iframe.html`);
  await loaded(p);
  await p.evaluate(() => {
    const fd = document.getElementById('f').contentDocument;
    fd.addEventListener('pave-error', (e) => { window.__told = e.detail.message; });
    fd.body.append(fd.adoptNode(document.getElementById('wrap')));
  });
  await p.waitForFunction(() => window.__told);
  assert.match(await p.evaluate(() => window.__told), /another window/);
  assert.equal(await p.evaluate(() => document.getElementById('f').contentDocument.getElementById('w').state), 'error');
  await p.evaluate(() => { document.body.append(document.adoptNode(document.getElementById('f').contentDocument.getElementById('wrap'))); window.__paveEvents.length = 0; });
  assert.equal((await loaded(p)).shown, 10);
  assert.equal(await p.evaluate(() => document.getElementById('w').state), 'ready');
  await p.closeAll();
});

test('the tag defined by another script first: a console warning says so', async () => {
  const p = await newPage();
  const warnings = [];
  p.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  await p.goto(`${server.url}/taken.html`);
  await p.waitForFunction(() => document.querySelector('script[type=module]') && customElements.get('pave-hotspots'));
  await p.waitForTimeout(300);
  assert.ok(warnings.some((w) => /already defined by another script/.test(w)), `warnings: ${warnings}`);
  await p.closeAll();
});

test("a micro-frontend's sandbox (window a proxy of the page's, as qiankun makes it): the element shows its markers", async () => {
  const p = await newPage();
  await p.goto(`${server.url}/sandbox.html`);
  const got = await loaded(p);
  assert.deepEqual([got.damages, got.shown], [27, 10]);
  assert.deepEqual(await p.events('pave-error'), []);
  await p.closeAll();
});
