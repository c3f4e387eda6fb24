// Strict Content Security Policy: the widget must work on a page that allows no inline script or
// style anywhere (only 'self' and 'wasm-unsafe-eval') and enforces Trusted Types (no string may
// reach an HTML sink such as innerHTML, not even ''), and cause no violation doing so.
//
// Every page here is served with the policy below. The page's own scripts are external files from
// the test server (no inline <script>); the first one, in <head>, records every
// `securitypolicyviolation` event (on document, bubbling; and on window in the capture phase, as a
// second net). A control test proves the recorder sees violations, including ones caused inside a
// shadow root, so "zero violations" means something. Console messages and CDP Log entries that
// mention "Content Security Policy" are collected too.
//
// Run: node --test tests/page/csp.test.mjs   (needs dist/ and www/generated/photos)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, newPage, closeBrowser, waitForEvent, markerCentres, settle, readFixture, html } from './harness.mjs';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; require-trusted-types-for 'script'";

// Loaded first, synchronously, in <head>: records violations from the very start.
const WATCH_JS = `
window.__csp = [];
window.__cspWindow = 0;
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push({
    directive: e.violatedDirective, effective: e.effectiveDirective, blocked: e.blockedURI,
    source: e.sourceFile, line: e.lineNumber, sample: e.sample,
    target: e.target && e.target.nodeName, composedTarget: (e.composedPath()[0] || {}).nodeName || null,
  });
});
window.addEventListener('securitypolicyviolation', () => { window.__cspWindow += 1; }, true);
`;

// Gives page.evaluate a handle on the overlay API, from the same module the script tag loads.
const EXPOSE_JS = `
import { HotspotOverlay } from '/dist/pave-hotspots.js';
window.HotspotOverlay = HotspotOverlay;
window.dispatchEvent(new Event('pave-test-exposed'));
`;

// The control: one deliberate violation of each kind inside a shadow root, one in the document.
const VIOLATE_JS = `
const host = document.getElementById('host');
const root = host.attachShadow({ mode: 'open' });
const styled = document.createElement('p');
styled.setAttribute('style', 'color: red');
const sheet = document.createElement('style');
sheet.textContent = 'p { color: blue }';
const img = document.createElement('img');
img.alt = '';
img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
root.append(styled, sheet, img);
try { root.innerHTML = ''; } catch { /* blocked by Trusted Types, and reported */ }
const p = document.createElement('p');
p.setAttribute('style', 'color: green');
document.body.append(p);
`;

const SCRIPT_HEAD = '<script src="/test/watch.js"></script><script type="module" src="/test/expose.js"></script>';

let server;
let sameOriginResults;

