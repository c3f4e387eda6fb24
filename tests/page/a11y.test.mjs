// Accessibility: every damage reachable and understandable without a mouse or sight. axe-core
// (WCAG 2.0/2.1/2.2 A and AA rules, descending into the open shadow root) in every state, a
// keyboard-only walk through all 27 sample damages across the 4 photos, the accessibility tree
// as a screen reader gets it, contrast and target sizes computed from the rendered styles, touch,
// and the forced-colors and reduced-motion modes (with screenshots in docs/screenshots/).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { serve, newPage, closeBrowser, settle, transitionsDone, waitForEvent, readFixture, ROOT, sendJson, screenshotPixels } from './harness.mjs';

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const FRAME_OF = { 5: 'frame-01', 7: 'frame-05', 8: 'frame-09', 4: 'frame-13' };
// Written to tests/page/out/screenshots/, or to docs/screenshots/ (committed) with UPDATE_SCREENSHOTS=1.
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'screenshots') : join(ROOT, 'tests', 'page', 'out', 'screenshots');

let server;
let axeSource;
let sample;
let sampleText;
/** The sample's damages in document order (what `index` counts). */
let damages;
let releaseLoading = () => {};
let flaky = 0;

/** A plain one-colour picture. */
const plain = (fill, w = 1200, h = 900) => `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><rect width="${w}" height="${h}" fill="${fill}"/></svg>`;

/**
 * A realistic dealer page: header with a link and the h1, a main landmark, the car photo with its
 * alt, the widget, a footer link. The spin viewer is minimal: it turns when the widget asks.
 */
function hostPage({ widget, img = '<img id="spin" src="/photos/frame-01.svg" alt="2009 BMW 3 Series, front view" style="display:block;width:900px">', css = '' }) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>2009 BMW 3 Series – Example Motors</title>
<style>body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1b1f24;background:#fff} header,main,footer{padding:8px 24px} ${css}</style></head>
<body>
<header><a href="/inventory" id="top-link">Back to inventory</a><h1>2009 BMW 3 Series 328i</h1></header>
<main>
  <h2>Photos and condition</h2>
  ${img}
  ${widget}
</main>
<footer><a href="/contact" id="contact">Contact the dealer</a></footer>
<script>
  // The page's spin viewer: frame per PAVE photo code.
  const FRAME_OF = ${JSON.stringify(FRAME_OF)};
  document.addEventListener('pave-photo-request', (e) => {
    const img = document.getElementById('spin');
    if (img) img.src = '/photos/' + FRAME_OF[e.detail.photoCode] + '.svg';
  });
  const el = document.querySelector('pave-hotspots');
  if (el) el.photoMap = { 'frame-01.svg': 5, 'frame-05.svg': 7, 'frame-09.svg': 8, 'frame-13.svg': 4 };
