// The hostile-input corpus (tests/corpus/, see its README.md) in real Chromium: every entry
// served with its status to ONE <pave-hotspots for="spin"> whose `src` changes, then the same
// bodies through the `results` property (string and object), then a few JavaScript values no
// JSON text can make. For each: the expected event, no uncaught error, no script run, no element
// of the payload in the DOM, and the element still loads the 27-damage sample afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { ROOT, serve, newPage, html, closeBrowser, sendJson } from './harness.mjs';

const CORPUS = join(ROOT, 'tests', 'corpus');
const MANIFEST = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8'));
const SAMPLE = readFileSync(join(ROOT, 'tests', 'fixtures', 'pave', 'results-27-damages.json'));
/** A guard so a hung load fails with a message instead of hanging the run (not a timing assertion). */
const GUARD_MS = 20000;

// ---- The manifest's generators (tests/corpus.rs has the same ones).
function generate(g) {
  switch (g.kind) {
    case 'pad': {
      const head = '{"success":true,"data":[],"pad":"';
      const tail = '"}';
      return Buffer.from(head + 'x'.repeat(g.bytes - head.length - tail.length) + tail);
    }
    case 'damages': {
      const items = Array.from({ length: g.count }, (_, i) => `{"coodrs":{"x":${i % 100},"y":${Math.floor(i / 100) % 100}}}`);
      return Buffer.from(`{"success":true,"message":"generated","data":[{"photo_code":5,"photo_label":"Front","url":"","inspection_data":[${items.join(',')}]}]}`);
    }
    case 'photos': {
      const photos = Array.from({ length: g.count }, (_, i) => `{"photo_code":${i},"inspection_data":[{"coodrs":{"x":50,"y":50}}]}`);
      return Buffer.from(`{"success":true,"data":[${photos.join(',')}]}`);
    }
    case 'junk':
      return Buffer.from(`{"success":true,"data":[{"photo_code":5,"inspection_data":[{"coodrs":{"x":50,"y":50}},${Array(g.count).fill('0').join(',')}]}]}`);
    case 'deep': {
      const n = g.depth;
      if (g.shape === 'unclosed') return Buffer.from('['.repeat(n));
      const deep = g.shape === 'object' ? '{"a":'.repeat(n) + 'null' + '}'.repeat(n) : '['.repeat(n) + ']'.repeat(n);
      return Buffer.from(g.shape === 'bare-array' ? deep : `{"success":true,"data":[],"deep":${deep}}`);
    }
    case 'long-text': {
      const long = `"${JSON.stringify(g.unit).slice(1, -1).repeat(g.repeat)}"`;
      const label = g.field === 'photo_label' ? long : '"Front"';
      const description = g.field === 'description' ? long : '"Scraped"';
      return Buffer.from(`{"success":true,"message":"long","data":[{"photo_code":5,"photo_label":${label},"url":"","inspection_data":[{"damage_group":"BODY","component":"DOOR_REAR_LEFT","description":${description},"coodrs":{"x":50,"y":50}}]}]}`);
    }
    default: throw new Error(`unknown generator ${g.kind}`);
  }
}

const entries = MANIFEST.entries.map((e, i) => {
  const name = e.file ?? e.name;
  // The browser's view: `expect`, overridden by `browser` (a class in it replaces the whole).
  const expect = e.browser ? (e.browser.class ? { ...e.browser } : { ...e.expect, ...e.browser }) : e.expect;
  return { ...e, i, name, expect, todo: e.browser_bug ? `bug ${e.browser_bug}: ${MANIFEST.bugs[e.browser_bug]}` : undefined };
});
const bodies = new Map();
const bodyOf = (e) => {
  if (!bodies.has(e.i)) bodies.set(e.i, e.generate ? generate(e.generate) : readFileSync(join(CORPUS, e.file)));
  return bodies.get(e.i);
};
const gzipped = new Map();
const TYPES = { '.json': 'application/json', '.html': 'text/html', '.txt': 'text/plain', '.xml': 'application/xml', '.bin': 'application/octet-stream' };
const isUtf8 = (buf) => { try { new TextDecoder('utf-8', { fatal: true }).decode(buf); return true; } catch { return false; } };

