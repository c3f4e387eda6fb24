// What a page does to the element while it runs: a viewer's loop setting the same photo again on
// every frame, `src` and `results` changed in either order, `lang` changed in an error, the list
// rebuilt under the keyboard's focus, next/previous across photos that the page doesn't turn to.
// Each test failed on the build before its fix (PAVE_TEST_DIST=<dir> runs them on another build).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { serve, newPage, closeBrowser, settle, waitForEvent, resultsAt, sendJson } from './harness.mjs';

/** A `w`×`h` PNG of a smooth gradient: small on the wire, slow to decode (every pixel). */
function bigPng(w, h) {
  const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
  const crc = (buf) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 255] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type, data) => {
    const head = Buffer.alloc(4); head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const tail = Buffer.alloc(4); tail.writeUInt32BE(crc(body));
    return Buffer.concat([head, body, tail]);
  };
  const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2;
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw.set([x & 255, y & 255, (x ^ y) & 255], y * (w * 3 + 1) + 1 + x * 3);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
let big = null;

const RESULTS = resultsAt([
  { code: 5, points: [[20, 30], [50, 50], [80, 40]] },
  { code: 7, points: [[30, 60], [70, 30]] },
]);
const OTHER = resultsAt([{ code: 5, points: [[10, 10], [30, 30], [50, 50], [70, 70], [90, 90]] }]);
let server;
const hits = {};

/** A page: the picture in a positioned box with the element (`attrs`), a button outside, `body`. */
function page(attrs, { img = 'src="/photos/frame-01.svg"', body = '' } = {}) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body style="margin:0">
<div style="position:relative;width:600px;margin:20px"><img id="spin" ${img} alt="car" style="display:block;width:600px"><pave-hotspots ${attrs}></pave-hotspots></div>
<button id="outside">outside</button>${body}
<script type="module" src="/dist/pave-hotspots.js"></script></body></html>`;
}

before(async () => {
  server = await serve({
    pages: {
      '/photo.html': page('for="spin" src="/api/r" photo="5"'),
      // A viewer's zoom: the picture panned by object-position, or a wrapper of it scaled.
      '/pan.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body style="margin:0">
<img id="spin" src="/photos/frame-01.svg" alt="car" style="display:block;width:600px;height:450px;object-fit:none;object-position:0px 0px">
<pave-hotspots for="spin" src="/api/r" photo="5"></pave-hotspots>
<script type="module" src="/dist/pave-hotspots.js"></script></body></html>`,
      '/zoom.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body style="margin:0">
<div style="overflow:hidden;width:600px;height:450px"><div id="zoom" style="transform-origin:0 0"><img id="spin" src="/photos/frame-01.svg" alt="car" style="display:block;width:600px"></div></div>
<pave-hotspots for="spin" src="/api/r" photo="5"></pave-hotspots>
<script type="module" src="/dist/pave-hotspots.js"></script></body></html>`,
      // A deep picture whose page restyles it from a ResizeObserver callback; the overlay at the
      // end of <body>, shallower than it.
      '/ro.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body style="margin:0">
<div><div><div><div><div><div><div id="outer"><div id="wrap" style="width:600px"><img id="spin" src="/photos/frame-01.svg" alt="car" style="display:block;width:600px"></div></div></div></div></div></div></div></div>
<script type="module">import { HotspotOverlay } from '/dist/index.js';
window.overlay = HotspotOverlay.attach(document.getElementById('spin'), { src: '/api/r', photo: 5 });</script></body></html>`,
      // A picture decoded off the main thread.
      '/async.html': page('for="spin" src="/api/r"', { img: 'src="/photos/frame-01.svg" data-pave-photo="5" decoding="async"' }),
      // A viewer that turns a <picture> by its <source>'s srcset alone.
      '/picture.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body style="margin:0">
<picture><source id="src" srcset="/photos/frame-01.svg"><img id="spin" src="/photos/frame-09.svg" alt="car" style="display:block;width:600px"></picture>
<pave-hotspots for="spin" src="/api/r"></pave-hotspots>
<script>document.querySelector('pave-hotspots').photoMap = { 'frame-01.svg': 5, 'frame-05.svg': 7 };</script>
<script type="module" src="/dist/pave-hotspots.js"></script></body></html>`,
      '/data-photo.html': page('for="spin" src="/api/r"', { img: 'src="/photos/frame-01.svg" data-pave-photo="5"' }),
      '/list.html': page('for="spin" src="/api/r" photo="5" list="open"'),
      '/missing.html': page('for="spin" src="/api/missing" photo="5"'),
      '/object-attr.html': page('for="spin" photo="5" results="[object Object]"'),
      '/inline.html': page('for="spin" photo="5"', { body: `<script>window.DATA = ${JSON.stringify(RESULTS)};
document.querySelector('pave-hotspots').results = window.DATA;</script>` }),
      '/overlay-inline.html': `<!doctype html><html><body style="margin:0"><img id="spin" src="/photos/frame-01.svg" style="display:block;width:600px">
