// The demo as `npm start` serves it: scripts/start.mjs (without rebuilding the widget) builds
// pave-proxy when needed and runs it in fixtures mode over www/; headless Chromium then uses
// every page the way a customer would.
//
// Screenshots of the dealer page and the photo viewer are written to tests/page/out/screenshots/,
// or to docs/screenshots/ (committed, shown in the README) when UPDATE_SCREENSHOTS=1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT, newPage, closeBrowser, settle } from './harness.mjs';

const VIEWPORT = { width: 1280, height: 900 };
const UPDATE = process.env.UPDATE_SCREENSHOTS === '1';
const SHOTS = UPDATE ? join(ROOT, 'docs', 'screenshots') : join(ROOT, 'tests', 'page', 'out', 'screenshots');

// Damage indices by PAVE photo in the sample (document order: Left, Front, Right, Rear).
const ON = { 4: [0, 2], 5: [3, 12], 7: [13, 23], 8: [24, 26] };
/** The [first, last] damage indices on PAVE photo `code`. */
const on = (code) => ON[code];
const within = ([lo, hi]) => (i) => i >= lo && i <= hi;
const FIXTURE = JSON.parse(await readFile(join(ROOT, 'www', 'fixtures', 'UDB-512D3TASIY.json'), 'utf8'));
const DAMAGES = FIXTURE.data.flatMap((p) => p.inspection_data);

// ---- The demo server -----------------------------------------------------------------------------

let demo = null;

function startDemo() {
  // `--pending-ttl-s 0`: every call to UDB-INSPECTING counts, so its two "not yet inspected"
  // answers come from two real calls and the states page turns ready within a few seconds.
  const child = spawn(process.execPath, ['scripts/start.mjs', '--port', '0', '--no-build', '--', '--pending-ttl-s', '0', '--quiet'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: '' } });
  const output = [];
  child.stderr.on('data', (chunk) => output.push(String(chunk)));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line);
      const m = /^Demo: (http:\/\/127\.0\.0\.1:\d+)\/$/.exec(line);
      if (m) resolve({ url: m[1], child, output });
    });
    child.once('exit', (code) => reject(new Error(`start.mjs exited with ${code} before serving:\n${output.join('\n')}`)));
  });
}

before(async () => {
  demo = await startDemo();
});

after(async () => {
  await closeBrowser();
  if (demo && demo.child.exitCode === null) {
    demo.child.kill('SIGTERM');
    await new Promise((r) => demo.child.once('exit', r));
  }
});

// ---- Helpers -----------------------------------------------------------------------------------

async function open(path) {
  const page = await newPage({ viewport: VIEWPORT });
  // The pages carry a strict CSP; anything it blocks is a failure.
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(demo.url + path);
  return page;
}

const AXE = await readFile(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** No page error, nothing the CSP blocked, and no axe-core violation (WCAG 2.1 AA and best practice). */
async function noErrors(page) {
  assert.deepEqual(page.errors(), []);
  assert.deepEqual(await page.evaluate(() => window.__csp), []);
  // Evaluated through the DevTools protocol, so the page's CSP doesn't apply to axe itself.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => (await window.axe.run(document, {
    runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
  })).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
  assert.deepEqual(violations, []);
}

/** Waits for a pave-* event from the element with id `target` (any element when null). */
async function eventFrom(page, type, target, pred = () => true, timeout = 30000) {
  const start = Date.now();
  for (;;) {
    const hit = (await page.events(type)).find((e) => (target === null || e.target === target) && pred(e.detail));
    if (hit) return hit.detail;
    if (Date.now() - start > timeout) throw new Error(`no ${type} from ${target} within ${timeout} ms; saw ${JSON.stringify(await page.events())}`);
    await page.waitForTimeout(25);
  }
}

/**
 * What the overlay of `selector` shows: the data-index of each visible marker, and the damages
 * inside visible cluster badges (a badge stands for markers too close to tell apart).
 */
function shown(page, selector = 'pave-hotspots') {
  return page.evaluate((sel) => {
    const root = document.querySelector(sel).shadowRoot;
    const visible = (el) => !el.closest('[hidden]') && el.getBoundingClientRect().width > 0;
    const markers = [...root.querySelectorAll('.marker')].filter(visible).map((m) => Number(m.dataset.index));
    const clustered = [...root.querySelectorAll('.cluster')].filter(visible).reduce((n, c) => n + Number(c.textContent), 0);
    return { markers: markers.sort((a, b) => a - b), clustered, total: markers.length + clustered };
  }, selector);
}