let server;
let page;
const dialogs = [];

before(async () => {
  if (!existsSync(join(ROOT, 'dist', 'pave-hotspots.js'))) throw new Error('dist/ is missing: run `node scripts/build.mjs` first');
  if (!existsSync(join(ROOT, 'www', 'generated', 'photos', 'frame-01.svg'))) {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'gen-photos.mjs'), join(ROOT, 'www', 'generated', 'photos'), '--quiet']);
  }
  server = await serve({
    pages: {
      '/': html(`<img id="spin" data-pave-photo="5" src="/photos/frame-01.svg" alt="car" style="display:block;width:600px;height:450px">
<pave-hotspots id="w" for="spin" list="open"></pave-hotspots>
<pave-hotspots id="viewer" list="open" style="display:block;width:600px;height:450px"></pave-hotspots>`),
    },
    handler(req, res, url) {
      const m = /^\/corpus\/(\d+)$/.exec(url.pathname);
      if (url.pathname === '/sample') {
        sendJson(res, 200, SAMPLE);
        return true;
      }
      if (!m) return false;
      const e = entries[Number(m[1])];
      const body = bodyOf(e);
      const ext = /\.[a-z]+$/.exec(e.file ?? '')?.[0];
      const headers = { 'content-type': TYPES[ext] ?? 'application/json', 'cache-control': 'no-store' };
      if (e.serve?.gzip) {
        // Content-Encoding: the browser inflates; the widget's reader must stop at its cap.
        gzipped.has(e.i) || gzipped.set(e.i, gzipSync(body, { level: 9 }));
        res.writeHead(e.status, { ...headers, 'content-encoding': 'gzip', 'content-length': gzipped.get(e.i).length });
        res.end(gzipped.get(e.i));
      } else if (e.serve?.chunked) {
        // No Content-Length: the widget must stop reading at its cap.
        res.writeHead(e.status, headers);
        for (let at = 0; at < body.length && !res.destroyed; at += 65536) res.write(body.subarray(at, at + 65536));
        res.end();
      } else {
        res.writeHead(e.status, { ...headers, 'content-length': body.length });
        res.end(body);
      }
      return true;
    },
  });
  page = await newPage();
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  await page.goto(`${server.url}/`);
  await page.waitForFunction(() => customElements.get('pave-hotspots') && document.getElementById('w').shadowRoot);
  await page.evaluate((guardMs) => {
    // Sets something on an element and resolves with the first outcome event: pave-load,
    // pave-error, or pave-state `inspecting` (which has no event of its own).
    window.__outcome = (id, act) => new Promise((resolve, reject) => {
      const el = document.getElementById(id);
      const off = () => { for (const [t, f] of handlers) el.removeEventListener(t, f); clearTimeout(timer); };
      const done = (type, detail) => { off(); resolve({ type, detail: window.__summary(detail) }); };
      const handlers = [
        ['pave-load', (e) => done('pave-load', e.detail)],
        ['pave-error', (e) => done('pave-error', e.detail)],
        ['pave-state', (e) => { if (e.detail.state === 'inspecting') done('pave-state', e.detail); }],
      ];
      for (const [t, f] of handlers) el.addEventListener(t, f);
      const timer = setTimeout(() => { off(); reject(new Error(`no outcome within ${guardMs} ms (state ${el.state})`)); }, guardMs);
      try { act(el); } catch (error) { off(); reject(error); }
    });
    // pave-load's detail without the bulk (10,000 damages need not cross the protocol).
    window.__summary = (d) => (d && Array.isArray(d.damages)
      ? { photos: d.photos.length, damages: d.damages.length, skipped: d.skipped.slice(0, 50), first: d.damages[0] ?? null }
      : JSON.parse(JSON.stringify(d)));
    window.__twoFrames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    window.__lightCount = document.querySelectorAll('*').length;
  }, GUARD_MS);
});