<script type="module">import { HotspotOverlay } from '/dist/index.js';
window.DATA = ${JSON.stringify(RESULTS)};
window.overlay = HotspotOverlay.attach(document.getElementById('spin'), { results: window.DATA, photo: 5 });</script></body></html>`,
      '/overlay.html': `<!doctype html><html><body style="margin:0"><img id="spin" src="/photos/frame-01.svg" style="display:block;width:600px">
<script type="module">import { HotspotOverlay } from '/dist/index.js';
window.overlay = HotspotOverlay.attach(document.getElementById('spin'), { src: '/api/r', photo: 5 });</script></body></html>`,
    },
    handler: (req, res, url) => {
      if (url.pathname === '/big.png') {
        big ??= bigPng(4000, 3000);
        res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' });
        res.end(big);
        return true;
      }
      if (!url.pathname.startsWith('/api/')) return false;
      hits[url.pathname] = (hits[url.pathname] ?? 0) + 1;
      if (url.pathname === '/api/missing') sendJson(res, 404, JSON.stringify({ success: false, message: 'Session not found' }));
      else sendJson(res, 200, JSON.stringify(url.pathname === '/api/other' ? OTHER : RESULTS));
      return true;
    },
  });
});
after(async () => {
  await closeBrowser();
  await server.close();
});

const host = (page) => page.evaluateHandle(() => document.querySelector('pave-hotspots') ?? window.overlay);

/**
 * In the page: `window.paintedFrames(count, step, sample)` runs `step(n)` in each of `count`
 * animation frames (n from 1), as a viewer's frame loop does, and `sample()` just before each
 * paint (a ResizeObserver on a box resized every frame reports after the frame's animation-frame
 * callbacks and layout); resolves to what `sample` returned, frame by frame.
 */
function paintedFrames() {
  window.paintedFrames = (count, step, sample) => new Promise((done) => {
    const probe = document.body.appendChild(document.createElement('div'));
    probe.style.cssText = 'height:1px;width:1px';
    const seen = [];
    const ro = new ResizeObserver(() => seen.push(sample()));
    ro.observe(probe);
    let n = 0;
    const tick = () => {
      n += 1;
      probe.style.width = `${(n % 2) + 1}px`;
      step(n);
      if (n < count) requestAnimationFrame(tick);
      else requestAnimationFrame(() => { ro.disconnect(); probe.remove(); done(seen); });
    };
    requestAnimationFrame(tick);
  });
}

async function opened(path) {
  const page = await newPage();
  await page.addInitScript(paintedFrames);
  await page.goto(server.url + path);
  await waitForEvent(page, 'pave-load');
  await page.waitForFunction(() => [...document.images].every((i) => i.complete));
  await settle(page);
  await settle(page);
  return page;
}

/** The open popover's title (null: closed), and what has focus, through shadow roots. */
const state = (page) => page.evaluate(() => {
  const el = document.querySelector('pave-hotspots') ?? window.overlay.element;
  const p = el.shadowRoot.querySelector('[part=popover]');
  let a = document.activeElement;
  const path = [];
  while (a) {
    path.push(a.id || a.dataset?.index || a.getAttribute('part') || a.className || a.tagName.toLowerCase());
    a = a.shadowRoot?.activeElement;
  }
  return { open: p.hidden ? null : p.querySelector('.title').textContent, focus: path.join(' > ') };
});

test("the photo set again to the one it is (a viewer's frame loop) keeps the markers and the open popover", async () => {
  const cases = [
    ['/photo.html', () => document.querySelector('pave-hotspots').setAttribute('photo', '5')],
    ['/data-photo.html', () => document.getElementById('spin').setAttribute('data-pave-photo', '5')],
    // (The property's absolute URL over the attribute's relative one: the same picture.)
    ['/photo.html', () => { const i = document.getElementById('spin'); i.src = i.src; }],
    ['/photo.html', () => { document.querySelector('pave-hotspots').photoMap = {}; }],
    ['/overlay.html', () => window.overlay.setPhoto(5)],
  ];
  for (const [path, again] of cases) {
    const page = await opened(path);
    const el = await host(page);
    await el.evaluate((e) => e.open(1));
    await settle(page);
    const opened1 = await state(page);
    assert.equal(opened1.open, 'Damage 1', path);
    assert.match(opened1.focus, / > popover$/, path);
    await page.clearEvents();
    // Every frame for 30 frames, as a spin viewer's render loop: the layer never hides.
    const hidden = await page.evaluate(async (again) => {
      const layer = (document.querySelector('pave-hotspots') ?? window.overlay.element).shadowRoot.querySelector('.layer');
      let n = 0;
      for (let k = 0; k < 30; k++) {
        new Function(`(${again})()`)();
        await new Promise(requestAnimationFrame);
        if (layer.hidden) n += 1;
      }
      return n;
    }, again.toString());
    await settle(page);
    assert.equal(hidden, 0, `${path}: ${again}`);
    assert.deepEqual(await state(page), opened1, `${again}`);
    assert.deepEqual(await page.events(), [], `${again}`);
    assert.deepEqual(page.errors(), []);
    await page.closeAll();
  }
});

test("a photo changed in the page's own animation-frame callback (a viewer's frame loop) is drawn in that frame, never a frame without markers", async () => {
  for (const [path, both] of [['/data-photo.html', false], ['/data-photo.html', true], ['/overlay.html', false]]) {
    const page = await opened(path);
    // Just before each paint: which damages show.
    const frames = await page.evaluate(async (both) => {
      const img = document.getElementById('spin');
      const el = document.querySelector('pave-hotspots') ?? window.overlay.element;
      const layer = el.shadowRoot.querySelector('.layer');
      let photo = '5';
      return window.paintedFrames(40, (n) => {
        // Every 4th frame the viewer turns: by data-pave-photo, through the overlay's setPhoto(),
        // or by two changes at once (the photo attribute and data-pave-photo).
        if (n % 4 === 0) {
          photo = photo === '5' ? '7' : '5';
          if (window.overlay) window.overlay.setPhoto(Number(photo));
          else if (both) {
            document.querySelector('pave-hotspots').setAttribute('photo', photo);
            img.dataset.pavePhoto = photo;
          } else img.dataset.pavePhoto = photo;
        }
      }, () => {
        const shown = layer.hidden ? 'none' : [...layer.querySelectorAll('.photo:not([hidden]) .marker')].map((m) => m.dataset.index).sort().join();
        return `${photo}:${shown}`;
      });
    }, both);
    const wrong = frames.filter((f) => !['5:0,1,2', '7:3,4'].includes(f));
    assert.ok(frames.length >= 30, `${path}: ${frames.length} frames`);
    assert.deepEqual(wrong, [], `${path}${both ? ', two changes at once' : ''}: frames painted without the photo's markers (photo:shown)`);
    assert.deepEqual(page.errors(), []);
    await page.closeAll();
  }
});