/** Waits until the overlay shows something and every visible marker is in `[lo, hi]`. */
async function waitShown(page, [lo, hi], selector = 'pave-hotspots') {
  await page.waitForFunction(({ sel, lo, hi }) => {
    const root = document.querySelector(sel)?.shadowRoot;
    if (!root) return false;
    const visible = [...root.querySelectorAll('.marker, .cluster')].filter((el) => !el.closest('[hidden]') && el.getBoundingClientRect().width > 0);
    return visible.length > 0 && visible.filter((m) => m.classList.contains('marker'))
      .every((m) => Number(m.dataset.index) >= lo && Number(m.dataset.index) <= hi);
  }, { sel: selector, lo, hi }, { timeout: 15000, polling: 25 });
  return shown(page, selector);
}

/** Waits until the spin shows frame `n` and the widget has had two frames to follow it. */
async function atFrame(page, n) {
  const file = `frame-${String(n).padStart(2, '0')}.svg`;
  await page.waitForFunction((f) => {
    const img = document.getElementById('spin');
    return img.currentSrc.endsWith(`/${f}`) && img.complete;
  }, file, { timeout: 10000, polling: 25 });
  await settle(page);
  await settle(page);
}

const popoverOpen = (page, selector = 'pave-hotspots') => page.evaluate((sel) => {
  const p = document.querySelector(sel).shadowRoot.querySelector('[part="popover"]');
  return !p.hidden && p.getBoundingClientRect().width > 0 ? p.querySelector('.title').textContent : null;
}, selector);

async function screenshot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  // Nothing half-drawn: fonts, pictures (the close-up too) and the widget's last frame.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForFunction(() => [...document.images].every((i) => i.complete)
    && [...document.querySelectorAll('pave-hotspots')].every((h) => [...h.shadowRoot.querySelectorAll('img')].every((i) => i.complete)));
  await settle(page);
  await page.screenshot({ path: join(SHOTS, name) });
}

// ---- The dealer page ---------------------------------------------------------------------------

const SPIN = 'pave-hotspots[for="spin"]';

test('dealer page: markers on the inspected angles only, turned by keys and by dragging', async () => {
  const page = await open('/');
  await eventFrom(page, 'pave-state', null, (d) => d.state === 'ready');
  const load = await eventFrom(page, 'pave-load', null);
  assert.equal(load.damages.length, 27);
  // The page's preload hint (the README's) is the wasm download the script uses: one, not two.
  const wasmLoads = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/pave-hotspots.wasm')).length);
  assert.equal(wasmLoads, 1);

  // Frame 1 is the front: the Front photo's ten damages.
  await atFrame(page, 1);
  const front = await waitShown(page, on(5), SPIN);
  assert.equal(front.total, 10, JSON.stringify(front));

  // → : between the front and the front right; no PAVE photo, no markers.
  await page.focus('#spin-viewer');
  await page.keyboard.press('ArrowRight');
  await atFrame(page, 2);
  assert.equal((await shown(page, SPIN)).total, 0);
  assert.equal(await page.getAttribute('#spin-viewer', 'aria-valuenow'), '2');
  // → again: the front-right photo (PAVE code 11), which the inspection has no damage on.
  await page.keyboard.press('ArrowRight');
  await atFrame(page, 3);
  assert.equal((await shown(page, SPIN)).total, 0);
  // ← ←: back at the front, and the markers are back.
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await atFrame(page, 1);
  assert.equal((await waitShown(page, on(5), SPIN)).total, 10);

  // Drag to the right by four frames' worth: the right side (frame 5, PAVE code 7).
  const box = await page.locator('#spin-viewer').boundingBox();
  const perFrame = box.width / 8;
  const y = box.y + box.height * 0.8;
  await page.mouse.move(box.x + 40, y);
  await page.mouse.down();
  for (let k = 1; k <= 8; k++) await page.mouse.move(box.x + 40 + (k * 4 * perFrame) / 8, y);
  await page.mouse.up();
  await atFrame(page, 5);
  const right = await waitShown(page, on(7), SPIN);
  assert.equal(right.total, 11, JSON.stringify(right));
  assert.equal(await page.getAttribute('#spin-viewer', 'aria-valuetext'), 'Right');

  // The view buttons turn it too: the rear.
  await page.click('.views [data-frame="9"]');
  await atFrame(page, 9);
  assert.equal((await waitShown(page, on(8), SPIN)).total, 3);

  await noErrors(page);
  await page.closeAll();
});