after(async () => {
  await page?.closeAll();
  await closeBrowser();
  await server?.close();
});

/** Everything a payload must never achieve, checked in the page. Returns a list of problems. */
async function inspect(allowedTags) {
  return page.evaluate(async (allowed) => {
    await window.__twoFrames();
    const problems = [];
    if (window.__pwned !== undefined) problems.push(`window.__pwned = ${window.__pwned}`);
    if (Object.prototype.polluted !== undefined || ({}).success !== undefined || ({}).x !== undefined) problems.push('Object.prototype polluted');
    if (document.querySelectorAll('*').length !== window.__lightCount) problems.push('elements were added to the light DOM');
    if (document.querySelectorAll('script').length !== 1) problems.push('a <script> appeared in the document');
    for (const id of ['w', 'viewer']) {
      const root = document.getElementById(id).shadowRoot;
      for (const el of root.querySelectorAll('*')) {
        const tag = el.tagName.toLowerCase();
        if (allowed && !allowed.includes(tag)) problems.push(`#${id}: unexpected <${tag}> in the shadow root`);
        for (const a of el.attributes) {
          if (/^on/i.test(a.name) || a.name === 'srcdoc') problems.push(`#${id}: <${tag} ${a.name}>`);
          if (/^(src|href|action|formaction|data|xlink:href)$/i.test(a.name) && /^\s*(javascript|data|blob|vbscript):/i.test(a.value)) {
            problems.push(`#${id}: <${tag} ${a.name}="${a.value.slice(0, 60)}">`);
          }
        }
      }
      if (root.querySelectorAll('script, iframe, object, embed, frame, svg, math, style, link, base, form, a[href]').length) {
        problems.push(`#${id}: markup from the payload in the shadow root`);
      }
    }
    return problems;
  }, allowedTags);
}

/** Checks an outcome against an expectation (the manifest's classes, as the element shows them). */
function check(outcome, expect, status, where) {
  const { type, detail } = outcome;
  const got = `${type} ${JSON.stringify(detail).slice(0, 300)}`;
  switch (expect.class) {
    case 'results':
      if (expect.damages === 0 && expect.skipped > 0) {
        // Nothing placeable is an error for the element.
        assert.equal(type, 'pave-error', `${where}: ${got}`);
        assert.equal(detail.kind, 'malformed', `${where}: ${got}`);
        assert.match(detail.message, /none of the damages could be placed/, where);
      } else {
        assert.equal(type, 'pave-load', `${where}: ${got}`);
        assert.equal(detail.damages, expect.damages, `${where}: damages`);
        assert.equal(detail.skipped.length, Math.min(expect.skipped, 50), `${where}: skipped ${JSON.stringify(detail.skipped).slice(0, 400)}`);
      }
      break;
    case 'empty-results':
    case 'no-damage':
      assert.equal(type, 'pave-load', `${where}: ${got}`);
      assert.deepEqual([detail.photos, detail.damages, detail.skipped.length], [0, 0, 0], where);
      break;
    case 'inspecting':
      assert.equal(type, 'pave-state', `${where}: ${got}`);
      break;
    case 'not-found':
      assert.equal(type, 'pave-error', `${where}: ${got}`);
      assert.equal(detail.kind, 'not-found', `${where}: ${got}`);
      break;
    case 'http':
      assert.equal(type, 'pave-error', `${where}: ${got}`);
      assert.equal(detail.kind, 'http', `${where}: ${got}`);
      assert.equal(detail.status, expect.status ?? status, `${where}: ${got}`);
      break;
    case 'malformed':
      assert.equal(type, 'pave-error', `${where}: ${got}`);
      assert.equal(detail.kind, 'malformed', `${where}: ${got}`);
      assert.ok(detail.message.includes(expect.reason), `${where}: message ${JSON.stringify(detail.message)} lacks ${JSON.stringify(expect.reason)}`);
      break;
    default:
      throw new Error(`unknown class ${expect.class}`);
  }
}

