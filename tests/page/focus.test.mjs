// Where the focus goes when what has it goes away: README "Keyboard and screen readers" ("Focus
// never falls to the page's <body>"; Esc, the close button or a click outside return it) and
// "Layout details" (a move of the element keeps the focus). Found by a randomised run of
// chaos.test.mjs's kind; each test failed on the build before its fix (PAVE_TEST_DIST=<dir> runs
// them on another build).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serve, newPage, closeBrowser, settle, resultsAt, sendJson } from './harness.mjs';

let server;
const PICTURE = '<img id="spin" src="/photos/frame-01.svg" data-pave-photo="5" style="display:block;width:600px" alt="car">';
const page = (body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body style="margin:0">${body}<button id="outside">outside</button><div style="height:400px"></div>
<script type="module" src="/dist/pave-hotspots.js"></script></body></html>`;

before(async () => {
  let origin = '';
  server = await serve({
    pages: {
      '/overlay.html': page(`<div id="stage" style="position:relative;width:max-content">${PICTURE}<pave-hotspots for="spin" src="/api/a"></pave-hotspots></div>`),
      '/failing.html': page(`${PICTURE}<pave-hotspots for="spin" src="/api/failing"></pave-hotspots>`),
      '/viewer.html': page('<pave-hotspots src="/api/a"></pave-hotspots>'),
    },
    handler(req, res, url) {
      if (url.pathname === '/api/failing') sendJson(res, 500, '{"success":false}');
      else if (url.pathname === '/api/a') {
        sendJson(res, 200, JSON.stringify(resultsAt([
          { code: 5, points: [[20, 30], [50, 50], [80, 40]] },
          { code: 7, points: [[30, 60], [70, 30]], url: `${origin}/photos/frame-05.svg` },
          { code: 8, points: [[40, 40]], url: `${origin}/photos/frame-09.svg` },
        ])));
      } else return false;
      return true;
    },
  });
  origin = server.url;
});

after(async () => {
  await closeBrowser();
  await server?.close();
});

async function opened(path, state = 'ready') {
  const p = await newPage();
  await p.goto(server.url + path);
  await p.waitForFunction((s) => document.querySelector('pave-hotspots')?.state === s, state);
  await settle(p);
  await settle(p);
  return p;
}

/** What has the focus: an element of the widget's shadow tree (`.class[index]`), else the page's. */
const active = (p) => p.evaluate(() => {
  const a = document.activeElement;
  const r = a?.shadowRoot?.activeElement;
  return r ? `${r.localName}.${r.classList[0]}${r.dataset.index != null ? `[${r.dataset.index}]` : ''}` : a?.localName;
});
const focusIn = (p, sel) => p.evaluate((s) => document.querySelector('pave-hotspots').shadowRoot.querySelector(s).focus(), sel);

test('a popover open() put on a photo not shown (no marker to go back to): Esc, a click outside (the page\'s click(), or the mouse on blank page) put the focus on the layer', async () => {
  const p = await opened('/overlay.html');
  for (const how of ['Escape', 'click()', 'mouse']) {
    await focusIn(p, '.marker[data-index="1"]');
    await p.evaluate(() => document.querySelector('pave-hotspots').open(3));
    await settle(p); await settle(p);
    assert.equal(await active(p), 'div.popover');
    if (how === 'Escape') await p.keyboard.press('Escape');
    else if (how === 'click()') await p.evaluate(() => document.getElementById('outside').click());
    else await p.mouse.click(700, 700);
    await settle(p); await settle(p);
    assert.equal(await active(p), 'div.layer', how);
    assert.equal(await p.evaluate(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('.popover').hidden), true);
  }
  assert.deepEqual(p.errors(), []);
  await p.closeAll();
});

test("the page's script clicks a button of its own (no focus moves), then moves the element: the focus stays where it was in the widget", async () => {
  const p = await opened('/overlay.html');
  for (const sel of ['.marker[data-index="1"]', '.list .toggle']) {
    await focusIn(p, sel);
    const was = await active(p);
    await p.evaluate(() => document.getElementById('outside').click());
    await settle(p);
    await p.evaluate(() => { const w = document.querySelector('pave-hotspots'); const parent = w.parentNode; w.remove(); parent.append(w); });
    await settle(p); await settle(p);
    assert.equal(await active(p), was, sel);
  }
  assert.deepEqual(p.errors(), []);
  await p.closeAll();
});

test('the focus on Retry, the page calls reload() (Retry hides while it loads): the focus goes to the status line, as when Retry is pressed', async () => {
  const p = await opened('/failing.html', 'error');
  for (const how of ['Enter', 'reload()']) {
    await focusIn(p, '.retry');
    if (how === 'Enter') await p.keyboard.press('Enter');
    else await p.evaluate(() => document.querySelector('pave-hotspots').reload());
    await settle(p); await settle(p);
    assert.match(await active(p), /^p\./, how);
    await p.waitForFunction(() => document.querySelector('pave-hotspots').state === 'error');
    await settle(p);
  }
  await p.closeAll();
});

test("the built-in viewer's next-photo button focused, new results with one photo (the button hides) or none: the focus goes to the status line", async () => {
  const p = await opened('/viewer.html');
  for (const data of [resultsAt([{ code: 5, points: [[40, 40]] }]), resultsAt([{ code: 5, points: [] }])]) {
    await p.evaluate(() => { document.querySelector('pave-hotspots').results = null; });
    await p.waitForFunction(() => document.querySelector('pave-hotspots').state === 'ready');
    await settle(p); await settle(p);
    await focusIn(p, '[data-action=photo-next]');
    assert.equal(await active(p), 'button.step');
    await p.evaluate((d) => { document.querySelector('pave-hotspots').results = d; }, data);
    await settle(p); await settle(p);
    assert.match(await active(p), /^p\./);
  }
  assert.deepEqual(p.errors(), []);
  await p.closeAll();
});