test("a zoom or pan made in the page's animation-frame callbacks (object-position, a wrapper's transform) is drawn in the frame of each step from the second on: the markers on their points", async () => {
  const points = RESULTS.data[0].inspection_data.map((d) => [d.coodrs.x, d.coodrs.y]);
  for (const path of ['/pan.html', '/zoom.html']) {
    const page = await opened(path);
    const errors = await page.evaluate(async ({ points, path }) => {
      const img = document.getElementById('spin');
      const layer = document.querySelector('pave-hotspots').shadowRoot.querySelector('.layer');
      let shift = 0;
      return window.paintedFrames(36, (n) => {
        // Every 3rd frame the viewer zooms or pans a step.
        if (n % 3 === 0) {
          shift = (n % 12) * 10;
          if (path === '/pan.html') img.style.objectPosition = `${-shift}px ${-shift}px`;
          else document.getElementById('zoom').style.transform = `scale(${1 + shift / 200})`;
        }
      }, () => {
        // How far the markers shown are from their points.
        const r = img.getBoundingClientRect();
        const at = ([x, y]) => (path === '/pan.html'
          ? [r.left - shift + (x / 100) * img.naturalWidth, r.top - shift + (y / 100) * img.naturalHeight]
          : [r.left + (x / 100) * r.width, r.top + (y / 100) * r.height]);
        let worst = 0;
        for (const m of layer.querySelectorAll('.photo:not([hidden]) .marker:not([hidden])')) {
          const b = m.getBoundingClientRect();
          const [ex, ey] = at(points[m.dataset.index]);
          worst = Math.max(worst, Math.hypot(b.left + b.width / 2 - ex, b.top + b.height / 2 - ey));
        }
        return Math.round(worst);
      });
    }, { points, path });
    assert.ok(errors.length >= 30, `${path}: ${errors.length} frames`);
    // (The first step, on a page idle until then, is drawn a frame late: the widget's frame
    // then comes after the viewer's.)
    assert.deepEqual(errors.slice(4).filter((e) => e > 1), [], `${path}: px off in painted frames: ${errors}`);
    assert.deepEqual(page.errors(), []);
    await page.closeAll();
  }
});