test('dealer page: the list has 27 rows; a row on another side turns the car and opens the damage', async () => {
  const page = await open('/');
  await eventFrom(page, 'pave-state', null, (d) => d.state === 'ready');
  await atFrame(page, 1);
  await waitShown(page, on(5), SPIN);

  const rows = page.locator(`${SPIN} .list li button[data-index]`);
  assert.equal(await rows.count(), 27);

  // A rear damage, chosen while the car shows its front.
  await page.clearEvents();
  await page.locator(`${SPIN} .list li button[data-index="25"]`).click();
  const request = await eventFrom(page, 'pave-photo-request', null);
  assert.equal(request.photoCode, 8);
  const opened = await eventFrom(page, 'pave-open', null);
  assert.equal(opened.index, 25);
  assert.equal(opened.photoCode, 8);
  await atFrame(page, 9);
  assert.equal(await page.getAttribute('#spin-viewer', 'aria-valuenow'), '9');
  assert.equal(await popoverOpen(page, SPIN), DAMAGES[25].description);
  assert.ok((await shown(page, SPIN)).markers.every(within(on(8))));

  // Esc closes it.
  await page.keyboard.press('Escape');
  await eventFrom(page, 'pave-close', null);
  assert.equal(await popoverOpen(page, SPIN), null);

  await noErrors(page);
  await page.closeAll();
});

test('dealer page: screenshots with an open popover and with the list in use', async () => {
  const page = await open('/');
  await eventFrom(page, 'pave-state', null, (d) => d.state === 'ready');
  await atFrame(page, 1);
  await waitShown(page, on(5), SPIN);

  // A click on the marker of the left headlight.
  await page.locator(`${SPIN} .marker[data-index="3"]`).click();
  await eventFrom(page, 'pave-open', null, (d) => d.index === 3);
  assert.equal(await popoverOpen(page, SPIN), DAMAGES[3].description);
  await screenshot(page, 'demo-popover.png');

  // Then a row of the right side in the list: the car turns to it.
  await page.keyboard.press('Escape');
  await page.locator(`${SPIN} .list li button[data-index="16"]`).click();
  await eventFrom(page, 'pave-open', null, (d) => d.index === 16);
  await atFrame(page, 5);
  await screenshot(page, 'demo-list.png');

  await noErrors(page);
  await page.closeAll();
});

// ---- Inline JSON over a cropped photo ---------------------------------------------------------

test('inline.html: results set by the page, cropped markers hidden, photos switched', async () => {
  const page = await open('/inline.html');
  await eventFrom(page, 'pave-load', 'hotspots');
  // The Front photo, cropped to 2:1 around its centre: the three damages in its top sixth are cut off.
  const front = await waitShown(page, on(5), '#hotspots');
  assert.equal(front.total, 7, JSON.stringify(front));
  assert.equal(await page.evaluate(() => document.getElementById('hotspots').toPixels(70.16, 8.38)), null);
  assert.notEqual(await page.evaluate(() => document.getElementById('hotspots').toPixels(47.25, 40.91)), null);
  await page.waitForFunction(() => /7 of the 10 damages/.test(document.getElementById('caption').textContent));

  // Crop to the top instead: all ten show.
  await page.selectOption('#crop-select', 'focus-top');
  await page.waitForFunction(() => /10 of the 10 damages/.test(document.getElementById('caption').textContent));
  assert.equal((await waitShown(page, on(5), '#hotspots')).total, 10);

  // The select and the buttons switch the photo.
  await page.selectOption('#photo-select', '8');
  const rear = await waitShown(page, on(8), '#hotspots');
  assert.ok(rear.total > 0);
  assert.equal(await page.getAttribute('#photo', 'data-pave-photo'), '8');
  await page.click('[data-step="1"]');
  assert.equal(await page.getAttribute('#photo', 'data-pave-photo'), '4');
  assert.ok((await waitShown(page, on(4), '#hotspots')).total > 0);

  // A marker opens its popover, and the log says so, as text.
  await page.locator('#hotspots .marker[data-index="0"]').click();
  await eventFrom(page, 'pave-open', 'hotspots', (d) => d.index === 0);
  await page.keyboard.press('Escape');
  await eventFrom(page, 'pave-close', 'hotspots');
  const log = await page.locator('#log li').allTextContents();
  for (const type of ['pave-load', 'pave-state', 'pave-open', 'pave-close']) {
    assert.ok(log.some((line) => line.startsWith(type)), `${type} in ${JSON.stringify(log)}`);
  }
  assert.ok(log.some((line) => line.includes('#1 Curb Rash')), JSON.stringify(log));

  await noErrors(page);
  await page.closeAll();
});

// ---- The photo viewer ------------------------------------------------------------------------------

