// Pages styled however they liked: CSS zoom on an ancestor, pinch-zoom, pointer-events turned off
// around the picture, inherited text styles, classic scrollbars, right-to-left documents, a page's
// own Escape handler, a cluster at the screen's edge, custom marker sizes in any unit (and changed
// at run time), keyboard moves to markers out of view, a popover whose marker scrolls away or that
// is taller than its room.
// Each test failed on the build before its fix (PAVE_TEST_DIST=<dir> runs them on another build).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { serve, newPage, closeBrowser, settle, transitionsDone, waitForEvent, readFixture, sendJson, inRoot, CHROMIUM_ARGS } from './harness.mjs';

const PHOTO_MAP = { 'frame-01.svg': 5, 'frame-05.svg': 7, 'frame-09.svg': 8, 'frame-13.svg': 4 };
let server;
let sample;
const pages = {};

/** A page: the front photo (`img` style), the widget (`attrs`), extra CSS, body and script. */
function page({ css = '', wrap = (x) => x, img = 'display:block;width:600px', attrs = 'src="/api/results"', after = '', script = '', htmlAttrs = 'lang="en"' }) {
  return `<!doctype html><html ${htmlAttrs}><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>t</title>
<style>body{margin:0;font:16px/1.5 system-ui,sans-serif} ${css}</style></head><body>
${wrap(`<img id="spin" src="/photos/frame-01.svg" alt="car" style="${img}"><pave-hotspots for="spin" ${attrs}></pave-hotspots>`)}
${after}
<script>document.querySelector('pave-hotspots').photoMap = ${JSON.stringify(PHOTO_MAP)}; ${script}</script>
<script type="module" src="/dist/pave-hotspots.js"></script></body></html>`;
}

/** Results with `n` copies of one damage, laid out by `at(k)` → {x, y}, on the front photo. */
function resultsWith(n, at) {
  const front = sample.data.find((p) => p.photo_code === '5' || p.photo_code === 5) ?? sample.data[1];
  const t = sample.data.flatMap((p) => p.inspection_data)[0];
  return JSON.stringify({ ...sample, data: [{ ...front, inspection_data: Array.from({ length: n }, (_, k) => ({ ...t, coodrs: at(k) })) }] });
}

before(async () => {
  const text = await readFixture('results-27-damages.json');
  sample = JSON.parse(text);
  Object.assign(pages, {
    '/zoom15.html': page({ css: '.wrap{zoom:1.5}', wrap: (x) => `<div class="wrap">${x}</div>` }),
    '/zoom05.html': page({ css: '.wrap{zoom:.5}', wrap: (x) => `<div class="wrap">${x}</div>` }),
    '/zoom2.html': page({ css: 'html{zoom:2}', img: 'display:block;width:150px' }),
    '/long.html': page({ img: 'display:block;width:100%', after: '<p style="height:3000px">more page</p>' }),
    // The same with the page's content above the picture: any marker can be scrolled anywhere.
    '/phone.html': page({ img: 'display:block;width:100%', wrap: (x) => `<div style="height:600px"></div>${x}`, after: '<p style="height:3000px">more page</p>' }),
    '/hud.html': page({
      css: '.spin{position:relative} .hud{position:absolute;inset:0;pointer-events:none}',
      wrap: () => `<div class="spin"><img id="spin" src="/photos/frame-01.svg" alt="car" style="display:block;width:700px"><div class="hud"><pave-hotspots for="spin" src="/api/results" list="open"></pave-hotspots></div></div>`,
    }),
    '/indent.html': page({
      css: '.wrap{text-indent:-9999px;letter-spacing:4px;text-transform:uppercase;white-space:nowrap}',
      wrap: (x) => `<div class="wrap">${x}</div>`, attrs: 'src="/api/results" list="open"',
    }),
    // The same on a rule that matches the element itself, which wins over the widget's :host.
    '/indent-all.html': page({
      css: '.wrap *{text-indent:30px;letter-spacing:4px;text-transform:uppercase;white-space:nowrap;font:22px serif;color:#fff}',
      wrap: (x) => `<div class="wrap">${x}</div>`, attrs: 'src="/api/results" list="open"',
    }),
    // A page in vertical writing whose text is cut out of its background (a transparent fill).
    '/vertical.html': page({
      css: '.wrap{writing-mode:vertical-rl;-webkit-text-fill-color:transparent;background:linear-gradient(90deg,#c00,#00c);-webkit-background-clip:text}',
      wrap: (x) => `<div class="wrap">${x}</div>`, attrs: 'src="/api/results" list="open"',
    }),
    '/rtl.html': page({ htmlAttrs: 'lang="ar" dir="rtl"' }),
    '/lightbox.html': page({
      wrap: (x) => `<div id="lightbox" style="position:fixed;inset:0;background:#fff">${x}</div>`,
      script: "document.addEventListener('keydown', (e) => { if (e.key === 'Escape') document.getElementById('lightbox').hidden = true; });",
    }),
    '/wide.html': page({ img: 'display:block;width:1400px' }),
    '/corner.html': page({ img: 'display:block;width:600px', attrs: '' }),
    '/sizes.html': page({ attrs: '' }),
    '/size-rem.html': page({ attrs: '', css: 'pave-hotspots{--pave-marker-size:2.75rem}' }),
    '/size-calc.html': page({ attrs: '', css: 'pave-hotspots{--pave-marker-size:calc(40px + 4px)}' }),
  });
  server = await serve({
    pages,
    handler: (req, res, url) => {
      if (url.pathname !== '/api/results') return false;
      sendJson(res, 200, text);
      return true;
    },
  });
});