test("a <picture> turned by its <source>'s srcset alone, or by a new <source> in its place (a re-render): no painted frame has another photo's markers", async () => {
  for (const replace of [false, true]) {
  const page = await opened('/picture.html');
  const frames = await page.evaluate(async (replace) => {
    const img = document.getElementById('spin');
    let source = document.getElementById('src');
    const layer = document.querySelector('pave-hotspots').shadowRoot.querySelector('.layer');
    // Loaded once already, so that each turn shows at once (a viewer preloads its frames).
    await Promise.all(['frame-01', 'frame-03', 'frame-05'].map((f) => new Promise((r) => { const i = new Image(); i.onload = r; i.src = `/photos/${f}.svg`; })));
    const photo = { 'frame-01': '5', 'frame-05': '7' };
    const frames = ['frame-03', 'frame-05', 'frame-03', 'frame-01'];
    return window.paintedFrames(48, (n) => {
      if (n % 4 !== 0) return;
      const url = `/photos/${frames[(n / 4) % 4]}.svg`;
      if (replace) {
        const next = document.createElement('source');
        next.srcset = url;
        source.replaceWith(next);
        source = next;
      } else source.srcset = url;
    }, () => {
      const shown = layer.hidden ? [] : [...layer.querySelectorAll('.photo:not([hidden]) .marker:not([hidden])')].map((m) => m.dataset.index);
      const now = photo[/frame-\d+/.exec(img.currentSrc)?.[0]] ?? 'none';
      const of = (i) => (Number(i) < 3 ? '5' : '7');
      if (shown.some((i) => of(i) !== now)) return `${now}: ${shown}`;
      return shown.length ? `ok ${now}` : 'ok';
    });
  }, replace);
  assert.ok(frames.length >= 40, `${frames.length} frames`);
  assert.deepEqual(frames.filter((f) => !f.startsWith('ok')), [], `${replace ? 'replaced' : 'srcset'}: frames painted with another photo's markers`);
  // (And each photo's markers did show, in the frames of its turns.)
  assert.deepEqual([...new Set(frames.filter((f) => f !== 'ok'))].sort(), ['ok 5', 'ok 7']);
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
  }
});