/** After a payload loaded: its text is shown as text, in the list and in the popover. */
async function checkShownAsText(detail) {
  const shown = await page.evaluate(async () => {
    const el = document.getElementById('w');
    const whats = [...el.shadowRoot.querySelectorAll('.what')].map((n) => n.textContent);
    el.open(0);
    await window.__twoFrames();
    const pop = el.shadowRoot.querySelector('[part~="popover"]');
    const title = pop && !pop.hidden ? pop.querySelector('.title')?.textContent : null;
    el.close();
    return { whats, title };
  });
  const d = detail.first;
  const title = d.description.trim() ? d.description : null;
  if (title !== null) {
    assert.ok(shown.whats.includes(title), `the list shows the description as text: ${JSON.stringify(shown.whats).slice(0, 300)}`);
    shownAsText.list++;
    if (shown.title !== null) {
      assert.equal(shown.title, title, 'the popover shows the description as text');
      shownAsText.popover++;
    }
  }
}
/** How many payloads were seen as text in the list and in an open popover (must not stay 0). */
const shownAsText = { list: 0, popover: 0 };

let allowedTags = null;
let n = 0;
const srcOf = (path) => `${path}${path.includes('?') ? '&' : '?'}n=${++n}`;

async function loadSample(id = 'w') {
  const out = await page.evaluate(({ id, src }) => window.__outcome(id, (el) => el.setAttribute('src', src)), { id, src: srcOf('/sample') });
  assert.equal(out.type, 'pave-load', `recovery: ${JSON.stringify(out).slice(0, 300)}`);
  assert.equal(out.detail.damages, 27, 'recovery: the sample loads');
  return out;
}

test('the sample loads, and sets which elements the shadow root may hold', async () => {
  await loadSample();
  allowedTags = await page.evaluate(() => [...new Set(['w', 'viewer'].flatMap((id) => [...document.getElementById(id).shadowRoot.querySelectorAll('*')])
    .map((e) => e.tagName.toLowerCase()))]);
  // The popover's close-up image appears only once a popover has opened.
  allowedTags.push('img');
  assert.deepEqual(await inspect(allowedTags), []);
});

test(`every corpus entry through src (${entries.length} entries), then the sample again`, async (t) => {
  assert.ok(entries.length >= 60);
  for (const e of entries) {
    await t.test(`${e.name} (${e.status})`, { todo: e.todo }, async () => {
      const out = await page.evaluate(({ src }) => window.__outcome('w', (el) => el.setAttribute('src', src)), { src: srcOf(`/corpus/${e.i}`) });
      check(out, e.expect, e.status, e.name);
      if (e.expect.class === 'empty-results' || e.expect.class === 'no-damage') {
        assert.equal(await page.evaluate(() => document.getElementById('w').state), 'empty');
      }
      if (e.payload && out.type === 'pave-load' && out.detail.damages) await checkShownAsText(out.detail);
      assert.deepEqual(await inspect(allowedTags), [], e.name);
      assert.deepEqual(page.errors(), [], `${e.name}: uncaught errors`);
      assert.deepEqual(dialogs, [], `${e.name}: a dialog opened`);
      await loadSample();
    });
  }
});

/** Sets `results` on #w to the sample again; it must load. */
async function resultsSample(where) {
  const back = await page.evaluate(async () => {
    const sample = await (await fetch('/sample')).json();
    return window.__outcome('w', (el) => { el.results = sample; });
  });
  assert.equal(back.detail.damages, 27, `${where}: recovery`);
}