after(async () => {
  await closeBrowser();
  await server?.close();
});

/** Opens `path`; `results` (text) is given to the element when its page has no `src`. */
async function open(path, options = {}, results = null) {
  const p = await newPage(options);
  await p.goto(server.url + path);
  if (results) {
    await p.evaluate(async (t) => {
      await customElements.whenDefined('pave-hotspots');
      document.querySelector('pave-hotspots').results = t;
    }, results);
  }
  await waitForEvent(p, 'pave-load');
  await p.waitForFunction(() => document.getElementById('spin').complete);
  await settle(p);
  await settle(p);
  return p;
}

const rect = (p, sel) => inRoot(p, `const r = root.querySelector(${JSON.stringify(sel)}).getBoundingClientRect(); return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };`);

/** Clicks the shown marker farthest right (or matching `pick`), returns its index. */
async function openMarker(p, pick = 'right') {
  const index = await inRoot(p, `const ms = [...root.querySelectorAll('.photo:not([hidden]) .marker:not([hidden])')];
    ms.sort((a, b) => ${pick === 'right' ? 'b.getBoundingClientRect().right - a.getBoundingClientRect().right' : 'a.getBoundingClientRect().top - b.getBoundingClientRect().top'});
    ms[0].click(); return ms[0].dataset.index;`);
  await waitForEvent(p, 'pave-open');
  await settle(p);
  await settle(p);
  return index;
}

/** Space between two boxes (0 when they touch or overlap). */
const apart = (a, b) => Math.max(a.left - b.right, b.left - a.right, a.top - b.bottom, b.top - a.bottom, 0);
const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

// (Zoom 2 on a phone: the popover's width is capped by the viewport's, so measured at the
// ancestor's zoom it is not twice its own: it was placed by that, off the screen's edge.)
for (const [path, zoom, viewport] of [['/zoom15.html', 1.5], ['/zoom05.html', 0.5], ['/zoom2.html', 2, { width: 320, height: 480 }]]) {
  test(`CSS zoom ${zoom} on an ancestor${viewport ? `, ${viewport.width}×${viewport.height}` : ''}: the popover lies inside the viewport, beside its marker, at its own size`, async () => {
    const p = await open(path, viewport ? { viewport } : {});
    const index = await openMarker(p);
    const pop = await rect(p, '.popover');
    const marker = await rect(p, `.marker[data-index="${index}"]`);
    const vw = await p.evaluate(() => document.documentElement.clientWidth);
    const vh = await p.evaluate(() => document.documentElement.clientHeight);
    assert.ok(pop.left >= 0 && pop.top >= 0 && pop.right <= vw && pop.bottom <= vh, `popover ${JSON.stringify(pop)} outside ${vw}×${vh}`);
    assert.ok(!overlaps(pop, marker), `popover covers its marker: ${JSON.stringify({ pop, marker })}`);
    assert.ok(apart(pop, marker) <= 12, `popover ${apart(pop, marker)} px from its marker`);
    assert.ok(Math.abs(pop.width - 300) < 1, `popover ${pop.width} px wide, not 300`);
    assert.deepEqual(p.errors(), []);
    await p.closeAll();
  });
}