</script>
<script type="module" src="/dist/pave-hotspots.js"></script>
</body></html>`;
}

before(async () => {
  axeSource = await readFile(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  sampleText = await readFixture('results-27-damages.json');
  sample = JSON.parse(sampleText);
  damages = sample.data.flatMap((p) => p.inspection_data.map((d) => ({ ...d, photoCode: p.photo_code })));
  const notInspected = await readFixture('not-yet-inspected.json');
  const notFound = await readFixture('session-not-found.json');
  const noDamage = await readFixture('no-damage.json');
  // The sample with its photo URLs on this server, for the built-in viewer.
  const local = JSON.parse(sampleText);
  const PHOTO_FILE = { 4: 'photo-04-left', 5: 'photo-05-front', 7: 'photo-07-right', 8: 'photo-08-rear' };
  for (const p of local.data) p.url = `/photos/${PHOTO_FILE[p.photo_code]}.svg`;
  const json = sendJson;
  server = await serve({
    pages: {
      '/dealer.html': hostPage({ widget: '<pave-hotspots for="spin" src="/api/results"></pave-hotspots>' }),
      '/narrow.html': hostPage({
        img: '<img id="spin" src="/photos/frame-13.svg" alt="2009 BMW 3 Series, left side" style="display:block;width:400px">',
        widget: '<pave-hotspots for="spin" src="/api/results"></pave-hotspots>',
      }),
      '/state.html': hostPage({ widget: '<pave-hotspots for="spin"></pave-hotspots>' }),
      '/small-root.html': hostPage({ css: 'html{font-size:62.5%} body{font-size:1.6rem}', widget: '<pave-hotspots for="spin" src="/api/results" list="open"></pave-hotspots>' }),
      '/list.html': hostPage({ widget: '<pave-hotspots for="spin" src="/api/results" list="open"></pave-hotspots>' }),
      '/viewer.html': hostPage({ img: '', widget: '<pave-hotspots src="/api/local" list="open" style="max-width:640px"></pave-hotspots>' }),
      '/light.html': hostPage({ img: '<img id="spin" src="/img/white.svg" data-pave-photo="5" alt="A white test picture" style="display:block;width:600px">', widget: '<pave-hotspots for="spin"></pave-hotspots>' }),
      '/dark.html': hostPage({ img: '<img id="spin" src="/img/black.svg" data-pave-photo="5" alt="A black test picture" style="display:block;width:600px">', widget: '<pave-hotspots for="spin"></pave-hotspots>' }),
    },
    async handler(req, res, url) {
      switch (url.pathname) {
        case '/api/results': json(res, 200, sampleText); return true;
        case '/api/local': json(res, 200, JSON.stringify(local)); return true;
        case '/api/inspecting': json(res, 400, notInspected); return true;
        case '/api/not-found': json(res, 404, notFound); return true;
        // Down once (a 500), then up: what Retry is for.
        case '/api/flaky': flaky += 1; if (flaky % 2) json(res, 500, '{}'); else json(res, 200, sampleText); return true;
        case '/api/no-damage': json(res, 200, noDamage); return true;
        // A frame that takes a while to come (a spin's frame not in the cache yet).
        case '/slow/frame-05.svg': {
          await new Promise((r) => setTimeout(r, 400));
          res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'no-store' });
          res.end(await readFile(join(ROOT, 'www', 'generated', 'photos', 'frame-05.svg')));
          return true;
        }
        case '/api/hold': {
          // Answers only when the test says so: the loading state, deterministically.
          await new Promise((r) => { releaseLoading = r; });
          json(res, 200, sampleText);
          return true;
        }
        case '/img/white.svg': case '/img/black.svg': {
          res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'no-store' });
          res.end(plain(url.pathname === '/img/white.svg' ? '#ffffff' : '#111111'));
          return true;
        }
        default: return false;
      }
    },
  });
  await mkdir(SHOTS, { recursive: true });
});
after(async () => { releaseLoading(); await server?.close(); await closeBrowser(); });

// ---- Helpers ---------------------------------------------------------------------------------

/**
 * Opens `path`, waits for the element to be defined and its engine to have started (its shadow
 * root is made once the wasm has loaded, a moment after the element is defined), and for
 * `pave-load` unless `load: false`.
 */
async function openPage(path, { load = true, options = {} } = {}) {
  const page = await newPage(options);
  await page.goto(`${server.url}${path}`);
  await page.waitForFunction(() => customElements.get('pave-hotspots') && [...document.querySelectorAll('pave-hotspots')].every((el) => el.shadowRoot));
  if (load) {
    await waitForEvent(page, 'pave-load');
    // The picture the markers cover: the page's spin image, or the viewer's own (its markers wait
    // for it to load and be measured; on a busy machine that can take longer than two frames).
    await page.waitForFunction(() => {
      const i = document.getElementById('spin') ?? document.querySelector('pave-hotspots')?.shadowRoot?.querySelector('[part="image"]');
      return !i || i.complete;
    });
    await settle(page);
    await settle(page);
  }
  return page;
}

/** Runs axe on the whole document (it descends into open shadow roots); asserts no violation. */
async function assertAxe(page, label) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags },
    resultTypes: ['violations'],
  }).then((r) => r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' '), summary: n.failureSummary })),
  }))), AXE_TAGS);
  const text = violations.map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target}\n      ${n.summary.replace(/\n/g, '\n      ')}`).join('\n')}`).join('\n');
  assert.equal(violations.length, 0, `${label}: ${violations.length} axe violation(s):\n${text}`);
}

/** What has focus, seen from the page: `body`, `host:<selector-ish>` (inside the shadow root) or a page element. */
function focusInfo(page) {
  return page.evaluate(() => {
    const a = document.activeElement;
    if (!a || a === document.body) return { where: 'body' };
    if (a.localName !== 'pave-hotspots') return { where: 'page', id: a.id, tag: a.localName };
    const s = a.shadowRoot.activeElement;
    if (!s) return { where: 'host' };
    return {
      where: 'widget',
      tag: s.localName,
      cls: s.className,
      index: s.dataset.index ?? null,
      inPopover: !!s.closest('.popover'),
      inList: !!s.closest('.list'),
      text: s.textContent.trim().slice(0, 60),
    };
  });
}

/** Contrast ratio of two sRGB colours [r, g, b] (0–255), WCAG 2 formula. */
function contrast(a, b) {
  const lum = ([r, g, bl]) => {
    const f = (c) => { const s = c / 255; return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(bl);
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** "rgb(1, 2, 3)" / "rgba(1, 2, 3, 0.5)" → [r, g, b, a]. */
function parseColor(text) {
  const m = /rgba?\(([^)]+)\)/.exec(text);
  if (!m) throw new Error(`not an rgb colour: ${text}`);
  const parts = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
  return [parts[0], parts[1], parts[2], parts[3] ?? 1];
}

/** `top` composited over the opaque `bottom`. */
function over(top, bottom) {
  const a = top[3] ?? 1;
  return [0, 1, 2].map((k) => top[k] * a + bottom[k] * (1 - a));
}

const root = (page, selector) => page.locator(`pave-hotspots ${selector}`);

// ---- 1. axe in every state -------------------------------------------------------------------

test('axe: no WCAG A/AA violation when closed, with the popover open, the list open and filtered', async () => {
  const page = await openPage('/dealer.html');
  await assertAxe(page, 'closed (markers over the photo, list collapsed)');
  await root(page, '.marker[data-index="7"]').click();
  await waitForEvent(page, 'pave-open', (d) => d.index === 7);
  await settle(page);
  await assertAxe(page, 'popover open');
  await page.keyboard.press('Escape');
  await waitForEvent(page, 'pave-close');
  await root(page, '.list .toggle').click();
  await root(page, '.list .filters button[data-group="part"]').click();
  await settle(page);
  await assertAxe(page, 'list open, filter "Part" applied');
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('axe: no violation with a cluster expanded (Left photo, narrow image)', async () => {
  const page = await openPage('/narrow.html');
  const cluster = root(page, '.cluster');
  await cluster.waitFor();
  await assertAxe(page, 'cluster collapsed');
  await cluster.click();
  await settle(page);
  await transitionsDone(page);
  assert.equal(await cluster.getAttribute('aria-expanded'), 'true');
  await assertAxe(page, 'cluster expanded');
  await page.closeAll();
});

test('axe: no violation in the loading, inspecting, error (404 with Retry) and empty states; a polite live region tells each', async () => {
  const page = await openPage('/state.html', { load: false });
  // (Once it has its words: in a widget's first tenth of a second its live region waits for them.)
  const statusOf = async () => (await page.waitForFunction(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('[part="status"] p').textContent)) && page.evaluate(() => {
    const s = document.querySelector('pave-hotspots').shadowRoot.querySelector('[part="status"]');
    const p = s.querySelector('p');
    return { state: s.dataset.state, text: p.textContent, role: p.getAttribute('role'), live: p.getAttribute('aria-live'), retry: !s.querySelector('button').hidden };
  });
  const setSrc = (src) => page.evaluate((src) => document.querySelector('pave-hotspots').setAttribute('src', src), src);
  // Each state: axe clean, and the text that changed is in a role=status / aria-live=polite element.
  const cases = [
    ['/api/hold', 'loading', /Loading/],
    ['/api/inspecting', 'inspecting', /Inspection in progress/],
    ['/api/not-found', 'error', /No damage report was found/],
    ['/api/no-damage', 'empty', /No damage reported/],
  ];
  for (const [src, state, text] of cases) {
    await page.clearEvents();
    await setSrc(src);
    await waitForEvent(page, 'pave-state', (d) => d.state === state);
    await settle(page);
    const s = await statusOf();
    assert.equal(s.state, state);
    assert.match(s.text, text, `${state}: status text`);
    assert.equal(s.role, 'status', `${state}: the changing text is not in a role=status element`);
    assert.equal(s.live, 'polite', `${state}: the changing text is not in a polite live region`);
    assert.equal(s.retry, state === 'error', `${state}: Retry shown only on error`);
    await assertAxe(page, `${state} state`);
    if (state === 'loading') releaseLoading();
  }
  await page.closeAll();
});

test('axe: no violation in the built-in viewer (no `for`), with the list open and the popover open', async () => {
  const page = await openPage('/viewer.html');
  await page.waitForFunction(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('[part="image"]').complete);
  await assertAxe(page, 'viewer');
  await root(page, '.viewer .step').last().click();
  // Let the next photo load and its markers show: axe checks a page at rest, not mid-swap.
  await page.waitForFunction(() => {
    const r = document.querySelector('pave-hotspots').shadowRoot;
    return r.querySelector('[part="image"]').complete && r.querySelector('.photo:not([hidden]) .marker:not([hidden])');
  });
  await settle(page);
  await assertAxe(page, 'viewer, next photo');
  const idx = await root(page, '.photo:not([hidden]) .marker:not([hidden])').first().getAttribute('data-index');
  await root(page, `.marker[data-index="${idx}"]`).click();
  await waitForEvent(page, 'pave-open');
  await assertAxe(page, 'viewer, popover open');
  await page.closeAll();
});

// ---- 2. Keyboard only ------------------------------------------------------------------------

/** The focused element's focus indicator (computed), inside the shadow root. */
function focusRing(page) {
  return page.evaluate(() => {
    const s = document.querySelector('pave-hotspots').shadowRoot.activeElement;
    if (!s) return null;
    const own = getComputedStyle(s);
    // (The overlay layer draws its ring on a ::after over the part of the picture shown.)
    const after = getComputedStyle(s, '::after');
    const cs = own.outlineStyle === 'none' && own.boxShadow === 'none' && after.content !== 'none' ? after : own;
    return {
      what: `${s.localName}.${s.className}${s.dataset.index ? `[${s.dataset.index}]` : ''}`,
      focusVisible: s.matches(':focus-visible'),
      outlineWidth: parseFloat(cs.outlineWidth), outlineStyle: cs.outlineStyle, outlineColor: cs.outlineColor,
      outlineOffset: parseFloat(cs.outlineOffset), boxShadow: cs.boxShadow,
    };
  });
}

async function assertFocusRing(page, label) {
  await transitionsDone(page); // the ring's box-shadow transitions in
  const r = await focusRing(page);
  assert.ok(r, `${label}: nothing focused in the widget`);
  assert.ok(r.focusVisible, `${label}: ${r.what} is focused by keyboard but does not match :focus-visible`);
  const outline = r.outlineWidth >= 2 && r.outlineStyle !== 'none';
  assert.ok(outline || r.boxShadow !== 'none', `${label}: ${r.what} has no visible focus indicator: ${JSON.stringify(r)}`);
  return r;
}

/** Presses Tab (or Shift+Tab) until `pred(focusInfo)` holds; every stop must be in the widget or `allowPage`. */
async function tabTo(page, pred, { back = false, max = 40, label = '', allowPage = () => false } = {}) {
  const stops = [];
  for (let k = 0; k < max; k++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focusInfo(page);
    stops.push(f);
    assert.notEqual(f.where, 'body', `${label}: Tab put focus on <body> after ${JSON.stringify(stops.slice(-4, -1))}`);
    if (pred(f)) return stops;
    if (f.where !== 'widget') assert.ok(allowPage(f), `${label}: focus left the widget: ${JSON.stringify(f)}`);
  }
  assert.fail(`${label}: not reached in ${max} Tabs: ${JSON.stringify(stops)}`);
}

/** The open popover as the user sees it. */
function popoverFacts(page) {
  return page.evaluate(() => {
    const host = document.querySelector('pave-hotspots');
    const p = host.shadowRoot.querySelector('.popover');
    return {
      open: !p.hidden && p.matches(':popover-open'),
      heading: host.shadowRoot.getElementById(p.getAttribute('aria-labelledby'))?.textContent ?? null,
      counter: p.querySelector('.counter').textContent,
      img: document.getElementById('spin')?.getAttribute('src') ?? null,
      expanded: [...host.shadowRoot.querySelectorAll('.marker[aria-expanded="true"]')].map((m) => Number(m.dataset.index)),
    };
  });
}

test('keyboard only: Tab from the page top, open with Enter and Space, walk all 27 damages over 4 photos, Esc returns; the list and Shift+Tab', async () => {
  const page = await openPage('/dealer.html');
  // A frame-by-frame watch: once the user is in the widget, focus must never drop to <body>.
  await page.evaluate(() => {
    window.__lost = [];
    const tick = () => {
      if (window.__watch && (!document.activeElement || document.activeElement === document.body)) window.__lost.push(window.__watch);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const watch = (what) => page.evaluate((w) => { window.__watch = w; }, what);

  // From the top: the page's first link, then the first marker of the shown (Front) photo.
  await page.keyboard.press('Tab');
  assert.equal((await focusInfo(page)).id, 'top-link');
  const toMarker = await tabTo(page, (f) => f.cls === 'marker', { max: 3, label: 'page top to the first marker' });
  assert.equal(toMarker.length, 1, 'the first Tab after the page header must reach a marker');
  const first = Number((await focusInfo(page)).index);
  assert.equal(damages[first].photoCode, 5);
  await assertFocusRing(page, 'marker');
  await watch('open with Enter');

  const checkOpen = async (i, label) => {
    const f = await popoverFacts(page);
    // (What happened since the step, should it fail: it did twice in a loaded run, never alone.)
    if (!f.open) {
      const events = (await page.events()).map((e) => `${e.type} ${e.detail?.index ?? e.detail?.photoCode ?? e.detail?.state ?? ''}`);
      assert.fail(`${label}: popover not open; events ${JSON.stringify(events)}; focus ${JSON.stringify(await focusInfo(page))}`);
    }
    assert.equal(f.heading, damages[i].description, `${label}: the heading is not damage ${i}'s description`);
    assert.equal(f.counter, `${i + 1} of 27`, `${label}: counter`);
    assert.equal(f.img, `/photos/${FRAME_OF[damages[i].photoCode]}.svg`, `${label}: the spin does not show damage ${i}'s photo`);
    assert.deepEqual(f.expanded, [i], `${label}: aria-expanded markers`);
    const focus = await focusInfo(page);
    assert.ok(focus.where === 'widget' && focus.inPopover, `${label}: focus is not in the popover: ${JSON.stringify(focus)}`);
  };

  // Enter opens; Tab goes through the popover's buttons (close, previous, next), each with a ring.
  await page.keyboard.press('Enter');
  await waitForEvent(page, 'pave-open', (d) => d.index === first);
  await checkOpen(first, 'Enter on a marker');
  assert.equal((await focusInfo(page)).cls, 'popover', 'opening focuses the dialog');
  for (const cls of ['close', 'prev', 'next']) {
    await page.keyboard.press('Tab');
    assert.equal((await focusInfo(page)).cls, cls, `Tab order in the popover: expected the ${cls} button`);
    await assertFocusRing(page, `popover ${cls} button`);
  }
  // Esc closes and returns focus to the marker.
  await watch('Esc');
  await page.keyboard.press('Escape');
  await waitForEvent(page, 'pave-close', (d) => d.index === first);
  let f = await focusInfo(page);
  assert.equal(f.cls, 'marker');
  assert.equal(Number(f.index), first, 'Esc must return focus to the marker');

  // An arrow key moves among the photo's markers; Space opens.
  await watch('arrow among markers, Space');
  await page.keyboard.press('ArrowRight');
  f = await focusInfo(page);
  assert.equal(f.cls, 'marker');
  const second = Number(f.index);
  assert.notEqual(second, first);
  await page.keyboard.press('Space');
  await waitForEvent(page, 'pave-open', (d) => d.index === second);
  await checkOpen(second, 'Space on a marker');

  // The walk: arrow keys on the dialog, and the next/previous buttons reached with Tab and
  // activated with Enter or Space, forward until every damage has been open, with a few steps back.
  const seen = new Set([first, second]);
  let current = second;
  const pressButton = async (cls, key) => {
    const here = await focusInfo(page);
    assert.ok(here.inPopover, `before reaching ${cls}: focus not in the popover: ${JSON.stringify(here)}`);
    await tabTo(page, (x) => x.cls === cls, { max: 4, label: `Tab to the popover's ${cls} button` });
    await page.keyboard.press(key);
  };
  const METHODS = {
    ArrowRight: [1, () => page.keyboard.press('ArrowRight')],
    ArrowDown: [1, () => page.keyboard.press('ArrowDown')],
    'next+Enter': [1, () => pressButton('next', 'Enter')],
    'next+Space': [1, () => pressButton('next', 'Space')],
    ArrowLeft: [-1, () => page.keyboard.press('ArrowLeft')],
    ArrowUp: [-1, () => page.keyboard.press('ArrowUp')],
    'prev+Enter': [-1, () => pressButton('prev', 'Enter')],
    'prev+Space': [-1, () => pressButton('prev', 'Space')],
  };
  const forward = ['ArrowRight', 'next+Enter', 'ArrowDown', 'next+Space'];
  const backAt = { 3: 'ArrowLeft', 8: 'prev+Enter', 14: 'ArrowUp', 20: 'prev+Space' };
  const photosSeen = new Set([damages[first].photoCode]);
  for (let step = 0; step < 60 && seen.size < 27; step++) {
    const name = backAt[step] ?? forward[step % forward.length];
    const [dir, act] = METHODS[name];
    const want = (current + dir + 27) % 27;
    const label = `step ${step} (${name}) from ${current} to ${want}`;
    await page.clearEvents();
    await watch(label);
    await act();
    await waitForEvent(page, 'pave-open', (d) => d.index === want, 5000);
    await settle(page);
    await checkOpen(want, label);
    seen.add(want);
    photosSeen.add(damages[want].photoCode);
    current = want;
  }
  assert.equal(seen.size, 27, `not every damage was opened: missing ${[...Array(27).keys()].filter((i) => !seen.has(i))}`);
  assert.deepEqual([...photosSeen].sort(), [4, 5, 7, 8]);

  await watch('Esc after the walk');
  await page.keyboard.press('Escape');
  await waitForEvent(page, 'pave-close', (d) => d.index === current);
  f = await focusInfo(page);
  assert.ok(f.cls === 'marker' && Number(f.index) === current, `Esc after the walk: focus on ${JSON.stringify(f)}, not marker ${current}`);
  await assertFocusRing(page, 'marker after Esc');

  // Tab reaches the list's toggle (after the photo's markers); Enter opens it; Tab to a filter and
  // to a row on another photo; Enter opens its damage (the spin turns); Esc returns to the row.
  await watch('Tab to the list');
  await tabTo(page, (x) => x.cls === 'toggle', { max: 30, label: 'Tab from the markers to the list toggle' });
  await assertFocusRing(page, 'list toggle');
  await page.keyboard.press('Enter');
  assert.equal(await root(page, '.list .toggle').getAttribute('aria-expanded'), 'true');
  await tabTo(page, (x) => x.inList && x.tag === 'button' && x.index === null && x.cls !== 'toggle', { max: 3, label: 'Tab to a filter' });
  await assertFocusRing(page, 'filter button');
  const shownPhoto = damages[current].photoCode;
  await tabTo(page, (x) => x.inList && x.index !== null && damages[Number(x.index)].photoCode !== shownPhoto, { max: 40, label: 'Tab to a row on another photo' });
  await assertFocusRing(page, 'list row');
  const row = Number((await focusInfo(page)).index);
  await page.clearEvents();
  await watch('Enter on a list row');
  await page.keyboard.press('Enter');
  await waitForEvent(page, 'pave-open', (d) => d.index === row);
  await settle(page);
  assert.equal((await page.events('pave-photo-request')).length, 1, 'a row on another photo asks the page to turn');
  await checkOpen(row, 'Enter on a list row');
  await page.keyboard.press('Escape');
  await waitForEvent(page, 'pave-close', (d) => d.index === row);
  f = await focusInfo(page);
  assert.ok(f.inList && Number(f.index) === row, `Esc must return focus to the list row ${row}: ${JSON.stringify(f)}`);

  // Shift+Tab goes back through the filters, the toggle and the shown photo's markers to the page
  // header; Tab retraces the same stops.
  await watch('Shift+Tab');
  const backStops = await tabTo(page, (x) => x.id === 'top-link', { back: true, max: 60, label: 'Shift+Tab back to the page top' });
  assert.ok(backStops.some((x) => x.cls === 'toggle'), 'Shift+Tab skipped the list toggle');
  // The shown photo's markers and badges are one stop (its badge here: Left's are clustered).
  const onMarkers = backStops.filter((x) => x.cls === 'marker' || x.cls === 'cluster');
  assert.equal(onMarkers.length, 1, `Shift+Tab stops on the markers: ${JSON.stringify(onMarkers)}`);
  const markerStops = onMarkers.filter((x) => x.cls === 'marker').map((x) => Number(x.index));
  const shownNow = damages[row].photoCode;
  assert.ok(markerStops.every((i) => damages[i].photoCode === shownNow), 'Shift+Tab reached a marker of a hidden photo');
  await watch(null);
  const fwd = [];
  for (let k = 0; k < backStops.length - 1; k++) {
    await page.keyboard.press('Tab');
    fwd.push(await focusInfo(page));
  }
  const key = (x) => `${x.where}:${x.id ?? ''}:${x.cls ?? ''}:${x.index ?? ''}:${x.text ?? ''}`;
  assert.deepEqual(fwd.map(key), backStops.slice(0, -1).reverse().map(key), 'Tab does not retrace Shift+Tab');
  assert.ok(Number((await focusInfo(page)).index) === row, 'Tab back to the row');

  const lost = await page.evaluate(() => window.__lost);
  assert.deepEqual([...new Set(lost)], [], `focus fell to <body> during: ${[...new Set(lost)].join('; ')}`);
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('the markers are one tab stop: Tab from the page reaches one, leaves on the next Tab, comes back to the one last focused, and moves when it hides', async () => {
  const page = await openPage('/dealer.html');
  const stops = () => page.evaluate(() => {
    const c = document.querySelector('pave-hotspots').shadowRoot.querySelector('.photo:not([hidden])');
    return {
      zero: [...c.querySelectorAll('[tabindex="0"]')].map((b) => ({ index: b.dataset.index ?? null, hidden: b.hidden })),
      focusable: [...c.querySelectorAll('button')].filter((b) => b.getAttribute('tabindex') !== '-1' && b.getAttribute('tabindex') !== '0').length,
    };
  });
  await page.evaluate(() => document.getElementById('top-link').focus());
  await page.keyboard.press('Tab');
  const first = await focusInfo(page);
  assert.equal(first.cls, 'marker', `Tab from the page header: ${JSON.stringify(first)}`);
  let s = await stops();
  assert.deepEqual(s, { zero: [{ index: first.index, hidden: false }], focusable: 0 }, 'one stop, on the first marker; every other button -1');
  // The arrows move the stop with the focus: Tab out, Shift+Tab back lands where they left it.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  const third = await focusInfo(page);
  assert.notEqual(third.index, first.index);
  await page.keyboard.press('Tab');
  const after = await focusInfo(page);
  assert.ok(after.cls !== 'marker' && after.cls !== 'cluster', `one Tab leaves the markers: ${JSON.stringify(after)}`);
  await page.keyboard.press('Shift+Tab');
  assert.equal((await focusInfo(page)).index, third.index, 'Shift+Tab returns to the marker last focused');
  // A filter that hides the stop's marker: the stop goes to the first marker still shown.
  const group = await page.evaluate((i) => document.querySelector('pave-hotspots').shadowRoot.querySelector(`.marker[data-index="${i}"]`).dataset.group, third.index);
  await root(page, '.list .toggle').click();
  const other = await page.evaluate((g) => [...document.querySelector('pave-hotspots').shadowRoot.querySelectorAll('.list .filters button[data-group]')]
    .map((b) => b.dataset.group).find((k) => k && k !== g), group);
  assert.ok(other, 'a filter for another group');
  await root(page, `.list .filters button[data-group="${other}"]`).click();
  await settle(page);
  s = await stops();
  assert.equal(s.zero.length, 1, `one stop under the filter: ${JSON.stringify(s)}`);
  assert.equal(s.zero[0].hidden, false, 'the stop shows');
  const shownFirst = await page.evaluate(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('.photo:not([hidden]) button:not([hidden])').dataset.index);
  assert.equal(s.zero[0].index, shownFirst, 'on the first marker still shown');
  await page.evaluate(() => document.getElementById('top-link').focus());
  await page.keyboard.press('Tab');
  assert.equal((await focusInfo(page)).index, shownFirst, 'Tab reaches it');
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('keyboard: a cluster badge is reachable, has a focus ring, expands with Enter and Esc collapses it', async () => {
  const page = await openPage('/narrow.html');
  await root(page, '.cluster').waitFor();
  await page.keyboard.press('Tab');
  assert.equal((await focusInfo(page)).id, 'top-link');
  await tabTo(page, (x) => x.cls === 'cluster', { max: 4, label: 'Tab to the cluster' });
  await assertFocusRing(page, 'cluster badge');
  await page.keyboard.press('Enter');
  await settle(page);
  await transitionsDone(page);
  assert.equal(await root(page, '.cluster').getAttribute('aria-expanded'), 'true');
  const f = await focusInfo(page);
  assert.equal(f.cls, 'marker', 'expanding focuses the first member');
  await assertFocusRing(page, 'cluster member');
  await page.keyboard.press('Escape');
  await settle(page);
  assert.equal(await root(page, '.cluster').getAttribute('aria-expanded'), 'false');
  assert.equal((await focusInfo(page)).cls, 'cluster');
  await assertFocusRing(page, 'cluster badge after Esc');
  // The arrows, Home and End go on from the badge as from a marker (and never reach the page).
  const stops = await page.evaluate(() => [...document.querySelector('pave-hotspots').shadowRoot.querySelectorAll('.photo:not([hidden]) button:not([hidden])')].map((b) => b.className));
  const badge = stops.indexOf('cluster');
  await page.evaluate(() => { window.__keys = 0; document.addEventListener('keydown', () => { window.__keys += 1; }); });
  for (const [key, to] of [['ArrowRight', (badge + 1) % stops.length], ['Home', 0], ['End', stops.length - 1]]) {
    await page.evaluate(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('.cluster').focus());
    await page.keyboard.press(key);
    const at = await page.evaluate(() => {
      const r = document.querySelector('pave-hotspots').shadowRoot;
      return [...r.querySelectorAll('.photo:not([hidden]) button:not([hidden])')].indexOf(r.activeElement);
    });
    assert.equal(at, to, `${key} on the badge`);
  }
  assert.equal(await page.evaluate(() => window.__keys), 0, 'the keys the badge acts on stay in the widget');
  await page.closeAll();
});

test('keyboard: Esc after a step to a damage on another photo returns focus to that damage\'s marker, once its photo shows', async () => {
  const page = await openPage('/dealer.html');
  // The last damage of the Front photo; the next is on another photo, which the page turns to.
  const front = damages.map((d, i) => [d, i]).filter(([d]) => d.photoCode === 5).map(([, i]) => i);
  const last = front.at(-1);
  assert.notEqual(damages[last + 1].photoCode, 5);
  await page.evaluate((i) => document.querySelector('pave-hotspots').shadowRoot.querySelector(`.marker[data-index="${i}"]`).focus(), last);
  await page.keyboard.press('Enter');
  await waitForEvent(page, 'pave-open', (d) => d.index === last);
  await page.keyboard.press('ArrowRight');
  await waitForEvent(page, 'pave-open', (d) => d.index === last + 1);
  const frame = FRAME_OF[damages[last + 1].photoCode];
  await page.waitForFunction((f) => document.getElementById('spin').src.includes(f) && document.getElementById('spin').complete, frame);
  await settle(page); await settle(page); await settle(page);
  await page.keyboard.press('Escape');
  await waitForEvent(page, 'pave-close', (d) => d.index === last + 1);
  const f = await focusInfo(page);
  assert.deepEqual([f.cls, Number(f.index)], ['marker', last + 1], `Esc: focus on ${JSON.stringify(f)}`);
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('keyboard: a crop that hides the focused marker moves the focus to the first marker still shown, not to <body>', async () => {
  const page = await openPage('/dealer.html');
  // The topmost marker of the photo shown, focused.
  const top = await page.evaluate(() => {
    const ms = [...document.querySelector('pave-hotspots').shadowRoot.querySelectorAll('.photo:not([hidden]) .marker:not([hidden])')];
    const y = (m) => m.getBoundingClientRect().top;
    const m = ms.reduce((a, b) => (y(b) < y(a) ? b : a));
    m.focus();
    return m.dataset.index;
  });
  assert.equal((await focusInfo(page)).index, top);
  // The page crops its picture to a band (object-fit: cover): the marker is cropped away.
  await page.evaluate(() => { document.getElementById('spin').style.cssText = 'display:block;width:900px;height:160px;object-fit:cover'; });
  await settle(page); await settle(page);
  const facts = await page.evaluate((i) => {
    const r = document.querySelector('pave-hotspots').shadowRoot;
    const a = r.activeElement;
    return { hidden: r.querySelector(`.marker[data-index="${i}"]`).hidden, cls: a?.className, shown: a ? a.checkVisibility() : false, firstShown: r.querySelector('.photo:not([hidden]) button:not([hidden])')?.dataset.index };
  }, top);
  assert.equal(facts.hidden, true, 'the crop hides the marker');
  const f = await focusInfo(page);
  assert.equal(f.where, 'widget', `focus fell out of the widget: ${JSON.stringify(f)}`);
  assert.deepEqual([facts.cls, facts.shown, f.index], ['marker', true, facts.firstShown], JSON.stringify(facts));
  // The user left the markers for the page (a click on blank space): a crop then takes nothing
  // back into the widget.
  await page.evaluate(() => { document.getElementById('spin').style.cssText = 'display:block;width:900px'; });
  await settle(page); await settle(page);
  await page.evaluate((i) => document.querySelector('pave-hotspots').shadowRoot.querySelector(`.marker[data-index="${i}"]`).focus(), top);
  await page.mouse.click(980, 780);
  assert.equal((await focusInfo(page)).where, 'body');
  await page.evaluate(() => { document.getElementById('spin').style.cssText = 'display:block;width:900px;height:160px;object-fit:cover'; });
  await settle(page); await settle(page);
  assert.equal((await focusInfo(page)).where, 'body', 'a crop after the user left took the focus back');
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test("the page's open(), next() and close(): they take the focus from a button of the page's (into the popover), never from a field the user is typing in", async () => {
  const page = await openPage('/dealer.html');
  await page.evaluate(() => {
    document.querySelector('main').insertAdjacentHTML('beforeend', '<input id="email" aria-label="E-mail"><button id="show">Show damage 3</button><iframe id="chat" title="Chat" srcdoc="<input id=f aria-label=Message>"></iframe><div id="closed"></div>');
    const el = document.querySelector('pave-hotspots');
    document.getElementById('show').addEventListener('click', () => el.open(2));
    const shadow = document.getElementById('closed').attachShadow({ mode: 'closed' });
    shadow.innerHTML = '<input aria-label="Closed field">';
    window.closedField = shadow.querySelector('input');
  });
  // A field the page can't see into (a chat's frame, a closed shadow root): the same.
  for (const where of ['frame', 'closed']) {
    if (where === 'frame') await page.frameLocator('#chat').locator('#f').click();
    else await page.evaluate(() => window.closedField.focus());
    await page.keyboard.type('ab');
    await page.evaluate(() => document.querySelector('pave-hotspots').open(1));
    await waitForEvent(page, 'pave-open', (d) => d.index === 1);
    await page.keyboard.type('cd');
    const typed = await page.evaluate((where) => (where === 'frame' ? document.getElementById('chat').contentDocument.getElementById('f').value : window.closedField.value), where);
    assert.equal(typed, 'abcd', where);
    await page.evaluate(() => document.querySelector('pave-hotspots').close());
    await waitForEvent(page, 'pave-close', (d) => d.index === 1);
    await page.clearEvents();
  }
  // Typing an e-mail address while a timer of the page's opens a damage, steps on, closes.
  await page.locator('#email').click();
  await page.keyboard.type('jo');
  await page.evaluate(() => document.querySelector('pave-hotspots').open(1));
  await waitForEvent(page, 'pave-open', (d) => d.index === 1);
  await page.keyboard.type('hn@');
  await page.evaluate(() => document.querySelector('pave-hotspots').next());
  await waitForEvent(page, 'pave-open', (d) => d.index === 2);
  await page.keyboard.type('example');
  await page.evaluate(() => document.querySelector('pave-hotspots').close());
  await waitForEvent(page, 'pave-close', (d) => d.index === 2);
  await page.keyboard.type('.com');
  assert.equal(await page.locator('#email').inputValue(), 'john@example.com');
  assert.equal((await focusInfo(page)).id, 'email');
  // The page's own button: Enter on it opens, and the focus goes into the popover, as a
  // dialog's opener's would; Esc closes it.
  await page.locator('#show').focus();
  await page.keyboard.press('Enter');
  await waitForEvent(page, 'pave-open', (d) => d.index === 2);
  const f = await focusInfo(page);
  assert.ok(f.where === 'widget' && f.inPopover, `focus: ${JSON.stringify(f)}`);
  await page.keyboard.press('Escape');
  await waitForEvent(page, 'pave-close', (d) => d.index === 2);
  assert.equal((await focusInfo(page)).where, 'widget');
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test("the built-in viewer: a page's button that calls open() for a damage on another photo turns the viewer and opens it, the focus staying on the button", async () => {
  const page = await openPage('/viewer.html');
  const shown = await page.evaluate(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('[part=image]').getAttribute('src'));
  // A damage on a photo the viewer doesn't show.
  const other = damages.findIndex((d) => !shown.includes(String(d.photoCode).padStart(2, '0')));
  assert.ok(other >= 0);
  await page.evaluate((i) => {
    document.querySelector('main').insertAdjacentHTML('beforeend', `<button id="show">Show damage ${i + 1}</button><input id="email" aria-label="E-mail">`);
    document.getElementById('show').addEventListener('click', () => document.querySelector('pave-hotspots').open(i));
  }, other);
  await page.locator('#show').click();
  await waitForEvent(page, 'pave-open', (d) => d.index === other);
  assert.equal((await focusInfo(page)).id, 'show', 'the focus stays on the page\'s button');
  await page.evaluate(() => document.querySelector('pave-hotspots').close());
  await waitForEvent(page, 'pave-close', (d) => d.index === other);
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('a close-up that fails after the popover was placed above its marker: the popover is placed again beside it, not left floating', async () => {
  // (Narrow: no room beside the marker, the popover goes above it.)
  const page = await openPage('/dealer.html', { options: { viewport: { width: 420, height: 700 } } });
  // The close-up's picture is held, then fails (a CDN that times out).
  let fail = () => {};
  const failed = new Promise((r) => { fail = r; });
  await page.route('**/photos/frame-01.svg', async (route) => { await failed; await route.abort(); });
  // A marker near the viewport's bottom: its popover lies above it.
  const i = damages.findIndex((d) => d.photoCode === 5);
  await page.evaluate((k) => {
    document.body.style.paddingBottom = '1200px';
    const m = document.querySelector('pave-hotspots').shadowRoot.querySelector(`.marker[data-index="${k}"]`).getBoundingClientRect();
    scrollBy(0, m.top - 640);
  }, i);
  await settle(page);
  await root(page, `.marker[data-index="${i}"]`).click();
  await waitForEvent(page, 'pave-open', (d) => d.index === i);
  await settle(page);
  const gap = () => page.evaluate((k) => {
    const r = document.querySelector('pave-hotspots').shadowRoot;
    const [m, p] = [r.querySelector(`.marker[data-index="${k}"]`), r.querySelector('.popover')].map((e) => e.getBoundingClientRect());
    return { gap: Math.max(p.left - m.right, m.left - p.right, p.top - m.bottom, m.top - p.bottom), closeup: !r.querySelector('.closeup').hidden, above: p.bottom <= m.top };
  }, i);
  const before = await gap();
  assert.ok(before.closeup && before.above && before.gap <= 16, JSON.stringify(before));
  fail();
  await page.waitForFunction(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('.closeup').hidden);
  await settle(page);
  await settle(page);
  const after = await gap();
  assert.ok(after.gap >= 0 && after.gap <= 16, `the popover is ${after.gap.toFixed(1)} px from its marker once its close-up failed`);
  assert.deepEqual(page.errors().filter((e) => !/ERR_FAILED|Failed to load/.test(e)), []);
  await page.closeAll();
});

/**
 * Opens by keyboard the popover of a Front damage whose next damage is on another photo, and steps
 * on to that one (ArrowRight: the page is asked to turn); returns the first damage's index. The
 * events so far are cleared.
 */
async function openAndStepAcross(page) {
  const i = damages.findIndex((d, k) => d.photoCode === 5 && damages[k + 1] && damages[k + 1].photoCode !== 5);
  assert.ok(i >= 0);
  await root(page, `.marker[data-index="${i}"]`).focus();
  await page.keyboard.press('Enter');
  await waitForEvent(page, 'pave-open', (d) => d.index === i);
  await page.keyboard.press('ArrowRight');
  await waitForEvent(page, 'pave-open', (d) => d.index === i + 1);
  await page.clearEvents();
  return i;
}

/**
 * The dealer page, its spin's frames held back 400 ms (a mobile network), after
 * `openAndStepAcross`: the frame turned to is on its way.
 */
async function slowSpinOpen() {
  const page = await openPage('/dealer.html');
  await page.route('**/photos/**', async (route) => { await new Promise((r) => setTimeout(r, 400)); await route.continue(); });
  const i = await openAndStepAcross(page);
  await settle(page);
  return { page, i };
}

/** Until damage `k`'s marker shows. */
const markerShows = (page, k) => page.waitForFunction((k) => {
  const m = document.querySelector('pave-hotspots').shadowRoot.querySelector(`.marker[data-index="${k}"]`);
  return m && !m.closest('[hidden]') && m.checkVisibility();
}, k, { timeout: 5000 });

/** How far the popover is from damage `k`'s marker, in px (0: they touch; less: they overlap). */
async function popoverGap(page, k) {
  const [m, p] = await page.evaluate((k) => {
    const r = document.querySelector('pave-hotspots').shadowRoot;
    return [r.querySelector(`.marker[data-index="${k}"]`), r.querySelector('.popover')].map((e) => e.getBoundingClientRect().toJSON());
  }, k);
  return Math.max(p.left - m.right, m.left - p.right, p.top - m.bottom, m.top - p.bottom);
}

test('keyboard: a step to a damage on another photo and straight back, before the spin\'s frame has loaded: the popover stays open, focus in it, and goes back beside its marker', async () => {
  const { page, i } = await slowSpinOpen();
  // Straight back, before the frame it turned to has come.
  await page.keyboard.press('ArrowLeft');
  await waitForEvent(page, 'pave-open', (d) => d.index === i);
  await settle(page);
  await settle(page);
  let facts = await popoverFacts(page);
  assert.ok(facts.open, `the popover closed: ${JSON.stringify((await page.events()).map((e) => `${e.type} ${e.detail?.index ?? ''}`))}`);
  assert.ok((await focusInfo(page)).inPopover, `focus: ${JSON.stringify(await focusInfo(page))}`);
  // Once the Front frame is back, the popover is beside its marker.
  await markerShows(page, i);
  await settle(page);
  facts = await popoverFacts(page);
  assert.ok(facts.open && facts.heading === damages[i].description);
  const gap = await popoverGap(page, i);
  assert.ok(gap >= 0 && gap <= 16, `the popover is ${gap.toFixed(1)} px from its marker`);
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('a spin that swaps its frame only once it has loaded: a step to a damage on another photo and straight back asks it back, and the car stays, the popover open', async () => {
  const page = await openPage('/dealer.html');
  await page.route('**/photos/**', async (route) => { await new Promise((r) => setTimeout(r, 400)); await route.continue(); });
  // The page's spin, as many are: it loads the frame asked for first, and shows it once loaded if
  // it is still the one last asked for.
  await page.evaluate((frameOf) => {
    let wanted = null;
    window.asked = [];
    addEventListener('pave-photo-request', (e) => {
      e.stopImmediatePropagation();
      window.asked.push(e.detail.photoCode);
      const url = '/photos/' + frameOf[e.detail.photoCode] + '.svg';
      wanted = url;
      const pre = new Image();
      pre.onload = () => { if (wanted === url) document.getElementById('spin').src = url; };
      pre.src = url;
    }, true);
  }, FRAME_OF);
  const i = await openAndStepAcross(page);
  await page.keyboard.press('ArrowLeft');
  await waitForEvent(page, 'pave-open', (d) => d.index === i);
  // Long past the other frame's load.
  await page.waitForTimeout(1200);
  await settle(page);
  assert.deepEqual(await page.evaluate(() => window.asked), [damages[i + 1].photoCode, 5]);
  assert.match(await page.evaluate(() => document.getElementById('spin').getAttribute('src')), /frame-01/);
  const facts = await popoverFacts(page);
  assert.ok(facts.open && facts.heading === damages[i].description, JSON.stringify(facts));
  assert.ok((await focusInfo(page)).inPopover);
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('a page that doesn\'t turn when asked: a damage on the shown photo opened after a step to another photo asks for nothing', async () => {
  const page = await openPage('/dealer.html');
  // The page shows one photo and lets the popover show the others (it follows no request).
  await page.evaluate(() => {
    window.asked = [];
    addEventListener('pave-photo-request', (e) => { e.stopImmediatePropagation(); window.asked.push(e.detail.photoCode); }, true);
  });
  const i = await openAndStepAcross(page);
  await page.keyboard.press('Escape');
  await waitForEvent(page, 'pave-close', (d) => d.index === i + 1);
  await settle(page);
  // A click on a marker of the photo the page shows: nothing to ask for.
  await root(page, `.marker[data-index="${i}"]`).click();
  await waitForEvent(page, 'pave-open', (d) => d.index === i);
  assert.deepEqual(await page.evaluate(() => window.asked), [damages[i + 1].photoCode]);
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('keyboard: Esc on a step to a damage on another photo, before the spin\'s frame has loaded: the focus goes onto that damage\'s marker once it shows', async () => {
  const { page, i } = await slowSpinOpen();
  // Esc before the frame has come: the focus on the layer, shown (empty) to take it (hidden, it
  // is `display: none` where `content-visibility` is not supported, Safari before 18: <body>
  // would get it).
  await page.keyboard.press('Escape');
  await waitForEvent(page, 'pave-close', (d) => d.index === i + 1);
  const during = await page.evaluate(() => {
    const r = document.querySelector('pave-hotspots').shadowRoot;
    const layer = r.querySelector('.layer');
    return { focused: r.activeElement === layer, hidden: layer.hidden, markers: [...r.querySelectorAll('.marker')].filter((m) => m.checkVisibility()).length };
  });
  assert.deepEqual(during, { focused: true, hidden: false, markers: 0 });
  await markerShows(page, i + 1);
  await settle(page);
  const f = await focusInfo(page);
  assert.equal(f.index, String(i + 1), `focus: ${JSON.stringify(f)}`);
  assert.match(f.cls, /marker/);
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('the built-in viewer, its photos coming slowly: each arrow press in the popover steps on, across photos, the popover open and the focus in it; it ends beside its marker', async () => {
  const page = await openPage('/viewer.html');
  await page.route('**/photos/**', async (route) => { await new Promise((r) => setTimeout(r, 400)); await route.continue(); });
  // From the last damage of the Right photo (7) on to the Rear's three (8), and round to the
  // first of the Left (4): two turns of the viewer, each photo on its way when the next press comes.
  const from = damages.findLastIndex((d) => d.photoCode === 7);
  assert.equal(damages[from + 1].photoCode, 8);
  await page.evaluate((k) => document.querySelector('pave-hotspots').open(k), from);
  await waitForEvent(page, 'pave-open', (d) => d.index === from);
  await page.waitForFunction(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('[part=image]').complete);
  await settle(page);
  await page.clearEvents();
  const want = [from + 1, from + 2, from + 3, 0];
  for (const k of want) {
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(60);
    const f = await focusInfo(page);
    assert.ok(f.inPopover, `after the step to ${k}, the focus: ${JSON.stringify(f)}`);
  }
  await waitForEvent(page, 'pave-open', (d) => d.index === 0);
  // One open and one close per press, in order (the popover closed at the first, and the three
  // presses while the photo came were lost: it ended on the Rear's first damage).
  const events = (await page.events()).filter((e) => /^pave-(open|close)$/.test(e.type)).map((e) => `${e.type.slice(5)} ${e.detail.index}`);
  assert.deepEqual(events, [from, ...want.slice(0, -1)].flatMap((k, n) => [`close ${k}`, `open ${want[n]}`]));
  // Once the Left photo has come, the popover is beside its marker.
  await page.waitForFunction(() => {
    const img = document.querySelector('pave-hotspots').shadowRoot.querySelector('[part=image]');
    return img.complete && img.getAttribute('src').includes('photo-04');
  });
  await markerShows(page, 0);
  await settle(page); await settle(page);
  const facts = await popoverFacts(page);
  assert.ok(facts.open && facts.heading === damages[0].description, JSON.stringify(facts));
  const gap = await popoverGap(page, 0);
  assert.ok(gap >= 0 && gap <= 16, `the popover is ${gap.toFixed(1)} px from its marker`);
  assert.ok((await focusInfo(page)).inPopover);
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('keyboard: Esc in the list while a cluster is fanned out is the page\'s: the focus stays, the cluster too', async () => {
  const page = await openPage('/narrow.html');
  await root(page, '.cluster').waitFor();
  await page.evaluate(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('.cluster').focus());
  await page.keyboard.press('Enter');
  await settle(page);
  assert.equal(await root(page, '.cluster').getAttribute('aria-expanded'), 'true');
  await page.evaluate(() => { window.__esc = 0; document.addEventListener('keydown', (e) => { if (e.key === 'Escape') window.__esc += 1; }); });
  await page.evaluate(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('.list .toggle').focus());
  await page.keyboard.press('Escape');
  await settle(page);
  assert.equal((await focusInfo(page)).cls.includes('toggle'), true, `focus moved: ${JSON.stringify(await focusInfo(page))}`);
  assert.equal(await page.evaluate(() => window.__esc), 1, 'the page heard its Esc');
  // On a member, Esc folds it, focus on the badge (as before).
  await page.evaluate(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('.photo:not([hidden]) .marker:not([hidden])').focus());
  await page.keyboard.press('Escape');
  await settle(page);
  assert.equal(await root(page, '.cluster').getAttribute('aria-expanded'), 'false');
  assert.equal((await focusInfo(page)).cls, 'cluster');
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

// ---- 3. What a screen reader gets: the accessibility tree -----------------------------------

/** Chromium's accessibility tree (CDP), unignored nodes with role, name, properties and text. */
async function axTree(page) {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  await cdp.detach();
  const byId = new Map(nodes.map((n) => [n.nodeId, n]));
  const text = (n) => (n.role?.value === 'StaticText' ? n.name?.value ?? '' : (n.childIds ?? []).map((c) => (byId.has(c) ? text(byId.get(c)) : '')).join(' '));
  return nodes.filter((n) => !n.ignored).map((n) => ({
    role: n.role?.value, name: n.name?.value ?? '',
    props: Object.fromEntries((n.properties ?? []).map((p) => [p.name, p.value?.value])),
    text: text(n).replace(/\s+/g, ' ').trim(),
  }));
}

test('screen reader: every marker is named "damage — component, N of 27"; the popover is a dialog named by its heading; the status is polite', async () => {
  const page = await openPage('/dealer.html');
  const load = (await page.events('pave-load'))[0].detail;
  const named = new Map();
  for (const code of [5, 7, 8, 4]) {
    await page.evaluate((src) => { document.getElementById('spin').src = src; }, `/photos/${FRAME_OF[code]}.svg`);
    await page.waitForFunction(([code]) => {
      const r = document.querySelector('pave-hotspots').shadowRoot;
      return [...r.querySelectorAll('.photo:not([hidden]) .marker')].length > 0 && r.querySelector('[part="overlay"]').getAttribute('aria-label').endsWith(code);
    }, [{ 5: 'Front', 7: 'Right', 8: 'Rear', 4: 'Left' }[code]]);
    await settle(page);
    // Markers inside a cluster are hidden until it fans out: read the tree once per cluster expanded.
    const clusters = await root(page, '.photo:not([hidden]) .cluster').count();
    for (let c = -1; c < clusters; c++) {
      if (c >= 0) { await root(page, '.photo:not([hidden]) .cluster').nth(c).click(); await settle(page); }
      const tree = await axTree(page);
      const group = tree.find((n) => n.role === 'group' && n.name.startsWith('Damage markers'));
      assert.ok(group, `photo ${code}: the overlay is not a named group`);
      for (const n of tree.filter((n) => n.role === 'button' && / of 27$/.test(n.name))) named.set(n.name, n);
      for (const n of tree.filter((n) => n.role === 'button' && /damages here/.test(n.name))) {
        assert.match(n.name, /^\d+ damages here$/);
        assert.ok('expanded' in n.props, 'a cluster tells whether it is expanded');
      }
    }
  }
  for (const d of load.damages) {
    const want = `${d.index + 1} of 27`;
    const hit = [...named.keys()].find((name) => name.endsWith(`, ${want}`) && name.includes(d.description)
      && name.toLowerCase().includes(d.componentText.toLowerCase()));
    assert.ok(hit, `damage ${d.index} (${d.description}, ${d.componentText}): no marker named so; names seen: ${[...named.keys()].filter((n) => n.endsWith(want))}`);
    assert.equal(named.get(hit).props.expanded, false, `marker ${d.index}: aria-expanded not exposed`);
  }
  assert.equal(named.size, 27);

  // The popover: a dialog whose name is its heading, the heading is the damage's description.
  await page.evaluate(() => { document.getElementById('spin').src = '/photos/frame-05.svg'; });
  await page.waitForFunction(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('.marker[data-index="13"]').offsetParent);
  await root(page, '.marker[data-index="13"]').click();
  await waitForEvent(page, 'pave-open', (d) => d.index === 13);
  await settle(page);
  const tree = await axTree(page);
  const dialogs = tree.filter((n) => n.role === 'dialog');
  assert.equal(dialogs.length, 1, 'one dialog');
  assert.equal(dialogs[0].name, damages[13].description, 'the dialog is named by its heading');
  assert.equal(dialogs[0].props.modal ?? false, false);
  const heading = tree.find((n) => n.role === 'heading' && n.name === damages[13].description);
  assert.ok(heading, 'the description is a heading');
  assert.ok(tree.some((n) => n.role === 'button' && n.name === 'Close'), 'the close button is named');
  assert.ok(tree.some((n) => n.role === 'button' && n.name === 'Next damage'), 'the next button is named');
  assert.ok(tree.some((n) => n.role === 'button' && n.name === 'Previous damage'), 'the previous button is named');
  assert.ok(tree.some((n) => n.role === 'image' && n.name), 'the close-up has a text alternative');
  assert.equal(tree.find((n) => n.role === 'button' && n.name.endsWith(', 14 of 27')).props.expanded, true, 'the open marker is aria-expanded');
  // The status line: role status, polite, holding the count.
  const status = tree.filter((n) => n.role === 'status');
  assert.equal(status.length, 1);
  assert.equal(status[0].props.live, 'polite');
  assert.match(status[0].text, /27\sdamages/);
  // The list toggle: a disclosure with its state.
  const toggle = tree.find((n) => n.role === 'button' && /^27\sdamages/.test(n.name));
  assert.equal(toggle.props.expanded, false);
  await page.closeAll();
});

/** The shadow root's markers that the browser renders: index, accessible name, centre. */
const renderedMarkers = (page) => page.evaluate(() => [...document.querySelector('pave-hotspots').shadowRoot.querySelectorAll('.marker')]
  .filter((m) => m.checkVisibility())
  .map((m) => { const r = m.getBoundingClientRect(); return { index: Number(m.dataset.index), name: m.getAttribute('aria-label'), x: r.x + r.width / 2, y: r.y + r.height / 2 }; }));

test('a photo turned away is gone for every sense: its markers are not painted, hit, focusable or in the accessibility tree', async () => {
  // A hidden photo keeps its boxes (content-visibility: hidden, so turning back is cheap): this
  // checks it is still hidden as display: none would hide it.
  const page = await openPage('/dealer.html');
  const front = await renderedMarkers(page);
  const frontImageY = await page.evaluate(() => document.getElementById('spin').getBoundingClientRect().y);
  assert.ok(front.length >= 8 && front.every((m) => m.index >= 3 && m.index <= 12), `Front markers: ${front.map((m) => m.index)}`);
  await page.evaluate(() => { document.getElementById('spin').src = '/photos/frame-05.svg'; });
  await page.waitForFunction(() => [...document.querySelector('pave-hotspots').shadowRoot.querySelectorAll('.marker')]
    .some((m) => m.checkVisibility() && Number(m.dataset.index) >= 13));
  await settle(page);
  const right = await renderedMarkers(page);
  assert.ok(right.length >= 5 && right.every((m) => m.index >= 13 && m.index <= 23), `Right markers: ${right.map((m) => m.index)}`);
  // Where a Front marker was, and no Right marker is, the screen shows the picture alone.
  const free = front.filter((f) => right.every((r) => Math.hypot(r.x - f.x, r.y - f.y) > 40));
  assert.ok(free.length >= 3, 'the two photos\' markers overlap too much for this test');
  const xs = free.map((f) => f.x);
  const ys = free.map((f) => f.y);
  const box = { x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) };
  const withWidget = await pixelsAround(page, box, 10);
  await page.evaluate(() => { document.querySelector('pave-hotspots').style.visibility = 'hidden'; });
  const pictureOnly = await pixelsAround(page, box, 10);
  await page.evaluate(() => { document.querySelector('pave-hotspots').style.visibility = ''; });
  const differ = free.filter(({ x, y }) => {
    for (let dy = -8; dy <= 8; dy++) {
      for (let dx = -8; dx <= 8; dx++) {
        const [a, b] = [withWidget(x + dx, y + dy), pictureOnly(x + dx, y + dy)];
        if (a.some((v, k) => Math.abs(v - b[k]) > 2)) return true;
      }
    }
    return false;
  }).map((s) => s.index);
  assert.deepEqual(differ, [], 'Front markers still painted over the Right photo');
  // Not hit: what a click at a Front marker's place meets is never that marker.
  const hit = await page.evaluate((spots) => spots.map(({ x, y }) => document.querySelector('pave-hotspots').shadowRoot.elementFromPoint(x, y))
    .filter((e) => e?.classList.contains('marker')).map((e) => Number(e.dataset.index)), free);
  assert.ok(hit.every((i) => i >= 13), `a Front marker is hit over the Right photo: ${hit}`);
  // Not focusable: Tab from the page top to the footer link meets one marker, the Right photo's
  // tab stop, and the arrows from it reach every Right marker and no Front one.
  await page.evaluate(() => document.getElementById('top-link').focus());
  const stops = [];
  for (let k = 0; k < 40; k++) {
    await page.keyboard.press('Tab');
    const f = await focusInfo(page);
    if (f.id === 'contact') break;
    if (f.cls === 'marker') stops.push(Number(f.index));
  }
  assert.equal(stops.length, 1, `Tab stops on the markers: ${stops}`);
  assert.ok(stops[0] >= 13, `Tab reaches a Front marker over the Right photo: ${stops}`);
  // (Round from the stop back to it: the shown markers, and badges, which have no index.)
  await page.evaluate(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('.photo:not([hidden]) [tabindex="0"]').focus());
  const start = await focusInfo(page);
  const walked = new Set();
  for (let k = 0; k < 40; k++) {
    await page.keyboard.press('ArrowRight');
    const f = await focusInfo(page);
    if (f.cls === 'marker') walked.add(Number(f.index));
    if (f.cls === start.cls && f.index === start.index) break;
  }
  assert.deepEqual([...walked].sort((a, b) => a - b), right.map((m) => m.index).sort((a, b) => a - b), 'the arrows walk the Right markers');
  // Not in the accessibility tree.
  const names = new Set((await axTree(page)).filter((n) => n.role === 'button').map((n) => n.name));
  assert.deepEqual(front.filter((m) => names.has(m.name)).map((m) => m.index), [], 'Front markers are still exposed');
  assert.ok(right.every((m) => names.has(m.name)), 'a Right marker is missing from the accessibility tree');
  // Turning back shows the Front markers again, in place.
  await page.evaluate(() => { document.getElementById('spin').src = '/photos/frame-01.svg'; });
  await page.waitForFunction(() => [...document.querySelector('pave-hotspots').shadowRoot.querySelectorAll('.marker')]
    .some((m) => m.checkVisibility() && Number(m.dataset.index) <= 12));
  await settle(page);
  const back = await renderedMarkers(page);
  // (Relative to the picture: the Tab walk may have scrolled the page.)
  const shift = (await page.evaluate(() => document.getElementById('spin').getBoundingClientRect().y)) - frontImageY;
  assert.deepEqual(back.map((m) => [m.index, Math.round(m.x), Math.round(m.y - shift)]), front.map((m) => [m.index, Math.round(m.x), Math.round(m.y)]));
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

// ---- 4. Contrast -------------------------------------------------------------------------------

const GROUPS = ['BODY', 'PART', 'WHEEL', 'GLASS', 'TIRE', 'INTERIOR', 'OTHER'];
/** One damage per group (and a major one), far apart, on photo 5. */
const GROUP_RESULTS = {
  success: true,
  data: [{
    photo_code: 5, photo_label: 'Front', url: '',
    inspection_data: [...GROUPS, 'BODY'].map((g, i) => ({
      damage_group: g, component: 'DOOR_FRONT_LEFT', damage_name: i === 7 ? 'DENT_MAJOR' : 'SCRATCH_MINOR', description: `${g.toLowerCase()} damage`,
      tolerance: '', repair_method: '', coodrs: { x: 10 + (i % 4) * 25, y: i < 4 ? 30 : 70 },
    })),
  }],
};

/** Loads a plain-picture page with `data`; returns the page. */
async function plainPage(path, data = GROUP_RESULTS, options = {}) {
  const page = await openPage(path, { load: false, options });
  await page.evaluate((data) => { const el = document.querySelector('pave-hotspots'); el.setAttribute('list', 'open'); el.results = data; }, data);
  await waitForEvent(page, 'pave-load');
  await page.waitForFunction(() => document.getElementById('spin').complete);
  await settle(page); await settle(page);
  return page;
}

/** The screenshot's pixels around `box` (viewport CSS px, DPR 1): a function (x, y) → [r, g, b]. */
async function pixelsAround(page, box, pad = 16) {
  const clip = { x: Math.floor(box.x - pad), y: Math.floor(box.y - pad), width: Math.ceil(box.width + 2 * pad), height: Math.ceil(box.height + 2 * pad) };
  const { width: w, data } = await screenshotPixels(page, clip);
  return (x, y) => {
    const i = (Math.round(y - clip.y) * w + Math.round(x - clip.x)) * 4;
    return [data[i], data[i + 1], data[i + 2]];
  };
}

/**
 * Along 8 rays from the background into a marker (centre `c`, radius `r`), down to `inner` px
 * inside its edge, the best contrast any pixel has against the background colour `bg`.
 */
function ringContrast(px, c, r, bg, { outside = 10, inner = 2 } = {}) {
  const out = [];
  for (let k = 0; k < 8; k++) {
    const a = (k * Math.PI) / 4;
    let best = 1;
    for (let d = r + outside; d >= r - inner; d -= 0.5) best = Math.max(best, contrast(px(c.x + d * Math.cos(a), c.y + d * Math.sin(a)), bg));
    out.push(best);
  }
  return Math.min(...out);
}

const markerBoxes = (page) => page.evaluate(() => [...document.querySelector('pave-hotspots').shadowRoot.querySelectorAll('.photo:not([hidden]) .marker')]
  .map((m) => { const r = m.getBoundingClientRect(); return { index: Number(m.dataset.index), x: r.x, y: r.y, width: r.width, height: r.height, group: m.dataset.group }; }));

test('contrast: marker numbers ≥ 4.5:1 on every group colour; the focus ring ≥ 3:1 against the page, the photo and the marker; markers visible on light and dark photos', async () => {
  const page = await plainPage('/light.html');
  // Text: computed colour against the computed (opaque) background, markers, list badges, clusters.
  const pairs = await page.evaluate(() => {
    const r = document.querySelector('pave-hotspots').shadowRoot;
    const read = (el) => { const cs = getComputedStyle(el); return { what: `${el.className}[${el.dataset.group}]`, color: cs.color, bg: cs.backgroundColor }; };
    return [...r.querySelectorAll('.marker'), ...r.querySelectorAll('.list .num')].map(read);
  });
  assert.equal(pairs.filter((p) => p.what.startsWith('marker')).length, 8);
  assert.deepEqual(new Set(pairs.map((p) => p.what.replace(/^\w+/, ''))).size, 7, 'all 7 groups');
  for (const p of pairs) {
    const bg = parseColor(p.bg);
    assert.equal(bg[3], 1, `${p.what}: background not opaque (${p.bg})`);
    const ratio = contrast(over(parseColor(p.color), bg), bg);
    assert.ok(ratio >= 4.5, `${p.what}: text ${p.color} on ${p.bg} is ${ratio.toFixed(2)}:1 < 4.5:1`);
  }

  // The focus ring: a --pave-focus-color outline sandwiched in a black box-shadow band.
  await page.keyboard.press('Tab');
  await tabTo(page, (x) => x.cls === 'marker', { max: 3, label: 'to a marker' });
  const ring = await assertFocusRing(page, 'marker');
  const yellow = parseColor(ring.outlineColor);
  const shadows = [...ring.boxShadow.matchAll(/rgba?\([^)]+\)[^,]*?(-?[\d.]+)px (-?[\d.]+)px (-?[\d.]+)px (-?[\d.]+)px/g)]
    .map((m) => ({ color: parseColor(m[0]), x: +m[1], y: +m[2], blur: +m[3], spread: +m[4] }));
  const band = shadows.filter((s) => s.x === 0 && s.y === 0 && s.blur === 0 && s.color[3] === 1);
  const outer = Math.max(...band.map((s) => s.spread));
  const inner = Math.min(...band.map((s) => s.spread));
  const dark = band[0]?.color;
  assert.ok(dark, `no solid band around the focus outline: ${ring.boxShadow}`);
  // The outline (offset o, width w) lies on the band: [o, o+w] ⊂ [0, outer], with band left on
  // both sides, so the yellow always has black next to it.
  assert.ok(ring.outlineOffset > 0 && inner >= ring.outlineOffset && outer > ring.outlineOffset + ring.outlineWidth,
    `outline ${ring.outlineOffset}+${ring.outlineWidth}px vs band ${inner}..${outer}px`);
  assert.ok(contrast(yellow, dark) >= 3, `focus colour vs its band: ${contrast(yellow, dark).toFixed(2)}`);
  // Against any page or photo colour, one of the two reaches 3:1 (WCAG 2.4.13's 3:1 change of
  // contrast; 1.4.11 against adjacent colours): every grey from black to white, and the worst
  // luminance in between.
  for (let v = 0; v <= 255; v++) {
    const bg = [v, v, v];
    const best = Math.max(contrast(yellow, bg), contrast(dark, bg));
    assert.ok(best >= 3, `focus ring on rgb(${v},${v},${v}): ${best.toFixed(2)}:1`);
  }
  // Against the marker itself: the band touches the marker's ring colour.
  const markerRing = parseColor(await page.evaluate(() => getComputedStyle(document.querySelector('pave-hotspots').shadowRoot.activeElement).borderTopColor));
  assert.ok(contrast(dark, markerRing) >= 3, `focus band vs the marker's ring: ${contrast(dark, markerRing).toFixed(2)}`);
  // And as painted: on the white photo the ring's outside is ≥ 3:1, as on the near-black one.
  const focused = Number((await focusInfo(page)).index);
  const box = (await markerBoxes(page)).find((b) => b.index === focused);
  const c = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  let px = await pixelsAround(page, box);
  assert.ok(ringContrast(px, c, box.width / 2, [255, 255, 255], { outside: 9, inner: -3 }) >= 3, 'focus ring on a white photo');

  // Unfocused markers on a white and on a near-black photo: ring + shadow ≥ 3:1 against it (1.4.11).
  await page.evaluate(() => document.activeElement.blur());
  await settle(page);
  const boxes = await markerBoxes(page);
  for (const [path, bg] of [['/light.html', [255, 255, 255]], ['/dark.html', [17, 17, 17]]]) {
    const p = path === '/light.html' ? page : await plainPage(path);
    const bxs = path === '/light.html' ? boxes : await markerBoxes(p);
    for (const b of bxs) {
      const pix = await pixelsAround(p, b);
      const cc = { x: b.x + b.width / 2, y: b.y + b.height / 2 };
      const worst = ringContrast(pix, cc, b.width / 2, bg, { outside: 4, inner: 2 });
      assert.ok(worst >= 3, `${path}: marker ${b.index} (${b.group}) edge is only ${worst.toFixed(2)}:1 against the photo`);
    }
    if (path === '/dark.html') {
      await p.keyboard.press('Tab');
      await tabTo(p, (x) => x.cls === 'marker', { max: 3, label: 'to a marker (dark)' });
      const i = Number((await focusInfo(p)).index);
      const fb = (await markerBoxes(p)).find((b) => b.index === i);
      px = await pixelsAround(p, fb);
      assert.ok(ringContrast(px, { x: fb.x + fb.width / 2, y: fb.y + fb.height / 2 }, fb.width / 2, bg, { outside: 9, inner: -3 }) >= 3, 'focus ring on a dark photo');
      await p.screenshot({ path: join(SHOTS, 'a11y-dark-photo.png'), clip: { x: 0, y: 0, width: 700, height: 560 } });
      await p.closeAll();
    }
  }
  // (From the blurred marker, Tab goes on to the list: the markers are one tab stop. Shift+Tab
  // comes back to it.)
  await page.keyboard.press('Tab');
  await tabTo(page, (x) => x.cls === 'marker', { back: true, max: 3, label: 'to a marker again' });
  await page.screenshot({ path: join(SHOTS, 'a11y-light-photo.png'), clip: { x: 0, y: 0, width: 700, height: 560 } });
  // Clusters: number on badge, collapsed and expanded.
  await page.closeAll();
  const narrow = await openPage('/narrow.html');
  const cl = root(narrow, '.cluster');
  for (const state of ['collapsed', 'expanded']) {
    if (state === 'expanded') { await cl.click(); await settle(narrow); await transitionsDone(narrow); }
    const s = await cl.evaluate((el) => { const cs = getComputedStyle(el); return { color: cs.color, bg: cs.backgroundColor }; });
    const bg = parseColor(s.bg);
    const ratio = contrast(over(parseColor(s.color), bg), bg);
    assert.ok(ratio >= 4.5, `cluster ${state}: ${s.color} on ${s.bg} is ${ratio.toFixed(2)}:1`);
  }
  await narrow.closeAll();
});

// ---- 5. Target sizes (WCAG 2.5.8) -------------------------------------------------------------

/** Sizes of the shown elements matching `selector` in the shadow root. */
// (Each scrolled into view first.)
const sizes = (page, selector) => page.evaluate((sel) => [...document.querySelector('pave-hotspots').shadowRoot.querySelectorAll(sel)]
  .filter((e) => e.checkVisibility())
  .map((e) => {
    e.scrollIntoView({ block: 'nearest' });
    const r = e.getBoundingClientRect();
    return { what: `${e.className || e.localName}${e.dataset.index ? `[${e.dataset.index}]` : ''} "${e.textContent.trim().slice(0, 20)}"`, w: r.width, h: r.height };
  }), selector);

function assertTargets(list, kind, min = 1) {
  assert.ok(list.length >= min, `${kind}: only ${list.length} found`);
  for (const s of list) assert.ok(s.w >= 24 && s.h >= 24, `${kind} ${s.what} is ${s.w.toFixed(1)}×${s.h.toFixed(1)} px, under 24×24`);
}

test("text size (WCAG 1.4.4): the widget's words follow the user's larger default font size, and are never below 14 px (a page whose root is 62.5 %)", async () => {
  const sizes = async (page) => {
    await page.evaluate(() => document.querySelector('pave-hotspots').open(3));
    await waitForEvent(page, 'pave-open');
    await settle(page);
    return page.evaluate(() => {
      const r = document.querySelector('pave-hotspots').shadowRoot;
      const px = (el) => parseFloat(getComputedStyle(el).fontSize);
      const pop = r.querySelector('.popover').getBoundingClientRect();
      return { root: px(document.documentElement), dd: px(r.querySelector('.popover dd')), row: px(r.querySelector('.list .what')), popover: pop.width, marker: px(r.querySelector('.marker')), vw: document.documentElement.clientWidth };
    });
  };
  // The browser's default font size "very large" (32 px, Chrome's setting).
  const big = await newPage();
  const cdp = await big.context().newCDPSession(big);
  await cdp.send('Page.enable');
  await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32, fixed: 26 } });
  await big.goto(`${server.url}/list.html`);
  await waitForEvent(big, 'pave-load');
  const large = await sizes(big);
  assert.equal(large.root, 32, JSON.stringify(large));
  assert.equal(large.dd, 28, `the popover's words at the user's 32 px: ${JSON.stringify(large)}`);
  assert.equal(large.row, 28, `the list's words: ${JSON.stringify(large)}`);
  // Wider with them (18.75 rem: 600 px), inside the viewport.
  assert.equal(large.popover, 600, JSON.stringify(large));
  // Marker numbers stay the size their circle is drawn for.
  assert.equal(large.marker, 12);
  await big.closeAll();
  for (const [path, want] of [['/list.html', 14], ['/small-root.html', 14]]) {
    const page = await openPage(path);
    const s = await sizes(page);
    assert.equal(s.dd, want, `${path}: ${JSON.stringify(s)}`);
    assert.equal(s.popover, 300, `${path}: ${JSON.stringify(s)}`);
    await page.closeAll();
  }
});

test('targets ≥ 24×24 CSS px: markers, cluster badges, popover, list, filter, viewer and retry buttons', async () => {
  const page = await openPage('/viewer.html');
  await settle(page);
  assertTargets(await sizes(page, '.marker'), 'marker');
  assertTargets(await sizes(page, '.viewer button'), 'viewer button', 2);
  assertTargets(await sizes(page, '.list .toggle'), 'list toggle');
  assertTargets(await sizes(page, '.list .filters button'), 'filter button', 4);
  assertTargets(await sizes(page, '.list li button'), 'list row', 27);
  const idx = await root(page, '.photo:not([hidden]) .marker:not([hidden])').first().getAttribute('data-index');
  await root(page, `.marker[data-index="${idx}"]`).click();
  await waitForEvent(page, 'pave-open');
  assertTargets(await sizes(page, '.popover button'), 'popover button', 3);
  await page.closeAll();

  const narrow = await openPage('/narrow.html');
  assertTargets(await sizes(narrow, '.cluster'), 'cluster badge');
  // The error state's Retry.
  await narrow.evaluate(() => document.querySelector('pave-hotspots').setAttribute('src', '/api/not-found'));
  await waitForEvent(narrow, 'pave-state', (d) => d.state === 'error');
  assertTargets(await sizes(narrow, '.status button'), 'Retry button');
  await narrow.closeAll();
});

// ---- 6. Touch ---------------------------------------------------------------------------------

test('touch: a tap opens a marker\'s popover, a tap outside closes it, a tap on a list row opens; no content behind :hover', async () => {
  const page = await openPage('/dealer.html', { options: { hasTouch: true, isMobile: true, viewport: { width: 1000, height: 800 } } });
  await root(page, '.marker[data-index="7"]').tap();
  await waitForEvent(page, 'pave-open', (d) => d.index === 7);
  assert.ok((await popoverFacts(page)).open);
  await page.locator('h1').tap();
  await waitForEvent(page, 'pave-close', (d) => d.index === 7);
  await root(page, '.list .toggle').tap();
  await root(page, '.list li button[data-index="9"]').tap();
  await waitForEvent(page, 'pave-open', (d) => d.index === 9);
  assert.equal((await popoverFacts(page)).heading, damages[9].description);
  await root(page, '.popover .next').tap();
  await waitForEvent(page, 'pave-open', (d) => d.index === 10);
  await root(page, '.popover .close').tap();
  await waitForEvent(page, 'pave-close', (d) => d.index === 10);
  // Every :hover rule only restyles (colours, shadows): none shows, hides or sizes content.
  const hoverRules = await page.evaluate(() => {
    const out = [];
    const walk = (rules) => {
      for (const r of rules) {
        if (r.cssRules) walk(r.cssRules);
        if (r.selectorText?.includes(':hover')) out.push({ sel: r.selectorText, props: [...r.style] });
      }
    };
    for (const sheet of document.querySelector('pave-hotspots').shadowRoot.adoptedStyleSheets) walk(sheet.cssRules);
    return out;
  });
  assert.ok(hoverRules.length > 0);
  const COSMETIC = /^(background(-[\w-]+)?|box-shadow|color|border(-\w+)*-color|outline(-\w+)*|text-decoration.*|cursor)$/;
  for (const r of hoverRules) {
    const bad = r.props.filter((p) => !COSMETIC.test(p));
    assert.deepEqual(bad, [], `${r.sel} changes ${bad} on hover only`);
  }
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

// ---- 7. Forced colors and reduced motion ------------------------------------------------------

/** A screenshot of the picture with its markers and the open popover, whole. */
async function shotOverlay(page, file) {
  const clip = await page.evaluate(() => {
    const boxes = [document.getElementById('spin'), document.querySelector('pave-hotspots').shadowRoot.querySelector('.popover')].map((e) => e.getBoundingClientRect());
    const top = Math.max(0, Math.min(...boxes.map((b) => b.top)) - 8);
    const bottom = Math.min(innerHeight, Math.max(...boxes.map((b) => b.bottom)) + 8);
    return { x: 0, y: top, width: innerWidth, height: bottom - top };
  });
  await page.screenshot({ path: join(SHOTS, file), clip });
}

/** Focused marker (keyboard) next to an open popover, on the Front photo; returns the page. */
async function focusedAndOpen(page) {
  await page.keyboard.press('Tab');
  await tabTo(page, (x) => x.cls === 'marker', { max: 3, label: 'to a marker' });
  // Open a damage's popover, then put keyboard focus back on its marker (as Shift+Tab does: focus
  // on any other marker closes the popover, which may cover it).
  const focused = '7';
  await page.evaluate(() => document.querySelector('pave-hotspots').open(7));
  await waitForEvent(page, 'pave-open', (d) => d.index === 7);
  await page.evaluate((i) => document.querySelector('pave-hotspots').shadowRoot.querySelector(`.marker[data-index="${i}"]`).focus(), focused);
  await settle(page);
  await transitionsDone(page);
  return focused;
}

test('forced colors: markers, focus ring and popover keep visible borders', async () => {
  const page = await openPage('/dealer.html');
  await page.emulateMedia({ forcedColors: 'active' });
  await settle(page);
  const focused = await focusedAndOpen(page);
  const r = await page.evaluate(() => {
    const root = document.querySelector('pave-hotspots').shadowRoot;
    const style = (el) => { const cs = getComputedStyle(el); return { bw: parseFloat(cs.borderTopWidth), bs: cs.borderTopStyle, bc: cs.borderTopColor, bg: cs.backgroundColor, color: cs.color, ow: parseFloat(cs.outlineWidth), os: cs.outlineStyle, oc: cs.outlineColor }; };
    return {
      forced: matchMedia('(forced-colors: active)').matches,
      markers: [...root.querySelectorAll('.photo:not([hidden]) .marker')].map((m) => ({ i: m.dataset.index, open: m.getAttribute('aria-expanded') === 'true', ...style(m) })),
      focused: style(root.activeElement),
      popover: style(root.querySelector('.popover')),
      buttons: [...root.querySelectorAll('.popover .nav button')].map(style),
    };
  });
  assert.ok(r.forced);
  const visible = (s) => s.bw >= 1 && s.bs !== 'none' && parseColor(s.bc)[3] > 0;
  for (const m of r.markers) {
    assert.ok(visible(m), `forced colors: marker ${m.i} border ${m.bw}px ${m.bs} ${m.bc}`);
    assert.notEqual(m.bc, m.bg, `forced colors: marker ${m.i} border colour equals its fill`);
    assert.ok(contrast(parseColor(m.color), parseColor(m.bg)) >= 4.5, `forced colors: marker ${m.i} text`);
  }
  // The open marker stands out by colour, not only by a (forced away or translucent) shadow.
  const open = r.markers.filter((m) => m.open);
  assert.equal(open.length, 1);
  assert.ok(r.markers.filter((m) => !m.open).every((m) => m.bg !== open[0].bg), `forced colors: the open marker looks like the others (${open[0].bg})`);
  assert.ok(r.focused.ow >= 2 && r.focused.os !== 'none' && parseColor(r.focused.oc)[3] > 0, `forced colors: focus outline ${JSON.stringify(r.focused)}`);
  assert.ok(visible(r.popover), `forced colors: popover border ${JSON.stringify(r.popover)}`);
  for (const b of r.buttons) assert.ok(visible(b), `forced colors: popover button border ${JSON.stringify(b)}`);
  await shotOverlay(page, 'a11y-forced-colors.png');
  assert.ok(focused);
  await page.closeAll();
});

test('reduced motion: no marker transition or animation runs, even when a cluster fans out', async () => {
  const page = await openPage('/narrow.html', { options: { reducedMotion: 'reduce' } });
  assert.ok(await page.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches));
  await root(page, '.cluster').click();
  await settle(page);
  const running = await page.evaluate(() => document.querySelector('pave-hotspots').shadowRoot.getAnimations()
    .map((a) => `${a.constructor.name} ${a.transitionProperty ?? a.animationName} on ${a.effect?.target?.className}`));
  assert.deepEqual(running, [], 'animations run under prefers-reduced-motion: reduce');
  // And the styles say so: no transition on markers and clusters (and there is one without the
  // preference, so this checks the media query, not a widget that never animates).
  const durations = (p) => p.evaluate(() => [...document.querySelector('pave-hotspots').shadowRoot.querySelectorAll('.marker, .cluster')]
    .flatMap((m) => getComputedStyle(m).transitionDuration.split(',').map(parseFloat)));
  assert.ok((await durations(page)).every((d) => d === 0), 'a marker or cluster keeps a transition under reduced motion');
  // Focus ring and popover: no transition either.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await settle(page);
  assert.deepEqual(await page.evaluate(() => document.querySelector('pave-hotspots').shadowRoot.getAnimations().length), 0, 'a focus change animates');
  await page.closeAll();
  // The screenshot: the Front photo, a focused marker and an open popover.
  const shot = await openPage('/dealer.html', { options: { reducedMotion: 'reduce' } });
  await focusedAndOpen(shot);
  assert.deepEqual(await shot.evaluate(() => document.querySelector('pave-hotspots').shadowRoot.getAnimations().length), 0);
  await shotOverlay(shot, 'a11y-reduced-motion.png');
  await shot.closeAll();
  const control = await openPage('/narrow.html');
  assert.ok((await durations(control)).some((d) => d > 0), 'control: markers transition without the preference');
  await control.closeAll();
  // The loading spinner stands still.
  const loading = await openPage('/state.html', { load: false, options: { reducedMotion: 'reduce' } });
  await loading.evaluate(() => document.querySelector('pave-hotspots').setAttribute('src', '/api/hold'));
  await waitForEvent(loading, 'pave-state', (d) => d.state === 'loading');
  await settle(loading);
  assert.deepEqual(await loading.evaluate(() => document.querySelector('pave-hotspots').shadowRoot.getAnimations().map((a) => a.animationName)), [], 'the loading spinner turns under reduced motion');
  releaseLoading();
  await loading.closeAll();
});

// ---- WCAG 2.4.11 Focus Not Obscured -----------------------------------------------------------

test('focus not obscured: with a popover open, Shift+Tab never lands on a marker or row hidden under it', {
}, async () => {
  const page = await openPage('/dealer.html');
  await root(page, '.list .toggle').click(); // the list open too: its rows are focus stops
  await page.keyboard.press('Tab'); // keyboard modality
  // Open a damage whose popover lies over other markers: the bumper one (index 7) opens above it.
  await page.evaluate(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('.marker[data-index="7"]').focus());
  await page.keyboard.press('Enter');
  await waitForEvent(page, 'pave-open', (d) => d.index === 7);
  await settle(page);
  const obscured = [];
  const check = async (how) => {
    const r = await page.evaluate(() => {
      const root = document.querySelector('pave-hotspots').shadowRoot;
      const a = root.activeElement;
      const pop = root.querySelector('.popover');
      if (!a || pop.contains(a) || pop.hidden) return null;
      const m = a.getBoundingClientRect();
      const p = pop.getBoundingClientRect();
      const inside = m.left >= p.left && m.right <= p.right && m.top >= p.top && m.bottom <= p.bottom;
      return inside ? `${a.className}[${a.dataset.index}] "${a.getAttribute('aria-label') ?? a.textContent.trim()}"` : null;
    });
    if (r) obscured.push(`${how}: ${r}`);
  };
  for (let k = 0; k < 60; k++) {
    await page.keyboard.press('Shift+Tab');
    const f = await focusInfo(page);
    if (f.where !== 'widget') break;
    await check('Shift+Tab');
  }
  // Tab forward out of the popover, from every damage of the photo: the popover closes as focus
  // leaves it for a marker or a row (it would cover them), as it does for the page.
  const shown = await page.evaluate(() => [...document.querySelector('pave-hotspots').shadowRoot.querySelectorAll('.photo:not([hidden]) .marker')].map((m) => m.dataset.index));
  for (const i of shown) {
    await page.evaluate((i) => document.querySelector('pave-hotspots').shadowRoot.querySelector(`.marker[data-index="${i}"]`).focus(), i);
    await page.keyboard.press('Enter');
    await waitForEvent(page, 'pave-open', (d) => d.index === Number(i));
    await settle(page);
    for (let k = 0; k < 8; k++) {
      await page.keyboard.press('Tab');
      const f = await focusInfo(page);
      if (f.where !== 'widget') break;
      if (!f.inPopover) {
        await check(`Tab out of damage ${i}'s popover`);
        assert.equal(await root(page, '.popover').isVisible(), false, `damage ${i}: focus on ${f.cls}[${f.index}] left the popover open`);
        break;
      }
    }
    await page.keyboard.press('Escape');
    await settle(page);
  }
  assert.deepEqual(obscured, [], `focused elements entirely hidden under the open popover (WCAG 2.4.11):\n${obscured.join('\n')}`);
  await page.closeAll();
});

// ---- Focus is never dropped when the widget hides what had it --------------------------------

const isBody = (page) => page.evaluate(() => !document.activeElement || document.activeElement === document.body);

test('focus survives a spin turn: from a marker it goes to the overlay (named, with a ring), never to <body>', {
}, async () => {
  const page = await openPage('/dealer.html');
  await page.keyboard.press('Tab');
  await tabTo(page, (x) => x.cls === 'marker', { max: 3, label: 'to a marker' });
  await page.evaluate(() => { document.getElementById('spin').src = '/photos/frame-05.svg'; });
  await page.waitForFunction(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('[part="overlay"]').getAttribute('aria-label').endsWith('Right'));
  await settle(page);
  const f = await focusInfo(page);
  assert.ok(f.where === 'widget' && f.cls === 'layer', `after the spin turned: focus on ${JSON.stringify(f)}`);
  await assertFocusRing(page, 'overlay layer');
  // From the overlay, Tab continues with the new photo's markers.
  await page.keyboard.press('Tab');
  const g = await focusInfo(page);
  assert.equal(g.cls, 'marker');
  assert.equal(damages[Number(g.index)].photoCode, 7);
  await page.closeAll();
});

test('focus survives a spin turn while the popover has it', {
}, async () => {
  const page = await openPage('/dealer.html');
  await page.keyboard.press('Tab');
  await tabTo(page, (x) => x.cls === 'marker', { max: 3, label: 'to a marker' });
  await page.keyboard.press('Enter');
  await waitForEvent(page, 'pave-open');
  assert.ok((await focusInfo(page)).inPopover);
  // The user drags the spin (or it autoplays) to another inspected photo: one in the cache, one
  // that takes a while to come.
  for (const src of ['/photos/frame-05.svg', '/slow/frame-05.svg']) {
    if (!(await focusInfo(page)).inPopover) {
      await page.evaluate(() => { document.getElementById('spin').src = '/photos/frame-01.svg'; });
      await settle(page);
      await tabTo(page, (x) => x.cls === 'marker', { max: 3, label: 'to a marker' });
      await page.keyboard.press('Enter');
      await waitForEvent(page, 'pave-open');
    }
    await page.clearEvents();
    await page.evaluate((src) => { document.getElementById('spin').src = src; }, src);
    await waitForEvent(page, 'pave-close');
    await page.waitForFunction(() => document.getElementById('spin').complete);
    await settle(page);
    const f = await focusInfo(page);
    assert.ok(f.where === 'widget', `${src}: after the spin turned under the open popover: focus on ${JSON.stringify(f)}`);
  }
  await page.closeAll();
});

test('focus survives a spin turn to a frame between inspected angles (no markers)', {
}, async () => {
  const page = await openPage('/dealer.html');
  await page.keyboard.press('Tab');
  await tabTo(page, (x) => x.cls === 'marker', { max: 3, label: 'to a marker' });
  await page.evaluate(() => { document.getElementById('spin').src = '/photos/frame-02.svg'; });
  await page.waitForFunction(() => document.querySelector('pave-hotspots').shadowRoot.querySelectorAll('.photo:not([hidden])').length === 0);
  await settle(page);
  assert.equal(await isBody(page), false, `focus fell to <body>: ${JSON.stringify(await focusInfo(page))}`);
  // The overlay no longer names the photo turned away from.
  const name = await page.evaluate(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('[part="overlay"]').getAttribute('aria-label'));
  assert.equal(name, 'Damage markers');
  await page.closeAll();
});

test('focus survives new data under the open popover: reload(), new results, bad results (over a picture and in the built-in viewer)', {
}, async () => {
  for (const path of ['/dealer.html', '/viewer.html']) {
    const page = await openPage(path);
    const marker = () => document.querySelector('pave-hotspots').shadowRoot.querySelector('.photo:not([hidden]) .marker:not([hidden])');
    for (const [how, change] of [
      ['reload()', 'el.reload()'],
      ['new results', 'el.results = await (await fetch(el.getAttribute("src"))).text()'],
      ['bad results', 'el.results = \'{"success": true, "data": [}\''],
    ]) {
      await page.waitForFunction(marker);
      await settle(page);
      await page.evaluate(`(${marker})().focus()`);
      await page.clearEvents();
      await page.keyboard.press('Enter');
      await waitForEvent(page, 'pave-open');
      assert.ok((await focusInfo(page)).inPopover, `${how}: the popover has focus`);
      await page.evaluate(`(async () => { const el = document.querySelector('pave-hotspots'); ${change}; })()`);
      await waitForEvent(page, 'pave-close');
      await settle(page);
      const f = await focusInfo(page);
      assert.ok(f.where === 'widget', `${path}, ${how}: focus on ${JSON.stringify(f)}`);
    }
    await page.closeAll();
  }
});

test('focus survives Retry: pressing Retry with the keyboard keeps focus in the widget', {
}, async () => {
  const page = await openPage('/state.html', { load: false });
  await page.evaluate(() => document.querySelector('pave-hotspots').setAttribute('src', '/api/not-found'));
  await waitForEvent(page, 'pave-state', (d) => d.state === 'error');
  await page.keyboard.press('Tab');
  await tabTo(page, (x) => x.cls === 'retry', { max: 3, label: 'to Retry' });
  await assertFocusRing(page, 'Retry');
  await page.clearEvents();
  await page.keyboard.press('Enter');
  await waitForEvent(page, 'pave-state', (d) => d.state === 'error');
  await settle(page);
  const f = await focusInfo(page);
  assert.ok(f.where === 'widget', `after Retry (error again): focus on ${JSON.stringify(f)}`);
  // A Retry that works: the status line, which has the focus, says so and shows, with its ring
  // (the ready state otherwise keeps it for screen readers only).
  flaky = 0;
  await page.evaluate(() => document.querySelector('pave-hotspots').setAttribute('src', '/api/flaky'));
  await waitForEvent(page, 'pave-error', (d) => d.status === 500);
  await settle(page);
  await page.keyboard.press('Shift+Tab');
  await tabTo(page, (x) => x.cls === 'retry', { max: 3, label: 'to Retry after a 500' });
  await page.keyboard.press('Enter');
  await waitForEvent(page, 'pave-state', (d) => d.state === 'ready');
  await settle(page);
  const s = await page.evaluate(() => {
    const p = document.querySelector('pave-hotspots').shadowRoot.querySelector('[role=status]');
    const r = p.getBoundingClientRect();
    return { focused: p.matches(':focus'), text: p.textContent, width: r.width, clip: getComputedStyle(p).clipPath };
  });
  assert.deepEqual([s.focused, s.text, s.clip], [true, '27\u00a0damages', 'none'], JSON.stringify(s));
  assert.ok(s.width > 20, JSON.stringify(s));
  await page.closeAll();
});

test('the popover focused by keyboard has the black band around its ring (the yellow alone is 1.6:1 on white); a filter leaves no photo heading over an empty list', async () => {
  const page = await openPage('/dealer.html');
  await page.keyboard.press('Tab');
  await page.evaluate(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('.marker[data-index="7"]').focus());
  await page.keyboard.press('Enter');
  await waitForEvent(page, 'pave-open', (d) => d.index === 7);
  await settle(page);
  const shadow = await page.evaluate(() => {
    const p = document.querySelector('pave-hotspots').shadowRoot.querySelector('.popover');
    return p.matches(':focus-visible') && getComputedStyle(p).boxShadow;
  });
  assert.match(String(shadow), /rgb\(0, 0, 0\) 0px 0px 0px 2px, rgb\(0, 0, 0\) 0px 0px 0px 7px/);
  await page.keyboard.press('Escape');
  // The Wheel filter: only the photos with a wheel damage keep their heading and list.
  await root(page, '.list .toggle').click();
  await root(page, '[data-action=filter][data-group="wheel"]').click();
  const wheel = sample.data.filter((p) => p.inspection_data.some((d) => d.damage_group === 'WHEEL')).map((p) => p.photo_label);
  const headings = await page.evaluate(() => [...document.querySelector('pave-hotspots').shadowRoot.querySelectorAll('#pave-list-body [role=heading]')]
    .filter((h) => h.checkVisibility()).map((h) => [h.textContent, h.nextElementSibling.querySelectorAll('li:not([hidden])').length]));
  assert.deepEqual(headings.map(([h]) => h).sort(), wheel.sort());
  assert.ok(headings.every(([, n]) => n > 0), JSON.stringify(headings));
  // All again: every photo's heading is back.
  await root(page, '[data-action=filter][data-group=""]').click();
  const all = await page.evaluate(() => [...document.querySelector('pave-hotspots').shadowRoot.querySelectorAll('#pave-list-body [role=heading]')].filter((h) => h.checkVisibility()).length);
  assert.equal(all, sample.data.filter((p) => p.inspection_data.length).length);
  await page.closeAll();
});

test('the overlay layer\'s focus ring rings the part of a cropped picture the page shows (object-fit: cover), not the whole photo', async () => {
  const page = await openPage('/dealer.html');
  await page.evaluate(() => { const i = document.getElementById('spin'); i.style.height = '300px'; i.style.objectFit = 'cover'; });
  await settle(page);
  await page.keyboard.press('Tab');
  await page.evaluate(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('.layer').focus());
  await settle(page);
  const r = await page.evaluate(() => {
    const layer = document.querySelector('pave-hotspots').shadowRoot.querySelector('.layer');
    const l = layer.getBoundingClientRect();
    const a = getComputedStyle(layer, '::after');
    const img = document.getElementById('spin').getBoundingClientRect();
    return {
      focusVisible: layer.matches(':focus-visible'),
      outline: a.outlineStyle,
      ring: [l.x + parseFloat(a.left), l.y + parseFloat(a.top), parseFloat(a.width), parseFloat(a.height)],
      img: [img.x, img.y, img.width, img.height],
      layer: [l.x, l.y, l.width, l.height],
    };
  });
  assert.ok(r.focusVisible && r.outline === 'solid', JSON.stringify(r));
  assert.ok(r.layer[3] > r.img[3] + 100, `the photo is cropped: ${JSON.stringify(r)}`);
  r.ring.forEach((v, k) => assert.ok(Math.abs(v - r.img[k]) < 1, `ring ${r.ring} vs picture ${r.img}`));
  await page.closeAll();
});

test('the status line\'s live region is in the page a while before its first words (written as it comes, a screen reader would not read them): data in at once, an error, no damage', async () => {
  // (The first with `src` in the page's markup: the data, fetched beside the wasm, comes with it.)
  for (const [path, src] of [['/dealer.html', '/api/results'], ['/state.html', '/api/not-found'], ['/state.html', '/api/no-damage']]) {
    const page = await newPage();
    // Every change to a status region of a widget's, with the animation frame it came in, from
    // before the widget's shadow root is made.
    await page.addInitScript(() => {
      window.__frames = 0;
      const tick = () => { window.__frames += 1; requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      window.__status = [];
      const attach = Element.prototype.attachShadow;
      Element.prototype.attachShadow = function (init) {
        const root = attach.call(this, init);
        new MutationObserver((records) => {
          for (const m of records) {
            for (const n of m.addedNodes) {
              for (const r of n.nodeType === 1 ? [n, ...n.querySelectorAll('*')].filter((e) => e.getAttribute('role') === 'status') : []) {
                window.__status.push({ what: 'made', frame: window.__frames, text: r.textContent, region: r });
              }
            }
            const region = (m.target.nodeType === 1 ? m.target : m.target.parentElement)?.closest('[role=status]');
            if (region && !(m.addedNodes.length === 1 && m.addedNodes[0].getAttribute?.('role') === 'status')) {
              window.__status.push({ what: 'words', frame: window.__frames, text: region.textContent, region });
            }
          }
        }).observe(root, { childList: true, subtree: true, characterData: true });
        return root;
      };
    });
    await page.goto(`${server.url}${path}`);
    if (path === '/state.html') await page.evaluate((src) => document.querySelector('pave-hotspots').setAttribute('src', src), src);
    await page.waitForFunction(() => window.__status.some((s) => s.what === 'words' && s.text.trim()), null, { timeout: 10000 });
    await page.waitForTimeout(300);
    const log = await page.evaluate(() => {
      const regions = [];
      return window.__status.map((s) => {
        if (!regions.includes(s.region)) regions.push(s.region);
        return { what: s.what, frame: s.frame, text: s.text.trim(), region: regions.indexOf(s.region), connected: s.region.isConnected };
      });
    });
    const live = log.filter((s) => s.connected);
    const made = live.find((s) => s.what === 'made');
    assert.ok(made, `${src}: no status region made: ${JSON.stringify(log)}`);
    assert.equal(made.text, '', `${src}: the region came with its words: ${JSON.stringify(log)}`);
    const words = live.filter((s) => s.what === 'words' && s.text);
    assert.ok(words.length > 0, `${src}: ${JSON.stringify(log)}`);
    assert.ok(words[0].frame >= made.frame + 2, `${src}: words written ${words[0].frame - made.frame} frame(s) after the region came: ${JSON.stringify(log)}`);
    assert.deepEqual(page.errors(), []);
    await page.closeAll();
  }
});

test('the live region says a state once: polls while PAVE inspects write nothing', async () => {
  const page = await openPage('/state.html', { load: false });
  await page.evaluate(() => {
    const el = document.querySelector('pave-hotspots');
    window.__writes = [];
    new MutationObserver((list) => window.__writes.push(...list.map((m) => m.target.textContent ?? ''))).observe(el.shadowRoot.querySelector('[role=status]'), { childList: true, characterData: true, subtree: true });
    el.setAttribute('poll-timeout', '60000');
    el.setAttribute('src', '/api/inspecting');
  });
  // Until three polls have come back "not yet inspected".
  await page.waitForFunction(() => (window.__pollsSeen = (performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/api/inspecting')).length)) >= 3, null, { timeout: 20000 });
  const writes = await page.evaluate(() => window.__writes);
  assert.deepEqual(writes.filter((w) => /Inspection in progress/.test(w)).length, 1, JSON.stringify(writes));
  await page.closeAll();
});