test('the UTF-8 bodies of status-200 entries through the `results` property, as a string and as an object', async (t) => {
  // The 10,000-damage and 399,000-skip entries cost seconds each; `src` covered them.
  const cheap = (e) => !(e.expect.class === 'results' && (e.expect.damages >= 1000 || e.expect.skipped >= 1000));
  for (const e of entries.filter((e) => e.status === 200 && isUtf8(bodyOf(e)) && cheap(e))) {
    await t.test(e.name, { todo: e.todo }, async () => {
      const url = `/corpus/${e.i}`;
      // The page reads the body itself: no 10 MB arguments through the protocol.
      const asString = await page.evaluate(async ({ url }) => {
        const text = await (await fetch(url)).text();
        return window.__outcome('w', (el) => { el.results = text; });
      }, { url });
      check(asString, e.expect, 200, `${e.name} (string)`);
      await resultsSample(e.name);
      // JSON.parse has no size cap and reads what our text rules refuse: those entries say
      // nothing as objects. Nor do bodies that parse to null (clears `results`) or a string
      // (read as JSON text again).
      if (e.expect.class !== 'malformed' || !/too large|not valid JSON|empty/.test(e.expect.reason)) {
        const asObject = await page.evaluate(async ({ url }) => {
          const text = await (await fetch(url)).text();
          let value;
          try { value = JSON.parse(text.replace(/^\uFEFF/, '')); } catch { return null; }
          if (value === null || typeof value === 'string') return null;
          return window.__outcome('w', (el) => { el.results = value; });
        }, { url });
        if (asObject) {
          check(asObject, e.expect, 200, `${e.name} (object)`);
          await resultsSample(e.name);
        }
      }
      assert.deepEqual(await inspect(allowedTags), [], e.name);
      assert.deepEqual(page.errors(), [], `${e.name}: uncaught errors`);
      assert.deepEqual(dialogs, [], `${e.name}: a dialog opened`);
    });
  }
  // Back to `src`.
  await page.evaluate(() => { document.getElementById('w').results = null; });
});

test('payloads through the `results` attribute are text too', async () => {
  for (const e of entries.filter((e) => /^xss-/.test(e.name))) {
    const out = await page.evaluate(async ({ url }) => {
      const text = await (await fetch(url)).text();
      return window.__outcome('w', (el) => el.setAttribute('results', text));
    }, { url: `/corpus/${e.i}` });
    check(out, e.expect, 200, `${e.name} (attribute)`);
    await checkShownAsText(out.detail);
    assert.deepEqual(await inspect(allowedTags), [], e.name);
  }
  await page.evaluate(() => document.getElementById('w').removeAttribute('results'));
  await loadSample();
  assert.deepEqual(page.errors(), []);
  assert.deepEqual(dialogs, []);
});