test("a phone's short screen (375×548): the popover lies beside its marker, not over it, cut to the room there (it scrolls inside)", async () => {
  const p = await open('/phone.html', { viewport: { width: 375, height: 548 }, isMobile: true, hasTouch: true });
  for (let k = 0; k < 4; k++) {
    // A marker brought to the middle of the screen, tapped.
    const index = await inRoot(p, `const ms = [...root.querySelectorAll('.photo:not([hidden]) .marker:not([hidden])')];
      const m = ms[${k} % ms.length]; const r = m.getBoundingClientRect();
      scrollBy(0, r.top + r.height / 2 - innerHeight / 2); return m.dataset.index;`);
    await settle(p);
    await p.evaluate(() => window.__paveEvents.length = 0);
    const m = await rect(p, `.marker[data-index="${index}"]`);
    await p.touchscreen.tap(m.left + m.width / 2, m.top + m.height / 2);
    await waitForEvent(p, 'pave-open', (d) => String(d.index) === index);
    await settle(p); await settle(p);
    const pop = await rect(p, '.popover');
    const marker = await rect(p, `.marker[data-index="${index}"]`);
    assert.ok(pop.top >= 0 && pop.bottom <= 548 && pop.left >= 0 && pop.right <= 375, `popover ${JSON.stringify(pop)} outside the screen`);
    assert.ok(!overlaps(pop, marker), `popover over its marker: ${JSON.stringify({ pop, marker })}`);
    assert.ok(apart(pop, marker) <= 12, `popover ${apart(pop, marker)} px from its marker`);
    await inRoot(p, 'root.querySelector("[data-action=close]").click();');
    await waitForEvent(p, 'pave-close');
  }
  assert.deepEqual(p.errors(), []);
  await p.closeAll();
});

