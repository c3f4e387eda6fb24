// Many widgets on one page (an inventory page with a card per car): every widget reads the page
// before any of them writes (js/moves.js), so a resize, or a change to all the pictures, costs
// the page one layout at most, not one forced layout per widget. Counted in a Chromium trace (bench/trace.mjs:
// a layout that carries a JS stack was forced by script). Each test also checks that every
// widget's markers lie on their points afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, newPage, browser, closeBrowser, html, settle, resultsAt, waitForEvent, countWholeReads } from './harness.mjs';
import { analyzeTrace, TRACE_CATEGORIES } from '../../bench/trace.mjs';

const N = 12;
const POINTS = [[10, 20], [30, 60], [50, 35], [70, 80], [90, 15]];
const cards = Array.from({ length: N }, (_, k) => `<div class="card"><img id="s${k}" src="/photos/frame-05.svg" data-pave-photo="5" alt="">
  <pave-hotspots for="s${k}" list="none"></pave-hotspots></div>`).join('');

let server;
before(async () => {
  server = await serve({
    pages: {
      '/cards.html': html(`<div id="grid">${cards}</div>`, {
        head: '<style>body{margin:0} #grid{display:grid;grid-template-columns:repeat(4,1fr);gap:8px;width:1000px} .card{position:relative} .card img{display:block;width:100%}</style>',
      }),
    },
  });
});
after(async () => { await server?.close(); await closeBrowser(); });

async function open() {
  const page = await newPage({ viewport: { width: 1100, height: 900 } });
  await page.goto(`${server.url}/cards.html`);
  await page.evaluate((d) => document.querySelectorAll('pave-hotspots').forEach((e) => { e.results = d; }), resultsAt([{ code: 5, points: POINTS }]));
  await page.waitForFunction((n) => [...document.querySelectorAll('pave-hotspots')]
    .every((e) => e.shadowRoot?.querySelectorAll('.marker:not([hidden])').length === n), POINTS.length, { timeout: 20000 });
  await settle(page);
  await settle(page);
  return page;
}

/**
 * The largest distance (px) from a marker's centre to its point on its picture, over every
 * widget. The picture fills its box, or (`contain`) is contained in it at object-position
 * `px`, `py` (fractions).
 */
function worstError(page, { contain = false, px = 0.5, py = 0.5 } = {}) {
  return page.evaluate(([points, contain, px, py]) => {
    let worst = 0;
    for (const host of document.querySelectorAll('pave-hotspots')) {
      const el = document.getElementById(host.getAttribute('for'));
      const box = el.getBoundingClientRect();
      const s = contain ? Math.min(box.width / el.naturalWidth, box.height / el.naturalHeight) : 1;
      const [w, h] = contain ? [el.naturalWidth * s, el.naturalHeight * s] : [box.width, box.height];
      const [left, top] = [box.left + (box.width - w) * px, box.top + (box.height - h) * py];
      for (const m of host.shadowRoot.querySelectorAll('.marker')) {
        const [x, y] = points[Number(m.dataset.index)];
        const r = m.getBoundingClientRect();
        worst = Math.max(worst, Math.hypot(r.left + r.width / 2 - (left + (x / 100) * w), r.top + r.height / 2 - (top + (y / 100) * h)));
      }
    }
    return worst;
  }, [POINTS, contain, px, py]);
}

/** Runs `change` in the page and waits two frames, traced: the layouts of that time. */
async function traced(page, change) {
  const b = await browser();
  await b.startTracing(page, { categories: TRACE_CATEGORIES });
  await page.evaluate(change);
  await settle(page);
  return analyzeTrace(await b.stopTracing());
}