// JavaScript values the page may hand to `results` (or `photoMap`) that no JSON text can make.
// The expectation is the model's rule: one bad item is skipped, a body the reader can't walk is
// malformed, nothing escapes as an exception, and the element keeps working. Each case gets a
// fresh element on its own page, so one that breaks an element can't hide the next.
const BUGS = {};
const JS_VALUES = [
  { name: 'a cyclic object', expect: { class: 'malformed', reason: 'nests deeper than 32' },
    make: () => { const o = { success: true, data: [] }; o.data.push(o); return o; } },
  { name: 'a 10-million-slot sparse array', expect: { class: 'malformed', reason: 'more than 400000 values' },
    make: () => ({ success: true, data: new Array(1e7) }) },
  { name: 'an object without a prototype', expect: { class: 'results', damages: 1, skipped: 0 },
    make: () => Object.assign(Object.create(null), { success: true, data: [{ photo_code: 5, inspection_data: [{ coodrs: { x: 1, y: 2 } }] }] }) },
  { name: 'a number', expect: { class: 'malformed', reason: 'expected an object' }, make: () => 42 },
  { name: 'an array', expect: { class: 'malformed', reason: 'expected an object' }, make: () => [] },
  { name: 'an empty string', expect: { class: 'malformed', reason: 'empty' }, make: () => '' },
  { name: 'undefined coordinates and description', expect: { class: 'results', damages: 1, skipped: 1 },
    make: () => ({ success: true, data: [{ photo_code: 5, inspection_data: [{ coodrs: { x: undefined, y: 1 } }, { coodrs: { x: 1, y: 1 }, description: undefined }] }] }) },
  // Values JSON has no words for read as null (bigint, symbol, function) or as their own
  // enumerable keys (Map: none; typed array: "0", "1"…), as JSON.stringify would write them.
  { name: 'a BigInt coordinate (read as null)', expect: { class: 'results', damages: 1, skipped: 1 },
    make: () => ({ success: true, data: [{ photo_code: 5, inspection_data: [{ coodrs: { x: 10n, y: 20 } }, { coodrs: { x: 1, y: 1 } }] }] }) },
  { name: 'a Map as coodrs (no own keys)', expect: { class: 'results', damages: 1, skipped: 1 },
    make: () => ({ success: true, data: [{ photo_code: 5, inspection_data: [{ coodrs: new Map([['x', 10], ['y', 20]]) }, { coodrs: { x: 1, y: 1 } }] }] }) },
  { name: 'a Symbol description', expect: { class: 'results', damages: 2, skipped: 0 },
    make: () => ({ success: true, data: [{ photo_code: 5, inspection_data: [{ coodrs: { x: 10, y: 20 }, description: Symbol('x') }, { coodrs: { x: 1, y: 1 } }] }] }) },
  { name: 'a function description (never called)', expect: { class: 'results', damages: 2, skipped: 0 },
    make: () => ({ success: true, data: [{ photo_code: 5, inspection_data: [{ coodrs: { x: 10, y: 20 }, description() { window.__pwned = 1; } }, { coodrs: { x: 1, y: 1 } }] }] }) },
  { name: 'a typed array as coodrs', expect: { class: 'results', damages: 1, skipped: 1 },
    make: () => ({ success: true, data: [{ photo_code: 5, inspection_data: [{ coodrs: new Float64Array([10, 20]) }, { coodrs: { x: 1, y: 1 } }] }] }) },
  { name: 'a getter that throws (read as null)', expect: { class: 'malformed', reason: 'expected an array (at data)' },
    make: () => ({ success: true, get data() { throw new Error('boom from a getter'); } }) },
  { name: 'a Proxy whose ownKeys trap throws', expect: { class: 'malformed', reason: '' },
    make: () => new Proxy({ success: true, data: [] }, { ownKeys() { throw new Error('boom from ownKeys'); } }) },
  { name: 'an array whose index getter throws', expect: { class: 'results', damages: 1, skipped: 1 },
    make: () => {
      const items = [{ coodrs: { x: 1, y: 1 } }, null];
      Object.defineProperty(items, 1, { get() { throw new Error('boom from an index'); } });
      return { success: true, data: [{ photo_code: 5, inspection_data: items }] };
    } },
  // A photoMap is read by the JS shell before the engine sees it: what throws reaches the caller.
  { name: 'a photoMap whose getter throws', expect: null, throws: 'boom from photoMap', property: 'photoMap',
    make: () => ({ get 'frame-01.svg'() { throw new Error('boom from photoMap'); } }) },
];

