// The page's colour scheme: the widget's defaults are dark where native form controls are, i.e.
// when the inherited `color-scheme` says the page (or the element) supports dark and dark is in
// use; not on a dark preference alone. A page's --pave-* custom properties win in both schemes.
// Chromium emulates the preference (`prefers-color-scheme: dark`).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { serve, newPage, closeBrowser, settle, waitForEvent, readFixture, ROOT, sendJson } from './harness.mjs';

const SHOTS = join(ROOT, 'tests', 'page', 'out', 'screenshots');
let server;

/**
 * A page with two widgets in its <main>: the built-in viewer with its list open (and a popover to
 * open), and one whose source answers 404 (the status line with its error and Retry). `css` is
 * the page's, `style` the elements'.
 */
function page(css = '', style = '') {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Colour scheme</title>
<style>body { margin: 0; font: 16px/1.5 system-ui, sans-serif; background: Canvas; color: CanvasText; } main { padding: 16px; background: Canvas; } ${css}</style></head>
<body><main><h1>Colour scheme</h1>
<pave-hotspots id="viewer" src="/api/local" list="open" style="max-width: 560px; ${style}"></pave-hotspots>
<pave-hotspots id="status" src="/api/not-found" style="${style}"></pave-hotspots></main>
<script type="module" src="/dist/pave-hotspots.js"></script></body></html>`;
}

before(async () => {
  const sample = JSON.parse(await readFixture('results-27-damages.json'));
  const PHOTO_FILE = { 4: 'photo-04-left', 5: 'photo-05-front', 7: 'photo-07-right', 8: 'photo-08-rear' };
  for (const p of sample.data) p.url = `/photos/${PHOTO_FILE[p.photo_code]}.svg`;
  const notFound = await readFixture('session-not-found.json');
  server = await serve({
    pages: {
      '/light-dark.html': page(':root { color-scheme: light dark; }'),
      '/plain.html': page(),
      '/themed.html': page(':root { color-scheme: light dark; --pave-popover-bg: rgb(10, 61, 46); --pave-popover-text: rgb(250, 250, 210); --pave-text: rgb(255, 215, 0); }'),
      // A dark band of a light page (what forcing dark on the element is for).
      '/element-dark.html': page('main { background: rgb(22, 24, 29); color: rgb(230, 237, 243); }', 'color-scheme: dark'),
      '/element-light.html': page(':root { color-scheme: light dark; }', 'color-scheme: light'),
      '/dark.html': page(':root { color-scheme: dark; }'),
    },
    async handler(req, res, url) {
      if (url.pathname === '/api/local') { sendJson(res, 200, JSON.stringify(sample)); return true; }
      if (url.pathname === '/api/not-found') { sendJson(res, 404, notFound); return true; }
      return false;
    },
  });
  await mkdir(SHOTS, { recursive: true });
});
after(async () => { await server?.close(); await closeBrowser(); });

/** Opens `path` under the `scheme` preference, both widgets settled, the viewer's popover open. */
async function openScheme(path, scheme) {
  const p = await newPage();
  await p.emulateMedia({ colorScheme: scheme });
  await p.goto(server.url + path);
  await waitForEvent(p, 'pave-load', () => true);
  await waitForEvent(p, 'pave-state', (d) => d.state === 'error');
  await p.waitForFunction(() => document.querySelector('#viewer').shadowRoot.querySelector('[part="image"]')?.complete);
  await settle(p);
  // A damage on the photo shown, opened as a shopper does (its row in the list then is current).
  await p.locator('#viewer .photo:not([hidden]) .marker:not([hidden])').first().click();
  await waitForEvent(p, 'pave-open');
  await settle(p);
  assert.equal(await p.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), scheme === 'dark', 'the emulated preference');
  return p;
}

/** The computed colours that matter, inside both shadow roots, and the background behind the widgets. */
function colours(p) {
  return p.evaluate(() => {
    const v = document.querySelector('#viewer').shadowRoot;
    const s = document.querySelector('#status').shadowRoot;
    const cs = (el) => getComputedStyle(el);
    const pair = (el) => ({ color: cs(el).color, bg: cs(el).backgroundColor });
    return {
      body: cs(document.body).backgroundColor,
      page: cs(document.querySelector('main')).backgroundColor,
      // The widget's own text colour (set on its boxes: the host's is the page's).
      host: cs(v.querySelector('.list')).color,
      popover: pair(v.querySelector('.popover')),
      popoverBorder: cs(v.querySelector('.popover')).borderTopColor,
      muted: cs(v.querySelector('.popover .component')).color,
      dt: cs(v.querySelector('.popover dt')).color,
      navButton: { ...pair(v.querySelector('.popover .nav button')), border: cs(v.querySelector('.popover .nav button')).borderTopColor },
      toggle: { ...pair(v.querySelector('.list .toggle')), border: cs(v.querySelector('.list .toggle')).borderTopColor },
      row: cs(v.querySelector('.list li button')).color,
      where: cs(v.querySelector('.list .where')).color,
      current: pair(v.querySelector('.list li button[aria-current="true"]')),
      filter: pair(v.querySelector('.list .filters button[aria-pressed="false"]')),
      pressed: pair(v.querySelector('.list .filters button[aria-pressed="true"]')),
      stage: cs(v.querySelector('.viewer .stage')).backgroundColor,
      error: cs(s.querySelector('.status p')).color,
      retry: pair(s.querySelector('.status button')),
    };
  });
}

/** "rgb(1, 2, 3)" / "rgba(1, 2, 3, 0.5)" → [r, g, b, a]. */
function parseColor(text) {
  const m = /rgba?\(([^)]+)\)/.exec(text);
  if (!m) throw new Error(`not an rgb colour: ${text}`);
  const parts = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
  return [parts[0], parts[1], parts[2], parts[3] ?? 1];
}
const lum = (text) => {
  const [r, g, b] = parseColor(text);
  const f = (c) => { const s = c / 255; return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
};
/** `top` composited over the opaque `bottom`, as an rgb() text. */
const over = (top, bottom) => {
  const t = parseColor(top); const b = parseColor(bottom);
  return `rgb(${[0, 1, 2].map((k) => t[k] * t[3] + b[k] * (1 - t[3])).join(', ')})`;
};
/** WCAG 2 contrast ratio of two colours (the first composited over the second). */
function contrast(fg, bg) {
  const [x, y] = [lum(over(fg, bg)), lum(bg)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}
const isDark = (c) => lum(c) < 0.05;
const isLight = (c) => lum(c) > 0.6;

test('color-scheme: light dark under a dark preference: dark popover, list, viewer and status, light text, contrast ≥ 4.5:1 (≥ 3:1 for borders)', async () => {
  const p = await openScheme('/light-dark.html', 'dark');
  const c = await colours(p);
  assert.ok(isDark(c.page), `the page itself is dark (${c.page})`);
  for (const [what, bg] of [['popover', c.popover.bg], ['list toggle', c.toggle.bg], ['popover button', c.navButton.bg], ['filter', c.filter.bg], ['retry button', c.retry.bg], ['viewer stage', c.stage], ['current row', c.current.bg]]) {
    assert.ok(lum(bg) < 0.1 && parseColor(bg)[3] === 1, `${what} background is not dark: ${bg}`);
  }
  for (const [what, fg] of [['widget text', c.host], ['popover text', c.popover.color], ['list row', c.row], ['toggle', c.toggle.color], ['button', c.navButton.color], ['retry', c.retry.color]]) {
    assert.ok(isLight(fg), `${what} text is not light: ${fg}`);
  }
  const pairs = [
    ['popover text', c.popover.color, c.popover.bg, 4.5],
    ['popover component line', c.muted, c.popover.bg, 4.5],
    ['popover field names', c.dt, c.popover.bg, 4.5],
    ['popover button', c.navButton.color, c.navButton.bg, 4.5],
    ['list toggle', c.toggle.color, c.toggle.bg, 4.5],
    ['list row on the page', c.row, c.page, 4.5],
    ['list row photo on the page', c.where, c.page, 4.5],
    ['list current row', c.current.color, c.current.bg, 4.5],
    ['filter', c.filter.color, c.filter.bg, 4.5],
    ['pressed filter', c.pressed.color, c.pressed.bg, 4.5],
    ['pressed filter against the others', c.pressed.bg, c.filter.bg, 3],
    ['error on the page', c.error, c.page, 4.5],
    ['retry', c.retry.color, c.retry.bg, 4.5],
    ['popover border', c.popoverBorder, c.popover.bg, 3],
    ['button border', c.navButton.border, c.navButton.bg, 3],
    ['button border on the popover', c.navButton.border, c.popover.bg, 3],
    ['list toggle border', c.toggle.border, c.toggle.bg, 3],
  ];
  for (const [what, fg, bg, min] of pairs) {
    const r = contrast(fg, bg);
    assert.ok(r >= min, `${what}: ${fg} on ${bg} is ${r.toFixed(2)}:1 < ${min}:1`);
  }
  await p.screenshot({ path: join(SHOTS, 'scheme-dark.png') });
  assert.deepEqual(p.errors(), []);
  await p.closeAll();
});

test('color-scheme: a page that names no scheme keeps the light widget under a dark preference, and turns dark once it says light dark', async () => {
  const p = await openScheme('/plain.html', 'dark');
  const c = await colours(p);
  assert.equal(c.page, 'rgb(255, 255, 255)', 'the page stays light');
  assert.equal(c.popover.bg, 'rgb(255, 255, 255)');
  assert.equal(c.toggle.bg, 'rgb(255, 255, 255)');
  assert.equal(c.retry.bg, 'rgb(255, 255, 255)');
  assert.equal(c.popover.color, 'rgb(27, 31, 36)');
  assert.equal(c.host, 'rgb(27, 31, 36)');
  assert.equal(c.stage, 'rgb(238, 240, 242)');
  // The same widgets, the page now saying it supports dark: dark at once (no reload).
  await p.evaluate(() => { document.documentElement.style.colorScheme = 'light dark'; });
  await settle(p);
  const d = await colours(p);
  assert.ok(isDark(d.popover.bg) && isDark(d.toggle.bg) && isLight(d.host), `not dark once the page says light dark: ${JSON.stringify(d)}`);
  assert.deepEqual(p.errors(), []);
  await p.closeAll();
});

test('color-scheme: a page\'s --pave-* wins in the dark scheme too, the other defaults stay dark', async () => {
  const p = await openScheme('/themed.html', 'dark');
  const c = await colours(p);
  assert.equal(c.popover.bg, 'rgb(10, 61, 46)');
  assert.equal(c.popover.color, 'rgb(250, 250, 210)');
  assert.equal(c.host, 'rgb(255, 215, 0)');
  assert.ok(isDark(c.toggle.bg) && isDark(c.navButton.bg), `the defaults not set by the page are dark: ${c.toggle.bg}, ${c.navButton.bg}`);
  // And in light.
  await p.emulateMedia({ colorScheme: 'light' });
  await settle(p);
  const l = await colours(p);
  assert.equal(l.popover.bg, 'rgb(10, 61, 46)');
  assert.equal(l.host, 'rgb(255, 215, 0)');
  assert.equal(l.toggle.bg, 'rgb(255, 255, 255)');
  assert.deepEqual(p.errors(), []);
  await p.closeAll();
});

test('color-scheme: set on the element alone, dark forces the dark widget (any preference) and light the light one', async () => {
  for (const pref of ['dark', 'light']) {
    const p = await openScheme('/element-dark.html', pref);
    const c = await colours(p);
    assert.equal(c.body, 'rgb(255, 255, 255)', 'the page stays light');
    for (const [what, bg] of [['popover', c.popover.bg], ['list toggle', c.toggle.bg], ['retry', c.retry.bg], ['stage', c.stage]]) {
      assert.ok(isDark(bg), `${pref} preference, color-scheme: dark on the element: ${what} is ${bg}`);
    }
    assert.ok(isLight(c.host) && isLight(c.popover.color), `${pref}: text ${c.host}, ${c.popover.color}`);
    assert.ok(contrast(c.popover.color, c.popover.bg) >= 4.5);
    assert.ok(contrast(c.row, c.page) >= 4.5 && contrast(c.error, c.page) >= 4.5, `${pref}: list and status text on the dark band`);
    if (pref === 'dark') await p.screenshot({ path: join(SHOTS, 'scheme-element-dark.png') });
    await p.closeAll();
  }
  const p = await openScheme('/element-light.html', 'dark');
  const c = await colours(p);
  assert.ok(isDark(c.page), 'the page is dark');
  assert.equal(c.popover.bg, 'rgb(255, 255, 255)', 'color-scheme: light on the element keeps it light');
  assert.equal(c.toggle.bg, 'rgb(255, 255, 255)');
  assert.equal(c.host, 'rgb(27, 31, 36)');
  await p.closeAll();
});

test('color-scheme: forced colors still win over the dark defaults (pressed filter, markers)', async () => {
  const p = await openScheme('/light-dark.html', 'dark');
  const before = await colours(p);
  assert.ok(isDark(before.toggle.bg), 'dark before forced colors');
  await p.evaluate(() => document.querySelector('#viewer').shadowRoot.querySelector('.list .filters button[data-group="body"]').click());
  await p.emulateMedia({ colorScheme: 'dark', forcedColors: 'active' });
  await settle(p);
  const r = await p.evaluate(() => {
    const v = document.querySelector('#viewer').shadowRoot;
    const sys = (c) => { const d = document.createElement('div'); d.style.color = c; document.body.append(d); const out = getComputedStyle(d).color; d.remove(); return out; };
    const pressed = getComputedStyle(v.querySelector('.list .filters button[aria-pressed="true"]'));
    const marker = getComputedStyle(v.querySelector('.photo:not([hidden]) .marker'));
    return { highlight: sys('Highlight'), highlightText: sys('HighlightText'), buttonFace: sys('ButtonFace'), pressedBg: pressed.backgroundColor, pressedText: pressed.color, markerBg: marker.backgroundColor };
  });
  assert.equal(r.pressedBg, r.highlight);
  assert.equal(r.pressedText, r.highlightText);
  assert.ok([r.buttonFace, r.highlight].includes(r.markerBg), `marker ${r.markerBg}`);
  await p.closeAll();
});

test('color-scheme: on paper the words take the light colours, even on a page or element fixed to dark (light text on white paper before); dark again on screen', async () => {
  for (const path of ['/dark.html', '/element-dark.html']) {
    const p = await openScheme(path, 'dark');
    const screen = await colours(p);
    assert.ok(isLight(screen.row) && isDark(screen.toggle.bg), `${path}: dark on screen: ${JSON.stringify(screen)}`);
    await p.emulateMedia({ media: 'print', colorScheme: 'dark' });
    const paper = await colours(p);
    for (const [what, fg] of [['widget text', paper.host], ['list row', paper.row], ['toggle', paper.toggle.color], ['list row photo', paper.where], ['error', paper.error], ['retry', paper.retry.color]]) {
      assert.ok(contrast(fg, 'rgb(255, 255, 255)') >= 4.5, `${path}: ${what} on white paper: ${fg}`);
    }
    assert.equal(paper.row, 'rgb(27, 31, 36)', path);
    assert.equal(paper.toggle.bg, 'rgb(255, 255, 255)', path);
    await p.emulateMedia({ media: 'screen', colorScheme: 'dark' });
    const back = await colours(p);
    assert.deepEqual(back, screen, `${path}: the same colours on screen after printing`);
    assert.deepEqual(p.errors(), []);
    await p.closeAll();
  }
});