before(async () => {
  // The sample with its photo URLs pointing at our own generated photos (img-src 'self').
  const sample = JSON.parse(await readFixture('results-27-damages.json'));
  const files = { 4: 'photo-04-left.svg', 5: 'photo-05-front.svg', 7: 'photo-07-right.svg', 8: 'photo-08-rear.svg' };
  for (const photo of sample.data) photo.url = `/photos/${files[photo.photo_code]}`;
  sameOriginResults = JSON.stringify(sample);

  const assets = {
    '/test/watch.js': ['text/javascript', WATCH_JS],
    '/test/expose.js': ['text/javascript', EXPOSE_JS],
    '/test/violate.js': ['text/javascript', VIOLATE_JS],
    '/test/results-same-origin.json': ['application/json', sameOriginResults],
  };
  server = await serve({
    headers: { 'content-security-policy': CSP },
    handler: (req, res, url) => {
      const asset = assets[url.pathname];
      if (!asset) return false;
      res.writeHead(200, { 'content-type': asset[0], 'cache-control': 'no-store', 'content-security-policy': CSP });
      res.end(asset[1]);
      return true;
    },
    pages: {
      '/control.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>control</title>${SCRIPT_HEAD}</head>
<body><div id="host"></div><script src="/test/violate.js"></script></body></html>`,
      // Markers over an image, a popover with its close-up, next/previous, the open list; and a
      // narrow copy of the image whose markers overlap into clusters.
      '/overlay.html': html(`
<img id="spin" src="/photos/frame-01.svg" data-pave-photo="5" width="800" height="600" alt="car">
<pave-hotspots id="w" for="spin" src="/fixtures/results-27-damages.json" list="open"></pave-hotspots>
<img id="narrow" src="/photos/frame-01.svg" data-pave-photo="5" width="120" height="90" alt="car, small">
<pave-hotspots id="n" for="narrow" src="/fixtures/results-27-damages.json" list="none"></pave-hotspots>`, { head: SCRIPT_HEAD }),
      // No `for`: the element shows the photos itself.
      '/viewer.html': html('<pave-hotspots id="v" src="/test/results-same-origin.json"></pave-hotspots>', { head: SCRIPT_HEAD }),
      // A 404 src: the error state and its Retry button.
      '/error.html': html(`
<img id="spin" src="/photos/frame-01.svg" data-pave-photo="5" width="800" height="600" alt="car">
<pave-hotspots id="e" for="spin" src="/fixtures/no-such-session.json"></pave-hotspots>`, { head: SCRIPT_HEAD }),
      // HotspotOverlay.attach: no element, the engine appends its own host to <body>.
      '/attach.html': html('<img id="spin" src="/photos/frame-01.svg" data-pave-photo="5" width="800" height="600" alt="car">', { head: SCRIPT_HEAD }),
    },
  });
});

after(async () => {
  await closeBrowser();
  await server?.close();
});

/** A page that also collects every console message and CDP Log entry mentioning the CSP. */
async function cspPage(path) {
  const page = await newPage();
  const cspMessages = [];
  const note = (text) => { if (/Content Security Policy/i.test(text)) cspMessages.push(text); };
  page.on('console', (m) => note(m.text()));
  const cdp = await page.context().newCDPSession(page);
  cdp.on('Log.entryAdded', ({ entry }) => note(`[log ${entry.source}/${entry.level}] ${entry.text}`));
  await cdp.send('Log.enable');
  await page.goto(server.url + path);
  page.cspMessages = cspMessages;
  return page;
}

/** Lets queued violation reports arrive, then returns what the page recorded. */
async function violations(page) {
  await settle(page);
  await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
  await settle(page);
  return page.evaluate(() => ({ events: window.__csp, windowCount: window.__cspWindow }));
}

async function assertClean(t, page) {
  const v = await violations(page);
  t.diagnostic(`securitypolicyviolation events: ${v.events.length} (window capture: ${v.windowCount}); CSP console/log messages: ${page.cspMessages.length}`);
  assert.deepEqual(v.events, [], 'no securitypolicyviolation event');
  assert.equal(v.windowCount, 0, 'no securitypolicyviolation event seen on window either');
  assert.deepEqual(page.cspMessages, [], 'no console message about the Content Security Policy');
  assert.deepEqual(page.errors(), [], 'no page or console errors');
}

/** The widget's popover state: open, its title, and whether the close-up picture loaded. */
function popoverState(page, host) {
  return page.evaluate((sel) => {
    const root = document.querySelector(sel).shadowRoot;
    const pop = root.querySelector('.popover');
    const img = pop.querySelector('.closeup img');
    const shown = !pop.hidden && (!pop.hasAttribute('popover') || pop.matches(':popover-open'));
    const r = pop.getBoundingClientRect();
    return {
      shown, title: pop.querySelector('.title').textContent, width: r.width, height: r.height,
      closeupShown: !pop.querySelector('.closeup').hidden, closeupSrc: img.getAttribute('src'),
      closeupLoaded: img.complete && img.naturalWidth > 0,
      closeupWidth: img.getBoundingClientRect().width,
    };
  }, host);
}

/** Damages shown on the current photo: visible markers plus the member counts of cluster badges. */
function damagesShown(page, host) {
  return page.evaluate((sel) => {
    const root = document.querySelector(sel).shadowRoot;
    const visible = (b) => !b.hidden && !b.closest('[hidden]');
    const markers = [...root.querySelectorAll('.marker')].filter(visible).length;
    const clustered = [...root.querySelectorAll('.cluster')].filter((c) => visible(c) && c.getAttribute('aria-expanded') !== 'true')
      .reduce((n, c) => n + Number(c.textContent), 0);
    return markers + clustered;
  }, host);
}

function waitCloseupLoaded(page, host) {
  return page.waitForFunction((sel) => {
    const img = document.querySelector(sel).shadowRoot.querySelector('.popover .closeup img');
    return img.complete && img.naturalWidth > 0;
  }, host);
}

test('control: the recorder sees violations, including those inside a shadow root, at document level', async (t) => {
  const page = await cspPage('/control.html');
  const v = await violations(page);
  t.diagnostic(`control violations: ${JSON.stringify(v.events.map((e) => [e.effective, e.target, e.blocked]))}`);
  const effective = v.events.map((e) => e.effective);
  assert.ok(effective.includes('style-src-attr'), 'an inline style attribute is reported');
  assert.ok(effective.includes('style-src-elem'), 'a <style> element in a shadow root is reported');
  assert.ok(effective.includes('img-src'), 'a data: image in a shadow root is reported');
  assert.ok(effective.includes('require-trusted-types-for'), 'a string assigned to innerHTML (even empty) is reported');
  assert.ok(v.events.some((e) => e.target === '#document-fragment' || e.composedTarget === '#document-fragment'
    || e.composedTarget === 'P' || e.composedTarget === 'STYLE' || e.composedTarget === 'IMG'),
  'violations from inside the shadow root reach the document listener');
  assert.ok(v.windowCount >= v.events.length, 'the window capture listener sees them too');
  assert.ok(page.cspMessages.length > 0, 'the console reports them as Content Security Policy messages');
  await page.closeAll();
});

test('overlay (for=): markers, popover with close-up, next/previous, close, open list, clusters — no violation', async (t) => {
  const page = await cspPage('/overlay.html');
  await waitForEvent(page, 'pave-load', (d) => d.damages.length === 27);
  await page.waitForFunction(() => document.querySelectorAll('pave-hotspots').length === 2
    && [...document.querySelectorAll('pave-hotspots')].every((h) => h.state === 'ready'));
  await settle(page);

  // Markers over the wide image: photo 5 "Front" has 10 damages, all visible.
  const centres = await markerCentres(page, '#w');
  assert.equal(Object.keys(centres).length, 10, 'ten markers shown over the image');
  const img = await page.evaluate(() => { const r = document.getElementById('spin').getBoundingClientRect(); return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }; });
  for (const c of Object.values(centres)) {
    assert.ok(c.x > img.left && c.x < img.right && c.y > img.top && c.y < img.bottom, 'each marker lies on the image');
  }

  // A click on a marker opens the popover, with its close-up picture.
  await page.locator('#w').locator('button.marker[data-index="7"]').click();
  const opened = await waitForEvent(page, 'pave-open', (d) => d.index === 7);
  assert.equal(opened.photoCode, 5);
  await waitCloseupLoaded(page, '#w');
  await settle(page);
  let pop = await popoverState(page, '#w');
  assert.ok(pop.shown && pop.width > 100 && pop.height > 50, `popover open and laid out (${JSON.stringify(pop)})`);
  assert.ok(pop.closeupShown && pop.closeupLoaded && pop.closeupWidth > 272, 'the close-up picture is loaded and zoomed');

  // Next and previous, from the popover's own buttons.
  await page.locator('#w').locator('.popover button[data-action="next"]').click();
  await waitForEvent(page, 'pave-open', (d) => d.index === 8);
  await page.locator('#w').locator('.popover button[data-action="prev"]').click();
  await waitForEvent(page, 'pave-open', (d) => d.index === 7 && true);
  assert.equal((await page.events('pave-open')).filter((e) => e.target === 'w').length, 3);
  await settle(page);

  // Close.
  await page.locator('#w').locator('.popover button[data-action="close"]').click();
  await waitForEvent(page, 'pave-close', (d) => d.index === 7);
  pop = await popoverState(page, '#w');
  assert.equal(pop.shown, false, 'the popover closed');

  // The open list: a row opens its damage; the filters work.
  const listRows = await page.evaluate(() => {
    const root = document.getElementById('w').shadowRoot;
    return { shown: !root.querySelector('.list').hidden && !root.querySelector('.list .body').hidden,
      rows: root.querySelectorAll('.list li button[data-action="open"]').length };
  });
  assert.deepEqual(listRows, { shown: true, rows: 27 }, 'the list shows 27 rows');
  await page.locator('#w').locator('.list button[data-action="open"][data-index="9"]').click();
  await waitForEvent(page, 'pave-open', (d) => d.index === 9);
  await page.locator('#w').locator('.list button[data-action="filter"][data-group="part"]').click();
  await settle(page);
  const partMarkers = Object.keys(await markerCentres(page, '#w')).map(Number).sort((a, b) => a - b);
  assert.deepEqual(partMarkers, [3, 4, 12], 'the Part filter leaves the three part markers');
  await page.locator('#w').locator('.list button[data-action="filter"][data-group=""]').click();
  await page.keyboard.press('Escape');
  await settle(page);

  // The narrow image: overlapping markers gather into clusters; one fans out on click.
  const clusterCount = await page.evaluate(() => document.getElementById('n').shadowRoot.querySelectorAll('.cluster').length);
  assert.ok(clusterCount >= 1, `markers over the 120 px image form clusters (${clusterCount})`);
  await page.locator('#n').locator('button.cluster').first().click();
  await settle(page);
  await settle(page);
  const fanned = await page.evaluate(() => {
    const root = document.getElementById('n').shadowRoot;
    const c = root.querySelector('.cluster[aria-expanded="true"]');
    const shown = [...root.querySelectorAll('.marker')].filter((m) => !m.hidden && !m.closest('[hidden]'));
    return { expanded: !!c, fanned: shown.filter((m) => m.style.getPropertyValue('--dx') !== '').length };
  });
  assert.ok(fanned.expanded && fanned.fanned >= 2, `a cluster expands and fans its members out (${JSON.stringify(fanned)})`);
  // Open a fanned member (keyboard: it took focus) and close with Escape.
  await page.keyboard.press('Enter');
  await waitForEvent(page, 'pave-open', () => true);
  const fromCluster = (await page.events('pave-open')).filter((e) => e.target === 'n');
  assert.equal(fromCluster.length, 1, 'a fanned-out member opens its popover');
  await waitCloseupLoaded(page, '#n');
  await page.keyboard.press('Escape');
  await waitForEvent(page, 'pave-close', () => true);

  await assertClean(t, page);
  await page.closeAll();
});

test('viewer (no for=): own photos, previous/next photo, popover with close-up — no violation', async (t) => {
  const page = await cspPage('/viewer.html');
  await waitForEvent(page, 'pave-load', (d) => d.damages.length === 27);
  const viewerImgLoaded = (src) => page.waitForFunction((s) => {
    const img = document.getElementById('v').shadowRoot.querySelector('.viewer img');
    return img.complete && img.naturalWidth > 0 && img.currentSrc.endsWith(s);
  }, src);
  // The first photo with damages is Left (code 4), from our own origin.
  await viewerImgLoaded('/photos/photo-04-left.svg');
  await settle(page);
  assert.equal(await damagesShown(page, '#v'), 3, 'Left shows its 3 damages (markers, or badges of clusters)');

  await page.locator('#v').locator('.viewer button[data-action="photo-next"]').click();
  await viewerImgLoaded('/photos/photo-05-front.svg');
  await settle(page);
  assert.equal(await damagesShown(page, '#v'), 10, 'Front shows its 10 damages (markers, or badges of clusters)');
  await page.locator('#v').locator('.viewer button[data-action="photo-prev"]').click();
  await viewerImgLoaded('/photos/photo-04-left.svg');
  await page.locator('#v').locator('.viewer button[data-action="photo-next"]').click();
  await viewerImgLoaded('/photos/photo-05-front.svg');
  await settle(page);

  await page.locator('#v').locator('button.marker[data-index="3"]').click();
  await waitForEvent(page, 'pave-open', (d) => d.index === 3);
  await waitCloseupLoaded(page, '#v');
  const pop = await popoverState(page, '#v');
  assert.ok(pop.shown && pop.closeupLoaded, `popover open with its close-up (${JSON.stringify(pop)})`);
  assert.match(pop.closeupSrc, /\/photos\/photo-05-front\.svg$/);
  // Next across the photo boundary: the viewer turns to Right (code 7) by itself.
  for (let k = 0; k < 10; k++) await page.locator('#v').locator('.popover button[data-action="next"]').click();
  await waitForEvent(page, 'pave-open', (d) => d.index === 13);
  await viewerImgLoaded('/photos/photo-07-right.svg');
  await waitCloseupLoaded(page, '#v');
  await page.locator('#v').locator('.popover button[data-action="close"]').click();
  await waitForEvent(page, 'pave-close', (d) => d.index === 13);

  await assertClean(t, page);
  await page.closeAll();
});

test('error state (404 src) and Retry — no violation', async (t) => {
  const page = await cspPage('/error.html');
  const first = await waitForEvent(page, 'pave-error');
  t.diagnostic(`404 → pave-error ${JSON.stringify(first)}`);
  await settle(page);
  const status = await page.evaluate(() => {
    const root = document.getElementById('e').shadowRoot;
    const s = root.querySelector('.status');
    return { hidden: s.hidden, state: s.dataset.state, text: s.textContent, retryHidden: root.querySelector('.retry').hidden };
  });
  assert.equal(status.state, 'error');
  assert.equal(status.hidden, false, 'the status line shows');
  assert.equal(status.retryHidden, false, 'Retry shows');
  await page.locator('#e').locator('button[data-action="retry"]').click();
  await page.waitForFunction(() => window.__paveEvents.filter((e) => e.type === 'pave-error').length >= 2);
  const states = (await page.events('pave-state')).map((e) => e.detail.state);
  assert.deepEqual(states, ['loading', 'error', 'loading', 'error'], 'Retry loads again and fails again');
  await assertClean(t, page);
  await page.closeAll();
});

test('HotspotOverlay.attach: markers, popover, destroy — no violation', async (t) => {
  const page = await cspPage('/attach.html');
  await page.waitForFunction(() => typeof window.HotspotOverlay === 'object');
  const result = await page.evaluate(async () => {
    const img = document.getElementById('spin');
    await new Promise((r) => (img.complete ? r() : img.addEventListener('load', r, { once: true })));
    const overlay = window.HotspotOverlay.attach(img, { src: '/fixtures/results-27-damages.json' });
    window.__overlay = overlay;
    await overlay.ready;
    await new Promise((resolve) => {
      const check = () => (overlay.state === 'ready' ? resolve() : setTimeout(check, 20));
      check();
    });
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const root = overlay.element.shadowRoot;
    const shown = [...root.querySelectorAll('.marker')].filter((m) => !m.hidden && !m.closest('[hidden]')).length;
    return { shown, inBody: overlay.element.parentNode === document.body };
  });
  assert.deepEqual(result, { shown: 10, inBody: true }, 'attach shows the ten markers');
  await page.locator('[data-pave-hotspots]').locator('button.marker[data-index="10"]').click();
  await waitForEvent(page, 'pave-open', (d) => d.index === 10);
  await waitCloseupLoaded(page, '[data-pave-hotspots]');
  await page.evaluate(() => { window.__overlay.next(); window.__overlay.previous(); window.__overlay.close(); });
  await waitForEvent(page, 'pave-close', () => true);
  const gone = await page.evaluate(() => { window.__overlay.destroy(); return document.querySelector('[data-pave-hotspots]') === null; });
  assert.ok(gone, 'destroy removes the host');
  await assertClean(t, page);
  await page.closeAll();
});