test("a phone's on-screen keyboard over the page (the visual viewport shorter, the layout viewport not): the popover stays in what the user sees", async () => {
  const p = await open('/phone.html', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  // A marker 160 px from the top of the screen, opened: its popover reaches below 450.
  const index = await inRoot(p, `const m = root.querySelector('.photo:not([hidden]) .marker:not([hidden])');
    scrollBy(0, m.getBoundingClientRect().top - 160); return m.dataset.index;`);
  await settle(p);
  await inRoot(p, `root.querySelector('.marker[data-index="${index}"]').click();`);
  await waitForEvent(p, 'pave-open');
  await settle(p); await settle(p);
  assert.ok((await rect(p, '.popover')).bottom > 450, 'the popover reaches below 450 with no keyboard');
  // (Headless Chromium has no keyboard: the visual viewport made shorter, as iOS Safari and
  // Chrome for Android do, and told by its resize event.)
  await p.evaluate(() => {
    Object.defineProperty(VisualViewport.prototype, 'height', { configurable: true, get: () => 450 });
    visualViewport.dispatchEvent(new Event('resize'));
  });
  await settle(p); await settle(p);
  const pop = await rect(p, '.popover');
  assert.ok(pop.top >= 0 && pop.bottom <= 450, `popover ${JSON.stringify(pop)} under the keyboard (from 450)`);
  const marker = await rect(p, `.marker[data-index="${index}"]`);
  if (marker.bottom <= 450) assert.ok(!overlaps(pop, marker), `popover over its marker: ${JSON.stringify({ pop, marker })}`);
  assert.deepEqual(p.errors(), []);
  await p.closeAll();
});

test("a notched phone in landscape, the page drawn under its notch (viewport-fit=cover): the popover stays out of the safe areas", async () => {
  const p = await open('/phone.html', { viewport: { width: 844, height: 390 }, isMobile: true, hasTouch: true });
  const cdp = await p.context().newCDPSession(p);
  // The notch on the left, the home bar at the bottom (an iPhone turned left).
  const insets = { top: 0, left: 47, right: 47, bottom: 21 };
  await cdp.send('Emulation.setSafeAreaInsetsOverride', { insets });
  const vw = await p.evaluate(() => document.documentElement.clientWidth);
  // Each shown marker, brought to the middle of the screen's height, opened.
  const shown = await inRoot(p, "return [...root.querySelectorAll('.photo:not([hidden]) .marker:not([hidden])')].map((m) => m.dataset.index);");
  assert.ok(shown.length >= 3);
  let nearEdge = 0;
  for (const index of shown) {
    await inRoot(p, `const r = root.querySelector('.marker[data-index="${index}"]').getBoundingClientRect(); scrollBy(0, r.top + r.height / 2 - innerHeight / 2);`);
    await settle(p);
    await inRoot(p, `root.querySelector('.marker[data-index="${index}"]').click();`);
    await waitForEvent(p, 'pave-open', (d) => String(d.index) === index);
    await settle(p); await settle(p);
    const pop = await rect(p, '.popover');
    const marker = await rect(p, `.marker[data-index="${index}"]`);
    if (marker.left < insets.left + 150 || marker.right > vw - insets.right - 150) nearEdge += 1;
    assert.ok(pop.left >= insets.left + 8 - 0.5 && pop.right <= vw - insets.right - 8 + 0.5 && pop.bottom <= 390 - insets.bottom - 8 + 0.5 && pop.top >= 0,
      `marker ${index}: popover ${JSON.stringify(pop)} in a safe area (${JSON.stringify(insets)}, ${vw}×390)`);
    await inRoot(p, 'root.querySelector("[data-action=close]").click();');
    await waitForEvent(p, 'pave-close');
  }
  assert.ok(nearEdge > 0, 'no marker near a side: the test tests nothing');
  assert.deepEqual(p.errors(), []);
  await p.closeAll();
});

test('pinch-zoom: the popover is placed inside the part of the page the user sees', async () => {
  const p = await open('/long.html', { viewport: { width: 400, height: 700 }, isMobile: true, hasTouch: true });
  const cdp = await p.context().newCDPSession(p);
  await cdp.send('Emulation.setPageScaleFactor', { pageScaleFactor: 3 });
  await p.waitForFunction(() => visualViewport.scale > 2.9);
  // The marker nearest the middle of what shows.
  await inRoot(p, `const vv = visualViewport, cx = vv.offsetLeft + vv.width / 2, cy = vv.offsetTop + vv.height / 2;
    const d = (m) => { const r = m.getBoundingClientRect(); return Math.hypot(r.x + r.width / 2 - cx, r.y + r.height / 2 - cy); };
    [...root.querySelectorAll('.photo:not([hidden]) .marker:not([hidden])')].sort((a, b) => d(a) - d(b))[0].click();`);
  await waitForEvent(p, 'pave-open');
  await settle(p);
  await settle(p);
  const pop = await rect(p, '.popover');
  const vv = await p.evaluate(() => ({ left: visualViewport.offsetLeft, top: visualViewport.offsetTop, right: visualViewport.offsetLeft + visualViewport.width, bottom: visualViewport.offsetTop + visualViewport.height }));
  assert.ok(pop.left >= vv.left - 0.5 && pop.top >= vv.top - 0.5 && pop.right <= vv.right + 0.5 && pop.bottom <= vv.bottom + 0.5,
    `popover ${JSON.stringify(pop)} outside the visual viewport ${JSON.stringify(vv)}`);
  await p.closeAll();
});

test('a page that turns pointer events off around the picture: the popover and the list still take clicks', async () => {
  const p = await open('/hud.html');
  const centre = async (sel) => { const r = await rect(p, sel); return [r.left + r.width / 2, r.top + r.height / 2]; };
  await p.mouse.click(...(await centre('.photo:not([hidden]) .marker:not([hidden])')));
  const first = await waitForEvent(p, 'pave-open');
  await settle(p);
  await p.mouse.click(...(await centre('.popover .prev')));
  await waitForEvent(p, 'pave-open', (d) => d.index !== first.index, 3000);
  await settle(p);
  assert.equal(await inRoot(p, `return root.querySelector('.popover').matches(':popover-open')`), true,
    'the click on "previous" fell through to the page and closed the popover');
  await p.mouse.click(...(await centre('.list .filters button:nth-child(2)')));
  await settle(p);
  assert.equal(await inRoot(p, `return root.querySelector('.list .filters button:nth-child(2)').getAttribute('aria-pressed')`), 'true');
  await p.closeAll();
});

for (const [path, how] of [
  ['/indent.html', '(an image-replacement indent, spacing, uppercase, nowrap) on an ancestor'],
  ['/indent-all.html', '(an image-replacement indent, spacing, uppercase, nowrap) on the element itself (`.wrap *`, with a font and a colour)'],
  ['/vertical.html', '(vertical writing, a transparent fill) on an ancestor'],
]) test(`inherited text styles of the page ${how} stop at the widget`, async () => {
  const p = await open(path);
  await openMarker(p);
  const styles = await inRoot(p, `const s = (sel) => { const c = getComputedStyle(root.querySelector(sel)); return [c.textIndent, c.letterSpacing, c.textTransform, c.whiteSpace, c.fontFamily.includes('serif') && !c.fontFamily.includes('sans-serif') ? 'serif' : 'sans', c.color, c.writingMode, c.webkitTextFillColor].join(' '); };
    return [s('.popover .title'), s('.popover dd'), s('.list .toggle'), s('.status')];`);
  for (const s of styles) assert.equal(s, '0px normal none normal sans rgb(27, 31, 36) horizontal-tb rgb(27, 31, 36)');
  // The title is on screen inside the popover, on one line (a short one, across).
  const title = await inRoot(p, `const t = root.querySelector('.popover .title'); const range = document.createRange(); range.selectNodeContents(t);
    const r = range.getBoundingClientRect(), box = root.querySelector('.popover').getBoundingClientRect();
    return { inside: r.left >= box.left && r.right <= box.right + 1, across: r.width > 2 * r.height };`);
  assert.deepEqual(title, { inside: true, across: true }, 'the popover title is drawn outside the popover, or down');
  await p.closeAll();
});

test('a popover whose marker scrolls out of view leaves with it, and comes back with it', async () => {
  const p = await open('/long.html', { viewport: { width: 1000, height: 700 } });
  const index = await openMarker(p, 'top');
  const before = await rect(p, '.popover');
  const mBefore = await rect(p, `.marker[data-index="${index}"]`);
  await p.evaluate(() => window.scrollTo(0, 2500));
  await settle(p);
  await settle(p);
  const pop = await rect(p, '.popover');
  const marker = await rect(p, `.marker[data-index="${index}"]`);
  assert.ok(marker.bottom < 0, 'the marker is out of view');
  assert.ok(pop.bottom <= 0, `the popover stays on screen pointing at nothing: ${JSON.stringify(pop)}`);
  // Still beside its marker, as before the scroll.
  assert.ok(Math.abs((pop.top - marker.top) - (before.top - mBefore.top)) < 1, 'the popover kept its place beside the marker');
  await p.evaluate(() => window.scrollTo(0, 0));
  await settle(p);
  await settle(p);
  const back = await rect(p, '.popover');
  assert.ok(Math.abs(back.top - before.top) < 1 && Math.abs(back.left - before.left) < 1);
  // Opened while its marker is out of view (from the list, or by open()): it shows in the
  // viewport, where the user is looking.
  await p.evaluate(() => window.scrollTo(0, 2500));
  await p.evaluate((i) => document.querySelector('pave-hotspots').open(Number(i) === 3 ? 4 : 3), index);
  await settle(p);
  await settle(p);
  const shown = await rect(p, '.popover');
  assert.ok(shown.top >= 0 && shown.bottom <= 700, `opened out of view: ${JSON.stringify(shown)}`);
  await p.closeAll();
});

test('arrow keys between markers scroll the focused marker into view', async () => {
  const p = await open('/wide.html', { viewport: { width: 500, height: 300 } });
  await p.keyboard.press('Tab');
  assert.equal(await p.evaluate(() => document.querySelector('pave-hotspots').shadowRoot.activeElement?.classList.contains('marker')), true);
  for (let k = 0; k < 9; k++) {
    await p.keyboard.press(k === 8 ? 'End' : 'ArrowRight');
    const r = await p.evaluate(() => { const r = document.querySelector('pave-hotspots').shadowRoot.activeElement.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; });
    assert.ok(r[0] >= 0 && r[1] >= 0 && r[2] <= 500 && r[3] <= 300, `step ${k}: focused marker at ${r} is out of view`);
  }
  await p.closeAll();
});

test('Up and Down scroll a popover taller than its room; Left and Right still step', async () => {
  const p = await open('/sizes.html', { viewport: { width: 568, height: 260 } }, await readFixture('results-27-damages.json'));
  await p.keyboard.press('Tab');
  await p.keyboard.press('Enter');
  const first = await waitForEvent(p, 'pave-open');
  await settle(p);
  await settle(p);
  assert.ok(await inRoot(p, `const r = root.querySelector('.popover'); return r.scrollHeight > r.clientHeight + 1;`), 'the popover is taller than its room');
  await p.keyboard.press('ArrowDown');
  await p.keyboard.press('ArrowDown');
  await p.waitForFunction(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('.popover').scrollTop > 0);
  assert.equal((await p.events('pave-open')).length, 1, 'ArrowDown stepped to another damage instead of scrolling');
  await p.keyboard.press('ArrowLeft');
  await waitForEvent(p, 'pave-open', (d) => d.index !== first.index, 3000);
  await p.closeAll();
});

test('Escape that closes the popover is not also seen by the page (a lightbox around the picture stays open)', async () => {
  const p = await open('/lightbox.html');
  await p.keyboard.press('Tab');
  await p.keyboard.press('Enter');
  await waitForEvent(p, 'pave-open');
  await p.keyboard.press('Escape');
  await waitForEvent(p, 'pave-close');
  assert.equal(await p.evaluate(() => document.getElementById('lightbox').hidden), false, 'the page closed its lightbox too');
  assert.equal(await p.evaluate(() => document.querySelector('pave-hotspots').shadowRoot.activeElement?.classList.contains('marker')), true);
  // A second Escape is the page's.
  await p.keyboard.press('Escape');
  assert.equal(await p.evaluate(() => document.getElementById('lightbox').hidden), true);
  await p.closeAll();
});

test('a right-to-left page: the widget\'s English words keep their order', async () => {
  const p = await open('/rtl.html');
  await openMarker(p);
  const dirs = await inRoot(p, `return ['.layer', '.popover', '.status', '.list'].map((s) => getComputedStyle(root.querySelector(s)).direction);`);
  assert.deepEqual(dirs, ['ltr', 'ltr', 'ltr', 'ltr']);
  const prev = await rect(p, '.popover .prev');
  const next = await rect(p, '.popover .next');
  assert.ok(prev.left < next.left, '"previous" is left of "next"');
  await p.closeAll();
});

test('a cluster in the corner of the screen fans out to where every member can be seen and clicked', async () => {
  const p = await open('/corner.html', { viewport: { width: 800, height: 600 } },
    resultsWith(12, (k) => ({ x: 1 + (k % 4) * 0.3, y: 1 + Math.floor(k / 4) * 0.3 })));
  await p.waitForFunction(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('.cluster'));
  await settle(p);
  await p.keyboard.press('Tab');
  await p.keyboard.press('Enter');
  await settle(p);
  await settle(p);
  await transitionsDone(p);
  const members = await inRoot(p, `return [...root.querySelectorAll('.photo:not([hidden]) .marker:not([hidden])')].map((m) => {
      const r = m.getBoundingClientRect();
      return { i: m.dataset.index, box: [r.left, r.top, r.right, r.bottom], hit: root.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === m };
    });`);
  assert.equal(members.length, 12);
  for (const m of members) {
    assert.ok(m.box[0] >= 0 && m.box[1] >= 0 && m.box[2] <= 800 && m.box[3] <= 600, `member ${m.i} at ${m.box} is off screen`);
    assert.ok(m.hit, `member ${m.i} cannot be clicked at its centre`);
  }
  // Its popover opens beside where the member now is.
  await inRoot(p, `root.querySelector('.photo:not([hidden]) .marker:not([hidden])').click();`);
  await waitForEvent(p, 'pave-open');
  await settle(p);
  await settle(p);
  await p.closeAll();
});

for (const [size, path] of [['2.75rem', '/size-rem.html'], ['calc(40px + 4px)', '/size-calc.html']]) {
  test(`--pave-marker-size: ${size} (44 px): two damages 35 px apart cluster, as with 44px`, async () => {
    // The picture is 600 px wide: 35 px apart is 35/6 %.
    const p = await open(path, {}, resultsWith(2, (k) => ({ x: 50 + k * (35 / 6), y: 50 })));
    await p.waitForFunction(() => document.querySelector('pave-hotspots').shadowRoot.querySelectorAll('.photo:not([hidden]) .at').length === 2);
    await settle(p);
    await settle(p);
    const f = await inRoot(p, `const m = root.querySelector('.photo:not([hidden]) .marker');
      return { w: getComputedStyle(m).width, clusters: root.querySelectorAll('.cluster').length };`);
    assert.deepEqual(f, { w: '44px', clusters: 1 });
    await p.closeAll();
  });
}

test('--pave-marker-size changed by the page at run time: the markers cluster again for the new size, with nothing else happening', async () => {
  const p = await open('/sizes.html', {}, resultsWith(2, (k) => ({ x: 50 + k * (35 / 6), y: 50 })));
  await p.waitForFunction(() => document.querySelector('pave-hotspots').shadowRoot.querySelectorAll('.photo:not([hidden]) .at').length === 2);
  const count = () => inRoot(p, `return { w: getComputedStyle(root.querySelector('.photo:not([hidden]) .marker')).width, clusters: root.querySelectorAll('.photo:not([hidden]) .cluster:not([hidden])').length };`);
  assert.deepEqual(await count(), { w: '28px', clusters: 0 });
  // A theme switch: one custom property on the element, no resize, no scroll, no attribute.
  await p.evaluate(() => document.querySelector('pave-hotspots').style.setProperty('--pave-marker-size', '44px'));
  await settle(p);
  await settle(p);
  assert.deepEqual(await count(), { w: '44px', clusters: 1 });
  await p.evaluate(() => document.querySelector('pave-hotspots').style.removeProperty('--pave-marker-size'));
  await settle(p);
  await settle(p);
  assert.deepEqual(await count(), { w: '28px', clusters: 0 });
  await p.closeAll();
});

test('classic scrollbars on a 320 px wide screen: the popover stays clear of the scrollbar', async () => {
  // Playwright hides scrollbars in headless Chromium; this browser shows them, as Windows does.
  const b = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, ignoreDefaultArgs: ['--hide-scrollbars'] });
  try {
    const ctx = await b.newContext({ viewport: { width: 320, height: 600 } });
    const p = await ctx.newPage();
    await p.goto(server.url + '/long.html');
    await p.waitForFunction(() => document.querySelector('pave-hotspots')?.shadowRoot?.querySelectorAll('.photo:not([hidden]) .marker').length > 0);
    const bar = await p.evaluate(() => innerWidth - document.documentElement.clientWidth);
    assert.ok(bar > 0, 'the browser shows a classic scrollbar');
    await inRoot(p, `const ms = [...root.querySelectorAll('.photo:not([hidden]) .marker:not([hidden])')];
      ms.sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)[0].click();`);
    await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const pop = await rect(p, '.popover');
    const cw = await p.evaluate(() => document.documentElement.clientWidth);
    assert.ok(pop.left >= 8 - 0.5 && pop.right <= cw - 8 + 0.5, `popover ${pop.left}–${pop.right} in a ${cw} px wide page`);
    await ctx.close();
  } finally {
    await b.close();
  }
});
