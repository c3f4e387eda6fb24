// The lifecycles real spin viewers and dealer pages put the widget through: a framework moving the
// element in the DOM, printing, fullscreen, a tab in the background while the inspection runs, a
// window dragged to a screen of another pixel ratio. Each test failed on the build before its fix
// (PAVE_TEST_DIST=<dir> runs them on another build).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serve, newPage, closeBrowser, settle, waitForEvent, readFixture, sendJson, inRoot } from './harness.mjs';

const PHOTO_MAP = { 'frame-01.svg': 5, 'frame-05.svg': 7, 'frame-09.svg': 8, 'frame-13.svg': 4 };
let server;
let sample;
let hits = 0;
let polls = 0;
const pages = {};

/** A page: the front photo in a positioned box with the widget, extra CSS and body. */
function page({ css = '', attrs = 'src="/api/results"', box = '', after = '', head = '' }) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>${head}
<style>body{margin:0;font:16px/1.5 system-ui,sans-serif} .box{position:relative;width:600px;margin:20px} .box img{display:block;width:100%} ${css}</style></head><body>
<div class="box" id="box" ${box}><span id="a">a</span><img id="spin" src="/photos/frame-01.svg" alt="car"><pave-hotspots for="spin" ${attrs}></pave-hotspots></div>
${after}
<script>document.querySelector('pave-hotspots').photoMap = ${JSON.stringify(PHOTO_MAP)};</script>
<script type="module" src="/dist/pave-hotspots.js"></script></body></html>`;
}

before(async () => {
  const text = await readFixture('results-27-damages.json');
  sample = JSON.parse(text);
  Object.assign(pages, {
    '/move.html': page({ attrs: 'src="/api/results" list="closed"', after: '<div id="elsewhere" style="position:relative"></div>' }),
    // The print layout: the picture wider and further right than on screen.
    '/print.html': page({ css: '@media print { .box { width: 700px; margin-left: 60px } }' }),
  });
  const notInspected = await readFixture('not-yet-inspected.json');
  Object.assign(pages, {
    // The spin's wrapper goes fullscreen when a damage opens (a viewer's own shortcut would too):
    // the widget inside it, or outside it.
    '/fs-in.html': page({ after: "<script>document.querySelector('pave-hotspots').addEventListener('pave-open', () => { if (!document.fullscreenElement) document.getElementById('box').requestFullscreen(); });</script>" }),
    '/fs-out.html': page({
      css: '.box #spin { width: 100% }',
      after: `<script>const box = document.getElementById('box'); const frame = document.createElement('div'); frame.id = 'frame'; box.before(frame); frame.append(box);
        frame.after(document.querySelector('pave-hotspots')); frame.style.cssText = 'position: relative';
        document.querySelector('pave-hotspots').addEventListener('pave-open', () => { if (!document.fullscreenElement) box.requestFullscreen(); });</script>`,
    }),
    '/inspecting.html': page({ attrs: 'src="/api/inspecting" poll-timeout="2000"' }),
  });
  server = await serve({
    pages,
    handler: (req, res, url) => {
      if (url.pathname === '/api/inspecting') {
        polls += 1;
        sendJson(res, 400, notInspected);
        return true;
      }
      if (url.pathname !== '/api/results') return false;
      hits += 1;
      sendJson(res, 200, text);
      return true;
    },
  });
});

after(async () => {
  await closeBrowser();
  await server?.close();
});

async function open(path, options = {}) {
  const p = await newPage(options);
  await p.goto(server.url + path);
  await waitForEvent(p, 'pave-load');
  await p.waitForFunction(() => document.getElementById('spin').complete);
  await settle(p);
  await settle(p);
  return p;
}


/** Each shown marker's centre minus where its damage is on the picture, in px (worst of x and y). */
const placementError = (p) => inRoot(p, `
  const img = document.getElementById('spin').getBoundingClientRect();
  let worst = 0, n = 0;
  for (const m of root.querySelectorAll('.photo:not([hidden]) .marker:not([hidden])')) {
    if (!m.checkVisibility()) continue;
    const r = m.getBoundingClientRect();
    n += 1;
    const i = Number(m.dataset.index);
    const want = window.__damages[i];
    worst = Math.max(worst, Math.abs(r.left + r.width / 2 - (img.left + want.x / 100 * img.width)), Math.abs(r.top + r.height / 2 - (img.top + want.y / 100 * img.height)));
  }
  return { n, worst };`);

/** Keeps every damage's coordinates on the page (by index), from the pave-load detail. */
async function keepDamages(p) {
  await p.evaluate((data) => {
    window.__damages = data.data.flatMap((photo) => photo.inspection_data.map((d) => d.coodrs));
  }, sample);
}

/** The widget's state a user would lose: list open, filter pressed, markers shown, popover, focus. */
const uiState = (p) => inRoot(p, `
  return {
    list: root.querySelector('[data-action=toggle-list]')?.getAttribute('aria-expanded') ?? null,
    pressed: [...root.querySelectorAll('[aria-pressed="true"]')].map((b) => b.textContent.trim()),
    shown: [...root.querySelectorAll('.marker')].filter((m) => m.checkVisibility()).length,
    popover: root.querySelector('[part=popover]').matches(':popover-open'),
    focus: root.activeElement?.getAttribute('part') ?? document.activeElement?.tagName ?? null,
  };`);

for (const [how, move] of [
  ['insertBefore (a keyed re-order)', "el.parentNode.insertBefore(el, document.getElementById('a'))"],
  ['removed and put back in the same task', 'const parent = el.parentNode; el.remove(); parent.append(el)'],
  ['moved to another container (a portal)', "document.getElementById('elsewhere').append(el)"],
]) {
  test(`moved in the DOM, ${how}: data, list, filter, open popover and focus stay; no new request, no event`, async () => {
    const p = await open('/move.html');
    await keepDamages(p);
    // The list open, the "Part" filter on, a damage opened from the list (focus in its popover).
    await inRoot(p, "root.querySelector('[data-action=toggle-list]').click();");
    await settle(p);
    await inRoot(p, "[...root.querySelectorAll('button')].find((b) => /^Part/.test(b.textContent.trim())).click();");
    await settle(p);
    await inRoot(p, "[...root.querySelectorAll('[part~=list-item]')].find((b) => b.checkVisibility()).click();");
    await waitForEvent(p, 'pave-open');
    await settle(p);
    await settle(p);
    const before = await uiState(p);
    assert.equal(before.popover, true);
    assert.equal(before.focus, 'popover');
    const requests = hits;
    await p.clearEvents();
    const blank = await p.evaluate(async (move) => {
      const el = document.querySelector('pave-hotspots');
      new Function('el', move)(el);
      // Markers shown in each of the next frames (none would be a blank while it loads again).
      const counts = [];
      for (let k = 0; k < 4; k += 1) {
        await new Promise((r) => requestAnimationFrame(r));
        counts.push([...el.shadowRoot.querySelectorAll('.marker')].filter((m) => m.checkVisibility()).length);
      }
      return counts;
    }, move);
    await settle(p);
    await settle(p);
    assert.ok(blank.every((n) => n > 0), `markers shown per frame after the move: ${blank}`);
    assert.deepEqual(await uiState(p), before);
    assert.equal(hits - requests, 0, 'no new request for the data');
    assert.deepEqual((await p.events()).map((e) => e.type), [], 'no pave-* event');
    const placed = await placementError(p);
    assert.ok(placed.n > 0 && placed.worst < 1, `markers on their points after the move: ${JSON.stringify(placed)}`);
    assert.deepEqual(p.errors(), []);
    await p.closeAll();
  });
}

test('moved in the DOM after a real click on a marker (focus went from the marker into its popover): the popover stays open with focus', async () => {
  const p = await open('/move.html');
  const c = await inRoot(p, `const r = root.querySelector('.photo:not([hidden]) .marker:not([hidden])').getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };`);
  await p.mouse.click(c.x, c.y);
  await waitForEvent(p, 'pave-open');
  await settle(p);
  const before = await uiState(p);
  assert.equal(before.focus, 'popover');
  await p.clearEvents();
  await p.evaluate(() => { const el = document.querySelector('pave-hotspots'); el.parentNode.insertBefore(el, document.getElementById('a')); });
  await settle(p);
  await settle(p);
  assert.deepEqual(await uiState(p), before);
  assert.deepEqual((await p.events()).map((e) => e.type), [], 'no pave-* event');
  await p.closeAll();
});

test('removed for good with its popover open: pave-close goes out, then everything is released', async () => {
  const p = await open('/move.html');
  await inRoot(p, "root.querySelector('.photo:not([hidden]) .marker:not([hidden])').click();");
  await waitForEvent(p, 'pave-open');
  const closes = await p.evaluate(async () => {
    const el = document.querySelector('pave-hotspots');
    const seen = [];
    el.addEventListener('pave-close', (e) => seen.push(e.detail.index));
    el.remove();
    await new Promise((r) => setTimeout(r, 50));
    return { seen, children: el.shadowRoot.childElementCount };
  });
  assert.equal(closes.seen.length, 1, 'one pave-close');
  assert.equal(closes.children, 0, 'the shadow root was emptied');
  await p.closeAll();
});

test('printed: the markers sit on their points in the print layout (not where the screen had them), in colour, without the popover; back on screen after', async () => {
  const p = await open('/print.html');
  await keepDamages(p);
  await inRoot(p, "root.querySelector('.photo:not([hidden]) .marker:not([hidden])').click();");
  await waitForEvent(p, 'pave-open');
  await settle(p);
  // Read while the page is laid out for print (this listener comes after the widget's).
  await p.evaluate(() => {
    matchMedia('print').addEventListener('change', (e) => {
      if (!e.matches) return;
      const root = document.querySelector('pave-hotspots').shadowRoot;
      const img = document.getElementById('spin').getBoundingClientRect();
      let worst = 0;
      const markers = [...root.querySelectorAll('.photo:not([hidden]) .marker:not([hidden])')];
      for (const m of markers) {
        const r = m.getBoundingClientRect();
        const want = window.__damages[Number(m.dataset.index)];
        worst = Math.max(worst, Math.abs(r.left + r.width / 2 - (img.left + want.x / 100 * img.width)), Math.abs(r.top + r.height / 2 - (img.top + want.y / 100 * img.height)));
      }
      window.__print = {
        width: Math.round(img.width), n: markers.length, worst,
        colours: getComputedStyle(markers[0]).printColorAdjust,
        popover: getComputedStyle(root.querySelector('[part=popover]')).display,
      };
    });
  });
  await p.pdf({ format: 'A4' });
  const printed = await p.evaluate(() => window.__print);
  assert.equal(printed.width, 700, 'the print layout applied');
  assert.ok(printed.n > 0 && printed.worst < 1, `markers on their points on paper: ${JSON.stringify(printed)}`);
  assert.equal(printed.colours, 'exact');
  assert.equal(printed.popover, 'none');
  await settle(p);
  await settle(p);
  const screen = await placementError(p);
  assert.ok(screen.n > 0 && screen.worst < 1, `back on screen: ${JSON.stringify(screen)}`);
  await p.closeAll();
});

test('the window moves to a screen with another pixel ratio: the layer snaps to the new device pixels', async () => {
  // The picture at a fractional position, so snapping to 1 or 2 device px differs.
  const p = await open('/move.html');
  await p.evaluate(() => { Object.assign(document.getElementById('box').style, { marginLeft: '100.3px', marginTop: '33.3px', width: '600.4px' }); });
  await settle(p);
  await settle(p);
  const cdp = await p.context().newCDPSession(p);
  // The layer against the picture's box snapped to the current device pixels, in device px.
  const snapped = () => inRoot(p, `const dpr = devicePixelRatio;
    const snap = (v) => Math.floor(v * dpr + 0.5) / dpr;
    const img = document.getElementById('spin').getBoundingClientRect();
    const layer = root.querySelector('[part=overlay]').getBoundingClientRect();
    const off = Math.max(Math.abs(layer.left - snap(img.left)), Math.abs(layer.top - snap(img.top)), Math.abs(layer.right - snap(img.right)), Math.abs(layer.bottom - snap(img.bottom)));
    return { dpr, offGrid: off * dpr };`);
  for (const dpr of [2, 1.5, 3]) {
    await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1000, height: 800, deviceScaleFactor: dpr, mobile: false });
    // (The change reaches the page as a media query's change event: under load, a few frames on.)
    let s = null;
    for (let k = 0; k < 30; k++) {
      await settle(p);
      s = await snapped();
      if (s.dpr === dpr && s.offGrid < 0.51) break;
    }
    assert.equal(s.dpr, dpr);
    assert.ok(s.offGrid < 0.51, `layer off the device-pixel grid at ${dpr}: ${JSON.stringify(s)}`);
  }
  await p.closeAll();
});

for (const [where, path] of [['inside', '/fs-in.html'], ['outside', '/fs-out.html']]) {
  test(`fullscreen starts while a popover is open, the widget ${where} what goes fullscreen: ${where === 'inside' ? 'the popover shows on top, focus in it' : 'the popover closes (its markers are under the fullscreen element)'}`, async () => {
    const p = await open(path);
    const c = await inRoot(p, `const r = root.querySelector('.photo:not([hidden]) .marker:not([hidden])').getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };`);
    await p.mouse.click(c.x, c.y);
    await waitForEvent(p, 'pave-open');
    await p.waitForFunction(() => document.fullscreenElement?.id === 'box');
    await settle(p);
    await settle(p);
    const seen = await inRoot(p, `const pop = root.querySelector('[part=popover]');
      const r = pop.getBoundingClientRect();
      // What a click at the popover's middle would reach: the popover, or what covers it.
      const hit = root.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return { open: pop.matches(':popover-open'), onTop: pop.contains(hit), focus: root.activeElement?.getAttribute('part') ?? null };`);
    const events = (await p.events()).map((e) => e.type);
    if (where === 'inside') {
      assert.deepEqual(seen, { open: true, onTop: true, focus: 'popover' });
      assert.ok(!events.includes('pave-close'), `events: ${events}`);
    } else {
      assert.equal(seen.open, false, 'closed');
      assert.ok(events.includes('pave-close'), `events: ${events}`);
    }
    await p.evaluate(() => document.exitFullscreen());
    await p.closeAll();
  });
}

test('a tab in the background does not poll, and its hidden time does not count toward poll-timeout', async () => {
  const p = await newPage();
  polls = 0;
  await p.goto(server.url + '/inspecting.html');
  await waitForEvent(p, 'pave-state', (d) => d.state === 'inspecting');
  assert.equal(polls, 1);
  // The user switches tabs (headless Chromium keeps every tab visible: the page is told so).
  const visibility = (hidden) => p.evaluate((hidden) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
  await visibility(true);
  // Longer than poll-timeout, and than the first few poll delays.
  await new Promise((r) => setTimeout(r, 3000));
  assert.equal(polls, 1, 'no poll while hidden');
  assert.equal(await p.evaluate(() => document.querySelector('pave-hotspots').state), 'inspecting');
  // Back: it asks at once, and is still within its poll-timeout.
  await visibility(false);
  await p.waitForFunction(() => document.querySelector('pave-hotspots').state !== 'loading');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(polls, 2, 'asked again as the page showed');
  assert.equal(await p.evaluate(() => document.querySelector('pave-hotspots').state), 'inspecting');
  // And the timeout still comes, counted in visible time.
  await waitForEvent(p, 'pave-state', (d) => d.state === 'error', 6000);
  await p.closeAll();
});