test('JavaScript values no JSON text can make, through the `results` and `photoMap` properties', async (t) => {
  const jsPage = await newPage();
  await jsPage.goto(`${server.url}/`);
  await jsPage.waitForFunction(() => customElements.get('pave-hotspots') && document.getElementById('w').shadowRoot);
  for (const v of JS_VALUES) {
    await t.test(v.name, { todo: v.bug ? `bug ${v.bug}: ${BUGS[v.bug]}` : undefined }, async () => {
      const out = await jsPage.evaluate(async ({ source, property, guardMs }) => {
        const make = new Function(`return (${source})`)();
        const el = document.createElement('pave-hotspots');
        el.setAttribute('for', 'spin');
        document.body.append(el);
        await customElements.whenDefined('pave-hotspots');
        const outcome = (act) => new Promise((resolve) => {
          const off = () => { for (const [t, f] of handlers) el.removeEventListener(t, f); clearTimeout(timer); };
          const summary = (d) => (d && Array.isArray(d.damages)
            ? { photos: d.photos.length, damages: d.damages.length, skipped: d.skipped, first: d.damages[0] ?? null } : d);
          const done = (type, detail) => { off(); resolve({ type, detail: JSON.parse(JSON.stringify(summary(detail))) }); };
          const handlers = [['pave-load', (e) => done('pave-load', e.detail)], ['pave-error', (e) => done('pave-error', e.detail)]];
          for (const [t, f] of handlers) el.addEventListener(t, f);
          const timer = setTimeout(() => { off(); resolve({ type: 'nothing', detail: `no outcome within ${guardMs} ms (state ${el.state})` }); }, guardMs);
          try { act(); } catch (error) { off(); resolve({ type: 'thrown', detail: String(error?.message ?? error) }); }
        });
        const first = property === 'photoMap'
          ? await (async () => { try { el.photoMap = make(); return null; } catch (error) { return { type: 'thrown', detail: String(error?.message ?? error) }; } })()
          : await outcome(() => { el.results = make(); });
        // Whatever happened, the same element must then load the sample from `src`.
        const recovery = await outcome(() => { el.results = null; el.setAttribute('src', `/sample?js=${Math.random()}`); });
        el.remove();
        return { first, recovery, pwned: window.__pwned };
      }, { source: v.make.toString(), property: v.property, guardMs: 2000 });
      if (v.expect) check(out.first, v.expect, 200, v.name);
      else if (v.throws) assert.deepEqual(out.first, { type: 'thrown', detail: v.throws }, v.name);
      else assert.equal(out.first, null, `${v.name}: ${JSON.stringify(out.first)}`);
      assert.equal(out.recovery.type, 'pave-load', `${v.name}: recovery ${JSON.stringify(out.recovery).slice(0, 200)}`);
      assert.equal(out.recovery.detail.damages, 27, `${v.name}: recovery`);
      assert.equal(out.pwned, undefined);
      assert.deepEqual(jsPage.errors(), [], `${v.name}: uncaught errors`);
    });
    // A broken element's errors must not leak into the next case.
    jsPage.errors().length = 0;
  }
  await jsPage.closeAll();
});

test('the element\'s own viewer (no `for`) never loads a refused photo URL', async () => {
  const e = entries.find((x) => x.name === 'url-many.json');
  const out = await page.evaluate(({ src }) => window.__outcome('viewer', (el) => el.setAttribute('src', src)), { src: srcOf(`/corpus/${e.i}`) });
  check(out, e.expect, 200, e.name);
  const seen = await page.evaluate(async (count) => {
    const el = document.getElementById('viewer');
    const srcs = new Set();
    for (let i = 0; i < count; i++) {
      el.open(i);
      await window.__twoFrames();
      for (const img of el.shadowRoot.querySelectorAll('img')) if (img.getAttribute('src')) srcs.add(img.getAttribute('src'));
    }
    el.close();
    return [...srcs];
  }, out.detail.damages);
  const origin = new URL(server.url).origin;
  for (const src of seen) {
    const u = new URL(src, server.url);
    const ok = u.protocol === 'https:' || (u.protocol === 'http:' && (u.origin === origin || ['[::1]', 'localhost'].includes(u.hostname)));
    assert.ok(ok, `the viewer loaded ${src}`);
  }
  assert.ok(seen.length > 0, 'the viewer showed some photo');
  assert.deepEqual(await inspect(allowedTags), []);
  assert.deepEqual(page.errors(), []);
  assert.deepEqual(dialogs, []);
});

test('nothing ran, late: no payload fired after its entry was replaced', async () => {
  assert.ok(shownAsText.list > 10 && shownAsText.popover > 10, `payloads checked as text: ${JSON.stringify(shownAsText)}`);
  await page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(page.errors(), []);
});