test('viewer.html: the first photo with its markers; next and previous', async () => {
  const page = await open('/viewer.html');
  await eventFrom(page, 'pave-state', null, (d) => d.state === 'ready');
  const src = () => page.evaluate(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('[part="image"]').currentSrc);
  await page.waitForFunction(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('[part="image"]').complete);
  assert.match(await src(), /\/generated\/photos\/photo-04-left\.svg$/);
  assert.equal((await waitShown(page, on(4))).total, 3);

  await page.locator('pave-hotspots [data-action="photo-next"]').click();
  assert.equal((await waitShown(page, on(5))).total, 10);
  assert.match(await src(), /photo-05-front\.svg$/);
  await page.locator('pave-hotspots [data-action="photo-prev"]').click();
  assert.equal((await waitShown(page, on(4))).total, 3);
  assert.match(await src(), /photo-04-left\.svg$/);

  // A double-click on the photo reaches the page (a lightbox of its own); one on a marker or the
  // buttons stays with the widget.
  await page.evaluate(() => { window.__dbl = 0; document.addEventListener('dblclick', () => window.__dbl++); });
  await page.locator('pave-hotspots [part="image"]').dblclick({ position: { x: 5, y: 5 } });
  assert.equal(await page.evaluate(() => window.__dbl), 1, 'the photo\'s double-click reached the page');
  await page.locator('pave-hotspots .marker[data-index="0"]').dblclick();
  await page.evaluate(() => document.querySelector('pave-hotspots').close());
  await page.locator('pave-hotspots .viewer .label').dblclick();
  assert.equal(await page.evaluate(() => window.__dbl), 1, 'no other double-click reached the page');

  // The screenshot shows the front, which has the most damages.
  await page.locator('pave-hotspots [data-action="photo-next"]').click();
  await waitShown(page, on(5));
  await page.mouse.move(0, 0);
  await screenshot(page, 'viewer.png');
  await noErrors(page);
  await page.closeAll();
});

// ---- States -----------------------------------------------------------------------------------------

test('states.html: inspecting then ready, no damage, not found', async () => {
  const page = await open('/states.html');
  // (Once it has its words: in a widget's first tenth of a second its live region waits for them.)
  const status = async (id) => {
    await page.waitForFunction((i) => document.getElementById(i).shadowRoot.querySelector('[role="status"]').textContent, id);
    return page.evaluate((i) => document.getElementById(i).shadowRoot.querySelector('[part="status"]').textContent, id);
  };
  const pill = (id) => page.textContent(`.pill[data-for="${id}"]`);

  await eventFrom(page, 'pave-state', 'no-damage', (d) => d.state === 'empty');
  assert.match(await status('no-damage'), /No damage reported/);
  assert.equal(await pill('no-damage'), 'empty');

  const error = await eventFrom(page, 'pave-error', 'missing');
  assert.equal(error.kind, 'not-found');
  assert.equal(error.status, 404);
  assert.match(await status('missing'), /not found|No damage report was found/i);
  assert.equal(await pill('missing'), 'error');

  // The proxy answers "not yet inspected" twice, then the results; the widget polls with backoff.
  await eventFrom(page, 'pave-state', 'inspecting', (d) => d.state === 'inspecting');
  await eventFrom(page, 'pave-state', 'inspecting', (d) => d.state === 'ready', 60000);
  const states = (await page.events('pave-state')).filter((e) => e.target === 'inspecting').map((e) => e.detail.state);
  assert.ok(states.indexOf('inspecting') < states.lastIndexOf('ready'), JSON.stringify(states));
  assert.equal(await pill('inspecting'), 'ready');
  assert.ok((await waitShown(page, on(4), '#inspecting')).total > 0);

  await noErrors(page);
  await page.closeAll();
});

test('every demo page reflows at 320 CSS px (WCAG 1.4.10): nothing wider than the window', async () => {
  for (const path of ['/', '/inline.html', '/viewer.html', '/states.html']) {
    const page = await newPage({ viewport: { width: 320, height: 640 } });
    await page.goto(demo.url + path);
    await page.waitForFunction(() => [...document.querySelectorAll('pave-hotspots')].every((e) => e.state && e.state !== 'idle' && e.state !== 'loading'), null, { timeout: 20000 });
    await page.waitForTimeout(300);
    const wide = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      out: [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5 && e.checkVisibility()).map((e) => `${e.localName}.${e.className}`).slice(0, 5),
    }));
    assert.ok(wide.page <= 320, `${path}: ${JSON.stringify(wide)}`);
    await page.closeAll();
  }
});

// ---- Stopping --------------------------------------------------------------------------------------

test('start.mjs passes SIGTERM to the proxy and exits cleanly', async () => {
  const health = await fetch(`${demo.url}/healthz`);
  assert.equal((await health.json()).source, 'fixtures');
  const exited = new Promise((r) => demo.child.once('exit', (code, signal) => r({ code, signal })));
  demo.child.kill('SIGTERM');
  assert.deepEqual(await exited, { code: 0, signal: null });
  await assert.rejects(fetch(`${demo.url}/healthz`));
});