test(`a resize of ${N} widgets' pictures forces no layout per widget, reads each widget whole once, and all their markers follow`, async () => {
  const page = await open();
  const wholeReads = await countWholeReads(page);
  for (const width of [900, 1000, 760]) {
    await wholeReads();
    const t = await traced(page, `document.getElementById('grid').style.width = '${width}px'`);
    // (The row's style is an attribute of the pictures' ancestor: the widgets read in the next
    // frame, and the first read finds the page's change not laid out yet. One, not one each.)
    assert.ok(t.forcedLayouts <= 1, `width ${width}: ${t.forcedLayouts} forced layouts (${JSON.stringify(t.forcedBy)})`);
    // That pass reads each widget whole. The one for the pictures' resize in the same frame
    // (after the page's rAF callbacks, which may have resized them again) only checks that each
    // picture is where that pass found it, and not one more in the frames after reads the moves
    // of the widgets' own boxes, which the pass measured.
    await settle(page);
    await settle(page);
    const reads = await wholeReads();
    assert.ok(reads <= N, `width ${width}: ${reads} whole reads for ${N} widgets`);
    const error = await worstError(page);
    assert.ok(error < 0.6, `width ${width}: a marker ${error.toFixed(2)} px off its point`);
  }
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test(`a change to all ${N} pictures that no resize tells (object-position) is read by every widget before any writes`, async () => {
  const page = await open();
  const restyle = (css) => `for (const img of document.querySelectorAll('.card img')) img.style.cssText = '${css}'`;
  await page.evaluate(restyle('height:150px;object-fit:contain'));
  await settle(page);
  await settle(page);
  for (const [px, py] of [[0, 0.5], [1, 0.5], [0.25, 0.5]]) {
    // The picture's own style attribute changed: each widget asks for a pass in the next frame.
    const t = await traced(page, restyle(`height:150px;object-fit:contain;object-position:${px * 100}% ${py * 100}%`));
    // (The first read finds the layout the change left dirty: that one is forced, once.)
    assert.ok(t.forcedLayouts <= 1, `object-position ${px * 100}%: ${t.forcedLayouts} forced layouts (${JSON.stringify(t.forcedBy)})`);
    const error = await worstError(page, { contain: true, px, py });
    assert.ok(error < 0.6, `object-position ${px * 100}%: a marker ${error.toFixed(2)} px off its point`);
  }
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('a widget removed by another one\'s event in the middle of a pass: the others go on', async () => {
  const page = await newPage({ viewport: { width: 1100, height: 900 } });
  await page.goto(`${server.url}/cards.html`);
  // Every widget is asked to open its first damage before its photo shows: each opens it in its
  // first pass's write, and the first `pave-open` (sent from that write) removes the last card
  // while the others' writes are still to come.
  await page.evaluate((d) => {
    document.addEventListener('pave-open', () => document.querySelector('.card:last-child')?.remove(), { once: true });
    for (const e of document.querySelectorAll('pave-hotspots')) {
      e.results = d;
      e.open(0);
    }
  }, resultsAt([{ code: 5, points: POINTS }]));
  await page.waitForFunction(() => document.querySelectorAll('pave-hotspots').length === 11 && document.getElementById('s0').complete);
  await settle(page);
  await settle(page);
  const opened = (await page.events('pave-open')).length;
  assert.ok(opened >= 1, 'no widget opened its damage');
  // The rest still follow a resize.
  await page.evaluate(() => { document.getElementById('grid').style.width = '820px'; });
  await settle(page);
  await settle(page);
  const error = await worstError(page);
  assert.ok(error < 0.6, `after the resize: a marker ${error.toFixed(2)} px off its point`);
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test("a widget changed by another one's listener after it read, in the same pass, writes what it is now", async () => {
  // A's write opens a damage on the photo its picture now shows (a queued open()); its pave-open
  // listener gives B new data. B read before that, in the same pass: its write must not be the
  // stale one, and no later event may be needed to show B's markers.
  const page = await open();
  const [a, b] = await page.evaluate(() => [...document.querySelectorAll('pave-hotspots')].slice(0, 2).map((e) => e.getAttribute('for')));
  const three = resultsAt([{ code: 5, points: POINTS.slice(0, 3) }, { code: 6, points: [[20, 30]] }]);
  await page.evaluate(([a, b, data]) => {
    const [A, B] = [a, b].map((id) => document.querySelector(`pave-hotspots[for="${id}"]`));
    A.results = data;
    A.addEventListener('pave-open', () => { B.results = data; }, { once: true });
    A.open(3); // on photo 6: waits until A's picture shows it
    document.getElementById(a).dataset.pavePhoto = '6';
    // Both widgets in the next pass, B after A.
    queueMicrotask(() => queueMicrotask(() => document.dispatchEvent(new Event('scroll'))));
  }, [a, b, three]);
  await waitForEvent(page, 'pave-open');
  await settle(page);
  await settle(page);
  const shown = await page.evaluate((b) => document.querySelector(`pave-hotspots[for="${b}"]`).shadowRoot.querySelectorAll('.photo:not([hidden]) .marker:not([hidden])').length, b);
  assert.equal(shown, 3, 'B shows its new data');
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});