test("a page's ResizeObserver callback that restyles the picture or an ancestor: no ResizeObserver loop error, the markers follow", async () => {
  const page = await opened('/ro.html');
  const errors = await page.evaluate(async () => {
    const errs = [];
    window.addEventListener('error', (e) => errs.push(e.message));
    const wrap = document.getElementById('wrap');
    const outer = document.getElementById('outer');
    const img = document.getElementById('spin');
    let n = 0;
    const ro = new ResizeObserver(() => { outer.dataset.w = String(n++); img.classList.toggle('narrow', n % 2 === 1); });
    ro.observe(wrap);
    for (let k = 0; k < 20; k++) {
      wrap.style.width = `${500 + k * 10}px`;
      await new Promise((r) => requestAnimationFrame(r));
    }
    ro.disconnect();
    return errs;
  });
  assert.deepEqual(errors, []);
  await settle(page);
  const off = await page.evaluate(() => {
    const r = document.getElementById('spin').getBoundingClientRect();
    const m = window.overlay.element.shadowRoot.querySelector('.marker[data-index="1"]').getBoundingClientRect();
    return Math.hypot(m.left + m.width / 2 - (r.left + r.width / 2), m.top + m.height / 2 - (r.top + r.height / 2));
  });
  assert.ok(off < 1, `the (50 %, 50 %) marker is ${off} px off`);
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('the picture hidden, then taken out of the page, then the list opened: no ResizeObserver loop error (the body, observed anew in a ResizeObserver callback, was)', async () => {
  const page = await opened('/photo.html');
  await page.evaluate(() => { document.getElementById('spin').style.display = 'none'; });
  await settle(page);
  await page.evaluate(() => document.getElementById('spin').remove());
  await settle(page);
  await page.locator('pave-hotspots .toggle').click();
  await settle(page);
  await settle(page);
  assert.equal(await page.evaluate(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('.toggle').getAttribute('aria-expanded')), 'true');
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('a picture with decoding="async" turned to a large photo: its markers show once it is decoded, never over the photo before', async () => {
  const page = await opened('/async.html');
  const frames = await page.evaluate(async () => {
    const img = document.getElementById('spin');
    const layer = document.querySelector('pave-hotspots').shadowRoot.querySelector('.layer');
    let decoded = false;
    return window.paintedFrames(120, (n) => {
      if (n !== 1) return;
      img.dataset.pavePhoto = '7';
      img.src = '/big.png';
      img.addEventListener('load', () => img.decode().finally(() => { decoded = true; }), { once: true });
    }, () => {
      const shown = layer.hidden ? [] : [...layer.querySelectorAll('.photo:not([hidden]) .marker:not([hidden])')].map((m) => m.dataset.index);
      // Damages 3 and 4 are photo 7's: shown before the photo can be painted, they lie over photo 5.
      if (!shown.some((i) => Number(i) >= 3)) return 'none';
      return decoded ? 'after' : 'before';
    });
  });
  assert.ok(frames.includes('after'), `photo 7's markers never showed: ${frames}`);
  assert.deepEqual(frames.filter((f) => f === 'before'), [], 'frames with photo 7\'s markers before it was decoded');
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test("next to a damage on a photo the page doesn't turn to: it shows at once; Esc, × or a click outside give focus back to the last marker, and turning later opens nothing", async () => {
  for (const close of ['Escape', 'button', 'outside']) {
    const page = await opened('/photo.html');
    await page.locator('pave-hotspots .marker[data-index="2"]').click();
    await waitForEvent(page, 'pave-open', (d) => d.index === 2);
    await page.keyboard.press('ArrowRight'); // damage 3 is on photo 7: a pave-photo-request nobody follows
    await waitForEvent(page, 'pave-photo-request', (d) => d.photoCode === 7);
    await waitForEvent(page, 'pave-open', (d) => d.index === 3);
    await settle(page);
    assert.equal((await state(page)).open, 'Damage 0'); // (the first on photo 7)
    if (close === 'Escape') await page.keyboard.press('Escape');
    else if (close === 'button') await page.locator('pave-hotspots [data-action=close]').click();
    else await page.mouse.click(900, 700);
    await waitForEvent(page, 'pave-close', (d) => d.index === 3);
    await settle(page);
    assert.deepEqual(await state(page), { open: null, focus: 'pave-hotspots > 2' }, close);
    // The user turns to photo 7 later, on their own: nothing opens by itself.
    await page.clearEvents();
    await page.locator('#outside').focus();
    await page.evaluate(() => document.querySelector('pave-hotspots').setAttribute('photo', '7'));
    await settle(page);
    await settle(page);
    assert.deepEqual(await state(page), { open: null, focus: 'outside' }, close);
    assert.deepEqual((await page.events()).map((e) => e.type), [], close);
    await page.closeAll();
  }
});

test('results passed in win over src whatever the order; results removed go back to src; the same src again asks nothing', async () => {
  const page = await opened('/photo.html');
  const el = await host(page);
  const markers = () => page.evaluate(() => document.querySelector('pave-hotspots').shadowRoot.querySelectorAll('.photo:not([hidden]) .marker:not([hidden])').length);
  const before = hits['/api/r'];
  // The same src again: no request, no event.
  await page.clearEvents();
  await el.evaluate((e) => e.setAttribute('src', '/api/r'));
  await settle(page);
  assert.equal(hits['/api/r'], before);
  assert.deepEqual(await page.events(), []);
  // Results passed in; then a new src: the results stay.
  await el.evaluate((e, r) => { e.results = r; }, OTHER);
  await settle(page);
  assert.equal(await markers(), 5);
  await el.evaluate((e) => e.setAttribute('src', '/api/r2'));
  await settle(page);
  assert.equal(await markers(), 5);
  assert.equal(hits['/api/r2'], undefined);
  // Cleared: the new src is where the data comes from.
  await el.evaluate((e) => { e.results = null; });
  await waitForEvent(page, 'pave-state', (d) => d.state === 'ready');
  await settle(page);
  assert.equal(await markers(), 3);
  assert.equal(hits['/api/r2'], 1);
  // The results attribute set and then removed: back to src too, not to nothing.
  await page.clearEvents();
  await el.evaluate((e, r) => e.setAttribute('results', JSON.stringify(r)), OTHER);
  await waitForEvent(page, 'pave-load', (d) => d.damages.length === 5);
  await page.clearEvents();
  await el.evaluate((e) => e.removeAttribute('results'));
  await waitForEvent(page, 'pave-state', (d) => d.state === 'ready');
  await settle(page);
  assert.equal(await markers(), 3);
  assert.equal(hits['/api/r2'], 2);
  assert.deepEqual((await page.events('pave-state')).map((e) => e.detail.state), ['loading', 'ready']);
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('lang changed in an error: the status line says the error in the new language', async () => {
  const page = await newPage();
  await page.goto(`${server.url}/missing.html`);
  await waitForEvent(page, 'pave-error');
  const text = () => page.evaluate(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('[role=status]').textContent.trim());
  // (Its words come a moment after the widget: see the live region test in a11y.test.mjs.)
  await page.waitForFunction(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('[role=status]').textContent);
  assert.match(await text(), /^No damage report was found/);
  await page.evaluate(() => document.querySelector('pave-hotspots').setAttribute('lang', 'fr'));
  await settle(page);
  assert.match(await text(), /^Aucun rapport de dommages/);
  await page.closeAll();
});

test("the list built again under the keyboard's focus (reload, new results, lang, list mode) never drops it to <body>", async () => {
  const where = { row: '#pave-list-body [data-index="1"]', filter: '#pave-list-body [data-action=filter]:nth-of-type(2)', toggle: '.toggle' };
  const changes = {
    reload: (e) => e.reload(),
    results: (e, r) => { e.results = r; },
    lang: (e) => e.setAttribute('lang', 'de'),
    closed: (e) => e.setAttribute('list', 'closed'),
    none: (e) => e.setAttribute('list', 'none'),
  };
  for (const [what, selector] of Object.entries(where)) {
    for (const [how, change] of Object.entries(changes)) {
      if (what === 'toggle' && how === 'closed') continue; // the toggle stays: nothing moves
      const page = await opened('/list.html');
      const el = await host(page);
      const target = page.locator(`pave-hotspots ${selector}`).first();
      await target.focus();
      const focused = (await state(page)).focus;
      assert.match(focused, /^pave-hotspots > /, `${what}: ${focused}`);
      await el.evaluate(change, OTHER);
      await settle(page);
      await settle(page);
      const now = (await state(page)).focus;
      assert.match(now, /^pave-hotspots > /, `${what}, ${how}: focus went to ${now}`);
      // A language change builds the same rows: focus stays on the same one.
      if (how === 'lang') assert.equal(now, focused, `${what}, lang`);
      assert.deepEqual(page.errors(), []);
      await page.closeAll();
    }
  }
});

test('a filter that keeps only the open damage hides previous/next, and next() sends no pave-open for it again', async () => {
  const page = await opened('/list.html');
  const el = await host(page);
  // Damages 0 and 3 are Body, 1 and 4 Part, 2 Wheel (resultsAt's groups in turn, per photo).
  await page.locator('pave-hotspots [data-action=filter][data-group="wheel"]').click();
  await el.evaluate((e) => e.open(2));
  await settle(page);
  const buttons = () => page.evaluate(() => [...document.querySelector('pave-hotspots').shadowRoot.querySelectorAll('[part=popover] button.prev, [part=popover] button.next')].map((b) => b.hidden));
  assert.deepEqual(await buttons(), [true, true]);
  await page.clearEvents();
  await el.evaluate((e) => e.next());
  await settle(page);
  assert.deepEqual(await page.events(), [], 'no pave-open again for the open damage');
  // All again (the click moves focus out of the popover, which closes it): previous/next are back.
  await page.locator('pave-hotspots [data-action=filter]').first().click();
  await el.evaluate((e) => e.open(2));
  await settle(page);
  assert.deepEqual(await buttons(), [false, false]);
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

// ---- Content: what real data and real pages put in the boxes --------------------------------

/** A page at `width` px with the element (`attrs`) over a picture of `imgWidth` px. */
const contentPage = async (attrs, data, { viewport = { width: 1000, height: 800 }, imgWidth = 600, css = '' } = {}) => {
  const page = await newPage({ viewport });
  await page.goto(`${server.url}/photo.html`);
  await page.evaluate(({ attrs, data, imgWidth, css }) => {
    const el = document.querySelector('pave-hotspots');
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    document.getElementById('spin').style.width = `${imgWidth}px`;
    document.getElementById('spin').parentElement.style.width = `${imgWidth}px`;
    el.style.cssText = css;
    el.results = data;
  }, { attrs, data, imgWidth, css });
  await waitForEvent(page, 'pave-load', (d) => d.damages.length === data.data.reduce((n, p) => n + p.inspection_data.length, 0));
  await settle(page);
  await settle(page);
  return page;
};

/** A page with a `<pave-hotspots id="own">` showing `data` in its built-in viewer (no `for`). */
const ownViewer = async (attrs, data) => {
  const page = await newPage();
  await page.goto(`${server.url}/photo.html`);
  await page.evaluate(({ attrs, data }) => {
    const el = document.createElement('pave-hotspots');
    el.id = 'own';
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    document.body.append(el);
    el.results = data;
  }, { attrs, data });
  await waitForEvent(page, 'pave-load');
  await settle(page);
  return page;
};

test('long unbreakable PAVE text (a 300-letter word, a URL) wraps in the list and the popover: nothing wider than a 320 px phone', async () => {
  const data = resultsAt([{ code: 5, points: [[20, 30], [50, 50]] }]);
  data.data[0].inspection_data[0].description = 'Scratch'.repeat(40);
  data.data[0].inspection_data[1].description = `https://example.com/${'segment-'.repeat(30)}`;
  data.data[0].inspection_data[1].tolerance = 'x'.repeat(200);
  const page = await contentPage({ list: 'open' }, data, { viewport: { width: 320, height: 480 }, imgWidth: 300 });
  for (const i of [0, 1]) {
    await page.evaluate((i) => document.querySelector('pave-hotspots').open(i), i);
    await settle(page);
    const r = await page.evaluate(() => {
      const root = document.querySelector('pave-hotspots').shadowRoot;
      const p = root.querySelector('[part=popover]');
      return { page: document.documentElement.scrollWidth, popover: [p.scrollWidth, p.clientWidth], right: p.getBoundingClientRect().right };
    });
    assert.ok(r.page <= 320 && r.popover[0] <= r.popover[1] && r.right <= 320, `damage ${i}: ${JSON.stringify(r)}`);
  }
  await page.closeAll();
});

test('numbers of three digits and more fit their marker, and counts of a hundred and more their cluster badge', async () => {
  // 1,001 damages on a grid (markers 100 and 1000 among them), then 150 on one spot.
  const grid = Array.from({ length: 1001 }, (_, k) => [1 + (k % 40) * 2.45, 1 + Math.floor(k / 40) * 3.8]);
  const page = await contentPage({ list: 'none' }, resultsAt([{ code: 5, points: grid }]), { imgWidth: 2400, viewport: { width: 2500, height: 1900 } });
  const fits = (sel) => page.evaluate((sel) => {
    const b = document.querySelector('pave-hotspots').shadowRoot.querySelector(sel);
    const range = document.createRange();
    range.selectNodeContents(b);
    const t = range.getBoundingClientRect();
    const r = b.getBoundingClientRect();
    const ring = parseFloat(getComputedStyle(b).borderTopWidth);
    return { text: b.textContent, inside: t.left >= r.left + ring - 0.5 && t.right <= r.right - ring + 0.5, t: [t.left, t.right], box: [r.left, r.right] };
  }, sel);
  for (const i of [99, 999, 1000]) {
    const f = await fits(`.marker[data-index="${i}"]`);
    assert.ok(f.inside, JSON.stringify(f));
  }
  await page.closeAll();
  const spot = await contentPage({ list: 'none' }, resultsAt([{ code: 5, points: Array.from({ length: 150 }, () => [50, 50]) }]));
  const badge = await spot.evaluate(() => {
    const b = document.querySelector('pave-hotspots').shadowRoot.querySelector('.cluster');
    const range = document.createRange();
    range.selectNodeContents(b);
    // (The "+" is a ::before: the box's content width holds both.)
    return { text: b.textContent, scroll: b.scrollWidth, client: b.clientWidth };
  });
  assert.equal(badge.text, '150');
  assert.ok(badge.scroll <= badge.client, JSON.stringify(badge));
  await spot.closeAll();
});

test('lang changed with a cluster fanned out keeps it fanned out and the focus on its member; the viewer\'s alt, French plurals, an untitled damage', async () => {
  const page = await contentPage({ list: 'none' }, resultsAt([{ code: 5, points: [[50, 50], [50.2, 50], [50.4, 50], [10, 10]] }]));
  await page.locator('pave-hotspots .cluster').focus();
  await page.keyboard.press('Enter');
  await settle(page);
  const before = await page.evaluate(() => document.querySelector('pave-hotspots').shadowRoot.activeElement?.dataset.index);
  await page.evaluate(() => document.querySelector('pave-hotspots').setAttribute('lang', 'fr'));
  await settle(page);
  const after = await page.evaluate(() => {
    const root = document.querySelector('pave-hotspots').shadowRoot;
    const c = root.querySelector('.cluster');
    return { expanded: c.getAttribute('aria-expanded'), name: c.getAttribute('aria-label'), focus: root.activeElement?.dataset.index, layer: root.querySelector('.layer').getAttribute('aria-label') };
  });
  assert.deepEqual(after, { expanded: 'true', name: '3 dommages ici', focus: before, layer: 'Repères de dommages\u00a0: Avant' });
  await page.closeAll();
  // The built-in viewer: alt and caption in the new language; "0 dommage" in French.
  const data = resultsAt([{ code: 5, points: [[20, 20]] }, { code: 7, points: [] }]);
  data.data[0].inspection_data[0].description = '';
  data.data[0].inspection_data[0].damage_name = '';
  const v = await ownViewer({ lang: 'de' }, data);
  const viewer = () => v.evaluate(() => {
    const root = document.getElementById('own').shadowRoot;
    return { alt: root.querySelector('[part=image]').alt, label: root.querySelector('.viewer .label').textContent, title: root.querySelector('.marker').getAttribute('aria-label') };
  });
  assert.match((await viewer()).title, /^Karosserie/, 'a damage with no description nor name is named by its group');
  await v.evaluate(() => document.getElementById('own').setAttribute('lang', 'fr'));
  await settle(v);
  const fr = await viewer();
  assert.match(fr.title, /^Carrosserie/);
  assert.ok(fr.alt.startsWith(fr.label.split(/\s·/)[0]), `alt "${fr.alt}" follows the caption "${fr.label}"`);
  await v.locator('#own [data-action=photo-next]').click();
  await settle(v);
  // (A count never wraps away from its noun, nor a line starts with the dot: no-break spaces.)
  assert.match((await viewer()).label, /\u00a0· 0\u00a0dommage$/);
  await v.closeAll();
});

test('theming: the list\'s numbers follow --pave-marker-text, a fanned-out cluster --pave-cluster-open-text', async () => {
  const page = await contentPage({ list: 'open' }, resultsAt([{ code: 5, points: [[50, 50], [50.2, 50], [10, 10]] }]), {
    css: '--pave-color-body:#ffd54f;--pave-marker-text:#000;--pave-cluster-open-color:#1e1e1e;--pave-cluster-open-text:#fafafa',
  });
  await page.locator('pave-hotspots .cluster').click();
  await settle(page);
  const c = await page.evaluate(() => {
    const root = document.querySelector('pave-hotspots').shadowRoot;
    return { num: getComputedStyle(root.querySelector('.list .num[data-group="body"]')).color, open: getComputedStyle(root.querySelector('.cluster')).color };
  });
  assert.deepEqual(c, { num: 'rgb(0, 0, 0)', open: 'rgb(250, 250, 250)' });
  await page.closeAll();
});

test('the built-in viewer turned by its own next: the page setting photo to the one it named before turns it back', async () => {
  const page = await ownViewer({ photo: '5' }, RESULTS);
  const shown = () => page.evaluate(() => document.getElementById('own').shadowRoot.querySelector('.viewer .label').textContent);
  assert.match(await shown(), /^Front/);
  await page.locator('#own [data-action=photo-next]').click();
  await settle(page);
  assert.match(await shown(), /^Right/);
  await page.evaluate(() => document.getElementById('own').setAttribute('photo', '5'));
  await settle(page);
  assert.match(await shown(), /^Front/);
  await page.closeAll();
});

/** Focuses the first shown marker and opens it with Enter. */
async function openFirst(page) {
  await page.evaluate(() => {
    const el = document.querySelector('pave-hotspots') ?? window.overlay.element;
    [...el.shadowRoot.querySelectorAll('.marker')].find((m) => m.checkVisibility()).focus();
  });
  await page.keyboard.press('Enter');
  await waitForEvent(page, 'pave-open');
  await settle(page);
}

test('results set again to the same object or string (Lit sets an object binding on every render) change nothing; reload() reads them again', async () => {
  for (const [path, again] of [
    ['/inline.html', () => { const el = document.querySelector('pave-hotspots'); el.results = el.results; }],
    ['/overlay-inline.html', () => window.overlay.setResults(window.DATA)],
  ]) {
    const page = await opened(path);
    await openFirst(page);
    const before = await state(page);
    assert.ok(before.open && before.focus.includes('popover'), `${path}: ${JSON.stringify(before)}`);
    await page.clearEvents();
    await page.evaluate(again);
    await settle(page);
    await settle(page);
    assert.deepEqual(await state(page), before, `${path}: the popover and the focus stay`);
    assert.deepEqual((await page.events()).map((e) => e.type), [], `${path}: no event`);
    await page.closeAll();
  }
  // A string equal to the last one is the same too; reload() reads the data again.
  const page = await opened('/inline.html');
  const json = JSON.stringify(RESULTS);
  await page.evaluate((j) => { document.querySelector('pave-hotspots').results = j; }, json);
  await waitForEvent(page, 'pave-load');
  await settle(page);
  await openFirst(page);
  const before = await state(page);
  await page.clearEvents();
  await page.evaluate((j) => { document.querySelector('pave-hotspots').results = `${j}`; }, json);
  await settle(page);
  await settle(page);
  assert.deepEqual(await state(page), before);
  assert.deepEqual(await page.events(), []);
  await page.evaluate(() => document.querySelector('pave-hotspots').reload());
  await waitForEvent(page, 'pave-load');
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('a re-render that makes the picture again (the same id and src) keeps the markers, the focus and the open popover; a new one is followed', async () => {
  const page = await opened('/photo.html');
  const markers = () => page.evaluate(() => [...document.querySelector('pave-hotspots').shadowRoot.querySelectorAll('.marker')]
    .filter((m) => m.checkVisibility()).map((m) => { const r = m.getBoundingClientRect(); return [m.dataset.index, Math.round(r.x), Math.round(r.y)]; }));
  const shown = await markers();
  assert.equal(shown.length, 3);
  const remake = (style) => page.evaluate((style) => {
    const old = document.getElementById('spin');
    const img = old.cloneNode();
    if (style) img.style.cssText = style;
    old.replaceWith(img);
  }, style);
  // A focused marker keeps the focus.
  await page.evaluate(() => [...document.querySelector('pave-hotspots').shadowRoot.querySelectorAll('.marker')].find((m) => m.checkVisibility()).focus());
  const focused = await state(page);
  await remake();
  await settle(page);
  await settle(page);
  assert.deepEqual(await state(page), focused);
  assert.deepEqual(await markers(), shown);
  // An open popover stays open.
  await page.keyboard.press('Enter');
  await waitForEvent(page, 'pave-open');
  await settle(page);
  const open = await state(page);
  await page.clearEvents();
  await remake();
  await settle(page);
  await settle(page);
  assert.deepEqual(await state(page), open);
  assert.deepEqual(await page.events(), []);
  // A picture made again at another size: the markers follow the new node.
  await remake('display:block;width:300px');
  await settle(page);
  await settle(page);
  const small = await markers();
  assert.deepEqual(small.map((m) => m[0]), shown.map((m) => m[0]));
  const box = await page.evaluate(() => document.getElementById('spin').getBoundingClientRect().toJSON());
  for (const [, x, y] of small) assert.ok(x >= box.left - 20 && x <= box.right && y >= box.top - 20 && y <= box.bottom, `marker at ${x},${y} outside the new picture ${JSON.stringify(box)}`);
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('an object given as the results attribute (React before the element is defined) is told as such, not as bad JSON', async () => {
  const page = await newPage();
  await page.goto(server.url + '/object-attr.html');
  const e = await waitForEvent(page, 'pave-error');
  assert.equal(e.kind, 'malformed');
  assert.match(e.message, /\[object Object\].*set the `results` property once the element is defined/);
  assert.doesNotMatch(e.message, /not valid JSON/);
  const status = await page.evaluate(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('[part=status]').textContent);
  assert.ok(status.length > 0, 'the status line tells');
  await page.closeAll();
});
